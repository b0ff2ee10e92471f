"""Text-dump page-level features and the main-block decoder, tested without the learned model."""

from __future__ import annotations

import numpy as np

from storyline.extract.textdump.chars import PageChars
from storyline.extract.textdump.document import DOCUMENT_FEATURES, document_columns
from storyline.extract.textdump.features import (
    _INTRO_REACH,
    _TOKEN_KINDS,
    FEATURE_NAMES,
    _intro,
    _token_kinds,
    page_features,
)
from storyline.extract.textdump.layout import BIASED_MIN_WORDS, best_segment, decode
from storyline.extract.textdump.model import Smoothing

STORY = "Police said on Monday that two people had been arrested after the death of a student athlete near the campus."


def _columns(lines: list[str]) -> dict[str, np.ndarray]:
    words = np.array([float(len(line.split())) for line in lines])
    digits = np.array([float(any(c.isdigit() for c in line)) for line in lines])
    return dict(zip(DOCUMENT_FEATURES, document_columns(lines, words, digits), strict=True))


def test_document_features_are_part_of_the_model_input() -> None:
    assert FEATURE_NAMES[-len(DOCUMENT_FEATURES) :] == DOCUMENT_FEATURES
    assert page_features([STORY, "Home"]).shape == (2, len(FEATURE_NAMES))


def test_comment_markers_and_lines_after_them() -> None:
    lines = [
        STORY,
        "Comments",
        "- Alex on September 17, 2018 at 6:34 am said:",
        "I skimmed the report and did not see any analysis of it.",
        "2 days ago at 07:47 am",
        "Rating: 25 Votes",
        "[ 167 comments ]",
        "Reply",
    ]
    cols = _columns(lines)
    assert cols["comment_marker"].tolist() == [0, 1, 1, 0, 1, 1, 1, 1]
    assert cols["comments_before"][0] == 0.0
    assert cols["comments_before"][3] == np.log1p(2)


def test_long_paragraph_mentioning_comments_is_not_a_marker() -> None:
    long_line = STORY * 2 + " The 3 comments he made were later withdrawn."
    assert _columns([long_line])["comment_marker"][0] == 0.0


def test_best_segment_is_the_maximum_subarray() -> None:
    assert best_segment([-1.0, 2.0, -0.5, 3.0, -4.0, 1.0]) == (1, 4)
    assert best_segment([-3.0, -1.0, -2.0]) == (1, 2)
    assert best_segment([]) == (0, 0)


def test_main_block_decoder_keeps_one_block() -> None:
    # An article (lines 1-4, with one doubtful line) and a comment thread after a gap.
    scores = [-4.0, 3.0, 2.0, -0.5, 3.0, -4.0, -4.0, 2.0, 2.0]
    settings = Smoothing(0.0, 1.0, 1.0)
    words = [20.0] * len(scores)
    assert decode(scores, settings, words) == [False, True, True, True, True] + [False] * 4


def test_short_lines_get_no_body_bias() -> None:
    scores = [3.0, 3.0, -0.5, -0.5]
    words = [30.0, 30.0, 30.0, float(BIASED_MIN_WORDS - 1)]
    assert decode(scores, Smoothing(0.0, 1.0, 2.0), words) == [True, True, True, False]


def test_viterbi_decoder_is_kept_for_old_models() -> None:
    assert decode([2.0, -5.0, 2.0], Smoothing(1.0, 0.0)) == [True, False, True]


def test_a_list_sees_the_line_of_the_article_that_announces_it() -> None:
    colon = np.array([False, True, False, False, False])
    scores = np.array([3.0, 2.5, -1.0, -1.5, -2.0])
    intro, since = _intro(colon, scores)
    assert intro.tolist() == [-10.0, -10.0, 2.5, 2.5, 2.5]
    assert since.tolist() == np.log1p([_INTRO_REACH + 1, _INTRO_REACH + 1, 1, 2, 3]).tolist()
    far = np.zeros(_INTRO_REACH + 3, dtype=bool)
    far[0] = True
    assert _intro(far, np.zeros(far.size))[0][-1] == -10.0


def test_token_kinds_by_hash_agree_with_the_lexicon() -> None:
    words = ["the", "share:", "(comments)", "Budget", "x" * 40, "and"]
    page = PageChars([" ".join(words).lower()])
    starts, ends = page.token_spans()
    assert page.lowered_points is not None
    kinds = _token_kinds(page.lowered_points, starts, ends).tolist()
    assert kinds == [_TOKEN_KINDS.get(word.lower(), 0) for word in words]
