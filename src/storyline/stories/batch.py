"""One batch of reports clustered into the stories: best pair first, rescored when it went stale.

Nodes are stories (positive ids) and groups of new reports (negative ids, ``-1 - position``).
Two groups may join; a group may join a story; two stories only merge above ``merge_threshold``.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyline.stories.features import Profile, Report

if TYPE_CHECKING:
    from storyline.stories.clustering import Assignment, StoryIndex


class BatchClusterer:
    def __init__(self, index: StoryIndex, reports: Sequence[Report]) -> None:
        self.index = index
        self.reports = list(reports)
        # A one-report group shares the index's profile of that report (and its weighted vectors,
        # kept across batches while the report is open); a merged group gets a profile of its own.
        self.groups: dict[int, Profile] = {-1 - i: index.report_profile(r) for i, r in enumerate(self.reports)}
        self.members: dict[int, list[int]] = {-1 - i: [i] for i in range(len(self.reports))}
        self.parent: dict[int, int] = {}
        self.version: Counter[int] = Counter()
        self.heap: list[tuple[float, int, int, int, int]] = []
        self.joined_p: dict[int, float] = {}
        self.merged: list[int] = []

    def root(self, node: int) -> int:
        while node in self.parent:
            node = self.parent[node]
        return self.index.resolve(node) if node > 0 else node

    def profile(self, node: int) -> Profile:
        return self.index.stories[node].profile if node > 0 else self.groups[node]

    def push(self, a: int, b: int) -> None:
        threshold = self.index.options.merge_threshold if a > 0 and b > 0 else self.index.options.threshold
        p = self.index.pair_probability_reaching(self.profile(a), self.profile(b), threshold)
        if p is not None:
            heapq.heappush(self.heap, (-p, a, b, self.version[a], self.version[b]))

    def run(self) -> None:
        self._seed_pairs()
        while self.heap:
            negative, a, b, va, vb = heapq.heappop(self.heap)
            ra, rb = self.root(a), self.root(b)
            if ra == rb:
                continue
            if (ra, rb, self.version[ra], self.version[rb]) != (a, b, va, vb):
                self.push(ra, rb)  # a side changed since it was scored: score the current sides again
                continue
            self._merge(ra, rb, -negative)

    def _seed_pairs(self) -> None:
        local: dict[str, list[int]] = {}
        for i, report in enumerate(self.reports):
            node = -1 - i
            for story_id in self.index.candidates(report):
                self.push(node, story_id)
            hits: Counter[int] = Counter()
            for key in self.index.query_keys(report):
                hits.update(local.get(key, ()))
                local.setdefault(key, []).append(node)
            for other, _ in hits.most_common(self.index.options.max_candidates):
                if self.index.in_window(report.date, self.groups[other]):
                    self.push(node, other)

    def _merge(self, a: int, b: int, p: float) -> None:
        if a > 0 and b > 0:
            older, younger = min(a, b), max(a, b)
            self.index.merge_stories(older, younger)
            self.merged.append(younger)
            self.version[older] += 1
            return
        if a > 0 or b > 0:
            story, group = (a, b) if a > 0 else (b, a)
            for i in self.members.pop(group):
                self.index.join(self.index.stories[story], self.reports[i])
                self.joined_p[i] = p
            self.parent[group] = story
            self.version[story] += 1
            return
        keep, gone = max(a, b), min(a, b)  # the group of the earlier report keeps its node
        merged = self.groups[keep].copy()
        merged.absorb(self.groups.pop(gone), self.index.options.max_story_terms)
        self.groups[keep] = merged
        for i in self.members[gone]:
            self.joined_p[i] = p
        self.members[keep].extend(self.members.pop(gone))
        self.parent[gone] = keep
        self.version[keep] += 1

    def assignments(self) -> list[Assignment]:
        from storyline.stories.clustering import Assignment

        for group in sorted(self.members, reverse=True):  # new stories numbered in arrival order
            story = self.index.new_story()
            for i in self.members[group]:
                self.index.join(story, self.reports[i])
            self.parent[group] = story.story_id
        result = []
        for i, report in enumerate(self.reports):
            story_id = self.root(-1 - i)
            result.append(Assignment(report.article_id, story_id, self.joined_p.get(i, 1.0)))
        if self.merged and result:
            first = result[0]
            result[0] = Assignment(first.article_id, first.story_id, first.probability, tuple(self.merged))
        return result
