"""A real Dask cluster on loopback (`dask scheduler` + two `dask worker` processes) and a WARC corpus."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import communique
from tests.batch.corpus import write_shard

DASK = Path(sys.executable).parent / "dask"
SHARDS = {"a.warc.gz": [1, 2, 3, 4], "b.warc.gz": [5, 6, 7], "c.warc": [8, 9, 10]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dask scheduler exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("dask scheduler did not start")


@pytest.fixture(scope="session")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a scheduler with two single-threaded workers, each its own process, torn down after."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    src = str(Path(communique.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    logs = tmp_path_factory.mktemp("dask-logs")
    procs: list[subprocess.Popen[bytes]] = []
    try:
        procs.append(subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                       "--dashboard-address", "127.0.0.1:0", "--no-show"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=(logs / "scheduler.log").open("wb")))
        _wait_for_port(port, procs[0])
        for n in range(2):
            procs.append(subprocess.Popen([str(DASK), "worker", address, "--nworkers", "1", "--nthreads", "1",
                                           "--host", "127.0.0.1", "--no-dashboard", "--name", f"w{n}"], env=env,
                                          stdout=subprocess.DEVNULL, stderr=(logs / f"worker{n}.log").open("wb")))
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Three WARC shards (two gzipped, one plain) of invented reports, ten articles in all."""
    root = tmp_path / "shards"
    for name, numbers in SHARDS.items():
        write_shard(root / name, numbers, gz=name.endswith(".gz"))
    return root
