"""How profiles are compared: idf from the live document frequencies, idf-weighted vectors kept
per profile, and the similarity features the join model weighs (``options.FEATURES``)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from storyline.stories.features import Profile, Report, Vector, years

PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})


def weigh(profile: Profile, idf: Idf, terms_idf: Idf, default: float) -> Weighted:
    """A profile's vectors weighted by idf, with the years it mentions."""
    return Weighted(
        terms=Vector.of(profile.terms, terms_idf, default),
        entities=Vector.of(prefixed(profile.entities), idf, default),
        people=Vector.of(typed(profile, {"PERSON"}), idf, default),
        places=Vector.of(typed(profile, PLACE_TYPES), idf, default),
        numbers=Vector.of(prefixed(profile.numbers, "n:"), idf, default),
        leads=Vector.of(prefixed(profile.leads, ""), idf, default),
        years=frozenset(years(profile.numbers)),
        frequent_years=frozenset(years(frequent(profile.numbers, profile.size))),
        common_years=frozenset(years(frequent(profile.numbers, profile.size, 0.5))),
    )


def pair_features(query: Profile, story: Profile, q: Weighted, s: Weighted, text: float | None = None) -> list[float]:
    """The features of ``FEATURES`` between a query profile and a story profile (``q``, ``s``: theirs weighted).

    ``text`` stands in for the text cosine, the costliest feature, when given (to bound the rest)."""
    people = q.people.cosine(s.people)
    return [
        q.terms.cosine(s.terms) if text is None else text,
        embedding_cosine(query, story),
        q.entities.cosine(s.entities),
        people,
        q.places.cosine(s.places),
        q.numbers.cosine(s.numbers),
        float(bool(q.years) and bool(s.frequent_years) and not (q.years & s.frequent_years)),
        float(bool(q.people.values) and bool(s.people.values) and people == 0.0),
        q.leads.cosine(s.leads),
        missing_leads(query, story),
        float(not q.years and bool(s.common_years)),
    ]


@dataclass(slots=True)
class Weighted:
    terms: Vector
    entities: Vector
    people: Vector
    places: Vector
    numbers: Vector
    leads: Vector
    years: frozenset[str]  # every year the profile mentions (a query's)
    frequent_years: frozenset[str]  # years in at least a fifth of its reports (a story's own)
    common_years: frozenset[str]  # years in at least half of its reports
    keys: list[str] | None = None  # its candidate-index query keys, filled on first use


class Idf(dict[str, float]):
    """Smoothed idf, computed on demand from the live document frequencies with the report count
    ``n`` the index last refreshed idf at.

    Values are memoised in ``memo``, which the index empties at each refresh (``IDF_REFRESH``): a
    value, once read, holds until then, and the log is not taken again for every pair compared."""

    def __init__(self, df: Counter[str], n: int, prefix: str = "", memo: dict[str, float] | None = None) -> None:
        super().__init__()
        self.df, self.n, self.prefix = df, n, prefix
        self.memo: dict[str, float] = {} if memo is None else memo

    def get(self, key: str, default: float | None = None) -> float:  # type: ignore[override]
        full = self.prefix + key
        value = self.memo.get(full)
        if value is None:
            value = self.memo[full] = math.log((1.0 + self.n) / (1.0 + self.df.get(full, 0))) + 1.0
        return value


def dimensions(report: Report) -> Iterable[str]:
    yield from (f"t:{t}" for t in report.terms)
    yield from (f"e:{e}" for e in report.entities)
    yield from (f"n:{n}" for n in report.numbers)


def prefixed(counter: Counter[str] | dict[str, int], prefix: str = "e:") -> dict[str, float]:
    return {f"{prefix}{k}": float(v) for k, v in counter.items()}


def typed(profile: Profile, types: set[str] | frozenset[str]) -> dict[str, float]:
    return {f"e:{k}": float(v) for k, v in profile.entities.items() if profile.entity_types.get(k) in types}


def frequent(counter: Counter[str], size: int, share: float = 0.2) -> Counter[str]:
    """Numbers a story mentions often enough to be its own, not a stray background figure."""
    floor = max(1, math.ceil(share * size))
    return Counter({k: v for k, v in counter.items() if v >= floor})


def missing_leads(query: Profile, story: Profile) -> float:
    """Share of the query's lead entities that the story never mentions."""
    leads = [key[2:] for key in query.leads if key.startswith("e:")]
    if not leads or not story.entities:
        return 0.0
    return sum(1 for key in leads if key not in story.entities) / len(leads)


def embedding_cosine(a: Profile, b: Profile) -> float:
    if a.embedding is None or b.embedding is None:
        return 0.0
    denominator = float(np.linalg.norm(a.embedding) * np.linalg.norm(b.embedding))
    return float(a.embedding @ b.embedding) / denominator if denominator else 0.0


def heaviest(weights: dict[str, float], idf: Idf, limit: int) -> list[str]:
    return sorted(weights, key=lambda k: -weights[k] * idf.get(k))[:limit]
