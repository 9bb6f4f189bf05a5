"""Response models of the JSON API, built from the record dataclasses of `communique.records`.

The records themselves (Article, Event, Statement, Sentence …) are response models as they
are; layer items that the store keeps with their sentence index get a flat model made from the
record's fields plus `sentence`, so the OpenAPI document never drifts from the records.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, create_model

from communique.analysis.claims import ClaimCheck
from communique.records import Article, Claim, Event, Figure, Mention, Sentence, Statement, TimeExpression
from communique.store.pages import ArticleSummary

T = TypeVar("T")


def _with_sentence(name: str, record: type) -> type[BaseModel]:
    """A model with `sentence` and the fields of a record dataclass, in the record's order."""
    hints = typing.get_type_hints(record)
    fields: dict[str, Any] = {"sentence": (int, Field(description="Index of the sentence that holds it."))}
    for f in dataclasses.fields(record):
        default = f.default if f.default is not dataclasses.MISSING else ...
        if f.default_factory is not dataclasses.MISSING:
            default = Field(default_factory=f.default_factory)
        fields[f.name] = (hints[f.name], default)
    return create_model(name, __doc__=f"A {record.__name__.lower()} of the article's parsed layer.", **fields)


LayerMention = _with_sentence("LayerMention", Mention)
LayerTime = _with_sentence("LayerTime", TimeExpression)
LayerFigure = _with_sentence("LayerFigure", Figure)


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable error code, e.g. not_found, bad_query, invalid_parameter.")
    message: str


class ErrorBody(BaseModel):
    """Every error response: a code a program can test and a message a person can read."""

    error: ErrorDetail


class PageOf(BaseModel, Generic[T]):
    """One page of results; pass `next_cursor` back as `cursor` for the next page (null: no more)."""

    items: list[T]
    next_cursor: str | None = None


class ArticleDetail(BaseModel):
    """An article with every record the analysis found in it, each with its character offsets."""

    model_config = ConfigDict(arbitrary_types_allowed=False)

    article: Article
    near_duplicate_of: str | None
    similarity: float | None
    ingested_at: str
    origins: list[str]
    sentences: list[Sentence]
    mentions: list[LayerMention]  # type: ignore[valid-type]
    times: list[LayerTime]  # type: ignore[valid-type]
    figures: list[LayerFigure]  # type: ignore[valid-type]
    events: list[Event]
    statements: list[Statement]


class TimelineMention(BaseModel):
    """One article's telling of a consolidated event: the mention-level event and its evidence sentence."""

    event_id: str
    article_id: str
    sentence: int
    published: str | None
    source: str | None
    evidence: str
    evidence_start: int
    evidence_end: int


class TimelineItem(BaseModel):
    """A consolidated event: one real-world event however many articles tell it."""

    id: str
    date: str | None
    precision: str | None
    type: str
    mode: str | None
    source: str | None
    target: str | None
    mutual: bool
    place: str | None
    articles: int
    best_event: str = Field(description="The mention whose sentence is the best evidence; `mentions` lists it first.")
    mentions: list[TimelineMention]


class ActorSummary(BaseModel):
    """An actor of the knowledge base or of the store, with its consolidated events in the store."""

    id: str
    name: str
    kind: str | None
    country: str | None
    events: int


class RoleOut(BaseModel):
    country: str
    sector: str
    title: str
    start: str | None
    end: str | None


class ActorDetail(ActorSummary):
    aliases: list[str]
    roles: list[RoleOut]
    source: str | None
    partners: list[ActorSummary]


class SourceCount(BaseModel):
    source: str
    articles: int


class StatsOut(BaseModel):
    schema_version: int
    articles: int
    near_duplicates: int
    undated: int
    sentences: int
    analysed: int
    events: int
    consolidated: int
    statements: int
    first_published: str | None
    last_published: str | None
    sources: list[SourceCount]


ArticlePage = PageOf[ArticleSummary]
EVENT_PAGE = PageOf[Event]


class TallyOut(BaseModel):
    """Consolidated events counted by quad class, with their Goldstein weights (docs/analysis.md, "Trends")."""

    events: int
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int
    goldstein_sum: float | None
    goldstein_mean: float | None
    index: float | None = Field(description="Cooperation–conflict index: Σ Goldstein / Σ |Goldstein|, in [-1, 1].")


class TrendPeriodOut(TallyOut):
    period: str = Field(description="2023-12, 2023-Q4 or 2023; a coarse row is named by the events' own date.")
    coarse: bool = Field(description="True for events dated more coarsely than the period (a year when by=month).")
    types: dict[str, int]


class TrendsOut(BaseModel):
    a: str
    b: str | None
    by: str
    undated: int = Field(description="Events with no usable date, left out of the periods.")
    periods: list[TrendPeriodOut]


class PartnerOut(TallyOut):
    partner: str
    name: str
    cooperation_share: float | None
    first: str | None
    last: str | None


class ClaimEvent(BaseModel):
    """A consolidated event that decides a claim, with its best evidence sentence."""

    id: str
    type: str
    mode: str | None
    modality: str
    side_a: str | None
    side_b: str | None
    mutual: bool
    date_value: str | None
    date_precision: str | None
    place: str | None
    article_count: int
    best_article: str
    evidence: str


class CheckedClaimOut(BaseModel):
    """A claim of an article (a count or an order of events), its sentence, and the verdict of the store."""

    claim: Claim
    evidence: str
    published: str | None
    check: ClaimCheck
    events: list[ClaimEvent]
