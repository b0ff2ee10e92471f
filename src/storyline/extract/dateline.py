"""Datelines: the ``BELGRADE, Serbia (AP) —`` that opens a wire story.

The dateline says where a story was filed and, in parentheses, which wire agency filed it. The
agency is a credit, never a person or a place of the story. Known agencies are kept as data below.
"""

from __future__ import annotations

import re

from storyline.records import Dateline

# Spelling in the text -> canonical short name. Matched case-sensitively inside the parentheses.
WIRE_AGENCIES: dict[str, str] = {
    "AP": "AP",
    "Associated Press": "AP",
    "The Associated Press": "AP",
    "Reuters": "Reuters",
    "REUTERS": "Reuters",
    "AFP": "AFP",
    "Agence France-Presse": "AFP",
    "dpa": "dpa",
    "DPA": "dpa",
    "UPI": "UPI",
    "Xinhua": "Xinhua",
    "XINHUA": "Xinhua",
    "Bloomberg": "Bloomberg",
    "ANSA": "ANSA",
    "EFE": "EFE",
    "Kyodo": "Kyodo",
    "Yonhap": "Yonhap",
    "TASS": "TASS",
    "Interfax": "Interfax",
    "RIA Novosti": "RIA Novosti",
    "Anadolu": "Anadolu",
    "AA": "Anadolu",
    "PTI": "PTI",
    "IANS": "IANS",
    "ANI": "ANI",
    "CP": "Canadian Press",
    "The Canadian Press": "Canadian Press",
    "AAP": "AAP",
    "Bernama": "Bernama",
    "CNN": "CNN",
    "BNS": "BNS",
    "Europa Press": "Europa Press",
    "KUNA": "KUNA",
    "WAFA": "WAFA",
    "SPA": "SPA",
    "IRNA": "IRNA",
    "Tanjug": "Tanjug",
    "HINA": "HINA",
    "BTA": "BTA",
    "MTI": "MTI",
    "PAP": "PAP",
    "CTK": "CTK",
    "APA": "APA",
    "Belga": "Belga",
    "ANP": "ANP",
    "Lusa": "Lusa",
    "NTB": "NTB",
    "TT": "TT",
    "STT": "STT",
    "Ritzau": "Ritzau",
    "Ukrinform": "Ukrinform",
    "UNIAN": "UNIAN",
}

_PLACE_WORD = r"[A-Z][A-Z.'’\-]*"
_PLACE = rf"{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,4}}"
_REGION = r"[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3}"
_DATE = r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)"
_AGENCY = "|".join(sorted((re.escape(name) for name in WIRE_AGENCIES), key=len, reverse=True))
_DASH = r"(?:—|–|-{1,2}|:)"

# Ordered: the first pattern that matches the opening of the first paragraph wins.
DATELINE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # BELGRADE, Serbia (AP) —   /   LONDON, Nov 21 (Reuters) -   /   KYIV (AFP) -
    re.compile(
        rf"^(?P<place>{_PLACE})(?:,\s*(?P<region>{_REGION}?))?(?:,\s*{_DATE})?\s*"
        rf"\((?P<agency>{_AGENCY})\)\s*{_DASH}\s*"
    ),
    # Paris (AFP) -   (agencies that write the place in title case)
    re.compile(rf"^(?P<place>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){{0,2}})\s*\((?P<agency>{_AGENCY})\)\s*{_DASH}\s*"),
    # WASHINGTON —   /   NEW YORK, N.Y. —   (staff stories: place, no agency)
    re.compile(rf"^(?P<place>{_PLACE})(?:,\s*(?P<region>{_REGION}?))?\s*(?:—|–|--)\s+"),
)

MAX_DATELINE_CHARS = 90
_SMALL_WORDS = {"of", "de", "la", "le", "al", "el", "and"}


def find_dateline(first_paragraph: str) -> Dateline | None:
    """The dateline at the very start of ``first_paragraph``, or ``None``."""
    opening = first_paragraph[: MAX_DATELINE_CHARS + 40]
    for pattern in DATELINE_PATTERNS:
        match = pattern.match(opening)
        if match is None or match.end() > MAX_DATELINE_CHARS:
            continue
        place = match.group("place").strip()
        if len(place) < 2:
            continue
        groups = match.groupdict()
        region = (groups.get("region") or "").strip() or None
        agency_text = groups.get("agency")
        return Dateline(
            place=_place_name(place),
            region=region,
            agency=WIRE_AGENCIES.get(agency_text) if agency_text else None,
            text=match.group(0).strip(),
        )
    return None


def _place_name(place: str) -> str:
    """``NEW YORK`` -> ``New York``; places already in mixed case are kept as written."""
    if not place.isupper():
        return place
    words = []
    for index, word in enumerate(place.split()):
        lowered = word.lower()
        if index and lowered in _SMALL_WORDS:
            words.append(lowered)
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in lowered.split("-")))
    return " ".join(words)
