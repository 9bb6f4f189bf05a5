"""`communique serve`: the JSON API and the dashboard over one store, read-only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from communique.cli.common import EXIT_FAILED, DbOpt, err_console, handled, settings_for
from communique.store import connect
from communique.store.queries import check_schema


def serve_cli(
    host: Annotated[str, typer.Option("--host", help="Address to bind; loopback unless you mean to share it.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Server processes (one per core serves most).")]
    = 1,
    db: DbOpt = None,
) -> None:
    """Serve the store's records, timelines, trends and claims as a JSON API and a web dashboard."""
    from communique.web.serving import serve

    settings = settings_for(db, None)
    with handled():
        check_schema(connect(settings.store.path, readonly=True))
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]warning:[/yellow] serving on {host}: anyone who reaches it can read the store")
    err_console.print(f"dashboard: http://{host}:{port}/   API: http://{host}:{port}/api   "
                      f"OpenAPI: http://{host}:{port}/openapi.json")
    with handled():
        status = serve(Path(settings.store.path), host, port, workers)
    if status:
        err_console.print("[red]error:[/red] a server process stopped on its own; the others were stopped")
        raise typer.Exit(EXIT_FAILED)
