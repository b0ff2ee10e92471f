"""The web UI: server-rendered pages over the same store the JSON API reads.

Templates autoescape everything; page content reaches markup only through ``render``, which
escapes it first. Each list page can be downloaded as CSV or JSON with ``?format=csv|json``.

The article and story pages are ``async def``: they run on the event loop, not in the threadpool.
Their SQL is a handful of primary-key lookups taking microseconds, and the rest is Python that
holds the GIL anyway. In the threadpool they cost more than the page itself: a wake-up each way,
and every SQLite call released the GIL and then queued to take it back (py-spy put the threads'
time on those calls). Server CPU per article page on the load benchmark's store went from 2.1 to
1.2 ms with that change alone. The price: a page holds the loop while it is built, under 20 us
per article of a story, so a 1,000-article story would hold other requests for 10-20 ms.
Search and the list pages scan, count or rank, which can take long on a big store, so they stay
in the threadpool, where SQLite also runs outside the GIL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.templating import Jinja2Templates

from storyline.api import stages
from storyline.api.deps import StoreAccess
from storyline.api.routes import ISO_DATE, ItemId, article_detail
from storyline.errors import NotFound
from storyline.store.web_queries import ArticleFilter
from storyline.web import render

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 20
ARTICLE_COLUMNS = ("id", "claimed_date", "site_name", "title", "url", "page_id", "source")
SEARCH_COLUMNS = ("id", "claimed_date", "site_name", "title", "snippet", "score")

environment = Environment(
    loader=FileSystemLoader(WEB_DIR / "templates"), autoescape=True, undefined=StrictUndefined, auto_reload=False
)
environment.filters["safe_url"] = render.safe_url
environment.globals["marked"] = render.marked
environment.globals["with_params"] = render.with_params
templates = Jinja2Templates(env=environment)
router = APIRouter(include_in_schema=False)
Format = Annotated[str | None, Query(pattern="^(html|csv|json)$")]


def _access(request: Request) -> StoreAccess:
    store_access: StoreAccess = request.app.state.access
    return store_access


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    response: HTMLResponse = templates.TemplateResponse(request, name, context, status_code=status)
    return response


def error_page(request: Request, status: int, message: str) -> Response:
    return page(request, "error.html", status=status, status_code=status, message=message)


def download(rows: list[dict[str, Any]], columns: tuple[str, ...], fmt: str, name: str) -> Response:
    """What is on screen, as a file: the rows shown, in the columns shown."""
    if fmt == "csv":
        body, media = render.csv_text(rows, columns), "text/csv; charset=utf-8"
    else:
        body, media = json.dumps(rows, ensure_ascii=False, indent=1), "application/json"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@router.get("/", response_class=HTMLResponse)
def index(
    request: Request,
    order: Annotated[str, Query(pattern="^(recent|largest)$")] = "recent",
    site: Annotated[str | None, Query(max_length=500)] = None,
    date_from: Annotated[str | None, Query(pattern=ISO_DATE + "|^$")] = None,
    date_to: Annotated[str | None, Query(pattern=ISO_DATE + "|^$")] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    format: Format = None,
) -> Response:
    """Stories (recent or largest) and, below them, the articles with filters."""
    queries = _access(request).queries()
    stories = stages.list_stories(_access(request).store(), order, 40, 0)
    where = ArticleFilter(site=site or None, date_from=date_from or None, date_to=date_to or None)
    articles, total = queries.list_articles(where, PAGE_SIZE, offset)
    if format in ("csv", "json"):
        return download(articles, ARTICLE_COLUMNS, format, "articles")
    return page(
        request,
        "index.html",
        stories=stories,
        order=order,
        articles=articles,
        total=total,
        offset=offset,
        page_size=PAGE_SIZE,
        sites=queries.sites(),
        filters={"site": site or "", "date_from": date_from or "", "date_to": date_to or ""},
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story(request: Request, story_id: ItemId, format: Format = None) -> Response:
    store = _access(request).store()
    if not stages.stories_available(store):
        raise NotFound("no stories yet: the story stage has not run on this database")
    found = stages.story_detail(store, story_id)
    if found is None:
        raise NotFound(f"no story with id {story_id}")
    articles = list(found.get("articles") or [])
    if format in ("csv", "json"):
        return download(articles, ARTICLE_COLUMNS, format, f"story-{story_id}")
    return page(request, "story.html", story=found, n_articles=len(articles), timeline=timeline(articles))


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One article on the story page, read out of its row once (template lookups cost more)."""

    id: Any
    title: str | None
    site_name: str
    claimed_day: str | None
    redated: bool
    copies: tuple[TimelineItem, ...] = ()

    @classmethod
    def of(cls, row: dict[str, Any], copies: tuple[TimelineItem, ...] = ()) -> TimelineItem:
        claimed = row.get("claimed_date")
        day = claimed[:10] if claimed else None
        return cls(row.get("id"), row.get("title"), row.get("site_name") or "", day, bool(row.get("redated")), copies)


