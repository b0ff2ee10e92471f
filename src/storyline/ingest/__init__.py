"""Ingest stage: turn whatever the user has into ``Page`` records.

Text dumps, HTML (plain or gzip), WARC / WARC.gz, JSON Lines, directories, globs and stdin. The
container and the page format are detected from the bytes; an input that cannot be read becomes a
``Rejection`` with its reason and the run goes on.
"""

from storyline.ingest.readers import read_input, read_pages

__all__ = ["read_input", "read_pages"]
