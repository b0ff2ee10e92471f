"""The ingest job: read inputs, skip bytes already stored, extract, store, summarise.

Pages and their outcomes are committed in batches; a page is either wholly stored (raw bytes,
page row, article or rejection) or not at all, so a killed run can simply be started again.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from tqdm import tqdm

from storyline.config import Settings
from storyline.ingest import read_pages
from storyline.pipeline.copies import update_copies
from storyline.pipeline.pool import extract_pages
from storyline.pipeline.stories import update_stories
from storyline.records import Article, Page, Rejection
from storyline.store import Store


@dataclass(slots=True)
class IngestSummary:
    pages: int = 0
    articles: int = 0
    rejections: Counter[str] = field(default_factory=Counter)
    duplicates_skipped: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "pages": self.pages,
            "articles": self.articles,
            "rejections": dict(self.rejections.most_common()),
            "duplicates_skipped": self.duplicates_skipped,
            "seconds": round(self.seconds, 3),
        }


def run_ingest(arguments: Sequence[str], store: Store, settings: Settings, progress: bool = True) -> IngestSummary:
    summary = IngestSummary()
    started = time.monotonic()
    # Pages read but not yet stored, with the other sources of the same bytes seen meanwhile.
    # Bounded by the pool's reorder window: everything else is already visible in the store.
    in_flight: dict[str, list[str]] = {}
    bar = tqdm(desc="ingest", unit="page", disable=not progress, dynamic_ncols=True)
    pending = 0
    try:
        new_pages = _new_pages(arguments, store, settings, summary, in_flight)
        for page, outcome in extract_pages(new_pages, settings.extract, settings.workers, settings.page_time_limit):
            store.save(page, outcome)
            for source in in_flight.pop(page.page_id, []):
                store.add_source(page.page_id, source)
            _count(summary, outcome)
            pending += 1
            if pending >= settings.batch_size:
                store.connection.commit()
                pending = 0
            bar.update(1)
        store.connection.commit()
    finally:
        bar.close()
    # Both stages take their work from the store (every article not placed yet), so articles a
    # killed run stored but never placed are picked up here too.
    _say(progress, f"copies: placing {summary.articles} new articles in copy groups")
    update_copies(store, settings)
    if settings.build_stories:
        _say(progress, f"stories: entities, embeddings and clustering for {summary.articles} new articles")
        update_stories(store, settings)
    summary.seconds = time.monotonic() - started
    return summary


def _say(progress: bool, message: str) -> None:
    """A progress line on stderr (stdout is for data), shown when the progress bar is."""
    if progress:
        print(message, file=sys.stderr, flush=True)


def _count(summary: IngestSummary, outcome: Article | Rejection) -> None:
    summary.pages += 1
    if isinstance(outcome, Article):
        summary.articles += 1
    else:
        summary.rejections[outcome.reason.value] += 1


def _new_pages(
    arguments: Sequence[str],
    store: Store,
    settings: Settings,
    summary: IngestSummary,
    in_flight: dict[str, list[str]],
) -> Iterator[Page]:
    """Pages whose bytes are not stored yet; input-level rejections are recorded on the way."""
    for item in read_pages(arguments, settings.ingest):
        if isinstance(item, Rejection):
            store.save_rejection(item)
            summary.rejections[item.reason.value] += 1
            continue
        if item.page_id in in_flight:
            in_flight[item.page_id].append(item.source)
            summary.duplicates_skipped += 1
        elif store.has_page(item.page_id):
            store.add_source(item.page_id, item.source)
            summary.duplicates_skipped += 1
        else:
            in_flight[item.page_id] = []
            yield item
