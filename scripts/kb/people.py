"""People with dated roles: EveryPolitician/Wikidata position-holder tables, corrected and
brought up to date by leaders_supplement.yaml, with name variants from people_aliases.yaml
and given_names.yaml.
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kb.common import HERE, fold, iso_date, load_yaml, slug, unique

EARLIEST = "2000-01-01"  # roles that ended before this date are not kept
FAMILY_NAME_FIRST = {"CHN", "KOR", "PRK", "TWN", "HKG", "MAC"}
NO_SURNAME_COUNTRIES = {"MMR"}
IGO_CODES = {"UN", "NATO", "EC", "EU"}


class ExtraSource(Protocol):
    """A further source of roles: adds to `people` (keyed by Wikidata id); `covered` are the
    countries that leaders.toml configures."""

    def __call__(self, sources: Path, people: dict[str, Person], covered: set[str]) -> None: ...


class BuildError(Exception):
    """Source data that the build cannot turn into KB records."""


@dataclass
class Person:
    name: str
    wikidata: str | None = None
    labels: list[str] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def display_name(row: dict[str, str]) -> str:
    """English Wikipedia title without its disambiguation, else the Wikidata label."""
    title = re.sub(r"\s*\(.*\)$", "", row.get("enwiki") or "").strip()
    return title or row["person"]


def _ends_before(end: str | None, day: str) -> bool:
    return end is not None and end < day[: len(end)]


def _table_roles(sources: Path, iso3: str, cfg: dict[str, Any], people: dict[str, Person]) -> None:
    """Add the kept positions of one country's holders21 table."""
    path = sources / "everypolitician" / f"{cfg['repo']}.csv"
    wanted = {p["position"]: p for p in cfg["positions"]}
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            spec = wanted.get(row["position"])
            start, end = iso_date(row["start"]), iso_date(row["end"])
            if spec is None or _ends_before(end, EARLIEST) or (start and end and end < start[: len(end)]):
                continue
            person = people.setdefault(row["personID"], Person(display_name(row), row["personID"]))
            person.labels.append(row["person"])
            source = f"Wikidata via every-politician-scrapers/{cfg['repo']}"
            person.roles.append({"country": iso3, "office": spec["office"], "title": spec["title"],
                                 "start": start, "end": end, "source": source})
            if source not in person.sources:
                person.sources.append(source)


def _find(people: dict[str, Person], name: str) -> Person | None:
    key = fold(name)
    for person in people.values():
        if key == fold(person.name) or key in {fold(x) for x in person.labels}:
            return person
    return None


def _apply(row: dict[str, Any], people: dict[str, Person]) -> None:
    """One supplement row: correct a role's dates (`was_start`), close an open role, or add a role
    (and the person if new)."""
    person = _find(people, row["person"])
    if "was_start" in row:
        matches = [r for r in (person.roles if person else [])
                   if r["country"] == row["country"] and r["office"] == row["office"]
                   and r["start"] == iso_date(row["was_start"])]
        if len(matches) != 1:
            raise BuildError(f"supplement: no single {row['office']} role of {row['person']} in {row['country']} "
                             f"starting {row['was_start']}")
        (role,) = matches
        role["start"], role["end"] = iso_date(row["start"]), iso_date(row.get("end"))
        role["source"] += f"; dates: {row['source']}"
        return
    if "start" not in row:
        open_roles = [r for r in (person.roles if person else [])
                      if r["country"] == row["country"] and r["office"] == row["office"] and r["end"] is None]
        if not open_roles:
            raise BuildError(f"supplement: no open {row['office']} role of {row['person']} in {row['country']}")
        for role in open_roles:
            role["end"] = iso_date(row["end"])
            role["source"] += f"; end: {row['source']}"
        return
    if person is None:
        person = people.setdefault(f"name:{slug(row['person'])}", Person(row["person"]))
    person.roles.append({"country": row["country"], "office": row["office"], "title": row["title"],
                         "start": iso_date(row["start"]), "end": iso_date(row.get("end")), "source": row["source"]})
    if "leaders_supplement.yaml" not in person.sources:
        person.sources.append("leaders_supplement.yaml")


