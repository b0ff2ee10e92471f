"""End to end on the seeds: entities, one story, the CLI, and stable ids when more articles arrive."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyline.cli.main import cli
from storyline.pipeline.stories import StoryModels, update_stories
from storyline.records import Article
from storyline.store import Store
from storyline.store.stories import iter_stories, story
from storyline.stories import StoryOptions
from tests.stories.seeds import store_article, store_seeds
from tests.support import REPO, TITLE_000, TITLE_004

KEY_NAMES = {"Jens Stoltenberg", "Aleksandar Vucic", "Edi Rama", "NATO", "Kosovo", "Serbia"}


@pytest.fixture
def models(nlp: Any) -> StoryModels:
    return StoryModels(StoryOptions(), _nlp=nlp)


def test_the_seeds_are_one_story_with_their_actors(tmp_path: Path, models: StoryModels) -> None:
    with Store(tmp_path / "s.db") as store:
        ids = store_seeds(store)
        summary = update_stories(store, None, models)
        assert (summary.articles, summary.reports, summary.new_stories) == (2, 2, 1)
        (only,) = list(iter_stories(store))
    assert only.story_id == 1 and set(only.articles) == set(ids)
    assert only.title in (TITLE_000, TITLE_004)
    assert (only.first_date, only.last_date) == ("2025-04-26", "2025-04-28")
    assert {e.name for e in only.entities} >= KEY_NAMES
    assert "AP" not in {e.name for e in only.entities}


def test_new_articles_never_renumber_stories(tmp_path: Path, models: StoryModels) -> None:
    lines = (REPO / "examples" / "ecbplus-sample.jsonl").read_text(encoding="utf-8").splitlines()
    sample = [json.loads(line) for line in lines[:3]]
    with Store(tmp_path / "s.db") as store:
        store_seeds(store)
        update_stories(store, None, models)
        before = story(store, 1)
        for item in sample:
            text = item.get("text") or item.get("html") or ""
            paragraphs = tuple(line for line in text.split("\n") if line.strip())
            store_article(
                store, Article(page_id="", source=item.get("url") or "sample", title=None, paragraphs=paragraphs)
            )
        update_stories(store, None, models)
        after = story(store, 1)
        others = [s for s in iter_stories(store) if s.story_id != 1]
    assert after.articles == before.articles and after.title == before.title
    assert others and all(s.story_id > 1 for s in others)


def test_cli_lists_stories_story_and_entities(tmp_path: Path, models: StoryModels) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        store_seeds(store)
        update_stories(store, None, models)
    runner = CliRunner()
    listed = runner.invoke(cli, ["stories", "--db", str(db), "--json"])
    assert listed.exit_code == 0, listed.output
    (line,) = listed.output.splitlines()
    item = json.loads(line)
    assert set(item) >= {"story_id", "title", "first_date", "last_date", "articles", "entities"}
    assert {"name", "type", "mentions"} <= set(item["entities"][0])
    timeline = runner.invoke(cli, ["story", "1", "--db", str(db)])
    assert timeline.exit_code == 0 and "2025-04-26" in timeline.output and "Jens Stoltenberg" in timeline.output
    people = runner.invoke(cli, ["entities", "--type", "PERSON", "--db", str(db), "--json"])
    names = {json.loads(x)["name"]: json.loads(x) for x in people.output.splitlines()}
    assert names["Jens Stoltenberg"]["stories"] == [1] and "NATO" not in names
    missing = runner.invoke(cli, ["story", "99", "--db", str(db)])
    assert missing.exit_code == 1 and "no story with id 99" in missing.output


def test_redated_copies_are_clustered_on_their_groups_credible_date(tmp_path: Path) -> None:
    from storyline.store.stories import redated_dates

    with Store(tmp_path / "s.db") as store:
        first, second = store_seeds(store)
        with store.connection:
            store.connection.execute(
                "INSERT INTO copy_groups (group_id, origin_article_id, origin_reason, credible_date, n_members, "
                "updated_at) VALUES (?, ?, 'earliest_date', '2023-11-20', 2, 'now')",
                (first, first),
            )
            store.connection.executemany(
                "INSERT INTO copy_members (article_id, group_id, similarity, redated, evidence) "
                "VALUES (?, ?, 1.0, ?, '')",
                [(first, first, 0), (second, first, 1)],
            )
        assert redated_dates(store, [first, second]) == {second: "2023-11-20"}


def test_moves_in_the_settling_window_keep_the_tables_consistent(tmp_path: Path, nlp: Any) -> None:
    # The first round may not join anything (every article alone); later rounds cluster the open
    # reports again with the real thresholds, so reports move and emptied stories become aliases.
    alone = StoryOptions(threshold=1.1, merge_threshold=1.1, link_threshold=None, late_join_threshold=None)
    models = StoryModels(replace(alone, settle_after=15), _nlp=nlp)
    lines = (REPO / "examples" / "ecbplus-sample.jsonl").read_text(encoding="utf-8").splitlines()
    sample = [json.loads(line) for line in lines[:40]]
    moved = 0
    with Store(tmp_path / "s.db") as store:
        connection = store.connection
        for start in range(0, len(sample), 10):
            for item in sample[start : start + 10]:
                paragraphs = tuple(line for line in item["text"].split("\n") if line.strip())
                store_article(store, Article(page_id="", source=item["url"], title=None, paragraphs=paragraphs))
            options = models.options if start == 0 else replace(StoryOptions(), settle_after=15)
            moved += update_stories(store, options, models).moved
            dangling = connection.execute(
                "SELECT count(*) FROM story_articles WHERE story_id NOT IN (SELECT id FROM stories)"
            ).fetchone()[0]
            assert dangling == 0
            sizes = connection.execute(
                "SELECT s.size, (SELECT count(DISTINCT report_article_id) FROM story_articles a "
                "WHERE a.story_id = s.id) FROM stories s"
            ).fetchall()
            assert all(size == reports for size, reports in sizes)
            aliases = [int(row[0]) for row in connection.execute("SELECT alias_id FROM story_aliases")]
            assert all(story(store, alias).story_id != alias for alias in aliases)
        assert connection.execute("SELECT count(*) FROM story_articles").fetchone()[0] == len(sample)
        # Ids do not churn: each id given out is a story or an alias of one, and there are fewer than articles.
        given = connection.execute("SELECT count(*) FROM stories").fetchone()[0] + len(aliases)
        assert moved > 0 and aliases and given < len(sample)
