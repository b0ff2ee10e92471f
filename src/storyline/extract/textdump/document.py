"""Features that compare a line with the rest of its page.

Per-line looks cannot tell a comment from a paragraph: both are prose. What can is the page
around them: comments follow a line that opens the thread or says who wrote them; the article
holds most of the page's words around its longest line.

(Echoed heads, a teaser repeating the start of another line, and headlines glued to their
summaries were features here too; the trained models gave them no weight, and they cost a fifth
of the feature time, so they went.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import repeat
from typing import Final

import numpy as np
import numpy.typing as npt

from storyline.extract.textdump import lexicon
from storyline.extract.textdump.chars import matching_lines

FloatArray = npt.NDArray[np.float64]

# Comment markers are looked for on lines shorter than this (widgets, attributions, buttons).
_SHORT_LINE: Final = 160
# The attribution pattern for one scan of many lines joined by newlines: it ends its line, and
# cannot match across a newline (the lines scanned all end in its colon and hold no newline).
_ATTRIBUTION: Final = re.compile(lexicon.COMMENT_ATTRIBUTION.pattern, lexicon.COMMENT_ATTRIBUTION.flags | re.MULTILINE)

DOCUMENT_FEATURES: Final = (
    "comment_marker",
    "comments_before",
    "token_share",
    "from_longest",
)


def _comment_markers(lines: Sequence[str], digits: FloatArray) -> FloatArray:
    """Comment-thread lines: counts and ages (lines with a digit), attributions ending in a
    colon, and the thread's opening or button lines (short lines, the only ones lower-cased)."""
    sizes = np.fromiter(map(len, lines), np.intp, len(lines))
    short = (sizes > 0) & (sizes < _SHORT_LINE)
    # Every count or age pattern needs a digit and stays inside a line: one scan of those lines.
    out = matching_lines(lines, short & (digits > 0), lexicon.COMMENT_COUNTS, "\n")
    rest = short & (out == 0)
    colon = rest & np.fromiter(map(str.endswith, lines, repeat(":")), np.bool_, len(lines))
    attributed = [i for i in colon.nonzero()[0].tolist() if "\n" in lines[i]]
    if attributed:  # a line holding a newline: its own search, as MULTILINE would see two lines
        out[[i for i in attributed if lexicon.COMMENT_ATTRIBUTION.search(lines[i])]] = 1.0
        colon[attributed] = False
    np.maximum(out, matching_lines(lines, colon, (_ATTRIBUTION,), "\n"), out=out)
    ask = (rest & (sizes <= lexicon.COMMENT_OPENER_MAX_CHARS)).nonzero()[0]
    asked = [lines[i].lower() for i in ask.tolist()]
    opens = np.fromiter(map(str.startswith, asked, repeat(lexicon.COMMENT_OPENERS)), np.bool_, len(asked))
    out[ask[opens]] = 1.0
    return out


def document_columns(lines: Sequence[str], words: FloatArray, digits: FloatArray) -> list[FloatArray]:
    """One column per DOCUMENT_FEATURES; `words` is the word count of each line and `digits` its
    share of digits (only whether it is zero matters)."""
    n = len(lines)
    comments = _comment_markers(lines, digits)
    before = comments.cumsum() - comments
    total = max(float(words.sum()), 1.0)
    longest = int(np.argmax(words)) if n else 0
    return [
        comments,
        np.log1p(before),
        words / total,
        (np.arange(n, dtype=np.float64) - longest) / max(n, 1),
    ]
