"""Numbered forward migrations with a recorded schema version, each in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from communique.errors import StoreError
from communique.store import schema


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


MIGRATIONS: list[Migration] = []


Step = Callable[[sqlite3.Connection], None]


def migration(version: int, name: str) -> Callable[[Step], Step]:
    """Register `fn` as the migration to `version`; versions must come in order."""
    def register(fn: Step) -> Step:
        if MIGRATIONS and MIGRATIONS[-1].version != version - 1:
            raise RuntimeError(f"migration {version} registered out of order")
        MIGRATIONS.append(Migration(version, name, fn))
        return fn
    return register


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    for statement in _statements(script):
        conn.execute(statement)


def _statements(script: str) -> list[str]:
    """Split a DDL script into statements (executescript would commit on its own)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return [s for s in out if s]


@migration(1, "articles, sentences, dedupe, rejects, runs, full-text index")
def _v1(conn: sqlite3.Connection) -> None:
    _run_script(conn, schema.V1_ARTICLES)


@migration(2, "parsed layer: analyses, mentions, time expressions, figures")
def _v2(conn: sqlite3.Connection) -> None:
    _run_script(conn, schema.V2_PARSED_LAYER)


@migration(3, "events, event actors and evidence, statements")
def _v3(conn: sqlite3.Connection) -> None:
    _run_script(conn, schema.V3_EVENTS)


@migration(4, "ingest keys: full-text index filled per batch, fingerprints keyed by article seq")
def _v4(conn: sqlite3.Connection) -> None:
    _run_script(conn, schema.V4_INGEST_KEYS)


@migration(5, "consolidated events and their mentions")
def _v5(conn: sqlite3.Connection) -> None:
    _run_script(conn, schema.V5_CONSOLIDATED)


@migration(6, "claims")
def _v6(conn: sqlite3.Connection) -> None:
    _run_script(conn, schema.V6_CLAIMS)


@migration(7, "analysis indexes: a dyad's consolidated events in date order")
def _v7(conn: sqlite3.Connection) -> None:
    _run_script(conn, schema.V7_ANALYSIS_INDEXES)


@migration(8, "consolidation may lag the layer: buckets left dirty")
def _v8(conn: sqlite3.Connection) -> None:
    _run_script(conn, schema.V8_CONSOLIDATION_DIRTY)


@migration(9, "monthly summary of consolidated events for trends")
def _v9(conn: sqlite3.Connection) -> None:
    _run_script(conn, schema.V9_CONSOLIDATED_MONTHS)


@migration(10, "each membership keeps its evidence: sentence, offsets, text, article date and source")
def _v10(conn: sqlite3.Connection) -> None:
    _run_script(conn, schema.V10_MENTION_EVIDENCE)


LATEST = MIGRATIONS[-1].version


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                 " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))")
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to the latest schema; returns the version it is at.

    Raises:
        StoreError: the database was written by a newer communique.
    """
    version = current_version(conn)
    if version > LATEST:
        raise StoreError(f"E401 database schema version {version} is newer than this communique "
                         f"understands ({LATEST}); upgrade communique")
    for step in MIGRATIONS[version:]:
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            if current_version(conn) >= step.version:  # another process got here first
                continue
            step.apply(conn)
            conn.execute("INSERT INTO schema_version(version, name) VALUES (?, ?)", (step.version, step.name))
    return LATEST
