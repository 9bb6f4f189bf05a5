"""Ingest throughput and peak memory per input format, against a bare json + sqlite3 baseline.

Generates a deterministic corpus of synthetic diplomacy-news articles in every input
format, ingests each format in its own subprocess, prints a Markdown table and writes it
into BENCHMARKS.md. Usage: `.venv/bin/python bench/ingest.py [--n N] [--formats txt,jsonl]`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import email.utils
import hashlib
import html
import io
import json
import os
import platform
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("txt", "jsonl", "csv", "html", "xml", "warc")
PER_FILE = {"txt": 1, "html": 1, "jsonl": 1000, "csv": 1000, "xml": 100, "warc": 1000}
SUFFIX = {"warc": ".warc.gz"}
FIELDS = ("id", "url", "title", "published", "source", "byline", "text")
NEAR_RATE, SEED, TARGET = 0.02, 20240601, 500
START, END = "<!-- ingest:start -->", "<!-- ingest:end -->"

VOCAB = {key: words.split("|") for key, words in {
    "country": "Norway|Chile|Kenya|Vietnam|Morocco|Peru|Indonesia|Poland|Ghana|Uruguay|Malaysia|Portugal|Senegal|"
               "Mongolia|Jordan|Ecuador|Finland|Tanzania|Cambodia|Croatia|Bolivia|Oman|Slovenia|Zambia|Nepal|"
               "Tunisia|Paraguay|Latvia|Botswana|Laos|Estonia|Namibia|Georgia|Kazakhstan|Rwanda|Ireland|Panama",
    "city": "Geneva|Vienna|Nairobi|Singapore|Lisbon|Montevideo|Doha|Oslo|Accra|Hanoi|Rabat|Lima|Jakarta|Warsaw|"
            "Tallinn|Kigali|Muscat|Dakar|Tbilisi|Helsinki|Astana|Panama City|Colombo|Windhoek|Kathmandu|Tunis",
    "first": "Amara|Lars|Mei|Tomasz|Ines|Kwame|Sofia|Rashid|Elena|Tran|Aigul|Mateo|Nadia|Olu|Priya|Henrik|Yuki|"
             "Farid|Camila|Jonas|Leila|Bogdan|Wanjiru|Diego|Saule|Marta|Kofi|Anh|Rania|Pavel",
    "last": "Okafor|Lindqvist|Huang|Kowalski|Ferreira|Mensah|Rossi|Haddad|Petrova|Nguyen|Bekova|Salazar|Karimi|"
            "Adeyemi|Sharma|Berg|Tanaka|Rahimi|Duarte|Vogel|Mansour|Ionescu|Mwangi|Herrera|Novak|Asante|Aziz",
    "role": "foreign minister|trade minister|deputy prime minister|finance minister|ambassador|special envoy|"
            "defence minister|state secretary|energy minister|chief negotiator|deputy foreign minister",
    "topic": "maritime security|grain exports|tariff reductions|energy transit|visa facilitation|climate finance|"
             "fisheries quotas|digital trade rules|debt restructuring|port investment|nuclear safety|refugee "
             "resettlement|semiconductor supply chains|border demarcation|water sharing|rail connectivity|customs "
             "digitisation|critical minerals|aviation rights|food security|student exchanges|investment protection|"
             "joint naval exercises|fertiliser shipments|electricity interconnection|anti-corruption cooperation",
    "org": "the United Nations|the African Union|the European Union|the G20|the World Trade Organization|the OSCE|"
           "ASEAN|Mercosur|the Arctic Council|the OECD|the International Monetary Fund|the World Bank",
    "adj": "constructive|frank|productive|difficult|cordial|substantive|tense|wide-ranging|detailed|businesslike",
    "said": "said|stressed|noted|told reporters|insisted|acknowledged|argued|added|warned|said in a statement",
    "sector": "agriculture|pharmaceuticals|steel|textiles|machinery|liquefied natural gas|rare earths|tourism|"
              "fertilisers|software services|shipbuilding|automotive parts|coffee|copper|fish products|wind turbines",
    "outcome": "be settled before the end of the year|need more time|require another round of talks|benefit both "
               "economies|come up again at the next summit|go to a joint committee|depend on parliamentary approval",
    "verb": "agreed to expand cooperation on|pledged to deepen ties on|promised to review|signed a protocol on|"
            "launched talks on|resumed negotiations on|set up a working group on|failed to agree on|clashed over",
    "headline": "agree to expand|pledge closer ties on|hold talks on|sign pact on|clash over|resume dialogue on|"
                "review|seek breakthrough on|deepen cooperation on|set deadline for",
    "prefix": "||||||||||On {day}, |Separately, |Meanwhile, |In {city}, |At the same time, |According to officials, ",
    "suffix": "|||||, officials said|, {name} {said}|, a diplomat in {city} said|, state media reported",
    "day": "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday",
    "month": "January|February|March|April|May|June|July|August|September|October|November|December",
    "count": "two|three|four|five|six|seven|eight|nine|eleven|twelve",
    "ordinal": "second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth",
    "source": "Meridian Wire|Harbour Ledger|Continental Dispatch|Northern Gazette|Equator Post|Coastal Herald|"
              "Capital Observer|Summit Daily|Atlas News Service|Frontier Review",
}.items()}

TEMPLATES = """{name}, the {role} of {country}, met {name} in {city} on {day} for {adj} talks on {topic}
Bilateral trade between {country} and {country} reached {money} last year, up {pct} from {year}
The two sides signed {count} agreements covering {topic} and {topic} during the visit
"We had a {adj} discussion about {topic}, and I expect it to {outcome}," {name} {said}
The meeting in {city} was the {ordinal} round of talks on {topic} since {month} {year}
{country} {verb} {topic} with {country}, according to a joint statement released after the meeting
Exports of {sector} from {country} rose {pct} in the first {count} months of {year}, customs data showed
Diplomats familiar with the negotiations said differences over {topic} remained unresolved
The {role} is expected to travel to {city} in {month} to prepare a visit by the head of state
{name} told a news conference that {country} wanted {org} to play a larger role in {topic}
Analysts in {city} said the deal on {topic} could be worth {money} over {count} years
The delegations also discussed {topic}, an issue that has strained relations since {year}
A spokesperson for the ministry declined to comment on reports that talks on {topic} had stalled
{country} is the {ordinal} largest buyer of {sector} from {country}, with purchases of {money} in {year}
Both ministers urged {org} to send monitors to the border region before the {month} elections
Under the plan, tariffs on {sector} would fall by {pct} over {count} years
Opposition lawmakers in {country} criticised the agreement, saying it gave too much ground on {topic}
The visit comes weeks after {country} and {country} exchanged diplomatic notes over {topic}
Ministers agreed to meet again on the sidelines of the annual meeting of {org} in {city}
The joint commission on {topic} will hold its first session in {month}, {name} {said}
Investment from {country} in {sector} has grown to {money}, according to central bank figures
{name} described relations with {country} as {adj} but warned that progress on {topic} would {outcome}
A memorandum on {topic} was initialled but not signed, pending review by lawyers in {city}
The talks were held behind closed doors at a government guest house outside {city}
Earlier on {day}, {name} laid a wreath at a memorial and met business leaders from the {sector} industry
Some {number} trucks carrying {sector} cross the border between {country} and {country} every day
Observers from {org} attended the session, which ran {count} hours longer than planned
"Our position on {topic} has not changed," {name} {said}, adding that {country} remained open to dialogue
The agreement still needs to be ratified by parliament in {country}, which is due to vote in {month}
Prices for {sector} have climbed {pct} since {month}, adding urgency to the talks on {topic}
{country} has asked {org} for a loan of {money} to cushion the impact of lower {sector} revenues
Neither side mentioned {topic}, which dominated the previous meeting in {city} in {year}
Business groups in {country} welcomed the outcome and called for faster progress on {topic}
{name} is due to brief the cabinet in {city} on {day} about the results of the trip""".split("\n")

_SLOT = re.compile(r"\{(\w+)\}")
NUMBERS: dict[str, Callable[[random.Random], str]] = {
    "money": lambda rng: f"${rng.uniform(0.1, 90):.1f} {rng.choice(['million', 'billion'])}",
    "pct": lambda rng: f"{rng.uniform(0.4, 38):.1f} percent", "year": lambda rng: str(rng.randint(2006, 2022)),
    "number": lambda rng: f"{rng.randint(120, 9800):,}"}


def _fill(template: str, rng: random.Random, cast: dict[str, list[str]]) -> str:
    """`template` with each slot filled from the article's cast, else the vocabulary (slots may nest)."""
    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        return NUMBERS[name](rng) if name in NUMBERS else rng.choice(cast.get(name) or VOCAB[name])
    while "{" in template:
        template = _SLOT.sub(value, template)
    return template


