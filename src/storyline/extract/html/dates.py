"""Claimed publication dates of HTML pages, as ISO 8601.

The day is what the page tells its readers (the benchmark's gold too is the date shown on the
page), asked in this order:

1. the date printed under the headline, in the article's header (before the body and before any
   teaser of another article), unless its label or markup says it is the last update: what a
   reader sees, in the publisher's own time zone, where the metadata often gives a UTC moment a
   day off, an address holds the day the story was filed, or a meta tag the last update;
2. a date labelled as the publication date ("Published: ...", "Veröffentlicht am ...");
3. the page's address, when it holds the day (``/2019/11/05/...``);
4. htmldate's extensive search with ``original_date=True`` (the first publication, not the last
   update), the most accurate open tool (see benchmarks/extraction.py), with three corrections
   (:func:`_corrected`): its day yields to the structured metadata's publication day when the two
   are more than a day apart (htmldate skips date formats it cannot read and falls back on dates
   in the body); a bare 1 January that the page never writes out is a copyright year, not a day;
   and a day the page prints only as its last edit ("last modified on") is no claim at all.

The time of day is kept when the structured metadata states a publication moment on that same day
(``2019-11-19T10:30:00``), otherwise the day alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Final

import lxml.html
from htmldate import find_date
from lxml.etree import ParserError
from lxml.html import HtmlElement

from storyline.extract.dates import find_visible_day, parse_date
from storyline.extract.html.markup import MetaTags, meta_tags

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
JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{10,40})"')
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

# The article's header: the text after the headline's <h1> and before the body. A standfirst may sit
# between the headline and the date, so one long paragraph is passed over; a second one is the body.
HEADER_ZONE_CHARS = 1000
HEADER_LONG_PARAGRAPHS = 1
LONG_PARAGRAPH_CHARS = 120
# A link this long is a teaser's headline: the dates after it belong to other articles.
TEASER_LINK_CHARS = 30
# The date opens its piece of text, after at most a short label ("Written: ", "von X am ").
DATE_LEAD_CHARS = 30
# Dates after these words are not when the page was published.
NOT_PUBLISHED_LABELS = re.compile(
    r"(?:updated|last edit\w*|modified|joined|member since|born|aktualisiert|geändert|mis à jour|"
    r"actualizado|atualizado|aggiornato|обновлено)\W{0,3}(?:on|am|le|el|il|em)?\W{0,3}$",
    re.IGNORECASE,
)
# Class names and itemprops that mark a date element as the update's, unless it is also marked
# as the publication's (WordPress prints ``class="entry-date published updated"`` on both).
UPDATE_MARKS: tuple[str, ...] = ("updated", "modified")
PUBLISHED_MARKS: tuple[str, ...] = ("published", "posted", "created")
# A short piece of text opening with one of these labels names the publication date.
PUBLISHED_LABELS: tuple[str, ...] = (
    "first published",
    "published",
    "posted",
    "veröffentlicht",
    "erschienen",
    "publié",
    "publicado",
    "pubblicato",
    "опубликовано",
)
# Possessive: the labels start with a letter, and backtracking over a node's leading white space
# was most of the cost of the search.
PUBLISHED_LABEL = re.compile(rf"\W*+(?:{'|'.join(map(re.escape, PUBLISHED_LABELS))})\b", re.IGNORECASE)
# The headline's <h1> is at least half of a title ("Headline | Site") or holds the whole of it.
TITLE_META: frozenset[str] = frozenset({"og:title", "twitter:title"})
HEADLINE_SHARE_OF_TITLE = 2
LABEL_CHUNK_CHARS = 80
LABEL_LOOKAHEAD_CHUNKS = 3
# Text nodes looked through for those chunks, blank ones included: bounds the work per label, so a
# page made of labels costs linear time.
LABEL_LOOKAHEAD_NODES = 30
# Text nodes looked at after the headline, blank ones included: the header is long past by then.
HEADER_ZONE_NODES = 300
INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "title"})
# More than this many days between htmldate's day and the metadata's is not a time-zone shift.
TIME_ZONE_SHIFT_DAYS = 1


def claimed_date_from_html(
    html: str,
    url: str | None,
    root: HtmlElement | None = None,
    meta: MetaTags | None = None,
) -> str | None:
    """The date the page claims it was published, ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS]``.

    ``root`` is ``html`` parsed and ``meta`` its ``<meta>`` tags as (lower-cased property, name or
    itemprop; content) in document order, when the caller has them.
    """
    if root is None:
        root = _parse(html)
    if meta is None and root is not None:
        meta = meta_tags(root)
    day = _page_day(html, url, root, meta)
    if not isinstance(day, str) or not DAY.fullmatch(day):
        return None
    moment = _stated_moment(html, meta)
    if moment is not None and moment.startswith(day) and "T" in moment:
        return moment
    return day


def _page_day(html: str, url: str | None, root: HtmlElement | None, meta: MetaTags | None) -> str | None:
    if root is not None:
        printed = _header_day(root) or _labelled_day(root)
        if printed is not None:
            return printed
    try:
        day = _day_from_url(url) or _corrected(_htmldate(html, url), html, root, meta)
    except (ValueError, TypeError):  # htmldate raises on some malformed date strings
        return None
    return day


def _corrected(
    day: str | None,
    html: str,
    root: HtmlElement | None,
    meta: MetaTags | None,
) -> str | None:
    """htmldate's day, unless the page's metadata or its wording say otherwise."""
    if not isinstance(day, str):
        return None
    stated = _stated_moment(html, meta)
    if stated is not None and _days_apart(stated[:10], day) > TIME_ZONE_SHIFT_DAYS:
        return stated[:10]
    if day.endswith("-01-01") and not _states_new_year(html, day[:4]):
        return None
    if stated is None and root is not None and _printed_only_as_update(root, day):
        return None
    return day


def _day_from_url(url: str | None) -> str | None:
    """The day the page's address holds (``/2019/11/05/...``), as htmldate reads addresses.

    Asked about an empty page at that address, htmldate answers from the address alone, without
    parsing the page (a millisecond).
    """
    if not url:
        return None
    day = _htmldate(_EMPTY_PAGE, url)
    return day if isinstance(day, str) else None


def _htmldate(html: str, url: str | None) -> str | None:
    # Extensive search, original_date=True: the first publication, not the last update.
    return find_date(html, url=url, extensive_search=True, original_date=True, outputformat="%Y-%m-%d")


def _stated_moment(html: str, meta: MetaTags | None) -> str | None:
    """The publication moment the metadata states (``<meta>`` tags first, then JSON-LD)."""
    wanted = set(PUBLISHED_META)
    for key, content in meta or ():
        if key in wanted and content:
            return parse_date(content)
    found = JSON_LD_PUBLISHED.search(html)
    return parse_date(found.group(1)) if found else None


def _parse(html: str) -> HtmlElement | None:
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", errors="replace"))
    except (ParserError, ValueError):
        return None


def _header_day(root: HtmlElement) -> str | None:
    """The day printed under the headline, before the body and any teaser."""
    headline = _headline_element(root)
    if headline is None:
        return None
    seen = long_paragraphs = 0
    before = ""
    for text, element in _visible_texts(headline.xpath(f"following::text()[position() <= {HEADER_ZONE_NODES}]")):
        seen += len(text)
        if seen > HEADER_ZONE_CHARS:
            return None
        if len(text) >= TEASER_LINK_CHARS and _in_link(element):
            return None
        if len(text) > LONG_PARAGRAPH_CHARS:
            long_paragraphs += 1
            if long_paragraphs > HEADER_LONG_PARAGRAPHS:
                return None
        else:
            found = find_visible_day(text)
            if found is not None and found[0] <= DATE_LEAD_CHARS and not any(map(str.isdigit, text[: found[0]])):
                label = f"{before[-DATE_LEAD_CHARS:]} {text[: found[0]]}"
                return None if NOT_PUBLISHED_LABELS.search(label) or _marked_as_update(element) else found[1]
        before = text
    return None


def _headline_element(root: HtmlElement) -> HtmlElement | None:
    """The last <h1> that gives the page's title: not a logo or a section name in an <h1>.

    It is most of the page's title (``<title>``, og:title or twitter:title), or the title is most
    of it; without any title, the first <h1>.
    """
    titles = [_folded(root.findtext(".//title") or "")]
    titles += [_folded(element.get("content") or "") for element in root.iter("meta") if _is_title_meta(element)]
    titles = [title for title in titles if title]
    found = None
    for h1 in root.iter("h1"):
        text = _folded(h1.text_content())
        if text and not titles:
            return h1
        if text and any(_most_of(text, title) or _most_of(title, text) for title in titles):
            found = h1  # the last: a sticky site header repeats the headline before the article
    return found


def _is_title_meta(element: HtmlElement) -> bool:
    return (element.get("property") or element.get("name") or "").lower() in TITLE_META


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _most_of(part: str, whole: str) -> bool:
    return part in whole and len(part) * HEADLINE_SHARE_OF_TITLE >= len(whole)


def _labelled_day(root: HtmlElement) -> str | None:
    """The day after the first short "Published: ..." label in the page's visible text."""
    body = root.find("body")
    if body is None:
        return None
    # The labels are looked for on plain strings; the text nodes that know their element (slower
    # to make) are asked for only when a label is there.
    plain = body.xpath(".//text()", smart_strings=False)
    labelled = [index for index, text in enumerate(plain) if PUBLISHED_LABEL.match(text)]
    if not labelled:
        return None
    nodes = body.xpath(".//text()")
    for index in labelled:
        node = nodes[index]
        label = PUBLISHED_LABEL.match(node)
        if label is None or len(node.strip()) > LABEL_CHUNK_CHARS or not any(_visible_texts([node])):
            continue
        following = _visible_texts(nodes[index + 1 : index + 1 + LABEL_LOOKAHEAD_NODES])
        lookahead = [text for _, (text, _element) in zip(range(LABEL_LOOKAHEAD_CHUNKS), following, strict=False)]
        text = " ".join([" ".join(node[label.end() :].split()), *lookahead])
        found = find_visible_day(text[:LABEL_CHUNK_CHARS])
        if found is not None and found[0] <= DATE_LEAD_CHARS:
            return found[1]
    return None


