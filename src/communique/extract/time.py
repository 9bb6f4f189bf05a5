"""Date and time expressions in a news body, normalised against the publication date.

`extract_times` finds TimeML TIMEX3 expressions (DATE, TIME, DURATION, SET) and their
values in the manner of rule-based taggers such as HeidelTime (Strötgen and Gertz 2013,
"Multilingual and cross-domain temporal tagging"): a regular grammar built from the
vocabulary in `data/time.toml`, then normalisation against the publication date (the
document creation time, DCT) and the tense of the clause. Spans follow the TimeBank
annotation used by TempEval-3: a leading "on"/"in"/"since" is left out; determiners and
modifiers ("the", "last", "early", "nearly") are kept.

Conventions where TimeML leaves a choice:

* A weekday resolves by the tense of its clause, read from the nearest cue on its left
  in the same sentence (else the first on its right): the latest such day on or before
  the DCT (the DCT itself when the weekdays agree) in past or neutral reporting; the
  next one on or after the DCT when the cue speaks of the future ("will", "is to",
  "scheduled", "next", "as early as").
* A month or month-day without a year takes the year that puts it inside a window
  around the DCT, the DCT's own year first: up to a year back and `_LATE_DAYS` ahead in
  a past-tense clause, the reverse in a future one, and `_WINDOW_NONE` (ten months
  back, two ahead: news mostly reports the past) without a cue. So a past event is never placed months after the
  DCT, and "payable Jan. 2" written in November is next January.
* Without a DCT nothing relative is resolved and no year is guessed: "June 4" is
  "XXXX-06-04", "on Monday" "XXXX-WXX-1", "last year" "XXXX", "yesterday" "XXXX-XX-XX".
* "the end of February" is "2023-02" with mod END; "early/mid/late" give START/MID/END.
* A period the text bounds is a DURATION in the text's own unit with `begin`/`finish`:
  "the first three quarters of this year" is P3Q from 2023-Q1 to 2023-Q3 ("this year"
  stays an expression of its own, as in TimeBank), "the past three weeks" runs from
  three weeks before the DCT to the DCT. "since 1994" keeps the value "1994" with begin
  "1994"; "until/through/by 2026" sets finish.
* "the past/last decade" is the DURATION P10Y; "the past year" is the previous year
  (TimeBank's reading). "a year earlier" moves the last reported date or quarter back a
  year ("the third quarter ... a year earlier" -> 2022-Q3); "that year", "the following
  day" count from the last date mentioned, and are left out when there is none.
* SET values are durations ("weekly" -> P1W) or underspecified dates ("each July" ->
  XXXX-07, "every Thursday" -> XXXX-WXX-4).

Speed: the grammar is compiled once per lexicon. A scan finds trigger words (months,
units, digits, ...) and only the rules holding a trigger are tried, at the trigger and
at up to six grammar words to its left; a 500-word article takes under a millisecond
(bench/eval_time.py measures it).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from communique.records import Precision, TimeExpression, TimexType

_LATE_DAYS = 60  # how far past the DCT a past event (or before it a future one) may still fall
_WINDOW_NONE = (-300, 62)  # days around the DCT for a month-day in a clause without tense cue
_LEFT_CHARS, _RIGHT_CHARS = 120, 40  # how far left and right of an expression a tense cue still counts
_ANTECEDENT_CHARS = 1500  # how far back "a year earlier", "that day" look for their date, at most
_ED_REACH = 4  # how near a word in -ed must be to count as the verb of the expression
_CLOCK_UNITS = {"H": "H", "MIN": "M", "S": "S"}
_SMALLER = {"Y": (12, "M"), "H": (60, "MIN"), "MIN": (60, "S"), "D": (24, "H")}
_PRECISION = re.compile(  # the precision of a TimeML value, by the shape of the value
    r"[\dX]{4}-(?:[\dX]{2}-[\dX]{2}T(?P<time>)|W[\dX]{2}-[1-7X]$(?P<wday>)|[\dX]{2}-[\dX]{2}$(?P<day>)|W[\dX]{2}(?P<week>)"
    r"|[\dX]{2}$(?P<month>)|Q(?P<quarter>)|(?:SP|SU|FA|WI)$(?P<season>)|H(?P<half>))|[\dX]{4}$(?P<year>)"
    r"|[\dX]{3}$(?P<decade>)|[\dX]{2}$(?P<century>)")
_PRECISION_OF = {"time": Precision.TIME, "wday": Precision.DAY, "day": Precision.DAY, "week": Precision.WEEK,
                 "month": Precision.MONTH, "quarter": Precision.QUARTER, "season": Precision.SEASON,
                 "half": Precision.HALF, "year": Precision.YEAR, "decade": Precision.DECADE,
                 "century": Precision.CENTURY}


class _Tense(Enum):
    PAST = "past"
    FUTURE = "future"
    NONE = "none"


# ---- vocabulary ------------------------------------------------------------------------------

def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType({k.lower(): v for k, v in mapping.items()})


def _alt(words: Sequence[str], case: bool = False) -> str:
    """A regex alternation of `words`, longest first; spaces match any whitespace."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+").replace(" ", r"\s+") for w in ordered)
    return f"(?-i:{body})" if case else f"(?:{body})"


@dataclass(frozen=True, slots=True)
class TimeLexicon:
    """The vocabulary of `data/time.toml` (keys lowercased), with the grammar compiled from it once."""

    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    numbers: Mapping[str, int]
    ordinals: Mapping[str, int]
    units: Mapping[str, tuple[int, str]]
    seasons: Mapping[str, str]
    day_parts: Mapping[str, str]
    decade_words: Mapping[str, str]
    references: Mapping[str, str]
    reference_adjectives: Mapping[str, str]
    not_time_nouns: frozenset[str]
    sets: Mapping[str, str]
    adjectival_sets: frozenset[str]
    modifiers: Mapping[str, str]
    approximators: Mapping[str, str]
    ambiguous_months: frozenset[str]
    month_lead: frozenset[str]
    count_nouns: frozenset[str]
    holidays: Mapping[str, tuple[int, ...]]
    grammar: _Grammar

    @classmethod
    def load(cls, path: Path | None = None) -> TimeLexicon:
        """Read the vocabulary from `path`, or from the copy shipped in the package.

        Args:
            path: a TOML file in the format of `communique/data/time.toml`.

        Returns:
            The lexicon with its grammar compiled.
        """
        if path is None:
            text = resources.files("communique.data").joinpath("time.toml").read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        return cls.from_dict(tomllib.loads(text))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TimeLexicon:
        """Build a lexicon from a parsed TOML document (see `load`)."""
        cal = data["calendar"]
        months = {name: i for i, names in enumerate(cal["months"], 1) for name in names}
        holidays: dict[str, tuple[int, ...]] = {
            k: tuple(int(x) for x in v.split("-")) for k, v in data["holidays"]["fixed"].items()}
        holidays.update({k: tuple(v) for k, v in data["holidays"]["floating"].items()})
        adjectives = {k: v for k, v in data["reference_adjectives"].items() if k != "not_before"}
        return cls(
            months=_frozen(months), weekdays=_frozen({d: i for i, d in enumerate(cal["weekdays"], 1)}),
            numbers=_frozen(data["numbers"]), ordinals=_frozen(data["ordinals"]),
            units=_frozen({k: (int(v[0]), str(v[1])) for k, v in data["units"].items()}),
            seasons=_frozen(data["seasons"]), day_parts=_frozen(data["day_parts"]),
            decade_words=_frozen(data["decade_words"]), references=_frozen(data["references"]),
            reference_adjectives=_frozen(adjectives),
            not_time_nouns=frozenset(data["reference_adjectives"]["not_before"]["words"]),
            sets=_frozen(data["sets"]), adjectival_sets=frozenset(data["frequency"]["not_before_nouns"]),
            modifiers=_frozen(data["modifiers"]), approximators=_frozen(data["approximators"]),
            ambiguous_months=frozenset(cal["ambiguous_months"]), month_lead=frozenset(cal["month_lead"]),
            count_nouns=frozenset(data["years"]["count_nouns"]), holidays=_frozen(holidays),
            grammar=_Grammar.build(data, holidays),
        )


@functools.lru_cache(maxsize=1)
def default_lexicon() -> TimeLexicon:
    """The lexicon shipped with the package, loaded on first use (never at import)."""
    return TimeLexicon.load()


# ---- calendar arithmetic -------------------------------------------------------------------

def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + month - 1 + n
    return k // 12, k % 12 + 1


