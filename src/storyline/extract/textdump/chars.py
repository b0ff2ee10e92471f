"""The characters of a page, classified once for all its lines.

Line features count character classes (digits, sentence ends, commas, separators, link marks,
CJK characters) and white-space tokens. Counting them line by line costs Python calls per line
and per token; here a page's lines are joined, read as one array of code points, and every
character is classified by one table lookup, so each count is a numpy pass over the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from typing import Final

import numpy as np
import numpy.typing as npt

from storyline.extract.textdump import lexicon

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

# Character classes (one per character) and the columns of PageChars.class_counts. CJK is a flag
# beside the class: "。" is both a sentence end and a CJK character.
NO_CLASS, DIGIT, SENTENCE, COMMA, SEPARATOR, LINK, CJK = range(7)
N_CLASSES: Final = 7
_CLASS_MASK: Final = 7
_CJK_FLAG: Final = 8
_SPACE_FLAG: Final = 16
# Classes and white space are tabled for the Basic Multilingual Plane; every white-space
# character is in it, and no character above it is in a class (U+FFFF, a non-character, stands
# for them all).
_TABLE_SIZE: Final = 0x10000
# Kana and CJK ideographs: the code points whose UTF-8 lead byte is E3..E9 (U+3000..U+9FFF),
# a cheap count of characters written without spaces.
_CJK_RANGE: Final = (0x3000, 0xA000)
# All of Unicode's white space (what str.split() splits on) lies at or below U+3000.
_LAST_SPACE: Final = 0x3000


def _code_table() -> npt.NDArray[np.uint8]:
    table = np.zeros(_TABLE_SIZE, dtype=np.uint8)
    for cls, chars in (
        (DIGIT, "0123456789"),
        (SENTENCE, "".join(lexicon.SENTENCE_END)),
        (COMMA, "".join(lexicon.COMMAS)),
        (SEPARATOR, "".join(lexicon.SEPARATORS)),
        # No feature reads LINK now, but it still decides: written last, it takes "/" out of
        # SEPARATOR (the model was trained that way). Dropping it changes the separator counts.
        (LINK, "@/"),
    ):
        for char in chars:
            table[ord(char)] = cls
    table[_CJK_RANGE[0] : _CJK_RANGE[1]] |= _CJK_FLAG
    spaces = [code for code in range(_LAST_SPACE + 1) if chr(code).isspace()]
    table[spaces] |= _SPACE_FLAG
    return table


_CODES: Final = _code_table()
# Closing quotes and brackets that may follow a line's final punctuation, as a table by code point.
_CLOSERS: Final = np.zeros(_TABLE_SIZE, dtype=bool)
_CLOSERS[[ord(char) for char in lexicon.TRAILING_CLOSERS]] = True


def char_classes(points: npt.NDArray[np.int64]) -> npt.NDArray[np.uint8]:
    """The class (DIGIT, SENTENCE, ...) of each code point; NO_CLASS for -1 (no character)."""
    # Negative points take the first entry (U+0000, of no class), those above the table its last.
    classes: npt.NDArray[np.uint8] = _CODES.take(points, mode="clip")
    classes &= _CLASS_MASK
    return classes


# In _LOWER: the character's lower case is not one character, or depends on its neighbours.
_NO_LOWER: Final = 0xFFFFFFFF


def _lower_table() -> npt.NDArray[np.uint32]:
    """The lower-case code point of every BMP character, or _NO_LOWER where str.lower() must decide.

    Lowering is per character except for capital sigma (final or not, by its neighbours); the
    characters are lowered in one call, kept apart by newlines (no character's lower case holds one).
    """
    chars = list(map(chr, range(_TABLE_SIZE)))
    chars[ord("\n")] = "\0"  # the separator itself: lowered to itself, set below
    parts = "\n".join(chars).lower().split("\n")
    sizes = np.fromiter(map(len, parts), np.intp, len(parts))
    points = np.frombuffer("".join(parts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    table = np.where(sizes == 1, points[sizes.cumsum() - sizes], _NO_LOWER).astype(np.uint32)
    table[ord("\n")] = ord("\n")
    table[0x3A3] = _NO_LOWER  # Σ: σ or ς by context
    return table


_LOWER: Final = _lower_table()


class PageChars:
    """A page's lines joined by newlines, with the class and the line of every character."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self.n = len(lines)
        self.text = "\n".join(lines)
        self.points = self._points(self.text)
        # Characters above the table share its last entry ("clip"): see _TABLE_SIZE.
        self.codes = _CODES.take(self.points, mode="clip")
        self.sizes = np.fromiter(map(len, lines), np.intp, self.n)
        # The line of each character, the newline after it included (it is of no class and white
        # space, so it counts for nothing). By length, so a line holding a newline stays one line.
        self.line = np.repeat(np.arange(self.n), self.sizes + 1)[: self.points.size]

    @cached_property
    def lowered(self) -> str:
        """The text lower-cased (for lowered_points, when its table cannot lower the page)."""
        return self.text.lower()

    def last_points(self) -> npt.NDArray[np.int64]:
        """Per line: the code point of its last character once trailing closers are stripped (what
        ``line.rstrip(lexicon.TRAILING_CLOSERS)[-1:]`` holds), or -1 when no character is left."""
        if not self.points.size:
            return np.full(self.n, -1, dtype=np.int64)
        end = self.sizes.cumsum() + np.arange(self.n)  # one past each line's last character
        start = end - self.sizes
        last = end - 1
        left = last >= start
        # One step back per trailing closer: a line rarely ends in more than one.
        while True:
            closing = left & _CLOSERS.take(self.points.take(last, mode="clip"), mode="clip")
            if not closing.any():
                break
            last -= closing
            left &= last >= start
        out: npt.NDArray[np.int64] = np.where(left, self.points.take(last, mode="clip"), -1)
        return out

    @staticmethod
    def _points(text: str) -> npt.NDArray[np.uint32]:
        # Lone surrogates pass through as code points of no class, so characters and str agree.
        return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)

    def class_counts(self) -> FloatArray:
        """(lines x N_CLASSES) counts of each character class."""
        kinds = self.codes & (_CLASS_MASK | _CJK_FLAG)
        hit = kinds.nonzero()[0]  # most characters (letters, spaces) count for nothing
        keys = self.line.take(hit) * 16 + kinds.take(hit)
        counts = np.bincount(keys, minlength=self.n * 16).reshape(self.n, 16)
        table = np.zeros((self.n, N_CLASSES))
        table[:, 1:N_CLASSES] = counts[:, 1:N_CLASSES] + counts[:, 9 : 8 + N_CLASSES]
        table[:, CJK] = counts[:, 8:].sum(axis=1)
        return table

    def token_spans(self) -> tuple[IntArray, IntArray]:
        """Character index of the first character of every white-space token, and one past its
        last, in order (the tokens of str.split())."""
        word = np.zeros(self.codes.size + 2, dtype=np.int8)
        word[1:-1] = (self.codes & _SPACE_FLAG) == 0
        # Runs of word characters between padding of white space: their edges alternate, a start
        # then an end, so every other edge is a start.
        edges = (word[1:] != word[:-1]).nonzero()[0]
        return edges[0::2], edges[1::2]

    @cached_property
    def lowered_points(self) -> npt.NDArray[np.uint32] | None:
        """Code points of the lower-cased text, or ``None`` when lowering changed its length (then
        characters no longer line up)."""
        # By table when every character lowers alone within the table (nearly every page): the
        # code points of str.lower()'s text, without building that text.
        if self.points.size and int(self.points.max()) < _TABLE_SIZE:
            lowered: npt.NDArray[np.uint32] = _LOWER.take(self.points)
            if int(lowered.max()) != _NO_LOWER:
                return lowered
        if len(self.lowered) != len(self.text):
            return None
        return self._points(self.lowered)

    def changed_tokens(self, starts: IntArray) -> BoolArray | None:
        """Per token (``starts`` from token_spans): does lower-casing change it? ``None`` when
        lowering changed the text's length."""
        lowered = self.lowered_points
        if lowered is None:
            return None
        if not starts.size:
            return np.zeros(0, dtype=bool)
        # A token with a changed character: white space after a token (up to the next one) never
        # changes, so each token may take it into its stretch.
        out: BoolArray = np.logical_or.reduceat(lowered != self.points, starts)
        return out


def matching_lines(
    lines: Sequence[str], candidates: BoolArray, patterns: tuple[re.Pattern[str], ...], join: str
) -> FloatArray:
    """1.0 for each candidate line where one of ``patterns`` matches, one regex scan per pattern.

    The candidates are joined with ``join`` (one character), which none of the patterns may match
    or cross (and which behaves as the end of a string does for their anchors), so a match found
    in the joined text lies in one line, and every line with a match holds the first one found there.
    """
    out = np.zeros(len(lines))
    chosen = candidates.nonzero()[0]
    if not chosen.size:
        return out
    picked = list(map(lines.__getitem__, chosen.tolist()))
    joined = join.join(picked)
    steps = np.fromiter(map(len, picked), np.intp, len(picked)) + 1
    offsets = steps.cumsum() - steps
    hits = [match.start() for pattern in patterns for match in pattern.finditer(joined)]
    if hits:
        out[chosen[np.searchsorted(offsets, hits, side="right") - 1]] = 1.0
    return out
