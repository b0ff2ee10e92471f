from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.config import Settings, resolve_settings
from storyline.store import Store


@pytest.fixture
def settings() -> Settings:
    # No config file or environment: tests see the built-in defaults only.
    return resolve_settings(env={}, config_file=None)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "test.db") as opened:
        yield opened
