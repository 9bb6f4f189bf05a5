"""When an event happened: its sentence's own date expression, else the dating policy of docs/events.md.

Policy for an event whose sentence gives no date, in order:
1. the date of the same event told in another sentence (merged events share it);
2. the date of a dated occasion (a meeting, a visit ...) told in the same sentence
   ("during the session, the two sides signed ...");
3. the date of the article's main event (the first asserted, dated event of the first three
   sentences) when the event shares an actor with it: a continuing description of the
   same occasion, or a pledge made there;
4. for an asserted event, the publication date (the text dates nothing else for it);
5. otherwise no date. Hypothetical and negated events get only their own sentence's date,
   pledged events never get the publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from communique.records import DateBasis, EventDate, Precision, TimeExpression, TimexType

_CALENDAR = re.compile(r"^(\d{4}|XXXX)(-|$)")
_DIGIT = re.compile(r"\d")
_DATE_TYPES = {TimexType.DATE, TimexType.TIME}
_PERIOD_WORDS = {"since", "until", "till", "through"}


def calendar_dates(times: Sequence[TimeExpression]) -> list[TimeExpression]:
    """The date expressions that name a calendar date, month, quarter or year."""
    return [t for t in times if t.type in _DATE_TYPES and _CALENDAR.match(t.value) and _DIGIT.search(t.value)
            and t.precision is not None]


def own_date(trigger: Token, dated: Sequence[tuple[TimeExpression, Span]], bounds: tuple[int, int]) -> EventDate | None:
    """The date expression of the trigger's sentence (`bounds`, character offsets) nearest to it in the parse."""
    best: tuple[int, int, TimeExpression] | None = None
    for timex, span in dated:
        if not (bounds[0] <= timex.start < bounds[1]) or not _dates_trigger(span, trigger):
            continue
        key = (_tree_distance(trigger, span.root), abs(span.root.i - trigger.i), timex)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is None:
        return None
    timex = best[2]
    return EventDate(_value(timex), timex.precision, timex.text, DateBasis.SENTENCE)


def spans_of(times: Sequence[TimeExpression], doc: Doc) -> list[tuple[TimeExpression, Span]]:
    """Each calendar date expression with its tokens (computed once per article)."""
    out = []
    for timex in calendar_dates(times):
        span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
        if span is not None:
            out.append((timex, span))
    return out


def published_date(published: dt.date) -> EventDate:
    return EventDate(published.isoformat(), Precision.DAY, None, DateBasis.PUBLISHED)


def compatible(a: str, b: str) -> bool:
    """Whether two date values can name the same day: one is a prefix of the other (2023-12 and 2023-12-04)."""
    return a.startswith(b) or b.startswith(a)


def _dates_trigger(span: Span, trigger: Token) -> bool:
    """Whether a date expression can date the trigger's event.

    Not when it opens a period ("since 1994", "until May") or belongs to another clause on
    its way to the trigger ("... since he was reelected in January").
    """
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in _PERIOD_WORDS:
        return False
    above = {t.i for t in (trigger, *trigger.ancestors)}
    token = span.root
    while token.i not in above and token.head is not token:
        marked = token.dep_ in ("advcl", "ccomp") and any(c.dep_ == "mark" for c in token.children)
        if token.dep_ == "relcl" or marked:
            return False
        token = token.head
    return True


def _value(timex: TimeExpression) -> str:
    return timex.value[:10] if timex.precision in (Precision.DAY, Precision.TIME) else timex.value


def _tree_distance(a: Token, b: Token) -> int:
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    seen = {t.i: n for n, t in enumerate(up_a)}
    for n, token in enumerate(up_b):
        if token.i in seen:
            return n + seen[token.i]
    return len(up_a) + len(up_b)
