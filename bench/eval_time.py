"""TempEval-3 Task A scores of `extract_times` (TIMEX3 extraction and normalisation).

Runs the extractor on every document of a TempEval-3 JSONL file (doc_id, dct, text,
timex), with sentences from the ingest splitter as in the pipeline, and scores it with
the shared TempEval-3 scorer (`tools/tempeval3_score.py` under `--shared`, imported
as is, so the figures use its definitions: relaxed = overlap, strict = same extent,
value F1 = relaxed F1 x value accuracy). Prints a Markdown table, misses by gold type
and timing; `--write` puts the table into BENCHMARKS.md between `<!-- time:start -->`
and `<!-- time:end -->`; `--errors N` lists N wrong or missed expressions per kind.

Usage: `.venv/bin/python bench/eval_time.py [--data FILE] [--shared DIR] [--write] [--errors N]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import platform
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

from communique.extract.time import default_lexicon, extract_times
from communique.nlp.sentences import SentenceSplitter

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- time:start -->", "<!-- time:end -->"
HEIDELTIME_VALUE_F1 = 77.61  # HeidelTime on the TempEval-3 platinum test set (UzZaman et al. 2013, table 3)


def load_scorer(shared: Path) -> ModuleType:
    """Import the shared TempEval-3 scorer from its file."""
    path = shared / "tools" / "tempeval3_score.py"
    spec = importlib.util.spec_from_file_location("tempeval3_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import the scorer at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


Inputs = list[tuple[str, str, dt.date, list[tuple[int, int]]]]


def prepare(docs: dict[str, dict[str, Any]]) -> tuple[Inputs, float]:
    """(doc_id, text, DCT, sentence spans) per document, and the seconds sentence splitting took."""
    splitter = SentenceSplitter()
    t0 = time.perf_counter()
    inputs = [(doc_id, d["text"], dt.date.fromisoformat(d["dct"]),
               [(s.start, s.end) for s in splitter.split(d["text"])])
              for doc_id, d in docs.items()]
    return inputs, time.perf_counter() - t0


def run(inputs: Inputs) -> dict[str, dict[str, Any]]:
    """System output per document, in the scorer's format."""
    return {doc_id: {"doc_id": doc_id, "timex": [
        {"start": e.start, "end": e.end, "text": e.text, "type": str(e.type), "value": e.value}
        for e in extract_times(text, dct, spans)]} for doc_id, text, dct, spans in inputs}


def timing(inputs: Inputs, repeat: int) -> float:
    """Seconds `extract_times` takes over all documents: the best of `repeat` passes (the machine
    may be shared; the best pass is the least disturbed), with the lexicon already loaded."""
    default_lexicon()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _, text, dct, spans in inputs:
            extract_times(text, dct, spans)
        best = min(best, time.perf_counter() - t0)
    return best


def misses(scorer: ModuleType, gold: dict[str, Any], system: dict[str, Any]) -> dict[str, Counter[str]]:
    """Per gold type: expressions not found, found with a wrong value; per system type: spurious ones."""
    counts: dict[str, Counter[str]] = {"missed": Counter(), "wrong value": Counter(), "spurious": Counter()}
    for doc_id, doc in gold.items():
        g, s = doc["timex"], system.get(doc_id, {}).get("timex", [])
        pairs = dict(scorer.align(g, s))
        for gi, t in enumerate(g):
            if gi not in pairs:
                counts["missed"][t["type"]] += 1
            elif s[pairs[gi]]["value"] != t["value"]:
                counts["wrong value"][t["type"]] += 1
        for si in set(range(len(s))) - set(pairs.values()):
            counts["spurious"][s[si]["type"]] += 1
    return counts


def context(text: str, t: dict[str, Any]) -> str:
    """An expression marked [[like this]] with some text either side, on one line."""
    start, end = t["start"], t["end"]
    return re.sub(r"\s+", " ", f"{text[max(0, start - 40):start]}[[{text[start:end]}]]{text[end:end + 30]}")


