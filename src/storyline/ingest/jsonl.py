"""Pages from JSON Lines: one object per line with ``url``, ``html`` or ``text``, ``fetched_at``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from storyline.config import IngestOptions
from storyline.records import Page, PageFormat, Rejection, RejectionReason


def read_jsonl(stream: BinaryIO, source: str, options: IngestOptions) -> Iterator[Page | Rejection]:
    """Yield a page per line; a line that is not a usable object becomes a rejection."""
    for number, line in enumerate(_bounded_lines(stream, options.max_jsonl_line_bytes), start=1):
        line_source = f"{source}#L{number}"
        if line is None:
            yield Rejection(line_source, RejectionReason.TOO_LARGE, "JSONL line over the size limit")
            continue
        if not line.strip():
            continue
        yield _line_to_page(line, line_source)


def _bounded_lines(stream: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """Lines of the stream; ``None`` stands for a line longer than ``limit`` (skipped, not held)."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # drain the rest of the over-long line without keeping it
                rest = stream.readline(1024 * 1024)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line


def _line_to_page(line: bytes, source: str) -> Page | Rejection:
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return Rejection(source, RejectionReason.MALFORMED, f"not valid JSON: {exc}")
    if not isinstance(record, dict):
        return Rejection(source, RejectionReason.MALFORMED, "JSONL line is not an object")
    html, text = record.get("html"), record.get("text")
    if isinstance(html, str) and html.strip():
        body, page_format = html, PageFormat.HTML
    elif isinstance(text, str):
        body, page_format = text, PageFormat.TEXT
    else:
        return Rejection(source, RejectionReason.MALFORMED, "JSONL object has no 'html' or 'text' string")
    url, fetched_at = record.get("url"), record.get("fetched_at")
    return Page(
        raw=body.encode("utf-8", errors="surrogatepass"),
        source=source,
        format=page_format,
        url=url if isinstance(url, str) else None,
        fetched_at=fetched_at if isinstance(fetched_at, str) else None,
        encoding="utf-8",
    )
