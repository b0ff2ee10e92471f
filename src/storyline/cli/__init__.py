"""The ``storyline`` command line: ``storyline VERB ...``; stdout is data, stderr is logs."""

from storyline.cli.main import cli

__all__ = ["cli"]