def timeline(articles: list[dict[str, Any]]) -> list[tuple[str, list[TimelineItem]]]:
    """Origins grouped by day, each with its copies folded under it (copies carry ``origin_id``)."""
    ids = {a.get("id") for a in articles}
    copies: dict[Any, list[TimelineItem]] = {}
    for item in articles:
        origin = item.get("origin_id")
        if origin is not None and origin != item.get("id") and origin in ids:
            copies.setdefault(origin, []).append(TimelineItem.of(item))
    days: dict[str, list[TimelineItem]] = {}
    for item in sorted(articles, key=lambda a: (a.get("date") or a.get("claimed_date") or "9999", a.get("id") or 0)):
        origin = item.get("origin_id")
        if origin is not None and origin != item.get("id") and origin in ids:
            continue
        day = (item.get("date") or item.get("claimed_date") or "undated")[:10]
        days.setdefault(day, []).append(TimelineItem.of(item, tuple(copies.get(item.get("id"), []))))
    return list(days.items())


@router.get("/articles/{article_id}", response_class=HTMLResponse)
async def article(
    request: Request,
    article_id: ItemId,
    highlight: Annotated[str | None, Query(pattern=r"^\d{1,9}-\d{1,9}$", description="start-end")] = None,
    format: Format = None,
) -> Response:
    """Clean text beside the decoded page, chrome dimmed; ``highlight`` marks a span of the page."""
    store_access = _access(request)
    item = article_detail(store_access, article_id)
    if format in ("csv", "json"):
        rows = [{"id": article_id, "position": i, "text": p} for i, p in enumerate(item["paragraphs"])]
        return download(rows, ("id", "position", "text"), format, f"article-{article_id}")
    span = render.parse_highlight(highlight)
    raw = store_access.store().raw_bytes(item["page_id"]) or b""
    text = render.page_text(raw, item["provenance"]["format"])
    offsets = item.get("paragraph_offsets") or []
    source, cut = render.source_lines(text or "", offsets, item["paragraphs"], span)
    paragraphs = render.paragraph_items(item["paragraphs"], offsets, shared_paragraphs(item), span)
    return page(
        request, "article.html", a=item, paragraphs=paragraphs, source=source, cut=cut, decoded=text is not None
    )


def shared_paragraphs(item: dict[str, Any]) -> dict[int, list[tuple[int, int]]]:
    """Paragraph position -> (other article, its position) for paragraphs shared across copy groups."""
    shared: dict[int, list[tuple[int, int]]] = {}
    for link in (item.get("copies") or {}).get("shared_paragraphs", []):
        shared.setdefault(int(link["position"]), []).append((int(link["article_id"]), int(link["other_position"])))
    return shared


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=1000)] = "",
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    format: Format = None,
) -> Response:
    hits, total = _access(request).queries().search(q, SEARCH_PAGE_SIZE, offset) if q.strip() else ([], 0)
    if format in ("csv", "json"):
        return download(hits, SEARCH_COLUMNS, format, "search")
    return page(request, "search.html", q=q, hits=hits, total=total, offset=offset, page_size=SEARCH_PAGE_SIZE)


@router.get("/favicon.ico")
def favicon() -> Response:
    # Browsers ask for it on pages without markup of ours (the JSON views); answer rather than log a 404.
    return Response(
        (STATIC_DIR / "favicon.svg").read_bytes(),
        media_type="image/svg+xml",
        headers={"Cache-Control": "max-age=86400"},
    )
