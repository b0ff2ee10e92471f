"""The clustering state as plain JSON-able values, so the store can keep it between runs."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np

from storyline.stories.features import Profile, Report

if TYPE_CHECKING:
    from storyline.stories.clustering import Settled, StoryIndex, StoryState
    from storyline.stories.options import StoryOptions


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    return {
        "size": profile.size,
        "terms": {k: round(v, 4) for k, v in profile.terms.items()},
        "entities": dict(profile.entities),
        "entity_types": profile.entity_types,
        "numbers": dict(profile.numbers),
        "leads": dict(profile.leads),
        "embedding": None if profile.embedding is None else [round(float(x), 6) for x in profile.embedding],
        "first_date": profile.first_date,
        "last_date": profile.last_date,
    }


def profile_from_dict(data: dict[str, Any]) -> Profile:
    embedding = data["embedding"]
    return Profile(
        size=int(data["size"]),
        terms={str(k): float(v) for k, v in data["terms"].items()},
        entities=Counter({str(k): int(v) for k, v in data["entities"].items()}),
        entity_types={str(k): str(v) for k, v in data["entity_types"].items()},
        numbers=Counter({str(k): int(v) for k, v in data["numbers"].items()}),
        leads=Counter({str(k): int(v) for k, v in data.get("leads", {}).items()}),
        embedding=None if embedding is None else np.asarray(embedding, dtype=np.float32),
        first_date=data["first_date"],
        last_date=data["last_date"],
    )


def story_to_dict(story: StoryState) -> dict[str, Any]:
    return {
        "story_id": story.story_id,
        "profile": profile_to_dict(story.profile),
        "members": story.members,
        "central": [story.central_id, story.central_title, story.central_score],
        "samples": [profile_to_dict(sample) for sample in story.samples],
        "born": story.born,
        "touched": story.touched,
        "settled": None if story.settled is None else settled_to_dict(story.settled),
    }


def settled_to_dict(settled: Settled) -> dict[str, Any]:
    return {
        "profile": profile_to_dict(settled.profile),
        "members": settled.members,
        "samples": [profile_to_dict(sample) for sample in settled.samples],
        "central": list(settled.central),
    }


def settled_from_dict(data: dict[str, Any]) -> Settled:
    from storyline.stories.clustering import Settled

    central_id, central_title, central_score = data["central"]
    return Settled(
        profile=profile_from_dict(data["profile"]),
        members=[int(m) for m in data["members"]],
        samples=[profile_from_dict(sample) for sample in data["samples"]],
        central=(int(central_id), central_title, float(central_score)),
    )


def report_to_dict(report: Report) -> dict[str, Any]:
    return {
        "article_id": report.article_id,
        "title": report.title,
        "date": report.date,
        "terms": {k: round(v, 4) for k, v in report.terms.items()},
        "entities": dict(report.entities),
        "numbers": sorted(report.numbers),
        "embedding": None if report.embedding is None else [round(float(x), 6) for x in report.embedding],
        "leads": sorted(report.leads),
    }


def report_from_dict(data: dict[str, Any]) -> Report:
    embedding = data["embedding"]
    return Report(
        article_id=int(data["article_id"]),
        title=data["title"],
        date=data["date"],
        terms={str(k): float(v) for k, v in data["terms"].items()},
        entities={str(k): str(v) for k, v in data["entities"].items()},
        numbers=frozenset(str(n) for n in data["numbers"]),
        embedding=None if embedding is None else np.asarray(embedding, dtype=np.float32),
        leads=frozenset(str(n) for n in data["leads"]),
    )


def story_from_dict(data: dict[str, Any], n_reports: int = 0) -> StoryState:
    """A story as saved; one saved before retirement existed counts as touched at ``n_reports``."""
    from storyline.stories.clustering import StoryState

    central_id, central_title, central_score = data["central"]
    members = [int(m) for m in data["members"]]
    settled = data.get("settled")
    return StoryState(
        story_id=int(data["story_id"]),
        profile=profile_from_dict(data["profile"]),
        members=members,
        central_id=int(central_id),
        central_title=central_title,
        central_score=float(central_score),
        samples=[profile_from_dict(sample) for sample in data.get("samples", [])],
        born=int(data.get("born", 0)),
        touched=int(data.get("touched", n_reports)),
        first_member=min(members, default=2**62),
        settled=None if settled is None else settled_from_dict(settled),
    )


def index_to_dict(index: StoryIndex, with_stories: bool = True, with_frequencies: bool = True) -> dict[str, Any]:
    """Everything but the postings, which are rebuilt from the stories on restore.

    The store keeps each story in its own row, written when it changes, and the document
    frequencies in rows written when they change, and asks for the rest only
    (``with_stories=False, with_frequencies=False``): serialising all of them at each batch grew
    with the index."""
    state = {
        "version": 1,
        "next_id": index.next_id,
        "n_reports": index.n_reports,
        "batches": index.batches,
        "aliases": {str(k): v for k, v in index.aliases.items()},
        "window": [report_to_dict(report) for report in index.window],
        "placed": {str(k): v for k, v in index.placed.items()},
    }
    if with_frequencies:
        state["df"] = dict(index.df)
    if with_stories:
        state["stories"] = [story_to_dict(story) for story in index.stories.values()]
    return state


def index_from_dict(data: dict[str, Any], options: StoryOptions) -> StoryIndex:
    from storyline.stories.clustering import StoryIndex

    index = StoryIndex(options)
    index.next_id = int(data["next_id"])
    index.n_reports = int(data["n_reports"])
    index.batches = int(data.get("batches", 0))
    index.df = Counter({str(k): int(v) for k, v in data["df"].items()})
    index.df_changed = None  # none of them saved yet, as far as this index knows
    index.aliases = {int(k): int(v) for k, v in data["aliases"].items()}
    index.window = [report_from_dict(item) for item in data.get("window", [])]
    index.placed = {int(k): int(v) for k, v in data.get("placed", {}).items()}
    for item in data["stories"]:
        story = story_from_dict(item, index.n_reports)
        index.stories[story.story_id] = story
    for story in sorted(index.stories.values(), key=lambda s: s.story_id):
        index.reindex(story)
    return index
