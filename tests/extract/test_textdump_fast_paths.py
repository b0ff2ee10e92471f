"""The text-dump cleaner's fast paths give what the plain code they replace gives.

Each fast path (one regex scan for many lines, character classes read from a code-point table,
tokens looked up by a hash of their code points, the comment markers found without a loop per
line, the renumbered tree walk) is checked against a straightforward version of the same
computation, kept here as the reference.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.extract.text import split_lines, split_lines_by_regex
from storyline.extract.textdump import default_model, find_layout, lexicon
from storyline.extract.textdump.chars import PageChars, matching_lines
from storyline.extract.textdump.document import _comment_markers
from storyline.extract.textdump.features import _DATE_JOIN, _token_columns, _token_columns_by_line
from storyline.extract.textdump.model import TreeEnsemble

# The patterns as first written, with "\b\d" and plain quantifiers.
ORIGINAL_DATE_PATTERNS = (
    re.compile(r"\b\d{4}[-./]\d{1,2}[-./]\d{1,2}\b"),
    re.compile(r"\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b"),
    re.compile(r"\b\d{1,2}:\d{2}\b"),
    re.compile(r"\d\s?[年月日년월일]"),
    re.compile(r"\b[JFMASOND][a-z]{2,8}\.?\s\d{1,2}\b"),
)
ORIGINAL_COMMENT_COUNT = re.compile(
    r"\b\d[\d.,]*[^\S\n]*(?:"
    r"(?:secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|years?)[^\S\n]+ago\b"
    r"|(?:минут|час|дн|дней|недел)\w*[^\S\n]+назад|(?:分|時間|日)前|(?:분|시간|일)[^\S\n]*전"
    r"|comments?|replies|votes?|likes?|comentários|comentarios|commenti|kommentare|commentaires"
    r"|komentar|комментари)",
    re.IGNORECASE,
)
ORIGINAL_COMMENT_AGO = re.compile(r"\b(?:hace|há|vor|il y a)[^\S\n]+\d+[^\S\n]+\w", re.IGNORECASE)

# Text full of what the patterns look for: digits, separators, month names, counters, odd spaces.
PIECES = st.sampled_from(
    [
        "2019", "11", "5", "-", ".", "/", ":", " ", "\u00a0", "\u3000", "\t", "Nov", "September", "Sept.",
        "a", "Z", "_", "x1", "3 days ago", "12 comments", "Comments", "votes", "hace", "vor", "il y a",
        "дней назад", "5分前", "3시간 전", "年", "월", "İ", "ß", "Σ", "é", "(", ")", "k", "!", "?", "…",
        "http://x.com", "@me", "www.", "—", "·", "|", "»", ",", "。", "、", "Há", "VOR", "ı", "h", "v", "i",
        "said:", "Reply", "leave a comment", "LEAVE A REPLY", "\n",
    ]
)  # fmt: skip
LINE_TEXT = st.lists(PIECES, max_size=12).map("".join)
PAGES = st.lists(LINE_TEXT, max_size=25)


@settings(max_examples=500, deadline=None)
@given(LINE_TEXT)
def test_rewritten_patterns_match_the_same(text: str) -> None:
    original = ORIGINAL_COMMENT_COUNT
    assert [m.span() for m in original.finditer(text)] == [m.span() for m in lexicon.COMMENT_COUNTS[0].finditer(text)]
    ago = lexicon.COMMENT_COUNTS[1]
    assert [m.span() for m in ORIGINAL_COMMENT_AGO.finditer(text)] == [m.span() for m in ago.finditer(text)]
    assert any(p.search(text) for p in ORIGINAL_DATE_PATTERNS) == any(p.search(text) for p in lexicon.DATE_PATTERNS)


@pytest.mark.parametrize(
    "line",
    [
        "2019-11-05",
        "x2019-11-05",
        "5.11.2019",
        "11/05/19",
        "at 6:34 pm",
        "a6:34",
        "5 月",
        "3일",
        "Nov 18",
        "ANov 18",
        "Nov",
    ],
)
def test_date_lines(line: str) -> None:
    assert any(p.search(line) for p in ORIGINAL_DATE_PATTERNS) == any(p.search(line) for p in lexicon.DATE_PATTERNS)


@settings(max_examples=300, deadline=None)
@given(PAGES, st.data())
def test_one_scan_flags_the_lines_a_scan_per_line_flags(lines: list[str], data: st.DataObject) -> None:
    candidates = np.array(data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines))), dtype=bool)
    for patterns, join in [
        (lexicon.DATE_PATTERNS, _DATE_JOIN),
        (lexicon.COMMENT_COUNTS, "\n"),
    ]:
        expected = [
            float(bool(c) and any(p.search(line) for p in patterns)) for line, c in zip(lines, candidates, strict=True)
        ]
        assert matching_lines(lines, candidates, patterns, join).tolist() == expected


def _comment_markers_by_line(lines: list[str], digits: np.ndarray) -> list[float]:
    """The comment markers as first written: every pattern tried on each short line in turn."""
    out = []
    for line, digit in zip(lines, digits, strict=True):
        short = 0 < len(line) < 160
        hit = short and (
            (digit > 0 and any(p.search(line) for p in lexicon.COMMENT_COUNTS))
            or (line[-1] == ":" and lexicon.COMMENT_ATTRIBUTION.search(line) is not None)
            or (len(line) <= lexicon.COMMENT_OPENER_MAX_CHARS and line.lower().startswith(lexicon.COMMENT_OPENERS))
        )
        out.append(float(bool(hit)))
    return out


@settings(max_examples=300, deadline=None)
@given(PAGES)
def test_comment_markers_match_a_test_per_line(lines: list[str]) -> None:
    digits = np.array([float(any(c.isdigit() for c in line)) for line in lines])
    assert _comment_markers(lines, digits).tolist() == _comment_markers_by_line(lines, digits)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=25).map(" ".join), min_size=1, max_size=15))
def test_token_shares_from_characters_match_a_split_per_line(lines: list[str]) -> None:
    lines = [line.strip() for line in lines if "\n" not in line and "\r" not in line]
    if not lines:
        return
    page = PageChars(lines)
    fast = _token_columns(page)
    plain = _token_columns_by_line(lines, page.text)
    for a, b in zip(fast, plain, strict=True):
        assert np.array_equal(a, b)


@given(st.text(alphabet="ab \n\r", max_size=30))
def test_split_lines_matches_the_line_regex(text: str) -> None:
    assert split_lines(text) == split_lines_by_regex(text)


def _walk_by_children(e: TreeEnsemble, x: np.ndarray) -> np.ndarray:
    """Every tree walked with its own node numbering: left child at 2k, right child at 2k+1."""
    children = np.stack((e.left, e.right), axis=1).ravel()
    flat = x.ravel()
    row_base = (np.arange(x.shape[0]) * x.shape[1])[:, None]
    node = np.broadcast_to(e.roots, (x.shape[0], e.roots.size))
    for _ in range(e.depth):
        goes_right = flat[row_base + e.feature[node]] > e.threshold[node]
        node = children[2 * node + goes_right]
    scores: np.ndarray = e.baseline + e.value[node].sum(axis=1)
    return scores


@pytest.mark.parametrize("part", ["body", "context", "title"])
def test_renumbered_walk_gives_the_same_scores(part: str) -> None:
    ensemble = getattr(default_model(), part)
    rng = np.random.default_rng(7)
    x = rng.normal(0.0, 2.0, size=(300, len(ensemble.feature_names)))
    x[::3] = np.round(x[::3])  # values on the thresholds' grid too
    x[::7] = ensemble.threshold[ensemble.threshold < np.inf][: x.shape[1]].mean()
    assert np.array_equal(ensemble.raw_scores(x), _walk_by_children(ensemble, x))


def test_a_line_holding_a_newline_stays_one_line() -> None:
    # Regression: characters were given to lines by counting newlines, so a line passed in with a
    # newline inside shifted every later line and the token counts no longer fitted the page.
    lines = ["0\n0", "The council voted on Tuesday.", "one two\nthree"]
    page = PageChars(lines)
    counts = _token_columns(page)[0]
    assert counts.tolist() == [2.0, 5.0, 3.0]
    layout = find_layout(lines)
    assert len(layout.scores) == 3