def _sentence(template: str, rng: random.Random, cast: dict[str, list[str]]) -> str:
    """One sentence, sometimes with an opening phrase or (if it names nobody) an attribution."""
    body, start = _fill(template, rng, cast), _fill(rng.choice(VOCAB["prefix"]), rng, cast)
    end = "" if "{name}" in template else _fill(rng.choice(VOCAB["suffix"]), rng, cast)
    if start and template[0].isupper():
        body = body[0].lower() + body[1:]
    return start + body + end + "."


def make_article(i: int, rng: random.Random) -> dict[str, Any]:
    """One article record: 300-700 words of shuffled template sentences in 1-3 sentence paragraphs."""
    names = [f"{rng.choice(VOCAB['first'])} {rng.choice(VOCAB['last'])}" for _ in range(3)]
    cast = {"country": rng.sample(VOCAB["country"], 3), "name": names, "topic": rng.sample(VOCAB["topic"], 4),
            "city": rng.sample(VOCAB["city"], 2), "sector": rng.sample(VOCAB["sector"], 2)}
    order, target = rng.sample(TEMPLATES, len(TEMPLATES)), rng.randint(300, 700)
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < target:
        sentences.append(_sentence(order[len(sentences) % len(order)], rng, cast))
    paras = []
    while sentences:
        size = rng.randint(1, 3)
        paras.append(" ".join(sentences[:size]))
        del sentences[:size]
    title = f"{cast['country'][0]} and {cast['country'][1]} {rng.choice(VOCAB['headline'])} {cast['topic'][0]}"
    slug = re.sub(r"\W+", "-", title.lower())
    published = dt.datetime(2023, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=rng.randint(0, 525_000))
    return {"id": f"bench-{i:05d}", "url": f"https://news.example/{i}/{slug}", "title": title, "paras": paras,
            "published": published, "source": rng.choice(VOCAB["source"]), "byline": rng.choice(names)}


