"""The pure grouping of mentions into consolidated events (no store, no model)."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.analysis import Mention, Rules, group
from communique.analysis.consolidate import _canonical, _Cluster, _Clusters, _preference, interval, nested
from communique.errors import ConfigError

RULES = Rules.load()


def _m(event_id: str, date: str | None = "2024-03-13", *, article: str = "a1", type: str = "CONSULT",
       source: str | None = "CHL", target: str | None = "PER", mutual: bool = True, place: str | None = None,
       modality: str = "asserted") -> Mention:
    precision = {10: "day", 7: "month", 4: "year"}.get(len(date or ""), None)
    return Mention(event_id, article, 0, type, None, source, target, mutual, date, precision, "sentence",
                   place, place, modality, 0.8, 1, 1.0)


@pytest.mark.parametrize(("a", "b", "fits"), [
    ("2023-12", "2023-12-04", True),
    ("2023-12", "2023-11-30", False),
    ("2023", "2023-02-14", True),
    ("2023-Q4", "2023-12-04", True),
    ("2023-Q4", "2023-09-30", False),
    ("2023-W49", "2023-12-04", True),
    ("2023-12-03", "2023-12-04", False),
])
def test_consolidate_dates_fit_when_one_period_holds_the_other(a, b, fits):
    assert nested(interval(a), interval(b)) is fits


@pytest.mark.parametrize("value", [None, "", "XXXX-06-04", "PRESENT_REF", "202X", "2023-02-30"])
def test_consolidate_dates_without_a_known_year_have_no_interval(value):
    assert interval(value) is None


def test_consolidate_three_tellings_one_event_in_any_order():
    mentions = [_m("e1", article="a1"), _m("e2", article="a2", source="PER", target="CHL"),
                _m("e3", article="a3", mutual=False), _m("e4", "2024-03", article="a4")]
    results = {tuple((g.id, tuple(sorted(m.event_id for m in g.members))) for g in group(order, RULES))
               for order in itertools.permutations(mentions)}
    assert len(results) == 1
    [(gid, members)] = results.pop()
    assert members == ("e1", "e2", "e3", "e4") and len(gid) == 16


def test_consolidate_same_pair_a_week_apart_stays_two():
    groups = group([_m("e1"), _m("e2", "2024-03-20", article="a2")], RULES)
    assert sorted(g.date_value for g in groups) == ["2024-03-13", "2024-03-20"]


def test_consolidate_month_mention_prefers_its_own_articles_group():
    groups = group([_m("e1", "2024-03-13", article="a1"), _m("e2", "2024-03-13", article="a2"),
                    _m("e3", "2024-03-20", article="a3"), _m("e4", "2024-03", article="a3")], RULES)
    week_later = next(g for g in groups if g.date_value == "2024-03-20")
    assert {m.event_id for m in week_later.members} == {"e3", "e4"}


@pytest.mark.parametrize(("other", "together"), [
    ({"type": "COOPERATE"}, False),  # CONSULT is a family of its own
    ({"source": "PER", "target": "CHL"}, True),  # a mutual pair in either order
    ({"mutual": False}, True),  # a directed telling of a mutual meeting
    ({"place": "PER"}, True),  # an unknown place fits any
    ({"modality": "pledged"}, False),  # announced and done stay apart
    ({"date": None}, False),  # undated mentions never join dated groups
    ({"date": "2024"}, True),
    ({"target": "BOL"}, False),
])
def test_consolidate_compatibility_rules(other, together):
    first = _m("e1")
    date = other.pop("date", "2024-03-13")
    second = replace(_m("e2", date, article="a2"), **{k: v for k, v in other.items() if k != "place"},
                     **({"place": other["place"], "place_country": other["place"]} if "place" in other else {}))
    assert (len(group([first, second], RULES)) == 1) is together


def test_consolidate_agree_and_cooperate_are_one_family_typed_by_majority():
    groups = group([_m("e1", type="AGREE"), _m("e2", type="COOPERATE", article="a2"),
                    _m("e3", type="AGREE", article="a3")], RULES)
    assert [(g.type, g.bucket.family, len(g.members)) for g in groups] == [("AGREE", "AGREE", 3)]


def test_consolidate_opposite_directions_and_places_stay_apart():
    sanctions = [_m("e1", type="SANCTION", source="NOR", target="ISL", mutual=False),
                 _m("e2", type="SANCTION", source="ISL", target="NOR", mutual=False, article="a2")]
    assert len(group(sanctions, RULES)) == 2
    meetings = [_m("e1", place="CHL"), _m("e2", place="PER", article="a2")]
    assert len(group(meetings, RULES)) == 2


def test_consolidate_negated_and_hypothetical_are_not_consolidated():
    assert group([_m("e1", modality="negated"), _m("e2", modality="hypothetical")], RULES) == []


def test_consolidate_undated_mentions_group_within_their_article():
    groups = group([_m("e1", None), _m("e2", None), _m("e3", None, article="a2")], RULES)
    assert sorted(len(g.members) for g in groups) == [1, 2]


def test_consolidate_id_does_not_move_when_an_unrelated_mention_arrives():
    base = [_m("e1"), _m("e2", article="a2")]
    before = {g.id for g in group(base, RULES)}
    after = {g.id for g in group([*base, _m("e9", "2024-03-20", article="a9"),
                                  _m("e8", type="SANCTION", article="a8")], RULES)}
    assert before < after


def test_consolidate_rules_must_cover_every_type_once():
    with pytest.raises(ConfigError, match="E530"):
        Rules.from_dict({"families": {"CONSULT": ["CONSULT"]}})
    with pytest.raises(ConfigError, match="E531"):
        Rules.from_dict({"families": {name: list(types) for name, types in RULES.family_types.items()},
                         "rules": {"modalities": ["maybe"]}})


def _every_group_scanned(mentions: list[Mention]) -> list[tuple[str, ...]]:
    """The greedy pass without the index of `_Clusters`: every mention compared with every group."""
    clusters: list[_Cluster] = []
    for m in sorted(mentions, key=lambda m: _canonical(m, interval(m.date_value))):
        span = interval(m.date_value)
        fits = [c for c in clusters if c.accepts(m, span, RULES)]
        best = min(fits, key=lambda c: (*(_preference(r, c, m) for r in RULES.ambiguous), c.members[0].event_id)) \
            if fits else None
        if best is None:
            best = _Cluster(m.modality, span, None, m.place_country)
            clusters.append(best)
        best.add(m, span)
    return sorted(tuple(sorted(m.event_id for m in c.members)) for c in clusters)


@pytest.mark.issue(6)
@pytest.mark.parametrize("scan", [0, 32])  # 0: every dated choice walks the ranking
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=st.lists(st.tuples(st.sampled_from(["2024-03-13", "2024-03-14", "2024-03-20", "2024-03", "2024-W11",
                                           "2024-Q1", "2024-H1", "2024", "2024-02-29"]),
                          st.sampled_from(["a1", "a2", "a3"]), st.booleans(), st.sampled_from([None, "CHL", "PER"]),
                          st.sampled_from(["asserted", "pledged"]), st.booleans()), max_size=14))
def test_consolidate_indexed_pass_equals_comparing_every_group(monkeypatch, scan, drawn):
    monkeypatch.setattr(_Clusters, "_SCAN", scan)
    mentions = [replace(_m(f"e{n:02d}", date, article=article, mutual=mutual, place=place, modality=modality),
                        source="PER" if flip else "CHL", target="CHL" if flip else "PER")
                for n, (date, article, mutual, place, modality, flip) in enumerate(drawn)]
    grouped = sorted(tuple(sorted(m.event_id for m in g.members)) for g in group(mentions, RULES))
    assert grouped == _every_group_scanned(mentions)
