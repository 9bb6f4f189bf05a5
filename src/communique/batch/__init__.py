"""Scale-out: the single-machine pipeline over many input files on a Dask cluster, to Parquet (docs/scale.md).

Each input file is a shard. A first pass fingerprints the new shards (read and cleaned, not
analysed) so that the copies across shards are linked before any analysis; then each shard is
processed by one task on a worker whose pipeline a `WorkerPlugin` loaded once, leaving its
copies of other shards' articles unanalysed. Finished shards are skipped by a rerun (their
manifests).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from communique import errors
from communique.batch.output import Manifest, clear_staging
from communique.batch.shard import Shard, rejects_of
from communique.ingest import discover
from communique.records import Reject
from communique.settings import Settings

LOGGER = logging.getLogger(__name__)


@dataclass
class BatchSummary:
    """What one batch run did. `exit_code` is 0 when every input was read without failure, else 1."""

    shards: int = 0
    done: int = 0
    skipped: int = 0
    failed: int = 0
    articles: int = 0
    events: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    rejects: list[Reject] = field(default_factory=list)
    manifests: list[Manifest] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or self.rejects else 0

    def add(self, manifest: Manifest, skipped: bool) -> None:
        self.manifests.append(manifest)
        self.skipped += skipped
        self.done += not skipped
        self.articles += manifest.counts.get("stored", 0)
        self.events += manifest.counts.get("analysed_events", 0)
        self.rejects += rejects_of(manifest)

    def counts(self) -> dict[str, int]:
        return {"shards": self.shards, "done": self.done, "skipped": self.skipped, "failed": self.failed,
                "articles": self.articles, "events": self.events, "exact duplicates": self.exact_duplicates,
                "near-duplicates": self.near_duplicates, "rejects": len(self.rejects)}


class BatchObserver:
    """Receives progress from a batch run; the CLI renders it, the library ignores it."""

    def started(self, dashboard: str | None, shards: int, workers: int) -> None:
        """Called once the cluster is up and the shards are known."""

    def linked(self, fingerprinted: int, exact: int, near: int) -> None:
        """Called after the first pass: new shards fingerprinted, copies found across all shards."""

    def shard_done(self, shard: Shard, manifest: Manifest | None, skipped: bool, error: str | None) -> None:
        """Called after each shard (manifest None when its task failed)."""


def shards_of(targets: list[str], settings: Settings, summary: BatchSummary) -> list[Shard]:
    """Every input file named by `targets`, once each; names that match nothing become rejects."""
    seen: set[str] = set()
    found: list[Shard] = []
    for item in discover(targets, settings.ingest):
        if isinstance(item, Reject):
            summary.rejects.append(item)
            summary.failed += 1
        elif os.path.abspath(item) not in seen:
            seen.add(os.path.abspath(item))
            found.append(Shard.of(item))
    return found


def run_batch(targets: list[str], out: Path, settings: Settings, scheduler: str | None = None,
              workers: int | None = None, observer: BatchObserver | None = None) -> BatchSummary:
    """Process every input file as a shard on a Dask cluster, into the Parquet dataset at `out`.

    Without `scheduler`, a local cluster of `workers` processes (default: one per core) with one
    thread each; with it, the cluster at that address.
    """
    from distributed import Client, LocalCluster, as_completed

    from communique.batch.worker import PipelinePlugin, run_shard

    observer = observer or BatchObserver()
    summary = BatchSummary()
    shards = shards_of(targets, settings, summary)
    summary.shards = len(shards)
    out.mkdir(parents=True, exist_ok=True)
    todo = []
    for shard in shards:
        finished = shard.finished(out)
        if finished is not None:
            summary.add(finished, skipped=True)
            observer.shard_done(shard, finished, True, None)
        else:
            todo.append(shard)
    if not todo:
        _count_links(out, summary)
        return summary
    clear_staging(out)
    cluster = None if scheduler else LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                                  processes=True, dashboard_address=":0")
    try:
        with Client(scheduler or cluster) as client:
            plugin = PipelinePlugin(settings)
            client.register_plugin(plugin)
            observer.started(client.dashboard_link, len(shards), len(client.scheduler_info()["workers"]))
            ready, copies = _first_pass(client, plugin.name, todo, out, summary, settings, observer)
            futures = {client.submit(run_shard, shard, str(out), plugin.name, sorted(copies.get(shard.path, ())),
                                     key=f"shard-{shard.key}"): shard for shard in ready}
            for future in as_completed(futures):
                if (manifest := _result(future, futures[future], summary, observer)) is not None:
                    summary.add(manifest, skipped=False)
                    observer.shard_done(futures[future], manifest, False, None)
    finally:
        if cluster is not None:
            cluster.close()
    return summary


def _first_pass(client: Any, plugin: str, todo: list[Shard], out: Path, summary: BatchSummary, settings: Settings,
                observer: BatchObserver) -> tuple[list[Shard], dict[str, set[str]]]:
    """Fingerprint the new shards and link the copies across all shards; returns the shards whose first pass
    worked and, per input path, the ids of the articles that copy an earlier one (their tasks skip them).

    The fingerprints stay on the workers that computed them (futures) until the shuffle reads them there:
    the client never holds a corpus's worth of them.
    """
    from distributed import as_completed

    from communique.batch.dedupe import ShardPrints, find_duplicates, write_links
    from communique.batch.worker import run_fingerprints

    printed = {client.submit(run_fingerprints, shard, plugin, key=f"fingerprints-{shard.key}"): shard
               for shard in todo}
    fresh = [(printed[f], f) for f in as_completed(printed) if _finished(f, printed[f], summary, observer)]
    shards = [ShardPrints.finished(out, m) for m in summary.manifests]
    shards += [ShardPrints(shard.path, prints=future) for shard, future in fresh]
    links = find_duplicates(sorted(shards, key=lambda s: s.name), settings.dedupe)
    write_links(out, links)
    _count_links(out, summary)
    observer.linked(len(fresh), summary.exact_duplicates, summary.near_duplicates)
    copies: dict[str, set[str]] = {}
    for link in links:
        copies.setdefault(link.shard, set()).add(link.article_id)
    return [shard for shard, _ in fresh], copies


def _count_links(out: Path, summary: BatchSummary) -> None:
    from communique.batch.dedupe import read_links

    kinds = [link.kind for link in read_links(out)]
    summary.exact_duplicates, summary.near_duplicates = kinds.count("exact"), kinds.count("near")


def _result(future: Any, shard: Shard, summary: BatchSummary, observer: BatchObserver) -> Any:
    """The value of a shard's task; a task that died on its worker fails its shard (reported), not the run."""
    try:
        return future.result()
    except Exception as exc:
        _fail(shard, exc, summary, observer)
        return None


def _finished(future: Any, shard: Shard, summary: BatchSummary, observer: BatchObserver) -> bool:
    """Whether a task finished, its value left on its worker; one that failed fails its shard, as in `_result`."""
    return future.status == "finished" or _result(future, shard, summary, observer) is not None


def _fail(shard: Shard, exc: Exception, summary: BatchSummary, observer: BatchObserver) -> None:
    LOGGER.warning("shard %s failed: %s", shard.path, exc)
    summary.failed += 1
    summary.rejects.append(Reject(shard.path, errors.E_SHARD_FAILED, f"shard failed on its worker: {exc}"))
    observer.shard_done(shard, None, False, str(exc))
