"""The actor knowledge base: shipped facts, lookups by date, user files and validation."""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path

import pycountry
import pytest

from communique.errors import ConfigError
from communique.kb import ActorKB, FormKind, SurfaceForm, fold, parse_day
from communique.records import ActorKind

MEETING_2023 = dt.date(2023, 12, 4)
MEETING_2025 = dt.date(2025, 6, 4)

# G20 members, the five permanent members of the Security Council, and every state that
# borders China or Russia by land.
G20 = ("ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN", "KOR", "MEX", "RUS", "SAU",
       "ZAF", "TUR", "GBR", "USA")
P5 = ("CHN", "FRA", "RUS", "GBR", "USA")
CHINA_NEIGHBOURS = ("AFG", "BTN", "IND", "KAZ", "PRK", "KGZ", "LAO", "MNG", "MMR", "NPL", "PAK", "RUS", "TJK", "VNM")
RUSSIA_NEIGHBOURS = ("NOR", "FIN", "EST", "LVA", "LTU", "POL", "BLR", "UKR", "GEO", "AZE", "KAZ", "CHN", "PRK", "MNG")
COVERED = sorted(set(G20 + P5 + CHINA_NEIGHBOURS + RUSSIA_NEIGHBOURS))


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


def _role_titles(kb: ActorKB, name: str, day: dt.date) -> set[tuple[str, str, str]]:
    return {(actor.id, role.country, role.title) for actor, roles in kb.lookup(name, day) for role in roles}


# ---- countries ----------------------------------------------------------------------------


def test_kb_every_iso_country_present(kb):
    codes = {c.alpha_3 for c in pycountry.countries}
    countries = {a.id for a in kb if a.kind == ActorKind.COUNTRY}
    assert codes <= countries
    assert countries - codes == {"XKX"}
    assert len(countries) == len(pycountry.countries) + 1


@pytest.mark.parametrize(("code", "name", "demonym"), [("CHN", "China", "Chinese"), ("BLR", "Belarus", "Belarusian")])
def test_kb_country_name_and_demonym(kb, code, name, demonym):
    country = kb.get(code)
    assert country is not None and country.name == name and country.country == code
    assert kb.country_by_demonym(demonym).id == code
    assert SurfaceForm(demonym, code, FormKind.DEMONYM) in set(kb.surface_forms())


@pytest.mark.parametrize(("word", "code"), [("Kazakh", "KAZ"), ("Kazakhstani", "KAZ"), ("Emirati", "ARE"),
                                            ("belarusian", "BLR"), ("Russian", "RUS")])
def test_kb_country_by_demonym_variants(kb, word, code):
    assert kb.country_by_demonym(word).id == code


@pytest.mark.parametrize(("text", "code", "sector"), [("Minsk", "BLR", "GOV"), ("Zhongnanhai", "CHN", "GOV"),
                                                      ("Beijing", "CHN", "GOV"), ("the Kremlin", "RUS", "GOV"),
                                                      ("Downing Street", "GBR", "GOV"),
                                                      ("the Pentagon", "USA", "MIL")])
def test_kb_metonyms_stand_for_the_government(kb, text, code, sector):
    assert SurfaceForm(text, code, FormKind.METONYM, sector) in set(kb.surface_forms())
    assert [a.id for a, _ in kb.lookup(text)] == [code]


def test_kb_lookup_accent_and_article_insensitive(kb):
    assert [a.id for a, _ in kb.lookup("Elysee")] == ["FRA"]
    assert [a.id for a, _ in kb.lookup("KREMLIN")] == ["RUS"]


def test_kb_kosovo_uses_xkx(kb):
    assert kb.get("XKX").name == "Kosovo"


# ---- organisations ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "actor_id"), [("UN", "igo:UN"), ("SCO", "igo:SCO"), ("NATO", "igo:NATO"),
                                                ("European Commission", "igo:EC"), ("OPEC+", "igo:OPECPLUS")])
def test_kb_igo_names(kb, text, actor_id):
    actor = kb.get(actor_id)
    assert actor.kind == ActorKind.IGO and actor.sector == "IGO"
    assert actor_id in [a.id for a, _ in kb.lookup(text)]


def test_kb_igo_cameo_and_parent(kb):
    assert kb.entry("igo:UN").cameo == "IGOUNO"
    assert kb.entry("igo:UNSC").parent == "igo:UN"


