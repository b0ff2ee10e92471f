"""Text features for copy detection: normalised words, shingles, chrome lines, wire credit, lead weekday.

Republishers change punctuation, quote marks, case and whitespace, and add chrome ("Read more: ...",
"Advertisement"). Shingles are built from normalised words inside one paragraph at a time, and
paragraphs that look like chrome are left out, so none of that changes a text's signature.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

WORD = re.compile(r"[^\W_]+", re.UNICODE)
TOKEN = re.compile(r"[^\W_]+|\n", re.UNICODE)  # words, and the newline that ends a paragraph

# Lines that republishers insert around and inside a copied text. Ordered, named data: a line that
# matches any of them is chrome, never part of the text that is copied.
CHROME_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("read_more", re.compile(r"^\W*(read|see|click|watch) (more|also|next|here|this)\b", re.I)),
    ("related", re.compile(r"^\W*(related|recommended|ranking|trending|most read|you may also like)\b\W*", re.I)),
    ("advert", re.compile(r"^\W*(advertisement|sponsored|ad|promoted|story continues below)\W*$", re.I)),
    ("subscribe", re.compile(r"^\W*(subscribe|sign up|follow us|share this|download our app)\b", re.I)),
    ("vote_widget", re.compile(r"^\W*\w+!\s*\(\d+\)\s*$")),
)
ANY_CHROME = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in CHROME_PATTERNS), re.I)

# Wire agencies as they appear in datelines "(AP)" and credit lines; the key is the name we report.
CHROME_MAX_WORDS = 40  # longer paragraphs are text, whatever they start with

WIRE_AGENCIES: dict[str, tuple[str, ...]] = {
    "AP": ("AP", "Associated Press"),
    "Reuters": ("Reuters",),
    "AFP": ("AFP", "Agence France-Presse"),
    "UPI": ("UPI",),
    "dpa": ("dpa", "DPA"),
    "ANSA": ("ANSA",),
    "PA": ("PA Media", "Press Association"),
}
_AGENCY_ALTERNATION = "|".join(re.escape(name) for names in WIRE_AGENCIES.values() for name in names)
AGENCY_NAME = re.compile(_AGENCY_ALTERNATION)
WIRE_CREDIT_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"\((?P<agency>{_AGENCY_ALTERNATION})\)\s*[—–-]"),  # dateline: "BELGRADE, Serbia (AP) —"
    re.compile(rf"\b(?:The )?(?P<agency>{_AGENCY_ALTERNATION}) (?:contributed|reported)\b"),
    re.compile(rf"\b(?:writers?|reporters?|journalists?) (?:of|for|with) (?:the )?(?P<agency>{_AGENCY_ALTERNATION})\b"),
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_WORD = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
# A weekday after these words points forward ("will vote Thursday"), not at the day being reported.
FORWARD_CUES = re.compile(
    r"\b(will|next|until|by|scheduled|planned|plans|expected|due|from|this coming)\W+\w*\W*$", re.I
)
ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def normalise(text: str) -> str:
    """Case, accents, punctuation, quote marks and whitespace removed: only the words remain."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(WORD.findall(folded))


def normalise_for_tokens(text: str) -> str:
    """The text ``TOKEN`` splits: compatibility forms folded, case folded (accents are kept as letters)."""
    return unicodedata.normalize("NFKC", text).casefold()


# Non-word characters common in news text; replacing them by spaces changes no token, and often
# leaves plain ASCII, which ``paragraph_tokens`` splits without a regex.
COMMON_PUNCTUATION = "\u2019\u2018\u201c\u201d\u2014\u2013\u2026\u00ab\u00bb\u2022\u00a0"
ASCII_WORD_BYTES = bytes(c if chr(c).isalnum() or c == 10 else 32 for c in range(128)) + bytes(128)


def paragraph_tokens(paragraphs: tuple[str, ...]) -> list[str] | list[bytes]:
    """The normalised words of each paragraph, each paragraph closed by a newline token.

    Plain ASCII text (the usual case once curly quotes and dashes are spaces) is split by
    ``bytes.translate``, three times faster than the regex; the tokens are the same.
    """
    if not paragraphs:
        return []
    text = "\n".join(p.replace("\n", " ") for p in paragraphs) + "\n"
    for character in COMMON_PUNCTUATION:
        if character in text:
            text = text.replace(character, " ")
    if not text.isascii():
        found: list[str] = TOKEN.findall(normalise_for_tokens(text))
        return found
    tokens: list[bytes] = []
    for paragraph in text.lower().encode("ascii").translate(ASCII_WORD_BYTES).split(b"\n")[:-1]:
        tokens.extend(paragraph.split())
        tokens.append(b"\n")
    return tokens


def words(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def chrome_kind(paragraph: str) -> str | None:
    """The name of the chrome pattern this paragraph matches, if any."""
    stripped = paragraph.strip()
    if not ANY_CHROME.search(stripped):  # one search, not one a pattern, for the common case
        return None
    for name, pattern in CHROME_PATTERNS:
        if pattern.search(stripped):
            return name
    return None


def shingles(paragraph_words: list[str], size: int) -> list[str]:
    """Word ``size``-grams of one paragraph; a shorter paragraph is one shingle of all its words."""
    if len(paragraph_words) <= size:
        return [" ".join(paragraph_words)] if paragraph_words else []
    columns = [paragraph_words[offset:] for offset in range(size)]
    return [" ".join(gram) for gram in zip(*columns, strict=False)]


def wire_credit(paragraphs: tuple[str, ...], dateline_agency: str | None) -> str | None:
    """The wire agency credited by the dateline or a credit line, as a name from ``WIRE_AGENCIES``."""
    candidates = [dateline_agency] if dateline_agency else []
    texts = paragraphs[:2] + paragraphs[-3:]
    for text in texts:
        if not AGENCY_NAME.search(text):  # every credit pattern names an agency: one search rules all out
            continue
        for pattern in WIRE_CREDIT_PATTERNS:
            found = pattern.search(text)
            if found:
                candidates.append(found.group("agency"))
    for candidate in candidates:
        for name, spellings in WIRE_AGENCIES.items():
            if candidate.casefold() in (s.casefold() for s in spellings):
                return name
    return None


def lead_weekday(paragraphs: tuple[str, ...]) -> tuple[int, str] | None:
    """The weekday the lead reports ("said Tuesday"), as (0 = Monday, the lead sentence).

    Wire leads name the day of the news, which is the publication day or the day before; a weekday
    announced for the future ("will meet Thursday") says nothing about the publication day.
    """
    for paragraph in paragraphs[:2]:
        sentence = paragraph.split(". ")[0]
        for found in WEEKDAY_WORD.finditer(sentence):
            if FORWARD_CUES.search(sentence[: found.start()]):
                continue
            return WEEKDAYS.index(found.group(1).lower()), sentence[:300]
        if sentence:
            return None
    return None


def claimed_day(claimed_date: str | None) -> date | None:
    """The calendar day of an ISO 8601 claimed date; ``None`` when absent or not a date."""
    if not claimed_date:
        return None
    found = ISO_DAY.match(claimed_date.strip())
    if not found:
        return None
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


def weekday_consistent(day: date, weekday: int) -> bool:
    """A lead weekday fits a publication day if it is that day or the day before (time zones)."""
    return weekday in (day.weekday(), (day - timedelta(days=1)).weekday())
