"""Claimed dates of HTML pages: the day printed under the headline, labels, htmldate's corrections."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.extract.dates import find_visible_day
from storyline.extract.html import dates as html_dates
from storyline.extract.html.dates import PUBLISHED_LABELS, claimed_date_from_html

BODY = "".join(
    f"<p>The council voted on the plan after a long debate, and the mayor said work on section {n} "
    "would start in the spring if the budget allowed it.</p>"
    for n in range(4)
)


def page(header: str, *, head: str = "", after: str = "") -> str:
    return (
        f"<html><head><title>Council backs plan</title>{head}</head><body>"
        f'<nav><a href="/">Home</a></nav><article><h1>Council backs plan</h1>{header}{BODY}</article>'
        f"{after}</body></html>"
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("July 9, 2020 at 6:40 PM EDT", (0, "2020-07-09")),
        ("1. Februar 2022, Daniel Muster", (0, "2022-02-01")),
        ("Domenica 06 Dicembre 2020 | 00:36", (9, "2020-12-06")),
        ("Written: 2023-11-07 15:03:30", (9, "2023-11-07")),
        ("Veröffentlicht am 16.08.2019", (18, "2019-08-16")),
        ("16 de marzo de 2020", (0, "2020-03-16")),
        ("13 января 2020", (0, "2020-01-13")),
        ("Sep 15 2020 10:01:41 EDT", (0, "2020-09-15")),
        ("31.02.2020", None),  # no such day
        ("version 1.2.3.2020", None),  # a version number, not a day
        ("08/16/2019", None),  # month or day first: cannot tell
        ("no date here", None),
    ],
)
def test_find_visible_day(text: str, found: tuple[int, str] | None) -> None:
    assert find_visible_day(text) == found


@given(st.text(max_size=200))
def test_find_visible_day_never_raises(text: str) -> None:
    found = find_visible_day(text)
    assert found is None or (0 <= found[0] < len(text) and len(found[1]) == 10)


def test_the_day_under_the_headline_beats_the_address_and_a_modified_meta_tag() -> None:
    html = page(
        "<p>A standfirst that sums up the story in one long sentence, as newspapers print under the "
        "headline before the byline.</p>"
        '<div class="byline">By <a href="/staff/jane">Jane Doe</a></div><div>July 9, 2020 at 6:40 PM EDT</div>',
        head='<meta name="date" content="2020-07-26">',
    )
    assert claimed_date_from_html(html, "https://example.com/politics/2020/07/08/council-plan/") == "2020-07-09"


def test_the_stated_time_is_kept_when_the_metadata_gives_the_printed_day() -> None:
    html = page(
        "<p>1. Februar 2022, Daniel Muster</p>",
        head='<meta property="article:published_time" content="2022-02-01T09:15:00+01:00">',
    )
    assert claimed_date_from_html(html, None) == "2022-02-01T09:15:00"


def test_a_teasers_date_is_not_the_pages() -> None:
    teaser = '<a href="/other">Mayor opens the new bridge after two years of works</a><span>21.01.2022</span>'
    html = page(teaser, head='<meta property="article:published_time" content="2022-02-01T09:15:00">')
    assert claimed_date_from_html(html, None) == "2022-02-01T09:15:00"


@pytest.mark.parametrize("label", ["Updated", "Joined", "Aktualisiert am"])
def test_dates_after_other_labels_are_not_the_publication_day(label: str) -> None:
    html = page(f"<span>{label}</span> <span>May 11, 2017</span>", head='<meta name="pubdate" content="2020-03-18">')
    assert claimed_date_from_html(html, None) == "2020-03-18"


def test_a_labelled_publication_date_anywhere_in_the_page() -> None:
    html = page("", after="<footer><p>Veröffentlicht am 16.08.2019<br>Dauer: 1 Stunde</p></footer>")
    assert claimed_date_from_html(html.replace("<h1>", "<h2>").replace("</h1>", "</h2>"), None) == "2019-08-16"


def test_structured_metadata_wins_over_a_far_away_body_date(monkeypatch: pytest.MonkeyPatch) -> None:
    # htmldate skips date formats it cannot read and falls back on a date in the body, here a
    # caption's; stood in for, since which formats it reads changes between its versions.
    monkeypatch.setattr(html_dates, "_htmldate", lambda html, url: "2020-05-20")
    json_ld = '{"@type": "NewsArticle", "datePublished": "Tue, Sep 15 2020 10:01:41 EDT"}'
    html = page("", head=f'<script type="application/ld+json">{json_ld}</script>')
    assert claimed_date_from_html(html, None) == "2020-09-15T10:01:41"


def test_a_time_zone_shift_keeps_htmldates_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_dates, "_htmldate", lambda html, url: "2020-04-24")
    html = page("", head='<meta property="article:published_time" content="2020-04-25T01:10:00Z">')
    assert claimed_date_from_html(html, None) == "2020-04-24"


def test_a_copyright_year_alone_is_not_a_day() -> None:
    html = page("", after="<footer><p>Copyright © 2020 Example Radio. All rights reserved.</p></footer>")
    assert claimed_date_from_html(html, "https://radio.example.com/") is None


def test_the_date_under_a_logo_h1_is_not_the_articles() -> None:
    # The masthead's <h1> is the site's name and prints today's date; the article's <h1> is the title.
    html = (
        "<html><head><title>Council backs plan | The Daily Example</title></head><body>"
        "<header><h1>The Daily Example</h1><span>Wednesday, November 20, 2019</span></header>"
        f"<article><h1>Council backs plan</h1><p>By Jane Doe</p><p>November 18, 2019</p>{BODY}</article>"
        "</body></html>"
    )
    assert claimed_date_from_html(html, None) == "2019-11-18"


def test_a_date_marked_as_the_update_is_not_the_publication_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_dates, "_htmldate", lambda html, url: "2018-10-07")
    html = page(
        '<span class="posted-on"><time class="entry-updated updated" datetime="2018-11-12">November 12, 2018</time>'
        "</span>",
        head='<meta property="article:published_time" content="2018-10-07T09:00:35">',
    )
    assert claimed_date_from_html(html, None) == "2018-10-07T09:00:35"


def test_wordpress_marks_the_publication_date_as_updated_too() -> None:
    html = page('<time class="entry-date published updated" datetime="2018-11-12">November 12, 2018</time>')
    assert claimed_date_from_html(html, None) == "2018-11-12"


def test_a_day_printed_only_as_the_last_edit_is_no_claim(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_dates, "_htmldate", lambda html, url: "2020-11-04")
    html = page(
        "", after="<footer><ul><li>This page was last modified on 4 November 2020, at 19:23.</li></ul></footer>"
    )
    assert claimed_date_from_html(html.replace("<h1>", "<h2>").replace("</h1>", "</h2>"), None) is None


def test_the_address_day_stands_when_the_page_prints_only_an_edit(monkeypatch: pytest.MonkeyPatch) -> None:
    real = html_dates._htmldate
    monkeypatch.setattr(
        html_dates, "_htmldate", lambda html, url: real(html, url) if html == html_dates._EMPTY_PAGE else "2020-11-04"
    )
    html = page("", after="<footer><p>Last updated: 4 November 2020</p></footer>").replace("h1>", "h2>")
    assert claimed_date_from_html(html, "https://example.com/2020/03/08/council-plan/") == "2020-03-08"


def test_publication_labels_start_with_a_letter() -> None:
    # PUBLISHED_LABEL skips a node's leading non-word characters possessively (no backtracking),
    # which finds every label only while each one starts with a word character.
    assert all(label[:1].isalpha() for label in PUBLISHED_LABELS)
