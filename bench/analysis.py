"""The analysis layer at scale: timeline, trends and incremental consolidation over a synthetic store.

Usage: `.venv/bin/python bench/analysis.py [--events 1000000] [--runs 100] [--write]`. The store
(bench/synthetic_events.py) is generated once per parameter set under bench/out/ and consolidated
there (the backfill of `analyze`), in a child process; later runs reuse it. Each run measures on a
fresh copy of it, in this process:

* `timeline` of the busiest dyad through the Python API (first page, and a page from the middle
  with the `after` cursor), and of a dyad from the tail: p50/p95 over `--runs` warm runs;
* trends by month of the busiest dyad through `communique.analysis.trends.trends`, and the plan of its query;
* consolidating the `--new` held-out mentions (newer articles, as the next `analyze` would bring):
  rows inserted and the `Consolidator` layer hook flushed once per batch of articles, each batch one
  transaction as `analyze` commits them, the groups rebuilt as `nlp.consolidate_every` says (or every
  batch), for each run of `--batches` (one fresh copy each).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import pickle
import platform
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingest import ROOT, cpu_model, peak_rss_mib, revision, write_section  # bench/ingest.py: shared helpers
from nlp import wait_idle  # bench/nlp.py
from synthetic_events import DYADS, Plan, insert, rows

from communique.analysis import Consolidator
from communique.analysis.trends import trends
from communique.settings import load_settings
from communique.store import connect, schema
from communique.store.events import EventFilter, timeline
from communique.store.migrations import LATEST

START, END = "<!-- analysis:start -->", "<!-- analysis:end -->"
SEED, GENERATOR = 20261123, 1  # bump GENERATOR when synthetic_events.py changes what it writes
TAIL_RANK = 1_000


def build(path: Path, events: int, new: int) -> None:
    """Write the store and the held-out rows, then consolidate the store (in a child process)."""
    plan, stored, held, batch = Plan(SEED, events + new), 0, [], []
    conn = connect(path)
    conn.execute("PRAGMA cache_size = -1000000")
    started = time.perf_counter()
    conn.execute("BEGIN")
    for article in plan.articles():
        if stored < events:
            batch.append(rows(article, plan))
            stored += len(article.events)
            if len(batch) == 2_000 or stored >= events:
                insert(conn, batch)
                conn.execute("COMMIT")
                conn.execute("BEGIN")
                batch = []
        elif sum(len(a["events"]) for a in held) < new:
            held.append(rows(article, plan))
        else:
            break
    conn.execute("COMMIT")
    written = time.perf_counter() - started
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        grouped = Consolidator().backfill(conn)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    groups = conn.execute("SELECT count(*) FROM consolidated").fetchone()[0]
    conn.close()
    path.with_suffix(".new.pickle").write_bytes(pickle.dumps(held))
    path.with_suffix(".json").write_text(json.dumps({
        "mentions": stored, "grouped": grouped, "groups": groups, "write_s": round(written, 1),
        "backfill_s": round(time.perf_counter() - started - written, 1), "peak_rss_mib": round(peak_rss_mib()),
        "bytes": path.stat().st_size}))


def store(events: int, new: int) -> tuple[Path, dict[str, Any]]:
    """The cached store for these parameters, built now if missing."""
    path = ROOT / "bench" / "out" / f"analysis-{events}-{new}-{SEED}-g{GENERATOR}-s{LATEST}-{schema_digest()}.db"
    if not path.with_suffix(".json").exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
        print(f"generating {events:,} mentions into {path.name} ...", file=sys.stderr, flush=True)
        child = multiprocessing.get_context("fork").Process(target=build, args=(path, events, new))
        child.start()
        child.join()
        if child.exitcode:
            raise SystemExit(f"generating the store failed ({child.exitcode})")
    return path, json.loads(path.with_suffix(".json").read_text())


def schema_digest() -> str:
    """What the cached store was built with besides the parameters: the schema's DDL and the rules file."""
    ddl = "".join(text for name, text in sorted(vars(schema).items()) if name[:1] == "V" and isinstance(text, str))
    rules = (ROOT / "src" / "communique" / "data" / "consolidation.toml").read_text(encoding="utf-8")
    return hashlib.sha1((ddl + rules).encode()).hexdigest()[:8]


