"""The ``Story`` record, and how an article becomes a ``Report`` for clustering."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from storyline.records import Article
from storyline.stories.features import Report, number_tokens, term_counts

# Entity types that describe who and where a story is about.
STORY_ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")


@dataclass(frozen=True, slots=True)
class StoryEntity:
    name: str
    type: str
    mentions: int
    articles: int


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about one developing real-world event, with its span and its key entities."""

    story_id: int
    title: str | None
    first_date: str | None
    last_date: str | None
    articles: tuple[int, ...]  # article ids in time order (undated last, then by id)
    entities: tuple[StoryEntity, ...]  # key entities, most widespread first
    aliases: tuple[int, ...] = ()  # ids of stories merged into this one

    @property
    def size(self) -> int:
        return len(self.articles)


LEAD_ENTITIES = 3
LEAD_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT"})


def lead_entities(mentions: Sequence[tuple[str, str, int]], lead_chars: int) -> frozenset[str]:
    """The entities a report is mainly about: most mentioned, a mention in the lead counting twice.

    ``mentions`` are (entity key, type, start offset in the body)."""
    weight: Counter[str] = Counter()
    for key, kind, start in mentions:
        if kind in LEAD_TYPES:
            weight[key] += 2 if start < lead_chars else 1
    return frozenset(f"e:{key}" for key, _ in weight.most_common(LEAD_ENTITIES))


def make_report(
    article_id: int,
    article: Article,
    entities: dict[str, str],
    embedding: NDArray[np.float32] | None = None,
    date: str | None = None,
    mentions: Sequence[tuple[str, str, int]] = (),
) -> Report:
    """Reduce an article to what clustering compares. ``date`` is the best known date (the claimed
    date unless a later stage knows the event date); the title counts twice, as editors put the
    gist of the story there."""
    title = article.title or ""
    lead = article.paragraphs[0] if article.paragraphs else ""
    text = f"{title}\n{title}\n{article.body}"
    return Report(
        article_id=article_id,
        title=article.title,
        date=(date or article.claimed_date or None),
        terms=term_counts(text),
        entities=entities,
        numbers=number_tokens(f"{title}\n{article.body}"),
        embedding=embedding,
        leads=lead_entities(mentions, len(lead)) | {f"n:{n}" for n in number_tokens(f"{title}\n{lead}")},
    )
