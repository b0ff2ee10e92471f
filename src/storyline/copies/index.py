"""Phase 2 of copy detection: the copy index, the explicit state of a global, incremental step.

``CopyIndex`` holds a MinHash LSH over article signatures (band keys in a compact ``BandTable``,
digests kept for verification), the copy groups, and a banded index over the paragraphs of each
group's first member (copies add nothing new to it). Its whole state is the signatures plus the
group memberships and aliases, so it is persisted as those rows and rebuilt with ``restore``;
sharding later means one index per shard of bands.

Articles are placed one at a time, in order, but their LSH lookups are made a batch at a time:
candidates among indexed articles come from one vectorised search, and candidates among earlier
articles of the same batch from the keys the batch shares with itself, so a batch finds exactly
what adding its articles one by one would find.

Groups are identified by the id of the article that started them: ids never change, and when an
article links two groups the older id survives and the other becomes its alias.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np

from storyline.copies.bands import BandTable, Keys, earlier_in_batch, grouped
from storyline.copies.columns import Column
from storyline.copies.model import CopyLink, CopyOptions, Placement, SharedParagraph, Signature
from storyline.copies.sign import digest_array, paragraph_matrix

Matrix = np.ndarray[tuple[int, int], np.dtype[np.uint32]]
KeyMatrix = np.ndarray[tuple[int, int], np.dtype[np.uint64]]
Ints = np.ndarray[tuple[int], np.dtype[np.int64]]
POSITION_BITS = 16  # a paragraph reference is (article_id << 16) | row
RESTORE_BATCH = 1000
# Makes equal values in different bands different keys; fixed so that keys are the same in every run.
BAND_SALT = np.random.default_rng(20231121).integers(0, 2**63, size=256, dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class _Batch:
    """Band keys of a batch, and what they meet: LSH candidates per article, per substantive paragraph."""

    article_keys: KeyMatrix  # (articles, num_bands)
    paragraph_keys: list[KeyMatrix]  # per article: (paragraphs, paragraph_num_bands)
    substantive: list[list[int]]  # per article: rows long enough to be shared text
    candidates: list[list[int]]  # per article: ids of articles sharing a band
    paragraph_candidates: list[dict[int, list[int]]]  # per article: row -> paragraph references


class CopyIndex:
    def __init__(self, options: CopyOptions, spill_dir: Path | None = None) -> None:
        """An empty index; with ``spill_dir``, band runs and full column chunks live in files there."""
        self.options = options
        self._article_bands = BandTable(spill_dir)
        # Per-article columns, by ordinal (order of insertion); ``_ordinal`` maps article ids to it.
        self._ordinal = Column(1, np.int64, -1, spill_dir)
        self._digests = Column(options.num_perm, np.uint32, 0, spill_dir)
        self._sizes = Column(1, np.int64, 0, spill_dir)
        self._paragraph_start = Column(1, np.int64, -1, spill_dir)  # first row in _paragraph_rows, if kept
        self._group_of: dict[int, int] = {}
        self._members: dict[int, list[int]] = {}
        self._aliases: dict[int, int] = {}
        # Paragraph band key -> paragraph references; digests of indexed paragraphs for verification.
        self._paragraph_bands = BandTable(spill_dir)
        self._paragraph_rows = Column(options.paragraph_num_perm, np.uint32, 0, spill_dir)
        self._paragraph_positions = Column(1, np.int64, 0, spill_dir)

    # -- state ----------------------------------------------------------------------------------

    @classmethod
    def restore(
        cls,
        options: CopyOptions,
        signatures: Iterable[Signature],
        group_of: Mapping[int, int],
        aliases: Mapping[int, int],
        spill_dir: Path | None = None,
    ) -> CopyIndex:
        """Rebuild the index from stored signatures, memberships and aliases (no lookups)."""
        index = cls(options, spill_dir)
        index._aliases = dict(aliases)
        founders = set(group_of.values()) | set(aliases)
        stream = iter(signatures)
        while batch := list(islice(stream, RESTORE_BATCH)):
            article_keys, paragraph_keys = index._band_keys_of(batch)
            for signature in batch:
                index._insert(signature, group_of.get(signature.article_id, signature.article_id))
            index._store_bands(batch, article_keys, paragraph_keys, founders)
        return index

    def __contains__(self, article_id: int) -> bool:
        return article_id in self._group_of

    def __len__(self) -> int:
        return len(self._group_of)

    def group_of(self, article_id: int) -> int:
        return self._group_of[article_id]

    def members(self, group_id: int) -> list[int]:
        return list(self._members.get(group_id, ()))

    def aliases(self) -> dict[int, int]:
        return dict(self._aliases)

    def entries(self) -> dict[str, int]:
        """Sizes of the index's parts: articles, article band entries, paragraph band entries."""
        return {
            "articles": len(self._group_of),
            "article_bands": len(self._article_bands),
            "paragraph_bands": len(self._paragraph_bands),
        }

    # -- the step -------------------------------------------------------------------------------

    def add(self, signature: Signature) -> Placement:
        return self.add_many([signature])[0]

    def add_many(self, signatures: Sequence[Signature]) -> list[Placement]:
        """Place articles in order: look each up, verify candidates, join a group, merge groups, or start one."""
        placed = {s.article_id: self._group_of[s.article_id] for s in signatures if s.article_id in self._group_of}
        fresh = [s for s in signatures if s.article_id not in placed]
        batch = self._prepare(fresh)
        placements = {
            signature.article_id: self._place(signature, batch, position) for position, signature in enumerate(fresh)
        }
        founders = {s.article_id for s in fresh if self._group_of[s.article_id] == s.article_id}
        self._store_bands(fresh, batch.article_keys, batch.paragraph_keys, founders)
        return [
            placements.get(s.article_id) or Placement(s.article_id, placed[s.article_id], (), (), ())
            for s in signatures
        ]

    def _place(self, signature: Signature, batch: _Batch, position: int) -> Placement:
        links = self._verified_links(signature, batch.candidates[position])
        groups = sorted({self._group_of[link.other_id] for link in links})
        group_id = groups[0] if groups else signature.article_id
        for merged in groups[1:]:
            self._merge(merged, group_id)
        self._insert(signature, group_id)
        shared = self._shared_paragraphs(signature, group_id, batch.paragraph_candidates[position])
        if not groups:
            self._keep_paragraphs(signature)
        return Placement(signature.article_id, group_id, tuple(links), tuple(groups[1:]), tuple(shared))

    def _insert(self, signature: Signature, group_id: int) -> None:
        ordinal = self._digests.append(digest_array(signature)[None, :])
        self._sizes.extend_to(ordinal + 1)
        self._sizes.set(ordinal, signature.n_shingles)
        self._paragraph_start.extend_to(ordinal + 1)
        self._ordinal.extend_to(signature.article_id + 1)
        self._ordinal.set(signature.article_id, ordinal)
        self._group_of[signature.article_id] = group_id
        self._members.setdefault(group_id, []).append(signature.article_id)

    def _merge(self, group_id: int, into: int) -> None:
        for member in self._members.pop(group_id, []):
            self._group_of[member] = into
            self._members[into].append(member)
        self._aliases[group_id] = into
        for alias, target in self._aliases.items():
            if target == group_id:
                self._aliases[alias] = into

    def _ordinal_of(self, article_id: int) -> int:
        return int(self._ordinal.get(article_id)[0]) if article_id < len(self._ordinal) else -1

    def _ordinals(self, article_ids: Ints) -> Ints:
        """The ordinal of each article id, -1 for articles not in the index."""
        inside = article_ids < len(self._ordinal)
        ordinals: Ints = np.where(inside, self._ordinal.take(np.where(inside, article_ids, 0))[:, 0], -1)
        return ordinals

    def _verified_links(self, signature: Signature, candidates: list[int]) -> list[CopyLink]:
        """Candidates from the LSH, kept when the estimated Jaccard or containment says copy."""
        options = self.options
        others = np.asarray([c for c in candidates if c != signature.article_id], dtype=np.int64)
        ordinals = self._ordinals(others)
        others, ordinals = others[ordinals >= 0], ordinals[ordinals >= 0]
        if not len(others):
            return []
        digest = digest_array(signature)
        similarities = np.count_nonzero(self._digests.take(ordinals) == digest, axis=1) / len(digest)
        sizes = self._sizes.take(ordinals)[:, 0]
        links: list[CopyLink] = []
        for other_id, jaccard, size in zip(others.tolist(), similarities.tolist(), sizes.tolist(), strict=True):
            small = min(signature.n_shingles, size)
            containment = _containment(jaccard, signature.n_shingles, size)
            is_copy = jaccard >= options.copy_jaccard or (
                containment >= options.copy_containment and small >= options.min_containment_shingles
            )
            if is_copy and small > 0:
                links.append(CopyLink(signature.article_id, int(other_id), round(jaccard, 4), round(containment, 4)))
        return links

    # -- band keys and lookups ------------------------------------------------------------------

    def _band_keys_of(self, signatures: Sequence[Signature]) -> tuple[KeyMatrix, list[KeyMatrix]]:
        """Band keys of each article's digest and of each of its paragraphs, in two numpy passes."""
        options = self.options
        if not signatures:
            return np.zeros((0, options.num_bands), np.uint64), []
        article_keys = _band_keys(np.stack([digest_array(s) for s in signatures]), options.num_bands)
        matrices = [paragraph_matrix(s, options) for s in signatures]
        flat = _band_keys(np.concatenate(matrices), options.paragraph_num_bands)
        ends = np.cumsum([len(matrix) for matrix in matrices]).tolist()
        return article_keys, [flat[end - len(m) : end] for m, end in zip(matrices, ends, strict=True)]

    def _prepare(self, signatures: Sequence[Signature]) -> _Batch:
        """The batch's keys, and the articles and paragraphs each of its articles meets in some band."""
        article_keys, paragraph_keys = self._band_keys_of(signatures)
        n_bands = self.options.num_bands
        ids = np.asarray([s.article_id for s in signatures], dtype=np.int64)
        owners = np.repeat(np.arange(len(signatures), dtype=np.int64), n_bands)
        pairs = _pairs(self._article_bands, article_keys.ravel(), owners, np.repeat(ids, n_bands), owners)
        substantive = [self._substantive_rows(s) for s in signatures]
        by_article = self._paragraph_candidates(signatures, paragraph_keys, substantive)
        return _Batch(article_keys, paragraph_keys, substantive, grouped(*pairs, len(signatures)), by_article)

    def _paragraph_candidates(
        self, signatures: Sequence[Signature], paragraph_keys: list[KeyMatrix], substantive: list[list[int]]
    ) -> list[dict[int, list[int]]]:
        """Per article, per substantive paragraph row: references of paragraphs sharing one of its bands."""
        row_article = np.asarray([i for i, rows in enumerate(substantive) for _ in rows], dtype=np.int64)
        references = np.asarray(
            [
                (s.article_id << POSITION_BITS) | row
                for s, rows in zip(signatures, substantive, strict=True)
                for row in rows
            ],
            dtype=np.int64,
        )
        width = self.options.paragraph_num_bands
        row_keys = [keys_of[rows] for keys_of, rows in zip(paragraph_keys, substantive, strict=True)]
        flat = np.concatenate(row_keys).ravel() if row_keys else np.zeros(0, np.uint64)
        owners = np.repeat(np.arange(len(references), dtype=np.int64), width)
        pairs = _pairs(self._paragraph_bands, flat, owners, np.repeat(references, width), np.repeat(row_article, width))
        found = grouped(*pairs, len(references))
        by_article: list[dict[int, list[int]]] = [{} for _ in signatures]
        for at, (article, reference) in enumerate(zip(row_article.tolist(), references.tolist(), strict=True)):
            if found[at]:
                by_article[article][reference & ((1 << POSITION_BITS) - 1)] = found[at]
        return by_article

    def _store_bands(
        self,
        signatures: Sequence[Signature],
        article_keys: KeyMatrix,
        paragraph_keys: list[KeyMatrix],
        founders: set[int],
    ) -> None:
        """Add a batch's article keys, and the substantive paragraph keys of its founders, as new runs."""
        n_bands = self.options.num_bands
        ids = np.asarray([s.article_id for s in signatures], dtype=np.int64)
        self._article_bands.add(article_keys.ravel(), np.repeat(ids, n_bands))
        keys: list[KeyMatrix] = []
        references: list[int] = []
        for signature, keys_of in zip(signatures, paragraph_keys, strict=True):
            if signature.article_id not in founders:
                continue
            rows = self._substantive_rows(signature)
            keys.append(keys_of[rows])
            references.extend((signature.article_id << POSITION_BITS) | row for row in rows)
            self._keep_paragraphs(signature)
        if references:
            width = self.options.paragraph_num_bands
            flat_references = np.repeat(np.asarray(references, dtype=np.int64), width)
            self._paragraph_bands.add(np.concatenate(keys).ravel(), flat_references)

    # -- shared paragraphs ----------------------------------------------------------------------

    def _keep_paragraphs(self, signature: Signature) -> None:
        """Keep a founder's paragraph digests and positions, to verify paragraphs shared with it."""
        ordinal = self._ordinal_of(signature.article_id)
        if self._paragraph_start.get(ordinal)[0] >= 0:
            return
        start = self._paragraph_rows.append(paragraph_matrix(signature, self.options))
        self._paragraph_positions.append(np.asarray(signature.paragraph_positions, dtype=np.int64)[:, None])
        self._paragraph_start.set(ordinal, start)

    def _substantive_rows(self, signature: Signature) -> list[int]:
        chrome = set(signature.chrome_positions)
        return [
            row
            for row, (position, count) in enumerate(
                zip(signature.paragraph_positions, signature.paragraph_words, strict=True)
            )
            if count >= self.options.shared_paragraph_min_words and position not in chrome
        ]

    def _shared_paragraphs(
        self, signature: Signature, group_id: int, candidates: dict[int, list[int]]
    ) -> list[SharedParagraph]:
        """Near-identical paragraphs in indexed articles (group founders) of other copy groups."""
        if not candidates:
            return []
        matrix = paragraph_matrix(signature, self.options)
        width = self.options.paragraph_num_perm
        found: dict[tuple[int, int], SharedParagraph] = {}
        for row, references in candidates.items():
            for reference in references:
                other_id, other_row = reference >> POSITION_BITS, reference & ((1 << POSITION_BITS) - 1)
                if self._group_of.get(other_id) == group_id:
                    continue
                # An earlier article of the same batch is a candidate, but indexed only if it founded a group.
                start = int(self._paragraph_start.get(self._ordinal_of(other_id))[0])
                if start < 0:
                    continue
                similarity = np.count_nonzero(self._paragraph_rows.get(start + other_row) == matrix[row]) / width
                if similarity >= self.options.shared_paragraph_jaccard:
                    position = signature.paragraph_positions[row]
                    other_position = int(self._paragraph_positions.get(start + other_row)[0])
                    found[(position, reference)] = SharedParagraph(
                        signature.article_id, position, other_id, other_position, round(similarity, 4)
                    )
        return list(found.values())


def _pairs(table: BandTable, keys: Keys, owners: Ints, values: Ints, order: Ints) -> tuple[Ints, Ints]:
    """(owner, value) pairs sharing a key: with what ``table`` holds, and with earlier entries of the batch."""
    stored_owners, stored_values = table.search(keys, owners)
    batch_owners, batch_values = earlier_in_batch(keys, owners, values, order)
    return np.concatenate((stored_owners, batch_owners)), np.concatenate((stored_values, batch_values))


def _band_keys(matrix: Matrix, n_bands: int) -> KeyMatrix:
    """Per digest row, one key per band: the band's values packed, salted by band number."""
    width = matrix.shape[1] // n_bands
    keys = np.zeros((matrix.shape[0], n_bands), dtype=np.uint64)
    for offset in range(width):
        keys = (keys << np.uint64(64 // width)) ^ matrix[:, offset::width].astype(np.uint64)
    keys ^= BAND_SALT[:n_bands]
    return keys


def _containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Estimated share of the smaller shingle set found in the larger: |A∩B| / min(|A|, |B|)."""
    small = min(size_a, size_b)
    if small == 0:
        return 0.0
    intersection = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(1.0, intersection / small)
