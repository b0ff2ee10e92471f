"""Claimed publication dates of HTML pages, as ISO 8601.

htmldate is the most accurate open tool for this (see benchmarks/extraction.py), so it decides the
day: its extensive search with ``original_date=True`` (the first publication, not the last update).
What it does not give is the time of day; when the page's structured metadata states a publication
moment on that same day, the time is kept too (``2019-11-19T10:30:00``), otherwise the day alone.
"""

from __future__ import annotations

import re

from htmldate import find_date
from lxml.html import HtmlElement

from storyline.extract.dates import parse_date

# Where pages state the publication moment with a time of day, strongest first.
PUBLISHED_META: tuple[str, ...] = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
)
JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{10,40})"')
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def claimed_date_from_html(html: str, url: str | None, root: HtmlElement | None = None) -> str | None:
    """The date the page claims it was published, ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS]``."""
    try:
        day = find_date(html, url=url, extensive_search=True, original_date=True, outputformat="%Y-%m-%d")
    except (ValueError, TypeError):  # htmldate raises on some malformed date strings
        day = None
    if not isinstance(day, str) or not DAY.fullmatch(day):
        return None
    moment = _stated_moment(html, root)
    if moment is not None and moment.startswith(day) and "T" in moment:
        return moment
    return day


def _stated_moment(html: str, root: HtmlElement | None) -> str | None:
    if root is not None:
        wanted = set(PUBLISHED_META)
        for element in root.iter("meta"):
            key = (element.get("property") or element.get("name") or element.get("itemprop") or "").lower()
            if key in wanted and element.get("content"):
                return parse_date(element.get("content") or "")
    found = JSON_LD_PUBLISHED.search(html)
    return parse_date(found.group(1)) if found else None