def _ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _shift(day: dt.date, n: int, unit: str) -> dt.date:
    """`day` moved by `n` units (D, W, M, Q, Y), clamped to the end of a shorter month."""
    if unit in ("D", "W"):
        return day + dt.timedelta(days=n * (7 if unit == "W" else 1))
    year, month = _add_months(day.year, day.month, n * {"M": 1, "Q": 3}.get(unit, 12))
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _quarter(day: dt.date, n: int = 0) -> str:
    """The quarter `n` quarters from the one holding `day` ("2023-Q4")."""
    year, month = _add_months(day.year, day.month, 3 * n)
    return f"{year:04d}-Q{(month - 1) // 3 + 1}"


def _weekday_near(day: dt.date, weekday: int, forward: bool, strict: bool = False) -> dt.date:
    """The nearest `weekday` (1 = Monday) on or before `day`, or on or after it when `forward`."""
    gap = (weekday - day.isoweekday()) % 7 if forward else (day.isoweekday() - weekday) % 7
    if strict and gap == 0:
        gap = 7
    return day + dt.timedelta(days=gap if forward else -gap)


def _nth_weekday(year: int, month: int, nth: int, weekday: int) -> dt.date:
    """The `nth` `weekday` of a month (nth = -1: the last one)."""
    if nth < 0:
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))


def _shift_value(value: str, years: int) -> str:
    """A TimeML date value moved by whole years ("2023-Q3", -1 -> "2022-Q3")."""
    if not value[:4].isdigit():
        return value
    shifted = f"{int(value[:4]) + years:04d}{value[4:]}"
    if shifted[4:10] == "-02-29" and _day(int(shifted[:4]), 2, 29) is None:
        shifted = shifted[:8] + "28" + shifted[10:]
    return shifted


def _duration(quantity: float | None, unit: str) -> str:
    """An ISO 8601 duration: (2.5, "Y") -> P2Y6M, (None, "W") -> PXW, (3, "H") -> PT3H."""
    if quantity is None:
        return f"PTX{_CLOCK_UNITS[unit]}" if unit in _CLOCK_UNITS else f"PX{unit}"
    whole = int(quantity)
    parts = [(float(quantity), unit)]
    if quantity != whole and unit in _SMALLER:
        factor, smaller = _SMALLER[unit]
        parts = [(whole, unit), (round((quantity - whole) * factor, 3), smaller)]
    dates = "".join(f"{n:g}{u}" for n, u in parts if n and u not in _CLOCK_UNITS)
    times = "".join(f"{n:g}{_CLOCK_UNITS[u]}" for n, u in parts if n and u in _CLOCK_UNITS)
    if not dates and not times:
        return f"PT0{_CLOCK_UNITS[unit]}" if unit in _CLOCK_UNITS else f"P0{unit}"
    return "P" + dates + (f"T{times}" if times else "")


def _precision(value: str) -> Precision | None:
    found = _PRECISION.match(value)
    return _PRECISION_OF[found.lastgroup or ""] if found else None


# ---- one document ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Value:
    """What a rule makes of a match; `anchor` is False for phrases counted from another date."""

    type: TimexType
    value: str
    mod: str | None = None
    begin: str | None = None
    finish: str | None = None
    anchor: bool = True
    start: int | None = None  # when the expression starts after the match ("over" in "over the past week")
    end: int | None = None  # when it ends before the match ("three days" of "three days later")


@dataclass(slots=True)
class _Doc:
    """The state of one call: text, DCT, sentence bounds and the dates mentioned so far."""

    text: str
    dct: dt.date | None
    lex: TimeLexicon
    starts: list[int]
    ends: list[int]
    refs: list[TimeExpression]

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, pos) - 1
        return (self.starts[i], self.ends[i]) if i >= 0 else (0, len(self.text))

    def tense(self, start: int, end: int) -> _Tense:
        """The tense of the clause around [start, end): the nearest cue on the left, else on the right.

        A word in -ed counts only right before the expression ("predicted Wednesday"), not
        as an adjective further away ("the reduced dividend is payable Jan. 2"), and not
        after "be" ("will be held"); a weak future cue ("scheduled") after a past
        auxiliary ("had been scheduled") is past.
        """
        grammar = self.lex.grammar
        s0, s1 = self.sentence(start)
        s0, s1 = max(s0, start - _LEFT_CHARS), max(min(s1, end + _RIGHT_CHARS), end)
        cut = max((b.end() for b in grammar.clause_break.finditer(self.text, s0, start)), default=s0)
        cues = [c for c in grammar.tense_cue.finditer(self.text, cut, start)
                if c.lastgroup != "ed" or start - c.end() <= _ED_REACH]
        if not cues:
            stop = grammar.clause_break.search(self.text, end, s1)
            cues = list(grammar.tense_cue.finditer(self.text, end, stop.start() if stop else s1))[:1]
            if cues and cues[0].lastgroup == "ed" and cues[0].start() - end > _ED_REACH:
                return _Tense.NONE
        if not cues:
            return _Tense.NONE
        cue = cues[-1]
        if cue.lastgroup == "weak":
            past = grammar.past_aux.search(self.text, max(0, cue.start() - 30), cue.start())
            return _Tense.PAST if past else _Tense.FUTURE
        return _Tense.FUTURE if cue.lastgroup == "fut" else _Tense.PAST

    def mod(self, word: str | None) -> str | None:
        return self.lex.modifiers.get(_norm(word)) if word else None

    def antecedent(self, precisions: frozenset[Precision | None], before: int, back: int = 2,
                   reported: bool = False) -> TimeExpression | None:
        """The last date before `before` with one of `precisions`, at most `back` sentences back.

        With `reported`, only periods that have begun by the DCT count ("a year earlier"
        compares results already reported, not a forecast for next year).
        """
        i = max(bisect.bisect_right(self.starts, before) - 1 - back, 0)
        limit = max(self.starts[i] if self.starts else 0, before - _ANTECEDENT_CHARS)
        now = _quarter(self.dct) if reported and self.dct else None
        for ref in reversed(self.refs):
            if ref.start < limit:
                return None
            if ref.precision in precisions and not (now and ref.value[:7] > now):
                return ref
        return None


def _norm(words: str) -> str:
    return " ".join(words.lower().split())


def _number(words: str, lex: TimeLexicon) -> float | None:
    """The value of a number in digits or words ("twenty-four", "2 1/2", "a hundred")."""
    words = _norm(words.replace(",", "").replace("½", " 1/2"))
    if words in lex.numbers:
        return float(lex.numbers[words])
    half = 0.5 if words.endswith("1/2") else 0.0
    words = words.removesuffix("1/2").strip()
    if words and words[0].isdigit():
        return float(words) + half
    total, current = 0, 0
    for word in re.split(r"[\s-]+", words):
        value = lex.numbers.get(word)
        if value is None:
            if word in ("and", "of"):
                continue
            return None
        if value in (100, 1000):
            current = max(current, 1) * value
            if value == 1000:
                total, current = total + current, 0
        else:
            current += value
    return float(total + current) + half


def _spoken_year(words: str, lex: TimeLexicon) -> int | None:
    """"nineteen ninety-six" -> 1996, "two thousand and five" -> 2005."""
    parts = _norm(words).replace("-", " ").split()
    if parts[:2] == ["two", "thousand"]:
        rest = _number(" ".join(parts[2:]), lex) if parts[2:] else 0.0
        return None if rest is None else 2000 + int(rest)
    century = lex.numbers.get(parts[0])
    rest = _number(" ".join(parts[1:]), lex)
    if century is None or rest is None:
        return None
    return century * 100 if rest == 100 else century * 100 + int(rest)


def _year_near(dct: dt.date, month: int, day: int, tense: _Tense) -> int:
    """The year that puts a month-day inside the window of its clause's tense (module docstring)."""
    low, high = {_Tense.PAST: (-366, _LATE_DAYS), _Tense.FUTURE: (-_LATE_DAYS, 366)}.get(tense, _WINDOW_NONE)
    for year in (dct.year, dct.year - 1, dct.year + 1):
        candidate = _day(year, month, day) or dt.date(year, month, 28)
        if low <= (candidate - dct).days <= high:
            return year
    return dct.year


# ---- rules: a match and the document -> a value ----------------------------------------------

Match = re.Match[str]
Handler = Callable[[Match, _Doc], "_Value | None"]
Rule = tuple[Callable[[str, int], "Match | None"], Handler]  # a compiled rule's match method and its handler
_COARSE = frozenset({Precision.QUARTER, Precision.HALF, Precision.MONTH, Precision.YEAR, Precision.SEASON})
_DAYS = frozenset({Precision.DAY, Precision.TIME})
_DATED = _COARSE | _DAYS | {Precision.WEEK}
_QUARTERS = frozenset({Precision.QUARTER, Precision.HALF})
_QNUM = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_YEAR_REL = {"this": 0, "last": -1, "next": 1}
_REL_OFFSET = {"this": 0, "the": 0, "the current": 0, "the present": 0, "the whole": 0, "the entire": 0,
               "last": -1, "the past": -1, "the last": -1, "this past": -1, "the latest": -1,
               "next": 1, "the next": 1, "the coming": 1, "this coming": 1}
