"""The monthly summary of consolidated events (schema 9): kept exact by triggers, and trends read it."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.analysis.trends import trends
from communique.store import connect

SIDES = ["NOR", "ISL", "FIN", ""]
DATES = [None, "2023", "2024-Q2", "2024-W14", "2024-W05", "2024-03", "2024-03-13", "2024-03-31", "2024-04-01",
         "2024-12", "2025-01-02", "XXXX-06-04"]
TYPES = ["CONSULT", "AGREE", "SANCTION", "ACCUSE"]

row = st.tuples(st.sampled_from(SIDES), st.sampled_from(SIDES), st.sampled_from(TYPES), st.integers(1, 4),
                st.one_of(st.none(), st.sampled_from([-8.0, -2.0, 1.0, 1.9, 5.0])), st.sampled_from(DATES),
                st.sampled_from(["asserted", "pledged"]))
# Each step inserts a row, deletes the n-th stored row, or moves the n-th row to another row's values.
step = st.one_of(st.tuples(st.just("insert"), row), st.tuples(st.just("delete"), st.integers(0, 40)),
                 st.tuples(st.just("update"), st.integers(0, 40), row))


def _insert(conn, n, values):
    a, b, kind, quad, goldstein, date, modality = values
    bucket_a, bucket_b = sorted((a, b))
    conn.execute(
        "INSERT INTO consolidated(id, family, bucket_a, bucket_b, period, type, modality, side_a, side_b, mutual,"
        " date_value, quad_class, goldstein, mention_count, article_count, best_event)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 1, 1, ?)",
        (f"group{n:05d}", kind, bucket_a, bucket_b, (date or "")[:4] or f"article:{n}", kind, modality, a or None,
         b or None, date, quad, goldstein, f"event{n}"))


def _recount(conn):
    """The summary as a GROUP BY over `consolidated` would give it."""
    return sorted(tuple(r) for r in conn.execute(
        "SELECT bucket_a, bucket_b, modality, CASE WHEN date_value IS NULL THEN '' WHEN date_value GLOB"
        " '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' THEN substr(date_value, 1, 7) ELSE date_value END AS month, type,"
        " count(*), sum(quad_class = 1), sum(quad_class = 2), sum(quad_class = 3), sum(quad_class = 4),"
        " round(total(goldstein), 6), count(goldstein), round(total(abs(goldstein)), 6)"
        " FROM consolidated GROUP BY 1, 2, 3, 4, 5"))


def _summary(conn):
    return sorted(tuple(r) for r in conn.execute(
        "SELECT bucket_a, bucket_b, modality, month, type, events, q1, q2, q3, q4, round(goldstein_sum, 6), scored,"
        " round(goldstein_abs, 6) FROM consolidated_months"))


@pytest.fixture
def store(tmp_path):
    conn = connect(tmp_path / "months.db")
    yield conn
    conn.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, max_size=40))
def test_summary_equals_a_recount_after_any_inserts_deletes_and_updates(store, steps):
    store.execute("DELETE FROM consolidated")
    for n, (action, *args) in enumerate(steps):
        ids = [r[0] for r in store.execute("SELECT id FROM consolidated ORDER BY id")]
        if action == "insert":
            _insert(store, n, args[0])
        elif ids and action == "delete":
            store.execute("DELETE FROM consolidated WHERE id = ?", (ids[args[0] % len(ids)],))
        elif ids:
            a, b, kind, quad, goldstein, date, modality = args[1]
            store.execute("UPDATE consolidated SET bucket_a = ?, bucket_b = ?, type = ?, quad_class = ?, goldstein = ?,"
                          " date_value = ?, modality = ? WHERE id = ?",
                          (*sorted((a, b)), kind, quad, goldstein, date, modality, ids[args[0] % len(ids)]))
        assert _summary(store) == _recount(store)
    assert _summary(store) == _recount(store)


def test_migration_fills_the_summary_from_existing_groups(tmp_path):
    from tests.store.test_migrations import _migrated_to

    path = tmp_path / "old.db"
    conn = _migrated_to(8, path)
    for n, values in enumerate([("NOR", "ISL", "CONSULT", 1, 1.9, "2024-03-13", "asserted"),
                                ("ISL", "NOR", "AGREE", 1, 5.0, "2024-03", "asserted"),
                                ("NOR", "", "ACCUSE", 3, None, None, "asserted")]):
        _insert(conn, n, values)
    conn.close()
    conn = connect(path)  # migrates to the latest version
    assert _summary(conn) == _recount(conn) and len(_summary(conn)) == 3
    conn.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, min_size=1, max_size=30), by=st.sampled_from(["month", "quarter", "year"]),
       pair=st.sampled_from([("NOR", "ISL"), ("NOR", None), ("FIN", "NOR")]))
def test_trends_from_the_summary_equal_trends_from_the_events(store, rows, by, pair):
    """Bounds on month edges read the summary; a bound a day off reads `consolidated`: the same answer, as no
    event is dated on the day between them (DATES has no 1900-01-01, 2999-12-31 or 2024-06-30)."""
    store.execute("DELETE FROM consolidated")
    for n, values in enumerate(rows):
        _insert(store, n, values)
    a, b = pair
    for (since, until), (since_raw, until_raw) in [
            ((dt.date(1900, 1, 1), None), (dt.date(1900, 1, 2), None)),
            ((None, dt.date(2999, 12, 31)), (None, dt.date(2999, 12, 30))),
            ((dt.date(2024, 3, 1), dt.date(2024, 6, 30)), (dt.date(2024, 3, 1), dt.date(2024, 6, 29)))]:
        summary = trends(store, a, b, by=by, since=since, until=until)
        raw = trends(store, a, b, by=by, since=since_raw, until=until_raw)
        assert [(p.period, p.coarse, p.tally.events, p.tally.quads, p.tally.types, p.tally.scored) for p in
                summary.periods] == [(p.period, p.coarse, p.tally.events, p.tally.quads, p.tally.types,
                                      p.tally.scored) for p in raw.periods]
        assert all(math.isclose(s.tally.goldstein_sum, r.tally.goldstein_sum, abs_tol=1e-9)
                   for s, r in zip(summary.periods, raw.periods, strict=True))
        assert summary.undated == raw.undated
