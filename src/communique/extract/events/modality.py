"""Modality of an event: asserted, negated, pledged or hypothetical (word lists in data/events/modality.yaml).

The trigger and the verbs it hangs from through infinitives and coordination are read
together: "did not agree to sign" is negated, "is expected to visit" pledged, "could
impose" hypothetical. Negation wins over hypothesis, hypothesis over pledge.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Token

from communique.extract.events.lexicon import load_yaml
from communique.records import Modality

_CHAIN_DEPS = {"xcomp", "pcomp", "acomp", "prep", "conj", "dobj", "pobj", "attr", "oprd", "advcl", "relcl", "acl"}


@dataclass(frozen=True, slots=True)
class ModalityCues:
    """The word lists of data/events/modality.yaml."""

    negators: frozenset[str]
    negating_verbs: frozenset[str]
    possibility_aux: frozenset[str]
    condition_markers: frozenset[str]
    hypothetical_verbs: frozenset[str]
    hypothetical_adjectives: frozenset[str]
    future_aux: frozenset[str]
    reported_future_aux: frozenset[str]
    pledge_verbs: frozenset[str]
    pledge_adjectives: frozenset[str]
    pledge_nouns: frozenset[str]
    future_modifiers: frozenset[str]

    @classmethod
    def load(cls) -> ModalityCues:
        data = load_yaml(resources.files("communique.data").joinpath("events/modality.yaml").read_text("utf-8"))
        neg, hyp, pledge = data["negated"], data["hypothetical"], data["pledged"]
        return cls(frozenset(neg["particles"]), frozenset(neg["verbs"]), frozenset(hyp["auxiliaries"]),
                   frozenset(hyp["markers"]), frozenset(hyp["verbs"]), frozenset(hyp["adjectives"]),
                   frozenset(pledge["auxiliaries"]), frozenset(pledge["reported_auxiliaries"]),
                   frozenset(pledge["verbs"]), frozenset(pledge["adjectives"]), frozenset(pledge["nouns"]),
                   frozenset(pledge["modifiers"]))


def chain(trigger: Token) -> list[Token]:
    """The trigger and the words it hangs from up to its clause's main verb (at most six)."""
    out = [trigger]
    token = trigger
    while token.dep_ in _CHAIN_DEPS and token.head is not token and len(out) < 6:
        token = token.head
        out.append(token)
        if token.pos_ in ("VERB", "AUX") and token.dep_ in ("ROOT", "ccomp"):
            break
    return out


def modality_of(trigger: Token, cues: ModalityCues, reported: bool) -> Modality:
    """The modality of the event a trigger names; `reported`: inside reported speech ("would" marks the future)."""
    words = chain(trigger)
    if _negated(trigger, words, cues):
        return Modality.NEGATED
    if _hypothetical(words, cues):
        return Modality.HYPOTHETICAL
    if _pledged(trigger, words, cues, reported):
        return Modality.PLEDGED
    return Modality.ASSERTED


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _negated(trigger: Token, words: list[Token], cues: ModalityCues) -> bool:
    for token in words:
        if any(c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and c.lower_ in cues.negators)
               for c in token.children):
            return True
    return any(_lemma(t) in cues.negating_verbs for t in words[1:])


def _hypothetical(words: list[Token], cues: ModalityCues) -> bool:
    for token in words:
        for child in token.children:
            if child.dep_ == "aux" and child.lower_ in cues.possibility_aux:
                return True
            if child.dep_ == "mark" and child.lower_ in cues.condition_markers:
                return True
            if child.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in cues.condition_markers
                                             for g in child.children):
                return True  # "if the talks succeed, X will sign"
    upper = words[1:]
    return (any(_lemma(t) in cues.hypothetical_verbs for t in upper)
            or any(t.lower_ in cues.hypothetical_adjectives for t in upper))


def _pledged(trigger: Token, words: list[Token], cues: ModalityCues, reported: bool) -> bool:
    future = cues.future_aux | (cues.reported_future_aux if reported else frozenset())
    for token in words:
        for child in token.children:
            if child.dep_ == "aux" and child.lower_ in future:
                return True
    upper = words[1:]
    if any(_lemma(t) in cues.pledge_verbs or t.lower_ in cues.pledge_adjectives or _lemma(t) in cues.pledge_nouns
           for t in upper):
        return True
    return trigger.pos_ == "NOUN" and any(c.lower_ in cues.future_modifiers for c in trigger.children)
