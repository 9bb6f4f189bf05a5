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


def _timeline(db):
    from communique.store import connect
    from communique.store.events import EventFilter, timeline

    conn = connect(db, readonly=True)
    try:
        return timeline(conn, EventFilter(dyad=("CHN", "BLR")))
    finally:
        conn.close()


@pytest.mark.parametrize(("date", "kind", "place", "words"), [
    ("2023-02", "CONSULT", None, "state visit"),
    ("2023-12-03", "CONSULT", "Beijing", "arrived in Beijing"),
    ("2023-12-04", "CONSULT", "Beijing", "meeting with"),
    ("2025-05-21", "CONSULT", "Minsk", "session"),
    ("2025-05-21", "AGREE", None, "signed cooperation documents"),
    ("2025-06-04", "CONSULT", "Beijing", "meeting on June 4"),
])
def test_analyze_seed_timeline_chn_blr(seeded, date, kind, place, words):
    entries = [e for e in _timeline(seeded) if e.date == date and e.type == kind]
    assert entries, f"no {kind} on {date}"
    assert any(words in ev["evidence"] for e in entries for ev in e.events)
    if place:
        assert any(e.place == place for e in entries)


def test_analyze_seed_gold_must_events_all_found(seeded):
    import subprocess
    import sys
    from pathlib import Path

    bench = Path(__file__).resolve().parents[1] / "bench" / "eval_events.py"
    result = subprocess.run([sys.executable, str(bench), str(SHARED / "eval" / "seeds.gold.json"), "--db", str(seeded)],
                            capture_output=True, text=True, check=True)
    row = next(line for line in result.stdout.splitlines() if line.startswith("| seeds |"))
    must = row.split("|")[2].strip()
    assert must.startswith("100.0%"), row


def test_analyze_seed_trends_chn_blr_by_year_show_cooperation(seeded):
    from typer.testing import CliRunner

    from communique.cli import app

    result = CliRunner().invoke(app, ["trends", "CHN", "BLR", "--by", "year", "--format", "jsonl", "--db", str(seeded)])
    assert result.exit_code == 0, result.output
    rows = {r["period"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert list(rows) == ["2023", "2024", "2025"] and rows["2024"]["events"] == 0
    for year in ("2023", "2025"):
        assert rows[year]["types"]["CONSULT"] >= 2 and rows[year]["verbal_cooperation"] >= 2
        assert rows[year]["material_conflict"] == 0 and rows[year]["index"] > 0.5


def test_analyze_seed_api_docs_example_runs(seeded, capsys):
    import re
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", docs, re.S)[1]
    exec(example.replace('"communique.db"', repr(str(seeded))), {})
    printed = capsys.readouterr().out.splitlines()
    assert any(line.startswith("2023-12-04 CONSULT") for line in printed)
    assert "2024 False 0 [0, 0, 0, 0] None" in printed  # the trend rows: a quiet year has no index
    assert printed[-1].startswith("BLR ") and printed[-1].endswith(" 2023-02 2025-06-04")  # the partners


def test_analyze_seed_store_api(seeded):
    import communique
    from communique.errors import QueryError

    assert "Store" in communique.__all__
    with communique.open_store(seeded) as store:
        dates = [e.date for e in store.timeline("BLR", "CHN")]
        assert {"2023-02", "2023-12-04", "2025-06-04"} <= set(dates) and dates == sorted(dates)
        assert len(store.timeline("CHN", include_undated=True)) >= len(store.timeline("CHN"))
        assert [e.date for e in store.timeline("CHN", "BLR", since="2025-01-01")][0] == "2025-05-21"
        assert store.partners("BLR")[0].actor == "CHN"
        assert [p.period for p in store.trends("CHN", "BLR", by="year").periods] == ["2023", "2024", "2025"]
        consults = store.events("CHN", "BLR", types=["CONSULT"])
        assert consults and {r["plover_type"] for r in consults} == {"CONSULT"}
        assert all(r["content"] for r in store.statements(limit=3))
        verdicts = {c.claim.text: str(c.check.verdict) for c in store.claims()}
        assert verdicts["his second visit to China within the year"] == "supported"
        with pytest.raises(QueryError, match="E415"):
            store.trends("CHN", since="last year")
        with pytest.raises(TypeError):
            store.events("CHN", speaker="Xi")


def _checked(db):
    from communique.analysis.checks import check_claims
    from communique.store import connect

    conn = connect(db, readonly=True)
    try:
        return {c.claim.text: c for c in check_claims(conn)}
    finally:
        conn.close()


def test_analyze_seed_second_visit_within_the_year_is_supported_by_both_2023_visits(seeded):
    checked = [c for text, c in _checked(seeded).items() if text.startswith("his second visit to China")]
    assert len(checked) == 1
    claim = checked[0]
    assert str(claim.check.verdict) == "supported" and claim.check.found == 2
    assert [(e["date_value"], e["type"], e["mode"], e["side_a"], e["side_b"]) for e in claim.events] == [
        ("2023-02", "CONSULT", "visit", "BLR", "CHN"), ("2023-12-03", "CONSULT", "visit", "BLR", "CHN")]


def test_analyze_seed_15th_visit_since_1994_is_not_enough_data(seeded):
    checked = [c for text, c in _checked(seeded).items() if text.startswith("the 15th time")]
    assert len(checked) == 1
    claim = checked[0]
    assert str(claim.check.verdict) == "not enough data" and not claim.check.covered  # the store starts in 2023
    assert claim.check.found == 3  # the visits the store knows: 2023-02, 2023-12-03, 2025-06-04
    assert [e["date_value"] for e in claim.events] == ["2023-02", "2023-12-03", "2025-06-04"]


@pytest.mark.issue(8)
def test_analyze_records_do_not_depend_on_how_many_articles_spacy_parses_at_once(settings, write, tmp_path):
    from dataclasses import replace

    write("mixed.jsonl", [{"id": f"s{n}", "published": "2024-05-0" + str(1 + n % 9), "text": story(n)}
                          for n in range(1, 12)])
    ingest([str(tmp_path / "in")], settings)
    seen = []
    for parse_batch in (1, 8, 32):
        redo = replace(settings, nlp=replace(settings.nlp, parse_batch=parse_batch))
        assert analyze(redo, redo=True).articles == 11
        seen.append(_rows(settings.store.path, "SELECT id, record FROM events ORDER BY id")
                    + _rows(settings.store.path, "SELECT article_id, sentence, start, end, text, actor_id, kind,"
                            " country, via FROM mentions ORDER BY article_id, start, end"))
    assert seen[0] == seen[1] == seen[2] and len(seen[0]) > 11


def test_analyze_settings_refuse_a_batch_of_no_articles(tmp_path):
    from communique.errors import ConfigError
    from communique.settings import load_settings

    config = tmp_path / "settings.toml"
    config.write_text("[nlp]\nparse_batch = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="E502 nlp.parse_batch must be at least 1, not 0"):
        load_settings(config, env={})
