"""Queries over coded events and statements: filters, dyads, the consolidated timeline and export.

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
from communique.store import dict_rows

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
    for out in dict_rows(conn, sql, params):
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
    """One real-world event of a timeline: a consolidated event with the mentions of every article that tells it."""

    date: str | None
    precision: str | None
    type: str
    mode: str | None
    source: str | None
    target: str | None
    mutual: bool
    place: str | None
    events: list[dict[str, Any]] = field(default_factory=list)  # flat event rows with the evidence sentence
    id: str = ""
    best_event: str = ""

    @property
    def cursor(self) -> Cursor:
        """Where the page that ends with this entry ends (the `after` of the next page)."""
        return self.date, self.id

    @property
    def articles(self) -> int:
        return len({e["article_id"] for e in self.events})

    @property
    def best(self) -> dict[str, Any]:
        """The evidence to show: the mention consolidation ranked first (own-sentence date, confidence)."""
        return next((e for e in self.events if e["id"] == self.best_event), self.events[0])


Cursor = tuple[str | None, str]
"""Where a timeline page ends: the (date_value, id) of its last entry; pass it as `after` for the next page."""


def _who(filt: EventFilter) -> tuple[str, list[Any]]:
    """Which consolidated events a filter's actors, types and article select.

    A dyad of two sides (country or organisation codes, as consolidation keys its buckets) reads the
    pair's own rows through the `consolidated_dyad` index. Actor ids, a single actor and an article
    are matched through the members: a group matches when one of its mentions does.
    """
    if filt.dyad and not filt.actor and not any(":" in side for side in filt.dyad):
        clauses, params = ["c.bucket_a = ? AND c.bucket_b = ?"], sorted(filt.dyad)
        members, more = EventFilter(types=filt.types, article_id=filt.article_id).where()
        if more:
            clauses.append("EXISTS (SELECT 1 FROM consolidated_mentions m JOIN events e ON e.id = m.event_id"
                           f"{members} AND m.consolidated_id = c.id)")
        return " AND ".join(clauses), [*params, *more]
    members, params = EventFilter(actor=filt.actor, dyad=filt.dyad, types=filt.types,
                                  article_id=filt.article_id).where()
    return (f"c.id IN (SELECT m.consolidated_id FROM consolidated_mentions m JOIN events e ON e.id = m.event_id"
            f"{members})"), params


def _dates(filt: EventFilter) -> tuple[list[str], list[Any]]:
    """The date filters on the group's own date, with year bounds that an index range can use."""
    clauses: list[str] = []
    params: list[Any] = []
    if filt.since:
        clauses.append("c.date_value >= ? AND c.date_value GLOB '[0-9]*'"
                       " AND c.date_value >= substr(?, 1, length(c.date_value))")
        params += [f"{filt.since.year:04d}", filt.since.isoformat()]
    if filt.until:
        clauses.append("c.date_value < ? AND c.date_value GLOB '[0-9]*'"
                       " AND c.date_value <= substr(?, 1, length(c.date_value))")
        params += [f"{filt.until.year + 1:04d}", filt.until.isoformat()]
    return clauses, params


def _group_rows(conn: sqlite3.Connection, filt: EventFilter, include_undated: bool, limit: int | None,
                after: Cursor | None, columns: str = "c.*") -> list[sqlite3.Row]:
    """One page of consolidated rows (`columns` of `consolidated c`): dated ones by (date_value, id), then undated
    ones by id."""
    who, who_params = _who(filt)
    dates, date_params = _dates(filt)
    segments: list[tuple[list[str], list[Any]]] = []
    if after is None or after[0] is not None:
        keyset = ["(c.date_value, c.id) > (?, ?)"] if after else []
        segments.append((["c.date_value IS NOT NULL", *keyset, *dates], [*(after or ()), *date_params]))
    if include_undated and not dates:
        segments.append((["c.date_value IS NULL", *(["c.id > ?"] if after and after[0] is None else [])],
                         [after[1]] if after and after[0] is None else []))
    rows: list[sqlite3.Row] = []
    for clauses, params in segments:
        room = None if limit is None else limit - len(rows)
        if room is not None and room <= 0:
            break
        sql = (f"SELECT {columns} FROM consolidated c WHERE {who} AND {' AND '.join(clauses)}"
               " ORDER BY c.date_value, c.id")
        rows += conn.execute(sql + ("" if room is None else f" LIMIT {room}"), [*who_params, *params]).fetchall()
    return rows


