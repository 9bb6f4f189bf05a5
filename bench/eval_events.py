"""Score the events (and figures) in a store against a gold file in the format of seeds.gold.json.

Usage: `.venv/bin/python bench/eval_events.py [GOLD ...] [--db FILE] [--write] [--show]`.
Without GOLD it scores both dev sets of ../shared (seeds and news-dev). Without --db it
ingests and analyses the gold's articles into a temporary store first (seeds: the files of
corpus/seeds; news-dev: articles.jsonl beside its gold).

Matching follows ../shared/eval/README.md: a coded event matches a gold event when its type
is in `any_of`, one of its evidence sentences contains `evidence_contains` (case-,
whitespace- and apostrophe-insensitive), its source country is `actors[0]` and its target
or another participant `actors[1]` (either way round when `mutual`), and its date value
starts with the gold date. Recall is over gold events (`must`, then all); precision counts
a coded event as correct when it matches any gold event of its article. Date accuracy is
over gold events with a date that are found without the date check; modality accuracy over
found events (gold without modality = asserted; gold `future` = our `pledged`).
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import ROOT, revision, write_section  # bench/ingest.py: shared helpers

from communique.pipeline import analyze, ingest
from communique.settings import load_settings

START, END = "<!-- events:start -->", "<!-- events:end -->"
TOLERANCE = 0.001
PLOVER = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
          "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
GOLD_UNIT = {"t": "tonnes"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'")).strip().lower()


@dataclass(slots=True)
class Coded:
    """One coded event as the scorer sees it."""

    type: str
    source: str | None
    participants: set[str]
    date: str | None
    modality: str
    sentences: list[str]
    record: dict[str, Any]


@dataclass(slots=True)
class Tally:
    """Counts for one gold set."""

    must: list[int] = field(default_factory=lambda: [0, 0])
    all: list[int] = field(default_factory=lambda: [0, 0])
    precision: list[int] = field(default_factory=lambda: [0, 0])
    dates: list[int] = field(default_factory=lambda: [0, 0])
    modality: list[int] = field(default_factory=lambda: [0, 0])
    figures_must: list[int] = field(default_factory=lambda: [0, 0])
    figures_all: list[int] = field(default_factory=lambda: [0, 0])
    figures_precision: list[int] = field(default_factory=lambda: [0, 0])
    by_type: dict[str, list[int]] = field(default_factory=dict)  # type -> [gold found, gold, coded right, coded]
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def type_row(self, name: str) -> list[int]:
        return self.by_type.setdefault(name, [0, 0, 0, 0])


def build_store(gold_path: Path, db: Path) -> None:
    """Ingest and analyse the articles a gold file describes."""
    shared = gold_path.resolve().parent
    if (shared / "articles.jsonl").exists():
        inputs = [str(shared / "articles.jsonl")]
    else:
        inputs = [str(shared.parent / "corpus" / "seeds")]
    settings = load_settings().with_db(db)
    ingest(inputs, settings)
    analyze(settings)


def article_ids(conn: sqlite3.Connection) -> dict[str, str]:
    """Gold document key (file name or external id) -> article id."""
    out = {}
    for row in conn.execute("SELECT id, origin, metadata FROM articles"):
        meta = json.loads(row[2])
        if meta.get("external_id"):
            out[str(meta["external_id"])] = row[0]
        out[Path(row[1].split("#")[0]).name] = row[0]
    return out


def coded_events(conn: sqlite3.Connection, article_id: str) -> list[Coded]:
    text = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
    out = []
    for (raw,) in conn.execute("SELECT record FROM events WHERE article_id = ? ORDER BY sentence", (article_id,)):
        record = json.loads(raw)
        parts = {p["country"] for p in [record["target"], *record["others"]] if p and p.get("country")}
        source = record["source"]["country"] if record["source"] else None
        out.append(Coded(record["type"], source, parts, (record["date"] or {}).get("value"), record["modality"],
                         [_norm(text[e["start"]:e["end"]]) for e in record["evidence"]], record))
    return out


def matches(event: Coded, gold: dict[str, Any], check_date: bool = True) -> bool:
    if event.type not in gold["any_of"]:
        return False
    needle = _norm(gold["evidence_contains"])
    if not any(needle in s for s in event.sentences):
        return False
    actors = gold["actors"]
    every = {event.source, *event.participants}
    if gold.get("mutual") and len(actors) == 2:
        if set(actors) - every:
            return False
    else:
        if event.source != actors[0]:
            return False
        if len(actors) > 1 and actors[1] not in event.participants:
            return False
    if check_date and gold.get("date"):
        return event.date is not None and event.date.startswith(gold["date"])
    return True


def _modality(gold: dict[str, Any]) -> str:
    value = gold.get("modality") or "asserted"
    return "pledged" if value == "future" else value


def score_document(conn: sqlite3.Connection, article_id: str, gold: dict[str, Any], tally: Tally, name: str) -> None:
    events = coded_events(conn, article_id)
    for g in gold["events"]:
        kind = g["any_of"][0]
        row = tally.type_row(kind)
        row[1] += 1
        found = [e for e in events if matches(e, g)]
        tally.all[1] += 1
        if g.get("must"):
            tally.must[1] += 1
        if found:
            tally.all[0] += 1
            row[0] += 1
            if g.get("must"):
                tally.must[0] += 1
            tally.modality[1] += 1
            tally.modality[0] += any(e.modality == _modality(g) for e in found)
        elif g.get("must"):
            tally.misses.append(f"{name} {g['key']}")
        if g.get("date"):
            loose = [e for e in events if matches(e, g, check_date=False)]
            if loose:
                tally.dates[1] += 1
                tally.dates[0] += any(e.date and e.date.startswith(g["date"]) for e in loose)
    for e in events:
        right = any(matches(e, g) for g in gold["events"])
        tally.precision[1] += 1
        tally.precision[0] += right
        row = tally.type_row(e.type)
        row[3] += 1
        row[2] += right
        if not right:
            tally.wrong.append(f"{name} s{e.record['evidence'][0]['sentence']} {e.type} {e.source}->"
                               f"{','.join(sorted(e.participants)) or '-'} {e.date or '-'} [{e.record['rule']}]")
    figures = conn.execute("SELECT value, unit FROM figures WHERE article_id = ?", (article_id,)).fetchall()

    def figure_match(f: tuple[float, str], g: dict[str, Any]) -> bool:
        return GOLD_UNIT.get(f[1], f[1]) == g["unit"] and abs(f[0] - g["value"]) <= TOLERANCE * abs(g["value"])

    for g in gold["figures"]:
        hit = any(figure_match(f, g) for f in figures)
        tally.figures_all[1] += 1
        tally.figures_all[0] += hit
        if g.get("must"):
            tally.figures_must[1] += 1
            tally.figures_must[0] += hit
    for f in figures:
        tally.figures_precision[1] += 1
        tally.figures_precision[0] += any(figure_match(f, g) for g in gold["figures"])


def _pct(pair: list[int]) -> str:
    return f"{100 * pair[0] / pair[1]:.1f}% ({pair[0]}/{pair[1]})" if pair[1] else "–"


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def report(tallies: dict[str, Tally], show: bool) -> str:
    lines = ["| set | recall, must | recall, all | precision | date accuracy | modality accuracy |"
             " figures recall, must | figures recall, all | figures precision |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, t in tallies.items():
        lines.append(f"| {name} | {_pct(t.must)} | {_pct(t.all)} | {_pct(t.precision)} | {_pct(t.dates)} |"
                     f" {_pct(t.modality)} | {_pct(t.figures_must)} | {_pct(t.figures_all)} |"
                     f" {_pct(t.figures_precision)} |")
    lines += ["", "Per PLOVER type, all sets (recall by the gold's first type; precision by the coded type):", "",
              "| type | gold | found | recall | coded | right | precision | F1 |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    merged: Counter[str] = Counter()
    rows: dict[str, list[int]] = {}
    for t in tallies.values():
        for kind, row in t.by_type.items():
            acc = rows.setdefault(kind, [0, 0, 0, 0])
            for i in range(4):
                acc[i] += row[i]
            merged[kind] += row[1]
    for kind in PLOVER:
        found, gold, right, coded = rows.get(kind, [0, 0, 0, 0])
        if not gold and not coded:
            continue
        r = found / gold if gold else 0.0
        p = right / coded if coded else 0.0
        lines.append(f"| {kind} | {gold} | {found} | {100 * r:.0f}% | {coded} | {right} | {100 * p:.0f}% |"
                     f" {100 * _f1(p, r):.0f} |")
    misses = [m for t in tallies.values() for m in t.misses]
    lines += ["", f"`must` events missed ({len(misses)}): " + (", ".join(misses) or "none") + "."]
    if show:
        for name, t in tallies.items():
            lines += ["", f"Unmatched coded events in {name}:", *[f"- {w}" for w in t.wrong]]
    return "\n".join(lines)


def section(body: str) -> str:
    return (f"## Events\n\nMeasured at commit {revision()}. Reproduce with "
            "`.venv/bin/python bench/eval_events.py --write`.\n\n"
            "Each gold set's articles are ingested and analysed into a fresh store; the store's events are "
            "scored as `../shared/eval/README.md` describes (type in `any_of`, evidence sentence, source and "
            "target countries, date prefix). Precision counts a coded event as right when it matches any gold "
            "event of its article, `must` or not.\n\n" + body + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", type=Path, help="gold files (default: seeds and news-dev)")
    parser.add_argument("--db", type=Path, help="score this store instead of building one")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder")
    parser.add_argument("--write", action="store_true", help="write the result into BENCHMARKS.md")
    parser.add_argument("--show", action="store_true", help="list unmatched coded events")
    args = parser.parse_args()
    golds = args.gold or [args.shared / "eval" / "seeds.gold.json", args.shared / "eval" / "news-dev" / "gold.json"]
    tallies: dict[str, Tally] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for gold_path in golds:
            name = "seeds" if gold_path.name == "seeds.gold.json" else gold_path.parent.name
            db = args.db or Path(tmp) / f"{name}.db"
            if args.db is None:
                build_store(gold_path, db)
            gold = json.loads(gold_path.read_text("utf-8"))
            conn = sqlite3.connect(db)
            ids = article_ids(conn)
            tally = tallies.setdefault(name, Tally())
            for key, doc in gold["documents"].items():
                if key not in ids:
                    print(f"{gold_path}: document {key} is not in the store", file=sys.stderr)
                    continue
                score_document(conn, ids[key], doc, tally, key)
            conn.close()
    body = report(tallies, args.show)
    print(body)
    if args.write:
        write_section(ROOT / "BENCHMARKS.md", section(report(tallies, False)), START, END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
