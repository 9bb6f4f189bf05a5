"""Consolidation, the pure part: which mention-level events report the same real-world event.

Mentions are cut into *buckets* (type family, the unordered pair of sides, and the year of the
date, or the article for undated mentions); groups never cross a bucket, so adding a mention
only ever re-groups its own bucket. Inside a bucket the grouping is a greedy pass in a canonical
order (narrowest date first, then date value, modality and event id), so the result depends on
the set of mentions and never on the order in which articles were analysed. The rules and
their reasons are in docs/analysis.md; the families and switches in data/consolidation.toml.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from communique.errors import ConfigError
from communique.records import Modality, PloverType

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_YEAR = re.compile(r"^(\d{4})$")
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11)}  # winter straddles two years: the whole year
_PREFERENCES = ("same_article", "most_articles", "earliest")


@dataclass(frozen=True, slots=True)
class Rules:
    """The consolidation rules of data/consolidation.toml."""

    family_of: Mapping[str, str]
    family_types: Mapping[str, tuple[str, ...]]
    modalities: frozenset[str]
    separate_modalities: bool = True
    ambiguous: tuple[str, ...] = _PREFERENCES
    id_length: int = 16

    @classmethod
    def load(cls, path: Path | None = None) -> Rules:
        """Read and check a rules file (the shipped one by default).

        Raises:
            ConfigError: a type missing from or repeated in the families, an unknown modality or preference.
        """
        text = path.read_text(encoding="utf-8") if path else \
            resources.files("communique").joinpath("data/consolidation.toml").read_text(encoding="utf-8")
        return cls.from_dict(tomllib.loads(text), str(path or "data/consolidation.toml"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "rules") -> Rules:
        families = {name: tuple(types) for name, types in data.get("families", {}).items()}
        listed = [t for types in families.values() for t in types]
        if sorted(listed) != sorted(PloverType) or any(types[0] != name for name, types in families.items()):
            raise ConfigError(f"E530 {where}: [families] must list every PLOVER type once, each family named "
                              "after its first type")
        rules = data.get("rules", {})
        modalities = frozenset(rules.get("modalities", ["asserted", "pledged"]))
        ambiguous = tuple(rules.get("ambiguous", _PREFERENCES))
        if not modalities <= set(Modality) or not set(ambiguous) <= set(_PREFERENCES) \
                or rules.get("undated", "article") != "article":
            raise ConfigError(f"E531 {where}: [rules] has an unknown modality, preference or undated scope")
        return cls({t: name for name, types in families.items() for t in types}, families, modalities,
                   bool(rules.get("separate_modalities", True)), ambiguous, int(rules.get("id_length", 16)))


@dataclass(frozen=True, slots=True)
class Mention:
    """What consolidation reads of a mention-level event (a row of the `events` table)."""

    event_id: str
    article_id: str
    sentence: int
    type: str
    mode: str | None
    source: str | None  # country code, else actor id
    target: str | None
    mutual: bool
    date_value: str | None
    date_precision: str | None
    date_basis: str | None
    place: str | None
    place_country: str | None
    modality: str
    confidence: float
    quad_class: int
    goldstein: float | None


@dataclass(frozen=True, slots=True, order=True)
class Bucket:
    """The unit of re-grouping: family, sorted pair of sides ('' when unknown), and year or undated article."""

    family: str
    side_a: str
    side_b: str
    period: str  # "2023", or "article:<id>" for undated mentions


@dataclass(frozen=True, slots=True)
class Group:
    """One consolidated event: its bucket, its summary fields and its members (best first)."""

    id: str
    bucket: Bucket
    type: str
    mode: str | None
    modality: str
    side_a: str | None
    side_b: str | None
    mutual: bool
    date_value: str | None
    date_precision: str | None
    place: str | None
    place_country: str | None
    quad_class: int
    goldstein: float | None
    members: tuple[Mention, ...]

    @property
    def best(self) -> Mention:
        return self.members[0]

    @property
    def article_count(self) -> int:
        return len({m.article_id for m in self.members})


def interval(value: str | None) -> tuple[int, int] | None:
    """The first and last day (ordinals) a TimeML date value covers; None when its year is unknown.

    >>> interval("2023-12") == (dt.date(2023, 12, 1).toordinal(), dt.date(2023, 12, 31).toordinal())
    True
    """
    if not value:
        return None
    try:
        if m := _DAY.match(value):
            day = dt.date(int(m[1]), int(m[2]), int(m[3])).toordinal()
            return day, day
        if m := _MONTH.match(value):
            return _span(int(m[1]), int(m[2]), int(m[2]))
        if m := _QUARTER.match(value):
            q = int(m[2])
            return _span(int(m[1]), 3 * q - 2, 3 * q)
        if m := _HALF.match(value):
            h = int(m[2])
            return _span(int(m[1]), 6 * h - 5, 6 * h)
        if m := _WEEK.match(value):
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1).toordinal()
            return monday, monday + 6
        if m := _SEASON.match(value):
            first, last = _SEASON_MONTHS.get(m[2], (1, 12))
            return _span(int(m[1]), first, last)
        if m := _YEAR.match(value):
            return _span(int(m[1]), 1, 12)
    except ValueError:  # 2023-02-30, week 54
        return None
    return None


def _span(year: int, first_month: int, last_month: int) -> tuple[int, int]:
    start = dt.date(year, first_month, 1)
    end = dt.date(year + 1, 1, 1) if last_month == 12 else dt.date(year, last_month + 1, 1)
    return start.toordinal(), end.toordinal() - 1


def nested(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True when one period lies inside the other (2023-12 and 2023-12-04; not 2023-12 and 2023-11-30)."""
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])


