"""`communique claims` and `communique export --what claims`, on articles written for the tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pyarrow.parquet as pq
import pytest

from tests.cli.conftest import analysed_store

ARTICLES = [
    {"id": "k1", "published": "2024-02-21", "source": "Rift Post", "title": "Ruto in Tokyo",
     "text": "Kenyan President William Ruto arrived in Tokyo on Tuesday for talks with Japanese Prime Minister "
             "Fumio Kishida.\n\nThe two leaders discussed port financing."},
    {"id": "k2", "published": "2024-06-13", "source": "Rift Post", "title": "Ruto back in Japan",
     "text": "Kenyan President William Ruto arrived in Tokyo on Wednesday, his second visit to Japan this year.\n\n"
             "He met Japanese business leaders."},
    {"id": "k3", "published": "2024-09-05", "source": "Lakeside Daily", "title": "Ruto again",
     "text": "Kenyan President William Ruto landed in Tokyo on Wednesday. It was his second visit to Japan this "
             "year, and the tenth time he has visited Japan since 2001."},
]
# The store starts in February 2024: it covers "this year", not "since 2001".
EXPECTED = [("his second visit to Japan this year", "supported", ["2024-02-20", "2024-06-12"]),
            ("his second visit to Japan this year", "contradicted", ["2024-02-20", "2024-06-12", "2024-09-04"]),
            ("the tenth time he has visited Japan since 2001", "not enough data",
             ["2024-02-20", "2024-06-12", "2024-09-04"])]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return analysed_store(tmp_path_factory.mktemp("claims"), ARTICLES)


def test_claims_cli_jsonl_verdicts_with_their_events(run):
    result = run("claims", "--format", "jsonl")
    assert result.exit_code == 0  # contradicted claims are findings, not errors
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["text"], r["verdict"], r["event_dates"]) for r in rows] == EXPECTED
    assert [(r["subject"], r["counterpart"], r["period_begin"], r["found"], r["covered"]) for r in rows] == [
        ("KEN", "JPN", "2024", 2, True), ("KEN", "JPN", "2024", 3, True), ("KEN", "JPN", "2001", 3, False)]
    assert rows[1]["evidence"] == ("It was his second visit to Japan this year, and the tenth time he has visited "
                                   "Japan since 2001.")


def test_claims_cli_table_shows_sentence_verdict_and_event_evidence(run):
    result = run("claims")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    for words in ("his second visit to Japan this year", "the store gives this occasion rank 3", "contradicted",
                  "not enough data", "2024-02-20 CONSULT/visit KEN → JPN: Kenyan President William Ruto arrived"):
        assert any(words in line for line in lines), words


def test_claims_cli_article_filter_and_csv(run):
    rows = [json.loads(line) for line in run("claims", "--format", "jsonl").stdout.splitlines()]
    first = rows[0]["article_id"]
    only = list(csv.DictReader(io.StringIO(run("claims", "--article", first[:8], "--format", "csv").stdout)))
    assert [(r["text"], r["verdict"], json.loads(r["event_dates"])) for r in only] == [EXPECTED[0][:2] +
                                                                                       (EXPECTED[0][2],)]
    assert run("claims", "--article", "ffffffff").exit_code == 0


def test_claims_cli_export_what_claims(run, tmp_path):
    out = tmp_path / "claims.jsonl"
    result = run("export", "--what", "claims", "--out", str(out))
    assert result.exit_code == 0 and "exported 3 claims" in result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["text"], r["verdict"], r["event_dates"]) for r in rows] == EXPECTED
    table = tmp_path / "claims.parquet"
    assert run("export", "--what", "claims", "--format", "parquet", "--out", str(table)).exit_code == 0
    columns = pq.read_table(table).to_pydict()
    assert list(zip(columns["text"], columns["verdict"], columns["event_dates"], strict=True)) == EXPECTED
    assert columns["article_published"][0] == dt.date(2024, 6, 13)
