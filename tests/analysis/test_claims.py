"""The pure claim check on synthetic claims and consolidated events (no model, no store)."""

from __future__ import annotations

import datetime as dt

import pytest

from communique.analysis.claims import CheckRules, Coverage, StoredEvent, Verdict, check, covers, occasions
from communique.records import Claim, ClaimKind, ClaimPeriod, Evidence, Modality, Participant, PloverType

RULES = CheckRules.load()
SINCE_2019 = Coverage(dt.date(2019, 6, 1))  # covers "2019" and later, not "2018"
SINCE_2024 = Coverage(dt.date(2024, 2, 10))
LATE = Coverage(dt.date(2025, 1, 10))  # covers no part of 2024


def claim(kind: str = "ordinal", number: int = 2, period: tuple[str | None, str] | None = ("2024", "2024"),
          date: str | None = "2024-06-12", mode: str | None = "visit", mutual: bool = False,
          qualifier: str = "exact", series: str | None = None, event_type: str = "CONSULT") -> Claim:
    """A claim of Kenya's president about Japan ("his second visit to Japan this year")."""
    return Claim(claim_id="c1", article_id="a1", sentence=0, start=0, end=10, text="his second", kind=ClaimKind(kind),
                 number=number, qualifier=qualifier, noun="visit", event_type=PloverType(event_type), mode=mode,
                 subject=Participant("his", 0, 3, "person:kenyan-president", "KEN"),
                 counterpart=Participant("Japan", 20, 25, None, "JPN"), mutual=mutual,
                 period=ClaimPeriod(period[0], period[1], "this year") if period else None, series=series,
                 event_id=None, date=date, modality=Modality.ASSERTED, evidence=Evidence(0, 0, 40, "second", 4, 10),
                 coder="test")


def ev(id_: str, date: str | None, side_a: str = "KEN", side_b: str = "JPN", mode: str | None = "visit",
       mutual: bool = False, modality: str = "asserted", family: str = "CONSULT", cameo: str = "042") -> StoredEvent:
    return StoredEvent(id_, family, family, mode, modality, side_a, side_b, mutual, date, cameo)


VISITS = [ev("feb", "2024-02-20"), ev("jun", "2024-06-12")]


@pytest.mark.parametrize(("number", "events", "coverage", "verdict", "ids"), [
    (2, VISITS, SINCE_2024, Verdict.SUPPORTED, ("feb", "jun")),
    (3, VISITS, SINCE_2024, Verdict.CONTRADICTED, ("feb", "jun")),  # covered: only two
    (1, VISITS, SINCE_2024, Verdict.CONTRADICTED, ("feb", "jun")),  # one visit too many, whatever the coverage
    (1, VISITS, LATE, Verdict.CONTRADICTED, ("feb", "jun")),
    (2, VISITS, LATE, Verdict.NOT_ENOUGH_DATA, ("feb", "jun")),  # an earlier visit may be missing
    (3, VISITS, LATE, Verdict.NOT_ENOUGH_DATA, ("feb", "jun")),
])
def test_claims_ordinal(number, events, coverage, verdict, ids):
    result = check(claim(number=number), events, coverage, RULES)
    assert (result.verdict, result.events, result.found) == (verdict, ids, 2)


def test_claims_ordinal_counts_only_the_subjects_visits_to_the_counterpart_in_the_period():
    noise = [ev("host", "2024-03-01", "JPN", "KEN"),  # Japan's visit to Kenya: the other direction
             ev("meet", "2024-04-01", mode=None),  # a meeting, not a visit
             ev("old", "2023-11-01"),  # before the period
             ev("later", "2024-08-01"),  # after the claimed occasion
             ev("plan", "2024-05-01", modality="pledged"),
             ev("china", "2024-05-02", side_b="CHN"),
             ev("undated", None),
             ev("sanction", "2024-05-03", family="SANCTION")]
    result = check(claim(), VISITS + noise, SINCE_2024, RULES)
    assert (result.verdict, result.found, result.events) == (Verdict.SUPPORTED, 2, ("feb", "jun"))


def test_claims_ordinal_a_hosted_visit_counts_for_the_guest():
    hosted = ev("hosted", "2024-04-01", "JPN", "KEN", cameo="043")  # "Kishida hosted Ruto in Tokyo"
    result = check(claim(number=3), [*VISITS, hosted], SINCE_2024, RULES)
    assert (result.verdict, result.found, result.events) == (Verdict.SUPPORTED, 3, ("feb", "hosted", "jun"))
    guest = ev("guest", "2024-04-01", "JPN", "KEN", cameo="042")  # Japan's visit to Kenya does not count
    assert check(claim(number=3), [*VISITS, guest], SINCE_2024, RULES).verdict is Verdict.CONTRADICTED


def test_claims_ordinal_a_planned_occasion_the_store_lacks_still_counts_once():
    result = check(claim(date="2024-09-01"), VISITS[:1], SINCE_2024, RULES)  # "will make his second visit"
    assert (result.verdict, result.found, result.events) == (Verdict.SUPPORTED, 2, ("feb",))


