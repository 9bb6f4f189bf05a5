"""The grammar: rule templates in priority order, the regex fragments they use, and their compiled, indexed form."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from communique.extract.time import dates, durations, relative
from communique.extract.time.document import Handler, Match

Rule = tuple[Callable[[str, int], "Match | None"], Handler]  # a compiled rule's match method and its handler

# The rules in priority order: at one start the first rule that matches (and that its
# handler accepts) wins, so longer and more specific forms come first. Templates are
# regexes over the `_fragments` named %(LIKE_THIS)s; named groups feed the handler.
_RULES: tuple[tuple[str, Handler], ...] = (
    (r"(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:T(?P<hh>[0-2]\d):(?P<mi>[0-5]\d))?", dates.iso_date),
    (r"(?:(?P<rel>this\s+coming|this|next|last)\s+)?(?P<wd>%(WDAY)s),?\s+(?:the\s+)?"
     r"(?:(?P<m>%(MONTH)s)\s*(?P<d>%(DAY)s)|(?P<d2>%(DAY)s)\s+(?:of\s+)?(?P<m2>%(MONTH)s))"
     r"(?:,?\s+(?P<y>%(YEAR)s))?", dates.weekday_date),
    (r"(?:(?P<ap>%(APPROX)s)\s+)?(?P<clock>%(CLOCK)s)(?:\s+%(TZ)s)?,?\s+(?:(?P<wd>%(WDAY)s)"
     r"|(?P<rd>today|yesterday|tomorrow)|(?P<m>%(MONTH)s)\s*(?P<d>%(DAY)s)(?:,?\s+(?P<y>%(YEAR)s))?)", dates.clock_day),
    (r"(?:(?P<rel>last|next|this)\s+)?(?P<m>%(MONTH)s)\s*(?P<d>%(DAY)s)(?:,?\s+(?P<y>%(YEAR)s))?", dates.month_day),
    (r"(?:the\s+)?(?P<d>%(DAY)s)\s+(?:of\s+)?(?P<m>%(MONTH)s)(?:,?\s+(?P<y>%(YEAR)s))?", dates.month_day),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?P<m>%(MONTH)s),?\s+(?:of\s+)?"
     r"(?:(?P<y>%(YEAR)s)|(?P<sy>%(SPOKEN)s)|(?P<rel>this|last|next)\s+year)", dates.month_year),
    (r"(?:(?P<rel>last|next|this)\s+)?(?P<h>%(HOLIDAY)s)(?:,?\s+(?P<y>%(YEAR)s))?", dates.holiday),
    (r"the\s+week\s+of\s+(?P<m>%(MONTH)s)\s*(?P<d>%(DAY)s)", dates.week_of),
    (r"(?:(?:the|its|a)\s+)?(?:(?P<y>%(YEAR)s)\s+|(?P<rel>this|last|next)\s+year's\s+"
     r"|(?P<ago>(?:comparable\s+)?year[-\s](?:ago|earlier))\s+)?(?:fiscal[\s-]+)?(?P<q>%(QORD)s)"
     r"[\s-]+(?:fiscal[\s-]+)?quarters?(?:\s+of\s+(?:(?P<y2>%(YEAR)s)|(?P<rel2>this|last|next)\s+year))?",
     dates.quarter_ordinal),
    (r"(?-i:(?P<q>Q1|Q2|Q3|Q4))(?:\s+(?P<y>%(YEAR)s))?", dates.quarter_code),
    (r"(?:the\s+)?(?P<h>first|second|last|latter|1st|2nd)\s+half"
     r"(?:\s+of\s+(?:(?P<y>%(YEAR)s)|(?P<rel>this|last|next)\s+year|the\s+year))?"
     r"|(?:the\s+)?(?P<h2>first|last)\s+two\s+quarters\s+of\s+(?:(?P<y2>%(YEAR)s)|(?P<rel2>this|last|next)\s+year)",
     dates.half_year),
    (r"(?:the\s+)?(?:(?:same|comparable|corresponding)\s+)?(?:year[-\s](?:ago|earlier)|prior-year)"
     r"(?:\s+(?:(?:%(QORD)s\s+)?quarter|period|(?:nine|six|three)\s+months|fiscal\s+year))?"
     r"|(?:the\s+)?(?:same|comparable|corresponding)\s+(?:quarter|period)\s+"
     r"(?:a\s+year\s+(?:ago|earlier)|last\s+year|of\s+last\s+year|the\s+previous\s+year)"
     r"|the\s+quarter\s+a\s+year\s+(?:ago|earlier)|last\s+year's\s+(?:quarter|period)"
     r"|the\s+(?P<latest>latest|current|same)\s+(?:period|(?:nine|six|three)\s+months)"
     r"|the\s+(?P<y>%(YEAR)s)\s+(?:period|quarter)", relative.reporting_period),
    (r"(?:the\s+)?(?:(?P<mod>%(MOD)s)\s*)?"
     r"(?:(?P<c>1[5-9]|20)(?P<d>\d)0'?s|'(?P<d2>\d)0s|(?P<w>%(DECADE_WORD)s))", dates.decade),
    (r"(?:the\s+)?(?:(?P<mod>%(MOD)s)\s*)?(?P<o>%(ORD)s)[\s-]+century", dates.century),
    (r"fiscal(?:\s+year)?\s+(?P<y>%(YEAR)s)(?:[-/]\d\d)?", dates.fiscal_year),
    (r"(?:(?P<mod>%(MOD)s|post-|pre-)\s*)?(?:the\s+year\s+)?(?P<y>%(YEAR)s)"
     r"(?:\s+(?P<beyond>or\s+later|and\s+beyond|or\s+earlier|and\s+later))?", dates.year_number),
    (r"(?:the\s+year\s+)?(?P<sy>%(SPOKEN)s)", dates.spoken_year),
    (r"(?:(?P<ap>%(APPROX)s)\s+)?(?:(?P<n>%(NUM)s)|%(VAGUE)s)?\s*(?P<u>%(UNIT)s)"
     r"(?:\s+or\s+(?:so|two|more|less))?\s+(?P<dir>ago|earlier|later|from\s+now|hence)", relative.ago_or_later),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?P<u>year|month|quarter)(?:-|\s+|'s\s+)end", relative.unit_end),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?P<rel>this\s+past|this\s+coming|the\s+past|the\s+last|the\s+next"
     r"|the\s+previous|the\s+prior|the\s+preceding|the\s+coming|the\s+current|the\s+following"
     r"|the\s+same|the\s+latest|the\s+present|the\s+whole|the\s+entire|this|last|next|that|the)"
     r"\s+(?:(?:fiscal|calendar|full|current)\s+)?(?P<u>weekend|week|month|year|quarter|decade|century)",
     relative.relative_unit),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?:(?P<rel>this\s+past|this\s+coming|this|last|next|the|that)\s+)?"
     r"(?:(?P<mod2>%(MOD)s)\s*)?(?P<s>%(SEASON)s)(?:\s+(?:of\s+)?(?:(?P<y>%(YEAR)s)|(?P<sy>%(SPOKEN)s)))?",
     relative.season),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?:(?P<rel>this|last|tomorrow|yesterday|today)\s+(?P<part>%(PART)s)"
     r"|(?P<part2>%(PART)s)\s+(?P<rel2>yesterday|today|tomorrow)|(?P<one>tonight|overnight))", relative.day_part),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow"
     r"|today|yesterday|tomorrow)", relative.relative_day),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?:(?P<rel>this\s+past|this\s+coming|last|next|this|coming|the\s+previous"
     r"|the\s+following|the\s+next|that)\s+)?(?P<wd>%(WDAY)s)(?:\s+(?P<part>%(PART)s))?", relative.weekday_name),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?:(?P<rel>this\s+past|this\s+coming|last|next|this)\s+)?(?P<m>%(MONTH_FULL)s)",
     relative.month_name),
    (r"(?:(?P<ap>%(APPROX)s)\s+)?(?P<clock>%(CLOCK)s)(?:\s+%(TZ)s)?", dates.clock_time),
    (r"(?P<q>%(SETQ)s)\s+(?:(?P<n>%(NUM)s)\s+)?(?P<u>%(UNIT)s|%(WDAY)s|%(MONTH_FULL)s|%(SEASON)s)", durations.set_unit),
    (r"(?P<w>%(SETWORD)s)", durations.set_word),
    (r"(?:(?P<ap>%(APPROX)s)\s+)?(?:(?P<det>the|its|their|this|that)\s+)?"
     r"(?:(?P<rel>past|last|next|first|previous|coming|following|final|remaining|latest|initial"
     r"|preceding|prior|additional|further|recent|early|same)\s+)?"
     r"(?:(?:(?P<n>%(NUM)s)|(?P<vague>%(VAGUE)s))\s*[\s-]?(?:(?:more|additional|further|other)\s+)?"
     r"(?P<u>%(UNIT)s)(?P<half>\s+and\s+a\s+half)?(?P<adj>-(?:long|old))?|(?P<bare>%(UNIT_BARE)s)(?:\s+ahead)?)",
     durations.duration_phrase),
    (r"(?:(?P<mod>%(MOD)s)\s*)?(?P<rel>that\s+same|that|the\s+same|the\s+next|the\s+following|the\s+previous"
     r"|the\s+prior|the\s+preceding)\s+(?P<u>day|morning|afternoon|evening|night)", relative.anaphoric_day),
    (r"(?P<ref>%(REFS)s)", relative.reference),
    (r"(?P<adj>%(REF_ADJ)s)(?=\s+(?P<next>[a-z][\w-]*))", relative.reference_adjective),
)
# Trigger words besides the vocabulary's months, weekdays, units, seasons, references ...:
# every expression holds at least one trigger, and only rules holding it are tried.
_TRIGGER_WORDS = ("today", "yesterday", "tomorrow", "tonight", "overnight", "weekend", "noon", "midnight",
                  "midday", "nineteen", "thousand", "half", "period", "q1", "q2", "q3", "q4")
_TOKEN = re.compile(r"[a-z\d]+")
_GAP = " \t\n,.-'’/"  # what may stand between two words of one expression
_MAX_LEFT_WORDS = 6


def _alt(words: Sequence[str], case: bool = False) -> str:
    """A regex alternation of `words`, longest first; spaces match any whitespace."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+").replace(" ", r"\s+") for w in ordered)
    return f"(?-i:{body})" if case else f"(?:{body})"


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
class Grammar:
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
    def build(cls, data: Mapping[str, Any], holidays: Mapping[str, Any]) -> Grammar:
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

    def triggers_in(self, low: str) -> list[tuple[int, str]]:
        """Offsets and words of the triggers in the ASCII-lowercased text, in text order."""
        found = [(m.start(), m.group()) for m in self.digit_trigger.finditer(low)]
        for word in self.triggers.intersection(_TOKEN.findall(low)):
            pos = low.find(word)
            while pos >= 0:
                end = pos + len(word)
                if not (low[pos - 1:pos].isalnum() or low[end:end + 1].isalnum()):
                    found.append((pos, word))
                pos = low.find(word, end)
        return sorted(found)

    def starts(self, low: str, pos: int, floor: int) -> list[int]:
        """Where an expression holding the trigger at `pos` may begin: there, or up to six grammar words back."""
        starts = [pos - 1] if low[pos - 1:pos] == "'" else [pos]
        base, cursor = max(floor, pos - 64), pos
        for word in reversed(_TOKEN.findall(low, base, pos)):
            start = low.rfind(word, base, cursor)
            if len(starts) > _MAX_LEFT_WORDS or low[start + len(word):cursor].strip(_GAP) or not (
                    word[0].isdigit() or word in self.vocabulary):
                break
            starts.append(start)
            cursor = start
        return starts[::-1]
