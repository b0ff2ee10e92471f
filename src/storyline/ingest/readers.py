"""Read one input (a file or stdin) into pages, whatever its container."""

from __future__ import annotations

import gzip
import io
import sys
import zlib
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from storyline.config import IngestOptions
from storyline.ingest.jsonl import read_jsonl
from storyline.ingest.paths import STDIN, expand_inputs
from storyline.ingest.warc import read_warc
from storyline.records import Page, PageFormat, Rejection, RejectionReason
from storyline.sniff import SNIFF_BYTES, Container, looks_binary, looks_like_html, sniff_container

Item = Page | Rejection


def read_pages(arguments: Sequence[str], options: IngestOptions) -> Iterator[Item]:
    """Every page (or rejection) of every input, in input order."""
    for path in expand_inputs(arguments):
        yield from read_input(path, options)


def read_input(path: str, options: IngestOptions) -> Iterator[Item]:
    try:
        if path == STDIN:
            data = sys.stdin.buffer.read(options.max_raw_bytes + 1)
            yield from _read_stream(io.BytesIO(data), path, options)
            return
        with open(path, "rb") as stream:
            yield from _read_stream(stream, path, options)
    except OSError as exc:
        yield Rejection(path, RejectionReason.ERROR, f"cannot read input: {exc.strerror or exc}")


def _read_stream(stream: BinaryIO, source: str, options: IngestOptions) -> Iterator[Item]:
    head = _peek(stream)
    container = sniff_container(head, source.lower())
    if container is Container.GZIP:
        yield from _read_gzip(stream, source, options)
    elif container is Container.WARC:
        yield from read_warc(stream, source, options)
    elif container is Container.JSONL:
        yield from read_jsonl(stream, source, options)
    else:
        yield _single_page(stream.read(options.max_raw_bytes + 1), source, options)


def _peek(stream: BinaryIO) -> bytes:
    position = stream.tell()
    head = stream.read(SNIFF_BYTES)
    stream.seek(position)
    return head


def _read_gzip(stream: BinaryIO, source: str, options: IngestOptions) -> Iterator[Item]:
    """A gzip file holds one page, a WARC, or JSON Lines: look inside to tell."""
    try:
        inner_head = gzip.GzipFile(fileobj=stream).read(SNIFF_BYTES)
    except (OSError, EOFError, zlib.error) as exc:
        yield Rejection(source, RejectionReason.TRUNCATED, f"unreadable gzip: {exc}")
        return
    stream.seek(0)
    inner = sniff_container(inner_head, source.lower().removesuffix(".gz"))
    if inner is Container.WARC:
        yield from read_warc(stream, source, options)  # fastwarc reads gzip members itself
        return
    if inner is Container.JSONL:
        yield from read_jsonl(gzip.GzipFile(fileobj=stream), source, options)  # type: ignore[arg-type]
        return
    try:
        data = _gunzip_bounded(stream, options.max_raw_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        yield Rejection(source, RejectionReason.TRUNCATED, f"truncated or corrupt gzip: {exc}")
        return
    yield _single_page(data, source, options)


def _gunzip_bounded(stream: BinaryIO, limit: int) -> bytes:
    with gzip.GzipFile(fileobj=stream) as unzipped:
        return unzipped.read(limit)


def _single_page(data: bytes, source: str, options: IngestOptions) -> Item:
    if len(data) > options.max_raw_bytes:
        return Rejection(source, RejectionReason.TOO_LARGE, f"input over the {options.max_raw_bytes}-byte limit")
    head = data[:SNIFF_BYTES]
    if looks_binary(head):
        page_format = PageFormat.UNKNOWN
    elif looks_like_html(head):
        page_format = PageFormat.HTML
    else:
        page_format = PageFormat.TEXT
    return Page(raw=data, source=source, format=page_format)
