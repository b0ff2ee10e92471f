"""Settings precedence: defaults < file < environment < flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.config import resolve_settings
from storyline.errors import ConfigError


def test_precedence(tmp_path: Path) -> None:
    config = tmp_path / "storyline.toml"
    config.write_text('db = "file.db"\nworkers = 3\n[extract]\nmin_body_chars = 50\n')
    assert resolve_settings(str(config), env={}).db == "file.db"
    from_env = resolve_settings(str(config), env={"STORYLINE_DB": "env.db", "STORYLINE_MIN_BODY_CHARS": "70"})
    assert (from_env.db, from_env.workers, from_env.extract.min_body_chars) == ("env.db", 3, 70)
    flagged = resolve_settings(str(config), env={"STORYLINE_DB": "env.db"}, flags={"db": "flag.db", "workers": None})
    assert (flagged.db, flagged.workers) == ("flag.db", 3)


def test_bad_values_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="expects a int"):
        resolve_settings(env={"STORYLINE_WORKERS": "many"})
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        resolve_settings(env={}, flags={"colour": "red"})
    broken = tmp_path / "broken.toml"
    broken.write_text("db = ")
    with pytest.raises(ConfigError, match="not valid TOML"):
        resolve_settings(str(broken), env={})


def test_story_settings_come_from_file_and_environment(tmp_path: Path) -> None:
    config = tmp_path / "storyline.toml"
    config.write_text('[stories]\nspacy_pipeline = "en_core_web_md"\nstory_embeddings = false\n')
    from_file = resolve_settings(str(config), env={})
    assert (from_file.stories.spacy_pipeline, from_file.stories.story_embeddings) == ("en_core_web_md", False)
    from_env = resolve_settings(str(config), env={"STORYLINE_SPACY_PIPELINE": "my_pipeline"})
    assert from_env.stories.spacy_pipeline == "my_pipeline"
    assert resolve_settings(env={"STORYLINE_SETTLE_AFTER": "50"}).stories.settle_after == 50
    with pytest.raises(ConfigError, match="'settle_after' must be 0 or more"):
        resolve_settings(env={"STORYLINE_SETTLE_AFTER": "-1"})
    assert resolve_settings(env={"STORYLINE_RETIRE_AFTER": "0"}).stories.retire_after == 0
    with pytest.raises(ConfigError, match="'retire_after' must be 0 or more"):
        resolve_settings(env={"STORYLINE_RETIRE_AFTER": "-5"})
