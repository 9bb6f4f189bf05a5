"""Date and time expressions: detection, spans and TimeML values against a publication date.

Every sentence here is invented for the test. The default publication date (DCT) is
Tuesday 5 December 2023.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communique.extract.time import TimeLexicon, extract_times
from communique.records import Precision, TimeExpression, TimexType

DCT = dt.date(2023, 12, 5)  # a Tuesday
DATE, TIME, DURATION, SET = TimexType.DATE, TimexType.TIME, TimexType.DURATION, TimexType.SET


def find(text: str, phrase: str, published: dt.date | None = DCT,
         sentences: list[tuple[int, int]] | None = None) -> TimeExpression:
    """The one expression whose text is `phrase`, checked against its offsets."""
    found = extract_times(text, published, sentences)
    for expr in found:
        assert text[expr.start:expr.end] == expr.text
    matches = [e for e in found if e.text == phrase]
    assert len(matches) == 1, f"{phrase!r} not found once in {[e.text for e in found]}"
    assert matches[0].start == text.index(phrase)
    return matches[0]


@pytest.mark.parametrize(("text", "phrase", "value", "precision"), [
    ("The talks opened on December 05, 2023 in Geneva.", "December 05, 2023", "2023-12-05", Precision.DAY),
    ("The envoy arrived on Dec. 4, 2023, officials said.", "Dec. 4, 2023", "2023-12-04", Precision.DAY),
    ("The accord was signed on 5 December 2023.", "5 December 2023", "2023-12-05", Precision.DAY),
    ("A statement dated 2023-12-04 was released.", "2023-12-04", "2023-12-04", Precision.DAY),
    ("The ministers last met in February 2023.", "February 2023", "2023-02", Precision.MONTH),
    ("Relations were normalised in 2019.", "2019", "2019", Precision.YEAR),
    ("The embassy reopened in the 1990s.", "the 1990s", "199", Precision.DECADE),
    ("Fighting resumed in the late 1970s.", "the late 1970s", "197", Precision.DECADE),
    ("Border disputes date from the 19th century.", "the 19th century", "18", Precision.CENTURY),
    ("The summit of Saturday, Nov. 25 ended early.", "Saturday, Nov. 25", "2023-11-25", Precision.DAY),
])
def test_time_absolute_dates(text: str, phrase: str, value: str, precision: Precision) -> None:
    expr = find(text, phrase)
    assert (expr.type, expr.value, expr.precision) == (DATE, value, precision)


@pytest.mark.parametrize(("text", "phrase", "value"), [
    ("The leaders met on June 4 in Minsk.", "June 4", "2023-06-04"),
    ("Parliament ratified the deal on May 21.", "May 21", "2023-05-21"),
    ("Trade talks stalled in October.", "October", "2023-10"),
    # past tense, but the month-day would fall months after the DCT: the year before
    ("The treaty was signed on March 3.", "March 3", "2023-03-03"),
    ("The delegation will return on Jan. 15.", "Jan. 15", "2024-01-15"),
    ("The new round of talks is scheduled for January.", "January", "2024-01"),
    ("Exports fell in January, the ministry said.", "January", "2023-01"),
])
def test_time_partial_dates_take_the_year_from_the_dct(text: str, phrase: str, value: str) -> None:
    assert find(text, phrase).value == value


@pytest.mark.parametrize(("published", "text", "phrase", "value"), [
    (dt.date(2023, 1, 10), "The two sides signed the accord on Oct. 3.", "Oct. 3", "2022-10-03"),
    (dt.date(2023, 1, 10), "The minister visited Hanoi in November.", "November", "2022-11"),
    (dt.date(2023, 11, 20), "The minister plans to visit Hanoi in February.", "February", "2024-02"),
])
def test_time_month_without_year_near_new_year(published: dt.date, text: str, phrase: str, value: str) -> None:
    assert find(text, phrase, published).value == value


@pytest.mark.parametrize(("text", "phrase", "type_", "value"), [
    # a weekday in past-tense reporting: the last such day on or before the DCT
    ("Xi met Lukashenko on Monday in Beijing.", "Monday", DATE, "2023-12-04"),
    ("The Belarusian leader landed in Beijing on Sunday.", "Sunday", DATE, "2023-12-03"),
    ("The foreign ministry said on Tuesday that talks went well.", "Tuesday", DATE, "2023-12-05"),
    ("Officials said Wednesday that the border was calm.", "Wednesday", DATE, "2023-11-29"),
    # a future cue in the clause: the next such day
    ("The two presidents will meet again on Friday.", "Friday", DATE, "2023-12-08"),
    ("The envoy is to fly to Hanoi on Monday.", "Monday", DATE, "2023-12-11"),
    ("Delegates are scheduled to arrive on Tuesday.", "Tuesday", DATE, "2023-12-05"),
    ("The president spoke on Tuesday afternoon.", "Tuesday afternoon", TIME, "2023-12-05TAF"),
    ("Talks continued last Friday.", "last Friday", DATE, "2023-12-01"),
    ("Talks resume next Monday.", "next Monday", DATE, "2023-12-11"),
])
def test_time_weekdays(text: str, phrase: str, type_: TimexType, value: str) -> None:
    expr = find(text, phrase)
    assert (expr.type, expr.value) == (type_, value)


def test_time_weekday_tense_is_read_in_its_own_sentence() -> None:
    text = "The summit will open soon. On Monday, delegates arrived in Doha."
    sentences = [(0, 26), (27, len(text))]
    assert find(text, "Monday", sentences=sentences).value == "2023-12-04"


@pytest.mark.parametrize(("text", "phrase", "value", "precision", "mod"), [
    ("The ministers spoke yesterday.", "yesterday", "2023-12-04", Precision.DAY, None),
    ("The ministers speak today.", "today", "2023-12-05", Precision.DAY, None),
    ("The decree takes effect tomorrow.", "tomorrow", "2023-12-06", Precision.DAY, None),
    ("Envoys met in Vienna last week.", "last week", "2023-W48", Precision.WEEK, None),
    ("The envoys meet again next month.", "next month", "2024-01", Precision.MONTH, None),
    ("Trade rose 9 percent this year.", "this year", "2023", Precision.YEAR, None),
    ("Trade fell last year.", "last year", "2022", Precision.YEAR, None),
    ("The deal will expire at the end of February.", "the end of February", "2024-02", Precision.MONTH, "END"),
    ("Xi recalled the state visit at the end of February.", "the end of February", "2023-02", Precision.MONTH, "END"),
    ("The deal expired at the end of February.", "the end of February", "2023-02", Precision.MONTH, "END"),
    ("Both sides agreed earlier this month to extend it.", "earlier this month", "2023-12", Precision.MONTH,
     "START"),
    ("The plant should open in early 2025.", "early 2025", "2025", Precision.YEAR, "START"),
    ("Exports peaked in mid-2021.", "mid-2021", "2021", Precision.YEAR, "MID"),
    ("Work will start in the third quarter.", "the third quarter", "2023-Q3", Precision.QUARTER, None),
    ("Output grew in the first half of 2022.", "the first half of 2022", "2022-H1", Precision.HALF, None),
    ("Floods hit the region last summer.", "last summer", "2023-SU", Precision.SEASON, None),
    ("Both leaders spoke this morning.", "this morning", "2023-12-05TMO", Precision.TIME, None),
    ("Both leaders spoke last night.", "last night", "2023-12-04TNI", Precision.TIME, None),
    ("The rebels have retreated two years ago.", "two years ago", "2021", Precision.YEAR, None),
    ("Talks collapsed ten days ago.", "ten days ago", "2023-11-25", Precision.DAY, None),
])
def test_time_relative_dates(text: str, phrase: str, value: str, precision: Precision, mod: str | None) -> None:
    expr = find(text, phrase)
    assert (expr.type, expr.value, expr.precision, expr.mod) == (DATE if precision is not Precision.TIME else TIME,
                                                                 value, precision, mod)


@pytest.mark.parametrize(("text", "phrase", "value"), [
    ("The summit was held on Thanksgiving Day.", "Thanksgiving Day", "2023-11-23"),
    ("Markets close on Christmas Day.", "Christmas Day", "2023-12-25"),
    ("Turnout fell in nineteen ninety-six.", "nineteen ninety-six", "1996"),
    ("Revenue rose in fiscal 2022.", "fiscal 2022", "2022"),
    ("Deliveries slipped to Q3 2024.", "Q3 2024", "2024-Q3"),
    ("Envoys met over the weekend.", "the weekend", "2023-W48-WE"),
    ("Envoys meet again this week.", "this week", "2023-W49"),
    ("Prices were higher a year ago.", "a year ago", "2022"),
    ("The rebels withdrew the day before yesterday.", "the day before yesterday", "2023-12-03"),
    ("Turnout was low in the nineties.", "the nineties", "199"),
])
def test_time_named_days_spoken_years_and_other_forms(text: str, phrase: str, value: str) -> None:
    assert find(text, phrase).value == value


def test_time_within_the_year_leaves_out_the_preposition() -> None:
    expr = find("A free-trade deal is expected within the year.", "the year")
    assert (expr.type, expr.value, expr.start, expr.end) == (DATE, "2023", 37, 45)


@pytest.mark.parametrize(("text", "phrase", "value", "begin", "finish"), [
    ("Trade grew 20 percent in the first three quarters of this year.", "the first three quarters", "P3Q",
     "2023-Q1", "2023-Q3"),
    ("Trade grew in the first nine months of 2022.", "the first nine months", "P9M", "2022-01", "2022-09"),
    ("Prices doubled over the past decade.", "the past decade", "P10Y", None, None),
    ("Dozens were hurt in the past 24 hours.", "the past 24 hours", "PT24H", None, None),
    ("Shelling eased over the past three weeks.", "the past three weeks", "P3W", "2023-11-14", "2023-12-05"),
    ("Ties deepened over the past years.", "the past years", "PXY", None, None),
    ("Xi began a three-day visit.", "three-day", "P3D", None, None),
    ("The talks lasted three days.", "three days", "P3D", None, None),
    ("The truce held for 2 1/2 years.", "2 1/2 years", "P2Y6M", None, None),
    ("The blockade lasted a minute and a half.", "a minute and a half", "PT1M30S", None, None),
    ("The sides have talked for years.", "years", "PXY", None, None),
    ("Talks may take several weeks.", "several weeks", "PXW", None, None),
])
def test_time_durations(text: str, phrase: str, value: str, begin: str | None, finish: str | None) -> None:
    expr = find(text, phrase)
    assert (expr.type, expr.value, expr.precision, expr.begin, expr.finish) == (DURATION, value, None, begin, finish)


def test_time_first_quarters_of_this_year_keep_the_year_as_its_own_expression() -> None:
    text = "Trade grew 20 percent in the first three quarters of this year."
    assert [(e.text, e.value) for e in extract_times(text, DCT)] == [
        ("the first three quarters", "P3Q"), ("this year", "2023")]


@pytest.mark.parametrize(("text", "phrase", "mod"), [
    ("The two countries have been at odds for nearly forty years.", "nearly forty years", "LESS_THAN"),
    ("Inspectors stayed for more than four hours.", "more than four hours", "MORE_THAN"),
    ("The ban applies for at least 30 days.", "at least 30 days", "EQUAL_OR_MORE"),
])
def test_time_duration_modifiers_are_part_of_the_span(text: str, phrase: str, mod: str) -> None:
    assert find(text, phrase).mod == mod


@pytest.mark.parametrize(("text", "phrase", "begin", "finish"), [
    ("The two countries have been allies since 1994.", "1994", "1994", None),
    ("The embargo remains in force until 2026.", "2026", None, "2026"),
])
def test_time_since_and_until_bound_a_period(text: str, phrase: str, begin: str | None, finish: str | None) -> None:
    expr = find(text, phrase)
    assert (expr.value, expr.begin, expr.finish) == (phrase, begin, finish)


@pytest.mark.parametrize(("text", "phrase", "value"), [
    ("The commission meets every year.", "every year", "P1Y"),
    ("The report is updated annually.", "annually", "P1Y"),
    ("Ministers hold weekly consultations.", "weekly", "P1W"),
    ("Flights leave every Monday.", "every Monday", "XXXX-WXX-1"),
    ("Pilgrims gather each July.", "each July", "XXXX-07"),
    ("The plant ships 40,000 tonnes a year.", "a year", "P1Y"),
    ("Patrols pass twice a day.", "twice a day", "P1D"),
])
def test_time_sets(text: str, phrase: str, value: str) -> None:
    expr = find(text, phrase)
    assert (expr.type, expr.value, expr.precision) == (SET, value, None)


@pytest.mark.parametrize(("text", "phrase", "value"), [
    ("The plane landed at 08:35 on Monday.", "08:35", "2023-12-04T08:35"),
    ("The ceremony began at 3 p.m.", "3 p.m.", "2023-12-05T15:00"),
    ("The ceasefire will start at midnight Friday.", "midnight Friday", "2023-12-08T24:00"),
    ("Talks broke off at 10 p.m. Sunday.", "10 p.m. Sunday", "2023-12-03T22:00"),
    ("The blast occurred at 0735 GMT on Friday.", "0735 GMT", "2023-12-01T07:35"),
])
def test_time_clock_times(text: str, phrase: str, value: str) -> None:
    expr = find(text, phrase)
    assert (expr.type, expr.value, expr.precision) == (TIME, value, Precision.TIME)


@pytest.mark.parametrize(("text", "phrase", "value"), [
    ("The ministers are now in Geneva.", "now", "PRESENT_REF"),
    ("The agency recently opened an office.", "recently", "PAST_REF"),
    ("Trade may grow in the future.", "the future", "FUTURE_REF"),
    ("Both sides want a deal as soon as possible.", "as soon as possible", "FUTURE_REF"),
    ("Under current rules, visas take weeks.", "current", "PRESENT_REF"),
])
def test_time_references(text: str, phrase: str, value: str) -> None:
    expr = find(text, phrase)
    assert (expr.type, expr.value, expr.precision) == (DATE, value, None)


@pytest.mark.parametrize(("text", "phrase", "value"), [
    ("Sales rose in the third quarter. A year earlier they fell.", "A year earlier", "2022-Q3"),
    ("Sales rose in the third quarter, up from the year-earlier quarter.", "the year-earlier quarter", "2022-Q3"),
    ("The accord was signed in 1995. The following year, trade doubled.", "The following year", "1996"),
    ("The war ended in 1998. A peace deal was signed two years later.", "two years later", "2000"),
    ("The envoy arrived on Nov. 2. The next day, talks began.", "The next day", "2023-11-03"),
])
def test_time_expressions_that_count_from_an_earlier_date(text: str, phrase: str, value: str) -> None:
    assert find(text, phrase).value == value


@pytest.mark.parametrize(("text", "phrase", "value"), [
    ("The leaders met on June 4.", "June 4", "XXXX-06-04"),
    ("The leaders met on Monday.", "Monday", "XXXX-WXX-1"),
    ("Trade fell last year.", "last year", "XXXX"),
    ("The envoy arrived yesterday.", "yesterday", "XXXX-XX-XX"),
    ("Talks resume next week.", "next week", "XXXX-WXX"),
    ("Output rose in the third quarter.", "the third quarter", "XXXX-Q3"),
    ("The embassy reopened in 2019.", "2019", "2019"),
    ("The two countries signed the pact on 4 June 2025.", "4 June 2025", "2025-06-04"),
])
def test_time_without_publication_date_never_guesses_a_year(text: str, phrase: str, value: str) -> None:
    assert find(text, phrase, published=None).value == value


@pytest.mark.parametrize("text", [
    "Delegates from 150 countries attended.",
    "Growth slowed to 3.5 percent.",
    "It was the 15th time the council met.",
    "Officials may meet to discuss the plan.",
    "Prime Minister Theresa May spoke to reporters.",
    "The army sent 2000 troops to the border.",
    "Some 2000 protesters gathered outside.",
    "A 6-year-old girl was rescued.",
    "The firm raised its quarterly dividend.",
    "Talks will resume as soon as the ceasefire holds.",
    "Protesters march through the capital.",
    "Imports cover about three-quarters of its food needs.",
    "The report appeared in China Daily on its front page.",
    "He told USA Today he had no comment.",
])
def test_time_not_a_time_expression(text: str) -> None:
    assert extract_times(text, DCT) == []


def test_time_offsets_index_the_text_and_results_are_in_order() -> None:
    text = ("BEIJING, Dec. 4 -- Chinese President Xi Jinping held talks on Monday with his Belarusian "
            "counterpart, who arrived on Sunday for a three-day state visit. The two sides signed a plan "
            "for 2024-2026 and agreed to meet again next year.")
    found = extract_times(text, DCT)
    assert [(e.text, e.value) for e in found] == [
        ("Dec. 4", "2023-12-04"), ("Monday", "2023-12-04"), ("Sunday", "2023-12-03"),
        ("three-day", "P3D"), ("2024", "2024"), ("2026", "2026"), ("next year", "2024")]
    assert all(text[e.start:e.end] == e.text for e in found)
    assert [e.start for e in found] == sorted(e.start for e in found)


_WORDS = ("the", "a", "of", "on", "in", "last", "next", "this", "that", "following", "year", "years", "month",
          "week", "weekend", "Monday", "Friday", "May", "March", "Dec.", "4,", "15th", "1999", "2023", "three", "ago",
          "earlier", "later", "quarter", "third", "first", "nine", "months", "since", "until", "summer", "today",
          "yesterday", "now", "daily", "every", "3", "p.m.", "08:35", "early", "mid-", "'90s", "1990s", "Q3", "fiscal",
          "Thanksgiving", "said", "will", ",", ".")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=30), st.sampled_from([DCT, dt.date(2000, 2, 29), None]))
def test_time_offsets_hold_and_no_year_is_guessed(words: list[str], published: dt.date | None) -> None:
    text = " ".join(words)
    found = extract_times(text, published)
    assert all(text[e.start:e.end] == e.text and e.start < e.end for e in found)
    assert [e.start for e in found] == sorted(e.start for e in found)
    if published is None:  # every year in a value is written in the text, or counted from one that is
        years = [int(y) for y in re.findall(r"\d{4}", text)]
        for e in found:
            if e.type in (DATE, TIME) and re.match(r"\d{4}", e.value):
                assert any(abs(int(e.value[:4]) - y) <= 10 for y in years), (text, e)


def test_time_lexicon_is_data_that_users_can_extend() -> None:
    data = tomllib.loads(resources.files("communique.data").joinpath("time.toml").read_text("utf-8"))
    data["holidays"]["fixed"]["Unity Day"] = "09-17"
    lexicon = TimeLexicon.from_dict(data)
    text = "Parades were held on Unity Day."
    assert [(e.text, e.value) for e in extract_times(text, DCT, lexicon=lexicon)] == [("Unity Day", "2023-09-17")]
    assert extract_times(text, DCT) == []


def test_time_lexicon_loads_from_a_file(tmp_path: Path) -> None:
    text = resources.files("communique.data").joinpath("time.toml").read_text("utf-8")
    path = tmp_path / "time.toml"
    path.write_text(text.replace('"Boxing Day" = "12-26"', '"Boxing Day" = "12-26"\n"Unity Day" = "09-17"'),
                    encoding="utf-8")
    found = extract_times("Parades were held on Unity Day.", DCT, lexicon=TimeLexicon.load(path))
    assert [(e.start, e.end, e.value) for e in found] == [(21, 30, "2023-09-17")]


def test_time_expressions_survive_as_dicts() -> None:
    expr = find("Trade grew in the first nine months of 2022.", "the first nine months")
    assert expr.as_dict() == {"start": 14, "end": 35, "text": "the first nine months", "type": "DURATION",
                              "value": "P9M", "precision": None, "mod": None, "begin": "2022-01",
                              "finish": "2022-09"}