# ---- people and roles ---------------------------------------------------------------------


@pytest.mark.parametrize("day", [MEETING_2023, MEETING_2025])
def test_kb_xi_is_president_of_china(kb, day):
    assert ("person:xi-jinping", "CHN", "President") in _role_titles(kb, "Xi Jinping", day)
    assert [a.id for a, _ in kb.holders("CHN", "head_of_state", day)] == ["person:xi-jinping"]


@pytest.mark.parametrize("day", [MEETING_2023, MEETING_2025])
@pytest.mark.parametrize("name", ["Alexander Lukashenko", "Aleksandr Lukashenko", "Alyaksandr Lukashenka"])
def test_kb_lukashenko_is_president_of_belarus(kb, name, day):
    assert _role_titles(kb, name, day) == {("person:alexander-lukashenko", "BLR", "President")}


def test_kb_role_ends(kb):
    makei = kb.get("person:vladimir-makei")
    (role,) = makei.roles
    assert role.title == "Minister of Foreign Affairs" and role.end == dt.date(2022, 11, 26)
    assert makei.roles_on(dt.date(2022, 11, 26)) == (role,)
    assert makei.roles_on(dt.date(2022, 11, 27)) == ()
    assert makei.roles_on(MEETING_2023) == ()


@pytest.mark.parametrize(("day", "minister"), [(MEETING_2023, "person:sergei-aleinik"),
                                               (MEETING_2025, "person:maxim-ryzhenkov")])
def test_kb_belarus_foreign_minister_on_day(kb, day, minister):
    assert [a.id for a, _ in kb.holders("BLR", "foreign_minister", day)] == [minister]


def test_kb_china_premier_changes_in_2023(kb):
    assert [a.id for a, _ in kb.holders("CHN", "head_of_government", dt.date(2023, 3, 1))] == ["person:li-keqiang"]
    assert [a.id for a, _ in kb.holders("CHN", "head_of_government", MEETING_2023)] == ["person:li-qiang"]


def test_kb_surname_is_not_an_alias(kb):
    assert kb.lookup("Lukashenko")[0][0].id == "person:alexander-lukashenko"
    forms = {f.text for f in kb.surface_forms() if f.actor_id == "person:alexander-lukashenko"}
    assert "Lukashenko" not in forms and "Lukashenka" not in forms
    assert [a.id for a in kb.people_by_surname("lukashenka")] == ["person:alexander-lukashenko"]


def test_kb_people_by_surname_on_day(kb):
    assert [a.id for a in kb.people_by_surname("Li", MEETING_2023)] == ["person:li-qiang"]
    assert "person:li-keqiang" in [a.id for a in kb.people_by_surname("Li")]


def test_kb_office_of_role(kb):
    xi = kb.get("person:xi-jinping")
    (president,) = [r for r in xi.roles if r.title == "President"]
    assert kb.office_of(xi.id, president) == "head_of_state"


@pytest.mark.parametrize("code", COVERED)
def test_kb_head_of_state_or_government_on_2023_12_04(kb, code):
    holders = kb.holders(code, "head_of_state", MEETING_2023) + kb.holders(code, "head_of_government", MEETING_2023)
    assert holders, f"no head of state or government of {code} on {MEETING_2023}"
    assert all(actor.kind == ActorKind.PERSON and role.sector == "GOV" for actor, role in holders)


# Facts checked in the world_leaders.toml tables (every-politician-scrapers ethiopia-ministers,
# greece-cabinet, kenya, cuba, qatar-ministers, denmark-cabinet at the commits of docs/kb.md).
@pytest.mark.parametrize(("code", "office", "day", "holder", "title"), [
    ("ETH", "head_of_government", dt.date(2019, 6, 1), "person:abiy-ahmed", "Prime Minister"),
    ("ETH", "head_of_government", dt.date(2015, 6, 1), "person:hailemariam-desalegn", "Prime Minister"),
    ("GRC", "head_of_government", dt.date(2018, 6, 1), "person:alexis-tsipras", "Prime Minister"),
    ("GRC", "head_of_government", dt.date(2015, 9, 1), "person:vassiliki-thanou-christophilou", "Prime Minister"),
    ("KEN", "head_of_state", dt.date(2021, 6, 1), "person:uhuru-kenyatta", "President"),
    ("KEN", "head_of_state", dt.date(2010, 6, 1), "person:mwai-kibaki", "President"),
    ("CUB", "head_of_state", dt.date(2005, 1, 1), "person:fidel-castro", "President"),
    ("CUB", "head_of_state", dt.date(2019, 1, 1), "person:miguel-diaz-canel", "President"),
    ("QAT", "head_of_state", dt.date(2020, 1, 1), "person:tamim-bin-hamad-al-thani", "Emir"),
    ("DNK", "head_of_state", dt.date(2020, 1, 1), "person:margrethe-ii-of-denmark", "Queen"),
])
def test_kb_world_leaders_on_day(kb, code, office, day, holder, title):
    assert [(a.id, r.title) for a, r in kb.holders(code, office, day)] == [(holder, title)]


