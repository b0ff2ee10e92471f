"""Re-derive the comparer thresholds of storyline.extract.html.engines with cross-validation by page.

Usage: .venv/bin/python tools/extraction_comparer_cv.py   (needs ../shared/data; prints, writes nothing)

The comparer has two numbers: SUSPECT_RECALL_RATIO (trafilatura's words / resiliparse's words below
which trafilatura's text is suspect) and RECOVERY_GAIN (how many times more words a fallback engine
must find to replace it). They are chosen on a coarse grid. To estimate how the choice generalises, the
AEB pages are split in two halves at random (5 times): the grid point best on one half is scored on
the other, so no page is scored by thresholds chosen on it. The shipped values are printed beside.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import extraction as bench  # noqa: E402  (the benchmark's loaders and the AEB metric)
from storyline.extract.html import engines  # noqa: E402
from storyline.extract.html.chrome import drop_chrome  # noqa: E402

RATIOS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
GAINS = (1.0, 1.2, 1.5, 2.0)
SPLITS = 5


Outputs = dict[str, tuple[str, engines.EngineText, engines.EngineText, list[engines.EngineText]]]


def engine_outputs() -> Outputs:
    outputs = {}
    for doc in bench.load_aeb_html():
        primary = engines.run_trafilatura(doc.text, doc.url)
        fallbacks = [engines.run_readability(doc.text), engines.run_trafilatura_recall(doc.text)]
        outputs[doc.doc_id] = (doc.gold, primary, engines.run_resiliparse(doc.text), fallbacks)
    return outputs


def f1(outputs: Outputs, ids: list[str], ratio: float, gain: float) -> float:
    docs = []
    for doc_id in ids:
        gold, primary, witness, fallbacks = outputs[doc_id]
        chosen = engines.compare(primary, witness, [lambda f=f: f for f in fallbacks], ratio, gain)
        docs.append(bench.document_scores(gold, "\n".join(drop_chrome(chosen.paragraphs))))
    return bench.corpus_scores(docs)["f1"]


def main() -> None:
    if not bench.AEB.is_dir():
        print(f"skipped: {bench.DATA} is absent")
        return
    outputs = engine_outputs()
    ids = sorted(outputs)
    for ratio in RATIOS:
        print(f"ratio {ratio}: " + "  ".join(f"gain {g}: {f1(outputs, ids, ratio, g):.4f}" for g in GAINS))
    rng = random.Random(1)
    held_out, shipped = [], []
    for _ in range(SPLITS):
        shuffled = ids[:]
        rng.shuffle(shuffled)
        halves = [shuffled[::2], shuffled[1::2]]
        for train, test in (halves, halves[::-1]):
            ratio, gain = max(((r, g) for r in RATIOS for g in GAINS), key=lambda rg: f1(outputs, train, *rg))
            held_out.append(f1(outputs, test, ratio, gain))
            shipped.append(f1(outputs, test, engines.SUSPECT_RECALL_RATIO, engines.RECOVERY_GAIN))
    print(f"held-out F1, thresholds tuned on the other half: {sum(held_out) / len(held_out):.4f}")
    print(f"held-out F1, shipped thresholds:                 {sum(shipped) / len(shipped):.4f}")


if __name__ == "__main__":
    main()
