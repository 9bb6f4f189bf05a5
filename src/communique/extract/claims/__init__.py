"""Claims: sentences that assert a count or an order of events (docs/claims.md).

"his second visit to China within the year", "the 15th time he has visited China since
1994", "the first meeting between the two leaders since 2019", "the two ministers have met
four times this year". A pure function of the parsed article and the records the other
extractors found in it; the words it knows are in `data/claims.toml`.

1. Cues: an ordinal word ("second", "15th") on a noun, a count on "times" or on a plural
   occasion noun ("four times", "three visits"), or a count adverb ("twice").
2. What is counted: an occasion noun ("visit" -> CONSULT, mode visit), an edition noun
   and its "of" phrase ("round of talks"), or a generic noun and its verb ("the 15th time
   he has visited"); the event coded on that verb gives the type when the list does not.
   Anything else ("the second largest economy", "the 15th century", "his first term") is
   not a claim.
3. The event the claim is about: the coded event of that type in the sentence, nearest in
   the parse; it lends its source, target, date and modality when the words say less.
4. Who and with whom: the possessor, the "by" phrase or the verb's subject; "to", "with",
   "between" phrases or the verb's object; "his"/"her" is the latest person named before it.
5. The period: "since" + a date or a clause with a date ("since he was re-elected in
   January"), "in/for" + a duration ("the first visit in a decade"), or a date of year,
   quarter or month precision ("within the year", "this year").
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from communique.about import CODER
from communique.extract.claims.lexicon import ClaimLexicon, Occasion, default_lexicon
from communique.extract.events.arguments import ActorIndex, agent_of, direct_object, prep_objects, subject_of
from communique.records import (
    ActorKind,
    Claim,
    ClaimKind,
    ClaimPeriod,
    Event,
    Evidence,
    Figure,
    Mention,
    Modality,
    Participant,
    PloverType,
    Precision,
    Sentence,
    TimeExpression,
    TimexType,
)

_DURATION = re.compile(r"^P(\d+)(Y|DE|CE|M|W|D)$")
_NOMINAL_ORDINAL_DEPS = {"appos", "conj", "attr"}  # "a visit, his first to China"
_MODIFIER_DEPS = {"amod", "nummod", "compound", "advmod", "npadvmod"}
_NOUNS = {"NOUN", "PROPN"}
_VERBS = {"VERB", "AUX"}
_POSSESSIVE_PRONOUNS = {"his", "her", "he", "she", "him"}
_DEFINITE = {"the", "these", "those", "this", "that"}
_PERIOD_PRECISIONS = {Precision.YEAR, Precision.QUARTER, Precision.HALF, Precision.SEASON, Precision.MONTH,
                      Precision.DECADE, Precision.CENTURY}
_NAME_PREPS = {"of", "for", "on"}  # "Forum for International Cooperation", "Conference on Disarmament"
_TRAILING_DEPS = {"relcl", "acl", "punct", "appos", "advcl"}
_LONG_PRECISIONS = {Precision.YEAR, Precision.DECADE, Precision.CENTURY}
_ARG_DEPS = {"prep", "npadvmod", "advmod", "advcl", "pcomp", "dobj", "relcl", "acl", "appos"}


# ---- cues ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cue:
    """A number word and what it counts, before the arguments are found."""

    kind: ClaimKind  # ORDINAL or COUNT; FIRST_SINCE is decided with the period
    number: int
    words: tuple[Token, ...]  # the number (and its qualifier) as written
    qualifier: str
    core: Token  # the noun or verb that names the occasion (the ordinal itself when elliptical)
    noun: Token | None  # the occasion noun ("visit" of "his first to China")
    verb: Token | None  # the verb of a generic noun or of a count ("has visited", "met")


def _cues(token: Token, lex: ClaimLexicon) -> _Cue | None:
    if (number := lex.ordinal(token)) is not None:
        return _ordinal_cue(token, number)
    if token.lower_ in lex.adverbs and token.pos_ == "ADV" and token.head.pos_ in _VERBS and token.head != token:
        nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
        if nxt is not None and nxt.lower_ in ("again", "more"):
            return None
        return _Cue(ClaimKind.COUNT, lex.adverbs[token.lower_], (token,), "exact", token.head, None, token.head)
    if token.pos_ in _NOUNS and token.tag_ in ("NNS", "NNPS"):
        return _count_cue(token, lex)
    return None


def _ordinal_cue(token: Token, number: int) -> _Cue | None:
    head = token.head
    if head.lower_ == "ever" and head.head != head:  # "first-ever visit"
        head = head.head
    if token.dep_ in _MODIFIER_DEPS and head.pos_ in _NOUNS and head.i > token.i:
        return _Cue(ClaimKind.ORDINAL, number, (token,), "exact", head, head, None)
    if token.dep_ in _NOMINAL_ORDINAL_DEPS and head.pos_ in _NOUNS and head.i < token.i:
        return _Cue(ClaimKind.ORDINAL, number, (token,), "exact", token, head, None)
    return None


def _count_cue(token: Token, lex: ClaimLexicon) -> _Cue | None:
    numeral = next((c for c in token.children if c.dep_ == "nummod" and lex.cardinal(c) is not None), None)
    if numeral is None:
        return None
    number = lex.cardinal(numeral)
    assert number is not None
    words, qualifier = _qualified(numeral, lex)
    if token.lemma_.lower() in lex.generic_nouns:  # "met four times"
        verb = token.head
        if verb.pos_ not in _VERBS or verb == token:
            return None  # "three times larger"
        return _Cue(ClaimKind.COUNT, number, words, qualifier, verb, None, verb)
    if any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in token.children):
        return None  # "the two meetings" refers back; it does not count
    return _Cue(ClaimKind.COUNT, number, words, qualifier, token, token, None)


def _qualified(numeral: Token, lex: ClaimLexicon) -> tuple[tuple[Token, ...], str]:
    doc = numeral.doc
    for words, qualifier in lex.qualifiers:
        first = numeral.i - len(words)
        if first >= 0 and tuple(t.lower_ for t in doc[first:numeral.i]) == words:
            return tuple(doc[first:numeral.i + 1]), qualifier
    return (numeral,), "exact"


# ---- what is counted -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Counted:
    occasion: Occasion
    noun: str  # the word that names the occasions ("visit", "time", "round")
    verb: Token | None
    words: tuple[Token, ...] = ()  # the "of" phrase or name that tells the series or the counted noun

    @property
    def series(self) -> str | None:
        words = self.words[1:] if self.words and self.words[0].dep_ == "prep" else self.words
        return _text(words) if self.occasion.series and words else None


def _counted(cue: _Cue, lex: ClaimLexicon, triggers: Mapping[int, Event]) -> _Counted | None:
    if cue.noun is None:  # a count on a verb
        assert cue.verb is not None
        found = _verb_occasion(cue.verb, lex, triggers)
        return _Counted(found, "time", cue.verb) if found else None
    noun = cue.noun
    lemma = _lemma(noun)
    compound = " ".join([c.lower_ for c in noun.lefts if c.dep_ == "compound"][-1:] + [lemma])
    if (found := lex.nouns.get(compound) or lex.nouns.get(lemma)) is not None:
        return _Counted(found, lemma, None, _series(noun) if found.series else ())
    if lemma in lex.edition_nouns:
        for pobj in prep_objects(noun, "of"):
            if (inner := lex.nouns.get(_lemma(pobj))) is not None:  # "round of talks": the talks are counted
                return _Counted(Occasion(inner.type, inner.mode, True), lemma, None, (pobj.head, *_name_words(pobj)))
        return None
    if lemma in lex.generic_nouns:
        verb = _generic_verb(noun)
        found = _verb_occasion(verb, lex, triggers) if verb is not None else None
        return _Counted(found, lemma, verb) if found else None
    return None


def _lemma(token: Token) -> str:
    return token.lower_ if token.lower_ in ("talks", "sanctions") else token.lemma_.lower()


def _series(noun: Token) -> tuple[Token, ...]:
    """The recurring occasion an edition belongs to: its "of" phrase or its own name."""
    for pobj in prep_objects(noun, "of"):
        return (pobj.head, *_name_words(pobj))
    if noun.pos_ == "PROPN":  # "the third Belt and Road Forum for International Cooperation"
        words = [t for t in _name_words(noun) if t.pos_ not in ("DET", "ADJ", "NUM") or t.i > noun.i]
        return tuple(words)
    return ()


def _name_words(token: Token) -> list[Token]:
    """A name's words: no leading determiner or possessive, no trailing place, date or clause."""
    dropped: set[int] = set()
    for child in token.children:
        if (child.dep_ == "prep" and child.lower_ not in _NAME_PREPS) or child.dep_ in _TRAILING_DEPS:
            dropped.update(t.i for t in child.subtree)
        elif child.i < token.i and child.dep_ in ("det", "poss"):
            dropped.update(t.i for t in child.subtree)
    words = [t for t in token.subtree if t.i not in dropped]
    return list(token.doc[words[0].i:words[-1].i + 1])


