"""Ingest reads every container the users have, detected from the bytes."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from storyline.config import IngestOptions
from storyline.errors import InputNotFound
from storyline.ingest import read_pages
from storyline.records import Page, PageFormat, Rejection, RejectionReason
from tests.support import SEED_000, SEED_004, SEEDS, TITLE_000, seed_html, warc_record, write_warc

OPTIONS = IngestOptions()


def pages_of(*arguments: str) -> list[Page | Rejection]:
    return list(read_pages(arguments, OPTIONS))


def test_text_dump_is_one_text_page() -> None:
    [page] = pages_of(str(SEED_000))
    assert isinstance(page, Page)
    assert page.format is PageFormat.TEXT
    assert page.raw == SEED_000.read_bytes()
    assert page.source == str(SEED_000)


def test_directory_is_walked_in_sorted_order() -> None:
    found = pages_of(str(SEEDS))
    assert [p.source for p in found] == [str(SEED_000), str(SEED_004)]


def test_glob_expands(tmp_path: Path) -> None:
    found = pages_of(str(SEEDS / "00*.txt"))
    assert len(found) == 2


def test_missing_path_is_a_user_error() -> None:
    with pytest.raises(InputNotFound, match="no such file"):
        pages_of("/nonexistent/page.html")


def test_glob_matching_nothing_is_a_user_error() -> None:
    with pytest.raises(InputNotFound, match="no file matches"):
        pages_of("/nonexistent/*.html")


def test_html_detected_by_content_not_extension(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(seed_html(SEED_000, TITLE_000), encoding="utf-8")
    [page] = pages_of(str(path))
    assert isinstance(page, Page) and page.format is PageFormat.HTML


def test_gzipped_html(tmp_path: Path) -> None:
    html = seed_html(SEED_000, TITLE_000).encode()
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(html))
    [page] = pages_of(str(path))
    assert isinstance(page, Page)
    assert page.raw == html and page.format is PageFormat.HTML


@pytest.mark.parametrize("gzipped", [False, True])
def test_warc_yields_one_page_per_response(tmp_path: Path, gzipped: bool) -> None:
    html = seed_html(SEED_000, TITLE_000).encode()
    path = write_warc(
        tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc"),
        [warc_record("https://example.org/a", html), warc_record("https://example.org/b", b"<html><p>b</p></html>")],
        gzipped=gzipped,
    )
    found = pages_of(str(path))
    assert [p.url for p in found if isinstance(p, Page)] == ["https://example.org/a", "https://example.org/b"]
    first = found[0]
    assert isinstance(first, Page)
    assert first.raw == html
    assert first.fetched_at == "2023-11-21T12:00:00Z"
    assert first.source.startswith(str(path) + "#<urn:uuid:")


def test_jsonl_lines_become_pages_and_bad_lines_rejections(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    lines = [
        json.dumps({"url": "https://example.org/x", "text": SEED_004.read_text(encoding="utf-8")}),
        "{not json",
        json.dumps({"url": "https://example.org/y", "html": "<html><p>hello</p></html>", "fetched_at": "2023-11-22"}),
        json.dumps({"url": "https://example.org/z"}),
        json.dumps([1, 2]),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = pages_of(str(path))
    kinds = [(type(item).__name__, getattr(item, "reason", None)) for item in found]
    assert kinds == [
        ("Page", None),
        ("Rejection", RejectionReason.MALFORMED),
        ("Page", None),
        ("Rejection", RejectionReason.MALFORMED),
        ("Rejection", RejectionReason.MALFORMED),
    ]
    assert isinstance(found[0], Page) and found[0].format is PageFormat.TEXT
    assert isinstance(found[2], Page) and found[2].format is PageFormat.HTML
    assert found[2].fetched_at == "2023-11-22" and found[2].source == f"{path}#L3"


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = SEED_000.read_bytes()

    class FakeStdin:  # sys.stdin is a boundary we do not own
        buffer = io.BytesIO(data)

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    [page] = pages_of("-")
    assert isinstance(page, Page) and page.raw == data and page.source == "-"


def test_same_bytes_have_the_same_page_id(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEED_000.read_bytes())
    first, second = pages_of(str(SEED_000), str(copy))
    assert isinstance(first, Page) and isinstance(second, Page)
    assert first.page_id == second.page_id != ""
