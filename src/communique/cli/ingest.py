"""`communique ingest`: files, directories, globs or stdin into the store."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from communique.cli.common import ConfigOpt, DbOpt, console, err_console, handled, print_rejects, settings_for
from communique.records import Reject
from communique.report import IngestSummary, Observer


class _RichObserver(Observer):
    """Progress bar on the terminal; rejects and warnings as one line each on stderr."""

    def __init__(self) -> None:
        self.progress = Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[counts]}"), TimeElapsedColumn(),
                                 console=err_console, disable=not err_console.is_terminal, transient=True)
        self.task = self.progress.add_task("ingest", total=None, counts="")

    def start(self, total_files: int) -> None:
        self.progress.update(self.task, total=total_files)
        self.progress.start()

    def file_done(self, path: str, summary: IngestSummary) -> None:
        self.progress.update(self.task, advance=1, counts=f"{summary.stored} stored, {summary.failed} failed")

    def rejected(self, reject: Reject) -> None:
        self.progress.console.print(f"[red]failed[/red] {reject}", highlight=False, soft_wrap=True)

    def warned(self, origin: str, message: str) -> None:
        self.progress.console.print(f"[yellow]warning[/yellow] {origin}: {message}", highlight=False,
                                    soft_wrap=True)

    def stop(self) -> None:
        self.progress.stop()


def ingest_cli(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (recursive), globs, or - for JSONL on stdin.")],
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Read news articles into the store, with a closing summary. Exit 1 when any input failed."""
    from communique.pipeline import ingest  # the readers' libraries load only for this command

    settings = settings_for(db, config)
    observer = _RichObserver()
    with handled():
        try:
            summary = ingest(paths, settings, observer=observer)
        finally:
            observer.stop()
    table = Table(title=f"ingest into {settings.store.path}", show_header=True)
    for name in ("files", "unchanged files", "read", "stored", "duplicates", "near-duplicates", "skipped", "failed"):
        table.add_column(name, justify="right")
    table.add_row(*(str(v) for v in summary.counts().values()))
    console.print(table)
    print_rejects(summary.rejects)
    raise typer.Exit(summary.exit_code)

