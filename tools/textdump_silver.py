"""Silver training pages for the text-dump line model, made at training time from other sites.

Why: the 181 AEB dumps come from only 126 sites, and many of the line model's errors are chrome
kinds seen on one or two training pages. More sites help even with imperfect labels, so this
module turns pages we have HTML for but no gold body (``../shared/data/dates/htmldate``, 300
pages of other, often German, sites) into labelled dumps:

1. render the whole page exactly as the AEB dumps were made (``render_page`` of
   ``../shared/tools/flatten_pages.py``);
2. let an HTML extractor be the teacher: its article body is the page's silver body; pages it
   rejects are dropped, and so are the date lines and copyright notices it kept (AEB's gold has
   none; see ``without_metadata``). Either storyline's own (token F1 0.97 on AEB HTML) or trafilatura's,
   see ``SilverOptions.teacher``;
3. label each dump line ``body``/``other`` by aligning it to that body with the same
   ``align_lines`` the AEB labels came from, and drop pages whose alignment is poor (the teacher's
   text is not in the dump, or the body lines hold much text the teacher left out).

Nothing is cached or copied into the repository: the data under ``../shared`` is development data,
and the result is deterministic for given Resiliparse and storyline versions. Expected drops are
counted by reason (``no_article``, ``low_coverage``, ...), so a run says what it left out.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np

from storyline.extract.textdump.layout import clean_lines

SILVER_SUBDIR = "dates/htmldate"
# The AEB gold body holds no headline, byline or date, but HTML extractors often keep a date line
# or a copyright notice at the edge of the body. Taught as body, they made the model keep
# "Date: 2024-05-02 09:15" and a lone "(c) 2024 Example Media" line. A teacher paragraph is
# dropped when it is a short line holding a date, or a notice with a copyright mark.
METADATA_MAX_WORDS = 10
NOTICE_MAX_WORDS = 25
COPYRIGHT_MARKS = ("©", "copyright", "(c) ", "all rights reserved")
FLATTENER = "tools/flatten_pages.py"  # relative to the shared folder, i.e. data/..


@dataclass(frozen=True)
class SilverOptions:
    """Which silver pages are good enough to learn from."""

    min_coverage: float = 0.9  # share of the teacher's tokens found on body lines
    min_body_precision: float = 0.8  # share of body-line tokens that are the teacher's
    min_body_lines: int = 3
    render: str = "bullets"  # one of RENDER_STYLES (see ``renderer``); "bullets" is the AEB dumps' own
    # Whose body is the silver label: "storyline" (its HTML extractor; a few of its thresholds were
    # chosen on AEB HTML) or "trafilatura" (plain trafilatura.extract, nothing tuned on AEB).
    teacher: str = "storyline"


@dataclass(frozen=True)
class SilverPage:
    """One labelled silver dump; ``html`` is kept for the headline (see ``derive_title``)."""

    url: str
    lines: list[str]
    body: np.ndarray
    teacher_body: str
    html: str


def load_flattener(data: Path) -> ModuleType | None:
    """``flatten_pages.py`` from the shared tools folder (it is not a package), or None."""
    path = data.parent / FLATTENER
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("flatten_pages", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def teacher_body(raw: bytes, url: str, teacher: str = "storyline") -> str | None:
    """The teacher's article body, or None if it finds no article."""
    if teacher == "trafilatura":
        import trafilatura

        text = trafilatura.extract(decode_html(raw), url=url, include_comments=False, include_tables=True)
        return text if text and text.strip() else None
    if teacher != "storyline":
        raise ValueError(f"unknown silver teacher {teacher!r}: use 'storyline' or 'trafilatura'")
    from storyline.config import ExtractOptions
    from storyline.extract import extract_article
    from storyline.records import Article, Page, PageFormat

    found = extract_article(Page(raw=raw, source=url, format=PageFormat.HTML, url=url), ExtractOptions())
    return found.body if isinstance(found, Article) and found.body.strip() else None


