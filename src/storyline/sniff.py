"""Tell what a blob of bytes is from its content, and turn bytes into text.

Shared by the ingest stage (which container? HTML or text?) and the extract stage (which
encoding?). Extensions lie (``.txt`` files holding HTML, ``.html`` files holding gzip), so every
decision here looks at the bytes first and uses the file name only as a tie-breaker.
"""

from __future__ import annotations

import codecs
import re
from enum import StrEnum

import charset_normalizer

SNIFF_BYTES = 4096

GZIP_MAGIC = b"\x1f\x8b"
WARC_MAGIC = (b"WARC/1.0", b"WARC/1.1", b"WARC/0.")

# Tags that only an HTML document starts with, in its first few kilobytes.
HTML_SIGNALS = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title[\s>]|<div[\s>]|<p[\s>]|<article[\s>]",
    re.IGNORECASE,
)
META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]{1,40})""", re.IGNORECASE)

# Control bytes that never occur in text (tab, newline, carriage return and form feed do).
CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
BINARY_CONTROL_SHARE = 0.02
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class Container(StrEnum):
    """What kind of file holds the page(s)."""

    GZIP = "gzip"
    WARC = "warc"
    JSONL = "jsonl"
    SINGLE = "single"


def sniff_container(head: bytes, name: str = "") -> Container:
    if head.startswith(GZIP_MAGIC):
        return Container.GZIP
    stripped = head.lstrip()
    if stripped.startswith(WARC_MAGIC):
        return Container.WARC
    if stripped.startswith(b"{") and _looks_like_jsonl(stripped):
        return Container.JSONL
    if name.endswith((".jsonl", ".ndjson")) and stripped.startswith(b"{"):
        return Container.JSONL
    return Container.SINGLE


def _looks_like_jsonl(head: bytes) -> bool:
    first_line = head.split(b"\n", 1)[0]
    return b'"' in first_line[:200] and b":" in first_line[:400]


def looks_binary(head: bytes) -> bool:
    """True for bytes that are not text in any encoding we can read."""
    if not head:
        return False
    if any(head.startswith(bom) for bom, _ in BOMS[1:]):
        return False  # UTF-16/32 text is full of NUL bytes
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, CONTROL_BYTES))  # one pass, not one per byte value
    return controls / len(head) > BINARY_CONTROL_SHARE


def looks_like_html(head: bytes) -> bool:
    return HTML_SIGNALS.search(head[:SNIFF_BYTES]) is not None


def declared_charset(head: bytes) -> str | None:
    match = META_CHARSET.search(head[: SNIFF_BYTES * 4])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


class DecodeFailure(ValueError):
    """The bytes are not text in any encoding we can tell apart."""


def decode_text(raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes: BOM, then strict UTF-8, then the declared charset, then detection.

    Returns ``(text, encoding)``. Raises ``DecodeFailure`` when no encoding reads the bytes
    cleanly; callers record that as a rejection.
    """
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace"), encoding
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lenient = _mostly_utf8(raw)
    if lenient is not None:
        return lenient, "utf-8"
    if declared and declared not in ("utf-8", "utf_8"):
        try:
            return raw.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    best = charset_normalizer.from_bytes(raw[: 1024 * 1024]).best()
    if best is None or best.encoding is None:
        raise DecodeFailure("no text encoding reads these bytes (not UTF-8, no charset detected)")
    try:
        return raw.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        text = raw.decode(best.encoding, errors="replace")
        if text.count("\ufffd") > max(8, len(text) // 1000):
            raise DecodeFailure(f"invalid bytes for the detected encoding {best.encoding}") from None
        return text, best.encoding


UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
MAX_UTF8_ERROR_SHARE = 0.005


def _mostly_utf8(raw: bytes) -> str | None:
    """UTF-8 text with a few corrupt bytes, decoded with U+FFFD in their place.

    A page in a legacy encoding (cp1252 "Caf\xe9") has no valid multi-byte UTF-8 sequence at all;
    a UTF-8 page with a stray byte has many. Only the second is read as UTF-8 here.
    """
    if not UTF8_MULTIBYTE.search(raw[: 1024 * 1024]):
        return None
    text = raw.decode("utf-8", errors="replace")
    if text.count("\ufffd") > MAX_UTF8_ERROR_SHARE * len(text):
        return None
    return text
