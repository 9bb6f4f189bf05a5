"""Heads of state and government of every country that leaders.toml does not cover, from the
EveryPolitician/Wikidata position-holder tables (one `holders21.csv` a country, listed with the
label mapping in world_leaders.toml).

The rows join the people of the leader tables by Wikidata id, so a person already present gets
the new roles and is not duplicated; a country already in leaders.toml is refused here (its own
table and the supplement win). Dates keep the table's precision (day, month or year).
"""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path
from typing import Any

from kb.common import HERE, iso_date
from kb.people import EARLIEST, Person, display_name

SOURCE = "Wikidata via every-politician-scrapers/{repo}"


class WorldLeadersError(Exception):
    """The world leaders configuration or a table cannot be used."""


def load_config() -> dict[str, Any]:
    with open(HERE / "world_leaders.toml", "rb") as handle:
        return tomllib.load(handle)


def _positions(config: dict[str, Any], country: dict[str, Any]) -> dict[str, dict[str, Any]]:
    wanted = {p["position"]: p for p in config["defaults"]["positions"]}
    wanted.update({p["position"]: p for p in country.get("positions", [])})
    return wanted


def world_leader_roles(sources: Path, people: dict[str, Person], covered: set[str]) -> None:
    """Add the kept head-of-state/government rows of every configured table to `people` (keyed by
    Wikidata id, as people.py keys the leader tables); `covered` are the countries of leaders.toml."""
    config = load_config()
    female = set(config.get("female", []))
    for iso3, country in sorted(config["countries"].items()):
        if iso3 in covered:
            raise WorldLeadersError(f"world_leaders.toml: {iso3} is already in leaders.toml")
        repo = country["repo"]
        wanted = _positions(config, country)
        path = sources / "everypolitician" / f"{repo}.csv"
        if not path.exists():
            raise WorldLeadersError(f"missing source table {path} (see docs/kb.md, Rebuilding)")
        with open(path, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                spec = wanted.get(row["position"])
                if spec is None or not row.get("personID"):
                    continue
                start, end = iso_date(row["start"]), iso_date(row["end"])
                if start is None and end is None:
                    continue  # undated statement: no term to hold
                if (end is not None and end < EARLIEST[: len(end)]) or (start and end and end < start[: len(end)]):
                    continue
                is_female = row.get("gender") == "female" or row["personID"] in female
                title = spec.get("female_title", spec["title"]) if is_female else spec["title"]
                person = people.get(row["personID"])
                if person is None:
                    person = people[row["personID"]] = Person(display_name(row), row["personID"])
                person.labels.append(row["person"])
                source = SOURCE.format(repo=repo)
                person.roles.append({"country": iso3, "office": spec["office"], "title": title,
                                     "start": start, "end": end, "source": source})
                if source not in person.sources:
                    person.sources.append(source)

