"""Ingest speed and peak memory, beside trafilatura alone, measured in the same run.

Usage: .venv/bin/python benchmarks/ingest.py [--repeat N]

Each measurement runs in a fresh process so its peak memory (max RSS) is its own:
  storyline-extract  extract_article() in one process, one core, page after page
  storyline-ingest   `storyline ingest --no-stories`: read, 2 extractor processes, SQLite writes, copies
  ingest+stories     `storyline ingest`: the same plus entities, embeddings and story clustering
  trafilatura        trafilatura.bare_extraction(with_metadata=True), one core (the anchor)
on two corpora from ../shared/data: the 181 AEB HTML pages and their 181 flattened text dumps
(plus the two seeds). For text dumps trafilatura gets the lines wrapped as <p> elements, since it
cannot read a text dump otherwise. Results go to benchmarks/results/ingest.json.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import storyline.cli  # noqa: F401  (the command line's BLAS thread settings, as `storyline ingest` has them)

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
HTML_DIR = DATA / "extraction" / "aeb" / "html"
DUMP_DIR = DATA / "textdumps" / "aeb"
SEEDS = REPO / "examples" / "seeds"
RESULTS = REPO / "benchmarks" / "results" / "ingest.json"


def corpus_files(corpus: str) -> list[Path]:
    if corpus == "html":
        return sorted(HTML_DIR.glob("*.html.gz"))
    return sorted(DUMP_DIR.glob("*.txt")) + sorted(SEEDS.glob("*.txt"))


def read_raw(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


def measure_extract(corpus: str, repeat: int) -> dict[str, float]:
    from storyline.config import ExtractOptions
    from storyline.extract import extract_article
    from storyline.records import Article, Page, PageFormat

    fmt = PageFormat.HTML if corpus == "html" else PageFormat.TEXT
    pages = [Page(raw=read_raw(p), source=str(p), format=fmt) for p in corpus_files(corpus)]
    options = ExtractOptions()
    for page in pages:  # warm-up pass: lazy loads (models, dateparser's tables) are not per-page costs
        extract_article(page, options)
    articles = 0
    started = time.perf_counter()
    for _ in range(repeat):
        for page in pages:
            articles += isinstance(extract_article(page, options), Article)
    seconds = time.perf_counter() - started
    return {"pages": len(pages) * repeat, "seconds": seconds, "articles": articles}


def measure_trafilatura(corpus: str, repeat: int) -> dict[str, float]:
    import trafilatura

    documents = []
    for path in corpus_files(corpus):
        raw = read_raw(path).decode("utf-8", errors="replace")
        if corpus != "html":
            raw = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in raw.split("\n")) + "</body></html>"
        documents.append(raw)
    for document in documents:  # the same warm-up pass as storyline's
        trafilatura.bare_extraction(document, with_metadata=True)
    found = 0
    started = time.perf_counter()
    for _ in range(repeat):
        for document in documents:
            found += trafilatura.bare_extraction(document, with_metadata=True) is not None
    seconds = time.perf_counter() - started
    return {"pages": len(documents) * repeat, "seconds": seconds, "articles": found}


def measure_ingest(corpus: str, repeat: int, build_stories: bool = False) -> dict[str, float]:
    from storyline.config import resolve_settings
    from storyline.pipeline.ingest import run_ingest
    from storyline.store import Store

    settings = resolve_settings(env={}, flags={"workers": 2, "build_stories": build_stories})
    paths = [str(p) for p in corpus_files(corpus)]
    # The same untimed warm-up pass as the other measures: extractor processes are forked from
    # this one, so they start with its lazy loads (dateparser's tables, the line model) done.
    measure_extract(corpus, 1)
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.db") as store:
        started = time.perf_counter()
        summary = run_ingest(paths, store, settings, progress=False)
        seconds = time.perf_counter() - started
    return {"pages": summary.pages, "seconds": seconds, "articles": summary.articles}


def measure_ingest_with_stories(corpus: str, repeat: int) -> dict[str, float]:
    return measure_ingest(corpus, repeat, build_stories=True)


MEASURES = {
    "storyline-extract": measure_extract,
    "storyline-ingest": measure_ingest,
    "ingest+stories": measure_ingest_with_stories,
    "trafilatura": measure_trafilatura,
}


def run_one(name: str, corpus: str, repeat: int) -> None:
    result = MEASURES[name](corpus, repeat)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result["peak_rss_mb"] = max(own, children) / 1024
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1, help="passes over each corpus (one-core measures)")
    parser.add_argument("--one", nargs=2, metavar=("MEASURE", "CORPUS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one[0], args.one[1], args.repeat)
        return
    if not HTML_DIR.is_dir() or not DUMP_DIR.is_dir():
        print(f"skipped: {DATA} is absent (the development datasets live beside the repo)", file=sys.stderr)
        return
    table: dict[str, dict[str, dict[str, float]]] = {}
    for corpus in ("textdumps", "html"):
        table[corpus] = {}
        for name in MEASURES:
            command = [sys.executable, __file__, "--one", name, corpus, "--repeat", str(args.repeat)]
            output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            result = json.loads(output.strip().splitlines()[-1])
            result["pages_per_second"] = result["pages"] / result["seconds"]
            table[corpus][name] = result
    print_table(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(table, indent=2) + "\n")
    print(f"\nwritten to {RESULTS.relative_to(REPO)}")


def print_table(table: dict[str, dict[str, dict[str, float]]]) -> None:
    print(
        f"{'corpus':<10} {'tool':<18} {'pages':>6} {'pages/s':>9} {'x trafilatura':>14} {'peak MB':>8} {'articles':>9}"
    )
    for corpus, rows in table.items():
        anchor = rows["trafilatura"]["pages_per_second"]
        for name, row in rows.items():
            print(
                f"{corpus:<10} {name:<18} {row['pages']:>6.0f} {row['pages_per_second']:>9.1f} "
                f"{row['pages_per_second'] / anchor:>14.2f} {row['peak_rss_mb']:>8.0f} {row['articles']:>9.0f}"
            )


if __name__ == "__main__":
    main()
