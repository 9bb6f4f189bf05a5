"""Actor mentions in a parsed article: knowledge-base matches, titles, appositions, coreference-lite.

The resolver is built once per process (it compiles the knowledge base into spaCy
PhraseMatchers) and then called as a pure function on each Doc.
"""

from __future__ import annotations

import bisect
import datetime as dt
import tomllib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from communique.records import Actor, ActorKind, Mention, Role

if TYPE_CHECKING:
    from spacy.language import Language

    from communique.kb import ActorKB

_SUBJECT_DEPS = {"nsubj", "nsubjpass", "poss", "agent"}
_ORG_LABELS = {"ORG", "FAC"}
_ACRONYM_MAX = 5
# Which of a person's concurrent roles describes them in the news: the highest office.
_OFFICE_RANK = {"head_of_state": 0, "head_of_government": 1, "foreign_minister": 2}


@dataclass(frozen=True, slots=True)
class TitleLexicon:
    """Titles, organisation words and group phrases (data/titles.toml)."""

    titles: dict[str, str]
    organisation_words: dict[str, str]
    country_groups: tuple[str, ...]
    leader_groups: tuple[str, ...]
    side_words: frozenset[str]
    pronouns: frozenset[str]

    @classmethod
    def load(cls) -> TitleLexicon:
        data = tomllib.loads(resources.files("communique.data").joinpath("titles.toml").read_text("utf-8"))
        groups = data["groups"]
        return cls(titles=data["titles"], organisation_words=data["organisation_words"],
                   country_groups=tuple(groups["countries"]), leader_groups=tuple(groups["leaders"]),
                   side_words=frozenset(groups["side_words"]), pronouns=frozenset(groups["pronouns"]))


@dataclass(frozen=True, slots=True)
class _Match:
    span: Span
    actor: Actor
    form: str  # name, alias, acronym, demonym, metonym


