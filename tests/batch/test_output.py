"""The Parquet writer of a shard: rows streamed in bounded chunks, partitioned by month, order kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from communique.batch import output
from communique.batch.output import BATCH_LAYOUTS, write_kind
from communique.store import dict_rows


def _claim(i: int) -> dict[str, object]:
    month = 1 + i % 3
    return {"claim_id": f"c{i:05d}", "article_id": f"a{i // 4}",
            "article_published": f"2025-{month:02d}-{1 + i % 27:02d}",
            "sentence": i % 7, "start": i, "end": i + 5, "text": f"claim {i}", "kind": "figure",
            "event_type": None, "record": "{}"}


def test_write_kind_streams_chunks_into_month_partitions_in_row_order(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "CHUNK_ROWS", 7)
    rows = [_claim(i) for i in range(100)]
    files = write_kind(tmp_path, "k1", "claims", iter(rows))
    assert files == [f"claims/year=2025/month=0{m}/k1-0.parquet" for m in (1, 2, 3)]
    for m in (1, 2, 3):
        table = ds.dataset(tmp_path / f"claims/year=2025/month=0{m}", format="parquet").to_table()
        assert table.schema.names[:len(BATCH_LAYOUTS["claims"].schema)] == BATCH_LAYOUTS["claims"].schema.names
        expected = [r["claim_id"] for r in rows if r["article_published"][5:7] == f"0{m}"]
        assert table.column("claim_id").to_pylist() == expected


def test_write_kind_writes_nothing_for_no_rows_and_keeps_rejects_unpartitioned(tmp_path: Path) -> None:
    assert write_kind(tmp_path, "k2", "events", iter([])) == []
    assert not (tmp_path / "events").exists()
    reject = {"origin": "x.jsonl", "line": 3, "code": "E101", "reason": "not JSON", "shard": "x.jsonl"}
    assert write_kind(tmp_path, "k2", "rejects", [reject]) == ["rejects/k2-0.parquet"]
    assert ds.dataset(tmp_path / "rejects", format="parquet").to_table().to_pylist() == [reject]


def test_write_kind_reads_a_sqlite_cursor_on_the_calling_thread_only(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "CHUNK_ROWS", 7)
    conn = sqlite3.connect(":memory:")  # its cursors refuse other threads, as the shard store's do
    conn.execute("CREATE TABLE r (origin TEXT, line INTEGER, code TEXT, reason TEXT, shard TEXT)")
    conn.executemany("INSERT INTO r VALUES (?, ?, 'E101', 'not JSON', 'x.jsonl')", [("x.jsonl", i) for i in range(50)])
    files = write_kind(tmp_path, "k3", "rejects", dict_rows(conn, "SELECT * FROM r ORDER BY line"))
    assert files == ["rejects/k3-0.parquet"]
    lines = ds.dataset(tmp_path / "rejects", format="parquet").to_table().column("line").to_pylist()
    assert lines == list(range(50))
