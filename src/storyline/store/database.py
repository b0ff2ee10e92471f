"""Open, migrate and write the SQLite file.

Writes are grouped into transactions that hold a page, its raw bytes and its outcome together, so
a run killed at any moment leaves only whole pages behind, and a rerun skips exactly those.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyline.errors import SchemaTooNew, StoreError
from storyline.records import Article, Page, Rejection
from storyline.store.queries import Queries
from storyline.store.schema import MIGRATIONS, SCHEMA_VERSION

COMPRESS_OVER_BYTES = 512


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store(Queries):
    """A storyline database file. Use as a context manager, or call ``close``."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        try:
            if readonly:
                uri = f"file:{Path(self.path).resolve()}?mode=ro"
                self.connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                self.connection = sqlite3.connect(self.path, check_same_thread=False)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot open database {self.path!r}: {exc}") from None
        self.connection.row_factory = sqlite3.Row
        self.connection.execute("PRAGMA foreign_keys = ON")
        self.connection.execute("PRAGMA busy_timeout = 10000")
        if not readonly:
            self.connection.execute("PRAGMA journal_mode = WAL")
            self.connection.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        else:
            self._check_version()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()

    # -- schema ---------------------------------------------------------------------------------

    def schema_version(self) -> int:
        try:
            row = self.connection.execute("SELECT max(version) FROM schema_migrations").fetchone()
        except sqlite3.OperationalError:
            return 0
        return int(row[0] or 0)

    def _check_version(self) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"{self.path} has schema version {version}, this storyline knows {SCHEMA_VERSION}: "
                "upgrade storyline to open it"
            )

    def _migrate(self) -> None:
        try:
            self.connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a storyline database: {exc}") from None
        self._check_version()
        for version in range(self.schema_version() + 1, SCHEMA_VERSION + 1):
            # One script, one transaction: a migration and its version row land together or not at all.
            # Only our own constants and an int go into the script (executescript takes no parameters).
            record = f"INSERT INTO schema_migrations (version, applied_at) VALUES ({int(version)}, '{_now()}')"  # noqa: S608
            self.connection.executescript(f"BEGIN; {MIGRATIONS[version - 1]}; {record}; COMMIT;")

    # -- writes ---------------------------------------------------------------------------------

    def has_page(self, page_id: str) -> bool:
        row = self.connection.execute("SELECT 1 FROM pages WHERE page_id = ?", (page_id,)).fetchone()
        return row is not None

    def add_source(self, page_id: str, source: str) -> None:
        self.connection.execute("INSERT OR IGNORE INTO page_sources (page_id, source) VALUES (?, ?)", (page_id, source))

    def save(self, page: Page, outcome: Article | Rejection) -> int | None:
        """Store a page, its raw bytes and its outcome; returns the article id, if any.

        Call inside ``transaction()``. A page already stored is left as it is.
        """
        if self.has_page(page.page_id):
            self.add_source(page.page_id, page.source)
            return None
        data, compression = page.raw, "none"
        if len(data) > COMPRESS_OVER_BYTES:
            data, compression = zlib.compress(data, 6), "zlib"
        self.connection.execute(
            "INSERT OR IGNORE INTO raw_pages (page_id, size, compression, data) VALUES (?, ?, ?, ?)",
            (page.page_id, len(page.raw), compression, data),
        )
        kind = "article" if isinstance(outcome, Article) else "rejection"
        self.connection.execute(
            "INSERT INTO pages (page_id, source, format, url, fetched_at, ingested_at, outcome) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (page.page_id, page.source, page.format.value, page.url, page.fetched_at, _now(), kind),
        )
        self.add_source(page.page_id, page.source)
        if isinstance(outcome, Rejection):
            self.save_rejection(outcome)
            return None
        return self._insert_article(outcome)

    def _insert_article(self, article: Article) -> int:
        dateline = article.dateline
        cursor = self.connection.execute(
            "INSERT INTO articles (page_id, source, url, title, site_name, claimed_date, dateline_place, "
            "dateline_region, dateline_agency, dateline_text, byline, language, body, n_paragraphs, "
            "extractor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.page_id,
                article.source,
                article.url,
                article.title,
                article.site_name,
                article.claimed_date,
                dateline.place if dateline else None,
                dateline.region if dateline else None,
                dateline.agency if dateline else None,
                dateline.text if dateline else None,
                article.byline,
                article.language,
                article.body,
                len(article.paragraphs),
                article.extractor,
                _now(),
            ),
        )
        article_id = int(cursor.lastrowid or 0)
        offsets: list[tuple[int | None, int | None]] = (
            list(article.offsets) if article.offsets else [(None, None)] * len(article.paragraphs)
        )
        self.connection.executemany(
            "INSERT INTO paragraphs (article_id, position, text, source_start, source_end) VALUES (?, ?, ?, ?, ?)",
            [
                (article_id, position, text, start, end)
                for position, (text, (start, end)) in enumerate(zip(article.paragraphs, offsets, strict=True))
            ],
        )
        return article_id

    def save_rejection(self, rejection: Rejection) -> None:
        """Record a rejection; recording the same one twice is a no-op."""
        self.connection.execute(
            "INSERT OR IGNORE INTO rejections (page_id, source, reason, detail, created_at) VALUES (?, ?, ?, ?, ?)",
            (rejection.page_id, rejection.source, rejection.reason.value, rejection.detail, _now()),
        )

    def transaction(self) -> sqlite3.Connection:
        """``with store.transaction(): ...`` commits on success and rolls back on error."""
        return self.connection

    def raw_bytes(self, page_id: str) -> bytes | None:
        row = self.connection.execute(
            "SELECT compression, data FROM raw_pages WHERE page_id = ?", (page_id,)
        ).fetchone()
        if row is None:
            return None
        data = bytes(row["data"])
        return zlib.decompress(data) if row["compression"] == "zlib" else data

    def rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> Iterator[sqlite3.Row]:
        yield from self.connection.execute(sql, parameters)
