"""The HTML extractor's parts: chrome rules, headline and site-name stripping, the engine comparer."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from storyline.extract.html import engines
from storyline.extract.html.chrome import chrome_rule_for, drop_chrome
from storyline.extract.html.markup import headline, language


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
