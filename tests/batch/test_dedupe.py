"""Duplicates across shards (communique.batch.dedupe): the links `ingest` would make, found by a Dask shuffle."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import dask
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from communique.batch.dedupe import Link, ShardPrints, _resolve, find_duplicates, read_links, write_links
from communique.batch.output import Manifest
from communique.batch.shard import Fingerprint
from communique.ingest.dedupe import Deduper
from communique.records import content_hash
from communique.settings import Settings
from tests.stories import edited, story


def test_dedupe_resolve_walks_the_input_order() -> None:
    a, a_again = (0, 0, "a"), (1, 0, "a")
    c, d, e = (0, 1, "c"), (1, 1, "d"), (2, 0, "e")
    pairs = [(a_again, a, 1.0), (d, c, 0.9), (e, d, 0.95), (e, c, 0.85), (e, a_again, 0.99), (d, a, 0.5)]
    assert _resolve(pairs, 0.8, ["s0", "s1", "s2"]) == [
        Link("a", "s1", 0, "a", 1.0, "exact"),
        Link("d", "s1", 1, "c", 0.9, "near"),
        # a_again was dropped as an exact copy, so e's best candidate is d, whose first copy is c
        Link("e", "s2", 0, "c", 0.95, "near"),
    ]


def _shard(out: Path, name: str, texts: list[str], deduper: Deduper) -> Manifest:
    rows = []
    for seq, text in enumerate(texts):
        fp = deduper.fingerprint(text)
        assert fp is not None
        rows.append({"id": content_hash(text)[:16], "seq": seq, "minhash": fp.signature,
                     "lsh_buckets": list(fp.buckets)})
    rel = f"articles/{name}-0.parquet"
    (out / "articles").mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), out / rel)
    return Manifest(input=name, key=name, size=0, mtime_ns=0, coder="test", files=[rel])


@pytest.mark.parametrize("scheduler", ["sync"])
def test_dedupe_links_copies_in_other_shards(scheduler: str, settings: Settings, tmp_path: Path) -> None:
    deduper = Deduper(settings.dedupe)
    one, two, three = story(1), story(2), story(3)
    manifests = [_shard(tmp_path, "s0", [one, two], deduper),
                 _shard(tmp_path, "s1", [three, one], deduper),
                 _shard(tmp_path, "s2", [edited(two), edited(one)], deduper)]
    with dask.config.set(scheduler=scheduler):
        links = find_duplicates([ShardPrints.finished(tmp_path, m) for m in manifests], settings.dedupe)
    near_two = deduper.similarity(deduper.fingerprint(edited(two)).signature, deduper.fingerprint(two).signature)
    assert near_two >= settings.dedupe.threshold
    assert [(k.shard, k.seq, k.duplicate_of, k.kind) for k in links] == [
        ("s1", 1, content_hash(one)[:16], "exact"),
        ("s2", 0, content_hash(two)[:16], "near"),
        ("s2", 1, content_hash(one)[:16], "near"),
    ]
    assert links[1].similarity == round(near_two, 4)
    write_links(tmp_path, links)
    assert read_links(tmp_path) == links


def _prints(texts: list[str], deduper: Deduper) -> list[Fingerprint]:
    out = []
    for seq, text in enumerate(texts):
        fp = deduper.fingerprint(text)
        assert fp is not None
        out.append(Fingerprint(seq, content_hash(text)[:16], fp.signature, list(fp.buckets)))
    return out


def test_dedupe_reads_fingerprints_left_on_the_workers(scheduler: str, settings: Settings, tmp_path: Path) -> None:
    from distributed import Client

    deduper = Deduper(settings.dedupe)
    texts = {"s0": [story(1), story(2)], "s1": [story(3), story(1)], "s2": [edited(story(2))]}
    manifests = [_shard(tmp_path, name, t, deduper) for name, t in texts.items()]
    with dask.config.set(scheduler="sync"):
        expected = find_duplicates([ShardPrints.finished(tmp_path, m) for m in manifests], settings.dedupe)
    with Client(scheduler) as client:
        # Made into tuples on the workers, where they stay, as the first pass leaves its fingerprints.
        futures = {name: client.submit(tuple, _prints(t, deduper), key=f"prints-{name}") for name, t in texts.items()}
        shards = [ShardPrints("s0", prints=futures["s0"]), ShardPrints.finished(tmp_path, manifests[1]),
                  ShardPrints("s2", prints=futures["s2"])]
        links = find_duplicates(shards, settings.dedupe)
    assert [(k.shard, k.kind) for k in links] == [("s1", "exact"), ("s2", "near")]
    assert links == expected


def test_dedupe_batch_links_copies_across_shards_as_ingest_does(scheduler: str, corpus: Path, settings: Settings,
                                                                 tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from communique.batch.load import load
    from communique.cli import app
    from communique.pipeline import analyze, ingest
    from tests.batch.corpus import write_shard

    copies = write_shard(corpus / "d.warc.gz", [1, 5], edited=(5,))
    ingest([str(corpus)], settings)
    analyze(settings)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["batch", str(corpus), "--out", str(out), "--scheduler", scheduler])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(settings.store.path) as conn:
        near = conn.execute("SELECT id, near_duplicate_of, similarity FROM articles"
                            " WHERE near_duplicate_of IS NOT NULL").fetchall()
        ids = dict(conn.execute("SELECT url, id FROM articles WHERE near_duplicate_of IS NULL"))
    assert len(near) == 1 and near[0][1] == ids["https://wire.example/5"]
    assert [(k.shard, k.seq, k.duplicate_of, k.kind) for k in read_links(out)] == [
        (str(copies), 0, ids["https://wire.example/1"], "exact"),
        (str(copies), 1, ids["https://wire.example/5"], "near")]
    assert read_links(out)[1].similarity == near[0][2]
    # the copies were fingerprinted first and left unanalysed: the Parquet events are those of analyze
    parquet = pq.read_table(out / "events", columns=["event_id"]).column("event_id").to_pylist()
    with sqlite3.connect(settings.store.path) as conn:
        assert sorted(parquet) == sorted(r[0] for r in conn.execute("SELECT id FROM events"))
    loaded = settings.with_db(tmp_path / "loaded.db")
    load(out, loaded)
    for sql in ("SELECT id, near_duplicate_of, similarity FROM articles", "SELECT article_id FROM analyses",
                "SELECT article_id, origin FROM article_origins", "SELECT id FROM events"):
        with sqlite3.connect(settings.store.path) as a, sqlite3.connect(loaded.store.path) as b:
            assert sorted(a.execute(sql)) == sorted(b.execute(sql)), sql
