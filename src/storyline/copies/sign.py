"""Phase 1 of copy detection: sign articles (pure, per article, batched for speed).

An article's signature is a MinHash of its word shingles plus a small MinHash per paragraph;
both are computed by rensa in one call per batch, so Python only builds the shingles.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rensa import RMinHash

from storyline.copies.model import ArticleText, CopyOptions, Signature
from storyline.copies.text import CHROME_MAX_WORDS, chrome_kind, claimed_day, lead_weekday, shingles, wire_credit, words


def _article_shingles(
    article: ArticleText, options: CopyOptions
) -> tuple[list[str], list[list[str]], list[int], list[int], list[int]]:
    """Article shingles, per-paragraph shingles, their positions and word counts, chrome positions.

    A paragraph's shingles are the same word n-grams as the article's: one shingling pass.
    """
    text_shingles: list[str] = []
    paragraph_shingles: list[list[str]] = []
    positions: list[int] = []
    counts: list[int] = []
    chrome: list[int] = []
    for position, paragraph in enumerate(article.paragraphs):
        tokens = words(paragraph)
        if not tokens:
            continue
        grams = shingles(tokens, options.shingle_size)
        # Chrome lines are short; chrome paragraphs are still fingerprinted, to count a copy's insertions.
        if len(tokens) <= CHROME_MAX_WORDS and chrome_kind(paragraph):
            chrome.append(position)
        else:
            text_shingles.extend(grams)
        paragraph_shingles.append(grams)
        positions.append(position)
        counts.append(len(tokens))
    return text_shingles, paragraph_shingles, positions, counts, chrome


def sign_many(articles: Sequence[ArticleText], options: CopyOptions) -> list[Signature]:
    """Signatures of ``articles``, in order."""
    parts = [_article_shingles(article, options) for article in articles]
    shingle_sets = [set(part[0]) for part in parts]
    minhashes = RMinHash.from_token_sets(shingle_sets, options.num_perm, options.seed)
    flat_paragraphs = [paragraph for part in parts for paragraph in part[1]]
    matrix = np.zeros((0, options.paragraph_num_perm), dtype=np.uint32)
    if flat_paragraphs:
        rows = RMinHash.digests_from_token_sets(flat_paragraphs, options.paragraph_num_perm, options.seed)
        matrix = np.asarray(rows, dtype=np.uint32)
    signatures: list[Signature] = []
    offset = 0
    for article, part, shingle_set, minhash in zip(articles, parts, shingle_sets, minhashes, strict=True):
        n_paragraphs = len(part[1])
        digests = matrix[offset : offset + n_paragraphs]
        offset += n_paragraphs
        lead = lead_weekday(article.paragraphs)
        signatures.append(
            Signature(
                article_id=article.article_id,
                algorithm=options.algorithm,
                minhash=minhash,
                n_shingles=len(shingle_set),
                paragraph_digests=digests.astype("<u4").tobytes(),
                paragraph_positions=tuple(part[2]),
                paragraph_words=tuple(part[3]),
                chrome_positions=tuple(part[4]),
                claimed_day=claimed_day(article.claimed_date),
                claimed_date=article.claimed_date,
                wire_credit=wire_credit(article.paragraphs, article.dateline_agency),
                lead_weekday=lead[0] if lead else None,
                lead_sentence=lead[1] if lead else None,
                first_seen=article.first_seen,
            )
        )
    return signatures


def paragraph_matrix(signature: Signature, options: CopyOptions) -> np.ndarray[tuple[int, int], np.dtype[np.uint32]]:
    """The paragraph digests of a signature as a (paragraphs, paragraph_num_perm) array."""
    flat = np.frombuffer(signature.paragraph_digests, dtype="<u4").astype(np.uint32)
    return flat.reshape(-1, options.paragraph_num_perm)


def minhash_state(signature: Signature) -> bytes:
    """The article MinHash as rensa's own versioned state (num_perm, seed, digest): no pickle involved."""
    return bytes(signature.minhash.__getstate__())


def minhash_from_state(state: bytes, options: CopyOptions) -> RMinHash:
    minhash = RMinHash(options.num_perm, options.seed)
    minhash.__setstate__(state)
    return minhash
