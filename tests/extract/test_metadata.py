"""Datelines, claimed dates, site names and bylines, from the text around an article."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.extract.dateline import find_dateline
from storyline.extract.dates import claimed_date_from_lines, parse_date
from storyline.extract.metadata import byline_from_lines, site_name_from_title_line


@pytest.mark.parametrize(
    ("opening", "place", "region", "agency"),
    [
        ("BELGRADE, Serbia (AP) — NATO Secretary General", "Belgrade", "Serbia", "AP"),
        ("SKOPJE, North Macedonia (AP) — Albanian Prime Minister", "Skopje", "North Macedonia", "AP"),
        ("LONDON, Nov 21 (Reuters) - Britain's economy", "London", None, "Reuters"),
        ("Paris (AFP) - Le gouvernement", "Paris", None, "AFP"),
        ("NEW YORK (AP) — Stocks fell", "New York", None, "AP"),
        ("WASHINGTON — The Senate voted", "Washington", None, None),
        ("PRISTINA, Kosovo (AP) — Kosovo police", "Pristina", "Kosovo", "AP"),
    ],
)
def test_datelines(opening: str, place: str, region: str | None, agency: str | None) -> None:
    dateline = find_dateline(opening)
    assert dateline is not None
    assert (dateline.place, dateline.region, dateline.agency) == (place, region, agency)
    assert opening.startswith(dateline.text)


@pytest.mark.parametrize(
    "opening",
    [
        "The US (AP) said nothing",
        "In May, Serb demonstrators clashed",
        "I think — yes",
        "“This is unacceptable,” he said",
    ],
)
def test_not_datelines(opening: str) -> None:
    assert find_dateline(opening) is None


@given(st.text(max_size=300))
def test_dateline_never_raises_and_is_a_prefix(text: str) -> None:
    dateline = find_dateline(text)
    assert dateline is None or text.startswith(dateline.text)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Date:2025-04-26 08:23:02", "2025-04-26T08:23:02"),
        ("ViewDate:2025-04-28 08:42:28", "2025-04-28T08:42:28"),
        ("Published November 21, 2023 3:04 PM", "2023-11-21T15:04:00"),
        ("Nov. 22, 2023", "2023-11-22"),
        ("22 November 2023", "2023-11-22"),
        ("2023/11/20", "2023-11-20"),
        ("Updated 2023-02-30", None),  # no such day
        ("Call 555-1234", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_published_label_beats_updated_and_bare_dates() -> None:
    lines = ["Updated: 2023-11-23", "Nov. 22, 2023", "Published: 2023-11-21 10:00"]
    assert claimed_date_from_lines(lines) == "2023-11-21T10:00:00"
    assert claimed_date_from_lines(["Updated: 2023-11-23"]) == "2023-11-23"
    assert claimed_date_from_lines(["no date here"]) is None


@given(st.text(max_size=200))
def test_parse_date_never_raises(text: str) -> None:
    value = parse_date(text)
    assert value is None or value[:4].isdigit()


@pytest.mark.parametrize(
    ("line", "title", "site"),
    [
        ("Current:Home > MyNATO head says violence -ValueCore", "NATO head says violence", "ValueCore"),
        ("Kosovo clashes | The Daily Planet", "Kosovo clashes", "The Daily Planet"),
        ("Kosovo clashes - a long sentence that is not a site name at all.", "Kosovo clashes", None),
        ("Other headline - Site", "Kosovo clashes", None),
    ],
)
def test_site_name_after_the_title(line: str, title: str, site: str | None) -> None:
    assert site_name_from_title_line(line, title) == site


def test_byline() -> None:
    assert byline_from_lines(["View", "By Llazar Semini and Jovana Gec"]) == "Llazar Semini and Jovana Gec"
    assert byline_from_lines(["By continuing you accept cookies."]) is None
