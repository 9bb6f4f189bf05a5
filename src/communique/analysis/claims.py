"""Claim checks, the pure part: a claim against the consolidated events relevant to it (docs/claims.md).

The store (`store/claims.py`) hands over the consolidated events of the claim's family and
pair and the span of its articles; this module decides which of those events count as
occasions of the claim, merges the ones that are one occasion, counts them in the claim's
period and returns a verdict: supported, contradicted, or not enough data when the store
covers less than the period. The rules are in data/claim_checks.toml.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from communique.analysis.consolidate import Rules, interval
from communique.errors import ConfigError
from communique.records import Claim, ClaimKind, Modality, Participant

_BEGIN_POLICIES = ("precision", "strict")
_UPWARD = ("at_least", "more_than")  # a larger true count still satisfies these
_UNCOVERED = "; the store covers less than the period"


class Verdict(StrEnum):
    """What the store says of a claim."""

    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    NOT_ENOUGH_DATA = "not enough data"


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """What the check reads of a consolidated event (a row of the `consolidated` table)."""

    id: str
    family: str
    type: str
    mode: str | None
    modality: str
    side_a: str | None
    side_b: str | None
    mutual: bool
    date_value: str | None
    cameo: str | None = None  # the CAMEO code of its best mention: 043 tells a visit from the host's side

    @property
    def span(self) -> tuple[int, int] | None:
        return interval(self.date_value)

    @property
    def days(self) -> tuple[int, int]:
        """The span of a dated event (callers keep only dated events); (0, 0) for undated ones."""
        return self.span or (0, 0)


@dataclass(frozen=True, slots=True)
class Coverage:
    """How far back the store reaches: the publication date of its first analysed article."""

    earliest: dt.date | None


@dataclass(frozen=True, slots=True)
class Selection:
    """Which events a claim's type and mode count: event modes ("" for none; None for all), direction.

    `hosted` are the CAMEO codes of events told from the other side ("Xi hosted Ruto": source
    China, target Kenya, a visit of Kenya to China); they count in the opposite direction.
    """

    modes: frozenset[str] | None
    directed: bool
    hosted: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CheckRules:
    """The rules of data/claim_checks.toml, with the type families of data/consolidation.toml."""

    begin: str
    modalities: frozenset[str]
    same_occasion_days: int
    max_merge_days: int
    first_since_after_begin: bool
    check_series: bool
    about: float
    selections: Mapping[str, Selection]
    family_of: Mapping[str, str]

    @classmethod
    def load(cls, path: Path | None = None, consolidation: Rules | None = None) -> CheckRules:
        """Read and check a rules file (the shipped one by default).

        Raises:
            ConfigError: an unknown coverage policy or modality.
        """
        text = path.read_text(encoding="utf-8") if path else \
            resources.files("communique").joinpath("data/claim_checks.toml").read_text(encoding="utf-8")
        return cls.from_dict(tomllib.loads(text), consolidation or Rules.load(), str(path or "data/claim_checks.toml"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], consolidation: Rules, where: str = "rules") -> CheckRules:
        begin = data.get("coverage", {}).get("begin", "precision")
        count = data.get("count", {})
        modalities = frozenset(count.get("modalities", ["asserted"]))
        if begin not in _BEGIN_POLICIES or not modalities <= set(Modality):
            raise ConfigError(f"E532 {where}: [coverage] begin must be one of {', '.join(_BEGIN_POLICIES)} and"
                              " [count] modalities must be modalities")
        selections = {key: Selection(frozenset(v["modes"]) if "modes" in v else None, bool(v.get("directed", True)),
                                     frozenset(v.get("hosted", ())))
                      for key, v in data.get("events", {}).items()}
        return cls(begin, modalities, int(count.get("same_occasion_days", 2)), int(count.get("max_merge_days", 31)),
                   bool(count.get("first_since_after_begin", True)), bool(count.get("check_series", False)),
                   float(count.get("about", 0.1)), selections, consolidation.family_of)

    def selection(self, claim: Claim) -> Selection:
        """The events a claim counts: its "TYPE/mode" entry, else its "TYPE" entry, else all, directed."""
        key = str(claim.event_type)
        return self.selections.get(f"{key}/{claim.mode}" if claim.mode else key) or \
            self.selections.get(key) or Selection(None, True)


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """A verdict on one claim: the occasions found, whether the store covers the period, and why."""

    claim_id: str
    verdict: Verdict
    found: int | None  # occasions the store gives (for an ordinal, the claimed occasion's rank)
    covered: bool
    events: tuple[str, ...]  # consolidated ids that make the claim true (supported) or false (contradicted)
    reason: str


def sides(part: Participant | None) -> frozenset[str]:
    """The keys a consolidated side may hold for a participant: its country code and its actor id."""
    if part is None:
        return frozenset()
    return frozenset(k for k in (part.country, part.actor_id) if k)


def relevant(claim: Claim, event: StoredEvent, rules: CheckRules) -> bool:
    """True when the event is an occasion of what the claim counts (family, modality, mode, the pair)."""
    sel = rules.selection(claim)
    if event.family != rules.family_of[str(claim.event_type)] or event.modality not in rules.modalities:
        return False
    if sel.modes is not None and (event.mode or "") not in sel.modes:
        return False
    subject, counterpart = sides(claim.subject), sides(claim.counterpart)
    forward = event.side_a in subject and event.side_b in counterpart
    backward = event.side_a in counterpart and event.side_b in subject
    if event.cameo in sel.hosted:
        forward, backward = backward, forward
    return forward or (backward and (event.mutual or claim.mutual or not sel.directed))


def covers(coverage: Coverage, begin: str | None, rules: CheckRules) -> bool:
    """True when the store holds articles from the period's beginning on (data/claim_checks.toml, [coverage])."""
    span = interval(begin)
    if span is None or coverage.earliest is None:
        return False
    limit = span[1] if rules.begin == "precision" else span[0]
    return coverage.earliest.toordinal() <= limit


