"""Plain records that flow through the pipeline and survive pickling and SQLite.

`as_dict`/`from_dict` are the only places that deal in dicts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class BoilerplateKind(StrEnum):
    """Kinds of non-body text separated from an article."""

    TITLE = "title"
    BYLINE = "byline"
    CAPTION = "caption"
    EDITOR = "editor"
    RELATED = "related"
    CONTACT = "contact"
    CREDIT = "credit"


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """One piece of text removed from the body, kept as metadata."""

    kind: BoilerplateKind
    text: str
    paragraph: int  # index of the body paragraph it stood before

    def as_dict(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "text": self.text, "paragraph": self.paragraph}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Boilerplate:
        return cls(BoilerplateKind(d["kind"]), d["text"], int(d["paragraph"]))


@dataclass(frozen=True, slots=True)
class Meta:
    """Article metadata from one layer (sidecar, record field, header, HTML, WARC)."""

    title: str | None = None
    byline: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    published_time: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def content_hash(text: str) -> str:
    """SHA-256 hex digest of a body; the article id is its first 16 characters."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article. Character offsets of later records refer to `text`."""

    id: str
    hash: str
    text: str
    origin: str  # file path, with `#line N` or `#record N` inside a container
    title: str | None = None
    byline: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    boilerplate: tuple[Boilerplate, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @classmethod
    def create(cls, text: str, origin: str, meta: Meta, boilerplate: tuple[Boilerplate, ...] = (),
               warnings: tuple[str, ...] = ()) -> Article:
        """Build an article whose id and hash are derived from its body."""
        digest = content_hash(text)
        metadata = dict(meta.extra)
        if meta.published_time:
            metadata["published_time"] = meta.published_time
        return cls(id=digest[:16], hash=digest, text=text, origin=origin, title=meta.title,
                   byline=meta.byline, source=meta.source, url=meta.url, published=meta.published,
                   boilerplate=boilerplate, metadata=metadata, warnings=warnings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "hash": self.hash, "origin": self.origin, "title": self.title,
            "byline": self.byline, "source": self.source, "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "text": self.text, "boilerplate": [b.as_dict() for b in self.boilerplate],
            "metadata": self.metadata, "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        published = d.get("published")
        return cls(
            id=d["id"], hash=d["hash"], text=d["text"], origin=d["origin"], title=d.get("title"),
            byline=d.get("byline"), source=d.get("source"), url=d.get("url"),
            published=dt.date.fromisoformat(published) if published else None,
            boilerplate=tuple(Boilerplate.from_dict(b) for b in d.get("boilerplate", [])),
            metadata=dict(d.get("metadata") or {}), warnings=tuple(d.get("warnings") or ()),
        )


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article body by character offsets."""

    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that could not become an article, with where and why."""

    origin: str
    code: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.origin}:{self.line}" if self.line is not None else self.origin
        return f"{where}: {self.code} {self.reason}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input record that is not an article (e.g. a WARC request record); counted, not failed."""

    origin: str
    reason: str


# ---- parsed layer (language core) -------------------------------------------------------


class Precision(StrEnum):
    """How much of a date value is known."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    SEASON = "season"
    HALF = "half"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"
    TIME = "time"  # a clock time on a known day


class TimexType(StrEnum):
    """TimeML TIMEX3 types."""

    DATE = "DATE"
    TIME = "TIME"
    DURATION = "DURATION"
    SET = "SET"


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A date or time expression with its TimeML value (`2023-12-04`, `XXXX-06-04`, `P3D`, `PRESENT_REF`).

    `start`/`end` are character offsets into the body. `precision` is None for
    durations, sets and references like PRESENT_REF. `anchor` is the value a period
    starts or ends at when the text says so ("since 1994" -> begin "1994").
    """

    start: int
    end: int
    text: str
    type: TimexType
    value: str
    precision: Precision | None = None
    mod: str | None = None  # TimeML mod: START, MID, END, BEFORE, AFTER, ON_OR_AFTER, APPROX, ...
    begin: str | None = None
    finish: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "type": str(self.type),
                "value": self.value, "precision": str(self.precision) if self.precision else None,
                "mod": self.mod, "begin": self.begin, "finish": self.finish}


class FigureKind(StrEnum):
    """What sort of number a figure is."""

    MONEY = "money"
    PERCENT = "percent"
    AREA = "area"
    LENGTH = "length"
    MASS = "mass"
    VOLUME = "volume"
    COUNT = "count"
    ORDINAL = "ordinal"


