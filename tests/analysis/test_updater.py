"""Incremental consolidation in the store, through `analyze`, on articles written for these tests."""

from __future__ import annotations

import itertools
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from communique.analysis import Consolidator
from communique.pipeline import analyze, ingest
from communique.settings import Settings, load_settings
from communique.store import connect
from communique.store.events import EventFilter, timeline
from communique.store.migrations import LATEST, current_version

ARTICLES = {
    "lima-1": {"published": "2024-03-14", "source": "Andes Post", "title": "Talks in Lima",
               "text": "Chilean President Gabriel Boric met Peruvian President Dina Boluarte in Lima on Wednesday."
                       "\n\nThe two leaders discussed water rights along the border."},
    "lima-2": {"published": "2024-03-13", "source": "Pacific Wire", "title": "Boric in Peru",
               "text": "Peruvian President Dina Boluarte held talks with Chilean President Gabriel Boric in Lima on"
                       " March 13, her office said.\n\nBoth sides described the talks as frank."},
    "lima-3": {"published": "2024-03-15", "source": "Southern Daily", "title": "Neighbours talk",
               "text": "Chile and Peru held talks in Lima on March 13, 2024.\n\nThe meeting lasted three hours."},
    "week-later": {"published": "2024-03-21", "source": "Andes Post", "title": "Second round",
                   "text": "Chilean President Gabriel Boric met Peruvian President Dina Boluarte in Lima on"
                           " March 20, 2024.\n\nNo agreement was reached."},
    "month": {"published": "2024-04-02", "source": "Quarterly Review", "title": "A month of diplomacy",
              "text": "In March 2024, Chile and Peru held talks in Lima.\n\nAnalysts expect more meetings."},
    "unrelated": {"published": "2024-05-02", "source": "Nordic Wire", "title": "Fisheries",
                  "text": "Norway imposed sanctions on Iceland on Tuesday over fishing quotas."},
}


def _settings(folder: Path) -> Settings:
    return load_settings(env={}).with_db(folder / "store.db")


def _add(settings: Settings, *names: str) -> None:
    """Ingest and analyse the named articles (one input file per call)."""
    folder = Path(settings.store.path).parent / "in"
    folder.mkdir(exist_ok=True)
    dump = folder / f"{'+'.join(names)}.jsonl"
    dump.write_text("".join(json.dumps({"id": n, **ARTICLES[n]}) + "\n" for n in names), encoding="utf-8")
    ingest([str(dump)], settings)
    analyze(settings)


def _groups(settings: Settings) -> dict[str, tuple[str | None, int, int, tuple[str, ...]]]:
    """Consolidated id -> (date, mentions, articles, external ids of its articles)."""
    conn = sqlite3.connect(settings.store.path)
    rows = conn.execute(
        "SELECT c.id, c.date_value, c.mention_count, c.article_count,"
        " (SELECT group_concat(x, ',') FROM (SELECT DISTINCT json_extract(a.metadata, '$.external_id') AS x"
        "  FROM consolidated_mentions m JOIN articles a ON a.id = m.article_id WHERE m.consolidated_id = c.id"
        "  ORDER BY x)) FROM consolidated c WHERE c.family = 'CONSULT'").fetchall()
    conn.close()
    return {r[0]: (r[1], r[2], r[3], tuple(r[4].split(","))) for r in rows}


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """A store that grows article by article; the snapshots of its groups after each step."""
    settings = _settings(tmp_path_factory.mktemp("grown"))
    steps = {}
    for names in (("lima-1", "lima-2", "lima-3"), ("week-later",), ("month",), ("unrelated",)):
        _add(settings, *names)
        steps[names[0]] = _groups(settings)
    return settings, steps


def test_updater_three_outlets_one_meeting_three_mentions(grown):
    _, steps = grown
    [(date, mentions, articles, ids)] = steps["lima-1"].values()
    assert (date, mentions, articles, ids) == ("2024-03-13", 3, 3, ("lima-1", "lima-2", "lima-3"))


def test_updater_meetings_a_week_apart_stay_two_and_keep_the_first_id(grown):
    _, steps = grown
    groups = steps["week-later"]
    assert sorted(g[0] for g in groups.values()) == ["2024-03-13", "2024-03-20"]
    assert set(steps["lima-1"]) < set(groups)


def test_updater_month_mention_joins_the_day_event(grown):
    _, steps = grown
    day = next(g for g in steps["month"].values() if g[0] == "2024-03-13")
    assert day[3] == ("lima-1", "lima-2", "lima-3", "month") and day[0] == "2024-03-13"
    assert set(steps["month"]) == set(steps["week-later"])  # the day precision keeps the id


