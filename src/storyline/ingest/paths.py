"""Expand what the user typed (files, directories, globs, ``-``) into concrete inputs."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from storyline.errors import InputNotFound

STDIN = "-"

# Files a directory walk never treats as pages: our own database, VCS and OS litter.
SKIPPED_SUFFIXES = (".db", ".db-wal", ".db-shm", ".sqlite", ".pyc")
SKIPPED_NAMES = (".DS_Store", "Thumbs.db")


def expand_inputs(arguments: Sequence[str]) -> Iterator[str]:
    """Yield each input path (or ``-``) once, in a stable order.

    Directories are walked recursively in sorted order, skipping hidden entries. A glob that
    matches nothing, or a path that does not exist, is a user error raised before any work starts.
    """
    resolved: list[list[str]] = []
    for argument in arguments:
        if argument == STDIN:
            resolved.append([STDIN])
        elif glob.has_magic(argument):
            matches = sorted(glob.glob(argument, recursive=True))
            if not matches:
                raise InputNotFound(f"no file matches {argument!r}")
            resolved.append(matches)
        elif not os.path.exists(argument):
            raise InputNotFound(f"no such file or directory: {argument!r}")
        else:
            resolved.append([argument])
    seen: set[str] = set()
    for group in resolved:
        for item in group:
            for path in _walk(item):
                if path not in seen:
                    seen.add(path)
                    yield path


def _walk(path: str) -> Iterator[str]:
    if path == STDIN or not os.path.isdir(path):
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name in SKIPPED_NAMES or name.endswith(SKIPPED_SUFFIXES):
                continue
            yield str(Path(root) / name)
