"""Speed of the whole pipeline (ingest + analyze with statements and events) against bare `nlp.pipe`.

Usage: `.venv/bin/python bench/events.py [--n 300] [--repeat 3] [--no-write]`. The corpus is
bench/nlp.py's synthetic articles. Each measured run is a fresh process over the same
texts, started once the machine is idle:

* *bare*: `nlp.pipe` over the texts (the model as analyze loads it), nothing else;
* *pipeline*: `ingest` of the JSONL into a fresh store, then `analyze` (actors, dates,
  figures, statements, events, SQLite writes).

Articles per second per core are over `time.process_time`; model loading is left out
of both. A third process parses once and times each extractor on the parsed docs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from ingest import ROOT, peak_rss_mib, revision, write_section  # bench/ingest.py: shared helpers
from nlp import SEED, busy_seconds, fresh, prepare, stored, timed, wait_idle  # bench/nlp.py: corpus and clocks

START, END = "<!-- events-speed:start -->", "<!-- events-speed:end -->"


def worker(kind: str, out: Path) -> dict[str, Any]:
    """One run of `kind` (bare or pipeline) in this fresh process."""
    import communique.nlp as cnlp
    from communique.pipeline import analyze, ingest
    from communique.settings import load_settings

    settings = load_settings()
    if kind == "bare":
        texts = [t for _, t, _, _ in stored(out / "ingested.db")]
        nlp, *_ = timed(cnlp.load_pipeline, settings.nlp.model, settings.nlp.disable)
        articles, wall, cpu = timed(lambda: sum(1 for _ in nlp.pipe(texts, batch_size=settings.nlp.parse_batch)))
        return {"articles": articles, "wall": wall, "cpu": cpu, "rss": peak_rss_mib(), "counts": {}}
    loaded: list[float] = []
    original = cnlp.load_pipeline

    def clocked(*a: Any, **k: Any) -> Any:
        result, wall, cpu = timed(lambda: original(*a, **k))
        loaded.extend((wall, cpu))
        return result

    cnlp.load_pipeline = clocked
    db = settings.with_db(fresh(out, "pipeline.db", copy=False))
    (_, summary), wall, cpu = timed(lambda: (ingest([str(out / "corpus.jsonl")], db), analyze(db)))
    return {"articles": summary.articles, "wall": wall - loaded[0], "cpu": cpu - loaded[1], "rss": peak_rss_mib(),
            "counts": summary.counts()}


def steps(out: Path) -> dict[str, Any]:
    """Parse once, then time each extractor on the parsed docs (ms per article)."""
    from communique.extract import ExtractionContext, _located
    from communique.extract.actors import ActorResolver
    from communique.extract.events import EventCoder
    from communique.extract.quantities import extract_figures
    from communique.extract.statements import extract_statements
    from communique.extract.time import extract_times
    from communique.kb import ActorKB
    from communique.nlp import load_pipeline, parse
    from communique.settings import load_settings

    settings = load_settings().nlp
    nlp = load_pipeline(settings.model, settings.disable)
    kb = ActorKB.load()
    resolver, coder = ActorResolver(nlp, kb), EventCoder.load(kb)
    items = stored(out / "ingested.db")
    docs, _, parse_cpu = timed(lambda: list(parse(nlp, ((t, s) for _, t, _, s in items), settings.batch_size)))
    pairs = [(item, doc, ExtractionContext(item[2], item[3])) for item, doc in zip(items, docs, strict=True)]
    spans = [[(s.start, s.end) for s in item[3]] for item in items]
    res: dict[str, float] = {"spaCy parse": parse_cpu}
    mentions, _, res["actor resolution"] = timed(lambda: [_located(resolver(d, c.published), c.sentences)
                                                          for _, d, c in pairs])
    times, _, res["time expressions"] = timed(lambda: [extract_times(d.text, c.published, sp)
                                                       for (_, d, c), sp in zip(pairs, spans, strict=True)])
    figures, _, res["figures"] = timed(lambda: [extract_figures(d.text, sp) for (_, d, _), sp in zip(pairs, spans,
                                                                                                     strict=True)])
    said, _, res["statements"] = timed(lambda: [extract_statements(d, m, c.sentences, i[0])
                                                for (i, d, c), m in zip(pairs, mentions, strict=True)])
    events, _, res["events"] = timed(lambda: [coder(d, i[0], c.published, c.sentences, [x for _, x in m], t, s, f)
                                              for (i, d, c), m, t, s, f in zip(pairs, mentions, times, said, figures,
                                                                                strict=True)])
    return {"articles": len(items), "cpu": res, "events": sum(len(e) for e in events)}


def measure(kind: str, out: Path) -> dict[str, Any]:
    import subprocess

    wait_idle()
    before = busy_seconds()
    proc = subprocess.run([sys.executable, __file__, "--worker", kind, "--out", str(out)], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"the {kind} worker failed")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["busy"] = busy_seconds() - before
    return result


def report(runs: dict[str, list[dict[str, Any]]], parts: dict[str, Any]) -> str:
    best = {kind: min(r, key=lambda run: run["cpu"]) for kind, r in runs.items()}
    lines = ["| Run (least CPU of its runs) | Articles | CPU s | Wall s | Articles/s | Articles/s per core |"
             " Peak RSS MiB |", "|---|---:|---:|---:|---:|---:|---:|"]
    names = {"bare": "bare `nlp.pipe` (same model and components)",
             "pipeline": "pipeline: ingest + analyze (actors, dates, figures, statements, events, writes)"}
    for kind, r in best.items():
        lines.append(f"| {names[kind]} | {r['articles']:,} | {r['cpu']:.1f} | {r['wall']:.1f} | "
                     f"{r['articles'] / r['wall']:.2f} | {r['articles'] / r['cpu']:.2f} | {r['rss']:.0f} |")
    ratio = (best["pipeline"]["articles"] / best["pipeline"]["cpu"]) / (best["bare"]["articles"] / best["bare"]["cpu"])
    counts = best["pipeline"]["counts"]
    n = parts["articles"]
    rows = ["| Step (one process, docs parsed once) | CPU s | ms per article | vs spaCy parse |",
            "|---|---:|---:|---:|"]
    parse_cpu = parts["cpu"]["spaCy parse"]
    rows += [f"| {name} | {cpu:.2f} | {1000 * cpu / n:.2f} | {cpu / parse_cpu:.1%} |"
             for name, cpu in parts["cpu"].items()]
    return "\n\n".join([
        "\n".join(lines),
        f"The whole pipeline runs at **{ratio:.2f}×** the per-core speed of bare `nlp.pipe` in the same run "
        f"(ingest included). Per article it stored {counts.get('events', 0) / max(counts.get('articles', 1), 1):.1f} "
        f"events and {counts.get('statements', 0) / max(counts.get('articles', 1), 1):.1f} statements.",
        "\n".join(rows)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="articles (default 300)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each kind, least CPU kept (default 3)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "events", help="work folder")
    parser.add_argument("--no-write", action="store_true", help="print without updating BENCHMARKS.md")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(steps(args.out) if args.worker == "steps" else worker(args.worker, args.out)))
        return 0
    rev = revision()
    corpus = prepare(args.n, args.out)
    runs: dict[str, list[dict[str, Any]]] = {"bare": [], "pipeline": []}
    for _ in range(args.repeat):
        for kind in runs:
            print(f"{kind} ...", file=sys.stderr, flush=True)
            runs[kind].append(measure(kind, args.out))
    body = report(runs, measure("steps", args.out))
    print(body)
    if not args.no_write:
        text = (f"## Events: whole pipeline vs bare spaCy\n\nMeasured {dt.date.today()} at commit {rev}. Reproduce "
                f"with `.venv/bin/python bench/events.py --n {args.n} --repeat {args.repeat}`.\n\n"
                f"{args.n:,} synthetic articles of bench/nlp.py ({corpus['words']:,} words, seed {SEED}). "
                "Fresh process per run, started when the machine is idle; model loading left out; per core is over "
                "`time.process_time`.\n\n" + body + "\n")
        write_section(ROOT / "BENCHMARKS.md", text, START, END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
