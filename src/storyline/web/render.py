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
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from markupsafe import Markup, escape

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


@dataclass(frozen=True, slots=True)
class SourceLine:
    number: int
    body: bool
    paragraph: int | None  # the article paragraph this line carries, when known
    markup: Markup


def source_lines(
    text: str, offsets: Sequence[Sequence[int] | None], paragraphs: Sequence[str], highlight: tuple[int, int] | None
) -> tuple[list[SourceLine], bool]:
    """The decoded page as lines, body lines told apart from chrome, and whether it was cut."""
    cut = len(text) > MAX_SOURCE_CHARS
    text = text[:MAX_SOURCE_CHARS]
    spans = [(int(o[0]), int(o[1]), i) for i, o in enumerate(offsets) if o is not None]
    probes = [] if spans else _probes(paragraphs)
    lines: list[SourceLine] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        end = start + len(line)
        paragraph = _paragraph_at(start, end, spans) if spans else _paragraph_matching(line, probes)
        marks = [] if highlight is None else [[highlight[0] - start, highlight[1] - start]]
        markup = marked(line, [m for m in marks if m[1] > 0 and m[0] < len(line)])
        lines.append(SourceLine(number, paragraph is not None, paragraph, markup))
        start = end + 1
        if number >= MAX_SOURCE_LINES:
            cut = True
            break
    return lines, cut


def _paragraph_at(start: int, end: int, spans: Sequence[tuple[int, int, int]]) -> int | None:
    for p_start, p_end, index in spans:
        if p_start < end and start < p_end:
            return index
    return None


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
