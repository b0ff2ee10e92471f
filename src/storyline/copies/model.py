"""The typed values of the copies stage: what goes in, what is kept, what comes out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from rensa import RMinHash


@dataclass(frozen=True, slots=True)
class CopyOptions:
    """Settings of copy detection. Changing a ``signature`` field changes ``algorithm``: stored
    signatures made with other settings are recomputed, never compared with new ones."""

    shingle_size: int = 5  # words; shingles never cross a paragraph boundary
    num_perm: int = 128
    num_bands: int = 64  # 2 rows a band: pairs with Jaccard >= ~0.2 become candidates
    seed: int = 1337
    paragraph_num_perm: int = 16  # 8 bands of 2 rows: near-identical paragraphs (Jaccard >= 0.6) meet
    paragraph_num_bands: int = 8
    # A candidate pair is a copy when its estimated Jaccard reaches this ...
    copy_jaccard: float = 0.5
    # ... or when the smaller text is this much contained in the larger (truncations, excerpts) ...
    copy_containment: float = 0.8
    # ... and the smaller text has at least this many shingles (a headline is no evidence of copying).
    min_containment_shingles: int = 25
    shared_paragraph_jaccard: float = 0.5  # near-identical paragraphs tolerate a few edited words
    shared_paragraph_min_words: int = 12
    # A claimed date more than this many days after the group's credible date is a re-dating.
    redated_after_days: int = 3
    max_group_analysis: int = 64  # members compared paragraph by paragraph when naming the origin

    @property
    def algorithm(self) -> str:
        return (
            f"rensa-rminhash-{RMinHash.ALGORITHM_VERSION}/h2/w{self.shingle_size}/p{self.num_perm}/s{self.seed}"
            f"/pp{self.paragraph_num_perm}"
        )


@dataclass(frozen=True, slots=True)
class ArticleText:
    """What copy detection reads from an article (built from ``storyline.records.Article`` or a row)."""

    article_id: int
    paragraphs: tuple[str, ...]
    claimed_date: str | None = None
    dateline_agency: str | None = None
    first_seen: str | None = None  # when storyline first saw the page: fetched_at, else ingested_at


@dataclass(frozen=True, slots=True)
class Signature:
    """Everything copy detection keeps about one article; stored so reruns never recompute it."""

    article_id: int
    algorithm: str
    digest: bytes  # the article MinHash: ``num_perm`` uint32 values, little-endian
    n_shingles: int
    # One row of ``paragraph_num_perm`` uint32 values per fingerprinted paragraph, row-major bytes.
    paragraph_digests: bytes
    paragraph_positions: tuple[int, ...]
    paragraph_words: tuple[int, ...]
    chrome_positions: tuple[int, ...]
    claimed_day: date | None
    claimed_date: str | None
    wire_credit: str | None
    lead_weekday: int | None
    lead_sentence: str | None
    first_seen: str | None = None


@dataclass(frozen=True, slots=True)
class CopyLink:
    """A verified copy relation between a new article and an indexed one."""

    article_id: int
    other_id: int
    jaccard: float
    containment: float  # of the smaller text in the larger, estimated from the signatures


@dataclass(frozen=True, slots=True)
class SharedParagraph:
    """A (near-)identical paragraph in two articles of different copy groups: shared text, not a copy."""

    article_id: int
    position: int
    other_id: int
    other_position: int
    similarity: float


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one added article landed: its group, the links that put it there, groups merged into it."""

    article_id: int
    group_id: int
    links: tuple[CopyLink, ...]
    merged: tuple[int, ...]  # group ids that became aliases of ``group_id``
    shared: tuple[SharedParagraph, ...]


class OriginReason(StrEnum):
    """Why a member was named the origin of its copy group. Values are stored: keep them stable."""

    ONLY_MEMBER = "only_member"
    EARLIEST_DATE = "earliest_date"
    WIRE_CREDIT = "wire_credit"
    CONTAINMENT = "containment"
    FEWEST_EDITS = "fewest_edits"  # the text the other members agree with, paragraph by paragraph
    FIRST_SEEN = "first_seen"


@dataclass(frozen=True, slots=True)
class MemberVerdict:
    article_id: int
    similarity: float  # estimated Jaccard with the origin (1.0 for the origin)
    redated: bool
    evidence: dict[str, object] | None = None  # why the claimed date is not credible


@dataclass(frozen=True, slots=True)
class OriginVerdict:
    """The origin of a copy group and the verdict on every member's claimed date."""

    group_id: int
    origin: int
    reason: OriginReason
    credible_day: date | None
    members: tuple[MemberVerdict, ...] = field(default=())
