"""Entities, embeddings and stories in the SQLite file.

Writes happen inside the caller's transaction. The clustering state is kept as it is needed to
resume: one zlib-compressed JSON profile per story (``stories.state``) and the global counters
(``story_model``), so adding articles loads the stories, never the articles already clustered.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from storyline.enrich import ArticleEntities
from storyline.errors import NotFound
from storyline.records import Article, Dateline
from storyline.store.database import Store
from storyline.store.sql import rows_in
from storyline.stories import Assignment, Story, StoryEntity, StoryIndex, StoryOptions
from storyline.stories.persist import story_to_dict

KEY_ENTITIES_PER_KIND = 5  # key entities of a story: the most widespread people, organisations, places, ...
# Ranked within each kind, so a story full of place names still shows its people.
KEY_ENTITIES_SQL = """
WITH counts AS (
    SELECT e.name, e.type, count(*) AS mentions, count(DISTINCT m.article_id) AS articles,
           CASE WHEN e.type IN ('GPE', 'LOC', 'FAC') THEN 'PLACE' ELSE e.type END AS kind
    FROM story_articles s JOIN mentions m ON m.article_id = s.article_id JOIN entities e ON e.id = m.entity_id
    WHERE s.story_id = ? GROUP BY e.id
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY kind ORDER BY articles DESC, mentions DESC, name) AS rank FROM counts
)
SELECT name, type, mentions, articles FROM ranked WHERE rank <= ? ORDER BY articles DESC, mentions DESC, name
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _pack(value: object) -> bytes:
    return zlib.compress(json.dumps(value, separators=(",", ":")).encode("utf-8"), 6)


def _unpack(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob).decode("utf-8"))


# -- articles in, entities and embeddings -------------------------------------------------------


def load_articles(store: Store, article_ids: Sequence[int]) -> dict[int, Article]:
    """The stored articles as records (body paragraphs, title, claimed date, dateline)."""
    found: dict[int, Article] = {}
    sql = (
        "SELECT id, page_id, source, title, body, claimed_date, dateline_place, dateline_region, "
        "dateline_agency, dateline_text FROM articles WHERE id IN ({ids})"
    )
    for row in rows_in(store.connection, sql, article_ids):
        dateline = None
        if row["dateline_place"]:
            dateline = Dateline(
                row["dateline_place"], row["dateline_region"], row["dateline_agency"], row["dateline_text"]
            )
        found[int(row["id"])] = Article(
            page_id=row["page_id"],
            source=row["source"],
            title=row["title"],
            paragraphs=tuple(row["body"].split("\n")),
            claimed_date=row["claimed_date"],
            dateline=dateline,
        )
    return found


def redated_dates(store: Store, article_ids: Sequence[int]) -> dict[int, str | None]:
    """For the articles the copies stage flagged re-dated: their copy group's credible date (None
    when the group has none). A re-dated claimed date would put a report in the wrong time window."""
    exists = store.connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'copy_groups'")
    if exists.fetchone() is None:
        return {}
    sql = (
        "SELECT m.article_id, g.credible_date FROM copy_members m JOIN copy_groups g ON g.group_id = m.group_id "
        "WHERE m.redated = 1 AND m.article_id IN ({ids})"
    )
    return {int(row[0]): row[1] or None for row in rows_in(store.connection, sql, article_ids)}


def known_surnames(store: Store) -> dict[str, str]:
    """Surname -> full-name key of the stored people whose surname is not shared with another person."""
    owners: dict[str, set[str]] = {}
    for (key,) in store.connection.execute("SELECT key FROM entities WHERE type = 'PERSON' AND key LIKE '% %'"):
        owners.setdefault(key.rsplit(" ", 1)[-1], set()).add(key)
    return {surname: next(iter(keys)) for surname, keys in owners.items() if len(keys) == 1}


def save_entities(store: Store, results: Sequence[tuple[int, ArticleEntities]]) -> None:
    """Mentions of each article (replacing any older ones) and the entities they name."""
    connection = store.connection
    for article_id, found in results:
        for entity in found.entities:
            connection.execute(
                "INSERT INTO entities (key, name, type) VALUES (?, ?, ?) ON CONFLICT(key) DO NOTHING",
                (entity.key, entity.name, entity.type),
            )
        connection.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
        connection.executemany(
            "INSERT OR IGNORE INTO mentions (article_id, start_char, end_char, text, label, entity_id) "
            "SELECT ?, ?, ?, ?, ?, id FROM entities WHERE key = ?",
            [(article_id, m.start, m.end, m.text, m.label, m.entity_key) for m in found.mentions],
        )