def _text(words: Sequence[Token]) -> str:
    return words[0].doc[words[0].i:words[-1].i + 1].text


def _generic_verb(noun: Token) -> Token | None:
    """The verb a generic noun stands for: "the 15th time he has visited", "met for the first time"."""
    for child in noun.children:
        if child.dep_ in ("relcl", "acl") and child.pos_ in _VERBS:
            return child
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in _VERBS:
        return head.head
    return None


def _verb_occasion(verb: Token, lex: ClaimLexicon, triggers: Mapping[int, Event]) -> Occasion | None:
    lemma = verb.lemma_.lower()
    if lemma in lex.light_verbs and (obj := direct_object(verb)) is not None and _lemma(obj) in lex.nouns:
        return lex.nouns[_lemma(obj)]  # "have held talks three times"
    if lemma in lex.verbs:
        return lex.verbs[lemma]
    event = triggers.get(verb.idx)
    return Occasion(event.type, event.mode) if event is not None else None


# ---- the article --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Article:
    doc: Doc
    index: ActorIndex
    people: tuple[Mention, ...]  # person mentions in text order
    times: tuple[TimeExpression, ...]
    events: tuple[Event, ...]
    published: dt.date | None
    lex: ClaimLexicon

    def events_in(self, sentence: int) -> list[tuple[Event, int]]:
        """(event, trigger offset) for every event with evidence in the sentence."""
        return [(e, ev.trigger_start) for e in self.events for ev in e.evidence if ev.sentence == sentence]


