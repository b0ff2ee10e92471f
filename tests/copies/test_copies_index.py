"""The copy index's machinery: batches find what one-by-one adds find; spilled state reads the same."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyline.copies import (
    ArticleText,
    CopyIndex,
    CopyOptions,
    OriginReason,
    Placement,
    bands,
    columns,
    decide_origin,
    sign_many,
)
from storyline.copies.bands import BandTable
from tests.support import SEED_000, SEED_004, seed_body

OPTIONS = CopyOptions()
BODY_000 = tuple(seed_body(SEED_000))
BODY_004 = tuple(seed_body(SEED_004))


def corpus() -> list[ArticleText]:
    """The seeds, their copies and excerpts, and unrelated fillers, interleaved."""
    articles: list[ArticleText] = []
    for n in range(12):
        filler = tuple(f"Filler story {n} paragraph {p} about item{n}x{p} and more words here" for p in range(6))
        articles.append(ArticleText(len(articles) + 1, filler))
        source = BODY_000 if n % 2 else BODY_004
        articles.append(ArticleText(len(articles) + 1, source[: 4 + n % 5] if n % 3 else source))
    return articles


def placements(index: CopyIndex, articles: list[ArticleText], batch: int) -> list[Placement]:
    signatures = sign_many(articles, OPTIONS)
    found: list[Placement] = []
    for start in range(0, len(signatures), batch):
        found.extend(index.add_many(signatures[start : start + batch]))
    return found


def summary(found: list[Placement]) -> list[tuple[int, tuple[int, ...], tuple[tuple[int, int, int], ...]]]:
    return [
        (
            p.group_id,
            tuple(link.other_id for link in p.links),
            tuple(sorted((s.position, s.other_id, s.other_position) for s in p.shared)),
        )
        for p in found
    ]


def test_a_batch_finds_what_adding_one_by_one_finds() -> None:
    one_by_one = summary(placements(CopyIndex(OPTIONS), corpus(), 1))
    assert summary(placements(CopyIndex(OPTIONS), corpus(), 7)) == one_by_one
    assert summary(placements(CopyIndex(OPTIONS), corpus(), 100)) == one_by_one
    assert len({group for group, _, _ in one_by_one}) == 12 + 2  # the fillers, and one group for each seed
    assert any(shared for _, _, shared in one_by_one)  # the seeds' shared background paragraph


def test_spilled_runs_and_columns_give_the_same_placements(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = summary(placements(CopyIndex(OPTIONS), corpus(), 5))
    monkeypatch.setattr(columns, "CHUNK_ROWS", 4)
    monkeypatch.setattr(bands, "SPILL_ENTRIES", 200)
    assert summary(placements(CopyIndex(OPTIONS, spill_dir=tmp_path), corpus(), 5)) == expected
    assert list(tmp_path.glob("spill-*.npy"))


def test_band_table_returns_every_value_under_a_key() -> None:
    table = BandTable()
    table.add(np.asarray([5, 7, 5], dtype=np.uint64), np.asarray([1, 2, 3], dtype=np.int64))
    table.add(np.asarray([7], dtype=np.uint64), np.asarray([4], dtype=np.int64))
    owners, values = table.search(np.asarray([5, 7, 9], dtype=np.uint64), np.asarray([0, 1, 2], dtype=np.int64))
    assert sorted(zip(owners.tolist(), values.tolist(), strict=True)) == [(0, 1), (0, 3), (1, 2), (1, 4)]


def test_an_undated_original_is_not_displaced_by_a_copy_with_edits() -> None:
    # Regression: a dated copy as clean as the undated original used to win on its date alone.
    typo = tuple(p.replace("Stoltenberg", "Stoltenbreg") for p in BODY_000)
    reworded = tuple(p.replace("peacekeepers", "peace keepers") for p in BODY_000)
    articles = [
        ArticleText(1, typo, "2023-11-21T15:00:00"),
        ArticleText(2, BODY_000, None),
        ArticleText(3, reworded, "2023-11-22T09:00:00"),
    ]
    verdict = decide_origin(1, sign_many(articles, OPTIONS), OPTIONS)
    assert (verdict.origin, verdict.reason) == (2, OriginReason.FEWEST_EDITS)
