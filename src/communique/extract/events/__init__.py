"""Event coding: triggers in the parse -> PLOVER/CAMEO events with arguments, modality, date and evidence.

`EventCoder` is built once per process (it loads the lexicons) and then called as a pure
function on each parsed article. The steps, each in its own module:

1. triggers: every verb, noun or adjective whose lemma has a lexicon entry; the most
   specific fitting entry codes it. A trigger governed by another one is folded into it:
   under a verb of intent ("pledged to deepen ties") the governed event is coded, as
   pledged; under anything else ("called on X to sign") the governing event is coded.
2. arguments (arguments.py): source, target, other participants and place.
3. modality (modality.py) and reported speech (the statements of the article).
4. merge: one real-world occasion told by several sentences becomes one event with
   several evidence spans; a bare "the meeting" joins the meeting it refers back to.
5. dates (dating.py): the sentence's own date, else the dating policy.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from communique.about import CODER
from communique.extract.events import arguments as args
from communique.extract.events.dating import compatible, own_date, published_date, spans_of
from communique.extract.events.lexicon import TriggerEntry, TriggerLexicon
from communique.extract.events.modality import ModalityCues, modality_of
from communique.kb import ActorKB, FormKind
from communique.nlp import text_of
from communique.records import (
    DateBasis,
    Event,
    EventDate,
    Evidence,
    Figure,
    FigureKind,
    Mention,
    Modality,
    Participant,
    Place,
    PloverType,
    Sentence,
    Statement,
    TimeExpression,
)

_POS = {"VERB": "verb", "NOUN": "noun", "ADJ": "adj"}
# Dependencies through which a trigger hangs from the trigger that governs it.
_GOVERNED_DEPS = {"xcomp", "pcomp", "dobj", "pobj", "acomp", "oprd", "ccomp", "advcl", "acl", "prep", "nsubjpass"}
_CHAIN_DEPS = {"xcomp", "pcomp", "prep", "acomp", "oprd"}
_GOVERNING_PREPS = {"to", "for", "on", "of", "about", "over", "against", "toward", "towards", "in"}
_DEFAULT_TARGETS = {"verb": ("dobj", "dative", "with", "between", "to", "against"),
                    "noun": ("with", "between", "to", "against", "of"),
                    "adj": ("with", "to", "toward", "towards", "for")}
_FIRST_PERSON = {"we", "i", "us", "me", "our"}
_ANAPHORIC_DETS = {"the", "this", "that", "these", "those"}
# Types whose events are occasions (a meeting, a signing, an attack) that several sentences may tell;
# verbal acts (praise, accusation, demand ...) each stay their own event.
_OCCASION_TYPES = {PloverType.CONSULT, PloverType.COOPERATE, PloverType.AID, PloverType.RETREAT,
                   PloverType.CONCEDE, PloverType.SANCTION, PloverType.MOBILIZE, PloverType.COERCE,
                   PloverType.ASSAULT, PloverType.PROTEST}
_LEAD_SENTENCES = 3


@dataclass(slots=True)
class _Draft:
    """An event while it is being put together (mutable; frozen into an Event at the end)."""

    entry: TriggerEntry
    trigger: Token
    source: Participant | None
    target: Participant | None
    others: list[Participant]
    mutual: bool
    place: Place | None
    modality: Modality
    speaker: Participant | None
    date: EventDate | None
    evidence: list[Evidence] = field(default_factory=list)

    def countries(self) -> set[str]:
        return {p.country for p in (self.source, self.target, *self.others) if p is not None and p.country}


@dataclass(frozen=True, slots=True)
class EventCoder:
    """Codes the events of parsed articles with one trigger lexicon."""

    lexicon: TriggerLexicon
    cues: ModalityCues
    index: dict[tuple[str, str], tuple[TriggerEntry, ...]]
    seats: dict[str, str]
    coder: str = CODER

    @classmethod
    def load(cls, kb: ActorKB, trigger_files: Sequence[Path] = ()) -> EventCoder:
        lexicon = TriggerLexicon.load(trigger_files)
        seats = {f.text.lower(): f.actor_id for f in kb.surface_forms() if f.kind == FormKind.METONYM}
        return cls(lexicon, ModalityCues.load(), lexicon.index(), seats)

    def __call__(self, doc: Doc, article_id: str, published: dt.date | None, sentences: Sequence[Sentence],
                 mentions: Sequence[Mention], times: Sequence[TimeExpression],
                 statements: Sequence[Statement] = (), figures: Sequence[Figure] = ()) -> list[Event]:
        money = [(f.start, f.end) for f in figures if f.kind == FigureKind.MONEY]
        # "20 million U.S. dollars" names a currency, not an actor
        kept = [m for m in mentions if not any(s <= m.start and m.end <= e for s, e in money)]
        actors = args.ActorIndex.build(doc, kept, self.seats)
        dates = spans_of(times, doc)
        triggers = self._triggers(doc, actors)
        drafts: list[_Draft] = []
        starts = [s.start for s in sentences]
        for token, entry, passed in triggers:
            sentence = sentences[max(bisect.bisect_right(starts, token.idx) - 1, 0)] if sentences else None
            bounds = (sentence.start, sentence.end) if sentence else (token.sent.start_char, token.sent.end_char)
            draft = self._draft(doc, token, entry, passed, actors, dates, bounds, statements)
            draft.evidence.append(_evidence(token, sentence, doc))
            if draft.source is None and draft.target is None:
                _attach_anaphor(draft, drafts)
            elif draft.source is not None and (draft.target is not None or draft.mutual or entry.lone):
                drafts.append(draft)
            elif draft.source is None and entry.lone and draft.target is not None \
                    and (token.pos_ == "NOUN" or args.passive_subject(token) is not None):
                drafts.append(draft)  # "three soldiers were killed", "the attack on X": no named perpetrator
        merged = _merge(drafts)
        _date(merged, published)
        return [self._freeze(d, article_id) for d in merged]

    # ---- triggers ---------------------------------------------------------------------

    def _entry(self, token: Token, actors: args.ActorIndex) -> TriggerEntry | None:
        pos = _POS.get(token.pos_)
        if pos is None:
            return None
        candidates = self.index.get((token.lemma_.lower(), pos))
        if not candidates:
            return None
        fitting = [e for e in candidates if _fits(e, token, actors)]
        return max(fitting, key=lambda e: e.specificity) if fitting else None

    def _triggers(self, doc: Doc, actors: args.ActorIndex) -> list[tuple[Token, TriggerEntry, bool]]:
        found = {t.i: e for t in doc if (e := self._entry(t, actors)) is not None}
        out = []
        for i, entry in found.items():
            token = doc[i]
            if entry.intent and _governs_trigger(token, found):
                continue  # coded through the event it governs
            governor = _governor(token, found)
            if governor is not None and not found[governor.i].intent:
                continue  # folded into the governing event
            out.append((token, entry, governor is not None))
        return out

    # ---- one event --------------------------------------------------------------------

    def _draft(self, doc: Doc, token: Token, entry: TriggerEntry, passed: bool, actors: args.ActorIndex,
               dates: list[tuple[TimeExpression, Span]], bounds: tuple[int, int],
               statements: Sequence[Statement]) -> _Draft:
        statement = next((s for s in statements if s.content_start <= token.idx < s.content_end), None)
        speaker = statement.speaker if statement else None
        sources, subject = _sources(token, actors)
        if speaker is not None and (speaker.actor_id or speaker.country) \
                and (not sources or (subject is not None and subject.lower_ in _FIRST_PERSON)):
            sources = [speaker]
        if not sources and subject is not None:
            sources = _described(subject, self.lexicon.agents)  # "Demonstrators blocked a road", unresolved
        place = args.place_of(token, actors, doc)
        targets, between = _targets(token, entry, actors, place)
        if not targets and token.pos_ == "NOUN" and token.dep_ in ("dobj", "nsubjpass") and sources \
                and subject is not None and subject.dep_ in ("poss", "pobj"):
            host = args.subject_of(token.head)  # "Kenya hosted a visit by X": the host is the target
            targets = actors.phrase(host) if host is not None else []
        if not targets and token.pos_ == "NOUN" and (verb := _clause_verb(token)) is not None \
                and entry.plover == PloverType.CONSULT:
            # "X told Y during their phone call": the one the clause addresses takes part
            obj = args.direct_object(verb) or args.dative(verb)
            targets = actors.phrase(obj) if obj is not None else []
        source_keys = {_key(p) for p in sources}
        targets = [p for p in targets if _key(p) not in source_keys]
        mutual = False
        if between and len(targets) >= 2 and not sources:
            sources, targets, mutual = targets[:1], targets[1:], True
        elif len(sources) >= 2 and not targets:
            sources, targets, mutual = sources[:1], sources[1:], True
        source = sources[0] if sources else None
        if source is not None and source.country:
            targets = [p for p in targets if not (p.actor_id == p.country == source.country)]
        target = targets[0] if targets else None
        mutual = mutual or (entry.mutual and source is not None and target is not None)  # "X met Y": both meet
        others = sources[1:] + targets[1:]
        modality = modality_of(token, self.cues, reported=statement is not None)
        if passed and not entry.intent:  # a promise made: the intent (CAMEO 03x), or for force a threat (13x)
            code = self.lexicon.pledged_code(entry.cameo, vowed=True)
            if code is not None:
                entry = self.lexicon.recode(entry, code)
        return _Draft(entry=entry, trigger=token, source=source, target=target, others=others, mutual=mutual,
                      place=place, modality=modality, speaker=speaker,
                      date=own_date(token, dates, bounds))

    def _freeze(self, draft: _Draft, article_id: str) -> Event:
        entry = draft.entry
        first = draft.evidence[0]
        digest = hashlib.sha1(f"{article_id}|{first.trigger_start}|{entry.cameo}|{self.coder}".encode())
        return Event(
            event_id=digest.hexdigest()[:16], article_id=article_id, type=entry.plover, mode=entry.mode,
            cameo=entry.cameo, quad_class=entry.quad_class, goldstein=entry.goldstein, source=draft.source,
            target=draft.target, others=tuple(draft.others), mutual=draft.mutual, date=draft.date,
            location=draft.place, modality=draft.modality, reported=draft.speaker is not None,
            speaker=draft.speaker, evidence=tuple(draft.evidence), confidence=_confidence(draft),
            rule=entry.id, coder=self.coder)


# ---- trigger selection --------------------------------------------------------------------


def _fits(entry: TriggerEntry, token: Token, actors: args.ActorIndex) -> bool:
    if entry.prep is not None and not any(c.dep_ in ("prep", "prt", "agent") and c.lower_ == entry.prep
                                          for c in token.children):
        return False
    if entry.object and not (entry.object & _object_lemmas(token)):
        return False
    if entry.with_words and not (entry.with_words & _near_lemmas(token)):
        return False
    if entry.actor_object:
        obj = args.direct_object(token)
        return obj is not None and bool(actors.phrase(obj))
    return True


def _object_lemmas(token: Token) -> set[str]:
    heads = [c for c in token.children if c.dep_ in ("dobj", "obj", "nsubjpass", "attr")]
    for child in token.children:
        if child.dep_ in ("prep", "prt"):
            heads += [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
        if child.dep_ == "xcomp":
            heads += [g for g in child.children if g.dep_ == "dobj"] + [child]
    if token.dep_ == "compound" or (token.pos_ == "NOUN" and token.dep_ in ("dobj", "nsubjpass")):
        heads.append(token.head)
    out = set()
    for head in heads:
        out.add(head.lemma_.lower())
        out.update(c.lemma_.lower() for c in head.children if c.dep_ in ("compound", "amod"))
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
            out.update(g.lemma_.lower() for g in prep.children if g.dep_ == "pobj")
    return out


def _near_lemmas(token: Token) -> set[str]:
    out = set()
    for child in token.children:
        out.add(child.lemma_.lower())
        out.update(g.lemma_.lower() for g in child.children if child.dep_ == "prep")
    if token.dep_ == "compound":
        out.add(token.head.lemma_.lower())
    return out


def _governor(token: Token, found: dict[int, TriggerEntry]) -> Token | None:
    """The trigger this one hangs from ("sign" under "refused to", "talks" under "called for").

    The first step may leave the trigger's own clause (an object, a complement clause); further
    steps only follow infinitive and prepositional chains ("called on X to continue to sign").
    """
    current = token
    came_from = ""
    for step in range(4):
        dep = current.dep_
        if dep not in _GOVERNED_DEPS or current.head is current:
            return None
        if step > 0 and dep not in _CHAIN_DEPS:
            return None
        if dep in ("advcl", "acl") and not any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children):
            return None  # only infinitives: "willingness to work", "in order to sign"
        if dep == "prep" and (current.lower_ not in _GOVERNING_PREPS
                              or (current.lower_ == "in" and came_from != "pcomp")):
            return None  # "commitment in working together", but not "in the first visit"
        came_from = dep
        current = current.head
        if current.i in found:
            return current
    return None


def _governs_trigger(token: Token, found: dict[int, TriggerEntry]) -> bool:
    return any(i != token.i and (g := _governor(token.doc[i], found)) is not None and g.i == token.i for i in found)


# ---- arguments ----------------------------------------------------------------------------


def _key(p: Participant) -> tuple[str | None, str | None]:
    if p.actor_id or p.country:
        return (p.actor_id, None) if p.actor_id else (None, p.country)
    return (None, p.text.lower())  # a name the knowledge base does not know


def _sources(token: Token, actors: args.ActorIndex) -> tuple[list[Participant], Token | None]:
    """The actors doing it, and the subject word they come from."""
    if token.pos_ == "NOUN":
        for child in token.children:
            if child.dep_ == "poss" and (found := actors.phrase(child)):
                return found, child
        agent = args.agent_of(token)
        if agent is not None and (found := actors.phrase(agent)):
            return found, agent
        modifiers = [p for c in token.children if c.dep_ in ("compound", "amod", "nmod")
                     for p in actors.phrase(c, conjuncts=False)]
        if modifiers:
            return modifiers, None
        verb = _clause_verb(token)
        if verb is not None:
            return _verb_subject(verb, actors)
        return [], None
    return _verb_subject(token, actors)


def _clause_verb(noun: Token) -> Token | None:
    """The verb whose object or adjunct a nominal trigger is ("held talks", "during a meeting with")."""
    if noun.dep_ in ("dobj", "attr", "oprd"):
        return noun.head
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in ("VERB", "AUX"):
        return noun.head.head
    return None


def _verb_subject(verb: Token, actors: args.ActorIndex) -> tuple[list[Participant], Token | None]:
    """The subject of a verb's clause, or the agent of a passive one ("was revealed by X")."""
    if args.passive_subject(verb) is not None:
        agent = args.agent_of(verb)
        return (actors.phrase(agent), agent) if agent is not None else ([], None)
    subject = args.subject_of(verb)
    return (actors.phrase(subject), subject) if subject is not None else ([], None)


