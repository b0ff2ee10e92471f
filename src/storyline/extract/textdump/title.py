"""Headline candidates and their features.

The headline of an article page sits shortly before the body, is a single line without a final
full stop, shares its words with the body, and often appears a second time glued into a
breadcrumb or a "page title" line. Candidates are the lines in a window around the start of the
body; the headline model (trained like the body model) ranks them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Final

import numpy as np

from storyline.extract.textdump.features import FEATURE_NAMES, FloatArray

# How far before / after the first body line a headline is looked for.
WINDOW_BEFORE: Final = 30
WINDOW_AFTER: Final = 3
# A headline has at least this many characters and at most this many.
MIN_CHARS: Final = 8
MAX_CHARS: Final = 400
# Overlap with body words is counted on words at least this long (skips "a", "of", "la").
MIN_OVERLAP_WORD: Final = 3
# The headline's words show up in the first paragraphs; reading more costs time, adds nothing.
BODY_LINES_FOR_OVERLAP: Final = 8

_WORD_RE: Final = re.compile(r"\w+")
_COPIED: Final = (
    "log_chars",
    "log_words",
    "bullet",
    "ends_sentence",
    "ends_colon",
    "capitalised",
    "digits",
    "separators",
    "stopwords",
    "chrome_words",
    "date_like",
    "counter",
    "link_like",
    "log_repeats",
    "cjk",
    "starts_lower",
    "in_block",
)
_COPIED_INDEX: Final = tuple(FEATURE_NAMES.index(name) for name in _COPIED)

TITLE_FEATURES: Final = (
    *_COPIED,
    "body_score",
    "lines_to_body",
    "after_body_start",
    "candidate_rank",
    "words_vs_longest",
    "inside_other_line",
    "contains_other_line",
    "body_overlap",
    "same_as_previous",
    "longer_than_previous_candidates",
)


def title_candidates(lines: list[str], anchor: int) -> list[int]:
    """Indices of lines that could be the headline of a body starting at line `anchor`."""
    lo = max(0, anchor - WINDOW_BEFORE)
    hi = min(len(lines), anchor + WINDOW_AFTER)
    return [i for i in range(lo, hi) if MIN_CHARS <= len(lines[i]) <= MAX_CHARS]


def _word_set(text: str) -> set[str]:
    return {w for w in _WORD_RE.findall(text.lower()) if len(w) >= MIN_OVERLAP_WORD}


def _body_words(lines: list[str], body: tuple[int, ...]) -> set[str]:
    words: set[str] = set()
    for i in body[:BODY_LINES_FOR_OVERLAP]:
        words |= _word_set(lines[i])
    return words


def _containment(lines: list[str], candidates: list[int]) -> tuple[list[float], list[float]]:
    """Per candidate: is it glued inside another nearby line, and does it hold such a line?

    One substring count per candidate on the joined window (a line found more often than it
    occurs whole is inside another line); pairs are only compared for the rare hits.
    """
    window = [lines[i] for i in candidates]
    joined = "\n".join(window)
    whole = Counter(window)
    inside = [0.0] * len(candidates)
    contains = [0.0] * len(candidates)
    for k, line in enumerate(window):
        if joined.count(line) <= whole[line]:
            continue
        for j, other in enumerate(window):
            if len(other) > len(line) and line in other:
                inside[k] = 1.0
                if len(line) * 3 >= len(other):
                    contains[j] = 1.0
    return inside, contains


def title_features(
    lines: list[str],
    x: FloatArray,
    raw: FloatArray,
    body: tuple[int, ...],
    anchor: int,
    candidates: list[int],
) -> FloatArray:
    """One row of TITLE_FEATURES per candidate."""
    body_words = _body_words(lines, body)
    inside, contains = _containment(lines, candidates)
    longest = max(x[i, 1] for i in candidates)
    rows: list[list[float]] = []
    for rank, k in enumerate(range(len(candidates) - 1, -1, -1)):
        i = candidates[k]
        words = _word_set(lines[i])
        overlap = len(words & body_words) / len(words) if words else 0.0
        distance = anchor - i
        rows.append(
            [
                float(raw[i]),
                math.log1p(abs(distance)),
                float(distance <= 0),
                float(rank),
                float(x[i, 1] - longest),
                inside[k],
                contains[k],
                overlap,
                float(i > 0 and lines[i - 1] == lines[i]),
                0.0,
            ]
        )
    rows.reverse()
    # Compared with the candidates before it, a headline is usually the longest plain line.
    running = -1.0
    for row, i in zip(rows, candidates, strict=True):
        row[-1] = float(x[i, 0] > running)
        running = max(running, float(x[i, 0]))
    extra = np.asarray(rows, dtype=np.float64)
    return np.column_stack([x[np.asarray(candidates)][:, _COPIED_INDEX], extra])
