"""Read-only store access for the server: one connection per worker thread, opened on first use."""

from __future__ import annotations

import base64
import binascii
import json
import queue
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from communique.errors import QueryError
from communique.store import connect
from communique.store.queries import check_schema


class StoreReader:
    """A pool of read-only connections to the store at `path`: a request takes one and gives it back.

    FastAPI may run a request's dependencies and its handler on different worker threads, so a
    connection is lent for the whole request rather than kept per thread.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = connect(self.path, readonly=True, shared=True)
            check_schema(conn)
        try:
            yield conn
        finally:
            self._idle.put(conn)


def encode_cursor(key: tuple[Any, ...] | None) -> str | None:
    """An opaque cursor for a page's last sort key."""
    if key is None:
        return None
    return base64.urlsafe_b64encode(json.dumps(list(key), separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, shape: tuple[type | tuple[type, ...], ...]) -> tuple[Any, ...] | None:
    """The sort key a cursor holds, checked against the types the endpoint's key has.

    Raises:
        QueryError: the cursor was not made by this endpoint.
    """
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise QueryError(f"E420 bad cursor {cursor!r}: pass back the next_cursor of a previous page") from exc
    fits = isinstance(key, list) and len(key) == len(shape) and \
        all(isinstance(v, t) and not (t is int and isinstance(v, bool)) for v, t in zip(key, shape, strict=True))
    if not fits:
        raise QueryError(f"E420 bad cursor {cursor!r}: pass back the next_cursor of a previous page")
    return tuple(key)