def _described(subject: Token, agents: frozenset[str]) -> list[Participant]:
    """A subject that names no known actor as an unresolved participant: its noun phrase up to the head word.

    Only a proper noun ("Chavez") or a common noun of the lexicon's agents ("protesters", "Hutu rebels",
    "thousands of protesters"); pronouns, clauses and other nouns ("the agreement", "such materials") stay unknown.
    """
    if subject.dep_ not in ("nsubj", "nsubjpass"):
        return []
    head = subject
    if subject.pos_ != "PROPN" and subject.lemma_.lower() not in agents:  # "thousands of protesters"
        head = next((g for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"
                     for g in c.children if g.dep_ == "pobj"), subject)
    if head.pos_ != "PROPN" and not (head.pos_ == "NOUN" and head.lemma_.lower() in agents):
        return []
    span = subject.doc[subject.left_edge.i:head.i + 1]
    return [Participant(span.text, span.start_char, span.end_char, None, None, None, span.text)]


def _targets(token: Token, entry: TriggerEntry, actors: args.ActorIndex,
             place: Place | None) -> tuple[list[Participant], bool]:
    """Target candidates from the entry's slots, first slot that names an actor wins; and whether it was "between"."""
    slots = entry.target if entry.target is not None else _DEFAULT_TARGETS[entry.pos]
    heads = [token]
    obj = args.direct_object(token) if token.pos_ == "VERB" else None
    if obj is not None:
        heads.append(obj)  # "held talks with X", "signed a deal with X"
    if token.pos_ == "NOUN":
        heads += args.prep_objects(token, "of")  # "the restoration of relations between X and Y"
        agent = args.agent_of(token)
        if agent is not None:
            heads.append(agent)  # "the visit by a Russian president to Venezuela"
    for slot in slots:
        found: list[Participant] = []
        if slot == "dobj":
            if obj is not None:
                found = actors.phrase(obj)
        elif slot == "dative":
            dat = args.dative(token)
            found = actors.phrase(dat) if dat is not None else []
        elif slot == "clause":  # "demanded that X withdraw": the one the clause is about
            for clause in (c for c in token.children if c.dep_ == "ccomp"):
                subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                found += actors.phrase(subject) if subject is not None else []
        elif slot == "place":
            if place is not None and place.country:
                found = [Participant(place.text, place.start, place.end, place.country, place.country, "GOV",
                                     place.text)]
        else:
            for head in heads:
                for pobj in args.prep_objects(head, slot):
                    found += actors.phrase(pobj)
        if found:
            return found, slot == "between"
    return [], False


