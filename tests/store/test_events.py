"""The consolidated timeline: paging with a keyset cursor, the dyad index, filters (hand-made events, no model)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from communique.analysis import Consolidator
from communique.store import connect
from communique.store.events import EventFilter, timeline, timeline_json

DAYS = [f"2024-{m:02d}-{d:02d}" for m in (1, 2, 3) for d in (3, 10, 17)]


@pytest.fixture
def store(settings, add_mentions):
    """CHL-PER: nine meetings (two on 2024-02-10, in Lima and in Santiago), a sanction, a month-only
    mention, an undated one; CHL-BOL and a person-level pair alongside."""
    conn = connect(settings.store.path)
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        for n, day in enumerate(DAYS):
            add_mentions(conn, f"a{n}", [{"id": f"e{n}a", "date": day, "place": "PER"}, {"id": f"e{n}b", "date": day,
                                                                           "type": "SANCTION", "mutual": False,
                                                                           "source": "PER", "target": "CHL"}]
                         if n == 4 else [{"id": f"e{n}", "date": day, "place": "PER"}])
        add_mentions(conn, "both", [{"id": "x1", "date": "2024-02-10", "place": "CHL"},
                                    {"id": "x2", "date": "2024-02", "source": "PER", "target": "CHL"},
                                    {"id": "x3", "date": None}, {"id": "x4", "target": "BOL"},
                                    {"id": "x5", "source": "person:a", "target": "person:b"}])
        Consolidator().backfill(conn)
    yield conn
    conn.close()


def _pages(conn, filt, size, undated=False):
    pages, after = [], None
    while page := timeline(conn, filt, include_undated=undated, limit=size, after=after):
        pages.append([(e.date, e.type) for e in page])
        after = page[-1].cursor
    return pages


@pytest.mark.issue(6)
@pytest.mark.parametrize("size", [1, 4, 100])
def test_events_timeline_pages_cover_every_event_once_in_date_order(store, size):
    everything = [(e.date, e.type) for e in timeline(store, EventFilter(dyad=("PER", "CHL")), True, limit=None)]
    pages = _pages(store, EventFilter(dyad=("PER", "CHL")), size, undated=True)
    assert [x for page in pages for x in page] == everything
    assert all(len(p) == size for p in pages[:-1]) and len(everything) == 12
    assert everything[-1] == (None, "CONSULT") and sorted(everything[4:7]) == [
        ("2024-02-10", "CONSULT"), ("2024-02-10", "CONSULT"), ("2024-02-10", "SANCTION")]


@pytest.mark.issue(6)
def test_events_timeline_first_page_and_the_default_limit(store):
    page = timeline(store, EventFilter(dyad=("CHL", "PER")), limit=3)
    assert [e.date for e in page] == ["2024-01-03", "2024-01-10", "2024-01-17"]
    assert len(timeline(store, EventFilter(dyad=("CHL", "PER")))) == 11  # the default page (100) holds them all
    feb = next(e for e in timeline(store, EventFilter(dyad=("CHL", "PER"))) if e.date == "2024-02-03")
    assert [ev["id"] for ev in feb.events] == ["e3"] and feb.best["evidence"] == "Sentence 0 o"


@pytest.mark.issue(7)
@pytest.mark.parametrize("undated", [False, True])
def test_events_timeline_json_items_hold_what_the_timeline_holds(store, undated):
    full = timeline(store, EventFilter(dyad=("CHL", "PER")), include_undated=undated)
    page = timeline_json(store, EventFilter(dyad=("CHL", "PER")), include_undated=undated)
    assert [cursor for cursor, _ in page] == [e.cursor for e in full] and full
    for entry, (_, text) in zip(full, page, strict=True):
        item = json.loads(text)
        assert {k: item[k] for k in ("id", "date", "precision", "type", "mode", "source", "target", "mutual", "place",
                                     "articles", "best_event")} == {
            "id": entry.id, "date": entry.date, "precision": entry.precision, "type": entry.type, "mode": entry.mode,
            "source": entry.source, "target": entry.target, "mutual": entry.mutual, "place": entry.place,
            "articles": entry.articles, "best_event": entry.best_event}
        assert item["mentions"] == [
            {"event_id": m["id"], "article_id": m["article_id"], "sentence": m["sentence"],
             "published": m["article_published"], "source": m["article_source"], "evidence": m["evidence"],
             "evidence_start": m["evidence_start"], "evidence_end": m["evidence_end"]} for m in entry.events]
        assert item["mentions"][0]["event_id"] == item["best_event"]


@pytest.mark.issue(6)
@pytest.mark.parametrize(("filt", "dates"), [
    (EventFilter(dyad=("CHL", "PER"), types=("SANCTION",)), ["2024-02-10"]),
    (EventFilter(dyad=("CHL", "PER"), since=dt.date(2024, 3, 1)), ["2024-03-03", "2024-03-10", "2024-03-17"]),
    (EventFilter(dyad=("CHL", "PER"), until=dt.date(2024, 1, 9)), ["2024-01-03"]),
    (EventFilter(dyad=("BOL", "CHL")), ["2024-03-13"]),
    (EventFilter(dyad=("person:b", "person:a")), ["2024-03-13"]),
    (EventFilter(actor="BOL"), ["2024-03-13"]),
])
def test_events_timeline_filters_on_both_paths(store, filt, dates):
    assert [e.date for e in timeline(store, filt)] == dates


@pytest.mark.issue(6)
def test_events_timeline_of_a_country_dyad_walks_the_dyad_index_in_order(store):
    statements: list[str] = []
    store.set_trace_callback(statements.append)
    timeline(store, EventFilter(dyad=("PER", "CHL")), limit=5, after=("2024-01-17", "0"))
    store.set_trace_callback(None)
    query = next(s for s in statements if "FROM consolidated c WHERE" in s)
    plan = [row[-1] for row in store.execute(f"EXPLAIN QUERY PLAN {query}")]
    assert plan == ["SEARCH c USING INDEX consolidated_dyad (bucket_a=? AND bucket_b=? AND (date_value,id)>(?,?))"]


@pytest.mark.issue(7)
@pytest.mark.parametrize("filt", [EventFilter(dyad=("CHL", "PER")), EventFilter(dyad=("BOL", "CHL")),
                                  EventFilter(actor="PER"), EventFilter(actor="person:a"),
                                  EventFilter(dyad=("CHL", "PER"), types=("SANCTION",))])
def test_event_pages_of_a_rare_side_equal_the_date_index_walk(store, monkeypatch, filt):
    """A side in few events is read through its own rows; the pages are those of the date-index walk."""
    from communique.store import pages

    def walk(size):
        out, after = [], None
        while True:
            page = pages.event_page(store, filt, size, after)
            out.append([r["event_id"] for r in page.rows])
            if page.next_key is None:
                return out
            after = page.next_key

    for size in (1, 3, 50):
        monkeypatch.setattr(pages, "RARE", 0)  # no side is rare: walk the date index
        assert pages._rare_side(store, filt) is None
        walked = walk(size)
        monkeypatch.setattr(pages, "RARE", 1000)  # every side is rare
        assert pages._rare_side(store, filt) is not None
        assert walk(size) == walked and sum(map(len, walked)) > 0
