"""Find the headline and the body lines of a flattened text dump.

Three steps: the body model scores every line (twice: the second pass sees the first pass's
scores of the lines around); the decoder keeps one main block, the contiguous run of lines with
the largest summed log-odds, and within it the lines the model calls body (the body of an article
is nearly always one run; comments and teaser lists after it look like prose line by line, but
lose to it as a block); the headline model then ranks the lines around the start of the body.
Models that ask for it get the older two-state Viterbi pass instead of the main block.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storyline.extract.textdump import lexicon
from storyline.extract.textdump.features import (
    BoolArray,
    FloatArray,
    best_block,
    best_segment,
    line_words,
    page_features,
    score_features,
)
from storyline.extract.textdump.model import LineModel, Smoothing, default_model
from storyline.extract.textdump.title import title_candidates, title_features


@dataclass(frozen=True, slots=True)
class DumpLayout:
    """Where the article is in a dump.

    ``scores`` are the second-pass body probabilities of each line *before* decoding, so a caller can
    see how sure the model was about each line; ``body_indices`` are the lines kept after it.
    """

    title_index: int | None
    body_indices: tuple[int, ...]
    scores: tuple[float, ...]


def clean_lines(lines: Sequence[str]) -> list[str]:
    """Lines as the model sees them: str, bounded in count and length, white space trimmed."""
    size = lexicon.MAX_LINE_CHARS
    head = lines[: lexicon.MAX_LINES]
    if set(map(type, head)) <= {str} and max(map(len, head), default=0) <= size:
        return list(map(str.strip, head))  # the usual dump: no line to convert or cut
    return [(line if isinstance(line, str) else str(line))[:size].strip() for line in head]


def smooth(log_odds: Sequence[float], settings: Smoothing) -> list[bool]:
    """Most likely body/other sequence: per-line log-odds, a fixed cost per state change."""
    if not log_odds:
        return []
    cost = settings.switch_cost
    body, other = log_odds[0] + settings.body_bias, 0.0
    back: list[tuple[bool, bool]] = []  # for each line: best previous state if now body / other
    for score in log_odds[1:]:
        body_from_body = body >= other - cost
        other_from_body = body - cost > other
        new_body = (body if body_from_body else other - cost) + score + settings.body_bias
        new_other = body - cost if other_from_body else other
        back.append((body_from_body, other_from_body))
        body, other = new_body, new_other
    state = body > other
    states = [state]
    for from_body_if_body, from_body_if_other in reversed(back):
        state = from_body_if_body if state else from_body_if_other
        states.append(state)
    states.reverse()
    return states


# Inside the main block, the body bias only helps lines of at least this many words. A widget
# line right after the article ("veryGood! (4766)", "Share") is cheap for the token metric but
# plain junk to a reader, so a short line is kept only when the model itself says body.
BIASED_MIN_WORDS = 3


def decode(
    log_odds: Sequence[float] | FloatArray, settings: Smoothing, words: Sequence[float] | FloatArray | None = None
) -> list[bool]:
    """Body or not for each line: one main block (see Smoothing.segment_bias) or Viterbi runs.

    ``words`` (words per line) limits the body bias to lines of BIASED_MIN_WORDS or more.
    """
    states: list[bool] = _decode_mask(np.asarray(log_odds, dtype=np.float64), settings, words).tolist()
    return states


def _decode_mask(log_odds: FloatArray, settings: Smoothing, words: Sequence[float] | FloatArray | None) -> BoolArray:
    """``decode`` as a boolean array (the same float64 sums, done by numpy)."""
    if settings.segment_bias is None:
        return np.array(smooth(log_odds.tolist(), settings), dtype=bool)
    start, end = best_segment((log_odds + settings.segment_bias).tolist())
    if words is None:
        keep: BoolArray = log_odds + settings.body_bias > 0.0
    else:
        sizes = np.asarray(words, dtype=np.float64)
        if sizes.shape != log_odds.shape:
            raise ValueError("decode: one word count per line is needed")
        keep = log_odds + np.where(sizes >= BIASED_MIN_WORDS, settings.body_bias, 0.0) > 0.0
    keep[:start] = False
    keep[end:] = False
    return keep


def _body_indices(lines: list[str], keep: BoolArray) -> tuple[int, ...]:
    return tuple(i for i in keep.nonzero()[0].tolist() if lines[i])


def find_layout_with(lines: Sequence[str], model: LineModel) -> DumpLayout:
    """find_layout with an explicit model (for training, benchmarks and tests)."""
    clean = clean_lines(lines)
    # One score per input line; lines past the cap are never body.
    tail = (0.0,) * (len(lines) - len(clean))
    if not any(clean):
        return DumpLayout(None, (), (0.0,) * len(clean) + tail)
    title, body, raw = _locate(clean, model)
    probs = (1.0 / (1.0 + np.exp(-raw))).tolist()
    return DumpLayout(title, body, tuple(probs) + tail)


def _locate(clean: list[str], model: LineModel) -> tuple[int | None, tuple[int, ...], FloatArray]:
    """Headline, body lines and second-pass log-odds of clean lines (not all empty)."""
    x = page_features(clean)
    raw = model.context.raw_scores(score_features(x, model.body.raw_scores(x)))
    body = _body_indices(clean, _decode_mask(raw, model.smoothing, line_words(x)))
    return _pick_title(clean, x, raw, body, model), body, raw


def locate_article(lines: list[str]) -> tuple[int | None, tuple[int, ...]]:
    """find_layout's ``title_index`` and ``body_indices`` without the per-line scores.

    For a caller whose lines are already stripped: they are checked against clean_lines' bounds
    and only copied and trimmed again when they are out of them.
    """
    bounded = len(lines) <= lexicon.MAX_LINES and max(map(len, lines), default=0) <= lexicon.MAX_LINE_CHARS
    if not bounded:
        layout = find_layout(lines)
        return layout.title_index, layout.body_indices
    if not any(lines):
        return None, ()
    title, body, _raw = _locate(lines, default_model())
    return title, body


def _pick_title(
    lines: list[str], x: FloatArray, raw: FloatArray, body: tuple[int, ...], model: LineModel
) -> int | None:
    anchor = body[0] if body else best_block(x)[0]
    candidates = title_candidates(lines, anchor)
    if not candidates:
        return None
    feats = title_features(lines, x, raw, body, anchor, candidates)
    scores = model.title.raw_scores(feats)
    best = int(np.argmax(scores))  # first of equal scores: deterministic
    return candidates[best] if math.isfinite(float(scores[best])) else None


def find_layout(lines: Sequence[str]) -> DumpLayout:
    """Headline line and body lines of a text dump (``lines`` = the dump split on "\\n").

    Never raises on odd input: an empty dump, binary junk or a huge page gives an empty or
    bounded layout. Lines after ``lexicon.MAX_LINES`` are never body.
    """
    return find_layout_with(lines, default_model())