# ---- merging and dating -------------------------------------------------------------------


def _evidence(token: Token, sentence: Sentence | None, doc: Doc) -> Evidence:
    start, end = (sentence.start, sentence.end) if sentence else (token.sent.start_char, token.sent.end_char)
    index = sentence.index if sentence else 0
    text = token.text
    right = token.idx + len(text)
    for child in token.children:  # "call on", "crack down": the particle belongs to the trigger
        if child.dep_ in ("prt",) and child.idx == right + 1:
            right = child.idx + len(child.text)
    return Evidence(sentence=index, start=start, end=end, trigger=text_of(doc)[token.idx:right],
                    trigger_start=token.idx, trigger_end=right)


def _attach_anaphor(draft: _Draft, drafts: list[_Draft]) -> None:
    """A bare "the meeting" adds its sentence to the latest event of its type it can refer back to."""
    token = draft.trigger
    if token.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETS for c in token.children):
        return
    for earlier in reversed(drafts):
        if earlier.entry.plover == draft.entry.plover and earlier.modality == draft.modality:
            if draft.evidence[0].sentence - earlier.evidence[-1].sentence > 6:
                return
            earlier.evidence.extend(e for e in draft.evidence if e.sentence not in
                                    {x.sentence for x in earlier.evidence})
            earlier.place = earlier.place or draft.place
            earlier.date = earlier.date or draft.date
            return


