"""`communique events | timeline | statements` and the export of events, on articles written for the tests."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from tests.cli.conftest import analysed_store

ARTICLES = [
    {"id": "a1", "published": "2024-06-12", "source": "Steppe Wire", "title": "Leaders meet in Ulaanbaatar",
     "text": "Mongolian President Ukhnaagiin Khurelsukh met Kazakh President Kassym-Jomart Tokayev in "
             "Ulaanbaatar on Tuesday.\n\nThe two presidents signed an agreement on rail transit.\n\n"
             "\u201cOur countries are good neighbours,\u201d Tokayev said."},
    {"id": "a2", "published": "2024-06-13", "source": "Northern Courier", "title": "Tokayev in Mongolia",
     "text": "Kazakh President Kassym-Jomart Tokayev met Mongolian President Ukhnaagiin Khurelsukh in "
             "Ulaanbaatar on Tuesday, officials said.\n\nTokayev praised Mongolia for its support."},
    {"id": "a3", "published": "2024-07-02", "source": "Steppe Wire", "title": "Sanctions",
     "text": "The European Union imposed sanctions on Belarus on Monday.\n\n"
             "Belarus condemned the European Union over the decision."},
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return analysed_store(tmp_path_factory.mktemp("events"), ARTICLES)


def test_events_cli_table_and_filters(run):
    table = run("events")
    assert table.exit_code == 0 and "CONSULT" in table.stdout and "SANCTION" in table.stdout
    dyad = run("events", "--dyad", "MNG-KAZ").stdout
    assert "CONSULT" in dyad and "SANCTION" not in dyad
    assert run("events", "--dyad", "KAZ-MNG").stdout.count("CONSULT") == dyad.count("CONSULT")  # either direction
    only = run("events", "--type", "SANCTION").stdout
    assert "SANCTION" in only and "CONSULT" not in only
    assert "CONSULT" not in run("events", "--since", "2024-07-01").stdout
    assert "SANCTION" not in run("events", "--until", "2024-06-30").stdout


@pytest.mark.parametrize("args", [("--type", "FIGHT"), ("--dyad", "CHN"), ("--since", "yesterday")])
def test_events_cli_bad_options_exit_2(run, args):
    assert run("events", *args).exit_code == 2


def test_events_cli_jsonl_is_the_design_record(run):
    lines = run("events", "--format", "jsonl").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert records
    for record in records:
        for key in ("event_id", "article_id", "type", "mode", "cameo", "quad_class", "goldstein", "source", "target",
                    "mutual", "date", "location", "modality", "evidence", "confidence", "coder"):
            assert key in record
        assert record["evidence"] and record["coder"].startswith("communique")
    sanction = next(r for r in records if r["type"] == "SANCTION")
    assert (sanction["source"]["country"], sanction["target"]["country"]) == ("EU", "BLR")
    assert sanction["date"] == {"value": "2024-07-01", "precision": "day", "text": "Monday", "basis": "sentence"}


def test_events_cli_csv_and_parquet_have_flat_cameo_and_plover_columns(run, tmp_path):
    csv_text = run("export", "--what", "events", "--format", "csv").stdout
    header = csv_text.splitlines()[0].split(",")
    for column in ("event_date", "source_country", "target_country", "cameo_code", "cameo_root", "quad_class",
                   "goldstein", "plover_type", "plover_mode", "evidence"):
        assert column in header
    out = tmp_path / "events.parquet"
    assert run("events", "--format", "parquet", "--out", str(out)).exit_code == 0
    rows = pq.read_table(out).to_pylist()
    assert len(rows) == len(csv_text.splitlines()) - 1
    assert {r["plover_type"] for r in rows} >= {"CONSULT", "SANCTION"}


def test_timeline_groups_one_meeting_told_by_two_articles(run):
    result = run("timeline", "MNG", "KAZ")
    assert result.exit_code == 0
    line = next(row for row in result.stdout.splitlines() if "CONSULT" in row)
    assert "2024-06-11" in line and "Ulaanbaatar" in line and "│ 2 " in line  # two articles, one row
    alone = run("timeline", "BLR").stdout
    assert "SANCTION" in alone and "ACCUSE" in alone and "CONSULT" not in alone


@pytest.mark.issue(6)
def test_timeline_pages_with_limit_and_after(run):
    def kinds(out: str) -> list[str]:
        return [k for k in ("SANCTION", "ACCUSE") for _ in range(out.count(k))]

    assert sorted(kinds(run("timeline", "BLR").stdout)) == ["ACCUSE", "SANCTION"]
    first = run("timeline", "BLR", "--limit", "1")
    hint = first.stderr.strip().splitlines()[-1]
    assert hint.startswith("more: use --limit, or --after ") and len(kinds(first.stdout)) == 1
    second = run("timeline", "BLR", "--limit", "1", "--after", hint.split("--after ")[1].split()[0])
    assert second.exit_code == 0 and "more:" not in second.stderr
    assert sorted(kinds(first.stdout) + kinds(second.stdout)) == ["ACCUSE", "SANCTION"]
    assert run("timeline", "BLR", "--after", "nonsense").exit_code == 2


@pytest.mark.issue(6)
def test_export_consolidated_lists_mention_ids_in_every_format(run, tmp_path):
    rows = [json.loads(line) for line in run("export", "--what", "consolidated").stdout.splitlines()]
    meeting = next(r for r in rows if r["type"] == "CONSULT")
    assert (meeting["date_value"], meeting["article_count"], meeting["place"]) == ("2024-06-11", 2, "Ulaanbaatar")
    assert len(meeting["mention_ids"]) == meeting["mention_count"] >= 2
    assert meeting["best_event"] in meeting["mention_ids"]
    events = {json.loads(line)["event_id"] for line in run("events", "--format", "jsonl").stdout.splitlines()}
    assert {m for r in rows for m in r["mention_ids"]} <= events
    csv_text = run("export", "--what", "consolidated", "--format", "csv").stdout
    assert csv_text.startswith("consolidated_id,") and len(csv_text.splitlines()) == len(rows) + 1
    out = tmp_path / "consolidated.parquet"
    assert run("export", "--what", "consolidated", "--format", "parquet", "--out", str(out)).exit_code == 0
    assert [r["mention_ids"] for r in pq.read_table(out).to_pylist()] == [r["mention_ids"] for r in rows]


def test_statements_cli_by_speaker(run):
    result = run("statements", "--speaker", "Tokayev")
    assert result.exit_code == 0 and "good neighbours" in result.stdout and "direct" in result.stdout
    exported = run("export", "--what", "statements", "--format", "jsonl").stdout.splitlines()
    record = json.loads(exported[0])
    assert {"speaker_actor", "cue", "content", "content_start", "content_end", "direct"} <= set(record)
