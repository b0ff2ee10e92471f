"""SQL helpers shared by the store modules."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

# Ids bound per statement: under SQLite's limit on bound parameters (999 in older builds).
IN_CHUNK = 500


def rows_in(connection: sqlite3.Connection, sql: str, ids: Sequence[int], *leading: object) -> Iterator[sqlite3.Row]:
    """The rows of ``sql`` for all ``ids``, ``IN_CHUNK`` ids per statement.

    ``sql`` holds one ``{ids}`` slot (as in ``WHERE id IN ({ids})``) that becomes ``?`` marks:
    only marks are formatted into the statement; ``leading`` parameters and the ids are bound.
    """
    for start in range(0, len(ids), IN_CHUNK):
        chunk = list(ids[start : start + IN_CHUNK])
        statement = sql.replace("{ids}", ",".join("?" * len(chunk)))
        yield from connection.execute(statement, (*leading, *chunk))
