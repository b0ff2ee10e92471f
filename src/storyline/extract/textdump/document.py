"""Features that compare a line with the rest of its page.

Per-line looks cannot tell a comment from a paragraph, or a teaser from the story it points to:
both are prose. What can is the page around them: comments follow a line that opens the thread
or says who wrote them; a teaser repeats the head of another line; the article holds most of the
page's words around its longest line.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate
from typing import Final

import numpy as np
import numpy.typing as npt

from storyline.extract.textdump import lexicon
from storyline.extract.textdump.chars import PageChars, matching_lines

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

# Comment markers are looked for on lines shorter than this (widgets, attributions, buttons).
_SHORT_LINE: Final = 160
# Echoed heads are looked for with a rolling sum of code points scrambled by this odd number
# (Knuth's multiplicative hash), bucketed by its low bits.
_SCRAMBLE: Final = np.uint64(0x9E3779B97F4A7C15)
_BUCKETS: Final = 1 << 16

DOCUMENT_FEATURES: Final = (
    "comment_marker",
    "comments_before",
    "glued",
    "echoed",
    "holds_echo",
    "token_share",
    "from_longest",
)


def _comment_markers(lines: Sequence[str], digits: FloatArray, lowered: Sequence[str]) -> FloatArray:
    """Comment-thread lines: counts and ages (lines with a digit), attributions ending in a
    colon, and the thread's opening or button lines (short lines); ``lowered`` are the lines
    lower-cased."""
    sizes = np.fromiter(map(len, lines), np.intp, len(lines))
    short = (sizes > 0) & (sizes < _SHORT_LINE)
    # Every count or age pattern needs a digit and stays inside a line: one scan of those lines.
    out = matching_lines(lines, short & (digits > 0), lexicon.COMMENT_COUNTS, "\n")
    openers = lexicon.COMMENT_OPENERS
    attribution = lexicon.COMMENT_ATTRIBUTION.search
    for i in np.flatnonzero(short & (out == 0)).tolist():
        line = lines[i]
        if (line[-1] == ":" and attribution(line)) or (
            len(line) <= lexicon.COMMENT_OPENER_MAX_CHARS and lowered[i].startswith(openers)
        ):
            out[i] = 1.0
    return out


def _glued(text: str, n: int) -> FloatArray:
    """Lines where a word runs into a capital ("SteakhouseA party", "home.Michigan"): teaser
    headlines glued to their summaries. Counted on the page's bytes at once, no regex."""
    raw = np.frombuffer(text.encode("utf-8", "ignore"), dtype=np.uint8)
    if raw.size < 4:
        return np.zeros(n)
    lower = (raw >= 97) & (raw <= 122)
    upper = (raw >= 65) & (raw <= 90)
    stop = (raw == 46) | (raw == 33) | (raw == 63)
    # byte k is a capital; bytes k-3..k-1 are lower-case letters, or k-1 a full stop after two.
    camel = lower[:-3] & lower[1:-2] & lower[2:-1] & upper[3:]
    sentence = lower[:-3] & lower[1:-2] & stop[2:-1] & upper[3:]
    hit = np.flatnonzero(camel | sentence) + 3
    line = np.cumsum(raw == 10)[hit]
    return np.minimum(np.bincount(line, minlength=n)[:n], 1).astype(np.float64)


def _echoes(
    lines: Sequence[str], text: str, starts: Sequence[int], points: npt.NDArray[np.uint32]
) -> tuple[FloatArray, FloatArray]:
    """(head of this line occurs inside another line, this line holds another line's head).

    ``points`` are the code points of ``text``; ``starts`` where each line starts in it.
    """
    n = len(lines)
    echoed, holds = np.zeros(n), np.zeros(n)
    size = lexicon.ECHO_HEAD_CHARS
    heads: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if len(line) >= size:
            heads.setdefault(line[:size], []).append(i)
    if not heads:
        return echoed, holds
    whole = Counter(lines)
    for head, positions in _head_positions(text, points, heads, [starts[ids[0]] for ids in heads.values()]).items():
        # A head found no more often than its line occurs whole echoes nothing (str.count's count).
        count = _count_apart(positions, size)
        for i in heads[head]:
            line = lines[i]
            if count <= whole[line]:
                continue
            for pos in positions:
                j = bisect_right(starts, pos) - 1
                if lines[j] != line:
                    echoed[i] = 1.0
                    holds[j] = 1.0
    return echoed, holds


def _head_positions(
    text: str, points: npt.NDArray[np.uint32], heads: dict[str, list[int]], head_starts: list[int]
) -> dict[str, list[int]]:
    """Every position (overlapping ones too, in order) where one of ``heads`` occurs in ``text``.

    One pass for all heads: a rolling sum of scrambled code points over each window of
    ECHO_HEAD_CHARS characters; only windows whose sum falls in the bucket of a head's own
    window (at ``head_starts``) are compared as text.
    """
    size = lexicon.ECHO_HEAD_CHARS
    scrambled = points.astype(np.uint64) * _SCRAMBLE
    scrambled ^= scrambled >> np.uint64(29)
    running = np.cumsum(scrambled)
    sums = running[size - 1 :].copy()
    sums[1:] -= running[: running.size - size]
    buckets = (sums & np.uint64(_BUCKETS - 1)).astype(np.intp)
    wanted = np.zeros(_BUCKETS, dtype=bool)
    wanted[buckets[head_starts]] = True
    found: dict[str, list[int]] = {}
    for pos in np.flatnonzero(wanted[buckets]).tolist():
        window = text[pos : pos + size]
        if window in heads:
            found.setdefault(window, []).append(pos)
    return found


def _count_apart(positions: list[int], size: int) -> int:
    """How many of the sorted occurrences ``positions`` (of a string of ``size``) do not overlap,
    taken from the left, as str.count counts them."""
    count, free_from = 0, -1
    for pos in positions:
        if pos >= free_from:
            count += 1
            free_from = pos + size
    return count


def document_columns(
    lines: Sequence[str], words: FloatArray, digits: FloatArray, page: PageChars | None = None
) -> list[FloatArray]:
    """One column per DOCUMENT_FEATURES; `words` is the word count of each line and `digits` its
    share of digits (only whether it is zero matters); ``page`` is ``lines`` as PageChars when the
    caller has it."""
    n = len(lines)
    page = page if page is not None else PageChars(lines)
    text = page.text
    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
    comments = _comment_markers(lines, digits, page.lowered_lines)
    before = np.cumsum(comments) - comments
    echoed, holds = _echoes(lines, text, starts, page.points)
    total = max(float(words.sum()), 1.0)
    longest = int(np.argmax(words)) if n else 0
    return [
        comments,
        np.log1p(before),
        _glued(text, n),
        echoed,
        holds,
        words / total,
        (np.arange(n, dtype=np.float64) - longest) / max(n, 1),
    ]