_ANAPHORIC = {"that": 0, "that same": 0, "the same": 0, "the following": 1, "the next": 1,
              "the previous": -1, "the prior": -1, "the preceding": -1}
_UNKNOWN = {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE",
            "quarter": "XXXX-QX", "decade": "XXX", "century": "XX"}
_OWN_PRECISION = {"year": Precision.YEAR, "month": Precision.MONTH, "week": Precision.WEEK,
                  "quarter": Precision.QUARTER}
_ANTECEDENTS = {"year": _DATED, "month": _DAYS | {Precision.MONTH}, "week": _DAYS | {Precision.WEEK},
                "quarter": _QUARTERS | _DAYS | {Precision.MONTH}}
_SPAN_RELS = frozenset({"the past", "the last", "the next", "the coming", "this past"})
_SEASON_INDEX = {"SP": 1, "SU": 2, "FA": 3, "WI": 4}
_RATE = re.compile(r"(?:\d|\b(?:hundreds?|thousands?|millions?|billions?|trillions?|dozens?|times|once|twice))"
                   r"(?:[\s-]+[\w$%.-]+){0,3}\s+$", re.IGNORECASE)
_OF_YEAR = re.compile(r"\s+of\s+(?:(?P<y>\d{4})|(?P<rel>this|last|next)\s+year|the\s+year)", re.IGNORECASE)
_AGO = re.compile(r"year[- ](?:ago|earlier)|last year|previous year|prior-year|a year")
_ENDED = re.compile(r"\s+(?:ended|ending|ends)\b")
_WORD_AFTER = re.compile(r"\s*([A-Za-z][\w-]*)")
_WORD_BEFORE = re.compile(r"([A-Za-z][\w-]*)\W*$")
_CAPITALISED_BEFORE = re.compile(r"(?<![\w'])[A-Z][\w'-]*[ \t]+$")
_SPOKEN_LEAD = frozenset({"in", "since", "by", "until", "of", "from", "through", "year", "to", "and"})


def _date(value: str, mod: str | None = None, anchor: bool = True) -> _Value:
    return _Value(TimexType.DATE, value, mod, anchor=anchor)


def _word_before(doc: _Doc, pos: int) -> str:
    found = _WORD_BEFORE.search(doc.text, max(0, pos - 24), pos)
    return found.group(1).lower() if found else ""


def _word_after(doc: _Doc, pos: int) -> str:
    found = _WORD_AFTER.match(doc.text, pos)
    return found.group(1) if found else ""


def _in_name(doc: _Doc, m: Match) -> bool:
    """A capitalised word right after another one: part of a name ("China Daily", "USA Today")."""
    before = _CAPITALISED_BEFORE.search(doc.text, max(0, m.start() - 24), m.start())
    return m.group()[:1].isupper() and before is not None


def _tense_of(rel: str | None, doc: _Doc, m: Match) -> _Tense:
    """The tense a "last"/"next" in the phrase gives, else the clause's."""
    rel = _norm(rel or "")
    if rel in ("last", "this past", "the previous"):
        return _Tense.PAST
    if rel in ("next", "this coming", "coming", "the following", "the next"):
        return _Tense.FUTURE
    return doc.tense(m.start(), m.end())


def _month_day_value(doc: _Doc, m: Match, month_name: str, day_text: str, year: str | None,
                     weekday: int | None = None) -> str | None:
    month = doc.lex.months[month_name.lower().rstrip(".")]
    day = int(day_text.rstrip("stndrh"))
    if year:
        found = _day(int(year), month, day)
        return found.isoformat() if found else None
    if _day(2000, month, day) is None:
        return None
    if doc.dct is None:
        return f"XXXX-{month:02d}-{day:02d}"
    if weekday is not None:  # the year in which the date falls on the weekday the text gives
        for y in (doc.dct.year, doc.dct.year - 1, doc.dct.year + 1):
            if (found := _day(y, month, day)) and found.isoweekday() == weekday:
                return found.isoformat()
    y = _year_near(doc.dct, month, day, _tense_of(m.groupdict().get("rel"), doc, m))
    return (_day(y, month, day) or dt.date(y, month, 28)).isoformat()


def _weekday_value(doc: _Doc, m: Match, weekday: int) -> str:
    rel = _norm(m.groupdict().get("rel") or "")
    if doc.dct is None:
        return f"XXXX-WXX-{weekday}"
    if rel == "this":
        return (doc.dct + dt.timedelta(days=weekday - doc.dct.isoweekday())).isoformat()
    forward = _tense_of(rel, doc, m) is _Tense.FUTURE
    strict = rel in ("last", "next", "this past", "this coming")
    return _weekday_near(doc.dct, weekday, forward, strict).isoformat()


def _day_offset(doc: _Doc, offset: int) -> str:
    return (doc.dct + dt.timedelta(days=offset)).isoformat() if doc.dct else "XXXX-XX-XX"


def _clock(text: str, lex: TimeLexicon) -> str | None:
    """"3 p.m." -> "15:00", "08:35" -> "08:35", "noon" -> "12:00", "four in the morning" -> "04:00"."""
    text = _norm(text)
    if text in ("noon", "midday"):
        return "12:00"
    if text == "midnight":
        return "24:00"
    found = re.match(r"(\d\d(?=\d\d)|\w+)(?::|\.|(?<=\d\d))?(\d\d)?\s*(?:o'clock\s+)?(.*)$", text)
    if found is None:
        return None
    hour = int(found.group(1)) if found.group(1).isdigit() else lex.numbers.get(found.group(1))
    if hour is None or hour > 24:
        return None
    suffix = found.group(3)
    if (suffix.startswith("p") or "afternoon" in suffix or "evening" in suffix) and hour < 12:
        hour += 12
    elif suffix.startswith("a") and hour == 12:
        hour = 0
    return f"{hour:02d}:{int(found.group(2) or 0):02d}"


def _year_of(m: Match, doc: _Doc, names: tuple[str, ...], rels: tuple[str, ...]) -> str | None:
    """An explicit year in the named groups, or one from "this/last/next year"."""
    groups = m.groupdict()
    for name in names:
        if groups.get(name):
            return str(groups[name])
    for name in rels:
        if groups.get(name):
            return f"{doc.dct.year + _YEAR_REL[groups[name].lower()]:04d}" if doc.dct else "XXXX"
    return None


def _part_year(doc: _Doc, m: Match, part: int, parts_per_year: int) -> str:
    """The year of a quarter or half named without one: this year's, unless it is still to come
    and the clause reports the past."""
    if doc.dct is None:
        return "XXXX"
    current = (doc.dct.month - 1) * parts_per_year // 12 + 1
    if part <= current or doc.tense(m.start(), m.end()) is _Tense.FUTURE:
        return f"{doc.dct.year:04d}"
    return f"{doc.dct.year - 1:04d}"


def _unit_value(day: dt.date, unit: str, offset: int) -> str:
    """The year/month/week/quarter/decade/century `offset` units from the one holding `day`."""
    if unit == "year":
        return f"{day.year + offset:04d}"
    if unit == "month":
        return _ym(*_add_months(day.year, day.month, offset))
    if unit == "week":
        return _week(day + dt.timedelta(days=7 * offset))
    if unit == "quarter":
        return _quarter(day, offset)
    if unit == "decade":
        return f"{day.year // 10 + offset:03d}"
    return f"{day.year // 100 + offset:02d}"


def _h_iso(m: Match, doc: _Doc) -> _Value | None:
    day = _day(int(m["y"]), int(m["m"]), int(m["d"]))
    if day is None:
        return None
    if m["hh"]:
        return _Value(TimexType.TIME, f"{day.isoformat()}T{m['hh']}:{m['mi']}")
    return _date(day.isoformat())


def _h_weekday_date(m: Match, doc: _Doc) -> _Value | None:
    weekday = doc.lex.weekdays[m["wd"].lower()]
    value = _month_day_value(doc, m, m["m"] or m["m2"], m["d"] or m["d2"], m["y"], weekday)
    return _date(value) if value else None


def _h_clock_day(m: Match, doc: _Doc) -> _Value | None:
    time = _clock(m["clock"], doc.lex)
    if m["wd"]:
        day: str | None = _weekday_value(doc, m, doc.lex.weekdays[m["wd"].lower()])
    elif m["rd"]:
        day = _day_offset(doc, {"today": 0, "yesterday": -1, "tomorrow": 1}[m["rd"].lower()])
    else:
        day = _month_day_value(doc, m, m["m"], m["d"], m["y"])
    if time is None or day is None:
        return None
    return _Value(TimexType.TIME, f"{day}T{time}", doc.lex.approximators.get(_norm(m["ap"] or "")))


