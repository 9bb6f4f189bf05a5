"""Queries for claim checks: stored claims, the consolidated events of a pair, how far back the store reaches.

Reads the `claims` and `consolidated` tables, with the best mention of a consolidated event
(`events`) and its sentence for evidence; the verdicts themselves are `analysis.claims`
(docs/claims.md).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Collection, Iterator
from typing import Any

_CLAIM_SQL = ("SELECT c.*, a.published AS article_published, a.title AS article_title,"
              " substr(a.text, s.start + 1, s.end - s.start) AS evidence"
              " FROM claims c JOIN articles a ON a.id = c.article_id"
              " JOIN sentences s ON s.article_id = c.article_id AND s.idx = c.sentence")


def claim_rows(conn: sqlite3.Connection, article_id: str | None = None) -> Iterator[dict[str, Any]]:
    """Stored claims with their flat columns, the parsed record and the evidence sentence, in article order.

    Args:
        article_id: only this article's claims (a full id or a unique prefix).
    """
    sql, params = _CLAIM_SQL, []
    if article_id:
        sql += " WHERE substr(c.article_id, 1, length(?)) = ?"
        params += [article_id, article_id]
    for row in conn.execute(sql + " ORDER BY a.published, a.seq, c.start", params):
        out = dict(row)
        out["claim_id"] = out.pop("id")
        out["mutual"] = bool(out["mutual"])
        out["record"] = json.loads(out["record"])
        yield out


def earliest_published(conn: sqlite3.Connection) -> dt.date | None:
    """The publication date of the first analysed article (None when none is dated)."""
    first = conn.execute("SELECT min(a.published) FROM articles a JOIN analyses n ON n.article_id = a.id"
                         " WHERE a.published IS NOT NULL").fetchone()[0]
    return dt.date.fromisoformat(first) if first else None


def pair_events(conn: sqlite3.Connection, family: str, subject: Collection[str],
                counterpart: Collection[str]) -> list[dict[str, Any]]:
    """Consolidated events of a family between any key of `subject` and any of `counterpart`, either way.

    Each comes with the CAMEO code of its best mention (`cameo`), which tells a hosted visit apart.
    """
    keys = sorted({*subject, *counterpart})
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    sql = (f"SELECT c.id, c.family, c.type, c.mode, c.modality, c.side_a, c.side_b, c.mutual, c.date_value,"
           f" b.cameo FROM consolidated c JOIN events b ON b.id = c.best_event"
           f" WHERE c.family = ? AND c.side_a IN ({marks}) AND c.side_b IN ({marks}) ORDER BY c.date_value, c.id")
    return [dict(r) for r in conn.execute(sql, [family, *keys, *keys])]


def event_details(conn: sqlite3.Connection, ids: Collection[str]) -> dict[str, dict[str, Any]]:
    """Consolidated events by id with their date, sides and best evidence sentence (article and text)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    sql = ("SELECT c.id, c.type, c.mode, c.modality, c.side_a, c.side_b, c.mutual, c.date_value, c.date_precision,"
           " c.place, c.article_count, b.article_id AS best_article, substr(a.text, s.start + 1, s.end - s.start)"
           " AS evidence FROM consolidated c JOIN events b ON b.id = c.best_event"
           " JOIN articles a ON a.id = b.article_id"
           f" JOIN sentences s ON s.article_id = b.article_id AND s.idx = b.sentence WHERE c.id IN ({marks})")
    return {r["id"]: {**dict(r), "mutual": bool(r["mutual"])} for r in conn.execute(sql, list(ids))}
