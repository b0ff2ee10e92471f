"""Incremental story clustering with stable ids.

Reports arrive in batches. For each report, candidate stories are retrieved through an inverted
index over the stories' heaviest terms and their entities (never all pairs), filtered by a time
window when both dates are known, and scored by a small logistic model over similarity features
(text, embedding, entities, people, places, numbers, conflicting years). Reports and stories are
joined best pair first while the probability clears ``threshold``; an average-link pass then merges
fragments of one story, and a late join gives young small stories a second chance.

The last ``settle_after`` reports stay open: every batch clusters them again, in a canonical order,
against the settled part of each story, so inside that window the result does not depend on the
order reports arrived in, and a report that came before the rest of its story can still move.
Older reports are settled for good.

Stories no report has touched for a long while, with no open report near them in time, retire:
they leave the index, which so stays bounded however long the stream runs (see ``StoryOptions``).

Ids are stable: a story id is never reused. A merge keeps the older id and records the other as
its alias; a story whose open reports all moved elsewhere becomes an alias of the story that took
most of them.

``StoryIndex`` is the whole clustering state; ``to_dict``/``from_dict`` persist and restore it.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from storyline.stories.batch import BatchClusterer
from storyline.stories.features import Profile, Report, weighted_cosine
from storyline.stories.options import DEFAULT_OPTIONS, FEATURES, StoryOptions
from storyline.stories.weighting import (
    Idf,
    Weighted,
    dimensions,
    heaviest,
    pair_features,
    prefixed,
    weigh,
)

IDF_REFRESH = 0.05  # idf is recomputed once the number of reports has grown by this share
# ... and at every batch while the index is small. An idf memoised in one batch and read in the
# next mixes two sets of frequencies, which depend on the order reports arrived in: on the ECB+ test
# split (210 reports, batches of 100) the last batch grew the count by under IDF_REFRESH, kept the
# idf of the first 200 reports, and five arrival orders gave B3 F1 from 0.930 to 0.954.
IDF_ALWAYS_BELOW = 5_000
PROVISIONAL = 2**48  # ids from here on name stories only while the settling window is re-clustered


@dataclass(frozen=True, slots=True)
class Assignment:
    article_id: int
    story_id: int
    probability: float  # of the story joined; 1.0 for a new story
    merged: tuple[int, ...] = ()  # story ids merged into ``story_id`` by this report


@dataclass(slots=True, eq=False)
class StoryState:
    story_id: int
    profile: Profile
    members: list[int] = field(default_factory=list)
    central_id: int = 0
    central_title: str | None = None
    central_score: float = -1.0
    samples: list[Profile] = field(default_factory=list)  # first members, for average-link merges
    born: int = 0  # the batch that opened the story (``StoryIndex.batches`` then)
    first_member: int = 2**62  # lowest article id among members: breaks ties without the arrival order
    posted: list[str] = field(default_factory=list)  # the candidate-index keys it is listed under
    settled: Settled | None = None  # the story's settled reports only (None: none settled yet)
    touched: int = 0  # the report count when the story last changed: retirement goes by it


@dataclass(slots=True, eq=False)
class Settled:
    """The part of a story no later batch can move: what the story is reset to before re-clustering."""

    profile: Profile = field(default_factory=Profile)
    members: list[int] = field(default_factory=list)
    samples: list[Profile] = field(default_factory=list)
    central: tuple[int, str | None, float] = (0, None, -1.0)
    base: Profile | None = None  # the profile a story is reset to, kept while ``profile`` is unchanged
    base_of: int = -1  # the version of ``profile`` that ``base`` was made from

    def reset_profile(self, max_terms: int) -> Profile:
        """A fresh copy of the settled profile (pruned as a story's is). While the settled part
        is unchanged, every copy carries one version stamp, so what was computed on the story's
        profile in one batch still holds in the next."""
        if self.base is None or self.base_of != self.profile.version:
            self.base = Profile()
            self.base.absorb(self.profile, max_terms)
            self.base_of = self.profile.version
        return self.base.copy()


class StoryIndex:
    """The clustering state: stories, aliases, document frequencies and the candidate index."""

    def __init__(self, options: StoryOptions = DEFAULT_OPTIONS) -> None:
        self.options = options
        self.stories: dict[int, StoryState] = {}
        self.aliases: dict[int, int] = {}
        self.df: Counter[str] = Counter()
        # The dimensions whose frequency changed since the store last saved them; None: all of them
        # (after the rarest were forgotten, or on a state that kept no such record).
        self.df_changed: set[str] | None = set()
        self.n_reports = 0
        self.batches = 0
        self.next_id = 1
        self.window: list[Report] = []  # open reports, oldest first (with ``settle_after``)
        self.placed: dict[int, int] = {}  # story of each open report after the last batch
        self.changed: set[int] = set()  # stories whose members changed in the last batch
        self.retired: list[int] = []  # stories that left the index after the last batch
        self._provisional: int | None = None  # next provisional id while re-clustering, else None
        self._report_profiles: dict[int, Profile] = {}  # of the open reports (never changed once made)
        self.postings: dict[str, dict[int, None]] = {}
        self._memo: dict[str, float] = {}
        self._memo_n = 0
        # Probabilities already computed, by the version stamps of the two sides (profiles for a
        # pair, sampled members for a link), this batch's and the last one's: re-clustering the
        # window asks for most of them again.
        self._pairs: Generations = Generations()
        self._links: Generations = Generations()

    # -- public ---------------------------------------------------------------------------------

    def add_batch(self, reports: Sequence[Report]) -> list[Assignment]:
        """Cluster a batch of new reports (and, with ``settle_after``, the open window again).

        Frequencies are updated with the whole batch first. Returns an assignment for each new
        report and for each open report that moved; ``changed`` names every story touched.
        """
        self.retired = []
        if not reports:
            self.changed = set()
            return []  # nothing new: the window stays as the last batch left it
        self.batches += 1
        self._pairs.rotate()
        self._links.rotate()
        for report in reports:
            self.n_reports += 1
            dims = list(dimensions(report))
            self.df.update(dims)
            if self.df_changed is not None:
                self.df_changed.update(dims)
        if self.options.settle_after is None:
            result = self._cluster(reports)
            self.changed = {a.story_id for a in result} | {m for a in result for m in a.merged}
        else:
            result = self._recluster(list(reports))
        self.retired = self._retire()
        return result

    def _cluster(self, reports: Sequence[Report]) -> list[Assignment]:
        """Average-link style, best pair first, over the candidate pairs of the reports.

        Pairs are (report, story) from the index and (report, report) among the reports; the most
        probable pair is merged first, and a pair whose sides changed since it was scored is scored
        again. So the order of the reports does not matter, and a report can pull in another one
        before either meets a story.
        """
        batch = BatchClusterer(self, reports)
        batch.run()
        result = batch.assignments()
        merged: tuple[int, ...] = ()
        touched = {self.resolve(a.story_id) for a in result}
        if self.options.link_threshold is not None and result:
            merged = self.link_pass(touched)
            touched = {self.resolve(s) for s in touched}
        if self.options.late_join_threshold is not None and result:
            merged += self.late_join(touched)
        if merged:
            result = [Assignment(a.article_id, self.resolve(a.story_id), a.probability, a.merged) for a in result]
            first = result[0]
            result[0] = Assignment(first.article_id, first.story_id, first.probability, first.merged + merged)
        return result

    def _recluster(self, reports: list[Report]) -> list[Assignment]:
        assert self.options.settle_after is not None
        previous = dict(self.placed)
        for story in list(self.stories.values()):
            if story.settled is None and any(m not in previous for m in story.members):
                story.settled = self._as_settled(story)  # made in one pass, or by an older version
            if story.settled is None:
                self._drop(story)  # only open reports: re-made from them below
            elif story.profile.size != story.settled.profile.size:
                self._reset(story)
        window = [*self.window, *reports]
        # Stories made of open reports only get provisional ids (above every real one, so a merge
        # with a real story keeps the real id); they are named once the window is clustered.
        self._provisional = PROVISIONAL
        try:
            result = self._cluster(sorted(window, key=lambda r: r.article_id))
        finally:
            self._provisional = None
        merged = [m for a in result for m in a.merged if m < PROVISIONAL]
        self.aliases = {k: v for k, v in self.aliases.items() if k < PROVISIONAL}
        named = self._name_provisional(previous)
        now = {a.article_id: self.resolve(named.get(a.story_id, a.story_id)) for a in result}
        merged += self._alias_emptied(previous, now)
        self._settle_oldest(window, now)
        new = {r.article_id for r in reports}
        moved = [
            Assignment(a.article_id, now[a.article_id], a.probability)
            for a in result
            if a.article_id in new or previous.get(a.article_id) != now[a.article_id]
        ]
        self.changed = {now[a.article_id] for a in moved} | set(merged)
        self.changed |= {previous[a.article_id] for a in moved if a.article_id in previous}
        if moved and merged:
            first = moved[0]
            moved[0] = Assignment(first.article_id, first.story_id, first.probability, tuple(merged))
        return moved

    def _retire(self) -> list[int]:
        """Take the stories that can no longer expect reports out of the index; their ids, sorted.

        A story retires once ``retire_after`` reports have come since it last changed, if no open
        report is dated within the time window of its span (an undated story goes by the count
        alone). Past ``max_live_stories``, the least recently touched go too, whatever their
        dates. Stories holding open reports never retire."""
        after, cap = self.options.retire_after, self.options.max_live_stories
        if after is None and cap is None:
            return []
        holding = set(self.placed.values())
        candidates = [s for s in self.stories.values() if s.story_id not in holding]
        days = sorted(day for r in self.window if r.date and (day := _day(r.date)) is not None)
        gone: list[StoryState] = []
        if after is not None:
            gone = [s for s in candidates if self.n_reports - s.touched >= after and not self._near(s.profile, days)]
        if cap is not None and len(self.stories) - len(gone) > cap:
            leaving = {s.story_id for s in gone}
            rest = sorted((s for s in candidates if s.story_id not in leaving), key=lambda s: (s.touched, s.story_id))
            gone += rest[: len(self.stories) - len(gone) - cap]
        if not gone:
            return []
        for story in gone:
            self._drop(story)
        # An alias only matters while the story it leads to can still be met in the index.
        self.aliases = {k: v for k, v in self.aliases.items() if self.resolve(v) in self.stories}
        return sorted(s.story_id for s in gone)

    def _near(self, profile: Profile, days: list[date]) -> bool:
        """Whether one of ``days`` (sorted) lies within the time window of the profile's span."""
        first, last = _day(profile.first_date or ""), _day(profile.last_date or "")
        if first is None or last is None:
            return False
        reach = timedelta(days=self.options.time_window_days)
        at = bisect.bisect_left(days, first - reach)
        return at < len(days) and days[at] <= last + reach

    def _alias_emptied(self, previous: dict[int, int], now: dict[int, int]) -> list[int]:
        """Stories whose open reports all went elsewhere: each becomes an alias of the story that
        took most of them, so the id still leads somewhere."""
        emptied = []
        for gone in sorted(set(previous.values())):
            if gone in self.stories or gone in self.aliases:
                continue
            heirs = Counter(now[article] for article, story in previous.items() if story == gone)
            self.aliases[gone] = min(heirs, key=lambda s: (-heirs[s], s))
            emptied.append(gone)
        return emptied

    def _settle_oldest(self, window: list[Report], now: dict[int, int]) -> None:
        """Settle the reports beyond ``settle_after`` (the oldest) into their stories for good."""
        assert self.options.settle_after is not None
        settle = max(0, len(window) - self.options.settle_after)
        for report in window[:settle]:
            self._settle(self.stories[now[report.article_id]], report)
            self._report_profiles.pop(report.article_id, None)
        self.window = window[settle:]
        self.placed = {r.article_id: now[r.article_id] for r in self.window}

    def _name_provisional(self, previous: dict[int, int]) -> dict[int, int]:
        """Give each provisional story the id most of its reports had, if free, else the next id.

        Stories are named in the order of their earliest article, so the names do not depend on
        the order the clustering happened to make them in."""
        named: dict[int, int] = {}
        provisional = sorted(
            (s for s in self.stories.values() if s.story_id >= PROVISIONAL), key=lambda s: s.first_member
        )
        for story in provisional:
            votes = Counter(previous[m] for m in story.members if m in previous)
            free = [s for s in votes if s not in self.stories and s not in self.aliases]
            if free:
                name = min(free, key=lambda s: (-votes[s], s))
            else:
                name, self.next_id = self.next_id, self.next_id + 1
            self._drop(story)
            named[story.story_id] = name
            story.story_id = name
            self.stories[name] = story
            self.reindex(story)
        return named

    def _reset(self, story: StoryState) -> None:
        settled = story.settled
        assert settled is not None
        story.profile = settled.reset_profile(self.options.max_story_terms)
        story.members = list(settled.members)
        story.first_member = min(story.members)
        story.samples = list(settled.samples)
        story.central_id, story.central_title, story.central_score = settled.central

    def report_profile(self, report: Report) -> Profile:
        """The profile of one report; kept while the report is open, so its weighted vectors are
        not computed again each time the window is clustered."""
        profile = self._report_profiles.get(report.article_id)
        if profile is None:
            profile = Profile.of(report)
            if self.options.settle_after:
                self._report_profiles[report.article_id] = profile
        return profile

    def _as_settled(self, story: StoryState) -> Settled:
        """A story whose reports are all settled (clustered before any window was kept), as is."""
        profile = Profile()
        profile.absorb(story.profile, self.options.max_story_terms)
        central = (story.central_id, story.central_title, story.central_score)
        return Settled(profile, list(story.members), list(story.samples), central)

    def _settle(self, story: StoryState, report: Report) -> None:
        settled = story.settled = story.settled or Settled()
        settled.profile.add(report, self.options.max_story_terms)
        settled.members.append(report.article_id)
        if len(settled.samples) < self.options.link_samples:
            settled.samples.append(self.report_profile(report))
        settled.central = self._central(settled.central, report, settled.profile)

    def link_probability(self, a: StoryState, b: StoryState) -> float:
        """Average link: the join probability of the mean features over pairs of sampled members of two stories."""
        if not a.samples or not b.samples:
            return 0.0
        self._idf_n()  # a refresh (which empties the caches) happens before the lookup, not after
        key = (tuple(x.version for x in a.samples), tuple(y.version for y in b.samples))
        p = self._links.get(key)
        if p is None:
            rows = [self.features(x, y) for x in a.samples for y in b.samples]
            mean = [sum(column) / len(rows) for column in zip(*rows, strict=True)]
            p = self._links.put(key, self.probability(mean))
        return p

    def link_pass(self, touched: set[int]) -> tuple[int, ...]:
        """Merge touched stories into candidate stories they fit by average link, best pair first."""
        threshold = self.options.link_threshold
        assert threshold is not None
        merged: list[int] = []
        for _ in range(self.options.link_rounds):
            pairs: dict[tuple[int, int], float] = {}
            for story_id in sorted(touched):
                story = self.stories.get(self.resolve(story_id))
                if story is None:
                    continue
                scored = []
                # Only the stories sharing most keys are scored: scoring every candidate profile was
                # most of the clustering time, and on dev the merges were the same.
                for other_id in self._story_candidates(story)[: 2 * self.options.link_candidates]:
                    p = self.pair_probability_reaching(
                        story.profile, self.stories[other_id].profile, self.options.link_floor
                    )
                    if p is not None:
                        scored.append((p, other_id))
                for _, other_id in sorted(scored, reverse=True)[: self.options.link_candidates]:
                    key = (min(story.story_id, other_id), max(story.story_id, other_id))
                    if key not in pairs:
                        pairs[key] = self.link_probability(self.stories[key[0]], self.stories[key[1]])
            done: set[int] = set()
            round_merged = False
            for (older, younger), p in sorted(pairs.items(), key=lambda item: (-item[1], item[0])):
                if p < threshold:
                    break
                if older in done or younger in done:
                    continue
                self.merge_stories(older, younger)
                merged.append(younger)
                done.update((older, younger))
                round_merged = True
            if not round_merged:
                break
            touched = {self.resolve(s) for s in done}
        return tuple(merged)

    def late_join(self, touched: set[int]) -> tuple[int, ...]:
        """Young small stories join the story they now fit best, if it reaches the late threshold.

        Only a touched candidate can have changed since a young story was last decided, so an
        older young story is scored against the touched stories only; one opened in this batch
        is scored against all its candidates. Smallest and oldest first; each story moves once.
        """
        threshold = self.options.late_join_threshold
        assert threshold is not None
        oldest = self.batches - self.options.late_join_batches
        young = sorted(
            (s for s in self.stories.values() if s.profile.size <= self.options.late_join_size and s.born > oldest),
            key=lambda s: (s.profile.size, s.story_id),
        )
        merged: list[int] = []
        for story in young:
            if story.story_id not in self.stories:
                continue  # merged into another young story already
            fresh = story.born == self.batches or story.story_id in touched
            options = [c for c in self._story_candidates(story) if fresh or c in touched]
            scored = [(self.pair_probability(story.profile, self.stories[c].profile), c) for c in options]
            if not scored:
                continue
            p, best = max(scored)
            if p < threshold:
                continue
            older, younger = min(best, story.story_id), max(best, story.story_id)
            self.merge_stories(older, younger)
            merged.append(younger)
            touched.add(older)
        return tuple(merged)

    def _story_candidates(self, story: StoryState) -> list[int]:
        hits: Counter[int] = Counter()
        for sample in story.samples:
            for key in self._profile_keys(sample):
                hits.update({self.resolve(s) for s in self.postings.get(key, {})})
        hits.pop(story.story_id, None)
        ranked = self._ranked(hits)
        return [s for s in ranked if _overlap(story.profile, self.stories[s].profile, self)][
            : self.options.max_candidates
        ]

    def _profile_keys(self, profile: Profile) -> list[str]:
        weighted = self._weighted(profile)
        if weighted.keys is None:
            keys = heaviest({f"t:{t}": w for t, w in profile.terms.items()}, self._idf, self.options.query_keys)
            weighted.keys = keys + [f"e:{e}" for e in profile.entities]
        return weighted.keys

    def _ranked(self, hits: Counter[int]) -> list[int]:
        """Stories by shared keys, most first; ties by their earliest article, not by history."""
        live = (s for s in hits if s in self.stories)
        return heapq.nsmallest(
            3 * self.options.max_candidates, live, key=lambda s: (-hits[s], self.stories[s].first_member)
        )

    def resolve(self, story_id: int) -> int:
        while story_id in self.aliases:
            story_id = self.aliases[story_id]
        return story_id

    def features(self, query: Profile, story: Profile) -> list[float]:
        """The similarity features of ``FEATURES`` between two profiles."""
        return pair_features(query, story, self._weighted(query), self._weighted(story))

    def _weighted(self, profile: Profile) -> Weighted:
        """The profile's idf-weighted vectors, kept on it until it or the frequencies change."""
        key = (self._idf_n(), profile.version)
        cached = profile.weighted
        if cached is not None and cached[0] == key:
            return cached[1]  # type: ignore[no-any-return]
        weighted = weigh(profile, self._idf, self._terms_idf, math.log(1.0 + self._idf_n()) + 1.0)
        profile.weighted = (key, weighted)
        return weighted

    def pair_probability_reaching(self, a: Profile, b: Profile, floor: float) -> float | None:
        """The pair's join probability if it can reach ``floor``, else None.

        Most candidate pairs fall far short, and the text cosine is the costliest feature: the
        others are computed first, with the text cosine at its most favourable value (1 or 0, by
        the sign of its weight), and a pair that even so stays below ``floor`` is not scored
        further. Exact: a pair that reaches ``floor`` gets its true probability."""
        small, large = (a, b) if a.size <= b.size else (b, a)
        self._idf_n()
        cached = self._pairs.get((small.version, large.version))
        if cached is not None:
            return cached if cached >= floor else None
        best_text = 1.0 if self.options.weights[FEATURES.index("text")] >= 0 else 0.0
        features = pair_features(small, large, self._weighted(small), self._weighted(large), text=best_text)
        if self.probability(features) < floor:
            return None
        p = self.pair_probability(small, large)
        return p if p >= floor else None

    def pair_probability(self, a: Profile, b: Profile) -> float:
        """The join probability of two profiles, the smaller one as the query (as fitted)."""
        small, large = (a, b) if a.size <= b.size else (b, a)
        self._idf_n()  # a refresh (which empties the caches) happens before the lookup, not after
        key = (small.version, large.version)
        p = self._pairs.get(key)
        if p is None:
            p = self._pairs.put(key, self.probability(self.features(small, large)))
        return p

    def probability(self, features: Sequence[float]) -> float:
        z = self.options.bias + sum(w * f for w, f in zip(self.options.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def candidates(self, report: Report) -> list[int]:
        """Stories sharing the report's heaviest terms or entities, most shared first, in the time window."""
        hits: Counter[int] = Counter()
        for key in self.query_keys(report):
            hits.update({self.resolve(story_id) for story_id in self.postings.get(key, {})})
        ranked = self._ranked(hits)
        in_window = [s for s in ranked if self.in_window(report.date, self.stories[s].profile)]
        return in_window[: self.options.max_candidates]

    # -- assignment -----------------------------------------------------------------------------

    def merge_stories(self, older: int, younger: int) -> None:
        kept, gone = self.stories[older], self.stories.pop(younger)
        kept.profile.absorb(gone.profile, self.options.max_story_terms)
        if gone.settled is not None:
            if kept.settled is None:
                kept.settled = gone.settled
            else:
                kept.settled.profile.absorb(gone.settled.profile, self.options.max_story_terms)
                kept.settled.members.extend(gone.settled.members)
                room = max(0, self.options.link_samples - len(kept.settled.samples))
                kept.settled.samples.extend(gone.settled.samples[:room])
                kept.settled.central = max(kept.settled.central, gone.settled.central, key=lambda c: c[2])
        kept.members.extend(gone.members)
        kept.first_member = min(kept.first_member, gone.first_member)
        kept.samples.extend(gone.samples[: max(0, self.options.link_samples - len(kept.samples))])
        if gone.central_score > kept.central_score:
            kept.central_id, kept.central_title, kept.central_score = (
                gone.central_id,
                gone.central_title,
                gone.central_score,
            )
        kept.touched = self.n_reports
        self.aliases[younger] = older
        self._unpost(gone.posted, younger)
        self.reindex(kept)

    def new_story(self) -> StoryState:
        """A new empty story with the next id (a provisional one while the window is re-clustered)."""
        if self._provisional is not None:
            story_id = self._provisional
            self._provisional += 1
        else:
            story_id = self.next_id
            self.next_id += 1
        story = StoryState(story_id, Profile(), born=self.batches, touched=self.n_reports)
        self.stories[story_id] = story
        return story

    def join(self, story: StoryState, report: Report) -> None:
        story.profile.add(report, self.options.max_story_terms)
        story.members.append(report.article_id)
        story.first_member = min(story.first_member, report.article_id)
        story.touched = self.n_reports
        if len(story.samples) < self.options.link_samples:
            story.samples.append(self.report_profile(report))
        central = (story.central_id, story.central_title, story.central_score)
        story.central_id, story.central_title, story.central_score = self._central(central, report, story.profile)
        self.reindex(story)

    def _central(
        self, central: tuple[int, str | None, float], report: Report, profile: Profile
    ) -> tuple[int, str | None, float]:
        """The (article, title, score) a story is titled by, once ``report`` has joined ``profile``.

        Centrality is measured when the report joins; good enough for a title, and O(1)."""
        score = self._centrality(report, profile)
        if score > central[2] or (central[1] is None and report.title):
            return report.article_id, report.title, score
        return central

    def _centrality(self, report: Report, profile: Profile) -> float:
        if report.embedding is not None and profile.embedding is not None:
            norm = float(np.linalg.norm(profile.embedding)) or 1.0
            return float(report.embedding @ profile.embedding) / norm
        return weighted_cosine(report.terms, profile.terms, self._terms_idf, 1.0)

    # -- candidate index ------------------------------------------------------------------------

    def reindex(self, story: StoryState) -> None:
        profile = story.profile
        keys = heaviest({f"t:{t}": w for t, w in profile.terms.items()}, self._idf, self.options.story_keys)
        keys += heaviest(prefixed(profile.entities), self._idf, self.options.story_keys)
        self._unpost(set(story.posted) - set(keys), story.story_id)
        story.posted = keys
        for key in keys:
            postings = self.postings.setdefault(key, {})
            postings.pop(story.story_id, None)
            postings[story.story_id] = None  # most recently updated last
            if len(postings) > self.options.posting_limit:
                del postings[next(iter(postings))]

    def _unpost(self, keys: Iterable[str], story_id: int) -> None:
        """Take a story off the posting lists of ``keys``; a list left empty goes too."""
        for key in keys:
            postings = self.postings.get(key)
            if postings is not None:
                postings.pop(story_id, None)
                if not postings:
                    del self.postings[key]

    def _drop(self, story: StoryState) -> None:
        """Take a story out of the stories and the candidate index (its id may live on elsewhere)."""
        self._unpost(story.posted, story.story_id)
        story.posted = []
        del self.stories[story.story_id]

    def query_keys(self, report: Report) -> list[str]:
        keys = heaviest({f"t:{t}": w for t, w in report.terms.items()}, self._idf, self.options.query_keys)
        return keys + [f"e:{e}" for e in report.entities]

    def in_window(self, when: str | None, profile: Profile) -> bool:
        if not when or not profile.first_date or not profile.last_date:
            return True  # time is neutral when a date is unknown
        day, first, last = _day(when), _day(profile.first_date), _day(profile.last_date)
        if day is None or first is None or last is None:
            return True
        gap = max(0, (first - day).days, (day - last).days)
        return gap <= self.options.time_window_days

    @property
    def _idf(self) -> Idf:
        return Idf(self.df, self._idf_n(), memo=self._memo)

    @property
    def _terms_idf(self) -> Idf:
        return Idf(self.df, self._idf_n(), "t:", self._memo)

    def _idf_n(self) -> int:
        """The report count idf is computed with. It moves on (and every memoised idf and weighted
        profile is dropped) at every batch up to ``IDF_ALWAYS_BELOW`` reports, and beyond once the
        count has grown by ``IDF_REFRESH`` since: rarely when the index is large, where re-weighting
        every profile each batch was most of the cost and the weights had barely moved."""
        grown = self.n_reports - self._memo_n
        if grown > 0 and (grown > IDF_REFRESH * self._memo_n or self.n_reports <= IDF_ALWAYS_BELOW):
            self._memo.clear()
            self._memo_n = self.n_reports
            self._forget_rare_dimensions()
            self._forget_weights()
            self._pairs.clear()
            self._links.clear()
        return self._memo_n

    def _forget_rare_dimensions(self) -> None:
        """Past ``max_vocabulary`` dimensions, keep the most frequent four fifths of it."""
        limit = self.options.max_vocabulary
        if limit is not None and len(self.df) > limit:
            self.df = Counter(dict(self.df.most_common(limit * 4 // 5)))
            self.df_changed = None

    def _forget_weights(self) -> None:
        """Drop the weighted vectors made with the old frequencies: they are stale, and a story
        no batch touches again would otherwise keep them for good."""
        for story in self.stories.values():
            profiles = [story.profile, *story.samples]
            if story.settled is not None:
                profiles += [story.settled.profile, *story.settled.samples]
            for profile in profiles:
                profile.weighted = None

    # -- persistence ----------------------------------------------------------------------------

    def to_dict(self, with_stories: bool = True, with_frequencies: bool = True) -> dict[str, Any]:
        from storyline.stories.persist import index_to_dict

        return index_to_dict(self, with_stories, with_frequencies)

    @classmethod
    def from_dict(cls, data: dict[str, Any], options: StoryOptions = DEFAULT_OPTIONS) -> StoryIndex:
        from storyline.stories.persist import index_from_dict

        return index_from_dict(data, options)


class Generations:
    """A cache of this batch's values and the last batch's: a value unused for a whole batch is
    dropped at the next rotation, so the cache stays the size of what one batch asks for."""

    def __init__(self) -> None:
        self.current: dict[Hashable, float] = {}
        self.older: dict[Hashable, float] = {}

    def get(self, key: Hashable) -> float | None:
        value = self.current.get(key)
        if value is None:
            value = self.older.get(key)
            if value is not None:
                self.current[key] = value
        return value

    def put(self, key: Hashable, value: float) -> float:
        self.current[key] = value
        return value

    def rotate(self) -> None:
        self.older, self.current = self.current, {}

    def clear(self) -> None:
        self.current, self.older = {}, {}


def _overlap(a: Profile, b: Profile, index: StoryIndex) -> bool:
    """Whether two stories' spans are within the time window of each other (unknown: yes)."""
    return index.in_window(a.first_date, b) or index.in_window(a.last_date, b)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
