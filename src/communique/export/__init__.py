"""Exporters, one registered per format, over layouts (columns + Parquet schema) per record kind.

The columns are documented in docs/schema.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from communique.registry import exporters

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Layout:
    """The columns of one record kind, those held as JSON text in CSV, and the Parquet schema."""

    schema: pa.Schema
    json_columns: tuple[str, ...] = ()
    date_columns: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.schema.names)


_SPAN = [("article_id", pa.string()), ("sentence", pa.int32()), ("start", pa.int32()), ("end", pa.int32()),
         ("text", pa.string())]
_CONTEXT = [("coder", pa.string()), ("article_published", pa.date32()), ("article_source", pa.string())]

LAYOUTS: dict[str, Layout] = {
    "articles": Layout(pa.schema([
        ("id", pa.string()), ("hash", pa.string()), ("published", pa.date32()), ("source", pa.string()),
        ("title", pa.string()), ("byline", pa.string()), ("url", pa.string()), ("origin", pa.string()),
        ("near_duplicate_of", pa.string()), ("similarity", pa.float64()), ("ingested_at", pa.string()),
        ("text", pa.string()),
        ("sentences", pa.list_(pa.struct([("start", pa.int32()), ("end", pa.int32())]))),
        ("boilerplate", pa.list_(pa.struct([("kind", pa.string()), ("text", pa.string()),
                                            ("paragraph", pa.int32())]))),
        ("metadata", pa.string()), ("warnings", pa.list_(pa.string())),
    ]), json_columns=("sentences", "boilerplate", "metadata", "warnings"), date_columns=("published",)),
    "mentions": Layout(pa.schema([
        *_SPAN, ("actor_id", pa.string()), ("name", pa.string()), ("kind", pa.string()), ("country", pa.string()),
        ("sector", pa.string()), ("title", pa.string()), ("via", pa.string()), ("refers_to", pa.list_(pa.string())),
        *_CONTEXT]), json_columns=("refers_to",), date_columns=("article_published",)),
    "dates": Layout(pa.schema([
        *_SPAN, ("type", pa.string()), ("value", pa.string()), ("precision", pa.string()), ("mod", pa.string()),
        ("begin", pa.string()), ("finish", pa.string()), *_CONTEXT]), date_columns=("article_published",)),
    "figures": Layout(pa.schema([
        *_SPAN, ("value", pa.float64()), ("unit", pa.string()), ("kind", pa.string()), ("qualifier", pa.string()),
        ("change", pa.string()), ("measure", pa.string()), ("period", pa.string()), *_CONTEXT]),
        date_columns=("article_published",)),
}

_PARTICIPANT = pa.struct([("text", pa.string()), ("start", pa.int32()), ("end", pa.int32()),
                          ("actor_id", pa.string()), ("country", pa.string()), ("sector", pa.string()),
                          ("name", pa.string())])
# The event record of DESIGN.md (JSONL); the flat layout below serves CSV and Parquet.
EVENT_RECORD = Layout(pa.schema([
    ("event_id", pa.string()), ("article_id", pa.string()), ("type", pa.string()), ("mode", pa.string()),
    ("cameo", pa.string()), ("quad_class", pa.int8()), ("goldstein", pa.float64()), ("source", _PARTICIPANT),
    ("target", _PARTICIPANT), ("others", pa.list_(_PARTICIPANT)), ("mutual", pa.bool_()),
    ("date", pa.struct([("value", pa.string()), ("precision", pa.string()), ("text", pa.string()),
                        ("basis", pa.string())])),
    ("location", pa.struct([("text", pa.string()), ("start", pa.int32()), ("end", pa.int32()),
                            ("country", pa.string())])),
    ("modality", pa.string()), ("reported", pa.bool_()), ("speaker", _PARTICIPANT),
    ("evidence", pa.list_(pa.struct([("sentence", pa.int32()), ("start", pa.int32()), ("end", pa.int32()),
                                     ("trigger", pa.string()), ("trigger_start", pa.int32()),
                                     ("trigger_end", pa.int32())]))),
    ("confidence", pa.float64()), ("rule", pa.string()), ("coder", pa.string())]))

LAYOUTS["events"] = Layout(pa.schema([
    ("event_id", pa.string()), ("article_id", pa.string()), ("sentence", pa.int32()), ("event_date", pa.string()),
    ("date_precision", pa.string()), ("date_basis", pa.string()), ("date_text", pa.string()),
    ("source_actor", pa.string()), ("source_name", pa.string()), ("source_country", pa.string()),
    ("source_sector", pa.string()), ("target_actor", pa.string()), ("target_name", pa.string()),
    ("target_country", pa.string()), ("target_sector", pa.string()), ("others", pa.list_(pa.string())),
    ("cameo_code", pa.string()), ("cameo_root", pa.string()), ("quad_class", pa.int8()), ("goldstein", pa.float64()),
    ("plover_type", pa.string()), ("plover_mode", pa.string()), ("mutual", pa.bool_()), ("modality", pa.string()),
    ("reported", pa.bool_()), ("speaker_actor", pa.string()), ("speaker_country", pa.string()),
    ("place", pa.string()), ("place_country", pa.string()), ("evidence", pa.string()), ("trigger", pa.string()),
    ("evidence_start", pa.int32()), ("evidence_end", pa.int32()), ("evidence_count", pa.int32()),
    ("confidence", pa.float64()), ("rule", pa.string()), ("coder", pa.string()), ("article_published", pa.date32()),
    ("article_source", pa.string()), ("article_url", pa.string())]),
    json_columns=("others",), date_columns=("article_published",))
LAYOUTS["statements"] = Layout(pa.schema([
    ("statement_id", pa.string()), ("article_id", pa.string()), ("sentence", pa.int32()),
    ("speaker_actor", pa.string()), ("speaker_name", pa.string()), ("speaker_country", pa.string()),
    ("speaker_sector", pa.string()), ("speaker_text", pa.string()), ("speaker_start", pa.int32()),
    ("speaker_end", pa.int32()), ("cue", pa.string()), ("cue_start", pa.int32()), ("cue_end", pa.int32()),
    ("content", pa.string()), ("content_start", pa.int32()), ("content_end", pa.int32()), ("direct", pa.bool_()),
    ("coder", pa.string()), ("article_published", pa.date32()), ("article_source", pa.string())]),
    date_columns=("article_published",))
LAYOUTS["consolidated"] = Layout(pa.schema([
    ("consolidated_id", pa.string()), ("type", pa.string()), ("family", pa.string()), ("mode", pa.string()),
    ("modality", pa.string()), ("date_value", pa.string()), ("date_precision", pa.string()), ("side_a", pa.string()),
    ("side_b", pa.string()), ("mutual", pa.bool_()), ("place", pa.string()), ("place_country", pa.string()),
    ("quad_class", pa.int8()), ("goldstein", pa.float64()), ("mention_count", pa.int32()),
    ("article_count", pa.int32()), ("mention_ids", pa.list_(pa.string())), ("article_ids", pa.list_(pa.string())),
    ("best_event", pa.string()), ("best_article", pa.string()), ("best_sentence", pa.int32()),
    ("evidence", pa.string()), ("first_seen", pa.string()), ("updated_at", pa.string())]),
    json_columns=("mention_ids", "article_ids"))
LAYOUTS["claims"] = Layout(pa.schema([
    ("claim_id", pa.string()), ("article_id", pa.string()), ("article_published", pa.date32()),
    ("sentence", pa.int32()), ("start", pa.int32()), ("end", pa.int32()), ("text", pa.string()),
    ("evidence", pa.string()), ("kind", pa.string()), ("number", pa.int32()), ("qualifier", pa.string()),
    ("noun", pa.string()), ("event_type", pa.string()), ("mode", pa.string()), ("subject", pa.string()),
    ("counterpart", pa.string()), ("mutual", pa.bool_()), ("period_begin", pa.string()), ("period_end", pa.string()),
    ("period_text", pa.string()), ("date", pa.string()), ("modality", pa.string()), ("verdict", pa.string()),
    ("found", pa.int32()), ("covered", pa.bool_()), ("reason", pa.string()), ("event_ids", pa.list_(pa.string())),
    ("event_dates", pa.list_(pa.string()))]),
    json_columns=("event_ids", "event_dates"), date_columns=("article_published",))

Exporter = Callable[[Iterable[Row], Layout, Path | None, IO[str]], int]


class _keep_open:
    """Context manager over a stream it must not close (stdout)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def __enter__(self) -> IO[str]:
        return self.stream

    def __exit__(self, *_: Any) -> None:
        self.stream.flush()


