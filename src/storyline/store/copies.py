"""Copies and origins in the SQLite file: signatures, copy groups, members, aliases, shared paragraphs.

Writes happen inside the caller's transaction; reads give the JSON shapes of ``storyline copies``
and ``storyline show``. ``distinct_reports`` is what later stages count: one article per copy group.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from storyline.copies import ArticleText, CopyOptions, OriginVerdict, SharedParagraph, Signature
from storyline.store.database import Store
from storyline.store.sql import rows_in

ARTICLE_TEXT_SELECT = (
    "SELECT a.id, a.body, a.claimed_date, a.dateline_agency, coalesce(p.fetched_at, p.ingested_at) AS seen "
    "FROM articles a JOIN pages p ON p.page_id = a.page_id"
)
SIGNATURE_COLUMNS = "article_id, algorithm, n_shingles, minhash, paragraph_digests, features"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- signatures ---------------------------------------------------------------------------------


def save_signatures(store: Store, signatures: Iterable[Signature]) -> None:
    rows = []
    for s in signatures:
        features = {
            "positions": s.paragraph_positions,
            "words": s.paragraph_words,
            "chrome": s.chrome_positions,
            "claimed_date": s.claimed_date,
            "wire_credit": s.wire_credit,
            "lead_weekday": s.lead_weekday,
            "lead_sentence": s.lead_sentence,
            "first_seen": s.first_seen,
        }
        rows.append((s.article_id, s.algorithm, s.n_shingles, s.digest, s.paragraph_digests, json.dumps(features)))
    store.connection.executemany(
        f"INSERT OR REPLACE INTO copy_signatures ({SIGNATURE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",  # noqa: S608
        rows,
    )


def _signature(row: Any, options: CopyOptions) -> Signature:
    features = json.loads(row["features"])
    claimed = features["claimed_date"]
    return Signature(
        article_id=int(row["article_id"]),
        algorithm=row["algorithm"],
        digest=bytes(row["minhash"]),  # the column keeps its first name; it holds the digest
        n_shingles=int(row["n_shingles"]),
        paragraph_digests=bytes(row["paragraph_digests"]),
        paragraph_positions=tuple(features["positions"]),
        paragraph_words=tuple(features["words"]),
        chrome_positions=tuple(features["chrome"]),
        claimed_day=date.fromisoformat(claimed[:10]) if _is_day(claimed) else None,
        claimed_date=claimed,
        wire_credit=features["wire_credit"],
        lead_weekday=features["lead_weekday"],
        lead_sentence=features["lead_sentence"],
        first_seen=features["first_seen"],
    )


def _is_day(value: object) -> bool:
    if not isinstance(value, str) or len(value) < 10:
        return False
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def load_signatures(
    store: Store, options: CopyOptions, article_ids: Sequence[int] | None = None
) -> Iterator[Signature]:
    """Stored signatures made with ``options.algorithm`` (all of them, or those of ``article_ids``)."""
    sql = f"SELECT {SIGNATURE_COLUMNS} FROM copy_signatures WHERE algorithm = ?"  # noqa: S608
    if article_ids is None:
        for row in store.connection.execute(sql + " ORDER BY article_id", (options.algorithm,)):
            yield _signature(row, options)
        return
    for row in rows_in(store.connection, sql + " AND article_id IN ({ids})", article_ids, options.algorithm):
        yield _signature(row, options)


def article_texts(store: Store, article_ids: Sequence[int]) -> list[ArticleText]:
    """What copy detection reads of each article; first seen is the page's fetch time, else ingest time."""
    texts: list[ArticleText] = []
    sql = ARTICLE_TEXT_SELECT + " WHERE a.id IN ({ids}) ORDER BY a.id"
    for row in rows_in(store.connection, sql, sorted(set(article_ids))):
        paragraphs = tuple(row["body"].split("\n"))
        texts.append(ArticleText(row["id"], paragraphs, row["claimed_date"], row["dateline_agency"], row["seen"]))
    return texts


def unsigned_article_ids(store: Store, options: CopyOptions) -> list[int]:
    """Articles with no signature made by the current algorithm."""
    rows = store.connection.execute(
        "SELECT a.id FROM articles a LEFT JOIN copy_signatures s ON s.article_id = a.id AND s.algorithm = ? "
        "WHERE s.article_id IS NULL ORDER BY a.id",
        (options.algorithm,),
    )
    return [int(row[0]) for row in rows]


def forget_other_algorithms(store: Store, options: CopyOptions) -> int:
    """Drop copy results made with other settings: their groups cannot be mixed with new ones."""
    stale = store.connection.execute(
        "SELECT count(*) FROM copy_signatures WHERE algorithm != ?", (options.algorithm,)
    ).fetchone()[0]
    if stale:
        for table in ("copy_signatures", "copy_members", "copy_groups", "copy_group_aliases", "shared_paragraphs"):
            store.connection.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed table names)
    return int(stale)


# -- groups -------------------------------------------------------------------------------------


def load_memberships(store: Store) -> tuple[dict[int, int], dict[int, int]]:
    """(article id -> group id, alias id -> group id)."""
    group_of = {int(r[0]): int(r[1]) for r in store.connection.execute("SELECT article_id, group_id FROM copy_members")}
    aliases = {
        int(r[0]): int(r[1]) for r in store.connection.execute("SELECT alias_id, group_id FROM copy_group_aliases")
    }
    return group_of, aliases