def test_updater_unrelated_article_changes_no_id_and_redo_keeps_them(grown):
    settings, steps = grown
    assert steps["unrelated"] == steps["month"]
    conn = sqlite3.connect(settings.store.path)
    first_seen = dict(conn.execute("SELECT id, first_seen FROM consolidated").fetchall())
    conn.close()
    assert analyze(settings, redo=True).articles == len(ARTICLES)
    assert _groups(settings) == steps["unrelated"]
    conn = sqlite3.connect(settings.store.path)
    assert dict(conn.execute("SELECT id, first_seen FROM consolidated").fetchall()) == first_seen
    orphans = conn.execute("SELECT count(*) FROM consolidated c WHERE NOT EXISTS"
                           " (SELECT 1 FROM consolidated_mentions m WHERE m.consolidated_id = c.id)").fetchone()[0]
    conn.close()
    assert orphans == 0


def test_updater_same_ids_whatever_the_order_of_analysis(grown, tmp_path):
    _, steps = grown
    settings = _settings(tmp_path)
    _add(settings, "month", "unrelated")  # the month mention first, alone
    _add(settings, "week-later", "lima-3", "lima-1", "lima-2")
    assert _groups(settings) == steps["unrelated"]


def test_updater_removed_mentions_leave_their_groups_and_empty_groups_go(grown, tmp_path):
    settings = _settings(tmp_path)
    _add(settings, "lima-1", "lima-2", "week-later")
    conn = connect(settings.store.path)
    hook = Consolidator()
    for name in ("lima-1", "week-later"):
        article_id = conn.execute("SELECT id FROM articles WHERE metadata ->> 'external_id' = ?", (name,)).fetchone()[0]
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            hook.before(conn, article_id)
            conn.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
            hook.after(conn, article_id)
            hook.flush(conn)
    conn.close()
    assert [g[1:] for g in _groups(settings).values()] == [(1, 1, ("lima-2",))]


def test_updater_timeline_reads_the_consolidated_level(grown):
    settings, _ = grown
    conn = connect(settings.store.path, readonly=True)
    entries = timeline(conn, EventFilter(dyad=("PER", "CHL")))
    conn.close()
    assert [(e.date, e.type, e.articles) for e in entries] == [("2024-03-13", "CONSULT", 4),
                                                               ("2024-03-20", "CONSULT", 1)]
    assert entries[0].best["id"] == entries[0].best_event and entries[0].place == "Lima"


def test_updater_v4_database_gets_its_groups_on_the_next_analyze(grown, tmp_path):
    settings = _settings(tmp_path)
    _add(settings, "lima-1", "lima-2", "lima-3")
    expected = _groups(settings)
    conn = sqlite3.connect(settings.store.path, isolation_level=None)
    conn.executescript("DROP TABLE consolidated_months; DROP TABLE consolidation_dirty; DROP TABLE claims;"
                       " DROP TABLE consolidated_mentions; DROP TABLE consolidated;"
                       " DELETE FROM schema_version WHERE version >= 5;")
    conn.close()
    conn = connect(settings.store.path)
    assert current_version(conn) == LATEST
    assert conn.execute("SELECT count(*) FROM consolidated").fetchone()[0] == 0
    conn.close()
    assert analyze(settings).articles == 0  # nothing to re-code, only mentions to group
    assert _groups(settings) == expected


class _Interrupted:
    """A layer hook that is stopped half-way, as Ctrl-C during consolidation would."""

    def before(self, conn: sqlite3.Connection, article_id: str) -> None:
        Consolidator().before(conn, article_id)

    def after(self, conn: sqlite3.Connection, article_id: str) -> None:
        raise KeyboardInterrupt

    def flush(self, conn: sqlite3.Connection, final: bool) -> None:
        """Nothing to do: the article never got this far."""


def test_updater_interrupted_consolidation_keeps_the_old_layer_and_groups(grown, tmp_path):
    from communique.records import ParsedLayer
    from communique.store.writer import Writer

    settings = _settings(tmp_path)
    _add(settings, "lima-1", "lima-2")
    before = _groups(settings)
    conn = connect(settings.store.path)
    article_id = conn.execute("SELECT id FROM articles WHERE metadata ->> 'external_id' = 'lima-1'").fetchone()[0]
    with pytest.raises(KeyboardInterrupt), Writer(conn, "analyze", 10) as writer:
        writer.replace_layer(ParsedLayer(article_id), "communique test", "none", hook=_Interrupted())
    assert conn.execute("SELECT count(*) FROM events WHERE article_id = ?", (article_id,)).fetchone()[0] > 0
    conn.close()
    assert _groups(settings) == before


