"""Queries over coded events and statements: filters, dyads, the consolidated timeline.

An actor is a country code ("CHN"), an organisation code ("EU") or an actor id
("person:xi-jinping"). A dyad A-B matches events with A on one side and B on the other,
in either direction. Date filters compare at the event's own precision: an event of
`2023-12` is inside `--since 2023-12-04`, an event of `2024` is not inside
`--until 2023-12-31`; undated events and `XXXX` dates drop out when a date filter is set.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from communique.errors import QueryError
from communique.records import PloverType

_SIDES = "SELECT 1 FROM event_actors x WHERE x.event_id = e.id AND (x.country = ? OR x.actor_id = ?)"


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events a query wants; empty fields do not filter."""

    actor: str | None = None
    dyad: tuple[str, str] | None = None
    types: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    article_id: str | None = None

    def __post_init__(self) -> None:
        bad = [t for t in self.types if t not in PloverType.__members__]
        if bad:
            raise QueryError(f"E411 unknown event type(s) {', '.join(bad)}; one of {', '.join(PloverType)}")

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.actor:
            clauses.append(f"EXISTS ({_SIDES})")
            params += [self.actor, self.actor]
        if self.dyad:
            a, b = self.dyad
            one_way = f"(EXISTS ({_SIDES} AND x.role = 'source') AND EXISTS ({_SIDES} AND x.role != 'source'))"
            clauses.append(f"({one_way} OR {one_way})")
            params += [a, a, b, b, b, b, a, a]
        if self.types:
            clauses.append(f"e.type IN ({','.join('?' * len(self.types))})")
            params += list(self.types)
        if self.since:
            clauses.append("e.date_value GLOB '[0-9]*' AND e.date_value >= substr(?, 1, length(e.date_value))")
            params.append(self.since.isoformat())
        if self.until:
            clauses.append("e.date_value GLOB '[0-9]*' AND e.date_value <= substr(?, 1, length(e.date_value))")
            params.append(self.until.isoformat())
        if self.article_id:
            clauses.append("e.article_id = ?")
            params.append(self.article_id)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def parse_dyad(text: str) -> tuple[str, str]:
    """"CHN-BLR" -> ("CHN", "BLR"); actor ids, which hold hyphens, are joined with a comma."""
    parts = [p.strip() for p in text.split("," if "," in text else "-")]
    if len(parts) != 2 or not all(parts):
        raise QueryError(f"E412 {text!r} is not a dyad; write two actors as CHN-BLR (or person:a,person:b)")
    return parts[0], parts[1]


_EVENT_SQL = ("SELECT e.*, a.published AS article_published, a.source AS article_source, a.url AS article_url,"
              " a.title AS article_title, substr(a.text, s.start + 1, s.end - s.start) AS evidence"
              " FROM events e JOIN articles a ON a.id = e.article_id"
              " JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence")


