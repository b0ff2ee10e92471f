"""The typed records that flow between pipeline stages.

Every record is a frozen, slotted dataclass: stages return new values and never mutate their
inputs. Expected outcomes are values too: a page that yields no article becomes a ``Rejection``
with a machine-readable ``reason`` (see ``RejectionReason``), never ``None``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum


class PageFormat(StrEnum):
    """What the raw bytes of a page are, detected from the content."""

    HTML = "html"
    TEXT = "text"
    UNKNOWN = "unknown"  # binary or unrecognised: kept, then rejected by extraction


@dataclass(frozen=True, slots=True)
class Page:
    """One raw input document as received.

    ``page_id`` is the sha256 of ``raw``: the same bytes are the same page, wherever they came from.
    ``source`` says where the bytes came from (a path as given, ``path#line`` for JSONL,
    ``path#record-id`` for WARC, ``-`` for stdin).
    """

    raw: bytes
    source: str
    format: PageFormat
    url: str | None = None
    fetched_at: str | None = None
    encoding: str | None = None
    page_id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.page_id:
            object.__setattr__(self, "page_id", sha256_hex(self.raw))


def sha256_hex(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True, slots=True)
class Dateline:
    """The dateline opening a wire story, e.g. ``BELGRADE, Serbia (AP) —``."""

    place: str
    region: str | None
    agency: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    """The news article extracted from one page."""

    page_id: str
    source: str
    title: str | None
    paragraphs: tuple[str, ...]
    # (start, end) character offsets of each paragraph in the decoded page text, when known.
    offsets: tuple[tuple[int, int], ...] | None = None
    site_name: str | None = None
    claimed_date: str | None = None
    dateline: Dateline | None = None
    byline: str | None = None
    language: str | None = None
    url: str | None = None
    extractor: str = ""

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


class RejectionReason(StrEnum):
    """Why a page yielded no article. Values are stable: they are stored and counted."""

    EMPTY = "empty"
    BINARY = "binary"
    UNDECODABLE = "undecodable"
    TOO_LARGE = "too_large"
    TRUNCATED = "truncated"
    MALFORMED = "malformed"
    NO_ARTICLE = "no_article"
    TOO_SHORT = "too_short"
    TIMEOUT = "timeout"
    CRASHED = "crashed"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Rejection:
    """A page (or an input that never became a page) that yielded no article, and why."""

    source: str
    reason: RejectionReason
    detail: str
    page_id: str | None = None


Outcome = Article | Rejection
