"""The SQLite file: schema, WAL, raw bytes, full-text search, exports."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import NotFound, SchemaTooNew
from storyline.records import Article, Dateline, Page, PageFormat, Rejection, RejectionReason
from storyline.store import Store
from storyline.store.queries import fts_query
from storyline.store.schema import SCHEMA_VERSION


def sample_article(page: Page, title: str = "Stoltenberg visits Belgrade") -> Article:
    return Article(
        page_id=page.page_id,
        source=page.source,
        title=title,
        paragraphs=("BELGRADE, Serbia (AP) — Jens Stoltenberg said Tuesday ...", "Vučić answered."),
        offsets=((10, 60), (61, 76)),
        site_name="ValueCore",
        claimed_date="2025-04-26T08:23:02",
        dateline=Dateline("Belgrade", "Serbia", "AP", "BELGRADE, Serbia (AP) —"),
        language="en",
        extractor="textdump",
    )


def test_new_file_is_wal_and_at_the_latest_schema(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(tmp_path / "a.db") as again:  # reopening migrates nothing twice
        rows = again.connection.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
        assert rows == SCHEMA_VERSION


def test_file_from_a_newer_storyline_is_refused(tmp_path: Path) -> None:
    Store(tmp_path / "a.db").close()
    with sqlite3.connect(tmp_path / "a.db") as connection:
        connection.execute("INSERT INTO schema_migrations VALUES (999, 'future')")
    with pytest.raises(SchemaTooNew, match="upgrade storyline"):
        Store(tmp_path / "a.db")


def test_page_article_and_raw_bytes_round_trip(store: Store) -> None:
    raw = b"<html>" + b"x" * 2000 + b"</html>"
    page = Page(raw=raw, source="a.html", format=PageFormat.HTML)
    article_id = store.save(page, sample_article(page))
    assert article_id is not None
    stored = store.article(article_id)
    assert stored["dateline"] == {
        "place": "Belgrade",
        "region": "Serbia",
        "agency": "AP",
        "text": "BELGRADE, Serbia (AP) —",
    }
    assert stored["paragraph_offsets"] == [[10, 60], [61, 76]]
    assert stored["sources"] == ["a.html"]
    assert store.raw_bytes(page.page_id) == raw


def test_same_page_twice_is_stored_once_with_both_sources(store: Store) -> None:
    page = Page(raw=b"same bytes", source="one.txt", format=PageFormat.TEXT)
    store.save(page, Rejection("one.txt", RejectionReason.TOO_SHORT, "short", page.page_id))
    again = Page(raw=b"same bytes", source="two.txt", format=PageFormat.TEXT)
    store.save(again, Rejection("two.txt", RejectionReason.TOO_SHORT, "short", again.page_id))
    assert store.count("pages") == 1 and store.count("rejections") == 1
    assert store.count("page_sources") == 2


def test_unknown_article_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="no article with id 42"):
        store.article(42)


def test_search_finds_with_and_without_diacritics(store: Store) -> None:
    page = Page(raw=b"p1", source="a", format=PageFormat.TEXT)
    store.save(page, sample_article(page))
    assert [hit["id"] for hit in store.search("Vucic")] == [1]
    assert [hit["id"] for hit in store.search("vučić belgrade")] == [1]
    assert "[Stoltenberg]" in store.search("stoltenberg")[0]["snippet"]
    assert store.search("Moscow") == []


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_query_text_is_safe(text: str) -> None:
    query = fts_query(text)
    with sqlite3.connect(":memory:") as connection:
        connection.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
        connection.execute("INSERT INTO t VALUES ('some text')")
        if query:
            connection.execute("SELECT * FROM t WHERE t MATCH ?", (query,)).fetchall()
