"""Extraction quality and speed: storyline beside the anchor extractors, on the same pages, in one run.

Usage: .venv/bin/python benchmarks/extraction.py [--bootstrap N] [--skip-dates] [--only CORPUS|dates]

Body text (token P / R / F1 with the AEB metric, pages per second, both as ratios to trafilatura):
  aeb-html    the 181 AEB pages (../shared/data/extraction/aeb), gold = ground-truth articleBody
  aeb-dumps   the same pages as flattened text dumps (../shared/data/textdumps/aeb); the anchors get
              each line wrapped as <p>, storyline reads them as Page(format=TEXT) (its text-dump cleaner)
  seeds       the two seeds (examples/seeds) as text dumps, gold = the hand-labelled body lines
Tools: storyline (extract_article), trafilatura default and favor_precision, resiliparse main-content,
readability-lxml, jusText (stoplist of the page's declared language, English otherwise), and
newspaper4k when it is importable. Timing is interleaved page by page (every tool extracts page 1,
then every tool page 2, ...), so machine load drifts hit all tools alike.

The AEB metric is re-implemented exactly as ../shared/data/README.md describes it: ``\\w+`` tokens,
4-gram multiset shingles, per-document P and R, P averaged over documents with tp+fp > 0, R over
documents with tp+fn > 0, F1 from the two means. ``±`` is the standard deviation of F1 over
bootstrap resamples of the documents (seeded, so reruns agree).

Metadata:
  headline    exact match on AEB. The benchmark has no gold titles, so the gold is derived from
              each page's own metadata: og:title, else twitter:title, else the first <h1>, with a
              site suffix or prefix removed when the part after (before) a separator (" | ", " - ",
              " – ", " — ", " :: ", " · ") equals og:site_name, or is a word of the host name, or
              when the rest equals the page's <h1>. White space is collapsed. Pages with none of
              the three are left out. Tools: storyline, trafilatura metadata, readability short_title.
  dates       claimed date on ../shared/data/dates/htmldate (300 pages): htmldate extensive and fast
              (original_date=True), trafilatura's metadata date and storyline, scored on the day with
              the upstream rule (README there); on the seeds, storyline's claimed date against the labels.
Results: benchmarks/results/extraction.json. Skips with a message (exit 0) without ../shared/data.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import html
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
AEB = DATA / "extraction" / "aeb"
DUMPS = DATA / "textdumps" / "aeb"
DATES = DATA / "dates" / "htmldate"
SEED_LABELS = DATA / "textdumps" / "seeds" / "labels.jsonl"
SEEDS = REPO / "examples" / "seeds"
RESULTS = REPO / "benchmarks" / "results" / "extraction.json"
ANCHOR = "trafilatura"

TOKEN = re.compile(r"\w+")
TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")
BLOCK_TAGS = "p div h1 h2 h3 h4 h5 h6 li br tr blockquote pre section article td dd dt figcaption".split()


# ---------------------------------------------------------------- the AEB metric


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text)
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3)))


def document_scores(gold: str, pred: str) -> tuple[float | None, float | None, bool]:
    """(precision or None when tp+fp = 0, recall or None when tp+fn = 0, exact token match)."""
    g, s = shingles(gold), shingles(pred)
    tp = sum(min(g[k], s[k]) for k in g.keys() & s.keys())
    fp = sum(s.values()) - tp
    fn = sum(g.values()) - tp
    exact = TOKEN.findall(gold) == TOKEN.findall(pred)
    if fp == 0 and fn == 0:
        return 1.0, 1.0, exact
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall, exact


def corpus_scores(docs: Sequence[tuple[float | None, float | None, bool]]) -> dict[str, float]:
    ps = [p for p, _, _ in docs if p is not None]
    rs = [r for _, r, _ in docs if r is not None]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "accuracy": sum(e for _, _, e in docs) / max(1, len(docs))}


def bootstrap_f1(docs: Sequence[tuple[float | None, float | None, bool]], rounds: int) -> float:
    if rounds < 2 or len(docs) < 2:
        return 0.0
    rng = random.Random(20260101)
    values = [corpus_scores([docs[rng.randrange(len(docs))] for _ in docs])["f1"] for _ in range(rounds)]
    mean = sum(values) / len(values)
    return float((sum((v - mean) ** 2 for v in values) / (len(values) - 1)) ** 0.5)


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class Doc:
    doc_id: str
    raw: bytes
    text: str  # decoded page (HTML) or the dump wrapped as <p> lines, for the anchors
    gold: str
    url: str | None
    is_dump: bool


def decode(raw: bytes) -> str:
    from storyline.sniff import declared_charset, decode_text

    try:
        return decode_text(raw, declared_charset(raw))[0]
    except Exception:
        return raw.decode("utf-8", errors="replace")


def wrap_lines(text: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.split("\n") if line.strip())
    return f"<html><body>{paragraphs}</body></html>"


def load_aeb_html() -> list[Doc]:
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    docs = []
    for doc_id in sorted(truth):
        raw = gzip.decompress((AEB / "html" / f"{doc_id}.html.gz").read_bytes())
        docs.append(Doc(doc_id, raw, decode(raw), truth[doc_id]["articleBody"], truth[doc_id]["url"], False))
    return docs


def load_aeb_dumps() -> list[Doc]:
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    docs = []
    for doc_id in sorted(truth):
        raw = (DUMPS / f"{doc_id}.txt").read_bytes()
        gold = truth[doc_id]["articleBody"]
        docs.append(Doc(doc_id, raw, wrap_lines(raw.decode("utf-8")), gold, truth[doc_id]["url"], True))
    return docs


def seed_labels() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SEED_LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_seeds() -> list[Doc]:
    docs = []
    for label in seed_labels():
        raw = (SEEDS / f"{label['id']}.txt").read_bytes()
        lines = raw.decode("utf-8").split("\n")
        gold = "\n".join(line for line, kind in zip(lines, label["labels"], strict=True) if kind == "body")
        docs.append(Doc(label["id"], raw, wrap_lines(raw.decode("utf-8")), gold, None, True))
    return docs


# ---------------------------------------------------------------- tools


def block_text(fragment: str) -> str:
    """Visible text of an HTML fragment with one line per block element (readability's output)."""
    import lxml.html

    if not fragment.strip():
        return ""
    root = lxml.html.fromstring(fragment)
    for element in root.iter(*BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    text = root.text_content()
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def storyline_tool() -> Callable[[Doc], str]:
    from storyline.config import ExtractOptions
    from storyline.extract import extract_article
    from storyline.records import Article, Page, PageFormat

    options = ExtractOptions()

    def run(doc: Doc) -> str:
        fmt = PageFormat.TEXT if doc.is_dump else PageFormat.HTML
        found = extract_article(Page(raw=doc.raw, source=doc.doc_id, format=fmt, url=doc.url), options)
        return found.body if isinstance(found, Article) else ""

    return run


def trafilatura_tool(**kwargs: Any) -> Callable[[Doc], str]:
    import trafilatura

    # include_comments=False as in the AEB harness: the gold bodies never hold reader comments.
    return lambda doc: trafilatura.extract(doc.text, url=doc.url, include_comments=False, **kwargs) or ""


def resiliparse_tool() -> Callable[[Doc], str]:
    from resiliparse.extract.html2text import extract_plain_text

    return lambda doc: extract_plain_text(doc.text, main_content=True)


def readability_tool() -> Callable[[Doc], str]:
    from readability import Document

    def run(doc: Doc) -> str:
        try:
            return block_text(Document(doc.text).summary(html_partial=True))
        except Exception:
            return ""

    return run


def justext_tool() -> Callable[[Doc], str]:
    import justext

    languages = {name.lower(): name for name in justext.get_stoplists()}
    codes = {
        "en": "English",
        "de": "German",
        "ru": "Russian",
        "pt": "Portuguese",
        "it": "Italian",
        "ko": "Korean",
        "ja": "Japanese",
        "id": "Indonesian",
        "es": "Spanish",
        "fr": "French",
    }
    lang_attr = re.compile(r"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", re.IGNORECASE)

    def run(doc: Doc) -> str:
        found = lang_attr.search(doc.text[:5000])
        language = codes.get(found.group(1).lower(), "English") if found else "English"
        stoplist = justext.get_stoplist(languages.get(language.lower(), "English"))
        try:
            paragraphs = justext.justext(doc.text.encode("utf-8"), stoplist, encoding="utf-8")
        except Exception:
            return ""
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


def newspaper_tool() -> Callable[[Doc], str] | None:
    try:
        from newspaper import Article as NewsArticle  # type: ignore[import-not-found]
    except ImportError:
        return None

    def run(doc: Doc) -> str:
        article = NewsArticle(doc.url or "http://example.com/")
        article.download(input_html=doc.text)
        article.parse()
        return str(article.text or "")

    return run


def body_tools() -> dict[str, Callable[[Doc], str]]:
    tools: dict[str, Callable[[Doc], str]] = {
        "storyline": storyline_tool(),
        "trafilatura": trafilatura_tool(),
        "trafilatura-precision": trafilatura_tool(favor_precision=True),
        "resiliparse": resiliparse_tool(),
        "readability-lxml": readability_tool(),
        "justext": justext_tool(),
    }
    newspaper = newspaper_tool()
    if newspaper is not None:
        tools["newspaper4k"] = newspaper
    else:
        print("newspaper4k is not installed: left out (see the report of issue 3)", file=sys.stderr)
    return tools


# ---------------------------------------------------------------- body benchmark


def run_bodies(docs: Sequence[Doc], tools: dict[str, Callable[[Doc], str]], rounds: int) -> dict[str, Any]:
    seconds = dict.fromkeys(tools, 0.0)
    scores: dict[str, list[tuple[float | None, float | None, bool]]] = {name: [] for name in tools}
    # Warm-up pass over every page, untimed, for every tool alike: lazy imports, model loads and
    # dateparser's per-language tables are one-off costs, not per-page costs of a long ingest.
    for doc in docs:
        for tool in tools.values():
            with contextlib.suppress(Exception):
                tool(doc)
    for doc in docs:
        for name, tool in tools.items():
            started = time.perf_counter()
            try:
                pred = tool(doc)
            except Exception as exc:  # an anchor crashing on a page scores an empty prediction
                print(f"{name} failed on {doc.doc_id}: {exc!r}", file=sys.stderr)
                pred = ""
            seconds[name] += time.perf_counter() - started
            scores[name].append(document_scores(doc.gold, pred))
    table: dict[str, Any] = {}
    for name in tools:
        row = corpus_scores(scores[name])
        row["f1_sd"] = bootstrap_f1(scores[name], rounds)
        row["pages_per_second"] = len(docs) / seconds[name] if seconds[name] else 0.0
        table[name] = row
    for row in table.values():
        row["f1_vs_trafilatura"] = row["f1"] / table[ANCHOR]["f1"] if table[ANCHOR]["f1"] else 0.0
        row["speed_vs_trafilatura"] = row["pages_per_second"] / table[ANCHOR]["pages_per_second"]
    return table


def print_bodies(corpus: str, table: dict[str, Any]) -> None:
    print(f"\n## {corpus}: body text (AEB metric)")
    print(f"{'tool':<22} {'P':>6} {'R':>6} {'F1':>6} {'±':>6} {'pages/s':>8} {'F1/traf':>8} {'speed/traf':>10}")
    for name, row in sorted(table.items(), key=lambda item: -item[1]["f1"]):
        print(
            f"{name:<22} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f} {row['f1_sd']:6.3f} "
            f"{row['pages_per_second']:8.1f} {row['f1_vs_trafilatura']:8.3f} {row['speed_vs_trafilatura']:10.2f}"
        )
    if corpus == "aeb-dumps":
        print(
            "note: storyline's text-dump model was trained on these 181 dumps, so its row is in-sample;"
            " the honest, cross-validated figure comes from benchmarks/textdumps.py"
        )


# ---------------------------------------------------------------- headlines


def meta_content(root: Any, *names: str) -> str | None:
    for name in names:
        for element in root.xpath(f"//meta[@property='{name}' or @name='{name}']"):
            value = " ".join((element.get("content") or "").split())
            if value:
                return html.unescape(value)
    return None


def derived_headline(page: str, url: str | None) -> str | None:
    """The gold headline of an AEB page from its own metadata (see the module docstring)."""
    from urllib.parse import urlsplit

    import lxml.html

    root = lxml.html.fromstring(page.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    h1s = [" ".join(h.text_content().split()) for h in root.iter("h1")]
    h1 = next((h for h in h1s if h), None)
    title = meta_content(root, "og:title", "twitter:title") or h1
    if not title:
        return None
    site = (meta_content(root, "og:site_name") or "").lower()
    host_words = set(re.split(r"[.\-]", (urlsplit(url or "").hostname or "").lower()))
    for separator in TITLE_SEPARATORS:
        if separator not in title:
            continue
        head, _, tail = title.rpartition(separator)
        first, _, rest = title.partition(separator)
        if tail.lower() in {site} | host_words or tail.lower().replace(" ", "") in host_words or head == h1:
            return head.strip()
        if first.lower() in {site} | host_words or rest == h1:
            return rest.strip()
    return title


def headline_tools() -> dict[str, Callable[[Doc], str | None]]:
    import trafilatura
    from readability import Document

    from storyline.config import ExtractOptions
    from storyline.extract import extract_article
    from storyline.records import Article, Page, PageFormat

    options = ExtractOptions()

    def ours(doc: Doc) -> str | None:
        found = extract_article(Page(raw=doc.raw, source=doc.doc_id, format=PageFormat.HTML, url=doc.url), options)
        return found.title if isinstance(found, Article) else None

    def traf(doc: Doc) -> str | None:
        meta = trafilatura.extract_metadata(doc.text, default_url=doc.url)
        return meta.title if meta is not None else None

    return {"storyline": ours, "trafilatura": traf, "readability-lxml": lambda doc: Document(doc.text).short_title()}


def run_headlines(docs: Sequence[Doc]) -> dict[str, Any]:
    golds = {doc.doc_id: derived_headline(doc.text, doc.url) for doc in docs}
    scored = [doc for doc in docs if golds[doc.doc_id]]
    table: dict[str, Any] = {}
    for name, tool in headline_tools().items():
        hits, misses = 0, []
        for doc in scored:
            found = " ".join((tool(doc) or "").split())
            if found == golds[doc.doc_id]:
                hits += 1
            else:
                misses.append({"id": doc.doc_id[:12], "gold": golds[doc.doc_id], "found": found})
        table[name] = {"pages": len(scored), "exact": hits / len(scored), "misses": misses}
    return table


# ---------------------------------------------------------------- dates


# Pages storyline refuses to make an article of (too short, no main text): it states no date for them.
REJECTED_DATE_PAGES: set[str] = set()


def date_tools() -> dict[str, Callable[[bytes, str, str], str | None]]:
    import trafilatura
    from htmldate import find_date

    from storyline.config import ExtractOptions
    from storyline.extract import extract_article
    from storyline.records import Article, Page, PageFormat

    options = ExtractOptions()

    def ours(raw: bytes, text: str, url: str) -> str | None:
        found = extract_article(Page(raw=raw, source=url, format=PageFormat.HTML, url=url), options)
        if not isinstance(found, Article):
            REJECTED_DATE_PAGES.add(url)
        return found.claimed_date if isinstance(found, Article) else None

    def htmldate(extensive: bool) -> Callable[[bytes, str, str], str | None]:
        return lambda raw, text, url: find_date(text, url=url, extensive_search=extensive, original_date=True)

    def traf(raw: bytes, text: str, url: str) -> str | None:
        meta = trafilatura.extract_metadata(text, default_url=url)
        return meta.date if meta is not None else None

    tools = {
        "storyline": ours,
        "htmldate-extensive": htmldate(True),
        "htmldate-fast": htmldate(False),
        "trafilatura-metadata": traf,
    }
    try:
        from storyline.extract.html.dates import claimed_date_from_html

        tools["storyline-dates-only"] = lambda raw, text, url: claimed_date_from_html(text, url)
    except ImportError:
        pass
    return tools


def date_scores(pairs: Sequence[tuple[str | None, str | None]]) -> dict[str, float]:
    """The upstream htmldate counting rule, including its TN+FN quirk for (no prediction, no gold)."""
    tp = fp = fn = tn = 0
    for pred, gold in pairs:
        if pred is not None and pred == gold:
            tp += 1
        elif pred is not None:
            fp += 1
        elif gold is not None:
            fn += 1
        else:
            tn += 1
            fn += 1
    total = tp + tn + fp + fn
    return {
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "accuracy": (tp + tn) / total if total else 0.0,
        "f": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
    }


def run_dates() -> dict[str, Any]:
    gold = json.loads((DATES / "gold.json").read_text(encoding="utf-8"))
    pages = [(url, gzip.decompress((DATES / v["file"]).read_bytes()), v["date"]) for url, v in sorted(gold.items())]
    texts = [decode(raw) for _, raw, _ in pages]
    tools = date_tools()
    seconds = dict.fromkeys(tools, 0.0)
    pairs: dict[str, list[tuple[str | None, str | None]]] = {name: [] for name in tools}
    for (url, raw, day), text in zip(pages, texts, strict=True):
        for name, tool in tools.items():
            started = time.perf_counter()
            try:
                found = tool(raw, text, url)
            except Exception as exc:
                print(f"{name} failed on {url}: {exc!r}", file=sys.stderr)
                found = None
            seconds[name] += time.perf_counter() - started
            pairs[name].append((found[:10] if found else None, day))
    table = {name: date_scores(pairs[name]) | {"pages_per_second": len(pages) / seconds[name]} for name in tools}
    base = table["htmldate-extensive"]["pages_per_second"]
    for row in table.values():
        row["speed_vs_htmldate_extensive"] = row["pages_per_second"] / base
    # The same scores on the pages storyline keeps as articles: the date stage against htmldate
    # without the pages where storyline, by design, states nothing.
    kept = [i for i, (url, _, _) in enumerate(pages) if url not in REJECTED_DATE_PAGES]
    for name in tools:
        table[f"{name} (on {len(kept)} articles)"] = date_scores([pairs[name][i] for i in kept]) | {
            "pages_per_second": None,
            "speed_vs_htmldate_extensive": None,
        }
    return table


def run_seed_metadata() -> dict[str, Any]:
    from storyline.config import ExtractOptions
    from storyline.extract import extract_article
    from storyline.records import Article, Page, PageFormat

    rows = {}
    for label in seed_labels():
        raw = (SEEDS / f"{label['id']}.txt").read_bytes()
        try:
            found: object = extract_article(Page(raw=raw, source=label["id"], format=PageFormat.TEXT), ExtractOptions())
        except Exception as exc:  # counted as a miss, like a failure in the body benchmark
            print(f"storyline failed on {label['id']}: {exc!r}", file=sys.stderr)
            found = None
        title = found.title if isinstance(found, Article) else None
        date = found.claimed_date if isinstance(found, Article) else None
        want_date = label["claimed_date"].replace(" ", "T")
        rows[label["id"]] = {
            "title_exact": title == label["title"],
            "date_exact": date == want_date,
            "date_day": (date or "")[:10] == want_date[:10],
            "title": title,
            "date": date,
        }
    return rows


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", type=int, default=300, help="bootstrap resamples for the F1 ± (0: none)")
    parser.add_argument("--skip-dates", action="store_true", help="leave out the 300-page date benchmark")
    parser.add_argument(
        "--only",
        choices=["aeb-html", "aeb-dumps", "seeds", "dates"],
        help="one body corpus, or the date benchmark, only",
    )
    args = parser.parse_args()
    if not AEB.is_dir() or not DATES.is_dir():
        print(f"skipped: {DATA} is absent (the development datasets live beside the repo)")
        return
    results: dict[str, Any] = {}
    tools = body_tools()
    corpora = {"aeb-html": load_aeb_html, "aeb-dumps": load_aeb_dumps, "seeds": load_seeds}
    for corpus, load in corpora.items():
        if args.only and corpus != args.only:
            continue
        results[corpus] = run_bodies(load(), tools, args.bootstrap)
        print_bodies(corpus, results[corpus])
    if not args.only:
        results["headlines"] = run_headlines(load_aeb_html())
        print("\n## aeb-html: headline exact match (gold derived from og:title / twitter:title / h1)")
        for name, row in results["headlines"].items():
            print(f"{name:<22} {row['exact']:6.3f}  ({row['pages']} pages)")
        results["seed_metadata"] = run_seed_metadata()
        print("\n## seeds: storyline title and claimed date against the hand labels")
        for seed, row in results["seed_metadata"].items():
            print(f"{seed:<22} title {row['title_exact']!s:<5}  date {row['date_exact']!s:<5}  {row['date']}")
    if not args.skip_dates and args.only in (None, "dates"):
        results["dates"] = run_dates()
        print("\n## dates/htmldate: claimed date, exact day (upstream counting rule)")
        print(f"{'tool':<22} {'P':>6} {'R':>6} {'acc':>6} {'F':>6} {'pages/s':>8} {'speed/htmldate-ext':>18}")
        for name, row in results["dates"].items():
            speed = (
                ""
                if row["pages_per_second"] is None
                else (f"{row['pages_per_second']:8.1f} {row['speed_vs_htmldate_extensive']:18.2f}")
            )
            scores = " ".join(f"{row[key]:6.3f}" for key in ("precision", "recall", "accuracy", "f"))
            print(f"{name:<22} {scores} {speed}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    if args.only and RESULTS.exists():  # one part rerun: the other parts' figures stay
        results = json.loads(RESULTS.read_text(encoding="utf-8")) | results
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
