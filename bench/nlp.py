"""Language core throughput and peak memory: `analyze` against bare spaCy over the same stored texts.

Generates a deterministic corpus of synthetic diplomacy-news articles naming real leaders
from the knowledge base, ingests it once (not timed), then measures in separate
subprocesses: plain `nlp.pipe`, `parse` (nlp.pipe with the stored sentence boundaries) and
`analyze` (parse + extraction + SQLite writes), plus an extractor-by-extractor breakdown.
Usage: `.venv/bin/python bench/nlp.py [--n N] [--repeat R] [--no-write]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ingest import ROOT, cpu_model, peak_rss_mib, revision, write_section  # bench/ingest.py: shared helpers

SEED, TARGET = 20240602, 0.30
START, END = "<!-- nlp:start -->", "<!-- nlp:end -->"
EXTRACT = "extract_all (the three + placement)"
# country|demonym|capital|person:title:pronoun|... (people and roles as in the knowledge base in 2023)
COUNTRIES = [line.split("|") for line in """\
Germany|German|Berlin|Olaf Scholz:Chancellor:he|Annalena Baerbock:Foreign Minister:she
France|French|Paris|Emmanuel Macron:President:he|Catherine Colonna:Foreign Minister:she
Japan|Japanese|Tokyo|Fumio Kishida:Prime Minister:he|Yoshimasa Hayashi:Foreign Minister:he
India|Indian|New Delhi|Narendra Modi:Prime Minister:he|S. Jaishankar:External Affairs Minister:he
Indonesia|Indonesian|Jakarta|Joko Widodo:President:he|Retno Marsudi:Foreign Minister:she
South Africa|South African|Pretoria|Cyril Ramaphosa:President:he|Naledi Pandor:Foreign Minister:she
Canada|Canadian|Ottawa|Justin Trudeau:Prime Minister:he|Mélanie Joly:Foreign Minister:she
Australia|Australian|Canberra|Anthony Albanese:Prime Minister:he|Penny Wong:Foreign Minister:she
Poland|Polish|Warsaw|Andrzej Duda:President:he|Zbigniew Rau:Foreign Minister:he
Turkey|Turkish|Ankara|Recep Tayyip Erdoğan:President:he|Mevlüt Çavuşoğlu:Foreign Minister:he
Norway|Norwegian|Oslo|Jonas Gahr Støre:Prime Minister:he|Anniken Huitfeldt:Foreign Minister:she
Finland|Finnish|Helsinki|Sauli Niinistö:President:he|Pekka Haavisto:Foreign Minister:he""".split("\n")]
WORDS = {k: v.split("|") for k, v in {
    "when": "on Monday|on Tuesday evening|late on Thursday|last week|last year|on June 4|on 12 March|yesterday|"
            "earlier this month|two days ago|in 2019|in the first quarter|on January 30",
    "soon": "next month|by the end of the year|in September|next week|within two years|in early 2024|on Friday",
    "topic": "grain exports|energy security|climate finance|critical minerals|maritime security|visa rules|"
             "debt relief|semiconductor supply chains|fisheries|nuclear safety|rail links|migration",
    "goods": "wheat|liquefied natural gas|steel|fertiliser|copper|palm oil|coal|rice|timber|nickel",
    "org": "the United Nations|the European Union|the African Union|ASEAN|the World Bank|NATO|the OECD",
    "region": "the Sahel|the South China Sea|the Black Sea|Sudan|the Horn of Africa|Myanmar",
    "analyst": "Amara Okafor|Lars Lindqvist|Mei Huang|Tomasz Kowalski|Ines Ferreira|Kwame Mensah",
    "month": "January|February|March|April|May|June|July|August|September|October|November|December",
    "n": "two|three|four|five|six|seven|eight|nine|ten|twelve"}.items()}
NUMBERS: dict[str, Callable[[random.Random], str]] = {
    "money": lambda r: r.choice([f"${r.uniform(0.2, 60):.1f} billion", f"€{r.randint(20, 900)} million",
                                 f"£{r.randint(5, 400)}m", f"{r.uniform(0.1, 3):.1f} trillion yen"]),
    "pct": lambda r: r.choice([f"{r.uniform(0.5, 40):.1f} percent", f"{r.randint(1, 30)}%"]),
    "big": lambda r: r.choice([f"{r.randint(2, 90) * 1000:,}", f"{r.uniform(1, 9):.1f} million"]),
    "year": lambda r: str(r.randint(2008, 2022)), "later": lambda r: str(r.randint(2024, 2027))}
TEMPLATES = """{xt} {x} of {X} met {yt} {y} in {Yc} {when} to discuss {topic}.
{xs} told reporters that {X} would commit {money} to {topic} over the next {n} years.
Trade between {X} and {Y} grew {pct} last year to {money}, according to {Xd} customs figures.
"We have agreed to double our efforts on {topic}," {xs} said at a joint news conference {when}.
{xp} added that the {Yd} side had offered to cut tariffs on {goods} by {pct}.
{Xc} and {Yc} signed {n} memorandums of understanding, including one on {topic}.
Officials said {big} tonnes of {goods} would be shipped from {X} to {Y} {soon}.
{xs} and {ys} are expected to meet again on the sidelines of a meeting of {org} in {month}.
The {Xd} government has pledged {money} in loans for {topic}, a sum {ys} called "a good start".
{analyst}, an analyst in {Xc}, said the deal could lift investment by {pct} within {n} years.
{Yd} officials said {when} that {Y} would reopen its consulate in {Xc} {soon}.
{ys} said {Y} could buy {big} barrels of crude a day from {X} if prices stayed below $80 a barrel.
The two leaders also discussed {region}, where fighting has displaced {big} people since {month} {year}.
{Xc} has asked {org} to release {money} in emergency funding for {topic}.
In {year}, {X} exported goods worth {money} to {Y}, about {pct} of its total exports.
{yt} {y} is due to visit {Xc} {soon}, {Yd} diplomats said.
Opposition lawmakers in {Xc} criticised the deal, saying it would cost taxpayers {money}.
Inflation in {X} slowed to {pct} in {month}, down from {pct} a year earlier.
Under the joint statement, the two sides will set up a {money} fund for {topic} by {month} {later}.
{xs} arrived in {Yc} {when} and was greeted at the airport by {yt} {y}.
Negotiators have met {n} times since {month} without settling their differences over {topic}.
{xp} said {X} would send {big} tonnes of food aid to {region} {soon}.
The talks lasted nearly {n} hours, a spokesperson for the {Xd} foreign ministry said {when}.""".split("\n")


def _fill(template: str, rng: random.Random, cast: dict[str, str]) -> str:
    """`template` with its cast's slots filled, every other slot drawn afresh from WORDS or NUMBERS."""
    return re.sub(r"\{(\w+)\}", lambda m: cast.get(m[1]) or NUMBERS.get(m[1], lambda r: r.choice(WORDS[m[1]]))(rng),
                  template)