def _h_month_day(m: Match, doc: _Doc) -> _Value | None:
    value = _month_day_value(doc, m, m["m"], m["d"], m["y"])
    return _date(value) if value else None


def _h_month_year(m: Match, doc: _Doc) -> _Value | None:
    month = doc.lex.months[m["m"].lower().rstrip(".")]
    if m["y"]:
        year = m["y"]
    elif m["sy"]:
        spoken = _spoken_year(m["sy"], doc.lex)
        if spoken is None:
            return None
        year = f"{spoken:04d}"
    else:
        year = f"{doc.dct.year + _YEAR_REL[m['rel'].lower()]:04d}" if doc.dct else "XXXX"
    return _date(f"{year}-{month:02d}", doc.mod(m["mod"]))


def _h_holiday(m: Match, doc: _Doc) -> _Value | None:
    rule = doc.lex.holidays[_norm(m["h"])]

    def on(year: int) -> dt.date:
        if len(rule) == 2:
            return _day(year, rule[0], rule[1]) or dt.date(year, rule[0], 28)
        return _nth_weekday(year, rule[0], rule[1], rule[2]) + dt.timedelta(days=rule[3])

    if m["y"]:
        return _date(on(int(m["y"])).isoformat())
    if doc.dct is None:
        return _date(f"XXXX-{rule[0]:02d}-{rule[1]:02d}" if len(rule) == 2 else f"XXXX-{rule[0]:02d}-XX")
    this_year = on(doc.dct.year)
    return _date(on(_year_near(doc.dct, this_year.month, this_year.day, _tense_of(m["rel"], doc, m))).isoformat())


def _h_week_of(m: Match, doc: _Doc) -> _Value | None:
    value = _month_day_value(doc, m, m["m"], m["d"], None)
    if value is None:
        return None
    return _date("XXXX-WXX" if value[0] == "X" else _week(dt.date.fromisoformat(value)))


def _h_quarter(m: Match, doc: _Doc) -> _Value | None:
    q = _QNUM[m["q"].lower()]
    year = _year_of(m, doc, ("y", "y2"), ("rel", "rel2"))
    if year is None:
        year = _part_year(doc, m, q, 4)
        if m["ago"] and year[0] != "X":
            year = f"{int(year) - 1:04d}"
    return _date(f"{year}-Q{q}")


def _h_q_code(m: Match, doc: _Doc) -> _Value | None:
    q = int(m["q"][1])
    return _date(f"{m['y'] or _part_year(doc, m, q, 4)}-Q{q}")


def _h_half(m: Match, doc: _Doc) -> _Value | None:
    half = 1 if _norm(m["h"] or m["h2"]).startswith(("first", "1st")) else 2
    year = _year_of(m, doc, ("y", "y2"), ("rel", "rel2")) or _part_year(doc, m, half, 2)
    return _date(f"{year}-H{half}")


def _h_period(m: Match, doc: _Doc) -> _Value | None:
    """Reporting periods: "the year-earlier quarter", "the latest period", "the 1988 quarter"."""
    text = _norm(m.group())
    months = re.search(r"(nine|six|three) months", text)
    if months:
        return _Value(TimexType.DURATION, f"P{_number(months.group(1), doc.lex):g}M", anchor=False)
    ante = doc.antecedent(_QUARTERS, m.start(), back=3, reported=True)
    if m["y"]:
        return _date(m["y"] + (ante.value[4:] if ante else ""), anchor=False)
    if doc.dct is None:
        return _date("XXXX-QX" if "quarter" in text else "XXXX", anchor=False)
    if "fiscal year" in text or ("quarter" not in text and ante is None and not m["latest"]):
        base = f"{doc.dct.year:04d}"
    else:
        base = ante.value if ante else _quarter(doc.dct, -1)
    ago = bool(_AGO.search(text))
    return _date(_shift_value(base, -1) if ago else base, anchor=not ago)


def _h_decade(m: Match, doc: _Doc) -> _Value | None:
    if m["w"]:
        value = doc.lex.decade_words[m["w"].lower()]
    elif m["c"]:
        value = m["c"] + m["d"]
    elif doc.dct is None:  # "the '90s" without a DCT: the century is unknown
        value = f"XX{m['d2']}"
    else:  # "the '90s": the latest such decade by the DCT
        century = doc.dct.year // 100 - (doc.dct.year // 100 * 100 + int(m["d2"]) * 10 > doc.dct.year)
        value = f"{century}{m['d2']}"
    return _date(value, doc.mod(m["mod"]))


def _h_century(m: Match, doc: _Doc) -> _Value | None:
    word = m["o"].lower()
    number = doc.lex.ordinals.get(word) or int(word.rstrip("stndrh") if word[0].isdigit() else 0)
    return _date(f"{number - 1:02d}", doc.mod(m["mod"])) if number else None


def _h_fiscal_year(m: Match, doc: _Doc) -> _Value | None:
    return _date(m["y"])


def _h_year(m: Match, doc: _Doc) -> _Value | None:
    mod_word, after = _norm(m["mod"] or ""), _word_after(doc, m.end())
    if after.islower() and (after in doc.lex.count_nouns or (
            after.endswith("s") and _word_before(doc, m.start()) in doc.lex.approximators)):
        return None  # "2000 troops", "about 1990 protesters": a count
    mod = {"post-": "AFTER", "pre-": "BEFORE"}.get(mod_word) or doc.mod(m["mod"])
    if m["beyond"]:
        mod = "ON_OR_BEFORE" if "earlier" in m["beyond"].lower() else "ON_OR_AFTER"
    return _date(m["y"], mod)


def _h_spoken_year(m: Match, doc: _Doc) -> _Value | None:
    year = _spoken_year(m["sy"], doc.lex)
    if year is None:
        return None
    if year >= 2000 and not m.group().lower().startswith("the") and (
            _word_before(doc, m.start()) not in _SPOKEN_LEAD or _word_after(doc, m.end()) in doc.lex.count_nouns):
        return None  # "two thousand troops"
    return _date(f"{year:04d}")


def _h_shift(m: Match, doc: _Doc) -> _Value | None:
    """"two years ago", "a year earlier", "three days later", "a month from now"."""
    count, unit = doc.lex.units[_norm(m["u"])]
    number = _number(m["n"], doc.lex) if m["n"] else None
    qty = None if number is None else number * count
    direction = _norm(m["dir"])
    sign = -1 if direction in ("ago", "earlier") else 1
    mod = doc.lex.approximators.get(_norm(m["ap"] or ""))
    if unit in ("D", "W", "H", "MIN", "S") and direction in ("earlier", "later"):
        return _Value(TimexType.DURATION, _duration(qty, unit), mod, anchor=False, end=m.end("u"))
    if qty is None or qty != int(qty):
        return _date("PAST_REF" if sign < 0 else "FUTURE_REF", mod)
    if unit in _CLOCK_UNITS:
        return _date(_day_offset(doc, 0), mod)
    ante = None
    if unit == "Y" and direction == "later":  # "two years later": counted from the last year mentioned
        ante = doc.antecedent(_DATED, m.start())
    elif unit == "Y" and (direction != "ago" or count == 1):
        ante = doc.antecedent(_QUARTERS if direction == "ago" else _COARSE, m.start(), reported=True)
    if ante is not None:
        shifted = _shift_value(ante.value if ante.precision in _COARSE else ante.value[:4], sign * int(qty))
        return _date(shifted, mod, anchor=False)
    if doc.dct is None or direction == "later":
        return _date({"D": "XXXX-XX-XX", "W": "XXXX-WXX", "M": "XXXX-XX", "Q": "XXXX-QX"}.get(unit, "XXXX"), mod)
    day = _shift(doc.dct, sign * int(qty), unit)
    value = {"D": day.isoformat(), "W": _week(day), "M": _ym(day.year, day.month), "Q": _quarter(day)}.get(unit)
    return _date(value or f"{day.year:04d}", mod, anchor=direction not in ("earlier", "later"))


def _h_year_end(m: Match, doc: _Doc) -> _Value | None:
    unit = m["u"].lower()
    return _date(_unit_value(doc.dct, unit, 0) if doc.dct else _UNKNOWN[unit], doc.mod(m["mod"]) or "END")


def _weekend(doc: _Doc, m: Match, rel: str) -> str:
    """The weekend "this/next/last weekend" or "the weekend" (past unless the clause looks ahead) means."""
    assert doc.dct is not None
    on_weekend = doc.dct.isoweekday() >= 6
    if rel == "this":
        day = doc.dct
    elif rel in ("next", "the next", "the coming", "this coming") or (
            rel == "the" and doc.tense(m.start(), m.end()) is _Tense.FUTURE):
        day = doc.dct + dt.timedelta(days=7 if on_weekend else 0)
    else:
        day = doc.dct - dt.timedelta(days=0 if on_weekend and rel == "the" else 7)
    return _week(day) + "-WE"