def occasions(events: Iterable[StoredEvent], rules: CheckRules) -> list[tuple[StoredEvent, ...]]:
    """Dated events merged into occasions: a day-close run of narrow dates is one occasion, in date order."""
    out: list[list[StoredEvent]] = []
    last = None
    for e in sorted((e for e in events if e.span), key=lambda e: (e.days, e.id)):
        lo, hi = e.days
        narrow = hi - lo < rules.max_merge_days
        if out and narrow and last is not None and lo <= last + rules.same_occasion_days:
            out[-1].append(e)
            last = max(last, hi)
        else:
            out.append([e])
            last = hi if narrow else None
    return [tuple(o) for o in out]


def _near(occasion: Sequence[StoredEvent], span: tuple[int, int], days: int) -> bool:
    spans = [e.span for e in occasion if e.span]
    return any(lo <= span[1] + days and span[0] <= hi + days for lo, hi in spans)


def _ids(groups: Iterable[Sequence[StoredEvent]]) -> tuple[str, ...]:
    return tuple(e.id for g in groups for e in g)


def _satisfies(qualifier: str, value: int, n: int, about: float) -> bool:
    tolerance = max(1, round(n * about))
    return {"exact": value == n, "more_than": value > n, "at_least": value >= n, "at_most": value <= n,
            "less_than": value < n, "about": abs(value - n) <= tolerance}.get(qualifier, value == n)


def _verdict(qualifier: str, found: int, n: int, covered: bool, about: float) -> Verdict:
    """With the period covered the count is taken as complete; without, it is a lower bound of the truth."""
    if _satisfies(qualifier, found, n, about):
        return Verdict.SUPPORTED if covered or qualifier in _UPWARD else Verdict.NOT_ENOUGH_DATA
    if covered or not any(_satisfies(qualifier, v, n, about) for v in range(found, n + max(1, round(n * about)) + 2)):
        return Verdict.CONTRADICTED
    return Verdict.NOT_ENOUGH_DATA


