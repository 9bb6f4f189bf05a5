"""Helpers shared by the KB build steps: slugs, dates, YAML loading, JSONL writing."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


def fold(text: str) -> str:
    """Lower-case, accent-free form of `text` (the KB's own matching key)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def slug(text: str) -> str:
    """ASCII slug for ids: "Xi Jinping" -> "xi-jinping"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def is_latin(text: str) -> bool:
    """True when every letter of `text` is Latin (aliases in other scripts are left out)."""
    return all("LATIN" in unicodedata.name(c, "") for c in text if c.isalpha())


def iso_date(value: Any) -> str | None:
    """A source date (date, 'YYYY', 'YYYY-MM', 'YYYY-MM-DD' or empty) as text, kept at its precision."""
    if value in (None, ""):
        return None
    text = str(value)
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        raise ValueError(f"not a date: {value!r}")
    return text


def load_yaml(name: str) -> Any:
    """A hand-maintained data file of scripts/kb/."""
    with open(HERE / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    """One JSON object a line, keys in a fixed order, empty values dropped."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            clean = {k: v for k, v in record.items() if v not in (None, [], {}, "")}
            out.write(json.dumps(clean, ensure_ascii=False) + "\n")


def unique(items: list[str], exclude: tuple[str, ...] = ()) -> list[str]:
    """`items` without repeats (compared folded) and without anything in `exclude`."""
    seen = {fold(x) for x in exclude}
    out = []
    for item in items:
        key = fold(item)
        if item and key not in seen:
            seen.add(key)
            out.append(item.strip())
    return out
