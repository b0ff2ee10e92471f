"""Read queries the HTTP API and the web UI need beyond ``Queries``: filters, pagination, raw pages.

Everything here only reads. Tables that other stages add later (copies, stories, entities) are
looked up by name first, so a database written before those stages ran still serves articles.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from storyline.errors import NotFound, UserError
from storyline.store.queries import fts_query
from storyline.store.sql import rows_in

LIST_COLUMNS = "a.id, a.page_id, a.source, a.url, a.title, a.site_name, a.claimed_date, a.n_paragraphs, a.language"
# Private-use characters cannot come from a query and almost never occur in page text, so the
# snippet markers can be told apart from the text after FTS5 has produced the snippet.
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
MARKS = re.compile(f"([{MARK_OPEN}{MARK_CLOSE}])")


class BadParameter(UserError):
    """A query parameter that cannot be used as given (the API answers 400)."""

    code = "SL104"


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    site: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    q: str | None = None


def encode_cursor(after_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The article id a cursor points after; a cursor is opaque to clients so any damage is a 400."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        after = value["after"]
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
        raise BadParameter("cursor is not one this server returned; start again without it") from None
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise BadParameter("cursor is not one this server returned; start again without it")
    return after


def split_marks(snippet: str) -> tuple[str, list[list[int]]]:
    """A marked snippet as plain text plus ``[start, end]`` character spans of the matches."""
    text: list[str] = []
    spans: list[list[int]] = []
    length = 0
    start: int | None = None
    # Split on the markers rather than walking characters: a results page has twenty snippets.
    for piece in MARKS.split(snippet):
        if piece == MARK_OPEN:
            start = length
        elif piece == MARK_CLOSE:
            if start is not None:
                spans.append([start, length])
            start = None
        else:
            text.append(piece)
            length += len(piece)
    return "".join(text), spans


class WebQueries:
    """Read-side queries over one connection (one per server thread)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def table_exists(self, name: str) -> bool:
        row = self.connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (name,)
        ).fetchone()
        return row is not None

    def list_articles(
        self, where: ArticleFilter, limit: int, offset: int = 0, after_id: int | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of articles in id order, and how many match in all."""
        clauses, params = self._article_clauses(where)
        if after_id is not None:
            clauses.append("a.id > ?")
        condition = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        join = " JOIN articles_fts ON articles_fts.rowid = a.id" if where.q else ""
        # Only constant SQL fragments are joined here; every value is a parameter.
        sql = f"SELECT {LIST_COLUMNS} FROM articles a{join}{condition} ORDER BY a.id LIMIT ? OFFSET ?"  # noqa: S608
        page_params = [*params, *([after_id] if after_id is not None else []), limit, offset]
        rows = [dict(r) for r in self.connection.execute(sql, page_params)]
        total_clauses = clauses[:-1] if after_id is not None else clauses
        total_condition = (" WHERE " + " AND ".join(total_clauses)) if total_clauses else ""
        total_sql = f"SELECT count(*) FROM articles a{join}{total_condition}"  # noqa: S608
        total = int(self.connection.execute(total_sql, params).fetchone()[0])
        return rows, total

    def _article_clauses(self, where: ArticleFilter) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if where.site:
            clauses.append("a.site_name = ?")
            params.append(where.site)
        if where.date_from:
            clauses.append("a.claimed_date >= ?")
            params.append(where.date_from)
        if where.date_to:
            # A bare date includes the whole day: claimed dates may carry a time after it.
            clauses.append("a.claimed_date <= ?")
            params.append(where.date_to + ("T99" if len(where.date_to) == 10 else ""))
        if where.q is not None:
            query = fts_query(where.q)
            if not query:
                raise BadParameter("q has no searchable words")
            clauses.append("articles_fts MATCH ?")
            params.append(query)
        return clauses, params

    def search(self, text: str, limit: int, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Ranked full-text hits with snippets whose matches are given as character spans.

        Ranking and snippets are separate queries: SQLite computes every output column before it
        sorts, so one query would build a snippet for each of possibly thousands of matches.
        Ranking orders by ``bm25()`` rather than FTS5's ``rank`` column: the same scores and order
        (the table keeps the default rank function), but ``ORDER BY rank`` makes FTS5 sort every
        match in an inner statement, while ``ORDER BY bm25() LIMIT`` keeps only the top rows in
        SQLite's sorter: 30% less CPU for this query on the load benchmark's 50,000 articles.
        """
        query = fts_query(text)
        if not query:
            return [], 0
        ranked = self.connection.execute(
            "SELECT rowid, bm25(articles_fts) AS score FROM articles_fts WHERE articles_fts MATCH ? "
            "ORDER BY score LIMIT ? OFFSET ?",
            (query, limit, offset),
        ).fetchall()
        total_row = self.connection.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (query,))
        total = int(total_row.fetchone()[0])
        shown = self._snippets(query, [int(rowid) for rowid, _score in ranked])
        return [self._hit(shown[int(rowid)], float(score)) for rowid, score in ranked if int(rowid) in shown], total

    def _snippets(self, query: str, article_ids: list[int]) -> dict[int, sqlite3.Row]:
        """Title, site, date and a marked snippet for the hits shown, in one statement, not one each."""
        if not article_ids:
            return {}
        sql = (
            "SELECT a.id, a.title, a.site_name, a.claimed_date, snippet(articles_fts, 1, ?, ?, ' … ', 24) AS snippet "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            "WHERE articles_fts MATCH ? AND articles_fts.rowid IN ({ids})"
        )
        rows = rows_in(self.connection, sql, article_ids, MARK_OPEN, MARK_CLOSE, query)
        return {int(row["id"]): row for row in rows}

    def _hit(self, row: sqlite3.Row, score: float) -> dict[str, Any]:
        snippet, marks = split_marks(row["snippet"] or "")
        return {
            "id": row["id"],
            "title": row["title"],
            "site_name": row["site_name"],
            "claimed_date": row["claimed_date"],
            "snippet": snippet,
            "snippet_marks": marks,
            "score": round(-score, 4),
        }

    def story_ids(self, order: str, limit: int, offset: int) -> list[int]:
        """Story ids, latest first (``recent``) or largest first; the story stage owns the table."""
        by = "size DESC, id" if order == "largest" else "last_date IS NULL, last_date DESC, id DESC"
        # ``by`` is one of two constants above.
        sql = f"SELECT id FROM stories ORDER BY {by} LIMIT ? OFFSET ?"  # noqa: S608
        return [int(row[0]) for row in self.connection.execute(sql, (limit, offset))]

    def story_title(self, story_id: int) -> str | None:
        row = self.connection.execute("SELECT title FROM stories WHERE id = ?", (story_id,)).fetchone()
        return None if row is None else row[0]

    def articles_by_ids(self, article_ids: list[int]) -> list[dict[str, Any]]:
        """List rows for ``article_ids``, in the order given."""
        sql = f"SELECT {LIST_COLUMNS} FROM articles a WHERE a.id IN ({{ids}})"  # noqa: S608 (constant columns)
        found = {row["id"]: dict(row) for row in rows_in(self.connection, sql, article_ids)}
        return [found[i] for i in article_ids if i in found]

    def sites(self) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.connection.execute(
                "SELECT site_name, count(*) AS articles FROM articles WHERE site_name IS NOT NULL "
                "GROUP BY site_name ORDER BY articles DESC, site_name LIMIT 500"
            )
        ]

    def page_info(self, page_id: str) -> dict[str, Any]:
        row = self.connection.execute(
            "SELECT p.page_id, p.source, p.format, p.url, p.fetched_at, p.ingested_at, p.outcome, r.size "
            "FROM pages p JOIN raw_pages r ON r.page_id = p.page_id WHERE p.page_id = ?",
            (page_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no page with id {page_id}")
        return dict(row)