class ActorResolver:
    """Finds and resolves actor mentions; `resolver(doc, published)` returns them in text order."""

    def __init__(self, nlp: Language, kb: ActorKB, lexicon: TitleLexicon | None = None) -> None:
        self.kb = kb
        self.lexicon = lexicon or TitleLexicon.load()
        self._names = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._acronyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._groups = PhraseMatcher(nlp.vocab, attr="LOWER")
        tokenizer = nlp.tokenizer
        if not isinstance(tokenizer, Tokenizer):
            raise TypeError(f"the pipeline's tokenizer is a {type(tokenizer).__name__}, not a spaCy Tokenizer")
        by_label: dict[tuple[str, bool], list[str]] = {}
        for form in kb.surface_forms():
            exact = form.kind == "acronym" or (form.text.isupper() and len(form.text) <= _ACRONYM_MAX)
            by_label.setdefault((f"{form.kind}|{form.actor_id}", exact), []).append(form.text)
        for (label, exact), texts in by_label.items():
            (self._acronyms if exact else self._names).add(label, list(tokenizer.pipe(texts)))
        self._groups.add("countries", list(tokenizer.pipe(self.lexicon.country_groups)))
        self._groups.add("leaders", list(tokenizer.pipe(self.lexicon.leader_groups)))
        self._titles = sorted(self.lexicon.titles, key=len, reverse=True)

    def __call__(self, doc: Doc, published: dt.date | None) -> list[Mention]:
        matches = self._kb_matches(doc)
        mentions: list[Mention] = []
        taken: list[tuple[int, int]] = []
        organisations = [(e.start, e.end) for e in doc.ents if e.label_ in _ORG_LABELS]
        for match in matches:
            mention = self._from_kb(match, doc, published, matches, organisations)
            if mention is not None:
                mentions.append(mention)
                taken.append((match.span.start, match.span.end))
        mentions += self._from_entities(doc, matches, taken, published)
        mentions.sort(key=lambda m: m.start)
        mentions = self._corefer(doc, mentions, published)
        return sorted(mentions, key=lambda m: (m.start, m.end))

    # ---- dictionary matches -------------------------------------------------------------

    def _kb_matches(self, doc: Doc) -> list[_Match]:
        spans: list[Span] = []
        for matcher in (self._names, self._acronyms):
            for label_id, start, end in matcher(doc):
                spans.append(Span(doc, start, end, label=label_id))
        found = []
        for span in filter_spans(spans):
            form, actor_id = span.label_.split("|", 1)
            actor = self.kb.get(actor_id)
            if actor is not None:
                found.append(_Match(span, actor, form))
        return found

    def _from_kb(self, match: _Match, doc: Doc, published: dt.date | None, matches: Sequence[_Match],
                 organisations: Sequence[tuple[int, int]]) -> Mention | None:
        span, actor = match.span, match.actor
        if actor.kind is ActorKind.COUNTRY and _strictly_inside(span, organisations):
            return None  # "Chinese Academy of Sciences": the organisation is the actor
        if match.form == "metonym":
            if span.root.dep_ not in _SUBJECT_DEPS:
                return None  # "in Beijing" is a place, not the government
            return _mention(span, actor, "metonym", sector="GOV")
        if match.form == "demonym" and span.end < len(doc) and doc[span.end].lower_ in self.lexicon.side_words:
            first = span.start - 1 if span.start and doc[span.start - 1].lower_ == "the" else span.start
            return _mention(doc[first:span.end + 1], actor, "side", sector="GOV")
        if actor.kind is ActorKind.PERSON:
            return self._person(span, actor, published, "kb", matches)
        return _mention(span, actor, "demonym" if match.form == "demonym" else "kb")

    def _main_role(self, actor: Actor, published: dt.date | None) -> Role | None:
        """The highest office held on the day; none when the day is unknown (never guessed)."""
        if published is None:
            return None
        roles = actor.roles_on(published)
        ranked = sorted(roles, key=lambda r: _OFFICE_RANK.get(self.kb.office_of(actor.id, r) or "", 9))
        return ranked[0] if ranked else None

    def _person(self, span: Span, actor: Actor, published: dt.date | None, via: str,
                matches: Sequence[_Match]) -> Mention:
        role = self._main_role(actor, published)
        title, _ = self._title_before(span)
        return Mention(span.start_char, span.end_char, span.text, actor.id, actor.name, ActorKind.PERSON,
                       country=role.country if role else actor.country,
                       sector=role.sector if role else actor.sector,
                       title=role.title if role else title, via=via)

    # ---- entities the knowledge base does not know ------------------------------------------

    def _from_entities(self, doc: Doc, matches: Sequence[_Match], taken: list[tuple[int, int]],
                       published: dt.date | None) -> Iterator[Mention]:
        for ent in doc.ents:
            if any(start <= ent.start and ent.end <= end for start, end in taken):
                continue
            if ent.label_ == "PERSON":
                yield self._unknown_person(ent, matches)
            elif ent.label_ in _ORG_LABELS and not _holds_actor(ent, matches, (ActorKind.IGO, ActorKind.PERSON)):
                yield self._organisation(ent, matches)

    def _unknown_person(self, ent: Span, matches: Sequence[_Match]) -> Mention:
        title, country = self._title_before(ent)
        if country is None:
            country = _country_after_of(ent, matches)
        if title is None:
            title, sector, where = self._apposition(ent, matches)
            country = country or where
        else:
            sector = self.lexicon.titles[title.lower()]
        return Mention(ent.start_char, ent.end_char, ent.text, None, ent.text, ActorKind.PERSON, country=country,
                       sector=sector if title else None, title=title, via="title" if title else "ner")

    def _organisation(self, ent: Span, matches: Sequence[_Match]) -> Mention:
        inner = [m for m in matches if ent.start <= m.span.start and m.span.end <= ent.end
                 and m.actor.kind is ActorKind.COUNTRY]
        country = inner[-1].actor.id if inner else None
        return Mention(ent.start_char, ent.end_char, ent.text, None, ent.text, ActorKind.ORGANIZATION,
                       country=country, sector=self._sector_of(ent.text), via="ner")

    def _sector_of(self, name: str) -> str | None:
        words = name.lower()
        hits = [(words.rfind(w), s) for w, s in self.lexicon.organisation_words.items() if f" {w}" in f" {words}"]
        return min(hits)[1] if hits else None

    def _title_before(self, span: Span) -> tuple[str | None, str | None]:
        """("President", "BLR") for "Belarusian President <span>"; None parts when absent."""
        sent_start = span.sent.start
        window = span.doc[max(sent_start, span.start - 6):span.start]
        text = window.text.lower()
        for title in self._titles:
            if text == title or text.endswith(" " + title):
                before = span.doc[max(sent_start, span.start - 6):span.start - len(title.split())]
                country = self._country_at_end(before)
                return span.doc[span.start - len(title.split()):span.start].text, country
        return None, None

    def _country_at_end(self, tokens: Span) -> str | None:
        if not len(tokens):
            return None
        last = tokens[-1].text
        actor = self.kb.country_by_demonym(last) or next(
            (a for a, _ in self.kb.lookup(last) if a.kind is ActorKind.COUNTRY), None)
        return actor.id if actor else None

    def _apposition(self, ent: Span, matches: Sequence[_Match]) -> tuple[str | None, str | None, str | None]:
        """Title, sector and country from "<name>, a researcher at the Institute of ..."."""
        doc = ent.doc
        i = ent.end
        if i >= len(doc) - 1 or doc[i].text != ",":
            return None, None, None
        end = i + 1
        limit = min(ent.sent.end, i + 40)
        # The apposition runs to the verb of the clause ("…, said"), across commas inside names.
        while end < limit and doc[end].pos_ not in ("VERB", "AUX"):
            end += 1
        segment = doc[i + 1:end]
        words = segment.text.lower()
        title = next((t for t in self._titles if f" {t} " in f" {words} "), None)
        inner = [m for m in matches if segment.start <= m.span.start and m.span.end <= segment.end
                 and m.actor.kind is ActorKind.COUNTRY]
        country = inner[-1].actor.id if inner else None
        sector = self.lexicon.titles[title] if title else self._sector_of(segment.text)
        return title, sector, country

    # ---- coreference-lite --------------------------------------------------------------------

    def _corefer(self, doc: Doc, mentions: list[Mention], published: dt.date | None) -> list[Mention]:
        out: list[Mention] = []
        for mention in mentions:
            if mention.actor_id is None and mention.kind is ActorKind.PERSON:
                mention = self._surname(mention, out, published)
            out.append(mention)
        out += self._pronouns(doc, out)
        out += self._group_mentions(doc, out)
        return out

    def _surname(self, mention: Mention, earlier: list[Mention], published: dt.date | None) -> Mention:
        surname = mention.text.removesuffix("'s").removesuffix("’s").strip()
        if " " in surname:
            return mention
        previous = next((m for m in reversed(earlier) if m.kind is ActorKind.PERSON and (m.actor_id or m.country)
                         and m.name.split()[-1] == surname), None)
        if previous is None:
            holders = [a for a in self.kb.people_by_surname(surname) if a.roles_on(published)]
            if len(holders) != 1:
                return mention
            actor = holders[0]
            role = self._main_role(actor, published)
            return Mention(mention.start, mention.end, mention.text, actor.id, actor.name, ActorKind.PERSON,
                           role.country if role else actor.country, role.sector if role else actor.sector,
                           role.title if role else None, via="surname")
        return Mention(mention.start, mention.end, mention.text, previous.actor_id, previous.name,
                       ActorKind.PERSON, previous.country, previous.sector, previous.title, via="coref")

    def _pronouns(self, doc: Doc, mentions: list[Mention]) -> Iterator[Mention]:
        people = [m for m in mentions if m.kind is ActorKind.PERSON]
        sentence_of = {s.start_char: i for i, s in enumerate(doc.sents)}
        starts = sorted(sentence_of)
        for token in doc:
            if token.lower_ not in self.lexicon.pronouns:
                continue
            here = _index_before(starts, token.idx)
            candidates = [m for m in people if m.end <= token.idx and _index_before(starts, m.start) >= here - 1]
            if candidates:
                ref = candidates[-1]
                yield Mention(token.idx, token.idx + len(token.text), token.text, ref.actor_id, ref.name,
                              ActorKind.PERSON, ref.country, ref.sector, ref.title, via="coref")

    def _group_mentions(self, doc: Doc, mentions: list[Mention]) -> Iterator[Mention]:
        for label_id, start, end in self._groups(doc):
            span = doc[start:end]
            before = [m for m in mentions if m.end <= span.start_char and m.via != "coref-group"]
            if doc.vocab.strings[label_id] == "countries":
                counts = Counter(m.country for m in before if m.country)
            else:
                # people the knowledge base knows by id; others, described by a title, by their country
                counts = Counter(key for m in before if m.kind is ActorKind.PERSON and (key := m.actor_id or m.country))
            pair = _in_focus(counts, before)
            if len(pair) == 2:
                yield Mention(span.start_char, span.end_char, span.text, None, " and ".join(pair), None,
                              via="coref-group", refers_to=pair)