def extract_claims(doc: Doc, sentences: Sequence[Sentence], mentions: Sequence[Mention],
                   times: Sequence[TimeExpression], figures: Sequence[Figure], events: Sequence[Event],
                   article_id: str, published: dt.date | None, coder: str = CODER,
                   lexicon: ClaimLexicon | None = None) -> list[Claim]:
    """The claims of one parsed article, in text order.

    Args:
        doc: the article body parsed with the stored sentence boundaries.
        sentences: the stored sentences (their indices are the claims' `sentence`).
        mentions, times, figures, events: what the other extractors found in the article.
        article_id: the id stamped on every claim.
        published: the publication date, the reference for "since" periods when no event is dated.
        coder: the coder string stamped on every claim.
        lexicon: the word lists; the shipped `data/claims.toml` when None.

    Returns:
        One claim per number word that counts or ranks occasions.
    """
    lex = lexicon or default_lexicon()
    people = tuple(sorted((m for m in mentions if m.kind is ActorKind.PERSON and m.actor_id or
                           m.kind is ActorKind.PERSON and m.country), key=lambda m: m.start))
    art = _Article(doc, ActorIndex.build(doc, mentions), people, tuple(times), tuple(events), published, lex)
    claims: list[Claim] = []
    for index, sentence in enumerate(sentences):
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is None:
            continue
        triggers = {start: e for e, start in art.events_in(index)}
        for token in span:
            cue = _cues(token, lex)
            if cue is None or (counted := _counted(cue, lex, triggers)) is None:
                continue
            claim = _claim(art, cue, counted, index, sentence, span, article_id, coder)
            if claim is not None:
                claims.append(claim)
    del figures  # accepted for the pipeline's uniform call; qualifiers are read from the words
    return claims