def _printed_only_as_update(root: HtmlElement, day: str) -> bool:
    """Whether the page prints ``day`` and only ever after an update label ("last modified on").

    A wiki page's one visible date is its last edit: no claim about when it was first published.
    """
    body = root.find("body")
    if body is None:
        return False
    year = day[:4]
    printed = False
    before = ""
    for text, element in _visible_texts(body.xpath(".//text()")):
        found = find_visible_day(text) if year in text else None
        if found is not None and found[1] == day:
            label = f"{before[-DATE_LEAD_CHARS:]} {text[: found[0]]}"
            if not (NOT_PUBLISHED_LABELS.search(label) or _marked_as_update(element)):
                return False
            printed = True
        before = text
    return printed


def _visible_texts(nodes: Iterable[object]) -> Iterator[tuple[str, HtmlElement]]:
    """Each non-blank text node outside scripts and styles, white space collapsed, with its element."""
    for node in nodes:
        if not isinstance(node, str):
            continue
        parent = node.getparent()  # type: ignore[attr-defined]  # lxml's "smart" strings
        element = parent.getparent() if node.is_tail else parent  # type: ignore[attr-defined]
        if element is None or not isinstance(element.tag, str) or element.tag in INVISIBLE_TAGS:
            continue
        text = " ".join(node.split())
        if text:
            yield text, element


def _marked_as_update(element: HtmlElement) -> bool:
    """``<time class="entry-updated">``: the markup says the date is the last update's."""
    marks = f"{element.get('class') or ''} {element.get('itemprop') or ''}".lower()
    return any(mark in marks for mark in UPDATE_MARKS) and not any(mark in marks for mark in PUBLISHED_MARKS)


def _in_link(element: HtmlElement) -> bool:
    return element.tag == "a" or any(ancestor.tag == "a" for ancestor in element.iterancestors())


def _days_apart(first: str, second: str) -> int:
    try:
        return abs((date.fromisoformat(first) - date.fromisoformat(second)).days)
    except ValueError:
        return 0


def _states_new_year(html: str, year: str) -> bool:
    """Whether the page writes out 1 January of ``year`` (not just the year)."""
    pattern = rf"{year}[-/.]0?1[-/.]0?1(?!\d)|(?<!\d)0?1\.0?1\.{year}"
    return re.search(pattern, html) is not None
