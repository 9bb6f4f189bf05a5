"""Build `src/communique/data/events/cameo.tsv` from the project's CAMEO/PLOVER fact table.

Usage: python scripts/build_cameo.py [../shared/data/cameo_plover_map.tsv]

Keeps the facts only (code, PLOVER type and mode, quad class, Goldstein score); the
CAMEO code names are not copied (their licence is CC BY-NC-SA). Sources: docs/events.md.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "cameo_plover_map.tsv"
TARGET = ROOT / "src" / "communique" / "data" / "events" / "cameo.tsv"
COLUMNS = ("cameo", "plover_type", "plover_mode", "quad_class", "goldstein")


def main(source: Path) -> None:
    with source.open(encoding="utf-8", newline="") as fh:
        rows = [{c: row[c] for c in COLUMNS} for row in csv.DictReader(fh, delimiter="\t")]
    with TARGET.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} codes -> {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE)
