"""Builders for test inputs: HTML pages, WARC files and JSONL dumps made from the seed texts."""

from __future__ import annotations

import gzip
import html
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "examples" / "seeds"
SEED_000 = SEEDS / "000_38c80cf8b5a01419.txt"
SEED_004 = SEEDS / "004_e9201ade14473ae3.txt"
SHARED_DATA = REPO.parent / "shared" / "data"

TITLE_000 = "NATO head says violence in Kosovo unacceptable while calling for constructive dialogue with Serbia"
TITLE_004 = "Albania’s prime minister calls for more NATO troops in neighboring Kosovo following ethnic violence"


def seed_body(path: Path) -> list[str]:
    """The hand-labelled body lines of a seed: from the dateline paragraph to before ``veryGood!``."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if "(AP) —" in line)
    end = next(i for i, line in enumerate(lines) if line.startswith("veryGood!"))
    return lines[start:end]


def article_html(title: str, paragraphs: list[str], *, site: str = "Example News", date: str = "2023-11-21") -> str:
    """A news page with the usual chrome around an article."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{date}T10:00:00Z"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<main><article><h1>{html.escape(title)}</h1><time datetime="{date}">{date}</time>
{body}
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Celebrity makeup review</a></li></ul></aside>
<footer>© {site}. All rights reserved.</footer></body></html>"""


def seed_html(path: Path, title: str) -> str:
    return article_html(title, seed_body(path))


def warc_record(url: str, payload: bytes, content_type: str = "text/html; charset=utf-8") -> bytes:
    """One WARC/1.0 response record holding an HTTP response."""
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode() + b"\r\n"
        b"Content-Length: " + str(len(payload)).encode() + b"\r\n\r\n" + payload
    )
    headers = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.UUID(int=len(url) * 7919 + len(payload))}>\r\n"
        "WARC-Date: 2023-11-21T12:00:00Z\r\n"
        f"WARC-Target-URI: {url}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return headers + http + b"\r\n\r\n"


def write_warc(path: Path, records: list[bytes], *, gzipped: bool = False) -> Path:
    if gzipped:
        path.write_bytes(b"".join(gzip.compress(record) for record in records))
    else:
        path.write_bytes(b"".join(records))
    return path
