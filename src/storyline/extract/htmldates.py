"""Claimed publication dates of HTML pages, as ISO 8601.

htmldate is the most accurate open tool for this (see benchmarks/extraction.py), so it decides the
day: its extensive search with ``original_date=True`` (the first publication, not the last update).
What it does not give is the time of day; when the page's structured metadata states a publication
moment on that same day, the time is kept too (``2019-11-19T10:30:00``), otherwise the day alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

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
_EMPTY_PAGE: Final = "<html><head></head><body></body></html>"
# htmldate looks for "html" in this many first characters of a page before it trusts its parse.
_HTMLDATE_SNIFF_CHARS: Final = 50
JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{10,40})"')
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def claimed_date_from_html(
    html: str,
    url: str | None,
    root: HtmlElement | None = None,
    meta: Sequence[tuple[str, str | None]] | None = None,
    *,
    parsable: bool = False,
) -> str | None:
    """The date the page claims it was published, ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS]``.

    ``root`` is ``html`` parsed and ``meta`` its ``<meta>`` tags as (lower-cased property, name or
    itemprop; content) in document order, when the caller has them;
    ``parsable`` says that ``html`` encodes as UTF-8 as it is (htmldate's parser then reads it).
    """
    try:
        day = _day_from_url(html, url) if parsable else None
        day = day or _htmldate(html, url)
    except (ValueError, TypeError):  # htmldate raises on some malformed date strings
        day = None
    if not isinstance(day, str) or not DAY.fullmatch(day):
        return None
    moment = _stated_moment(html, root, meta)
    if moment is not None and moment.startswith(day) and "T" in moment:
        return moment
    return day


def _day_from_url(html: str, url: str | None) -> str | None:
    """htmldate's answer when the page's address holds the date (``/2019/11/05/...``), else None.

    htmldate parses the page, then answers from the address alone when it can. Asked about an
    empty page at the same address, it gives that answer without the parse (a millisecond). Only
    where its parse of ``html`` cannot fail: a page that opens with ``<html`` or a doctype within
    its first characters (htmldate rejects others as dubious), handed over as encodable text.
    """
    if not url or "html" not in html[:_HTMLDATE_SNIFF_CHARS].lower():
        return None
    day = _htmldate(_EMPTY_PAGE, url)
    return day if isinstance(day, str) else None


def _htmldate(html: str, url: str | None) -> str | None:
    # Extensive search, original_date=True: the first publication, not the last update.
    return find_date(html, url=url, extensive_search=True, original_date=True, outputformat="%Y-%m-%d")


def _stated_moment(html: str, root: HtmlElement | None, meta: Sequence[tuple[str, str | None]] | None) -> str | None:
    if root is not None:
        wanted = set(PUBLISHED_META)
        for key, content in _meta_pairs(root) if meta is None else meta:
            if key in wanted and content:
                return parse_date(content)
    found = JSON_LD_PUBLISHED.search(html)
    return parse_date(found.group(1)) if found else None


def _meta_pairs(root: HtmlElement) -> Iterable[tuple[str, str | None]]:
    for element in root.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").lower()
        yield key, element.get("content")
