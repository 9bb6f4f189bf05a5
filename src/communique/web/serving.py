"""Running the app under uvicorn, in one process or several (`communique serve --workers N`)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import uvicorn
from uvicorn.supervisors import Multiprocess


class _NoDelayConfig(uvicorn.Config):
    """uvicorn's configuration with a listening socket that says it is TCP.

    With several workers uvicorn binds the socket itself with `proto` 0; accepted connections
    inherit it and asyncio then never sets TCP_NODELAY, so every keep-alive response waits
    about 40 ms for the client's delayed ACK (uvicorn issue #3149). Re-declaring the same
    descriptor as IPPROTO_TCP restores what a single worker gets.
    """

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto == socket.IPPROTO_TCP:
            return sock
        tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        tcp.set_inheritable(True)
        return tcp


def serve(db: Path, host: str, port: int, workers: int) -> None:
    """Serve the store at `db` until interrupted; with `workers` > 1, each process builds its own app."""
    if workers == 1:
        from communique.web import create_app

        uvicorn.run(create_app(db), host=host, port=port, log_level="warning")
        return
    os.environ["COMMUNIQUE_SERVE_DB"] = str(db.resolve())
    config = _NoDelayConfig("communique.web:app_from_env", factory=True, workers=workers, host=host, port=port,
                            log_level="warning")
    try:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
    except KeyboardInterrupt:
        pass