def without_metadata(body: str) -> str:
    """The teacher's body without the date lines and copyright notices AEB's gold leaves out."""
    from storyline.extract.dates import parse_date

    def is_metadata(paragraph: str) -> bool:
        words = len(paragraph.split())
        if words <= METADATA_MAX_WORDS and parse_date(paragraph) is not None:
            return True
        lowered = paragraph.lower()
        return words <= NOTICE_MAX_WORDS and any(mark in lowered for mark in COPYRIGHT_MARKS)

    return "\n".join(p for p in body.split("\n") if not is_metadata(p.strip()))


def decode_html(raw: bytes) -> str:
    """The page as text, with the charset the page declares (not every page is UTF-8)."""
    from storyline.sniff import DecodeFailure, declared_charset, decode_text

    try:
        return decode_text(raw, declared_charset(raw[:4096]))[0]
    except DecodeFailure:  # no charset reads it cleanly: read it as UTF-8, with replacements
        return raw.decode("utf-8", errors="replace")


RENDER_STYLES = ("bullets", "plain", "inscriptis")


def renderer(flatten: ModuleType, style: str) -> Callable[[str], list[str]]:
    """A whole-page text renderer, as users' scrapers make dumps:

    - ``bullets``: the AEB dumps' own (Resiliparse, list items as "- " lines);
    - ``plain``: the same without list bullets;
    - ``inscriptis``: another tool altogether (Inscriptis' layout-aware text: tables laid out in
      columns, list items as "* ", no CSS, so hidden elements are kept).

    Every style gives white-space-normalised, non-empty lines, as ``render_page`` does.
    """
    if style == "bullets":
        return flatten.render_page  # type: ignore[no-any-return]
    if style == "plain":

        def render_plain(html: str) -> list[str]:
            text = flatten.extract_plain_text(
                html,
                preserve_formatting=True,
                main_content=False,
                list_bullets=False,
                alt_texts=False,
                links=False,
                form_fields=False,
                noscript=False,
                skip_elements=flatten.HIDDEN_SELECTORS,
            )
            return _normalised_lines(flatten, text)

        return render_plain
    if style == "inscriptis":
        from inscriptis import get_text

        return lambda html: _normalised_lines(flatten, get_text(html))
    raise ValueError(f"unknown render style {style!r}: use one of {', '.join(RENDER_STYLES)}")


def _normalised_lines(flatten: ModuleType, text: str) -> list[str]:
    return [line for line in (flatten.SPACE_RE.sub(" ", raw).strip() for raw in text.splitlines()) if line]


def label_page(
    url: str, raw: bytes, flatten: ModuleType, options: SilverOptions, drops: Counter[str]
) -> SilverPage | None:
    """One silver page, or None with the reason counted in ``drops``."""
    body = teacher_body(raw, url, options.teacher)
    body = without_metadata(body) if body is not None else None
    if not body:
        drops["no_article"] += 1
        return None
    html = decode_html(raw)
    lines = clean_lines(renderer(flatten, options.render)(html))
    if not lines:
        drops["empty_dump"] += 1
        return None
    labels, stats = flatten.align_lines(lines, body, flatten.AlignOptions())
    if stats["coverage"] < options.min_coverage:
        drops["low_coverage"] += 1
        return None
    if stats["body_precision"] < options.min_body_precision:
        drops["low_body_precision"] += 1
        return None
    is_body = np.array([lab == "body" for lab in labels])
    if int(is_body.sum()) < options.min_body_lines:
        drops["few_body_lines"] += 1
        return None
    return SilverPage(url, lines, is_body, body, html)


def load_silver_pages(data: Path, options: SilverOptions) -> tuple[list[SilverPage], Counter[str]]:
    """All usable silver pages (sorted by URL, so runs are deterministic) and the drop counts."""
    drops: Counter[str] = Counter()
    folder = data / SILVER_SUBDIR
    flatten = load_flattener(data)
    if flatten is None or not (folder / "gold.json").exists():
        print(f"no silver data: need {folder}/gold.json and {data.parent / FLATTENER}; skipping", file=sys.stderr)
        return [], drops
    index = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    pages = []
    for url in sorted(index):
        raw = gzip.decompress((folder / index[url]["file"]).read_bytes())
        page = label_page(url, raw, flatten, options, drops)
        if page is not None:
            pages.append(page)
    drops["kept"] = len(pages)
    return pages, drops
