"""docs/scale.md: its DuckDB dyad query runs on a batch output and agrees with the events `analyze` stores."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from communique.cli import app
from communique.pipeline import analyze, ingest
from communique.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_scale_docs_duckdb_dyad_query_reads_the_parquet(scheduler: str, corpus: Path, settings: Settings,
                                                        tmp_path: Path) -> None:
    ingest([str(corpus)], settings)
    analyze(settings)
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["batch", str(corpus), "--out", str(out), "--scheduler", scheduler]).exit_code == 0
    found = re.search(r"```sql\n(.*?)```", (DOCS / "scale.md").read_text(), re.S)
    assert found is not None
    sql = found.group(1).replace("'out/", f"'{out}/").replace("'CHN'", "'FRA'").replace("'BLR'", "'DEU'")
    rows = duckdb.sql(sql).fetchall()
    with sqlite3.connect(settings.store.path) as conn:
        stored = conn.execute(
            "SELECT date_value, type, modality, count(*), count(DISTINCT article_id) FROM events"
            " WHERE (source_country = 'FRA' AND target_country = 'DEU') OR (source_country = 'DEU'"
            " AND target_country = 'FRA') GROUP BY date_value, date_precision, type, mode, cameo, modality,"
            " source_country, target_country, place").fetchall()
    assert len(rows) >= 2
    assert sorted(((r[0], r[2], r[5], r[9], r[10]) for r in rows), key=str) == sorted(stored, key=str)
