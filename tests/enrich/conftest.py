from __future__ import annotations

from typing import Any

import pytest

from storyline.enrich import load_pipeline
from storyline.stories import StoryOptions


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The pinned English pipeline, loaded once per test session (about a second)."""
    return load_pipeline(StoryOptions().pipeline)
