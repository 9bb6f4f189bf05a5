"""Date and time expressions in a news body, normalised against the publication date.

`extract_times` finds TimeML TIMEX3 expressions (DATE, TIME, DURATION, SET) with
their values, in the manner of rule-based taggers such as HeidelTime (Strötgen and
Gertz 2013, "Multilingual and cross-domain temporal tagging"): one pass of a regular
grammar built from the vocabulary in `data/time.toml`, then a normalisation step that
reads the publication date (the document creation time, DCT) and the tense of the
clause. Spans follow the TimeBank annotation of TempEval-3: a leading "on"/"in"/"since"
is left out, determiners and modifiers ("the", "last", "early", "nearly") are kept.

Conventions, where TimeML leaves a choice:

* A weekday, month or month-day without a year resolves against the DCT by the tense
  of its clause. Past or no cue: the latest such day or month on or before the DCT
  (a weekday equal to the DCT's is the DCT itself); a future cue ("will", "is to",
  "scheduled", ...) near it in the same sentence: the next one on or after the DCT.
  A month-day keeps the DCT's year unless a past event would then fall more than
  `_LATE_DAYS` after the DCT (previous year) or a future one more than `_LATE_DAYS`
  before it (next year).
* Without a DCT nothing relative is resolved and no year is guessed: "June 4" is
  "XXXX-06-04", "on Monday" "XXXX-WXX-1", "last year" "XXXX", "yesterday" "XXXX-XX-XX".
* "the end of February" is "2023-02" with mod END; "early/mid/late" give START/MID/END.
* A period that a text bounds ("the first three quarters of this year") is a DURATION
  in the text's unit ("P3Q") with `begin`/`finish` set ("2023-Q1", "2023-Q3"); "the
  past three months" likewise gets begin/finish from the DCT. "since 1994" keeps the
  value "1994" and sets begin "1994"; "until"/"by"/"through" set finish.
* "the past/last decade" is the DURATION P10Y; "the past year" is the previous year
  (TimeBank's reading). "a year earlier" shifts the last mentioned date or quarter back
  a year ("the third quarter ... a year earlier" -> 2022-Q3).
* SET values are durations ("weekly" -> P1W) or underspecified dates ("each July" ->
  XXXX-07, "every Thursday" -> XXXX-WXX-4).
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

from communique.records import Precision, TimexType, TimeExpression

_LATE_DAYS = 7
_CLOCK_UNITS = {"H": "H", "MIN": "M", "S": "S"}
_SMALLER = {"Y": (12, "M"), "H": (60, "MIN"), "MIN": (60, "S"), "D": (24, "H")}
_PRECISION = (
    (re.compile(r"^[\dX]{4}-[\dX]{2}-[\dX]{2}T"), Precision.TIME),
    (re.compile(r"^[\dX]{4}-W[\dX]{2}-[1-7X]$"), Precision.DAY),
    (re.compile(r"^[\dX]{4}-[\dX]{2}-[\dX]{2}$"), Precision.DAY),
    (re.compile(r"^[\dX]{4}-W[\dX]{2}"), Precision.WEEK),
    (re.compile(r"^[\dX]{4}-[\dX]{2}$"), Precision.MONTH),
    (re.compile(r"^[\dX]{4}-Q"), Precision.QUARTER),
    (re.compile(r"^[\dX]{4}-(?:SP|SU|FA|WI)$"), Precision.SEASON),
    (re.compile(r"^[\dX]{4}-H"), Precision.HALF),
    (re.compile(r"^[\dX]{4}$"), Precision.YEAR),
    (re.compile(r"^[\dX]{3}$"), Precision.DECADE),
    (re.compile(r"^[\dX]{2}$"), Precision.CENTURY),
)


class _Tense(Enum):
    PAST = "past"
    FUTURE = "future"
    NONE = "none"


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType({k.lower(): v for k, v in mapping.items()})


def _alt(words: Sequence[str], case: bool = False) -> str:
    """A regex alternation of `words`, longest first; spaces match any whitespace."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+").replace(" ", r"\s+") for w in ordered)
    return f"(?-i:{body})" if case else f"(?:{body})"


