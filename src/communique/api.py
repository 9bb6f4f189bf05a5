"""The Python API for analysts: a read-only view of a store (docs/api.md).

>>> with communique.open_store("communique.db") as store:      # doctest: +SKIP
...     store.trends("CHN", "BLR", by="year")

Each method is a thin layer over the query functions that the CLI calls, so the two always agree.
Dates may be given as `datetime.date` or as "YYYY-MM-DD" text.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import fields
from pathlib import Path
from types import TracebackType
from typing import Any

from communique.analysis.checks import CheckedClaim, check_claims
from communique.analysis.partners import Partner, partners
from communique.analysis.trends import Trends, trends
from communique.errors import QueryError
from communique.settings import load_settings
from communique.store import connect
from communique.store.events import EventFilter, TimelineEntry, event_rows, flat_event, statement_rows, timeline
from communique.store.queries import check_schema

Day = dt.date | str | None
_FILTER_FIELDS = frozenset(f.name for f in fields(EventFilter))


def _day(value: Day, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"E415 {name}={value!r} is not a date (YYYY-MM-DD)") from None


def _event_filter(a: str | None, b: str | None, filters: dict[str, Any]) -> EventFilter:
    """An EventFilter for A (and B); `since`/`until` may be text, `types` any sequence."""
    values = {k: v for k, v in filters.items() if k in _FILTER_FIELDS}
    values.update(since=_day(values.get("since"), "since"), until=_day(values.get("until"), "until"),
                  types=tuple(values.get("types", ())))
    if b is None:
        return EventFilter(actor=a, **values)
    return EventFilter(dyad=(a, b) if a else None, **values)


class Store:
    """A read-only connection to a communique database, with the questions analysts ask of it.

    Raises:
        StoreError: the file is missing, not a communique database, or at another schema version.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path if path is not None else load_settings().store.path)
        self.conn: sqlite3.Connection = connect(self.path, readonly=True)
        try:
            check_schema(self.conn)
        except Exception:
            self.conn.close()
            raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def timeline(self, a: str, b: str | None = None, **filters: Any) -> list[TimelineEntry]:
        """Consolidated events of A (with B, or everyone) in date order.

        `types`, `since`, `until` and `article_id` select events; every other keyword (such as
        `include_undated`) goes unchanged to `communique.store.events.timeline`.
        """
        passed = {k: v for k, v in filters.items() if k not in _FILTER_FIELDS}
        return timeline(self.conn, _event_filter(a, b, filters), **passed)

    def trends(self, a: str, b: str | None = None, by: str = "month", since: Day = None, until: Day = None,
               **options: Any) -> Trends:
        """Counts and the cooperation–conflict index per period; `types` and `modalities` as in
        `communique.analysis.trends.trends`."""
        return trends(self.conn, a, b, by, _day(since, "since"), _day(until, "until"), **options)

    def partners(self, a: str, since: Day = None, until: Day = None, limit: int | None = None,
                 **options: Any) -> list[Partner]:
        """A's counterparts ranked by consolidated events (`communique.analysis.partners.partners`)."""
        return partners(self.conn, a, _day(since, "since"), _day(until, "until"), limit, **options)

    def events(self, a: str | None = None, b: str | None = None, limit: int | None = None,
               **filters: Any) -> list[dict[str, Any]]:
        """Mention-level events as flat rows (docs/schema.md, "events"), ready for a DataFrame.

        Keywords: `types`, `since`, `until`, `article_id`.
        """
        if unknown := set(filters) - _FILTER_FIELDS:
            raise TypeError(f"events() got unknown filters {sorted(unknown)}")
        return [flat_event(row) for row in event_rows(self.conn, _event_filter(a, b, filters), limit)]

    def statements(self, speaker: str | None = None, article_id: str | None = None,
                   limit: int | None = None) -> list[dict[str, Any]]:
        """Who said what (docs/schema.md, "statements"), optionally of one speaker or article."""
        return list(statement_rows(self.conn, speaker, article_id, limit))

    def claims(self, article_id: str | None = None) -> list[CheckedClaim]:
        """Claims of the articles (or of one) checked against the consolidated events (docs/claims.md)."""
        return list(check_claims(self.conn, article_id))


def open_store(path: str | Path | None = None) -> Store:
    """Open the database at `path` (default: `$COMMUNIQUE_DB` or `communique.db`) for reading."""
    return Store(path)
