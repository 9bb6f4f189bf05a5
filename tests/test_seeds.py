"""Acceptance on the two seed articles in ../shared (read at test time, never copied)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from communique.pipeline import ingest
from communique.store import connect, queries
from tests.conftest import SHARED

SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "eval" / "seeds.gold.json"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds not present")


def test_seeds_titles_dates_and_no_boilerplate_left(settings):
    summary = ingest([str(SEEDS)], settings)
    assert (summary.stored, summary.failed) == (2, 0)
    gold = json.loads(GOLD.read_text())["documents"]
    conn = connect(settings.store.path)
    by_file = {s.article.origin.rsplit("/", 1)[-1]: s.article for s in queries.iter_articles(conn)}
    assert set(by_file) == set(gold)
    for name, doc in gold.items():
        article = by_file[name]
        assert article.title == doc["metadata"]["title"]
        assert article.published == dt.date.fromisoformat(doc["published"])
        assert doc["metadata"].get("source") in (None, article.source)
        for piece in doc.get("boilerplate", []):
            assert piece not in article.text, f"{name}: boilerplate left in body: {piece!r}"
        for figure in doc["figures"]:
            assert figure["evidence_contains"] in article.text
        for event in doc["events"]:
            assert event["evidence_contains"] in article.text
    first = by_file["000_b8e7a7bbb8fc7382.txt"]
    assert (first.byline, first.metadata["published_from"], first.metadata["published_time"]) == \
        ("Cao Desheng", "header", "08:35")
    assert by_file["002_2061ac0cfb87facf.txt"].metadata["published_from"] == "sidecar"
