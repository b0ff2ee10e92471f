"""Copies and origins: a syndication corpus built from real article bodies, beside datasketch.

Originals are AEB ground-truth bodies and ECB+ texts (distinct articles, many on the same topics).
Each gets 0-5 copies made the way republishers make them: shifted or fake dates, truncation,
dropped or reordered paragraphs, removed wire credit, inserted ads and "Read more" lines, typos,
quote-mark and whitespace changes, chrome lines. Truth: a family (original + copies) is a copy
group; a copy is re-dated when it claims a day more than 3 days after its original.

Each (method, scale) runs in its own process so peak memory is its own. Scale k makes k variants
of every original (each word tagged per variant: same structure, disjoint shingles), streamed in
windows so the corpus text is never all in memory; arrival order is shuffled inside a window.

    .venv/bin/python benchmarks/copies.py [--scales 1,10,100] [--anchor-scales 1,10]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
AEB = DATA / "extraction" / "aeb" / "ground-truth.json"
ECB = DATA / "stories" / "ecbplus" / "docs.jsonl"
RESULTS = ROOT / "benchmarks" / "results" / "copies.json"
WINDOW = 200  # families generated and shuffled together
REDATED_AFTER = 3
ADS = ("ADVERTISEMENT", "Advertisement", "Story continues below", "Sponsored", "Subscribe to our newsletter")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(slots=True)
class Item:
    article_id: int
    paragraphs: tuple[str, ...]
    claimed: str | None
    family: int
    original: bool
    redated: bool


def sources() -> list[list[str]]:
    """Real bodies as paragraph lists, near-duplicates among the sources themselves removed."""
    bodies: list[list[str]] = []
    for entry in json.loads(AEB.read_text(encoding="utf-8")).values():
        paragraphs = [p.strip() for p in re.split(r"\n+", entry.get("articleBody") or "") if p.strip()]
        if sum(len(p.split()) for p in paragraphs) >= 80:
            bodies.append(paragraphs)
    with ECB.open(encoding="utf-8") as handle:
        for line in handle:
            paragraphs = [p.strip() for p in json.loads(line)["text"].split("\n") if p.strip()]
            if sum(len(p.split()) for p in paragraphs) >= 60:
                bodies.append(paragraphs)
    return _drop_source_duplicates(bodies)


def _drop_source_duplicates(bodies: list[list[str]]) -> list[list[str]]:
    # ECB+ holds some near-identical wire texts; exact shingle overlap >= 0.3 of the smaller drops the later one.
    seen: dict[str, int] = {}
    kept: list[list[str]] = []
    for body in bodies:
        words = re.findall(r"\w+", " ".join(body).lower())
        grams = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
        overlap = Counter(seen[g] for g in grams if g in seen)
        if overlap and overlap.most_common(1)[0][1] >= 0.3 * len(grams):
            continue
        for gram in grams:
            seen.setdefault(gram, len(kept))
        kept.append(body)
    return kept


def _typo(text: str, rng: random.Random) -> str:
    positions = [m.start() for m in re.finditer(r"[a-z]{4,}", text)]
    if not positions:
        return text
    at = rng.choice(positions) + 1
    return text[:at] + text[at + 1] + text[at] + text[at + 2 :]


def make_copy(body: list[str], rng: random.Random, other_titles: list[str]) -> list[str]:
    """What a republisher does to a text."""
    paragraphs = list(body)
    if len(paragraphs) > 3 and rng.random() < 0.2:
        paragraphs = paragraphs[: max(2, int(len(paragraphs) * rng.uniform(0.4, 0.8)))]
    if len(paragraphs) > 3 and rng.random() < 0.2:
        del paragraphs[rng.randrange(1, len(paragraphs))]
    if len(paragraphs) > 3 and rng.random() < 0.15:
        i = rng.randrange(1, len(paragraphs) - 1)
        paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
    if rng.random() < 0.5:
        paragraphs[0] = re.sub(r"^[A-Z .,]+\(AP\) — ", "", paragraphs[0])
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 5)):
            i = rng.randrange(len(paragraphs))
            paragraphs[i] = _typo(paragraphs[i], rng)
    if rng.random() < 0.5:
        paragraphs = [p.replace('"', "“").replace("'", "’").replace(" ", "  ", 2) for p in paragraphs]
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 3)):
            line = rng.choice(ADS) if rng.random() < 0.5 else "Read more: " + rng.choice(other_titles)
            paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), line)
    if rng.random() < 0.3:
        paragraphs.append("Share this article: Facebook Twitter Email")
    return paragraphs


UNDATED_ORIGINALS = 0.2


def copy_date(original: date, hour: int, rng: random.Random) -> tuple[str | None, bool]:
    roll = rng.random()
    if roll < 0.1:
        return None, False
    if roll < 0.35:  # the same day, later than the original: a republication cannot precede it
        return f"{original.isoformat()}T{rng.randint(hour, 23):02d}:{rng.randint(1, 59):02d}:00", False
    elif roll < 0.5:
        day = original + timedelta(days=1)
    elif roll < 0.65:
        day = original + timedelta(days=rng.randint(2, REDATED_AFTER))
    else:  # re-dated: shifted by weeks to years, or a fake "today"
        day = original + timedelta(days=rng.randint(REDATED_AFTER + 1, 900))
    claimed = f"{day.isoformat()}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00"
    return claimed, (day - original).days > REDATED_AFTER


def original_date(body: list[str], rng: random.Random) -> date:
    """A publication day that fits the weekday the lead reports, as a real original's does."""
    day = date(2010, 1, 1) + timedelta(days=rng.randint(0, 5000))
    found = re.search(r"\b(" + "|".join(WEEKDAYS) + r")\b", body[0].split(". ")[0].lower())
    if found:
        day += timedelta(days=(WEEKDAYS.index(found.group(1)) - day.weekday()) % 7)
    return day


