"""One shard on a worker: read it with the ingest readers, analyse it as `analyze` does, write its Parquet.

The shard goes through a private temporary store with the very functions of the
single-machine path (`pipeline.ingest`, `pipeline.analyze`) and leaves it through the
export queries, so its records, ids and columns are those of `ingest` + `analyze` +
`export` on the same input and version.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import sqlite3
import tempfile
import time
from collections import defaultdict
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from communique.about import CODER
from communique.batch.output import Manifest, clear_shard, commit_shard, read_manifest, staging_dir, write_kind
from communique.export import Row, article_rows
from communique.pipeline import Analyzer, analyze, ingest
from communique.records import Reject
from communique.settings import Settings
from communique.store import connect, queries
from communique.store.events import EventFilter, event_rows, flat_event, statement_rows


@dataclass(frozen=True, slots=True)
class Shard:
    """An input file as the batch sees it: its name, a key derived from its absolute path, and its stat."""

    path: str
    key: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Shard:
        stat = path.stat()
        key = hashlib.sha256(os.path.abspath(path).encode("utf-8")).hexdigest()[:16]
        return cls(str(path), key, stat.st_size, stat.st_mtime_ns)

    def finished(self, out: Path) -> Manifest | None:
        """The manifest of an earlier run over this very file by this coder, if there is one."""
        found = read_manifest(out, self.key)
        if found and (found.status, found.size, found.mtime_ns, found.coder) == ("done", self.size, self.mtime_ns,
                                                                                 CODER):
            return found
        return None


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What cross-shard deduplication needs of an article: its place in the shard, id, MinHash and LSH bands."""

    seq: int
    id: str
    minhash: bytes | None
    lsh_buckets: list[int]


@contextmanager
def scratch_store() -> Iterator[sqlite3.Connection]:
    """A throw-away store for one shard, in a temporary file that is removed afterwards.

    A file, not `:memory:`: its pages stay in SQLite's bounded cache and the OS page cache
    instead of the worker's heap, so a 30,000-record WARC file costs disk, not resident memory.
    """
    with tempfile.TemporaryDirectory(prefix="communique-shard-") as folder:
        conn = connect(Path(folder) / "shard.db")
        try:
            yield conn
        finally:
            conn.close()


def _article_rows(conn: sqlite3.Connection) -> Iterator[Row]:
    signatures = dict(conn.execute("SELECT a.id, m.signature FROM minhashes m JOIN articles a"
                                   " ON a.seq = m.article_seq"))
    buckets: dict[str, list[int]] = defaultdict(list)
    for article_id, bucket in conn.execute("SELECT a.id, l.bucket FROM lsh_buckets l JOIN articles a"
                                           " ON a.seq = l.article_seq ORDER BY a.seq, l.bucket"):
        buckets[article_id].append(bucket)
    for seq, row in enumerate(article_rows(conn)):
        yield {**row, "seq": seq, "minhash": signatures.get(row["id"]), "lsh_buckets": buckets.get(row["id"], [])}


def fingerprints(shard: Shard, settings: Settings) -> list[Fingerprint]:
    """The fingerprints of a shard's articles, read and cleaned as `process` reads them, without the analysis.

    The first pass of a batch: cheap next to the language pipeline, it lets the duplicates
    across shards be known before any shard is analysed.
    """
    with scratch_store() as conn:
        ingest([shard.path], settings, conn=conn)
        return [Fingerprint(r["seq"], r["id"], r["minhash"], r["lsh_buckets"]) for r in _article_rows(conn)]


def _event_rows(conn: sqlite3.Connection) -> Iterator[Row]:
    for row in event_rows(conn, EventFilter()):
        yield {**flat_event(row), "record": json.dumps(row["record"], ensure_ascii=False)}


def _claim_rows(conn: sqlite3.Connection) -> Iterator[Row]:
    sql = ("SELECT c.id AS claim_id, c.article_id, a.published AS article_published, c.sentence, c.start, c.end,"
           " c.text, c.kind, c.event_type, c.record FROM claims c JOIN articles a ON a.id = c.article_id"
           " ORDER BY a.seq, c.start")
    yield from (dict(r) for r in conn.execute(sql))


def _rows(conn: sqlite3.Connection, kind: str) -> Iterator[Row]:
    if kind == "articles":
        return _article_rows(conn)
    if kind == "events":
        return _event_rows(conn)
    if kind == "statements":
        return statement_rows(conn)
    if kind == "claims":
        return _claim_rows(conn)
    return queries.layer_rows(conn, kind)


def process(shard: Shard, out: Path, settings: Settings, analyzer: Analyzer, worker: str = "",
            copies: Collection[str] = ()) -> Manifest:
    """Turn one shard into its Parquet files and manifest (the manifest is written last).

    `copies` are the ids of the shard's articles that copy an earlier article of another shard:
    their article rows are written, their analysis is left to the first copy, as `analyze` does.
    """
    began = time.perf_counter()
    clear_shard(out, shard.key)
    staging = staging_dir(out, shard.key)
    with scratch_store() as conn:
        read = ingest([shard.path], settings, conn=conn)
        done = analyze(settings, conn=conn, analyzer=analyzer, skip=copies, consolidate=False)
        files: list[str] = []
        for kind in ("articles", "mentions", "dates", "figures", "events", "statements", "claims"):
            files += write_kind(staging, shard.key, kind, _rows(conn, kind))
    files += write_kind(staging, shard.key, "rejects", ({"origin": r.origin, "line": r.line, "code": r.code,
                                                     "reason": r.reason, "shard": shard.path} for r in read.rejects))
    manifest = Manifest(
        input=shard.path, key=shard.key, size=shard.size, mtime_ns=shard.mtime_ns, coder=CODER,
        model=analyzer.model, counts={**read.counts(), **{f"analysed_{k}": v for k, v in done.counts().items()}},
        rejects=[{"origin": r.origin, "line": r.line, "code": r.code, "reason": r.reason} for r in read.rejects],
        files=files, seconds=round(time.perf_counter() - began, 3),
        peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), worker=worker)
    commit_shard(out, staging, manifest)
    return manifest


def rejects_of(manifest: Manifest) -> list[Reject]:
    """The inputs of a shard that could not become articles."""
    return [Reject(r["origin"], r["code"], r["reason"], r.get("line")) for r in manifest.rejects]
