from __future__ import annotations

import json
import random

import numpy as np

from storyline.stories import Profile, Report, StoryIndex, StoryOptions, number_tokens, term_counts


def report(article_id: int, text: str, people: tuple[str, ...] = (), date: str | None = None, seed: int = 0) -> Report:
    rng = np.random.default_rng(seed)
    vector = rng.normal(size=384).astype(np.float32)
    return Report(
        article_id=article_id,
        title=text[:40],
        date=date,
        terms=term_counts(text),
        entities=dict.fromkeys(people, "PERSON"),
        numbers=number_tokens(text),
        embedding=vector / np.linalg.norm(vector),
        leads=frozenset(f"e:{p}" for p in people),
    )


QUAKE = "A magnitude 6.1 earthquake struck the Aegean island of Samos, damaging houses and a harbour wall."
QUAKE_2 = "The magnitude 6.1 earthquake that hit Samos damaged houses; the harbour wall collapsed, officials said."
RAIN = "Parliament passed the budget after a marathon session on pensions, taxes and the health service."
RAIN_2 = "The budget vote in parliament ended a marathon session over pensions, taxes and health spending."


def test_related_reports_share_a_story_and_ids_stay_stable() -> None:
    index = StoryIndex()
    first = index.add_batch([report(1, QUAKE, ("maria papadaki",)), report(2, RAIN, ("john doe",), seed=1)])
    assert [a.story_id for a in first] == [1, 2]
    second = index.add_batch(
        [report(3, RAIN_2, ("john doe",), seed=2), report(4, QUAKE_2, ("maria papadaki",), seed=3)]
    )
    assert {a.article_id: a.story_id for a in second} == {3: 2, 4: 1}
    assert sorted(index.stories[1].members) == [1, 4]


def test_state_round_trips_through_json() -> None:
    index = StoryIndex()
    index.add_batch([report(1, QUAKE, ("maria papadaki",)), report(2, RAIN, ("john doe",), seed=1)])
    restored = StoryIndex.from_dict(json.loads(json.dumps(index.to_dict())), StoryOptions())
    assert restored.next_id == 3 and set(restored.stories) == {1, 2}
    assert restored.add_batch([report(3, QUAKE_2, ("maria papadaki",), seed=2)])[0].story_id == 1
    assert (
        restored.add_batch([report(4, "Unrelated words about gardening tomatoes and roses.", seed=4)])[0].story_id == 3
    )


def test_time_distance_separates_otherwise_identical_reports() -> None:
    apart = StoryIndex().add_batch(
        [
            report(1, QUAKE, ("maria papadaki",), date="2020-01-01"),
            report(2, QUAKE_2, ("maria papadaki",), date="2021-06-01"),
        ]
    )
    assert apart[0].story_id != apart[1].story_id
    undated = StoryIndex().add_batch([report(1, QUAKE, ("maria papadaki",)), report(2, QUAKE_2, ("maria papadaki",))])
    assert undated[0].story_id == undated[1].story_id  # unknown dates are neutral


def test_a_bridging_report_merges_stories_into_the_older_id() -> None:
    index = StoryIndex(StoryOptions(merge_threshold=0.0, settle_after=None))  # one pass: reports never move
    index.add_batch([report(1, QUAKE, ("maria papadaki",))])
    index.add_batch([report(2, QUAKE_2 + " Aftershocks followed.", ("maria papadaki",), seed=5)])
    # Force two stories for one event, then let a third report bridge them.
    if len(index.stories) == 1:
        story = index.new_story()
        index.join(story, report(3, QUAKE + " Ferries stopped.", ("maria papadaki",), seed=6))
    assert len(index.stories) == 2
    result = index.add_batch([report(4, QUAKE + " " + QUAKE_2, ("maria papadaki",), seed=7)])
    assert result[0].story_id == 1 and result[0].merged == (2,)
    assert index.resolve(2) == 1 and set(index.stories) == {1}


def test_candidates_come_from_the_index_not_from_every_story() -> None:
    def words(i: int) -> str:
        rng = random.Random(i)
        return " ".join("".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(7)) for _ in range(5))

    index = StoryIndex()
    index.add_batch([report(i, words(i), seed=i) for i in range(1, 50)])
    assert len(index.stories) == 49
    assert index.candidates(report(99, words(7))) == [7]


def test_number_tokens_keep_years_decimals_and_counts() -> None:
    assert number_tokens("In 2008 a 6.1 quake killed 1,200 people and 3 dogs.") == {"2008", "6.1", "1200"}


def test_average_link_pass_merges_fragments_into_the_older_id() -> None:
    # Two batches that open a story each for one event (join threshold out of reach); the pass
    # after the second batch merges them by average link, keeping the older id.
    index = StoryIndex(StoryOptions(threshold=1.1, merge_threshold=1.1, link_threshold=0.05, settle_after=None))
    first = index.add_batch([report(1, QUAKE, ("maria papadaki",))])
    second = index.add_batch([report(2, QUAKE_2, ("maria papadaki",), seed=1)])
    assert first[0].story_id == 1
    assert second[0].story_id == 1 and second[0].merged == (2,)
    assert index.resolve(2) == 1 and sorted(index.stories[1].members) == [1, 2]
    restored = StoryIndex.from_dict(json.loads(json.dumps(index.to_dict())), index.options)
    assert len(restored.stories[1].samples) == 2
    kept = StoryIndex(
        StoryOptions(
            threshold=1.1, merge_threshold=1.1, link_threshold=None, late_join_threshold=None, settle_after=None
        )
    )
    kept.add_batch([report(1, QUAKE, ("maria papadaki",))])
    assert kept.add_batch([report(2, QUAKE_2, ("maria papadaki",), seed=1)])[0].story_id == 2


def test_the_bounded_pair_probability_is_exact_where_it_answers() -> None:
    texts = [QUAKE, QUAKE_2, RAIN, RAIN_2, f"{QUAKE} {RAIN}", "Samos harbour wall houses earthquake magnitude 6.1"]
    people = [("maria papadaki",), ("maria papadaki",), ("john doe",), (), ("john doe", "maria papadaki"), ()]
    reports = [report(i + 1, t, p, seed=i) for i, (t, p) in enumerate(zip(texts, people, strict=True))]
    index = StoryIndex()
    index.add_batch(reports)
    answered = 0
    for a in reports:
        for b in reports:
            exact = index.pair_probability(Profile.of(a), Profile.of(b))
            for floor in (0.0, 0.02, 0.2, 0.5, 0.9):
                # Fresh profiles (new version stamps): nothing cached, the bound itself answers.
                bounded = index.pair_probability_reaching(Profile.of(a), Profile.of(b), floor)
                assert bounded == (exact if exact >= floor else None)
                answered += bounded is not None
    assert 0 < answered < len(reports) ** 2 * 5  # some pairs reach a floor, some do not


def test_number_tokens_keep_ranks_from_the_tenth_on() -> None:
    # The eleventh Doctor is not the twelfth: ranks name which of a series an event is.
    assert number_tokens("Matt Smith, the 11th Doctor, follows the tenth; a 1st and a second.") == {"11th", "10th"}
    assert number_tokens("the Twelfth Doctor and the 21st century") == {"12th", "21th"}


def test_regression_a_run_of_thousands_of_digits_is_a_number_not_a_crash() -> None:
    # int() refuses strings of over 4,300 digits; a hostile page used to stop the stories stage.
    digits = "1" * 5000
    assert number_tokens(f"x {digits} and {digits}th y") == {digits, f"{digits}th"}
