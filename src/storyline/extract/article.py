"""Turn one page into an article or a rejection."""

from __future__ import annotations

from storyline.config import ExtractOptions
from storyline.extract.dateline import find_dateline
from storyline.extract.html import ENGINE as HTML_ENGINE
from storyline.extract.html import HtmlTooDeep, extract_html
from storyline.extract.metadata import byline_from_lines, detect_language, site_name_from_url
from storyline.extract.text import extract_text
from storyline.records import Article, Page, PageFormat, Rejection, RejectionReason
from storyline.sniff import DecodeFailure, declared_charset, decode_text, looks_binary

TEXT_ENGINE = "textdump"


def extract_article(page: Page, options: ExtractOptions) -> Article | Rejection:
    """The article in ``page``, or why there is none."""
    refusal = _refuse(page, options)
    if refusal is not None:
        return refusal
    declared = declared_charset(page.raw) if page.format is PageFormat.HTML else None
    try:
        text, _encoding = decode_text(page.raw, page.encoding or declared)
    except DecodeFailure as exc:
        return _reject(page, RejectionReason.UNDECODABLE, str(exc))
    if not text.strip():
        return _reject(page, RejectionReason.EMPTY, "page has only white space")
    from_format = _from_html if page.format is PageFormat.HTML else _from_text
    article = from_format(page, text, options)
    if isinstance(article, Rejection):
        return article
    return _check_length(article, options)


def _refuse(page: Page, options: ExtractOptions) -> Rejection | None:
    if not page.raw.strip():
        return _reject(page, RejectionReason.EMPTY, "page is empty")
    if len(page.raw) > options.max_page_bytes:
        return _reject(
            page,
            RejectionReason.TOO_LARGE,
            f"page of {len(page.raw)} bytes is over the {options.max_page_bytes}-byte extraction limit",
        )
    if page.format is PageFormat.UNKNOWN or looks_binary(page.raw[:4096]):
        return _reject(page, RejectionReason.BINARY, "page bytes are binary, not text or HTML")
    return None


def _from_html(page: Page, html: str, options: ExtractOptions) -> Article | Rejection:
    found = extract_html(html, page.url, options)
    if isinstance(found, HtmlTooDeep):
        detail = f"HTML nested more than {found.limit} elements deep (the parser's limit): its text would be cut"
        return _reject(page, RejectionReason.MALFORMED, detail)
    if found is None or not found.paragraphs:
        return _reject(page, RejectionReason.NO_ARTICLE, "no main text found in the HTML")
    language = found.language
    if options.detect_language and not language:
        language = detect_language("\n".join(found.paragraphs))
    return Article(
        page_id=page.page_id,
        source=page.source,
        title=found.title,
        paragraphs=found.paragraphs,
        site_name=found.site_name or site_name_from_url(page.url),
        claimed_date=found.date,
        dateline=find_dateline(found.paragraphs[0]),
        byline=found.author or byline_from_lines(found.paragraphs[:2]),
        language=language,
        url=page.url,
        extractor=HTML_ENGINE,
    )


def _from_text(page: Page, text: str, options: ExtractOptions) -> Article | Rejection:
    found = extract_text(text, options)
    if found is None:
        return _reject(page, RejectionReason.NO_ARTICLE, "no article body found in the text")
    body = "\n".join(found.paragraphs)
    return Article(
        page_id=page.page_id,
        source=page.source,
        title=found.title,
        paragraphs=found.paragraphs,
        offsets=found.offsets,
        site_name=found.site_name or site_name_from_url(page.url),
        claimed_date=found.date,
        dateline=find_dateline(found.paragraphs[0]),
        byline=found.byline,
        language=detect_language(body) if options.detect_language else None,
        url=page.url,
        extractor=TEXT_ENGINE,
    )


def _check_length(article: Article, options: ExtractOptions) -> Article | Rejection:
    chars = sum(len(p) for p in article.paragraphs)
    if chars < options.min_body_chars or len(article.paragraphs) < options.min_paragraphs:
        return Rejection(
            source=article.source,
            reason=RejectionReason.TOO_SHORT,
            detail=f"body of {chars} characters is under the {options.min_body_chars}-character minimum",
            page_id=article.page_id,
        )
    return article


def _reject(page: Page, reason: RejectionReason, detail: str) -> Rejection:
    return Rejection(source=page.source, reason=reason, detail=detail, page_id=page.page_id)
