"""Phase 3 of copy detection: name each copy group's origin and flag re-dated members.

The claimed date is what a page says; it is credible only when the text and the other members
agree. A member is re-dated when its claimed date is more than ``redated_after_days`` after the
group's credible date (the earliest claimed date whose weekday fits the text's lead), or after the
day storyline first saw the text; with no credible date in the group, when the weekday its lead
reports cannot fall on that date.

The origin is chosen by ordered rules, the first that singles out one member giving the reason:
earliest credible date, wire credit, containment (no insertions, nothing missing), fewest edits
(the text the other members repeat exactly), first seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from storyline.copies.model import CopyOptions, MemberVerdict, OriginReason, OriginVerdict, Signature
from storyline.copies.sign import paragraph_matrix, similarity
from storyline.copies.text import WEEKDAYS, claimed_day, weekday_consistent


def decide_origin(group_id: int, members: Sequence[Signature], options: CopyOptions) -> OriginVerdict:
    members = sorted(members, key=lambda m: m.article_id)
    credible = _credible_day(members)
    first_seen = min((d for m in members if (d := claimed_day(m.first_seen))), default=None)
    evidence = {m.article_id: _redating_evidence(m, credible, first_seen, members, options) for m in members}
    pool = [m for m in members if not evidence[m.article_id]] or list(members)
    origin, reason = _choose(pool, members, options)
    verdicts = tuple(
        MemberVerdict(
            article_id=m.article_id,
            similarity=1.0 if m is origin else round(similarity(origin, m), 4),
            redated=bool(evidence[m.article_id]),
            evidence=evidence[m.article_id] or None,
        )
        for m in members
    )
    if len(members) == 1:
        reason = OriginReason.ONLY_MEMBER
    return OriginVerdict(group_id, origin.article_id, reason, credible, verdicts)


def _weekday_fits(member: Signature) -> bool | None:
    if member.claimed_day is None or member.lead_weekday is None:
        return None
    return weekday_consistent(member.claimed_day, member.lead_weekday)


def _credible_day(members: Sequence[Signature]) -> date | None:
    """The earliest claimed day that the member's own text does not contradict."""
    days = [m.claimed_day for m in members if m.claimed_day is not None and _weekday_fits(m) is not False]
    return min(days, default=None)


def _redating_evidence(
    member: Signature,
    credible: date | None,
    first_seen: date | None,
    members: Sequence[Signature],
    options: CopyOptions,
) -> dict[str, object]:
    day = member.claimed_day
    if day is None:
        return {}
    evidence: dict[str, object] = {}
    tolerance = options.redated_after_days
    if credible is not None and (day - credible).days > tolerance:
        supporting = [
            m.article_id for m in members if m.claimed_day and abs((m.claimed_day - credible).days) <= tolerance
        ]
        evidence.update(
            claimed=day.isoformat(),
            group_credible_date=credible.isoformat(),
            days_after=(day - credible).days,
            supported_by=supporting[:10],
        )
    if first_seen is not None and (day - first_seen).days > tolerance:
        evidence.update(claimed=day.isoformat(), first_seen=first_seen.isoformat())
    # The lead's weekday is weak evidence: it decides only when the group has no credible date to
    # compare with, or adds to a re-dating the group already shows.
    if _weekday_fits(member) is False and member.lead_weekday is not None and (credible is None or evidence):
        evidence.update(
            claimed=day.isoformat(),
            claimed_weekday=WEEKDAYS[day.weekday()].title(),
            text_weekday=WEEKDAYS[member.lead_weekday].title(),
            lead=member.lead_sentence,
        )
    return evidence


def _choose(
    pool: list[Signature], members: Sequence[Signature], options: CopyOptions
) -> tuple[Signature, OriginReason]:
    """The origin among ``pool`` (members whose dates are credible), and the rule that decided.

    The earliest date decides when that member's text is as clean as any (no insertions, nothing
    missing) and no equally clean member is undated: an undated text may be the wire original
    that the dated ones copied. An earliest-dated member that carries insertions another member
    lacks is a copy of an undated original, and the text evidence decides instead.
    """
    evidence = _text_evidence(pool, members, options)
    cleanest = min(score for score, _ in evidence.values())
    clean = [m for m in pool if evidence[m.article_id][0] == cleanest]
    earliest = _earliest_dated(pool)
    if earliest is not None and earliest in clean:
        rivals = [m for m in clean if m.claimed_day is None]
        if not rivals:
            return earliest, OriginReason.EARLIEST_DATE
        return _by_text([earliest, *rivals], evidence, preferred=earliest)
    credited = _credited_if_some(pool)
    if credited is not pool and len(credited) == 1:
        return credited[0], OriginReason.WIRE_CREDIT
    pool = credited
    best = min(evidence[m.article_id][0] for m in pool)
    pool = [m for m in pool if evidence[m.article_id][0] == best]
    if len(pool) == 1:
        return pool[0], OriginReason.CONTAINMENT
    return _by_text(pool, evidence, preferred=None)