def variant(body: list[str], tag: int) -> list[str]:
    if tag == 0:
        return body
    suffix = f"q{tag:x}"
    return [re.sub(r"\w+", lambda m: m.group(0) + suffix, p) for p in body]


def corpus(scale: int, seed: int = 7) -> Iterator[list[Item]]:
    """Windows of shuffled items; article ids increase in arrival order."""
    rng = random.Random(seed)
    pool = sources()
    titles = [" ".join(body[0].split()[:10]) for body in pool]
    next_id, family = 1, 0
    jobs = [(tag, i) for tag in range(scale) for i in range(len(pool))]
    for start in range(0, len(jobs), WINDOW):
        window: list[tuple[list[str], str | None, int, bool, bool]] = []
        for tag, i in jobs[start : start + WINDOW]:
            body = variant(pool[i], tag)
            if rng.random() < 0.4:
                body = [f"{rng.choice(('WASHINGTON', 'LONDON', 'PARIS', 'BELGRADE'))} (AP) — {body[0]}", *body[1:]]
            day, hour = original_date(body, rng), rng.randint(6, 20)
            # A fifth of originals state no date (a wire feed, a bare archive page): then wire credit
            # and containment, not dates, must name the origin.
            stated = None if rng.random() < UNDATED_ORIGINALS else f"{day.isoformat()}T{hour:02d}:00:00"
            window.append((body, stated, family, True, False))
            for _ in range(rng.choice((0, 0, 1, 1, 2, 2, 3, 4, 5))):
                claimed, redated = copy_date(day, hour, rng)
                window.append((make_copy(body, rng, titles), claimed, family, False, redated))
            family += 1
        rng.shuffle(window)
        items = []
        for body, claimed, fam, original, redated in window:
            items.append(Item(next_id, tuple(body), claimed, fam, original, redated))
            next_id += 1
        yield items


# -- methods ------------------------------------------------------------------------------------


