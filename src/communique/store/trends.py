"""Aggregate queries over consolidated events for trends and partners (docs/analysis.md, "Trends and partners").

The sides of a consolidated event are sorted into `bucket_a` <= `bucket_b`, so a dyad is one
equality on each column and an actor alone is one on either; both use the bucket indexes. SQL
groups days and months into their periods; other date values (weeks, quarters, seasons, and
years below a yearly grain) come out as themselves, for `communique.analysis.trends` to place.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from communique.errors import QueryError
from communique.records import PloverType

MODALITIES = ("asserted", "pledged")
_LETTERED = "c.date_value GLOB '[0-9][0-9][0-9][0-9]-[A-Z]*'"  # 2023-Q4, 2023-W49, 2023-H2, 2023-SU
_DAY_OR_MONTH = "c.date_value GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'"
# The period that SQL can name for days and months (and, by year, quarters and halves); any other
# date value is grouped as itself and placed by `communique.analysis.trends.period_of`.
PERIOD_KEYS = {
    "month": f"CASE WHEN {_DAY_OR_MONTH} THEN substr(c.date_value, 1, 7) ELSE c.date_value END",
    "quarter": f"CASE WHEN {_DAY_OR_MONTH} THEN substr(c.date_value, 1, 5) || 'Q'"
               " || ((CAST(substr(c.date_value, 6, 2) AS INTEGER) + 2) / 3) ELSE c.date_value END",
    "year": f"CASE WHEN {_DAY_OR_MONTH} OR c.date_value GLOB '[0-9][0-9][0-9][0-9]-[QH]*'"
            " THEN substr(c.date_value, 1, 4) ELSE c.date_value END",
}
_SUMS = ("count(*) AS n, sum(c.quad_class = 1) AS q1, sum(c.quad_class = 2) AS q2, sum(c.quad_class = 3) AS q3,"
         " sum(c.quad_class = 4) AS q4, total(c.goldstein) AS g, count(c.goldstein) AS scored,"
         " total(abs(c.goldstein)) AS g_abs")

_MONTHLY_SUMS = ("sum(c.events) AS n, sum(c.q1) AS q1, sum(c.q2) AS q2, sum(c.q3) AS q3, sum(c.q4) AS q4,"
                 " total(c.goldstein_sum) AS g, sum(c.scored) AS scored, total(c.goldstein_abs) AS g_abs")


@dataclass(frozen=True, slots=True)
class Scope:
    """Which consolidated events an aggregate reads: an actor or a dyad, dates, types, modalities."""

    a: str
    b: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    types: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ("asserted",)

    def __post_init__(self) -> None:
        bad = [t for t in self.types if t not in PloverType.__members__]
        if bad:
            raise QueryError(f"E411 unknown event type(s) {', '.join(bad)}; one of {', '.join(PloverType)}")
        if not self.modalities or not set(self.modalities) <= set(MODALITIES):
            raise QueryError(f"E413 modalities {self.modalities!r}: choose among {', '.join(MODALITIES)}")

    def month_aligned(self) -> bool:
        """True when `since` is a month's first day and `until` a month's last (or they are unset)."""
        return ((self.since is None or self.since.day == 1)
                and (self.until is None or (self.until + dt.timedelta(days=1)).day == 1))

    def where(self) -> tuple[str, list[Any]]:
        """The WHERE clause over `consolidated c` and its parameters."""
        if self.b is None:
            clauses, params = ["(c.bucket_a = ? OR c.bucket_b = ?)"], [self.a, self.a]
        else:
            clauses, params = ["c.bucket_a = ? AND c.bucket_b = ?"], sorted((self.a, self.b))
        clauses.append(f"c.modality IN ({','.join('?' * len(self.modalities))})")
        params += self.modalities
        if self.types:
            clauses.append(f"c.type IN ({','.join('?' * len(self.types))})")
            params += self.types
        # The year bound lets the date index serve; the text comparison is exact for days, months and
        # years. Quarters, weeks, halves and seasons pass here and `communique.analysis.trends.inside`
        # keeps those whose days overlap the bounds.
        if self.since:
            clauses.append(f"c.date_value >= ? AND ({_LETTERED} OR c.date_value >= substr(?, 1, length(c.date_value)))")
            params += [f"{self.since.year:04d}", self.since.isoformat()]
        if self.until:
            clauses.append(f"c.date_value < ? AND ({_LETTERED} OR c.date_value <= substr(?, 1, length(c.date_value)))")
            params += [f"{self.until.year + 1:04d}", self.until.isoformat()]
        return " WHERE " + " AND ".join(clauses), params


@dataclass(frozen=True, slots=True)
class DateCount:
    """Consolidated events sharing one date value, or the period SQL put it in, with their count per type."""

    date_value: str | None
    types: dict[str, int]
    events: int
    quads: tuple[int, int, int, int]
    goldstein_sum: float
    scored: int
    goldstein_abs: float

    @classmethod
    def from_row(cls, row: sqlite3.Row | tuple[Any, ...], date_value: str | None,
                 types: dict[str, int] | None = None) -> DateCount:
        """Build from the eight `_SUMS` columns at the end of `row`."""
        n, q1, q2, q3, q4, total, scored, absolute = tuple(row)[-8:]
        return cls(date_value, types or {}, n, (q1, q2, q3, q4), total, scored, absolute)


def date_counts(conn: sqlite3.Connection, scope: Scope, by: str) -> Iterator[DateCount]:
    """Counts and Goldstein sums of the events in `scope` per period key (`PERIOD_KEYS[by]`), with counts per type.

    When the scope's bounds fall on month edges, the monthly summary `consolidated_months` answers
    (its `month` is the month of a day or month date, or the date value itself); a bound inside a
    month needs the events' days, so `consolidated` answers. SQL groups by period and type, then
    by period with the types as one JSON object, so Python sees one row per period.
    """
    where, params = scope.where()
    if scope.month_aligned():
        key = PERIOD_KEYS[by].replace("c.date_value", "nullif(c.month, '')")
        where = where.replace("c.date_value", "c.month")
        inner = f"SELECT {key} AS period_key, c.type, {_MONTHLY_SUMS} FROM consolidated_months c{where}"
    else:
        inner = f"SELECT {PERIOD_KEYS[by]} AS period_key, c.type, {_SUMS} FROM consolidated c{where}"
    sql = (f"SELECT period_key, json_group_object(type, n), sum(n), sum(q1), sum(q2), sum(q3), sum(q4), total(g),"
           f" sum(scored), total(g_abs) FROM ({inner} GROUP BY period_key, c.type) GROUP BY period_key")
    for row in conn.execute(sql, params):
        yield DateCount.from_row(row, row[0], json.loads(row[1]))


def partner_counts(conn: sqlite3.Connection, scope: Scope) -> Iterator[tuple[str, DateCount]]:
    """The counterparts of `scope.a` with their counts per date value; unknown sides and `a` itself left out."""
    where, params = scope.where()
    sql = (f"SELECT p.partner, p.date_value, {_SUMS.replace('c.', 'p.')} FROM"
           f" (SELECT CASE WHEN c.bucket_a = ? THEN c.bucket_b ELSE c.bucket_a END AS partner, c.* FROM consolidated c"
           f"{where}) p WHERE p.partner NOT IN ('', ?) GROUP BY p.partner, p.date_value")
    for row in conn.execute(sql, [scope.a, *params, scope.a]):
        yield row[0], DateCount.from_row(row, row[1])
