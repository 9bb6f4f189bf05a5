"""A shard's throw-away store: a real SQLite file in the temporary directory, gone once the shard is written."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from communique.batch.shard import scratch_store


def test_scratch_store_is_a_migrated_wal_file_removed_afterwards(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with scratch_store() as conn:
        path = Path(conn.execute("PRAGMA database_list").fetchone()["file"])
        assert path.parent.parent == tmp_path and path.is_file()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert list(tmp_path.iterdir()) == []


def test_scratch_store_is_removed_when_the_shard_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(RuntimeError), scratch_store():
        raise RuntimeError("a reader gave up")
    assert list(tmp_path.iterdir()) == []
