"""A real store (the seeds, the ECB+ sample and hostile pages) served by a real uvicorn on loopback."""

from __future__ import annotations

import html
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from storyline.api.app import create_app
from storyline.config import Settings, resolve_settings
from storyline.pipeline.ingest import run_ingest
from storyline.store import Store
from tests.support import REPO, SEEDS

ECB_SAMPLE = REPO / "examples" / "ecbplus-sample.jsonl"
HOSTILE_TITLE = "Hostile <script>alert('title')</script> <img src=x onerror=alert('t')> headline"
HOSTILE_BODY = [
    "BELGRADE, Serbia (AP) — Officials said on Tuesday that the <script>alert('body')</script> payload and an "
    "<img src=x onerror=alert('img')> tag must stay inert text when an analyst reads this hostilemarker page.",
    "A second paragraph carries a link <a href=\"javascript:alert('href')\">click me</a> and more words so that "
    "the extractor keeps this body as the article text and not as chrome around it.",
    "A third paragraph talks about NATO peacekeepers and Kosovo so the page is found by a search for hostilemarker "
    "and shows a snippet with the payload <svg onload=alert('svg')> inside it.",
]
HOSTILE_URL = "javascript:alert('url')"


@dataclass(frozen=True)
class WebStore:
    db: Path
    seed_ids: tuple[int, ...]  # the articles extracted from the two seed pages
    hostile_text_id: int  # a text dump whose title and body carry payloads
    hostile_html_id: int  # an HTML page with live scripts, handlers, a javascript: URL and foreign resources


def _write_hostile_pages(folder: Path) -> None:
    lines = ["Home > News", HOSTILE_TITLE, "View", "Date:2023-11-21 10:00:00", *HOSTILE_BODY, "veryGood! (12)"]
    (folder / "hostile.txt").write_text("\n".join([*lines, "Related", "- javascript:alert('rel')"]), encoding="utf-8")
    escaped = "".join(f"<p>{html.escape(p)}</p>" for p in HOSTILE_BODY)
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(HOSTILE_TITLE)}</title>"
        "<script>alert('head')</script><base href='http://evil.example/'></head>"
        "<body onload=\"alert('onload')\"><nav><a href='javascript:alert(1)'>Home</a></nav>"
        f"<article><h1>{html.escape(HOSTILE_TITLE)}</h1>{escaped}"
        "<p><img src='http://evil.example/pixel.gif' onerror=\"alert('html')\"></p>"
        "<iframe src='http://evil.example/'></iframe></article>"
        "<script src='http://evil.example/x.js'></script></body></html>"
    )
    record = {"url": HOSTILE_URL, "html": page, "fetched_at": "2023-11-21T12:00:00Z"}
    (folder / "hostile.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> WebStore:
    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "hostile"
    hostile.mkdir()
    _write_hostile_pages(hostile)
    db = folder / "web.db"
    settings = resolve_settings(env={}, config_file=None)
    with Store(db) as store:
        run_ingest([str(SEEDS), str(ECB_SAMPLE), str(hostile)], store, settings, progress=False)
        _build_stories(store, settings)
        ids = {row["source"]: row["id"] for row in store.rows("SELECT id, source FROM articles")}
    seed_ids = tuple(sorted(v for k, v in ids.items() if k.startswith(str(SEEDS))))
    assert len(seed_ids) == 2, ids
    return WebStore(
        db=db,
        seed_ids=seed_ids,
        hostile_text_id=ids[str(hostile / "hostile.txt")],
        hostile_html_id=ids[f"{hostile / 'hostile.jsonl'}#L1"],
    )


def _build_stories(store: Store, settings: Settings) -> None:
    """Stories, when this storyline has the story stage; the UI and API must work either way."""
    try:
        from storyline.pipeline.stories import update_stories
    except ImportError:
        return
    update_stories(store, settings)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with a real uvicorn on a free loopback port, in a thread; yields its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(web_store: WebStore) -> Iterator[str]:
    """The URL of a real server over the store, for the whole session."""
    with running(create_app(web_store.db)) as url:
        yield url


@pytest.fixture
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as opened:
        yield opened
