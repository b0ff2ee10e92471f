"""Pages from WARC / WARC.gz files: one page per HTTP response (or resource) record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecordType

from storyline.config import IngestOptions
from storyline.records import Page, PageFormat, Rejection, RejectionReason
from storyline.sniff import looks_binary, looks_like_html

PAGE_RECORD_TYPES = WarcRecordType.response | WarcRecordType.resource
TEXTUAL_TYPES = ("text/html", "application/xhtml", "text/plain", "application/xml", "text/xml")


def read_warc(stream: BinaryIO, source: str, options: IngestOptions) -> Iterator[Page | Rejection]:
    """Yield a page per response record; a record that cannot be read becomes a rejection."""
    count = 0
    try:
        for record in ArchiveIterator(stream, record_types=PAGE_RECORD_TYPES, parse_http=True):
            count += 1
            record_source = f"{source}#{record.record_id}"
            yield _record_to_page(record, record_source, options)
    except (OSError, ValueError) as exc:
        yield Rejection(
            source=f"{source}#after-record-{count}",
            reason=RejectionReason.MALFORMED,
            detail=f"malformed WARC after {count} readable records: {exc}",
        )
        return
    if count == 0:
        yield Rejection(
            source=source,
            reason=RejectionReason.MALFORMED,
            detail="WARC file holds no readable response or resource record",
        )


def _record_to_page(record: object, source: str, options: IngestOptions) -> Page | Rejection:
    headers = record.headers  # type: ignore[attr-defined]
    length = int(record.content_length)  # type: ignore[attr-defined]
    if length > options.max_raw_bytes:
        return Rejection(source, RejectionReason.TOO_LARGE, f"WARC record of {length} bytes")
    content_type = (record.http_content_type or "").lower()  # type: ignore[attr-defined]
    try:
        payload = record.reader.read()  # type: ignore[attr-defined]
    except (OSError, ValueError) as exc:
        return Rejection(source, RejectionReason.TRUNCATED, f"WARC record payload unreadable: {exc}")
    if len(payload) < length:
        return Rejection(
            source, RejectionReason.TRUNCATED, f"WARC record declares {length} bytes, holds {len(payload)}"
        )
    if content_type and not content_type.startswith(TEXTUAL_TYPES):
        return Rejection(source, RejectionReason.NO_ARTICLE, f"content type {content_type} is not a page")
    page_format = PageFormat.HTML if looks_like_html(payload) or "html" in content_type else PageFormat.TEXT
    if looks_binary(payload[:4096]):
        page_format = PageFormat.UNKNOWN
    return Page(
        raw=payload,
        source=source,
        format=page_format,
        url=headers.get("WARC-Target-URI"),
        fetched_at=headers.get("WARC-Date"),
    )