def run_storyline(scale: int) -> dict[str, object]:
    """Place every article as it arrives; signatures go to a SQLite file, as ``update_copies`` keeps them.

    The benchmark holds no table of signatures: each group's members are read back from the file
    when its origin is named, so peak memory is the index's, not the benchmark's.
    """
    import tempfile

    from storyline.copies import ArticleText, CopyIndex, CopyOptions, decide_origin, sign_many
    from storyline.store import Store
    from storyline.store.copies import load_signatures, save_signatures

    options = CopyOptions()
    truth = Truth()
    busy, heap = 0.0, 0.0
    heap_curve: list[tuple[int, float]] = []  # (articles placed, heap) after each window
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "copies.db") as store:
        index = CopyIndex(options, spill_dir=Path(folder))
        store.connection.execute("PRAGMA foreign_keys = OFF")  # signatures without their article rows
        for items in corpus(scale):
            texts = [ArticleText(it.article_id, it.paragraphs, it.claimed, None) for it in items]
            truth.add(items)
            started = time.process_time()
            signatures = sign_many(texts, options)
            index.add_many(signatures)
            busy += time.process_time() - started
            save_signatures(store, signatures)
            store.connection.commit()
            heap_curve.append((truth.size - 1, _heap_mb()))
            heap = max(heap, heap_curve[-1][1])
        started = time.process_time()
        groups: dict[int, list[int]] = {}
        for article_id in range(1, truth.size):
            groups.setdefault(index.group_of(article_id), []).append(article_id)
        verdicts = [decide_origin(g, list(load_signatures(store, options, m)), options) for g, m in groups.items()]
        origin_seconds = time.process_time() - started
    origin_of = {v.group_id: v.origin for v in verdicts}
    redated = {m.article_id for v in verdicts for m in v.members if m.redated}
    reasons = Counter(v.reason.value for v in verdicts if len(v.members) > 1)
    result = _quality(truth.as_dict(), groups, origin_of, redated)
    result.update(
        articles=truth.size - 1,
        articles_per_second=round((truth.size - 1) / busy, 1),
        origin_seconds=round(origin_seconds, 2),
        origin_reasons=dict(reasons),
        peak_heap_mb=round(heap, 1),
        heap_mb_by_quarter=[  # flat once the index's in-memory parts reach their caps
            round(next(mb for n, mb in heap_curve if n >= quarter * (truth.size - 1) / 4), 1)
            for quarter in (1, 2, 3, 4)
        ],
        index_entries=index.entries(),
    )
    if "--errors" in sys.argv:
        result["origin_errors"] = _origin_errors(truth.as_dict(), groups, verdicts)
    return result


class Truth:
    """Family, original and re-dated flags per article id, in arrays (a dict of tuples is 10x larger)."""

    def __init__(self) -> None:
        self.family, self.flags, self.size = array("i", [0]), bytearray(1), 1

    def add(self, items: list[Item]) -> None:
        for it in items:
            assert it.article_id == self.size
            self.family.append(it.family)
            self.flags.append(int(it.original) | int(it.redated) << 1)
            self.size += 1

    def as_dict(self) -> dict[int, tuple[int, bool, bool]]:
        return {a: (self.family[a], bool(self.flags[a] & 1), bool(self.flags[a] & 2)) for a in range(1, self.size)}


def _heap_mb() -> float:
    """Resident anonymous memory now (Linux): the heap, without mapped files and shared libraries."""
    status = Path("/proc/self/status")
    if not status.exists():
        return 0.0
    for line in status.read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _origin_errors(
    truth: dict[int, tuple[int, bool, bool]], groups: dict[int, list[int]], verdicts: list
) -> dict[str, int]:  # type: ignore[type-arg]
    """Wrong origins by the reason given, to see which rule fails."""
    errors: Counter[str] = Counter()
    for verdict in verdicts:
        originals = [m for m in groups[verdict.group_id] if truth[m][1]]
        if len(verdict.members) > 1 and len(originals) == 1 and verdict.origin != originals[0]:
            errors[verdict.reason.value] += 1
    return dict(errors)


def run_datasketch(scale: int) -> dict[str, object]:
    from datasketch import MinHash, MinHashLSH

    from storyline.copies import CopyOptions

    options = CopyOptions()
    lsh = MinHashLSH(threshold=options.copy_jaccard, num_perm=options.num_perm)
    parent: dict[int, int] = {}
    minhashes: dict[int, MinHash] = {}
    truth: dict[int, tuple[int, bool, bool]] = {}
    busy = 0.0

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for items in corpus(scale):
        truth.update((it.article_id, (it.family, it.original, it.redated)) for it in items)
        started = time.process_time()
        for it in items:
            shingles = _string_shingles(it.paragraphs, options.shingle_size)
            minhash = MinHash(num_perm=options.num_perm, seed=options.seed)
            minhash.update_batch([s.encode("utf-8") for s in shingles])
            parent[it.article_id] = it.article_id
            for other in lsh.query(minhash):
                if minhash.jaccard(minhashes[other]) >= options.copy_jaccard:
                    parent[find(it.article_id)] = find(other)
            lsh.insert(it.article_id, minhash)
            minhashes[it.article_id] = minhash
        busy += time.process_time() - started
    groups: dict[int, list[int]] = {}
    for article_id in truth:
        groups.setdefault(find(article_id), []).append(article_id)
    result = _quality(truth, groups, None, None)
    result.update(articles=len(truth), articles_per_second=round(len(truth) / busy, 1))
    return result


