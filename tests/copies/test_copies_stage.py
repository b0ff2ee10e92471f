"""The pure copies stage: text features, copy links, groups and merges, origins, re-dating."""

from __future__ import annotations

from dataclasses import replace

from storyline.copies import ArticleText, CopyIndex, CopyOptions, OriginReason, decide_origin, sign_many
from storyline.copies.text import chrome_kind, lead_weekday, normalise, paragraph_tokens, wire_credit, words
from tests.support import SEED_000, SEED_004, seed_body

OPTIONS = CopyOptions()
BODY_000 = tuple(seed_body(SEED_000))
BODY_004 = tuple(seed_body(SEED_004))


def article(article_id: int, paragraphs: tuple[str, ...], date: str | None = "2023-11-21T10:00:00") -> ArticleText:
    return ArticleText(article_id, paragraphs, date, None)


def place(*articles: ArticleText) -> tuple[CopyIndex, list[int]]:
    index = CopyIndex(OPTIONS)
    groups = [index.add(signature).group_id for signature in sign_many(articles, OPTIONS)]
    return index, groups


def test_normalise_ignores_case_punctuation_quotes_and_whitespace() -> None:
    assert normalise("“This is  UNACCEPTABLE,” said\tStoltenberg.") == normalise(
        '"this is unacceptable" said Stoltenberg'
    )


def test_chrome_lines_are_named() -> None:
    assert chrome_kind("Read more: Celebrity makeup review") == "read_more"
    assert chrome_kind("ADVERTISEMENT") == "advert"
    assert chrome_kind("veryGood! (4766)") == "vote_widget"
    assert chrome_kind(BODY_000[0]) is None


def test_wire_credit_from_dateline_or_credit_line() -> None:
    assert wire_credit(BODY_000, None) == "AP"
    assert wire_credit(("Text.", "The Associated Press contributed to this report."), None) == "AP"
    assert wire_credit(("No credit here.",), None) is None


def test_lead_weekday_skips_forward_references() -> None:
    assert lead_weekday(BODY_000) is not None
    assert lead_weekday(BODY_000)[0] == 1  # type: ignore[index]  # "said Tuesday"
    assert lead_weekday(("The council will vote Thursday on the budget.",)) is None


def test_the_two_seeds_are_not_copies_but_share_a_background_paragraph() -> None:
    index, groups = place(article(1, BODY_000), article(2, BODY_004))
    assert groups == [1, 2]
    shared = index.add(sign_many([article(3, BODY_004)], OPTIONS)[0]).shared  # a copy of seed 004
    assert index.group_of(3) == 2
    assert [(s.other_id, s.other_position) for s in shared] == [(1, BODY_000.index(BODY_000[4]))]


def republished(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    """What a content farm does: quote marks, a typo, an ad and a Read more line, a dropped credit."""
    edited = [p.replace("“", '"').replace("”", '"').replace("Stoltenberg", "Stoltenburg", 1) for p in paragraphs]
    edited.insert(3, "ADVERTISEMENT")
    edited.insert(6, "Read more: Taylor Swift Eras Archive site launches on singer's 35th birthday")
    edited[0] = edited[0].replace("BELGRADE, Serbia (AP) — ", "")
    return tuple(edited)


def test_republished_and_truncated_copies_join_the_original() -> None:
    _index, groups = place(
        article(1, BODY_000), article(2, republished(BODY_000)), article(3, BODY_000[:5]), article(4, BODY_004)
    )
    assert groups == [1, 1, 1, 4]


def test_a_bridging_article_merges_groups_and_the_older_id_survives() -> None:
    half_a, half_b = BODY_000[:6], BODY_000[6:]
    index, groups = place(article(1, BODY_004), article(2, half_b), article(3, half_a), article(4, BODY_000))
    assert groups == [1, 2, 3, 2]
    assert index.aliases() == {3: 2}
    assert sorted(index.members(2)) == [2, 3, 4]


def test_origin_is_the_earliest_credible_date_and_later_copies_are_redated() -> None:
    articles = [
        article(1, republished(BODY_000), "2025-04-26T08:23:02"),
        article(2, BODY_000, "2023-11-21T12:00:00"),
        article(3, BODY_000[:8], "2023-11-22T09:00:00"),
    ]
    verdict = decide_origin(1, sign_many(articles, OPTIONS), OPTIONS)
    assert (verdict.origin, verdict.reason) == (2, OriginReason.EARLIEST_DATE)
    redated = {m.article_id: m for m in verdict.members if m.redated}
    assert list(redated) == [1]
    assert redated[1].evidence is not None
    assert redated[1].evidence["group_credible_date"] == "2023-11-21"


def test_same_day_copies_fall_back_to_wire_credit_then_containment() -> None:
    credited = sign_many([article(1, republished(BODY_000)), article(2, BODY_000)], OPTIONS)
    assert decide_origin(1, credited, OPTIONS).reason == OriginReason.WIRE_CREDIT
    assert decide_origin(1, credited, OPTIONS).origin == 2
    with_ads = (*BODY_000[:3], "ADVERTISEMENT", "Read more: an unrelated headline about celebrities", *BODY_000[3:])
    signatures = sign_many([article(1, with_ads), article(2, BODY_000), article(3, BODY_000[:7])], OPTIONS)
    verdict = decide_origin(1, signatures, OPTIONS)
    assert (verdict.origin, verdict.reason) == (2, OriginReason.CONTAINMENT)


def test_a_weekday_the_claimed_date_cannot_carry_is_evidence_of_redating() -> None:
    # Seed 000's lead reports Tuesday; it claims Saturday 2025-04-26. 2023-11-21 was a Tuesday.
    for claimed, redated in (("2025-04-26T08:23:02", True), ("2023-11-21T18:00:00", False)):
        verdict = decide_origin(1, sign_many([article(1, BODY_000, claimed)], OPTIONS), OPTIONS)
        assert verdict.reason == OriginReason.ONLY_MEMBER
        assert verdict.members[0].redated is redated


def test_index_state_restores_to_the_same_placements() -> None:
    signatures = sign_many([article(1, BODY_000), article(2, BODY_004)], OPTIONS)
    index = CopyIndex(OPTIONS)
    for signature in signatures:
        index.add(signature)
    restored = CopyIndex.restore(OPTIONS, signatures, {1: 1, 2: 2}, {})
    copy = sign_many([article(3, republished(BODY_000))], OPTIONS)[0]
    assert restored.add(copy).group_id == 1
    shared = restored.add(replace(sign_many([article(4, BODY_004)], OPTIONS)[0], article_id=4)).shared
    assert [s.other_id for s in shared] == [1]


def test_the_fast_ascii_split_gives_the_regex_tokens() -> None:
    samples = (
        BODY_000,
        BODY_004,
        ("“This is unacceptable,” said Stoltenberg — in Brussels… «quoted»", "It’s 93 troops_wounded\tnow"),
        ("Vučić said ﬁve things", "plain ascii, with under_scores and (AP) — dashes"),
        ("",),
        (),
    )
    for paragraphs in samples:
        expected = [token for p in paragraphs for token in [*words(p), "\n"]]
        found = [t.decode() if isinstance(t, bytes) else t for t in paragraph_tokens(paragraphs)]
        assert found == expected
