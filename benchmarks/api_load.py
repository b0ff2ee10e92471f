"""HTTP API and UI latency under load: p50 / p99 and requests per second at 1, 8 and 32 clients.

Usage: .venv/bin/python benchmarks/api_load.py [--articles 50000] [--requests 400] [--db FILE]

A store of at least 50,000 articles is generated from real text (the ECB+ documents in
../shared/data/stories/ecbplus/docs.jsonl and the AEB article bodies in
../shared/data/extraction/aeb/ground-truth.json): each article takes a base text, rotates its
paragraphs and gets its own site, date and title, so no two pages are the same bytes. They are
inserted directly through the store (extraction is measured by benchmarks/ingest.py, not here).
The database is kept in the temp directory and reused when it already holds enough articles.

`storyline serve` runs in its own process; the load generator is a minimal keep-alive HTTP/1.1
client on asyncio streams (so client overhead stays small next to the server's), with N clients
each sending requests back to back. Every level sends a bounded number of requests and stops.
Targets: p99 < 100 ms at 32 clients for the article and story pages, search p99 < 250 ms.
Results go to benchmarks/results/api_load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
ECBPLUS = DATA / "stories" / "ecbplus" / "docs.jsonl"
AEB = DATA / "extraction" / "aeb" / "ground-truth.json"
RESULTS = REPO / "benchmarks" / "results" / "api_load.json"
CONCURRENCY = (1, 8, 32)
TARGET_P99_MS = {"article": 100.0, "story": 100.0, "search": 250.0}
SEARCHES = [
    "police", "earthquake", "bomb bank", "killed", "president said", "fire", "Indonesia earthquake",
    "Oscar", "rehab", "court", "arrested", "hospital", "government", "game", "police officer killed",
]  # fmt: skip


def base_texts() -> list[list[str]]:
    texts: list[list[str]] = []
    with ECBPLUS.open(encoding="utf-8") as lines:
        for line in lines:
            text = json.loads(line).get("text") or ""
            texts.append([p.strip() for p in text.split("\n") if p.strip()])
    for item in json.loads(AEB.read_text(encoding="utf-8")).values():
        body = item.get("articleBody") or ""
        texts.append([p.strip() for p in body.split("\n") if p.strip()])
    return [t for t in texts if sum(len(p) for p in t) >= 200]


def build_store(db: Path, n_articles: int) -> None:
    from storyline.records import Article, Page, PageFormat
    from storyline.store import Store

    texts = base_texts()
    rng = random.Random(7)
    sites = [f"site{n:03d}.example" for n in range(120)]
    started = time.monotonic()
    with Store(db) as store:
        have = store.count("articles")
        for number in range(have, n_articles):
            paragraphs = texts[number % len(texts)]
            turn = (number // len(texts)) % len(paragraphs)
            paragraphs = paragraphs[turn:] + paragraphs[:turn]
            site = sites[rng.randrange(len(sites))]
            date = f"20{rng.randrange(10, 24)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            title = f"{paragraphs[0][:90]} ({number})"
            header = [f"Home > {site}", title, f"Date: {date}"]
            footer = ["Related", "- Another headline", "- Yet another headline"]
            text = "\n".join([*header, *paragraphs, *footer])
            offsets, position = [], sum(len(line) + 1 for line in header)
            for paragraph in paragraphs:
                offsets.append((position, position + len(paragraph)))
                position += len(paragraph) + 1
            page = Page(raw=text.encode("utf-8"), source=f"generated/{number}.txt", format=PageFormat.TEXT)
            article = Article(
                page_id=page.page_id, source=page.source, title=title, paragraphs=tuple(paragraphs),
                offsets=tuple(offsets), site_name=site, claimed_date=date, language="en", extractor="generated",
            )  # fmt: skip
            store.save(page, article)
            if number % 2000 == 0:
                store.connection.commit()
                print(f"\rbuilding store: {number}/{n_articles}", end="", file=sys.stderr)
        store.connection.commit()
        store.connection.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
        store.connection.commit()
        build_stories(store, len(texts))
    print(f"\rbuilt store of {n_articles} articles in {time.monotonic() - started:.0f} s", file=sys.stderr)


STORY_SIZE = 25


def build_stories(store: Any, n_texts: int) -> None:
    """Group the generated variants of each text into stories of STORY_SIZE articles.

    Running the story stage over 50,000 articles would take an hour of spaCy; the page under load
    only reads the story tables, so rows written directly measure the same thing.
    """
    connection = store.connection
    if connection.execute("SELECT count(*) FROM stories").fetchone()[0]:
        return
    ids = [row[0] for row in connection.execute("SELECT id FROM articles ORDER BY id")]
    families: dict[int, list[int]] = {}
    for position, article_id in enumerate(ids):
        families.setdefault(position % n_texts, []).append(article_id)
    state = zlib.compress(b"{}")
    story_id = 0
    for members in families.values():
        for start in range(0, len(members), STORY_SIZE):
            chunk = members[start : start + STORY_SIZE]
            story_id += 1
            connection.execute(
                "INSERT INTO stories (id, title, central_article_id, size, state, updated_at) "
                "SELECT ?, title, id, ?, ?, '2026-01-01' FROM articles WHERE id = ?",
                (story_id, len(chunk), state, chunk[0]),
            )
            connection.executemany(
                "INSERT INTO story_articles (article_id, story_id, probability, report_article_id) VALUES (?, ?, 1, ?)",
                [(article_id, story_id, article_id) for article_id in chunk],
            )
    connection.commit()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).parent / "storyline"), "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(command, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("storyline serve did not start")


async def get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    """One GET on a kept-alive connection; returns the status after reading the whole body."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def client(port: int, paths: list[str], latencies: list[float], failures: list[str]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for path in paths:
            started = time.perf_counter()
            status = await get(reader, writer, path)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                failures.append(f"{status} {path}")
    finally:
        writer.close()


