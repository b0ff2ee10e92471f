"""Retirement: stories that can no longer expect reports leave the index, which stays bounded."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from storyline.pipeline.stories import StoryModels, update_stories
from storyline.records import Article
from storyline.store import Store
from storyline.store.stories import _pack, iter_stories, load_index, save_index
from storyline.stories import Report, StoryIndex, StoryOptions
from tests.stories.seeds import store_article
from tests.stories.test_settling import report, run
from tests.support import REPO


def dated(article_id: int, topic: str, day: str) -> Report:
    return replace(report(article_id, topic, seed=article_id), date=day)


def test_a_story_long_untouched_and_far_in_time_retires_and_a_near_one_stays() -> None:
    reports = [dated(i, "quake", "2023-01-05") for i in range(1, 4)]
    reports += [dated(i, "budget", "2023-06-01") for i in range(4, 7)]
    reports += [dated(i, "final", "2023-06-02") for i in range(7, 17)]
    options = StoryOptions(settle_after=2, retire_after=5, max_live_stories=None)
    index = StoryIndex(options)
    retired: list[int] = []
    story_of: dict[int, int] = {}
    for item in reports:
        for assignment in index.add_batch([item]):
            story_of[assignment.article_id] = assignment.story_id
        retired += index.retired
    quake, budget = index.resolve(story_of[1]), index.resolve(story_of[4])
    assert retired == [quake]  # once, when it retired
    assert quake not in index.stories
    assert all(quake not in posted for posted in index.postings.values())
    # The budget story has not been touched for 10 reports either, but the open reports are dated
    # the day after it: a report of it may still come.
    assert budget in index.stories
    assert index.n_reports - index.stories[budget].touched >= options.retire_after  # type: ignore[operator]


def test_past_the_cap_the_least_recently_touched_stories_go() -> None:
    reports = [report(i + 1, topic, seed=i) for i, topic in enumerate(["quake", "budget", "final", "quake2"])]
    index, assigned = run(StoryOptions(settle_after=None, retire_after=None, max_live_stories=2), reports, batch=1)
    assert len(index.stories) == 2
    assert set(index.stories) == {assigned[3], assigned[4]}  # the two stories touched last


def test_without_retirement_nothing_leaves() -> None:
    reports = [dated(i + 1, topic, f"20{10 + i}-01-01") for i, topic in enumerate(["quake", "budget", "final"] * 3)]
    index, assigned = run(StoryOptions(settle_after=2, retire_after=None, max_live_stories=None), reports, batch=1)
    assert {index.resolve(s) for s in assigned.values()} <= set(index.stories)


def test_retired_stories_stay_listed_and_are_not_loaded_again(tmp_path: Path, nlp: Any) -> None:
    options = StoryOptions(settle_after=5, retire_after=10)
    models = StoryModels(options, _nlp=nlp)
    lines = (REPO / "examples" / "ecbplus-sample.jsonl").read_text(encoding="utf-8").splitlines()
    sample = [json.loads(line) for line in lines[:40]]
    retired = 0
    with Store(tmp_path / "s.db") as store:
        for start in range(0, len(sample), 10):
            for item in sample[start : start + 10]:
                paragraphs = tuple(line for line in item["text"].split("\n") if line.strip())
                store_article(store, Article(page_id="", source=item["url"], title=None, paragraphs=paragraphs))
            retired += update_stories(store, options, models).retired
        connection = store.connection
        marked = {int(r[0]) for r in connection.execute("SELECT id FROM stories WHERE retired_at IS NOT NULL")}
        assert retired == len(marked) > 0
        listed = {s.story_id for s in iter_stories(store)}
        assert marked < listed  # retired stories are still listed ...
        assert not marked & set(load_index(store, options).stories)  # ... but not clustered against
        unplaced = connection.execute(
            "SELECT count(*) FROM story_articles WHERE story_id NOT IN (SELECT id FROM stories)"
        ).fetchone()[0]
        assert unplaced == 0
        assert connection.execute("SELECT count(*) FROM story_articles").fetchone()[0] == len(sample)


def test_frequencies_are_saved_as_rows_and_restored(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        ids = [
            store_article(store, Article(page_id="", source=f"https://example.org/{i}", title=None, paragraphs=(t,)))
            for i, t in enumerate(["first story text", "second story text", "third story text", "fourth story text"])
        ]
        topics = ["quake", "budget", "quake", "final"]
        reports = [report(article_id, topic, seed=article_id) for article_id, topic in zip(ids, topics, strict=True)]
        index = StoryIndex(StoryOptions(settle_after=2))
        for part in (reports[:2], reports[2:]):  # the second save writes only what changed
            with store.connection:
                save_index(store, index, index.add_batch(part), {})
            again = load_index(store, index.options)
            assert again.df == index.df and again.df  # the rows hold every frequency, and only them
            assert again.n_reports == index.n_reports and set(again.stories) == set(index.stories)
        rows = store.connection.execute("SELECT count(*) FROM story_df").fetchone()[0]
        assert rows == len(index.df)
        # A state written before frequencies had rows of their own keeps them inside: it loads,
        # and the next save writes them all as rows.
        state = index.to_dict(with_stories=False)
        with store.connection:
            store.connection.execute("DELETE FROM story_df")
            store.connection.execute("UPDATE story_model SET value = ? WHERE name = 'index'", (_pack(state),))
        legacy = load_index(store, index.options)
        assert legacy.df == index.df
        with store.connection:
            save_index(store, legacy, [], {})
        assert load_index(store, index.options).df == index.df


def test_past_max_vocabulary_the_rarest_dimensions_are_forgotten() -> None:
    reports = [report(i + 1, topic, seed=i) for i, topic in enumerate(["quake", "budget", "final", "quake2"] * 10)]
    limit = 40
    index = StoryIndex(StoryOptions(settle_after=5, max_vocabulary=limit))
    largest_batch = 0
    for item in reports:
        before = set(index.df)
        index.add_batch([item])
        largest_batch = max(largest_batch, len(set(index.df) - before))
        # A refresh prunes to four fifths of the limit; one batch's new dimensions come on top.
        assert len(index.df) <= limit + largest_batch
    assert index.df_changed is None  # the store then writes the frequencies out whole


def test_pruning_keeps_the_most_frequent_dimensions() -> None:
    index = StoryIndex(StoryOptions(settle_after=5, max_vocabulary=50))
    index.df.update({f"t:word{k}": k for k in range(1, 101)})  # word100 the most frequent
    item = report(1, "quake", seed=1)
    index.add_batch([item])  # the first batch refreshes idf, and so prunes
    own = {f"t:{t}" for t in item.terms} | {f"e:{e}" for e in item.entities} | {f"n:{n}" for n in item.numbers}
    assert set(index.df) - own == {f"t:word{k}" for k in range(61, 101)}  # four fifths of 50, the top
