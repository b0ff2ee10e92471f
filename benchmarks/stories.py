#!/usr/bin/env python3
"""Story clustering on ECB+ (documents -> seminal events), beside a TF-IDF average-link baseline.

    .venv/bin/python benchmarks/stories.py [--cache DIR] [--scale 1000,10000,100000]

Parameters (the logistic weights over the similarity features, then the join threshold) are fitted
on the train topics and chosen on the dev topics only, then scored on test. Also: the half-topics
swap (fit and choose on one half of the topics, score on the other, both ways), five shuffled
arrival orders, throughput and peak memory, and clustering scale runs on generated variants of the
real articles. Results go to ``benchmarks/results/stories.json``. Skips (exit 0) without ../shared/data.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matmuls: threads only contend on 2 shared cores

import argparse
import json
import pickle
import random
import resource
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date, timedelta
from itertools import combinations
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from storyline.enrich import extract_entities, load_pipeline
from storyline.records import Article
from storyline.stories import FEATURES, Profile, Report, StoryIndex, StoryOptions, make_report
from storyline.stories.embeddings import MiniLM

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DOCS = SHARED / "data" / "stories" / "ecbplus" / "docs.jsonl"
RESULTS = REPO / "benchmarks" / "results" / "stories.json"
BATCH = 100  # reports per arrival batch, like an ingest batch
THRESHOLDS = [round(0.05 * k, 2) for k in range(2, 19)]
LINK_THRESHOLDS = [0.05, 0.1, 0.15, 0.2, 0.3]
LATE_JOIN_THRESHOLDS = [None, 0.2, 0.3, 0.4, 0.5]
SMALL_WINDOW = BATCH  # settling window smaller than the test split, for the order runs
WORLD_START = date(2000, 1, 1)  # generated worlds for the scale runs: the first one's day
WORLD_SPACING_DAYS = 40
DISTRACTORS = 50  # one train article per train story, added to test as stories of their own


# -- metrics ------------------------------------------------------------------------------------


def bcubed(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, float, float]:
    pred_size, gold_size = Counter(pred), Counter(gold)
    joint = Counter(zip(gold, pred, strict=True))
    p = sum(joint[(g, c)] / pred_size[c] for g, c in zip(gold, pred, strict=True)) / len(gold)
    r = sum(joint[(g, c)] / gold_size[g] for g, c in zip(gold, pred, strict=True)) / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for i, j in combinations(range(len(gold)), 2):
        same_pred, same_gold = pred[i] == pred[j], gold[i] == gold[j]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def scores(docs: Sequence[dict[str, Any]], pred: Sequence[str]) -> dict[str, Any]:
    sub = [d["subtopic"] for d in docs]
    top = [d["topic"] for d in docs]
    r3 = lambda t: [round(x, 4) for x in t]  # noqa: E731
    return {
        "clusters": len(set(pred)),
        "subtopic_bcubed_prf": r3(bcubed(sub, pred)),
        "subtopic_pairwise_prf": r3(pairwise(sub, pred)),
        "topic_bcubed_prf": r3(bcubed(top, pred)),
        "topic_pairwise_prf": r3(pairwise(top, pred)),
    }


# -- inputs -------------------------------------------------------------------------------------


def load_reports(docs: list[dict[str, Any]], cache: Path | None) -> tuple[list[Report], dict[str, float]]:
    articles = [
        Article(page_id=d["id"], source=d["id"], title=d["title"], paragraphs=tuple(d["text"].split("\n")))
        for d in docs
    ]
    timing: dict[str, float] = {}
    cached = cache / "ecbplus_features.pkl" if cache else None
    if cached and cached.exists():
        entities, embeddings, timing = pickle.loads(cached.read_bytes())
    else:
        nlp = load_pipeline(StoryOptions().pipeline)
        started = time.perf_counter()
        entities = extract_entities(articles, nlp)
        timing["entities_seconds"] = time.perf_counter() - started
        model = MiniLM()
        started = time.perf_counter()
        embeddings = model.encode([f"{a.title or ''}\n{a.body}" for a in articles])
        timing["embedding_seconds"] = time.perf_counter() - started
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_bytes(pickle.dumps((entities, embeddings, timing)))
    reports = [
        make_report(
            i,
            a,
            {e.key: e.type for e in ents.entities},
            embeddings[i],
            mentions=[(m.entity_key, m.label, m.start) for m in ents.mentions],
        )
        for i, (a, ents) in enumerate(zip(articles, entities, strict=True))
    ]
    return reports, timing


# -- fitting and clustering ---------------------------------------------------------------------


def training_rows(reports: Sequence[Report], gold: Sequence[str], options: StoryOptions, seed: int) -> tuple[Any, Any]:
    """Features of (report, candidate story) pairs as the online clusterer sees them, with the
    gold stories built so far (teacher forcing); label 1 when the candidate is the report's story."""
    index = StoryIndex(options)
    order = list(range(len(reports)))
    random.Random(seed).shuffle(order)
    rows, labels = [], []
    story_of: dict[str, int] = {}
    owner: dict[int, str] = {}
    for start in range(0, len(order), BATCH):
        batch = [reports[i] for i in order[start : start + BATCH]]
        for report in batch:
            index.n_reports += 1
            index.df.update(_dims(report))
        for i in order[start : start + BATCH]:
            report = reports[i]
            query = Profile.of(report)
            for story_id in index.candidates(report):
                rows.append(index.features(query, index.stories[story_id].profile))
                labels.append(int(owner[story_id] == gold[i]))
            if gold[i] not in story_of:
                story = index.new_story()
                story_of[gold[i]], owner[story.story_id] = story.story_id, gold[i]
            index.join(index.stories[story_of[gold[i]]], report)
    return np.asarray(rows), np.asarray(labels)