def timeline(conn: sqlite3.Connection, filt: EventFilter, include_undated: bool = False, limit: int | None = 100,
             after: Cursor | None = None) -> list[TimelineEntry]:
    """One page of consolidated events (docs/analysis.md) matching `filt`, in date order, each with its mentions.

    `2023-02` sorts before `2023-02-14`; events of one date come in id order, undated ones last.
    Negated and hypothetical mentions are not consolidated, so they are left out; undated groups
    only come with `include_undated`. A page holds at most `limit` events (None: all of them);
    pass the last entry's `cursor` as `after` to get the next page. Each mention is a flat event
    row with its evidence.
    """
    entries = {row["id"]: TimelineEntry(row["date_value"], row["date_precision"], row["type"], row["mode"],
                                        row["side_a"], row["side_b"], bool(row["mutual"]), row["place"],
                                        id=row["id"], best_event=row["best_event"])
               for row in _group_rows(conn, filt, include_undated, limit, after)}
    ids = list(entries)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        sql = (f"SELECT cm.consolidated_id, {_FLAT_COLUMNS}, a.published AS article_published,"
               " a.source AS article_source, a.url AS article_url, a.title AS article_title, cm.evidence,"
               " cm.evidence_start, cm.evidence_end FROM consolidated_mentions cm JOIN events e ON e.id = cm.event_id"
               f" JOIN articles a ON a.id = cm.article_id WHERE cm.consolidated_id IN ({','.join('?' * len(chunk))})"
               " ORDER BY cm.position")
        for out in dict_rows(conn, sql, chunk):
            entries[out.pop("consolidated_id")].events.append(out)
    return list(entries.values())


def timeline_json(conn: sqlite3.Connection, filt: EventFilter, include_undated: bool = False, limit: int | None = 100,
                  after: Cursor | None = None) -> list[tuple[Cursor, str]]:
    """The page `timeline` gives, each event as the JSON object of the API's timeline item
    (docs/server.md) with its cursor; SQLite writes the JSON, from the group and its membership rows alone."""
    return [((row[0], row[1]), row[2]) for row in _group_rows(conn, filt, include_undated, limit, after,
                                                              "c.date_value, c.id, " + _ITEM_JSON)]


# A timeline item: the group's own columns, and its mentions best first with their evidence (schema 10).
_ITEM_JSON = (
    "json_object('id', c.id, 'date', c.date_value, 'precision', c.date_precision, 'type', c.type, 'mode', c.mode,"
    " 'source', c.side_a, 'target', c.side_b, 'mutual', json(CASE c.mutual WHEN 1 THEN 'true' ELSE 'false' END),"
    " 'place', c.place, 'articles', c.article_count, 'best_event', c.best_event, 'mentions',"
    " (SELECT json_group_array(json_object('event_id', m.event_id, 'article_id', m.article_id,"
    " 'sentence', m.sentence, 'published', m.published, 'source', m.source, 'evidence', m.evidence,"
    " 'evidence_start', m.evidence_start, 'evidence_end', m.evidence_end))"
    " FROM (SELECT * FROM consolidated_mentions WHERE consolidated_id = c.id ORDER BY position) m))")


# The flat columns of `events`: a timeline leaves out the JSON record, which would cost more to read than the rest.
_FLAT_COLUMNS = ", ".join(f"e.{c}" for c in (
    "id", "article_id", "sentence", "type", "mode", "cameo", "quad_class", "goldstein", "source_actor",
    "source_country", "source_sector", "source_text", "target_actor", "target_country", "target_sector",
    "target_text", "mutual", "date_value", "date_precision", "date_text", "date_basis", "place", "place_country",
    "modality", "reported", "speaker_actor", "speaker_country", "confidence", "rule", "coder"))


def consolidated_rows(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Export rows of the consolidated events (docs/schema.md), in date order, with their mention ids."""
    sql = ("SELECT c.*, (SELECT json_group_array(event_id) FROM (SELECT event_id FROM consolidated_mentions"
           " WHERE consolidated_id = c.id ORDER BY position)) AS mention_ids,"
           " (SELECT json_group_array(DISTINCT article_id) FROM consolidated_mentions WHERE consolidated_id = c.id)"
           " AS article_ids, b.article_id AS best_article, b.sentence AS best_sentence,"
           " substr(a.text, s.start + 1, s.end - s.start) AS evidence"
           " FROM consolidated c JOIN events b ON b.id = c.best_event JOIN articles a ON a.id = b.article_id"
           " JOIN sentences s ON s.article_id = b.article_id AND s.idx = b.sentence"
           " ORDER BY c.date_value IS NULL, c.date_value, c.family, c.id")
    for out in dict_rows(conn, sql):
        out["consolidated_id"] = out.pop("id")
        out["mutual"] = bool(out["mutual"])
        out["mention_ids"] = json.loads(out["mention_ids"])
        out["article_ids"] = sorted(json.loads(out["article_ids"]))
        yield out


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
    for out in dict_rows(conn, sql, params):
        out["statement_id"] = out.pop("id")
        out["direct"] = bool(out["direct"])
        yield out