def examples(scorer: ModuleType, gold: dict[str, Any], system: dict[str, Any], n: int) -> str:
    """Up to `n` misses, wrong values and spurious expressions, with their context."""
    rows: dict[str, list[str]] = {"missed": [], "wrong value": [], "spurious": []}
    for doc_id, doc in gold.items():
        text, g, s = doc["text"], doc["timex"], system.get(doc_id, {}).get("timex", [])
        pairs = dict(scorer.align(g, s))
        for gi, t in enumerate(g):
            if gi not in pairs:
                rows["missed"].append(f"{doc['dct']} {t['type']} {t['value']} | {context(text, t)}")
            elif s[pairs[gi]]["value"] != t["value"]:
                got = s[pairs[gi]]
                rows["wrong value"].append(f"{doc['dct']} gold {t['type']} {t['value']} sys {got['type']} "
                                           f"{got['value']} [{text[got['start']:got['end']]}] | {context(text, t)}")
        for si in sorted(set(range(len(s))) - set(pairs.values())):
            rows["spurious"].append(f"{doc['dct']} {s[si]['type']} {s[si]['value']} | {context(text, s[si])}")
    return "\n".join(f"## {kind} ({len(r)})\n" + "\n".join(r[:n]) for kind, r in rows.items())


def table(res: dict[str, Any], counts: dict[str, Counter[str]], docs: int, spent: float, split: float,
          words: int, data: Path, repeat: int) -> str:
    """The Markdown section for BENCHMARKS.md."""
    def row(name: str, r: dict[str, Any]) -> str:
        c = r["counts"]
        figures = (r["strict"]["F1"], r["relaxed"]["P"], r["relaxed"]["R"], r["relaxed"]["F1"], r["value"]["F1"],
                   r["value"]["accuracy"], r["type"]["accuracy"])
        return f"| {name} | {c.get('gold', 0)} | {c.get('system', 0)} | " + " | ".join(
            f"{100 * f:.1f}" for f in figures) + " |"
    types = sorted(set().union(*counts.values()))
    by_type = "\n".join(f"| {t} | {counts['missed'][t]} | {counts['wrong value'][t]} | {counts['spurious'][t]} |"
                        for t in types)
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                         text=True).stdout.strip()
    return "\n".join([
        "## Time expressions (TempEval-3 Task A)", "",
        f"Measured {dt.date.today().isoformat()} at commit {rev or 'unknown'} (working tree), Python "
        f"{platform.python_version()}. Reproduce with `.venv/bin/python bench/eval_time.py`.", "",
        f"`extract_times` on the {docs} documents of `{data.name}` (TimeBank + AQUAINT, the TempEval-3 training "
        "set: the rules were tuned on it, so these are training figures), scored by the shared TempEval-3 scorer: "
        "relaxed = any overlap, strict = same extent, value F1 = relaxed F1 x value accuracy (the Task A ranking "
        f"measure; HeidelTime reached {HEIDELTIME_VALUE_F1} on the platinum test set).", "",
        "| Scope | Gold | System | Strict F1 | Relaxed P | Relaxed R | Relaxed F1 | Value F1 | Value acc. "
        "| Type acc. |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        row("all types", res["overall"]), row("DATE only", res["date_only"]), "",
        "Errors by type (gold type for misses and wrong values, system type for spurious expressions):", "",
        "| Type | Missed | Wrong value | Spurious |", "|---|---:|---:|---:|", by_type, "",
        f"Speed: {docs / spent:,.0f} documents/s, {1000 * spent / docs:.2f} ms per document "
        f"({words / docs:.0f} words on average; {1000 * spent / words * 500:.2f} ms per 500 words) in "
        f"`extract_times` on one core (best of {repeat} passes); sentence splitting adds "
        f"{1000 * split / docs:.2f} ms per document.",
    ])


def write(section: str, path: Path) -> None:
    """Replace the marked section of `path` (re-read just before writing), or append it."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = f"{START}\n{section}\n{END}"
    if START in text and END in text:
        text = text[:text.index(START)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared directory")
    ap.add_argument("--data", type=Path, help="TempEval-3 JSONL (default: SHARED/data/tempeval3/train.jsonl)")
    ap.add_argument("--write", action="store_true", help="write the table into BENCHMARKS.md")
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="print N examples of each error kind")
    ap.add_argument("--repeat", type=int, default=5, metavar="N", help="timing passes (the best one counts)")
    a = ap.parse_args(argv)
    data = a.data or a.shared / "data" / "tempeval3" / "train.jsonl"
    scorer = load_scorer(a.shared)
    gold = scorer.load(str(data))
    inputs, split = prepare(gold)
    system = run(inputs)
    spent = timing(inputs, a.repeat)
    res = scorer.score(gold, system, warn=lambda msg: print(msg, file=sys.stderr))
    counts = misses(scorer, gold, system)
    words = sum(len(d["text"].split()) for d in gold.values())
    section = table(res, counts, len(gold), spent, split, words, data, a.repeat)
    print(section)
    if a.errors:
        print("\n" + examples(scorer, gold, system, a.errors))
    if a.write:
        write(section, ROOT / "BENCHMARKS.md")
        print(f"\nwritten to {ROOT / 'BENCHMARKS.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
