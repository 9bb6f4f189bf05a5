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
from communique.store.queries import article_filter

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
    where, params = article_filter(source, since, until)
    clauses = ["a.seq > ?", *where]
    params.insert(0, after[0] if after else -1)
    rows = conn.execute(
        "SELECT a.seq, a.id, a.title, a.source, a.published, a.url, a.near_duplicate_of,"
        " (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS n FROM articles a"
        f" WHERE {' AND '.join(clauses)} ORDER BY a.seq LIMIT ?", [*params, limit + 1]).fetchall()
    page = _page(rows, limit, lambda r: (r["seq"],))
    return Page([ArticleSummary(r["id"], r["title"], r["source"], r["published"], r["url"], r["near_duplicate_of"],
                                r["n"]) for r in page.rows], page.next_key)


RARE = 20_000  # an actor in at most this many event rows is read through its own rows, not the date index
_ACTOR_EVENTS = ("SELECT e2.rowid FROM event_actors x JOIN events e2 ON e2.id = x.event_id"
                 " WHERE x.country = ? OR x.actor_id = ?")


def _rare_side(conn: sqlite3.Connection, filt: EventFilter) -> str | None:
    """The side of the filter (its actor, or a side of its dyad) with the fewest events, when it has few."""
    sides = [filt.actor] if filt.actor else list(filt.dyad or ())
    # Two bounded scans of covering indexes; an OR of both columns would cost ten times more.
    counts = {side: sum(conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM event_actors WHERE {column} = ? LIMIT ?)",
                                     (side, RARE + 1)).fetchone()[0] for column in ("country", "actor_id"))
              for side in sides}
    rarest = min(counts, key=lambda side: counts[side], default=None)
    return rarest if rarest is not None and counts[rarest] <= RARE else None


def event_page(conn: sqlite3.Connection, filt: EventFilter, limit: int,
               after: Key | None = None) -> Page[dict[str, Any]]:
    """Event records (DESIGN.md) in date order, then in storage order; undated events last.

    Dated events are read along the `events_date` index (date, then rowid), so a page costs the
    rows up to its last match and no sort; the undated follow in rowid order. An actor or a
    pair with a side in few events (`RARE`) would make that walk read most of the index before
    a page fills, so its events are taken from that side's `event_actors` rows and sorted
    instead. The key is (0 dated | 1 undated, date, rowid) either way.
    """
    where, params = filt.where()
    rare = _rare_side(conn, filt) if filt.actor or filt.dyad else None
    date = "+e.date_value" if rare else "e.date_value"  # the unary + keeps the planner off the date index
    if rare:
        where += f"{' AND ' if where else ' WHERE '}e.rowid IN ({_ACTOR_EVENTS})"
        params += [rare, rare]
    rows: list[sqlite3.Row] = []
    phases = ((f"{date} IS NOT NULL", f"{date}, e.rowid", f"({date}, e.rowid) > (?, ?)"),
              (f"{date} IS NULL", "e.rowid", "e.rowid > ?"))
    for flag, (present, order, beyond) in enumerate(phases):
        if after and after[0] > flag:
            continue
        clauses, values = [present], list(params)
        if after and after[0] == flag:
            clauses.append(beyond)
            values += [after[1], after[2]] if flag == 0 else [after[2]]
        sql = (f"SELECT e.rowid AS seq, e.date_value, e.record FROM events e{where}"
               f"{' AND ' if where else ' WHERE '}{' AND '.join(clauses)} ORDER BY {order} LIMIT ?")
        rows += conn.execute(sql, [*values, limit + 1 - len(rows)]).fetchall()
        if len(rows) > limit:
            break
    page = _page(rows, limit, lambda r: (int(r["date_value"] is None), r["date_value"] or "", r["seq"]))
    return Page([json.loads(r["record"]) for r in page.rows], page.next_key)


def pair_counts(conn: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """Consolidated events per pair of sides (`bucket_a` <= `bucket_b`), read from the monthly summary."""
    rows = conn.execute("SELECT bucket_a, bucket_b, sum(events) FROM consolidated_months GROUP BY bucket_a, bucket_b")
    return {(r[0], r[1]): r[2] for r in rows}


def actor_counts(pairs: dict[tuple[str, str], int]) -> dict[str, int]:
    """How many consolidated events each side (country code or actor id) takes part in, from `pair_counts`."""
    counts: dict[str, int] = {}
    for (a, b), n in pairs.items():
        for side in {a, b} - {""}:
            counts[side] = counts.get(side, 0) + n
    return counts


def top_dyads(pairs: dict[tuple[str, str], int], limit: int = 20) -> list[tuple[str, str, int]]:
    """The pairs of two known, different sides with most consolidated events, from `pair_counts`."""
    ranked = [(a, b, n) for (a, b), n in pairs.items() if a and b and a != b]
    return sorted(ranked, key=lambda p: (-p[2], p[0], p[1]))[:limit]


@dataclass(frozen=True, slots=True)
class Telling:
    """One mention of a consolidated event: the article, its sentence and trigger, and the sentences around it."""

    event_id: str
    article_id: str
    title: str | None
    source: str | None
    published: str | None
    sentence: int
    text: str  # the previous, evidence and next sentences
    evidence: tuple[int, int]  # offsets of the evidence sentence in `text`
    trigger: tuple[int, int]  # offsets of the trigger in `text`
    record: dict[str, Any]


def consolidated_event(conn: sqlite3.Connection, consolidated_id: str) -> tuple[dict[str, Any], list[Telling]] | None:
    """A consolidated event's row and every mention of it with its sentence in context, best first."""
    row = conn.execute("SELECT * FROM consolidated WHERE id = ?", (consolidated_id,)).fetchone()
    if row is None:
        return None
    tellings = []
    for m in conn.execute(
            "SELECT e.id, e.article_id, e.sentence, e.record, a.title, a.source, a.published, a.text,"
            " s.start, s.end, (SELECT min(p.start) FROM sentences p WHERE p.article_id = e.article_id"
            " AND p.idx = e.sentence - 1) AS before, (SELECT max(n.end) FROM sentences n"
            " WHERE n.article_id = e.article_id AND n.idx = e.sentence + 1) AS after"
            " FROM consolidated_mentions cm JOIN events e ON e.id = cm.event_id JOIN articles a ON a.id = e.article_id"
            " JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence"
            " WHERE cm.consolidated_id = ? ORDER BY cm.position", (consolidated_id,)):
        record = json.loads(m["record"])
        first = record["evidence"][0]
        begin = m["before"] if m["before"] is not None else m["start"]
        end = m["after"] if m["after"] is not None else m["end"]
        tellings.append(Telling(m["id"], m["article_id"], m["title"], m["source"], m["published"], m["sentence"],
                                m["text"][begin:end], (m["start"] - begin, m["end"] - begin),
                                (first["trigger_start"] - begin, first["trigger_end"] - begin), record))
    return dict(row), tellings
