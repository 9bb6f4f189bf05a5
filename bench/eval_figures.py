"""Score `extract_figures` against the gold figures of the seeds and news-dev sets.

A coded figure matches a gold figure when its value is within 0.1 % of the gold value and
its unit agrees (`GOLD_UNIT` translates our unit names where the gold writes them
differently). Recall is over gold figures (`must` ones, then all); precision counts a coded
figure as correct when it matches any gold figure of its article. Misses and unmatched
figures are listed per article. Usage:
`.venv/bin/python bench/eval_figures.py [--write] [--shared ../shared]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from communique.extract.quantities import extract_figures
from communique.nlp.sentences import SentenceSplitter
from communique.records import Figure

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- figures:start -->", "<!-- figures:end -->"
TOLERANCE = 0.001
# Our unit -> the gold's name for it, where they differ ("t" is the SI symbol; the gold writes "tonnes").
GOLD_UNIT = {"t": "tonnes"}


@dataclass(frozen=True, slots=True)
class Doc:
    """One gold article: its text and gold figures."""

    dataset: str
    id: str
    text: str
    gold: list[dict[str, Any]]


def documents(shared: Path) -> Iterator[Doc]:
    """The seed articles (raw files, header and captions included) and the news-dev articles."""
    seeds = json.loads((shared / "eval" / "seeds.gold.json").read_text("utf-8"))
    for name, doc in seeds["documents"].items():
        text = (shared / "corpus" / "seeds" / name).read_text("utf-8")
        yield Doc("seeds", name, text, doc["figures"])
    dev = json.loads((shared / "eval" / "news-dev" / "gold.json").read_text("utf-8"))
    with (shared / "eval" / "news-dev" / "articles.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            yield Doc("news-dev", article["id"], article["text"], dev["documents"][article["id"]]["figures"])


def matches(fig: Figure, gold: dict[str, Any]) -> bool:
    """Value within 0.1 % and the same unit."""
    value = float(gold["value"])
    return GOLD_UNIT.get(fig.unit, fig.unit) == gold["unit"] and abs(fig.value - value) <= TOLERANCE * abs(value)


@dataclass(frozen=True, slots=True)
class Score:
    """Counts for one article."""

    must: int
    must_found: int
    gold: int
    found: int
    coded: int
    correct: int
    misses: tuple[str, ...]
    wrong: tuple[str, ...]


def score(doc: Doc, figures: list[Figure]) -> Score:
    found = [g for g in doc.gold if any(matches(f, g) for f in figures)]
    missed = [g for g in doc.gold if g not in found]
    wrong = [f for f in figures if not any(matches(f, g) for g in doc.gold)]
    return Score(
        must=sum(g["must"] for g in doc.gold), must_found=sum(g["must"] for g in found), gold=len(doc.gold),
        found=len(found), coded=len(figures), correct=len(figures) - len(wrong),
        misses=tuple(f"{g['key']} ({g['value']:g} {g['unit']}{', must' if g['must'] else ''})" for g in missed),
        wrong=tuple(f"“{f.text}” ({f.value:g} {f.unit})" for f in wrong),
    )


def timing(docs: list[Doc], rounds: int = 30) -> tuple[float, float]:
    """µs of CPU per article and per 500 words, best of `rounds` passes, sentences given (as in the pipeline).

    CPU time of this process, so that other processes on the machine do not count.
    """
    splitter = SentenceSplitter()
    prepared = [(d.text, [(s.start, s.end) for s in splitter.split(d.text)]) for d in docs]
    words = sum(len(d.text.split()) for d in docs)
    runs = []
    for _ in range(rounds):
        t0 = time.process_time()
        for text, sentences in prepared:
            extract_figures(text, sentences)
        runs.append(time.process_time() - t0)
    best = min(runs)
    return best / len(docs) * 1e6, best / words * 500 * 1e6


def _pct(num: int, den: int) -> str:
    return f"{num / den:.1%} ({num}/{den})" if den else "–"


def table(scores: dict[str, list[Score]]) -> str:
    rows = ["| set | articles | recall, must | recall, all | precision |", "|---|---:|---:|---:|---:|"]
    for name, group in [*scores.items(), ("all", [s for g in scores.values() for s in g])]:
        rows.append(f"| {name} | {len(group)} | {_pct(sum(s.must_found for s in group), sum(s.must for s in group))} "
                    f"| {_pct(sum(s.found for s in group), sum(s.gold for s in group))} "
                    f"| {_pct(sum(s.correct for s in group), sum(s.coded for s in group))} |")
    return "\n".join(rows)


def details(docs: list[Doc], scores: list[Score]) -> str:
    rows = ["| article | missed gold figures | coded figures matching no gold |", "|---|---|---|"]
    for doc, s in zip(docs, scores, strict=True):
        if s.misses or s.wrong:
            rows.append(f"| {doc.id} | {'; '.join(s.misses) or '–'} | {'; '.join(s.wrong) or '–'} |")
    return "\n".join(rows)


def revision() -> str:
    """The commit measured, with a digest of any uncommitted changes under src/."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True).stdout.strip()
    diff = git("diff", "HEAD", "--", "src") + git("status", "--porcelain", "--", "src")
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (f" + uncommitted src/ changes {hashlib.sha1(diff.encode()).hexdigest()[:8]}" if diff else "")


def section(body: str) -> str:
    return (f"## Figures\n\nMeasured {dt.date.today()} at commit {revision()}. Reproduce with "
            "`.venv/bin/python bench/eval_figures.py --write`.\n\n"
            "`extract_figures` on the two seed articles (raw files, header and captions included) and the 30 "
            "news-dev articles, sentences from the project's splitter. A coded figure matches a gold figure when "
            "its value is within 0.1 % and its unit agrees (our `t` is the gold's `tonnes`). Precision counts a "
            "coded figure as correct when it matches any gold figure of its article. The gold has durations "
            "(`years`, `days`, …), which this extractor leaves to the time extractor, and does not annotate "
            "distances or most ordinals, which it reports: both show below as misses and unmatched figures.\n\n"
            f"{body}\n")


def write_section(path: Path, text: str) -> None:
    """Replace the figures section of BENCHMARKS.md (re-read just before writing), appending it when missing."""
    doc = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    block = f"{START}\n{text}{END}"
    if START in doc and END in doc:
        doc = doc[:doc.index(START)] + block + doc[doc.index(END) + len(END):]
    else:
        doc = doc.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(doc, "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder (../shared)")
    parser.add_argument("--write", action="store_true", help="write the result into BENCHMARKS.md")
    args = parser.parse_args()
    docs = list(documents(args.shared))
    scores: dict[str, list[Score]] = {}
    all_scores = []
    for doc in docs:
        s = score(doc, extract_figures(doc.text))
        scores.setdefault(doc.dataset, []).append(s)
        all_scores.append(s)
    per_article, per_500 = timing(docs)
    body = "\n\n".join([
        table(scores),
        f"Speed: {per_article:,.0f} µs per article on average, {per_500:,.0f} µs per 500 words "
        "(CPU time, best of 30 passes, one core, sentences given).",
        "Per article:\n\n" + details(docs, all_scores),
    ])
    print(body)
    if args.write:
        write_section(ROOT / "BENCHMARKS.md", section(body))
    return 0


if __name__ == "__main__":
    sys.exit(main())
