"""Statements on sentences written for the project, parsed by the real spaCy model."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from communique.errors import ConfigError
from communique.extract import _located
from communique.extract.actors import ActorResolver
from communique.extract.statements import CueKind, SpeechCues, extract_statements, find_quotes, statement_id
from communique.kb import ActorKB
from communique.nlp import load_pipeline, parse
from communique.nlp.sentences import SentenceSplitter
from communique.records import Statement

DAY = dt.date(2024, 5, 14)
LONG = ("The treaty, which the minister described as historic, was signed in Lima in front of hundreds of "
        "delegates from thirty countries who had travelled from every corner of the continent, and the foreign "
        "minister of Chile, speaking after a long session that ran late into the night and was interrupted twice "
        "by power cuts, said that her government would ratify the treaty before the end of the year and would "
        "urge its neighbours to do the same without delay.")


@pytest.fixture(scope="module")
def statements():
    nlp = load_pipeline()
    resolver = ActorResolver(nlp, ActorKB.load())
    splitter = SentenceSplitter()

    def _statements(text: str, article_id: str = "art1", cues: SpeechCues | None = None) -> list[Statement]:
        sentences = splitter.split(text)
        doc = next(parse(nlp, [(text, sentences)]))
        mentions = _located(resolver(doc, DAY), sentences)
        found = extract_statements(doc, mentions, sentences, article_id, "communique test", cues)
        for s in found:
            assert text[s.content_start:s.content_end] == s.content
            assert text[s.cue_start:s.cue_end] == s.cue
            if s.speaker is not None:
                assert text[s.speaker.start:s.speaker.end] == s.speaker.text
        return found

    return _statements


def _summary(s: Statement) -> tuple:
    return (s.cue, s.speaker_text, s.speaker.actor_id if s.speaker else None, s.content, s.direct)


def test_statements_direct_quote_with_kb_speaker(statements):
    text = "“The corridor will open in spring,” Kazakh President Kassym-Jomart Tokayev said on Monday."
    [s] = statements(text)
    assert _summary(s) == ("said", "Kazakh President Kassym-Jomart Tokayev", "person:kassym-jomart-tokayev",
                           "The corridor will open in spring", True)
    assert (s.content_start, s.content_end, s.cue_start, s.sentence) == (1, 33, 75, 0)
    assert (s.speaker.text, s.speaker.country, s.speaker.sector) == ("Kassym-Jomart Tokayev", "KAZ", "GOV")
    assert (s.article_id, s.coder) == ("art1", "communique test")


def test_statements_split_quote_around_the_cue_gives_one_statement_per_segment(statements):
    text = ("“We will not back down,” the foreign minister said, “and we expect our partners to stand "
            "with us.”")
    found = statements(text)
    assert [_summary(s) for s in found] == [
        ("said", "the foreign minister", None, "We will not back down", True),
        ("said", "the foreign minister", None, "and we expect our partners to stand with us.", True),
    ]
    assert len({s.statement_id for s in found}) == 2 and {s.cue_start for s in found} == {46}


@pytest.mark.parametrize(("text", "expected"), [
    ("The ministry pointed out that exports had doubled.",
     ("pointed out", "The ministry", None, "exports had doubled", False)),
    ("Mongolia said the new railway would carry coal to the coast.",
     ("said", "Mongolia", "MNG", "the new railway would carry coal to the coast", False)),
    ("The border will reopen next week, said the interior minister.",
     ("said", "the interior minister", None, "The border will reopen next week", False)),
    ("According to the UN, the convoy reached the city on Sunday.",
     ("According to", "the UN", "igo:UN", "the convoy reached the city on Sunday", False)),
    ("Peru criticised the tariff, saying it would hurt farmers.",
     ("saying", "Peru", "PER", "it would hurt farmers", False)),
    ("The envoy, who stressed that the ceasefire was holding, left on Friday.",
     ("stressed", "The envoy", None, "the ceasefire was holding", False)),
    ("She said the proposal was “a serious mistake” and would be rejected.",
     ("said", "She", None, "the proposal was “a serious mistake” and would be rejected", False)),
    ('He told the assembly: "Our door remains open."',
     ("told", "He", None, "Our door remains open.", True)),
    ("At the briefing, she told reporters that each time the river floods, the old bridge is closed to trucks.",
     ("told", "she", None, "each time the river floods, the old bridge is closed to trucks", False)),
    ("According to the schedule, the talks coincide with the fifth session of the joint commission (JCC).",
     ("According to", "the schedule", None, "the talks coincide with the fifth session of the joint commission (JCC)",
      False)),
    ("He said Chile values the new port, fully backs the budget, and will send engineers next year.",
     ("said", "He", None, "Chile values the new port, fully backs the budget, and will send engineers next year",
      False)),
])
def test_statements_indirect_and_direct_speech(statements, text, expected):
    [s] = statements(text)
    assert _summary(s) == expected


def test_statements_pronoun_speaker_takes_the_resolved_actor(statements):
    text = ("Kazakh President Kassym-Jomart Tokayev opened the forum in Astana. "
            "He emphasised that the region needed new railways.")
    [s] = statements(text)
    assert _summary(s) == ("emphasised", "He", "person:kassym-jomart-tokayev", "the region needed new railways",
                           False)
    assert (s.sentence, s.speaker.text, s.speaker.start) == (1, "He", 67)


def test_statements_unresolved_speaker_keeps_the_phrase(statements):
    [s] = statements("A spokesperson told reporters that the talks had been postponed.")
    assert s.speaker is None
    assert (s.speaker_text, s.cue, s.content) == ("A spokesperson", "told", "the talks had been postponed")


def test_statements_speaker_inside_the_phrase(statements):
    [s] = statements("The foreign minister of Chile said that the vote would be held in June.")
    assert (s.speaker_text, s.speaker.text, s.speaker.actor_id) == ("The foreign minister of Chile", "Chile", "CHL")


@pytest.mark.parametrize("text", [
    "The delegation visited a power plant and added two stops to its tour.",
    "Officials told reporters about the schedule.",
    "The said agreement expires in 2030.",
    "It was said that the talks had failed.",
])
def test_statements_no_speech_no_statement(statements, text):
    assert statements(text) == []


def test_statements_cue_inside_a_quotation_is_not_a_statement(statements):
    [s] = statements("“They told us that the border was closed,” the driver said.")
    assert _summary(s) == ("said", "the driver", None, "They told us that the border was closed", True)


def test_statements_partial_quotation_keeps_its_marks(statements):
    [s] = statements("The minister said “some bad things” are happening and warned of a “catastrophe.”")
    assert (s.content, s.direct) == ("“some bad things” are happening and warned of a “catastrophe.”", False)


def test_statements_scare_quote_beside_a_cue_is_not_a_quotation(statements):
    text = "The president called the offer “almost insulting”, and officials warned they would walk out."
    [s] = statements(text)
    assert _summary(s) == ("warned", "officials", None, "they would walk out", False)


def test_statements_according_to_on_a_speech_verb_relays_and_is_not_a_statement(statements):
    found = statements("“We oppose the drills,” the agency said, according to the UN.")
    assert [_summary(s) for s in found] == [("said", "the agency", None, "We oppose the drills", True)]
    [s] = statements("According to the UN, Chile announced new sanctions.")
    assert _summary(s) == ("According to", "the UN", "igo:UN", "Chile announced new sanctions", False)


def test_statements_very_long_sentence(statements):
    [s] = statements(LONG)
    assert _summary(s) == ("said", "the foreign minister of Chile", "CHL",
                           "her government would ratify the treaty before the end of the year and would urge "
                           "its neighbours to do the same without delay", False)
    assert s.cue_start == LONG.index(" said that") + 1


def test_statements_several_in_one_article_in_text_order(statements):
    text = ("Mongolia and Kazakhstan signed a transit accord on Tuesday.\n"
            "“This accord doubles our access to the sea,” Kazakh President Kassym-Jomart Tokayev said.\n"
            "He added that a second line would follow. The weather was cold.\n"
            "According to the UN, the corridor could carry 20 million tonnes a year.")
    found = statements(text)
    assert [(s.sentence, s.cue, s.direct) for s in found] == [
        (1, "said", True), (2, "added", False), (4, "According to", False)]
    assert [s.speaker.actor_id for s in found] == ["person:kassym-jomart-tokayev",
                                                   "person:kassym-jomart-tokayev", "igo:UN"]
    assert [s.content for s in found] == ["This accord doubles our access to the sea",
                                          "a second line would follow",
                                          "the corridor could carry 20 million tonnes a year"]


def test_statements_ids_are_stable_and_depend_on_article_and_offsets(statements):
    text = "Mongolia said the new railway would carry coal to the coast."
    [a], [b], [c] = statements(text), statements(text), statements(text, article_id="art2")
    assert a.statement_id == b.statement_id != c.statement_id
    assert re.fullmatch(r"[0-9a-f]{16}", a.statement_id)
    assert a.statement_id == statement_id("art1", a.cue_start, a.cue_end, a.content_start, a.content_end)
    assert a.as_dict()["speaker"]["actor_id"] == "MNG"


def test_statements_user_cue_file_adds_a_verb(statements):
    cues = SpeechCues.parse("verb:\n  quip: [quip, quips, quipped]\npreposition:\n  as per: [as per]\n")
    [s] = statements("The ambassador quipped that the summit had run out of coffee.", cues=cues)
    assert (s.cue, s.content) == ("quipped", "the summit had run out of coffee")
    assert statements("Mongolia said the railway would open.", cues=cues) == []


def test_statements_shipped_cues_load_once():
    cues = SpeechCues.load()
    assert cues is SpeechCues.load()
    [form] = cues.starting_with("according")
    assert (form.lemma, form.kind, form.words) == ("according to", CueKind.PREPOSITION, ("according", "to"))
    assert {f.words for f in cues.starting_with("pointed")} == {("pointed", "out")}


@pytest.mark.parametrize(("text", "message"), [
    ("verb: [say]", "verb must map lemmas"),
    ("noun:\n  claim: [claim]", "unknown cue kind 'noun'"),
    ("verb:\n  say: []", "verb.say must be a non-empty list"),
    ("verb: {say: [said", "not YAML"),
    ("- say", "expected a mapping"),
])
def test_statements_bad_cue_file_raises_e520(text, message):
    with pytest.raises(ConfigError, match=rf"^E520 .*{re.escape(message)}"):
        SpeechCues.parse(text)


@pytest.mark.parametrize(("text", "spans"), [
    ("a “b” c", [(2, 5, 3, 4)]),
    ('x "yes" and "no" z', [(2, 7, 3, 6), (12, 16, 13, 15)]),
    ("“open to the end\n“next”", [(0, 16, 1, 16), (17, 23, 18, 22)]),
    ('a 12" screen', []),
])
def test_statements_find_quotes(text, spans):
    assert [(q.start, q.end, q.inner_start, q.inner_end) for q in find_quotes(text)] == spans


@pytest.mark.parametrize("pos, expected", [(["NOUN", "ADP", "ADP", "NOUN"], 0), (["NOUN", "VERB", "ADP", "NOUN"], 1)])
def test_statements_clause_verb_stops_at_a_nominal_root(pos, expected):
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from communique.extract.statements import _clause_verb

    doc = Doc(Vocab(), words=["Talks", "according", "to", "officials"], pos=pos, heads=[0, 0, 1, 2],
              deps=["ROOT", "prep", "prep", "pobj"])
    assert _clause_verb(doc[2]).i == expected
