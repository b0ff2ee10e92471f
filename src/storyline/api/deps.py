"""One read-only store connection per server thread.

sqlite3 connections must not be shared across threads mid-query, and opening one per request
costs more than the query; the threadpool that runs the endpoints is bounded, so so is this.
"""

from __future__ import annotations

import threading
from pathlib import Path

from storyline.errors import StoreError
from storyline.store import Store
from storyline.store.web_queries import WebQueries


class StoreAccess:
    def __init__(self, db: str | Path) -> None:
        self.db = str(db)
        if not Path(self.db).is_file():
            raise StoreError(f"no database at {self.db!r}; run `storyline ingest PATH --db FILE` first")
        self._local = threading.local()
        self._opened: list[Store] = []
        self._lock = threading.Lock()
        self.store()  # fail at start-up, not on the first request, if the file cannot be read

    def store(self) -> Store:
        opened: Store | None = getattr(self._local, "store", None)
        if opened is None:
            opened = Store(self.db, readonly=True)
            # The file is opened read-only already; this also refuses writes through the connection.
            opened.connection.execute("PRAGMA query_only = ON")
            self._local.store = opened
            with self._lock:
                self._opened.append(opened)
        return opened

    def queries(self) -> WebQueries:
        queries: WebQueries | None = getattr(self._local, "queries", None)
        if queries is None:
            queries = WebQueries(self.store().connection)
            self._local.queries = queries
        return queries

    def close(self) -> None:
        with self._lock:
            for opened in self._opened:
                opened.close()
            self._opened.clear()
