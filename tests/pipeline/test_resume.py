"""An ingest killed with ``kill -9`` and started again ends with every article exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.support import SEED_000, article_html, seed_body

PAGES = 120


def make_corpus(folder: Path) -> None:
    body = seed_body(SEED_000)
    for number in range(PAGES):
        paragraphs = [f"Report number {number} from the desk.", *body[number % 5 :]]
        html = article_html(f"Kosovo report {number}", paragraphs)
        (folder / f"page-{number:04d}.html").write_text(html, encoding="utf-8")


def count_articles(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def ingest_command(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "storyline.cli.main", "ingest", str(corpus), "--db", str(db), "--quiet"]


def test_kill_dash_nine_then_rerun(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_corpus(corpus)
    db = tmp_path / "resume.db"
    env = {**os.environ, "STORYLINE_BATCH_SIZE": "4", "STORYLINE_WORKERS": "1"}
    process = subprocess.Popen(
        ingest_command(corpus, db),
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while count_articles(db) < 8 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    killed_at = count_articles(db)
    assert 0 < killed_at < PAGES, f"the kill did not land mid-run ({killed_at} articles)"

    finished = subprocess.run(
        [*ingest_command(corpus, db), "--json"], env=env, capture_output=True, text=True, check=True
    )
    assert '"pages"' in finished.stdout
    with sqlite3.connect(db) as connection:
        titles = [row[0] for row in connection.execute("SELECT title FROM articles")]
        pages = connection.execute("SELECT count(*) FROM pages").fetchone()[0]
        rejections = connection.execute("SELECT count(*) FROM rejections").fetchone()[0]
        fts = connection.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Kosovo'").fetchone()[0]
    assert sorted(titles) == sorted(f"Kosovo report {n}" for n in range(PAGES))
    assert pages == PAGES and rejections == 0 and fts == PAGES
