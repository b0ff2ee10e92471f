"""Views of what later stages write: copy groups, stories, entities.

Those stages own their tables and store modules (``storyline.store.copies``,
``storyline.store.stories``); a database written before they ran, or a storyline built without
them, has neither. Each function answers ``None`` for "not available", and the API and UI say
"no stories yet" instead of failing.

Stories are read through ``storyline.store.stories`` (``story``, ``story_of_articles``,
``iter_entities``); only the ordering of the story list is a query of ours.
"""

from __future__ import annotations

import importlib
import itertools
import sqlite3
from types import ModuleType
from typing import Any

from storyline.errors import NotFound
from storyline.store import Store
from storyline.store.web_queries import WebQueries

STAGE_TABLES = {"stories": "stories", "copies": "copy_groups"}


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"storyline.store.{name}")
    except ImportError:
        return None


def load_modules() -> None:
    """Import the stage store modules that exist now rather than on the first request."""
    for name in STAGE_TABLES:
        _module(name)


def _call(module_name: str, function: str, store: Store, *args: Any) -> Any:
    """``module.function(store, *args)`` when the module, the function and its table all exist."""
    module = _module(module_name)
    if module is None or not hasattr(module, function):
        return None
    if not WebQueries(store.connection).table_exists(STAGE_TABLES[module_name]):
        return None
    try:
        return getattr(module, function)(store, *args)
    except NotFound:
        return None
    except sqlite3.OperationalError:
        # The other stage's schema is still moving; an older file must not break the UI.
        return None


def stories_available(store: Store) -> bool:
    return _module("stories") is not None and WebQueries(store.connection).table_exists("stories")


def list_stories(store: Store, order: str, limit: int, offset: int) -> list[dict[str, Any]] | None:
    """Story summaries, ``recent`` (latest date first) or ``largest``."""
    if not stories_available(store):
        return None
    try:
        ids = WebQueries(store.connection).story_ids(order, limit, offset)
    except sqlite3.OperationalError:
        return None
    found = [story_detail(store, story_id, with_articles=False) for story_id in ids]
    return [item for item in found if item is not None]


def story_detail(store: Store, story_id: int, with_articles: bool = True) -> dict[str, Any] | None:
    found = _call("stories", "story", store, story_id)
    if found is None:
        return None
    item: dict[str, Any] = {
        "id": found.story_id,
        "title": found.title,
        "first_date": found.first_date,
        "last_date": found.last_date,
        "n_articles": len(found.articles),
        "aliases": list(found.aliases),
        "entities": [
            {"name": e.name, "type": e.type, "mentions": e.mentions, "articles": e.articles} for e in found.entities
        ],
    }
    if with_articles:
        item["articles"] = WebQueries(store.connection).articles_by_ids(list(found.articles))
        annotate_copies(store, item["articles"])
    return item


def stories_of_article(store: Store, article_id: int) -> list[dict[str, Any]] | None:
    found = _call("stories", "story_of_articles", store, [article_id])
    if found is None:
        return None
    story_id = found.get(article_id)
    return [] if story_id is None else [{"id": story_id, "title": WebQueries(store.connection).story_title(story_id)}]


def list_entities(store: Store, limit: int, offset: int) -> list[dict[str, Any]] | None:
    entities = _call("stories", "iter_entities", store)
    if entities is None:
        return None
    return list(itertools.islice(entities, offset, offset + limit))


def list_copy_groups(store: Store, limit: int, offset: int, min_members: int) -> list[dict[str, Any]] | None:
    groups = _call("copies", "iter_copy_groups", store, min_members)
    if groups is None:
        return None
    return list(itertools.islice(groups, offset, offset + limit))


def copies_of_article(store: Store, article_id: int) -> dict[str, Any] | None:
    result: dict[str, Any] | None = _call("copies", "copies_of", store, article_id)
    return result


def annotate_copies(store: Store, articles: list[dict[str, Any]]) -> None:
    """Give each story article its copy group's ``origin_id`` and ``redated`` flag, for folding."""
    wanted = [int(a["id"]) for a in articles if "origin_id" not in a and a.get("id") is not None]
    status: dict[int, tuple[int, bool]] = _call("copies", "copy_status", store, wanted) or {}
    for article in articles:
        if "origin_id" in article or article.get("id") is None:
            continue
        origin, redated = status.get(int(article["id"]), (None, False))
        article["origin_id"] = origin
        article.setdefault("redated", redated)