def export_jsonl(rows: Iterable[Row], layout: Layout, out: Path | None, stdout: IO[str]) -> int:
    """One JSON object per line with the layout's keys."""
    count = 0
    with (out.open("w", encoding="utf-8") if out else _keep_open(stdout)) as fh:
        for row in rows:
            fh.write(json.dumps({k: row.get(k) for k in layout.columns}, ensure_ascii=False, default=str) + "\n")
            count += 1
    return count


def export_csv(rows: Iterable[Row], layout: Layout, out: Path | None, stdout: IO[str]) -> int:
    """Flat columns; list and mapping columns hold JSON."""
    count = 0
    with (out.open("w", encoding="utf-8", newline="") if out else _keep_open(stdout)) as fh:
        writer = csv.DictWriter(fh, fieldnames=layout.columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: json.dumps(row.get(k), ensure_ascii=False) if k in layout.json_columns else row.get(k)
                             for k in layout.columns})
            count += 1
    return count


def arrow_row(row: Row, layout: Layout) -> Row:
    out = {k: row.get(k) for k in layout.columns}
    for key in layout.date_columns:
        value = out[key]
        out[key] = dt.date.fromisoformat(value) if isinstance(value, str) and value else None
    if "metadata" in out:
        out["metadata"] = json.dumps(out["metadata"], ensure_ascii=False, default=str)
    return out


def export_parquet(rows: Iterable[Row], layout: Layout, out: Path | None, stdout: IO[str],
                   batch: int = 5000) -> int:
    """A Parquet file with the layout's schema, written in row groups of `batch` rows."""
    if out is None:
        raise ValueError("Parquet needs an output file (--out)")
    count = 0
    with pq.ParquetWriter(out, layout.schema) as writer:
        chunk: list[Row] = []
        for row in rows:
            chunk.append(arrow_row(row, layout))
            if len(chunk) >= batch:
                writer.write_table(pa.Table.from_pylist(chunk, schema=layout.schema))
                count += len(chunk)
                chunk = []
        writer.write_table(pa.Table.from_pylist(chunk, schema=layout.schema))
        count += len(chunk)
    return count


exporters.register("jsonl", func=export_jsonl)
exporters.register("csv", func=export_csv)
exporters.register("parquet", func=export_parquet)


def article_rows(conn: sqlite3.Connection, source: str | None = None, since: dt.date | None = None,
                 until: dt.date | None = None) -> Iterator[Row]:
    """Export rows of the stored articles, in ingest order."""
    from communique.store import queries

    for stored in queries.iter_articles(conn, source, since, until):
        sentences = queries.sentences(conn, stored.article.id)
        yield {**stored.as_dict(), "sentences": [{"start": s.start, "end": s.end} for s in sentences]}
