"""Articles from HTML pages.

The first engine is trafilatura with its metadata (title, site name, author, date via htmldate);
the issue "Extraction that beats the best" replaces or combines engines behind the same function.
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from storyline.config import ExtractOptions

ENGINE = "trafilatura"


@dataclass(frozen=True, slots=True)
class HtmlExtraction:
    title: str | None
    paragraphs: tuple[str, ...]
    site_name: str | None
    author: str | None
    date: str | None
    language: str | None


def extract_html(html: str, url: str | None, options: ExtractOptions) -> HtmlExtraction | None:
    """Main text and metadata of an HTML page, or ``None`` when no main text is found."""
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    if document is None or isinstance(document, dict):
        return None
    text = document.text or ""
    paragraphs = tuple(line.strip() for line in text.split("\n") if line.strip())
    return HtmlExtraction(
        title=_clean(document.title),
        paragraphs=paragraphs,
        site_name=_clean(document.sitename),
        author=_clean(document.author),
        date=_clean(document.date),
        language=_clean(document.language),
    )


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
