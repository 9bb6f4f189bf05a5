"""`communique load`: a batch output directory into the SQLite store, as `ingest` + `analyze` would have stored it.

Articles go through the ingest path (exact duplicates become origins, near-duplicates
link to the first copy already stored), then first copies get their parsed layer through
the analyze writer with consolidation. A shard is loaded once: its manifest is recorded
like an input file, so loading again only brings what is new.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from communique.analysis import Consolidator
from communique.batch.output import Manifest, manifest_path, manifests, shard_files
from communique.batch.shard import rejects_of
from communique.pipeline import Ingestor, backfill
from communique.records import (
    ActorKind,
    Article,
    Claim,
    Event,
    Figure,
    FigureKind,
    Mention,
    ParsedLayer,
    Participant,
    Precision,
    Statement,
    TimeExpression,
    TimexType,
)
from communique.report import AnalyzeSummary, IngestSummary
from communique.settings import Settings
from communique.store import connect
from communique.store.writer import Writer

Row = dict[str, Any]


@dataclass
class LoadSummary:
    """What one load did: shards loaded and passed over (already loaded), and the ingest and analyze counts."""

    shards: int = 0
    unchanged: int = 0
    ingest: IngestSummary = field(default_factory=IngestSummary)
    analyze: AnalyzeSummary = field(default_factory=AnalyzeSummary)


def _read(out: Path, manifest: Manifest, kind: str) -> list[Row]:
    tables = [pq.read_table(p) for p in shard_files(out, manifest, kind)]
    return pa.concat_tables(tables).to_pylist() if tables else []


def _article(row: Row) -> Article:
    data = {**row, "published": row["published"].isoformat() if row["published"] else None,
            "metadata": json.loads(row["metadata"] or "{}")}
    return Article.from_dict(data)


def _mention(r: Row) -> tuple[int, Mention]:
    return r["sentence"], Mention(r["start"], r["end"], r["text"], r["actor_id"], r["name"],
                                  ActorKind(r["kind"]) if r["kind"] else None, r["country"], r["sector"], r["title"],
                                  r["via"], tuple(r["refers_to"] or ()))


def _time(r: Row) -> tuple[int, TimeExpression]:
    return r["sentence"], TimeExpression(r["start"], r["end"], r["text"], TimexType(r["type"]), r["value"],
                                         Precision(r["precision"]) if r["precision"] else None, r["mod"], r["begin"],
                                         r["finish"])


def _figure(r: Row) -> tuple[int, Figure]:
    return r["sentence"], Figure(r["start"], r["end"], r["text"], r["value"], r["unit"], FigureKind(r["kind"]),
                                 r["qualifier"], r["change"], r["measure"], r["period"])


def _statement(r: Row) -> Statement:
    # The store keeps the speaker's span and actor, not the words of the span (those are `speaker_text`).
    speaker = (Participant(r["speaker_text"] or "", r["speaker_start"], r["speaker_end"], r["speaker_actor"],
                           r["speaker_country"], r["speaker_sector"], r["speaker_name"])
               if r["speaker_start"] is not None else None)
    return Statement(r["statement_id"], r["article_id"], r["sentence"], speaker, r["speaker_text"], r["cue"],
                     r["cue_start"], r["cue_end"], r["content"], r["content_start"], r["content_end"], r["direct"],
                     r["coder"])


def _layers(out: Path, manifest: Manifest) -> Iterator[ParsedLayer]:
    """The parsed layers of a shard's analysed articles, their records in text order."""
    parts: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for kind, make in (("mentions", _mention), ("dates", _time), ("figures", _figure)):
        for r in sorted(_read(out, manifest, kind), key=lambda r: (r["start"], r["end"])):
            parts[r["article_id"]][kind].append(make(r))
    for r in sorted(_read(out, manifest, "statements"), key=lambda r: r["content_start"]):
        parts[r["article_id"]]["statements"].append(_statement(r))
    for kind, cls in (("events", Event), ("claims", Claim)):
        for r in _read(out, manifest, kind):
            parts[r["article_id"]][kind].append(cls.from_dict(json.loads(r["record"])))
    for article_id, p in parts.items():
        events = sorted(p["events"], key=lambda e: (e.sentence, e.evidence[0].start, e.event_id))
        yield ParsedLayer(article_id, tuple(p["mentions"]), tuple(p["dates"]), tuple(p["figures"]),
                          tuple(p["statements"]), tuple(events), tuple(sorted(p["claims"], key=lambda c: c.start)))


def _first_copies(conn: sqlite3.Connection, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        found |= {r[0] for r in conn.execute(f"SELECT id FROM articles WHERE near_duplicate_of IS NULL AND id IN"
                                             f" ({','.join('?' * len(chunk))})", chunk)}
    return found


def _load_shard(writer: Writer, out: Path, manifest: Manifest, ingestor: Ingestor, summary: LoadSummary,
                consolidator: Consolidator) -> None:
    rows = sorted(_read(out, manifest, "articles"), key=lambda r: r["seq"])
    for row in rows:
        ingestor.store(writer, _article(row), summary.ingest)
    for reject in rejects_of(manifest):
        writer.add_reject(reject)
        summary.ingest.failed += 1
    writer.commit()
    firsts = _first_copies(writer.conn, [r["id"] for r in rows])
    for layer in _layers(out, manifest):
        if layer.article_id in firsts:
            writer.replace_layer(layer, manifest.coder, manifest.model, hook=consolidator)
            summary.analyze.add(layer)
    writer.mark_file(manifest_path(out, manifest.key), len(rows))
    writer.commit()


def load(out: Path, settings: Settings, conn: sqlite3.Connection | None = None) -> LoadSummary:
    """Bring every finished shard of the batch output at `out` into the store; shards loaded before are skipped.

    Each shard commits on its own, so a killed load keeps the shards it finished.
    """
    own = conn is None
    conn = conn or connect(settings.store.path)
    summary = LoadSummary()
    ingestor = Ingestor(settings)
    consolidator = Consolidator()
    try:
        backfill(conn, consolidator)
        with Writer(conn, f"load {out}", settings.store.batch_size) as writer:
            for manifest in manifests(out):
                if writer.file_unchanged(manifest_path(out, manifest.key)):
                    summary.unchanged += 1
                    continue
                _load_shard(writer, out, manifest, ingestor, summary, consolidator)
                summary.shards += 1
            analysed = {f"analysed_{k}": v for k, v in summary.analyze.counts().items()}
            writer.finish({"shards": summary.shards, "unchanged": summary.unchanged, **summary.ingest.counts(),
                           **analysed})
    finally:
        if own:
            conn.close()
    return summary
