"""View helpers: everything that turns untrusted page content into markup goes through here.

The rule is always the same: escape the text first, then add our own tags around escaped pieces.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

from markupsafe import Markup, escape

from storyline.sniff import DecodeFailure, declared_charset, decode_text

MAX_SOURCE_CHARS = 400_000  # a bigger page is shown cut, with the raw download for the rest
MAX_SOURCE_LINES = 8_000
TAG = re.compile(r"<[^>]*>")
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_url(url: object) -> str | None:
    """``url`` if it is an absolute http(s) URL we may put in an ``href``; otherwise ``None``."""
    if not isinstance(url, str) or len(url) > 4000:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return parts.geturl()


def marked(text: str, spans: Sequence[Sequence[int]]) -> Markup:
    """``text`` escaped, with ``<mark>`` around each ``[start, end]`` span (spans in text order)."""
    out: list[str] = []
    position = 0
    for start, end in spans:
        start, end = max(start, position), min(end, len(text))
        if start >= end:
            continue
        out.append(str(escape(text[position:start])))
        out.append("<mark>" + str(escape(text[start:end])) + "</mark>")
        position = end
    out.append(str(escape(text[position:])))
    return Markup("".join(out))


def parse_highlight(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    match = re.fullmatch(r"(\d{1,9})-(\d{1,9})", value)
    if not match or int(match[1]) >= int(match[2]):
        return None
    return int(match[1]), int(match[2])


def page_text(raw: bytes, page_format: str) -> str | None:
    """The page decoded as extraction decoded it, so stored paragraph offsets line up."""
    declared = declared_charset(raw) if page_format == "html" else None
    try:
        text, _encoding = decode_text(raw, declared)
    except DecodeFailure:
        return None
    return text


def source_lines(
    text: str, offsets: Sequence[Sequence[int] | None], paragraphs: Sequence[str], highlight: tuple[int, int] | None
) -> tuple[Markup, bool]:
    """The decoded page as ``<li>`` lines, body lines told apart from chrome, and whether it was cut.

    The lines are joined here rather than looped over in the template: a page has hundreds of
    lines, and a template loop spent more per line than the escaping itself (half the article
    page's CPU). Each line is escaped (``escape`` or ``marked``); the tags around it carry only our
    numbers.
    """
    cut = len(text) > MAX_SOURCE_CHARS
    text = text[:MAX_SOURCE_CHARS]
    spans = sorted((int(o[0]), int(o[1]), i) for i, o in enumerate(offsets) if o is not None)
    probes = [] if spans else _probes(paragraphs)
    out: list[str] = []
    start, next_span = 0, 0  # next_span: the first span that does not end before this line
    for number, line in enumerate(text.split("\n"), start=1):
        end = start + len(line)
        if spans:
            # Lines and spans both go forward through the text, so a span passed is never needed again.
            while next_span < len(spans) and spans[next_span][1] <= start:
                next_span += 1
            overlaps = next_span < len(spans) and spans[next_span][0] < end
            paragraph = spans[next_span][2] if overlaps else None
        else:
            paragraph = _paragraph_matching(line, probes)
        if highlight is not None and highlight[0] < end and start < highlight[1]:
            markup = marked(line, [[highlight[0] - start, highlight[1] - start]])
        else:
            markup = escape(line)
        kind = 'class="chrome"' if paragraph is None else f'class="body" data-p="{paragraph + 1}"'
        out.append(f'<li id="L{number}" {kind}><span class="ln">{number}</span><code>{markup}</code></li>\n')
        start = end + 1
        if number >= MAX_SOURCE_LINES:
            cut = True
            break
    return Markup("".join(out)), cut


def paragraph_items(
    paragraphs: Sequence[str],
    offsets: Sequence[Sequence[int] | None],
    shared: dict[int, list[tuple[int, int]]],
    highlight: tuple[int, int] | None,
) -> Markup:
    """The article's paragraphs as ``<p>`` elements with their links.

    Built here for the same reason as ``source_lines``. Only the paragraph text is page content,
    and it is escaped; the links carry only numbers.
    """
    out: list[str] = []
    for index, text in enumerate(paragraphs):
        number = index + 1
        span = offsets[index] if index < len(offsets) else None
        marked_class = ""
        if span is not None and highlight is not None and span[0] < highlight[1] and highlight[0] < span[1]:
            marked_class = " hl"
        links = "".join(
            f'<a class="shared" href="/articles/{int(other)}#p{int(position) + 1}" '
            f'title="Near-identical paragraph in another article">also in #{int(other)}</a>'
            for other, position in shared.get(index, ())
        )
        if span is not None:
            links += (
                f'<a class="to-source" href="?highlight={int(span[0])}-{int(span[1])}#p{number}" '
                'title="Highlight in the source page">source</a>'
            )
        out.append(
            f'<p id="p{number}" class="para{marked_class}">\n'
            f'<a class="pnum" href="#p{number}" title="Link to this paragraph">¶{number}</a>\n'
            f"{escape(text)}\n{links}\n</p>\n"
        )
    return Markup("".join(out))


def _probes(paragraphs: Sequence[str]) -> list[tuple[str, int]]:
    # HTML extraction keeps no offsets: find each paragraph's opening words in the tag-stripped lines.
    return [(p[:48].strip(), i) for i, p in enumerate(paragraphs) if len(p.strip()) >= 12]


def _paragraph_matching(line: str, probes: Sequence[tuple[str, int]]) -> int | None:
    if "<" not in line and "&" not in line and not line.strip():
        return None
    visible = html.unescape(TAG.sub(" ", line))
    visible = " ".join(visible.split())
    for probe, index in probes:
        if probe and " ".join(probe.split()) in visible:
            return index
    return None


def csv_text(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    """CSV of ``rows``; cells that a spreadsheet would run as formulas are prefixed with a quote."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "'" + text if text.startswith(CSV_FORMULA_START) else text


def with_params(path: str, params: Iterable[tuple[str, str]], **changes: object) -> str:
    """``path?query`` with ``changes`` applied (``None`` drops a parameter); stays on this site."""
    merged = {key: value for key, value in params if key not in changes}
    merged.update({key: str(value) for key, value in changes.items() if value is not None})
    query = urlencode(sorted(merged.items()))
    return path + ("?" + query if query else "")
