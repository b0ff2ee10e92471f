"""Bad input never stops a run and never loses other data: each gets a recorded rejection.

Every test ingests the bad input *together with* a good seed page, then checks that the seed's
article is stored and the bad input has a rejection row with a clear reason.
"""

from __future__ import annotations

import dataclasses
import gzip
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.pipeline.ingest import run_ingest
from storyline.store import Store
from tests.support import SEED_000, TITLE_000, seed_html, warc_record, write_warc


def ingest_with_seed(store: Store, settings: Settings, bad: Path) -> dict[str, str]:
    summary = run_ingest([str(SEED_000), str(bad)], store, settings, progress=False)
    titles = [a["title"] for a in store.iter_articles()]
    assert TITLE_000 in titles, "the good page next to the bad one was lost"
    assert summary.articles >= 1
    return {r["source"]: f"{r['reason']}: {r['detail']}" for r in store.iter_rejections()}


def test_binary_file(tmp_path: Path, store: Store, settings: Settings) -> None:
    bad = tmp_path / "image.html"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    rejections = ingest_with_seed(store, settings, bad)
    assert rejections[str(bad)].startswith("binary: ")
    assert store.raw_bytes(next(iter(store.iter_rejections()))["page_id"]) == bad.read_bytes()


def test_truncated_gzip(tmp_path: Path, store: Store, settings: Settings) -> None:
    whole = gzip.compress(seed_html(SEED_000, TITLE_000).encode())
    bad = tmp_path / "page.html.gz"
    bad.write_bytes(whole[: len(whole) // 2])
    rejections = ingest_with_seed(store, settings, bad)
    assert rejections[str(bad)].startswith("truncated: ")


def test_undecodable_bytes(tmp_path: Path, store: Store, settings: Settings) -> None:
    bad = tmp_path / "page.txt"
    bad.write_bytes(bytes(range(0x80, 0x100)) * 40)
    rejections = ingest_with_seed(store, settings, bad)
    assert rejections[str(bad)].startswith("undecodable: ")


def test_stray_invalid_utf8_byte_keeps_the_article(tmp_path: Path, store: Store, settings: Settings) -> None:
    html = seed_html(SEED_000, TITLE_000).encode().replace(b"Stoltenberg", b"Stolten\xffberg", 1)
    page = tmp_path / "page.html"
    page.write_bytes(html)
    run_ingest([str(page)], store, settings, progress=False)
    [article] = list(store.iter_articles())
    assert "\ufffd" in "\n".join(article["paragraphs"])  # marked, not silently dropped


def test_empty_file(tmp_path: Path, store: Store, settings: Settings) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    rejections = ingest_with_seed(store, settings, bad)
    assert rejections[str(bad)].startswith("empty: ")


@pytest.mark.slow
def test_hundred_megabyte_page(tmp_path: Path, store: Store, settings: Settings) -> None:
    bad = tmp_path / "huge.html"
    paragraph = b"<p>" + b"lorem ipsum dolor sit amet " * 40 + b"</p>\n"
    with bad.open("wb") as handle:
        handle.write(b"<html><body>")
        for _ in range(100 * 1024 * 1024 // len(paragraph) + 1):
            handle.write(paragraph)
        handle.write(b"</body></html>")
    rejections = ingest_with_seed(store, settings, bad)
    assert rejections[str(bad)].startswith("too_large: ")
    assert store.count("raw_pages") == 2  # the raw bytes are still kept


def test_html_nested_100000_levels(tmp_path: Path, store: Store, settings: Settings) -> None:
    bad = tmp_path / "deep.html"
    bad.write_text("<html><body>" + "<div>" * 100_000 + "<p>deep</p>" + "</div>" * 100_000 + "</body></html>")
    rejections = ingest_with_seed(store, settings, bad)
    assert rejections[str(bad)].startswith("malformed: HTML nested more than 256 elements deep")


def test_malformed_warc_records(tmp_path: Path, store: Store, settings: Settings) -> None:
    good = warc_record("https://example.org/good", seed_html(SEED_000, TITLE_000).encode())
    broken = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\n<html>cut short"
    bad = write_warc(tmp_path / "crawl.warc", [good, broken])
    summary = run_ingest([str(bad)], store, settings, progress=False)
    assert summary.articles == 1
    reasons = [r["reason"] for r in store.iter_rejections()]
    assert reasons and set(reasons) <= {"malformed", "truncated"}


def test_garbage_warc(tmp_path: Path, store: Store, settings: Settings) -> None:
    bad = tmp_path / "crawl.warc"
    bad.write_bytes(b"WARC/1.0\r\nthis is not a header block at all\r\n" + bytes(300))
    rejections = ingest_with_seed(store, settings, bad)
    assert any(r.startswith("malformed: ") for r in rejections.values())


def test_page_over_its_time_limit(tmp_path: Path, store: Store, settings: Settings) -> None:
    page = tmp_path / "page.html"
    page.write_text(seed_html(SEED_000, TITLE_000))
    hurried = dataclasses.replace(settings, page_time_limit=0.0001)
    run_ingest([str(page)], store, hurried, progress=False)
    [rejection] = list(store.iter_rejections())
    assert rejection["reason"] == "timeout"
    assert "longer than" in rejection["detail"]
