"""The trigger lexicon across the sixteen PLOVER types, on sentences written for the project (real spaCy model)."""

from __future__ import annotations

import datetime as dt

import pytest

from communique.extract.actors import ActorResolver
from communique.extract.events import EventCoder
from communique.extract.time import extract_times
from communique.kb import ActorKB
from communique.nlp import load_pipeline, parse
from communique.nlp.sentences import SentenceSplitter

DAY = dt.date(2023, 12, 5)


@pytest.fixture(scope="module")
def code():
    nlp = load_pipeline()
    kb = ActorKB.load()
    resolver, coder, splitter = ActorResolver(nlp, kb), EventCoder.load(kb), SentenceSplitter()

    def _code(text: str):
        sentences = splitter.split(text)
        doc = next(parse(nlp, [(text, sentences)]))
        times = extract_times(text, DAY, [(s.start, s.end) for s in sentences])
        return coder(doc, "t1", DAY, sentences, resolver(doc, DAY), times)

    return _code


# (sentence, PLOVER type, CAMEO root): one or more per type.
CASES = [
    ("Germany and France agreed on Monday to build a joint fighter jet.", "AGREE", "03"),
    ("Canada pledged to send more doctors to Haiti.", "AGREE", "03"),
    ("Japanese Prime Minister Fumio Kishida met Indian Prime Minister Narendra Modi in New Delhi on Monday.",
     "CONSULT", "04"),
    ("France praised Kenya for its role in the peace process.", "SUPPORT", "05"),
    ("Chile recognized Palestine as a state.", "SUPPORT", "05"),
    ("India and Japan held joint naval exercises in the Arabian Sea last week.", "COOPERATE", "06"),
    ("Canada sent humanitarian aid to Haiti after the earthquake.", "AID", "07"),
    ("Norway granted asylum to two Russian journalists.", "AID", "07"),
    ("Russia released two Ukrainian sailors on Tuesday.", "RETREAT", "08"),
    ("Israel withdrew its troops from the Gaza Strip.", "RETREAT", "08"),
    ("Pakistan lifted the curfew in Karachi.", "RETREAT", "08"),
    ("The government accepted the demands of the striking miners.", "CONCEDE", "08"),
    ("Brazil called on Argentina to release the detained journalists.", "REQUEST", "02"),
    ("Nigeria demanded the withdrawal of Russian troops.", "REQUEST", "10"),
    ("China criticized the United States over its arms sales to Taiwan.", "ACCUSE", "11"),
    ("Kenya accused Somalia of violating its airspace.", "ACCUSE", "11"),
    ("The European Commission opened an investigation into the merger.", "ACCUSE", "09"),
    ("Iran rejected the proposal for direct talks with the United States.", "REJECT", "12"),
    ("North Korea threatened to attack South Korea if the drills went ahead.", "THREATEN", "13"),
    ("Thousands of protesters demonstrated outside the parliament in Belgrade on Sunday.", "PROTEST", "14"),
    ("Farmers blocked the main highway into Brussels with their tractors.", "PROTEST", "14"),
    ("Russia deployed troops to its border with Ukraine.", "MOBILIZE", "15"),
    ("The United States imposed sanctions on Iran on Friday.", "SANCTION", "16"),
    ("Australia expelled two Chinese diplomats.", "SANCTION", "16"),
    ("Turkish police arrested dozens of journalists in Istanbul.", "COERCE", "17"),
    ("The government banned the opposition party.", "COERCE", "17"),
    ("Rebels kidnapped three aid workers in Somalia.", "ASSAULT", "18"),
    ("Rebels attacked a military base in northern Mali.", "ASSAULT", "19"),
]


@pytest.mark.parametrize(("text", "plover", "root"), CASES, ids=[c[1] + ":" + c[0][:30] for c in CASES])
def test_event_triggers_type_and_root(code, text, plover, root):
    events = code(text)
    assert any(str(e.type) == plover and e.cameo[:2] == root for e in events), \
        [(str(e.type), e.cameo, e.rule) for e in events]


def test_event_triggers_one_type_per_plain_sentence(code):
    for text, _, _ in CASES:
        assert len({e.type for e in code(text)}) == 1, text


def test_event_triggers_statement_is_not_an_event(code):
    assert code("The foreign minister said on Monday that the economy was growing.") == []


def test_event_triggers_protest_verb_is_not_a_complaint(code):
    events = code("Students protested in Nairobi against the new tax.")
    assert [str(e.type) for e in events] == ["PROTEST"]


def test_event_triggers_vowed_force_is_a_threat_and_plain_future_keeps_its_type(code):
    vowed = code("Iran vowed to attack Israel.")
    assert [(str(e.type), e.cameo[:2]) for e in vowed] == [("THREATEN", "13")]
    future = code("Britain will expel three Russian diplomats.")
    assert [(str(e.type), str(e.modality)) for e in future] == [("SANCTION", "pledged")]


def test_event_triggers_agent_nouns_stand_unresolved_but_other_subjects_do_not(code):
    events = code("Demonstrators blocked the road to the airport.")
    assert events and events[0].source is not None and events[0].source.text == "Demonstrators"
    assert events[0].source.actor_id is None
    assert code("The agreement strengthened ties.") == []