@dataclass(frozen=True, slots=True)
class Figure:
    """A number with its unit, normalised to base units (`$6.45 billion` -> 6.45e9 USD).

    `qualifier` is one of exact, at_least, at_most, about, more_than, less_than.
    `change` says whether a percentage is a change ("up 9 percent", "year-on-year")
    and how ("increase", "decrease", "change"). `measure` is what it measures when the
    sentence says it ("trade volume"); `period` is the text of the period it covers.
    """

    start: int
    end: int
    text: str
    value: float
    unit: str
    kind: FigureKind
    qualifier: str = "exact"
    change: str | None = None
    measure: str | None = None
    period: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "value": self.value, "unit": self.unit,
                "kind": str(self.kind), "qualifier": self.qualifier, "change": self.change,
                "measure": self.measure, "period": self.period}


@dataclass(frozen=True, slots=True)
class Role:
    """A position an actor holds between two dates (inclusive; None = open)."""

    country: str  # ISO 3166-1 alpha-3, or an organisation code such as "UN"
    sector: str  # GOV, MIL, ... (see data/sectors.toml)
    title: str  # "President", "Prime Minister", "Minister of Foreign Affairs"
    start: dt.date | None = None
    end: dt.date | None = None

    def holds_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


class ActorKind(StrEnum):
    COUNTRY = "country"
    PERSON = "person"
    ORGANIZATION = "organization"
    IGO = "igo"


@dataclass(frozen=True, slots=True)
class Actor:
    """A knowledge-base actor: a stable id, names, and what it is."""

    id: str  # "CHN", "igo:UN", "person:xi-jinping", "org:chinese-academy-of-social-sciences"
    name: str
    kind: ActorKind
    country: str | None = None
    sector: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    source: str | None = None  # where the facts come from (dataset name)

    def roles_on(self, day: dt.date | None) -> tuple[Role, ...]:
        """Roles held on `day`; every role when the day is unknown."""
        return self.roles if day is None else tuple(r for r in self.roles if r.holds_on(day))


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the body that refers to an actor, resolved or described.

    `via` says how: kb (dictionary match), title ("Belarusian President X"),
    apposition, ner (discovered, unresolved), coref (surname, pronoun, "the two sides"),
    metonym (a capital standing for its government).
    """

    start: int
    end: int
    text: str
    actor_id: str | None
    name: str
    kind: ActorKind | None
    country: str | None = None
    sector: str | None = None
    title: str | None = None
    via: str = "kb"
    refers_to: tuple[str, ...] = ()  # actor ids of a group mention ("the two countries")

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "actor_id": self.actor_id,
                "name": self.name, "kind": str(self.kind) if self.kind else None, "country": self.country,
                "sector": self.sector, "title": self.title, "via": self.via, "refers_to": list(self.refers_to)}


# ---- events and statements ---------------------------------------------------------------


class PloverType(StrEnum):
    """The sixteen PLOVER event types."""

    AGREE = "AGREE"
    CONSULT = "CONSULT"
    SUPPORT = "SUPPORT"
    CONCEDE = "CONCEDE"
    COOPERATE = "COOPERATE"
    AID = "AID"
    RETREAT = "RETREAT"
    REQUEST = "REQUEST"
    ACCUSE = "ACCUSE"
    REJECT = "REJECT"
    THREATEN = "THREATEN"
    PROTEST = "PROTEST"
    SANCTION = "SANCTION"
    MOBILIZE = "MOBILIZE"
    COERCE = "COERCE"
    ASSAULT = "ASSAULT"


class Modality(StrEnum):
    """Whether an event happened: asserted, negated, pledged (promised or planned) or hypothetical."""

    ASSERTED = "asserted"
    NEGATED = "negated"
    PLEDGED = "pledged"
    HYPOTHETICAL = "hypothetical"


class DateBasis(StrEnum):
    """Where an event's date comes from (the dating policy of docs/events.md)."""

    SENTENCE = "sentence"  # a date expression of the event's own sentence
    EVENT = "event"  # the date of the same event told elsewhere in the article
    MAIN_EVENT = "main_event"  # the article's main dated event, for continuing descriptions
    PUBLISHED = "published"  # the publication date, when the text dates nothing


@dataclass(frozen=True, slots=True)
class Participant:
    """An actor taking part in an event or speaking, with the span that names it."""

    text: str
    start: int
    end: int
    actor_id: str | None
    country: str | None
    sector: str | None = None
    name: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "actor_id": self.actor_id,
                "country": self.country, "sector": self.sector, "name": self.name}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Participant:
        return cls(text=data["text"], start=data["start"], end=data["end"], actor_id=data.get("actor_id"),
                   country=data.get("country"), sector=data.get("sector"), name=data.get("name"))