def _same_occasion(a: _Draft, b: _Draft) -> bool:
    if a.entry.plover != b.entry.plover or a.entry.plover not in _OCCASION_TYPES or a.modality != b.modality:
        return False
    if a.entry.cameo != b.entry.cameo:
        return False
    ca, cb = a.countries(), b.countries()
    if not ca or not cb or not (ca <= cb or cb <= ca) or len(ca | cb) < 2:
        return False
    if a.date is not None and b.date is not None and not compatible(a.date.value, b.date.value):
        return False
    return not (a.place and b.place and a.place.country and b.place.country and a.place.country != b.place.country)


def _merge(drafts: list[_Draft]) -> list[_Draft]:
    out: list[_Draft] = []
    for draft in drafts:
        into = next((d for d in reversed(out) if _same_occasion(d, draft)), None)  # the latest it can be
        if into is None:
            out.append(draft)
            continue
        sentences = {e.sentence for e in into.evidence}
        into.evidence.extend(e for e in draft.evidence if e.sentence not in sentences)
        if into.target is None and draft.target is not None:
            into.source, into.target, into.others, into.mutual = draft.source, draft.target, draft.others, draft.mutual
        into.place = into.place or draft.place
        if draft.date is not None and (into.date is None or len(draft.date.value) > len(into.date.value)):
            into.date = draft.date
    return out


