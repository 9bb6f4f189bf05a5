"""`communique analyze`: give stored articles their parsed layer (actors, dates, figures, events, claims)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from communique.cli.common import ConfigOpt, DbOpt, console, err_console, handled, settings_for


def analyze_cli(
    db: DbOpt = None,
    config: ConfigOpt = None,
    redo: Annotated[bool, typer.Option("--redo", help="Analyse every article again, even if up to date.")] = False,
) -> None:
    """Parse every article not yet analysed by this version: actors, dates, figures, statements, events, claims."""
    from communique.pipeline import analyze  # spaCy loads only for this command

    settings = settings_for(db, config)
    bar = Progress(TextColumn("[bold]analyze"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err_console, disable=not err_console.is_terminal, transient=True)
    task = bar.add_task("analyze", total=None)

    def progress(done: int, total: int) -> None:
        bar.update(task, total=total, advance=done)

    with handled(), bar:
        summary = analyze(settings, progress=progress, redo=redo)
    table = Table(title=f"analyze {settings.store.path}" + (f" with {summary.model}" if summary.model else ""))
    for name in ("articles", "actor mentions", "time expressions", "figures", "statements", "events", "claims"):
        table.add_column(name, justify="right")
    table.add_row(*(str(v) for v in summary.counts().values()))
    console.print(table)
