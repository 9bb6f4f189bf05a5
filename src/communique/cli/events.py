"""`communique events | timeline | statements`: the coded events, a dyad's timeline, who said what."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from communique.cli.common import DbOpt, console, err_console, handled, parse_day, reading, settings_for
from communique.export import EVENT_RECORD, LAYOUTS, Layout
from communique.registry import exporters
from communique.store.events import EventFilter, event_rows, flat_event, parse_dyad, statement_rows, timeline

SinceOpt = Annotated[str | None, typer.Option("--since", help="Events on or after (YYYY-MM-DD), at their precision.")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Events on or before (YYYY-MM-DD).")]
TypeOpt = Annotated[list[str] | None, typer.Option("--type", help="PLOVER type (repeat for several).")]
LimitOpt = Annotated[int, typer.Option("--limit", min=1, help="At most this many rows in a table.")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Output file for jsonl/csv/parquet.")]
_EVIDENCE_CHARS = 110


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


FormatOpt = Annotated[Format, typer.Option("--format", help="Output format.")]


def event_export(rows: Iterator[dict[str, Any]], fmt: str) -> tuple[Iterator[dict[str, Any]], Layout]:
    """JSONL gets the event record of DESIGN.md; CSV and Parquet the flat CAMEO/PLOVER columns."""
    if fmt == "jsonl":
        return (r["record"] for r in rows), EVENT_RECORD
    return (flat_event(r) for r in rows), LAYOUTS["events"]


def _filter(actor: str | None, dyad: str | None, types: list[str] | None, since: str | None, until: str | None,
            article: str | None = None) -> EventFilter:
    start, end = parse_day(since, "--since"), parse_day(until, "--until")
    with handled():
        return EventFilter(actor=actor, dyad=parse_dyad(dyad) if dyad else None,
                           types=tuple(t.upper() for t in types or ()), since=start, until=end, article_id=article)
    raise AssertionError("unreachable")


def _column(table: Table, name: str) -> None:
    """Short columns stay on one line; the evidence and content take what width is left."""
    if name in ("evidence", "content"):
        table.add_column(name, overflow="fold", ratio=1, min_width=24)
    else:
        table.add_column(name, no_wrap=name in ("date", "cameo", "published", "precision"))


def _check_out(fmt: Format, out: Path | None) -> None:
    if fmt is Format.parquet and out is None:
        raise typer.BadParameter("Parquet is binary: give a file with --out", param_hint="--out")


def _short(text: str, limit: int = _EVIDENCE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _who(source: str | None, target: str | None, mutual: bool) -> str:
    arrow = " ↔ " if mutual else " → "
    return (source or "?") + (arrow + target if target else "")


def events_cli(
    actor: Annotated[str | None, typer.Option("--actor", help="Country code, organisation or actor id.")] = None,
    dyad: Annotated[str | None, typer.Option("--dyad", help="Two actors, either direction: CHN-BLR.")] = None,
    types: TypeOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    article: Annotated[str | None, typer.Option("--article", help="Only this article's events.")] = None,
    fmt: FormatOpt = Format.table,
    out: OutOpt = None,
    limit: LimitOpt = 100,
    db: DbOpt = None,
) -> None:
    """List coded events (one per sentence and article) with their evidence."""
    _check_out(fmt, out)
    filt = _filter(actor, dyad, types, since, until, article)
    settings = settings_for(db, None)
    with reading(settings) as conn:
        if fmt is not Format.table:
            rows, layout = event_export(event_rows(conn, filt), str(fmt))
            count = exporters.get(str(fmt))(rows, layout, out, sys.stdout)
            err_console.print(f"exported {count} events" + (f" to {out}" if out else ""))
            return
        table = Table(title=f"events in {settings.store.path}", show_lines=False)
        for name in ("date", "type", "cameo", "who", "where", "modality", "evidence", "article"):
            _column(table, name)
        shown = 0
        for row in event_rows(conn, filt, limit):
            table.add_row(f"{row['date_value'] or '—'}", f"{row['type']}" + (f"/{row['mode']}" if row["mode"] else ""),
                          row["cameo"], _who(row["source_country"] or row["source_actor"],
                                             row["target_country"] or row["target_actor"], bool(row["mutual"])),
                          row["place"] or "", row["modality"] + (" (reported)" if row["reported"] else ""),
                          _short(row["evidence"]), row["article_id"])
            shown += 1
    console.print(table)
    if shown == 0:
        err_console.print("no events match")


def timeline_cli(
    a: Annotated[str, typer.Argument(help="An actor: country code (CHN), organisation (EU) or actor id.")],
    b: Annotated[str | None, typer.Argument(help="The other actor; without it, A with everyone.")] = None,
    types: TypeOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    undated: Annotated[bool, typer.Option("--undated", help="Also list events with no date.")] = False,
    limit: LimitOpt = 200,
    after: Annotated[str | None, typer.Option("--after", help="Start after this DATE,ID (printed under a full "
                                                              "page).")] = None,
    db: DbOpt = None,
) -> None:
    """A dyad's events in date order, one line per real-world event however many articles tell it."""
    filt = _filter(None if b else a, f"{a},{b}" if b else None, types, since, until)
    settings = settings_for(db, None)
    with reading(settings) as conn:
        entries = timeline(conn, filt, include_undated=undated, limit=limit + 1, after=_cursor(after))
    title = f"timeline {a}" + (f" – {b}" if b else "")
    table = Table(title=title)
    for name in ("date", "precision", "type", "who", "where", "articles", "evidence", "article"):
        _column(table, name)
    for entry in entries[:limit]:
        best = entry.best
        modality = "" if best["modality"] == "asserted" else f" ({best['modality']})"
        table.add_row(entry.date or "—", entry.precision or "", entry.type + (f"/{entry.mode}" if entry.mode else "")
                      + modality, _who(entry.source, entry.target, entry.mutual), entry.place or "",
                      str(entry.articles), _short(best["evidence"]), best["article_id"])
    console.print(table)
    if len(entries) > limit:
        date, last = entries[limit - 1].cursor
        err_console.print(f"more: use --limit, or --after {date or '-'},{last} for the next page")
    elif not entries:
        err_console.print("no events for this " + ("dyad" if b else "actor"))


