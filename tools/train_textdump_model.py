#!/usr/bin/env python3
"""Rebuild storyline's text-dump line model and print cross-validated scores.

Run from the repository root::

    .venv/bin/python tools/train_textdump_model.py            # CV report + write the model
    .venv/bin/python tools/train_textdump_model.py --no-cv    # just rebuild the model

Data (read-only, development only): ``../shared/data/textdumps/aeb`` (181 dumps with per-line
body/other labels), ``../shared/data/extraction/aeb`` (gold bodies, original HTML for titles) and
``../shared/data/textdumps/seeds`` (hand labels of the two seed dumps), and, for *silver* pages,
``../shared/data/dates/htmldate`` (300 HTML pages of other sites without a gold body; see
``tools/textdump_silver.py``: rendered like the AEB dumps, labelled by aligning storyline's own HTML
extractor's body; made at training time, never stored; skipped with a message when absent, or
with ``--no-silver``). The output, ``src/storyline/extract/textdump/line_model.json``, is
deterministic for given scikit-learn, Resiliparse and storyline versions.

What is learned
---------------
1. A body-line model: gradient-boosted trees (scikit-learn HistGradientBoosting) over the
   per-line features of ``storyline.extract.textdump.features``.
2. Decoder settings (segment bias and body bias of the main-block decoder, see
   ``layout.decode``), chosen by grid search with the benchmark's own metric on *out-of-fold*
   body scores of the training pages, so they fit the scores the model gives on pages it has
   not seen.
3. A headline model: boosted trees over the features of ``title.py``, trained on the candidates
   of each training page, again built from out-of-fold body predictions.

Gold titles (AEB has none) are derived from each page's own HTML and must match a dump line;
see :func:`derive_title`. Cross-validation is by site: pages of one domain are never split
between training and scoring, and each fold's model is trained on the other folds plus the
silver pages whose site (:func:`site_of`) is not in the held-out fold. Only AEB pages are scored.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for _extra in (ROOT / "src", ROOT / "tools"):
    if str(_extra) not in sys.path:
        sys.path.insert(0, str(_extra))

from storyline.extract.textdump.features import (  # noqa: E402
    CONTEXT_SCORE_FEATURES,
    FEATURE_NAMES,
    line_words,
    page_features,
    score_features,
)
from storyline.extract.textdump.layout import clean_lines, decode, find_layout_with  # noqa: E402
from storyline.extract.textdump.model import LineModel, Smoothing, TreeEnsemble  # noqa: E402
from storyline.extract.textdump.title import (  # noqa: E402
    TITLE_FEATURES,
    title_candidates,
    title_features,
)
from textdump_silver import SILVER_SUBDIR, SilverOptions, load_flattener, load_silver_pages, renderer  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
MODEL_PATH = ROOT / "src" / "storyline" / "extract" / "textdump" / "line_model.json"
FOLDS = 5
WEIGHTED = True  # train on line_weights (see there)
INNER_FOLDS = 3
# Small, strongly regularised trees: 181 pages from 126 sites reward generality over detail,
# and shallow trees are cheap to walk at run time. Fewer trees with a larger step did as well in
# cross-validation by site as more with a smaller one, and cost less: token F1 0.914 with 50 body
# + 30 context trees at 0.22; 0.910 with 80 + 50 at 0.15; 0.911 with 40 + 25 at 0.27; 0.912 with
# 50 + 20 (context at 0.3). Larger models (120 + 60 at 0.1, leaves of 40: 0.908) and stronger
# regularisation (leaves of 160, l2 10: 0.904) did worse.
BODY_PARAMS = {
    "max_iter": 50,
    "learning_rate": 0.22,
    "max_depth": 4,
    "max_leaf_nodes": 10,
    "min_samples_leaf": 80,
    "l2_regularization": 5.0,
}
CONTEXT_PARAMS = {
    "max_iter": 30,
    "learning_rate": 0.22,
    "max_depth": 4,
    "max_leaf_nodes": 10,
    "min_samples_leaf": 80,
    "l2_regularization": 5.0,
}
TITLE_PARAMS = {
    "max_iter": 60,
    "learning_rate": 0.1,
    "max_depth": 4,
    "max_leaf_nodes": 12,
    "min_samples_leaf": 5,
    "l2_regularization": 1.0,
}
SWITCH_COSTS = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0)
# The bias is capped at +1: the token metric barely notices a short chrome line kept next to the
# body ("veryGood! (4766)", "Share"), so an uncapped search drifts to biases that keep any line
# the model gives one chance in eight; users do notice such lines.
BODY_BIASES = (-1.0, -0.5, 0.0, 0.5, 1.0)
# Per-line bias of the main-block decoder (see Smoothing.segment_bias); a larger bias lets the
# block bridge more doubtful lines. The search used to stop at 2.0, and picked it in most folds.
SEGMENT_BIASES = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0)
# Tried and not kept: a span model (a third set of trees on the context model's inputs, scoring
# whether a line lies between the page's first and last body line) from whose scores the decoder
# cut the main block (commit 5a87e18). AEB 5-fold CV by site, token F1, without -> with it, on
# five partitions of the sites: 0.9176 -> 0.9243 (the standard one), 0.9093 -> 0.9101
# (--partition-seed 1), 0.9179 -> 0.9148 (--partition-seed 2), 0.9136 -> 0.9147 (seed 3),
# 0.9151 -> 0.9108 (seed 4): a mean of +0.0002 over five partitions, for 5-8 % of the full
# extract's speed. Gold blocks with every line in them kept would score 0.983 on the
# same out-of-fold scores, so where the block starts and ends is still where the loss is.
# Also tried and not kept (same protocol; standard partition / --partition-seed 1, against
# 0.9176 / 0.9093): lexical cohesion of a line with the other probable body lines as context
# features, 0.9116 / 0.9121; 128 more silver pages from the test caches of the trafilatura 1.0.0
# and htmldate 1.4.0 sdists, 0.9119 / 0.9136; training also on the training folds' pages as
# rendered without bullets and by Inscriptis (load_aeb_rendered), 0.9104 / 0.9115; a third
# stacked pass on the context pass's out-of-fold scores, 0.9190 / 0.9061.
# A learned lexical score as one more body-model feature: logistic regression on a line's
# lower-cased words (of its first 16 tokens, hashed), trained in each fold and out-of-fold on the
# training pages (inner folds by site). Unigrams at C 0.05 with line_weights: 0.9145 / 0.9167,
# and 0.9111 / 0.9164 on partition seeds 3 / 4 (against 0.9136 / 0.9151), a mean of +0.0008 over
# four partitions; unigrams and bigrams at C 0.3, unweighted: 0.9138 / 0.9135.
# Semantic context features from MiniLM line embeddings (storyline.stories.embeddings; a line's
# cosine with the first pass's probability-weighted centroid of the page, with its neighbours,
# with the six likeliest body lines): 0.9146 / 0.9164, at about one second per page to embed.
# Learning curve (--site-share; standard partition, each fold trained on a random share of its
# training sites, gold and silver alike): 25 % 0.8993, 50 % 0.9142 and 0.9125 (--share-draw 0
# and 1), 75 % 0.9077, all of them 0.9176. Past half the sites more pages of the same kind no
# longer move the figure.
# WordPress's comment-thread headings ("10 thoughts on “Title”", "34 Responses to “Title”") as
# comment markers (found on 3 AEB and 2 silver pages): 0.9129 / 0.9114. The two pages with such
# a thread went from 0.896 and 0.909 to 0.899 and 0.942 (most of the thread is still kept), and
# retraining moved 90 other pages, one from 0.967 to 0.483: the size of a retrain's own noise.
# Silver pages (see tools/textdump_silver.py): how much each counts beside a gold page, and
# whether the decoder search and the headline model see them too. AEB 5-fold CV by site, token
# F1: 0.914 without silver; with the 273 silver pages 0.922 at weight 1 (0.921 with the decoder
# and headline tuned on gold only), 0.913 at 0.5, 0.919 at 0.3, 0.915 at 1.5; 0.912 when each
# silver page is also rendered without list bullets; 0.918 with larger models (80 + 40 trees).
# On two other random site partitions silver also helped: 0.906 -> 0.913 and 0.904 -> 0.918.
# trafilatura as the teacher did as well (0.926, 0.911, 0.916 on the same three partitions).
# These figures are from before date lines and copyright notices were taken out of the silver
# bodies (textdump_silver.without_metadata); with them out, the standard partition reads 0.918
# (benchmarks/textdumps.py), and the model no longer keeps "Date: ..." lines or a lone notice.
SILVER_WEIGHT = 1.0
TUNE_ON_SILVER = True
SILVER_TEACHER = "storyline"  # whose body labels the silver pages (see SilverOptions.teacher)
SILVER_RENDERS = ("bullets",)  # each silver page once per renderer style (see textdump_silver.renderer)
WORD_RE = re.compile(r"\w+")
SPACE_RE = re.compile(r"\s+")
TITLE_SPLIT_RE = re.compile(r"\s+[|\-–—·:»]{1,2}\s+")


@dataclass(frozen=True)
class LabelledPage:
    page_id: str
    group: str
    lines: list[str]
    body: np.ndarray  # bool per line
    gold_body: str
    gold_title: str | None
    x: np.ndarray
    weight: float = 1.0  # how much the page counts in training, relative to a gold page
    silver: bool = False  # labels from the HTML extractor (see textdump_silver), not gold


# ------------------------------------------------------------------------------------------
# The benchmark metric (as described in shared/data/README.md and tools/flatten_pages.py)


def shingle_scores(gold: str, predicted: str, n: int = 4) -> tuple[float, float, float]:
    true_sh, pred_sh = Counter(_shingles(gold, n)), Counter(_shingles(predicted, n))
    tp = sum((true_sh & pred_sh).values())
    fp = sum((pred_sh - true_sh).values())
    fn = sum((true_sh - pred_sh).values())
    if fp == fn == 0:
        p = r = 1.0
    else:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _shingles(text: str, n: int) -> list[tuple[str, ...]]:
    toks = WORD_RE.findall(text)
    if not toks:
        return []
    return [tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1))]


def macro_prf(triples: Sequence[tuple[float, float, float]]) -> dict[str, float]:
    """Mean P and mean R over pages, F1 from the means (the benchmark's corpus figure)."""
    p = statistics.mean(t[0] for t in triples)
    r = statistics.mean(t[1] for t in triples)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def line_prf(pairs: Iterable[tuple[np.ndarray, np.ndarray]]) -> dict[str, float]:
    tp = fp = fn = 0
    for pred, gold in pairs:
        tp += int(np.sum(pred & gold))
        fp += int(np.sum(pred & ~gold))
        fn += int(np.sum(~pred & gold))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


# ------------------------------------------------------------------------------------------
# Gold titles


def _norm(text: str) -> str:
    return SPACE_RE.sub(" ", text).strip()


def _html_titles(html: str) -> tuple[list[str], list[str], list[str]]:
    """(h1 texts, og:/twitter: titles, <title> texts) of a page."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError):
        return [], [], []
    h1 = [_norm(e.text_content()) for e in tree.iter("h1")]
    meta = [
        _norm(v)
        for v in tree.xpath("//meta[@property='og:title' or @name='og:title' or @name='twitter:title']/@content")
    ]
    title = [_norm(e.text_content()) for e in tree.iter("title")]
    return [t for t in h1 if t], [t for t in meta if t], [t for t in title if t]


def derive_title(html: str, lines: Sequence[str]) -> tuple[str | None, str]:
    """The page's headline as it appears on one dump line, and how it was found.

    Order: (1) an <h1> whose text is a whole dump line and at least half of whose words occur in
    og:title/<title> (a logo <h1> does not); if several, one with >= 80 % agreement, the
    longest first; (2) og:title or twitter:title equal to a dump line; (3) a part of
    <title> split on " | ", " - ", " — ", ... (the site-name suffix) equal to a dump line, the
    longest part first; (4) any <h1> that is a dump line; (5) the dump line with the highest
    word Jaccard (>= 0.6) with og:title or <title>. Otherwise no gold title (the page is left
    out of the headline score).
    """
    h1, meta, title = _html_titles(html)
    present = set(lines)
    ref_words = {w.lower() for t in meta + title for w in WORD_RE.findall(t)}

    def agreement(text: str) -> float:
        words = {w.lower() for w in WORD_RE.findall(text)}
        return len(words & ref_words) / len(words) if words else 0.0

    def preference(text: str) -> tuple[bool, int]:
        return agreement(text) >= 0.8, len(WORD_RE.findall(text))

    # An <h1> that shares few words with og:title / <title> is the site's logo or a widget
    # title, not the headline; among agreeing ones the longest wins (the site-name <h1> also
    # agrees with the "Headline | Site" <title>).
    h1_hits = [t for t in h1 if t in present]
    agreeing = [t for t in h1_hits if not ref_words or agreement(t) >= 0.5]
    if agreeing:
        return max(agreeing, key=preference), "h1"
    for t in meta:
        if t in present:
            return t, "og:title"
    parts = sorted({p for t in title for p in [t, *TITLE_SPLIT_RE.split(t)]}, key=len, reverse=True)
    for part in parts:
        if part in present and len(part) >= 8:
            return part, "title"
    if h1_hits:
        return max(h1_hits, key=preference), "h1 (disagreeing)"
    best, best_j = None, 0.6
    for ref in meta + title:
        rw = {w.lower() for w in WORD_RE.findall(ref)}
        for line in present:
            lw = {w.lower() for w in WORD_RE.findall(line)}
            j = len(rw & lw) / len(rw | lw) if rw | lw else 0.0
            if j > best_j and len(line) <= 400:
                best, best_j = line, j
    return (best, "fuzzy") if best else (None, "none")


# ------------------------------------------------------------------------------------------
# Loading


def _domain(url: str) -> str:
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def _aeb_records(data: Path) -> Iterator[tuple[dict[str, Any], str, str]]:
    """Each AEB page's record in ``textdumps/aeb/labels.jsonl``, its gold body and its HTML (read
    as the shared flattener reads it), in the labels file's order."""
    gold = json.loads((data / "extraction/aeb/ground-truth.json").read_text(encoding="utf-8"))
    for row in (data / "textdumps/aeb/labels.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(row)
        html_path = data / f"extraction/aeb/html/{rec['id']}.html.gz"
        html = gzip.decompress(html_path.read_bytes()).decode("utf-8", errors="replace")
        yield rec, gold[rec["id"]]["articleBody"], html


def _labelled(rec: dict[str, Any], lines: list[str], labels: Sequence[str], gold_body: str, html: str) -> LabelledPage:
    title, _ = derive_title(html, lines)
    body = np.array([label == "body" for label in labels], dtype=bool)
    return LabelledPage(rec["id"], _domain(rec["url"]), lines, body, gold_body, title, page_features(lines))


def load_aeb(data: Path = DATA) -> list[LabelledPage]:
    pages = []
    for rec, gold_body, html in _aeb_records(data):
        text = (data / f"textdumps/aeb/{rec['id']}.txt").read_text(encoding="utf-8")
        lines = clean_lines(text.split("\n")[: rec["n_lines"]])
        pages.append(_labelled(rec, lines, rec["labels"], gold_body, html))
    return pages


def load_aeb_rendered(data: Path, style: str) -> list[LabelledPage]:
    """The AEB pages as another renderer flattens them (``textdump_silver.renderer``), in the
    order of :func:`load_aeb`, each line labelled by aligning the page's gold body to the new
    lines exactly as the shipped dumps were labelled (``align_lines`` of the shared flattener).

    A text cleaner is judged on dumps of other scrapers too: the same gold, other line breaks,
    other bullets, other chrome left in.
    """
    flatten = load_flattener(data)
    if flatten is None:
        raise FileNotFoundError(f"{data.parent / 'tools/flatten_pages.py'} is needed to render pages")
    render = renderer(flatten, style)
    pages = []
    for rec, gold_body, html in _aeb_records(data):
        lines = clean_lines(render(html))
        labels, _stats = flatten.align_lines(lines, gold_body, flatten.AlignOptions())
        pages.append(_labelled(rec, lines, labels, gold_body, html))
    return pages


def site_of(domain: str) -> str:
    """The registrable part of a host name, roughly ("feeds.reuters.com" -> "reuters.com",
    "news.bbc.co.uk" -> "bbc.co.uk"): silver pages from a sub-domain of a scored site are that site."""
    parts = domain.split(".")
    if len(parts) >= 3 and len(parts[-2]) <= 3 and len(parts[-1]) == 2:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def load_silver(
    data: Path = DATA, weight: float = SILVER_WEIGHT, options: SilverOptions | None = None
) -> list[LabelledPage]:
    """Silver pages of other sites, labelled at load time by the HTML extractor (may be empty)."""
    found, drops = load_silver_pages(data, options or SilverOptions())
    if found:
        print(f"silver pages from {SILVER_SUBDIR}: {dict(sorted(drops.items()))}", file=sys.stderr)
    pages = []
    for page in found:
        title, _ = derive_title(page.html, page.lines)
        x = page_features(page.lines)
        group = _domain(page.url)
        pages.append(LabelledPage(page.url, group, page.lines, page.body, page.teacher_body, title, x, weight, True))
    return pages


def silver_pages(
    data: Path = DATA,
    weight: float = SILVER_WEIGHT,
    renders: Sequence[str] = SILVER_RENDERS,
    min_coverage: float = SilverOptions.min_coverage,
    teacher: str = SILVER_TEACHER,
) -> list[LabelledPage]:
    """The silver pages as the shipped model is trained on them: each page once per renderer."""
    pages: list[LabelledPage] = []
    for style in renders:
        options = SilverOptions(min_coverage=min_coverage, render=style, teacher=teacher)
        pages.extend(load_silver(data, weight, options))
    return pages


def load_seeds(data: Path = DATA) -> list[LabelledPage]:
    pages = []
    for row in (data / "textdumps/seeds/labels.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(row)
        text = (data.parent / rec["file"]).read_text(encoding="utf-8")
        lines = clean_lines(text.split("\n"))
        body = np.array([lab == "body" for lab in rec["labels"]])
        gold_body = "\n".join(line for line, b in zip(lines, body, strict=True) if b)
        pages.append(
            LabelledPage(rec["id"], "seed:" + rec["id"], lines, body, gold_body, rec["title"], page_features(lines))
        )
    return pages


# ------------------------------------------------------------------------------------------
# Training


def _fit_trees(
    x: np.ndarray, y: np.ndarray, params: dict[str, float], names: Sequence[str], weight: np.ndarray | None = None
) -> TreeEnsemble:
    from sklearn.ensemble import HistGradientBoostingClassifier  # type: ignore[import-untyped]

    clf = HistGradientBoostingClassifier(early_stopping=False, random_state=0, **params)
    clf.fit(x, y, sample_weight=weight)
    return export_trees(clf, names)


def export_trees(clf: object, names: Sequence[str]) -> TreeEnsemble:
    """Flatten a fitted binary HistGradientBoostingClassifier into numpy arrays.

    Leaves point to themselves with an infinite threshold, so walking `depth` steps from every
    root lands on a leaf whatever the tree's own depth.
    """
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    roots: list[int] = []
    depth = 0
    for (predictor,) in clf._predictors:  # type: ignore[attr-defined]
        base = len(feature)
        roots.append(base)
        for k, node in enumerate(predictor.nodes):
            depth = max(depth, int(node["depth"]))
            if node["is_leaf"]:
                feature.append(0)
                threshold.append(float("inf"))
                left.append(base + k)
                right.append(base + k)
                value.append(float(node["value"]))
            else:
                feature.append(int(node["feature_idx"]))
                threshold.append(float(node["num_threshold"]))
                left.append(base + int(node["left"]))
                right.append(base + int(node["right"]))
                value.append(0.0)
    baseline = float(np.ravel(clf._baseline_prediction)[0])  # type: ignore[attr-defined]
    arrays = {
        "roots": np.array(roots),
        "feature": np.array(feature),
        "left": np.array(left),
        "right": np.array(right),
        "threshold": np.array(threshold),
        "value": np.array(value),
    }
    return TreeEnsemble.from_arrays(tuple(names), baseline, depth, arrays)


def line_weights(pages: Sequence[LabelledPage]) -> np.ndarray:
    """Weights that make training look like the benchmark: every page counts the same (times
    its ``weight``: silver pages may count less), and within a page a line counts by its tokens,
    relative to the page's body tokens."""
    out = []
    for page in pages:
        tokens = np.array([len(WORD_RE.findall(line)) for line in page.lines], dtype=np.float64)
        body_tokens = max(float(tokens[page.body].sum()), 50.0)
        out.append(page.weight * (tokens + 1.0) / body_tokens)
    weights: np.ndarray = np.concatenate(out)
    normalised: np.ndarray = weights / weights.mean()
    return normalised


def fit_body(pages: Sequence[LabelledPage]) -> TreeEnsemble:
    x = np.vstack([p.x for p in pages])
    y = np.concatenate([p.body for p in pages]).astype(int)
    return _fit_trees(x, y, BODY_PARAMS, FEATURE_NAMES, line_weights(pages) if WEIGHTED else None)


def fit_context(pages: Sequence[LabelledPage], x2: Sequence[np.ndarray]) -> TreeEnsemble:
    y = np.concatenate([p.body for p in pages]).astype(int)
    weight = line_weights(pages) if WEIGHTED else None
    return _fit_trees(np.vstack(x2), y, CONTEXT_PARAMS, CONTEXT_SCORE_FEATURES, weight)


def group_folds(pages: Sequence[LabelledPage], k: int, seed: int | None = None) -> list[list[int]]:
    """k folds of page indices, pages of one site always in the same fold (deterministic).

    Sites go, largest first, to the least loaded fold; ties among sites of one size are broken by
    name, or, with a ``seed``, in a random order drawn from it (another partition, same sizes).
    """
    sizes = Counter(p.group for p in pages)
    load = [0] * k
    fold_of: dict[str, int] = {}
    order = sorted(sizes)
    if seed is not None:
        random.Random(seed).shuffle(order)
    for g in sorted(order, key=lambda g: -sizes[g]):
        f = min(range(k), key=lambda i: (load[i], i))
        fold_of[g] = f
        load[f] += sizes[g]
    return [[i for i, p in enumerate(pages) if fold_of[p.group] == f] for f in range(k)]


def out_of_fold_scores(pages: Sequence[LabelledPage], k: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Second-pass inputs and log-odds of every page from models that did not see its site."""
    folds = group_folds(pages, k)
    x2: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for fold in folds:
        held = set(fold)
        first = fit_body([p for i, p in enumerate(pages) if i not in held])
        for i in fold:
            x2[i] = score_features(pages[i].x, first.raw_scores(pages[i].x))
    raw: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for fold in folds:
        held = set(fold)
        rest = [i for i in range(len(pages)) if i not in held]
        second = fit_context([pages[i] for i in rest], [x2[i] for i in rest])
        for i in fold:
            raw[i] = second.raw_scores(x2[i])
    return x2, raw


def smoothing_grid() -> list[Smoothing]:
    """Decoders to choose from: one main block (segment bias x body bias).

    Viterbi runs (``SWITCH_COSTS``) are kept for models that ask for them, but no longer
    searched: with out-of-fold scores the search picked no smoothing at all (switch cost 0), and
    the main block beat both in cross-validation (token F1 0.905 against 0.901).
    """
    return [Smoothing(0.0, bias, seg) for seg in SEGMENT_BIASES for bias in BODY_BIASES]


def choose_smoothing(pages: Sequence[LabelledPage], raw: Sequence[np.ndarray]) -> Smoothing:
    """Grid search of the decoder on the benchmark's own metric (out-of-fold scores)."""
    best: tuple[float, Smoothing] = (-1.0, Smoothing(0.0, 0.0))
    for settings in smoothing_grid():
        triples = []
        for page, scores in zip(pages, raw, strict=True):
            keep = decode(scores.tolist(), settings, line_words(page.x).tolist())
            text = "\n".join(line for line, k in zip(page.lines, keep, strict=True) if k and line)
            triples.append(shingle_scores(page.gold_body, text))
        f1 = macro_prf(triples)["f1"]
        if f1 > best[0] + 1e-9:
            best = (f1, settings)
    return best[1]


def title_rows(page: LabelledPage, raw: np.ndarray, settings: Smoothing) -> tuple[np.ndarray, np.ndarray] | None:
    keep = decode(raw.tolist(), settings, line_words(page.x).tolist())
    body = tuple(i for i, k in enumerate(keep) if k and page.lines[i])
    anchor = body[0] if body else 0
    cands = title_candidates(page.lines, anchor)
    if not cands:
        return None
    feats = title_features(page.lines, page.x, raw, body, anchor, cands)
    labels = np.array([page.lines[i] == page.gold_title for i in cands], dtype=int)
    return feats, labels


def fit_title(pages: Sequence[LabelledPage], raw: Sequence[np.ndarray], settings: Smoothing) -> TreeEnsemble:
    xs, ys = [], []
    for page, scores in zip(pages, raw, strict=True):
        rows = title_rows(page, scores, settings) if page.gold_title else None
        if rows is not None and rows[1].any():
            xs.append(rows[0])
            ys.append(rows[1])
    return _fit_trees(np.vstack(xs), np.concatenate(ys), TITLE_PARAMS, TITLE_FEATURES)


def train(
    pages: Sequence[LabelledPage], meta: dict[str, object] | None = None, tune_on_silver: bool = TUNE_ON_SILVER
) -> LineModel:
    """Both line models on all ``pages``; decoder and headline model on the gold ones unless
    ``tune_on_silver`` (silver bodies are the HTML extractor's, whose errors the decoder would
    learn to copy)."""
    x2, raw = out_of_fold_scores(pages, INNER_FOLDS)
    tune = [i for i, p in enumerate(pages) if tune_on_silver or not p.silver]
    tune_pages, tune_raw = [pages[i] for i in tune], [raw[i] for i in tune]
    settings = choose_smoothing(tune_pages, tune_raw)
    title = fit_title(tune_pages, tune_raw, settings)
    return LineModel(fit_body(pages), fit_context(pages, x2), title, settings, meta or {})


# ------------------------------------------------------------------------------------------
# Evaluation


@dataclass(frozen=True)
class PageResult:
    prf: tuple[float, float, float]
    pred: np.ndarray
    gold: np.ndarray
    title_ok: bool | None


def evaluate_page(page: LabelledPage, model: LineModel) -> PageResult:
    layout = find_layout_with(page.lines, model)
    pred = np.zeros(len(page.lines), dtype=bool)
    pred[list(layout.body_indices)] = True
    text = "\n".join(page.lines[i] for i in layout.body_indices)
    title_ok = None
    if page.gold_title is not None:
        title_ok = layout.title_index is not None and page.lines[layout.title_index] == page.gold_title
    return PageResult(shingle_scores(page.gold_body, text), pred, page.body, title_ok)


def summarise(results: Sequence[PageResult]) -> dict[str, object]:
    titled = [r.title_ok for r in results if r.title_ok is not None]
    return {
        "pages": len(results),
        "token": macro_prf([r.prf for r in results]),
        "line": line_prf((r.pred, r.gold) for r in results),
        "headline_exact": sum(titled) / len(titled) if titled else None,
        "headline_pages": len(titled),
    }


def fold_training_sets(
    pages: Sequence[LabelledPage],
    silver: Sequence[LabelledPage],
    k: int = FOLDS,
    seed: int | None = None,
    site_share: float = 1.0,
    share_draw: int = 0,
) -> list[tuple[list[int], list[LabelledPage]]]:
    """For each fold of ``pages`` (grouped by site): its page indices and the pages to train on,
    namely the other folds plus every silver page whose site is not in the fold. With a
    ``site_share`` under 1, only that share of the training sites is kept (gold and silver alike,
    drawn at random from ``share_draw``): a point of the learning curve."""
    out = []
    for n, fold in enumerate(group_folds(pages, k, seed)):
        held = set(fold)
        held_sites = {site_of(pages[i].group) for i in fold}
        rest = [p for i, p in enumerate(pages) if i not in held]
        training = rest + [p for p in silver if site_of(p.group) not in held_sites]
        if site_share < 1.0:
            sites = sorted({site_of(p.group) for p in training})
            kept = set(random.Random(1000 * n + share_draw).sample(sites, max(1, round(site_share * len(sites)))))
            training = [p for p in training if site_of(p.group) in kept]
        out.append((fold, training))
    return out


def cross_validate(
    pages: Sequence[LabelledPage],
    silver: Sequence[LabelledPage] = (),
    k: int = FOLDS,
    log: bool = True,
    tune_on_silver: bool = TUNE_ON_SILVER,
    seed: int | None = None,
    site_share: float = 1.0,
    share_draw: int = 0,
) -> list[PageResult | None]:
    """Score every page with a model trained on the other folds (pages grouped by site) and on
    the silver pages of other sites (see fold_training_sets for ``site_share``)."""
    results: list[PageResult | None] = [None] * len(pages)
    for n, (fold, training) in enumerate(fold_training_sets(pages, silver, k, seed, site_share, share_draw)):
        model = train(training, tune_on_silver=tune_on_silver)
        for i in fold:
            results[i] = evaluate_page(pages[i], model)
        if log:
            part = summarise([r for r in (results[i] for i in fold) if r is not None])
            print(
                f"fold {n}: {len(fold)} pages, token F1 {part['token']['f1']:.4f} "  # type: ignore[index]
                f"smoothing {model.smoothing}",
                file=sys.stderr,
            )
    return results


def _print_summary(name: str, summary: dict[str, object]) -> None:
    token, line = summary["token"], summary["line"]
    assert isinstance(token, dict) and isinstance(line, dict)
    head = summary["headline_exact"]
    assert head is None or isinstance(head, float)
    print(
        f"{name}: pages {summary['pages']}  token P {token['precision']:.4f} R {token['recall']:.4f} "
        f"F1 {token['f1']:.4f}  line P {line['precision']:.4f} R {line['recall']:.4f} "
        f"F1 {line['f1']:.4f}  headline {head if head is None else round(head, 4)} "
        f"({summary['headline_pages']} pages with a gold title)"
    )


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"a share must be in (0, 1], got {text}")
    return value


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    parser.add_argument("--no-silver", action="store_true", help="train on the gold pages only")
    parser.add_argument("--silver-weight", type=float, default=SILVER_WEIGHT, help="a silver page's weight")
    parser.add_argument(
        "--tune-on-silver",
        action=argparse.BooleanOptionalAction,
        default=TUNE_ON_SILVER,
        help="whether the decoder search and the headline model use silver pages too",
    )
    parser.add_argument(
        "--partition-seed",
        type=int,
        default=None,
        help="cross-validate on another partition of the sites into folds, drawn from this seed",
    )
    parser.add_argument(
        "--site-share",
        type=_share,
        default=1.0,
        help="a learning-curve point: train each fold on this share of its training sites (0-1]; "
        "prints the cross-validated scores and writes no model",
    )
    parser.add_argument("--share-draw", type=int, default=0, help="which random draw of sites --site-share takes")
    parser.add_argument("--silver-min-coverage", type=float, default=SilverOptions.min_coverage)
    parser.add_argument("--silver-teacher", choices=("storyline", "trafilatura"), default=SILVER_TEACHER)
    parser.add_argument(
        "--silver-render",
        default="+".join(SILVER_RENDERS),
        help="how silver pages are rendered: 'bullets' (as the AEB dumps), 'plain', or both joined by '+'",
    )
    args = parser.parse_args(argv)
    if args.no_cv and args.site_share < 1.0:
        parser.error("--site-share is a cross-validation run: it cannot go with --no-cv")
    return args


def _silver(args: argparse.Namespace) -> list[LabelledPage]:
    if args.no_silver:
        return []
    renders = tuple(args.silver_render.split("+"))
    return silver_pages(args.data, args.silver_weight, renders, args.silver_min_coverage, args.silver_teacher)


def _title_sources(data: Path, aeb: Sequence[LabelledPage]) -> Counter[str]:
    def html(page_id: str) -> str:
        raw = gzip.decompress((data / f"extraction/aeb/html/{page_id}.html.gz").read_bytes())
        return raw.decode("utf-8", errors="replace")

    return Counter(derive_title(html(p.page_id), p.lines)[1] for p in aeb)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    if not (args.data / "textdumps/aeb/labels.jsonl").exists():
        print(f"no development data at {args.data}; nothing to train on", file=sys.stderr)
        return 1
    aeb, seeds, silver = load_aeb(args.data), load_seeds(args.data), _silver(args)
    print(f"gold titles by source: {dict(sorted(_title_sources(args.data, aeb).items()))}", file=sys.stderr)
    tune = args.tune_on_silver
    if not args.no_cv:
        results = cross_validate(
            aeb,
            silver,
            tune_on_silver=tune,
            seed=args.partition_seed,
            site_share=args.site_share,
            share_draw=args.share_draw,
        )
        _print_summary(f"AEB {FOLDS}-fold by site", summarise([r for r in results if r]))
        if args.site_share < 1.0:
            return 0  # a learning-curve point: the shipped model is trained on every site
        aeb_only = train([*aeb, *silver], tune_on_silver=tune)
        _print_summary("seeds, model trained on AEB (+ silver)", summarise([evaluate_page(p, aeb_only) for p in seeds]))
    model = train(
        [*aeb, *seeds, *silver],
        tune_on_silver=tune,
        meta={
            "trained_on": f"textdumps/aeb (181 pages) + textdumps/seeds (2 pages) + {len(silver)} silver pages "
            f"of {SILVER_SUBDIR} (teacher {args.silver_teacher}, weight {args.silver_weight}, "
            f"render {args.silver_render}, tuned on silver {tune})",
            "features": list(FEATURE_NAMES),
            "body_params": BODY_PARAMS,
            "context_params": CONTEXT_PARAMS,
            "title_params": TITLE_PARAMS,
        },
    )
    _print_summary("seeds, shipped model", summarise([evaluate_page(p, model) for p in seeds]))
    model.save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
