#!/usr/bin/env python3
"""Entity extraction speed beside spaCy itself, on the same ECB+ article bodies in one run.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/entities.py [--articles 300]

Rows: storyline's ``extract_entities`` (NER only, batched with ``nlp.pipe``, then mention
normalisation and entity merging), spaCy's NER alone (the same components, no normalisation) and
spaCy's full pipeline (what ``spacy.load`` gives). Speed is CPU time on one core, also as articles
of 1,000 tokens per second, and as a ratio to spaCy's NER alone. Results go to
``benchmarks/results/entities.json``. Skips (exit 0) without ../shared/data.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import spacy

from storyline.enrich import extract_entities, load_pipeline
from storyline.enrich.entities import UNUSED_COMPONENTS
from storyline.records import Article
from storyline.stories import StoryOptions

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO.parent / "shared" / "data" / "stories" / "ecbplus" / "docs.jsonl"
RESULTS = REPO / "benchmarks" / "results" / "entities.json"


def cpu_seconds(work: Callable[[], Any]) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="How many ECB+ articles [default: 300].")
    args = parser.parse_args()
    if not DOCS.exists():
        print(f"skipped: {DOCS} is absent (needs ../shared/data)", file=sys.stderr)
        return 0
    docs = [json.loads(line) for line in DOCS.open(encoding="utf-8")][: args.articles]
    articles = [
        Article(page_id=d["id"], source=d["id"], title=d["title"], paragraphs=tuple(d["text"].split("\n")))
        for d in docs
    ]
    bodies = [a.body for a in articles]
    name = StoryOptions().pipeline
    ours, ner, full = load_pipeline(name), spacy.load(name, exclude=list(UNUSED_COMPONENTS)), spacy.load(name)
    tokens = sum(len(doc) for doc in ner.tokenizer.pipe(bodies))
    extract_entities(articles[:20], ours)  # warm up
    runs = {
        "storyline extract_entities": cpu_seconds(lambda: extract_entities(articles, ours)),
        "spaCy NER only": cpu_seconds(lambda: list(ner.pipe(bodies, batch_size=32))),
        "spaCy full pipeline": cpu_seconds(lambda: list(full.pipe(bodies, batch_size=32))),
    }
    anchor = runs["spaCy NER only"]
    results: dict[str, Any] = {"articles": len(articles), "tokens": tokens, "pipeline": name, "systems": {}}
    print(f"{len(articles)} articles, {tokens} tokens, pipeline {name} ({', '.join(ours.pipe_names)} for storyline)")
    for system, seconds in runs.items():
        row = {
            "articles_per_second": round(len(articles) / seconds, 1),
            "tokens_per_second": round(tokens / seconds),
            "articles_of_1000_tokens_per_second": round(tokens / seconds / 1000, 1),
            "speed_vs_spacy_ner": round(anchor / seconds, 2),
        }
        results["systems"][system] = row
        print(
            f"{system:<28} {row['articles_per_second']:6.1f} articles/s  {row['tokens_per_second']:7d} tokens/s  "
            f"{row['articles_of_1000_tokens_per_second']:5.1f} x 1,000 tokens/s  x{row['speed_vs_spacy_ner']:.2f} "
            "spaCy NER"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
