"""Extraction in worker processes, with a time limit per page and crash isolation.

Why processes: a page can hang a C parser or overflow its stack (HTML nested 100,000 deep), and
neither can be interrupted from Python. Each worker takes one page at a time; the parent kills a
worker that overruns its deadline or dies, records a rejection for that page and starts a new
worker. Results come back in input order through a bounded reorder window, so memory stays bounded.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from storyline.config import ExtractOptions
from storyline.extract import extract_article
from storyline.records import Article, Page, Rejection, RejectionReason

Outcome = Article | Rejection
WINDOW_PER_WORKER = 8


def _safe_extract(page: Page, options: ExtractOptions) -> Outcome:
    try:
        return extract_article(page, options)
    except RecursionError:
        return Rejection(page.source, RejectionReason.MALFORMED, "page nesting is too deep to parse", page.page_id)
    except Exception as exc:  # the runner records the unexpected and goes on
        detail = f"{type(exc).__name__}: {exc}"[:500]
        return Rejection(page.source, RejectionReason.ERROR, detail, page.page_id)


def _worker_main(connection: Connection, options: ExtractOptions) -> None:
    while True:
        try:
            page = connection.recv()
        except EOFError:
            return
        if page is None:
            return
        connection.send(_safe_extract(page, options))


@dataclass(slots=True)
class _Worker:
    process: BaseProcess
    connection: Connection
    task: int | None = None
    page: Page | None = None
    started: float = field(default=0.0)


class ExtractPool:
    """A fixed set of worker processes extracting pages under a per-page deadline."""

    def __init__(self, options: ExtractOptions, workers: int = 2, time_limit: float = 30.0) -> None:
        self.options = options
        self.size = max(1, workers)
        self.time_limit = time_limit
        # fork keeps start-up cheap: workers inherit the already imported extractors.
        self._context = multiprocessing.get_context("fork")
        self._workers: list[_Worker] = []

    def __enter__(self) -> ExtractPool:
        self._workers = [self._spawn() for _ in range(self.size)]
        return self

    def __exit__(self, *exc_info: object) -> None:
        for worker in self._workers:
            self._stop(worker)
        self._workers = []

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child, self.options), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _stop(self, worker: _Worker, kill: bool = False) -> None:
        if kill:
            worker.process.kill()
        else:
            with contextlib.suppress(BrokenPipeError, OSError):
                worker.connection.send(None)
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.connection.close()

    def map(self, pages: Iterable[Page]) -> Iterator[tuple[Page, Outcome]]:
        """Each page with its outcome, in input order."""
        if not self._workers:
            with self:
                yield from self.map(pages)
            return
        source = iter(enumerate(pages))
        done: dict[int, tuple[Page, Outcome]] = {}
        next_out, dispatched, exhausted = 0, 0, False
        window = self.size * WINDOW_PER_WORKER
        while True:
            for worker in self._workers:
                if worker.task is None and not exhausted and dispatched - next_out < window:
                    item = next(source, None)
                    if item is None:
                        exhausted = True
                        break
                    self._dispatch(worker, *item)
                    dispatched += 1
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            busy = [w for w in self._workers if w.task is not None]
            if not busy:
                if exhausted:
                    return
                continue
            self._collect(busy, done)

    def _dispatch(self, worker: _Worker, task: int, page: Page) -> None:
        worker.task, worker.page, worker.started = task, page, time.monotonic()
        with contextlib.suppress(BrokenPipeError, OSError):  # a dead worker is noticed by _collect
            worker.connection.send(page)

    def _collect(self, busy: list[_Worker], done: dict[int, tuple[Page, Outcome]]) -> None:
        now = time.monotonic()
        deadline = min(w.started for w in busy) + self.time_limit
        ready = wait([w.connection for w in busy], timeout=max(0.0, deadline - now))
        for worker in busy:
            assert worker.task is not None and worker.page is not None
            if worker.connection in ready:
                try:
                    outcome: Outcome = worker.connection.recv()
                except (EOFError, OSError):
                    outcome = self._replace(worker, RejectionReason.CRASHED, "the extractor process died on this page")
                done[worker.task] = (worker.page, outcome)
                worker.task, worker.page = None, None
            elif time.monotonic() - worker.started >= self.time_limit:
                detail = f"extraction took longer than {self.time_limit:g} s"
                done[worker.task] = (worker.page, self._replace(worker, RejectionReason.TIMEOUT, detail))
                worker.task, worker.page = None, None

    def _replace(self, worker: _Worker, reason: RejectionReason, detail: str) -> Rejection:
        assert worker.page is not None
        page = worker.page
        self._stop(worker, kill=True)
        fresh = self._spawn()
        worker.process, worker.connection = fresh.process, fresh.connection
        return Rejection(page.source, reason, detail, page.page_id)


def extract_pages(
    pages: Iterable[Page], options: ExtractOptions, workers: int = 2, time_limit: float = 30.0
) -> Iterator[tuple[Page, Outcome]]:
    """Extract every page in worker processes; see ``ExtractPool``."""
    with ExtractPool(options, workers, time_limit) as pool:
        yield from pool.map(pages)