@dataclass(frozen=True, slots=True)
class TimeLexicon:
    """The vocabulary of `data/time.toml`, with the grammar compiled from it once."""

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
    modifiers: Mapping[str, str]
    approximators: Mapping[str, str]
    anchors_begin: frozenset[str]
    anchors_finish: frozenset[str]
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
        """Build a lexicon from the parsed TOML document."""
        months = {name: i for i, names in enumerate(data["months"], 1) for name in names}
        holidays = {k: tuple(int(x) for x in v.split("-")) for k, v in data["holidays"]["fixed"].items()}
        holidays.update({k: tuple(v) for k, v in data["holidays"]["floating"].items()})
        adjectives = dict(data["reference_adjectives"])
        not_before = adjectives.pop("not_before")["words"]
        lex: dict[str, Any] = {
            "months": _frozen(months),
            "weekdays": _frozen({d: i for i, d in enumerate(data["weekdays"], 1)}),
            "numbers": _frozen(data["numbers"]), "ordinals": _frozen(data["ordinals"]),
            "units": _frozen({k: (int(v[0]), str(v[1])) for k, v in data["units"].items()}),
            "seasons": _frozen(data["seasons"]), "day_parts": _frozen(data["day_parts"]),
            "decade_words": _frozen(data["decade_words"]), "references": _frozen(data["references"]),
            "reference_adjectives": _frozen(adjectives), "not_time_nouns": frozenset(not_before),
            "sets": _frozen(data["sets"]), "modifiers": _frozen(data["modifiers"]),
            "approximators": _frozen(data["approximators"]),
            "anchors_begin": frozenset(data["anchors_begin"]), "anchors_finish": frozenset(data["anchors_finish"]),
            "ambiguous_months": frozenset(data["ambiguous_months"]), "month_lead": frozenset(data["month_lead"]),
            "count_nouns": frozenset(data["count_nouns"]), "holidays": _frozen(holidays),
        }
        return cls(**lex, grammar=_Grammar.build(data, months, holidays))


# ---- grammar -----------------------------------------------------------------------------

def _fragments(data: Mapping[str, Any], months: Mapping[str, int], holidays: Mapping[str, Any]) -> dict[str, str]:
    """Named regex pieces the rule templates are written in."""
    full = [names[0] for names in data["months"]]
    abbrev = [a for names in data["months"] for a in names[1:]]
    numbers = [w for w in data["numbers"] if w not in ("a", "an", "a couple of", "couple")]
    units = list(data["units"])
    tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    ones = "one|two|three|four|five|six|seven|eight|nine"
    teens = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    month_full = _alt(full + [m.upper() for m in full], case=True)
    month_abbr = "(?-i:(?:" + "|".join(sorted(abbrev + [a.upper() for a in abbrev], key=len, reverse=True)) + r")(?:\.|(?!\w)))"
    number_word = _alt(numbers)
    return {
        "MONTH": f"(?:{month_full}|{month_abbr})",
        "MONTH_FULL": month_full,
        "WDAY": _alt(data["weekdays"]),
        "DAY": r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:]|\.\d|,\d{3})",
        "YEAR": r"(?<![\d$£€¥.,#/])(?<!\d-)(?:1[5-9]|20)\d\d(?![\d%]|\.\d|,\d)",
        "SPOKEN": rf"(?:nineteen|twenty)[\s-]+(?:(?:{tens})(?:[\s-]+(?:{ones}))?|{teens}|hundred(?:\s+and\s+(?:{ones}))?)"
                  rf"|two\s+thousand(?:\s+and)?(?:[\s-]+(?:{teens}|{ones}|(?:{tens})(?:[\s-]+(?:{ones}))?))?",
        "NUM": rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:\s*1/2|½)?|(?:(?:a|an)\s+)?{number_word}(?:[\s-]+(?:and\s+)?{number_word})*"
               r"|a\s+couple\s+of|a|an",
        "VAGUE": _alt(data["vague_quantities"]),
        "UNIT": _alt(units),
        "UNIT_BARE": r"(?:years|months|weeks|days|decades|centuries|hours|quarters)",
        "MOD": _alt(list(data["modifiers"])),
        "APPROX": _alt(list(data["approximators"])),
        "SEASON": _alt(list(data["seasons"])),
        "PART": _alt([p for p in data["day_parts"] if p not in ("overnight", "tonight")]),
        "ORD": _alt(list(data["ordinals"])) + r"|\d{1,2}(?:st|nd|rd|th)",
        "QORD": r"(?:first|second|third|fourth|final|1st|2nd|3rd|4th)",
        "DECADE_WORD": _alt(list(data["decade_words"])),
        "CLOCK": r"(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*(?:a\.m\.|p\.m\.|a\.m|p\.m|am|pm)(?!\w)"
                 r"|(?:[01]?\d|2[0-3]):[0-5]\d(?!\d)|noon|midnight|midday"
                 rf"|(?:{ones}|ten|eleven|twelve|\d{{1,2}})\s+(?:o'clock\s+)?in\s+the\s+(?:morning|afternoon|evening)",
        "TZ": _alt(data["time_zones"], case=True),
        "HOLIDAY": _alt(list(holidays), case=True),
        "REFS": _alt(list(data["references"])),
        "REF_ADJ": _alt([k for k in data["reference_adjectives"] if k != "not_before"]),
        "SETWORD": _alt(list(data["sets"])),
        "SETQ": _alt(data["set_quantifiers"]),
    }


