"""`communique serve` as its own process, and the socket its workers share."""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from communique.errors import CommuniqueError
from communique.web.serving import listener


def _server_pids(port: int) -> set[str]:
    """The processes holding established connections on the server side of `port`."""
    out = subprocess.run(["ss", "-tnpH", "state", "established", f"( sport = :{port} )"], capture_output=True,
                         text=True, check=True).stdout
    return set(re.findall(r"pid=(\d+)", out))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_listeners_share_a_port_and_connections_get_tcp_nodelay():
    """Each worker binds the port itself; a keep-alive response must not wait for a delayed ACK (uvicorn #3149)."""
    first = listener("127.0.0.1", 0)
    second = listener("127.0.0.1", first.getsockname()[1])  # a second worker on the same port
    assert first.proto == second.proto == socket.IPPROTO_TCP

    async def accepted_nodelay() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=first)
        _, writer = await asyncio.open_connection(*first.getsockname()[:2])
        try:
            return await asyncio.wait_for(seen, 5)
        finally:
            writer.close()
            server.close()

    assert asyncio.run(accepted_nodelay()) == 1
    second.close()


def test_a_taken_port_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(CommuniqueError, match="E430 cannot listen on 127.0.0.1"):
            listener("127.0.0.1", taken.getsockname()[1])


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
        if workers > 1:  # the kernel spreads connections over the workers' own sockets
            pids = set()
            for _ in range(40):
                with httpx.Client(base_url=f"http://127.0.0.1:{port}") as fresh:
                    fresh.get("/api/stats")
                    pids |= _server_pids(port)
            assert len(pids) == workers
    finally:
        server.terminate()
        server.wait(15)
    assert server.returncode is not None


def test_serve_on_a_taken_port_exits_1_naming_it(store: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "communique", "serve", "--db", str(store), "--port", str(port),
                               "--workers", "2"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"E430 cannot listen on 127.0.0.1:{port}" in done.stderr
