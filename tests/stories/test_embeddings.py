from __future__ import annotations

import numpy as np
import pytest

from storyline.stories.embeddings import MiniLM

SENTENCE = "NATO Secretary General Jens Stoltenberg visited Kosovo on Monday."
# First six dimensions of SENTENCE from sentence-transformers 5 (SentenceTransformer on the same files)
# with torch 2.13, checked once in a throwaway venv; torch is never a dependency of storyline.
SENTENCE_TRANSFORMERS_REFERENCE = [0.03595, 0.01452, -0.01769, 0.05711, -0.02369, -0.01286]


@pytest.fixture(scope="module")
def model() -> MiniLM:
    return MiniLM()


def test_numpy_forward_matches_sentence_transformers(model: MiniLM) -> None:
    vector = model.encode([SENTENCE])[0]
    assert vector.shape == (384,) and vector.dtype == np.float32
    assert np.allclose(vector[:6], SENTENCE_TRANSFORMERS_REFERENCE, atol=2e-5)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


def test_related_sentences_are_closer_than_unrelated(model: MiniLM) -> None:
    a, b, c = model.encode(
        [
            "An earthquake of magnitude 6.1 shook the island, damaging houses.",
            "A strong quake damaged homes on the island.",
            "The central bank raised interest rates by a quarter point.",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.3


def test_batching_does_not_change_vectors(model: MiniLM) -> None:
    texts = [SENTENCE, "Short.", "A much longer sentence about something else entirely, to force padding."]
    together = model.encode(texts, batch_size=3)
    alone = np.vstack([model.encode([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-5)