def _claim(art: _Article, cue: _Cue, counted: _Counted, index: int, sentence: Sentence, span: Span,
           article_id: str, coder: str) -> Claim | None:
    anchors = [t for t in (cue.core, cue.noun, counted.verb) if t is not None]
    event = _linked_event(art, index, counted.occasion.type, anchors)
    subject, counterpart, mutual, used = _actors(art, cue, counted, event)
    ref = event.date.value if event is not None and event.date is not None else \
        art.published.isoformat() if art.published else None
    period, since, period_words = _period(art, cue, counted, ref)
    kind = ClaimKind.FIRST_SINCE if cue.kind is ClaimKind.ORDINAL and cue.number == 1 and since else cue.kind
    if counted.occasion.series and cue.number == 1 and kind is ClaimKind.ORDINAL:
        return None  # "the first session of the 14th NPC" names an edition; it claims nothing
    words = [*cue.words, *used, *period_words, *counted.words]
    if cue.kind is ClaimKind.ORDINAL:  # from "his"/"the" of "his second visit", "his first to China"
        words += [cue.core, cue.core.left_edge]
    else:  # the verb and "times" of "met four times"
        words += [t for t in (cue.noun, counted.verb, cue.words[-1].head) if t is not None]
    if counted.verb is not None and cue.kind is ClaimKind.ORDINAL:
        words.append(counted.verb)
    start = max(min(t.idx for t in words), sentence.start)
    end = min(max(t.idx + len(t.text) for t in words), sentence.end)
    text = art.doc.text
    cue_start, cue_end = cue.words[0].idx, cue.words[-1].idx + len(cue.words[-1].text)
    digest = hashlib.sha1(f"{article_id}|{cue_start}|{kind}|{cue.number}|{coder}".encode())
    return Claim(
        claim_id=digest.hexdigest()[:16], article_id=article_id, sentence=index, start=start, end=end,
        text=text[start:end], kind=kind, number=cue.number, qualifier=cue.qualifier, noun=counted.noun,
        event_type=counted.occasion.type, mode=counted.occasion.mode, subject=subject, counterpart=counterpart,
        mutual=mutual, period=period, series=counted.series, event_id=event.event_id if event else None,
        date=event.date.value if event is not None and event.date is not None else None,
        modality=event.modality if event is not None else Modality.ASSERTED,
        evidence=Evidence(index, sentence.start, sentence.end, text[cue_start:cue_end], cue_start, cue_end),
        coder=coder)


def _linked_event(art: _Article, index: int, kind: PloverType, anchors: list[Token]) -> Event | None:
    """The coded event of the counted type that the claim is about: on an anchor, above one, or nearest."""
    found = [(e, start) for e, start in art.events_in(index) if e.type is kind]
    if not found and index > 0 and any(_copula_of(t) is not None for t in anchors):
        # "X arrived in Nairobi on Monday. It was his third visit to Kenya this year."
        before = [(e, start) for e, start in art.events_in(index - 1) if e.type is kind]
        return before[-1][0] if before else None
    if not found:
        return None
    at = {t.idx for t in anchors}
    above = {a.idx for t in anchors for a in t.ancestors}
    below = {c.idx for t in anchors for c in t.subtree}

    def rank(item: tuple[Event, int]) -> tuple[int, int]:
        start = item[1]
        tier = 0 if start in at else 1 if start in above else 2 if start in below else 3
        return tier, min(abs(start - t.idx) for t in anchors)

    return min(found, key=rank)[0]


# ---- who and with whom ---------------------------------------------------------------------


def _actors(art: _Article, cue: _Cue, counted: _Counted, event: Event | None
            ) -> tuple[Participant | None, Participant | None, bool, list[Token]]:
    """Subject, counterpart, whether they are a mutual pair, and the tokens that named them."""
    holders = [t for t in (cue.core, cue.noun, counted.verb) if t is not None]
    used: list[Token] = []
    for holder in holders:
        for pobj in prep_objects(holder, "between"):
            pair = art.index.phrase(pobj)
            if len(pair) >= 2:
                return pair[0], pair[1], True, list(pobj.head.subtree)
    subject: Participant | None = None
    for token in _subject_tokens(cue, counted, art.lex.light_verbs):
        found = art.index.phrase(token) or _reference(art, token)
        if len(found) >= 2:
            return found[0], found[1], True, list(token.subtree)
        if found:
            subject = found[0]
            used += list(token.subtree) if token.pos_ in _NOUNS else [token]
            break
    counterpart, words = _counterpart(art, holders, counted, subject)
    used += words
    mutual = False
    if event is not None:
        if subject is None and event.source is not None:
            subject = event.source
            mutual = event.mutual
        if counterpart is None and event.target is not None and not _same(event.target, subject):
            counterpart = event.target
            mutual = mutual or event.mutual
    return subject, counterpart, mutual, used


