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

# Whole words (maximal runs of word characters) of at least MIN_OVERLAP_WORD characters.
_WORD_RE: Final = re.compile(rf"\w{{{MIN_OVERLAP_WORD},}}")
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
    "log_repeats",
    "cjk",
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
    return set(_WORD_RE.findall(text.lower()))


def _word_sets(lines: list[str], picked: list[int]) -> list[set[str]]:
    """_word_set of each picked line, lower-cased in one call when that keeps the lines apart."""
    chosen = [lines[i] for i in picked]
    lowered = "\n".join(chosen).lower().split("\n")
    if len(lowered) != len(chosen):  # a line holding a newline
        lowered = [line.lower() for line in chosen]
    return list(map(set, map(_WORD_RE.findall, lowered)))


def _body_words(lines: list[str], body: tuple[int, ...]) -> set[str]:
    # Words never span a newline, and lower() reads no context across one: one call for all lines.
    return _word_set("\n".join(lines[i] for i in body[:BODY_LINES_FOR_OVERLAP]))


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
    picked = np.asarray(candidates)
    rows = x.take(picked, axis=0)
    words = rows[:, 1]
    chars = rows[:, 0]
    overlap = [len(found & body_words) / len(found) if found else 0.0 for found in _word_sets(lines, candidates)]
    # Compared with the candidates before it, a headline is usually the longest plain line.
    longest_before = np.maximum.accumulate(np.concatenate(([-1.0], chars[:-1])))
    # Filled column by column (in TITLE_FEATURES order): cheaper than stacking a dozen columns.
    out = np.empty((len(candidates), len(TITLE_FEATURES)))
    copied = len(_COPIED)
    out[:, :copied] = rows.take(_COPIED_INDEX, axis=1)
    extra = out[:, copied:]
    extra[:, 0] = raw.take(picked)
    extra[:, 1] = [math.log1p(abs(anchor - i)) for i in candidates]
    extra[:, 2] = picked >= anchor
    extra[:, 3] = np.arange(len(candidates) - 1, -1, -1)
    extra[:, 4] = words - words.max()
    extra[:, 5] = inside
    extra[:, 6] = contains
    extra[:, 7] = overlap
    extra[:, 8] = [i > 0 and lines[i - 1] == lines[i] for i in candidates]
    extra[:, 9] = chars > longest_before
    return out
