"""The dashboard: server-rendered pages over the same store as the API (no CDN, no inline script).

Every article text reaches the page through Jinja's autoescaping, cut into pieces by
`highlight.pieces`, so markup in an article body is shown as text, never run.
"""

from __future__ import annotations

import io
import sqlite3
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from communique.analysis.chart import draw
from communique.analysis.checks import check_claims
from communique.analysis.trends import trends
from communique.errors import QueryError
from communique.kb import ActorKB
from communique.store import queries
from communique.store.events import EventFilter, parse_dyad, timeline
from communique.store.pages import actor_counts, consolidated_event, event_page, pair_counts, top_dyads
from communique.web.api import TIMELINE_KEY, Conn, _kb
from communique.web.highlight import Mark, Piece, pieces
from communique.web.reader import decode_cursor, encode_cursor

TEMPLATES = Jinja2Templates(directory=str(Path(str(resources.files("communique") / "web" / "templates"))))
STATIC = Path(str(resources.files("communique") / "web" / "static"))
PAGE = 50
QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, {"quads": QUADS, **context}, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """The page shown for a dashboard URL that fails (the API answers JSON instead)."""
    return _render(request, "error.html", status=status, message=message)


def _name(kb: ActorKB, actor_id: str | None) -> str:
    actor = kb.get(actor_id) if actor_id else None
    return actor.name if actor else (actor_id or "?")


@router.get("/")
def home(request: Request, conn: Conn) -> HTMLResponse:
    kb, pairs = _kb(), pair_counts(conn)
    actors = sorted(actor_counts(pairs).items(), key=lambda kv: (-kv[1], kv[0]))[:200]
    dyads = [(a, b, n, _name(kb, a), _name(kb, b)) for a, b, n in top_dyads(pairs)]
    return _render(request, "home.html", actors=[(i, _name(kb, i), n) for i, n in actors], dyads=dyads,
                   stats=queries.stats(conn))


@router.get("/dyad")
def dyad(request: Request, conn: Conn, a: Annotated[str, Query(min_length=1)], b: str | None = None,
         cursor: str | None = None) -> HTMLResponse:
    kb = _kb()
    b = b or None
    filt = EventFilter(actor=None if b else a, dyad=parse_dyad(f"{a},{b}") if b else None)
    entries = timeline(conn, filt, limit=PAGE + 1, after=decode_cursor(cursor, TIMELINE_KEY))
    more = encode_cursor(entries[PAGE - 1].cursor) if len(entries) > PAGE else None
    return _render(request, "dyad.html", a=a, b=b, a_name=_name(kb, a), b_name=_name(kb, b) if b else None,
                   entries=entries[:PAGE], later=cursor is not None, next_cursor=more)


@router.get("/chart.svg")
def chart(conn: Conn, a: Annotated[str, Query(min_length=1)], b: str | None = None,
          by: Literal["month", "quarter", "year"] | None = None) -> Response:
    """The dyad's trend as SVG: by month for up to three years of events, else by quarter or year."""
    trend = trends(conn, a, b or None, by or "year")
    if by is None:
        years = sum(1 for p in trend.periods if not p.coarse)
        trend = trends(conn, a, b or None, "month" if years <= 3 else "quarter" if years <= 12 else "year")
    out = io.BytesIO()
    draw(trend, out, "svg")
    return Response(out.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "max-age=60"})


@router.get("/event/{consolidated_id}")
def event(request: Request, conn: Conn, consolidated_id: str) -> HTMLResponse:
    found = consolidated_event(conn, consolidated_id)
    if found is None:
        raise HTTPException(404, f"no consolidated event {consolidated_id!r}")
    row, tellings = found
    kb = _kb()
    shown = [(t, pieces(t.text, [Mark(*t.evidence, "evidence"), Mark(*t.trigger, "trigger")])) for t in tellings]
    return _render(request, "event.html", row=row, tellings=shown, side_a=_name(kb, row["side_a"]),
                   side_b=_name(kb, row["side_b"]))


def _article_marks(conn: sqlite3.Connection, article_id: str) -> list[Mark]:
    marks = [Mark(r["start"], r["end"], "actor", f"/dyad?a={r['actor_id'] or r['country']}" if
                  (r["actor_id"] or r["country"]) else None, r["name"])
             for r in queries.layer_rows(conn, "mentions", article_id)]
    marks += [Mark(r["start"], r["end"], "date", None, r["value"])
              for r in queries.layer_rows(conn, "dates", article_id)]
    marks += [Mark(r["start"], r["end"], "figure", None, f"{r['value']:g} {r['unit']}")
              for r in queries.layer_rows(conn, "figures", article_id)]
    for record in event_page(conn, EventFilter(article_id=article_id), limit=10_000).rows:
        for ev in record["evidence"]:
            marks.append(Mark(ev["trigger_start"], ev["trigger_end"], "trigger", None,
                              f"{record['type']} {record['cameo']}"))
    return marks


@router.get("/article/{article_id}")
def article(request: Request, conn: Conn, article_id: str) -> HTMLResponse:
    stored = queries.get_article(conn, article_id)
    if stored is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    aid = stored.article.id
    events = event_page(conn, EventFilter(article_id=aid), limit=10_000).rows
    return _render(request, "article.html", stored=stored, a=stored.article,
                   body=pieces(stored.article.text, _article_marks(conn, aid)), events=events,
                   figures=list(queries.layer_rows(conn, "figures", aid)))


@router.get("/search")
def search(request: Request, conn: Conn, q: str = "") -> HTMLResponse:
    try:
        hits = queries.search(conn, q, 50) if q.strip() else []
    except QueryError as exc:
        return _render(request, "search.html", q=q, hits=[], error=str(exc))
    return _render(request, "search.html", q=q, hits=[(h, _snippet(h.snippet)) for h in hits])


def _snippet(snippet: str) -> list[Piece]:
    """FTS5 marks matches with \\x02 … \\x03; turn them into marks over the plain snippet."""
    plain: list[str] = []
    marks: list[Mark] = []
    start: int | None = None
    for ch in snippet:
        if ch == "\x02":
            start = len(plain)
        elif ch == "\x03" and start is not None:
            marks.append(Mark(start, len(plain), "match"))
            start = None
        else:
            plain.append(ch)
    return pieces("".join(plain), marks)


@router.get("/claims")
def claims(request: Request, conn: Conn, verdict: str | None = None, cursor: str | None = None) -> HTMLResponse:
    checked = [c for c in check_claims(conn) if verdict is None or str(c.check.verdict) == verdict]
    start = (decode_cursor(cursor, (int,)) or (0,))[0]
    shown = [(c, pieces(c.evidence, [Mark(c.claim.start - c.claim.evidence.start, c.claim.end - c.claim.evidence.start,
                                          "claim")])) for c in checked[start:start + PAGE]]
    more = encode_cursor((start + PAGE,)) if start + PAGE < len(checked) else None
    return _render(request, "claims.html", claims=shown, verdict=verdict, next_cursor=more)