def _anaphoric_unit(m: Match, doc: _Doc, unit: str, offset: int, mod: str | None) -> _Value | None:
    """"that year", "the following month", "the same quarter": counted from the last date mentioned."""
    if unit not in _ANTECEDENTS:
        return None
    ante = (doc.antecedent(frozenset({_OWN_PRECISION[unit]}), m.start(), back=4)
            or doc.antecedent(_ANTECEDENTS[unit], m.start(), back=4))
    if ante is None:
        return None
    year = int(ante.value[:4])
    if unit == "year":
        value = f"{year + offset:04d}"
    elif ante.precision is Precision.QUARTER:
        value = _quarter(dt.date(year, 3 * int(ante.value[-1]) - 2, 1), offset)
    elif ante.precision is Precision.WEEK:
        value = _unit_value(dt.date.fromisocalendar(year, int(ante.value[6:8]), 1), unit, offset)
    elif ante.precision is Precision.MONTH:
        value = _ym(*_add_months(year, int(ante.value[5:7]), offset))
    else:
        value = _unit_value(dt.date.fromisoformat(ante.value[:10]), unit, offset)
    return _date(value, mod, anchor=False)


def _h_rel_unit(m: Match, doc: _Doc) -> _Value | None:
    """"last year", "this week", "the past decade", "next month", "the quarter", "that year"."""
    rel, unit, mod = _norm(m["rel"]), m["u"].lower(), doc.mod(m["mod"])
    if unit == "year" and rel == "the" and _ENDED.match(doc.text, m.end()):
        return _Value(TimexType.DURATION, "P1Y")  # "the year ended Sept. 30": a reporting period
    if unit in ("decade", "century") and rel in _SPAN_RELS:
        return _Value(TimexType.DURATION, "P10Y" if unit == "decade" else "P100Y", mod)
    if rel in _ANAPHORIC:
        return _anaphoric_unit(m, doc, unit, _ANAPHORIC[rel], mod)
    if doc.dct is None:
        return _date(_UNKNOWN[unit], mod)
    if unit == "weekend":
        return _date(_weekend(doc, m, rel), mod)
    if unit == "quarter" and rel == "the":  # the quarter being reported on
        ante = doc.antecedent(_QUARTERS, m.start(), back=3)
        return _date(ante.value if ante else _quarter(doc.dct, -1), mod)
    return _date(_unit_value(doc.dct, unit, _REL_OFFSET[rel]), mod)


