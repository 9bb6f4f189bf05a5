"""The SQLite store used for real: WAL, foreign keys, migrations, constraints, FTS5."""

from __future__ import annotations

import sqlite3

import pytest

from communique.errors import QueryError, StoreError
from communique.pipeline import ingest
from communique.store import connect, queries
from communique.store.migrations import LATEST
from tests.stories import story


@pytest.fixture
def stored(settings, write):
    write("batch.jsonl", [
        {"id": "a", "title": "Harbour talks open", "published": "2024-03-01", "source": "Wire One",
         "text": story(1) + "\n\nThe envoys toured the Marsaxlokk harbour afterwards."},
        {"id": "b", "title": "Grain deal signed", "published": "2024-04-15", "source": "Wire Two",
         "text": story(2) + "\n\nThe grain agreement covers three harvests."},
        {"id": "c", "title": "Undated note", "source": "Wire One", "text": story(3)},
    ])
    ingest([str(settings.store.path).replace("store.db", "in")], settings)
    conn = connect(settings.store.path)
    yield conn
    conn.close()


def test_store_connection_pragmas(settings):
    conn = connect(settings.store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == LATEST


def test_store_migrate_twice_is_a_noop(settings):
    connect(settings.store.path).close()
    conn = connect(settings.store.path)
    assert conn.execute("SELECT count(*) FROM schema_version").fetchone()[0] == LATEST


def test_store_refuses_newer_schema(settings):
    conn = connect(settings.store.path)
    conn.execute("INSERT INTO schema_version(version, name) VALUES (99, 'from the future')")
    conn.close()
    with pytest.raises(StoreError, match="E401 database schema version 99"):
        connect(settings.store.path)


def test_store_refuses_a_file_that_is_not_a_database(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match="E403"):
        connect(bogus)


def test_store_readonly_missing_database(tmp_path):
    with pytest.raises(StoreError, match="E402"):
        connect(tmp_path / "absent.db", readonly=True)


def test_store_constraints_reject_bad_rows(stored):
    with pytest.raises(sqlite3.IntegrityError):
        stored.execute("INSERT INTO sentences(article_id, idx, start, end) VALUES ('nosuchid00000000', 0, 0, 5)")
    with pytest.raises(sqlite3.IntegrityError):
        stored.execute("UPDATE articles SET published = '5 March 2024' WHERE rowid = 1")


def test_store_iter_articles_filters(stored):
    by_source = [s.article.title for s in queries.iter_articles(stored, source="wire one")]
    assert by_source == ["Harbour talks open", "Undated note"]
    import datetime as dt
    dated = [s.article.title for s in queries.iter_articles(stored, since=dt.date(2024, 3, 2))]
    assert dated == ["Grain deal signed"]
    assert [s.article.title for s in queries.iter_articles(stored, until=dt.date(2024, 3, 1))] == ["Harbour talks open"]


def test_store_search_ranks_and_marks_matches(stored):
    hits = queries.search(stored, "grain")
    assert [h.title for h in hits] == ["Grain deal signed"]
    assert "\x02grain\x03" in hits[0].snippet.lower()
    assert [h.title for h in queries.search(stored, "Marsaxlokk OR grain")] != []


@pytest.mark.parametrize("bad", ['"unbalanced', "AND OR", "title:"])
def test_store_search_malformed_query_is_a_query_error(stored, bad):
    with pytest.raises(QueryError, match="E410"):
        queries.search(stored, bad)


def test_store_fts_follows_deletes(stored):
    stored.execute("DELETE FROM articles WHERE title = 'Grain deal signed'")
    assert queries.search(stored, "grain") == []


def test_store_get_article_by_prefix_and_roundtrip(stored):
    first = next(queries.iter_articles(stored))
    again = queries.get_article(stored, first.article.id[:8])
    assert again == first
    assert queries.get_article(stored, "zzzzzzzz") is None


def test_store_stats(stored):
    numbers = queries.stats(stored)
    assert (numbers["articles"], numbers["undated"], numbers["near_duplicates"]) == (3, 1, 0)
    assert (numbers["first_published"], numbers["last_published"]) == ("2024-03-01", "2024-04-15")
    assert numbers["sources"] == [("Wire One", 2), ("Wire Two", 1)]