def bucket_of(m: Mention, rules: Rules) -> Bucket:
    side_a, side_b = sorted((m.source or "", m.target or ""))
    period = m.date_value[:4] if m.date_value and interval(m.date_value) else f"article:{m.article_id}"
    return Bucket(rules.family_of[m.type], side_a, side_b, period)


@dataclass(slots=True)
class _Cluster:
    modality: str
    span: tuple[int, int] | None
    direction: tuple[str | None, str | None] | None  # None while every member is mutual
    place_country: str | None
    members: list[Mention] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    index: int = -1  # its place in `_Clusters.all`

    def accepts(self, m: Mention, span: tuple[int, int] | None, rules: Rules) -> bool:
        if rules.separate_modalities and m.modality != self.modality:
            return False
        if span is not None and self.span is not None and not nested(span, self.span):
            return False
        if not m.mutual and self.direction is not None and self.direction != (m.source, m.target):
            return False
        return m.place_country is None or self.place_country is None or m.place_country == self.place_country

    def add(self, m: Mention, span: tuple[int, int] | None) -> None:
        if span is not None and (self.span is None or span[1] - span[0] < self.span[1] - self.span[0]):
            self.span = span
        if not m.mutual and self.direction is None:
            self.direction = (m.source, m.target)
        self.place_country = self.place_country or m.place_country
        self.members.append(m)
        self.articles.add(m.article_id)


def _preference(rule: str, c: _Cluster, m: Mention) -> Any:
    if rule == "same_article":
        return m.article_id not in c.articles
    if rule == "most_articles":
        return -len(c.articles)
    return c.span[0] if c.span else 0  # earliest


def _canonical(m: Mention, span: tuple[int, int] | None) -> tuple[Any, ...]:
    width = span[1] - span[0] if span else 1 << 30
    return width, m.date_value or "", m.modality, m.event_id


def group_bucket(bucket: Bucket, mentions: Iterable[Mention], rules: Rules) -> list[Group]:
    """Group the mentions of one bucket into consolidated events (deterministic, order-free)."""
    clusters = _Clusters(rules)
    pool = list(mentions)
    spans = {value: interval(value) for value in {m.date_value for m in pool}}  # a bucket repeats its dates
    for m in sorted(pool, key=lambda m: _canonical(m, spans[m.date_value])):
        span = spans[m.date_value]
        clusters.add(clusters.choose(m, span) or clusters.new(_Cluster(m.modality, span, None, m.place_country)),
                     m, span)
    return _identify(bucket, [_summarise(bucket, c, rules, spans) for c in clusters.all], rules)


