"""``storyline serve``: the JSON API and the web UI over one database, on localhost by default."""

from __future__ import annotations

import gc
import os

import click

from storyline.config import resolve_settings


@click.command()
@click.option(
    "--db", "db", default=None, metavar="FILE", help="SQLite database file [default: ./storyline.db, or $STORYLINE_DB]."
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; localhost unless told.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--token",
    default=None,
    envvar="STORYLINE_TOKEN",
    help="Secret that write requests must carry (Authorization: Bearer TOKEN); without it the server is read-only.",
)
@click.pass_context
def serve(ctx: click.Context, db: str | None, host: str, port: int, token: str | None) -> None:
    """Serve the web UI and the JSON API (/api/..., /openapi.json) over the database."""
    import uvicorn

    from storyline.api import stages
    from storyline.api.app import create_app

    settings = resolve_settings(ctx.find_root().params.get("config"), flags={"db": db})
    if not os.path.exists(settings.db):
        raise click.UsageError(f"no database at {settings.db!r}; run `storyline ingest PATH --db FILE` first")
    app = create_app(settings.db, token=token)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"storyline UI: http://{shown}:{port}/", err=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: anyone who can reach it can read the database", err=True)
    # Everything loaded so far lives as long as the server: keep it out of the collector's reach.
    # A full collection over it took 30-40 ms of CPU under the load benchmark, a stall for every
    # request in flight; frozen, the same collection took 4 ms.
    stages.load_modules()
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
