"""The `communique` command: exit codes, outputs, database selection."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.cli.common import console, err_console
from tests.stories import story

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
EXAMPLE_DATES = ("2024-03-14", "2024-04-17", "2024-05-03", "2024-05-22", "2024-07-09", "2024-08-06", "2024-09-12",
                 "2024-09-13", "2024-10-02", "2024-11-05", "2024-11-07")


@pytest.fixture
def run(monkeypatch):
    monkeypatch.setattr(console, "width", 200)
    monkeypatch.setattr(err_console, "width", 200)
    monkeypatch.delenv("COMMUNIQUE_DB", raising=False)
    runner = CliRunner()
    return lambda *args, **kw: runner.invoke(app, list(args), **kw)


@pytest.fixture
def db(tmp_path, run):
    path = tmp_path / "ex.db"
    result = run("ingest", str(EXAMPLES), "--db", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_cli_ingest_examples_summary(db, run, tmp_path):
    result = run("ingest", str(EXAMPLES), "--db", str(db))
    assert result.exit_code == 0
    assert "│     7 │               7 │    0 │      0 │" in result.stdout


def test_cli_articles_lists_every_example(db, run):
    result = run("articles", "--db", str(db))
    assert result.exit_code == 0
    for title in ("Kazakhstan, Mongolia agree to study new rail corridor",
                  "Kenya and Brazil sign health research memorandum",
                  "Vietnam, Philippines hold coast guard talks", "Mexico and Canada discuss seasonal worker programme",
                  "Kuwait pledges aid for flood-hit regions"):
        assert title in result.stdout
    assert "near-duplicate of" in result.stdout


@pytest.mark.parametrize(("option", "expected"), [(["--source", "northern ledger"], ["2024-11-05", "2024-11-07"]),
                                                  (["--since", "2024-11-06"], ["2024-11-07"]),
                                                  (["--until", "2024-03-31"], ["2024-03-14"])])
def test_cli_articles_filters(db, run, option, expected):
    result = run("articles", "--db", str(db), *option)
    dates = sorted(d for d in EXAMPLE_DATES if d in result.stdout)
    assert dates == expected


def test_cli_show_body_metadata_and_boilerplate(db, run):
    listing = run("articles", "--db", str(db), "--source", "Steppe Courier").stdout
    article_id = next(w for w in listing.split() if len(w) == 16 and all(c in "0123456789abcdef" for c in w))
    result = run("show", article_id, "--db", str(db))
    assert result.exit_code == 0
    assert "Aigerim Sadykova" in result.stdout and "2024-03-14" in result.stdout
    body, removed = result.stdout.split("removed boilerplate")
    assert "joint working group" in body and "DANIYAR ORAZ/STEPPE COURIER" not in body
    assert "DANIYAR ORAZ/STEPPE COURIER" in removed and "(Web editor: Ruslan Bekov)" in removed


def test_cli_show_unknown_id_exits_1(db, run):
    result = run("show", "ffffffffffffffff", "--db", str(db))
    assert result.exit_code == 1
    assert "no article with id" in result.stderr


def test_cli_search_and_malformed_query(db, run):
    result = run("search", "hotline", "--db", str(db))
    assert result.exit_code == 0 and "coast guard talks" in result.stdout
    bad = run("search", '"hotline', "--db", str(db))
    assert bad.exit_code == 2
    assert "E410 bad search query" in bad.stderr


def test_cli_stats(db, run):
    result = run("stats", "--db", str(db))
    assert result.exit_code == 0
    assert "│ articles        │ 11" in result.stdout and "│ near duplicates │ 1" in result.stdout


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_cli_export_formats(db, run, tmp_path, fmt):
    out = tmp_path / f"articles.{fmt}"
    result = run("export", "--format", fmt, "--out", str(out), "--db", str(db))
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text().splitlines()]
    elif fmt == "parquet":
        rows = pq.read_table(out).to_pylist()
    else:
        import csv
        rows = list(csv.DictReader(out.open()))
    assert len(rows) == 11
    kenya = next(r for r in rows if r["title"] == "Kenya and Brazil sign health research memorandum")
    assert str(kenya["published"]) == "2024-05-22"
    sentences = kenya["sentences"] if fmt != "csv" else json.loads(kenya["sentences"])
    first = sentences[0]
    assert kenya["text"][first["start"]:first["end"]].startswith("Kenya and Brazil signed a memorandum")


def test_cli_export_parquet_needs_out(db, run):
    assert run("export", "--format", "parquet", "--db", str(db)).exit_code == 2


def test_cli_exit_codes_for_failures_and_usage(run, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(story(1))
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run("ingest", str(good), str(empty), str(tmp_path / "missing.txt"), "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 1
    assert f"{empty}: E102 empty file" in result.stderr
    assert f"{tmp_path / 'missing.txt'}: E100 no such file or directory" in result.stderr
    assert run("articles", "--db", str(tmp_path / "x.db"), "--since", "last week").exit_code == 2
    assert run("ingest").exit_code == 2
    assert run("articles", "--db", str(tmp_path / "never.db")).exit_code == 1


def test_cli_database_selection_precedence(tmp_path):
    """--db beats $COMMUNIQUE_DB, which beats ./communique.db."""
    doc = tmp_path / "one.txt"
    doc.write_text(story(2))
    env_db = tmp_path / "env.db"
    base = [sys.executable, "-m", "communique"]
    env = {"COMMUNIQUE_DB": str(env_db), "PATH": "/usr/bin:/bin"}
    subprocess.run([*base, "ingest", str(doc)], cwd=tmp_path, env=env, check=True, capture_output=True)
    assert env_db.exists() and not (tmp_path / "communique.db").exists()
    subprocess.run([*base, "ingest", str(doc), "--db", str(tmp_path / "flag.db")], cwd=tmp_path, env=env, check=True,
                   capture_output=True)
    assert (tmp_path / "flag.db").exists()
    subprocess.run([*base, "ingest", str(doc)], cwd=tmp_path, env={"PATH": "/usr/bin:/bin"}, check=True,
                   capture_output=True)
    assert (tmp_path / "communique.db").exists()


def test_cli_stdin_jsonl(tmp_path):
    line = json.dumps({"title": "Piped report", "published": "2024-02-02", "text": story(3)}) + "\n"
    proc = subprocess.run([sys.executable, "-m", "communique", "ingest", "-", "--db", str(tmp_path / "s.db")],
                          input=line, capture_output=True, text=True, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    listing = subprocess.run([sys.executable, "-m", "communique", "articles", "--db", str(tmp_path / "s.db")],
                             capture_output=True, text=True, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert "Piped report" in listing.stdout and "2024-02-02" in listing.stdout


@pytest.fixture
def analysed(db, run):
    result = run("analyze", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "│       10 │" in result.stdout  # 11 stored, one near-duplicate not analysed
    return db


def test_cli_analyze_again_is_a_noop(analysed, run):
    result = run("analyze", "--db", str(analysed))
    assert result.exit_code == 0 and "│        0 │" in result.stdout


def test_cli_figures_by_unit_and_actor(analysed, run):
    usd = run("figures", "--unit", "USD", "--db", str(analysed))
    assert usd.exit_code == 0
    assert "20,000,000" in usd.stdout and "112,000,000" in usd.stdout
    kuwait = run("figures", "--actor", "KWT", "--db", str(analysed))
    assert "20,000,000" in kuwait.stdout and "112,000,000" not in kuwait.stdout


def test_cli_show_lists_the_parsed_layer(analysed, run):
    listing = run("articles", "--db", str(analysed), "--source", "Gulf Diplomatic Review").stdout
    article_id = next(w for w in listing.split() if len(w) == 16 and all(c in "0123456789abcdef" for c in w))
    shown = run("show", article_id, "--db", str(analysed)).stdout
    assert "actors" in shown and "mentions" in shown and "dates" in shown
    assert "OMN" in shown and "QAT" in shown and "BHR" in shown


@pytest.mark.parametrize("what", ["mentions", "dates", "figures"])
def test_cli_export_layers(analysed, run, tmp_path, what):
    out = tmp_path / f"{what}.parquet"
    assert run("export", "--what", what, "--format", "parquet", "--out", str(out), "--db", str(analysed)).exit_code == 0
    rows = pq.read_table(out).to_pylist()
    assert rows
    bodies = {}
    jsonl = run("export", "--db", str(analysed)).stdout
    for line in jsonl.splitlines():
        record = json.loads(line)
        bodies[record["id"]] = record["text"]
    for row in rows:
        assert bodies[row["article_id"]][row["start"]:row["end"]] == row["text"]