def _side(p: str, country: list[str], person: str) -> dict[str, str]:
    """One side's slots: {X} country, {Xd} demonym, {Xc} capital; {x} name, {xt} title, {xs} surname, {xp}."""
    name, title, pronoun = person.split(":")
    return {p.upper(): country[0], p.upper() + "d": country[1], p.upper() + "c": country[2], p: name,
            p + "t": title, p + "s": name.split()[-1], p + "p": pronoun.capitalize()}


def make_article(i: int, rng: random.Random) -> dict[str, Any]:
    """One JSONL record: 300-600 words about two countries' leaders, in paragraphs of 1-3 sentences on average."""
    a, b = rng.sample(COUNTRIES, 2)
    cast = [(a, rng.choice(a[3:])), (b, rng.choice(b[3:]))]
    order, target, sentences = rng.sample(TEMPLATES, len(TEMPLATES)), rng.randint(300, 600), list[str]()
    while sum(len(s.split()) for s in sentences) < target:
        x, y = rng.sample(cast, 2)
        sentences.append(_fill(order[len(sentences) % len(order)], rng, _side("x", *x) | _side("y", *y)))
    text = "".join(s + rng.choice(("\n\n", " ", " ")) for s in sentences).strip()
    published = dt.datetime(2023, 1, 2, tzinfo=dt.UTC) + dt.timedelta(minutes=rng.randint(0, 200_000))
    return {"id": f"nlp-{i:05d}", "url": f"https://news.example/nlp/{i}", "source": "Bench Wire", "text": text,
            "title": f"{a[1]} and {b[1]} leaders hold talks on {rng.choice(WORDS['topic'])}",
            "published": published.isoformat()}


