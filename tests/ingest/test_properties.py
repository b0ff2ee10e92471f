"""Property tests: reading and extracting arbitrary bytes never raises and is deterministic."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.config import ExtractOptions, IngestOptions
from storyline.extract import extract_article
from storyline.ingest import read_input
from storyline.records import Article, Page, PageFormat, Rejection
from storyline.sniff import decode_text

CHUNKS = st.sampled_from(
    [
        b"<html>",
        b"<p>",
        b"</p>",
        b"WARC/1.0\r\n",
        b'{"url": 1}\n',
        b"\x1f\x8b",
        b"\x00",
        b"\xff\xfe",
        b"BELGRADE, Serbia (AP) \xe2\x80\x94 ",
        b"Date:2025-04-26 08:23:02\n",
        b"\n",
        b"text line\n",
    ]
)
BLOBS = st.one_of(st.binary(max_size=2000), st.lists(CHUNKS, max_size=40).map(b"".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BLOBS)
def test_reading_any_bytes_never_raises(blob: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, data in (("input", blob), ("input.gz", gzip.compress(blob)[: max(1, len(blob))])):
            path = Path(folder) / name
            path.write_bytes(data)
            items = list(read_input(str(path), IngestOptions()))
            assert all(isinstance(item, Page | Rejection) for item in items)
            assert all(item.reason.value for item in items if isinstance(item, Rejection))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BLOBS, st.sampled_from(list(PageFormat)))
def test_extracting_any_page_never_raises_and_is_deterministic(blob: bytes, page_format: PageFormat) -> None:
    page = Page(raw=blob, source="property", format=page_format)
    first = extract_article(page, ExtractOptions())
    assert isinstance(first, Article | Rejection)
    assert extract_article(page, ExtractOptions()) == first


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=500))
def test_utf8_text_decodes_to_itself(text: str) -> None:
    decoded, encoding = decode_text(text.encode("utf-8"))
    assert decoded == (text.removeprefix("\ufeff") if encoding == "utf-8-sig" else text)
