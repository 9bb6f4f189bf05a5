"""A synthetic store of mention-level events for bench/analysis.py, written row by row with executemany.

Real-world events come day by day over ten years (2015-2024). Each has a dyad drawn from a
Zipf-like law over 5,000 country pairs (a few busy dyads, a long tail), a PLOVER type drawn
from a Zipf-like law too, a place, and one to a dozen mentions, told by different articles:
mostly at day precision, some at month or year precision, a few undated. Articles collect
mentions of several events, as a news story does, and are published a day or two after.
Everything follows from the seed. The rows satisfy every constraint of the schema; the
full-text index is left empty (nothing here searches it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

CODER = "communique synthetic"
DYADS, OPEN_ARTICLES, FIRST_DAY, DAYS = 5_000, 400, dt.date(2015, 1, 1), 3_653
# PLOVER type -> (CAMEO code, quad class, Goldstein, verb), most frequent first.
TYPES = {
    "CONSULT": ("040", 1, 1.0, "held talks with"), "COOPERATE": ("050", 2, 3.5, "agreed to cooperate with"),
    "SUPPORT": ("051", 2, 3.4, "praised"), "AGREE": ("057", 2, 8.0, "signed an agreement with"),
    "ACCUSE": ("112", 3, -2.0, "accused"), "REQUEST": ("020", 1, 3.0, "called on"),
    "AID": ("070", 2, 7.0, "sent aid to"), "REJECT": ("120", 3, -4.0, "rejected a proposal by"),
    "PROTEST": ("140", 3, -6.5, "protested against"), "THREATEN": ("130", 3, -4.4, "threatened"),
    "SANCTION": ("163", 4, -8.0, "imposed sanctions on"), "CONCEDE": ("080", 2, 5.0, "eased restrictions on"),
    "RETREAT": ("087", 2, 9.0, "withdrew troops from"), "MOBILIZE": ("150", 4, -7.2, "mobilised troops near"),
    "COERCE": ("170", 4, -7.0, "seized vessels of"), "ASSAULT": ("190", 4, -10.0, "attacked"),
}
MUTUAL_TYPES = {"CONSULT", "COOPERATE", "AGREE"}
MODALITIES = (("asserted", 88), ("pledged", 6), ("negated", 4), ("hypothetical", 2))
PRECISIONS = (("day", 80), ("month", 12), ("year", 5), (None, 3))
MEAN_MENTIONS = 2.54  # mentions per real event: 1 + min(floor(Exp(0.5)), 11)


def zipf(n: int, s: float) -> list[float]:
    """Cumulative Zipf weights of ranks 1..n."""
    return list(itertools.accumulate(1 / r ** s for r in range(1, n + 1)))


def countries() -> list[str]:
    text = resources.files("communique").joinpath("data/actors/countries.jsonl").read_text(encoding="utf-8")
    return sorted(json.loads(line)["id"] for line in text.splitlines() if line.strip())


@dataclass(slots=True)
class Article:
    """One synthetic article being filled with mentions."""

    n: int
    size: int
    last_day: dt.date = FIRST_DAY
    sentences: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)


class Plan:
    """The deterministic stream of synthetic articles (see the module docstring)."""

    def __init__(self, seed: int, mentions: int) -> None:
        self.rng = random.Random(seed)
        self.per_day = max(1, round(mentions / DAYS / MEAN_MENTIONS))
        self.seed = seed
        codes = countries()
        pairs: set[tuple[str, str]] = set()
        while len(pairs) < DYADS:
            a, b = self.rng.sample(codes, 2)
            pairs.add((min(a, b), max(a, b)))
        self.dyads = sorted(pairs)
        self.rng.shuffle(self.dyads)  # rank 1 is the busiest
        self.dyad_weights, self.type_weights = zipf(DYADS, 1.05), zipf(len(TYPES), 1.2)
        self.counter = itertools.count()

    def id(self, kind: str) -> str:
        return hashlib.sha1(f"{self.seed}:{kind}:{next(self.counter)}".encode()).hexdigest()[:16]

    def articles(self) -> Iterator[Article]:
        """Articles for ever (the caller stops), in the order they are published."""
        open_articles = [self._article() for _ in range(OPEN_ARTICLES)]
        for day_n in itertools.count():
            day = FIRST_DAY + dt.timedelta(days=day_n % DAYS)
            for _ in range(self.rng.randint(self.per_day // 2, self.per_day * 3 // 2)):
                for mention in self._mentions(day):
                    slot = self.rng.randrange(OPEN_ARTICLES)
                    article = open_articles[slot]
                    self._tell(article, day, mention)
                    if len(article.events) >= article.size:
                        yield article
                        open_articles[slot] = self._article()

    def _article(self) -> Article:
        return Article(next(self.counter), self.rng.randint(1, 7))

    def _mentions(self, day: dt.date) -> Iterator[dict[str, Any]]:
        """The mentions of one real-world event on `day`."""
        rng = self.rng
        a, b = self.dyads[rng.choices(range(DYADS), cum_weights=self.dyad_weights)[0]]
        kind = list(TYPES)[rng.choices(range(len(TYPES)), cum_weights=self.type_weights)[0]]
        mutual = kind in MUTUAL_TYPES and rng.random() < 0.6
        src, tgt = (a, b) if rng.random() < 0.5 else (b, a)
        place = rng.choice((src, tgt, None))
        pledged = rng.random() < 0.06
        for _ in range(1 + min(int(rng.expovariate(0.5)), 11)):
            precision = rng.choices([p for p, _ in PRECISIONS], [w for _, w in PRECISIONS])[0]
            modality = "pledged" if pledged else rng.choices([m for m, _ in MODALITIES], [w for _, w in MODALITIES])[0]
            flip = mutual and rng.random() < 0.5
            yield {"type": kind, "src": tgt if flip else src, "tgt": src if flip else tgt, "mutual": mutual,
                   "precision": precision, "day": day, "place": place, "modality": modality,
                   "person": rng.random() < 0.2, "confidence": round(rng.uniform(0.5, 0.95), 2),
                   "basis": "sentence" if rng.random() < 0.6 else "published"}

    def _tell(self, article: Article, day: dt.date, m: dict[str, Any]) -> None:
        value = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4],
                 None: None}[m["precision"]]
        date_text = {"day": day.strftime("on %d %B %Y"), "month": day.strftime("in %B %Y"),
                     "year": day.strftime("in %Y"), None: "recently"}[m["precision"]]
        sentence = f"{m['src']} {TYPES[m['type']][3]} {m['tgt']} {date_text}."
        article.sentences.append(sentence)
        article.events.append({**m, "id": self.id("e"), "value": value, "date_text": date_text,
                               "sentence": len(article.sentences) - 1})
        article.last_day = max(article.last_day, day)


def rows(article: Article, plan: Plan) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of one article, per table, in the columns of store/writer.py."""
    article_id = hashlib.sha1(f"{plan.seed}:a:{article.n}".encode()).hexdigest()[:16]
    text, starts = "", []
    for s in article.sentences:
        starts.append(len(text))
        text += s + " "
    published = (article.last_day + dt.timedelta(days=article.n % 3)).isoformat()
    out: dict[str, list[tuple[Any, ...]]] = {
        "articles": [(article_id, hashlib.sha256(article_id.encode()).hexdigest(), "synthetic", None,
                      f"Synthetic report {article.n}", None, "Synthetic Wire", published, text.rstrip())],
        "sentences": [(article_id, i, start, start + len(s)) for i, (start, s) in
                      enumerate(zip(starts, article.sentences, strict=True))],
        "analyses": [(article_id, CODER, "none")], "events": [], "event_actors": [], "event_evidence": []}
    for e in article.events:
        start = starts[e["sentence"]]
        _event_rows(out, article_id, e, start, start + len(article.sentences[e["sentence"]]))
    return out


