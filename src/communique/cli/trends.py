"""`communique trends | partners`: cooperation and conflict over time, and an actor's counterparts."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import typer
from rich.table import Table

from communique.analysis.chart import FORMATS, plot
from communique.analysis.partners import partners
from communique.analysis.trends import QUADS, Grain, trends
from communique.cli.common import DbOpt, console, err_console, handled, parse_day, reading, settings_for
from communique.cli.events import SinceOpt, TypeOpt, UntilOpt
from communique.export import Layout
from communique.registry import exporters

_COUNTS = [(q, pa.int32()) for q in ("events", *QUADS)]
_GOLDSTEIN = [("goldstein_sum", pa.float64()), ("goldstein_mean", pa.float64()), ("index", pa.float64())]
TRENDS = Layout(pa.schema([("period", pa.string()), ("coarse", pa.bool_()), *_COUNTS, *_GOLDSTEIN,
                           ("types", pa.map_(pa.string(), pa.int32()))]), json_columns=("types",))
PARTNERS = Layout(pa.schema([("partner", pa.string()), *_COUNTS, ("cooperation_share", pa.float64()), *_GOLDSTEIN,
                             ("first", pa.string()), ("last", pa.string())]))
_HEADS = ("vcoop", "mcoop", "vconf", "mconf")  # the quad classes, 1 to 4
PledgedOpt = Annotated[bool, typer.Option("--pledged", help="Also count pledged (announced) events.")]


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


FormatOpt = Annotated[Format, typer.Option("--format", help="Output format (jsonl and csv go to stdout).")]


def _number(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _column(table: Table, name: str) -> None:
    """Figures keep their width and align right; the list of types folds into what width is left."""
    if name == "types":
        table.add_column(name, overflow="fold", ratio=1, min_width=16)
    elif name in ("period", "partner", "first", "last"):
        table.add_column(name, no_wrap=True, min_width=7)
    else:
        table.add_column(name, no_wrap=True, justify="right", min_width=len(name))


def _modalities(pledged: bool) -> tuple[str, ...]:
    return ("asserted", "pledged") if pledged else ("asserted",)


def trends_cli(
    a: Annotated[str, typer.Argument(help="An actor: country code (CHN), organisation or actor id.")],
    b: Annotated[str | None, typer.Argument(help="The other actor; without it, A with everyone.")] = None,
    by: Annotated[Grain, typer.Option("--by", help="Length of a period.")] = Grain.MONTH,
    since: SinceOpt = None,
    until: UntilOpt = None,
    types: TypeOpt = None,
    pledged: PledgedOpt = False,
    chart: Annotated[Path | None, typer.Option("--plot", help="Also write a chart (.png or .svg).")] = None,
    fmt: FormatOpt = Format.table,
    db: DbOpt = None,
) -> None:
    """Events per period by PLOVER type and quad class, with the cooperation–conflict index."""
    if chart is not None and chart.suffix.lower() not in FORMATS:
        raise typer.BadParameter(f"{chart.name}: write the chart as {' or '.join(FORMATS)}", param_hint="--plot")
    start, end = parse_day(since, "--since"), parse_day(until, "--until")
    with reading(settings_for(db, None)) as conn:
        trend = trends(conn, a, b, by, start, end, [t.upper() for t in types or ()], _modalities(pledged))
    if chart is not None:
        with handled():
            plot(trend, chart)
        err_console.print(f"chart written to {chart}")
    if fmt is not Format.table:
        exporters.get(str(fmt))((p.as_dict() for p in trend.periods), TRENDS, None, sys.stdout)
    else:
        table = Table(title=f"trends {trend.title} by {trend.by}")
        for name in ("period", "events", *_HEADS, "sum", "mean", "index", "types"):
            _column(table, name)
        for row in trend.periods:
            t = row.tally
            table.add_row(row.period + (" *" if row.coarse else ""), str(t.events), *map(str, t.quads),
                          _number(t.goldstein_sum, 1), _number(t.goldstein_mean), _number(t.index),
                          ", ".join(f"{k} {n}" for k, n in sorted(t.types.items(), key=lambda kv: (-kv[1], kv[0]))))
        console.print(table)
        if any(row.coarse for row in trend.periods):
            err_console.print(f"* events dated only to a longer period than a {trend.by}")
    if trend.undated:
        err_console.print(f"{trend.undated} undated events are not in any period")
    if not trend.periods:
        err_console.print("no events for this " + ("dyad" if b else "actor"))


def partners_cli(
    a: Annotated[str, typer.Argument(help="An actor: country code (CHN), organisation or actor id.")],
    since: SinceOpt = None,
    until: UntilOpt = None,
    types: TypeOpt = None,
    pledged: PledgedOpt = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many partners.")] = 20,
    fmt: FormatOpt = Format.table,
    db: DbOpt = None,
) -> None:
    """A's counterparts ranked by consolidated events, with their mix of cooperation and conflict."""
    start, end = parse_day(since, "--since"), parse_day(until, "--until")
    with reading(settings_for(db, None)) as conn:
        ranked = partners(conn, a, start, end, limit, [t.upper() for t in types or ()], _modalities(pledged))
    if fmt is not Format.table:
        exporters.get(str(fmt))((p.as_dict() for p in ranked), PARTNERS, None, sys.stdout)
        return
    table = Table(title=f"partners of {a}")
    for name in ("partner", "events", *_HEADS, "coop", "mean", "index", "first", "last"):
        _column(table, name)
    for p in ranked:
        t = p.tally
        table.add_row(p.actor, str(t.events), *map(str, t.quads), _number(t.cooperation_share),
                      _number(t.goldstein_mean), _number(t.index), p.first or "—", p.last or "—")
    console.print(table)
    if not ranked:
        err_console.print("no partners for this actor")
