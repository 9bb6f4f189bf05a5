"""Trends, partners, their commands and the chart, on consolidated rows written for these tests."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest

from communique.analysis.chart import plot
from communique.analysis.partners import partners
from communique.analysis.trends import Grain, period_of, trends
from communique.errors import ConfigError, QueryError
from communique.store import connect
from tests.conftest import command_runner

# (sides, type, quad class, Goldstein, date value, modality); undated rows get an article period.
ROWS = [
    (("NOR", "ISL"), "CONSULT", 1, 1.9, "2024-03-13", "asserted"),
    (("ISL", "NOR"), "AGREE", 1, 5.0, "2024-03", "asserted"),
    (("NOR", "ISL"), "SANCTION", 4, -8.0, "2024-05-02", "asserted"),
    (("ISL", "NOR"), "ACCUSE", 3, -2.0, "2024-Q2", "asserted"),
    (("NOR", "ISL"), "CONSULT", 1, 1.0, "2023", "asserted"),
    (("NOR", "ISL"), "CONSULT", 1, 1.9, "2024-06-01", "pledged"),
    (("NOR", "ISL"), "CONSULT", 1, 1.9, None, "asserted"),
    (("NOR", "FIN"), "AID", 2, 7.4, "2024-04-10", "asserted"),
    (("FIN", "NOR"), "CONSULT", 1, 1.0, "2024-W14", "asserted"),  # 1-7 April 2024
    (("NOR", "FIN"), "CONSULT", 1, 1.0, "2024-W05", "asserted"),  # 29 January - 4 February 2024
    (("NOR", ""), "REJECT", 3, -4.0, "2024-04-11", "asserted"),
    (("FIN", "ISL"), "CONSULT", 1, 1.9, "2024-03-20", "asserted"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("trends") / "trends.db"
    conn = connect(path)
    for n, (sides, kind, quad, goldstein, date, modality) in enumerate(ROWS):
        bucket_a, bucket_b = sorted(sides)
        conn.execute(
            "INSERT INTO consolidated(id, family, bucket_a, bucket_b, period, type, modality, side_a, side_b, mutual,"
            " date_value, quad_class, goldstein, mention_count, article_count, best_event)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 1, 1, ?)",
            (f"group{n:04d}", kind, bucket_a, bucket_b, date[:4] if date else f"article:{n}", kind, modality,
             sides[0], sides[1] or None, date, quad, goldstein, f"event{n}"))
    conn.close()
    return path


@pytest.fixture
def conn(db):
    c = connect(db, readonly=True)
    yield c
    c.close()


def _rows(trend):
    return [(p.period, p.coarse, p.tally.events, tuple(p.tally.quads)) for p in trend.periods]


@pytest.mark.parametrize(("value", "by", "expected"), [
    ("2024-03-13", Grain.MONTH, ("2024-03", False)),
    ("2024-W14", Grain.MONTH, ("2024-04", False)),
    ("2024-W05", Grain.MONTH, ("2024-W05", True)),
    ("2024-W05", Grain.QUARTER, ("2024-Q1", False)),
    ("2024-Q2", Grain.MONTH, ("2024-Q2", True)),
    ("2024-Q2", Grain.YEAR, ("2024", False)),
    ("2023", Grain.QUARTER, ("2023", True)),
    ("XXXX-06-04", Grain.YEAR, None),
    (None, Grain.YEAR, None),
])
def test_trends_period_of(value, by, expected):
    assert period_of(value, by) == expected


def test_trends_dyad_by_month_has_coarse_rows_and_fills_gaps(conn):
    trend = trends(conn, "NOR", "ISL", by="month")
    assert _rows(trend) == [
        ("2023", True, 1, (1, 0, 0, 0)),
        ("2024-03", False, 2, (2, 0, 0, 0)),
        ("2024-Q2", True, 1, (0, 0, 1, 0)),
        ("2024-04", False, 0, (0, 0, 0, 0)),
        ("2024-05", False, 1, (0, 0, 0, 1)),
    ]
    assert trend.undated == 1 and trend.title == "NOR – ISL"
    march = trend.periods[1].tally
    assert march.types == {"AGREE": 1, "CONSULT": 1}
    assert march.goldstein_sum == pytest.approx(6.9) and march.goldstein_mean == pytest.approx(3.45)
    assert march.index == 1.0 and trend.periods[2].tally.index == -1.0 and trend.periods[3].tally.index is None


def test_trends_dyad_either_order_by_year_index(conn):
    trend = trends(conn, "ISL", "NOR", by="year")
    assert _rows(trend) == [("2023", False, 1, (1, 0, 0, 0)), ("2024", False, 4, (2, 0, 1, 1))]
    year = trend.periods[1].tally
    assert year.goldstein_sum == pytest.approx(-3.1)
    assert year.index == pytest.approx(-3.1 / 16.9)  # (6.9 cooperation - 10 conflict) / 16.9
    assert year.goldstein_mean == pytest.approx(-0.775)
    assert _rows(trends(conn, "NOR", "ISL", by="year")) == _rows(trend)


def test_trends_every_event_counted_once_whatever_the_grain(conn):
    for by in Grain:
        trend = trends(conn, "NOR", by=by)
        assert sum(p.tally.events for p in trend.periods) + trend.undated == 10


def test_trends_actor_against_everyone_by_quarter(conn):
    trend = trends(conn, "NOR", by="quarter")
    assert _rows(trend) == [("2023", True, 1, (1, 0, 0, 0)), ("2024-Q1", False, 3, (3, 0, 0, 0)),
                            ("2024-Q2", False, 5, (1, 1, 2, 1))]


def test_trends_week_across_two_months_is_coarse(conn):
    periods = [p.period for p in trends(conn, "NOR", "FIN").periods]
    assert periods == ["2024-W05", "2024-04"]  # gaps are filled between whole periods only


def test_trends_pledged_types_and_dates(conn):
    assert _rows(trends(conn, "NOR", "ISL", by="year", modalities=("asserted", "pledged")))[-1][2] == 5
    assert _rows(trends(conn, "NOR", "ISL", by="year", types=["CONSULT"])) == [
        ("2023", False, 1, (1, 0, 0, 0)), ("2024", False, 1, (1, 0, 0, 0))]
    later = trends(conn, "NOR", "ISL", since=dt.date(2024, 4, 1))
    assert [p.period for p in later.periods] == ["2024-Q2", "2024-05"] and later.undated == 0
    early = trends(conn, "NOR", "ISL", until=dt.date(2024, 3, 31))
    assert [p.period for p in early.periods] == ["2023", "2024-03"]
    mid_march = trends(conn, "NOR", "ISL", since=dt.date(2024, 3, 14), until=dt.date(2024, 3, 31))
    assert _rows(mid_march) == [("2024-03", False, 1, (1, 0, 0, 0))]  # the month, not the 13th
    assert trends(conn, "NOR", "ISL", since=dt.date(2024, 7, 1)).periods == ()  # 2024-Q2 ends in June


@pytest.mark.parametrize(("kwargs", "code"), [({"by": "week"}, "E414"), ({"types": ["FIGHT"]}, "E411"),
                                              ({"modalities": ["negated"]}, "E413")])
def test_trends_bad_arguments(conn, kwargs, code):
    with pytest.raises(QueryError, match=code):
        trends(conn, "NOR", **kwargs)


def test_partners_ranked_with_mix_and_dates(conn):
    ranked = partners(conn, "NOR")
    assert [p.as_dict() for p in ranked] == [
        {"partner": "ISL", "events": 6, "verbal_cooperation": 4, "material_cooperation": 0, "verbal_conflict": 1,
         "material_conflict": 1, "goldstein_sum": -0.2, "goldstein_mean": -0.0333, "index": -0.0101,
         "cooperation_share": 0.6667, "first": "2023", "last": "2024-Q2"},  # Q2 ends after 2 May
        {"partner": "FIN", "events": 3, "verbal_cooperation": 2, "material_cooperation": 1, "verbal_conflict": 0,
         "material_conflict": 0, "goldstein_sum": 9.4, "goldstein_mean": 3.1333, "index": 1.0,
         "cooperation_share": 1.0, "first": "2024-W05", "last": "2024-04-10"},
    ]
    assert [p.actor for p in partners(conn, "ISL")] == ["NOR", "FIN"]
    assert [p.actor for p in partners(conn, "NOR", limit=1)] == ["ISL"]
    later = partners(conn, "NOR", since=dt.date(2024, 4, 5))
    assert [(p.actor, p.tally.events) for p in later] == [("FIN", 2), ("ISL", 2)]  # W14 overlaps; ties by name


@pytest.fixture
def run(monkeypatch, db):
    return command_runner(monkeypatch, db)


def test_trends_cli_table_and_jsonl(run):
    table = run("trends", "NOR", "ISL")
    assert table.exit_code == 0, table.output
    assert "trends NOR – ISL by month" in table.stdout and "2024-Q2 *" in table.stdout
    assert "1 undated events" in table.stderr
    rows = [json.loads(line) for line in run("trends", "NOR", "ISL", "--by", "year", "--format", "jsonl").stdout
            .splitlines()]
    assert [(r["period"], r["events"], r["index"]) for r in rows] == [("2023", 1, 1.0), ("2024", 4, -0.1834)]
    assert rows[1]["types"] == {"ACCUSE": 1, "AGREE": 1, "CONSULT": 1, "SANCTION": 1}


def test_trends_cli_csv_and_partners(run):
    lines = run("trends", "NOR", "--by", "quarter", "--format", "csv").stdout.splitlines()
    assert lines[0].startswith("period,coarse,events,verbal_cooperation") and lines[1].startswith("2023,True,1,1,")
    assert len(lines) == 4
    partners_out = run("partners", "NOR", "--format", "csv").stdout.splitlines()
    assert [line.split(",")[0] for line in partners_out] == ["partner", "ISL", "FIN"]
    assert "0.67" in run("partners", "NOR").stdout


@pytest.mark.parametrize("args", [("--by", "week"), ("--type", "FIGHT"), ("--since", "May"),
                                  ("--plot", "chart.pdf")])
def test_trends_cli_bad_options_exit_2(run, args):
    assert run("trends", "NOR", *args).exit_code == 2


def test_trends_cli_plot_png_and_svg(run, tmp_path):
    png, svg = tmp_path / "t.png", tmp_path / "t.svg"
    assert run("trends", "NOR", "ISL", "--plot", str(png)).exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run("trends", "NOR", "ISL", "--by", "quarter", "--plot", str(svg)).exit_code == 0
    root = ET.parse(svg).getroot()
    texts = " ".join(t for t in root.itertext())
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and "NOR – ISL: events by quarter" in texts


def test_chart_is_deterministic_and_refuses_other_formats(conn, tmp_path):
    trend = trends(conn, "NOR", by="month")
    first, second = plot(trend, tmp_path / "a.svg").read_bytes(), plot(trend, tmp_path / "b.svg").read_bytes()
    assert first == second and b"<pattern" in first  # coarse rows are hatched
    assert plot(trend, tmp_path / "a.png").read_bytes() == plot(trend, tmp_path / "b.png").read_bytes()
    with pytest.raises(ConfigError, match="E540"):
        plot(trend, tmp_path / "c.pdf")