def _event_rows(out: dict[str, list[tuple[Any, ...]]], article_id: str, e: dict[str, Any], start: int,
                end: int) -> None:
    cameo, quad, goldstein, verb = TYPES[e["type"]]
    sides = [(f"person:leader-of-{c.lower()}" if e["person"] and n == 0 else c, c, "GOV")
             for n, c in enumerate((e["src"], e["tgt"]))]
    trigger = (start + len(e["src"]) + 1, start + len(e["src"]) + 1 + len(verb.split()[0]))
    parts = {role: {"text": c, "start": start, "end": start + 3, "actor_id": actor, "country": c, "sector": sector,
                    "name": c} for role, (actor, c, sector) in zip(("source", "target"), sides, strict=True)}
    record = {"event_id": e["id"], "article_id": article_id, "type": e["type"], "mode": None, "cameo": cameo,
              "quad_class": quad, "goldstein": goldstein, **parts,
              "others": [], "mutual": e["mutual"],
              "date": {"value": e["value"], "precision": e["precision"], "text": e["date_text"], "basis": e["basis"]},
              "location": {"text": e["place"], "start": start, "end": start + 3, "country": e["place"]}
              if e["place"] else None, "modality": e["modality"], "reported": False, "speaker": None,
              "evidence": [{"sentence": e["sentence"], "start": start, "end": end, "trigger": verb.split()[0],
                            "trigger_start": trigger[0], "trigger_end": trigger[1]}],
              "confidence": e["confidence"], "rule": f"synthetic.{e['type'].lower()}", "coder": CODER}
    (sa, sc, ss), (ta, tc, ts) = sides
    out["events"].append((e["id"], article_id, e["sentence"], e["type"], None, cameo, quad, goldstein, sa, sc, ss, sc,
                          ta, tc, ts, tc, int(e["mutual"]), e["value"], e["precision"], e["date_text"], e["basis"],
                          e["place"], e["place"], e["modality"], 0, None, None, e["confidence"], record["rule"],
                          json.dumps(record), CODER))
    out["event_actors"] += [(e["id"], "source", 0, sa, sc), (e["id"], "target", 0, ta, tc)]
    out["event_evidence"].append((e["id"], 0, e["sentence"], start, end, verb.split()[0], *trigger))


INSERTS = {
    "articles": "INSERT INTO articles(id, hash, origin, url, title, byline, source, published, text)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "sentences": "INSERT INTO sentences(article_id, idx, start, end) VALUES (?, ?, ?, ?)",
    "analyses": "INSERT INTO analyses(article_id, coder, model) VALUES (?, ?, ?)",
    "events": "INSERT INTO events(id, article_id, sentence, type, mode, cameo, quad_class, goldstein, source_actor,"
              " source_country, source_sector, source_text, target_actor, target_country, target_sector, target_text,"
              " mutual, date_value, date_precision, date_text, date_basis, place, place_country, modality, reported,"
              " speaker_actor, speaker_country, confidence, rule, record, coder) VALUES"
              " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "event_actors": "INSERT INTO event_actors(event_id, role, position, actor_id, country) VALUES (?, ?, ?, ?, ?)",
    "event_evidence": "INSERT INTO event_evidence(event_id, position, sentence, start, end, trigger, trigger_start,"
                      " trigger_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
}


def insert(conn: sqlite3.Connection, batch: list[dict[str, list[tuple[Any, ...]]]]) -> None:
    """Insert the rows of several articles, table by table (parents first)."""
    for table, sql in INSERTS.items():
        conn.executemany(sql, [r for article in batch for r in article[table]])