def _merge_roles(roles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Join rows of one office that touch or overlap (a term split by re-appointment)."""
    roles = sorted(roles, key=lambda r: (r["country"], r["office"], r["title"], r["start"] or ""))
    out: list[dict[str, Any]] = []
    for role in roles:
        last = out[-1] if out else None
        same = last and (last["country"], last["office"], last["title"]) == (role["country"], role["office"],
                                                                              role["title"])
        if same and (last["end"] is None or (role["start"] or "") <= last["end"]):
            if last["end"] is not None and (role["end"] is None or role["end"] > last["end"]):
                last["end"] = role["end"]
            continue
        out.append(dict(role))
    return sorted(out, key=lambda r: (r["start"] or "", r["country"], r["office"]))


def _surnames(person: Person, country: str | None, override: dict[str, Any]) -> list[str]:
    if "surnames" in override:
        return list(override["surnames"])
    tokens = person.name.replace(",", " ").split()
    if (len(tokens) < 2 or country in NO_SURNAME_COUNTRIES or " of " in person.name
            or re.search(r"\b(bin|ibn|Al)\b", person.name) or re.fullmatch(r"[IVX]+", tokens[-1])):
        return []
    if country in FAMILY_NAME_FIRST:
        return [tokens[0]]
    tokens = [t for t in tokens if t not in {"Jr.", "Sr.", "Jr", "Sr"}]
    return [tokens[-1]]


def _given_name_variants(name: str, country: str | None, table: dict[str, Any]) -> list[str]:
    if country not in table["countries"]:
        return []
    first, _, rest = name.partition(" ")
    for group in table["variants"]:
        if first in group and rest:
            return [f"{v} {rest}" for v in group if v != first]
    return []


def _record(person: Person, aliases_file: dict[str, Any], given: dict[str, Any], taken: set[str]) -> dict[str, Any]:
    roles = _merge_roles(person.roles)
    gov = [r for r in roles if r["country"] not in IGO_CODES]
    country = max(gov, key=lambda r: r["start"] or "")["country"] if gov else None
    override = aliases_file.get(person.name) or next(
        (v for k, v in aliases_file.items() if fold(k) in {fold(x) for x in person.labels}), {})
    aliases = unique(person.labels + list(override.get("aliases", []))
                     + _given_name_variants(person.name, country, given), exclude=(person.name,))
    pid = f"person:{slug(person.name)}"
    if pid in taken:
        pid = f"{pid}-{(person.wikidata or str(len(taken))).lower()}"
    taken.add(pid)
    for role in roles:
        role["sector"] = "IGO" if role["country"] in IGO_CODES else "GOV"
    return {"id": pid, "kind": "person", "name": person.name, "country": country,
            "sector": "GOV" if gov else "IGO", "aliases": aliases,
            "surnames": _surnames(person, country, override), "wikidata": person.wikidata,
            "roles": [{k: r[k] for k in ("country", "sector", "title", "office", "start", "end", "source")}
                      for r in roles],
            "source": "; ".join(person.sources)}


def people_records(sources: Path, extra: tuple[ExtraSource, ...] = ()) -> list[dict[str, Any]]:
    """Every person holding a kept office since 2000, sorted by id: the leader tables, then each
    `extra` source (joined by Wikidata id), then the supplement's corrections and additions."""
    with open(HERE / "leaders.toml", "rb") as handle:
        config = tomllib.load(handle)
    people: dict[str, Person] = {}
    for iso3, cfg in sorted(config.items()):
        if "repo" in cfg:
            _table_roles(sources, iso3, cfg, people)
    for add in extra:
        add(sources, people, set(config))
    for row in load_yaml("leaders_supplement.yaml")["rows"]:
        _apply(row, people)
    aliases_file, given, taken = load_yaml("people_aliases.yaml"), load_yaml("given_names.yaml"), set()
    records = [_record(p, aliases_file, given, taken) for p in sorted(people.values(), key=lambda p: p.name)]
    return sorted(records, key=lambda r: r["id"])