def check(claim: Claim, events: Iterable[StoredEvent], coverage: Coverage, rules: CheckRules) -> ClaimCheck:
    """The verdict of the store on one claim.

    Args:
        claim: the claim, as extracted.
        events: consolidated events that may be relevant (a superset is fine: `relevant` filters them).
        coverage: how far back the store's analysed articles reach.
        rules: data/claim_checks.toml.

    Returns:
        supported / contradicted with the consolidated event ids that decide it, or not enough data.
    """
    def unchecked(reason: str) -> ClaimCheck:
        return ClaimCheck(claim.claim_id, Verdict.NOT_ENOUGH_DATA, None, False, (), reason)

    if not sides(claim.subject) or not sides(claim.counterpart):
        return unchecked("who or with whom is not known")
    if claim.series and not rules.check_series:
        return unchecked(f"an edition of a series ({claim.series}); events do not carry series")
    begin = claim.period.begin if claim.period else None
    start = interval(begin)
    if claim.period is not None and start is None:
        return unchecked(f"the period's beginning ({claim.period.text}) has no date")
    covered = covers(coverage, begin, rules)
    mine = [e for e in events if relevant(claim, e, rules) and e.span and (start is None or e.days[0] >= start[0])]
    if claim.kind is ClaimKind.COUNT:
        return _count(claim, mine, covered, rules)
    occasion = interval(claim.date) or interval(claim.period.end if claim.period else None)
    if occasion is None:
        return unchecked("the claimed occasion has no date")
    upto = occasions((e for e in mine if e.days[0] <= occasion[1]), rules)
    own = [o for o in upto if _near(o, occasion, rules.same_occasion_days)]
    before = [o for o in upto if not _near(o, occasion, rules.same_occasion_days)]
    if claim.kind is ClaimKind.FIRST_SINCE:
        return _first_since(claim, before, own, covered, rules)
    rank = len(before) + 1  # the claimed occasion counts once, even when the store lacks it (a plan)
    verdict = _verdict("exact", rank, claim.number, covered, rules.about)
    return ClaimCheck(claim.claim_id, verdict, rank, covered, _ids(before + own),
                      f"the store gives this occasion rank {rank}" + ("" if covered else _UNCOVERED))


def _first_since(claim: Claim, before: list[tuple[StoredEvent, ...]], own: list[tuple[StoredEvent, ...]],
                 covered: bool, rules: CheckRules) -> ClaimCheck:
    assert claim.period is not None and claim.period.begin is not None  # first_since has a "since" period
    start = interval(claim.period.begin)
    assert start is not None
    after = start[1] if rules.first_since_after_begin else start[0] - 1
    between = [o for o in before if any(e.days[0] > after for e in o)]
    if between:
        return ClaimCheck(claim.claim_id, Verdict.CONTRADICTED, len(between) + 1, covered, _ids(between),
                          f"{len(between)} earlier occasion(s) since {claim.period.begin}")
    verdict = Verdict.SUPPORTED if covered else Verdict.NOT_ENOUGH_DATA
    return ClaimCheck(claim.claim_id, verdict, 1, covered, _ids(own) if covered else (),
                      f"no occasion since {claim.period.begin}" + ("" if covered else _UNCOVERED))


def _count(claim: Claim, mine: list[StoredEvent], covered: bool, rules: CheckRules) -> ClaimCheck:
    end = interval(claim.period.end if claim.period else None)
    upto = interval(claim.date)
    hi = min(x[1] for x in (end, upto) if x) if end or upto else None  # nothing after the article counts
    found = occasions((e for e in mine if hi is None or e.days[0] <= hi), rules)
    verdict = _verdict(claim.qualifier, len(found), claim.number, covered, rules.about)
    return ClaimCheck(claim.claim_id, verdict, len(found), covered, _ids(found),
                      f"the store holds {len(found)} occasion(s)" + ("" if covered else _UNCOVERED))