# Rule templates in priority order: at one position the first rule that matches wins,
# so longer and more specific forms come first. `%(NAME)s` are `_fragments`.
_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("iso", r"(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:T(?P<hh>[0-2]\d):(?P<mi>[0-5]\d))?"),
    ("weekday_date", r"(?:(?P<rel>this\s+coming|this|next|last)\s+)?(?P<wd>%(WDAY)s),?\s+(?:the\s+)?"
                     r"(?:(?P<m>%(MONTH)s)\s*(?P<d>%(DAY)s)|(?P<d2>%(DAY)s)\s+(?:of\s+)?(?P<m2>%(MONTH)s))"
                     r"(?:,?\s+(?P<y>%(YEAR)s))?"),
    ("clock_day", r"(?:(?P<ap>%(APPROX)s)\s+)?(?P<clock>%(CLOCK)s)(?:\s+%(TZ)s)?,?\s+(?:on\s+)?"
                  r"(?:(?P<wd>%(WDAY)s)|(?P<rd>today|yesterday|tomorrow)"
                  r"|(?P<m>%(MONTH)s)\s*(?P<d>%(DAY)s)(?:,?\s+(?P<y>%(YEAR)s))?)"),
    ("month_day", r"(?:(?P<rel>last|next|this)\s+)?(?P<m>%(MONTH)s)\s*(?P<d>%(DAY)s)(?:,?\s+(?P<y>%(YEAR)s))?"),
    ("day_month", r"(?:the\s+)?(?P<d>%(DAY)s)\s+(?:of\s+)?(?P<m>%(MONTH)s)(?:,?\s+(?P<y>%(YEAR)s))?"),
    ("month_year", r"(?:(?P<mod>%(MOD)s)\s*)?(?P<m>%(MONTH)s),?\s+(?:of\s+)?"
                   r"(?:(?P<y>%(YEAR)s)|(?P<sy>%(SPOKEN)s)|(?P<rel>this|last|next)\s+year)"),
    ("holiday", r"(?:(?P<rel>last|next|this)\s+)?(?P<h>%(HOLIDAY)s)(?:,?\s+(?P<y>%(YEAR)s))?"),
    ("week_of", r"the\s+week\s+of\s+(?P<m>%(MONTH)s)\s*(?P<d>%(DAY)s)"),
    ("quarter", r"(?:(?:the|its|a)\s+)?(?:(?P<y>%(YEAR)s)\s+|(?P<rel>this|last|next)\s+year's\s+"
                r"|(?P<ago>(?:comparable\s+)?year[-\s](?:ago|earlier))\s+)?(?:fiscal[\s-]+)?(?P<q>%(QORD)s)"
                r"[\s-]+(?:fiscal[\s-]+)?quarters?(?:\s+of\s+(?:(?P<y2>%(YEAR)s)|(?P<rel2>this|last|next)\s+year))?"),
    ("q_code", r"(?-i:Q(?P<q>[1-4]))(?:\s+(?P<y>%(YEAR)s))?(?!\w)"),
    ("half", r"(?:the\s+)?(?P<h>first|second|last|latter|1st|2nd|first\s+two\s+quarters|last\s+two\s+quarters)"
             r"\s+half(?:\s+of\s+(?:(?P<y>%(YEAR)s)|(?P<rel>this|last|next)\s+year|the\s+year))?"
             r"|(?:the\s+)?(?P<h2>first|last)\s+two\s+quarters\s+of\s+(?:(?P<y2>%(YEAR)s)|(?P<rel2>this|last|next)\s+year)"),
    ("period", r"(?:the\s+)?(?:(?:same|comparable|corresponding)\s+)?(?:year[-\s](?:ago|earlier)|prior-year)"
               r"(?:\s+(?P<what>(?:%(QORD)s\s+)?quarter|period|(?:nine|six|three)\s+months|fiscal\s+year))?"
               r"|(?:the\s+)?(?:same|comparable|corresponding)\s+(?P<what2>quarter|period)\s+"
               r"(?:a\s+year\s+(?:ago|earlier)|last\s+year|of\s+last\s+year|the\s+previous\s+year)"
               r"|the\s+quarter\s+a\s+year\s+(?:ago|earlier)|last\s+year's\s+(?:quarter|period)"
               r"|the\s+(?P<latest>latest|current|same)\s+(?P<what3>period|(?:nine|six|three)\s+months)"
               r"|the\s+(?P<y>%(YEAR)s)\s+(?P<what4>period|quarter)"),
    ("decade", r"(?:the\s+)?(?:(?P<mod>%(MOD)s)\s*)?(?:(?P<c>1[5-9]|20)(?P<d>\d)0'?s|'(?P<d2>\d)0s|(?P<w>%(DECADE_WORD)s))"),
    ("century", r"(?:the\s+)?(?:(?P<mod>%(MOD)s)\s*)?(?P<o>%(ORD)s)[\s-]+century"),
    ("shift", r"(?:(?P<ap>%(APPROX)s)\s+)?(?:(?P<n>%(NUM)s)|(?P<vague>%(VAGUE)s))?\s*(?P<u>%(UNIT)s)"
              r"(?:\s+or\s+(?:so|two|more|less))?\s+(?P<dir>ago|earlier|later|from\s+now|hence)"),
    ("year_end", r"(?:(?P<mod>%(MOD)s)\s*)?(?P<u>year|month|quarter)(?:-|\s+|'s\s+)end(?!\w)"),
    ("rel_unit", r"(?:(?P<mod>%(MOD)s)\s*)?(?P<rel>this\s+past|this\s+coming|the\s+past|the\s+last|the\s+next"
                 r"|the\s+previous|the\s+prior|the\s+preceding|the\s+coming|the\s+current|the\s+following"
                 r"|the\s+same|the\s+latest|the\s+present|the\s+whole|the\s+entire|this|last|next|that|the)"
                 r"\s+(?:(?P<fiscal>fiscal|calendar|full|current)\s+)?(?P<u>weekend|week|month|year|quarter|decade|century)"),
    ("season", r"(?:(?P<mod>%(MOD)s)\s*)?(?:(?P<rel>this\s+past|this\s+coming|this|last|next|the|that)\s+)?"
               r"(?:(?P<mod2>%(MOD)s)\s*)?(?P<s>%(SEASON)s)(?:\s+(?:of\s+)?(?:(?P<y>%(YEAR)s)|(?P<sy>%(SPOKEN)s)))?"),
    ("day_part", r"(?:(?P<mod>%(MOD)s)\s*)?(?:(?P<rel>this|last|tomorrow|yesterday|today)\s+(?P<part>%(PART)s)"
                 r"|(?P<part2>%(PART)s)\s+(?P<rel2>yesterday|today|tomorrow)|(?P<one>tonight|overnight))"),
    ("day_rel", r"(?:(?P<mod>%(MOD)s)\s*)?(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow"
                r"|today|yesterday|tomorrow)"),
    ("weekday", r"(?:(?P<mod>%(MOD)s)\s*)?(?:(?P<rel>this\s+past|this\s+coming|last|next|this|coming|the\s+previous"
                r"|the\s+following|the\s+next|that)\s+)?(?P<wd>%(WDAY)s)(?:\s+(?P<part>%(PART)s))?"),
    ("month", r"(?:(?P<mod>%(MOD)s)\s*)?(?:(?P<rel>this\s+past|this\s+coming|last|next|this)\s+)?(?P<m>%(MONTH_FULL)s)"),
    ("clock", r"(?:(?P<ap>%(APPROX)s)\s+)?(?P<clock>%(CLOCK)s)(?:\s+%(TZ)s)?"),
    ("set_unit", r"(?P<q>%(SETQ)s)\s+(?:(?P<n>%(NUM)s)\s+)?(?P<u>%(UNIT)s|%(WDAY)s|%(MONTH_FULL)s|%(SEASON)s)"),
    ("set_word", r"(?P<w>%(SETWORD)s)"),
    ("duration", r"(?:(?P<ap>%(APPROX)s)\s+)?(?:(?P<det>the|its|their|this|that|these|those)\s+)?"
                 r"(?:(?P<rel>past|last|next|first|previous|coming|following|final|remaining|latest|initial"
                 r"|preceding|prior|additional|further|recent|early|same)\s+)?"
                 r"(?:(?:(?P<n>%(NUM)s)|(?P<vague>%(VAGUE)s))\s*[\s-]?(?P<u>%(UNIT)s)(?P<half>\s+and\s+a\s+half)?"
                 r"(?P<adj>-(?:long|old))?|(?P<bare>%(UNIT_BARE)s)(?P<ahead>\s+ahead)?)"),
    ("fiscal_year", r"fiscal(?:\s+year)?\s+(?P<y>%(YEAR)s)(?:[-/](?P<y2>\d\d))?"),
    ("year", r"(?:(?P<mod>%(MOD)s|post-|pre-)\s*)?(?:the\s+year\s+)?(?P<y>%(YEAR)s)"
             r"(?:\s+(?P<beyond>or\s+later|and\s+beyond|or\s+earlier|and\s+later))?"),
    ("spoken_year", r"(?:the\s+year\s+)?(?P<sy>%(SPOKEN)s)"),
    ("anaphor", r"(?:(?P<mod>%(MOD)s)\s*)?(?P<rel>that\s+same|that|the\s+same|the\s+next|the\s+following|the\s+previous"
                r"|the\s+prior|the\s+preceding)\s+(?P<u>day|morning|afternoon|evening|night)"),
    ("reference", r"(?P<ref>%(REFS)s)"),
    ("ref_adj", r"(?P<adj>%(REF_ADJ)s)(?=\s+(?P<next>[a-z][\w-]*))"),
)
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