def prepare(n: int, out: Path) -> dict[str, int]:
    """Write the corpus as JSONL and ingest it into out/ingested.db (not timed)."""
    from communique.pipeline import ingest
    from communique.settings import load_settings

    fresh(out, "ingested.db", copy=False)
    rng = random.Random(SEED)
    records = [make_article(i, rng) for i in range(n)]
    (out / "corpus.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    summary = ingest([str(out / "corpus.jsonl")], load_settings().with_db(out / "ingested.db"))
    return {"near": summary.near_duplicates, "failed": summary.failed,
            "words": sum(len(r["text"].split()) for r in records)}


def timed(fn: Callable[..., Any], *args: Any) -> tuple[Any, float, float]:
    """`fn(*args)` with the wall and CPU seconds it took."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)
    return out, time.perf_counter() - wall, time.process_time() - cpu


def stored(db: Path) -> list[tuple[str, str, dt.date | None, tuple[Any, ...]]]:
    """What analyze parses: first copies in ingest order, with id, text, date and stored sentences."""
    from communique.store import connect
    from communique.store.queries import sentences

    conn = connect(db, readonly=True)
    rows = conn.execute("SELECT id, text, published FROM articles WHERE near_duplicate_of IS NULL ORDER BY seq")
    items = [(r[0], r[1], dt.date.fromisoformat(r[2]) if r[2] else None, sentences(conn, r[0])) for r in rows]
    conn.close()
    return items


def fresh(out: Path, name: str, copy: bool = True) -> Path:
    """`out / name` rid of an earlier run's database and WAL files; then a copy of the ingested one if `copy`."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(f"{name}*"):
        stale.unlink()
    return Path(shutil.copyfile(out / "ingested.db", out / name)) if copy else out / name


def clock(owner: Any, name: str, spent: dict[str, list[float]], key: str) -> None:
    """Wrap `owner.name` so that the wall and CPU seconds of its calls add up in `spent[key]`."""
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        out, wall, cpu = timed(lambda: original(*args, **kwargs))
        old = spent.get(key, [0.0, 0.0])
        spent[key] = [old[0] + wall, old[1] + cpu]
        return out
    setattr(owner, name, wrapper)


def worker(kind: str, out: Path) -> dict[str, Any]:
    """One run of `kind` (plain, parse, analyze) in this fresh process; imports precede every clock."""
    import communique.extract.actors as actors
    import communique.extract.quantities as quantities
    import communique.extract.time as times
    import communique.nlp as cnlp
    from communique.kb import ActorKB
    from communique.pipeline import analyze
    from communique.settings import load_settings

    settings, spent, counts = load_settings().with_db(out / "ingested.db"), dict[str, list[float]](), {}
    if kind == "analyze":  # analyze loads the model itself: clock the loaders from inside the call
        clock(cnlp, "load_pipeline", spent, "load")
        for owner, name in ((ActorKB, "load"), (actors, "ActorResolver"), (times, "default_lexicon"),
                            (quantities, "default_lexicon")):
            clock(owner, name, spent, "setup")
        summary, wall, cpu = timed(analyze, settings.with_db(fresh(out, "analyze.db")))
        articles, counts = summary.articles, summary.counts()
    else:
        items, size = stored(out / "ingested.db"), settings.nlp.parse_batch
        nlp, *spent["load"] = timed(cnlp.load_pipeline, settings.nlp.model, settings.nlp.disable)
        docs = (nlp.pipe((t for _, t, _, _ in items), batch_size=size) if kind == "plain"
                else cnlp.parse(nlp, ((t, s) for _, t, _, s in items), size))
        articles, wall, cpu = timed(lambda: sum(1 for _ in docs))
        wall, cpu = wall + spent["load"][0], cpu + spent["load"][1]
    load, setup = spent["load"], spent.get("setup", [0.0, 0.0])
    return {"articles": articles, "counts": counts, "rss": peak_rss_mib(), "load_cpu": load[1],
            "setup_cpu": setup[1], "cpu_incl": cpu, "wall": wall - load[0] - setup[0], "cpu": cpu - load[1] - setup[1]}


def breakdown(out: Path) -> dict[str, Any]:
    """Parse once in this process, then time each extractor and the SQLite writes on the parsed docs."""
    from communique.extract import ExtractionContext, extract_all, quantities
    from communique.extract import time as times
    from communique.extract.actors import ActorResolver
    from communique.kb import ActorKB
    from communique.nlp import load_pipeline, parse
    from communique.settings import load_settings
    from communique.store import connect
    from communique.store.writer import Writer

    settings, res = load_settings().nlp, dict[str, list[float]]()
    nlp, *res["model load"] = timed(load_pipeline, settings.model, settings.disable)
    resolver, *res["KB + actor matchers"] = timed(lambda: ActorResolver(nlp, ActorKB.load()))
    items, *res["SQLite reads (texts, sentences)"] = timed(stored, out / "ingested.db")
    docs, *res["spaCy parse"] = timed(lambda: list(parse(nlp, ((t, s) for _, t, _, s in items), settings.batch_size)))
    pairs = list(zip(items, docs, strict=True))
    spans = lambda item: [(s.start, s.end) for s in item[3]]  # noqa: E731
    _, *res["time + figure lexicons"] = timed(lambda: (times.default_lexicon(), quantities.default_lexicon()))
    steps: dict[str, Callable[[Any, Any], Any]] = {
        "actor resolution": lambda i, d: resolver(d, i[2]),
        "time expressions": lambda i, d: times.extract_times(d.text, i[2], spans(i)),
        "figures": lambda i, d: quantities.extract_figures(d.text, spans(i)),
        EXTRACT: lambda i, d: extract_all(i[0], d, ExtractionContext(i[2], i[3]), resolver)}
    for name, step in steps.items():  # the last step, extract_all, leaves the layers to write
        layers, *res[name] = timed(lambda s=step: [s(i, d) for i, d in pairs])
    conn = connect(fresh(out, "writes.db"))

    def write() -> None:
        with Writer(conn, "bench", settings.batch_size) as writer:
            for layer in layers:
                writer.replace_layer(layer, "bench", "bench")
    _, *res["SQLite writes"] = timed(write)
    return {"articles": len(items), "steps": res}


def busy_seconds() -> float:
    """CPU seconds that all cores have spent busy since boot (/proc/stat; 0 where it is missing)."""
    try:
        with open("/proc/stat") as fh:
            ticks = [int(v) for v in fh.readline().split()[1:9]]
    except OSError:
        return 0.0
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait


def wait_idle(limit: float = 180.0) -> None:
    """Wait, at most `limit` seconds, until other processes keep less than a fifth of a core busy."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        before = busy_seconds()
        time.sleep(2)
        if busy_seconds() - before < 0.4:
            return


def measure(kind: str, out: Path) -> dict[str, Any]:
    """Run `worker` (or `breakdown`) in a fresh interpreter, so that its peak memory is its own, once the
    machine is idle; `others` is the mean number of cores that other processes kept busy meanwhile."""
    wait_idle()
    busy, child, start = busy_seconds(), resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--worker", kind, "--out", str(out)], capture_output=True,
                          text=True)
    end = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = end.ru_utime + end.ru_stime - child.ru_utime - child.ru_stime
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"the {kind} worker failed")
    others = max(busy_seconds() - busy - own, 0.0) / (time.perf_counter() - start)
    return {**json.loads(proc.stdout.strip().splitlines()[-1]), "others": others}


SETUP = {"model load", "KB + actor matchers", "time + figure lexicons"}
NAMES = {"plain": "`nlp.pipe(texts)`, plain spaCy", "parse": "`parse()`: nlp.pipe + stored sentences (bare)",
         "analyze": "`analyze()`: parse + extraction + SQLite"}


def tables(runs: dict[str, list[dict[str, Any]]], steps: dict[str, Any]) -> str:
    """The table of each kind's best run, the verdict on the target, and the step breakdown."""
    res = {kind: min(r, key=lambda run: run["cpu"]) for kind, r in runs.items()}  # the least disturbed run
    lines = ["| Run (least CPU of its runs) | Articles | Model load CPU s | Setup CPU s | CPU s | Wall s | Articles/s |"
             " Articles/s per core | Per core incl. load | Peak RSS MiB | Others' load |", "|---|" + "---:|" * 10]
    for kind, r in res.items():
        setup = format(r["setup_cpu"], ".1f") if kind == "analyze" else "—"
        lines.append(f"| {NAMES[kind]} | {r['articles']:,} | {r['load_cpu']:.1f} | {setup} | {r['cpu']:.1f} | "
                     f"{r['wall']:.1f} | {r['articles'] / r['wall']:.2f} | {r['articles'] / r['cpu']:.2f} | "
                     f"{r['articles'] / r['cpu_incl']:.2f} | {r['rss']:.0f} | {r['others']:.2f} |")
    pairs = list(zip(runs["analyze"], runs["parse"], strict=True))  # adjacent runs: alike in the machine's load
    full, bare = sorted(pairs, key=lambda p: p[0]["cpu"] / p[1]["cpu"])[len(pairs) // 2]  # the median pair
    extra, wall_extra = full["cpu"] / bare["cpu"] - 1, full["wall"] / bare["wall"] - 1
    per = {k: v / full["articles"] for k, v in full["counts"].items()}
    each = ", ".join(f"{a['cpu']:.1f} / {b['cpu']:.1f} s = {a['cpu'] / b['cpu'] - 1:+.1%} (others' load "
                     f"{max(a['others'], b['others']):.2f})" for a, b in pairs)
    met = "met" if extra <= TARGET else "NOT met"
    verdict = (f"Extraction and writes add **{extra:+.1%}** CPU ({wall_extra:+.1%} wall) to the bare parse, load "
               f"excluded: the median of the adjacent analyze / bare pairs ({each}). Target at most "
               f"+{TARGET:.0%}: **{met}**. Per article, analyze stored {per['mentions']:.1f} actor mentions, "
               f"{per['times']:.1f} time expressions and {per['figures']:.1f} figures.")
    n, parse_cpu = steps["articles"], steps["steps"]["spaCy parse"][1]
    rows = ["| Step (one process, docs parsed once) | CPU s | Wall s | ms per article | vs spaCy parse |",
            "|---|---:|---:|---:|---:|"]
    rows += [f"| {name} | {cpu:.2f} | {wall:.2f} | {'—' if name in SETUP else f'{1000 * cpu / n:.2f}'} | "
             f"{cpu / parse_cpu:.1%} |" for name, (wall, cpu) in steps["steps"].items()]
    own = sum(steps["steps"][k][1] for k in ("SQLite reads (texts, sentences)", "SQLite writes", EXTRACT)) / parse_cpu
    spread = max(r["cpu"] for r in runs["parse"]) / min(r["cpu"] for r in runs["parse"]) - 1
    steadier = (f"In one process on docs parsed once (table above), reads, extraction and writes add **{own:+.1%}** "
                f"to the parse: a steadier estimate, as the bare runs' CPU times alone differed by {spread:.1%} "
                f"(others' load during the breakdown {steps['others']:.2f}).")
    return "\n\n".join(["\n".join(lines), verdict, "\n".join(rows), steadier])


def section(body: str, args: argparse.Namespace, corpus: dict[str, int], rev: str) -> str:
    """The BENCHMARKS.md nlp section: machine facts, method, tables."""
    from communique.nlp import resolve_model
    from communique.settings import load_settings

    nlp, model = load_settings().nlp, resolve_model(load_settings().nlp.model)
    machine = (f"{len(os.sched_getaffinity(0))} cores ({cpu_model()}), {platform.platform()}, "
               f"Python {platform.python_version()}, spaCy {version('spacy')}, {model} {version(model)}")
    return (f"## Language core: analyze vs bare spaCy\n\nMeasured {dt.date.today()} at commit {rev} on {machine}. "
            f"Reproduce with `.venv/bin/python bench/nlp.py --n {args.n} --repeat {args.repeat}`.\n\n"
            f"{args.n:,} synthetic articles ({corpus['words']:,} words, seed {SEED}, {corpus['near']} near-duplicates "
            "that analyze skips) naming leaders from the knowledge base, ingested once, untimed. Every run is a fresh "
            f"process over the same stored texts, started once the machine is idle; {args.repeat} runs of each kind, "
            "interleaved. Per core is over `time.process_time` (spaCy runs single-threaded here). Model load "
            "(`load_pipeline`) and, for analyze, setup (knowledge base, phrase matchers, time and figure lexicons) are "
            "clocked inside the run and left out of *CPU s*, *Wall s* and the rates; *incl. load* puts them back. "
            "Peak RSS is the process's VmHWM; *Others' load* is the mean number of cores that other processes kept "
            "busy meanwhile. The bare run `parse()` imposes the stored sentence boundaries as analyze does; every run "
            f"loads the pipeline as analyze does, with {', '.join(nlp.disable) or 'nothing'} disabled "
            "(`nlp.disable`).\n\n"
            f"{body}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="articles (default 500)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement, best kept (default 3)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "nlp", help="work folder")
    parser.add_argument("--no-write", action="store_true", help="print the tables without updating BENCHMARKS.md")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(breakdown(args.out) if args.worker == "steps" else worker(args.worker, args.out)))
        return 0
    rev, corpus = revision(), prepare(args.n, args.out)
    runs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in NAMES}
    for _ in range(args.repeat):  # interleaved, so that a slow spell of the machine hits every kind
        for kind in NAMES:
            print(f"{kind} ...", file=sys.stderr, flush=True)
            runs[kind].append(measure(kind, args.out))
    print("breakdown ...", file=sys.stderr, flush=True)
    body = tables(runs, measure("steps", args.out))
    if (end := revision()) != rev:
        body += f"\n\n**src/ changed during the run ({rev} → {end}); these figures mix both versions.**"
    print(body)
    if not args.no_write:
        write_section(ROOT / "BENCHMARKS.md", section(body, args, corpus, rev), START, END)
    return 1 if corpus["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