def _season_year(dct: dt.date, index: int, rel: str, m: Match, doc: _Doc) -> int:
    """The year of the last (in a future clause: the next) such season; a winter belongs to the
    year it starts in, so January's is last year's."""
    now = (dct.year - (dct.month <= 2)) * 4 + ((dct.month % 12) // 3 or 4)
    seasons = [year * 4 + index for year in range(dct.year - 2, dct.year + 2)]
    if rel in ("last", "this past"):
        chosen = max(s for s in seasons if s < now)
    elif rel in ("next", "this coming"):
        chosen = min(s for s in seasons if s > now)
    elif doc.tense(m.start(), m.end()) is _Tense.FUTURE:
        chosen = min(s for s in seasons if s >= now)
    else:
        chosen = max(s for s in seasons if s <= now)
    return (chosen - index) // 4


def _h_season(m: Match, doc: _Doc) -> _Value | None:
    code = doc.lex.seasons[m["s"].lower()]
    rel, mod = _norm(m["rel"] or ""), doc.mod(m["mod"] or m["mod2"])
    if m["y"] or m["sy"]:
        year = int(m["y"]) if m["y"] else _spoken_year(m["sy"], doc.lex)
        return _date(f"{year:04d}-{code}", mod) if year else None
    bare = not rel and not mod
    if _word_after(doc, m.end()).lower() in ("of", "in", "and") or (bare and (
            code in ("FA", "SP") or _word_before(doc, m.start()) not in doc.lex.month_lead)):
        return None  # "the fall of the city", "prices fall", "spring water"
    if doc.dct is None:
        return _date(f"XXXX-{code}", mod)
    year = doc.dct.year if rel == "this" else _season_year(doc.dct, _SEASON_INDEX[code], rel, m, doc)
    return _date(f"{year:04d}-{code}", mod)


def _h_day_part(m: Match, doc: _Doc) -> _Value | None:
    if m["one"]:
        offset, part = (0 if m["one"].lower() == "tonight" else -1), "night"
    else:
        rel = (m["rel"] or m["rel2"]).lower()
        offset = {"this": 0, "today": 0, "last": -1, "yesterday": -1, "tomorrow": 1}[rel]
        part = m["part"] or m["part2"]
    code = doc.lex.day_parts[part.lower()]
    return _Value(TimexType.TIME, f"{_day_offset(doc, offset)}T{code}", doc.mod(m["mod"]))


def _h_day_rel(m: Match, doc: _Doc) -> _Value | None:
    offsets = {"today": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}
    if _in_name(doc, m):
        return None  # "USA Today", "VOA Today": a title
    return _date(_day_offset(doc, offsets[_norm(m["w"])]), doc.mod(m["mod"]))


def _h_weekday(m: Match, doc: _Doc) -> _Value | None:
    weekday, rel = doc.lex.weekdays[m["wd"].lower()], _norm(m["rel"] or "")
    if rel in ("the previous", "the following", "the next"):  # counted from the last day mentioned
        ante = doc.antecedent(_DAYS, m.start(), back=3)
        base = dt.date.fromisoformat(ante.value[:10]) if ante else doc.dct
        if base is None:
            return None
        value = _weekday_near(base, weekday, rel != "the previous", strict=True).isoformat()
    else:
        value = _weekday_value(doc, m, weekday)
    if m["part"]:
        return _Value(TimexType.TIME, f"{value}T{doc.lex.day_parts[m['part'].lower()]}", doc.mod(m["mod"]))
    return _date(value, doc.mod(m["mod"]))


def _h_month(m: Match, doc: _Doc) -> _Value | None:
    name, rel = m["m"], _norm(m["rel"] or "")
    if name.capitalize() in doc.lex.ambiguous_months and not rel and not m["mod"] and (
            _word_before(doc, m.start()) not in doc.lex.month_lead or _word_after(doc, m.end()) == "of"):
        return None  # "Theresa May", "the March of the Mothers"
    month = doc.lex.months[name.lower()]
    if doc.dct is None:
        return _date(f"XXXX-{month:02d}", doc.mod(m["mod"]))
    if rel == "this":
        year = doc.dct.year
    elif rel in ("last", "this past"):
        year = doc.dct.year - (month >= doc.dct.month)
    elif rel in ("next", "this coming"):
        year = doc.dct.year + (month <= doc.dct.month)
    else:
        year = _year_near(doc.dct, month, 15, doc.tense(m.start(), m.end()))
    return _date(_ym(year, month), doc.mod(m["mod"]))


def _h_clock(m: Match, doc: _Doc) -> _Value | None:
    time = _clock(m["clock"], doc.lex)  # the day is added once the whole text is read
    return _Value(TimexType.TIME, f"T{time}", doc.lex.approximators.get(_norm(m["ap"] or ""))) if time else None


def _h_set_unit(m: Match, doc: _Doc) -> _Value | None:
    word, lex = _norm(m["u"]), doc.lex
    if word in lex.weekdays:
        return _Value(TimexType.SET, f"XXXX-WXX-{lex.weekdays[word]}")
    if word in lex.months:
        return _Value(TimexType.SET, f"XXXX-{lex.months[word]:02d}")
    if word in lex.seasons:
        return _Value(TimexType.SET, f"XXXX-{lex.seasons[word]}")
    count, unit = lex.units[word]
    number = (_number(m["n"], lex) if m["n"] else 1) or 1
    return _Value(TimexType.SET, _duration(number * count * (2 if _norm(m["q"]) == "every other" else 1), unit))


def _h_set_word(m: Match, doc: _Doc) -> _Value | None:
    word, after = _norm(m["w"]), _word_after(doc, m.end())
    if word in doc.lex.adjectival_sets and after.isalpha() and after.islower() and after not in doc.lex.month_lead:
        return None  # "a quarterly dividend": an attribute, not a frequency of the clause
    if _in_name(doc, m):
        return None  # "China Daily"
    return _Value(TimexType.SET, doc.lex.sets[word])


def _bounds(m: Match, doc: _Doc, rel: str, qty: float | None, unit: str) -> tuple[str | None, str | None]:
    """Begin and finish of "the first nine months of 2023" or "the past three weeks"."""
    if qty is None or qty != int(qty) or unit not in ("D", "W", "M", "Q", "Y"):
        return None, None
    n = int(qty)
    of_year = _OF_YEAR.match(doc.text, m.end())
    if rel == "first" and of_year and unit in ("M", "Q") and n <= (12 if unit == "M" else 4):
        year = _year_of(of_year, doc, ("y",), ("rel",)) or (f"{doc.dct.year:04d}" if doc.dct else "XXXX")
        return (f"{year}-Q1", f"{year}-Q{n}") if unit == "Q" else (f"{year}-01", f"{year}-{n:02d}")
    if doc.dct and rel in ("past", "last", "previous", "preceding", "prior"):
        return _shift(doc.dct, -n, unit).isoformat(), doc.dct.isoformat()
    if doc.dct and rel in ("next", "coming", "following"):
        return doc.dct.isoformat(), _shift(doc.dct, n, unit).isoformat()
    return None, None


def _not_a_duration(m: Match, doc: _Doc) -> bool:
    """Ages ("a 6-year-old", "52 years old"), compounds ("year-earlier"), fractions ("three-quarters of"),
    ordinals ("a second group")."""
    after, unit = _word_after(doc, m.end()), _norm(m["u"])
    if m["adj"] == "-old" or after == "old" or doc.text[m.end():m.end() + 1] == "-":
        return True
    if unit.startswith("quarter") and after == "of" and not _OF_YEAR.match(doc.text, m.end()):
        return True
    return unit == "second" and _norm(m["n"] or "") in ("a", "one") and after.islower() and after.isalpha()


def _h_duration(m: Match, doc: _Doc) -> _Value | None:
    """"three days", "a three-day visit", "the past 24 hours", "several years", "recent months"."""
    lex, rel = doc.lex, _norm(m["rel"] or "")
    mod = lex.approximators.get(_norm(m["ap"] or ""))
    start = None
    if m["ap"] and m["det"] and _norm(m["ap"]) == "over":  # "over the past week": a preposition
        mod, start = None, m.start("det")
    if m["bare"]:
        return _Value(TimexType.DURATION, _duration(None, lex.units[m["bare"].lower()][1]), mod, start=start)
    count, unit = lex.units[_norm(m["u"])]
    if _not_a_duration(m, doc):
        return None
    qty = None
    if not m["vague"]:
        number = _number(m["n"], lex)
        if number is None:
            return None
        qty = (number + (0.5 if m["half"] else 0)) * count
        if _norm(m["n"]) == "a couple of":
            mod = mod or "APPROX"
        if _norm(m["n"]) in ("a", "an") and not m["det"] and not rel and _RATE.search(
                doc.text, max(0, m.start() - 48), m.start()):
            return _Value(TimexType.SET, _duration(qty, unit))  # "$2 billion a year"
    begin, finish = _bounds(m, doc, rel, qty, unit)
    return _Value(TimexType.DURATION, _duration(qty, unit), mod, begin, finish, start=start)


def _h_anaphor(m: Match, doc: _Doc) -> _Value | None:
    """"that day", "the next morning", "earlier that day": counted from the last day mentioned."""
    ante = doc.antecedent(_DAYS, m.start(), back=4)
    if ante is None:
        return None
    day = dt.date.fromisoformat(ante.value[:10]) + dt.timedelta(days=_ANAPHORIC[_norm(m["rel"])])
    unit = m["u"].lower()
    if unit == "day":
        return _date(day.isoformat(), doc.mod(m["mod"]), anchor=False)
    return _Value(TimexType.TIME, f"{day.isoformat()}T{doc.lex.day_parts[unit]}", doc.mod(m["mod"]), anchor=False)


def _h_reference(m: Match, doc: _Doc) -> _Value | None:
    ref = _norm(m["ref"])
    if ref == "soon" and (_word_before(doc, m.start()) == "as" or _word_after(doc, m.end()) in ("as", "after")):
        return None  # "as soon as", "soon after": a conjunction, not a time
    return _date(doc.lex.references[ref])


def _h_ref_adj(m: Match, doc: _Doc) -> _Value | None:
    if m["next"].lower() in doc.lex.not_time_nouns:
        return None  # "current account"
    return _date(doc.lex.reference_adjectives[m["adj"].lower()])


# ---- grammar ---------------------------------------------------------------------------------

# The rules in priority order: at one start the first rule that matches (and that its
# handler accepts) wins, so longer and more specific forms come first. Templates are
# regexes over the `_fragments` named %(LIKE_THIS)s; named groups feed the handler.
_RULES: tuple[tuple[str, Handler], ...] = (
    (r"(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:T(?P<hh>[0-2]\d):(?P<mi>[0-5]\d))?", _h_iso),
    (r"(?:(?P<rel>this\s+coming|this|next|last)\s+)?(?P<wd>%(WDAY)s),?\s+(?:the\s+)?"
     r"(?:(?P<m>%(MONTH)s)\s*(?P<d>%(DAY)s)|(?P<d2>%(DAY)s)\s+(?:of\s+)?(?P<m2>%(MONTH)s))"
     r"(?:,?\s+(?P<y>%(YEAR)s))?", _h_weekday_date),
    (r"(?:(?P<ap>%(APPROX)s)\s+)?(?P<clock>%(CLOCK)s)(?:\s+%(TZ)s)?,?\s+(?:(?P<wd>%(WDAY)s)"
     r"|(?P<rd>today|yesterday|tomorrow)|(?P<m>%(MONTH)s)\s*(?P<d>%(DAY)s)(?:,?\s+(?P<y>%(YEAR)s))?)", _h_clock_day),
    (r"(?:(?P<rel>last|next|this)\s+)?(?P<m>%(MONTH)s)\s*(?P<d>%(DAY)s)(?:,?\s+(?P<y>%(YEAR)s))?", _h_month_day),
    (r"(?:the\s+)?(?P<d>%(DAY)s)\s+(?:of\s+)?(?P<m>%(MONTH)s)(?:,?\s+(?P<y>%(YEAR)s))?", _h_month_day),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?P<m>%(MONTH)s),?\s+(?:of\s+)?"
     r"(?:(?P<y>%(YEAR)s)|(?P<sy>%(SPOKEN)s)|(?P<rel>this|last|next)\s+year)", _h_month_year),
    (r"(?:(?P<rel>last|next|this)\s+)?(?P<h>%(HOLIDAY)s)(?:,?\s+(?P<y>%(YEAR)s))?", _h_holiday),
    (r"the\s+week\s+of\s+(?P<m>%(MONTH)s)\s*(?P<d>%(DAY)s)", _h_week_of),
    (r"(?:(?:the|its|a)\s+)?(?:(?P<y>%(YEAR)s)\s+|(?P<rel>this|last|next)\s+year's\s+"
     r"|(?P<ago>(?:comparable\s+)?year[-\s](?:ago|earlier))\s+)?(?:fiscal[\s-]+)?(?P<q>%(QORD)s)"
     r"[\s-]+(?:fiscal[\s-]+)?quarters?(?:\s+of\s+(?:(?P<y2>%(YEAR)s)|(?P<rel2>this|last|next)\s+year))?", _h_quarter),
    (r"(?-i:(?P<q>Q1|Q2|Q3|Q4))(?:\s+(?P<y>%(YEAR)s))?", _h_q_code),
    (r"(?:the\s+)?(?P<h>first|second|last|latter|1st|2nd)\s+half"
     r"(?:\s+of\s+(?:(?P<y>%(YEAR)s)|(?P<rel>this|last|next)\s+year|the\s+year))?"
     r"|(?:the\s+)?(?P<h2>first|last)\s+two\s+quarters\s+of\s+(?:(?P<y2>%(YEAR)s)|(?P<rel2>this|last|next)\s+year)",
     _h_half),
    (r"(?:the\s+)?(?:(?:same|comparable|corresponding)\s+)?(?:year[-\s](?:ago|earlier)|prior-year)"
     r"(?:\s+(?:(?:%(QORD)s\s+)?quarter|period|(?:nine|six|three)\s+months|fiscal\s+year))?"
     r"|(?:the\s+)?(?:same|comparable|corresponding)\s+(?:quarter|period)\s+"
     r"(?:a\s+year\s+(?:ago|earlier)|last\s+year|of\s+last\s+year|the\s+previous\s+year)"
     r"|the\s+quarter\s+a\s+year\s+(?:ago|earlier)|last\s+year's\s+(?:quarter|period)"
     r"|the\s+(?P<latest>latest|current|same)\s+(?:period|(?:nine|six|three)\s+months)"
     r"|the\s+(?P<y>%(YEAR)s)\s+(?:period|quarter)", _h_period),
    (r"(?:the\s+)?(?:(?P<mod>%(MOD)s)\s*)?"
     r"(?:(?P<c>1[5-9]|20)(?P<d>\d)0'?s|'(?P<d2>\d)0s|(?P<w>%(DECADE_WORD)s))", _h_decade),
    (r"(?:the\s+)?(?:(?P<mod>%(MOD)s)\s*)?(?P<o>%(ORD)s)[\s-]+century", _h_century),
    (r"fiscal(?:\s+year)?\s+(?P<y>%(YEAR)s)(?:[-/]\d\d)?", _h_fiscal_year),
    (r"(?:(?P<mod>%(MOD)s|post-|pre-)\s*)?(?:the\s+year\s+)?(?P<y>%(YEAR)s)"
     r"(?:\s+(?P<beyond>or\s+later|and\s+beyond|or\s+earlier|and\s+later))?", _h_year),
    (r"(?:the\s+year\s+)?(?P<sy>%(SPOKEN)s)", _h_spoken_year),
    (r"(?:(?P<ap>%(APPROX)s)\s+)?(?:(?P<n>%(NUM)s)|%(VAGUE)s)?\s*(?P<u>%(UNIT)s)"
     r"(?:\s+or\s+(?:so|two|more|less))?\s+(?P<dir>ago|earlier|later|from\s+now|hence)", _h_shift),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?P<u>year|month|quarter)(?:-|\s+|'s\s+)end", _h_year_end),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?P<rel>this\s+past|this\s+coming|the\s+past|the\s+last|the\s+next"
     r"|the\s+previous|the\s+prior|the\s+preceding|the\s+coming|the\s+current|the\s+following"
     r"|the\s+same|the\s+latest|the\s+present|the\s+whole|the\s+entire|this|last|next|that|the)"
     r"\s+(?:(?:fiscal|calendar|full|current)\s+)?(?P<u>weekend|week|month|year|quarter|decade|century)", _h_rel_unit),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?:(?P<rel>this\s+past|this\s+coming|this|last|next|the|that)\s+)?"
     r"(?:(?P<mod2>%(MOD)s)\s*)?(?P<s>%(SEASON)s)(?:\s+(?:of\s+)?(?:(?P<y>%(YEAR)s)|(?P<sy>%(SPOKEN)s)))?", _h_season),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?:(?P<rel>this|last|tomorrow|yesterday|today)\s+(?P<part>%(PART)s)"
     r"|(?P<part2>%(PART)s)\s+(?P<rel2>yesterday|today|tomorrow)|(?P<one>tonight|overnight))", _h_day_part),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow"
     r"|today|yesterday|tomorrow)", _h_day_rel),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?:(?P<rel>this\s+past|this\s+coming|last|next|this|coming|the\s+previous"
     r"|the\s+following|the\s+next|that)\s+)?(?P<wd>%(WDAY)s)(?:\s+(?P<part>%(PART)s))?", _h_weekday),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?:(?P<rel>this\s+past|this\s+coming|last|next|this)\s+)?(?P<m>%(MONTH_FULL)s)",
     _h_month),
    (r"(?:(?P<ap>%(APPROX)s)\s+)?(?P<clock>%(CLOCK)s)(?:\s+%(TZ)s)?", _h_clock),
    (r"(?P<q>%(SETQ)s)\s+(?:(?P<n>%(NUM)s)\s+)?(?P<u>%(UNIT)s|%(WDAY)s|%(MONTH_FULL)s|%(SEASON)s)", _h_set_unit),
    (r"(?P<w>%(SETWORD)s)", _h_set_word),
    (r"(?:(?P<ap>%(APPROX)s)\s+)?(?:(?P<det>the|its|their|this|that)\s+)?"
     r"(?:(?P<rel>past|last|next|first|previous|coming|following|final|remaining|latest|initial"
     r"|preceding|prior|additional|further|recent|early|same)\s+)?"
     r"(?:(?:(?P<n>%(NUM)s)|(?P<vague>%(VAGUE)s))\s*[\s-]?(?:(?:more|additional|further|other)\s+)?"
     r"(?P<u>%(UNIT)s)(?P<half>\s+and\s+a\s+half)?(?P<adj>-(?:long|old))?|(?P<bare>%(UNIT_BARE)s)(?:\s+ahead)?)",
     _h_duration),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?P<rel>that\s+same|that|the\s+same|the\s+next|the\s+following|the\s+previous"
     r"|the\s+prior|the\s+preceding)\s+(?P<u>day|morning|afternoon|evening|night)", _h_anaphor),
    (r"(?P<ref>%(REFS)s)", _h_reference),
    (r"(?P<adj>%(REF_ADJ)s)(?=\s+(?P<next>[a-z][\w-]*))", _h_ref_adj),
)
# Trigger words besides the vocabulary's months, weekdays, units, seasons, references ...:
# every expression holds at least one trigger, and only rules holding it are tried.
_TRIGGER_WORDS = ("today", "yesterday", "tomorrow", "tonight", "overnight", "weekend", "noon", "midnight",
                  "midday", "nineteen", "thousand", "half", "period", "q1", "q2", "q3", "q4")
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}  # keeps offsets, unlike str.lower
_TOKEN = re.compile(r"[a-z\d]+")