@dataclass(frozen=True, slots=True)
class _Grammar:
    """The rules compiled once: one scanning pattern, and one pattern per rule for its groups."""

    scanner: re.Pattern[str]
    rules: Mapping[str, re.Pattern[str]]
    future: re.Pattern[str]
    clause_break: re.Pattern[str]

    @classmethod
    def build(cls, data: Mapping[str, Any], months: Mapping[str, int], holidays: Mapping[str, Any]) -> _Grammar:
        """Compile the rule templates with the vocabulary of `data`."""
        pieces = _fragments(data, months, holidays)
        flags = re.IGNORECASE
        rules = {name: template % pieces for name, template in _TEMPLATES}
        alternatives = "|".join(f"(?P<{name}>{_NAMED_GROUP.sub('(?:', body)})" for name, body in rules.items())
        future = _alt(data["future_cues"])
        past = _alt(data["past_cues"])
        return cls(
            scanner=re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w])", flags),
            rules=MappingProxyType({name: re.compile(body, flags) for name, body in rules.items()}),
            future=re.compile(rf"(?<!\w)(?:(?P<fut>{future})|(?P<past>{past}|\w{{3,}}ed))(?!\w)", flags),
            clause_break=re.compile(rf"[;:\"“”(]|--|(?<!\w){_alt(data['clause_breaks'])}(?!\w)", flags),
        )


