"""Read-side queries over the store, shared by the CLI and the HTTP API."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from typing import Any

from storyline.errors import NotFound

ARTICLE_COLUMNS = (
    "id, page_id, source, url, title, site_name, claimed_date, dateline_place, dateline_region, "
    "dateline_agency, dateline_text, byline, language, body, n_paragraphs, extractor, created_at"
)
SEARCH_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_TERMS = 32


def fts_query(text: str) -> str:
    """A user's words as a safe FTS5 query: every term quoted, all required.

    FTS5 has its own syntax (quotes, NEAR, column filters); quoting each term means no input can
    be a syntax error or an injection into that language.
    """
    terms = SEARCH_TOKEN.findall(text)[:MAX_QUERY_TERMS]
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def article_dict(row: sqlite3.Row, paragraphs: list[str] | None = None) -> dict[str, Any]:
    """The JSON shape of an article, as printed by ``storyline articles --json``."""
    dateline = None
    if row["dateline_place"]:
        dateline = {
            "place": row["dateline_place"],
            "region": row["dateline_region"],
            "agency": row["dateline_agency"],
            "text": row["dateline_text"],
        }
    return {
        "id": row["id"],
        "page_id": row["page_id"],
        "source": row["source"],
        "kind": "article",
        "url": row["url"],
        "title": row["title"],
        "site_name": row["site_name"],
        "claimed_date": row["claimed_date"],
        "dateline": dateline,
        "byline": row["byline"],
        "language": row["language"],
        "paragraphs": paragraphs if paragraphs is not None else row["body"].split("\n"),
        "extractor": row["extractor"],
    }


class Queries:
    connection: sqlite3.Connection

    def count(self, table: str) -> int:
        if table not in ("pages", "articles", "rejections", "raw_pages", "page_sources"):
            raise ValueError(table)
        # The table name is checked against a fixed list above; it cannot be a parameter.
        return int(self.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608

    def iter_articles(self) -> Iterator[dict[str, Any]]:
        for row in self.connection.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id"):  # noqa: S608
            yield article_dict(row)

    def article(self, article_id: int) -> dict[str, Any]:
        sql = f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?"  # noqa: S608 (constant columns)
        row = self.connection.execute(sql, (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no article with id {article_id}; `storyline articles` lists them")
        paragraphs = self.connection.execute(
            "SELECT text, source_start, source_end FROM paragraphs WHERE article_id = ? ORDER BY position",
            (article_id,),
        ).fetchall()
        result = article_dict(row, [p["text"] for p in paragraphs])
        result["paragraph_offsets"] = [
            [p["source_start"], p["source_end"]] if p["source_start"] is not None else None for p in paragraphs
        ]
        result["sources"] = [
            r["source"]
            for r in self.connection.execute(
                "SELECT source FROM page_sources WHERE page_id = ? ORDER BY source", (row["page_id"],)
            )
        ]
        return result

    def search(self, text: str, limit: int = 20) -> list[dict[str, Any]]:
        """Best-ranked articles for ``text``, with a snippet whose matches are in [brackets].

        Ranking first and building snippets only for the rows returned: SQLite computes every
        output column before it sorts, so one query would build a snippet for every match.
        """
        query = fts_query(text)
        if not query:
            return []
        ranked = self.connection.execute(
            "SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?", (query, limit)
        ).fetchall()
        hits = []
        for article_id, rank in ranked:
            row = self.connection.execute(
                "SELECT a.id, a.title, a.site_name, a.claimed_date, "
                "snippet(articles_fts, 1, '[', ']', ' … ', 16) AS snippet FROM articles_fts "
                "JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH ? AND articles_fts.rowid = ?",
                (query, article_id),
            ).fetchone()
            hits.append(
                {"id": row["id"], "title": row["title"], "site_name": row["site_name"],
                 "claimed_date": row["claimed_date"], "snippet": row["snippet"], "score": round(-float(rank), 4)}
            )  # fmt: skip
        return hits

    def iter_rejections(self) -> Iterator[dict[str, Any]]:
        for row in self.connection.execute(
            "SELECT id, page_id, source, reason, detail, created_at FROM rejections ORDER BY id"
        ):
            yield dict(row)

    def rejection_counts(self) -> dict[str, int]:
        return {
            row["reason"]: row["n"]
            for row in self.connection.execute(
                "SELECT reason, count(*) AS n FROM rejections GROUP BY reason ORDER BY n DESC"
            )
        }
