from __future__ import annotations

from typing import Any

from storyline.enrich import entity_key, extract_entities
from storyline.records import Article
from tests.stories.seeds import seed_articles
from tests.support import SEED_000, seed_body


def article(*paragraphs: str, title: str = "t") -> Article:
    return Article(page_id="x", source="x", title=title, paragraphs=paragraphs)


def test_entity_key_ignores_diacritics_case_article_and_possessive() -> None:
    assert entity_key("Vučić") == entity_key("VUCIC") == entity_key("Vucic’s") == "vucic"
    assert entity_key("the European Union") == "european union"


def test_seed_entities_are_normalised_and_traceable(nlp: Any) -> None:
    articles = seed_articles()
    results = extract_entities(articles, nlp)
    for source, found in zip(articles, results, strict=True):
        for mention in found.mentions:
            assert source.body[mention.start : mention.end] == mention.text
    first = {e.key: e for e in results[0].entities}
    assert first["jens stoltenberg"].type == "PERSON" and first["jens stoltenberg"].name == "Jens Stoltenberg"
    assert first["aleksandar vucic"].type == "PERSON"
    # The lone surname refers back to the full name; the dateline credit "(AP)" is no actor.
    lone = [m for m in results[0].mentions if m.text == "Stoltenberg"]
    assert lone and all(m.entity_key == "jens stoltenberg" for m in lone)
    assert "ap" not in first and "stoltenberg" not in first
    second = {e.key: e for e in results[1].entities}
    assert second["edi rama"].type == "PERSON"
    assert second["skopje"].type == "GPE"  # the dateline place, whatever the model tagged there
    assert all(any(ch.isupper() for ch in e.name) for r in results for e in r.entities)


def test_spellings_with_and_without_diacritics_are_one_entity(nlp: Any) -> None:
    results = extract_entities(
        [
            article("Serbian President Aleksandar Vučić met the envoy in Belgrade on Monday."),
            article("Aleksandar Vucic told reporters in Belgrade that talks would go on."),
        ],
        nlp,
    )
    keys = [{e.key for e in r.entities if e.type == "PERSON"} for r in results]
    assert keys == [{"aleksandar vucic"}, {"aleksandar vucic"}]
    names = {e.name for r in results for e in r.entities if e.key == "aleksandar vucic"}
    assert names == {"Aleksandar Vučić"}  # on a tie, the form with diacritics


def test_surname_known_from_an_earlier_batch(nlp: Any) -> None:
    text = "Stoltenberg said the alliance would send more troops to the region, officials in Brussels said."
    found = extract_entities([article(text)], nlp, known_surnames={"stoltenberg": "jens stoltenberg"})
    assert any(m.entity_key == "jens stoltenberg" for m in found[0].mentions)


def test_no_entity_from_the_removed_chrome(nlp: Any) -> None:
    page_lines = SEED_000.read_text(encoding="utf-8").split("\n")
    chrome = "\n".join(line for line in page_lines if line not in set(seed_body(SEED_000)))
    in_chrome = {entity_key(ent.text) for ent in nlp(chrome).ents if ent.label_ in ("PERSON", "ORG", "GPE")}
    found = {e.key for e in extract_entities(seed_articles()[:1], nlp)[0].entities}
    only_chrome = in_chrome - found
    assert only_chrome  # the chrome names things (related headlines, site names) ...
    assert not only_chrome & found  # ... and none of them became an entity of the article
