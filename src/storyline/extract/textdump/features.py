"""Per-line features of a text dump, computed for all lines of a page at once.

A dump has no markup, so a line is judged by what it looks like (length, punctuation, share of
function words, digits, separators) and by where it sits: body paragraphs come in runs of long,
sentence-ending lines, while chrome comes in runs of short ones. Per-line Python work is kept to
a few C-level calls per line (startswith, a Counter); character classes, line ends and white-space
tokens are found for the whole page at once on its code points (``chars.PageChars``), tokens are looked
up in the lexicon by a hash of their code points rather than split into strings, the lines that
regexes look at are scanned in one call per pattern, and every context feature is numpy.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import compress, repeat
from typing import Final

import numpy as np
import numpy.typing as npt

from storyline.extract.textdump import lexicon
from storyline.extract.textdump.chars import (
    CJK,
    COMMA,
    DIGIT,
    SENTENCE,
    SEPARATOR,
    PageChars,
    char_classes,
    matching_lines,
)
from storyline.extract.textdump.document import DOCUMENT_FEATURES, document_columns

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]

# Chrome words as they appear as whitespace tokens: bare or with the punctuation glued to them
# in menus ("Share:", "(Comments)", "Login|"); a set lookup beats stripping every token.
_GLUE: Final = ("", ":", ",", ".", "|", ")", "»", "›", "!")
_CHROME_FORMS: Final = frozenset(
    f"{lead}{word}{tail}" for word in lexicon.CHROME_WORDS for lead in ("", "(", "[", "«", "|") for tail in _GLUE
)
# Lines shorter than this are checked against the date patterns; in a long paragraph
# such a hit says nothing.
_SHORT_LINE: Final = 160
# Chrome words are looked for only in lines this short (menus, buttons, widget titles).
_CHROME_MAX_TOKENS: Final = 12

LINE_FEATURES: Final = (
    "log_chars",
    "log_words",
    "bullet",
    "ends_sentence",
    "ends_colon",
    "sentence_marks",
    "comma_density",
    "capitalised",
    "digits",
    "separators",
    "stopwords",
    "chrome_words",
    "date_like",
    "log_repeats",
    "cjk",
    "mean_word_len",
)
# Indices into LINE_FEATURES used to describe neighbours.
_CONTEXT_COLUMNS: Final = (0, 2, 3, 10)
_CONTEXT_OFFSETS: Final = (-3, -2, -1, 1, 2, 3)
_WINDOWS: Final = (2, 5, 12)


# Stopwords and capitals are counted on the first tokens of a line: a sample is enough.
_SAMPLE_TOKENS: Final = 16
# Lower-cased tokens that are stopwords (bit 1) or chrome words (bit 2): one lookup for both.
_STOPWORD, _CHROME = 1, 2
_TOKEN_KINDS: Final = {
    **dict.fromkeys(_CHROME_FORMS, _CHROME),
    **{word: _STOPWORD | (_CHROME if word in _CHROME_FORMS else 0) for word in lexicon.STOPWORDS},
}
# Tokens are looked up in _TOKEN_KINDS by a polynomial hash of their code points (mod 2**64,
# computed with numpy for all tokens of a page at once) instead of one dict lookup per token;
# a token longer than every key is no key.
_HASH_BASE: Final = 0x100000001B3
_KEY_CHARS: Final = max(map(len, _TOKEN_KINDS))
_HASH_POWERS: Final = np.array([pow(_HASH_BASE, k, 1 << 64) for k in range(_KEY_CHARS)], dtype=np.uint64)


def _hashes(points: npt.NDArray[np.uint32], starts: IntArray, sizes: IntArray) -> npt.NDArray[np.int64]:
    """Hash of each run points[start : start + size] (every size 1.._KEY_CHARS), as int64 (which
    numpy searches faster than uint64)."""
    if not starts.size:
        return np.zeros(0, dtype=np.int64)
    # The runs' characters side by side: their offset in the run and their index in points, each
    # a cumulative sum of steps of 1 that jump where a run starts.
    first = sizes.cumsum() - sizes
    offset = np.ones(int(first[-1] + sizes[-1]), dtype=np.intp)
    index = offset.copy()
    offset[0], index[0] = 0, starts[0]
    offset[first[1:]] = 1 - sizes[:-1]
    index[first[1:]] = starts[1:] - starts[:-1] - sizes[:-1] + 1
    # take(): the same elements as indexing, faster for integer indices.
    terms = points.take(index.cumsum()).astype(np.uint64) * _HASH_POWERS.take(offset.cumsum())
    out: npt.NDArray[np.int64] = np.add.reduceat(terms, first).view(np.int64)
    return out


def _key_table() -> tuple[npt.NDArray[np.int64], IntArray, npt.NDArray[np.int32]]:
    """The hashes of _TOKEN_KINDS' keys, sorted; the kind of each; and a direct table from the
    low bits of a hash to the one key there (-1: none, -2: several, search the sorted hashes)."""
    keys = list(_TOKEN_KINDS)
    points = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32)
    sizes = np.fromiter(map(len, keys), np.intp, len(keys))
    hashes = _hashes(points, np.cumsum(sizes) - sizes, sizes)
    order = np.argsort(hashes)
    if np.unique(hashes).size != hashes.size:  # never seen; would make two keys one
        raise RuntimeError("token hash collision among lexicon keys")
    hashes = hashes[order]
    slots = hashes & _SLOT_MASK
    table = np.full(_SLOT_MASK + 1, -1, dtype=np.int32)
    table[slots] = np.arange(hashes.size, dtype=np.int32)
    table[slots[np.bincount(slots, minlength=_SLOT_MASK + 1)[slots] > 1]] = -2
    return hashes, np.fromiter(map(_TOKEN_KINDS.__getitem__, keys), np.intp, len(keys))[order], table


# A binary search per token is slow (a branch mispredicted per step): most tokens are found, or
# found missing, with one look in a table of 2**16 slots.
_SLOT_MASK: Final = (1 << 16) - 1
_KEY_HASHES, _KEY_KINDS, _KEY_SLOTS = _key_table()


def _token_kinds(points: npt.NDArray[np.uint32], starts: IntArray, ends: IntArray) -> IntArray:
    """_TOKEN_KINDS of each token points[start:end] (0 for none)."""
    sizes = ends - starts
    fits = (sizes <= _KEY_CHARS).nonzero()[0]
    hashes = _hashes(points, starts.take(fits), sizes.take(fits))
    at = _KEY_SLOTS.take(hashes & _SLOT_MASK).astype(np.intp)
    shared = (at == -2).nonzero()[0]
    if shared.size:
        at[shared] = np.minimum(np.searchsorted(_KEY_HASHES, hashes[shared]), _KEY_HASHES.size - 1)
    found = (at >= 0) & (_KEY_HASHES.take(at) == hashes)
    kinds = np.zeros(starts.size, dtype=np.intp)
    kinds[fits[found]] = _KEY_KINDS[at[found]]
    return kinds


# Lines are joined with this character to scan them with one regex call: it is no digit, letter,
# white space or date punctuation, so no date pattern matches across it.
_DATE_JOIN: Final = "\x00"


def _token_columns(page: PageChars) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Per line: token count, and the stopword, capitalised and chrome shares of its first
    tokens (chrome only on short lines)."""
    n = page.n
    starts, ends = page.token_spans()
    lowered = page.lowered_points
    changed = page.changed_tokens(starts)
    if lowered is None or changed is None:  # odd scripts: the slow, sure way
        return _token_columns_by_line(page.lines, page.text)
    counts = np.bincount(page.line.take(starts), minlength=n)
    owner = np.repeat(np.arange(n), counts)
    first = counts.cumsum() - counts
    sampled = (np.arange(starts.size) - first.take(owner)) < _SAMPLE_TOKENS
    kinds = _token_kinds(lowered, starts[sampled], ends[sampled])
    return _token_shares(counts, owner[sampled], kinds, changed[sampled])


