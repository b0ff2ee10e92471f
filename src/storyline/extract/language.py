"""Language identification: py3langid's model and answers, its byte automaton walked by numpy.

py3langid finds its features (byte n-grams) by walking an Aho-Corasick automaton one byte at a
time in Python; on a text dump that walk took a fifth of the extraction time. In this automaton
the state after a byte depends only on the last ``SYNC_BYTES`` bytes read (checked for the pinned
model by ``tests/extract/test_language.py``), so the state at every position is found at once:
``SYNC_BYTES`` vectorised steps, each position starting from the start state that many bytes
back. The features, their counts and their order are py3langid's, so are the scores and the answer.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt
from py3langid.langid import MODEL_FILE, LanguageIdentifier

IntArray = npt.NDArray[np.intp]

# Longest byte string the automaton's state can depend on (its deepest trie node).
SYNC_BYTES: Final = 6


class FastIdentifier(LanguageIdentifier):  # type: ignore[misc]  # py3langid is untyped
    """py3langid's identifier with the automaton walk done by numpy (see the module docstring)."""

    __slots__ = ("_after_one", "_after_two", "_moves", "_outputs", "_row_offsets")

    def __init__(self, nb_ptc: Any, *args: Any, **kwargs: Any) -> None:
        # The model stores its weights as float16; numpy converts the rows a text uses on every
        # call, which cost more than the walk. float32 holds every float16 exactly: same scores.
        super().__init__(np.asarray(nb_ptc, dtype=np.float32), *args, **kwargs)
        # A view of py3langid's own transition table (tens of megabytes): no copy.
        self._moves = np.frombuffer(self.tk_nextmove, dtype=f"u{self.tk_nextmove.itemsize}")
        self._row_offsets: IntArray = np.asarray(self._rowbase, dtype=np.intp)
        self._outputs: IntArray = np.asarray(self.tk_output, dtype=np.intp)
        # The state after one byte, and after two (index: first byte * 256 + second), read from the
        # start state: the first two of every position's SYNC_BYTES steps as one lookup.
        byte = np.arange(256, dtype=np.intp)
        self._after_one: IntArray = self._moves[self._row_offsets[0] + byte].astype(np.intp)
        after_two = self._moves[self._row_offsets[self._after_one][:, None] + byte]
        self._after_two: IntArray = after_two.astype(np.intp).ravel()

    def states(self, data: bytes) -> IntArray:
        """The automaton's state after each byte of ``data``."""
        letters = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
        size = letters.size
        state = np.zeros(size, dtype=np.intp)
        # Position i reads bytes i-SYNC_BYTES+1 .. i in order; positions near the start begin at 0.
        # The first two of those bytes by table (position SYNC_BYTES-2 has read one byte by then).
        lead = SYNC_BYTES - 1
        if lead < size:
            state[lead:] = self._after_two.take((letters[: size - lead] << 8) | letters[1 : size - lead + 1])
        if lead - 1 < size:
            state[lead - 1] = self._after_one[letters[0]]
        for back in range(SYNC_BYTES - 3, -1, -1):
            if back < size:
                state[back:] = self._moves.take(self._row_offsets.take(state[back:]) + letters[: size - back])
        return state

    def _raw_score(self, text: bytes) -> Any:
        features = self._outputs.take(self.states(text))
        features = features[features >= 0]
        if not features.size:
            return super()._raw_score(b"")
        # py3langid counts with a Counter and sums in its order, the order of first occurrence
        # (in float32 the order shows in the last bits): the same here. Sorting (feature, position)
        # keys groups each feature's occurrences with its first one at the head of the group.
        size = features.size
        shift = size.bit_length()
        keys = np.sort((features << shift) | np.arange(size))
        ordered = keys >> shift
        head = np.empty(size, dtype=bool)
        head[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=head[1:])
        starts = head.nonzero()[0]
        counts = np.empty_like(starts)
        counts[:-1] = starts[1:] - starts[:-1]
        counts[-1] = size - starts[-1]
        # take() gathers the same elements (and rows) as indexing does, in about half the time.
        by_first = np.argsort(keys.take(starts) & ((1 << shift) - 1))
        weights = np.log1p(counts.take(by_first).astype(np.float32))
        return weights @ self.nb_ptc.take(ordered.take(starts).take(by_first), axis=0) + self.nb_pc


_identifier: list[FastIdentifier] = []


def identifier() -> FastIdentifier:
    """The identifier with py3langid's shipped model, loaded on first use and kept."""
    if not _identifier:
        _identifier.append(FastIdentifier.from_model_file(MODEL_FILE))
    return _identifier[0]


def classify(text: str) -> str:
    """ISO 639-1 code py3langid gives ``text``."""
    language, _score = identifier().classify(text)
    return str(language)
