"""Stage: copies and origins.

Phased, with explicit state so it can be sharded: ``sign_many`` (pure, per article) ->
``CopyIndex.add`` (lookup, verify, place; the index is the state, persisted as signatures and
memberships) -> ``decide_origin`` (per copy group: origin, reason, re-dated members).
"""

from storyline.copies.index import CopyIndex
from storyline.copies.model import (
    ArticleText,
    CopyLink,
    CopyOptions,
    MemberVerdict,
    OriginReason,
    OriginVerdict,
    Placement,
    SharedParagraph,
    Signature,
)
from storyline.copies.origin import decide_origin
from storyline.copies.sign import sign_many

__all__ = [
    "ArticleText",
    "CopyIndex",
    "CopyLink",
    "CopyOptions",
    "MemberVerdict",
    "OriginReason",
    "OriginVerdict",
    "Placement",
    "SharedParagraph",
    "Signature",
    "decide_origin",
    "sign_many",
]
