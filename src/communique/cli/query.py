"""`communique articles | show | search | stats`: read-only views of the store."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from communique.cli.common import EXIT_FAILED, DbOpt, console, err_console, handled, parse_day, reading, settings_for
from communique.store import queries

SinceOpt = Annotated[str | None, typer.Option("--since", help="Published on or after (YYYY-MM-DD).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Published on or before (YYYY-MM-DD).")]


def articles_cli(
    source: Annotated[str | None, typer.Option("--source", help="Only this outlet (case-insensitive).")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many rows.")] = 50,
    db: DbOpt = None,
) -> None:
    """List stored articles in ingest order."""
    start, end = parse_day(since, "--since"), parse_day(until, "--until")
    settings = settings_for(db, None)
    table = Table(show_header=True, title=f"articles in {settings.store.path}")
    for name in ("id", "published", "source", "title", "words", "note"):
        table.add_column(name)
    with reading(settings) as conn:
        for stored in queries.iter_articles(conn, source, start, end, limit):
            a = stored.article
            note = f"near-duplicate of {stored.near_duplicate_of}" if stored.near_duplicate_of else ""
            table.add_row(a.id, a.published.isoformat() if a.published else "—", a.source or "—",
                          a.title or "(no title)", str(len(a.text.split())), note)
    console.print(table)


def show_cli(
    article_id: Annotated[str, typer.Argument(help="Article id (or a unique prefix of 6+ characters).")],
    db: DbOpt = None,
) -> None:
    """Show one article: metadata, body, and the boilerplate removed from it."""
    settings = settings_for(db, None)
    with reading(settings) as conn:
        stored = queries.get_article(conn, article_id)
        if stored is None:
            err_console.print(f"[red]error:[/red] no article with id {article_id!r}")
            raise typer.Exit(EXIT_FAILED)
        sentences = queries.sentences(conn, stored.article.id)
        seen_at = queries.origins(conn, stored.article.id)
        layer = {what: list(queries.layer_rows(conn, what, stored.article.id))
                 for what in ("mentions", "dates", "figures")}
    a = stored.article
    meta = Table(show_header=False, box=None)
    for key, value in (("id", a.id), ("title", a.title), ("source", a.source), ("byline", a.byline),
                       ("published", a.published), ("url", a.url), ("origin", a.origin),
                       ("seen at", ", ".join(seen_at)), ("sentences", len(sentences)),
                       ("near-duplicate of", stored.near_duplicate_of), ("metadata", a.metadata or None),
                       ("warnings", "; ".join(a.warnings) or None)):
        if value not in (None, ""):
            meta.add_row(f"[bold]{key}[/bold]", str(value))
    console.print(meta)
    console.rule("body" + (" — [cyan]actors[/cyan] [green]dates[/green] [magenta]figures[/magenta]"
                           if any(layer.values()) else ""))
    console.print(_highlighted(a.text, layer), highlight=False)
    _print_layer(layer)
    if a.boilerplate:
        console.rule("removed boilerplate")
        for piece in a.boilerplate:
            console.print(f"[dim]{piece.kind:>8}[/dim] {piece.text}", highlight=False)


_STYLES = {"mentions": "bold cyan", "dates": "bold green", "figures": "bold magenta"}


def _highlighted(text: str, layer: dict[str, list[dict]]) -> Text:
    rich_text = Text(text)
    for what, rows in layer.items():
        for row in rows:
            rich_text.stylize(_STYLES[what], row["start"], row["end"])
    return rich_text


def _print_layer(layer: dict[str, list[dict]]) -> None:
    columns = {"mentions": ("text", "actor_id", "country", "sector", "title", "via"),
               "dates": ("text", "type", "value", "precision", "mod"),
               "figures": ("text", "value", "unit", "qualifier", "change", "measure", "period")}
    for what, rows in layer.items():
        if not rows:
            continue
        table = Table(title=what, show_header=True)
        table.add_column("sentence", justify="right")
        for name in columns[what]:
            table.add_column(name)
        for row in rows:
            table.add_row(str(row["sentence"]), *(escape("" if row[c] is None else str(row[c])) for c in columns[what]))
        console.print(table)


def figures_cli(
    unit: Annotated[str | None, typer.Option("--unit", help="Only this unit (USD, percent, km2, count, ...).")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only figures in sentences mentioning this actor "
                                                              "(actor id or country code, e.g. CHN).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 100,
    evidence: Annotated[bool, typer.Option("--evidence", help="Show the sentence that states each figure.")] = False,
    db: DbOpt = None,
) -> None:
    """List figures (money, percentages, areas, counts) with what they measure and where."""
    settings = settings_for(db, None)
    with reading(settings) as conn:
        rows = queries.figures(conn, unit, actor, limit)
    table = Table(show_header=True, title=f"{len(rows)} figure(s)")
    for name in ("published", "value", "figure", "change", "measure", "period"):
        table.add_column(name, no_wrap=name in ("published", "value"))
    if evidence:
        table.add_column("article")
        table.add_column("evidence")
    for row in rows:
        cells = [row["published"] or "—", _value(row), escape(row["text"]), row["change"] or "",
                 escape(row["measure"] or ""), escape(row["period"] or "")]
        table.add_row(*cells, *([row["article_id"], escape(row["evidence"])] if evidence else []))
    console.print(table)


_QUALIFIER_MARKS = {"exact": "", "about": "~", "at_least": "≥", "at_most": "≤", "more_than": ">", "less_than": "<"}


def _value(row: dict) -> str:
    """`>150 count`, `6,450,000,000 USD`, `83.6 percent`."""
    number = f"{row['value']:,.0f}" if float(row["value"]).is_integer() else f"{row['value']:,.4f}".rstrip("0")
    return f"{_QUALIFIER_MARKS.get(row['qualifier'], '')}{number} {row['unit']}"


def search_cli(
    query: Annotated[str, typer.Argument(help='FTS5 query, e.g. \'"state visit" AND Minsk\'.')],
    limit: Annotated[int, typer.Option("--limit", min=1)] = 20,
    db: DbOpt = None,
) -> None:
    """Full-text search over titles and bodies, best matches first, with snippets."""
    settings = settings_for(db, None)
    with reading(settings) as conn, handled():
        hits = queries.search(conn, query, limit)
    table = Table(show_header=True, title=f"{len(hits)} match(es) for {query!r}")
    for name in ("id", "published", "source", "title", "snippet"):
        table.add_column(name)
    for hit in hits:
        snippet = escape(hit.snippet).replace("\x02", "[bold yellow]").replace("\x03", "[/bold yellow]")
        table.add_row(hit.article_id, hit.published or "—", escape(hit.source or "—"), escape(hit.title or ""), snippet)
    console.print(table)


def stats_cli(db: DbOpt = None) -> None:
    """Counts of what the store holds."""
    settings = settings_for(db, None)
    with reading(settings) as conn:
        numbers = queries.stats(conn)
    table = Table(show_header=False, title=f"store {settings.store.path}")
    for key, value in numbers.items():
        if key == "sources":
            value = ", ".join(f"{name} ({n})" for name, n in value) or "—"
        table.add_row(key.replace("_", " "), "—" if value is None else str(value))
    console.print(table)
