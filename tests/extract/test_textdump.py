"""Text-dump cleaning: the seeds exactly, synthetic keep/drop cases, and properties on any input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.extract.textdump import DumpLayout, LineModel, ModelFormatError, default_model, find_layout

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"

# Hand labels of the two seeds (shared/data/textdumps/seeds/labels.jsonl), as line ranges.
SEED_CASES = [
    (
        "000_38c80cf8b5a01419.txt",
        1,
        "NATO head says violence in Kosovo unacceptable while calling for constructive dialogue with Serbia",
        range(4, 19),
    ),
    (
        "004_e9201ade14473ae3.txt",
        1,
        "Albania’s prime minister calls for more NATO troops in neighboring Kosovo following ethnic violence",
        range(3, 16),
    ),
]

ARTICLE = [
    "The city council voted on Tuesday to expand the bus network to the northern districts, "
    "after months of complaints from residents about long commutes.",
    "The plan, which will cost about 40 million euros, adds six new lines and doubles the "
    "frequency of two existing ones, the mayor said at a press conference.",
    "Opposition members said the money would be better spent on repairing roads, but the "
    "measure passed with a comfortable majority of 31 votes to 12.",
    "Work on the first two lines is expected to begin in the spring and to be finished "
    "before the end of next year, according to the transport department.",
    "Residents of the northern districts welcomed the decision, saying that the current "
    "service was slow, unreliable and often overcrowded at peak hours.",
]
MENU = ["- Home", "- News", "- Sport", "- Weather", "- Contact us"]
FOOTER = ["© 2024 Example Media. All rights reserved.", "- Privacy policy", "- Terms of use"]


def _seed_lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize(("name", "title_index", "title", "body"), SEED_CASES)
def test_seed_layout_matches_hand_labels(name: str, title_index: int, title: str, body: range) -> None:
    lines = _seed_lines(name)
    layout = find_layout(lines)
    assert layout.title_index == title_index
    assert lines[title_index] == title
    assert layout.body_indices == tuple(body)


def test_seed_body_excludes_vote_widget_and_related_lists() -> None:
    lines = _seed_lines("000_38c80cf8b5a01419.txt")
    kept = {lines[i] for i in find_layout(lines).body_indices}
    assert not any(line.startswith(("veryGood!", "Related", "- ", "Date:", "View")) for line in kept)
    assert lines[4].startswith("BELGRADE, Serbia (AP)") and lines[4] in kept


def test_synthetic_page_keeps_article_and_drops_chrome() -> None:
    headline = "City council expands bus network to northern districts"
    lines = [
        *MENU,
        headline,
        "By Jane Doe | 12 March 2024",
        *ARTICLE,
        "Share this article",
        "Related",
        "- Another unrelated headline about sport",
        *FOOTER,
    ]
    layout = find_layout(lines)
    kept = [lines[i] for i in layout.body_indices]
    assert kept == ARTICLE
    assert layout.title_index is not None and lines[layout.title_index] == headline


def test_short_quote_inside_article_is_kept() -> None:
    quote = "“We will not give up,” she said."
    article = [*ARTICLE[:3], quote, *ARTICLE[3:]]
    lines = [*MENU, "Bus network to grow", *article, *FOOTER]
    kept = [lines[i] for i in find_layout(lines).body_indices]
    assert quote in kept


def test_menu_only_page_has_no_body() -> None:
    lines = MENU + FOOTER
    assert find_layout(lines).body_indices == ()


def test_empty_and_blank_inputs() -> None:
    assert find_layout([]) == DumpLayout(None, (), ())
    blank = find_layout(["", "  ", ""])
    assert blank.title_index is None and blank.body_indices == ()
    assert len(blank.scores) == 3


def test_huge_line_and_many_lines_are_bounded() -> None:
    lines = ["word " * 200_000, *(["- item"] * 100_000), *ARTICLE]
    layout = find_layout(lines)
    assert all(0 <= i < len(lines) for i in layout.body_indices)
    assert len(layout.scores) == len(lines)
    assert all(s == 0.0 for s in layout.scores[20_000:])


def test_model_file_round_trips(tmp_path: Path) -> None:
    model = default_model()
    path = tmp_path / "model.json"
    model.save(path)
    assert LineModel.load(path).to_dict() == model.to_dict()


def test_wrong_model_format_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"format": "something-else"}), encoding="utf-8")
    with pytest.raises(ModelFormatError):
        LineModel.load(path)


text_lines = st.lists(st.text(max_size=300), max_size=60)


@settings(max_examples=150, deadline=None)
@given(text_lines)
def test_never_raises_and_indices_are_valid(lines: list[str]) -> None:
    layout = find_layout(lines)
    assert list(layout.body_indices) == sorted(set(layout.body_indices))
    assert all(0 <= i < len(lines) and lines[i].strip() for i in layout.body_indices)
    assert layout.title_index is None or 0 <= layout.title_index < len(lines)
    assert len(layout.scores) == len(lines)
    assert all(0.0 <= s <= 1.0 for s in layout.scores)


@settings(max_examples=60, deadline=None)
@given(text_lines)
def test_deterministic(lines: list[str]) -> None:
    assert find_layout(lines) == find_layout(list(lines))


COMMENT_THREAD = [
    "12 Comments",
    "Leave a reply",
    "- Maria on March 12, 2024 at 6:34 am said:",
    "I live in the northern districts and the buses there are always late, so this is really "
    "welcome news for all of us.",
    "Reply",
    "- Tom on March 13, 2024 at 9:02 pm said:",
    "The money would be better spent on fixing the roads, which have been in a terrible state for years now, honestly.",
    "Reply",
]


def test_comment_thread_after_article_is_dropped() -> None:
    # Issue 3: reader comments are prose line by line; the thread markers and the main-block
    # decoder keep them out of the body.
    lines = [*MENU, "City council expands bus network", *ARTICLE, *COMMENT_THREAD, *FOOTER]
    kept = [lines[i] for i in find_layout(lines).body_indices]
    assert kept == ARTICLE