def _dims(report: Report) -> list[str]:
    from storyline.stories.weighting import dimensions

    return list(dimensions(report))


def fit(reports: Sequence[Report], gold: Sequence[str], options: StoryOptions) -> StoryOptions:
    from sklearn.linear_model import LogisticRegression

    xs, ys = zip(*(training_rows(reports, gold, options, seed) for seed in range(3)), strict=True)
    model = LogisticRegression(C=1.0, max_iter=1000).fit(np.vstack(xs), np.concatenate(ys))
    weights = tuple(round(float(w), 3) for w in model.coef_[0])
    return replace(options, weights=weights, bias=round(float(model.intercept_[0]), 3))


def cluster(reports: Sequence[Report], options: StoryOptions, seed: int = 0) -> tuple[list[str], StoryIndex]:
    order = list(range(len(reports)))
    random.Random(seed).shuffle(order)
    index = StoryIndex(options)
    assigned: dict[int, int] = {}
    for start in range(0, len(order), BATCH):
        for a in index.add_batch([reports[i] for i in order[start : start + BATCH]]):
            assigned[a.article_id] = a.story_id
    return [str(index.resolve(assigned[r.article_id])) for r in reports], index


def choose_threshold(reports: Sequence[Report], docs: Sequence[dict[str, Any]], options: StoryOptions) -> StoryOptions:
    gold = [d["subtopic"] for d in docs]
    best = max(THRESHOLDS, key=lambda t: bcubed(gold, cluster(reports, replace(options, threshold=t))[0])[2])
    options = replace(options, threshold=best, merge_threshold=max(best, 0.9))
    # Then the average-link story merge threshold, on the same split.
    link = max(LINK_THRESHOLDS, key=lambda t: bcubed(gold, cluster(reports, replace(options, link_threshold=t))[0])[2])
    options = replace(options, link_threshold=link)
    # Then the late join of small young stories (None: off); ties keep the earlier grid value.
    late = max(
        LATE_JOIN_THRESHOLDS,
        key=lambda t: bcubed(gold, cluster(reports, replace(options, late_join_threshold=t))[0])[2],
    )
    return replace(options, late_join_threshold=late)


def select(reports: Sequence[Report], docs: Sequence[dict[str, Any]], keep: Callable[[dict[str, Any]], bool]) -> Any:
    idx = [i for i, d in enumerate(docs) if keep(d)]
    return [reports[i] for i in idx], [docs[i] for i in idx]


def tune(
    reports: list[Report], docs: list[dict[str, Any]], fit_on: Any, choose_on: Any, base: StoryOptions
) -> StoryOptions:
    fr, fd = select(reports, docs, fit_on)
    options = fit(fr, [d["subtopic"] for d in fd], base)
    cr, cd = select(reports, docs, choose_on)
    return choose_threshold(cr, cd, options)


# -- baseline -----------------------------------------------------------------------------------


