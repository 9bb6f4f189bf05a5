"""Options and helpers shared by the commands."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from communique.errors import CommuniqueError, ConfigError, QueryError
from communique.records import Reject
from communique.settings import Settings, load_settings
from communique.store import connect
from communique.store.queries import check_schema

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

console = Console()
err_console = Console(stderr=True)

DbOpt = Annotated[Path | None, typer.Option("--db", help="Database file [default: $COMMUNIQUE_DB or communique.db].",
                                            show_default=False)]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="TOML file overriding default settings.",
                                                show_default=False)]

T = TypeVar("T")


def settings_for(db: Path | None, config: Path | None) -> Settings:
    """Settings from defaults, `--config`, `$COMMUNIQUE_DB`, then `--db`."""
    with handled():
        return load_settings(config).with_db(db)
    raise AssertionError("unreachable")


@contextmanager
def handled() -> Iterator[None]:
    """Turn communique errors into one red line and the documented exit code."""
    try:
        yield
    except (QueryError, ConfigError) as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(EXIT_USAGE) from exc
    except CommuniqueError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(EXIT_FAILED) from exc


@contextmanager
def reading(settings: Settings) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the configured store."""
    with handled():
        conn = connect(settings.store.path, readonly=True)
        try:
            check_schema(conn)
            yield conn
        finally:
            conn.close()


def parse_day(value: str | None, option: str) -> dt.date | None:
    """A YYYY-MM-DD option value, or a usage error naming the option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option) from exc


def with_handled(fn: Callable[[], T]) -> T:
    """Call `fn` with communique errors turned into exit codes."""
    with handled():
        return fn()
    raise AssertionError("unreachable")


def print_rejects(rejects: list[Reject]) -> None:
    """The inputs a run could not read, each with where (file and line) and the coded reason."""
    if not rejects:
        return
    reasons = Table(title="failed inputs")
    reasons.add_column("input")
    reasons.add_column("reason")
    for reject in rejects:
        where = f"{reject.origin}:{reject.line}" if reject.line is not None else reject.origin
        reasons.add_row(where, f"{reject.code} {reject.reason}")
    console.print(reasons)
