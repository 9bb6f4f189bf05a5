"""Event coding on sentences written for the project, parsed by the real spaCy model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from communique.errors import ConfigError
from communique.extract.events.lexicon import TriggerLexicon
from communique.records import DateBasis, Event, Modality, PloverType

DAY = dt.date(2024, 3, 8)  # a Friday


@pytest.fixture(scope="module")
def code(analyse):
    def _code(text: str, published: dt.date | None = DAY) -> list[Event]:
        _, _, layer = analyse(text, published)
        for event in layer.events:  # every record points at real text
            for ev in event.evidence:
                assert text[ev.trigger_start:ev.trigger_end] == ev.trigger
                assert ev.start <= ev.trigger_start < ev.trigger_end <= ev.end
        return list(layer.events)

    return _code


def one(events: list[Event], kind: PloverType) -> Event:
    found = [e for e in events if e.type == kind]
    assert len(found) == 1, [(e.type, e.rule) for e in events]
    return found[0]


def countries(event: Event) -> tuple[str | None, str | None]:
    return (event.source.country if event.source else None, event.target.country if event.target else None)


def test_events_meeting_with_date_place_and_goldstein(code):
    event = one(code("Kenyan President William Ruto met Tanzanian President Samia Suluhu Hassan in Nairobi "
                     "on Tuesday."), PloverType.CONSULT)
    assert countries(event) == ("KEN", "TZA")
    assert (event.cameo, event.quad_class, event.goldstein) == ("040", 1, 1.0)
    assert event.date is not None and (event.date.value, event.date.basis) == ("2024-03-05", DateBasis.SENTENCE)
    assert event.location is not None and (event.location.text, event.location.country) == ("Nairobi", "KEN")
    assert event.modality == Modality.ASSERTED and event.evidence[0].trigger == "met"


@pytest.mark.parametrize(("text", "modality"), [
    ("Brazil did not sign the trade agreement with Argentina.", Modality.NEGATED),
    ("Brazil never signed the trade agreement with Argentina.", Modality.NEGATED),
    ("Brazil will sign a trade agreement with Argentina next month.", Modality.PLEDGED),
    ("Brazil is expected to sign a trade agreement with Argentina.", Modality.PLEDGED),
    ("Brazil could sign a trade agreement with Argentina.", Modality.HYPOTHETICAL),
    ("If the talks succeed, Brazil will sign a trade agreement with Argentina.", Modality.HYPOTHETICAL),
    ("Brazil signed a trade agreement with Argentina on Monday.", Modality.ASSERTED),
])
def test_events_modality(code, text, modality):
    event = one(code(text), PloverType.AGREE)
    assert countries(event) == ("BRA", "ARG")
    assert event.modality == modality


def test_events_pledge_is_coded_as_intent_not_as_a_done_deed(code):
    event = one(code("Vietnam pledged on Wednesday to deepen its partnership with Laos."), PloverType.AGREE)
    assert event.cameo.startswith("03") and event.modality == Modality.PLEDGED
    assert countries(event) == ("VNM", "LAO") and event.date is not None and event.date.value == "2024-03-06"


def test_events_mutual_from_coordinated_subjects_and_group_mentions(code):
    event = one(code("Chile and Peru agreed to expand cooperation on fisheries."), PloverType.AGREE)
    assert event.mutual and {event.source.country, event.target.country} == {"CHL", "PER"}
    events = code("Mongolian President Ukhnaagiin Khurelsukh received the Kazakh foreign minister in Ulaanbaatar. "
                  "The two sides signed a memorandum on transport.")
    signing = one(events, PloverType.AGREE)
    assert signing.mutual and {signing.source.country, signing.target.country} == {"MNG", "KAZ"}


def test_events_reported_speech_is_coded_for_the_speaker(code):
    events = code("Foreign Minister Penny Wong said Australia firmly supports Fiji in its reform programme.")
    event = one(events, PloverType.SUPPORT)
    assert countries(event) == ("AUS", "FJI")
    assert event.reported and event.speaker is not None
    request = one(code("Egyptian President Abdel Fattah el-Sisi called on Ethiopia to resume talks on the dam."),
                  PloverType.REQUEST)
    assert countries(request) == ("EGY", "ETH") and not request.reported


def test_events_one_occasion_told_by_several_sentences_is_one_event(code):
    text = ("Indian Prime Minister Narendra Modi held talks with Japanese Prime Minister Fumio Kishida in Tokyo "
            "on Monday. Trade was on the agenda.\n\nThe talks took place at the prime minister's residence.")
    consult = one(code(text), PloverType.CONSULT)
    assert [e.sentence for e in consult.evidence] == [0, 2]
    assert countries(consult) == ("IND", "JPN") and consult.date is not None and consult.date.value == "2024-03-04"


def test_events_dating_policy(code):
    text = ("The presidents of Ghana and Togo met in Accra on Thursday. "
            "Ghana praised Togo for its help on border security.")
    events = code(text)
    praise = one(events, PloverType.SUPPORT)
    assert praise.date is not None and (praise.date.value, praise.date.basis) == ("2024-03-07", DateBasis.MAIN_EVENT)
    lone = one(code("Norway praised Iceland for its fisheries policy."), PloverType.SUPPORT)
    assert lone.date is not None and (lone.date.value, lone.date.basis) == ("2024-03-08", DateBasis.PUBLISHED)
    planned = one(code("Norway will host Iceland's foreign minister."), PloverType.CONSULT)
    assert planned.modality == Modality.PLEDGED and planned.date is None


def test_events_article_without_publication_date_keeps_unknown_parts(code):
    event = one(code("Senegal recalled its ambassador from Mali on June 4."), PloverType.SANCTION)
    assert countries(event) == ("SEN", "MLI")
    undated = one(code("Senegal recalled its ambassador from Mali on June 4.", published=None), PloverType.SANCTION)
    assert undated.date is not None and undated.date.value == "XXXX-06-04"
    bare = one(code("Senegal recalled its ambassador from Mali.", published=None), PloverType.SANCTION)
    assert bare.date is None


def test_events_sanctions_threats_and_accusations(code):
    sanction = one(code("The European Union imposed new sanctions on Belarus on Friday."), PloverType.SANCTION)
    assert countries(sanction) == ("EU", "BLR") and sanction.cameo == "163"
    accuse = one(code("Pakistan accused India of violating the ceasefire."), PloverType.ACCUSE)
    assert countries(accuse) == ("PAK", "IND")
    threat = one(code("North Korea threatened South Korea with retaliation."), PloverType.THREATEN)
    assert countries(threat) == ("PRK", "KOR")


@pytest.mark.parametrize("text", [
    "The weather was mild and the markets were calm.",
    "They met and signed it.",
    "",
])
def test_events_no_actors_no_events(code, text):
    assert [e for e in code(text) if e.source is not None and e.source.country] == []


def test_events_very_long_sentence(code):
    clause = "officials discussed fisheries, tariffs, ports and customs procedures at length"
    text = "Canada met Mexico in Ottawa on Monday while " + ", and ".join([clause] * 40) + "."
    events = code(text)
    assert any(e.type == PloverType.CONSULT and countries(e) == ("CAN", "MEX") for e in events)


def test_events_ids_are_stable(code):
    text = "Colombia expelled two Venezuelan diplomats on Sunday."
    assert [e.event_id for e in code(text)] == [e.event_id for e in code(text)]
    assert all(len(e.event_id) == 16 for e in code(text))


def test_lexicon_rejects_bad_entries_and_lets_users_remap(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries:\n  - {id: x, words: [meet], pos: verb, cameo: '999'}\n")
    with pytest.raises(ConfigError, match="E302 .*bad.yaml: entry 1 .*not a CAMEO code"):
        TriggerLexicon.load([bad])
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("entries:\n  - {id: x, words: [meet], pos: verb, cameo: '040', colour: red}\n")
    with pytest.raises(ConfigError, match="unknown keys"):
        TriggerLexicon.load([unknown])
    remap = tmp_path / "remap.yaml"
    remap.write_text("entries:\n  - {id: consult.meet, words: [meet], pos: verb, cameo: '046', prep: on}\n")
    lexicon = TriggerLexicon.load([remap])
    meet = next(e for e in lexicon.entries if e.id == "consult.meet")
    assert (meet.cameo, meet.prep, meet.plover) == ("046", "on", PloverType.CONSULT)
    assert len([e for e in lexicon.entries if e.id == "consult.meet"]) == 1


def test_events_the_two_refers_to_the_pair_of_leaders_in_focus(code):
    events = code("Brazilian President Lula received Argentine President Javier Milei on Monday. "
                  "The two met in the Brazilian capital of Brasilia.")
    meeting = next(e for e in events if e.rule == "consult.meet")
    assert meeting.mutual and {meeting.source.country, meeting.target.country} == {"BRA", "ARG"}
    assert meeting.location is not None and (meeting.location.text, meeting.location.country) == ("Brasilia", "BRA")


def test_events_infinitive_of_a_noun_of_intent(code):
    event = one(code("Uruguay expressed its willingness to cooperate with Paraguay on energy."), PloverType.AGREE)
    assert countries(event) == ("URY", "PRY") and event.modality == Modality.PLEDGED