def test_kb_world_leaders_names_and_merge(kb):
    (abiy, roles), = kb.lookup("Abiy Ahmed Ali", on=dt.date(2019, 6, 1))
    assert abiy.country == "ETH" and [r.title for r in roles] == ["Prime Minister"]
    assert [a.id for a in kb.people_by_surname("Abiy", dt.date(2019, 6, 1))] == ["person:abiy-ahmed"]
    assert [a.id for a in kb.people_by_surname("Tsipras", dt.date(2018, 6, 1))] == ["person:alexis-tsipras"]
    # a person of the leader tables and of a world table is one actor (joined by Wikidata id or name)
    rutte = [a for a, _ in kb.lookup("Mark Rutte")]
    assert [a.id for a in rutte] == ["person:mark-rutte"]
    assert {r.country for r in rutte[0].roles} == {"NLD", "NATO"}
    assert [a.id for a, _ in kb.holders("NLD", "head_of_government", dt.date(2025, 1, 1))] == ["person:dick-schoof"]


def test_kb_igo_heads(kb):
    assert [a.id for a, _ in kb.holders("UN", "igo_head", MEETING_2023)] == ["person:antonio-guterres"]
    assert [a.id for a, _ in kb.holders("NATO", "igo_head", MEETING_2025)] == ["person:mark-rutte"]


# ---- user files and validation ------------------------------------------------------------

USER_YAML = """\
- id: org:belarusian-state-university
  kind: organization
  name: Belarusian State University
  country: BLR
  sector: EDU
  acronyms: [BSU]
- id: person:jane-envoy
  kind: person
  name: Jane Envoy
  country: GBR
  sector: GOV
  surnames: [Envoy]
  roles:
    - {country: GBR, sector: GOV, title: Special Envoy, office: envoy, start: 2023-01-01, end: 2023-12-31}
"""


