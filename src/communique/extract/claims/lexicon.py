"""The claim lexicon: ordinal and count words, occasion nouns and verbs, period words (data/claims.toml)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.tokens import Token

from communique.records import PloverType

_SUFFIXED = re.compile(r"^(\d{1,3})(?:st|nd|rd|th)$")


@dataclass(frozen=True, slots=True)
class Occasion:
    """What a noun or verb counts: a PLOVER type and mode; `series` for editions ("the sixth session")."""

    type: PloverType
    mode: str | None = None
    series: bool = False


@dataclass(frozen=True, slots=True)
class ClaimLexicon:
    """The word lists of `data/claims.toml`."""

    ordinals: Mapping[str, int]
    numbers: Mapping[str, int]
    adverbs: Mapping[str, int]
    qualifiers: tuple[tuple[tuple[str, ...], str], ...]  # word sequences, longest first
    nouns: Mapping[str, Occasion]
    edition_nouns: frozenset[str]
    generic_nouns: frozenset[str]
    verbs: Mapping[str, Occasion]
    light_verbs: frozenset[str]
    since: frozenset[str]
    lookback: frozenset[str]
    within: frozenset[str]

    @classmethod
    def load(cls, path: Path | None = None) -> ClaimLexicon:
        """Build the lexicon from `path`, or from the copy shipped in the package."""
        if path is None:
            text = resources.files("communique.data").joinpath("claims.toml").read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        return cls.parse(tomllib.loads(text))

    @classmethod
    def parse(cls, data: dict[str, Any]) -> ClaimLexicon:
        nouns = dict(data["nouns"])
        editions = nouns.pop("edition_nouns", [])
        generic = nouns.pop("generic_nouns", [])
        verbs = dict(data["verbs"])
        light = verbs.pop("light_verbs", [])
        periods = data["periods"]
        qualifiers = sorted(((tuple(k.lower().split()), v) for k, v in data["qualifiers"].items()),
                            key=lambda kv: -len(kv[0]))
        return cls(ordinals={k.lower(): int(v) for k, v in data["ordinals"].items()},
                   numbers={k.lower(): int(v) for k, v in data["numbers"].items()},
                   adverbs={k.lower(): int(v) for k, v in data["adverbs"].items()},
                   qualifiers=tuple(qualifiers),
                   nouns={k.lower(): _occasion_of(v) for k, v in nouns.items()},
                   edition_nouns=frozenset(w.lower() for w in editions),
                   generic_nouns=frozenset(w.lower() for w in generic),
                   verbs={k.lower(): _occasion_of(v) for k, v in verbs.items()},
                   light_verbs=frozenset(w.lower() for w in light),
                   since=frozenset(w.lower() for w in periods["since"]),
                   lookback=frozenset(w.lower() for w in periods["lookback"]),
                   within=frozenset(w.lower() for w in periods["within"]))

    def ordinal(self, token: Token) -> int | None:
        if (m := _SUFFIXED.match(token.lower_)) is not None:
            return int(m.group(1))
        return self.ordinals.get(token.lower_)

    def cardinal(self, token: Token) -> int | None:
        text = token.text.replace(",", "")
        if text.isdigit():
            return int(text)
        return self.numbers.get(token.lower_)


def _occasion_of(value: dict[str, Any]) -> Occasion:
    return Occasion(PloverType(value["type"]), value.get("mode"), bool(value.get("series", False)))


@lru_cache(maxsize=1)
def default_lexicon() -> ClaimLexicon:
    """The shipped lexicon, loaded on first use (never at import time)."""
    return ClaimLexicon.load()