@dataclass(frozen=True, slots=True)
class EventDate:
    """An event's date: TimeML value, precision, the words that gave it and how it was chosen."""

    value: str
    precision: Precision | None
    text: str | None
    basis: DateBasis

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "precision": str(self.precision) if self.precision else None,
                "text": self.text, "basis": str(self.basis)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EventDate:
        return cls(value=data["value"], precision=Precision(data["precision"]) if data.get("precision") else None,
                   text=data.get("text"), basis=DateBasis(data["basis"]))


@dataclass(frozen=True, slots=True)
class Place:
    """Where an event happened: the place name and its country when known."""

    text: str
    start: int
    end: int
    country: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "country": self.country}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Place:
        return cls(text=data["text"], start=data["start"], end=data["end"], country=data.get("country"))


@dataclass(frozen=True, slots=True)
class Evidence:
    """One sentence that states an event: its index and offsets, and the trigger words in it."""

    sentence: int
    start: int
    end: int
    trigger: str
    trigger_start: int
    trigger_end: int

    def as_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "start": self.start, "end": self.end, "trigger": self.trigger,
                "trigger_start": self.trigger_start, "trigger_end": self.trigger_end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(**{k: data[k] for k in ("sentence", "start", "end", "trigger", "trigger_start", "trigger_end")})


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom, when and where, as one article says it (the record of DESIGN.md).

    `cameo` is a CAMEO code string ("042"); `quad_class` and `goldstein` come from the
    CAMEO table. `others` are further participants. `speaker` is set when the event is
    told inside reported speech (`reported`). `rule` names the lexicon entry that coded it.
    """

    event_id: str
    article_id: str
    type: PloverType
    mode: str | None
    cameo: str
    quad_class: int
    goldstein: float | None
    source: Participant | None
    target: Participant | None
    others: tuple[Participant, ...]
    mutual: bool
    date: EventDate | None
    location: Place | None
    modality: Modality
    reported: bool
    speaker: Participant | None
    evidence: tuple[Evidence, ...]
    confidence: float
    rule: str
    coder: str

    @property
    def sentence(self) -> int:
        return self.evidence[0].sentence

    def as_dict(self) -> dict[str, Any]:
        """The JSON record of DESIGN.md (plus `others`, `speaker`, `rule`)."""
        return {"event_id": self.event_id, "article_id": self.article_id, "type": str(self.type),
                "mode": self.mode, "cameo": self.cameo, "quad_class": self.quad_class, "goldstein": self.goldstein,
                "source": self.source.as_dict() if self.source else None,
                "target": self.target.as_dict() if self.target else None,
                "others": [p.as_dict() for p in self.others], "mutual": self.mutual,
                "date": self.date.as_dict() if self.date else None,
                "location": self.location.as_dict() if self.location else None,
                "modality": str(self.modality), "reported": self.reported,
                "speaker": self.speaker.as_dict() if self.speaker else None,
                "evidence": [e.as_dict() for e in self.evidence], "confidence": self.confidence,
                "rule": self.rule, "coder": self.coder}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        def part(value: dict[str, Any] | None) -> Participant | None:
            return Participant.from_dict(value) if value else None

        return cls(event_id=data["event_id"], article_id=data["article_id"], type=PloverType(data["type"]),
                   mode=data.get("mode"), cameo=data["cameo"], quad_class=data["quad_class"],
                   goldstein=data.get("goldstein"), source=part(data.get("source")), target=part(data.get("target")),
                   others=tuple(Participant.from_dict(p) for p in data.get("others", ())),
                   mutual=bool(data.get("mutual")),
                   date=EventDate.from_dict(data["date"]) if data.get("date") else None,
                   location=Place.from_dict(data["location"]) if data.get("location") else None,
                   modality=Modality(data["modality"]), reported=bool(data.get("reported")),
                   speaker=part(data.get("speaker")),
                   evidence=tuple(Evidence.from_dict(e) for e in data["evidence"]),
                   confidence=data["confidence"], rule=data.get("rule", ""), coder=data["coder"])


@dataclass(frozen=True, slots=True)
class Statement:
    """Who said what: speaker, cue ("said", "according to"), the reported content, direct or not."""

    statement_id: str
    article_id: str
    sentence: int
    speaker: Participant | None
    speaker_text: str | None  # the words naming the speaker when no actor resolves ("a spokesman")
    cue: str
    cue_start: int
    cue_end: int
    content: str
    content_start: int
    content_end: int
    direct: bool
    coder: str

    def as_dict(self) -> dict[str, Any]:
        return {"statement_id": self.statement_id, "article_id": self.article_id, "sentence": self.sentence,
                "speaker": self.speaker.as_dict() if self.speaker else None, "speaker_text": self.speaker_text,
                "cue": self.cue, "cue_start": self.cue_start, "cue_end": self.cue_end, "content": self.content,
                "content_start": self.content_start, "content_end": self.content_end, "direct": self.direct,
                "coder": self.coder}


@dataclass(frozen=True, slots=True)
class ParsedLayer:
    """Everything extraction found in one article, each language-core record with its sentence index."""

    article_id: str
    mentions: tuple[tuple[int, Mention], ...] = ()
    times: tuple[tuple[int, TimeExpression], ...] = ()
    figures: tuple[tuple[int, Figure], ...] = ()
    statements: tuple[Statement, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()


# ---- claims ------------------------------------------------------------------------------


class ClaimKind(StrEnum):
    """What a claim asserts about a series of occasions.

    ordinal: this occasion is the n-th ("his second visit", "the 15th time", "the sixth session");
    count: there were n occasions ("met four times this year", "has made eight visits");
    first_since: this is the first occasion since a point in time, i.e. none in between
    ("the first meeting since 2019", "his first trip abroad since taking office", "the first
    visit in a decade").
    """

    ORDINAL = "ordinal"
    COUNT = "count"
    FIRST_SINCE = "first_since"


@dataclass(frozen=True, slots=True)
class ClaimPeriod:
    """The span of time a claim counts in: TimeML values, inclusive, each at its own precision.

    "within the year" (2023) -> begin "2023", end "2023"; "since 1994" -> begin "1994", end the
    claimed occasion's date (else the publication date); "since taking office" -> begin None
    with the words in `text`. `text` is the phrase that tells the period.
    """

    begin: str | None
    end: str | None
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"begin": self.begin, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClaimPeriod:
        return cls(begin=data.get("begin"), end=data.get("end"), text=data["text"])


@dataclass(frozen=True, slots=True)
class Claim:
    """A sentence's assertion of a count or an order of events, with what it counts (docs/claims.md).

    `start`/`end`/`text` are the claim phrase; `number` is the rank or the count (1 for
    "first"); `qualifier` is exact, more_than, at_least, about, ... (as for figures).
    `event_type`/`mode` say which events are counted, `noun` the word that names them
    ("visit", "time", "session") and `series` the recurring occasion an edition belongs to
    ("intergovernmental cooperation committee"). `subject` is who visits or meets,
    `counterpart` to or with whom; `mutual` when the two are a pair in either order.
    `event_id` and `date` are the coded event the claim is about ("his second visit" = the
    arrival told in the same sentence) and its date; `modality` is that event's.
    """

    claim_id: str
    article_id: str
    sentence: int
    start: int
    end: int
    text: str
    kind: ClaimKind
    number: int
    qualifier: str
    noun: str
    event_type: PloverType
    mode: str | None
    subject: Participant | None
    counterpart: Participant | None
    mutual: bool
    period: ClaimPeriod | None
    series: str | None
    event_id: str | None
    date: str | None
    modality: Modality
    evidence: Evidence
    coder: str

    def as_dict(self) -> dict[str, Any]:
        return {"claim_id": self.claim_id, "article_id": self.article_id, "sentence": self.sentence,
                "start": self.start, "end": self.end, "text": self.text, "kind": str(self.kind),
                "number": self.number, "qualifier": self.qualifier, "noun": self.noun,
                "event_type": str(self.event_type), "mode": self.mode,
                "subject": self.subject.as_dict() if self.subject else None,
                "counterpart": self.counterpart.as_dict() if self.counterpart else None,
                "mutual": self.mutual, "period": self.period.as_dict() if self.period else None,
                "series": self.series, "event_id": self.event_id, "date": self.date,
                "modality": str(self.modality), "evidence": self.evidence.as_dict(), "coder": self.coder}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claim:
        def part(value: dict[str, Any] | None) -> Participant | None:
            return Participant.from_dict(value) if value else None

        return cls(claim_id=data["claim_id"], article_id=data["article_id"], sentence=data["sentence"],
                   start=data["start"], end=data["end"], text=data["text"], kind=ClaimKind(data["kind"]),
                   number=int(data["number"]), qualifier=data.get("qualifier", "exact"), noun=data["noun"],
                   event_type=PloverType(data["event_type"]), mode=data.get("mode"),
                   subject=part(data.get("subject")), counterpart=part(data.get("counterpart")),
                   mutual=bool(data.get("mutual")),
                   period=ClaimPeriod.from_dict(data["period"]) if data.get("period") else None,
                   series=data.get("series"), event_id=data.get("event_id"), date=data.get("date"),
                   modality=Modality(data.get("modality", "asserted")),
                   evidence=Evidence.from_dict(data["evidence"]), coder=data["coder"])