def _string_shingles(paragraphs: tuple[str, ...], size: int) -> set[str]:
    """The anchor's shingles: the same normalised word n-grams, chrome lines left out, as strings."""
    from storyline.copies.text import CHROME_MAX_WORDS, chrome_kind, shingles, words

    found: set[str] = set()
    for paragraph in paragraphs:
        tokens = words(paragraph)
        if tokens and not (len(tokens) <= CHROME_MAX_WORDS and chrome_kind(paragraph)):
            found.update(shingles(tokens, size))
    return found


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _quality(
    truth: dict[int, tuple[int, bool, bool]],
    groups: dict[int, list[int]],
    origin_of: dict[int, int] | None,
    redated: set[int] | None,
) -> dict[str, object]:
    families = Counter(fam for fam, _, _ in truth.values())
    cells = Counter((g, truth[m][0]) for g, members in groups.items() for m in members)
    tp = sum(_pairs(n) for n in cells.values())
    predicted = sum(_pairs(len(m)) for m in groups.values())
    actual = sum(_pairs(n) for n in families.values())
    precision, recall = tp / max(predicted, 1), tp / max(actual, 1)
    result: dict[str, object] = {
        "pair_precision": round(precision, 4),
        "pair_recall": round(recall, 4),
        "pair_f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4),
    }
    if origin_of is not None and redated is not None:
        group_of = {m: g for g, members in groups.items() for m in members}
        originals = [a for a, (fam, orig, _) in truth.items() if orig and families[fam] > 1]
        result["origin_accuracy"] = round(sum(origin_of[group_of[a]] == a for a in originals) / len(originals), 4)
        labelled = {a for a, (_, _, r) in truth.items() if r}
        hits = len(labelled & redated)
        result["redated_precision"] = round(hits / max(len(redated), 1), 4)
        result["redated_recall"] = round(hits / max(len(labelled), 1), 4)
        result["copy_families"] = len(originals)
        result["redated_copies"] = len(labelled)
    return result


def worker(method: str, scale: int) -> None:
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = run_storyline(scale) if method == "storyline" else run_datasketch(scale)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result.update(method=method, scale=scale, peak_rss_mb=round(peak / 1024, 1))
    result["import_rss_mb"] = round(baseline / 1024, 1)
    print(json.dumps(result))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--anchor-scales", default="1,10", help="datasketch is slow: the scales it runs at")
    parser.add_argument("--errors", action="store_true", help="count wrong origins by the reason given")
    parser.add_argument("--worker", nargs=2, metavar=("METHOD", "SCALE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
        return 0
    if not AEB.exists() or not ECB.exists():
        print(f"skipped: {DATA} is absent (the AEB and ECB+ development data are needed)", file=sys.stderr)
        return 0
    runs = []
    anchors = {int(s) for s in args.anchor_scales.split(",") if s}
    for scale in (int(s) for s in args.scales.split(",")):
        for method in ("storyline", "datasketch"):
            if method == "datasketch" and scale not in anchors:
                continue
            command = [sys.executable, __file__, "--worker", method, str(scale), *(["--errors"] if args.errors else [])]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            runs.append(json.loads(output.strip().splitlines()[-1]))
            print(json.dumps(runs[-1]), file=sys.stderr)
    _report(runs)
    return 0


def _report(runs: list[dict[str, object]]) -> None:
    columns = ("method", "scale", "articles", "pair_precision", "pair_recall", "pair_f1", "origin_accuracy")
    columns += ("redated_precision", "redated_recall", "articles_per_second", "peak_rss_mb", "peak_heap_mb")
    print(" | ".join(columns))
    for run in runs:
        print(" | ".join(str(run.get(c, "-")) for c in columns))
    by = {(r["method"], r["scale"]): r for r in runs}
    ratios = {
        f"speed_vs_datasketch_x{scale}": round(float(r["articles_per_second"]) / float(d["articles_per_second"]), 2)  # type: ignore[arg-type]
        for (method, scale), r in by.items()
        if method == "storyline" and (d := by.get(("datasketch", scale)))
    }
    print(json.dumps(ratios))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": runs, "ratios": ratios}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
