"""``storyline copies``: copy groups with their origin and re-dated members."""

from __future__ import annotations

import os
from typing import Any

import click

from storyline.cli.output import emit_json
from storyline.config import resolve_settings
from storyline.errors import StorylineError
from storyline.pipeline.copies import update_copies
from storyline.store import Store
from storyline.store.copies import iter_copy_groups


@click.command()
@click.option("--db", "db", default=None, metavar="FILE", help="SQLite database file [default: ./storyline.db].")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line on stdout.")
@click.option("--min-members", type=click.IntRange(1), default=1, show_default=True, help="Hide smaller groups.")
@click.pass_context
def copies(ctx: click.Context, db: str | None, as_json: bool, min_members: int) -> None:
    """List copy groups: the origin (and why), every copy, and copies whose claimed date is re-dated.

    Articles stored since the last run are placed first, so the list is always complete.
    """
    settings = resolve_settings(ctx.find_root().params.get("config"), flags={"db": db})
    if not os.path.exists(settings.db):
        raise StorylineError(f"no database at {settings.db!r}; run `storyline ingest PATH --db FILE` first")
    with Store(settings.db) as store:
        update_copies(store, settings)
        for group in iter_copy_groups(store, min_members):
            if as_json:
                emit_json(_json_shape(group))
            else:
                _echo_group(group)


def _json_shape(group: dict[str, Any]) -> dict[str, Any]:
    keys = ("group_id", "origin", "origin_reason", "members", "credible_date", "aliases")
    return {key: group[key] for key in keys}


def _echo_group(group: dict[str, Any]) -> None:
    size = len(group["members"])
    date = group["credible_date"] or "no credible date"
    click.echo(
        f"group {group['group_id']}: {size} article(s), origin #{group['origin']} ({group['origin_reason']}), {date}"
    )
    for member in group["members"]:
        flag = ""
        if member["redated"]:
            evidence = member.get("evidence") or {}
            flag = f"  REDATED: claims {evidence.get('claimed')}" + _why(evidence)
        mark = "*" if member["article_id"] == group["origin"] else " "
        click.echo(f"  {mark} #{member['article_id']:<6} similarity {member['similarity']:.2f}{flag}")


def _why(evidence: dict[str, Any]) -> str:
    if "group_credible_date" in evidence:
        return f", group's credible date {evidence['group_credible_date']}"
    if "text_weekday" in evidence:
        return f" ({evidence['claimed_weekday']}), text reports {evidence['text_weekday']}"
    if "first_seen" in evidence:
        return f", text first seen {evidence['first_seen']}"
    return ""


def echo_copies(found: dict[str, Any]) -> None:
    """The copies section of ``storyline show``: the article's copy group and its shared paragraphs."""
    group = found.get("group")
    if group and len(group["members"]) > 1:
        others = [m for m in group["members"] if m["article_id"] != found["article_id"]]
        role = "origin" if group["origin"] == found["article_id"] else f"copy of #{group['origin']}"
        click.echo(f"   copy group {group['group_id']}: {role} ({group['origin_reason']}), {len(others)} other copies")
        for member in others:
            redated = "  re-dated" if member["redated"] else ""
            click.echo(f"     #{member['article_id']} similarity {member['similarity']:.2f}{redated}")
    mine = next((m for m in (group or {}).get("members", []) if m["article_id"] == found["article_id"]), None)
    if mine and mine["redated"]:
        click.echo(f"   re-dated: claims {mine['evidence'].get('claimed')}{_why(mine['evidence'])}")
    for shared in found.get("shared_paragraphs", []):
        click.echo(
            f"   shared text: paragraph {shared['position']} ~ #{shared['article_id']} paragraph "
            f"{shared['other_position']} (similarity {shared['similarity']:.2f})"
        )
