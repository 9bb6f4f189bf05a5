"""`communique batch` (the pipeline on a Dask cluster, to Parquet) and `communique load` (Parquet into the store)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from communique.cli.common import ConfigOpt, DbOpt, console, err_console, handled, print_rejects, settings_for

if TYPE_CHECKING:
    from communique.batch import BatchObserver
    from communique.batch.output import Manifest
    from communique.batch.shard import Shard


def _observer() -> BatchObserver:
    from communique.batch import BatchObserver

    class RichObserver(BatchObserver):
        """One line per shard on stderr, as shards finish in whatever order the workers finish them."""

        def __init__(self) -> None:
            self.total = 0
            self.seen = 0

        def started(self, dashboard: str | None, shards: int, workers: int) -> None:
            self.total = shards
            err_console.print(f"dask dashboard: {dashboard or 'not available'} ({workers} workers)", highlight=False)

        def linked(self, fingerprinted: int, exact: int, near: int) -> None:
            err_console.print(f"fingerprinted {fingerprinted} new shard(s); across all shards {exact} exact and "
                              f"{near} near-duplicate(s), left to their first copies", highlight=False)

        def shard_done(self, shard: Shard, manifest: Manifest | None, skipped: bool, error: str | None) -> None:
            self.seen += 1
            where = f"[{self.seen}/{self.total or '?'}] {shard.path}"
            if manifest is None:
                err_console.print(f"[red]failed[/red] {where}: {error}", highlight=False, soft_wrap=True)
            elif skipped:
                err_console.print(f"unchanged {where}", highlight=False, soft_wrap=True)
            else:
                counts = manifest.counts
                err_console.print(f"done {where}: {counts.get('stored', 0)} articles, "
                                  f"{counts.get('analysed_events', 0)} events, {len(manifest.rejects)} rejects "
                                  f"in {manifest.seconds:.1f} s", highlight=False, soft_wrap=True)

    return RichObserver()


def batch_cli(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories (recursive) or globs; each file is a shard.")],
    out: Annotated[Path, typer.Option("--out", help="Output directory of the Parquet datasets.")],
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Address of a running Dask scheduler "
                                                  "(tcp://host:8786) [default: a local cluster].")] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Local cluster: worker processes "
                                                "[default: one per core].")] = None,
    config: ConfigOpt = None,
) -> None:
    """Run ingest + analyze over many files on a Dask cluster, into Parquet. Exit 1 when any input failed."""
    from communique.batch import run_batch

    if scheduler and workers:
        raise typer.BadParameter("--workers sizes the local cluster; leave it out with --scheduler",
                                 param_hint="--workers")
    settings = settings_for(None, config)
    with handled():
        summary = run_batch(inputs, out, settings, scheduler=scheduler, workers=workers, observer=_observer())
    table = Table(title=f"batch into {out}")
    for name in summary.counts():
        table.add_column(name, justify="right")
    table.add_row(*(str(v) for v in summary.counts().values()))
    console.print(table)
    print_rejects(summary.rejects)
    raise typer.Exit(summary.exit_code)


def load_cli(
    directory: Annotated[Path, typer.Argument(help="Output directory of `communique batch`.", exists=True,
                                              file_okay=False)],
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Load a batch output into the store (shards loaded before are skipped) and consolidate its events."""
    from communique.batch.load import load

    settings = settings_for(db, config)
    with handled():
        summary = load(directory, settings)
    table = Table(title=f"load {directory} into {settings.store.path}")
    counts = {"shards": summary.shards, "unchanged shards": summary.unchanged, "stored": summary.ingest.stored,
              "duplicates": summary.ingest.duplicates, "near-duplicates": summary.ingest.near_duplicates,
              "analysed": summary.analyze.articles, "events": summary.analyze.events}
    for name in counts:
        table.add_column(name, justify="right")
    table.add_row(*(str(v) for v in counts.values()))
    console.print(table)
