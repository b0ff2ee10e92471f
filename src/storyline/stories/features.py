"""What clustering compares: a ``Report`` (one distinct article) reduced to terms, entities,
numbers, a date and an embedding, and a ``Profile``, the running sum of such reports.

A report is a profile of size one, so the same similarity functions compare a report with a story
and a story with a story (for merges).
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

_STAMPS = itertools.count(1)  # profile version stamps, unique in the process
_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]{2,}")
# Years and numbers carry what text similarity misses: two earthquakes differ in magnitude and
# year, two shootings in the death toll. Digits groupings ("1,200") and decimals are kept whole.
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w]|[.,]\d)")
# Ranks in words, tenth to twentieth (beyond, news writes digits); "21st" and the like come as digits.
_ORDINAL_WORDS = {
    word: rank
    for rank, word in enumerate(
        "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
        " twentieth".split(),
        start=10,
    )
}
_ORDINAL = re.compile(r"(?<![\w.,])(?:(\d+)(?:st|nd|rd|th)|(" + "|".join(_ORDINAL_WORDS) + r"))\b", re.IGNORECASE)
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves said says say told
    one two three new year years last first time people would like get got made make many may much must us per
    since still even well back around according including including another way week day days news""".split()
)


def normalise_text(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def term_counts(text: str) -> dict[str, float]:
    """Sublinear term frequencies (1 + log tf) of the content words of a text."""
    counts = Counter(word for word in _WORD.findall(normalise_text(text)) if word not in STOP_WORDS)
    return {word: 1.0 + math.log(n) for word, n in counts.items()}


def number_tokens(text: str) -> frozenset[str]:
    """Years, quantities and ranks mentioned in a text, as normalised strings ("2008", "6.1",
    "1200", "11th").

    Ranks from the tenth on, in digits or words ("11th", "eleventh"), name which of a series an
    event is: the eleventh Doctor cast is not the twelfth. Lower ranks ("first", "2nd") are
    everywhere, like one-digit counts."""
    found: set[str] = set()
    # Digits are compared as strings, never converted: a page may hold a run of thousands of
    # digits, which int() refuses.
    for raw in _NUMBER.findall(text):
        value = raw.replace(",", "")
        if value.isdigit() and len(value.lstrip("0")) <= 1:
            continue  # one-digit counts ("two", "3 people") are everywhere and say little
        found.add(value.lstrip("0") or "0")
    for digits, word in _ORDINAL.findall(text):
        rank = digits.lstrip("0") if digits else str(_ORDINAL_WORDS[word.lower()])
        if len(rank) >= 2:  # from the tenth on
            found.add(f"{rank}th")
    return frozenset(found)


def is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1900 <= int(token) <= 2099


@dataclass(frozen=True, slots=True, eq=False)
class Report:
    """One distinct report (a copy group counts once), reduced to what clustering compares."""

    article_id: int
    title: str | None
    date: str | None  # best known date, ISO; None when unknown (time is then neutral)
    terms: Mapping[str, float]
    entities: Mapping[str, str]  # entity key -> type
    numbers: frozenset[str]
    embedding: NDArray[np.float32] | None = None
    # What the report is mainly about: its most mentioned entities ("e:key") and the numbers of its
    # title and lead ("n:4.6"). Two events of one kind differ most in these (who, where, how much).
    leads: frozenset[str] = frozenset()


@dataclass(slots=True, eq=False)
class Profile:
    """Sums over the reports of a story (or one report): what similarities are computed on."""

    size: int = 0
    terms: dict[str, float] = field(default_factory=dict)
    entities: Counter[str] = field(default_factory=Counter)
    entity_types: dict[str, str] = field(default_factory=dict)
    numbers: Counter[str] = field(default_factory=Counter)
    leads: Counter[str] = field(default_factory=Counter)
    embedding: NDArray[np.float32] | None = None
    first_date: str | None = None
    last_date: str | None = None
    # A stamp drawn afresh at every change, never given to two different contents: the index
    # keys the idf-weighted vectors and the pair probabilities of profiles by it. A copy keeps it.
    version: int = field(default=0, compare=False)
    weighted: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.version = next(_STAMPS)

    @classmethod
    def of(cls, report: Report) -> Profile:
        profile = cls()
        profile.add(report, max_terms=0)
        return profile

    def copy(self) -> Profile:
        """An independent copy, with the same stamp (and weighted vectors) until it changes."""
        copied = Profile(
            size=self.size,
            terms=dict(self.terms),
            entities=Counter(self.entities),
            entity_types=dict(self.entity_types),
            numbers=Counter(self.numbers),
            leads=Counter(self.leads),
            embedding=None if self.embedding is None else self.embedding.copy(),
            first_date=self.first_date,
            last_date=self.last_date,
        )
        copied.version, copied.weighted = self.version, self.weighted
        return copied

    def add(self, report: Report, max_terms: int) -> None:
        self.version = next(_STAMPS)
        self.size += 1
        for term, weight in report.terms.items():
            self.terms[term] = self.terms.get(term, 0.0) + weight
        self.entities.update(report.entities.keys())
        self.entity_types.update(report.entities)
        self.numbers.update(report.numbers)
        self.leads.update(report.leads)
        if report.embedding is not None:
            self.embedding = report.embedding.copy() if self.embedding is None else self.embedding + report.embedding
        self._add_dates(report.date, report.date)
        if max_terms and len(self.terms) > 2 * max_terms:
            self.prune(max_terms)

    def absorb(self, other: Profile, max_terms: int) -> None:
        self.version = next(_STAMPS)
        self.size += other.size
        for term, weight in other.terms.items():
            self.terms[term] = self.terms.get(term, 0.0) + weight
        self.entities.update(other.entities)
        self.entity_types.update(other.entity_types)
        self.numbers.update(other.numbers)
        self.leads.update(other.leads)
        if other.embedding is not None:
            self.embedding = other.embedding.copy() if self.embedding is None else self.embedding + other.embedding
        self._add_dates(other.first_date, other.last_date)
        self.prune(max_terms)

    def prune(self, max_terms: int) -> None:
        """Keep the heaviest terms, entities and numbers only: a story's memory stays bounded."""
        self.version = next(_STAMPS)
        if len(self.terms) > max_terms:
            kept = sorted(self.terms.items(), key=lambda item: -item[1])[:max_terms]
            self.terms = dict(kept)
        for counter in (self.entities, self.numbers, self.leads):
            if len(counter) > max_terms:
                kept_counts = counter.most_common(max_terms)
                counter.clear()
                counter.update(dict(kept_counts))
        self.entity_types = {key: self.entity_types[key] for key in self.entities if key in self.entity_types}

    def _add_dates(self, first: str | None, last: str | None) -> None:
        if first and (self.first_date is None or first < self.first_date):
            self.first_date = first
        if last and (self.last_date is None or last > self.last_date):
            self.last_date = last


def weighted_cosine(a: Mapping[str, float], b: Mapping[str, float], idf: Mapping[str, float], default: float) -> float:
    """Cosine of two sparse vectors after weighting each dimension by its idf."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    dot = sum(w * large[k] * idf.get(k, default) ** 2 for k, w in small.items() if k in large)
    if dot == 0.0:
        return 0.0
    norm_a = math.sqrt(sum((w * idf.get(k, default)) ** 2 for k, w in a.items()))
    norm_b = math.sqrt(sum((w * idf.get(k, default)) ** 2 for k, w in b.items()))
    return dot / (norm_a * norm_b)


@dataclass(frozen=True, slots=True)
class Vector:
    """A sparse vector already weighted by idf, with its norm: cosines then cost one pass over
    the smaller side."""

    values: dict[str, float]
    norm: float

    @classmethod
    def of(cls, weights: Mapping[str, float], idf: Mapping[str, float], default: float) -> Vector:
        values = {k: w * idf.get(k, default) for k, w in weights.items()}
        return cls(values, math.sqrt(sum(v * v for v in values.values())))

    def cosine(self, other: Vector) -> float:
        if not self.norm or not other.norm:
            return 0.0
        small, large = (
            (self.values, other.values) if len(self.values) <= len(other.values) else (other.values, self.values)
        )
        dot = sum(v * large[k] for k, v in small.items() if k in large)
        return dot / (self.norm * other.norm) if dot else 0.0


def years(counter: Iterable[str]) -> set[str]:
    return {token for token in counter if is_year(token)}