def _subject_tokens(cue: _Cue, counted: _Counted, light_verbs: frozenset[str]) -> Iterable[Token]:
    for holder in (cue.core, cue.noun):
        if holder is None or holder.pos_ in _VERBS:
            continue
        yield from (c for c in holder.children if c.dep_ == "poss")
        if (agent := agent_of(holder)) is not None:
            yield agent
        if holder.dep_ == "dobj" and holder.head.lemma_.lower() in light_verbs:  # "held the third round of talks"
            if (subj := subject_of(holder.head)) is not None:
                yield subj
    if counted.verb is not None and (subj := subject_of(counted.verb)) is not None:
        yield subj


def _reference(art: _Article, token: Token) -> list[Participant]:
    """A person the resolver left alone: "his"/"her" is the latest person named in this or the last
    sentence; "the prime minister" the latest person named with that title in the last three."""
    if token.lower_ in _POSSESSIVE_PRONOUNS:
        want, window = None, 1
    elif token.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
        want = " ".join(t.lower_ for t in token.subtree if t.dep_ in ("amod", "compound") or t == token)
        window = 3
    else:
        return []
    sent = token.sent
    for _ in range(window):
        if sent.start == 0:
            break
        sent = token.doc[sent.start - 1].sent
    before = art.people[:bisect.bisect_left([m.end for m in art.people], token.idx + 1)]
    for mention in reversed(before):
        if mention.start < sent.start_char:
            break
        if want is None or (mention.title and mention.title.lower().endswith(want)):
            start, end = (token.left_edge.idx if want else token.idx), token.idx + len(token.text)
            return [Participant(token.doc.text[start:end], start, end, mention.actor_id, mention.country,
                                mention.sector, mention.name)]
    return []


def _counterpart(art: _Article, holders: list[Token], counted: _Counted, subject: Participant | None
                 ) -> tuple[Participant | None, list[Token]]:
    objects: list[Token] = []
    for holder in holders:
        for word in ("to", "with", "in"):
            objects += prep_objects(holder, word)
    if counted.verb is not None and (obj := direct_object(counted.verb)) is not None:
        objects.append(obj)
    for obj in objects:
        for found in art.index.phrase(obj):
            if not _same(found, subject):
                return found, list(obj.head.subtree) if obj.dep_ == "pobj" else list(obj.subtree)
    return None, []


def _same(a: Participant, b: Participant | None) -> bool:
    if b is None:
        return False
    if a.actor_id and a.actor_id == b.actor_id:
        return True
    return a.actor_id is None and b.actor_id is None and a.country is not None and a.country == b.country


# ---- the period ---------------------------------------------------------------------------


def _period(art: _Article, cue: _Cue, counted: _Counted, ref: str | None
            ) -> tuple[ClaimPeriod | None, bool, list[Token]]:
    """The period, whether it is a "since" or lookback period, and the words that tell it."""
    region = _region(cue, counted)
    lex, doc = art.lex, art.doc
    for token in region:
        if token.lower_ in lex.since:
            words = _since_words(token)
            begin = _since_value(art, words)
            phrase = doc[words[0].i:words[-1].i + 1]
            return ClaimPeriod(begin, ref, phrase.text), True, words
    for token in region:
        if token.lower_ in lex.lookback and token.dep_ == "prep":
            timex = _timex_in(art, list(token.subtree), TimexType.DURATION)
            if timex is not None and (m := _DURATION.match(timex.value)) is not None:
                words = list(token.subtree)
                phrase = doc[words[0].i:words[-1].i + 1]
                return ClaimPeriod(_minus(ref, int(m.group(1)), m.group(2)), ref, phrase.text), True, words
    for timex in art.times:
        if timex.type is TimexType.DATE and timex.precision in _PERIOD_PRECISIONS and timex.begin is None:
            words = [t for t in region if timex.start <= t.idx < timex.end]
            if words and cue.kind is ClaimKind.ORDINAL and timex.precision not in _LONG_PRECISIONS and \
                    not _said_as_period(words, lex):
                continue  # "his second visit in March" dates the visit; "this month" is a period
            if words:
                head = _phrase_head(words)
                if head.dep_ == "pobj" and head.head.dep_ == "prep":  # "within the year"
                    words = [head.head, *head.subtree]
                phrase = doc[words[0].i:words[-1].i + 1]
                return ClaimPeriod(timex.value, timex.value, phrase.text), False, words
    return None, False, []