def test_claims_ordinal_an_arrival_and_the_next_days_talks_are_one_occasion():
    meetings = [ev("arrive", "2024-02-19"), ev("talks", "2024-02-20", mode=None, mutual=True), ev("jun", "2024-06-12")]
    result = check(claim(mode=None), meetings, SINCE_2024, RULES)
    assert (result.verdict, result.found) == (Verdict.SUPPORTED, 2)
    assert result.events == ("arrive", "talks", "jun")


def test_claims_ordinal_without_a_period_is_never_covered():
    result = check(claim(number=2, period=None), VISITS, SINCE_2019, RULES)
    assert (result.verdict, result.covered, result.found) == (Verdict.NOT_ENOUGH_DATA, False, 2)


@pytest.mark.parametrize(("coverage", "events", "verdict", "ids"), [
    (SINCE_2019, [ev("old", "2019-05-01"), ev("jun", "2024-06-12")], Verdict.SUPPORTED, ("jun",)),
    (SINCE_2019, [ev("in2019", "2019-12-01"), ev("in2022", "2022-01-10"), ev("jun", "2024-06-12")],
     Verdict.CONTRADICTED, ("in2022",)),
    (SINCE_2024, [ev("jun", "2024-06-12")], Verdict.NOT_ENOUGH_DATA, ()),
    (SINCE_2024, [ev("in2022", "2022-01-10"), ev("jun", "2024-06-12")], Verdict.CONTRADICTED, ("in2022",)),
])
def test_claims_first_since(coverage, events, verdict, ids):
    since = claim(kind="first_since", number=1, period=("2019", "2024-06-12"), mode=None)  # "first meeting since 2019"
    result = check(since, events, coverage, RULES)
    assert (result.verdict, result.events) == (verdict, ids)


@pytest.mark.parametrize(("number", "qualifier", "coverage", "verdict"), [
    (3, "exact", SINCE_2024, Verdict.SUPPORTED),
    (4, "exact", SINCE_2024, Verdict.CONTRADICTED),
    (2, "exact", SINCE_2024, Verdict.CONTRADICTED),
    (4, "exact", LATE, Verdict.NOT_ENOUGH_DATA),
    (3, "exact", LATE, Verdict.NOT_ENOUGH_DATA),
    (2, "exact", LATE, Verdict.CONTRADICTED),
    (2, "at_least", LATE, Verdict.SUPPORTED),
    (5, "about", LATE, Verdict.NOT_ENOUGH_DATA),
    (2, "at_most", LATE, Verdict.CONTRADICTED),
])
def test_claims_count(number, qualifier, coverage, verdict):
    # "the two leaders have met three times this year", told on 2024-07-01
    met = [ev("jan", "2024-01-15", mode=None, mutual=True), ev("mar", "2024-03-02", "JPN", "KEN", mode=None),
           ev("may", "2024-05-20", mode="visit"), ev("aug", "2024-08-01", mode=None)]
    count = claim(kind="count", number=number, qualifier=qualifier, mode=None, mutual=True, date="2024-07-01")
    result = check(count, met, coverage, RULES)
    assert (result.verdict, result.found, result.events) == (verdict, 3, ("jan", "mar", "may"))


@pytest.mark.parametrize(("change", "reason"), [
    ({"series": "joint commission"}, "series"),
    ({"period": (None, "2024-06-12")}, "has no date"),
    ({"date": None, "period": None}, "no date"),
])
def test_claims_unchecked(change, reason):
    result = check(claim(**change), VISITS, SINCE_2019, RULES)
    assert result.verdict is Verdict.NOT_ENOUGH_DATA and reason in result.reason and result.events == ()


@pytest.mark.parametrize(("earliest", "begin", "covered"), [
    ("2023-12-05", "2023", True), ("2023-12-05", "2023-12", True), ("2023-12-05", "2023-11", False),
    ("2023-12-05", "1994", False), ("2023-12-05", "2023-12-04", False), ("2023-12-05", "2024-Q1", True),
])
def test_claims_coverage_at_the_beginnings_precision(earliest, begin, covered):
    coverage = Coverage(dt.date.fromisoformat(earliest))
    assert covers(coverage, begin, RULES) is covered


def test_claims_occasions_never_merge_coarse_dates():
    merged = occasions([ev("y", "2024"), ev("a", "2024-03-01"), ev("b", "2024-03-03"), ev("c", "2024-03-06")], RULES)
    assert [[e.id for e in o] for o in merged] == [["y"], ["a", "b"], ["c"]]


@pytest.mark.parametrize("data", [{"coverage": {"begin": "loose"}}, {"count": {"modalities": ["rumoured"]}}])
def test_claims_rules_refuse_unknown_policies(data):
    from communique.analysis.consolidate import Rules
    from communique.errors import ConfigError

    with pytest.raises(ConfigError, match="E532"):
        CheckRules.from_dict(data, Rules.load())
