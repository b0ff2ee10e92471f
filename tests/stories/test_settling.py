"""The settling window: open reports are clustered again with every batch, then settle for good."""

from __future__ import annotations

import json
import math
import random
from dataclasses import replace

import numpy as np
import pytest

from storyline.stories import Report, StoryIndex, StoryOptions, number_tokens, term_counts

TOPICS = {
    "quake": (
        "A magnitude 6.1 earthquake struck the Aegean island of Samos, damaging houses and the harbour wall.",
        ("maria papadaki", "samos"),
    ),
    "quake2": (
        "A magnitude 5.2 earthquake struck the island of Crete, damaging houses and a church near Heraklion.",
        ("nikos kazantzis", "crete"),
    ),
    "budget": (
        "Parliament passed the budget after a marathon session on pensions, taxes and the health service.",
        ("john doe", "parliament"),
    ),
    "final": (
        "The cup final went to penalties after a goalless draw; the keeper saved twice and the fans stormed the pitch.",
        ("ana lopez", "wembley"),
    ),
}
FILLER = "morning report local officials statement residents television agency update afternoon".split()


def report(article_id: int, topic: str, seed: int) -> Report:
    rng = random.Random(seed)
    text, names = TOPICS[topic]
    words = text.split()
    kept = " ".join(w for w in words if rng.random() > 0.2) + " " + " ".join(rng.sample(FILLER, 3))
    base = np.random.default_rng(abs(hash(topic)) % 2**32).normal(size=384)
    vector = (base + np.random.default_rng(seed).normal(scale=0.6, size=384)).astype(np.float32)
    return Report(
        article_id=article_id,
        title=kept[:40],
        date=None,
        terms=term_counts(kept),
        entities=dict.fromkeys(names, "PERSON"),
        numbers=number_tokens(kept),
        embedding=vector / np.linalg.norm(vector),
        leads=frozenset(f"e:{n}" for n in names),
    )


def stream() -> list[Report]:
    topics = ["quake", "quake2", "budget", "final"] * 5
    return [report(i + 1, topic, seed=i) for i, topic in enumerate(topics)]


def partition(index: StoryIndex, reports: list[Report], assigned: dict[int, int]) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for r in reports:
        groups.setdefault(index.resolve(assigned[r.article_id]), set()).add(r.article_id)
    return {frozenset(g) for g in groups.values()}


def run(options: StoryOptions, reports: list[Report], batch: int) -> tuple[StoryIndex, dict[int, int]]:
    index = StoryIndex(options)
    assigned: dict[int, int] = {}
    for start in range(0, len(reports), batch):
        for a in index.add_batch(reports[start : start + batch]):
            assigned[a.article_id] = a.story_id
    return index, assigned


def test_inside_the_window_the_arrival_order_does_not_matter() -> None:
    reports = stream()
    options = StoryOptions(settle_after=100)
    index, assigned = run(options, reports, batch=4)
    expected = partition(index, reports, assigned)
    assert len(expected) == 4  # one story per topic
    for seed in range(4):
        shuffled = reports[:]
        random.Random(seed).shuffle(shuffled)
        other, other_assigned = run(options, shuffled, batch=2 + seed)
        assert partition(other, reports, other_assigned) == expected


def test_every_id_ever_given_out_still_leads_to_a_live_story() -> None:
    reports = stream()
    random.Random(7).shuffle(reports)
    index = StoryIndex(StoryOptions(settle_after=6))
    given: set[int] = set()
    for start in range(0, len(reports), 3):
        for a in index.add_batch(reports[start : start + 3]):
            given.add(a.story_id)
            given.update(a.merged)
        assert len(index.window) <= 6
        assert all(index.resolve(story_id) in index.stories for story_id in given)
    settled = [r for r in reports if r not in index.window]
    assert settled and all(
        any(r.article_id in (s.settled.members if s.settled else []) for s in index.stories.values()) for r in settled
    )


def test_an_open_report_moves_when_its_story_arrives() -> None:
    # One batch: a quake report alone opens a story, with no threshold reachable it cannot join
    # anything. Once the join threshold is reachable again, re-clustering the window moves it.
    strict = StoryOptions(settle_after=100, threshold=1.1, merge_threshold=1.1, link_threshold=None)
    index = StoryIndex(strict)
    first = index.add_batch([report(1, "quake", 1), report(2, "budget", 2)])
    assert {a.story_id for a in first} == {1, 2}
    index.options = replace(strict, threshold=0.5, merge_threshold=0.9, link_threshold=0.1)
    second = index.add_batch([report(3, "quake", 3), report(4, "quake", 4), report(5, "budget", 5)])
    placed = {a.article_id: index.resolve(a.story_id) for a in second}
    placed = {**{1: index.placed[1], 2: index.placed[2]}, **placed}
    assert placed[1] == placed[3] == placed[4] and placed[2] == placed[5] and placed[1] != placed[2]
    assert {placed[1], placed[2]} == {1, 2}  # the stories kept the ids their first reports had


def test_state_with_an_open_window_round_trips_through_json() -> None:
    reports = stream()
    options = StoryOptions(settle_after=5)
    whole, assigned = run(options, reports, batch=3)
    index, resumed = run(options, reports[:9], batch=3)
    index = StoryIndex.from_dict(json.loads(json.dumps(index.to_dict())), options)
    assert [r.article_id for r in index.window] == [5, 6, 7, 8, 9]
    for start in range(9, len(reports), 3):
        for a in index.add_batch(reports[start : start + 3]):
            resumed[a.article_id] = a.story_id
    assert partition(index, reports, resumed) == partition(whole, reports, assigned)


def test_stories_made_without_a_window_survive_switching_it_on() -> None:
    # State from one-pass clustering (or from a version without the window) has no settled part.
    reports = stream()
    one_pass, assigned = run(StoryOptions(settle_after=None), reports[:8], batch=4)
    state = json.loads(json.dumps(one_pass.to_dict()))
    for item in state["stories"]:
        del item["settled"]
    index = StoryIndex.from_dict(state, StoryOptions(settle_after=5))
    before = {story_id: sorted(story.members) for story_id, story in index.stories.items()}
    later = index.add_batch(reports[8:12])
    assert all(sorted(index.stories[s].members)[: len(m)] == m for s, m in before.items())
    # Each new report joined the story its topic already had.
    assert {a.article_id: a.story_id for a in later} == {
        r.article_id: assigned[r.article_id - 4] for r in reports[8:12]
    }


def test_an_empty_batch_changes_nothing() -> None:
    index, _ = run(StoryOptions(settle_after=5), stream()[:8], batch=4)
    before = {story_id: list(story.members) for story_id, story in index.stories.items()}
    assert index.add_batch([]) == [] and not index.changed
    assert {story_id: list(story.members) for story_id, story in index.stories.items()} == before


def test_regression_idf_after_a_small_last_batch_is_that_of_every_report() -> None:
    # A last batch that grew the count by under 5 % used to keep the idf memoised from the batches
    # before it, so the final clustering depended on which reports had come first.
    reports = stream() * 3
    reports = [replace(r, article_id=i + 1) for i, r in enumerate(reports)]
    index, _ = run(StoryOptions(settle_after=100), reports[:-1], batch=len(reports) - 1)
    index.add_batch(reports[-1:])
    idf = index._idf
    n = len(reports)
    assert idf.n == n
    for key, count in index.df.items():
        assert idf.get(key) == pytest.approx(math.log((1.0 + n) / (1.0 + count)) + 1.0)
