"""How records are printed: JSON lines for machines, short text for people."""

from __future__ import annotations

import json
from typing import Any

import click

from storyline.records import Article, Rejection


def outcome_dict(outcome: Article | Rejection, source: str) -> dict[str, Any]:
    """The ``storyline extract --json`` shape of one page's outcome."""
    if isinstance(outcome, Rejection):
        return {
            "source": source,
            "kind": "rejection",
            "title": None,
            "site_name": None,
            "claimed_date": None,
            "dateline": None,
            "byline": None,
            "language": None,
            "paragraphs": [],
            "reason": outcome.reason.value,
            "detail": outcome.detail,
        }
    dateline = outcome.dateline
    return {
        "source": source,
        "kind": "article",
        "title": outcome.title,
        "site_name": outcome.site_name,
        "claimed_date": outcome.claimed_date,
        "dateline": (
            {"place": dateline.place, "region": dateline.region, "agency": dateline.agency, "text": dateline.text}
            if dateline
            else None
        ),
        "byline": outcome.byline,
        "language": outcome.language,
        "paragraphs": list(outcome.paragraphs),
        "reason": None,
    }


def emit_json(value: object) -> None:
    click.echo(json.dumps(value, ensure_ascii=False))


def emit_article_text(item: dict[str, Any]) -> None:
    """A readable rendering of an article dict (from ``outcome_dict`` or the store)."""
    if item.get("kind") == "rejection":
        click.echo(f"== {item['source']}\n   rejected: {item['reason']} ({item.get('detail', '')})\n")
        return
    head = f"#{item['id']} " if "id" in item else ""
    click.echo(f"== {head}{item.get('title') or '(no title)'}")
    dateline = item.get("dateline")
    facts = [
        ("source", item.get("source")),
        ("site", item.get("site_name")),
        ("claimed date", item.get("claimed_date")),
        ("dateline", f"{dateline['place']} / {dateline['agency'] or '-'}" if dateline else None),
        ("byline", item.get("byline")),
        ("language", item.get("language")),
    ]
    for label, value in facts:
        if value:
            click.echo(f"   {label}: {value}")
    click.echo("")
    for paragraph in item.get("paragraphs", []):
        click.echo(f"   {paragraph}\n")