def _token_columns_by_line(lines: Sequence[str], text: str) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    n = len(lines)
    counts = np.fromiter((len(line.split()) for line in lines), np.intp, n)
    tokens = text.split()
    low = text.lower().split()
    if len(low) != len(tokens):  # lower() split a token in some odd script: go token by token
        low = [t.lower() for t in tokens]
    owner = np.repeat(np.arange(n), counts)
    starts = np.cumsum(counts) - counts
    sampled = (np.arange(len(low)) - starts[owner]) < _SAMPLE_TOKENS
    keep = sampled.tolist()
    low_s = list(compress(low, keep))
    kinds = np.fromiter(map(_TOKEN_KINDS.get, low_s, repeat(0)), np.intp, len(low_s))
    caps = np.fromiter(map(str.__ne__, compress(tokens, keep), low_s), np.bool_, len(low_s))
    return _token_shares(counts, owner[sampled], kinds, caps)


def _token_shares(
    counts: IntArray, owner: IntArray, kinds: IntArray, caps: BoolArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Token counts and per-line shares of the sampled tokens (each owned by a line)."""
    n = counts.size
    stop = (kinds & _STOPWORD).astype(np.float64)
    chrome = ((kinds & _CHROME) > 0) & (counts <= _CHROME_MAX_TOKENS).take(owner)
    per_sample = 1.0 / np.maximum(np.minimum(counts, _SAMPLE_TOKENS), 1)
    return (
        counts.astype(np.float64),
        np.bincount(owner, weights=stop, minlength=n) * per_sample,
        np.bincount(owner, weights=caps.astype(np.float64), minlength=n) * per_sample,
        np.bincount(owner, weights=chrome.astype(np.float64), minlength=n) * per_sample,
    )


def _flags(values: Iterable[bool], n: int) -> FloatArray:
    return np.fromiter(values, np.float64, n)


def line_table(lines: Sequence[str], page: PageChars | None = None) -> FloatArray:
    """One row of LINE_FEATURES per line (lines already stripped and bounded in length);
    ``page`` is ``lines`` as PageChars when the caller has it."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(LINE_FEATURES)))
    page = page if page is not None else PageChars(lines)
    classes = page.class_counts()
    chars = page.sizes.astype(np.float64)
    per_char = 1.0 / np.maximum(chars, 1.0)
    tok, stop, caps, chrome = _token_columns(page)
    per_token = 1.0 / np.maximum(tok, 1.0)
    cjk = classes[:, CJK]
    eff = tok + cjk / lexicon.CJK_CHARS_PER_WORD
    per_word = 1.0 / (eff + 1.0)
    digits = classes[:, DIGIT]
    last = page.last_points()
    short = chars < _SHORT_LINE
    repeats = Counter(lines)
    table = np.column_stack(
        [
            np.log1p(chars),
            np.log1p(eff),
            _flags(map(str.startswith, lines, repeat(lexicon.BULLET_PREFIXES)), n),
            # Every SENTENCE_END character and no other is of the SENTENCE class.
            char_classes(last) == SENTENCE,
            last == ord(":"),
            classes[:, SENTENCE] * per_word,
            classes[:, COMMA] * per_word,
            caps,
            digits * per_char,
            classes[:, SEPARATOR] * per_word,
            stop,
            chrome,
            matching_lines(lines, short & (digits > 0), lexicon.DATE_PATTERNS, _DATE_JOIN),
            np.log(np.fromiter(map(repeats.__getitem__, lines), np.float64, n)),
            cjk * per_char,
            (chars - tok + 1.0) * per_token,
        ]
    )
    table[chars == 0] = 0.0
    return table


def _shifted(columns: FloatArray, offsets: Sequence[int], fill: float) -> FloatArray:
    """columns[i + offset] for each offset, blocks side by side; ``fill`` beyond the page edges."""
    n, k = columns.shape
    pad = max(abs(o) for o in offsets)
    padded = np.full((n + 2 * pad, k), fill)
    padded[pad : pad + n] = columns
    return np.hstack([padded[pad + o : pad + o + n] for o in offsets])


def _window_means(columns: FloatArray, halves: Sequence[int]) -> FloatArray:
    """Mean of each column over lines i-half..i+half (clipped at the edges), for every half
    (blocks side by side): one cumulative sum for all columns, one subtraction per half."""
    n, k = columns.shape
    reach = max(halves)
    # Cumulative sums with `reach` rows of 0 before and `reach` copies of the total after, so a
    # window clipped at either edge is still the difference of two rows.
    csum = np.empty((n + 1 + 2 * reach, k))
    csum[: reach + 1] = 0.0
    np.cumsum(columns, axis=0, out=csum[reach + 1 : reach + 1 + n])
    csum[reach + 1 + n :] = csum[reach + n]
    idx = np.arange(n)[:, None]
    half = np.asarray(halves)
    lines = np.minimum(idx + half + 1, n) - np.maximum(idx - half, 0)  # (line, half)
    out = np.empty((n, len(halves), k))
    for h, size in enumerate(halves):
        np.subtract(csum[reach + size + 1 : reach + size + 1 + n], csum[reach - size : reach - size + n], out=out[:, h])
    out /= lines[:, :, None]
    means: FloatArray = out.reshape(n, len(halves) * k)
    return means


def line_words(table: FloatArray) -> FloatArray:
    """Words per line (CJK characters counted as part words), from a feature table."""
    out: FloatArray = np.expm1(table[:, 1])
    return out


def dense_mask(table: FloatArray) -> BoolArray:
    """Lines that look like prose paragraphs: long, or fairly long and ending a sentence."""
    return _dense(table, line_words(table))


def _dense(table: FloatArray, words: FloatArray) -> BoolArray:
    """dense_mask, given the table's words per line."""
    out: BoolArray = (words >= 30) | ((words >= 10) & (table[:, 3] > 0) & (table[:, 2] == 0))
    return out


def best_block(table: FloatArray) -> tuple[int, int]:
    """Lines [start, end) of the contiguous run with most prose mass (maximum subarray).

    Prose lines gain their word count, other lines cost a little, so short lines inside an
    article (a one-line quote, a subheading) are bridged while a menu between two blocks is not.
    """
    words = line_words(table)
    return _best_block(words, _dense(table, words))


def _best_block(words: FloatArray, dense: BoolArray) -> tuple[int, int]:
    """best_block, given the table's words per line and dense lines."""
    return best_segment(np.where(dense, words, -np.maximum(3.0, 0.5 * words)).tolist(), floor=0.0)


def best_segment(gains: Sequence[float], floor: float = float("-inf")) -> tuple[int, int]:
    """Lines [start, end) of the contiguous run with the largest sum of gains (maximum subarray).

    A run must sum to more than ``floor``; with a floor of 0 an all-negative page gives (0, 0).
    """
    best, span, run, start = floor, (0, 0), 0.0, 0
    for i, gain in enumerate(gains):
        if run <= 0.0:
            run, start = 0.0, i
        run += gain
        if run > best:
            best, span = run, (start, i + 1)
    return span


def _block_position(n: int, start: int, end: int) -> list[FloatArray]:
    """Per line: inside lines [start, end) or not, and log1p of how many lines before the block
    and after it the line is (0 inside, at most 50)."""
    inside = np.zeros(n)
    inside[start:end] = 1.0
    idx = np.arange(n, dtype=np.float64)
    away = np.empty((2, n))
    np.subtract(start, idx, out=away[0])
    np.subtract(idx, end - 1, out=away[1])
    logs: FloatArray = np.log1p(np.minimum(np.maximum(away, 0.0), 50.0))
    return [inside, logs[0], logs[1]]


def _block_columns(words: FloatArray, dense: BoolArray) -> list[FloatArray]:
    n = words.shape[0]
    start, end = _best_block(words, dense)
    total = max(float(words.sum()), 1.0)
    block_share = np.full(n, float(words[start:end].sum()) / total)
    mass_before = (words.cumsum() - words) / total
    return [*_block_position(n, start, end), block_share, mass_before]


CONTEXT_FEATURES: Final = (
    *(f"{LINE_FEATURES[c]}@{o:+d}" for o in _CONTEXT_OFFSETS for c in _CONTEXT_COLUMNS),
    *(f"dense~{w}" for w in _WINDOWS),
    *(f"words~{w}" for w in _WINDOWS),
    "in_block",
    "before_block",
    "after_block",
    "block_share",
    "mass_before",
    "position",
    "log_lines",
    "rel_words",
    "dense",
    "words_rank",
    "stopwords_vs_prose",
    "caps_vs_prose",
    "chars_vs_prose",
)
FEATURE_NAMES: Final = (*LINE_FEATURES, *CONTEXT_FEATURES, *DOCUMENT_FEATURES)


def page_features(lines: Sequence[str]) -> FloatArray:
    """The model's input: one row of FEATURE_NAMES per line of the page."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)))
    page = PageChars(lines)
    table = line_table(lines, page)
    words = line_words(table)
    is_dense = _dense(table, words)
    dense = is_dense.astype(np.float64)
    means = _window_means(np.column_stack((dense, table[:, 1])), _WINDOWS)
    return np.column_stack(
        [
            table,
            _shifted(table.take(_CONTEXT_COLUMNS, axis=1), _CONTEXT_OFFSETS, 0.0),
            means[:, 0::2],  # dense~w for each w
            means[:, 1::2],  # then words~w
            *_block_columns(words, is_dense),
            np.arange(n, dtype=np.float64) / n,
            np.full(n, math.log1p(n)),
            table[:, 1] - float(table[:, 1].max()),
            dense,
            *_page_relative(table, is_dense),
            *document_columns(lines, words, table[:, LINE_FEATURES.index("digits")]),
        ]
    )


def _page_relative(table: FloatArray, dense: BoolArray) -> list[FloatArray]:
    """A line compared with the page's own prose: sites differ in style, pages within a site
    (and article versus chrome within a page) differ more."""
    n = table.shape[0]
    order = np.argsort(table[:, 1], kind="stable")
    rank = np.empty(n)
    rank[order] = np.arange(n) / max(n - 1, 1)
    prose = table[dense] if dense.any() else table
    ref = prose.mean(axis=0)
    return [rank, table[:, 10] - ref[10], table[:, 7] - ref[7], table[:, 0] - ref[0]]


# Second pass: the same question asked again with the first pass's answers for the neighbours.
# A prose line after a long stretch of chrome that follows the article (comments, teasers of
# other stories) looks like body on its own, but not next to what the first pass found.
_SCORE_OFFSETS: Final = (-5, -3, -2, -1, 1, 2, 3, 5)
_SCORE_WINDOWS: Final = (2, 5, 12)
_REACH: Final = 8
_KEPT: Final = (
    "log_chars",
    "log_words",
    "bullet",
    "ends_sentence",
    "stopwords",
    "chrome_words",
    "date_like",
    "position",
    "mass_before",
    "in_block",
    "log_repeats",
    "comments_before",
)
# Comment threads and teaser lists interleave prose with short marker lines (dates, repeated
# "Reply" lines, bullets); how many sit nearby tells them apart from an article.
_MARKERS: Final = ("date_like", "log_repeats", "bullet", "chrome_words", "ends_colon", "comment_marker")
_MARKER_INDEX: Final = tuple(FEATURE_NAMES.index(k) for k in _MARKERS)
_MARKER_WINDOW: Final = 3
_KEPT_INDEX: Final = tuple(FEATURE_NAMES.index(k) for k in _KEPT)

CONTEXT_SCORE_FEATURES: Final = (
    *_KEPT,
    "score",
    *(f"score@{o:+d}" for o in _SCORE_OFFSETS),
    *(f"score~{w}" for w in _SCORE_WINDOWS),
    "max_before",
    "max_after",
    "mass_before_p",
    "mass_after_p",
    "in_block_p",
    "before_block_p",
    "after_block_p",
    "runs_before",
    "intro_score",
    "since_intro",
    "gap_before",
    "gap_after",
    *(f"{k}~{_MARKER_WINDOW}" for k in _MARKERS),
)


def _side_max(column: FloatArray, reach: int) -> tuple[FloatArray, FloatArray]:
    """Max of column over the `reach` lines before, and after, each line (floor -10 at the edges)."""
    n = column.shape[0]
    padded = np.full(n + 2 * reach, -10.0)
    padded[reach : reach + n] = column
    # Row k of this view is padded shifted by k, so its maximum over rows at j is the max of
    # padded[j : j + reach]; padded[i + k] is line i + k - reach: j = i covers the lines before
    # line i, j = i + reach + 1 the lines after it. One reduction instead of one call per shift.
    step = padded.strides[0]
    shifts = np.ndarray((reach, n + reach + 1), dtype=padded.dtype, buffer=padded, strides=(step, step))
    both: FloatArray = np.maximum.reduce(shifts, axis=0)
    return both[:n], both[reach + 1 :]


def _gaps(flag: BoolArray, cap: int = 50) -> tuple[FloatArray, FloatArray]:
    """Lines since the last flagged line before i, and until the next one after i (capped)."""
    n = flag.shape[0]
    idx = np.arange(n)
    # Running max (from the start) and min (from the end) of the flagged line numbers, each after
    # a sentinel far off the page: entry i of `last` is the last flagged line before line i,
    # entry i + 1 of `following` the first one after it. Both gaps are then at least 1.
    last = np.empty(n + 1, dtype=np.intp)
    last[0] = -cap - n
    np.maximum.accumulate(np.where(flag, idx, -cap - n), out=last[1:])
    following = np.empty(n + 1, dtype=np.intp)
    following[:n] = np.where(flag, idx, cap + 2 * n)
    following[n] = cap + 2 * n
    following = np.minimum.accumulate(following[::-1])[::-1]
    gaps = np.empty((2, n), dtype=np.intp)
    np.subtract(idx, last[:n], out=gaps[0])
    np.subtract(following[1:], idx, out=gaps[1])
    logs: FloatArray = np.log1p(np.minimum(gaps, cap))
    return logs[0], logs[1]


def score_features(x: FloatArray, raw: FloatArray) -> FloatArray:
    """Second-pass input: a few line features plus first-pass log-odds in context."""
    n = x.shape[0]
    if n == 0:
        return np.zeros((0, len(CONTEXT_SCORE_FEATURES)))
    r = np.minimum(np.maximum(raw, -10.0), 10.0)
    p = 1.0 / (1.0 + np.exp(-r))
    words = np.expm1(x[:, 1])
    mass = words * p
    total = max(float(mass.sum()), 1e-9)
    cum = mass.cumsum()
    body_like = p > 0.5
    starts = body_like & ~np.concatenate(([False], body_like[:-1]))
    # One pass of window means for the scores (over _SCORE_WINDOWS) and the markers (over
    # _MARKER_WINDOW): blocks of 1 + len(_MARKERS) columns, one block per window.
    width = 1 + len(_MARKERS)
    markers = np.minimum(x.take(_MARKER_INDEX, axis=1), 1.0)
    means = _window_means(np.column_stack((r, markers)), (*_SCORE_WINDOWS, _MARKER_WINDOW))
    return np.column_stack(
        [
            x.take(_KEPT_INDEX, axis=1),
            r,
            _shifted(r[:, None], _SCORE_OFFSETS, -10.0),
            means[:, 0 : width * len(_SCORE_WINDOWS) : width],
            *_side_max(r, _REACH),
            (cum - mass) / total,
            (total - cum) / total,
            *_score_block(mass, words, p),
            np.log1p(starts.cumsum() - starts),
            *_intro(x[:, _ENDS_COLON] > 0, r),
            *_gaps(body_like),
            means[:, width * len(_SCORE_WINDOWS) + 1 :],
        ]
    )


# A list that belongs to the article (tour dates, specifications, steps) is announced by a line
# of the article ending in a colon; how far back such a line is looked for.
_INTRO_REACH: Final = 40
_ENDS_COLON: Final = FEATURE_NAMES.index("ends_colon")


def _intro(colon: BoolArray, r: FloatArray) -> tuple[FloatArray, FloatArray]:
    """First-pass log-odds of the last line before each line that ends in a colon (-10 when
    there is none within _INTRO_REACH lines), and how many lines back it is."""
    n = r.shape[0]
    idx = np.arange(n)
    # Entry i: the last colon line before line i, or a line too far back when there is none.
    before = np.empty(n + 1, dtype=np.intp)
    before[0] = -_INTRO_REACH - 1
    np.maximum.accumulate(np.where(colon, idx, -_INTRO_REACH - 1), out=before[1:])
    distance = idx - before[:n]
    found = distance <= _INTRO_REACH
    score = np.where(found, r.take(before[:n], mode="clip"), -10.0)
    logs: FloatArray = np.log1p(np.where(found, distance, _INTRO_REACH + 1))
    return score, logs


def _score_block(mass: FloatArray, words: FloatArray, p: FloatArray) -> list[FloatArray]:
    """Maximum-subarray block of first-pass body mass: membership and distance to it."""
    start, end = best_segment((mass - np.maximum(2.0, words) * (1.0 - p)).tolist(), floor=0.0)
    return _block_position(mass.shape[0], start, end)
