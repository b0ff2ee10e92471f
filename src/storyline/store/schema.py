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
    # 2: copies and origins: signatures, copy groups with their origin, re-dated members, shared paragraphs
    """
    CREATE TABLE copy_signatures (
        article_id        INTEGER PRIMARY KEY REFERENCES articles(id),
        algorithm         TEXT NOT NULL,       -- shingling + MinHash settings; other values are recomputed
        n_shingles        INTEGER NOT NULL,
        minhash           BLOB NOT NULL,       -- rensa RMinHash state (num_perm, seed, digest)
        paragraph_digests BLOB NOT NULL,       -- uint32 little-endian, one row per fingerprinted paragraph
        features          TEXT NOT NULL        -- JSON: paragraph positions and sizes, wire credit, lead weekday
    );
    CREATE TABLE copy_groups (
        group_id          INTEGER PRIMARY KEY, -- id of the article that started the group; never reused
        origin_article_id INTEGER NOT NULL REFERENCES articles(id),
        origin_reason     TEXT NOT NULL,       -- only_member | earliest_date | wire_credit | containment | first_seen
        credible_date     TEXT,                -- the group's earliest claimed date that its text does not contradict
        n_members         INTEGER NOT NULL,
        updated_at        TEXT NOT NULL
    );
    CREATE TABLE copy_members (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        group_id   INTEGER NOT NULL,
        similarity REAL NOT NULL,              -- estimated Jaccard with the group's origin
        redated    INTEGER NOT NULL,           -- 1 when the claimed date is inconsistent with the group
        evidence   TEXT                        -- JSON: why the claimed date is not credible
    );
    CREATE INDEX copy_members_group ON copy_members(group_id);
    CREATE TABLE copy_group_aliases (          -- a group merged into an older one keeps its id as an alias
        alias_id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL
    );
    CREATE TABLE shared_paragraphs (           -- near-identical paragraphs in articles of different copy groups
        article_id       INTEGER NOT NULL REFERENCES articles(id),
        position         INTEGER NOT NULL,
        other_article_id INTEGER NOT NULL REFERENCES articles(id),
        other_position   INTEGER NOT NULL,
        similarity       REAL NOT NULL,
        PRIMARY KEY (article_id, position, other_article_id, other_position)
    ) WITHOUT ROWID;
    CREATE INDEX shared_paragraphs_other ON shared_paragraphs(other_article_id);
    """,
    # 3: entities and their mentions, sentence embeddings, stories with stable ids and their aliases
    """
    CREATE TABLE entities (
        id   INTEGER PRIMARY KEY,
        key  TEXT NOT NULL UNIQUE,             -- normalised name: no diacritics, case-folded ("aleksandar vucic")
        name TEXT NOT NULL,                    -- best surface form ("Aleksandar Vučić")
        type TEXT NOT NULL                     -- PERSON | ORG | GPE | LOC | NORP | FAC | EVENT
    );
    CREATE TABLE mentions (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        start_char INTEGER NOT NULL,           -- offsets into articles.body
        end_char   INTEGER NOT NULL,
        text       TEXT NOT NULL,
        label      TEXT NOT NULL,
        entity_id  INTEGER NOT NULL REFERENCES entities(id),
        PRIMARY KEY (article_id, start_char)
    ) WITHOUT ROWID;
    CREATE INDEX mentions_entity ON mentions(entity_id);
    CREATE TABLE embeddings (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        model      TEXT NOT NULL,
        vector     BLOB NOT NULL               -- float32 little-endian, L2-normalised
    );
    CREATE TABLE stories (
        id                 INTEGER PRIMARY KEY, -- stable: never renumbered; merged stories become aliases
        title              TEXT,               -- headline of the most central article
        central_article_id INTEGER,
        first_date         TEXT,
        last_date          TEXT,
        size               INTEGER NOT NULL,   -- distinct reports (copies counted once)
        state              BLOB NOT NULL,      -- zlib JSON: the clustering profile, to resume
        updated_at         TEXT NOT NULL
    );
    CREATE TABLE story_articles (
        article_id        INTEGER PRIMARY KEY REFERENCES articles(id),
        story_id          INTEGER NOT NULL,
        probability       REAL NOT NULL,       -- of the report joining the story (1.0 when it opened it)
        report_article_id INTEGER NOT NULL     -- the article it was counted as (itself, or its copy group's)
    );
    CREATE INDEX story_articles_story ON story_articles(story_id);
    CREATE TABLE story_aliases (
        alias_id  INTEGER PRIMARY KEY,
        story_id  INTEGER NOT NULL,
        merged_at TEXT NOT NULL
    );
    CREATE TABLE story_model (                 -- global clustering counters (document frequencies, next id)
        name  TEXT PRIMARY KEY,
        value BLOB NOT NULL
    );
    """,
    # 4: open reports can move to another story; their copies follow by report_article_id.
    """
    CREATE INDEX story_articles_report ON story_articles(report_article_id);
    """,
    # 5: retired stories left the clustering index (no report touched them for long); they stay
    # listed, and their state is no longer loaded. Document frequencies get rows of their own, so
    # a batch writes the ones it changed, not the whole vocabulary.
    """
    ALTER TABLE stories ADD COLUMN retired_at TEXT;   -- NULL while the story is in the index
    CREATE TABLE story_df (
        dimension TEXT PRIMARY KEY,            -- "t:word", "e:entity key" or "n:number"
        reports   INTEGER NOT NULL             -- distinct reports that have it
    ) WITHOUT ROWID;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
