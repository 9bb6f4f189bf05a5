"""International organisations from the hand-kept table scripts/kb/igos.yaml."""

from __future__ import annotations

from typing import Any

from kb.common import load_yaml


def igo_records() -> list[dict[str, Any]]:
    """One record per organisation, id "igo:<CODE>"."""
    records = []
    for row in load_yaml("igos.yaml"):
        records.append({
            "id": f"igo:{row['code']}", "kind": "igo", "name": row["name"], "country": row["code"],
            "sector": "IGO", "aliases": row.get("aliases", []), "acronyms": row.get("acronyms", []),
            "cameo": row.get("cameo"), "parent": f"igo:{row['parent']}" if row.get("parent") else None,
            "members": row.get("members", []),
            "source": "scripts/kb/igos.yaml (CAMEO codebook 1.1b3 for cameo codes)",
        })
    return records
