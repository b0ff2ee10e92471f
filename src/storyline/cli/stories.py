"""``storyline stories``, ``storyline story ID`` and ``storyline entities``."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

from storyline.cli.output import emit_json
from storyline.config import resolve_settings
from storyline.enrich import ENTITY_TYPES
from storyline.errors import StorylineError
from storyline.pipeline.stories import update_stories
from storyline.store import Store
from storyline.store.stories import iter_entities, iter_stories, story
from storyline.stories import Story

F = TypeVar("F", bound=Callable[..., Any])


def db_option(command: F) -> F:
    return click.option(
        "--db", "db", default=None, metavar="FILE", help="SQLite database file [default: ./storyline.db]."
    )(command)


def json_option(command: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="One JSON object per line on stdout.")(command)


def open_store(ctx: click.Context, db: str | None) -> Store:
    """The database, with any article stored since the last run placed into stories first
    (spaCy and the embedding model load only when there is such an article)."""
    settings = resolve_settings(ctx.find_root().params.get("config"), flags={"db": db})
    if not os.path.exists(settings.db):
        raise StorylineError(f"no database at {settings.db!r}; run `storyline ingest PATH --db FILE` first")
    store = Store(settings.db)
    update_stories(store, settings)
    return store


def story_dict(item: Story) -> dict[str, Any]:
    """The JSON shape of a story, as printed by ``storyline stories --json``."""
    return {
        "story_id": item.story_id,
        "title": item.title,
        "first_date": item.first_date,
        "last_date": item.last_date,
        "articles": list(item.articles),
        "entities": [{"name": e.name, "type": e.type, "mentions": e.mentions} for e in item.entities],
        "aliases": list(item.aliases),
    }


@click.command()
@db_option
@json_option
@click.pass_context
def stories(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """List the stories: id, span, size, title and key entities; largest first."""
    with open_store(ctx, db) as store:
        for item in iter_stories(store):
            if as_json:
                emit_json(story_dict(item))
                continue
            span = f"{item.first_date or '?'} .. {item.last_date or '?'}"
            names = ", ".join(e.name for e in item.entities[:6])
            click.echo(f"{item.story_id:>6}  {span:<24}  {item.size:>4}  {item.title or '(no title)'}\n        {names}")


@click.command()
@click.argument("story_id", type=int)
@db_option
@json_option
@click.pass_context
def story_command(ctx: click.Context, story_id: int, db: str | None, as_json: bool) -> None:
    """Show one story as a timeline of its articles, with its key entities."""
    with open_store(ctx, db) as store:
        item = story(store, story_id)
        rows = [store.article(article_id) for article_id in item.articles]
    if as_json:
        emit_json(story_dict(item))
        return
    click.echo(f"== story {item.story_id}: {item.title or '(no title)'}")
    click.echo(f"   {item.first_date or '?'} .. {item.last_date or '?'}, {item.size} articles")
    if item.aliases:
        click.echo(f"   merged from: {', '.join(str(a) for a in item.aliases)}")
    click.echo("   entities: " + "; ".join(f"{e.name} ({e.type}, {e.mentions})" for e in item.entities))
    click.echo("")
    for row in rows:
        date = (row["claimed_date"] or "undated")[:10]
        site = row["site_name"] or ""
        click.echo(f"   {date:<10}  #{row['id']:<6} {row['title'] or '(no title)'}  [{site}]")


story_command.name = "story"


@click.command()
@click.option("--type", "entity_type", type=click.Choice(ENTITY_TYPES), default=None, help="Only this type.")
@db_option
@json_option
@click.pass_context
def entities(ctx: click.Context, entity_type: str | None, db: str | None, as_json: bool) -> None:
    """List the named entities (people, places, organisations, ...) with the stories they appear in."""
    with open_store(ctx, db) as store:
        for item in iter_entities(store, entity_type):
            if as_json:
                emit_json(item)
            else:
                ids = ",".join(str(s) for s in item["stories"][:10]) + ("..." if len(item["stories"]) > 10 else "")
                click.echo(f"{item['mentions']:>6}  {item['type']:<7} {item['name']:<32} stories: {ids}")
