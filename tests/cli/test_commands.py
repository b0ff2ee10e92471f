"""The ``storyline`` command, run as a user runs it: a real process, real files, real database."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from storyline.cli.main import cli
from tests.support import REPO, SEED_000, SEED_004, SEEDS, TITLE_000, TITLE_004, seed_body


def storyline(*arguments: str, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyline.cli.main", *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin.decode() if stdin else None,
    )


COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = storyline(command, "--help")
    assert result.returncode == 0
    assert "Usage: storyline " + command in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    assert f"storyline {command}" in (REPO / "README.md").read_text(encoding="utf-8")


def test_extract_seeds_as_json() -> None:
    result = storyline("extract", str(SEEDS), "--json")
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["source"] == str(SEED_000) and first["kind"] == "article"
    assert (first["title"], second["title"]) == (TITLE_000, TITLE_004)
    assert (first["site_name"], second["site_name"]) == ("ValueCore", "CapitalTrack")
    assert (first["claimed_date"], second["claimed_date"]) == ("2025-04-26T08:23:02", "2025-04-28T08:42:28")
    assert (first["dateline"]["place"], first["dateline"]["agency"]) == ("Belgrade", "AP")
    assert (second["dateline"]["place"], second["dateline"]["agency"]) == ("Skopje", "AP")
    assert first["paragraphs"] == seed_body(SEED_000) and len(first["paragraphs"]) == 15
    assert second["paragraphs"] == seed_body(SEED_004) and len(second["paragraphs"]) == 13
    assert first["language"] == "en" and first["reason"] is None


def test_extract_reads_stdin() -> None:
    result = storyline("extract", "-", "--json", stdin=SEED_004.read_bytes())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == TITLE_004


def test_missing_input_is_exit_1_with_a_message_on_stderr() -> None:
    result = storyline("extract", "/no/such/page.html")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no such file or directory" in result.stderr


def test_usage_error_is_exit_2() -> None:
    assert storyline("export", "--format", "xml").returncode == 2


def test_reading_a_database_that_does_not_exist_is_exit_1(tmp_path: Path) -> None:
    result = storyline("articles", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1 and "storyline ingest" in result.stderr


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "seeds.db"
    result = storyline("ingest", str(SEEDS), "--db", str(db), "--quiet")
    assert result.returncode == 0, result.stderr
    assert "articles:           2" in result.stdout
    return db


def test_ingest_twice_skips_the_same_bytes(seeded_db: Path) -> None:
    result = storyline("ingest", str(SEEDS), "--db", str(seeded_db), "--quiet", "--json")
    summary = json.loads(result.stdout)
    assert summary["pages"] == 0 and summary["duplicates_skipped"] == 2


def test_articles_json_carries_ids_and_provenance(seeded_db: Path) -> None:
    result = storyline("articles", "--db", str(seeded_db), "--json")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["title"] for row in rows] == [TITLE_000, TITLE_004]
    assert rows[0]["source"] == str(SEED_000) and len(rows[0]["page_id"]) == 64 and rows[0]["id"] == 1


def test_show_and_search(seeded_db: Path) -> None:
    shown = storyline("show", "1", "--db", str(seeded_db))
    assert TITLE_000 in shown.stdout and "seen at: " + str(SEED_000) in shown.stdout
    found = storyline("search", "Rama border", "--db", str(seeded_db), "--json")
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert [hit["title"] for hit in hits] == [TITLE_004]
    assert storyline("show", "99", "--db", str(seeded_db)).returncode == 1


def test_exports(seeded_db: Path, tmp_path: Path) -> None:
    jsonl = storyline("export", "--db", str(seeded_db), "--format", "jsonl")
    assert [json.loads(line)["title"] for line in jsonl.stdout.splitlines()] == [TITLE_000, TITLE_004]
    as_csv = storyline("export", "--db", str(seeded_db), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert rows[1]["site_name"] == "CapitalTrack" and rows[1]["dateline_place"] == "Skopje"
    target = tmp_path / "articles.parquet"
    storyline("export", "--db", str(seeded_db), "--format", "parquet", "--output", str(target))
    table = pq.read_table(target)
    assert table.column("title").to_pylist() == [TITLE_000, TITLE_004]
    assert storyline("export", "--db", str(seeded_db), "--format", "parquet").returncode == 2


def test_rejections_lists_reasons(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    db = tmp_path / "r.db"
    storyline("ingest", str(empty), "--db", str(db), "--quiet")
    result = storyline("rejections", "--db", str(db), "--json")
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["reason"] == "empty" and row["source"] == str(empty)