def save_verdicts(store: Store, verdicts: Iterable[OriginVerdict], aliases: dict[int, int]) -> None:
    """Replace the stored state of the groups in ``verdicts``; groups that became aliases are removed."""
    now = _now()
    for verdict in verdicts:
        store.connection.execute(
            "INSERT OR REPLACE INTO copy_groups (group_id, origin_article_id, origin_reason, credible_date, "
            "n_members, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                verdict.group_id,
                verdict.origin,
                verdict.reason.value,
                verdict.credible_day.isoformat() if verdict.credible_day else None,
                len(verdict.members),
                now,
            ),
        )
        store.connection.executemany(
            "INSERT OR REPLACE INTO copy_members (article_id, group_id, similarity, redated, evidence) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (
                    m.article_id,
                    verdict.group_id,
                    m.similarity,
                    int(m.redated),
                    json.dumps(m.evidence) if m.evidence else None,
                )
                for m in verdict.members
            ],
        )
    for alias, target in aliases.items():
        store.connection.execute(
            "INSERT OR REPLACE INTO copy_group_aliases (alias_id, group_id) VALUES (?, ?)", (alias, target)
        )
        store.connection.execute("DELETE FROM copy_groups WHERE group_id = ?", (alias,))


def save_shared_paragraphs(store: Store, shared: Iterable[SharedParagraph]) -> None:
    store.connection.executemany(
        "INSERT OR REPLACE INTO shared_paragraphs (article_id, position, other_article_id, other_position, similarity) "
        "VALUES (?, ?, ?, ?, ?)",
        [(s.article_id, s.position, s.other_id, s.other_position, s.similarity) for s in shared],
    )


# -- reads --------------------------------------------------------------------------------------


def _member_dict(row: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "article_id": row["article_id"],
        "similarity": row["similarity"],
        "redated": bool(row["redated"]),
    }
    if row["redated"]:
        item["evidence"] = json.loads(row["evidence"]) if row["evidence"] else {}
    return item


def group_dict(store: Store, group_id: int) -> dict[str, Any]:
    """The ``storyline copies --json`` shape of one copy group (``group_id`` may be an alias)."""
    alias = store.connection.execute(
        "SELECT group_id FROM copy_group_aliases WHERE alias_id = ?", (group_id,)
    ).fetchone()
    if alias is not None:
        group_id = int(alias[0])
    row = store.connection.execute(
        "SELECT group_id, origin_article_id, origin_reason, credible_date FROM copy_groups WHERE group_id = ?",
        (group_id,),
    ).fetchone()
    if row is None:
        return {}
    members = store.connection.execute(
        "SELECT article_id, similarity, redated, evidence FROM copy_members WHERE group_id = ? "
        "ORDER BY similarity DESC, article_id",
        (group_id,),
    )
    return {
        "group_id": row["group_id"],
        "origin": row["origin_article_id"],
        "origin_reason": row["origin_reason"],
        "credible_date": row["credible_date"],
        "aliases": [
            r[0]
            for r in store.connection.execute(
                "SELECT alias_id FROM copy_group_aliases WHERE group_id = ? ORDER BY alias_id", (group_id,)
            )
        ],
        "members": [_member_dict(m) for m in members],
    }


def iter_copy_groups(store: Store, min_members: int = 1) -> Iterator[dict[str, Any]]:
    rows = store.connection.execute(
        "SELECT group_id FROM copy_groups WHERE n_members >= ? ORDER BY group_id", (min_members,)
    ).fetchall()
    for row in rows:
        yield group_dict(store, int(row[0]))


def copies_of(store: Store, article_id: int) -> dict[str, Any]:
    """An article's copy group (origin, members, re-dating) and the paragraphs it shares with other groups."""
    member = store.connection.execute(
        "SELECT group_id FROM copy_members WHERE article_id = ?", (article_id,)
    ).fetchone()
    group = group_dict(store, int(member[0])) if member else {}
    shared = store.connection.execute(
        "SELECT position, other_article_id AS other, other_position, similarity FROM shared_paragraphs "
        "WHERE article_id = ? UNION "
        "SELECT other_position, article_id, position, similarity FROM shared_paragraphs WHERE other_article_id = ? "
        "ORDER BY 1, 2",
        (article_id, article_id),
    )
    return {
        "article_id": article_id,
        "group": group or None,
        "shared_paragraphs": [
            {"position": r[0], "article_id": r[1], "other_position": r[2], "similarity": r[3]} for r in shared
        ],
    }


def distinct_reports(store: Store) -> Iterator[int]:
    """One article id per copy group (its origin), then articles not yet grouped: count these, not copies."""
    rows = store.connection.execute(
        "SELECT origin_article_id FROM copy_groups UNION ALL "
        "SELECT a.id FROM articles a LEFT JOIN copy_members m ON m.article_id = a.id WHERE m.article_id IS NULL "
        "ORDER BY 1"
    )
    for row in rows:
        yield int(row[0])


def copy_status(store: Store, article_ids: Sequence[int]) -> dict[int, tuple[int, bool]]:
    """For each placed article: its copy group's origin and whether its claimed date is re-dated.

    Batched, for pages that fold many articles under their origins.
    """
    sql = (
        "SELECT m.article_id, g.origin_article_id, m.redated FROM copy_members m "
        "JOIN copy_groups g ON g.group_id = m.group_id WHERE m.article_id IN ({ids})"
    )
    return {int(row[0]): (int(row[1]), bool(row[2])) for row in rows_in(store.connection, sql, article_ids)}
