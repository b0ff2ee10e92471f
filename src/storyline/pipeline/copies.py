"""The copies job: place newly stored articles into copy groups, name origins, flag re-dated copies.

Incremental: the copy index is rebuilt from stored signatures and memberships (no text is read
again), only articles not yet placed are signed and looked up, and only the groups they touched
are re-judged. Everything lands in one transaction, so a killed run leaves the previous state and
the next run places the same articles again.
"""

from __future__ import annotations

import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from storyline.config import Settings
from storyline.copies import CopyIndex, CopyOptions, OriginVerdict, SharedParagraph, Signature, decide_origin, sign_many
from storyline.store import Store
from storyline.store.copies import (
    article_texts,
    forget_other_algorithms,
    load_memberships,
    load_signatures,
    save_shared_paragraphs,
    save_signatures,
    save_verdicts,
)

SIGN_BATCH = 500


@dataclass(slots=True)
class CopiesSummary:
    placed: int = 0
    signed: int = 0
    groups_touched: int = 0
    merged: int = 0
    shared_paragraphs: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "placed": self.placed,
            "signed": self.signed,
            "groups_touched": self.groups_touched,
            "merged": self.merged,
            "shared_paragraphs": self.shared_paragraphs,
        }


def copy_options(settings: Settings | CopyOptions | None) -> CopyOptions:
    """The copy options in ``settings`` (a ``[copies]`` section once config has one), else defaults."""
    if isinstance(settings, CopyOptions):
        return settings
    found = getattr(settings, "copies", None)
    return found if isinstance(found, CopyOptions) else CopyOptions()


def _unplaced(store: Store) -> list[int]:
    """Every stored article not in a copy group yet: this run's, and any a killed run left out."""
    rows = store.connection.execute(
        "SELECT a.id FROM articles a LEFT JOIN copy_members m ON m.article_id = a.id WHERE m.article_id IS NULL "
        "ORDER BY a.id"
    )
    return [int(row[0]) for row in rows]


def update_copies(store: Store, settings: Settings | CopyOptions | None = None) -> CopiesSummary:
    """Place every article not in a copy group yet into one, and commit."""
    options = copy_options(settings)
    summary = CopiesSummary()
    with store.connection, ExitStack() as stack:
        forget_other_algorithms(store, options)
        pending = _unplaced(store)
        if not pending:
            return summary
        group_of, aliases = load_memberships(store)
        placed_signatures = (s for s in load_signatures(store, options) if s.article_id in group_of)
        # The index's large parts live in files next to nothing of the user's: a temporary folder.
        spill = stack.enter_context(tempfile.TemporaryDirectory(prefix="storyline-copies-"))
        index = CopyIndex.restore(options, placed_signatures, group_of, aliases, Path(spill))
        shared: list[SharedParagraph] = []
        for start in range(0, len(pending), SIGN_BATCH):
            batch = pending[start : start + SIGN_BATCH]
            signatures = _signatures(store, options, batch, summary)
            for placement in index.add_many(signatures):
                summary.merged += len(placement.merged)
                shared.extend(placement.shared)
        # Merges can move a group after it was touched: judge the groups the new articles are in now.
        groups = {index.group_of(article_id) for article_id in pending if article_id in index}
        save_verdicts(store, _verdicts(store, index, options, groups), index.aliases())
        save_shared_paragraphs(store, shared)
        summary.placed = len(pending)
        summary.groups_touched = len(groups)
        summary.shared_paragraphs = len(shared)
    return summary


def _signatures(store: Store, options: CopyOptions, batch: list[int], summary: CopiesSummary) -> list[Signature]:
    """Stored signatures of ``batch``, signing (and storing) the ones that have none."""
    stored = {s.article_id: s for s in load_signatures(store, options, batch)}
    missing = [article_id for article_id in batch if article_id not in stored]
    if missing:
        fresh = sign_many(article_texts(store, missing), options)
        save_signatures(store, fresh)
        summary.signed += len(fresh)
        stored.update((s.article_id, s) for s in fresh)
    return [stored[article_id] for article_id in batch if article_id in stored]


def _verdicts(store: Store, index: CopyIndex, options: CopyOptions, groups: set[int]) -> list[OriginVerdict]:
    verdicts = []
    for group_id in sorted(groups):
        members = list(load_signatures(store, options, index.members(group_id)))
        if members:
            verdicts.append(decide_origin(group_id, members, options))
    return verdicts