def near_copy(original: dict[str, Any], i: int, rng: random.Random) -> dict[str, Any]:
    """A copy of `original` with 3-6 words replaced: the same story, lightly edited."""
    paras = list(original["paras"])
    for _ in range(rng.randint(3, 6)):
        p = rng.randrange(len(paras))
        words = paras[p].split(" ")
        words[rng.randrange(len(words))] = rng.choice(VOCAB["country"] + VOCAB["adj"])
        paras[p] = " ".join(words)
    return {**original, "id": f"bench-{i:05d}", "url": f"{original['url']}-update", "paras": paras}


def make_corpus(n: int) -> tuple[list[dict[str, Any]], int]:
    """`n` articles from a fixed seed, about NEAR_RATE of them near-copies of earlier ones."""
    rng = random.Random(SEED)
    corpus: list[dict[str, Any]] = []
    for i in range(n):
        near = i > 10 and rng.random() < NEAR_RATE
        corpus.append(near_copy(rng.choice(corpus), i, rng) if near else make_article(i, rng))
    return corpus, sum(r["url"].endswith("-update") for r in corpus)


def _text(rec: dict[str, Any]) -> str:
    return "\n\n".join(rec["paras"])


def _row(rec: dict[str, Any]) -> dict[str, str]:
    return {**{k: rec[k] for k in FIELDS if k in rec}, "published": rec["published"].isoformat(), "text": _text(rec)}


PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | {source}</title>
<meta name="author" content="{byline}"><meta property="og:site_name" content="{source}">
<meta property="article:published_time" content="{published}"><link rel="canonical" href="{url}"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By {byline}</p>
{body}
</article></main><aside><h2>Most read</h2><ul><li><a href="/a">Markets close higher</a></li>
<li><a href="/b">Storm warning for the coast</a></li></ul></aside>
<footer>{source}. Subscribe to our newsletter.</footer></body></html>"""


def _page(rec: dict[str, Any]) -> str:
    """A news page: navigation, article, sidebar and footer around the body."""
    fields = {k: html.escape(rec[k]) for k in ("title", "source", "byline", "url")}
    return PAGE.format(**fields, published=rec["published"].isoformat(),
                       body="\n".join(f"<p>{html.escape(p)}</p>" for p in rec["paras"]))


def _write_txt(path: Path, recs: list[dict[str, Any]]) -> None:
    (rec,) = recs
    stamp = rec["published"].strftime("%H:%M, %B %d, %Y")
    path.write_text(f"{rec['title']}\n\nBy {rec['byline']} ({rec['source']}) {stamp}\n\n{_text(rec)}\n")


def _write_jsonl(path: Path, recs: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(_row(r), ensure_ascii=False) + "\n" for r in recs))


def _write_csv(path: Path, recs: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, FIELDS)
        writer.writeheader()
        writer.writerows(_row(r) for r in recs)


def _write_xml(path: Path, recs: list[dict[str, Any]]) -> None:
    """RSS 2.0; even items carry the body in content:encoded, odd ones in description."""
    items = []
    for k, r in enumerate(recs):
        body = "".join(f"<p>{html.escape(p)}</p>" for p in r["paras"])
        content = (f"<description>{html.escape(r['paras'][0][:120])}</description>"
                   f"<content:encoded><![CDATA[{body}]]></content:encoded>" if k % 2 == 0
                   else f"<description>{html.escape(body)}</description>")
        items.append(f"<item><title>{html.escape(r['title'])}</title><link>{r['url']}</link><guid>{r['id']}</guid>"
                     f"<dc:creator>{r['byline']}</dc:creator><pubDate>{email.utils.format_datetime(r['published'])}"
                     f"</pubDate>{content}</item>")
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/'
                    'rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Bench '
                    'Wire</title><link>https://bench.example/</link><description>Synthetic</description>'
                    + "\n".join(items) + "</channel></rss>\n", encoding="utf-8")


def _write_warc(path: Path, recs: list[dict[str, Any]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for r in recs:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            stamp = r["published"].strftime("%Y-%m-%dT%H:%M:%SZ")
            writer.write_record(writer.create_warc_record(
                r["url"], "response", payload=io.BytesIO(_page(r).encode()), http_headers=headers,
                warc_headers_dict={"WARC-Date": stamp}))


WRITERS: dict[str, Callable[[Path, list[dict[str, Any]]], Any]] = {
    "txt": _write_txt, "jsonl": _write_jsonl, "csv": _write_csv, "xml": _write_xml, "warc": _write_warc,
    "html": lambda path, recs: path.write_text(_page(recs[0]))}


def generate(fmt: str, corpus: list[dict[str, Any]], folder: Path) -> int:
    """Write `corpus` into `folder` as files of format `fmt`; returns the number of files."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    write, size = WRITERS[fmt], PER_FILE[fmt]
    for start in range(0, len(corpus), size):
        write(folder / f"part-{start // size:05d}{SUFFIX.get(fmt, '.' + fmt)}", corpus[start:start + size])
    return -(-len(corpus) // size)


def baseline(folder: Path, db: Path) -> dict[str, int]:
    """The floor: JSONL lines through json.loads into a plain table, one transaction per file."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"CREATE TABLE articles ({', '.join(FIELDS)})")
    read = 0
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            rows = [tuple(r[k] for k in FIELDS) for r in map(json.loads, fh)]
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO articles VALUES ({', '.join('?' * len(FIELDS))})", rows)
        conn.execute("COMMIT")
        read += len(rows)
    conn.close()
    return {"read": read, "stored": read, "near_duplicates": 0, "failed": 0}


def pipeline(folder: Path, db: Path) -> Callable[[], dict[str, int]]:
    """The real ingest of `folder`, imported now so that its timing leaves imports out."""
    from communique.pipeline import ingest
    from communique.settings import load_settings

    settings = load_settings().with_db(db)

    def run() -> dict[str, int]:
        summary = ingest([str(folder)], settings)
        return {k: getattr(summary, k) for k in ("read", "stored", "near_duplicates", "failed")}
    return run


def peak_rss_mib() -> float:
    """This process's peak RSS. VmHWM, because ru_maxrss survives exec and would show the parent's peak."""
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(fmt: str, out: Path) -> dict[str, Any]:
    """Ingest one format's folder into a fresh database; counts, wall and CPU seconds, peak RSS."""
    db = out / "db" / f"{fmt}.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    for stale in db.parent.glob(f"{fmt}.db*"):
        stale.unlink()
    folder = out / ("jsonl" if fmt == "baseline" else fmt)
    run = (lambda: baseline(folder, db)) if fmt == "baseline" else pipeline(folder, db)
    wall, cpu = time.perf_counter(), time.process_time()
    counts = run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {**counts, "wall": wall, "cpu": cpu, "rss": peak_rss_mib()}


def measure(fmt: str, out: Path) -> dict[str, Any]:
    """Run `worker` in a fresh interpreter so that its peak memory is its own."""
    proc = subprocess.run([sys.executable, __file__, "--worker", fmt, "--out", str(out)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table(results: dict[str, dict[str, Any]], files: dict[str, int]) -> str:
    """The Markdown table of all results; speeds relative to the baseline's articles/s (wall)."""
    base = results["baseline"]["read"] / results["baseline"]["wall"] if "error" not in results["baseline"] else 0
    lines = ["| Input | Files | Read | Stored | Near-dups | Failed | Wall s | CPU s | Articles/s | Articles/s per core"
             " | vs baseline | Peak RSS MiB |", "|---|" + "---:|" * 11]
    for fmt, r in results.items():
        name = "baseline (json + sqlite3)" if fmt == "baseline" else fmt
        if "error" in r:
            lines.append(f"| {name} | {files[fmt]} | FAILED: {r['error']} |" + " |" * 9)
            continue
        rate = r["read"] / r["wall"]
        lines.append(f"| {name} | {files[fmt]:,} | {r['read']:,} | {r['stored']:,} | {r['near_duplicates']} | "
                     f"{r['failed']} | {r['wall']:.1f} | {r['cpu']:.1f} | {rate:,.0f} | {r['read'] / r['cpu']:,.0f} | "
                     f"{f'{rate / base:.3f}× (1/{base / rate:.0f})' if base else 'n/a'} | {r['rss']:.0f} |")
    return "\n".join(lines)


def verdict(results: dict[str, dict[str, Any]]) -> str:
    """Whether text and JSONL reach the per-core target."""
    parts = [f"{f}: {r['read'] / r['cpu']:,.0f}/s per core, {'met' if r['read'] / r['cpu'] >= TARGET else 'NOT met'}"
             for f, r in results.items() if f in ("txt", "jsonl") and "error" not in r]
    return f"Target ≥ {TARGET} articles/s per core for text and JSONL — " + "; ".join(parts) + "." if parts else ""


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, else what `platform` knows."""
    try:
        with open("/proc/cpuinfo") as fh:
            return next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def revision() -> str:
    """The commit measured, with a digest of any uncommitted changes under src/."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True).stdout.strip()
    diff = git("diff", "HEAD", "--", "src")
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (f" + uncommitted src/ changes {hashlib.sha1(diff.encode()).hexdigest()[:8]}" if diff else "")


def section(body: str, n: int, planted: int, rev: str) -> str:
    """The BENCHMARKS.md ingest section: machine facts, method, table."""
    machine = (f"{len(os.sched_getaffinity(0))} cores ({cpu_model()}), {platform.platform()}, "
               f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    return (f"## Ingest\n\nMeasured {dt.date.today()} at commit {rev} on {machine}. "
            f"Reproduce with `.venv/bin/python bench/ingest.py`.\n\n{n:,} synthetic articles (seed {SEED}, "
            f"{planted} planted near-duplicates) per input format, each format ingested into a fresh database "
            "in its own process from files already in the page cache. Articles/s is articles read over wall "
            "time of the `ingest()` call; per core is over the process's CPU time (user + system; ingest is "
            "single-threaded). Peak RSS is the worker's VmHWM, interpreter and imports included. The baseline "
            "(best of three runs) loads the same JSONL with `json.loads` and `executemany` into a bare table "
            "(no cleaning, dedupe, sentences or full-text index); *vs baseline* is each format's articles/s over "
            "the baseline's.\n\n"
            f"{body}\n")


def write_section(path: Path, text: str, start: str = START, end: str = END) -> None:
    """Replace one marked section of BENCHMARKS.md (re-read now), appending it or creating the file when missing."""
    doc = path.read_text() if path.exists() else ("# Benchmarks\n\nFigures from the scripts in `bench/`, run on "
                                                 "one machine; each script rewrites its own section.\n")
    block = f"{start}\n{text}{end}"
    if start in doc and end in doc:
        doc = doc[:doc.index(start)] + block + doc[doc.index(end) + len(end):]
    else:
        doc = doc.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(doc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles per format (default 10000)")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated subset of " + ",".join(FORMATS))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="generated data (default bench/out)")
    parser.add_argument("--no-write", action="store_true", help="print the table without updating BENCHMARKS.md")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.out)))
        return 0
    formats = [f for f in args.formats.split(",") if f]
    if unknown := set(formats) - set(FORMATS):
        parser.error(f"unknown format(s): {', '.join(sorted(unknown))}")
    rev, corpus, planted = revision(), *make_corpus(args.n)
    files = {fmt: generate(fmt, corpus, args.out / fmt) for fmt in dict.fromkeys(["jsonl", *formats])}
    files["baseline"] = files["jsonl"]
    del corpus
    print("baseline ...", file=sys.stderr, flush=True)  # under a second: best of three
    results = {"baseline": min((measure("baseline", args.out) for _ in range(3)), key=lambda r: r.get("wall", 1e9))}
    for fmt in formats:
        print(f"ingesting {fmt} ...", file=sys.stderr, flush=True)
        results[fmt] = measure(fmt, args.out)
    parts = [table(results, files), verdict(results)]
    if (end := revision()) != rev:
        parts.append(f"**src/ changed during the run ({rev} → {end}); these figures mix both versions.**")
    body = "\n\n".join(filter(None, parts))
    print(body)
    if not args.no_write:
        write_section(ROOT / "BENCHMARKS.md", section(body, args.n, planted, rev))
    return 1 if any("error" in r or r["failed"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
