"""Pure extraction: a parsed article (+ knowledge base + publication date) -> records. No I/O.

`extract_all` composes the extractors in a fixed order and tags every record with the
index of the stored sentence it lies in.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from communique.extract.quantities import extract_figures
from communique.extract.time import extract_times
from communique.nlp import text_of
from communique.records import Claim, Event, Figure, Mention, ParsedLayer, Sentence, Statement, TimeExpression

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from communique.extract.events import EventCoder

R = TypeVar("R", Mention, TimeExpression, Figure)
MentionFinder = Callable[["Doc", dt.date | None], list[Mention]]
StatementFinder = Callable[["Doc", Sequence[tuple[int, Mention]], Sequence[Sentence], str], list[Statement]]
ClaimFinder = Callable[["Doc", Sequence[Sentence], Sequence[Mention], Sequence[TimeExpression], Sequence[Figure],
                        Sequence[Event], str, dt.date | None], list[Claim]]


@dataclass(frozen=True, slots=True)
class ExtractionContext:
    """What extraction needs besides the text: the publication date and the sentence spans."""

    published: dt.date | None
    sentences: tuple[Sentence, ...]


def _located(records: Sequence[R], sentences: Sequence[Sentence]) -> tuple[tuple[int, R], ...]:
    starts = [s.start for s in sentences]
    return tuple((max(bisect.bisect_right(starts, r.start) - 1, 0), r) for r in records)


def extract_all(article_id: str, doc: Doc, ctx: ExtractionContext, mentions: MentionFinder | None = None,
                statements: StatementFinder | None = None, events: EventCoder | None = None,
                claims: ClaimFinder | None = None) -> ParsedLayer:
    """The parsed layer of one article.

    Args:
        doc: the article body parsed by spaCy with the stored sentence boundaries.
        ctx: publication date and sentences.
        mentions: the actor resolver (bound to a knowledge base), or None to skip actors.
        statements: the attribution finder, or None to skip statements.
        events: the event coder, or None to skip events.
        claims: the claim finder (`extract.claims.extract_claims`), or None to skip claims.
    """
    spans = [(s.start, s.end) for s in ctx.sentences]
    found = _located(mentions(doc, ctx.published) if mentions else [], ctx.sentences)
    times = _located(extract_times(text_of(doc), ctx.published, spans), ctx.sentences)
    figures = _located(extract_figures(text_of(doc), spans), ctx.sentences)
    said = statements(doc, found, ctx.sentences, article_id) if statements else []
    coded = events(doc, article_id, ctx.published, ctx.sentences, [m for _, m in found], [t for _, t in times],
                   said, [f for _, f in figures]) if events else []
    counted = claims(doc, ctx.sentences, [m for _, m in found], [t for _, t in times], [f for _, f in figures],
                     coded, article_id, ctx.published) if claims else []
    return ParsedLayer(
        article_id=article_id,
        mentions=found,
        times=times,
        figures=figures,
        statements=tuple(said),
        events=tuple(coded),
        claims=tuple(counted),
    )