def _date(drafts: list[_Draft], published: dt.date | None) -> None:
    """The dating policy (dating.py) for events whose sentences give no date."""
    main = next((d for d in drafts if d.date is not None and d.date.basis == DateBasis.SENTENCE
                 and d.modality in (Modality.ASSERTED, Modality.PLEDGED) and d.evidence[0].sentence < _LEAD_SENTENCES
                 and (published is None or d.date.value[:10] <= published.isoformat())), None)
    occasions: dict[int, EventDate] = {}
    for draft in drafts:
        if draft.date is not None and draft.date.basis == DateBasis.SENTENCE and draft.entry.plover in _OCCASION_TYPES:
            for evidence in draft.evidence:
                occasions.setdefault(evidence.sentence, draft.date)
    for draft in drafts:
        if draft.date is not None or draft.modality in (Modality.NEGATED, Modality.HYPOTHETICAL):
            continue
        told = occasions.get(draft.evidence[0].sentence)
        if told is not None:
            draft.date = EventDate(told.value, told.precision, told.text, DateBasis.EVENT)
        elif main is not None and main.date is not None and draft.countries() & main.countries():
            draft.date = EventDate(main.date.value, main.date.precision, main.date.text, DateBasis.MAIN_EVENT)
        elif published is not None and draft.modality == Modality.ASSERTED:
            draft.date = published_date(published)


def _confidence(draft: _Draft) -> float:
    """A documented heuristic (docs/events.md): resolved arguments and an own date raise it."""
    score = 0.4
    score += 0.2 if draft.source is not None and draft.source.actor_id else 0.0
    score += 0.2 if draft.target is not None or draft.mutual else 0.0
    score += 0.1 if draft.trigger.pos_ == "VERB" else 0.0
    score += 0.1 if draft.date is not None and draft.date.basis == DateBasis.SENTENCE else 0.0
    score -= 0.2 if draft.modality == Modality.HYPOTHETICAL else 0.0
    return round(min(max(score, 0.05), 0.95), 2)

