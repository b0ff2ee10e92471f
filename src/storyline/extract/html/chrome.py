"""Site chrome that main-text engines leave in the body: labels, teasers, promotions, contact lines.

Every rule is data: a named pattern matched against one whole paragraph, applied in order. A rule
names a kind of chrome found on many sites, never a site. Patterns match the whole line (``fullmatch``)
so that a body sentence which merely starts like a promotion is kept unless it is short.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChromeRule:
    name: str
    pattern: re.Pattern[str]
    max_words: int  # longer paragraphs are body text that happens to match


def _rule(name: str, pattern: str, max_words: int) -> ChromeRule:
    return ChromeRule(name, re.compile(pattern, re.IGNORECASE), max_words)


# Applied in this order; the first rule that matches drops the paragraph.
CHROME_RULES: tuple[ChromeRule, ...] = (
    # A section label left alone on its line: "Comments", "Tags", "You may also like...".
    _rule(
        "section_label",
        r"(?:\d+\s+)?(?:comments?|tags?|related(?: (?:posts?|articles?|stories|content))?|more|also|share"
        r"|share this(?: article| story)?|don'?t miss|you may also like|recommended(?: for you)?|read more"
        r"|most (?:read|popular)(?: in [\w ]+)?|trending(?: now)?|advertisement|sponsored(?: content)?"
        r"|leia (?:também|mais)|lesen sie auch|mehr zum thema|à lire aussi|lee también|leggi anche)"
        r"\s*[:.…|]*\s*",
        6,
    ),
    # A teaser link to another story: "Related: ...", "Read more: ...", "Also on site.com ...".
    _rule(
        "teaser_link",
        r"(?:related(?: post| article| story)?|read more|read also|see also|more|also on \S+|also read"
        r"|leia (?:também|mais)|lesen sie auch|à lire aussi|lee también|leggi anche)\s*[:|»>-]\s*.+",
        25,
    ),
    # A teaser headline tagged with its kind, as listed under "Don't miss" boxes: "... [VIDEO]".
    _rule("tagged_teaser", r".+\[(?:insight|video|pics?|photos?|news|warning|poll|analysis|live)\]\s*\|?", 25),
    # Calls to follow, share, subscribe or sign up.
    _rule(
        "promotion",
        r"(?:like this (?:story|article)\?.*|share (?:this|it) with .*|(?:subscribe|sign up) (?:to|for|now|today)\b.*"
        r"|get the latest .*(?:inbox|newsletter).*|follow (?:us|\w+(?: \w+){0,4}) on (?:twitter|facebook|instagram)\b.*"
        r"|click here (?:to|for) .*|listen (?:to|live|back)\b.*(?:here|podcast|weekdays).*)",
        40,
    ),
    # A paragraph that is only an address: an email, a URL or a social handle.
    _rule("contact_only", r"(?:[\w.+-]+@[\w-]+\.[\w.]+|(?:https?://|www\.|twitter\.com/)\S+|@\w{2,30})\s*", 6),
    # A shortcode that a CMS failed to render: "[button link=...] ...".
    _rule("shortcode", r"\[[a-z_]+ [a-z_]+=.*", 60),
    # A reading-time or copyright notice.
    _rule(
        "notice",
        r"(?:(?:reading time|tempo de leitura|lesezeit|temps de lecture|tiempo de lectura)\s*:?.*"
        r"|(?:copyright|©)\s.*|this copy is for your personal, non-commercial use only\..*)",
        40,
    ),
)

WORD = re.compile(r"\w+")


def chrome_rule_for(paragraph: str, rules: Sequence[ChromeRule] = CHROME_RULES) -> str | None:
    """The name of the first rule that says ``paragraph`` is chrome, or ``None`` for body text."""
    words = len(WORD.findall(paragraph))
    for rule in rules:
        if words <= rule.max_words and rule.pattern.fullmatch(paragraph.strip()):
            return rule.name
    return None


def drop_chrome(paragraphs: Sequence[str], rules: Sequence[ChromeRule] = CHROME_RULES) -> tuple[str, ...]:
    """``paragraphs`` without the chrome ones; all of them if every one looks like chrome."""
    kept = tuple(p for p in paragraphs if chrome_rule_for(p, rules) is None)
    return kept or tuple(paragraphs)
