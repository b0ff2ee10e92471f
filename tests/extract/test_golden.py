"""Golden pages: small hand-written news pages (and the two seeds) with what must and must not be kept.

The pages in tests/fixtures/golden/ imitate common templates (WordPress, Drupal, a wire story, a
blog with comments, a German page, a magazine with inline teasers, a text dump); their expectations
are in golden.json. They are written for this project: no third-party benchmark page is copied here. Six real pages
of the development benchmarks are pinned the same way in test_golden_shared.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.config import ExtractOptions
from storyline.extract import extract_article
from storyline.extract.html import extract_html
from storyline.records import Article, Page, PageFormat
from tests.support import SEED_000, SEED_004, TITLE_000, TITLE_004

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"
EXPECTED: dict[str, dict[str, Any]] = json.loads((GOLDEN / "golden.json").read_text(encoding="utf-8"))


def extract_fixture(name: str, url: str | None) -> Article:
    fmt = PageFormat.TEXT if name.endswith(".txt") else PageFormat.HTML
    page = Page(raw=(GOLDEN / name).read_bytes(), source=name, format=fmt, url=url)
    found = extract_article(page, ExtractOptions())
    assert isinstance(found, Article), found
    return found


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_body(name: str) -> None:
    expected = EXPECTED[name]
    article = extract_fixture(name, expected["url"])
    for snippet in expected["must_contain"]:
        assert snippet in article.body, f"{name}: lost {snippet!r}"
    for snippet in expected["must_not_contain"]:
        assert snippet not in article.body, f"{name}: kept chrome {snippet!r}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_metadata(name: str) -> None:
    expected = EXPECTED[name]
    article = extract_fixture(name, expected["url"])
    assert article.title == expected["title"]
    assert article.claimed_date is not None
    assert article.claimed_date[: len(expected["date"])] == expected["date"]
    if expected["dateline"] is None:
        assert article.dateline is None
    else:
        assert article.dateline is not None
        assert (article.dateline.place, article.dateline.agency) == (
            expected["dateline"]["place"],
            expected["dateline"]["agency"],
        )


def test_published_time_is_kept_when_the_page_states_it() -> None:
    article = extract_fixture("wire_ap.html", EXPECTED["wire_ap.html"]["url"])
    assert article.claimed_date == "2022-09-15T14:05:00"


def test_original_date_wins_over_update() -> None:
    article = extract_fixture("drupal_updated.html", EXPECTED["drupal_updated.html"]["url"])
    assert (article.claimed_date or "").startswith("2024-01-22")


@pytest.mark.parametrize(
    ("seed", "title", "date", "place"),
    [
        (SEED_000, TITLE_000, "2025-04-26T08:23:02", "Belgrade"),
        (SEED_004, TITLE_004, "2025-04-28T08:42:28", "Skopje"),
    ],
)
def test_seeds(seed: Path, title: str, date: str, place: str) -> None:
    found = extract_article(Page(raw=seed.read_bytes(), source=seed.name, format=PageFormat.TEXT), ExtractOptions())
    assert isinstance(found, Article)
    assert found.title == title
    assert found.claimed_date == date
    assert found.dateline is not None and found.dateline.place == place and found.dateline.agency == "AP"
    assert "(AP) —" in found.paragraphs[0]
    for chrome in ("veryGood!", "Related", "Ranking", "Recommendation", "View"):
        assert not any(p.startswith(chrome) for p in found.paragraphs)


# ---------------------------------------------------------------- properties

MANGLED_TAGS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<br>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<html>",
        "<body>",
        "<table><tr><td>",
        "<h1>",
        "</h1>",
        "<meta charset=x>",
        "\x00",
    ]
)
WORDS = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MANGLED_TAGS, WORDS), max_size=40))
def test_html_extraction_never_raises(parts: list[str]) -> None:
    found = extract_html("".join(parts), None, ExtractOptions())
    assert found is None or all(p.strip() == p and p for p in found.paragraphs)


SENTENCE = st.lists(
    st.sampled_from("the council said water river rose after rain city new homes were".split()),
    min_size=12,
    max_size=30,
).map(lambda words: " ".join(words).capitalize() + ".")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SENTENCE, min_size=3, max_size=6, unique=True))
def test_html_extraction_is_idempotent(sentences: list[str]) -> None:
    first = extract_html(simple_page(sentences), None, ExtractOptions())
    assert first is not None
    second = extract_html(simple_page(list(first.paragraphs)), None, ExtractOptions())
    assert second is not None
    assert second.paragraphs == first.paragraphs


def simple_page(paragraphs: list[str]) -> str:
    import html

    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"<html><head><title>A page</title></head><body><article>{body}</article></body></html>"
