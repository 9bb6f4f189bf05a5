"""The Parquet output of a batch run: one dataset per record kind, hive-partitioned by publication month.

Layout of an output directory (docs/scale.md):

    articles/year=2024/month=05/<shard key>-0.parquet   ... and mentions, dates, figures, events, statements, claims
    rejects/<shard key>-0.parquet                          not partitioned: a reject has no publication date
    _manifests/<shard key>.json                            written last: the shard is finished when it exists

A shard's files are written under `_tmp/<key>-<attempt>/` and renamed into place, then its
manifest is written (also by rename); a shard without a manifest is redone from scratch by
the next run. Each attempt stages apart, so a task left running by a killed client cannot
disturb the attempt of the next run.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from communique.export import LAYOUTS, Layout, Row, arrow_row

MANIFESTS = "_manifests"
TMP = "_tmp"
CHUNK_ROWS = 2048
PARTITIONING = ds.partitioning(pa.schema([("year", pa.string()), ("month", pa.string())]), flavor="hive")


def _extended(layout: Layout, *extra: tuple[str, pa.DataType]) -> Layout:
    return Layout(pa.schema([*((f.name, f.type) for f in layout.schema), *extra]), layout.json_columns,
                  layout.date_columns)


# The export layouts of docs/schema.md, plus what `communique load` needs to rebuild the records (an
# article's position in its shard, the full event and claim records as JSON) and an article's MinHash
# signature and LSH band keys for the deduplication across shards.
BATCH_LAYOUTS: dict[str, Layout] = {
    "articles": _extended(LAYOUTS["articles"], ("seq", pa.int64()), ("minhash", pa.binary()),
                          ("lsh_buckets", pa.list_(pa.int64()))),
    "mentions": LAYOUTS["mentions"],
    "dates": LAYOUTS["dates"],
    "figures": LAYOUTS["figures"],
    "events": _extended(LAYOUTS["events"], ("record", pa.string())),
    "statements": LAYOUTS["statements"],
    "claims": Layout(pa.schema([
        ("claim_id", pa.string()), ("article_id", pa.string()), ("article_published", pa.date32()),
        ("sentence", pa.int32()), ("start", pa.int32()), ("end", pa.int32()), ("text", pa.string()),
        ("kind", pa.string()), ("event_type", pa.string()), ("record", pa.string())]),
        date_columns=("article_published",)),
    "rejects": Layout(pa.schema([("origin", pa.string()), ("line", pa.int64()), ("code", pa.string()),
                                 ("reason", pa.string()), ("shard", pa.string())])),
}
DATE_COLUMN = {"articles": "published", "rejects": None}


@dataclass(slots=True)
class Manifest:
    """What a finished shard was made from and what it produced; `done` manifests make reruns skip it."""

    input: str
    key: str
    size: int
    mtime_ns: int
    coder: str
    model: str = ""
    status: str = "done"
    counts: dict[str, int] = field(default_factory=dict)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss_mib: float = 0.0
    worker: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        return cls(**data)


def manifest_path(out: Path, key: str) -> Path:
    return out / MANIFESTS / f"{key}.json"


def read_manifest(out: Path, key: str) -> Manifest | None:
    """The manifest of a finished shard, or None when the shard has none (or an unreadable one)."""
    try:
        return Manifest.from_dict(json.loads(manifest_path(out, key).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def manifests(out: Path) -> list[Manifest]:
    """Every finished shard's manifest, in input path order."""
    found = [read_manifest(out, p.stem) for p in sorted((out / MANIFESTS).glob("*.json"))]
    return sorted((m for m in found if m is not None and m.status == "done"), key=lambda m: m.input)


def _partitioned(table: pa.Table, column: str | None) -> pa.Table:
    if column is None:
        return table
    day = table.column(column)
    year = pc.cast(pc.year(day), pa.string())
    month = pc.utf8_lpad(pc.cast(pc.month(day), pa.string()), 2, "0")
    return table.append_column("year", year).append_column("month", month)


def _record_batches(rows: Iterable[Row], layout: Layout) -> Iterator[pa.RecordBatch]:
    """The rows as record batches of at most `CHUNK_ROWS`: never a whole shard's rows as Python objects."""
    rows = iter(rows)
    while chunk := [arrow_row(r, layout) for r in islice(rows, CHUNK_ROWS)]:
        yield pa.RecordBatch.from_pylist(chunk, schema=layout.schema)


def staging_dir(out: Path, key: str) -> Path:
    """A fresh directory for one attempt at a shard."""
    (out / TMP).mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{key}-", dir=out / TMP))


def write_kind(staging: Path, key: str, kind: str, rows: Iterable[Row]) -> list[str]:
    """Write one shard's rows of a record kind under `staging`; returns the files' paths relative to it."""
    layout = BATCH_LAYOUTS[kind]
    # Read in this thread (SQLite cursors stay on theirs), held columnar until Arrow writes it out.
    table = pa.Table.from_batches(list(_record_batches(rows, layout)), schema=layout.schema)
    if not table.num_rows:
        return []
    column = DATE_COLUMN.get(kind, "article_published")
    written: list[str] = []
    ds.write_dataset(_partitioned(table, column), staging / kind, format="parquet",
                     partitioning=PARTITIONING if column else None, basename_template=f"{key}-{{i}}.parquet",
                     existing_data_behavior="overwrite_or_ignore", preserve_order=True,
                     file_visitor=lambda f: written.append(str(Path(f.path).relative_to(staging))))
    return sorted(written)


def clear_shard(out: Path, key: str) -> None:
    """Remove the files an unfinished earlier attempt at the shard moved into place."""
    for kind in BATCH_LAYOUTS:
        for stale in (out / kind).glob(f"**/{key}-*.parquet"):
            stale.unlink()


def clear_staging(out: Path) -> None:
    """Remove what killed runs left in `_tmp/` (called by the client before it submits any task)."""
    shutil.rmtree(out / TMP, ignore_errors=True)


def commit_shard(out: Path, staging: Path, manifest: Manifest) -> None:
    """Move the shard's files into place, then write its manifest: the shard is finished from here on."""
    for rel in manifest.files:
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)
    shutil.rmtree(staging, ignore_errors=True)
    final = manifest_path(out, manifest.key)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(manifest.as_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, final)


def shard_files(out: Path, manifest: Manifest, kind: str) -> list[Path]:
    """The files of one record kind that a finished shard wrote."""
    return [out / rel for rel in manifest.files if rel.split("/", 1)[0] == kind]