def test_kb_user_yaml_actor_loads(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(USER_YAML, encoding="utf-8")
    kb = ActorKB.load([path])
    assert kb.get("org:belarusian-state-university").sector == "EDU"
    (hit,) = kb.lookup("bsu")
    assert hit[0].id == "org:belarusian-state-university"
    ((envoy, roles),) = kb.lookup("Jane Envoy", MEETING_2023)
    assert envoy.id == "person:jane-envoy" and [r.title for r in roles] == ["Special Envoy"]
    assert kb.lookup("Jane Envoy", dt.date(2024, 1, 1))[0][1] == ()
    assert kb.entry("person:jane-envoy").origin == f"{path}:7"


def test_kb_user_file_overrides_shipped_actor(tmp_path):
    path = tmp_path / "fix.yaml"
    path.write_text("- {id: BLR, kind: country, name: Belarus, aliases: [Bielarus], demonyms: [Belarusian]}\n",
                    encoding="utf-8")
    kb = ActorKB.load([path])
    assert kb.get("BLR").aliases == ("Bielarus",)


@pytest.mark.parametrize(("text", "line", "why"), [
    ("- {id: x:1, kind: person, name: A}\n- {id: x:2, kind: spaceship, name: B}\n", 2, "spaceship"),
    ("- {id: x:1, name: A}\n", 1, "missing field 'kind'"),
    ("- {id: x:1, kind: person, name: A, nickname: B}\n", 1, "unknown field(s) nickname"),
    ("- {id: x:1, kind: person, name: A, roles: [{country: BLR, sector: GOV, title: T, start: 2020-13-01}]}\n",
     1, "not a date"),
    ("- {id: x:1, kind: person, name: A, roles: [{country: BLR, sector: GOV, title: T, start: 2021, end: 2020}]}\n",
     1, "ends"),
    ("- {id: x:1, kind: person, name: A, aliases: Lone}\n", 1, "list of non-empty strings"),
    ("- {id: x:1, kind: person\n  name: [A\n", 2, "not valid YAML"),
])
def test_kb_bad_user_yaml_names_file_and_line(tmp_path, text, line, why):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        ActorKB.load([path])
    message = str(info.value)
    assert f"{path}:{line}" in message and why in message and message.startswith("E510")


def test_kb_bad_jsonl_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x:1", "kind": "igo", "name": "A"}\n{"id": \n', encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"E510 {path}:2: not JSON"):
        ActorKB.load([path])


def test_kb_missing_user_file(tmp_path):
    with pytest.raises(ConfigError, match="E511"):
        ActorKB.load([tmp_path / "nope.yaml"])


@pytest.mark.parametrize(("text", "end", "expected"), [("2003", False, dt.date(2003, 1, 1)),
                                                       ("2003", True, dt.date(2003, 12, 31)),
                                                       ("2024-02", True, dt.date(2024, 2, 29)),
                                                       ("2012-08-20", True, dt.date(2012, 8, 20))])
def test_kb_parse_day_widens_partial_dates(text, end, expected):
    assert parse_day(text, end=end) == expected


def test_kb_fold():
    assert fold("  The   Élysée ") == "the elysee"


def test_kb_shipped_files_are_sorted_and_unique():
    root = Path(__file__).resolve().parents[1] / "src" / "communique" / "data" / "actors"
    for name in ("countries.jsonl", "igos.jsonl", "people.jsonl"):
        ids = [line.split('"id": "', 1)[1].split('"', 1)[0] for line in (root / name).read_text().splitlines()]
        assert len(ids) == len(set(ids))
        if name != "igos.jsonl":
            assert ids == sorted(ids)


def test_kb_sector_vocabulary_covers_the_data(kb):
    sectors = tomllib.loads(resources.files("communique").joinpath("data/sectors.toml").read_text(encoding="utf-8"))
    assert {"GOV", "MIL", "BUS", "MED", "EDU", "NGO", "IGO", "JUD", "LEG", "OPP", "REB", "COP", "SPY", "HLH", "REL",
            "ELI", "CVL", "LAB", "AGR", "ENV", "REF"} <= set(sectors)
    assert all(set(v) == {"name", "cameo", "primary", "description"} for v in sectors.values())
    used = {a.sector for a in kb if a.sector} | {r.sector for a in kb for r in a.roles}
    used |= {s for e in map(kb.entry, (a.id for a in kb)) for _, s in e.metonyms}
    assert used <= set(sectors)


# Changes after mid-2025 and older gaps filled from dated sources (leaders_supplement.yaml).
@pytest.mark.parametrize(("code", "office", "day", "holder"), [
    ("JPN", "head_of_government", dt.date(2025, 10, 20), "person:shigeru-ishiba"),
    ("JPN", "head_of_government", dt.date(2026, 5, 1), "person:sanae-takaichi"),
    ("JPN", "foreign_minister", dt.date(2026, 5, 1), "person:toshimitsu-motegi"),
    ("JPN", "foreign_minister", dt.date(2002, 1, 15), "person:makiko-tanaka"),   # Kawaguchi only from 2002-02-01
    ("JPN", "foreign_minister", dt.date(2008, 3, 1), "person:masahiko-komura"),
    ("KOR", "head_of_government", dt.date(2025, 8, 1), "person:kim-min-seok"),
    ("KOR", "foreign_minister", dt.date(2025, 9, 1), "person:cho-hyun"),
    ("FRA", "head_of_government", dt.date(2026, 1, 15), "person:sebastien-lecornu"),
    ("GBR", "foreign_minister", dt.date(2025, 10, 1), "person:yvette-cooper"),
    ("POL", "head_of_state", dt.date(2025, 9, 1), "person:karol-nawrocki"),
    ("UKR", "head_of_government", dt.date(2025, 8, 1), "person:yulia-svyrydenko"),
    ("ARG", "foreign_minister", dt.date(2026, 1, 15), "person:pablo-quirno"),
    ("ARG", "foreign_minister", dt.date(2016, 6, 1), "person:susana-malcorra"),
    ("ARG", "foreign_minister", dt.date(2004, 6, 1), "person:rafael-bielsa"),
    ("GEO", "foreign_minister", dt.date(2025, 3, 1), "person:maka-botchorishvili"),
    ("BTN", "foreign_minister", dt.date(2025, 3, 1), "person:d-n-dhungyel"),
    ("MMR", "head_of_government", dt.date(2025, 9, 1), "person:nyo-saw"),
    ("MMR", "foreign_minister", dt.date(2022, 6, 1), "person:wunna-maung-lwin"),
    ("MMR", "foreign_minister", dt.date(2024, 6, 1), "person:than-swe"),
    ("NPL", "head_of_government", dt.date(2025, 11, 1), "person:sushila-karki"),
    ("NPL", "foreign_minister", dt.date(2023, 6, 1), "person:narayan-prakash-saud"),
    ("NPL", "foreign_minister", dt.date(2026, 1, 15), "person:bala-nanda-sharma"),
    ("VNM", "foreign_minister", dt.date(2026, 1, 15), "person:le-hoai-trung"),
    ("MMR", "head_of_state", dt.date(2026, 5, 1), "person:min-aung-hlaing"),
    ("MNG", "head_of_government", dt.date(2025, 11, 18), "person:gombojavyn-zandanshatar"),  # dismissal voided
    ("MEX", "foreign_minister", dt.date(2026, 1, 12), "person:juan-ramon-de-la-fuente"),
])
def test_kb_holders_after_2025_review(kb, code, office, day, holder):
    assert [a.id for a, _ in kb.holders(code, office, day)] == [holder]


def test_kb_lookup_japan_prime_minister_2026(kb):
    # `communique actors lookup "Sanae Takaichi" --on 2026-05-01`
    expected = {("person:sanae-takaichi", "JPN", "Prime Minister")}
    assert _role_titles(kb, "Sanae Takaichi", dt.date(2026, 5, 1)) == expected
    assert _role_titles(kb, "Shigeru Ishiba", dt.date(2026, 5, 1)) == set()
    ((ishiba, roles),) = kb.lookup("Shigeru Ishiba", dt.date(2025, 10, 21))
    assert [(r.title, r.end) for r in roles] == [("Prime Minister", dt.date(2025, 10, 21))]


def test_kb_cli_lookup_prime_minister_on_day():
    from typer.testing import CliRunner

    from communique.cli.actors import actors_app
    from communique.cli.common import console

    width, console.width = console.width, 220
    try:
        result = CliRunner().invoke(actors_app, ["lookup", "Sanae Takaichi", "--on", "2026-05-01"])
    finally:
        console.width = width
    assert result.exit_code == 0, result.output
    assert "person:sanae-takaichi" in result.stdout
    assert "Prime Minister (JPN) 2025-10-21 – …" in result.stdout


def test_kb_alias_of_new_minister(kb):
    assert [a.id for a, _ in kb.lookup("Maka Bochorishvili")] == ["person:maka-botchorishvili"]
    assert [a.id for a, _ in kb.lookup("Balen Shah")] == ["person:balendra-shah"]
    # Tajikistan's foreign minister is "Aslov" in the table; news writes Muhriddin.
    assert [a.id for a, _ in kb.lookup("Sirojiddin Muhriddin", dt.date(2026, 1, 15))] == ["person:sirodjidin-aslov"]


@pytest.mark.parametrize(("day", "title"), [
    (dt.date(2025, 9, 1), "Acting President"),
    (dt.date(2026, 4, 2), "Acting President"),
    (dt.date(2026, 4, 4), "President"),
    (dt.date(2026, 11, 23), "President"),
])
def test_kb_myanmar_president_elected_2026(kb, day, title):
    ((actor, role),) = kb.holders("MMR", "head_of_state", day)
    assert (actor.id, role.title) == ("person:min-aung-hlaing", title)


@pytest.mark.parametrize(("word", "country"), [("French", "FRA"), ("American", "USA"), ("Dutch", "NLD"),
                                                ("Indian", "IND"), ("Norwegian", "NOR")])
def test_kb_shared_demonyms_belong_to_the_independent_country(word, country):
    actor = ActorKB.load().country_by_demonym(word)
    assert actor is not None and actor.id == country
