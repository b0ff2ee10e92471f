"""The HTML extractor's parts: chrome rules, headline and site-name stripping, the engine comparer."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from storyline.config import ExtractOptions
from storyline.extract.html import HtmlExtraction, engines, extract_html
from storyline.extract.html.chrome import chrome_rule_for, drop_chrome
from storyline.extract.html.dates import claimed_date_from_html
from storyline.extract.html.markup import headline, language, meta_tags, meta_value


@pytest.mark.parametrize(
    ("paragraph", "rule"),
    [
        ("Comments", "section_label"),
        ("You may also like...", "section_label"),
        ("Related: The ten best photography books of the year", "teaser_link"),
        ("Gallery owner reveals secret collection [VIDEO]", "tagged_teaser"),
        ("Like this story? Share it with a friend!", "promotion"),
        ("paul.smith@example.com", "contact_only"),
        ("Tempo de leitura: 2 minutos", "notice"),
    ],
)
def test_chrome_rules(paragraph: str, rule: str) -> None:
    assert chrome_rule_for(paragraph) == rule


@pytest.mark.parametrize(
    "paragraph",
    [
        "Related to the case, the prosecutor said on Monday that more charges could follow in the coming weeks.",
        "Comments made by the minister on Tuesday drew criticism from the opposition and from business groups.",
        "More than 200 people attended the meeting.",
    ],
)
def test_body_sentences_are_not_chrome(paragraph: str) -> None:
    assert chrome_rule_for(paragraph) is None


def test_drop_chrome_keeps_everything_when_all_looks_like_chrome() -> None:
    assert drop_chrome(["Comments", "Tags"]) == ("Comments", "Tags")


@pytest.mark.parametrize(
    ("head", "url", "expected"),
    [
        (
            '<title>Storm hits coast | Coast Daily</title><meta property="og:site_name" content="Coast Daily">',
            None,
            "Storm hits coast",
        ),
        ("<title>Coast Daily - Storm hits coast</title>", "https://www.coastdaily.com/a", "Storm hits coast"),
        ("<title>Storm hits coast - what we know</title>", "https://example.org/a", "Storm hits coast - what we know"),
        ('<meta property="og:title" content="Storm hits coast"><title>Other | Site</title>', None, "Storm hits coast"),
    ],
)
def test_headline_strips_the_site_name_only(head: str, url: str | None, expected: str) -> None:
    root = lxml_html.document_fromstring(f"<html><head>{head}</head><body><p>x</p></body></html>")
    assert headline(root, url)[0] == expected


def test_headline_uses_h1_to_cut_an_unknown_suffix() -> None:
    page = "<html><head><title>Storm hits coast :: CD</title></head><body><h1>Storm hits coast</h1></body></html>"
    assert headline(lxml_html.document_fromstring(page), None)[0] == "Storm hits coast"


def test_declared_language() -> None:
    assert language(lxml_html.document_fromstring('<html lang="pt-BR"><body>x</body></html>')) == "pt"


def _words(engine: str, count: int) -> engines.EngineText:
    return engines.EngineText(engine, ("word " * count,) if count else ())


def _never() -> engines.EngineText:
    raise AssertionError("a fallback ran although the choice was not suspect")


def test_comparer_falls_back_when_trafilatura_keeps_too_little() -> None:
    chosen = engines.compare(
        _words("trafilatura", 2), _words("resiliparse", 100), [lambda: _words("readability", 90), _never]
    )
    assert chosen.engine == "readability"


def test_comparer_keeps_trafilatura_when_it_holds_the_text() -> None:
    chosen = engines.compare(_words("trafilatura", 80), _words("resiliparse", 100), [_never])
    assert chosen.engine == "trafilatura"


def test_comparer_tries_the_next_fallback_while_the_choice_stays_suspect() -> None:
    # Regression: a page where precision mode kept nothing and readability only a caption (23 words
    # of 1,516) was rejected as too short although trafilatura's default mode held the whole column.
    fallbacks = [lambda: _words("readability", 23), lambda: _words("trafilatura-recall", 1390)]
    chosen = engines.compare(_words("trafilatura", 0), _words("resiliparse", 1516), fallbacks)
    assert chosen.engine == "trafilatura-recall"


def test_comparer_keeps_a_suspect_text_no_fallback_beats() -> None:
    chosen = engines.compare(_words("trafilatura", 40), _words("resiliparse", 100), [lambda: _words("readability", 45)])
    assert chosen.engine == "trafilatura"


# ---------------------------------------------------------------- shared parse, meta tags, dates

ARTICLE_HTML = (
    "<html><head><title>Storm hits coast | Example News</title>"
    '<meta property="og:site_name" content="Example News">'
    '<meta name="author" content="">'
    '<meta name="author" content="Jane Doe">'
    '<meta property="article:author" content="John Roe">'
    '<meta property="article:published_time" content="2019-11-05T10:30:00Z">'
    "</head><body><h1>Storm hits coast</h1>"
    + "".join(
        f"<p>The storm reached the coast on Tuesday night and cut power to {n} thousand homes, "
        "the regional utility said, as crews worked through the morning to restore it.</p>"
        for n in range(6)
    )
    + '<form><input name="q" value="search"><select><option>a</option></select></form>'
    + "</body></html>"
)


def test_meta_value_takes_the_first_filled_tag_of_the_strongest_name() -> None:
    meta = meta_tags(lxml_html.document_fromstring(ARTICLE_HTML))
    assert meta_value(meta, ("author", "article:author")) == "Jane Doe"
    assert meta_value(meta, ("article:author", "author")) == "John Roe"
    assert meta_value(meta, ("dc.creator",)) is None


def test_control_characters_are_dropped_before_parsing() -> None:
    options = ExtractOptions()
    clean = extract_html(ARTICLE_HTML, "https://example.com/storm", options)
    dirty = extract_html(ARTICLE_HTML.replace("<p>The", "<p>\x00The\x1b"), "https://example.com/storm", options)
    assert isinstance(clean, HtmlExtraction) and isinstance(dirty, HtmlExtraction)
    assert dirty == clean
    assert clean.title == "Storm hits coast" and clean.author == "Jane Doe"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/2019/11/05/storm-hits-coast",  # the address holds the day
        "https://example.com/news/storm-hits-coast",  # it does not: htmldate reads the page
        None,
    ],
)
def test_date_from_the_address_or_the_metadata_keeps_the_stated_time(url: str | None) -> None:
    root = lxml_html.document_fromstring(ARTICLE_HTML)
    assert claimed_date_from_html(ARTICLE_HTML, url, root) == "2019-11-05T10:30:00"
    assert claimed_date_from_html(ARTICLE_HTML, url) == "2019-11-05T10:30:00"


def test_engine_text_counts_its_words_once() -> None:
    text = engines.EngineText("trafilatura", ("Two words.", "And three more"))
    assert text.words == 5
    assert text == engines.EngineText("trafilatura", ("Two words.", "And three more"))


def test_a_lone_surrogate_in_a_page_string_is_read_as_a_question_mark() -> None:
    # decode_text never leaves one, but a caller of the library may hand us such a string.
    body = "<p>Some body text here with words, enough of them to keep in the article.</p>" * 20
    found = extract_html(f"<html><body><h1>T\ud800x</h1>{body}</body></html>", None, ExtractOptions())
    assert isinstance(found, HtmlExtraction) and found.title == "T?x"
