"""Event arguments from the dependency parse: who (source), to whom (target), where.

Actors are the resolved mentions of the language core; a phrase names the actor whose
mention covers its head word, or failing that the nearest mention among its modifiers
("the Chinese side", "the president of Belarus"). Group mentions ("the two sides") stand
for every actor they refer to.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from communique.records import ActorKind, Mention, Participant, Place

# Modifiers that can carry the actor of a phrase whose head names none.
_MODIFIER_DEPS = {"compound", "amod", "poss", "nmod", "appos", "npadvmod", "nummod"}
# How a dependent clause reaches up to the clause that has the subject.
_CLIMB_DEPS = {"xcomp", "conj", "advcl", "acomp", "pcomp", "prep", "oprd"}
_SUBJECT_DEPS = ("nsubj", "csubj", "expl")
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_PLACE_PREPS = {"in", "at", "inside", "near"}


@dataclass(frozen=True, slots=True)
class ActorIndex:
    """The mentions of one article, looked up by token, and what each actor id is (country, sector)."""

    by_token: dict[int, Mention]
    info: dict[str, tuple[str | None, str | None, str]]
    seats: dict[int, Participant]  # capitals and seats of government the resolver left as places
    seat_names: dict[str, str]  # lower-case capital name -> country
    place_ents: dict[int, tuple[str, int, int, str]]  # token -> (text, start, end, label) of its GPE/LOC/FAC

    @classmethod
    def build(cls, doc: Doc, mentions: Sequence[Mention], seats: dict[str, str] | None = None) -> ActorIndex:
        """Index the mentions; `seats` maps lower-case capital names to their country ("tehran" -> "IRN")."""
        by_token: dict[int, Mention] = {}
        info: dict[str, tuple[str | None, str | None, str]] = {}
        for mention in mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None:
                for token in span:
                    by_token.setdefault(token.i, mention)
            if mention.actor_id and not mention.refers_to:
                info.setdefault(mention.actor_id, (mention.country, mention.sector, mention.name))
        found: dict[int, Participant] = {}
        places: dict[int, tuple[str, int, int, str]] = {}
        for ent in doc.ents:
            if ent.label_ not in _PLACE_LABELS:
                continue
            places.update((i, (ent.text, ent.start_char, ent.end_char, ent.label_)) for i in range(ent.start, ent.end))
            country = seats.get(ent.text.lower()) if seats else None
            if country and not any(i in by_token for i in range(ent.start, ent.end)):
                seat = Participant(ent.text, ent.start_char, ent.end_char, country, country, "GOV", ent.text)
                found.update((i, seat) for i in range(ent.start, ent.end))
        return cls(by_token, info, found, seats or {}, places)

    def participants(self, mention: Mention) -> list[Participant]:
        """One participant per actor the mention stands for (several for "the two sides")."""
        if mention.refers_to:
            out = []
            for actor_id in mention.refers_to:
                country, sector, name = self.info.get(actor_id, (_country_of(actor_id), None, actor_id))
                out.append(Participant(mention.text, mention.start, mention.end, actor_id, country, sector, name))
            return out
        if mention.actor_id is None and mention.country is None:
            # a name the resolver found but could not tie to the knowledge base ("Hezbollah", "Yasser Arafat")
            # stands as itself, without id or country; unresolved pronouns and descriptions do not
            if mention.via != "ner":
                return []
            return [Participant(mention.text, mention.start, mention.end, None, None, mention.sector, mention.name)]
        return [Participant(mention.text, mention.start, mention.end, mention.actor_id, mention.country,
                            mention.sector, mention.name)]

    def is_place(self, mention: Mention) -> bool:
        return (mention.kind in (ActorKind.COUNTRY, None) and mention.via in ("kb", "metonym", "ner")) \
            or mention.text.lower() in self.seat_names

    def phrase(self, head: Token, conjuncts: bool = True) -> list[Participant]:
        """The actors a noun phrase names (its conjuncts too: "China and Belarus")."""
        found = self._head_actor(head)
        if conjuncts:
            for other in head.conjuncts:
                if other.i > head.i:
                    found += self._head_actor(other)
        return _unique(found)

    def _head_actor(self, head: Token) -> list[Participant]:
        found = self._own(head)
        if found:
            return found
        for token in _modifiers(head, depth=2):
            found = self._own(token)
            if found:  # "the presidents of Ghana and Togo": the conjuncts too
                return found + [p for c in token.conjuncts if c.i > token.i for p in self._own(c)]
        return []

    def _own(self, token: Token) -> list[Participant]:
        mention = self.by_token.get(token.i)
        if mention is not None and (found := self.participants(mention)):
            return found
        return [self.seats[token.i]] if token.i in self.seats else []


def _country_of(actor_id: str) -> str | None:
    return actor_id if len(actor_id) == 3 and actor_id.isupper() else None


def _modifiers(head: Token, depth: int) -> Iterator[Token]:
    """Modifiers of a phrase head, nearest first, through "of" phrases ("the president of Belarus")."""
    if depth == 0:
        return
    for child in head.children:
        if child.dep_ in _MODIFIER_DEPS:
            yield child
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    yield pobj
                    yield from _modifiers(pobj, depth - 1)
    for child in head.children:
        if child.dep_ in _MODIFIER_DEPS:
            yield from _modifiers(child, depth - 1)


def _unique(found: list[Participant]) -> list[Participant]:
    seen: set[tuple[str | None, str | None, int]] = set()
    out = []
    for p in found:
        key = (p.actor_id, p.country, p.start) if p.actor_id is None else (p.actor_id, None, 0)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def subject_of(token: Token) -> Token | None:
    """The subject of the clause a word belongs to, climbing through infinitives, coordination and participles."""
    current: Token | None = token
    for step in range(8):
        if current is None:
            return None
        for child in current.children:
            # a raising verb's passive subject is its complement's subject ("X is expected to visit")
            if child.dep_ in _SUBJECT_DEPS or (step and child.dep_ == "nsubjpass"):
                return child
        if current.dep_ == "relcl":  # "the minister, who visited ..." -> the noun the clause modifies
            return current.head
        if current.dep_ == "acl":  # "China's willingness to work", "expressed the wish to visit"
            if current.tag_ == "VBN":
                return None
            noun = current.head
            owner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ != "PRON"), None)
            if owner is not None:
                return owner
            if noun.dep_ not in ("dobj", "attr", "oprd", "nsubjpass") or noun.head is noun:
                return None
            current = noun.head
            continue
        if current.dep_ not in _CLIMB_DEPS or current.head is current:
            return None
        if current.dep_ == "xcomp":  # object control: "urged Y to leave" -> Y leaves
            controller = next((c for c in current.head.children if c.dep_ in ("dobj", "obj")), None)
            if controller is not None:
                return controller
        current = current.head
    return None


def passive_subject(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ == "nsubjpass":
            return child
    return None


def agent_of(token: Token) -> Token | None:
    """The "by" phrase of a passive verb or of a noun ("the visit by the minister")."""
    for child in token.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def prep_objects(token: Token, word: str) -> list[Token]:
    """Objects of the preposition `word` under `token` ("talks with X", "between X and Y")."""
    out: list[Token] = []
    for child in token.children:
        if child.dep_ in ("prep", "prt", "agent", "dative") and child.lower_ == word:
            out.extend(g for g in child.children if g.dep_ in ("pobj", "pcomp", "dobj"))
    return out


def direct_object(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ in ("dobj", "obj"):
            return child
    return passive_subject(token)


def dative(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ == "dative":
            if child.lower_ in ("to", "for"):
                return next((g for g in child.children if g.dep_ == "pobj"), None)
            return child
    return None


def place_of(trigger: Token, index: ActorIndex, doc: Doc) -> Place | None:
    """Where the event happened: an "in/at" place on the trigger's clause, else one in its sentence."""
    chain = [trigger]
    head = trigger
    while head.dep_ in _CLIMB_DEPS | {"dobj", "pobj", "attr"} and head.head is not head and len(chain) < 5:
        head = head.head
        chain.append(head)
    candidates: list[Token] = []
    for token in chain:
        for obj in (w for w in _place_words(token)):
            candidates.append(obj)
    if not candidates:  # elsewhere in the sentence, only a place whose country is known ("..., in Minsk.")
        found = (_place(t, index, doc) for t in trigger.sent if t.dep_ == "pobj" and t.head.lower_ in _PLACE_PREPS)
        return next((p for p in found if p is not None and p.country), None)
    best: Place | None = None
    for token in candidates:
        # "in the Brazilian capital of Brasilia": the place is named in the "of" phrase
        place = _place(token, index, doc) or next((p for t in prep_objects(token, "of")
                                                   if (p := _place(t, index, doc)) is not None), None)
        if place is not None and place.country is not None:
            return place
        if place is not None:  # "at the guesthouse in Beijing": the city says the country
            inner = next((p for t in _place_words(token) if (p := _place(t, index, doc)) and p.country), None)
            if inner is not None:
                return inner
        best = best or place
    return best


def _place_words(token: Token) -> Iterator[Token]:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in _PLACE_PREPS:
            yield from (g for g in child.children if g.dep_ == "pobj")


def _place(token: Token, index: ActorIndex, doc: Doc) -> Place | None:
    mention = index.by_token.get(token.i)
    if mention is not None and not mention.refers_to and index.is_place(mention):
        country = index.seat_names.get(mention.text.lower(), mention.country)
        return Place(mention.text, mention.start, mention.end, country)
    seat = index.seats.get(token.i)
    if seat is not None:
        return Place(seat.text, seat.start, seat.end, seat.country)
    ent = index.place_ents.get(token.i)
    return Place(ent[0], ent[1], ent[2], None) if ent is not None and ent[3] != "LOC" else None
