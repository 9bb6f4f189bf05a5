"""`communique export`: stored articles as JSONL, CSV or Parquet (schema in docs/schema.md)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from communique.cli.common import DbOpt, err_console, parse_day, reading, settings_for
from communique.export import article_rows
from communique.registry import exporters


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def export_cli(
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.jsonl,
    out: Annotated[Path | None,
                   typer.Option("--out", help="Output file [default: stdout; required for parquet].")] = None,
    source: Annotated[str | None, typer.Option("--source")] = None,
    since: Annotated[str | None, typer.Option("--since")] = None,
    until: Annotated[str | None, typer.Option("--until")] = None,
    db: DbOpt = None,
) -> None:
    """Export stored articles with their metadata, sentences and boilerplate."""
    if fmt is Format.parquet and out is None:
        raise typer.BadParameter("Parquet is binary: give a file with --out", param_hint="--out")
    start, end = parse_day(since, "--since"), parse_day(until, "--until")
    settings = settings_for(db, None)
    with reading(settings) as conn:
        count = exporters.get(str(fmt))(article_rows(conn, source, start, end), out, sys.stdout)
    err_console.print(f"exported {count} article(s)" + (f" to {out}" if out else ""))
