"""Benchmark the server: API latency over HTTP on loopback and the dyad page in a headless browser.

    python bench/api.py --db STORE [--requests 200] [--concurrency 1,4] [--workers 2,4] [--write]

The store is any analysed store; the issue's figures use the synthetic 1,000,000-event store
that `bench/analysis.py` builds (its path is printed there). The server runs as its own
process (`communique serve`), the load loop keeps `--concurrency` requests in flight until
`--requests` have been answered, per endpoint, after a warm-up. The busiest dyad of the store
is measured. The dyad page is timed in Debian's chromium from navigation start to the load event.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import ROOT, revision, write_section  # noqa: E402

START, END = "<!-- bench/api.py:start -->", "<!-- bench/api.py:end -->"


def busiest_dyad(db: Path) -> tuple[str, str, int]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT bucket_a, bucket_b, count(*) AS n FROM consolidated WHERE bucket_a != ''"
                           " AND bucket_a != bucket_b GROUP BY 1, 2 ORDER BY n DESC LIMIT 1").fetchone()
        total = conn.execute("SELECT count(*) FROM consolidated").fetchone()[0]
        mentions = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    print(f"store: {mentions:,} mention events, {total:,} consolidated; busiest pair {row[0]}-{row[1]} ({row[2]:,})")
    return row[0], row[1], mentions


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def load(url: str, params: dict[str, str], requests: int, concurrency: int) -> list[float]:
    """Answer `requests` requests keeping `concurrency` in flight; per-request latency in ms."""
    times: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(requests):
        queue.put_nowait(n)
    async with httpx.AsyncClient(timeout=60) as client:
        for _ in range(5):  # warm the server's caches and connections
            (await client.get(url, params=params)).raise_for_status()

        async def worker() -> None:
            while not queue.empty():
                queue.get_nowait()
                start = time.perf_counter()
                response = await client.get(url, params=params)
                times.append((time.perf_counter() - start) * 1000)
                response.raise_for_status()

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return times


def page_render(base: str, path: str, runs: int = 5) -> list[float]:
    """Milliseconds from navigation start to the load event of `path` in headless chromium."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        return []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        page = browser.new_page()
        page.goto(base + path)  # warm
        out = []
        for _ in range(runs):
            page.goto(base + path, wait_until="load")
            out.append(page.evaluate("() => { const t = performance.getEntriesByType('navigation')[0];"
                                     " return t.loadEventEnd - t.startTime; }"))
        browser.close()
    return out


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def rarest_dyad(db: Path) -> tuple[str, str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT bucket_a, bucket_b, count(*) AS n FROM consolidated WHERE bucket_a != ''"
                           " AND bucket_a != bucket_b GROUP BY 1, 2 ORDER BY n, 1, 2 LIMIT 1").fetchone()
    return row[0], row[1]


def measure(db: Path, workers: int, requests: int, concurrency: str, a: str, b: str,
            rare: tuple[str, str]) -> tuple[list[tuple[int, str, int, float, float]], list[float], list[float]]:
    """Latency rows (workers, request, in flight, p50, p95) and the page loads, against `workers` server processes."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "communique", "serve", "--db", str(db), "--port", str(port),
                               "--workers", str(workers)], stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/openapi.json", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        rows = []
        for name, path, params, flight in ((*r, int(c)) for c in concurrency.split(",") for r in (
                ("/api/timeline busiest dyad (first page of 100)", "/api/timeline", {"a": a, "b": b, "limit": "100"}),
                ("/api/trends busiest dyad by month", "/api/trends", {"a": a, "b": b, "by": "month"}),
                ("/api/events busiest dyad (page of 50)", "/api/events", {"dyad": f"{a}-{b}", "limit": "50"}),
                (f"/api/events rarest dyad {'-'.join(rare)} (page of 50)", "/api/events",
                 {"dyad": "-".join(rare), "limit": "50"}))):
            times = asyncio.run(load(base + path, params, requests, flight))
            rows.append((workers, name, flight, pct(times, 50), pct(times, 95)))
            print(f"{workers} workers: {name}, {flight} in flight: p50 {rows[-1][3]:.1f} ms, p95 {rows[-1][4]:.1f} ms")
        render, home = page_render(base, f"/dyad?a={a}&b={b}"), page_render(base, "/")
        if render:
            print(f"dyad page load in chromium: median {statistics.median(render):.0f} ms, max {max(render):.0f} ms")
            print(f"home page load in chromium: median {statistics.median(home):.0f} ms, max {max(home):.0f} ms")
    finally:
        server.terminate()
        server.wait(10)
    return rows, render, home


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", default="1,4", help="requests in flight; a list measures each")
    parser.add_argument("--workers", default="2", help="server processes (communique serve --workers); a list"
                                                       " measures each")
    parser.add_argument("--write", action="store_true", help="write the section of BENCHMARKS.md")
    args = parser.parse_args()
    a, b, mentions = busiest_dyad(args.db)
    rare = rarest_dyad(args.db)
    rows: list[tuple[int, str, int, float, float]] = []
    pages: dict[int, tuple[list[float], list[float]]] = {}
    for workers in (int(w) for w in args.workers.split(",")):
        more, render, home = measure(args.db, workers, args.requests, args.concurrency, a, b, rare)
        rows += more
        pages[workers] = (render, home)
    if args.write:
        lines = [f"## Server (`bench/api.py`, revision {revision()})", "",
                 f"Store: {mentions:,} mention-level events (the synthetic store of `bench/analysis.py`); the busiest "
                 f"pair {a}–{b}, the rarest {'–'.join(rare)}. `communique serve --workers N` in its own processes; "
                 f"{args.requests} requests per endpoint, {args.concurrency.replace(',', ' or ')} in flight, over HTTP "
                 "on loopback (the load loop, one Python process with httpx, runs on the same 2 cores), after 5 "
                 "warm-up requests, each in-flight request on its own keep-alive connection.", "",
                 "| server processes | request | in flight | p50 ms | p95 ms |", "|---:|---|---:|---:|---:|"]
        lines += [f"| {w} | {name} | {flight} | {p50:.1f} | {p95:.1f} |" for w, name, flight, p50, p95 in rows]
        lines.append("")
        for workers, (render, home) in pages.items():
            if render:
                lines.append(f"With {workers} server processes, the dyad page (`/dyad?a={a}&b={b}`: chart, first 50 "
                             f"timeline rows) loads in Debian's chromium in {statistics.median(render):.0f} ms (median "
                             f"of {len(render)}, max {max(render):.0f} ms; navigation start to the load event, chart "
                             f"image included), the home page (the actor picker and the busiest pairs of the whole "
                             f"store) in {statistics.median(home):.0f} ms (max {max(home):.0f} ms).")
        write_section(ROOT / "BENCHMARKS.md", "\n".join(lines) + "\n", START, END)
    return 0

if __name__ == "__main__":
    sys.exit(main())
