"""Exporters of stored articles, one registered per format; columns in docs/schema.md."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from communique.registry import exporters

Row = dict[str, Any]
Exporter = Callable[[Iterable[Row], Path | None, IO[str]], int]

COLUMNS = ("id", "hash", "published", "source", "title", "byline", "url", "origin", "near_duplicate_of",
           "similarity", "ingested_at", "text", "sentences", "boilerplate", "metadata", "warnings")
_JSON_COLUMNS = ("sentences", "boilerplate", "metadata", "warnings")

PARQUET_SCHEMA = pa.schema([
    ("id", pa.string()), ("hash", pa.string()), ("published", pa.date32()), ("source", pa.string()),
    ("title", pa.string()), ("byline", pa.string()), ("url", pa.string()), ("origin", pa.string()),
    ("near_duplicate_of", pa.string()), ("similarity", pa.float64()), ("ingested_at", pa.string()),
    ("text", pa.string()),
    ("sentences", pa.list_(pa.struct([("start", pa.int32()), ("end", pa.int32())]))),
    ("boilerplate", pa.list_(pa.struct([("kind", pa.string()), ("text", pa.string()), ("paragraph", pa.int32())]))),
    ("metadata", pa.string()), ("warnings", pa.list_(pa.string())),
])


def export_jsonl(rows: Iterable[Row], out: Path | None, stdout: IO[str]) -> int:
    """One JSON object per line, as `Article.as_dict` plus store fields and sentences."""
    count = 0
    with (out.open("w", encoding="utf-8") if out else _keep_open(stdout)) as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            count += 1
    return count


def export_csv(rows: Iterable[Row], out: Path | None, stdout: IO[str]) -> int:
    """Flat columns; list and mapping columns hold JSON."""
    count = 0
    with (out.open("w", encoding="utf-8", newline="") if out else _keep_open(stdout)) as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: json.dumps(row[k], ensure_ascii=False) if k in _JSON_COLUMNS else row[k]
                             for k in COLUMNS})
            count += 1
    return count


def export_parquet(rows: Iterable[Row], out: Path | None, stdout: IO[str], batch: int = 5000) -> int:
    """A Parquet file with PARQUET_SCHEMA, written in row groups of `batch` articles."""
    if out is None:
        raise ValueError("Parquet needs an output file (--out)")
    count = 0
    with pq.ParquetWriter(out, PARQUET_SCHEMA) as writer:
        chunk: list[Row] = []
        for row in rows:
            chunk.append({**row, "metadata": json.dumps(row["metadata"], ensure_ascii=False, default=str),
                          "published": dt.date.fromisoformat(row["published"]) if row["published"] else None})
            if len(chunk) >= batch:
                writer.write_table(pa.Table.from_pylist(chunk, schema=PARQUET_SCHEMA))
                count += len(chunk)
                chunk = []
        writer.write_table(pa.Table.from_pylist(chunk, schema=PARQUET_SCHEMA))
        count += len(chunk)
    return count


class _keep_open:
    """Context manager over a stream it must not close (stdout)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def __enter__(self) -> IO[str]:
        return self.stream

    def __exit__(self, *_: Any) -> None:
        self.stream.flush()


exporters.register("jsonl", func=export_jsonl)
exporters.register("csv", func=export_csv)
exporters.register("parquet", func=export_parquet)


def article_rows(conn: Any, source: str | None = None, since: dt.date | None = None,
                 until: dt.date | None = None) -> Iterable[Row]:
    """Export rows (COLUMNS) of the stored articles, in ingest order."""
    from communique.store import queries

    for stored in queries.iter_articles(conn, source, since, until):
        sentences = queries.sentences(conn, stored.article.id)
        yield {**stored.as_dict(), "sentences": [{"start": s.start, "end": s.end} for s in sentences]}
