"""Phase 2 of copy detection: the copy index, the explicit state of a global, incremental step.

``CopyIndex`` holds a rensa MinHash LSH over article signatures, the copy groups, and a banded
index over the paragraphs of each group's first member (copies add nothing new to it). Its whole
state is the signatures plus the group memberships and aliases, so it is persisted as those rows
and rebuilt with ``restore``; sharding later means one index per shard of bands.

Groups are identified by the id of the article that started them: ids never change, and when an
article links two groups the older id survives and the other becomes its alias.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
from rensa import RMinHash, RMinHashLSH

from storyline.copies.model import CopyLink, CopyOptions, Placement, SharedParagraph, Signature
from storyline.copies.sign import paragraph_matrix

POSITION_BITS = 16  # a paragraph reference is (article_id << 16) | row
# Makes equal values in different bands different keys; fixed so that keys are the same in every run.
BAND_SALT = np.random.default_rng(20231121).integers(0, 2**63, size=256, dtype=np.uint64)


class CopyIndex:
    def __init__(self, options: CopyOptions) -> None:
        self.options = options
        self._lsh = RMinHashLSH(options.copy_jaccard, options.num_perm, options.num_bands)
        self._minhash: dict[int, RMinHash] = {}
        self._size: dict[int, int] = {}
        self._group_of: dict[int, int] = {}
        self._members: dict[int, list[int]] = {}
        self._aliases: dict[int, int] = {}
        # Paragraph band key -> paragraph references; digests of indexed paragraphs for verification.
        self._paragraph_bands: dict[int, list[int]] = {}
        self._paragraph_rows: dict[int, np.ndarray[tuple[int, int], np.dtype[np.uint32]]] = {}
        self._paragraph_positions: dict[int, tuple[int, ...]] = {}

    # -- state ----------------------------------------------------------------------------------

    @classmethod
    def restore(
        cls,
        options: CopyOptions,
        signatures: Iterable[Signature],
        group_of: Mapping[int, int],
        aliases: Mapping[int, int],
    ) -> CopyIndex:
        """Rebuild the index from stored signatures, memberships and aliases (no lookups)."""
        index = cls(options)
        index._aliases = dict(aliases)
        founders = set(group_of.values()) | set(aliases)
        for signature in signatures:
            group_id = group_of.get(signature.article_id, signature.article_id)
            index._insert(signature, group_id)
            if signature.article_id in founders:
                index._index_paragraphs(signature)
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

    # -- the step -------------------------------------------------------------------------------

    def add(self, signature: Signature) -> Placement:
        """Look the article up, verify candidates, then place it: join a group, merge groups, or start one."""
        if signature.article_id in self._group_of:
            group_id = self._group_of[signature.article_id]
            return Placement(signature.article_id, group_id, (), (), ())
        links = self._verified_links(signature)
        groups = sorted({self._group_of[link.other_id] for link in links})
        group_id = groups[0] if groups else signature.article_id
        for merged in groups[1:]:
            self._merge(merged, group_id)
        self._insert(signature, group_id)
        shared = self._shared_paragraphs(signature, group_id)
        if not groups:
            self._index_paragraphs(signature)
        return Placement(signature.article_id, group_id, tuple(links), tuple(groups[1:]), tuple(shared))

    def _insert(self, signature: Signature, group_id: int) -> None:
        self._lsh.insert(signature.article_id, signature.minhash)
        self._minhash[signature.article_id] = signature.minhash
        self._size[signature.article_id] = signature.n_shingles
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

    def _verified_links(self, signature: Signature) -> list[CopyLink]:
        """Candidates from the LSH, kept when the estimated Jaccard or containment says copy."""
        options = self.options
        links: list[CopyLink] = []
        for other_id in self._lsh.query(signature.minhash):
            if other_id == signature.article_id or other_id not in self._minhash:
                continue
            jaccard = float(signature.minhash.jaccard(self._minhash[other_id]))
            small = min(signature.n_shingles, self._size[other_id])
            containment = _containment(jaccard, signature.n_shingles, self._size[other_id])
            is_copy = jaccard >= options.copy_jaccard or (
                containment >= options.copy_containment and small >= options.min_containment_shingles
            )
            if is_copy and small > 0:
                links.append(CopyLink(signature.article_id, int(other_id), round(jaccard, 4), round(containment, 4)))
        return links

    # -- shared paragraphs ----------------------------------------------------------------------

    def _substantive_rows(self, signature: Signature) -> list[int]:
        chrome = set(signature.chrome_positions)
        return [
            row
            for row, (position, count) in enumerate(
                zip(signature.paragraph_positions, signature.paragraph_words, strict=True)
            )
            if count >= self.options.shared_paragraph_min_words and position not in chrome
        ]

    def _band_keys(self, matrix: np.ndarray[tuple[int, int], np.dtype[np.uint32]]) -> list[list[int]]:
        """Per paragraph row, one int key per band: the band's values packed, salted by band number."""
        options = self.options
        width = options.paragraph_num_perm // options.paragraph_num_bands
        keys = np.zeros((matrix.shape[0], options.paragraph_num_bands), dtype=np.uint64)
        for offset in range(width):
            keys = (keys << np.uint64(64 // width)) ^ matrix[:, offset::width].astype(np.uint64)
        keys ^= BAND_SALT[: options.paragraph_num_bands]
        rows: list[list[int]] = keys.tolist()
        return rows

    def _index_paragraphs(self, signature: Signature) -> None:
        rows = self._substantive_rows(signature)
        if not rows:
            return
        matrix = paragraph_matrix(signature, self.options)
        self._paragraph_rows[signature.article_id] = matrix
        self._paragraph_positions[signature.article_id] = signature.paragraph_positions
        keys = self._band_keys(matrix)
        for row in rows:
            reference = (signature.article_id << POSITION_BITS) | row
            for key in keys[row]:
                self._paragraph_bands.setdefault(key, []).append(reference)

    def _shared_paragraphs(self, signature: Signature, group_id: int) -> list[SharedParagraph]:
        """Near-identical paragraphs in indexed articles of other copy groups."""
        rows = self._substantive_rows(signature)
        if not rows or not self._paragraph_bands:
            return []
        matrix = paragraph_matrix(signature, self.options)
        keys = self._band_keys(matrix)
        found: dict[tuple[int, int], SharedParagraph] = {}
        for row in rows:
            references = {ref for key in keys[row] for ref in self._paragraph_bands.get(key, ())}
            for reference in references:
                other_id, other_row = reference >> POSITION_BITS, reference & ((1 << POSITION_BITS) - 1)
                if self._group_of.get(other_id) == group_id:
                    continue
                similarity = float(np.mean(self._paragraph_rows[other_id][other_row] == matrix[row]))
                if similarity >= self.options.shared_paragraph_jaccard:
                    position = signature.paragraph_positions[row]
                    other_position = self._paragraph_positions[other_id][other_row]
                    found[(position, reference)] = SharedParagraph(
                        signature.article_id, position, other_id, other_position, round(similarity, 4)
                    )
        return list(found.values())


def _containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Estimated share of the smaller shingle set found in the larger: |A∩B| / min(|A|, |B|)."""
    small = min(size_a, size_b)
    if small == 0:
        return 0.0
    intersection = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(1.0, intersection / small)
