"""Actor mentions on sentences written for the project, parsed by the real spaCy model."""

from __future__ import annotations

import datetime as dt

import pytest

from communique.extract.actors import ActorResolver
from communique.kb import ActorKB
from communique.nlp import load_pipeline, parse
from communique.nlp.sentences import SentenceSplitter

DAY = dt.date(2023, 12, 5)


@pytest.fixture(scope="module")
def resolve():
    nlp = load_pipeline()
    resolver = ActorResolver(nlp, ActorKB.load())
    splitter = SentenceSplitter()

    def _resolve(text: str, published: dt.date | None = DAY):
        doc = next(parse(nlp, [(text, splitter.split(text))]))
        return {m.text: m for m in resolver(doc, published)}, resolver(doc, published)

    return _resolve


def test_actors_kb_person_takes_role_on_article_date(resolve):
    found, _ = resolve("Vladimir Putin received the delegation in the Kremlin on Tuesday.")
    putin = found["Vladimir Putin"]
    assert (putin.actor_id, putin.country, putin.sector, putin.title) == ("person:vladimir-putin", "RUS", "GOV",
                                                                         "President")
    earlier, _ = resolve("Vladimir Putin received the delegation in the Kremlin on Tuesday.", dt.date(2010, 5, 4))
    assert earlier["Vladimir Putin"].title == "Prime Minister"


def test_actors_countries_acronyms_and_igos(resolve):
    found, _ = resolve("Mongolia asked the UN and NATO to send observers, while the US declined to comment on it.")
    assert found["Mongolia"].actor_id == "MNG"
    assert found["UN"].actor_id == "igo:UN"
    assert found["NATO"].actor_id == "igo:NATO"
    assert found["US"].actor_id == "USA"
    assert "it" not in found


def test_actors_title_and_demonym_describe_unknown_person(resolve):
    found, _ = resolve("Chilean Foreign Minister Rosa Quintero met reporters in Santiago.")
    rosa = found["Rosa Quintero"]
    assert (rosa.actor_id, rosa.country, rosa.sector, rosa.title, rosa.via) == (None, "CHL", "GOV",
                                                                               "Foreign Minister", "title")


def test_actors_title_with_of_country(resolve):
    found, _ = resolve("Defense Minister Tomas Varga of Hungary arrived on Monday.")
    assert (found["Tomas Varga"].country, found["Tomas Varga"].sector) == ("HUN", "GOV")


def test_actors_apposition_gives_title_sector_and_affiliation_country(resolve):
    text = ("Lena Okafor, a researcher at the Centre for Maritime Studies of the Nigerian Institute of "
            "International Affairs, said the talks were useful.")
    found, _ = resolve(text)
    lena = found["Lena Okafor"]
    assert (lena.title, lena.sector, lena.country) == ("researcher", "EDU", "NGA")


def test_actors_surname_and_pronoun_corefer(resolve):
    text = ("Kazakh President Kassym-Jomart Tokayev opened the forum in Astana. "
            "Tokayev said the region needed new railways. He also praised the organisers.")
    found, mentions = resolve(text)
    assert found["Tokayev"].actor_id == "person:kassym-jomart-tokayev"
    assert found["He"].actor_id == "person:kassym-jomart-tokayev" and found["He"].via == "coref"


def test_actors_capital_as_subject_is_the_government_but_not_as_place(resolve):
    found, mentions = resolve("Tokyo protested the missile launch. The envoy later flew to Tokyo.")
    tokyo = [m for m in mentions if m.text == "Tokyo"]
    assert len(tokyo) == 1 and (tokyo[0].actor_id, tokyo[0].sector, tokyo[0].via, tokyo[0].start) == \
        ("JPN", "GOV", "metonym", 0)


def test_actors_group_mentions_point_at_pair_in_focus(resolve):
    text = ("Peru and Bolivia signed a water agreement. Peru will build two dams. "
            "The two countries also agreed to share river data, and both sides praised the deal.")
    found, _ = resolve(text)
    assert found["The two countries"].refers_to == ("BOL", "PER")
    assert found["both sides"].refers_to == ("BOL", "PER")


def test_actors_demonym_side_is_the_government(resolve):
    found, _ = resolve("The Egyptian side proposed a new schedule for the talks.")
    side = next(m for t, m in found.items() if t.lower() == "the egyptian side")
    assert (side.actor_id, side.sector) == ("EGY", "GOV")


def test_actors_unknown_publication_date_keeps_person_without_role_choice(resolve):
    found, _ = resolve("Vladimir Putin received the delegation.", None)
    assert found["Vladimir Putin"].actor_id == "person:vladimir-putin"
    assert (found["Vladimir Putin"].country, found["Vladimir Putin"].title) == ("RUS", None)


def test_actors_offsets_point_at_the_text(resolve):
    text = "Officials from Ghana and Togo met in Lomé, and Ghana's minister spoke first."
    _, mentions = resolve(text)
    for m in mentions:
        assert text[m.start:m.end] == m.text
