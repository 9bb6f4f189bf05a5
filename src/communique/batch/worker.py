"""The worker side of a batch run: a plugin that loads the pipeline once per worker, and the shard task."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from distributed import Worker, WorkerPlugin, get_worker

from communique.about import CODER
from communique.batch.output import Manifest
from communique.batch.shard import Fingerprint, Shard, fingerprints, process
from communique.settings import Settings

if TYPE_CHECKING:
    from communique.pipeline import Analyzer



class PipelinePlugin(WorkerPlugin):
    """Loads the spaCy pipeline, the actor KB and the event coder when a worker starts (not per task).

    Its name carries the coder and a digest of the settings, so that a later run with the same
    settings on the same cluster reuses the loaded pipeline (`idempotent`: registering again is a no-op).
    """

    idempotent = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        digest = hashlib.sha256(f"{CODER} {settings!r}".encode()).hexdigest()[:12]
        self.name = f"communique-batch-{digest}"
        self.analyzer: Analyzer | None = None

    def setup(self, worker: Worker) -> None:
        from communique.pipeline import Analyzer

        _stop_profiler(worker)
        self.analyzer = Analyzer(self.settings)


def _stop_profiler(worker: Worker) -> None:
    """Switch off the worker's statistical profiler and drop what it kept.

    It samples the task's stack every 10 ms and keeps up to 1,000 one-second call trees, twice
    (`distributed.admin.low-level-log-length`): during minutes-long parsing tasks that history
    grows by 100-200 MiB per worker before it levels off (BENCHMARKS.md, "Batch: findings").
    """
    for name in ("profile", "profile-cycle"):
        callback = worker.periodic_callbacks.pop(name, None)
        if callback is not None:
            callback.stop()
    worker.profile_history.clear()
    worker.profile_keys_history.clear()
    worker.profile_keys.clear()


def _plugin(name: str) -> tuple[PipelinePlugin, Worker]:
    worker = get_worker()
    plugin = worker.plugins[name]
    assert isinstance(plugin, PipelinePlugin) and plugin.analyzer is not None
    return plugin, worker


def run_fingerprints(shard: Shard, plugin_name: str) -> tuple[Fingerprint, ...]:
    """The first-pass task: the fingerprints of one shard's articles (read and cleaned, not analysed)."""
    plugin, _ = _plugin(plugin_name)
    return tuple(fingerprints(shard, plugin.settings))


def run_shard(shard: Shard, out: str, plugin_name: str, copies: list[str]) -> Manifest:
    """The task: one shard, with the pipeline the worker's plugin loaded; `copies` are left unanalysed."""
    plugin, worker = _plugin(plugin_name)
    assert plugin.analyzer is not None
    return process(shard, Path(out), plugin.settings, plugin.analyzer, worker=worker.address, copies=copies)
