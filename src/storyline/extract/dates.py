"""Claimed publication dates: what the page says about when it was published.

The claimed date is kept apart from the event date and from the date a text was first seen: a
re-dated copy claims a date that is not when its story ran. Dates are returned as ISO 8601
(``2025-04-26T08:23:02`` when the page gives a time, ``2025-04-26`` otherwise), without a time
zone unless the page states one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

# Labels that introduce a publication date, in several languages, strongest first. A line that
# starts with one of these (after optional chrome glued before it, e.g. "ViewDate:") is preferred.
PUBLISHED_LABELS: tuple[str, ...] = (
    "date",
    "published",
    "posted",
    "publication date",
    "first published",
    "released",
    "publié",
    "publicado",
    "pubblicato",
    "veröffentlicht",
    "datum",
    "data",
    "fecha",
    "опубликовано",
)
UPDATED_LABELS: tuple[str, ...] = ("updated", "last updated", "modified", "mis à jour", "actualizado", "aktualisiert")

MONTHS: dict[str, int] = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}

ISO_DATETIME = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[T ]+(?P<H>\d{1,2}):(?P<M>\d\d)(?::(?P<S>\d\d))?)?(?!\d)"
)
MONTH_NAME_DATE = re.compile(
    r"(?<![\w])(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)"
    r"(?:,?\s+(?:at\s+)?(?P<H>\d{1,2}):(?P<M>\d\d)(?::(?P<S>\d\d))?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
)
DAY_MONTH_NAME_DATE = re.compile(r"(?<![\w])(?P<d>\d{1,2})\.?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>(?:19|20)\d\d)")
DATE_PATTERNS: tuple[re.Pattern[str], ...] = (ISO_DATETIME, MONTH_NAME_DATE, DAY_MONTH_NAME_DATE)

MAX_DATE_LINE_CHARS = 120
EARLIEST_YEAR = 1990


def parse_date(text: str) -> str | None:
    """The first well-formed date in ``text`` as ISO 8601, or ``None``."""
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text[: MAX_DATE_LINE_CHARS * 2]):
            value = _to_iso(match.groupdict())
            if value:
                return value
    return None


def _to_iso(groups: dict[str, str | None]) -> str | None:
    try:
        year = int(groups["y"] or "")
        month_text = groups.get("m") or MONTHS.get((groups.get("mon") or "").lower().rstrip("."))
        if month_text is None:
            return None
        day_value = date(year, int(month_text), int(groups["d"] or ""))
    except (ValueError, TypeError):
        return None
    if year < EARLIEST_YEAR:
        return None
    if groups.get("H") is None:
        return day_value.isoformat()
    hour = int(groups["H"] or 0)
    ampm = (groups.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        moment = datetime(year, day_value.month, day_value.day, hour, int(groups["M"] or 0), int(groups.get("S") or 0))
    except ValueError:
        return day_value.isoformat()
    return moment.isoformat()


# Where "ViewDate:" (two chrome items glued together) is split before labels are looked for.
_CASE_CHANGE = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Any published label followed by a colon: one search instead of one per label (an alternation
# matches somewhere exactly when one of its branches does).
_PUBLISHED_LABEL = re.compile("|".join(rf"(?<![a-z]){re.escape(label)}\s*:" for label in PUBLISHED_LABELS))
# Every pattern of parse_date needs a year of this form: lines without one are skipped unparsed.
_YEAR = re.compile(r"(?:19|20)\d\d")


def _label_rank(line: str) -> int:
    """0 for a published-date label near the start, 1 for none, 2 for an updated-date label."""
    lowered = _CASE_CHANGE.sub(" ", line[:40]).lower()
    if any(label in lowered for label in UPDATED_LABELS):
        return 2
    if _PUBLISHED_LABEL.search(lowered):
        return 0
    return 1


def claimed_date_from_lines(lines: Sequence[str], skip: frozenset[int] = frozenset()) -> str | None:
    """The claimed date from a text dump's chrome lines (short lines outside the body).

    A line labelled as a publication date wins over a bare date; a date labelled "updated" is
    used only when nothing else is found.
    """
    best: tuple[int, int, str] | None = None
    for index, line in enumerate(lines):
        if index in skip or len(line) > MAX_DATE_LINE_CHARS or not _YEAR.search(line):
            continue
        value = parse_date(line)
        if value is None:
            continue
        candidate = (_label_rank(line), index, value)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else None


# Month names as pages print them for readers, by month, in the languages of the pages we read
# (lower case; Russian in the genitive of "13 января 2020" and the nominative).
MONTH_NAMES_BY_MONTH: tuple[str, ...] = (
    "jan january januar jänner janvier enero gennaio janeiro januari января январь",
    "feb february februar février fevrier febrero febbraio fevereiro februari февраля февраль",
    "mar march märz maerz mars marzo março marco maart марта март",
    "apr april avril abril aprile апреля апрель",
    "may mai mayo maggio maio mei мая май",
    "jun june juni juin junio giugno junho июня июнь",
    "jul july juli juillet julio luglio julho июля июль",
    "aug august août aout agosto augustus августа август",
    "sep sept september septembre septiembre settembre setembro сентября сентябрь",
    "oct october oktober octobre octubre ottobre outubro октября октябрь",
    "nov november novembre noviembre novembro ноября ноябрь",
    "dec december dezember décembre decembre diciembre dicembre dezembro декабря декабрь",
)
MONTH_NAMES: dict[str, int] = {
    name: month for month, names in enumerate(MONTH_NAMES_BY_MONTH, start=1) for name in names.split()
}
_LETTERS = r"[^\W\d_]"
# A day as printed on a page, in any order a reader sees it. Day-first numbers only with dots
# (16.08.2019): "08/16/2019" and "16/08/2019" cannot be told apart.
VISIBLE_DAY_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d.])"),
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d\d)(?!\d)"),
    # 1. Februar 2022 / 06 Dicembre 2020 / 16 de marzo de 2020 / 13 января 2020 / 1er mai 2020
    re.compile(
        rf"(?<![\w.])(?P<d>\d{{1,2}})(?:\.|er|º)?\s+(?:de\s+)?(?P<mon>{_LETTERS}{{3,10}})\.?,?\s+(?:de\s+)?"
        r"(?P<y>(?:19|20)\d\d)(?!\d)"
    ),
    # July 9, 2020 / Sep 15 2020
    re.compile(
        rf"(?<!\w)(?P<mon>{_LETTERS}{{3,10}})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)(?!\d)"
    ),
)


def find_visible_day(text: str) -> tuple[int, str] | None:
    """Where the earliest day printed in ``text`` starts, and that day as ``YYYY-MM-DD``."""
    best: tuple[int, str] | None = None
    for pattern in VISIBLE_DAY_PATTERNS:
        for match in pattern.finditer(text):
            if best is not None and match.start() >= best[0]:
                break
            groups = match.groupdict()
            month = int(groups["m"]) if groups.get("m") else MONTH_NAMES.get((groups.get("mon") or "").lower())
            try:
                day = date(int(match["y"]), month or 0, int(match["d"]))
            except ValueError:
                continue
            if day.year < EARLIEST_YEAR:
                continue
            best = (match.start(), day.isoformat())
            break
    return best
