"""Headline, site name, author and language from an HTML page's markup.

A page states its headline in several places: the ``<h1>``, ``og:title`` / ``twitter:title`` and
``<title>``. The last two often carry the site name ("Headline | Site"). The site name is removed
only when the part cut off is the site's name (``og:site_name``, ``application-name``) or a word of
the host name, or when what remains is exactly the page's ``<h1>``.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from lxml.html import HtmlElement

# Between a headline and the site name, tried in this order.
TITLE_SEPARATORS: tuple[str, ...] = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / ")
# Where each field is stated, strongest first: (attribute holding the name, name).
HEADLINE_META: tuple[str, ...] = ("og:title", "twitter:title")
SITE_NAME_META: tuple[str, ...] = ("og:site_name", "application-name", "twitter:site")
AUTHOR_META: tuple[str, ...] = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator")
MAX_HEADLINE_CHARS = 400
MAX_H1_TO_CHECK = 3


# Every <meta> of a page as (lower-cased property, name or itemprop; content), in document order:
# read once, then looked up for each field.
MetaTags = tuple[tuple[str, str | None], ...]


def meta_tags(root: HtmlElement) -> MetaTags:
    return tuple(
        (
            (element.get("property") or element.get("name") or element.get("itemprop") or "").lower(),
            element.get("content"),
        )
        for element in root.iter("meta")
    )


def meta_value(meta: MetaTags, names: Iterable[str]) -> str | None:
    """The first non-empty ``content`` of a ``<meta>`` whose property or name is in ``names``
    (the earliest name in ``names`` that has one)."""
    wanted = {name.lower(): rank for rank, name in enumerate(names)}
    best: tuple[int, str] | None = None
    for key, content in meta:
        rank = wanted.get(key)
        if rank is None or (best is not None and rank >= best[0]):
            continue
        value = clean(content)
        if value:
            best = (rank, value)
    return best[1] if best else None


def clean(value: str | None) -> str | None:
    if not value:
        return None
    text = " ".join(html_lib.unescape(value).split())
    return text or None


def site_words(site_name: str | None, url: str | None) -> set[str]:
    """Lower-cased names the site goes by: its stated name and the words of its host name."""
    words = {site_name.lower().lstrip("@")} if site_name else set()
    host = (urlsplit(url).hostname or "") if url else ""
    words |= {part for part in re.split(r"[.\-]", host.lower()) if len(part) > 2 and part not in {"www", "com"}}
    return words


def strip_site(title: str, names: set[str], h1: str | None) -> str:
    """``title`` without the site name glued before or after it."""
    squashed = {name.replace(" ", "") for name in names}
    for separator in TITLE_SEPARATORS:
        if separator not in title:
            continue
        head, _, tail = title.rpartition(separator)
        first, _, rest = title.partition(separator)
        if _is_site(tail, names, squashed) or (h1 is not None and head.strip() == h1):
            return head.strip()
        if _is_site(first, names, squashed) or (h1 is not None and rest.strip() == h1):
            return rest.strip()
    return title


def _is_site(part: str, names: set[str], squashed: set[str]) -> bool:
    lowered = part.strip().lower()
    return lowered in names or lowered.replace(" ", "") in squashed


def headline(root: HtmlElement, url: str | None, meta: MetaTags | None = None) -> tuple[str | None, str | None]:
    """(headline, site name) of the page; ``meta`` is meta_tags(root) when the caller has it."""
    meta = meta_tags(root) if meta is None else meta
    site_name = meta_value(meta, SITE_NAME_META)
    h1s = [clean(h.text_content()) for _, h in zip(range(MAX_H1_TO_CHECK), root.iter("h1"), strict=False)]
    h1 = next((h for h in h1s if h and len(h) <= MAX_HEADLINE_CHARS), None)
    title_element = root.find(".//title")
    page_title = clean(title_element.text_content()) if title_element is not None else None
    stated = meta_value(meta, HEADLINE_META) or page_title
    if stated is None:
        return h1, site_name
    names = site_words(site_name, url)
    return strip_site(stated, names, h1)[:MAX_HEADLINE_CHARS], site_name


def author(root: HtmlElement, meta: MetaTags | None = None) -> str | None:
    value = meta_value(meta_tags(root) if meta is None else meta, AUTHOR_META)
    if value is None or value.startswith(("http://", "https://")) or len(value) > 120:
        return None
    return value


def language(root: HtmlElement, meta: MetaTags | None = None) -> str | None:
    """The two-letter language the page declares (``<html lang>`` or ``og:locale``), if any."""
    declared = (
        root.get("lang")
        or root.get("xml:lang")
        or meta_value(meta_tags(root) if meta is None else meta, ("og:locale", "content-language"))
    )
    match = re.match(r"\s*([a-zA-Z]{2})(?:[-_]|\s*$)", declared or "")
    return match.group(1).lower() if match else None