class _Clusters:
    """The clusters of a bucket, indexed so that a mention only looks at the clusters it could join.

    Mentions arrive narrowest first, so a cluster's span is fixed by the mention that opened it,
    and the only dated clusters a mention can fit lie inside its own span: by the first day of
    their span, a day mention finds the clusters of its day, not every cluster of a busy dyad's
    year. A coarse mention (a year) fits most of the bucket's clusters, so they are also kept
    ranked by the preferences after `same_article` (most articles, earliest, first event id):
    when none of its own article's clusters fits, the first ranked cluster that fits wins, which
    is the choice comparing every fitting cluster would make.
    """

    _SCAN = 32  # up to this many candidates, comparing them all is cheaper than walking the ranking

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.all: list[_Cluster] = []
        self._starts: list[tuple[int, int]] = []  # (first day, index into all), sorted
        self._undated: list[_Cluster] = []
        self._ranked: list[tuple[Any, ...]] = []  # (*preferences after same_article, first event id, index)
        self._of_article: dict[str, list[int]] = {}
        self._rankable = rules.ambiguous[:1] == ("same_article",) and "same_article" not in rules.ambiguous[1:]

    def new(self, c: _Cluster) -> _Cluster:
        c.index = len(self.all)
        if c.span is None:
            self._undated.append(c)
        else:
            bisect.insort(self._starts, (c.span[0], c.index))
        self.all.append(c)
        return c

    def add(self, c: _Cluster, m: Mention, span: tuple[int, int] | None) -> None:
        fresh = m.article_id not in c.articles
        old = self._rank(c) if self._rankable and c.members and c.span is not None else None
        c.add(m, span)
        if fresh:
            self._of_article.setdefault(m.article_id, []).append(c.index)
        if self._rankable and c.span is not None and (old is None or fresh):
            if old is not None:
                del self._ranked[bisect.bisect_left(self._ranked, old)]
            bisect.insort(self._ranked, self._rank(c))

    def _rank(self, c: _Cluster) -> tuple[Any, ...]:
        return (*(_preference(r, c, c.members[0]) for r in self.rules.ambiguous[1:]), c.members[0].event_id, c.index)

    def choose(self, m: Mention, span: tuple[int, int] | None) -> _Cluster | None:
        """The cluster `m` joins, or None when it fits none (docs/analysis.md, "Ambiguous dates")."""
        lo, hi = self._range(span)
        if span is None or self._undated or not self._rankable or hi - lo <= self._SCAN:
            candidates = self.all if span is None else [*self._undated, *(self.all[n] for _, n in self._starts[lo:hi])]
            fits = [c for c in candidates if c.accepts(m, span, self.rules)]
            return min(fits, key=lambda c: (*(_preference(r, c, m) for r in self.rules.ambiguous),
                                            c.members[0].event_id)) if fits else None
        inside = [self.all[n] for n in self._of_article.get(m.article_id, ())]
        own = [c for c in inside if c.span and span[0] <= c.span[0] <= span[1] and c.accepts(m, span, self.rules)]
        if own:
            return min(own, key=self._rank)
        return next((c for *_, n in self._ranked if (c := self.all[n]).span and span[0] <= c.span[0] <= span[1]
                     and c.accepts(m, span, self.rules)), None)

    def _range(self, span: tuple[int, int] | None) -> tuple[int, int]:
        """The slice of `_starts` whose clusters begin inside `span`."""
        if span is None:
            return 0, len(self._starts)
        return (bisect.bisect_left(self._starts, (span[0], -1)),
                bisect.bisect_right(self._starts, (span[1], len(self.all))))


def group(mentions: Iterable[Mention], rules: Rules) -> list[Group]:
    """Group any mentions: bucket them, then group each bucket. Groups come in bucket order."""
    buckets: dict[Bucket, list[Mention]] = {}
    for m in mentions:
        if m.modality in rules.modalities:
            buckets.setdefault(bucket_of(m, rules), []).append(m)
    return [g for b in sorted(buckets) for g in group_bucket(b, buckets[b], rules)]


def _most(values: Iterable[Any], tiebreak: Any = None) -> Any:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], tiebreak(v) if tiebreak else v))


def _best_first(m: Mention) -> tuple[Any, ...]:
    """The evidence to show first: own-sentence dates, then confidence, then early sentences."""
    return m.date_basis != "sentence", -m.confidence, m.sentence, m.article_id, m.event_id


def _summarise(bucket: Bucket, c: _Cluster, rules: Rules, spans: Mapping[str | None, tuple[int, int] | None]) -> Group:
    members = tuple(sorted(c.members, key=_best_first))
    order = rules.family_types[bucket.family]
    kind = _most((m.type for m in members), order.index)
    dated = [m for m in members if spans[m.date_value] == c.span] if c.span else list(members)
    date = min((m.date_value for m in dated if m.date_value), default=None)
    precision = next((m.date_precision for m in dated if m.date_value == date), None)
    side_a, side_b = c.direction or ((bucket.side_a or None), (bucket.side_b or None))
    scores = [m.goldstein for m in members if m.goldstein is not None]
    return Group("", bucket, kind, _most(m.mode for m in members if m.type == kind), c.modality, side_a, side_b,
                 c.direction is None, date, precision,
                 _most(m.place for m in members if c.place_country in (None, m.place_country)), c.place_country,
                 _most(m.quad_class for m in members), round(sum(scores) / len(scores), 2) if scores else None,
                 members)


def _identify(bucket: Bucket, groups: list[Group], rules: Rules) -> list[Group]:
    """Give each group its id: a hash of what defines it, plus an ordinal when two would share one."""
    seen: Counter[str] = Counter()
    out = []
    for g in sorted(groups, key=lambda g: min(m.event_id for m in g.members)):
        key = "|".join((bucket.family, bucket.side_a, bucket.side_b, bucket.period, g.modality, g.date_value or ""))
        n = seen[key]
        seen[key] += 1
        digest = hashlib.sha1((key + (f"|{n}" if n else "")).encode()).hexdigest()[:rules.id_length]
        out.append(replace(g, id=digest))
    return out
