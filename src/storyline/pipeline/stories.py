"""The stories job: entities of new articles, then their distinct reports into stories.

Runs after articles (and copies) are committed. Copies count once: an article whose copy group
already has a story joins it without being a new report, and a group new in this run is one report
(its origin). spaCy and MiniLM load once per run, lazily, only when there are new articles. Work is
committed in chunks together with the clustering state, so a killed run resumes where it stopped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from storyline.config import Settings
from storyline.enrich import EntityOptions, extract_entities, load_pipeline
from storyline.store import Store
from storyline.store.sql import rows_in
from storyline.store.stories import (
    article_entity_types,
    known_surnames,
    load_articles,
    load_index,
    redated_dates,
    save_embeddings,
    save_entities,
    save_index,
)
from storyline.stories import StoryIndex, StoryOptions, make_report
from storyline.stories.embeddings import MiniLM

CHUNK = 200
EMBEDDING_MODEL = "all-MiniLM-L6-v2"


@dataclass(slots=True)
class StoriesSummary:
    articles: int = 0
    reports: int = 0
    new_stories: int = 0
    merged: int = 0
    moved: int = 0  # open reports placed again in another story (the settling window)
    retired: int = 0  # stories that left the clustering index (untouched for long)

    def as_dict(self) -> dict[str, int]:
        return {
            "articles": self.articles,
            "reports": self.reports,
            "new_stories": self.new_stories,
            "merged": self.merged,
            "moved": self.moved,
            "retired": self.retired,
        }


@dataclass(slots=True)
class StoryModels:
    """The spaCy pipeline and the embedding model, loaded on first use and then kept for the run."""

    options: StoryOptions
    _nlp: Any = field(default=None)
    _embedder: MiniLM | None = field(default=None)

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            self._nlp = load_pipeline(self.options.pipeline)
        return self._nlp

    @property
    def embedder(self) -> MiniLM:
        if self._embedder is None:
            self._embedder = MiniLM()
        return self._embedder


def story_options(settings: Settings | StoryOptions | None) -> StoryOptions:
    """The stage's options: the fitted clustering model, with the user's ``[stories]`` settings."""
    if isinstance(settings, StoryOptions):
        return settings
    if settings is None:
        return StoryOptions()
    chosen = settings.stories
    return replace(
        StoryOptions(),
        pipeline=chosen.spacy_pipeline,
        use_embeddings=chosen.story_embeddings,
        settle_after=chosen.settle_after,
        retire_after=chosen.retire_after or None,
    )


def update_stories(
    store: Store, settings: Settings | StoryOptions | None = None, models: StoryModels | None = None
) -> StoriesSummary:
    """Extract entities of every article not in a story yet (this run's, and any a killed run left
    out), and cluster them."""
    options = story_options(settings)
    summary = StoriesSummary()
    pending = _unclustered(store)
    if not pending:
        return summary
    models = models or StoryModels(options)
    index = load_index(store, options)
    for start in range(0, len(pending), CHUNK):
        with store.connection:
            _cluster_chunk(store, index, models, pending[start : start + CHUNK], summary)
    return summary


def _unclustered(store: Store) -> list[int]:
    rows = store.connection.execute(
        "SELECT a.id FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id WHERE s.article_id IS NULL "
        "ORDER BY a.id"
    )
    return [int(row[0]) for row in rows]


def _cluster_chunk(
    store: Store, index: StoryIndex, models: StoryModels, chunk: list[int], summary: StoriesSummary
) -> None:
    articles = load_articles(store, chunk)
    found = extract_entities(
        [articles[i] for i in chunk], models.nlp, EntityOptions(pipeline=models.options.pipeline), known_surnames(store)
    )
    save_entities(store, list(zip(chunk, found, strict=True)))
    reports, copies, joined = distinct_reports(store, chunk)
    vectors = {}
    if models.options.use_embeddings and reports:
        texts = [f"{articles[i].title or ''}\n{articles[i].body}" for i in reports]
        vectors = dict(zip(reports, models.embedder.encode(texts), strict=True))
        save_embeddings(store, EMBEDDING_MODEL, vectors)
    types = article_entity_types(store, reports)
    own = dict(zip(chunk, found, strict=True))
    # Time is judged on credible dates: a re-dated copy's claimed date is replaced by its group's.
    for i, credible in redated_dates(store, reports).items():
        articles[i] = replace(articles[i], claimed_date=credible)
    batch = [
        make_report(
            i,
            articles[i],
            types[i],
            vectors.get(i),
            mentions=[(m.entity_key, m.label, m.start) for m in own[i].mentions],
        )
        for i in reports
    ]
    before = index.next_id
    assignments = index.add_batch(batch)
    save_index(store, index, assignments, copies)
    store.connection.executemany(
        "INSERT OR REPLACE INTO story_articles (article_id, story_id, probability, report_article_id) "
        "SELECT ?, story_id, probability, report_article_id FROM story_articles WHERE article_id = ?",
        [(article_id, report) for article_id, report in joined.items()],
    )
    summary.articles += len(chunk)
    summary.reports += len(reports)
    summary.new_stories += index.next_id - before
    summary.merged += sum(len(a.merged) for a in assignments)
    fresh = set(reports)
    summary.moved += sum(1 for a in assignments if a.article_id not in fresh)
    summary.retired += len(index.retired)


def distinct_reports(store: Store, article_ids: Sequence[int]) -> tuple[list[int], dict[int, int], dict[int, int]]:
    """The one seam between copies and stories: which new articles are reports of their own.

    Returns (reports, copies, joined): ``copies`` maps an article to the report of its copy group in
    this batch; ``joined`` maps an article to an already clustered member of its copy group. Without
    copy groups (copies not run yet, or no such tables), every article is its own report.
    """
    has_copies = store.connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'copy_members'"
    ).fetchone()
    group_of: dict[int, int] = {}
    if has_copies:
        sql = "SELECT article_id, group_id FROM copy_members WHERE article_id IN ({ids})"
        group_of = {int(r[0]): int(r[1]) for r in rows_in(store.connection, sql, article_ids)}
    members: dict[int, list[int]] = defaultdict(list)
    for article_id in article_ids:
        members[group_of.get(article_id, -article_id)].append(article_id)
    reports: list[int] = []
    copies: dict[int, int] = {}
    joined: dict[int, int] = {}
    for group, ids in members.items():
        clustered = _clustered_member(store, group) if group > 0 else None
        if clustered is not None:
            joined.update({i: clustered for i in ids})
            continue
        report, *others = sorted(ids)
        reports.append(report)
        copies.update({i: report for i in others})
    return sorted(reports), copies, joined


def _clustered_member(store: Store, group_id: int) -> int | None:
    """A member of the copy group that is already in a story (the join with story_articles says so)."""
    row = store.connection.execute(
        "SELECT s.article_id FROM copy_members m JOIN story_articles s ON s.article_id = m.article_id "
        "WHERE m.group_id = ? LIMIT 1",
        (group_id,),
    ).fetchone()
    return int(row[0]) if row else None
