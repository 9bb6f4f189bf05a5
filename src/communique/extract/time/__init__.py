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
  around the DCT, the DCT's own year first: up to a year back and `calendar._LATE_DAYS`
  ahead in a past-tense clause, the reverse in a future one, and `calendar._WINDOW_NONE`
  (ten months back, two ahead: news mostly reports the past) without a cue. So a past
  event is never placed months after the DCT, and "payable Jan. 2" written in November
  is next January.
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

Modules: `lexicon` (the vocabulary), `grammar` (the rule table, compiled and indexed by
trigger), `dates`, `relative` and `durations` (the rules: a match -> a value), `document`
(the state of one call), `calendar` (date arithmetic and TimeML values), `words`
(numbers and clock times in words).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from communique.extract.time.calendar import precision_of
from communique.extract.time.document import DAYS, Document, Handler, Match, Value
from communique.extract.time.lexicon import TimeLexicon, default_lexicon
from communique.records import Precision, TimeExpression, TimexType

__all__ = ["TimeLexicon", "default_lexicon", "extract_times"]

_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}  # keeps offsets, unlike str.lower


def _apply(handler: Handler, m: Match, doc: Document) -> Value | None:
    """The handler's value, or None when the date it computes falls outside the calendar
    ("5,000 years ago", a DCT in year 1): such a phrase has no TimeML value to give."""
    try:
        return handler(m, doc)
    except (ValueError, OverflowError):
        return None


def _expression_at(doc: Document, low: str, trigger: int, word: str, floor: int) -> TimeExpression | None:
    """The leftmost, then highest-priority, expression that holds the trigger `word` at `trigger`."""
    grammar = doc.lex.grammar
    for start in grammar.starts(low, trigger, floor):
        for match, handler in grammar.candidates(word):
            m = match(doc.text, start)
            if m is None or m.end() <= trigger or (value := _apply(handler, m, doc)) is None:
                continue
            start, end = value.start or start, value.end or m.end()
            precision = precision_of(value.value) if value.type in (TimexType.DATE, TimexType.TIME) else None
            expr = TimeExpression(start, end, doc.text[start:end], value.type, value.value, precision,
                                  value.mod, value.begin, value.finish)
            if value.anchor and precision is not None and value.value[:4].isdigit():
                doc.refs.append(expr)  # a date later phrases may count from
            return expr
    return None


def _dated_clock(expr: TimeExpression, found: list[TimeExpression], doc: Document) -> TimeExpression:
    """A bare clock time ("at 08:35") on the day named nearest to it in its sentence, else the DCT."""
    if expr.type is not TimexType.TIME or not expr.value.startswith("T"):
        return expr
    s0, s1 = doc.sentence(expr.start)
    days = [e for e in found if s0 <= e.start < s1 and e.precision in DAYS and not e.value.startswith("T")]
    nearest = min(days, key=lambda e: abs(e.start - expr.start), default=None)
    day = nearest.value[:10] if nearest else doc.day_offset(0)
    return replace(expr, value=day + expr.value, precision=Precision.TIME)


def _anchored(expr: TimeExpression, doc: Document) -> TimeExpression:
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
    lex = lexicon or default_lexicon()  # looked up here, so bench/nlp.py can clock the loader by patching it
    spans = sorted(sentences) if sentences else [(0, len(text))]
    doc = Document(text, published, lex, [s for s, _ in spans], [e for _, e in spans], [])
    low = text.translate(_ASCII_LOWER)
    found: list[TimeExpression] = []
    for start, word in lex.grammar.triggers_in(low):
        if (not found or start >= found[-1].end) and (expr := _expression_at(
                doc, low, start, word, found[-1].end if found else 0)):
            found.append(expr)
    return [_anchored(_dated_clock(e, found, doc), doc) for e in found]
