"""The markup helpers that the article and search pages build outside the templates.

They were moved out of Jinja loops for speed, so they carry the escaping themselves: these tests
pin that page content stays text, and that the faster line walk finds the same paragraphs as the
plain one it replaced.
"""

from __future__ import annotations

import inspect
import re

from hypothesis import given
from hypothesis import strategies as st

from storyline.api import routes
from storyline.store.web_queries import MARK_CLOSE, MARK_OPEN, split_marks
from storyline.web import render, views

HOSTILE = "<script>alert('x')</script> & <img src=x onerror=alert(1)>"
LINE = re.compile(
    r'<li id="L(\d+)" class="(body|chrome)"(?: data-p="(\d+)")?><span class="ln">\1</span><code>(.*?)</code>'
)


def lines_of(markup: str) -> list[tuple[int, str, int | None, str]]:
    return [(int(n), kind, int(p) if p else None, code) for n, kind, p, code in LINE.findall(markup)]


def test_source_lines_escape_the_page_and_tell_body_from_chrome() -> None:
    text = f"Home > News\n{HOSTILE}\nRelated"
    start = text.index(HOSTILE)
    markup, cut = render.source_lines(text, [[start, start + len(HOSTILE)]], [HOSTILE], None)
    assert not cut
    assert lines_of(markup) == [
        (1, "chrome", None, "Home &gt; News"),
        (2, "body", 1, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;"),
        (3, "chrome", None, "Related"),
    ]
    assert "<script>" not in markup and "<img" not in markup


def test_source_lines_mark_the_highlight_inside_the_escaped_line() -> None:
    text = "first line\nsecond <b>line</b>"
    markup, _ = render.source_lines(text, [], [], (18, 26))
    assert "<code>second <mark>&lt;b&gt;line&lt;</mark>/b&gt;</code>" in markup
    assert "<code>first line</code>" in markup


def test_source_lines_without_offsets_find_paragraphs_by_their_words() -> None:
    text = "<nav>Menu</nav>\n<p>The opening words of the article body.</p>\n<footer>x</footer>"
    markup, _ = render.source_lines(text, [], ["The opening words of the article body."], None)
    assert [(kind, p) for _, kind, p, _ in lines_of(markup)] == [("chrome", None), ("body", 1), ("chrome", None)]


def test_source_lines_cut_a_long_page() -> None:
    markup, cut = render.source_lines("x\n" * (render.MAX_SOURCE_LINES + 5), [], [], None)
    assert cut and len(lines_of(markup)) == render.MAX_SOURCE_LINES


def _paragraph_by_index(start: int, end: int, spans: list[tuple[int, int]]) -> int | None:
    """The rule before the line walk: the first paragraph, in article order, that overlaps the line."""
    return next((i for i, (s, e) in enumerate(spans) if s < end and start < e), None)


@st.composite
def page_with_paragraphs(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    lines = draw(st.lists(st.text(alphabet="ab <&", max_size=12), min_size=1, max_size=12))
    text = "\n".join(lines)
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=10))))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    return text, spans


@given(page_with_paragraphs())
def test_source_lines_find_the_same_paragraphs_as_the_plain_rule(case: tuple[str, list[tuple[int, int]]]) -> None:
    text, spans = case
    markup, _ = render.source_lines(text, [list(s) for s in spans], ["p"] * len(spans), None)
    start, expected = 0, []
    for line in text.split("\n"):
        index = _paragraph_by_index(start, start + len(line), spans)
        expected.append(None if index is None else index + 1)
        start += len(line) + 1
    assert [p for _, _, p, _ in lines_of(markup)] == expected


def test_paragraph_items_escape_the_text_and_link_only_by_number() -> None:
    markup = render.paragraph_items([HOSTILE, "Second"], [[5, 20], None], {0: [(42, 3)]}, (10, 12))
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert '<p id="p1" class="para hl">' in markup and '<p id="p2" class="para">' in markup
    assert 'href="/articles/42#p4"' in markup and "also in #42" in markup
    assert 'href="?highlight=5-20#p1"' in markup
    assert markup.count('class="to-source"') == 1  # the second paragraph has no offsets


def _split_by_walking(snippet: str) -> tuple[str, list[list[int]]]:
    """The character walk ``split_marks`` replaced, kept as the reference."""
    text, spans, start = "", [], None
    for char in snippet:
        if char == MARK_OPEN:
            start = len(text)
        elif char == MARK_CLOSE:
            if start is not None:
                spans.append([start, len(text)])
            start = None
        else:
            text += char
    return text, spans


@given(st.text(alphabet=["a", " ", "é", MARK_OPEN, MARK_CLOSE], max_size=40))
def test_split_marks_matches_the_character_walk(snippet: str) -> None:
    assert split_marks(snippet) == _split_by_walking(snippet)


def test_point_lookup_pages_run_on_the_event_loop() -> None:
    # Regression (load benchmark): in the threadpool an article page cost 2.1 ms of server CPU, not 1.2.
    for endpoint in (views.article, views.story, routes.api_article, routes.api_story):
        assert inspect.iscoroutinefunction(endpoint), endpoint.__name__
    for endpoint in (views.search, views.index, routes.api_search, routes.api_articles):
        assert not inspect.iscoroutinefunction(endpoint), endpoint.__name__  # these scan: threadpool
