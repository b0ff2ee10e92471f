"""``storyline export``: the articles table as JSON Lines, CSV or Parquet."""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from typing import IO, Any

from storyline.store import Store

CSV_COLUMNS = (
    "id",
    "page_id",
    "source",
    "url",
    "title",
    "site_name",
    "claimed_date",
    "dateline_place",
    "dateline_agency",
    "byline",
    "language",
    "body",
)


def _flat(item: dict[str, Any]) -> dict[str, Any]:
    dateline = item.get("dateline") or {}
    return {
        **{k: item.get(k) for k in CSV_COLUMNS if k in item},
        "dateline_place": dateline.get("place"),
        "dateline_agency": dateline.get("agency"),
        "body": "\n".join(item["paragraphs"]),
    }


def export_articles(store: Store, fmt: str, output: str | None) -> int:
    if fmt == "parquet":
        assert output is not None
        return _parquet(store, output)
    with contextlib.ExitStack() as stack:
        handle: IO[str] = stack.enter_context(open(output, "w", encoding="utf-8", newline="")) if output else sys.stdout
        count = 0
        if fmt == "jsonl":
            for item in store.iter_articles():
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")
                count += 1
        else:
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            for item in store.iter_articles():
                writer.writerow(_flat(item))
                count += 1
        return count


def _parquet(store: Store, output: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, pa.int64() if name == "id" else pa.string()) for name in CSV_COLUMNS])
    count = 0
    with pq.ParquetWriter(output, schema) as writer:
        batch: list[dict[str, Any]] = []
        for item in store.iter_articles():
            batch.append(_flat(item))
            if len(batch) >= 5000:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
