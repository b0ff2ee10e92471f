"""``storyline`` commands. Each verb is a thin shell over the pipeline and the store."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from storyline import __version__
from storyline.cli.copies import copies, echo_copies
from storyline.cli.export import export_articles
from storyline.cli.output import emit_article_text, emit_json, outcome_dict
from storyline.cli.serve import serve
from storyline.cli.stories import entities, stories, story_command
from storyline.config import Settings, resolve_settings
from storyline.errors import StorylineError
from storyline.ingest import read_pages
from storyline.pipeline import extract_pages
from storyline.pipeline.ingest import run_ingest
from storyline.records import Rejection
from storyline.store import Store
from storyline.store.copies import copies_of

F = TypeVar("F", bound=Callable[..., Any])


class StorylineGroup(click.Group):
    """Turns a ``StorylineError`` into a one-line message on stderr and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StorylineError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)


def db_option(command: F) -> F:
    return click.option(
        "--db",
        "db",
        default=None,
        metavar="FILE",
        help="SQLite database file [default: ./storyline.db, or $STORYLINE_DB].",
    )(command)


def json_option(command: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="One JSON object per line on stdout.")(command)


def settings_from(ctx: click.Context, **flags: object) -> Settings:
    config_file = ctx.find_root().params.get("config")
    return resolve_settings(config_file, flags=flags)


def open_store(ctx: click.Context, db: str | None) -> Store:
    """An existing database: reading commands never create an empty one by mistake."""
    settings = settings_from(ctx, db=db)
    if not os.path.exists(settings.db):
        raise StorylineError(f"no database at {settings.db!r}; run `storyline ingest PATH --db FILE` first")
    return Store(settings.db)


@click.group(cls=StorylineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config", type=click.Path(dir_okay=False), default=None, help="TOML settings file [default: ./storyline.toml]."
)
@click.version_option(__version__, prog_name="storyline")
def cli(config: str | None) -> None:
    """storyline: raw news pages -> clean articles, copies, stories, quotes and events.

    Data goes to stdout, progress and logs to stderr. Exit codes: 0 ok, 1 user error, 2 usage.
    """


@cli.command()
@click.argument("files", nargs=-1, required=True)
@json_option
@click.option("--workers", type=int, default=None, help="Extractor processes [default: 2].")
@click.pass_context
def extract(ctx: click.Context, files: tuple[str, ...], as_json: bool, workers: int | None) -> None:
    """Print the article extracted from each page in FILES (no database).

    FILES may be text dumps, HTML (.html, .html.gz), WARC, JSONL, directories, globs or - for stdin.
    """
    settings = settings_from(ctx, workers=workers)
    items = read_pages(files, settings.ingest)
    input_rejections: list[Rejection] = []

    def pages() -> Any:
        for item in items:
            if isinstance(item, Rejection):
                input_rejections.append(item)
            else:
                yield item

    for page, outcome in extract_pages(pages(), settings.extract, settings.workers, settings.page_time_limit):
        for rejection in input_rejections:
            _print_outcome(rejection, rejection.source, as_json)
        input_rejections.clear()
        _print_outcome(outcome, page.source, as_json)
    for rejection in input_rejections:
        _print_outcome(rejection, rejection.source, as_json)


def _print_outcome(outcome: Any, source: str, as_json: bool) -> None:
    item = outcome_dict(outcome, source)
    if as_json:
        emit_json(item)
    else:
        emit_article_text(item)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--workers", type=int, default=None, help="Extractor processes [default: 2].")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option(
    "--stories/--no-stories", "build_stories", default=None,
    help="Update stories after ingest [default: yes]; `storyline stories` catches up later.",
)  # fmt: skip
@json_option
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    db: str | None,
    workers: int | None,
    quiet: bool,
    build_stories: bool | None,
    as_json: bool,
) -> None:
    """Ingest pages from PATHS into the database and print a summary.

    Same bytes ingested twice are stored once; a killed ingest can be rerun safely.
    """
    settings = settings_from(ctx, db=db, workers=workers, build_stories=build_stories)
    with Store(settings.db) as store:
        summary = run_ingest(paths, store, settings, progress=not quiet)
    result = summary.as_dict() | {"db": settings.db}
    if as_json:
        emit_json(result)
        return
    click.echo(f"pages:              {summary.pages}")
    click.echo(f"articles:           {summary.articles}")
    rejected = ", ".join(f"{k} {v}" for k, v in summary.rejections.most_common()) or "none"
    click.echo(f"rejections:         {sum(summary.rejections.values())} ({rejected})")
    click.echo(f"duplicates skipped: {summary.duplicates_skipped}")
    click.echo(f"seconds:            {summary.seconds:.2f}")
    click.echo(f"database:           {settings.db}")


@cli.command()
@db_option
@json_option
@click.pass_context
def articles(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """List the articles in the database."""
    with open_store(ctx, db) as store:
        for item in store.iter_articles():
            if as_json:
                emit_json(item)
            else:
                date = (item["claimed_date"] or "")[:10]
                click.echo(f"{item['id']:>6}  {date:<10}  {(item['site_name'] or '')[:18]:<18}  {item['title'] or ''}")


@cli.command()
@click.argument("article_id", type=int)
@db_option
@json_option
@click.pass_context
def show(ctx: click.Context, article_id: int, db: str | None, as_json: bool) -> None:
    """Show one article with its metadata and provenance."""
    with open_store(ctx, db) as store:
        item = store.article(article_id)
        item["copies"] = copies_of(store, article_id)
    if as_json:
        emit_json(item)
        return
    emit_article_text(item)
    click.echo(f"   page: {item['page_id']}")
    for source in item["sources"]:
        click.echo(f"   seen at: {source}")
    echo_copies(item["copies"])


@cli.command()
@click.argument("query")
@db_option
@json_option
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.pass_context
def search(ctx: click.Context, query: str, db: str | None, as_json: bool, limit: int) -> None:
    """Full-text search over titles and bodies; matches are shown in [brackets]."""
    with open_store(ctx, db) as store:
        hits = store.search(query, limit)
    for hit in hits:
        if as_json:
            emit_json(hit)
        else:
            click.echo(f"{hit['id']:>6}  {hit['title'] or ''}\n        {hit['snippet']}")


@cli.command()
@db_option
@json_option
@click.pass_context
def rejections(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """List the pages (and inputs) that yielded no article, with the reason."""
    with open_store(ctx, db) as store:
        for item in store.iter_rejections():
            if as_json:
                emit_json(item)
            else:
                click.echo(f"{item['reason']:<12}  {item['source']}  {item['detail']}")


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Output file [default: stdout; required for parquet].",
)
@click.pass_context
def export(ctx: click.Context, db: str | None, fmt: str, output: str | None) -> None:
    """Export the articles as JSON Lines, CSV or Parquet."""
    if fmt == "parquet" and not output:
        raise click.UsageError("--format parquet needs --output FILE")
    with open_store(ctx, db) as store:
        count = export_articles(store, fmt, output)
    click.echo(f"exported {count} articles", err=True)


cli.add_command(serve)
cli.add_command(copies)
cli.add_command(stories)
cli.add_command(story_command)
cli.add_command(entities)


def main() -> None:
    cli(prog_name="storyline")


if __name__ == "__main__":
    main()