def article_entity_types(store: Store, article_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """Entity key -> type for each article, from the stored mentions."""
    result: dict[int, dict[str, str]] = {article_id: {} for article_id in article_ids}
    sql = (
        "SELECT DISTINCT m.article_id, e.key, e.type FROM mentions m JOIN entities e ON e.id = m.entity_id "
        "WHERE m.article_id IN ({ids})"
    )
    for row in rows_in(store.connection, sql, article_ids):
        result[int(row[0])][row[1]] = row[2]
    return result


def save_embeddings(store: Store, model: str, vectors: dict[int, NDArray[np.float32]]) -> None:
    store.connection.executemany(
        "INSERT OR REPLACE INTO embeddings (article_id, model, vector) VALUES (?, ?, ?)",
        [(article_id, model, vector.astype("<f4").tobytes()) for article_id, vector in vectors.items()],
    )


# -- clustering state ---------------------------------------------------------------------------


def load_index(store: Store, options: StoryOptions) -> StoryIndex:
    row = store.connection.execute("SELECT value FROM story_model WHERE name = 'index'").fetchone()
    if row is None:
        return StoryIndex(options)
    data = _unpack(bytes(row[0]))
    rows = store.connection.execute("SELECT state FROM stories WHERE retired_at IS NULL")
    data["stories"] = [_unpack(bytes(r[0])) for r in rows]
    saved_apart = "df" not in data  # written before migration 5: inside the state
    if saved_apart:
        data["df"] = dict(store.connection.execute("SELECT dimension, reports FROM story_df"))
    index = StoryIndex.from_dict(data, options)
    if saved_apart:
        index.df_changed = set()
    return index


def save_index(store: Store, index: StoryIndex, assignments: Sequence[Assignment], copies: dict[int, int]) -> None:
    """Write the stories touched by ``assignments`` (and merges), the memberships and the counters.

    ``copies`` maps each clustered article that is only a copy to the report it was counted as.
    """
    connection = store.connection
    touched = {index.resolve(s) for s in index.changed | {a.story_id for a in assignments}}
    for assignment in assignments:
        for gone in assignment.merged:
            keep = index.resolve(gone)
            connection.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (keep, gone))
            connection.execute("UPDATE story_aliases SET story_id = ? WHERE story_id = ?", (keep, gone))
            connection.execute("DELETE FROM stories WHERE id = ?", (gone,))
            connection.execute(
                "INSERT OR REPLACE INTO story_aliases (alias_id, story_id, merged_at) VALUES (?, ?, ?)",
                (gone, keep, _now()),
            )
    for story_id in sorted(touched):
        if story_id in index.stories:
            _save_story(store, index, story_id)
    probability = {a.article_id: (index.resolve(a.story_id), a.probability) for a in assignments}
    rows = [(article_id, story, p, article_id) for article_id, (story, p) in probability.items()]
    rows += [(copy, *probability[report], report) for copy, report in copies.items() if report in probability]
    connection.executemany(
        "INSERT OR REPLACE INTO story_articles (article_id, story_id, probability, report_article_id) "
        "VALUES (?, ?, ?, ?)",
        rows,
    )
    # An open report that moved to another story takes its earlier copies along.
    connection.executemany(
        "UPDATE story_articles SET story_id = ?, probability = ? WHERE report_article_id = ? AND article_id != ?",
        [(story, p, article_id, article_id) for article_id, (story, p) in probability.items()],
    )
    connection.executemany(
        "UPDATE stories SET retired_at = ? WHERE id = ?", [(_now(), story_id) for story_id in index.retired]
    )
    _save_frequencies(store, index)
    state = index.to_dict(with_stories=False, with_frequencies=False)
    connection.execute("INSERT OR REPLACE INTO story_model (name, value) VALUES ('index', ?)", (_pack(state),))


