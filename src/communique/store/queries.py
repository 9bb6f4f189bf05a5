"""Named, parameterised read queries returning records."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from communique.errors import QueryError, StoreError
from communique.records import Article, Boilerplate, Sentence
from communique.store import dict_rows
from communique.store.migrations import LATEST

_ARTICLE_COLUMNS = ("id, hash, origin, url, title, byline, source, published, text, boilerplate, metadata,"
                    " warnings, near_duplicate_of, similarity, ingested_at")


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as stored, with what the store knows about it."""

    article: Article
    near_duplicate_of: str | None
    similarity: float | None
    ingested_at: str

    def as_dict(self) -> dict[str, Any]:
        return {**self.article.as_dict(), "near_duplicate_of": self.near_duplicate_of,
                "similarity": self.similarity, "ingested_at": self.ingested_at}


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result; the snippet marks matched terms with \x02 … \x03."""

    article_id: str
    title: str | None
    source: str | None
    published: str | None
    snippet: str
    score: float


def check_schema(conn: sqlite3.Connection) -> None:
    """Refuse a database that is not a communique store at this schema version.

    Raises:
        StoreError: no schema version table, or an older/newer version.
    """
    try:
        version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"E404 not a communique database ({exc})") from exc
    if version != LATEST:
        raise StoreError(f"E405 database schema version {version}, this communique reads {LATEST}; "
                         "run `communique ingest` once to migrate it")


def _article(row: sqlite3.Row) -> StoredArticle:
    article = Article(
        id=row["id"], hash=row["hash"], text=row["text"], origin=row["origin"], title=row["title"],
        byline=row["byline"], source=row["source"], url=row["url"],
        published=dt.date.fromisoformat(row["published"]) if row["published"] else None,
        boilerplate=tuple(Boilerplate.from_dict(b) for b in json.loads(row["boilerplate"])),
        metadata=json.loads(row["metadata"]), warnings=tuple(json.loads(row["warnings"])))
    return StoredArticle(article, row["near_duplicate_of"], row["similarity"], row["ingested_at"])


def article_filter(source: str | None, since: dt.date | None, until: dt.date | None) -> tuple[list[str], list[Any]]:
    """WHERE clauses (on `articles` columns) and parameters for a source and an inclusive publication-date range."""
    where: list[str] = []
    params: list[Any] = []
    if source:
        where.append("source = ? COLLATE NOCASE")
        params.append(source)
    if since:
        where.append("published >= ?")
        params.append(since.isoformat())
    if until:
        where.append("published <= ?")
        params.append(until.isoformat())
    return where, params


def iter_articles(conn: sqlite3.Connection, source: str | None = None, since: dt.date | None = None,
                  until: dt.date | None = None, limit: int | None = None,
                  include_near_duplicates: bool = True) -> Iterator[StoredArticle]:
    """Articles in ingest order, filtered by source and publication date (inclusive)."""
    where, params = article_filter(source, since, until)
    if not include_near_duplicates:
        where.append("near_duplicate_of IS NULL")
    sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY seq"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    for row in conn.execute(sql, params):
        yield _article(row)


def get_article(conn: sqlite3.Connection, article_id: str) -> StoredArticle | None:
    """The article with id `article_id` (or a unique id prefix of at least 6 characters)."""
    rows = conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles"
                        " WHERE id = ? OR (length(?) >= 6 AND id LIKE ? || '%') LIMIT 2",
                        (article_id, article_id, article_id)).fetchall()
    return _article(rows[0]) if len(rows) == 1 else None


def sentences(conn: sqlite3.Connection, article_id: str) -> tuple[Sentence, ...]:
    rows = conn.execute("SELECT idx, start, end FROM sentences WHERE article_id = ? ORDER BY idx", (article_id,))
    return tuple(Sentence(*row) for row in rows)


def origins(conn: sqlite3.Connection, article_id: str) -> list[str]:
    rows = conn.execute("SELECT origin FROM article_origins WHERE article_id = ? ORDER BY run_id, origin",
                        (article_id,))
    return [r[0] for r in rows]


def search(conn: sqlite3.Connection, query: str, limit: int = 20) -> list[SearchHit]:
    """Full-text search (FTS5 syntax), best first by BM25, with a highlighted snippet.

    Raises:
        QueryError: the query is not valid FTS5 syntax.
    """
    try:
        rows = conn.execute(
            "SELECT a.id, a.title, a.source, a.published,"
            " snippet(articles_fts, 1, char(2), char(3), ' … ', 16) AS snippet, bm25(articles_fts, 5.0, 1.0) AS score"
            " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY score LIMIT ?", (query, limit)).fetchall()
    except sqlite3.OperationalError as exc:
        raise QueryError(f"E410 bad search query {query!r}: {exc}") from exc
    return [SearchHit(r["id"], r["title"], r["source"], r["published"], r["snippet"], -r["score"]) for r in rows]


def stats(conn: sqlite3.Connection) -> dict[str, Any]:
    """Counts and ranges that describe the store."""
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    dates = conn.execute("SELECT min(published), max(published) FROM articles").fetchone()
    return {
        "schema_version": one("SELECT max(version) FROM schema_version"),
        "articles": one("SELECT count(*) FROM articles"),
        "near_duplicates": one("SELECT count(*) FROM articles WHERE near_duplicate_of IS NOT NULL"),
        "undated": one("SELECT count(*) FROM articles WHERE published IS NULL"),
        "sentences": one("SELECT count(*) FROM sentences"),
        "origins": one("SELECT count(*) FROM article_origins"),
        "rejects": one("SELECT count(*) FROM rejects"),
        "runs": one("SELECT count(*) FROM runs"),
        "first_published": dates[0],
        "last_published": dates[1],
        "sources": [tuple(r) for r in conn.execute(
            "SELECT coalesce(source, '(unknown)'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10")],
    }


def rejects(conn: sqlite3.Connection, run_id: int | None = None) -> list[dict[str, Any]]:
    """Rejected inputs, newest run first."""
    sql = "SELECT run_id, origin, line, code, reason FROM rejects"
    params: tuple[Any, ...] = ()
    if run_id is not None:
        sql += " WHERE run_id = ?"
        params = (run_id,)
    return list(dict_rows(conn, sql + " ORDER BY run_id DESC, id", params))


def layer_rows(conn: sqlite3.Connection, what: str, article_id: str | None = None) -> Iterator[dict[str, Any]]:
    """Rows of one parsed-layer table (`mentions`, `dates`, `figures`) with their article's date and source."""
    table = {"mentions": "mentions", "dates": "time_expressions", "figures": "figures"}[what]
    sql = (f"SELECT l.*, a.published AS article_published, a.source AS article_source FROM {table} l"
           " JOIN articles a ON a.id = l.article_id")
    params: tuple[Any, ...] = ()
    if article_id is not None:
        sql += " WHERE l.article_id = ?"
        params = (article_id,)
    for record in dict_rows(conn, sql + " ORDER BY a.seq, l.start", params):
        record.pop("id", None)
        if "refers_to" in record:
            record["refers_to"] = json.loads(record["refers_to"])
        yield record


def figures(conn: sqlite3.Connection, unit: str | None = None, actor: str | None = None,
            limit: int | None = None) -> list[dict[str, Any]]:
    """Figures, optionally of one unit and in sentences that mention an actor (id or country code)."""
    where: list[str] = []
    params: list[Any] = []
    if unit:
        where.append("f.unit = ? COLLATE NOCASE")
        params.append(unit)
    if actor:
        where.append("EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = f.article_id AND m.sentence = f.sentence"
                     " AND (m.actor_id = ? OR m.country = ? OR m.refers_to LIKE ?))")
        params += [actor, actor.upper(), f'%"{actor.upper()}"%']
    sql = ("SELECT f.article_id, f.sentence, f.start, f.end, f.text, f.value, f.unit, f.kind, f.qualifier, f.change,"
           " f.measure, f.period, a.published, a.title,"
           " substr(a.text, s.start + 1, s.end - s.start) AS evidence FROM figures f"
           " JOIN articles a ON a.id = f.article_id"
           " JOIN sentences s ON s.article_id = f.article_id AND s.idx = f.sentence")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.published, a.seq, f.start"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return list(dict_rows(conn, sql, params))
