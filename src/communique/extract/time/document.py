"""The state of one `extract_times` call: text, DCT, sentences, clause tense and the dates mentioned so far."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from communique.extract.time.calendar import Tense, quarter
from communique.extract.time.words import norm
from communique.records import Precision, TimeExpression, TimexType

if TYPE_CHECKING:
    from communique.extract.time.lexicon import TimeLexicon

_LEFT_CHARS, _RIGHT_CHARS = 120, 40  # how far left and right of an expression a tense cue still counts
_ANTECEDENT_CHARS = 1500  # how far back "a year earlier", "that day" look for their date, at most
_ED_REACH = 4  # how near a word in -ed must be to count as the verb of the expression
_WORD_AFTER = re.compile(r"\s*([A-Za-z][\w-]*)")
_WORD_BEFORE = re.compile(r"([A-Za-z][\w-]*)\W*$")
_CAPITALISED_BEFORE = re.compile(r"(?<![\w'])[A-Z][\w'-]*[ \t]+$")

# The precisions an antecedent may have, by what a phrase counts from.
COARSE = frozenset({Precision.QUARTER, Precision.HALF, Precision.MONTH, Precision.YEAR, Precision.SEASON})
DAYS = frozenset({Precision.DAY, Precision.TIME})
DATED = COARSE | DAYS | {Precision.WEEK}
QUARTERS = frozenset({Precision.QUARTER, Precision.HALF})

Match = re.Match[str]


@dataclass(frozen=True, slots=True)
class Value:
    """What a rule makes of a match; `anchor` is False for phrases counted from another date."""

    type: TimexType
    value: str
    mod: str | None = None
    begin: str | None = None
    finish: str | None = None
    anchor: bool = True
    start: int | None = None  # when the expression starts after the match ("over" in "over the past week")
    end: int | None = None  # when it ends before the match ("three days" of "three days later")


def date_value(value: str, mod: str | None = None, anchor: bool = True) -> Value:
    """A DATE value."""
    return Value(TimexType.DATE, value, mod, anchor=anchor)


@dataclass(slots=True)
class Document:
    """The state of one call: text, DCT, sentence bounds and the dates mentioned so far."""

    text: str
    dct: dt.date | None
    lex: TimeLexicon
    starts: list[int]
    ends: list[int]
    refs: list[TimeExpression]

    def sentence(self, pos: int) -> tuple[int, int]:
        """The bounds of the sentence holding `pos` (the whole text before the first sentence)."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return (self.starts[i], self.ends[i]) if i >= 0 else (0, len(self.text))

    def tense(self, start: int, end: int) -> Tense:
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
                return Tense.NONE
        if not cues:
            return Tense.NONE
        cue = cues[-1]
        if cue.lastgroup == "weak":
            past = grammar.past_aux.search(self.text, max(0, cue.start() - 30), cue.start())
            return Tense.PAST if past else Tense.FUTURE
        return Tense.FUTURE if cue.lastgroup == "fut" else Tense.PAST

    def tense_of(self, rel: str | None, m: Match) -> Tense:
        """The tense a "last"/"next" in the phrase gives, else the clause's."""
        rel = norm(rel or "")
        if rel in ("last", "this past", "the previous"):
            return Tense.PAST
        if rel in ("next", "this coming", "coming", "the following", "the next"):
            return Tense.FUTURE
        return self.tense(m.start(), m.end())

    def mod(self, word: str | None) -> str | None:
        """The TimeML mod of a modifier word ("early" -> START), if any."""
        return self.lex.modifiers.get(norm(word)) if word else None

    def day_offset(self, offset: int) -> str:
        """The day `offset` days from the DCT, or "XXXX-XX-XX" without a DCT."""
        return (self.dct + dt.timedelta(days=offset)).isoformat() if self.dct else "XXXX-XX-XX"

    def antecedent(self, precisions: frozenset[Precision | None], before: int, back: int = 2,
                   reported: bool = False) -> TimeExpression | None:
        """The last date before `before` with one of `precisions`, at most `back` sentences back.

        With `reported`, only periods that have begun by the DCT count ("a year earlier"
        compares results already reported, not a forecast for next year).
        """
        i = max(bisect.bisect_right(self.starts, before) - 1 - back, 0)
        limit = max(self.starts[i] if self.starts else 0, before - _ANTECEDENT_CHARS)
        now = quarter(self.dct) if reported and self.dct else None
        for ref in reversed(self.refs):
            if ref.start < limit:
                return None
            if ref.precision in precisions and not (now and ref.value[:7] > now):
                return ref
        return None

    def word_before(self, pos: int) -> str:
        """The word right before `pos`, lowercased, or ""."""
        found = _WORD_BEFORE.search(self.text, max(0, pos - 24), pos)
        return found.group(1).lower() if found else ""

    def word_after(self, pos: int) -> str:
        """The word right after `pos`, as written, or ""."""
        found = _WORD_AFTER.match(self.text, pos)
        return found.group(1) if found else ""

    def in_name(self, m: Match) -> bool:
        """A capitalised word right after another one: part of a name ("China Daily", "USA Today")."""
        before = _CAPITALISED_BEFORE.search(self.text, max(0, m.start() - 24), m.start())
        return m.group()[:1].isupper() and before is not None


Handler = Callable[[Match, Document], "Value | None"]