def _credited_if_some(members: list[Signature]) -> list[Signature]:
    """The members crediting a wire when some but not all do, else ``members`` itself (the same list,
    so callers can tell whether the credit narrowed anything)."""
    credited = [m for m in members if m.wire_credit]
    return credited if 0 < len(credited) < len(members) else members


def _by_text(
    candidates: list[Signature], evidence: dict[int, tuple[int, int]], preferred: Signature | None
) -> tuple[Signature, OriginReason]:
    """Among equally clean candidates: the one crediting a wire, then the one with the fewest edits.

    Republishers edit independently (typos, rewording), so the original is the text whose paragraphs
    the other members repeat exactly; when that still ties, the earliest date, else the first seen.
    """
    credited = _credited_if_some(candidates)
    if credited is not candidates and len(credited) == 1:
        return credited[0], OriginReason.WIRE_CREDIT
    candidates = credited
    fewest = min(evidence[m.article_id][1] for m in candidates)
    candidates = [m for m in candidates if evidence[m.article_id][1] == fewest]
    if len(candidates) == 1:
        return candidates[0], OriginReason.FEWEST_EDITS
    if preferred is not None and preferred in candidates:
        return preferred, OriginReason.EARLIEST_DATE
    return min(candidates, key=lambda m: m.article_id), OriginReason.FIRST_SEEN


def _earliest_dated(pool: Sequence[Signature]) -> Signature | None:
    """The one member with the earliest claimed day (and, on the same day, the earliest stated time)."""
    dated = [m for m in pool if m.claimed_day is not None]
    if not dated:
        return None
    first_day = min(m.claimed_day for m in dated if m.claimed_day is not None)
    candidates = [m for m in dated if m.claimed_day == first_day]
    if len(candidates) > 1 and all(_claimed_time(m) is not None for m in candidates):
        # Same day: a republication cannot precede its original, so an earlier stated time decides.
        first_time = min(_claimed_time(m) or "" for m in candidates)
        candidates = [m for m in candidates if _claimed_time(m) == first_time]
    return candidates[0] if len(candidates) == 1 else None


def _claimed_time(member: Signature) -> str | None:
    """The time of day of the claimed date (``HH:MM[:SS]``), when the page states one."""
    claimed = member.claimed_date or ""
    return claimed[11:19] if len(claimed) >= 16 and claimed[10] in "T " else None


def _text_evidence(
    pool: Sequence[Signature], members: Sequence[Signature], options: CopyOptions
) -> dict[int, tuple[int, int]]:
    """Per pool member: (insertions plus missing paragraphs, edited paragraphs), against the others.

    The copy that holds another plus inserted lines (chrome, or short unmatched lines between matched
    paragraphs) is the later one; a copy that lacks paragraphs the others have is a truncation. The
    original has neither. A paragraph is edited against another
    member when it nearly matches one of theirs but matches none exactly.
    """
    sample = list(members)[: options.max_group_analysis]
    matrices = {m.article_id: paragraph_matrix(m, options) for m in [*sample, *pool]}
    evidence: dict[int, tuple[int, int]] = {}
    for member in pool:
        mine = matrices[member.article_id]
        matched = np.zeros(len(mine), dtype=bool)
        missing = edited = 0
        for other in sample:
            if other.article_id == member.article_id or len(mine) == 0:
                continue
            theirs = matrices[other.article_id]
            if len(theirs) == 0:
                continue
            agreement = (mine[:, None, :] == theirs[None, :, :]).mean(axis=2)
            similar = agreement >= options.shared_paragraph_jaccard
            matched |= similar.any(axis=1)
            edited += int((similar.any(axis=1) & ~(agreement == 1.0).any(axis=1)).sum())
            substantive = _substantive(other, options)
            missing = max(missing, int((substantive & ~similar.any(axis=0)).sum()))
        chrome = set(member.chrome_positions)
        short = np.asarray(member.paragraph_words) < options.shared_paragraph_min_words
        is_chrome = np.asarray([position in chrome for position in member.paragraph_positions], dtype=bool)
        # Unmatched short lines count as insertions only between matched paragraphs: past the last
        # one they are the tail a truncated copy cut off, not something this member added.
        inside = np.zeros(len(mine), dtype=bool)
        if matched.any():
            found = np.flatnonzero(matched)
            inside[found[0] : found[-1] + 1] = True
        inserted = int((is_chrome | (short & ~matched & inside)).sum())
        evidence[member.article_id] = (inserted + missing, edited)
    return evidence


def _substantive(member: Signature, options: CopyOptions) -> np.ndarray[tuple[int], np.dtype[np.bool_]]:
    """Which fingerprinted paragraphs are long enough to be text rather than chrome or a label."""
    chrome = set(member.chrome_positions)
    long_enough = np.asarray(member.paragraph_words) >= options.shared_paragraph_min_words
    not_chrome = np.asarray([position not in chrome for position in member.paragraph_positions], dtype=bool)
    substantive: np.ndarray[tuple[int], np.dtype[np.bool_]] = long_enough & not_chrome
    return substantive
