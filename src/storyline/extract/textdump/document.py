"""Features that compare a line with the rest of its page.

Per-line looks cannot tell a comment from a paragraph, or a teaser from the story it points to:
both are prose. What can is the page around them: comments follow a line that opens the thread
or says who wrote them; a teaser repeats the head of another line; the article holds most of the
page's words around its longest line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from storyline.extract.textdump import lexicon

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

# Comment markers are looked for on lines shorter than this (widgets, attributions, buttons).
_SHORT_LINE: Final = 160

DOCUMENT_FEATURES: Final = (
    "comment_marker",
    "comments_before",
    "glued",
    "echoed",
    "holds_echo",
    "token_share",
    "from_longest",
)


def _comment_markers(lines: Sequence[str], digits: FloatArray) -> FloatArray:
    """Comment-thread lines: counts and ages (lines with a digit), attributions ending in a
    colon, and the thread's opening or button lines (short lines)."""
    out = np.zeros(len(lines))
    has_digits = (digits > 0).tolist()
    counts = lexicon.COMMENT_COUNTS
    openers = lexicon.COMMENT_OPENERS
    attribution = lexicon.COMMENT_ATTRIBUTION.search
    for i, line in enumerate(lines):
        size = len(line)
        if not size or size >= _SHORT_LINE:
            continue
        if (
            (has_digits[i] and any(pattern.search(line) for pattern in counts))
            or (line[-1] == ":" and attribution(line))
            or (size <= lexicon.COMMENT_OPENER_MAX_CHARS and line.lower().startswith(openers))
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


def _echoes(lines: Sequence[str], text: str, starts: IntArray) -> tuple[FloatArray, FloatArray]:
    """(head of this line occurs inside another line, this line holds another line's head)."""
    n = len(lines)
    echoed, holds = np.zeros(n), np.zeros(n)
    whole = Counter(lines)
    size = lexicon.ECHO_HEAD_CHARS
    for i, line in enumerate(lines):
        if len(line) < size:
            continue
        head = line[:size]
        if text.count(head) <= whole[line]:
            continue
        pos = text.find(head)
        while pos >= 0:
            j = int(np.searchsorted(starts, pos, side="right")) - 1
            if lines[j] != line:
                echoed[i] = 1.0
                holds[j] = 1.0
            pos = text.find(head, pos + 1)
    return echoed, holds


def document_columns(lines: Sequence[str], words: FloatArray, digits: FloatArray) -> list[FloatArray]:
    """One column per DOCUMENT_FEATURES; `words` is the word count of each line and `digits` its
    share of digits (only whether it is zero matters)."""
    n = len(lines)
    text = "\n".join(lines)
    starts = np.cumsum([0] + [len(line) + 1 for line in lines])
    comments = _comment_markers(lines, digits)
    before = np.cumsum(comments) - comments
    echoed, holds = _echoes(lines, text, starts)
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
