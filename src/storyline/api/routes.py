"""The JSON API under ``/api/``. Routes are stable: scripts depend on them.

Endpoints that scan, count or rank are plain ``def``: SQLite is blocking, so they run in the
server's threadpool, each thread on its own read-only connection, and a slow one cannot stall the
others. The single-article and single-story endpoints are ``async def`` and run on the event loop:
they are a few primary-key lookups, and the hand-off to a thread cost more than they do (see
``storyline.web.views``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from storyline.api import stages
from storyline.api.deps import StoreAccess
from storyline.errors import NotFound
from storyline.store.web_queries import ArticleFilter, BadParameter, decode_cursor, encode_cursor

router = APIRouter(prefix="/api")
ISO_DATE = r"^\d{4}-\d{2}-\d{2}([T ][0-9:.+Z-]{2,})?$"
PAGE_ID = re.compile(r"^[0-9a-f]{64}$")
MAX_LIMIT = 500
MAX_OFFSET = 10_000_000

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many items to return.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many items to skip.")]
ItemId = Annotated[int, Path(ge=1, le=2**62)]


def access(request: Request) -> StoreAccess:
    store_access: StoreAccess = request.app.state.access
    return store_access


def article_filter(site: str | None, date_from: str | None, date_to: str | None, q: str | None) -> ArticleFilter:
    return ArticleFilter(site=site or None, date_from=date_from or None, date_to=date_to or None, q=q)


@router.get("/articles", summary="List articles, filtered and paginated")
def api_articles(
    request: Request,
    site: Annotated[str | None, Query(max_length=500, description="Exact site name.")] = None,
    date_from: Annotated[str | None, Query(pattern=ISO_DATE, description="Claimed date on or after.")] = None,
    date_to: Annotated[str | None, Query(pattern=ISO_DATE, description="Claimed date on or before.")] = None,
    q: Annotated[str | None, Query(max_length=1000, description="Full-text query (all words).")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    cursor: Annotated[str | None, Query(max_length=200, description="`next_cursor` of the previous page.")] = None,
) -> dict[str, Any]:
    """Articles in id order. Page with ``limit``/``offset``, or follow ``next_cursor`` (stable under inserts)."""
    if cursor is not None and offset:
        raise BadParameter("give either cursor or offset, not both")
    after = decode_cursor(cursor) if cursor is not None else None
    where = article_filter(site, date_from, date_to, q)
    rows, total = access(request).queries().list_articles(where, limit, offset, after)
    for row in rows:
        row["links"] = {"self": f"/api/articles/{row['id']}", "ui": f"/articles/{row['id']}"}
    next_cursor = encode_cursor(rows[-1]["id"]) if len(rows) == limit else None
    return {"total": total, "limit": limit, "offset": offset, "next_cursor": next_cursor, "items": rows}


@router.get("/articles/{article_id}", summary="One article with paragraphs and provenance")
async def api_article(request: Request, article_id: ItemId) -> dict[str, Any]:
    return article_detail(access(request), article_id)


def article_detail(store_access: StoreAccess, article_id: int) -> dict[str, Any]:
    """The article, where its bytes came from, and the copy group and stories it belongs to."""
    item = store_access.store().article(article_id)
    queries = store_access.queries()
    page = queries.page_info(item["page_id"])
    item["provenance"] = {
        "page_id": page["page_id"],
        "source": page["source"],
        "sources": item.pop("sources"),
        "format": page["format"],
        "url": page["url"],
        "fetched_at": page["fetched_at"],
        "ingested_at": page["ingested_at"],
        "raw_size": page["size"],
        "raw_url": f"/api/pages/{page['page_id']}/raw",
    }
    store = store_access.store()
    item["copies"] = stages.copies_of_article(store, article_id)
    item["stories"] = stages.stories_of_article(store, article_id)
    return item


@router.get(
    "/pages/{page_id}/raw",
    summary="The raw bytes of a page, as a download",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def api_page_raw(request: Request, page_id: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]) -> Response:
    """Served only as an attachment: the bytes are never rendered by the browser."""
    raw = access(request).store().raw_bytes(page_id)
    if raw is None:
        raise NotFound(f"no page with id {page_id}")
    headers = {
        "Content-Disposition": f'attachment; filename="{page_id}.bin"',
        "Content-Security-Policy": "sandbox; default-src 'none'",
    }
    return Response(raw, media_type="application/octet-stream", headers=headers)


@router.get("/stories", summary="Stories, most recent or largest first")
def api_stories(
    request: Request,
    order: Annotated[str, Query(pattern="^(recent|largest)$")] = "recent",
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    items = stages.list_stories(access(request).store(), order, limit, offset)
    return {"available": items is not None, "limit": limit, "offset": offset, "items": items or []}


@router.get("/stories/{story_id}", summary="One story with its articles, copies and entities")
async def api_story(request: Request, story_id: ItemId) -> dict[str, Any]:
    story = stages.story_detail(access(request).store(), story_id)
    if story is None:
        raise NotFound(f"no story with id {story_id}")
    return story


@router.get("/copies", summary="Copy groups with their origin and re-dated members")
def api_copies(
    request: Request,
    limit: Limit = 50,
    offset: Offset = 0,
    min_members: Annotated[int, Query(ge=1, le=100_000, description="Only groups this large.")] = 2,
) -> dict[str, Any]:
    items = stages.list_copy_groups(access(request).store(), limit, offset, min_members)
    return {"available": items is not None, "limit": limit, "offset": offset, "items": items or []}


@router.get("/entities", summary="Entities, most mentioned first")
def api_entities(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    items = stages.list_entities(access(request).store(), limit, offset)
    return {"available": items is not None, "limit": limit, "offset": offset, "items": items or []}


@router.get("/search", summary="Full-text search with snippets")
def api_search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=1000, description="All words must occur.")],
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """``snippet`` is plain text; ``snippet_marks`` are ``[start, end]`` character spans of the matched words."""
    hits, total = access(request).queries().search(q, limit, offset)
    for hit in hits:
        hit["links"] = {"self": f"/api/articles/{hit['id']}", "ui": f"/articles/{hit['id']}"}
    return {"query": q, "total": total, "limit": limit, "offset": offset, "items": hits}
