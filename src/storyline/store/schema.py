"""The database schema, as an ordered list of migrations.

The SQLite file is the user's artefact: table and column names say what they hold, so the file
makes sense in any SQLite tool. Never edit a released migration; append a new one.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: pages, raw bytes, articles, rejections, full-text search
    """
    CREATE TABLE raw_pages (
        page_id     TEXT PRIMARY KEY,          -- sha256 of the raw bytes, hex
        size        INTEGER NOT NULL,          -- bytes before compression
        compression TEXT NOT NULL,             -- 'zlib' or 'none'
        data        BLOB NOT NULL
    );
    CREATE TABLE pages (
        page_id     TEXT PRIMARY KEY REFERENCES raw_pages(page_id),
        source      TEXT NOT NULL,             -- where the bytes were first seen: path, path#L3, path#<warc-id>
        format      TEXT NOT NULL,             -- html | text | unknown
        url         TEXT,
        fetched_at  TEXT,
        ingested_at TEXT NOT NULL,
        outcome     TEXT NOT NULL              -- article | rejection
    );
    CREATE TABLE page_sources (                -- every place the same bytes were seen
        page_id TEXT NOT NULL REFERENCES pages(page_id),
        source  TEXT NOT NULL,
        PRIMARY KEY (page_id, source)
    ) WITHOUT ROWID;
    CREATE TABLE articles (
        id              INTEGER PRIMARY KEY,
        page_id         TEXT NOT NULL UNIQUE REFERENCES pages(page_id),
        source          TEXT NOT NULL,
        url             TEXT,
        title           TEXT,
        site_name       TEXT,
        claimed_date    TEXT,                  -- ISO 8601, as the page claims it
        dateline_place  TEXT,
        dateline_region TEXT,
        dateline_agency TEXT,
        dateline_text   TEXT,
        byline          TEXT,
        language        TEXT,
        body            TEXT NOT NULL,         -- paragraphs joined with a newline
        n_paragraphs    INTEGER NOT NULL,
        extractor       TEXT NOT NULL,
        created_at      TEXT NOT NULL
    );
    CREATE TABLE paragraphs (
        article_id   INTEGER NOT NULL REFERENCES articles(id),
        position     INTEGER NOT NULL,         -- 0-based order in the article
        text         TEXT NOT NULL,
        source_start INTEGER,                  -- character offsets in the decoded page, when known
        source_end   INTEGER,
        PRIMARY KEY (article_id, position)
    ) WITHOUT ROWID;
    CREATE TABLE rejections (
        id         INTEGER PRIMARY KEY,
        page_id    TEXT REFERENCES pages(page_id),   -- NULL when the input never became a page
        source     TEXT NOT NULL,
        reason     TEXT NOT NULL,
        detail     TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX rejections_page ON rejections(page_id) WHERE page_id IS NOT NULL;
    CREATE UNIQUE INDEX rejections_source ON rejections(source, reason) WHERE page_id IS NULL;
    CREATE INDEX articles_site ON articles(site_name);
    CREATE INDEX articles_claimed_date ON articles(claimed_date);
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
