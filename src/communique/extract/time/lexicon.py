"""The time vocabulary: `TimeLexicon` read from `data/time.toml`, with its grammar compiled once, and the default."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from communique.extract.time.grammar import Grammar


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType({k.lower(): v for k, v in mapping.items()})


@dataclass(frozen=True, slots=True)
class TimeLexicon:
    """The vocabulary of `data/time.toml` (keys lowercased), with the grammar compiled from it once."""

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
    adjectival_sets: frozenset[str]
    modifiers: Mapping[str, str]
    approximators: Mapping[str, str]
    ambiguous_months: frozenset[str]
    month_lead: frozenset[str]
    count_nouns: frozenset[str]
    holidays: Mapping[str, tuple[int, ...]]
    grammar: Grammar

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
        """Build a lexicon from a parsed TOML document (see `load`)."""
        cal = data["calendar"]
        months = {name: i for i, names in enumerate(cal["months"], 1) for name in names}
        holidays: dict[str, tuple[int, ...]] = {
            k: tuple(int(x) for x in v.split("-")) for k, v in data["holidays"]["fixed"].items()}
        holidays.update({k: tuple(v) for k, v in data["holidays"]["floating"].items()})
        adjectives = {k: v for k, v in data["reference_adjectives"].items() if k != "not_before"}
        return cls(
            months=_frozen(months), weekdays=_frozen({d: i for i, d in enumerate(cal["weekdays"], 1)}),
            numbers=_frozen(data["numbers"]), ordinals=_frozen(data["ordinals"]),
            units=_frozen({k: (int(v[0]), str(v[1])) for k, v in data["units"].items()}),
            seasons=_frozen(data["seasons"]), day_parts=_frozen(data["day_parts"]),
            decade_words=_frozen(data["decade_words"]), references=_frozen(data["references"]),
            reference_adjectives=_frozen(adjectives),
            not_time_nouns=frozenset(data["reference_adjectives"]["not_before"]["words"]),
            sets=_frozen(data["sets"]), adjectival_sets=frozenset(data["frequency"]["not_before_nouns"]),
            modifiers=_frozen(data["modifiers"]), approximators=_frozen(data["approximators"]),
            ambiguous_months=frozenset(cal["ambiguous_months"]), month_lead=frozenset(cal["month_lead"]),
            count_nouns=frozenset(data["years"]["count_nouns"]), holidays=_frozen(holidays),
            grammar=Grammar.build(data, holidays),
        )


@functools.lru_cache(maxsize=1)
def default_lexicon() -> TimeLexicon:
    """The lexicon shipped with the package, loaded on first use (never at import)."""
    return TimeLexicon.load()