def _mention(span: Span, actor: Actor, via: str, sector: str | None = None) -> Mention:
    return Mention(span.start_char, span.end_char, span.text, actor.id, actor.name, actor.kind,
                   country=actor.country or (actor.id if actor.kind is ActorKind.COUNTRY else None),
                   sector=sector or actor.sector, via=via)


def _strictly_inside(span: Span, spans: Sequence[tuple[int, int]]) -> bool:
    """True when `span` lies within one of the (start, end) token spans and is not all of it."""
    return any(start <= span.start and span.end <= end and (start, end) != (span.start, span.end)
               for start, end in spans)


def _holds_actor(ent: Span, matches: Sequence[_Match], kinds: tuple[ActorKind, ...]) -> bool:
    return any(m.actor.kind in kinds and not (m.span.end <= ent.start or ent.end <= m.span.start) for m in matches)


def _country_after_of(ent: Span, matches: Sequence[_Match]) -> str | None:
    """"Foreign Minister Ana Ruiz of Chile" -> CHL."""
    if ent.end < len(ent.doc) and ent.doc[ent.end].lower_ == "of":
        after = next((m for m in matches if m.span.start == ent.end + 1), None)
        if after is not None and after.actor.kind is ActorKind.COUNTRY:
            return after.actor.id
    return None


def _index_before(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1


def _in_focus(counts: Counter[str], before: list[Mention]) -> tuple[str, ...]:
    """The two most mentioned actors so far; ties go to the most recent."""
    last_seen: dict[str, int] = {}
    for i, m in enumerate(before):
        for key in (m.country, m.actor_id):
            if key:
                last_seen[key] = i
    ranked = sorted((k for k in counts if k), key=lambda k: (-counts[k], -last_seen.get(k, -1)))
    return tuple(sorted(ranked[:2])) if len(ranked) >= 2 else ()
