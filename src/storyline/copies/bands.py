"""A compact, append-only map from LSH band keys to integer values (article or paragraph references).

A Python dict of lists costs over 100 bytes an entry and MinHash banding writes 64 entries an
article, so that would be the largest thing in memory. Here each batch's entries become one sorted
numpy run (16 bytes an entry); runs of similar size are merged, as in a log-structured merge tree,
so there are O(log n) runs. Lookups are vectorised over a whole batch: one binary search per run
for all the batch's keys, and ``earlier_in_batch`` finds keys a batch shares with itself.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from storyline.copies.columns import spill

Keys = np.ndarray[tuple[int], np.dtype[np.uint64]]
Ints = np.ndarray[tuple[int], np.dtype[np.int64]]

SPILL_ENTRIES = 1 << 22  # 64 MB of keys and values: a run this large goes to a file, and is not merged again


class BandTable:
    def __init__(self, spill_dir: Path | None = None) -> None:
        self._runs: list[tuple[Keys, Ints]] = []
        self._spill_dir = spill_dir
        self._spilled = 0  # the first runs are files, the others in memory

    def __len__(self) -> int:
        return sum(len(keys) for keys, _ in self._runs)

    def add(self, keys: Keys, values: Ints) -> None:
        """Store ``values[i]`` under ``keys[i]``, as one sorted run; merge runs of similar size."""
        if not len(keys):
            return
        order = np.argsort(keys, kind="stable")
        self._runs.append((keys[order], values[order]))
        while len(self._runs) - self._spilled > 1 and len(self._runs[-1][0]) * 2 >= len(self._runs[-2][0]):
            (keys_b, values_b), (keys_a, values_a) = self._runs.pop(), self._runs.pop()
            merged = np.concatenate((keys_a, keys_b))
            order = np.argsort(merged, kind="stable")
            self._runs.append((merged[order], np.concatenate((values_a, values_b))[order]))
        if self._spill_dir is not None and len(self._runs[-1][0]) >= SPILL_ENTRIES:
            # Memory holds at most about twice SPILL_ENTRIES; each spilled run costs one more search a batch.
            keys, values = self._runs.pop()
            self._runs.append((spill(keys, self._spill_dir), spill(values, self._spill_dir)))
            self._spilled = len(self._runs)

    def search(self, keys: Keys, owners: Ints) -> tuple[Ints, Ints]:
        """(owner, value) pairs: every value stored under ``keys[i]``, paired with ``owners[i]``."""
        found_owners, found_values = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        # Sorted needles: each binary search starts where the previous one ended, in cache.
        sort = np.argsort(keys)
        keys, owners = keys[sort], owners[sort]
        for run_keys, run_values in self._runs:
            low = np.searchsorted(run_keys, keys, side="left")
            hit = np.flatnonzero(run_keys[np.minimum(low, len(run_keys) - 1)] == keys)
            if not len(hit):
                continue
            counts = np.searchsorted(run_keys, keys[hit], side="right") - low[hit]  # only hits need the end
            found_owners.append(np.repeat(owners[hit], counts))
            found_values.append(run_values[_ranges(low[hit], counts)])
        return np.concatenate(found_owners), np.concatenate(found_values)


def earlier_in_batch(keys: Keys, owners: Ints, values: Ints, order: Ints) -> tuple[Ints, Ints]:
    """(owner, value) pairs for equal keys within a batch, where the value's entry comes earlier.

    ``order[i]`` is the place of entry i's article in the batch: an article only meets those placed
    before it, as it would have if they had been added one by one.
    """
    if not len(keys):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    sort = np.lexsort((order, keys))
    keys, owners, values, order = keys[sort], owners[sort], values[sort], order[sort]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    sizes = np.diff(np.append(starts, len(keys)))
    found_owners, found_values = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for size in np.unique(sizes[sizes > 1]).tolist():
        group_starts = starts[sizes == size]
        first, second = np.triu_indices(size, k=1)
        earlier = (group_starts[:, None] + first[None, :]).ravel()
        later = (group_starts[:, None] + second[None, :]).ravel()
        keep = order[earlier] < order[later]
        found_owners.append(owners[later[keep]])
        found_values.append(values[earlier[keep]])
    return np.concatenate(found_owners), np.concatenate(found_values)


def grouped(owners: Ints, values: Ints, n_owners: int) -> list[list[int]]:
    """The distinct values of each owner 0 .. n_owners - 1, sorted."""
    if not len(owners):
        return [[] for _ in range(n_owners)]
    sort = np.lexsort((values, owners))
    owners, values = owners[sort], values[sort]
    distinct = np.concatenate(([True], (owners[1:] != owners[:-1]) | (values[1:] != values[:-1])))
    owners, values = owners[distinct], values[distinct]
    bounds = np.searchsorted(owners, np.arange(n_owners + 1)).tolist()
    flat: list[int] = values.tolist()
    return [flat[bounds[i] : bounds[i + 1]] for i in range(n_owners)]


def _ranges(starts: Ints, counts: Ints) -> Ints:
    """Concatenated ``range(start, start + count)`` for each pair, without a Python loop."""
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    ranges: Ints = offsets + np.arange(int(counts.sum()))
    return ranges