def timed(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    """p50/p95 in ms over `runs` calls after two warm-up calls."""
    fn(), fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(times, n=20, method="inclusive")
    return {"p50": statistics.median(times), "p95": cuts[18], "max": max(times)}


def queries(path: Path, runs: int) -> dict[str, Any]:
    """Timeline and trends latencies on a read-only connection."""
    dyads = Plan(SEED, 0).dyads
    busy, tail = dyads[0], dyads[min(TAIL_RANK, DYADS) - 1]
    conn = connect(path, readonly=True)
    size = {d: conn.execute("SELECT count(*), coalesce(sum(mention_count), 0) FROM consolidated WHERE bucket_a = ? AND"
                            " bucket_b = ?", d).fetchone() for d in (busy, tail)}
    middle = conn.execute("SELECT date_value, id FROM consolidated WHERE bucket_a = ? AND bucket_b = ? AND"
                          " date_value >= '2020' ORDER BY date_value, id LIMIT 1", busy).fetchone()
    out = {
        "busy": busy, "tail": tail, "size": size,
        "timeline busy dyad, first page": timed(lambda: timeline(conn, EventFilter(dyad=busy)), runs),
        "timeline busy dyad, page after 2020-01-01": timed(
            lambda: timeline(conn, EventFilter(dyad=busy), after=tuple(middle)), runs),
        "timeline busy dyad, one year": timed(lambda: timeline(conn, EventFilter(
            dyad=busy, since=dt.date(2022, 1, 1), until=dt.date(2022, 12, 31))), runs),
        "timeline tail dyad": timed(lambda: timeline(conn, EventFilter(dyad=tail)), runs),
        "trends by month, busy dyad": timed(lambda: trends(conn, *busy, by="month"), runs),
    }
    out["entries"] = len(timeline(conn, EventFilter(dyad=busy)))
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    trends(conn, *busy, by="month")
    conn.set_trace_callback(None)
    sql = next(s for s in statements if "consolidated" in s)
    out["plan"] = [r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    conn.close()
    return out


def consolidate_new(path: Path, cached: Path, batch: int, every: int = 1) -> dict[str, float]:
    """Insert the held-out articles and consolidate them, one transaction per batch as `analyze` does, the
    groups rebuilt once `every` articles wait (`nlp.consolidate_every`) and at the last batch."""
    held = pickle.loads(cached.with_suffix(".new.pickle").read_bytes())
    conn = connect(path)
    hook = Consolidator(every=every)
    inserting = flushing = committing = consolidating = 0.0
    started = time.perf_counter()
    for start in range(0, len(held), batch):
        chunk = held[start:start + batch]
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        ids = [a["articles"][0][0] for a in chunk]
        for article_id in ids:
            hook.before(conn, article_id)
        insert(conn, chunk)
        for article_id in ids:
            hook.after(conn, article_id)
        t1 = time.perf_counter()
        rebuilt = hook.rebuilt
        hook.flush(conn, final=start + batch >= len(held))
        t2 = time.perf_counter()
        conn.execute("COMMIT")
        t3 = time.perf_counter()
        inserting, flushing, committing = inserting + t1 - t0, flushing + t2 - t1, committing + t3 - t2
        if hook.rebuilt > rebuilt:  # this transaction regrouped: its commit writes the groups
            consolidating += t3 - t1
    total = time.perf_counter() - started
    conn.close()
    return {"mentions": sum(len(a["events"]) for a in held), "articles": len(held), "batch": min(batch, len(held)),
            "batches": -(-len(held) // batch), "every": min(every, len(held)),
            "total_s": total, "flush_s": flushing, "insert_s": inserting, "commit_s": committing,
            "consolidate_s": consolidating, "buckets": hook.rebuilt, "written": hook.written}


def report(meta: dict[str, Any], q: dict[str, Any], cs: list[dict[str, float]], rss: float) -> str:
    (busy_groups, busy_mentions), (tail_groups, tail_mentions) = q["size"][q["busy"]], q["size"][q["tail"]]
    lines = [f"{meta['mentions']:,} mention-level events; {meta['groups']:,} consolidated events "
             f"({meta['bytes'] / 2**30:.2f} GiB). Busiest dyad {'-'.join(q['busy'])}: {busy_groups:,} consolidated "
             f"events of {busy_mentions:,} mentions; tail dyad {'-'.join(q['tail'])} (rank {TAIL_RANK}): "
             f"{tail_groups:,} of {tail_mentions:,}.", "",
             "| measure | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|"]
    lines += [f"| {name} | {v['p50']:.1f} | {v['p95']:.1f} | {v['max']:.1f} |" for name, v in q.items()
              if isinstance(v, dict) and "p50" in v]
    lines += ["", f"Consolidating {cs[0]['mentions']:,} new mentions ({cs[0]['articles']:,} articles). "
              "*Consolidation* is the regrouping and the commits of the transactions that regroup; *whole loop* "
              "adds what `analyze` writes anyway: the layer rows (inserting) and the commits of the transactions "
              "that only hold them.", "",
              "| articles per transaction | regrouped every (articles) | transactions | consolidation s | regrouping s"
              " | whole loop s | inserting rows s | all commits s | bucket rebuilds | groups written |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {c['batch']:,} | {c['every']:,} | {c['batches']} | **{c['consolidate_s']:.1f}** "
              f"| {c['flush_s']:.1f} | {c['total_s']:.1f} | {c['insert_s']:.1f} | {c['commit_s']:.1f} "
              f"| {c['buckets']:,} | {c['written']:,} |" for c in cs]
    lines += ["",
              f"Peak RSS: {rss:.0f} MiB measuring (this process); {meta['peak_rss_mib']:,} MiB generating and "
              f"consolidating the whole store (child process: {meta['write_s']:.0f} s writing rows, "
              f"{meta['backfill_s']:.0f} s grouping all {meta['grouped']:,} eligible mentions).", "",
              "Trends plan: " + "; ".join(f"`{p}`" for p in q["plan"])]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="mention-level events (default 1000000)")
    parser.add_argument("--new", type=int, default=10_000, help="new mentions to consolidate (default 10000)")
    parser.add_argument("--runs", type=int, default=100, help="warm runs per query (default 100)")
    defaults = load_settings(env={})
    nlp = defaults.nlp
    parser.add_argument("--batches", default=f"{nlp.batch_size}/{nlp.consolidate_every},{nlp.batch_size},"
                                             f"{defaults.store.batch_size},0",
                        help="articles per transaction when consolidating the new mentions, one run each on a fresh"
                             " copy, as BATCH or BATCH/EVERY (groups rebuilt once EVERY articles wait; default 1);"
                             " 0 is all in one (default: as analyze runs, then regrouping every transaction)")
    parser.add_argument("--write", action="store_true", help="write the section into BENCHMARKS.md")
    args = parser.parse_args()
    rev = revision()
    cached, meta = store(args.events, args.new)
    work = cached.with_name("analysis-work.db")
    cs = []
    runs = [(int(b.split("/")[0]) or 1 << 30, int(b.split("/")[1]) if "/" in b else 1) for b in args.batches.split(",")]
    for n, (batch, every) in enumerate(runs):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(cached, work)
        wait_idle(60)
        if n == 0:
            q = queries(work, args.runs)
        cs.append(consolidate_new(work, cached, batch, every))
    body = report(meta, q, cs, peak_rss_mib())
    print(body)
    if args.write:
        machine = (f"{len(os.sched_getaffinity(0))} cores ({cpu_model()}), SQLite {sqlite3.sqlite_version}, "
                   f"Python {platform.python_version()}")
        write_section(ROOT / "BENCHMARKS.md", f"## Analysis at scale\n\nMeasured {dt.date.today()} at commit {rev} "
                      f"({machine}). Reproduce with `.venv/bin/python bench/analysis.py --write`.\n\n{body}\n",
                      START, END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
