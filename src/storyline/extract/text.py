"""Articles from flattened text dumps: one block per line, no DOM.

The line layout (which line is the headline, which lines are the body) comes from the text-dump
cleaner in ``storyline.extract.textdump``; the metadata (claimed date, site name, byline) is read
from the chrome lines around them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from storyline.config import ExtractOptions
from storyline.extract.dates import claimed_date_from_lines
from storyline.extract.metadata import byline_from_lines, site_name_from_title_line
from storyline.extract.textdump import locate_article

# How far before the body (and after its end) metadata lines are looked for.
HEADER_WINDOW = 12
FOOTER_WINDOW = 3


@dataclass(frozen=True, slots=True)
class TextExtraction:
    title: str | None
    paragraphs: tuple[str, ...]
    # (start, end) character offsets of each paragraph in the decoded page text.
    offsets: tuple[tuple[int, int], ...]
    site_name: str | None
    byline: str | None
    date: str | None


LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


def split_lines(text: str) -> tuple[list[str], list[int]]:
    """The lines of ``text`` (without line ends) and the offset where each starts."""
    if "\r" not in text:  # the usual dump: one C-level split instead of a regex match per line
        lines = text.split("\n")
        if len(lines) > 1 and not lines[-1]:
            lines.pop()  # a final line end does not start another line
        return lines, list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    return split_lines_by_regex(text)


def split_lines_by_regex(text: str) -> tuple[list[str], list[int]]:
    """``split_lines`` for any line ends (\\n, \\r\\n, \\r), one regex match per line."""
    lines: list[str] = []
    starts: list[int] = []
    for match in LINE.finditer(text):
        if match.start() == len(text) and lines:
            break
        lines.append(match.group(0).rstrip("\r\n"))
        starts.append(match.start())
    return lines, starts


def extract_text(text: str, options: ExtractOptions) -> TextExtraction | None:
    """Headline, body paragraphs and metadata of a text dump, or ``None`` if it has no body."""
    lines, starts = split_lines(text)
    lines = lines[: options.max_text_lines]
    stripped = list(map(str.strip, lines))
    title_index, body_indices = locate_article(stripped)
    body = [i for i in body_indices if stripped[i]]
    if not body:
        return None
    title = stripped[title_index] if title_index is not None else None
    taken = set(body) | ({title_index} if title_index is not None else set())
    header = [i for i in range(max(0, body[0] - HEADER_WINDOW), body[0]) if i not in taken]
    footer = [i for i in range(body[-1] + 1, min(len(lines), body[-1] + 1 + FOOTER_WINDOW))]
    header_lines = [stripped[i] for i in header]
    footer_lines = [stripped[i] for i in footer]
    return TextExtraction(
        title=title,
        paragraphs=tuple(stripped[i] for i in body),
        offsets=tuple(_offset(lines[i], starts[i]) for i in body),
        site_name=_site_name(stripped, title, header),
        byline=byline_from_lines(header_lines + footer_lines),
        # A date in the header wins; failing that, a date below the body (the header lines, which
        # hold none, need no second look).
        date=claimed_date_from_lines(header_lines) or claimed_date_from_lines(footer_lines),
    )


def _site_name(lines: Sequence[str], title: str | None, header: Sequence[int]) -> str | None:
    if not title:
        return None
    for index in header:
        line = lines[index]
        if line != title and title in line:
            name = site_name_from_title_line(line, title)
            if name:
                return name
    return None


def _offset(line: str, start: int) -> tuple[int, int]:
    lead = len(line) - len(line.lstrip())
    return start + lead, start + lead + len(line.strip())