def _save_frequencies(store: Store, index: StoryIndex) -> None:
    """Write the document frequencies that changed (all of them when the index cannot tell)."""
    if index.df_changed is None:
        store.connection.execute("DELETE FROM story_df")
        changed: Iterable[str] = index.df
    else:
        changed = index.df_changed
    store.connection.executemany(
        "INSERT OR REPLACE INTO story_df (dimension, reports) VALUES (?, ?)", [(d, index.df[d]) for d in changed]
    )
    index.df_changed = set()


def _save_story(store: Store, index: StoryIndex, story_id: int) -> None:
    story = index.stories[story_id]
    profile = story.profile
    store.connection.execute(
        "INSERT OR REPLACE INTO stories "
        "(id, title, central_article_id, first_date, last_date, size, state, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            story_id,
            story.central_title,
            story.central_id,
            profile.first_date,
            profile.last_date,
            profile.size,
            _pack(story_to_dict(story)),
            _now(),
        ),
    )


def story_of_articles(store: Store, article_ids: Sequence[int]) -> dict[int, int]:
    """The story of each article already clustered."""
    sql = "SELECT article_id, story_id FROM story_articles WHERE article_id IN ({ids})"
    return {int(r[0]): int(r[1]) for r in rows_in(store.connection, sql, article_ids)}


# -- reads --------------------------------------------------------------------------------------


def resolve_story_id(store: Store, story_id: int) -> int:
    row = store.connection.execute("SELECT story_id FROM story_aliases WHERE alias_id = ?", (story_id,)).fetchone()
    return int(row[0]) if row else story_id


def story(store: Store, story_id: int) -> Story:
    """One story by its id or by the id of a story merged into it."""
    resolved = resolve_story_id(store, story_id)
    row = store.connection.execute("SELECT id, title FROM stories WHERE id = ?", (resolved,)).fetchone()
    if row is None:
        raise NotFound(f"no story with id {story_id}; `storyline stories` lists them")
    return _story(store, int(row["id"]), row["title"])


def iter_stories(store: Store) -> Iterator[Story]:
    """All stories, largest first."""
    rows = store.connection.execute("SELECT id, title FROM stories ORDER BY size DESC, id").fetchall()
    for row in rows:
        yield _story(store, int(row["id"]), row["title"])


def _story(store: Store, story_id: int, title: str | None) -> Story:
    connection = store.connection
    articles = connection.execute(
        "SELECT a.id, a.claimed_date FROM story_articles s JOIN articles a ON a.id = s.article_id "
        "WHERE s.story_id = ? ORDER BY a.claimed_date IS NULL, a.claimed_date, a.id",
        (story_id,),
    ).fetchall()
    dates = [r["claimed_date"][:10] for r in articles if r["claimed_date"]]
    entities = connection.execute(KEY_ENTITIES_SQL, (story_id, KEY_ENTITIES_PER_KIND)).fetchall()
    aliases = connection.execute("SELECT alias_id FROM story_aliases WHERE story_id = ? ORDER BY alias_id", (story_id,))
    return Story(
        story_id=story_id,
        title=title,
        first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None,
        articles=tuple(int(r["id"]) for r in articles),
        entities=tuple(StoryEntity(r["name"], r["type"], int(r["mentions"]), int(r["articles"])) for r in entities),
        aliases=tuple(int(r[0]) for r in aliases),
    )


def iter_entities(store: Store, entity_type: str | None = None) -> Iterator[dict[str, Any]]:
    """Entities with their mention counts and the stories they appear in, most mentioned first."""
    rows = store.connection.execute(
        "SELECT e.id, e.name, e.type, count(*) AS mentions, count(DISTINCT m.article_id) AS articles, "
        "group_concat(DISTINCT s.story_id) AS stories FROM entities e JOIN mentions m ON m.entity_id = e.id "
        "LEFT JOIN story_articles s ON s.article_id = m.article_id WHERE (? IS NULL OR e.type = ?) "
        "GROUP BY e.id ORDER BY mentions DESC, e.name",
        (entity_type, entity_type),
    )
    for row in rows:
        stories = sorted(int(s) for s in row["stories"].split(",")) if row["stories"] else []
        yield {
            "name": row["name"],
            "type": row["type"],
            "mentions": int(row["mentions"]),
            "articles": int(row["articles"]),
            "stories": stories,
        }
