"""Articles from HTML pages: main text, headline, site name, author, claimed date, language.

The body comes from the engine the comparer in :mod:`.engines` trusts for the page (trafilatura in
precision mode, with readability as the fallback when trafilatura keeps too little), then the chrome
rules in :mod:`.chrome` drop leftover labels, teasers and promotions. The headline and metadata are
read from the page's own markup (:mod:`.markup`), the claimed date by
:mod:`.dates`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree
from lxml.etree import ParserError

from storyline.config import ExtractOptions
from storyline.extract.html.chrome import drop_chrome
from storyline.extract.html.dates import claimed_date_from_html
from storyline.extract.html.engines import best_text
from storyline.extract.html.markup import author, headline, language, meta_tags

ENGINE = "html-comparer"
# The page arrives decoded; re-encoded as UTF-8 it must be read as UTF-8 whatever its <meta> declares.
# lxml (under every engine) refuses strings holding NUL or C0 control characters: browsers ignore them.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same characters as UTF-8 bytes (they never occur inside a multi-byte character): looking for
# them in the encoded page is a fast C loop; the regex above runs only on the rare page holding one.
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
# lxml.html's class lookup calls back into Python for every element handed to Python (a tenth of
# trafilatura's time on our tree). Here every element is a plain HtmlElement, looked up in C; the
# form-control classes (input, select, ...) that lookup adds are used by none of the engines.
PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)

# libxml2 stops building the tree at this depth and says so in the parser's error log.
PARSER_DEPTH_LIMIT = 256
EXCESSIVE_DEPTH = "Excessive depth"

__all__ = ["ENGINE", "PARSER_DEPTH_LIMIT", "HtmlExtraction", "HtmlTooDeep", "extract_html"]


@dataclass(frozen=True, slots=True)
class HtmlTooDeep:
    """The page nests elements deeper than the parser builds: its text would be silently cut.

    Refused before any engine runs, since some (resiliparse's main-content mode) take time
    quadratic in the depth: minutes for a page nested 100,000 deep.
    """

    limit: int = PARSER_DEPTH_LIMIT


@dataclass(frozen=True, slots=True)
class HtmlExtraction:
    title: str | None
    paragraphs: tuple[str, ...]
    site_name: str | None
    author: str | None
    date: str | None
    language: str | None
    engine: str = ENGINE  # which engine's text was kept: "trafilatura" or "readability"


def extract_html(html: str, url: str | None, options: ExtractOptions) -> HtmlExtraction | HtmlTooDeep | None:
    """Main text and metadata of an HTML page, or ``None`` when no main text is found."""
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (decode_text never leaves any): every engine reads "?"
        data = html.encode("utf-8", errors="replace")
        html = data.decode("utf-8")
    if len(data.translate(None, CONTROL_BYTES)) != len(data):
        html = CONTROL_CHARS.sub("", html)
        data = html.encode("utf-8", errors="replace")
    root = _parse(data)
    if root is None:
        return None
    if any(EXCESSIVE_DEPTH in entry.message for entry in PARSER.error_log):
        return HtmlTooDeep()
    # Metadata first: the main-text engine is handed the same parsed tree and prunes it in place.
    meta = meta_tags(root)
    title, site_name = headline(root, url, meta)
    found_author, found_language = author(root, meta), language(root, meta)
    date = claimed_date_from_html(html, url, root, meta)
    text = best_text(html, url, root)
    paragraphs = _without_headline(drop_chrome(text.paragraphs), title)
    if not paragraphs:
        return None
    return HtmlExtraction(
        title=title or None,
        paragraphs=paragraphs,
        site_name=site_name,
        author=found_author,
        date=date,
        language=found_language,
        engine=text.engine,
    )


def _without_headline(paragraphs: tuple[str, ...], title: str | None) -> tuple[str, ...]:
    # Engines sometimes keep the <h1> as the first paragraph: the headline is not body text.
    if title and len(paragraphs) > 1 and paragraphs[0] == title:
        return paragraphs[1:]
    return paragraphs


def _parse(data: bytes) -> lxml.html.HtmlElement | None:
    # lxml refuses str input with an XML encoding declaration; bytes let it read past that.
    try:
        return lxml.html.document_fromstring(data, parser=PARSER)
    except (ParserError, ValueError):
        return None
