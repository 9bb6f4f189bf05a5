"""Claim extraction on sentences written for the project and on the seed articles, parsed by the real model."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from communique.extract.claims import ClaimLexicon, extract_claims
from communique.records import Claim, ClaimKind, Modality, PloverType, Sentence
from tests.conftest import SHARED

DAY = dt.date(2024, 3, 8)  # a Friday


@pytest.fixture(scope="module")
def claims_of(analyse):
    def _claims(text: str, published: dt.date | None = DAY, sentences: tuple[Sentence, ...] | None = None,
                article_id: str = "art") -> list[Claim]:
        doc, sents, layer = analyse(text, published, sentences, article_id)
        found = extract_claims(doc, sents, [m for _, m in layer.mentions], [t for _, t in layer.times],
                               [f for _, f in layer.figures], layer.events, article_id, published)
        for claim in found:  # every claim points at real text inside its sentence
            assert text[claim.start:claim.end] == claim.text
            ev = claim.evidence
            assert (ev.sentence, ev.start, ev.end) == (claim.sentence, sents[claim.sentence].start,
                                                       sents[claim.sentence].end)
            assert ev.start <= claim.start < claim.end <= ev.end
            assert text[ev.trigger_start:ev.trigger_end] == ev.trigger
            assert Claim.from_dict(claim.as_dict()) == claim
        return found

    return _claims


def one(claims: list[Claim]) -> Claim:
    assert len(claims) == 1, [c.text for c in claims]
    return claims[0]


def period(claim: Claim) -> tuple[str | None, str | None] | None:
    return (claim.period.begin, claim.period.end) if claim.period else None


def test_claims_ordinal_visit_this_year(claims_of):
    claim = one(claims_of("British Prime Minister Keir Starmer arrived in Nairobi on Monday. "
                          "It was the prime minister's third visit to Kenya this year."))
    assert (claim.kind, claim.number, claim.event_type, claim.mode) == (ClaimKind.ORDINAL, 3, PloverType.CONSULT,
                                                                         "visit")
    assert claim.text == "the prime minister's third visit to Kenya this year"
    assert claim.subject is not None and (claim.subject.actor_id, claim.subject.country) == ("person:keir-starmer",
                                                                                           "GBR")
    assert claim.counterpart is not None and claim.counterpart.country == "KEN"
    assert period(claim) == ("2024", "2024") and not claim.mutual
    assert claim.date == "2024-03-04" and claim.sentence == 1  # the arrival the sentence before


def test_claims_nth_time_since_year(claims_of):
    claim = one(claims_of("Italian Prime Minister Giorgia Meloni arrived in Brasilia on Monday, "
                          "the 12th time she has travelled to Brazil since 2001."))
    assert (claim.kind, claim.number, claim.noun, claim.event_type) == (ClaimKind.ORDINAL, 12, "time",
                                                                         PloverType.CONSULT)
    assert claim.text == "the 12th time she has travelled to Brazil since 2001"
    assert claim.subject is not None and claim.subject.actor_id == "person:giorgia-meloni"
    assert claim.counterpart is not None and claim.counterpart.country == "BRA"
    assert period(claim) == ("2001", "2024-03-04")  # up to the arrival the claim is about


def test_claims_extract_all_puts_them_in_the_layer(analyse):
    text = "Brazilian President Luiz Inacio Lula da Silva landed in Luanda on Tuesday, his third visit to Angola."
    _, _, layer = analyse(text, DAY, article_id="layer")
    claim = one(list(layer.claims))
    assert (claim.article_id, claim.kind, claim.number, claim.text) == ("layer", ClaimKind.ORDINAL, 3,
                                                                        "his third visit to Angola")
    assert claim.event_id in {e.event_id for e in layer.events}  # the landing the claim is about


def test_claims_first_meeting_since_between_pair(claims_of):
    claim = one(claims_of("Chinese President Xi Jinping met Russian President Vladimir Putin in Moscow on Monday. "
                          "It was the first meeting between the two leaders since 2019."))
    assert (claim.kind, claim.number, claim.noun) == (ClaimKind.FIRST_SINCE, 1, "meeting")
    assert claim.mutual and claim.subject is not None and claim.counterpart is not None
    assert {claim.subject.country, claim.counterpart.country} == {"CHN", "RUS"}
    assert period(claim) == ("2019", "2024-03-04") and claim.period is not None and claim.period.text == "since 2019"


def test_claims_count_this_year(claims_of):
    claim = one(claims_of("Chinese Foreign Minister Wang Yi met Russian Foreign Minister Sergei Lavrov in Beijing "
                          "on Monday. The two ministers have met four times this year."))
    assert (claim.kind, claim.number, claim.qualifier, claim.event_type) == (ClaimKind.COUNT, 4, "exact",
                                                                              PloverType.CONSULT)
    assert claim.text == "The two ministers have met four times this year"
    assert claim.mutual and claim.subject is not None and claim.counterpart is not None
    assert {claim.subject.actor_id, claim.counterpart.actor_id} == {"person:wang-yi", "person:sergey-lavrov"}
    assert period(claim) == ("2024", "2024")


@pytest.mark.parametrize(("text", "kind", "number", "qualifier", "begin"), [
    ("Chinese President Xi Jinping and Russian President Vladimir Putin have met more than 40 times since 2013.",
     ClaimKind.COUNT, 40, "more_than", "2013"),
    ("Indian Prime Minister Narendra Modi arrived in Washington on Tuesday, his first trip abroad since taking "
     "office.", ClaimKind.FIRST_SINCE, 1, "exact", None),
    ("Japanese Prime Minister Fumio Kishida visited Seoul on Sunday, the first visit by a Japanese leader to "
     "South Korea in 12 years.", ClaimKind.FIRST_SINCE, 1, "exact", "2012"),
])
def test_claims_kinds_qualifiers_and_periods(claims_of, text, kind, number, qualifier, begin):
    claim = one(claims_of(text))
    assert (claim.kind, claim.number, claim.qualifier) == (kind, number, qualifier)
    assert claim.period is not None and claim.period.begin == begin


def test_claims_edition_of_a_series_takes_the_type_of_what_it_counts(claims_of):
    claim = one(claims_of("The European Union adopted its 12th package of sanctions against Russia on Monday."))
    assert (claim.number, claim.noun, claim.event_type, claim.series) == (12, "package", PloverType.SANCTION,
                                                                           "sanctions")
    assert claim.subject is not None and claim.subject.actor_id == "igo:EU"


def test_claims_pledged_visit_keeps_the_event_modality(claims_of):
    claim = one(claims_of("German Chancellor Olaf Scholz will make his second visit to China next month."))
    assert (claim.number, claim.modality, claim.date) == (2, Modality.PLEDGED, "2024-04")
    assert claim.subject is not None and claim.subject.actor_id == "person:olaf-scholz"


@pytest.mark.parametrize("text", [
    "China is the second largest economy in the world.",
    "China is the second-largest trading partner of Brazil.",
    "The temple was built in the 15th century.",
    "Kenyan President William Ruto began his first term in 2022.",
    "In the first three quarters of this year, trade rose by 5 percent.",
    "The growth rate is three times higher than last year.",
    "The two meetings were held in Nairobi.",
    "Both leaders once again called for calm.",
])
def test_claims_none_for_ordinals_and_counts_not_about_events(claims_of, text):
    assert claims_of(text) == []


def test_claims_lexicon_reads_ordinals_and_numbers(claims_of):
    lex = ClaimLexicon.load()
    assert (lex.ordinals["fifteenth"], lex.numbers["four"], lex.adverbs["twice"]) == (15, 4, 2)
    assert lex.nouns["visit"].type is PloverType.CONSULT and lex.nouns["visit"].mode == "visit"
    assert "round" in lex.edition_nouns and "time" in lex.generic_nouns and "hold" in lex.light_verbs


# ---- the seed articles (read from ../shared at run time) ------------------------------------


@pytest.fixture(scope="module")
def seed_claims(claims_of, tmp_path_factory):
    seeds = SHARED / "corpus" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/corpus/seeds not present")
    from communique.pipeline import ingest
    from communique.settings import load_settings
    from communique.store.queries import sentences

    settings = load_settings(env={}).with_db(tmp_path_factory.mktemp("claims") / "seeds.db")
    ingest([str(seeds)], settings)
    out: dict[str, list[Claim]] = {}
    with sqlite3.connect(settings.store.path) as conn:
        for article_id, text, published, origin in conn.execute("SELECT id, text, published, origin FROM articles"):
            day = dt.date.fromisoformat(published) if published else None
            out[origin.rsplit("/", 1)[-1]] = claims_of(text, day, sentences(conn, article_id), article_id)
    return out


def test_claims_seed_second_visit_within_the_year(seed_claims):
    found = [c for c in seed_claims["000_b8e7a7bbb8fc7382.txt"] if c.noun == "visit"]
    claim = one(found)
    assert (claim.kind, claim.number, claim.event_type) == (ClaimKind.ORDINAL, 2, PloverType.CONSULT)
    assert claim.text == "his second visit to China within the year"
    assert claim.subject is not None and (claim.subject.actor_id, claim.subject.country) == (
        "person:alexander-lukashenko", "BLR")
    assert claim.counterpart is not None and claim.counterpart.country == "CHN"
    assert period(claim) == ("2023", "2023") and claim.date == "2023-12-03"


def test_claims_seed_15th_time_since_1994(seed_claims):
    claims = seed_claims["002_2061ac0cfb87facf.txt"]
    claim = one([c for c in claims if c.number == 15])
    assert (claim.kind, claim.event_type, claim.noun) == (ClaimKind.ORDINAL, PloverType.CONSULT, "time")
    assert claim.text == "the 15th time he has visited China since 1994"
    assert claim.subject is not None and claim.subject.actor_id == "person:alexander-lukashenko"
    assert claim.counterpart is not None and claim.counterpart.country == "CHN"
    assert period(claim) == ("1994", "2025-06-04")
    first = one([c for c in claims if c.kind is ClaimKind.FIRST_SINCE])  # "his first to China since ... January"
    assert (first.number, period(first)) == (1, ("2025-01", "2025-06-04"))
    assert first.counterpart is not None and first.counterpart.country == "CHN"
    assert not [c for c in claims if c.noun == "term"]  # "his first presidential term" is not a claim
