"""`communique actors list | lookup`: browse the actor knowledge base (docs/kb.md)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from communique.cli.common import EXIT_FAILED, console, err_console, parse_day, with_handled
from communique.kb import ActorKB
from communique.records import Actor, Role

actors_app = typer.Typer(help="Browse the actor knowledge base (countries, organisations, people).",
                         no_args_is_help=True)

ActorsOpt = Annotated[list[Path] | None, typer.Option(
    "--actors", help="YAML or JSONL file of extra actors (repeatable; same fields as the shipped files).",
    exists=True, dir_okay=False, show_default=False)]


class Kind(StrEnum):
    country = "country"
    person = "person"
    igo = "igo"
    organization = "organization"


def _load(extra: list[Path] | None) -> ActorKB:
    return with_handled(lambda: ActorKB.load(extra or ()))


def _roles_text(roles: tuple[Role, ...]) -> str:
    def day(value: dt.date | None) -> str:
        return value.isoformat() if value else "…"

    return "\n".join(f"{r.title} ({r.country}) {day(r.start)} – {day(r.end)}" for r in roles)


def _table(title: str, rows: list[tuple[Actor, tuple[Role, ...]]], roles_header: str) -> Table:
    table = Table(show_header=True, title=title)
    for name in ("id", "name", "kind", "country", roles_header):
        table.add_column(name)
    for actor, roles in rows:
        table.add_row(escape(actor.id), escape(actor.name), str(actor.kind), actor.country or "—",
                      escape(_roles_text(roles)) or "—")
    return table


def list_cli(
    kind: Annotated[Kind | None, typer.Option("--kind", help="Only actors of this kind.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Only actors of this country (alpha-3).")] = None,
    on: Annotated[str | None, typer.Option("--on", help="Show roles held on this day (YYYY-MM-DD).")] = None,
    actors: ActorsOpt = None,
) -> None:
    """List actors, by id."""
    day = parse_day(on, "--on")
    kb = _load(actors)
    wanted = country.upper() if country else None
    rows = [(a, a.roles_on(day)) for a in sorted(kb, key=lambda a: a.id)
            if (kind is None or a.kind == kind.value) and (wanted is None or a.country == wanted)]
    console.print(_table(f"{len(rows)} actor(s)", rows, "roles" if day is None else f"roles on {day}"))


def lookup_cli(
    name: Annotated[str, typer.Argument(help='A name, alias, surname, demonym or metonym, e.g. "Lukashenko".')],
    on: Annotated[str | None, typer.Option("--on", help="Show the roles held on this day (YYYY-MM-DD).")] = None,
    actors: ActorsOpt = None,
) -> None:
    """Find the actors a name refers to and the roles they hold on a day. Exit 1 if none."""
    day = parse_day(on, "--on")
    kb = _load(actors)
    hits = kb.lookup(name, day)
    if not hits:
        err_console.print(f"[red]error:[/red] no actor is called {escape(repr(name))}")
        raise typer.Exit(EXIT_FAILED)
    header = "roles" if day is None else f"roles on {day}"
    console.print(_table(f"{len(hits)} actor(s) for {name!r}", hits, header))


actors_app.command("list")(list_cli)
actors_app.command("lookup")(lookup_cli)
