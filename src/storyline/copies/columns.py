"""Per-article columns and their spill files: the copy index's state without a Python object per article.

A ``bytes`` object per article costs its header and an allocation of its own, and long-lived
allocations of a few hundred bytes keep freed memory around them from going back to the system.
A ``Column`` appends fixed-width rows to chunks of ``CHUNK_ROWS``; given a spill folder, each full
chunk is written there and memory-mapped, so the process keeps one chunk in its own memory and the
operating system pages the rest in and out as lookups touch them.
"""

from __future__ import annotations

from itertools import count
from pathlib import Path
from typing import Any

import numpy as np

CHUNK_ROWS = 1 << 16
_names = count()


def spill(array: np.ndarray[Any, Any], folder: Path, writable: bool = False) -> np.ndarray[Any, Any]:
    """``array`` written to a new file in ``folder`` and mapped back (read-only unless ``writable``)."""
    path = folder / f"spill-{next(_names)}.npy"
    np.save(path, array)
    mapped: np.ndarray[Any, Any] = np.load(path, mmap_mode="r+" if writable else "r")
    return mapped


class Column:
    """Rows of a fixed width and type, appended at the end, read and written by row index."""

    def __init__(self, width: int, dtype: Any, fill: int = 0, spill_dir: Path | None = None) -> None:
        self._width, self._dtype, self._fill = width, np.dtype(dtype), fill
        self._spill_dir = spill_dir
        self._chunks: list[np.ndarray[Any, Any]] = []
        self._length = 0

    def __len__(self) -> int:
        return self._length

    def append(self, rows: np.ndarray[Any, Any]) -> int:
        """Append ``rows`` (2-D, this column's width); the index of the first one."""
        start = self._length
        self.extend_to(start + len(rows))
        if (start + len(rows) - 1) // CHUNK_ROWS == start // CHUNK_ROWS:  # the usual case: one chunk
            self._chunks[start // CHUNK_ROWS][start % CHUNK_ROWS : start % CHUNK_ROWS + len(rows)] = rows
        else:
            self.put(np.arange(start, start + len(rows)), rows)
        return start

    def get(self, index: int) -> np.ndarray[Any, Any]:
        """Row ``index`` (a view: copy it to keep it past the next write)."""
        row: np.ndarray[Any, Any] = self._chunks[index // CHUNK_ROWS][index % CHUNK_ROWS]
        return row

    def set(self, index: int, row: Any) -> None:
        self._chunks[index // CHUNK_ROWS][index % CHUNK_ROWS] = row

    def extend_to(self, length: int) -> None:
        """Make rows up to ``length`` exist, new ones holding the fill value."""
        while len(self._chunks) * CHUNK_ROWS < length:
            if self._chunks and self._spill_dir is not None:
                self._chunks[-1] = spill(self._chunks[-1], self._spill_dir, writable=True)
            self._chunks.append(np.full((CHUNK_ROWS, self._width), self._fill, dtype=self._dtype))
        self._length = max(self._length, length)

    def take(self, indices: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """The rows at ``indices`` (each below ``len(self)``), as a new (n, width) array."""
        chunk_of = indices // CHUNK_ROWS
        if len(indices) and chunk_of.min() == chunk_of.max():
            taken: np.ndarray[Any, Any] = self._chunks[int(chunk_of[0])][indices % CHUNK_ROWS]
            return taken
        found = np.empty((len(indices), self._width), dtype=self._dtype)
        for chunk in np.unique(chunk_of).tolist():
            inside = chunk_of == chunk
            found[inside] = self._chunks[chunk][indices[inside] % CHUNK_ROWS]
        return found

    def put(self, indices: np.ndarray[Any, Any], rows: np.ndarray[Any, Any]) -> None:
        chunk_of = indices // CHUNK_ROWS
        for chunk in np.unique(chunk_of).tolist():
            inside = chunk_of == chunk
            self._chunks[chunk][indices[inside] % CHUNK_ROWS] = rows[inside]
