"""`communique claims`: each stored claim with its sentence, its verdict and the events that decide it."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from communique.analysis.checks import CheckedClaim, check_claims
from communique.cli.common import DbOpt, console, err_console, reading, settings_for
from communique.export import LAYOUTS
from communique.registry import exporters

_STYLE = {"supported": "green", "contradicted": "red", "not enough data": "yellow"}
_EVIDENCE_CHARS = 90


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


def _events(checked: CheckedClaim) -> str:
    """One line per deciding consolidated event: date, type, who, and the start of its best sentence."""
    lines = []
    for e in checked.events:
        arrow = " ↔ " if e["mutual"] else " → "
        words = " ".join(e["evidence"].split())
        words = words if len(words) <= _EVIDENCE_CHARS else words[:_EVIDENCE_CHARS - 1] + "…"
        lines.append(f"{e['date_value']} {e['type']}" + (f"/{e['mode']}" if e["mode"] else "")
                     + f" {e['side_a'] or '?'}{arrow}{e['side_b'] or '?'}: {words}")
    return escape("\n".join(lines)) or "—"


def claims_cli(
    article: Annotated[str | None, typer.Option("--article", help="Only this article's claims (id or prefix).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    out: Annotated[Path | None, typer.Option("--out", help="Output file for jsonl/csv [default: stdout].")] = None,
    db: DbOpt = None,
) -> None:
    """Check the claims of the news ("his second visit this year") against the consolidated events.

    Exit code 0 whatever the verdicts; a contradicted claim is a finding, not an error.
    """
    settings = settings_for(db, None)
    with reading(settings) as conn:
        checked = list(check_claims(conn, article))
    if fmt is not Format.table:
        count = exporters.get(str(fmt))((c.as_dict() for c in checked), LAYOUTS["claims"], out, sys.stdout)
        err_console.print(f"exported {count} claims" + (f" to {out}" if out else ""))
        return
    table = Table(title=f"claims in {settings.store.path}", show_lines=True)
    for name in ("published", "claim", "verdict", "events"):
        table.add_column(name, overflow="fold", ratio=2 if name in ("claim", "events") else None)
    for c in checked:
        verdict = str(c.check.verdict)
        sentence = escape(" ".join(c.evidence.split()))
        table.add_row(c.published or "—", f"[bold]{escape(c.claim.text)}[/bold]\n{sentence}",
                      f"[{_STYLE[verdict]}]{verdict}[/]\n{escape(c.check.reason)}", _events(c))
    console.print(table)
    if not checked:
        err_console.print("no claims" + (" in this article" if article else "; run `communique analyze` first"))
