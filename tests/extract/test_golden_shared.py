"""Golden tests on real pages of the development benchmarks in ../shared/data.

The pages are third-party and their licence keeps them in development data, so they are not copied
into the repo: the expectations (tests/fixtures/golden/shared_pages.json) name the files, and every
test here skips with a message when ../shared is absent, as on a user's fresh clone.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from storyline.config import ExtractOptions
from storyline.extract import extract_article
from storyline.records import Article, Page, PageFormat
from tests.support import SHARED_DATA

EXPECTATIONS = Path(__file__).resolve().parents[1] / "fixtures" / "golden" / "shared_pages.json"
PAGES: dict[str, dict[str, Any]] = {
    name: page
    for name, page in json.loads(EXPECTATIONS.read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}


def extract_shared(name: str) -> Article:
    expected = PAGES[name]
    path = SHARED_DATA / expected["file"]
    if not path.is_file():
        pytest.skip(f"{path} is absent: these golden pages come from the development data beside the repo")
    raw = path.read_bytes()
    raw = gzip.decompress(raw) if path.suffix == ".gz" else raw
    fmt = PageFormat.HTML if expected["format"] == "html" else PageFormat.TEXT
    found = extract_article(Page(raw=raw, source=path.name, format=fmt, url=expected["url"]), ExtractOptions())
    assert isinstance(found, Article), f"{name}: {found}"
    return found


@pytest.mark.parametrize("name", sorted(PAGES))
def test_real_page_body(name: str) -> None:
    article = extract_shared(name)
    for snippet in PAGES[name]["must_contain"]:
        assert snippet in article.body, f"{name}: lost {snippet!r}"
    for snippet in PAGES[name]["must_not_contain"]:
        assert snippet not in article.body, f"{name}: kept chrome {snippet!r}"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_real_page_title_and_date(name: str) -> None:
    article = extract_shared(name)
    assert article.title == PAGES[name]["title"]
    assert (article.claimed_date or "")[:10] == PAGES[name]["date"]
