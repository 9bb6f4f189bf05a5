"""Ingest end to end into a real SQLite store: dedupe, idempotency, resume after a kill."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from communique.pipeline import ingest
from communique.store import connect
from tests.stories import edited, story


def _rows(settings, sql, *params):
    conn = connect(settings.store.path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("n", [3])
def test_pipeline_stores_articles_with_sentences(settings, write, n):
    write("batch.jsonl", [{"id": f"r{i}", "title": f"Report {i}", "published": "2024-01-0" + str(i + 1),
                           "source": "Test Wire", "text": story(i)} for i in range(n)])
    summary = ingest([str(Path(settings.store.path).parent / "in")], settings)
    assert (summary.read, summary.stored, summary.failed, summary.exit_code) == (n, n, 0, 0)
    rows = _rows(settings, "SELECT title, published, source, text FROM articles ORDER BY seq")
    assert [tuple(r)[:3] for r in rows] == [(f"Report {i}", f"2024-01-0{i + 1}", "Test Wire") for i in range(n)]
    spans = _rows(settings, "SELECT s.start, s.end, a.text FROM sentences s JOIN articles a ON a.id = s.article_id"
                  " WHERE a.title = 'Report 0' ORDER BY idx")
    assert [text[start:end] for start, end, text in spans] == [
        p for p in story(0).split("\n\n")]


def test_pipeline_exact_duplicate_stored_once_with_both_origins(settings, write):
    first = write("a/one.txt", story(1))
    second = write("b/two.txt", story(1))
    summary = ingest([str(first), str(second)], settings)
    assert (summary.stored, summary.duplicates) == (1, 1)
    origins = _rows(settings, "SELECT origin FROM article_origins ORDER BY origin")
    assert [r[0] for r in origins] == [str(first), str(second)]


def test_pipeline_near_duplicate_linked_to_first_copy(settings, write):
    long_story = story(4) + "\n\n" + story(17)
    write("wire.jsonl", [{"id": "w1", "text": long_story}, {"id": "w2", "text": story(5)},
                         {"id": "w3", "text": edited(long_story)}])
    summary = ingest([str(Path(settings.store.path).parent / "in")], settings)
    assert (summary.stored, summary.near_duplicates) == (3, 1)
    rows = _rows(settings, "SELECT json_extract(metadata, '$.external_id'), near_duplicate_of, similarity"
                 " FROM articles ORDER BY seq")
    ids = {r[0]: r for r in rows}
    first_id = _rows(settings, "SELECT id FROM articles WHERE json_extract(metadata, '$.external_id') = 'w1'")[0][0]
    assert ids["w3"][1] == first_id
    assert 0.7 <= ids["w3"][2] < 1.0
    assert ids["w1"][1] is None and ids["w2"][1] is None


def test_pipeline_reingest_is_a_noop(settings, write):
    path = write("batch.jsonl", [{"text": story(i)} for i in range(4)])
    first = ingest([str(path)], settings)
    again = ingest([str(path)], settings)
    assert (first.stored, again.stored, again.unchanged_files, again.read) == (4, 0, 1, 0)
    path.write_text(path.read_text() + json.dumps({"text": story(9)}) + "\n")
    changed = ingest([str(path)], settings)
    assert (changed.read, changed.stored, changed.duplicates) == (5, 1, 4)
    assert _rows(settings, "SELECT count(*) FROM articles")[0][0] == 5


def test_pipeline_failures_are_stored_as_rejects_and_good_records_kept(settings, write):
    path = write("mixed.jsonl", '{"text": "' + story(1).replace("\n", "\\n") + '"}\n{broken\n')
    summary = ingest([str(path)], settings)
    assert (summary.stored, summary.failed, summary.exit_code) == (1, 1, 1)
    rejects = _rows(settings, "SELECT origin, line, code FROM rejects")
    assert [tuple(r) for r in rejects] == [(str(path), 2, "E110")]
    # A file with failures is read again next time (and fails again), so the exit code stays honest.
    assert ingest([str(path)], settings).exit_code == 1


def test_pipeline_killed_midway_keeps_committed_work_and_resumes(tmp_path, write):
    n = 3000
    path = write("big.jsonl", [{"id": f"k{i}", "text": story(i)} for i in range(n)])
    db = tmp_path / "kill.db"
    config = tmp_path / "small-batches.toml"
    config.write_text("[store]\nbatch_size = 7\n")
    cmd = [sys.executable, "-m", "communique", "ingest", str(path), "--db", str(db), "--config", str(config)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    committed = 0
    deadline = time.monotonic() + 120
    while committed < 50 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                    committed = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                committed = 0
    assert proc.poll() is None, "ingest finished before it could be killed; raise n"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert kept >= committed and kept % 7 == 0
        assert conn.execute("SELECT status FROM runs").fetchone()[0] == "running"
    rerun = subprocess.run(cmd, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (n, n)
        assert conn.execute("SELECT count(*) FROM articles WHERE near_duplicate_of IS NOT NULL").fetchone()[0] == 0
