"""`analyze` end to end: the parsed layer of the seed articles and of project-written articles."""

from __future__ import annotations

import json
import sqlite3

import pytest

from communique.pipeline import analyze, ingest
from tests.conftest import SHARED
from tests.stories import edited, story

SEEDS = SHARED / "corpus" / "seeds"


def _rows(path, sql, *params):
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds not present")
    from communique.settings import load_settings

    settings = load_settings(env={}).with_db(tmp_path_factory.mktemp("seeds") / "seeds.db")
    ingest([str(SEEDS)], settings)
    summary = analyze(settings)
    assert summary.articles == 2
    return settings.store.path


def _by_file(db, table, where="1"):
    return _rows(db, f"SELECT l.*, a.origin FROM {table} l JOIN articles a ON a.id = l.article_id WHERE {where}")


@pytest.mark.parametrize("name", ["000_b8e7a7bbb8fc7382.txt", "002_2061ac0cfb87facf.txt"])
def test_analyze_seed_leaders_hold_head_of_state_roles(seeded, name):
    rows = [r for r in _by_file(seeded, "mentions") if r["origin"].endswith(name)]
    people = {r["actor_id"]: (r["country"], r["sector"], r["title"]) for r in rows if r["via"] == "kb"}
    assert people["person:xi-jinping"] == ("CHN", "GOV", "President")
    assert people["person:alexander-lukashenko"] == ("BLR", "GOV", "President")


@pytest.mark.parametrize(("name", "text", "value"), [
    ("000_b8e7a7bbb8fc7382.txt", "Monday", "2023-12-04"),
    ("000_b8e7a7bbb8fc7382.txt", "Sunday", "2023-12-03"),
    ("000_b8e7a7bbb8fc7382.txt", "the end of February", "2023-02"),
    ("002_2061ac0cfb87facf.txt", "June 4", "2025-06-04"),
    ("002_2061ac0cfb87facf.txt", "May 21", "2025-05-21"),
])
def test_analyze_seed_dates(seeded, name, text, value):
    rows = [r for r in _by_file(seeded, "time_expressions") if r["origin"].endswith(name) and r["text"] == text]
    assert rows and {r["value"] for r in rows} == {value}


@pytest.mark.parametrize(("value", "unit"), [(6.45e9, "USD"), (83.6, "percent"), (112.5, "km2")])
def test_analyze_seed_figures_with_offsets(seeded, value, unit):
    rows = _rows(seeded, "SELECT f.*, a.text AS body FROM figures f JOIN articles a ON a.id = f.article_id"
                 " WHERE f.unit = ? AND abs(f.value - ?) < 1e-6 * ?", unit, value, value)
    assert rows
    for row in rows:
        assert row["body"][row["start"]:row["end"]] == row["text"]
    if unit == "percent":
        assert rows[0]["change"] == "increase"


def test_analyze_every_record_points_into_its_sentence(seeded):
    for table in ("mentions", "time_expressions", "figures"):
        rows = _rows(seeded, f"SELECT l.start, l.end, l.text, s.start AS s0, s.end AS s1, a.text AS body FROM {table} l"
                     " JOIN sentences s ON s.article_id = l.article_id AND s.idx = l.sentence"
                     " JOIN articles a ON a.id = l.article_id")
        assert rows
        for r in rows:
            assert r["body"][r["start"]:r["end"]] == r["text"]
            assert r["s0"] <= r["start"] and r["end"] <= r["s1"] + 1


def test_analyze_skips_done_articles_and_near_duplicates_and_redo_replaces(settings, write):
    long_story = story(2) + "\n\n" + story(12)
    write("batch.jsonl", [{"id": "a", "published": "2024-04-02", "text": long_story},
                          {"id": "b", "published": "2024-04-03", "text": edited(long_story)},
                          {"id": "c", "published": "2024-04-03",
                           "text": "Ghana and Togo signed a $12 million road deal on Monday in Lomé."}])
    ingest([str(settings.store.path).replace("store.db", "in")], settings)
    first = analyze(settings)
    assert first.articles == 2  # the near-duplicate is not analysed twice
    assert analyze(settings).articles == 0
    before = _rows(settings.store.path, "SELECT count(*) AS n FROM figures")[0]["n"]
    again = analyze(settings, redo=True)
    assert again.articles == 2
    assert _rows(settings.store.path, "SELECT count(*) AS n FROM figures")[0]["n"] == before
    deal = _rows(settings.store.path, "SELECT value, unit FROM figures WHERE unit = 'USD'")
    assert deal == [{"value": 12e6, "unit": "USD"}]
    monday = _rows(settings.store.path, "SELECT value FROM time_expressions WHERE text = 'Monday'")
    assert monday == [{"value": "2024-04-01"}]
    runs = _rows(settings.store.path, "SELECT command, status, counts FROM runs WHERE command = 'analyze'")
    assert [r["status"] for r in runs] == ["done", "done"]  # a run with nothing to do leaves no trace
    assert json.loads(runs[0]["counts"])["articles"] == 2
