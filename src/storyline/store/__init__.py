"""The embedded store: one SQLite file (WAL mode, versioned migrations, FTS5 search)."""

from storyline.store.database import Store

__all__ = ["Store"]