async def run_level(port: int, paths: list[str], clients: int) -> dict[str, Any]:
    latencies: list[float] = []
    failures: list[str] = []
    shares = [paths[i::clients] for i in range(clients)]
    started = time.perf_counter()
    await asyncio.gather(*(client(port, share, latencies, failures) for share in shares if share))
    seconds = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "clients": clients,
        "requests": len(latencies),
        "failures": len(failures),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
        "requests_per_s": round(len(latencies) / seconds, 1),
    }


def story_paths(port: int) -> list[str] | None:
    async def fetch() -> list[str] | None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /api/stories?order=largest&limit=100 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        body = (await reader.read()).split(b"\r\n\r\n", 1)[1]
        writer.close()
        stories = json.loads(body)
        if not stories["available"] or not stories["items"]:
            return None
        return [f"/stories/{item['id']}" for item in stories["items"]]

    return asyncio.run(fetch())


def endpoint_paths(port: int, n_articles: int, requests: int) -> dict[str, list[str] | None]:
    rng = random.Random(11)
    stories = story_paths(port)
    return {
        "article": [f"/articles/{rng.randrange(1, n_articles + 1)}" for _ in range(requests)],
        "story": None if stories is None else [rng.choice(stories) for _ in range(requests)],
        "search": [f"/search?q={rng.choice(SEARCHES).replace(' ', '+')}" for _ in range(requests)],
    }


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'endpoint':<9} {'clients':>7} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}  target p99")
    for row in rows:
        if row.get("not_measurable"):
            print(f"{row['endpoint']:<9} {'':>7} {'':>8} {'':>8} {'':>8} {'':>8}  {row['not_measurable']}")
            continue
        verdict = "ok" if row["p99_ms"] < TARGET_P99_MS[row["endpoint"]] else "MISSED"
        print(
            f"{row['endpoint']:<9} {row['clients']:>7} {row['requests']:>8} {row['p50_ms']:>8.1f} "
            f"{row['p99_ms']:>8.1f} {row['requests_per_s']:>8.1f}  < {TARGET_P99_MS[row['endpoint']]:.0f} {verdict}"
        )


def http_parser() -> str:
    """What uvicorn parses HTTP with: httptools when installed, else the pure-Python h11."""
    return "httptools" if importlib.util.find_spec("httptools") else "h11"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=400, help="requests per endpoint and level")
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "storyline-api-load.db")
    args = parser.parse_args()
    if not ECBPLUS.exists() or not AEB.exists():
        print(f"skipped: needs {ECBPLUS} and {AEB} (../shared/data)", file=sys.stderr)
        return
    build_store(args.db, args.articles)
    port = free_port()
    server = start_server(args.db, port)
    rows: list[dict[str, Any]] = []
    # Client and server share the machine: whatever else runs on it moves the figures, so say what it was.
    load_before = os.getloadavg()
    try:
        for endpoint, paths in endpoint_paths(port, args.articles, args.requests).items():
            if paths is None:
                rows.append({"endpoint": endpoint, "not_measurable": "no stories in the store yet"})
                continue
            asyncio.run(run_level(port, paths[:50], 4))  # warm-up: thread connections, page cache
            for clients in CONCURRENCY:
                rows.append({"endpoint": endpoint} | asyncio.run(run_level(port, paths, clients)))
    finally:
        server.terminate()
        server.wait(timeout=10)
    load_after = os.getloadavg()
    print_table(rows)
    print(f"load average (1, 5, 15 min): before {load_before}, after {load_after}", file=sys.stderr)
    result = {
        "articles": args.articles,
        "requests_per_level": args.requests,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "server": f"storyline serve (one uvicorn process, {http_parser()} HTTP parser)",
        "sqlite": sqlite3.sqlite_version,
        "targets_p99_ms": TARGET_P99_MS,
        "rows": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