def _cursor(text: str | None) -> tuple[str | None, str] | None:
    """"2024-03-13,0123abcd…" -> ("2024-03-13", "0123abcd…"); "-,ID" is the cursor of an undated event."""
    if text is None:
        return None
    date, sep, last = text.rpartition(",")
    if not sep or not last:
        raise typer.BadParameter(f"{text!r} is not a cursor; give DATE,ID as printed under a page",
                                 param_hint="--after")
    return (None if date in ("", "-") else date), last


def statements_cli(
    speaker: Annotated[str | None, typer.Option("--speaker", help="Actor id, country code or part of a name.")] = None,
    article: Annotated[str | None, typer.Option("--article", help="Only this article's statements.")] = None,
    fmt: FormatOpt = Format.table,
    out: OutOpt = None,
    limit: LimitOpt = 100,
    db: DbOpt = None,
) -> None:
    """Who said what: speaker, cue, content (direct quotation or reported)."""
    _check_out(fmt, out)
    settings = settings_for(db, None)
    with reading(settings) as conn:
        if fmt is not Format.table:
            count = exporters.get(str(fmt))(statement_rows(conn, speaker, article), LAYOUTS["statements"], out,
                                            sys.stdout)
            err_console.print(f"exported {count} statements" + (f" to {out}" if out else ""))
            return
        table = Table(title=f"statements in {settings.store.path}")
        for name in ("published", "speaker", "cue", "kind", "content", "article"):
            _column(table, name)
        rows = list(statement_rows(conn, speaker, article, limit))
        for row in rows:
            who = row["speaker_name"] or row["speaker_text"] or "?"
            if row["speaker_country"]:
                who += f" ({row['speaker_country']})"
            table.add_row(row["article_published"] or "—", who, row["cue"], "direct" if row["direct"] else "reported",
                          _short(row["content"], 140), row["article_id"])
    console.print(table)
    if not rows:
        err_console.print("no statements match")
