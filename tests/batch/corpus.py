"""Invented diplomatic reports written as WARC shards with warcio, for the batch tests."""

from __future__ import annotations

import io
import random
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PAIRS = [("China", "Belarus", "Beijing"), ("France", "Germany", "Paris"), ("Japan", "India", "Tokyo"),
         ("Brazil", "Argentina", "Brasilia"), ("Kenya", "Ethiopia", "Nairobi"), ("Canada", "Mexico", "Ottawa")]
VERBS = ["signed an agreement on {topic} with", "held talks on {topic} with", "pledged aid for {topic} to",
         "criticised the policy on {topic} of", "hosted a delegation on {topic} from"]
TOPICS = ["rail freight", "wheat exports", "solar power", "port security", "student exchanges", "fisheries"]


def report(i: int, edited: bool = False) -> tuple[str, list[str], str]:
    """Title, paragraphs and publication date of the i-th invented report (`edited`: one word changed)."""
    rng = random.Random(i)
    a, b, city = rng.choice(PAIRS)
    topic = rng.choice(TOPICS)
    day = f"2024-{i % 3 + 4:02d}-{i % 27 + 1:02d}"
    paragraphs = [
        f"{city} — {a} {rng.choice(VERBS).format(topic=topic)} {b} on Monday, officials said in report {i}.",
        f"The foreign minister of {a} said the two countries would meet again within {i % 9 + 2} weeks "
        f"to review trade worth ${i % 40 + 3} billion.",
        f"{b} said it welcomed the visit and expected a further round on {topic} in {city} next year.",
        f"It was the second visit of the foreign minister of {a} to {b} this year.",
    ]
    if edited:
        paragraphs[1] = paragraphs[1].replace("would meet again", "would meet soon")
    return f"{a} and {b} discuss {topic} ({i})", paragraphs, day


def page(title: str, paragraphs: list[str], day: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="{day}"></head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()


def write_shard(path: Path, numbers: list[int], gz: bool = True, edited: tuple[int, ...] = ()) -> Path:
    """A WARC file with one HTML response per report number (those in `edited` with one word changed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for n in numbers:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"https://wire.example/{n}", "response", payload=io.BytesIO(page(*report(n, n in edited))),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-06-01T10:00:00Z",
                                   "WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{n:012d}>"})
            writer.write_record(record)
    return path
