"""The JSON API: GET endpoints over the store, paginated with opaque cursors (docs/api.md)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from functools import lru_cache
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import Response

from communique.analysis.checks import check_claims
from communique.analysis.partners import partners
from communique.analysis.trends import trends
from communique.kb import ActorKB, fold
from communique.records import Event, PloverType
from communique.store import queries
from communique.store.events import EventFilter, parse_dyad, statement_rows, timeline_json
from communique.store.pages import actor_counts, article_page, event_page, pair_counts
from communique.store.queries import SearchHit
from communique.web import models
from communique.web.reader import StoreReader, decode_cursor, encode_cursor

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": models.ErrorBody, "description": "Malformed query or cursor"},
    422: {"model": models.ErrorBody, "description": "A parameter has the wrong type or value"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": models.ErrorBody, "description": "No such record"}}

router = APIRouter(prefix="/api", responses=ERRORS)

Limit = Annotated[int, Query(ge=1, le=500, description="At most this many items.")]
Cursor = Annotated[str | None, Query(pattern="^[A-Za-z0-9_-]+$", description="The next_cursor of the previous page.")]
Since = Annotated[dt.date | None, Query(description="On or after this day (events: at their own precision).")]
Until = Annotated[dt.date | None, Query(description="On or before this day.")]
Types = Annotated[list[PloverType] | None, Query(alias="type", description="PLOVER type; repeat for several.")]


async def connection(request: Request) -> AsyncIterator[sqlite3.Connection]:
    """Lend a pooled connection for the request; async, so that lending and returning it cost no thread hops
    (the handler, a plain function, still runs in the threadpool)."""
    reader: StoreReader = request.app.state.reader
    with reader.connection() as conn:
        yield conn


Conn = Annotated[sqlite3.Connection, Depends(connection)]


@lru_cache(maxsize=1)
def _kb() -> ActorKB:
    return ActorKB.load()


@router.get("/articles", response_model=models.PageOf[models.ArticleSummary])
def list_articles(conn: Conn, limit: Limit = 50, cursor: Cursor = None,
                  source: Annotated[str | None, Query(description="Outlet name.")] = None,
                  since: Since = None, until: Until = None) -> dict[str, Any]:
    """Articles in ingest order (publication-date filters are inclusive)."""
    page = article_page(conn, limit, decode_cursor(cursor, (int,)), source, since, until)
    return {"items": page.rows, "next_cursor": encode_cursor(page.next_key)}


@router.get("/articles/{article_id}", response_model=models.ArticleDetail, responses=NOT_FOUND)
def get_article(conn: Conn, article_id: Annotated[str, Path(description="Article id or a unique prefix (6+).")]
                ) -> dict[str, Any]:
    """An article: body, metadata, and every record of its parsed layer with offsets."""
    stored = queries.get_article(conn, article_id)
    if stored is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    aid = stored.article.id
    events = event_page(conn, EventFilter(article_id=aid), limit=10_000).rows
    return {"article": stored.article, "near_duplicate_of": stored.near_duplicate_of,
            "similarity": stored.similarity, "ingested_at": stored.ingested_at,
            "origins": queries.origins(conn, aid), "sentences": queries.sentences(conn, aid),
            "mentions": list(queries.layer_rows(conn, "mentions", aid)),
            "times": list(queries.layer_rows(conn, "dates", aid)),
            "figures": list(queries.layer_rows(conn, "figures", aid)),
            "events": events, "statements": [_statement(r) for r in statement_rows(conn, article_id=aid)]}


def _statement(row: dict[str, Any]) -> dict[str, Any]:
    speaker = None
    if row["speaker_start"] is not None:
        speaker = {"text": row["speaker_text"] or row["speaker_name"] or "", "start": row["speaker_start"],
                   "end": row["speaker_end"], "actor_id": row["speaker_actor"], "country": row["speaker_country"],
                   "sector": row["speaker_sector"], "name": row["speaker_name"]}
    return {**row, "speaker": speaker}


def _filter(actor: str | None = None, dyad: str | None = None, types: list[PloverType] | None = None,
            since: dt.date | None = None, until: dt.date | None = None, article: str | None = None) -> EventFilter:
    return EventFilter(actor=actor, dyad=parse_dyad(dyad) if dyad else None, types=tuple(str(t) for t in types or ()),
                       since=since, until=until, article_id=article)


@router.get("/events", response_model=models.PageOf[Event])
def list_events(conn: Conn, limit: Limit = 50, cursor: Cursor = None,
                actor: Annotated[str | None, Query(description="Country code, organisation or actor id.")] = None,
                dyad: Annotated[str | None, Query(description="Two actors, either direction: CHN-BLR.")] = None,
                types: Types = None, since: Since = None, until: Until = None,
                article: Annotated[str | None, Query(description="Only this article's events.")] = None,
                ) -> dict[str, Any]:
    """Mention-level events (one article's telling) as records of DESIGN.md, in date order."""
    filt = _filter(actor, dyad, types, since, until, article)
    page = event_page(conn, filt, limit, decode_cursor(cursor, (int, str, int)))
    return {"items": page.rows, "next_cursor": encode_cursor(page.next_key)}


def _plain(payload: dict[str, Any]) -> Response:
    """A response of plain JSON values sent as they are: the handlers that build their payloads from the
    store's columns skip the response model's re-validation (schemathesis checks they keep to it), and
    orjson encodes a page of a hundred timeline events several times faster than `json`."""
    return Response(orjson.dumps(payload), media_type="application/json")


TIMELINE_KEY = ((str, type(None)), str)  # a consolidated event's (date, id): the keyset of timeline pages


@router.get("/timeline", response_model=models.PageOf[models.TimelineItem])
def get_timeline(conn: Conn, a: Annotated[str, Query(min_length=1, description="An actor.")],
                 b: Annotated[str | None, Query(description="The other actor; without it, A with everyone.")] = None,
                 types: Types = None, since: Since = None, until: Until = None,
                 undated: Annotated[bool, Query(description="Also list events with no date.")] = False,
                 limit: Limit = 100, cursor: Cursor = None) -> Response:
    """Consolidated events of a dyad (or of one actor) in date order, each with every mention."""
    filt = _filter(None if b else a, f"{a},{b}" if b else None, types, since, until)
    page = timeline_json(conn, filt, include_undated=undated, limit=limit + 1,
                         after=decode_cursor(cursor, TIMELINE_KEY))
    return _plain({"items": [orjson.Fragment(item) for _, item in page[:limit]],
                   "next_cursor": encode_cursor(page[limit - 1][0]) if len(page) > limit else None})


Grain = Annotated[Literal["month", "quarter", "year"], Query(description="Length of a period.")]


@router.get("/trends", response_model=models.TrendsOut)
def get_trends(conn: Conn, a: Annotated[str, Query(min_length=1, description="An actor.")],
               b: Annotated[str | None, Query(description="The other actor; without it, A with everyone.")] = None,
               by: Grain = "month", types: Types = None, since: Since = None, until: Until = None) -> Response:
    """Consolidated events per period by quad class and type, with the cooperation–conflict index."""
    trend = trends(conn, a, b or None, by, since, until, tuple(str(t) for t in types or ()))
    return _plain({"a": trend.a, "b": trend.b, "by": str(trend.by), "undated": trend.undated,
                   "periods": [p.as_dict() for p in trend.periods]})


@router.get("/partners", response_model=list[models.PartnerOut])
def get_partners(conn: Conn, a: Annotated[str, Query(min_length=1, description="An actor.")],
                 since: Since = None, until: Until = None, limit: Limit = 50) -> list[dict[str, Any]]:
    """A's counterparts ranked by consolidated events, with their mix of cooperation and conflict."""
    kb = _kb()
    return [{**p.as_dict(), "name": _summary(kb, p.actor, 0)["name"]} for p in partners(conn, a, since, until, limit)]


Verdict = Annotated[Literal["supported", "contradicted", "not enough data"] | None,
                    Query(description="Only claims with this verdict.")]


@router.get("/claims", response_model=models.PageOf[models.CheckedClaimOut])
def list_claims(conn: Conn, article: Annotated[str | None, Query(description="Only this article's claims.")] = None,
                verdict: Verdict = None, limit: Limit = 50, cursor: Cursor = None) -> dict[str, Any]:
    """Claims of the articles (\"his second visit this year\") checked against the consolidated events."""
    checked = [c for c in check_claims(conn, article) if verdict is None or str(c.check.verdict) == verdict]
    start = (decode_cursor(cursor, (int,)) or (0,))[0]
    more = start + limit < len(checked)
    return {"items": checked[start:start + limit], "next_cursor": encode_cursor((start + limit,)) if more else None}


@router.get("/actors", response_model=models.PageOf[models.ActorSummary])
def list_actors(conn: Conn, q: Annotated[str | None, Query(description="Part of a name, alias or id.")] = None,
                limit: Limit = 50, cursor: Cursor = None) -> dict[str, Any]:
    """Actors of the store, most consolidated events first; with `q`, also knowledge-base actors that match."""
    counts, kb, needle = actor_counts(pair_counts(conn)), _kb(), fold(q) if q else ""
    found: dict[str, dict[str, Any]] = {}
    for actor_id, n in counts.items():
        found[actor_id] = _summary(kb, actor_id, n)
    if needle:
        found = {i: s for i, s in found.items() if needle in fold(s["name"]) or needle in fold(i)}
        for actor in kb:
            if actor.id not in found and (needle in fold(actor.name) or needle in fold(actor.id)
                                          or any(needle in fold(alias) for alias in actor.aliases)):
                found[actor.id] = _summary(kb, actor.id, 0)
    ranked = sorted(found.values(), key=lambda s: (-s["events"], s["name"], s["id"]))
    start = (decode_cursor(cursor, (int,)) or (0,))[0]
    more = start + limit < len(ranked)
    return {"items": ranked[start:start + limit], "next_cursor": encode_cursor((start + limit,)) if more else None}


def _summary(kb: ActorKB, actor_id: str, events: int) -> dict[str, Any]:
    actor = kb.get(actor_id)
    if actor is None:
        return {"id": actor_id, "name": actor_id, "kind": None, "country": None, "events": events}
    return {"id": actor.id, "name": actor.name, "kind": str(actor.kind), "country": actor.country, "events": events}


@router.get("/actors/{actor_id}", response_model=models.ActorDetail, responses=NOT_FOUND)
def get_actor(conn: Conn, actor_id: Annotated[str, Path(description="Country code, organisation or actor id.")]
              ) -> dict[str, Any]:
    """An actor: names, dated roles, and its counterparts in the store."""
    kb, counts = _kb(), actor_counts(pair_counts(conn))
    actor = kb.get(actor_id)
    if actor is None and actor_id not in counts:
        raise HTTPException(404, f"no actor {actor_id!r} in the knowledge base or the store")
    partners = conn.execute(
        "SELECT CASE WHEN bucket_a = ? THEN bucket_b ELSE bucket_a END AS other, count(*) AS n FROM consolidated"
        " WHERE (bucket_a = ? OR bucket_b = ?) GROUP BY other HAVING other != '' AND other != ?"
        " ORDER BY n DESC, other LIMIT 20", (actor_id, actor_id, actor_id, actor_id)).fetchall()
    roles = [{"country": r.country, "sector": r.sector, "title": r.title,
              "start": r.start.isoformat() if r.start else None, "end": r.end.isoformat() if r.end else None}
             for r in (actor.roles if actor else ())]
    return {**_summary(kb, actor_id, counts.get(actor_id, 0)), "aliases": list(actor.aliases) if actor else [],
            "roles": roles, "source": actor.source if actor else None,
            "partners": [_summary(kb, r["other"], r["n"]) for r in partners]}


@router.get("/search", response_model=list[SearchHit])
def search(conn: Conn, q: Annotated[str, Query(min_length=1, description="FTS5 query: words, \"phrases\", OR, NEAR.")],
           limit: Limit = 20) -> list[SearchHit]:
    """Full-text search over titles and bodies, best first."""
    hits = queries.search(conn, q, limit)
    return [replace(h, snippet=h.snippet.replace("\x02", "[[").replace("\x03", "]]")) for h in hits]


@router.get("/stats", response_model=models.StatsOut)
def get_stats(conn: Conn) -> dict[str, Any]:
    """What the store holds."""
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    stats = queries.stats(conn)
    stats["sources"] = [{"source": s, "articles": n} for s, n in stats["sources"]]
    return {**stats, "analysed": one("SELECT count(*) FROM analyses"),
            "events": one("SELECT count(*) FROM events"), "consolidated": one("SELECT count(*) FROM consolidated"),
            "statements": one("SELECT count(*) FROM statements")}

