"""Copies in the real SQLite file: incremental updates, show, the CLI, distinct reports."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from storyline.cli.main import cli
from storyline.config import Settings, resolve_settings
from storyline.pipeline.copies import update_copies
from storyline.records import Article, Dateline, Page, PageFormat
from storyline.store import Store
from storyline.store.copies import copies_of, distinct_reports, iter_copy_groups
from tests.support import SEED_000, SEED_004, TITLE_000, seed_body


def ingest(store: Store, settings: Settings, *articles: tuple[str, list[str], str | None]) -> list[int]:
    """Store articles as the ingest job does, then run its copies step (extraction is not under test)."""
    ids = []
    for source, paragraphs, claimed in articles:
        raw = "\n".join(paragraphs).encode() + source.encode()
        page = Page(raw=raw, source=source, format=PageFormat.TEXT)
        dateline = Dateline("Belgrade", "Serbia", "AP", "BELGRADE, Serbia (AP) —") if "(AP)" in paragraphs[0] else None
        article = Article(page.page_id, source, TITLE_000, tuple(paragraphs), claimed_date=claimed, dateline=dateline)
        article_id = store.save(page, article)
        assert article_id is not None
        ids.append(article_id)
    store.connection.commit()
    update_copies(store, settings)
    return ids


SEEDS = (
    ("seed-000", seed_body(SEED_000), "2025-04-26T08:23:02"),
    ("seed-004", seed_body(SEED_004), "2025-04-28T08:42:28"),
)


def test_seeds_are_two_groups_sharing_one_paragraph(store: Store, settings: Settings) -> None:
    ingest(store, settings, *SEEDS)
    groups = list(iter_copy_groups(store))
    assert [len(g["members"]) for g in groups] == [1, 1]
    found = copies_of(store, 1)
    assert len(found["shared_paragraphs"]) == 1
    assert found["shared_paragraphs"][0]["article_id"] == 2
    assert "Banjska" in store.article(1)["paragraphs"][found["shared_paragraphs"][0]["position"]]
    assert sorted(distinct_reports(store)) == [1, 2]


def test_a_later_copy_joins_incrementally_and_the_original_is_named(store: Store, settings: Settings) -> None:
    ingest(store, settings, *SEEDS)
    signed = store.connection.execute("SELECT count(*) FROM copy_signatures").fetchone()[0]
    body = seed_body(SEED_000)
    ingest(store, settings, ("wire", body, "2023-11-21"), ("farm", [*body[:6], "Advertisement"], "2025-05-02"))
    assert store.connection.execute("SELECT count(*) FROM copy_signatures").fetchone()[0] == signed + 2
    group = copies_of(store, 3)["group"]
    assert group["group_id"] == 1  # the seed started the group; its id survives
    assert group["origin"] == 3
    assert group["origin_reason"] == "earliest_date"
    redated = {m["article_id"] for m in group["members"] if m["redated"]}
    assert redated == {1, 4}
    assert sorted(distinct_reports(store)) == [2, 3]


def test_rerun_places_nothing_and_recomputes_nothing(store: Store, settings: Settings) -> None:
    ingest(store, settings, *SEEDS)
    summary = update_copies(store, settings)
    assert summary.placed == 0 and summary.signed == 0


def test_copies_command_prints_one_json_object_per_group(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    with Store(db) as store:
        ingest(store, resolve_settings(env={}, config_file=None), *SEEDS)
    runner = CliRunner()
    result = runner.invoke(cli, ["copies", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    groups = [json.loads(line) for line in result.output.splitlines()]
    assert {"group_id", "origin", "origin_reason", "members"} <= set(groups[0])
    assert groups[0]["members"][0]["redated"] is True
    assert "evidence" in groups[0]["members"][0]
    shown = runner.invoke(cli, ["show", "1", "--db", str(db)])
    assert "shared text: paragraph 4 ~ #2" in shown.output


def test_copies_command_without_a_database_is_a_user_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["copies", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 1
    assert "no database" in result.output