def _said_as_period(words: list[Token], lex: ClaimLexicon) -> bool:
    first = words[0]
    before = first.nbor(-1) if first.i > 0 else None
    return first.lower_ in lex.within or (before is not None and before.lower_ in lex.within)


def _region(cue: _Cue, counted: _Counted) -> list[Token]:
    """Words that may tell the claim's period: under the cue's noun or, for a verb, its adjuncts."""
    found: dict[int, Token] = {}
    for holder in (cue.core, cue.noun):
        if holder is not None and holder.pos_ not in _VERBS:
            found.update((t.i, t) for t in holder.subtree)
            if (copula := _copula_of(holder)) is not None:  # "It was his third visit ... this year"
                for child in copula.children:
                    if child.dep_ in ("npadvmod", "prep", "advcl") and child.i > holder.i:
                        found.update((t.i, t) for t in child.subtree)
    verb = counted.verb
    if verb is not None:
        for child in verb.children:
            if child.dep_ in _ARG_DEPS:
                found.update((t.i, t) for t in child.subtree)
        for word in cue.words:
            found.update((t.i, t) for t in word.head.subtree if word.head != verb)
    return [found[i] for i in sorted(found)]


def _copula_of(noun: Token) -> Token | None:
    """The "be" a noun is the complement of ("It was his third visit"), or None."""
    head = noun.head
    return head if noun.dep_ == "attr" and head.lemma_ == "be" and head != noun else None


def _since_words(since: Token) -> list[Token]:
    """ "since 1994" (not its ", when ..." clause), "since he was re-elected in January", "since taking office"."""
    if since.dep_ == "prep":
        words = [since]
        for child in since.children:
            words += [t for t in child.subtree if not any(
                a.dep_ in _TRAILING_DEPS and a.head == child for a in (t, *t.ancestors))]
    else:  # the marker of a clause
        words = [since, *since.head.subtree]
    return sorted({t.i: t for t in words}.values(), key=lambda t: t.i)


def _since_value(art: _Article, words: list[Token]) -> str | None:
    timex = _timex_in(art, words, TimexType.DATE)
    if timex is None:
        return None
    return timex.begin or timex.value


def _timex_in(art: _Article, words: list[Token], kind: TimexType) -> TimeExpression | None:
    starts = {t.idx for t in words}
    ends = {t.idx + len(t.text) for t in words}
    for timex in art.times:
        if timex.type is kind and any(timex.start <= s < timex.end for s in starts) and \
                any(timex.start < e <= timex.end for e in ends):
            return timex
    return None


def _phrase_head(words: list[Token]) -> Token:
    inside = {t.i for t in words}
    return next(t for t in words if t.head.i not in inside or t.head == t)


def _minus(ref: str | None, amount: int, unit: str) -> str | None:
    """The TimeML value `amount` units before `ref`, at the precision the unit allows."""
    if ref is None or not ref[:4].isdigit():
        return None
    year = int(ref[:4])
    if unit in ("Y", "DE", "CE"):
        return f"{year - amount * {'Y': 1, 'DE': 10, 'CE': 100}[unit]:04d}"
    if unit == "M" and len(ref) >= 7 and ref[5:7].isdigit():
        months = year * 12 + int(ref[5:7]) - 1 - amount
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    if unit in ("W", "D") and len(ref) >= 10:
        try:
            day = dt.date.fromisoformat(ref[:10])
        except ValueError:
            return None
        return (day - dt.timedelta(days=amount * (7 if unit == "W" else 1))).isoformat()
    return None