def _lagging(settings: Settings) -> Settings:
    """One article per transaction, groups rebuilt only at the end of a run."""
    return replace(settings, nlp=replace(settings.nlp, batch_size=1, consolidate_every=1000))


def test_updater_lagging_consolidation_groups_as_rebuilding_every_batch(grown, tmp_path):
    _, steps = grown
    settings = _lagging(_settings(tmp_path))
    _add(settings, *ARTICLES)
    assert _groups(settings) == steps["unrelated"]


def test_updater_run_killed_before_its_regrouping_is_regrouped_by_the_next(grown, tmp_path, monkeypatch):
    _, steps = grown
    settings = _lagging(_settings(tmp_path))
    _add(settings, *ARTICLES)
    flush = Consolidator.flush

    def killed_at_the_end(self, conn, final=True):
        if final:
            raise KeyboardInterrupt
        flush(self, conn, final)

    monkeypatch.setattr(Consolidator, "flush", killed_at_the_end)
    with pytest.raises(KeyboardInterrupt):
        analyze(settings, redo=True)
    conn = sqlite3.connect(settings.store.path)
    dirty = conn.execute("SELECT count(*) FROM consolidation_dirty").fetchone()[0]
    loose = conn.execute("SELECT count(*) FROM events e WHERE NOT EXISTS"
                         " (SELECT 1 FROM consolidated_mentions m WHERE m.event_id = e.id)").fetchone()[0]
    conn.close()
    assert dirty > 0 and loose > 0  # the committed layers wait for their groups, and say which
    monkeypatch.setattr(Consolidator, "flush", flush)
    analyze(settings, redo=True)
    assert _groups(settings) == steps["unrelated"]


_EVENT = st.fixed_dictionaries({
    "type": st.sampled_from(["CONSULT", "AGREE", "COOPERATE"]),
    "source": st.sampled_from(["CHL", "PER"]), "mutual": st.booleans(),
    "date": st.sampled_from(["2024-03-13", "2024-03-14", "2024-03-20", "2024-03", "2024-W11", "2024-Q1", "2024",
                             "2023-12-31", None]),
    "place": st.sampled_from([None, "CHL", "PER"]), "modality": st.sampled_from(["asserted", "pledged"])})


def _state(conn: sqlite3.Connection) -> tuple[list[tuple], list[tuple]]:
    groups = conn.execute("SELECT * FROM consolidated ORDER BY id").fetchall()
    return ([tuple(r)[:-2] for r in groups],  # all but first_seen and updated_at
            [tuple(r) for r in conn.execute("SELECT * FROM consolidated_mentions ORDER BY consolidated_id, position")])


@pytest.mark.issue(6)
@examples(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(articles=st.lists(st.lists(_EVENT, min_size=1, max_size=4), min_size=1, max_size=7),
       cuts=st.sets(st.integers(1, 6)), dropped=st.integers(0, 6))
def test_updater_incremental_batches_equal_grouping_from_scratch(add_mentions, articles, cuts, dropped):
    """Batches of articles, then one article's mentions removed: the rows are those of one backfill."""
    events = {f"a{n}": [{**e, "id": f"a{n}e{k}", "target": "PER" if e["source"] == "CHL" else "CHL"}
                        for k, e in enumerate(evs)] for n, evs in enumerate(articles)}
    gone = f"a{dropped % len(articles)}"
    step, hook = connect(":memory:"), Consolidator()
    names = list(events)
    for lo, hi in itertools.pairwise([0, *sorted(c for c in cuts if c < len(names)), len(names)]):
        with step:
            step.execute("BEGIN IMMEDIATE")
            for name in names[lo:hi]:
                hook.after(step, add_mentions(step, name, events[name]))
            hook.flush(step)
    with step:
        step.execute("BEGIN IMMEDIATE")
        article_id = step.execute("SELECT article_id FROM events WHERE id = ?", (f"{gone}e0",)).fetchone()[0]
        hook.before(step, article_id)
        step.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
        hook.after(step, article_id)
        hook.flush(step)
    scratch = connect(":memory:")
    with scratch:
        scratch.execute("BEGIN IMMEDIATE")
        for name in names:
            if name != gone:
                add_mentions(scratch, name, events[name])
        Consolidator().backfill(scratch)
    assert _state(step) == _state(scratch)
