"""The `communique` command: a thin Typer layer over the Python API.

Exit codes: 0 success; 1 some inputs failed or the store could not be used;
2 usage errors (bad options, malformed search query, bad settings file). Contradicted
claims are findings, not errors: `communique claims` exits 0 whatever the verdicts.
"""

from __future__ import annotations

import typer

from communique.cli import actors, analyze, batch, claims, events, export, ingest, query, serve, trends
from communique.cli.common import console, err_console  # noqa: F401  (re-exported for tests)

app = typer.Typer(help="Turn news about international relations into verifiable event data.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
app.command("ingest")(ingest.ingest_cli)
app.command("analyze")(analyze.analyze_cli)
app.command("articles")(query.articles_cli)
app.command("show")(query.show_cli)
app.command("search")(query.search_cli)
app.command("stats")(query.stats_cli)
app.command("figures")(query.figures_cli)
app.command("events")(events.events_cli)
app.command("timeline")(events.timeline_cli)
app.command("statements")(events.statements_cli)
app.command("trends")(trends.trends_cli)
app.command("partners")(trends.partners_cli)
app.command("claims")(claims.claims_cli)
app.add_typer(actors.actors_app, name="actors")
app.command("export")(export.export_cli)
app.command("serve")(serve.serve_cli)
app.command("batch")(batch.batch_cli)
app.command("load")(batch.load_cli)


def main() -> None:
    """Entry point of the console script."""
    app()
