"""`communique batch` on a real loopback cluster and `communique load`: the records of `ingest` + `analyze`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest
from distributed import Client
from typer.testing import CliRunner

from communique.batch.load import load
from communique.cli import app
from communique.pipeline import analyze, ingest
from communique.settings import Settings
from tests.batch.corpus import write_shard


def _cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _dataset(out: Path, kind: str) -> list[dict[str, Any]]:
    return ds.dataset(out / kind, format="parquet", partitioning="hive").to_table().to_pylist()


def _rows(db: str | Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return sorted(tuple(r) for r in conn.execute(sql))


@pytest.fixture
def analysed(corpus: Path, settings: Settings) -> str:
    """The corpus through `ingest` + `analyze` on one machine."""
    ingest([str(corpus)], settings)
    analyze(settings)
    return settings.store.path


def test_batch_cluster_writes_the_events_of_analyze(scheduler: str, corpus: Path, analysed: str,
                                                    tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _cli("batch", str(corpus), "--out", str(out), "--scheduler", scheduler)
    assert result.exit_code == 0, result.output
    assert "dask dashboard: http://127.0.0.1:" in result.output
    assert result.output.count("done [") == 3

    events = {e["event_id"]: json.loads(e["record"]) for e in _dataset(out, "events")}
    stored = {i: json.loads(r) for i, r in _rows(analysed, "SELECT id, record FROM events")}
    assert len(stored) >= 10
    assert events == stored
    articles = _dataset(out, "articles")
    assert sorted(a["id"] for a in articles) == [r[0] for r in _rows(analysed, "SELECT id FROM articles")]
    assert {(a["year"], a["month"]) for a in articles} == {(2024, 4), (2024, 5), (2024, 6)}
    assert next((out / "events").glob("year=2024/month=05/*.parquet")).name.endswith("-0.parquet")
    claims = {c["claim_id"] for c in _dataset(out, "claims")}
    assert claims == {r[0] for r in _rows(analysed, "SELECT id FROM claims")} and claims
    with Client(scheduler) as client:  # the workers' statistical profiler is off, its history dropped
        kept = client.run(lambda dask_worker: (sorted(k for k in dask_worker.periodic_callbacks if "profile" in k),
                                               len(dask_worker.profile_history)))
    assert list(kept.values()) == [([], 0), ([], 0)]


def test_batch_flat_event_columns_equal_export(scheduler: str, corpus: Path, analysed: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _cli("batch", str(corpus), "--out", str(out), "--scheduler", scheduler).exit_code == 0
    exported = tmp_path / "events.parquet"
    assert _cli("export", "--what", "events", "--format", "parquet", "--out", str(exported),
                "--db", analysed).exit_code == 0
    mine = sorted(({k: v for k, v in e.items() if k not in ("record", "year", "month")}
                   for e in _dataset(out, "events")), key=lambda e: e["event_id"])
    theirs = sorted(ds.dataset(exported).to_table().to_pylist(), key=lambda e: e["event_id"])
    assert mine == theirs


_LAYERS = ["SELECT id, article_id, sentence, record, coder FROM events",
           "SELECT article_id, sentence, start, end, text, actor_id, via, refers_to FROM mentions",
           "SELECT article_id, sentence, start, end, value, precision FROM time_expressions",
           "SELECT article_id, sentence, start, end, value, unit, measure FROM figures",
           "SELECT id, speaker_actor, speaker_start, cue, content_start, content FROM statements",
           "SELECT id, record FROM claims",
           "SELECT id, origin, url, title, published, text, boilerplate, metadata, near_duplicate_of FROM articles",
           "SELECT article_id, idx, start, end FROM sentences",
           "SELECT id, type, date_value, side_a, side_b, mention_count, best_event FROM consolidated",
           "SELECT consolidated_id, event_id FROM consolidated_mentions"]


def test_load_stores_what_analyze_stores(scheduler: str, corpus: Path, analysed: str, tmp_path: Path,
                                         settings: Settings) -> None:
    out = tmp_path / "out"
    assert _cli("batch", str(corpus), "--out", str(out), "--scheduler", scheduler).exit_code == 0
    loaded = tmp_path / "loaded.db"
    first = _cli("load", str(out), "--db", str(loaded))
    assert first.exit_code == 0, first.output
    for sql in _LAYERS:
        assert _rows(loaded, sql) == _rows(analysed, sql), sql
    again = load(out, settings.with_db(loaded))
    assert (again.shards, again.unchanged, again.ingest.stored) == (0, 3, 0)
    assert _rows(loaded, "SELECT count(*) FROM events") == _rows(analysed, "SELECT count(*) FROM events")
    timeline = _cli("timeline", "CHN", "BLR", "--db", str(loaded))
    assert timeline.exit_code == 0 and timeline.output == _cli("timeline", "CHN", "BLR", "--db", analysed).output


def test_batch_rerun_redoes_only_the_unfinished_shard(scheduler: str, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _cli("batch", str(corpus), "--out", str(out), "--scheduler", scheduler).exit_code == 0
    before = _dataset(out, "events")
    manifests = {p.name: p.stat().st_mtime_ns for p in (out / "_manifests").glob("*.json")}
    victim = json.loads(next((out / "_manifests").glob("*.json")).read_text())
    # A kill after some of the shard's files were renamed into place, before its manifest.
    (out / "_manifests" / f"{victim['key']}.json").unlink()
    (out / victim["files"][0]).unlink()
    rerun = _cli("batch", str(corpus), "--out", str(out), "--scheduler", scheduler)
    assert rerun.exit_code == 0, rerun.output
    assert rerun.output.count("unchanged [") == 2 and rerun.output.count("done [") == 1
    assert f"done [3/3] {victim['input']}" in rerun.output or f"{victim['input']}: " in rerun.output
    after = {p.name: p.stat().st_mtime_ns for p in (out / "_manifests").glob("*.json")}
    assert {k for k in after if after[k] != manifests.get(k)} == {f"{victim['key']}.json"}
    assert sorted(e["event_id"] for e in _dataset(out, "events")) == sorted(e["event_id"] for e in before)


def test_batch_reports_a_corrupt_record_and_a_truncated_gzip(scheduler: str, corpus: Path, tmp_path: Path) -> None:
    truncated = write_shard(corpus / "d.warc.gz", [11, 12, 13])
    data = truncated.read_bytes()
    truncated.write_bytes(data[: len(data) - 300])
    corrupt = write_shard(corpus / "e.warc", [14, 15, 16], gz=False)
    data = corrupt.read_bytes()
    second = data.find(b"WARC/1.", 1)
    corrupt.write_bytes(data[:second] + b"XARC/9.9" + data[second + 8:])
    out = tmp_path / "out"
    result = _cli("batch", str(corpus), "--out", str(out), "--scheduler", scheduler)
    assert result.exit_code == 1, result.output
    assert "failed inputs" in result.output
    rejects = sorted((r["shard"], r["code"]) for r in _dataset(out, "rejects"))
    assert rejects == [(str(truncated), "E131"), (str(corrupt), "E130")]
    urls = {a["url"] for a in _dataset(out, "articles")}
    assert urls == {f"https://wire.example/{n}" for n in [*range(1, 13), 14, 16]}
    assert len(list((out / "_manifests").glob("*.json"))) == 5


def test_batch_usage_errors_and_missing_inputs_need_no_cluster(tmp_path: Path) -> None:
    both = _cli("batch", str(tmp_path), "--out", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:1",
                "--workers", "2")
    assert both.exit_code == 2
    missing = _cli("batch", str(tmp_path / "nothing-*.warc.gz"), "--out", str(tmp_path / "out"))
    assert missing.exit_code == 1
    assert "E100 pattern matches no file" in missing.output


def test_batch_killed_midway_keeps_its_finished_shards(scheduler: str, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    import time

    import communique

    root = tmp_path / "shards"
    for k in range(6):
        write_shard(root / f"s{k}.warc.gz", [20 + 3 * k, 21 + 3 * k, 22 + 3 * k])
    out = tmp_path / "out"
    src = str(Path(communique.__file__).resolve().parents[1])
    proc = subprocess.Popen([sys.executable, "-m", "communique", "batch", str(root), "--out", str(out),
                             "--scheduler", scheduler], env={**os.environ, "PYTHONPATH": src},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list((out / "_manifests").glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    finished = {p.name: p.stat().st_mtime_ns for p in (out / "_manifests").glob("*.json")}
    assert 1 <= len(finished)
    rerun = _cli("batch", str(root), "--out", str(out), "--scheduler", scheduler)
    assert rerun.exit_code == 0, rerun.output
    assert rerun.output.count("unchanged [") >= len(finished)
    assert rerun.output.count("unchanged [") + rerun.output.count("done [") == 6
    manifests = [json.loads(p.read_text()) for p in (out / "_manifests").glob("*.json")]
    assert len(manifests) == 6 and all(finished[k] == (out / "_manifests" / k).stat().st_mtime_ns for k in finished)
    ids = [a["id"] for a in _dataset(out, "articles")]
    assert len(ids) == len(set(ids)) == 18
    events = [e["event_id"] for e in _dataset(out, "events")]
    assert len(events) == len(set(events)) == sum(m["counts"]["analysed_events"] for m in manifests)
