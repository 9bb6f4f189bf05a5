"""`communique export`: articles, a parsed layer, events, consolidated events, statements or checked claims.

The columns are documented in docs/schema.md.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from communique.analysis.checks import check_claims
from communique.cli.common import DbOpt, err_console, parse_day, reading, settings_for
from communique.cli.events import event_export
from communique.export import LAYOUTS, Row, article_rows
from communique.registry import exporters
from communique.store import queries
from communique.store.events import EventFilter, consolidated_rows, event_rows, statement_rows


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class What(StrEnum):
    articles = "articles"
    mentions = "mentions"
    dates = "dates"
    figures = "figures"
    events = "events"
    statements = "statements"
    consolidated = "consolidated"
    claims = "claims"


def export_cli(
    what: Annotated[What, typer.Option("--what", help="Record kind to export.")] = What.articles,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.jsonl,
    out: Annotated[Path | None,
                   typer.Option("--out", help="Output file [default: stdout; required for parquet].")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Articles only: this outlet.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Articles only: published on or after.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Articles only: published on or before.")] = None,
    db: DbOpt = None,
) -> None:
    """Export stored articles (metadata, sentences, boilerplate) or a parsed layer with offsets."""
    if fmt is Format.parquet and out is None:
        raise typer.BadParameter("Parquet is binary: give a file with --out", param_hint="--out")
    start, end = parse_day(since, "--since"), parse_day(until, "--until")
    settings = settings_for(db, None)
    with reading(settings) as conn:
        layout = LAYOUTS[str(what)]
        rows: Iterable[Row]
        if what is What.articles:
            rows = article_rows(conn, source, start, end)
        elif what is What.events:
            rows, layout = event_export(event_rows(conn, EventFilter()), str(fmt))
        elif what is What.statements:
            rows = statement_rows(conn)
        elif what is What.consolidated:
            rows = consolidated_rows(conn)
        elif what is What.claims:
            rows = (c.as_dict() for c in check_claims(conn))
        else:
            rows = queries.layer_rows(conn, str(what))
        count = exporters.get(str(fmt))(rows, layout, out, sys.stdout)
    err_console.print(f"exported {count} {what}" + (f" to {out}" if out else ""))
