"""Duplicates across shards: exact copies by content hash, near-duplicates by MinHash LSH bands.

Each shard links the copies inside it as `ingest` does. Over all shards, before any shard is
analysed, every article's id and LSH band keys (a cheap first pass over the new shards, the
articles files of the finished ones) go through one Dask shuffle
(`Bag.groupby` on the key, tasks method); the articles that share a key are paired and scored;
then, in input order (input path, then position in the file), each article is linked the way
`ingest` links it: a body seen before is an exact duplicate of its first copy, else the most
similar earlier article at or above the threshold makes it a near-duplicate of that article's
first copy. The links go to `out/duplicates/duplicates.parquet`.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from communique.batch.output import Manifest, shard_files
from communique.batch.shard import Fingerprint
from communique.ingest.dedupe import Deduper
from communique.settings import DedupeSettings

Key = tuple[int, int, str]  # (shard rank, position in the shard, article id): input order
Entry = tuple[tuple[str, Any], Key, bytes | None]
Pair = tuple[Key, Key, float]
SCHEMA = pa.schema([("article_id", pa.string()), ("shard", pa.string()), ("seq", pa.int64()),
                    ("duplicate_of", pa.string()), ("similarity", pa.float64()), ("kind", pa.string())])


@dataclass(frozen=True, slots=True)
class Link:
    """An article of one shard that copies an article of an earlier place in the input order."""

    article_id: str
    shard: str
    seq: int
    duplicate_of: str
    similarity: float
    kind: str  # "exact" or "near"


def read_fingerprints(files: Iterable[str]) -> list[Fingerprint]:
    """The fingerprints a finished shard wrote with its articles."""
    return [Fingerprint(row["seq"], row["id"], row["minhash"], row["lsh_buckets"] or [])
            for path in files for row in pq.read_table(path, columns=["id", "seq", "minhash", "lsh_buckets"])
            .to_pylist()]


def _entries(rank: int, prints: Iterable[Fingerprint]) -> Iterator[Entry]:
    """One entry per article for its id, and one per LSH band key."""
    for fp in prints:
        key = (rank, fp.seq, fp.id)
        yield ("id", fp.id), key, None
        for bucket in fp.lsh_buckets:
            yield ("band", bucket), key, fp.minhash


def _scored(groups: Iterable[tuple[tuple[str, Any], list[Entry]]], settings: DedupeSettings) -> list[Pair]:
    """Every (later, earlier, similarity) pair of articles that share an id or a band key."""
    deduper = Deduper(settings)
    pairs: list[Pair] = []
    for (kind, _), entries in groups:
        members = sorted({(key, signature) for _, key, signature in entries}, key=lambda m: m[0])
        for n, (later, sig) in enumerate(members):
            for earlier, other in members[:n]:
                score = 1.0 if kind == "id" else deduper.similarity(sig or b"", other or b"")
                pairs.append((later, earlier, score))
    return pairs


def _resolve(pairs: Iterable[Pair], threshold: float, names: list[str]) -> list[Link]:
    """Link each article the way `ingest` would, walking the input order."""
    earlier: dict[Key, dict[Key, float]] = defaultdict(dict)
    for later, first, score in pairs:
        earlier[later][first] = max(score, earlier[later].get(first, 0.0))
    links: list[Link] = []
    first_copy: dict[Key, Key] = {}
    dropped: set[Key] = set()
    for key in sorted(earlier):
        same = sorted(k for k in earlier[key] if k[2] == key[2])
        if same:
            dropped.add(key)
            links.append(Link(key[2], names[key[0]], key[1], same[0][2], 1.0, "exact"))
            continue
        best: tuple[float, Key] | None = None
        for other in sorted(earlier[key]):  # the earliest of equally similar ones wins, as in `ingest`
            score = earlier[key][other]
            if other not in dropped and score >= threshold and (best is None or score > best[0]):
                best = (score, other)
        if best is not None:
            target = first_copy.get(best[1], best[1])
            first_copy[key] = target
            links.append(Link(key[2], names[key[0]], key[1], target[2], round(best[0], 4), "near"))
    return links


@dataclass(frozen=True, slots=True)
class ShardPrints:
    """A shard in the input order: its input path and its fingerprints, given (or a Dask future of them,
    left on the worker that computed them) or read from the articles files of a finished shard."""

    name: str
    prints: Any = ()
    files: tuple[str, ...] = ()

    @classmethod
    def finished(cls, out: Path, manifest: Manifest) -> ShardPrints:
        """A shard done by an earlier run: its fingerprints are in its articles files."""
        return cls(manifest.input, files=tuple(str(p) for p in shard_files(out, manifest, "articles")))


def _shard_entries(rank: int, prints: Sequence[Fingerprint], files: tuple[str, ...]) -> list[Entry]:
    return list(_entries(rank, prints or read_fingerprints(files)))


def find_duplicates(shards: list[ShardPrints], settings: DedupeSettings) -> list[Link]:
    """Links across `shards` (in their order, the input order), computed on the current Dask client.

    Each shard's entries are made where its fingerprints are (a future's worker, or any worker for
    files), so only id and band-key groups travel, in the shuffle.
    """
    import dask
    import dask.bag as db

    if len(shards) < 2:
        return []
    bag = db.from_delayed([dask.delayed(_shard_entries)(rank, shard.prints, shard.files)
                           for rank, shard in enumerate(shards)])
    grouped = bag.groupby(lambda e: e[0], shuffle="tasks").filter(lambda g: len(g[1]) > 1)
    pairs = grouped.map_partitions(_scored, settings).compute()
    return _resolve(pairs, settings.threshold, [shard.name for shard in shards])


def write_links(out: Path, links: list[Link]) -> None:
    """Replace `out/duplicates/duplicates.parquet` (by rename, so readers never see half a file)."""
    folder = out / "duplicates"
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / ".duplicates.parquet.tmp"
    pq.write_table(pa.Table.from_pylist([asdict(link) for link in links], schema=SCHEMA), tmp)
    os.replace(tmp, folder / "duplicates.parquet")


def read_links(out: Path) -> list[Link]:
    """The links of the last run (none before a first run)."""
    path = out / "duplicates" / "duplicates.parquet"
    return [Link(**row) for row in pq.read_table(path).to_pylist()] if path.exists() else []
