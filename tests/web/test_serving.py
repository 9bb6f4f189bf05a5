"""`communique serve` as its own process, and the socket its workers share."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from communique.web.serving import _NoDelayConfig


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_shared_listener_gives_connections_tcp_nodelay():
    """A keep-alive response must not wait for the client's delayed ACK (uvicorn #3149)."""
    config = _NoDelayConfig("communique.web:app_from_env", factory=True, workers=2, host="127.0.0.1", port=0)
    listener = config.bind_socket()
    assert listener.proto == socket.IPPROTO_TCP and listener.get_inheritable()

    async def accepted_nodelay() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname()[:2])
        try:
            return await asyncio.wait_for(seen, 5)
        finally:
            writer.close()
            server.close()

    assert asyncio.run(accepted_nodelay()) == 1


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_command_answers_with_its_workers(store: Path, workers: int):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "communique", "serve", "--db", str(store), "--port", str(port),
                               "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                stats = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert stats.status_code == 200 and stats.json()["articles"] > 0
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:  # several requests on one connection
            answers = [client.get("/api/trends", params={"a": "CHN", "by": "year"}) for _ in range(3)]
        assert [a.status_code for a in answers] == [200] * 3
        assert "script-src 'self'" in answers[0].headers["content-security-policy"]
    finally:
        server.terminate()
        server.wait(15)
    assert server.returncode is not None
