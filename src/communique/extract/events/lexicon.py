"""The event trigger lexicon (data/events/triggers.yaml) and the CAMEO fact table (data/events/cameo.tsv).

Both are data: users add or re-map triggers in their own YAML file of the same format
(`nlp.trigger_files` in the settings) and re-code a corpus reproducibly.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from communique.errors import ConfigError
from communique.records import PloverType

POS = ("verb", "noun", "adj")


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false, so that "on", "off", "yes" and "no" stay words."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def load_yaml(text: str) -> Any:
    """Parse a lexicon file with YAML 1.2 booleans."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
_ENTRY_KEYS = {"id", "words", "pos", "cameo", "plover", "mode", "prep", "object", "with", "actor_object", "target",
               "lone", "intent", "mutual"}


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One row of the CAMEO table: PLOVER type and mode, quad class, Goldstein score."""

    code: str
    plover: PloverType | None
    mode: str | None
    quad_class: int
    goldstein: float | None


class CameoTable:
    """CAMEO code -> facts (sources in docs/events.md)."""

    def __init__(self, codes: dict[str, CameoCode]) -> None:
        self.codes = codes

    @classmethod
    def load(cls) -> CameoTable:
        text = resources.files("communique.data").joinpath("events/cameo.tsv").read_text("utf-8")
        codes = {}
        for row in csv.DictReader(io.StringIO(text), delimiter="\t"):
            codes[row["cameo"]] = CameoCode(
                code=row["cameo"], plover=PloverType(row["plover_type"]) if row["plover_type"] else None,
                mode=row["plover_mode"] or None, quad_class=int(row["quad_class"]),
                goldstein=float(row["goldstein"]) if row["goldstein"] else None)
        return cls(codes)

    def __getitem__(self, code: str) -> CameoCode:
        return self.codes[code]

    def __contains__(self, code: object) -> bool:
        return code in self.codes


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """One sense of a trigger word and the CAMEO code it stands for, with the conditions that select it."""

    id: str
    words: frozenset[str]
    pos: str
    cameo: str
    plover: PloverType
    mode: str | None
    quad_class: int
    goldstein: float | None
    prep: str | None = None
    object: frozenset[str] = frozenset()
    with_words: frozenset[str] = frozenset()
    actor_object: bool = False
    target: tuple[str, ...] | None = None
    lone: bool = False
    intent: bool = False
    mutual: bool = False

    @property
    def specificity(self) -> int:
        """How many conditions the entry sets; the most specific fitting entry wins."""
        return sum((self.prep is not None, bool(self.object), bool(self.with_words), self.actor_object))


@dataclass(frozen=True, slots=True)
class TriggerLexicon:
    """Trigger entries indexed by (lemma, part of speech), the intent codes by CAMEO root, and the agent nouns."""

    entries: tuple[TriggerEntry, ...]
    intent: dict[str, str]
    cameo: CameoTable
    agents: frozenset[str] = frozenset()
    threat: dict[str, str] | None = None

    @classmethod
    def load(cls, extra: Sequence[Path] = ()) -> TriggerLexicon:
        """The shipped lexicon, then the users' files; a user entry with a shipped id replaces it."""
        cameo = CameoTable.load()
        shipped = resources.files("communique.data").joinpath("events/triggers.yaml").read_text("utf-8")
        documents: list[tuple[str, Any]] = [("data/events/triggers.yaml", load_yaml(shipped))]
        for path in extra:
            try:
                documents.append((str(path), load_yaml(path.read_text("utf-8"))))
            except (OSError, yaml.YAMLError) as exc:
                raise ConfigError(f"E302 {path}: cannot read the trigger file ({exc})") from exc
        entries: dict[str, TriggerEntry] = {}
        intent: dict[str, str] = {}
        agents: set[str] = set()
        threat: dict[str, str] = {}
        for name, data in documents:
            if not isinstance(data, dict) or not isinstance(data.get("entries", []), list):
                raise ConfigError(f"E302 {name}: a trigger file is a mapping with a list under 'entries'")
            for root, code in (data.get("intent") or {}).items():
                intent[str(root)] = _known(str(code), cameo, name, f"intent {root}")
            for root, code in (data.get("threat") or {}).items():
                threat[str(root)] = _known(str(code), cameo, name, f"threat {root}")
            agents |= _words(data.get("agents"), name, "agents")
            for n, raw in enumerate(data.get("entries") or (), start=1):
                entry = _entry(raw, cameo, f"{name}: entry {n}")
                entries[entry.id] = entry
        return cls(tuple(entries.values()), intent, cameo, frozenset(agents), threat)

    def index(self) -> dict[tuple[str, str], tuple[TriggerEntry, ...]]:
        """(lemma, pos) -> the entries of that word, in file order."""
        out: dict[tuple[str, str], list[TriggerEntry]] = {}
        for entry in self.entries:
            for word in entry.words:
                out.setdefault((word, entry.pos), []).append(entry)
        return {key: tuple(value) for key, value in out.items()}

    def pledged_code(self, code: str, vowed: bool) -> str | None:
        """The code of a pledged event: the intent to cooperate, or (when vowed) the threat; longest prefix wins."""
        tables = (self.intent, self.threat or {}) if vowed else (self.intent,)
        for table in tables:
            for n in (4, 3, 2):
                if code[:n] in table:
                    return table[code[:n]]
        return None

    def recode(self, entry: TriggerEntry, code: str) -> TriggerEntry:
        """The entry coded as `code` instead, with that code's PLOVER facts."""
        facts = self.cameo[code]
        return TriggerEntry(id=entry.id, words=entry.words, pos=entry.pos, cameo=code,
                            plover=facts.plover or PloverType.AGREE, mode=facts.mode, quad_class=facts.quad_class,
                            goldstein=facts.goldstein, prep=entry.prep, object=entry.object,
                            with_words=entry.with_words, actor_object=entry.actor_object, target=entry.target,
                            lone=entry.lone, intent=entry.intent, mutual=entry.mutual)