def _fragments(data: Mapping[str, Any], holidays: Mapping[str, Any]) -> dict[str, str]:
    """Named regex pieces the rule templates are written in."""
    cal = data["calendar"]
    full = [names[0] for names in cal["months"]]
    abbrev = [a for names in cal["months"] for a in names[1:]]
    abbrev = sorted(abbrev + [a.upper() for a in abbrev], key=len, reverse=True)
    numbers = _alt([w for w in data["numbers"] if w not in ("a", "an", "a couple of", "couple")])
    tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    ones = "one|two|three|four|five|six|seven|eight|nine"
    teens = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    month_full = _alt(full + [m.upper() for m in full], case=True)
    return {
        "MONTH": f"(?:{month_full}|(?-i:(?:{'|'.join(abbrev)})(?:\\.|(?!\\w))))",
        "MONTH_FULL": month_full,
        "WDAY": _alt(cal["weekdays"]),
        "DAY": r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d|\.\d|,\d{3})",
        "YEAR": r"(?<![\d$£€¥.,#/])(?:1[5-9]|20)\d\d(?![\d%]|\.\d|,\d)",
        "SPOKEN": rf"(?:nineteen|twenty)[\s-]+(?:(?:{tens})(?:[\s-]+(?:{ones}))?|{teens}"
                  rf"|hundred(?:\s+and\s+(?:{ones}))?)"
                  rf"|two\s+thousand(?:\s+and)?(?:[\s-]+(?:{teens}|{ones}|(?:{tens})(?:[\s-]+(?:{ones}))?))?",
        "NUM": rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:\s*1/2|½)?|(?:(?:a|an)\s+(?=hundred|thousand|dozen))?"
               rf"{numbers}(?:[\s-]+(?:and\s+)?{numbers})*|(?:a\s+)?couple\s+of|a|an",
        "VAGUE": _alt(data["quantities"]["vague"]),
        "UNIT": _alt(list(data["units"])),
        "UNIT_BARE": r"(?:years|months|weeks|days|decades|centuries|hours)",
        "MOD": _alt(list(data["modifiers"])),
        "APPROX": _alt(list(data["approximators"])),
        "SEASON": _alt(list(data["seasons"])),
        "PART": _alt([p for p in data["day_parts"] if p not in ("overnight", "tonight")]),
        "ORD": _alt(list(data["ordinals"])) + r"|\d{1,2}(?:st|nd|rd|th)",
        "QORD": r"(?:first|second|third|fourth|final|1st|2nd|3rd|4th)",
        "DECADE_WORD": _alt(list(data["decade_words"])),
        "CLOCK": r"(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*(?:a\.m\.|p\.m\.|a\.m|p\.m|am|pm)(?!\w)"
                 r"|(?:[01]?\d|2[0-3]):[0-5]\d(?!\d)|noon|midnight|midday|(?:[01]\d|2[0-3])[0-5]\d(?=\s+(?:GMT|UTC)\b)"
                 rf"|(?:{ones}|ten|eleven|twelve|\d{{1,2}})\s+(?:o'clock\s+)?in\s+the\s+(?:morning|afternoon|evening)",
        "TZ": _alt(data["clock"]["time_zones"], case=True),
        "HOLIDAY": _alt(list(holidays), case=True),
        "REFS": _alt(list(data["references"])),
        "REF_ADJ": _alt([k for k in data["reference_adjectives"] if k != "not_before"]),
        "SETWORD": _alt(list(data["sets"])),
        "SETQ": _alt(data["frequency"]["quantifiers"]),
    }


def _trigger_words(data: Mapping[str, Any]) -> frozenset[str]:
    """Months, weekdays, and the last word of every unit, season, reference, holiday, ... ."""
    entries = [w for names in data["calendar"]["months"] for w in names] + list(data["calendar"]["weekdays"])
    for table in ("units", "seasons", "day_parts", "decade_words", "references", "reference_adjectives", "sets"):
        entries += [k for k in data[table] if k != "not_before"]
    entries += [*data["holidays"]["fixed"], *data["holidays"]["floating"]]
    return frozenset({_TOKEN.findall(e.lower())[-1] for e in entries} | set(_TRIGGER_WORDS))


