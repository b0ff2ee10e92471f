"""Main-text engines and the comparer that picks one per page.

trafilatura in precision mode is the primary engine: it is the most precise of the open tools on
news pages. Its failure mode is recall: on some templates it keeps only a teaser or nothing at all.
Resiliparse's main-content mode is ten times faster and rarely loses body text, so it serves as a
cheap witness of how much text the page holds. Only when trafilatura keeps much less than that
witness are the fallbacks run, in ``FALLBACKS`` order, and the first one that recovers clearly
more text replaces the current choice, until the choice is no longer suspect: readability, then
trafilatura's default (recall-leaning) mode, which keeps the body of templates where precision
mode and readability both keep next to nothing. The thresholds are named
below; `tools/extraction_comparer_cv.py` re-derives them with cross-validation by page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

import trafilatura
from lxml.html import HtmlElement
from resiliparse.extract.html2text import extract_plain_text

WORD = re.compile(r"\w+")

# trafilatura's text is suspect when it holds fewer words than this share of the witness's.
SUSPECT_RECALL_RATIO = 0.5
# readability replaces a suspect text only when it holds at least this many times its words.
RECOVERY_GAIN = 1.5
# trafilatura's own fallback comparison costs a third of its time; the witness above catches most of
# what it would (AEB F1 0.971 with it off, 0.974 on, at 1.5x the time).
TRAFILATURA_FAST = True

# Elements whose text ends a line in readability's HTML output.
BLOCK_TAGS: tuple[str, ...] = (
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr", "blockquote", "pre",
    "section", "article", "td", "dd", "dt", "figcaption", "ul", "ol", "table",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class EngineText:
    engine: str
    paragraphs: tuple[str, ...]
    # Counted once: the comparer reads it again on every step.
    words: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", sum(len(WORD.findall(p)) for p in self.paragraphs))


def split_paragraphs(text: str) -> tuple[str, ...]:
    return tuple(" ".join(line.split()) for line in text.split("\n") if line.strip())


def run_trafilatura(html: str | HtmlElement, url: str | None, *, precision: bool = True) -> EngineText:
    text = trafilatura.extract(
        html,
        url=url,
        favor_precision=precision,
        fast=TRAFILATURA_FAST,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    return EngineText("trafilatura" if precision else "trafilatura-recall", split_paragraphs(text or ""))


def run_trafilatura_recall(html: str) -> EngineText:
    # The string, not the shared tree: precision mode has pruned that tree in place.
    return run_trafilatura(html, None, precision=False)


def run_resiliparse(html: str) -> EngineText:
    return EngineText("resiliparse", split_paragraphs(extract_plain_text(html, main_content=True)))


def run_readability(html: str) -> EngineText:
    import lxml.html
    from lxml.etree import ParserError
    from readability import Document
    from readability.readability import Unparseable

    try:
        fragment = Document(html).summary(html_partial=True)
        root = lxml.html.fromstring(fragment) if fragment.strip() else None
    except (Unparseable, ParserError, ValueError):
        return EngineText("readability", ())
    if root is None:
        return EngineText("readability", ())
    for element in root.iter(*BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    return EngineText("readability", split_paragraphs(root.text_content()))


# Tried in this order while the chosen text is suspect; one replaces it when it holds RECOVERY_GAIN times the words.
FALLBACKS: tuple[str, ...] = ("readability", "trafilatura-recall")


def best_text(html: str, url: str | None, tree: HtmlElement | None = None) -> EngineText:
    """The main text of ``html`` from the engine the comparer trusts for this page.

    ``tree``, when given, is ``html`` already parsed: trafilatura reads (and prunes) it instead of
    parsing the page a second time.
    """
    runners: dict[str, Callable[[str], EngineText]] = {
        "readability": run_readability,
        "trafilatura-recall": run_trafilatura_recall,
    }
    primary = run_trafilatura(html if tree is None else tree, url)
    witness = run_resiliparse(html)
    return compare(primary, witness, (partial(runners[name], html) for name in FALLBACKS))


def compare(
    primary: EngineText,
    witness: EngineText,
    fallbacks: Iterable[Callable[[], EngineText]],
    ratio: float = SUSPECT_RECALL_RATIO,
    gain: float = RECOVERY_GAIN,
) -> EngineText:
    """The comparer's decision. ``fallbacks`` are run lazily, only while the choice is suspect."""
    best = primary
    for run_fallback in fallbacks:
        if best.words >= ratio * witness.words:
            break
        fallback = run_fallback()
        if fallback.words >= gain * max(1, best.words):
            best = fallback
    return best
