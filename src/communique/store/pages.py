"""Keyset-paged reads for the JSON API: a page of rows and the key to continue after.

Each function takes `after`, the sort key of the last row of the previous page (None for the
first page), and returns at most `limit` rows plus the key of the last one when more follow.
Keys are tuples of plain values so that the caller can encode them as an opaque cursor.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from communique.store.events import EventFilter

T = TypeVar("T")
Key = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """Rows of one page and the sort key of its last row when another page follows."""

    rows: list[T]
    next_key: Key | None


def _page(rows: Sequence[Any], limit: int, key_of: Any) -> Page[Any]:
    more = len(rows) > limit
    kept = list(rows[:limit])
    return Page(kept, key_of(kept[-1]) if more and kept else None)


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """An article without its body: what a list of articles shows."""

    id: str
    title: str | None
    source: str | None
    published: str | None
    url: str | None
    near_duplicate_of: str | None
    events: int


def article_page(conn: sqlite3.Connection, limit: int, after: Key | None = None, source: str | None = None,
                 since: dt.date | None = None, until: dt.date | None = None) -> Page[ArticleSummary]:
    """Articles in ingest order, filtered by source and publication date (inclusive)."""
    clauses, params = ["a.seq > ?"], [after[0] if after else -1]
    if source:
        clauses.append("a.source = ? COLLATE NOCASE")
        params.append(source)
    if since:
        clauses.append("a.published >= ?")
        params.append(since.isoformat())
    if until:
        clauses.append("a.published <= ?")
        params.append(until.isoformat())
    rows = conn.execute(
        "SELECT a.seq, a.id, a.title, a.source, a.published, a.url, a.near_duplicate_of,"
        " (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS n FROM articles a"
        f" WHERE {' AND '.join(clauses)} ORDER BY a.seq LIMIT ?", [*params, limit + 1]).fetchall()
    page = _page(rows, limit, lambda r: (r["seq"],))
    return Page([ArticleSummary(r["id"], r["title"], r["source"], r["published"], r["url"], r["near_duplicate_of"],
                                r["n"]) for r in page.rows], page.next_key)


def event_page(conn: sqlite3.Connection, filt: EventFilter, limit: int,
               after: Key | None = None) -> Page[dict[str, Any]]:
    """Event records (DESIGN.md) in date order (undated last), then by id."""
    where, params = filt.where()
    key = "(e.date_value IS NULL, coalesce(e.date_value, ''), e.id)"
    if after:
        where += (" AND " if where else " WHERE ") + f"{key} > (?, ?, ?)"
        params += list(after)
    rows = conn.execute(f"SELECT e.id, e.date_value, e.record FROM events e{where}"
                        " ORDER BY e.date_value IS NULL, e.date_value, e.id LIMIT ?", [*params, limit + 1]).fetchall()
    page = _page(rows, limit, lambda r: (int(r["date_value"] is None), r["date_value"] or "", r["id"]))
    return Page([json.loads(r["record"]) for r in page.rows], page.next_key)


def actor_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many consolidated events each side (country code or actor id) takes part in."""
    rows = conn.execute("SELECT side, count(*) FROM (SELECT bucket_a AS side FROM consolidated UNION ALL"
                        " SELECT bucket_b FROM consolidated WHERE bucket_b != bucket_a) WHERE side != ''"
                        " GROUP BY side")
    return {r[0]: r[1] for r in rows}
