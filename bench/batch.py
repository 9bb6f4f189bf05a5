"""`communique batch` on a local Dask cluster with 1 and 2 workers, against single-process `analyze`.

Generates WARC.gz shards of synthetic articles (the generator of bench/ingest.py), then in
the same run: `ingest` + `analyze` into SQLite in this process; `batch` with one worker and
with two; `load` of the batch output into a fresh store; the DuckDB dyad query of
docs/scale.md over the Parquet files. Usage:
`.venv/bin/python bench/batch.py [--articles N] [--shards K] [--side-by-side] [--write]`;
`--workers N` runs only the batch with N workers, to check one phase.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from ingest import _write_warc, cpu_model, make_corpus, revision, write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
START, END = "<!-- batch:start -->", "<!-- batch:end -->"


def generate(n: int, shards: int, folder: Path) -> int:
    """`n` articles in `shards` WARC.gz files; returns the number of planted near-duplicates."""
    corpus, planted = make_corpus(n)
    folder.mkdir(parents=True, exist_ok=True)
    per = -(-n // shards)
    for k in range(shards):
        _write_warc(folder / f"shard-{k:03d}.warc.gz", corpus[k * per:(k + 1) * per])
    return planted


def dyad_sql(out: Path, a: str, b: str) -> str:
    """The dyad timeline query of docs/scale.md, pointed at `out` and the dyad a-b."""
    text = (ROOT / "docs" / "scale.md").read_text()
    sql = re.search(r"```sql\n(.*?)```", text, re.S)
    assert sql is not None, "docs/scale.md has no sql block"
    return sql.group(1).replace("'out/", f"'{out}/").replace("'CHN'", f"'{a}'").replace("'BLR'", f"'{b}'")


def busiest_dyad(out: Path) -> tuple[str, str]:
    """The country pair with the most events in the output (the bench corpus has its own countries)."""
    import duckdb

    rows = duckdb.sql(f"SELECT source_country, target_country FROM read_parquet('{out}/events/**/*.parquet',"
                     " hive_partitioning = true) WHERE source_country IS NOT NULL AND target_country IS NOT NULL"
                     " GROUP BY ALL ORDER BY count(*) DESC LIMIT 1").fetchall()
    return (rows[0][0], rows[0][1]) if rows else ("CHN", "BLR")


def single(folder: Path, db: Path) -> dict[str, Any]:
    from communique.pipeline import analyze, ingest
    from communique.settings import load_settings

    settings = load_settings(env={}).with_db(db)
    began = time.perf_counter()
    read = ingest([str(folder)], settings)
    done = analyze(settings)
    return {"wall": time.perf_counter() - began, "articles": read.read, "events": done.events}


def batch(folder: Path, out: Path, workers: int) -> dict[str, Any]:
    from communique.batch import run_batch
    from communique.settings import load_settings

    shutil.rmtree(out, ignore_errors=True)
    began = time.perf_counter()
    summary = run_batch([str(folder)], out, load_settings(env={}), workers=workers)
    wall = time.perf_counter() - began
    tasks = sum(m.seconds for m in summary.manifests)
    return {"wall": wall, "articles": sum(m.counts.get("read", 0) for m in summary.manifests),
            "events": summary.events, "task_seconds": tasks,
            "peak_mib": max(m.peak_rss_mib for m in summary.manifests),
            "peaks": {w: sorted(m.peak_rss_mib for m in summary.manifests if m.worker == w)
                      for w in sorted({m.worker for m in summary.manifests})}}


def _pinned_single(folder: Path, db: Path, core: int, results: Any) -> None:
    os.sched_setaffinity(0, {core})
    results.put(single(folder, db))


def side_by_side(folder: Path, out: Path) -> dict[str, Any]:
    """`analyze` in a child pinned to the first core while the 1-worker batch (client, scheduler and worker)
    runs pinned to the second: each has a core of its own, as each run alone on an idle machine would."""
    import multiprocessing

    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        raise SystemExit("--side-by-side needs two cores")
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_pinned_single, args=(folder, out / "single.db", cores[0], queue))
    child.start()
    os.sched_setaffinity(0, {cores[1]})
    try:
        one = batch(folder, out / "parquet-1", 1)
    finally:
        os.sched_setaffinity(0, set(cores))
    print("batch 1", one, flush=True)
    base = queue.get()
    child.join()
    print("single", base, flush=True)
    return {"single": base, "batch1": one, "side_by_side": True}


def load_and_query(out: Path, db: Path) -> dict[str, Any]:
    import duckdb

    from communique.batch.load import load
    from communique.settings import load_settings

    began = time.perf_counter()
    load(out, load_settings(env={}).with_db(db))
    loaded = time.perf_counter() - began
    a, b = busiest_dyad(out)
    began = time.perf_counter()
    rows = duckdb.sql(dyad_sql(out, a, b)).fetchall()
    return {"load": loaded, "query": time.perf_counter() - began, "rows": len(rows), "dyad": f"{a}-{b}"}


def section(n: int, shards: int, planted: int, r: dict[str, Any]) -> str:
    one, two, base = r["batch1"], r["batch2"], r["single"]
    rate = {k: r[k]["articles"] / r[k]["wall"] for k in ("single", "batch1", "batch2")}
    efficiency = rate["batch2"] / (2 * rate["batch1"])
    steady = {k: r[k]["articles"] / r[k]["task_seconds"] for k in ("batch1", "batch2")}
    machine = f"{len(os.sched_getaffinity(0))} cores ({cpu_model()}), {platform.platform()}, Python " \
              f"{platform.python_version()}"
    lines = [
        "## Batch (Dask)", "",
        f"Measured {dt.date.today()} at commit {revision()} on {machine}. Reproduce with "
        f"`.venv/bin/python bench/batch.py --articles {n} --shards {shards}"
        f"{' --side-by-side' if r.get('side_by_side') else ''} --write`.", "",
        f"{n:,} synthetic articles (bench/ingest.py's generator, {planted} planted near-duplicates) in {shards} "
        "WARC.gz shards. Wall time includes starting the local cluster and loading the spaCy pipeline once per "
        "worker; *per task* divides the articles by the summed seconds of the shard tasks (the steady rate of "
        "one worker). Peak memory is the largest worker RSS (ru_maxrss) seen by a shard task.", "",
        *(["`analyze` and the 1-worker batch ran side by side, each pinned to a core of its own (the client and "
           "scheduler of the batch share the worker's core); the 2-worker run came after, alone.", ""]
          if r.get("side_by_side") else []),
        "| Run | Articles | Events | Wall s | Articles/s | Articles/s per task | Peak MiB per worker |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| `ingest` + `analyze`, 1 process | {base['articles']:,} | {base['events']:,} | {base['wall']:.1f} | "
        f"{rate['single']:.2f} | — | — |",
        f"| `batch`, 1 worker | {one['articles']:,} | {one['events']:,} | {one['wall']:.1f} | {rate['batch1']:.2f} | "
        f"{steady['batch1']:.2f} | {one['peak_mib']:.0f} |",
        f"| `batch`, 2 workers | {two['articles']:,} | {two['events']:,} | {two['wall']:.1f} | {rate['batch2']:.2f} | "
        f"{steady['batch2']:.2f} | {two['peak_mib']:.0f} |", "",
        f"Scaling efficiency 1 → 2 workers (wall rate ratio / 2): **{efficiency:.2f}** (goal ≥ 0.8). "
        f"`load` of the 2-worker output into a fresh SQLite store: {r['load']['load']:.1f} s; the DuckDB dyad "
        f"query of docs/scale.md over the Parquet files: {r['load']['query'] * 1000:.0f} ms "
        f"({r['load']['rows']} rows for {r['load']['dyad']}).", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000, help="articles in all (default 20000)")
    parser.add_argument("--shards", type=int, default=20, help="WARC.gz shards (default 20)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "batch", help="working directory")
    parser.add_argument("--side-by-side", action="store_true",
                        help="run `analyze` and the 1-worker batch at the same time, each pinned to its own core"
                             " (half the wall time on 2 cores; the 2-worker run comes after, alone)")
    parser.add_argument("--workers", type=int,
                        help="run only the batch with this many workers and print its figures (no --write)")
    parser.add_argument("--write", action="store_true", help="write the section into BENCHMARKS.md")
    args = parser.parse_args()
    if args.workers and (args.write or args.side_by_side):
        parser.error("--workers runs one phase; the section needs them all (drop --write and --side-by-side)")
    shutil.rmtree(args.out, ignore_errors=True)
    folder = args.out / "shards"
    planted = generate(args.articles, args.shards, folder)
    if args.workers:
        one = batch(folder, args.out / f"parquet-{args.workers}", args.workers)
        print(f"batch {args.workers}", one, "per-task rate", round(one["articles"] / one["task_seconds"], 2),
              "wall rate", round(one["articles"] / one["wall"], 2), flush=True)
        return 0
    if args.side_by_side:
        results = side_by_side(folder, args.out)
    else:
        results = {"single": single(folder, args.out / "single.db")}
        print("single", results["single"], flush=True)
        results["batch1"] = batch(folder, args.out / "parquet-1", 1)
        print("batch 1", results["batch1"], flush=True)
    results["batch2"] = batch(folder, args.out / "parquet-2", 2)
    print("batch 2", results["batch2"], flush=True)
    results["load"] = load_and_query(args.out / "parquet-2", args.out / "loaded.db")
    text = section(args.articles, args.shards, planted, results)
    print(text)
    if args.write:
        write_section(ROOT / "BENCHMARKS.md", text + "\n", START, END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
