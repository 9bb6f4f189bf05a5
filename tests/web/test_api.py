"""The JSON API over an analysed store: pages, records with offsets, errors, and the seeds' timeline."""

from __future__ import annotations

import sqlite3

import pytest

from communique.store.events import EventFilter, timeline
from tests.web.conftest import SEEDS


def _all(client, url, **params):
    items, cursor = [], None
    while True:
        body = client.get(url, params={**params, **({"cursor": cursor} if cursor else {})}).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def test_articles_page_through_every_article_once(client, store):
    with sqlite3.connect(store) as conn:
        total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    items = _all(client, "/api/articles", limit=2)
    assert len(items) == total == len({i["id"] for i in items})


def test_events_pages_are_disjoint_and_in_date_order(client):
    paged = _all(client, "/api/events", limit=3)
    whole = client.get("/api/events", params={"limit": 500}).json()["items"]
    assert [e["event_id"] for e in paged] == [e["event_id"] for e in whole]
    dates = [e["date"]["value"] for e in whole if e["date"]]
    assert dates == sorted(dates)


def test_article_detail_offsets_point_into_the_body(client):
    first = client.get("/api/articles", params={"limit": 50}).json()["items"]
    article_id = next(a["id"] for a in first if a["events"])
    body = client.get(f"/api/articles/{article_id}").json()
    text = body["article"]["text"]
    assert body["events"] and body["mentions"] and body["sentences"]
    for m in body["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"]
    for e in body["events"]:
        for ev in e["evidence"]:
            assert text[ev["trigger_start"]:ev["trigger_end"]] == ev["trigger"]
    for s in body["statements"]:
        assert text[s["content_start"]:s["content_end"]] == s["content"]


@pytest.mark.parametrize(("url", "status", "code"), [
    ("/api/articles/nosuchid", 404, "not_found"),
    ("/api/actors/XXX-none", 404, "not_found"),
    ("/api/search?q=%22open", 400, "bad_query"),
    ("/api/search?q=a%20AND", 400, "bad_query"),
    ("/api/events?type=WAVE", 422, "invalid_parameter"),
    ("/api/events?since=yesterday", 422, "invalid_parameter"),
    ("/api/events?dyad=CHN", 400, "bad_query"),
    ("/api/articles?cursor=not-a-cursor", 400, "bad_query"),
    ("/api/articles?limit=0", 422, "invalid_parameter"),
    ("/api/timeline", 422, "invalid_parameter"),
    ("/api/nothing-here", 404, "not_found"),
])
def test_errors_are_json_with_a_code(client, url, status, code):
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_a_cursor_of_another_endpoint_is_refused(client):
    cursor = client.get("/api/events", params={"limit": 1}).json()["next_cursor"]
    assert client.get("/api/articles", params={"cursor": cursor}).status_code == 400


def test_search_marks_the_matched_words(client):
    hits = client.get("/api/search", params={"q": "memorandum"}).json()
    assert hits and "[[memorandum]]" in hits[0]["snippet"].lower()


def test_actors_rank_the_store_and_find_kb_names(client):
    items = client.get("/api/actors").json()["items"]
    assert items[0]["events"] >= items[-1]["events"] > 0
    found = client.get("/api/actors", params={"q": "kenya"}).json()["items"]
    assert found[0]["id"] == "KEN" and found[0]["events"] > 0
    detail = client.get("/api/actors/KEN").json()
    assert "BRA" in {p["id"] for p in detail["partners"]}


def test_every_response_forbids_inline_script(client):
    policy = client.get("/api/stats").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_stats_count_the_store(client):
    stats = client.get("/api/stats").json()
    assert stats["articles"] >= stats["analysed"] > 0 and stats["consolidated"] > 0


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds not present")
def test_seed_timeline_matches_the_store_api(client, store):
    items = _all(client, "/api/timeline", a="CHN", b="BLR", limit=4)
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    expected = timeline(conn, EventFilter(dyad=("CHN", "BLR")))
    assert [i["id"] for i in items] == [e.id for e in expected]
    dates = {i["date"] for i in items}
    assert {"2023-02", "2023-12-04", "2025-05-21", "2025-06-04"} <= dates
    meeting = next(i for i in items if i["date"] == "2025-06-04" and i["type"] == "CONSULT")
    best = meeting["mentions"][0]
    assert best["event_id"] == meeting["best_event"] == next(e for e in expected if e.id == meeting["id"]).best_event
    text = client.get(f"/api/articles/{best['article_id']}").json()["article"]["text"]
    assert text[best["evidence_start"]:best["evidence_end"]] == best["evidence"]


def test_trends_and_partners_agree_with_the_analysis_layer(client, store):
    from communique.analysis.partners import partners
    from communique.analysis.trends import trends

    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    expected = trends(conn, "KEN", "BRA", "year")
    body = client.get("/api/trends", params={"a": "KEN", "b": "BRA", "by": "year"}).json()
    assert [p["period"] for p in body["periods"]] == [p.period for p in expected.periods]
    assert [p["events"] for p in body["periods"]] == [p.tally.events for p in expected.periods]
    assert sum(p["events"] for p in body["periods"]) > 0
    ranked = client.get("/api/partners", params={"a": "KEN"}).json()
    assert [p["partner"] for p in ranked] == [p.actor for p in partners(conn, "KEN", limit=50)]
    assert client.get("/api/trends", params={"a": "KEN", "by": "week"}).status_code == 422


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds not present")
def test_seed_claims_carry_their_verdicts_and_events(client):
    items = _all(client, "/api/claims", limit=2)
    second = next(c for c in items if c["claim"]["text"].startswith("his second visit"))
    assert second["check"]["verdict"] == "supported"
    assert [e["date_value"] for e in second["events"]] == ["2023-02", "2023-12-03"]
    fifteenth = next(c for c in items if c["claim"]["text"].startswith("the 15th time"))
    assert fifteenth["check"]["verdict"] == "not enough data"
    only = client.get("/api/claims", params={"verdict": "supported", "limit": 500}).json()["items"]
    assert only and {c["check"]["verdict"] for c in only} == {"supported"}
