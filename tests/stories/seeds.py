"""The two seed stories as stored articles, built from their hand-labelled body lines, so these
tests do not depend on the text-dump extractor."""

from __future__ import annotations

from storyline.records import Article, Dateline, Page, PageFormat
from storyline.store import Store
from tests.support import SEED_000, SEED_004, TITLE_000, TITLE_004, seed_body

SEEDS = (
    (SEED_000, TITLE_000, Dateline("Belgrade", "Serbia", "AP", "BELGRADE, Serbia (AP) —"), "2025-04-26T08:23:02"),
    (
        SEED_004,
        TITLE_004,
        Dateline("Skopje", "North Macedonia", "AP", "SKOPJE, North Macedonia (AP) —"),
        "2025-04-28T08:42:28",
    ),
)


def seed_articles() -> list[Article]:
    articles = []
    for path, title, dateline, claimed in SEEDS:
        page = Page(raw=path.read_bytes(), source=str(path), format=PageFormat.TEXT)
        articles.append(
            Article(
                page_id=page.page_id,
                source=str(path),
                title=title,
                paragraphs=tuple(seed_body(path)),
                claimed_date=claimed,
                dateline=dateline,
                site_name="ValueCore" if path == SEED_000 else "CapitalTrack",
            )
        )
    return articles


def store_article(store: Store, article: Article, raw: bytes | None = None) -> int:
    page = Page(raw=raw or article.body.encode(), source=article.source, format=PageFormat.TEXT)
    if raw is None:
        article = Article(**{**{f: getattr(article, f) for f in article.__slots__}, "page_id": page.page_id})
    with store.connection:
        article_id = store.save(page, article)
    assert article_id is not None
    return article_id


def store_seeds(store: Store) -> list[int]:
    return [
        store_article(store, article, path.read_bytes())
        for article, (path, *_) in zip(seed_articles(), SEEDS, strict=True)
    ]
