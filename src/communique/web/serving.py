"""Running the app under uvicorn, in one process or several (`communique serve --workers N`).

Several workers each listen on a socket of their own, bound to the same address with
SO_REUSEPORT, so that the kernel spreads connections over them. uvicorn's own `--workers`
shares one listening socket, and the worker that wakes first accepts every connection then
waiting: the few keep-alive connections of one browser or client all land in one process
and the others idle. Its shared socket also loses TCP_NODELAY (uvicorn issue #3149), which
made every keep-alive response wait about 40 ms for the client's delayed ACK.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
from multiprocessing.connection import wait
from pathlib import Path
from types import FrameType

import uvicorn

from communique.errors import CommuniqueError


class _Stop(Exception):
    """SIGTERM reached the supervisor."""


def listener(host: str, port: int) -> socket.socket:
    """A TCP socket bound to (host, port) that other processes of this user may bind too (SO_REUSEPORT)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise CommuniqueError(f"E430 cannot listen on {host}:{port} ({exc.strerror})") from exc
    return sock


def _worker(db: str, host: str, port: int) -> None:
    from communique.web import create_app

    sock = listener(host, port)
    uvicorn.Server(uvicorn.Config(create_app(Path(db)), log_level="warning")).run(sockets=[sock])


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def serve(db: Path, host: str, port: int, workers: int) -> int:
    """Serve the store at `db` until interrupted; returns the exit status (non-zero when a worker died)."""
    if workers == 1:
        from communique.web import create_app

        uvicorn.run(create_app(db), host=host, port=port, log_level="warning")
        return 0
    reserved = listener(host, port)  # fails early on a taken port; fixes the port when 0 was asked
    port = reserved.getsockname()[1]
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_worker, args=(str(db), host, port), name=f"communique-serve-{n}")
                 for n in range(workers)]
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        for process in processes:
            process.start()
        wait([p.sentinel for p in processes])  # returns when a worker ends on its own
        return 1
    except (KeyboardInterrupt, _Stop):
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(15)
        reserved.close()