@dataclass(frozen=True, slots=True)
class _Grammar:
    """The rules compiled once, with an index from trigger words to the rules that hold them."""

    triggers: frozenset[str]
    digit_trigger: re.Pattern[str]
    by_trigger: Mapping[str, tuple[Rule, ...]]
    digit_rules: tuple[Rule, ...]
    vocabulary: frozenset[str]  # every word of the rules: what may stand left of a trigger in an expression
    anchors: re.Pattern[str]
    tense_cue: re.Pattern[str]
    past_aux: re.Pattern[str]
    clause_break: re.Pattern[str]

    @classmethod
    def build(cls, data: Mapping[str, Any], holidays: Mapping[str, Any]) -> _Grammar:
        """Compile the rule templates with the vocabulary of `data`."""
        pieces = _fragments(data, holidays)
        sources = [template % pieces for template, _ in _RULES]
        lowered = [source.lower() for source in sources]
        words = {w for source in lowered for w in re.findall(r"[a-z]+", source)}
        triggers = _trigger_words(data)
        tense, anchors = data["tense"], data["anchors"]
        cue = (rf"(?<!\w)(?:(?P<fut>{_alt(tense['future'])})|(?P<weak>{_alt(tense['weak_future'])})"
               rf"|(?<!\bbe )(?:(?P<past>{_alt(tense['past'])})|(?P<ed>\w{{3,}}ed)))(?!\w)")  # not "will be held"
        rules = [(re.compile(rf"(?<![\w'])(?:{source})(?!\w)", re.IGNORECASE).match, handler)
                 for source, (_, handler) in zip(sources, _RULES, strict=True)]
        return cls(
            triggers=triggers,
            # a year, a clock time or "'90s"; a character class first keeps the scan fast
            digit_trigger=re.compile(r"[\d'](?:(?<![\w.,$£€]\d)\d{3}(?![\d%])"
                                     r"|(?<!\d\d)\d?(?::\d\d|\.\d\d\s*[ap]|\s*[ap]\.?m)(?![a-z])|(?<=')\d0s)"),
            by_trigger=MappingProxyType({t: tuple(rule for rule, source in zip(rules, lowered, strict=True)
                                                  if re.search(rf"(?<![a-z]){re.escape(t)}", source))
                                         for t in triggers}),
            digit_rules=tuple(rule for rule, source in zip(rules, sources, strict=True)
                              if re.search(r"\\d|\[[0-9]", source)),
            vocabulary=frozenset(words | {w[:-1] for w in words if w.endswith("s")}),
            anchors=re.compile(rf"(?<!\w)(?:(?P<begin>{_alt(anchors['begin'])})|(?P<finish>{_alt(anchors['finish'])}))"
                               r"\s+$", re.IGNORECASE),
            tense_cue=re.compile(cue, re.IGNORECASE),
            past_aux=re.compile(rf"(?<!\w){_alt(tense['past_auxiliaries'])}\W+(?:\w+\W+)?$", re.IGNORECASE),
            clause_break=re.compile(rf"[;:\"“”(]|--|(?<!\w){_alt(tense['clause_breaks'])}(?!\w)", re.IGNORECASE),
        )

    def candidates(self, trigger: str) -> tuple[Rule, ...]:
        """The rules that may match around `trigger` (lowercased), in priority order."""
        return self.by_trigger.get(trigger, self.digit_rules)


# ---- extraction ------------------------------------------------------------------------------

_GAP = " \t\n,.-'’/"  # what may stand between two words of one expression
_MAX_LEFT_WORDS = 6


def _triggers(low: str, grammar: _Grammar) -> list[tuple[int, str]]:
    """Offsets and words of the triggers in the ASCII-lowercased text, in text order."""
    found = [(m.start(), m.group()) for m in grammar.digit_trigger.finditer(low)]
    for word in grammar.triggers.intersection(_TOKEN.findall(low)):
        pos = low.find(word)
        while pos >= 0:
            end = pos + len(word)
            if not (low[pos - 1:pos].isalnum() or low[end:end + 1].isalnum()):
                found.append((pos, word))
            pos = low.find(word, end)
    return sorted(found)


def _starts(doc: _Doc, low: str, pos: int, floor: int) -> list[int]:
    """Where an expression holding the trigger at `pos` may begin: there, or up to six grammar words back."""
    vocabulary = doc.lex.grammar.vocabulary
    starts = [pos - 1] if low[pos - 1:pos] == "'" else [pos]
    base, cursor = max(floor, pos - 64), pos
    for word in reversed(_TOKEN.findall(low, base, pos)):
        start = low.rfind(word, base, cursor)
        if len(starts) > _MAX_LEFT_WORDS or low[start + len(word):cursor].strip(_GAP) or not (
                word[0].isdigit() or word in vocabulary):
            break
        starts.append(start)
        cursor = start
    return starts[::-1]


def _apply(handler: Handler, m: Match, doc: _Doc) -> _Value | None:
    """The handler's value, or None when the date it computes falls outside the calendar
    ("5,000 years ago", a DCT in year 1): such a phrase has no TimeML value to give."""
    try:
        return handler(m, doc)
    except (ValueError, OverflowError):
        return None


def _expression_at(doc: _Doc, low: str, trigger: int, word: str, floor: int) -> TimeExpression | None:
    """The leftmost, then highest-priority, expression that holds the trigger `word` at `trigger`."""
    grammar = doc.lex.grammar
    for start in _starts(doc, low, trigger, floor):
        for match, handler in grammar.candidates(word):
            m = match(doc.text, start)
            if m is None or m.end() <= trigger or (value := _apply(handler, m, doc)) is None:
                continue
            start, end = value.start or start, value.end or m.end()
            precision = _precision(value.value) if value.type in (TimexType.DATE, TimexType.TIME) else None
            expr = TimeExpression(start, end, doc.text[start:end], value.type, value.value, precision,
                                  value.mod, value.begin, value.finish)
            if value.anchor and precision is not None and value.value[:4].isdigit():
                doc.refs.append(expr)  # a date later phrases may count from
            return expr
    return None


def _dated_clock(expr: TimeExpression, found: list[TimeExpression], doc: _Doc) -> TimeExpression:
    """A bare clock time ("at 08:35") on the day named nearest to it in its sentence, else the DCT."""
    if expr.type is not TimexType.TIME or not expr.value.startswith("T"):
        return expr
    s0, s1 = doc.sentence(expr.start)
    days = [e for e in found if s0 <= e.start < s1 and e.precision in _DAYS and not e.value.startswith("T")]
    nearest = min(days, key=lambda e: abs(e.start - expr.start), default=None)
    day = nearest.value[:10] if nearest else _day_offset(doc, 0)
    return replace(expr, value=day + expr.value, precision=Precision.TIME)


def _anchored(expr: TimeExpression, doc: _Doc) -> TimeExpression:
    """Begin or finish from "since"/"until"/"by" before a date."""
    if expr.type not in (TimexType.DATE, TimexType.TIME) or not expr.value[:1].isdigit():
        return expr
    anchor = doc.lex.grammar.anchors.search(doc.text, max(0, expr.start - 16), expr.start)
    if anchor is None:
        return expr
    return replace(expr, begin=expr.value) if anchor.lastgroup == "begin" else replace(expr, finish=expr.value)


def extract_times(text: str, published: dt.date | None, sentences: Sequence[tuple[int, int]] | None = None,
                  *, lexicon: TimeLexicon | None = None) -> list[TimeExpression]:
    """Date and time expressions of `text`, normalised against the publication date.

    Args:
        text: the article body; offsets of the results index into it.
        published: the publication date (TimeML DCT), or None when unknown: relative
            expressions then keep unknown parts as X and no year is guessed.
        sentences: (start, end) spans of the sentences, read for the tense of the clause
            around an expression; None treats the whole text as one sentence.
        lexicon: vocabulary and grammar; the one shipped in `data/time.toml` by default.

    Returns:
        TimeExpressions in text order: TIMEX3 type and value, precision for dates and
        times, TimeML mod, and begin/finish where the text bounds a period.
    """
    lex = lexicon or default_lexicon()
    spans = sorted(sentences) if sentences else [(0, len(text))]
    doc = _Doc(text, published, lex, [s for s, _ in spans], [e for _, e in spans], [])
    low = text.translate(_ASCII_LOWER)
    found: list[TimeExpression] = []
    for start, word in _triggers(low, lex.grammar):
        if (not found or start >= found[-1].end) and (expr := _expression_at(
                doc, low, start, word, found[-1].end if found else 0)):
            found.append(expr)
    return [_anchored(_dated_clock(e, found, doc), doc) for e in found]