def event_rows(conn: sqlite3.Connection, filt: EventFilter, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Events with their flat columns, the parsed record and the evidence sentence, in date order."""
    where, params = filt.where()
    sql = _EVENT_SQL + where + " ORDER BY e.date_value IS NULL, e.date_value, a.published, a.seq, e.sentence"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    for row in conn.execute(sql, params):
        out = dict(row)
        out["record"] = json.loads(out["record"])
        yield out


def flat_event(row: dict[str, Any]) -> dict[str, Any]:
    """The CAMEO/PLOVER-style flat export row of an event (docs/schema.md, "events")."""
    record = row["record"]
    first = record["evidence"][0]
    return {
        "event_id": row["id"], "article_id": row["article_id"], "sentence": row["sentence"],
        "event_date": row["date_value"], "date_precision": row["date_precision"], "date_basis": row["date_basis"],
        "date_text": row["date_text"],
        "source_actor": row["source_actor"], "source_name": row["source_text"], "source_country": row["source_country"],
        "source_sector": row["source_sector"],
        "target_actor": row["target_actor"], "target_name": row["target_text"], "target_country": row["target_country"],
        "target_sector": row["target_sector"],
        "others": [p["country"] or p["actor_id"] for p in record["others"]],
        "cameo_code": row["cameo"], "cameo_root": row["cameo"][:2], "quad_class": row["quad_class"],
        "goldstein": row["goldstein"], "plover_type": row["type"], "plover_mode": row["mode"],
        "mutual": bool(row["mutual"]), "modality": row["modality"], "reported": bool(row["reported"]),
        "speaker_actor": row["speaker_actor"], "speaker_country": row["speaker_country"],
        "place": row["place"], "place_country": row["place_country"],
        "evidence": row["evidence"], "trigger": first["trigger"], "evidence_start": first["start"],
        "evidence_end": first["end"], "evidence_count": len(record["evidence"]), "confidence": row["confidence"],
        "rule": row["rule"], "coder": row["coder"], "article_published": row["article_published"],
        "article_source": row["article_source"], "article_url": row["article_url"],
    }


@dataclass(slots=True)
class TimelineEntry:
    """One real-world event of a timeline: the events of every article that tells it."""

    date: str | None
    precision: str | None
    type: str
    mode: str | None
    source: str | None
    target: str | None
    mutual: bool
    place: str | None
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return len({e["article_id"] for e in self.events})

    @property
    def best(self) -> dict[str, Any]:
        """The evidence to show: the most confident event, own-sentence dates first."""
        return max(self.events, key=lambda e: (e["date_basis"] == "sentence", e["confidence"], -e["sentence"]))


def _side(row: dict[str, Any], role: str) -> str | None:
    return row[f"{role}_country"] or row[f"{role}_actor"]


def timeline(conn: sqlite3.Connection, filt: EventFilter, include_undated: bool = False) -> list[TimelineEntry]:
    """Events grouped into one entry per type, date and pair (either order when mutual), in date order.

    `2023-02` sorts before `2023-02-14`. Negated and hypothetical events are left out.
    """
    groups: dict[tuple[Any, ...], TimelineEntry] = {}
    for row in event_rows(conn, filt):
        if row["modality"] in ("negated", "hypothetical") or (row["date_value"] is None and not include_undated):
            continue
        source, target = _side(row, "source"), _side(row, "target")
        pair = tuple(sorted((source or "", target or ""))) if row["mutual"] else (source, target)
        key = (row["type"], row["date_value"], pair, row["modality"])
        entry = groups.get(key)
        if entry is None:
            entry = groups[key] = TimelineEntry(row["date_value"], row["date_precision"], row["type"], row["mode"],
                                                source, target, bool(row["mutual"]), row["place"])
        entry.place = entry.place or row["place"]
        entry.events.append(row)
    return sorted(groups.values(), key=lambda g: (g.date is None, g.date or "", g.type))


def statement_rows(conn: sqlite3.Connection, speaker: str | None = None, article_id: str | None = None,
                   limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Statements, optionally of one speaker (actor id, country code or words of the speaker's name)."""
    clauses: list[str] = []
    params: list[Any] = []
    if speaker:
        clauses.append("(st.speaker_actor = ? OR st.speaker_country = ? OR st.speaker_name LIKE ?"
                       " OR st.speaker_text LIKE ?)")
        params += [speaker, speaker.upper(), f"%{speaker}%", f"%{speaker}%"]
    if article_id:
        clauses.append("st.article_id = ?")
        params.append(article_id)
    sql = ("SELECT st.*, a.published AS article_published, a.source AS article_source FROM statements st"
           " JOIN articles a ON a.id = st.article_id")
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += " ORDER BY a.published, a.seq, st.content_start"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    for row in conn.execute(sql, params):
        out = dict(row)
        out["statement_id"] = out.pop("id")
        out["direct"] = bool(out["direct"])
        yield out
