"""An actor's counterparts ranked by consolidated events (docs/analysis.md, "Partners")."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from communique.analysis.consolidate import interval
from communique.analysis.trends import Tally, inside, rounded
from communique.store.trends import DateCount, Scope, partner_counts


@dataclass(frozen=True, slots=True)
class Partner:
    """One counterpart: the events with it, their quad classes and Goldstein weights, the dates they span."""

    actor: str
    tally: Tally
    first: str | None
    last: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"partner": self.actor, **self.tally.as_dict(),
                "cooperation_share": rounded(self.tally.cooperation_share), "first": self.first, "last": self.last}


def rank(counts: Iterable[tuple[str, DateCount]], limit: int | None = None) -> list[Partner]:
    """Partners by number of events (then by name); first and last are the earliest and latest date values."""
    tallies: dict[str, Tally] = {}
    spans: dict[str, list[tuple[tuple[int, int], str]]] = {}
    for actor, count in counts:
        tallies.setdefault(actor, Tally()).add(count)
        if (span := interval(count.date_value)) is not None and count.date_value:
            spans.setdefault(actor, []).append((span, count.date_value))
    partners = []
    for actor, tally in tallies.items():
        dated = spans.get(actor, [])
        first = min(dated, key=lambda d: (d[0][0], d[0][1]))[1] if dated else None
        last = max(dated, key=lambda d: (d[0][1], d[0][0]))[1] if dated else None
        partners.append(Partner(actor, tally, first, last))
    partners.sort(key=lambda p: (-p.tally.events, p.actor))
    return partners[:limit] if limit is not None else partners


def partners(conn: sqlite3.Connection, a: str, since: dt.date | None = None, until: dt.date | None = None,
             limit: int | None = None, types: Sequence[str] = (),
             modalities: Sequence[str] = ("asserted",)) -> list[Partner]:
    """`a`'s counterparts ranked by consolidated events, with their mix of cooperation and conflict.

    Events whose other side is unknown, or is `a` itself, have no partner and are left out.

    Raises:
        QueryError: an unknown type (E411) or modality (E413).
    """
    counts = partner_counts(conn, Scope(a, None, since, until, tuple(types), tuple(modalities)))
    return rank(((p, c) for p, c in counts if inside(c.date_value, since, until)), limit)
