"""Cooperation and conflict over time: consolidated events per period (docs/analysis.md, "Trends and partners").

Each consolidated event counts once, however many articles report it. A period row holds the
counts by PLOVER type and quad class and three Goldstein figures: the sum (net cooperation,
Goldstein & Pevehouse 1997), the mean per scored event, and the index sum(g) / sum(|g|) in
[-1, 1], which is (cooperation weight - conflict weight) / (total weight).

An event goes to the period of the grain (`by`) that holds its whole date. An event dated more
coarsely (`2023` when grouping by month, or a week that straddles two months) gets a *coarse*
row labelled with its own date value, so it is neither spread over periods nor dropped.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from communique.analysis.consolidate import interval
from communique.errors import QueryError
from communique.store.trends import DateCount, Scope, date_counts

QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")


class Grain(StrEnum):
    """The length of a trend period."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(slots=True)
class Tally:
    """Counts and Goldstein weights of a set of consolidated events."""

    events: int = 0
    quads: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    types: dict[str, int] = field(default_factory=dict)
    goldstein_sum: float = 0.0
    scored: int = 0
    goldstein_abs: float = 0.0

    def add(self, count: DateCount) -> None:
        self.events += count.events
        for quad, n in enumerate(count.quads):
            self.quads[quad] += n
        for kind, n in count.types.items():
            self.types[kind] = self.types.get(kind, 0) + n
        self.goldstein_sum += count.goldstein_sum
        self.scored += count.scored
        self.goldstein_abs += count.goldstein_abs

    @property
    def goldstein_mean(self) -> float | None:
        """Mean Goldstein score of the events that have one."""
        return self.goldstein_sum / self.scored if self.scored else None

    @property
    def index(self) -> float | None:
        """(cooperation weight - conflict weight) / total weight, in [-1, 1]; None without any weight."""
        return self.goldstein_sum / self.goldstein_abs if self.goldstein_abs else None

    @property
    def cooperation_share(self) -> float | None:
        """Share of the events in quad classes 1 and 2."""
        return (self.quads[0] + self.quads[1]) / self.events if self.events else None

    def as_dict(self) -> dict[str, Any]:
        """The counts by quad class and the Goldstein figures (types are added by `TrendPeriod`)."""
        return {"events": self.events, **dict(zip(QUADS, self.quads, strict=True)),
                "goldstein_sum": rounded(self.goldstein_sum), "goldstein_mean": rounded(self.goldstein_mean),
                "index": rounded(self.index)}


@dataclass(frozen=True, slots=True)
class TrendPeriod:
    """One row of a trend: a period of the grain, or a coarse row named by an event's own date value."""

    period: str
    coarse: bool
    tally: Tally

    def as_dict(self) -> dict[str, Any]:
        return {"period": self.period, "coarse": self.coarse, **self.tally.as_dict(),
                "types": dict(sorted(self.tally.types.items()))}


@dataclass(frozen=True, slots=True)
class Trends:
    """The trend of an actor (against everyone) or of a dyad (either direction)."""

    a: str
    b: str | None
    by: Grain
    periods: tuple[TrendPeriod, ...]
    undated: int  # events with no date, an unknown year, or a date coarser than a year

    @property
    def title(self) -> str:
        return f"{self.a} – {self.b}" if self.b else f"{self.a} – all"


def rounded(value: float | None) -> float | None:
    """Four decimals for output; None stays None."""
    return None if value is None else round(value, 4)


def label(day: dt.date, by: Grain) -> str:
    """The period of `by` that holds `day`: 2023-12, 2023-Q4 or 2023."""
    if by == Grain.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    if by == Grain.QUARTER:
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}"


def period_of(value: str | None, by: Grain) -> tuple[str, bool] | None:
    """(period, coarse) of a date value; None when it cannot be placed in time."""
    span = interval(value)
    if span is None or value is None:
        return None
    first, last = (label(dt.date.fromordinal(d), by) for d in span)
    return (first, False) if first == last else (value, True)


def inside(value: str | None, since: dt.date | None, until: dt.date | None) -> bool:
    """True when the period of `value` overlaps [since, until]; an undated value only without bounds."""
    if since is None and until is None:
        return True
    span = interval(value)
    if span is None:
        return False
    return (since is None or span[1] >= since.toordinal()) and (until is None or span[0] <= until.toordinal())


def _order(period: str) -> tuple[int, int]:
    """Date order, a coarse row before the periods it holds (2023 before 2023-01)."""
    start, end = interval(period) or (0, 0)
    return start, start - end


def _gaps(periods: Iterable[str], by: Grain) -> list[str]:
    """Every period of the grain from the first to the last given, so that quiet periods show as zero."""
    spans = sorted(interval(p) or (0, 0) for p in periods)
    if not spans:
        return []
    out, day = [], spans[0][0]
    while day <= spans[-1][1]:
        out.append(label(dt.date.fromordinal(day), by))
        day = (interval(out[-1]) or (day, day))[1] + 1
    return out


def fold(counts: Iterable[DateCount], by: Grain, a: str, b: str | None = None) -> Trends:
    """Fold per-date counts into periods of `by` (pure; the policy for coarse dates is in the module doc)."""
    rows: dict[tuple[str, bool], Tally] = {}
    places: dict[str | None, tuple[str, bool] | None] = {}  # a date value comes once per type
    undated = 0
    for count in counts:
        if count.date_value not in places:
            places[count.date_value] = period_of(count.date_value, by)
        placed = places[count.date_value]
        if placed is None:
            undated += count.events
            continue
        rows.setdefault(placed, Tally()).add(count)
    for period in _gaps([p for p, coarse in rows if not coarse], by):
        rows.setdefault((period, False), Tally())
    ordered = sorted(rows.items(), key=lambda item: (_order(item[0][0]), item[0][0]))
    return Trends(a, b, by, tuple(TrendPeriod(p, coarse, t) for (p, coarse), t in ordered), undated)


def grain(by: str) -> Grain:
    """The grain named `by`, or E414."""
    try:
        return Grain(by)
    except ValueError:
        raise QueryError(f"E414 cannot group by {by!r}; one of {', '.join(Grain)}") from None


def trends(conn: sqlite3.Connection, a: str, b: str | None = None, by: str = "month", since: dt.date | None = None,
           until: dt.date | None = None, types: Sequence[str] = (),
           modalities: Sequence[str] = ("asserted",)) -> Trends:
    """Counts by type and quad class and the cooperation–conflict index of `a` (with `b`, or everyone) per period.

    Args:
        a, b: country codes or actor ids (the consolidated sides); without `b`, `a` against everyone.
        by: "month", "quarter" or "year".
        since, until: keep events whose date overlaps these days (2023-12 is inside since 2023-12-04).
        types: PLOVER types to keep (all when empty).
        modalities: "asserted" by default; add "pledged" to count announced events too.

    Raises:
        QueryError: an unknown grain (E414), type (E411) or modality (E413).
    """
    grained = grain(by)
    scope = Scope(a, b, since, until, tuple(types), tuple(modalities))
    counts = (c for c in date_counts(conn, scope, grained) if inside(c.date_value, since, until))
    return fold(counts, grained, a, b)
