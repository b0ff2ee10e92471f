"""Language identification: the numpy walk of py3langid's automaton gives py3langid's answers."""

from __future__ import annotations

import numpy as np
import py3langid
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.extract.language import SYNC_BYTES, classify, identifier
from storyline.extract.metadata import LANGUAGE_SAMPLE_CHARS, detect_language

SAMPLES = [
    "The city council voted on Tuesday to expand the bus network to the northern districts.",
    "Der Stadtrat hat am Dienstag beschlossen, das Busnetz in die nördlichen Bezirke auszubauen.",
    "Le conseil municipal a voté mardi l'extension du réseau de bus vers les quartiers nord.",
    "El ayuntamiento votó el martes ampliar la red de autobuses a los distritos del norte.",
    "Городской совет во вторник проголосовал за расширение автобусной сети.",
    "市議会は火曜日、バス路線網を北部地区に拡大することを決議した。",
    "시의회는 화요일 버스 노선을 북부 지역으로 확대하기로 의결했다.",
    "ΟΔΟΣ ΣΟΦΙΑΣ ΚΑΙ ΑΘΗΝΑΣ",
    "x",
    "",
    "1234 5678 !!!",
]


def _sequential_states(data: bytes) -> list[int]:
    """py3langid's own walk: one byte at a time from the start state."""
    ident = identifier()
    state, states = 0, []
    for letter in data:
        state = ident.tk_nextmove[ident._rowbase[state] + letter]
        states.append(state)
    return states


@pytest.mark.parametrize("text", SAMPLES)
def test_classify_agrees_with_py3langid(text: str) -> None:
    assert classify(text) == py3langid.classify(text)[0]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_scores_are_py3langids_to_the_bit(text: str) -> None:
    assert identifier().rank(text) == py3langid.rank(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_states_match_the_byte_walk(data: bytes) -> None:
    assert identifier().states(data).tolist() == _sequential_states(data)


def test_too_few_letters_have_no_language() -> None:
    assert detect_language("12 34 56 -- !!") is None
    assert detect_language("Nineteen letters ok") is None  # 17 letters
    assert detect_language("The council voted on Tuesday to expand the bus network.") == "en"


@pytest.mark.slow
def test_automaton_state_depends_only_on_the_last_bytes() -> None:
    """For every string y of SYNC_BYTES + 1 bytes, reading y and reading y without its first byte
    end in the same state: then, by induction, the state after any text depends on its last
    SYNC_BYTES bytes only, which is what the numpy walk assumes. All pairs (state after y, state
    after y[1:]) are enumerated level by level."""
    ident = identifier()
    moves, rows = ident._moves.astype(np.intp), ident._row_offsets
    letters = np.arange(256, dtype=np.intp)
    states = rows.size
    pairs = np.unique(moves[rows[0] + letters] * states)  # after one byte: (state, start state)
    for _ in range(SYNC_BYTES):
        found = []
        for chunk in np.array_split(pairs, max(1, pairs.size // 4096)):
            first, second = np.divmod(chunk, states)
            nxt_first = moves[(rows[first][:, None] + letters).ravel()]
            nxt_second = moves[(rows[second][:, None] + letters).ravel()]
            found.append(np.unique(nxt_first * states + nxt_second))
        pairs = np.unique(np.concatenate(found))
    first, second = np.divmod(pairs, states)
    assert np.array_equal(first, second)


def test_language_is_read_from_the_start_of_the_body() -> None:
    """Only the first LANGUAGE_SAMPLE_CHARS characters count (py3langid's cost grows with the
    text): an English opening decides, whatever follows it."""
    english = (SAMPLES[0] + " ") * (LANGUAGE_SAMPLE_CHARS // len(SAMPLES[0]) + 1)
    german = (SAMPLES[1] + " ") * 50
    assert detect_language(english + german) == "en"
    assert detect_language(german + english) == "de"