def _known(code: str, cameo: CameoTable, where: str, what: str) -> str:
    if code not in cameo:
        raise ConfigError(f"E302 {where}: {what}: {code!r} is not a CAMEO code")
    return code


def _words(value: Any, where: str, key: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"E302 {where}: '{key}' must be a word or a list of words")
    return frozenset(v.lower() for v in value)


def _entry(raw: Any, cameo: CameoTable, where: str) -> TriggerEntry:
    if not isinstance(raw, dict):
        raise ConfigError(f"E302 {where}: an entry is a mapping")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise ConfigError(f"E302 {where}: unknown keys {sorted(unknown)}")
    for key in ("id", "words", "pos", "cameo"):
        if key not in raw:
            raise ConfigError(f"E302 {where}: '{key}' is missing")
    where = f"{where} ({raw['id']})"
    if raw["pos"] not in POS:
        raise ConfigError(f"E302 {where}: pos must be one of {', '.join(POS)}")
    code = _known(str(raw["cameo"]), cameo, where, "cameo")
    facts = cameo[code]
    try:
        plover = PloverType(raw["plover"]) if raw.get("plover") else facts.plover
    except ValueError as exc:
        raise ConfigError(f"E302 {where}: {raw['plover']!r} is not a PLOVER type") from exc
    if plover is None:
        raise ConfigError(f"E302 {where}: CAMEO {code} has no PLOVER type; give one with 'plover'")
    target = raw.get("target")
    if target is not None and (not isinstance(target, list) or not all(isinstance(t, str) for t in target)):
        raise ConfigError(f"E302 {where}: 'target' must be a list of slots")
    return TriggerEntry(
        id=str(raw["id"]), words=_words(raw["words"], where, "words"), pos=raw["pos"], cameo=code, plover=plover,
        mode=raw["mode"] if "mode" in raw else (facts.mode if plover == facts.plover else None),
        quad_class=facts.quad_class, goldstein=facts.goldstein, prep=raw.get("prep"),
        object=_words(raw.get("object"), where, "object"), with_words=_words(raw.get("with"), where, "with"),
        actor_object=bool(raw.get("actor_object")), target=tuple(target) if target is not None else None,
        lone=bool(raw.get("lone")), intent=bool(raw.get("intent")), mutual=bool(raw.get("mutual")))
