"""Phase 1 of copy detection: sign articles (pure, per article, batched for speed).

An article's signature is a MinHash of its word shingles plus a small MinHash per paragraph.
Python makes no string per shingle: each article is normalised and split into words in one regex
pass, rensa hashes the words, numpy combines five consecutive word hashes into a shingle hash, and
rensa turns the flat shingle hashes of a whole batch into MinHash digests in two calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
from rensa import RMinHash

from storyline.copies.model import ArticleText, CopyOptions, Signature
from storyline.copies.text import (
    CHROME_MAX_WORDS,
    chrome_kind,
    claimed_day,
    lead_weekday,
    paragraph_tokens,
    wire_credit,
)

U64 = np.uint64
# Odd multipliers for the shingle polynomial and the splitmix64 finaliser that breaks its linearity.
SHINGLE_BASE = U64(0x9E3779B97F4A7C15)
MIX_1, MIX_2 = U64(0xBF58476D1CE4E5B9), U64(0x94D049BB133111EB)
PARAGRAPH_END = RMinHash.hash_token_sets([["\n"]])[0][0]  # the token that ends every paragraph

Digests = np.ndarray[tuple[int, int], np.dtype[np.uint32]]
Hashes = np.ndarray[tuple[int], np.dtype[np.uint64]]


@dataclass(frozen=True, slots=True)
class _Batch:
    """The shingles of a batch: one hash per shingle, the flat paragraph it belongs to, paragraph sizes."""

    shingles: Hashes
    paragraph_of: np.ndarray[tuple[int], np.dtype[np.int64]]
    words: np.ndarray[tuple[int], np.dtype[np.int64]]  # per flat paragraph
    first_paragraph: list[int]  # per article: index of its first flat paragraph (and one past the end)
    first_row: list[int]  # per flat paragraph: its row among the fingerprinted (non-empty) paragraphs


def _mix(values: Hashes) -> Hashes:
    values = values ^ (values >> U64(30))
    values = values * MIX_1
    values = values ^ (values >> U64(27))
    values = values * MIX_2
    mixed: Hashes = values ^ (values >> U64(31))
    return mixed


def _shingle_batch(articles: Sequence[ArticleText], size: int) -> _Batch:
    """Word ``size``-grams of every paragraph; a shorter paragraph is one shingle of all its words."""
    token_lists = [paragraph_tokens(article.paragraphs) for article in articles]
    hashed = RMinHash.hash_token_sets(token_lists)
    total = sum(len(tokens) for tokens in token_lists)
    flat: Hashes = np.fromiter(chain.from_iterable(hashed), dtype=U64, count=total)
    ends = flat == U64(PARAGRAPH_END)
    paragraph_of_token = np.cumsum(ends) - ends  # a paragraph's end token belongs to it
    word_hashes, paragraph_of = flat[~ends], paragraph_of_token[~ends]
    n_paragraphs = int(ends.sum())
    counts = np.bincount(paragraph_of, minlength=n_paragraphs).astype(np.int64)
    starts = np.concatenate(([0], np.cumsum(counts)))[:-1]
    remaining = starts[paragraph_of] + counts[paragraph_of] - np.arange(len(word_hashes))
    combined = np.zeros(len(word_hashes), dtype=U64)
    power = U64(1)
    with np.errstate(over="ignore"):
        for offset in range(size):
            term = np.zeros(len(word_hashes), dtype=U64)
            term[: len(word_hashes) - offset] = word_hashes[offset:] * power
            combined += np.where(remaining > offset, term, U64(0))
            power = power * SHINGLE_BASE
        first_word = np.zeros(len(word_hashes), dtype=bool)
        first_word[starts[counts > 0]] = True
        keep = (remaining >= size) | (first_word & (counts[paragraph_of] < size))
        shingles = _mix(combined[keep])
    first_paragraph = np.cumsum([0] + [len(article.paragraphs) for article in articles]).tolist()
    first_row = np.concatenate(([0], np.cumsum(counts > 0))).tolist()
    return _Batch(shingles, paragraph_of[keep], counts, first_paragraph, first_row)


def _digests(
    hashes: Hashes, owner: np.ndarray[tuple[int], np.dtype[np.int64]], rows: int, num_perm: int, seed: int
) -> Digests:
    """One MinHash digest per row from shingle hashes sorted by their (non-decreasing) row."""
    offsets = np.searchsorted(owner, np.arange(rows + 1)).astype(U64)
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(hashes, offsets, num_perm, seed)
    digests: Digests = np.asarray(matrix.to_rows(), dtype=np.uint32).reshape(rows, num_perm)
    return digests


def _distinct_counts(hashes: Hashes, owner: np.ndarray[tuple[int], np.dtype[np.int64]], rows: int) -> list[int]:
    """Distinct shingles per row. One sort of (row, top 40 bits of the hash): a 40-bit collision
    inside one article is a one-in-a-billion event and would only miscount a shingle."""
    keys = np.sort((owner.astype(U64) << U64(40)) | (hashes >> U64(24)))
    new = np.ones(len(keys), dtype=bool)
    new[1:] = keys[1:] != keys[:-1]
    counts: list[int] = np.bincount((keys[new] >> U64(40)).astype(np.int64), minlength=rows).tolist()
    return counts


def sign_many(articles: Sequence[ArticleText], options: CopyOptions) -> list[Signature]:
    """Signatures of ``articles``, in order."""
    if not articles:
        return []
    batch = _shingle_batch(articles, options.shingle_size)
    counts = batch.words.tolist()
    chrome = np.zeros(len(counts), dtype=bool)
    for index, article in enumerate(articles):
        first = batch.first_paragraph[index]
        for position, paragraph in enumerate(article.paragraphs):
            # Chrome lines are short; chrome paragraphs are still fingerprinted, to count a copy's insertions.
            if 0 < counts[first + position] <= CHROME_MAX_WORDS and chrome_kind(paragraph):
                chrome[first + position] = True
    article_of_paragraph = np.repeat(np.arange(len(articles)), np.diff(batch.first_paragraph))
    text = ~chrome[batch.paragraph_of]
    text_owner = article_of_paragraph[batch.paragraph_of[text]]
    article_digests = _digests(batch.shingles[text], text_owner, len(articles), options.num_perm, options.seed)
    n_shingles = _distinct_counts(batch.shingles[text], text_owner, len(articles))
    fingerprinted = np.flatnonzero(batch.words > 0)
    renumbered = np.cumsum(batch.words > 0) - 1  # flat paragraph -> row among fingerprinted paragraphs
    paragraph_digests = _digests(
        batch.shingles, renumbered[batch.paragraph_of], len(fingerprinted), options.paragraph_num_perm, options.seed
    )
    return [
        _signature(article, options, batch, index, article_digests[index], n_shingles[index], paragraph_digests, chrome)
        for index, article in enumerate(articles)
    ]


def _signature(
    article: ArticleText,
    options: CopyOptions,
    batch: _Batch,
    index: int,
    digest: np.ndarray[tuple[int], np.dtype[np.uint32]],
    n_shingles: int,
    paragraph_digests: Digests,
    chrome: np.ndarray[tuple[int], np.dtype[np.bool_]],
) -> Signature:
    first, end = batch.first_paragraph[index], batch.first_paragraph[index + 1]
    words = batch.words[first:end]
    positions = np.flatnonzero(words > 0)
    rows_before = batch.first_row[first]
    lead = lead_weekday(article.paragraphs)
    return Signature(
        article_id=article.article_id,
        algorithm=options.algorithm,
        digest=digest.astype("<u4").tobytes(),
        n_shingles=n_shingles,
        paragraph_digests=paragraph_digests[rows_before : rows_before + len(positions)].astype("<u4").tobytes(),
        paragraph_positions=tuple(positions.tolist()),
        paragraph_words=tuple(words[positions].tolist()),
        chrome_positions=tuple(np.flatnonzero(chrome[first:end]).tolist()),
        claimed_day=claimed_day(article.claimed_date),
        claimed_date=article.claimed_date,
        wire_credit=wire_credit(article.paragraphs, article.dateline_agency),
        lead_weekday=lead[0] if lead else None,
        lead_sentence=lead[1] if lead else None,
        first_seen=article.first_seen,
    )


def paragraph_matrix(signature: Signature, options: CopyOptions) -> Digests:
    """The paragraph digests of a signature as a (paragraphs, paragraph_num_perm) array."""
    flat = np.frombuffer(signature.paragraph_digests, dtype="<u4").astype(np.uint32)
    return flat.reshape(-1, options.paragraph_num_perm)


def digest_array(signature: Signature) -> np.ndarray[tuple[int], np.dtype[np.uint32]]:
    return np.frombuffer(signature.digest, dtype="<u4").astype(np.uint32)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of two articles' shingle sets: the share of equal MinHash values."""
    return float(np.mean(digest_array(a) == digest_array(b)))
