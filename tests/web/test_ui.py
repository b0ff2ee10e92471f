"""The web UI over HTTP: security headers, escaping of hostile pages, highlights, downloads."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from storyline.api import stages
from storyline.api.app import create_app
from tests.web.conftest import HOSTILE_URL, WebStore, running
from tests.web.inert import live_markup

UI_PAGES = [
    "/",
    "/?order=largest",
    "/search?q=hostilemarker",
    "/search",
    "/articles/{seed}",
    "/articles/{hostile_text}",
    "/articles/{hostile_html}",
    "/articles/999999",
    "/stories/1",
]


def _paths(web_store: WebStore) -> list[str]:
    ids = {
        "seed": web_store.seed_ids[0],
        "hostile_text": web_store.hostile_text_id,
        "hostile_html": web_store.hostile_html_id,
    }
    return [path.format(**ids) for path in UI_PAGES]


def test_every_response_carries_the_security_headers(client: httpx.Client, web_store: WebStore) -> None:
    paths = [*_paths(web_store), "/api/articles", "/api/nothing", "/openapi.json", "/static/style.css"]
    for path in paths:
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        for directive in (
            "default-src 'none'",
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ):
            assert directive in csp, (path, csp)
        assert "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_hostile_pages_render_as_text_in_every_view(client: httpx.Client, web_store: WebStore) -> None:
    for path in _paths(web_store):
        text = client.get(path).text
        assert live_markup(text) == [], path
    article = client.get(f"/articles/{web_store.hostile_html_id}").text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in article
    assert "&lt;img src=x onerror=alert(&#39;img&#39;)&gt;" in article
    assert "&lt;script&gt;alert(&#39;head&#39;)&lt;/script&gt;" in article  # the raw page source, escaped


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "<svg onload=alert(1)>",
        "<base href=//evil.example/>",
        '<p onclick="x()">',
        '<iframe src="http://e.x/">',
    ],
)
def test_the_inertness_check_catches_live_markup(markup: str) -> None:
    assert live_markup(f"<html><body><p>ok</p>{markup}</body></html>")
    assert live_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</p>") == []


def test_only_http_urls_become_links(client: httpx.Client, web_store: WebStore) -> None:
    page = client.get(f"/articles/{web_store.hostile_html_id}").text
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith(("/", "?", "#", "http://", "https://")) for h in hrefs), hrefs
    assert HOSTILE_URL not in page  # shown escaped, never as a live href
    assert "javascript:alert(&#39;url&#39;)" in page


def test_search_page_marks_matches_after_escaping(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "hostilemarker"}).text
    assert "<mark>hostilemarker</mark>" in page
    assert page.count("<mark>") == page.count("</mark>")
    marks = re.findall(r"<mark>(.*?)</mark>", page)
    assert marks and all(m.lower() == "hostilemarker" for m in marks)


def test_article_page_dims_chrome_and_links_paragraphs(client: httpx.Client, web_store: WebStore) -> None:
    page = client.get(f"/articles/{web_store.seed_ids[0]}").text
    assert re.search(r'<li id="L\d+" class="chrome"><span class="ln">\d+</span><code>veryGood! \(4766\)', page)
    assert re.search(r'<li id="L\d+" class="body" data-p="1">', page)
    assert 'id="p1"' in page and 'href="#p1"' in page


def test_highlight_marks_the_passage_in_the_source(client: httpx.Client, web_store: WebStore) -> None:
    item = client.get(f"/api/articles/{web_store.seed_ids[0]}").json()
    index = next(i for i, p in enumerate(item["paragraphs"]) if p.startswith("“This is unacceptable"))
    start, end = item["paragraph_offsets"][index]
    page = client.get(f"/articles/{item['id']}", params={"highlight": f"{start}-{end}"}).text
    assert f"<mark>{item['paragraphs'][index].replace('“', '“')[:20]}" in page.replace("&#34;", '"')
    assert f'id="p{index + 1}" class="para hl"' in page
    assert client.get(f"/articles/{item['id']}", params={"highlight": "5-x"}).status_code == 422


def test_downloads_are_what_is_on_screen(client: httpx.Client, web_store: WebStore) -> None:
    response = client.get("/search", params={"q": "Kosovo", "format": "csv"})
    assert response.headers["content-disposition"] == 'attachment; filename="search.csv"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and all("Kosovo" in row["snippet"] or "kosovo" in row["snippet"].lower() for row in rows)
    listed = client.get("/", params={"format": "json"}).json()
    assert len(listed) == 50 and listed[0]["id"] == 1
    article = client.get(f"/articles/{web_store.seed_ids[0]}", params={"format": "json"}).json()
    assert article[0]["position"] == 0 and article[0]["text"].startswith("BELGRADE")


def test_unknown_ui_pages_are_html_404s(client: httpx.Client) -> None:
    for path in ("/articles/999999", "/nowhere", "/stories/424242"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")


FAKE_STORY: dict[str, Any] = {
    "id": 7,
    "title": "Kosovo <script>alert('story')</script> tensions",
    "first_date": "2023-11-20",
    "last_date": "2023-11-22",
    "articles": [
        {"id": 1, "title": "Origin piece", "site_name": "AP", "date": "2023-11-21", "origin_id": None},
        {
            "id": 2,
            "title": "Copy <img src=x onerror=alert(1)>",
            "site_name": "ValueCore",
            "date": "2023-11-21",
            "claimed_date": "2025-04-26",
            "origin_id": 1,
            "redated": True,
        },
        {"id": 3, "title": "Next day", "site_name": "AP", "date": "2023-11-22", "origin_id": None},
    ],
    "entities": [{"name": "Jens Stoltenberg", "type": "PERSON", "mentions": 9}],
}


@pytest.fixture
def fake_stories(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Stands in for the story stage's store module, which other work provides."""
    monkeypatch.setattr(stages, "stories_available", lambda queries: True)
    monkeypatch.setattr(stages, "list_stories", lambda queries, order, limit, offset: [FAKE_STORY])
    monkeypatch.setattr(stages, "story_detail", lambda queries, story_id: FAKE_STORY if story_id == 7 else None)
    yield


def test_story_page_folds_copies_under_their_origin(fake_stories: None, client: httpx.Client) -> None:
    page = client.get("/stories/7").text
    days = re.findall(r'<h2 class="day-label">([^<]*)</h2>', page)
    assert days == ["2023-11-21", "2023-11-22"]  # by event date, not by the copy's claimed 2025 date
    copies = page[page.index('<details class="copies">') :]
    assert "Copy &lt;img src=x onerror=alert(1)&gt;" in copies[: copies.index("</details>")]
    assert "re-dated" in copies and "Jens Stoltenberg" in page
    assert live_markup(page) == []
    assert "Kosovo &lt;script&gt;" in client.get("/").text
    assert client.get("/stories/8").status_code == 404


def test_token_server_needs_the_token_to_write(web_store: WebStore) -> None:
    with running(create_app(web_store.db, token="s3cret")) as url, httpx.Client(base_url=url) as client:
        assert client.post("/api/articles").status_code == 403
        assert client.post("/api/articles", headers={"Authorization": "Bearer wrong"}).status_code == 403
        # With the token the request reaches the router, which has no write endpoint to offer.
        assert client.post("/api/articles", headers={"Authorization": "Bearer s3cret"}).status_code == 405
        assert client.get("/api/articles").status_code == 200