@functools.lru_cache(maxsize=1)
def default_lexicon() -> TimeLexicon:
    """The lexicon shipped with the package, loaded on first use."""
    return TimeLexicon.load()


# ---- calendar arithmetic (pure) ------------------------------------------------------------

def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + month - 1 + n
    return k // 12, k % 12 + 1


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
    year, month = _add_months(day.year, day.month, 3 * n)
    return f"{year:04d}-Q{(month - 1) // 3 + 1}"


def _weekday_near(dct: dt.date, weekday: int, forward: bool, strict: bool = False) -> dt.date:
    """The nearest `weekday` (1 = Monday) on or before `dct`, or on or after it when `forward`."""
    gap = (weekday - dct.isoweekday()) % 7 if forward else (dct.isoweekday() - weekday) % 7
    if strict and gap == 0:
        gap = 7
    return dct + dt.timedelta(days=gap if forward else -gap)


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
    if re.fullmatch(r"\d{4}-02-29", shifted[:10]) and _day(int(shifted[:4]), 2, 29) is None:
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
    for pattern, precision in _PRECISION:
        if pattern.match(value):
            return precision
    return None
# ---- one document ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Value:
    """What a rule makes of a match; `anchor` is False for phrases that point at another date."""

    type: TimexType
    value: str
    mod: str | None = None
    begin: str | None = None
    finish: str | None = None
    anchor: bool = True


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
        """Future when the nearest tense cue of the clause around [start, end) says so.

        Looks left to the last clause break, then right to the next one; the nearest
        cue decides (a past-tense verb such as "said" beats a farther "will").
        """
        grammar = self.lex.grammar
        s0, s1 = self.sentence(start)
        left = self.text[s0:start]
        cut = max((b.end() for b in grammar.clause_break.finditer(left)), default=0)
        cues = list(grammar.future.finditer(left, cut))
        if not cues:
            right = self.text[end:max(s1, end)]
            stop = grammar.clause_break.search(right)
            cues = list(grammar.future.finditer(right, 0, stop.start() if stop else len(right)))[:1]
        if not cues:
            return _Tense.NONE
        return _Tense.FUTURE if cues[-1].lastgroup == "fut" else _Tense.PAST

    def mod(self, word: str | None) -> str | None:
        return self.lex.modifiers.get(_norm(word)) if word else None

    def antecedent(self, precisions: frozenset[Precision | None], before: int, back: int = 2) -> TimeExpression | None:
        """The last date before `before` with one of `precisions`, at most `back` sentences back."""
        i = max(bisect.bisect_right(self.starts, before) - 1 - back, 0)
        limit = self.starts[i] if self.starts else 0
        for ref in reversed(self.refs):
            if ref.start < limit:
                return None
            if ref.precision in precisions:
                return ref
        return None


def _norm(words: str) -> str:
    return " ".join(words.lower().split())


def _number(words: str, lex: TimeLexicon) -> float | None:
    """The value of a number in digits or words ("twenty-four", "2 1/2", "a hundred")."""
    words = words.lower().replace(",", "").replace("½", " 1/2").strip()
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


def _year_for_day(doc: _Doc, month: int, day: int, tense: _Tense) -> int:
    """The year of a month-day without one (see the module docstring)."""
    assert doc.dct is not None
    dct = doc.dct
    same = _day(dct.year, month, day) or _day(dct.year, month, 28) or dct
    delta = (same - dct).days
    if tense is _Tense.FUTURE:
        return dct.year + (delta < -_LATE_DAYS)
    if tense is _Tense.PAST:
        return dct.year - (delta > _LATE_DAYS)
    return dct.year + (delta < -183) - (delta > 183)


def _year_for_month(dct: dt.date, month: int, tense: _Tense) -> int:
    """The year of a bare month: the last one by the DCT, or the next one in a future clause."""
    if tense is _Tense.FUTURE:
        return dct.year + (month < dct.month)
    return dct.year - (month > dct.month)
