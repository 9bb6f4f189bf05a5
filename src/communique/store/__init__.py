"""The SQLite store: the only owner of connections.

One writer at a time (see `writer.py`), readers on their own connections; WAL lets
them run side by side. `prepare_connection` is the one place that sets PRAGMAs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from communique.errors import StoreError
from communique.store.migrations import migrate

BUSY_TIMEOUT_MS = 30_000
CACHE_KIB = 64 * 1024


def prepare_connection(conn: sqlite3.Connection) -> None:
    """Set the PRAGMAs every connection needs."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # the default 2 MiB thrashes on random-key indexes


def connect(path: str | Path, readonly: bool = False, shared: bool = False) -> sqlite3.Connection:
    """Open (and for writing, create and migrate) the database at `path`.

    `shared` lets the connection pass between threads (a server's pool); it must still be used
    by one thread at a time.

    Raises:
        StoreError: the file is missing (read-only), not a database, or too new.
    """
    target = Path(path)
    if readonly and not target.exists():
        raise StoreError(f"E402 {target}: no database here; run `communique ingest` first")
    try:
        if readonly:
            conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                                   check_same_thread=not shared)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(target, isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
        conn.row_factory = sqlite3.Row
        prepare_connection(conn)
        if not readonly:
            migrate(conn)
        return conn
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"E403 {target}: cannot open the database ({exc})") from exc


def dict_rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
    """The rows of `sql` as dicts keyed by column name.

    Zips each plain tuple with the column names read once: `dict(sqlite3.Row)` looks every
    name up again and costs several times more on pages of a few hundred wide rows.
    """
    cursor = conn.cursor()
    cursor.row_factory = None
    cursor.execute(sql, params)
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))