def tfidf_baseline(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """The reference TF-IDF + average-link baseline, threshold on dev, scored on test (corpus setting)."""
    sys.path.insert(0, str(SHARED / "tools"))
    import ecbplus_tfidf_baseline as baseline  # type: ignore[import-not-found]
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{d['title'] or ''}\n{d['text']}" for d in docs]
    matrix = TfidfVectorizer(lowercase=True, stop_words="english", sublinear_tf=True, min_df=2).fit_transform(texts)

    def part(split: str) -> tuple[list[dict[str, Any]], Any]:
        idx = [i for i, d in enumerate(docs) if d["split"] == split]
        return [docs[i] for i in idx], matrix[idx]

    dev_docs, dev_vec = part("dev")
    dev_gold = [d["subtopic"] for d in dev_docs]
    grid = [round(0.05 * k, 2) for k in range(1, 20)]
    best = max(grid, key=lambda t: bcubed(dev_gold, baseline.run(dev_docs, dev_vec, t, False))[2])
    test_docs, test_vec = part("test")
    return {"threshold": best} | scores(test_docs, baseline.run(test_docs, test_vec, best, False))


# -- scale --------------------------------------------------------------------------------------


def variants(
    reports: Sequence[Report], gold: Sequence[str], n: int, seed: int, order: str
) -> tuple[list[Report], list[str]]:
    """``n`` generated reports and their gold stories: real reports copied into distinct "worlds"
    (entity names, half the words and the dates made unique per world, so worlds are different
    stories), each copy losing a random 30% of its words and getting a jittered embedding.

    ``order``: "stream" delivers them by date (shuffled within a day), as news arrives; "shuffled"
    in a random order over the whole span, like an archive loaded in no particular order."""
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    out: list[tuple[Report, str]] = []
    for k in range(n):
        base, world = reports[k % len(reports)], k // len(reports)
        # Half the words (chosen by a stable hash, so every run makes the same worlds) are the world's own.
        terms = {
            (f"{t}~{world}" if zlib.crc32(t.encode()) % 2 else t): w
            for t, w in base.terms.items()
            if rng.random() > 0.3
        }
        emb = None
        if base.embedding is not None:
            jitter = base.embedding + noise.normal(0, 0.02, base.embedding.shape).astype(np.float32)
            emb = (jitter / np.linalg.norm(jitter)).astype(np.float32)
        # Each world spans 5 days, 40 days after the last one: beyond the 30-day time window, so
        # twin stories (the same articles with other names) never compete. They are not what two
        # real stories look like: their embeddings are the same but for the jitter.
        day = (WORLD_START + timedelta(days=WORLD_SPACING_DAYS * world + rng.randrange(5))).isoformat()
        report = replace(
            base,
            article_id=k,
            terms=terms,
            entities={f"{e}~{world}": t for e, t in base.entities.items()},
            embedding=emb,
            date=day,
        )
        out.append((report, f"{world}:{gold[k % len(reports)]}"))
    rng.shuffle(out)
    if order == "stream":
        out.sort(key=lambda pair: pair[0].date or "")
    return [r for r, _ in out], [g for _, g in out]


def scale_run(payload: tuple[list[Report], list[str], int, str, StoryOptions]) -> dict[str, Any]:
    reports, gold, n, order, options = payload
    generated, generated_gold = variants(reports, gold, n, seed=n, order=order)
    del reports
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    index = StoryIndex(options)
    story_of: dict[int, int] = {}
    merged_into: dict[int, int] = {}  # kept here, as the store keeps it: the index forgets retired aliases
    retired = 0
    started = time.perf_counter()
    for start in range(0, len(generated), BATCH):
        for assignment in index.add_batch(generated[start : start + BATCH]):
            story_of[assignment.article_id] = assignment.story_id
            merged_into.update((gone, index.resolve(gone)) for gone in assignment.merged)
        retired += len(index.retired)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def final(story_id: int) -> int:
        while story_id in merged_into:
            story_id = merged_into[story_id]
        return story_id

    pred = [str(final(story_of[r.article_id])) for r in generated]
    p, r, f1 = bcubed(generated_gold, pred)
    return {
        "articles": n,
        "order": order,
        "stories": len(set(pred)),
        "gold_stories": len(set(generated_gold)),
        "bcubed_prf": [round(p, 4), round(r, 4), round(f1, 4)],
        "live_stories": len(index.stories),
        "retired_stories": retired,
        "seconds": round(seconds, 2),
        "articles_per_second": round(n / seconds, 1),
        "microseconds_per_article": round(1e6 * seconds / n, 1),
        "peak_rss_mb": round(peak / 1024, 1),
        "rss_growth_mb": round((peak - before) / 1024, 1),
        "postings_keys": len(index.postings),
        "vocabulary": len(index.df),
    }


def scale_runs(
    reports: list[Report], gold: list[str], sizes: list[int], order: str, options: StoryOptions
) -> list[dict[str, Any]]:
    results = []
    for n in sizes:  # each size in a fresh process, so peak memory is its own
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            result = pool.submit(scale_run, (reports, gold, n, order, options)).result()
        print(f"scale {n:>7} {order}: {result}", file=sys.stderr)
        results.append(result)
    return results


# -- main ---------------------------------------------------------------------------------------


def half_swap(reports: list[Report], docs: list[dict[str, Any]], base: StoryOptions) -> list[dict[str, Any]]:
    topics = sorted({d["topic"] for d in docs}, key=int)
    halves = [set(topics[0::2]), set(topics[1::2])]
    out = []
    for a, b in ((0, 1), (1, 0)):
        # Fit the weights on one half, choose the threshold on the same half, score on the other.
        options = tune(
            reports, docs, lambda d, h=halves[a]: d["topic"] in h, lambda d, h=halves[a]: d["topic"] in h, base
        )
        test_r, test_d = select(reports, docs, lambda d, h=halves[b]: d["topic"] in h)
        pred = cluster(test_r, options)[0]
        out.append(
            {"chosen_on": f"half {a}", "scored_on": f"half {b}", "threshold": options.threshold} | scores(test_d, pred)
        )
    return out


def open_world(reports: list[Report], docs: list[dict[str, Any]], options: StoryOptions) -> dict[str, Any]:
    """Test with one-article stories mixed in, as a real stream has many: ECB+ has none, so a
    rule that attaches stragglers too eagerly would look free on ECB+ alone. The extra articles
    are the first article of each train story (each becomes its own gold story here)."""
    seen: set[str] = set()
    extra_r, extra_d = [], []
    for report, doc in zip(reports, docs, strict=True):
        if doc["split"] == "train" and doc["subtopic"] not in seen and len(seen) < DISTRACTORS:
            seen.add(doc["subtopic"])
            extra_r.append(report)
            extra_d.append(doc | {"subtopic": f"alone:{doc['id']}"})
    test_r, test_d = select(reports, docs, lambda d: d["split"] == "test")
    pred = cluster(test_r + extra_r, options)[0]
    size = Counter(pred)
    extra = pred[len(test_r) :]
    in_test = set(pred[: len(test_r)])
    alone = sum(1 for label in extra if size[label] == 1)
    joined_test = sum(1 for label in extra if label in in_test)
    # A train story's first article and the first article of the other event of the same topic
    # (two earthquakes, two acquisitions) may end up together: a topic-level merge.
    topics: dict[str, set[str]] = {}
    for label, doc in zip(extra, extra_d, strict=True):
        topics.setdefault(label, set()).add(doc["topic"])
    paired = sum(1 for label in extra if label not in in_test and size[label] > 1 and len(topics[label]) == 1)
    return {
        "distractors": len(extra_r),
        "distractors_alone": alone,
        "distractors_joined_a_test_story": joined_test,
        "distractors_with_their_topic_sibling": paired,
    } | scores(test_d + extra_d, pred)


def summary_line(name: str, result: dict[str, Any]) -> str:
    b, p = result["subtopic_bcubed_prf"], result["subtopic_pairwise_prf"]
    tb = result["topic_bcubed_prf"]
    return (
        f"{name:<40} clusters={result['clusters']:4d}  B3 P/R/F1 {b[0]:.3f}/{b[1]:.3f}/{b[2]:.3f}  "
        f"pairwise {p[0]:.3f}/{p[1]:.3f}/{p[2]:.3f}  topic B3 F1 {tb[2]:.3f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=None, help="Keep entities/embeddings here between runs.")
    parser.add_argument("--scale", default="1000,10000,100000", help="Sizes of the scale runs ('' for none).")
    parser.add_argument(
        "--scale-shuffled", default="10000", help="Sizes of scale runs in random date order ('' for none)."
    )
    parser.add_argument("--no-embeddings", action="store_true", help="Ablation: cluster without MiniLM.")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"Results file [default: {RESULTS}].")
    args = parser.parse_args()
    if not DOCS.exists():
        print(f"skipped: {DOCS} is absent (needs ../shared/data)", file=sys.stderr)
        return 0
    docs = [json.loads(line) for line in DOCS.open(encoding="utf-8")]
    reports, timing = load_reports(docs, args.cache)
    if args.no_embeddings:
        reports = [replace(r, embedding=None) for r in reports]
    results: dict[str, Any] = {"documents": len(docs), "batch": BATCH, "features": list(FEATURES)}
    tokens = sum(d["n_tokens"] for d in docs)
    results["throughput"] = {
        "entities_articles_per_second": round(len(docs) / timing["entities_seconds"], 2),
        "entities_tokens_per_second": round(tokens / timing["entities_seconds"], 0),
        "embedding_articles_per_second": round(len(docs) / timing["embedding_seconds"], 2),
        "mean_tokens_per_article": round(tokens / len(docs), 1),
    }
    results["baseline_tfidf_average_link"] = tfidf_baseline(docs)
    print(summary_line("tfidf average-link (baseline)", results["baseline_tfidf_average_link"]))

    base = StoryOptions(use_embeddings=not args.no_embeddings)
    options = tune(reports, docs, lambda d: d["split"] == "train", lambda d: d["split"] == "dev", base)
    results["parameters"] = {
        "weights": dict(zip(FEATURES, options.weights, strict=True)),
        "bias": options.bias,
        "threshold": options.threshold,
        "link_threshold": options.link_threshold,
        "late_join_threshold": options.late_join_threshold,
        "settle_after": options.settle_after,
    }
    test_r, test_d = select(reports, docs, lambda d: d["split"] == "test")
    started = time.perf_counter()
    pred, _ = cluster(test_r, options)
    results["clustering_articles_per_second"] = round(len(test_r) / (time.perf_counter() - started), 1)
    results["storyline_test"] = scores(test_d, pred)
    print(summary_line("storyline (train/dev -> test)", results["storyline_test"]))

    orders = [scores(test_d, cluster(test_r, options, seed=seed)[0]) for seed in range(1, 6)]
    f1s = [o["subtopic_bcubed_prf"][2] for o in orders]
    results["shuffled_orders"] = {"bcubed_f1": f1s, "spread": round(max(f1s) - min(f1s), 4)}
    print(
        f"{'5 shuffled arrival orders':<40} B3 F1 {min(f1s):.3f} .. {max(f1s):.3f} (spread {max(f1s) - min(f1s):.3f})"
    )
    # The test split (210 reports) fits in the settling window; with a window of one batch it
    # does not, which is how a stream far larger than the window behaves.
    small = replace(options, settle_after=SMALL_WINDOW)
    small_f1s = [scores(test_d, cluster(test_r, small, seed=seed)[0])["subtopic_bcubed_prf"][2] for seed in range(1, 6)]
    results["shuffled_orders_small_window"] = {
        "settle_after": SMALL_WINDOW,
        "bcubed_f1": small_f1s,
        "spread": round(max(small_f1s) - min(small_f1s), 4),
    }
    print(
        f"{f'  same, window of {SMALL_WINDOW} reports':<40} B3 F1 {min(small_f1s):.3f} .. {max(small_f1s):.3f} "
        f"(spread {max(small_f1s) - min(small_f1s):.3f})"
    )

    results["open_world"] = open_world(reports, docs, options)
    print(summary_line(f"test + {DISTRACTORS} one-article stories", results["open_world"]))
    world = results["open_world"]
    print(
        f"{'  one-article stories left alone':<40} {world['distractors_alone']} of {DISTRACTORS}; "
        f"joined a test story: {world['distractors_joined_a_test_story']}; "
        f"with the other event of their topic: {world['distractors_with_their_topic_sibling']}"
    )

    results["half_topic_swap"] = half_swap(reports, docs, base)
    for item in results["half_topic_swap"]:
        print(summary_line(f"storyline {item['chosen_on']} -> {item['scored_on']}", item))
    gold = [d["subtopic"] for d in docs]
    sizes = [int(s) for s in args.scale.split(",") if s]
    results["scale"] = scale_runs(reports, gold, sizes, "stream", options)
    shuffled = [int(s) for s in args.scale_shuffled.split(",") if s]
    results["scale_shuffled"] = scale_runs(reports, gold, shuffled, "shuffled", options)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(results["throughput"]))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
