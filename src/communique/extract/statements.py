"""Statements: who said what, with the cue that attributes it and the exact span of what was said.

A statement needs a cue from `data/speech_cues.yaml` and content:

- a **verb cue** ("said", "pointed out") whose complement clause is the content
  ("X said that China would ..." -> "China would ...", direct=False), or a quotation next
  to it or parsed as its complement ("“...,” he said, “...”" -> one direct statement per
  quoted segment). The speaker is the verb's subject, before or after it ("said the
  minister"), or the subject of the verb it hangs from ("..., saying ...", "and added").
- a **preposition cue** ("according to X"): X is the speaker, the clause the phrase
  modifies is the content.

A verb without content ("he told reporters") gives no statement, so listing verbs that are
often not speech costs nothing. Cues inside quotation marks are the quoted person's own
words and are skipped. Passive attributions ("it was said that") are not covered.

The method is the one of textacy's `extract.triples.direct_quotations` (quotation marks plus
a reporting verb and its subject) extended to indirect speech through the dependency parse;
unlike textacy, the records hold character offsets, not Tokens.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from communique.about import CODER
from communique.errors import ConfigError
from communique.nlp import text_of
from communique.records import Mention, Participant, Sentence, Statement

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

LOGGER = logging.getLogger(__name__)

E_BAD_CUES = "E520"

_OPENING = "“"
_CLOSING = "”"
_STRAIGHT = '"'
_QUOTE_MARKS = _OPENING + _CLOSING + _STRAIGHT
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_VERBAL = frozenset({"VERB", "AUX"})
# Dependents that end a speaker phrase: "the envoy, who arrived on Friday, said" -> "the envoy".
_PHRASE_CUT = frozenset({"relcl", "acl"})
# A verb cue without a subject of its own takes the subject of the verb it hangs from.
_INHERITS_SUBJECT = frozenset({"conj", "advcl", "xcomp"})
_OBJECTS = frozenset({"dobj", "dative", "iobj", "npadvmod"})
_JOINER = re.compile(r"[\s,;]*(?:(?:and|but|while)\b[\s,;]*)?")
_CLOSING_AFTER = re.compile(r"[.,;:!?]?”")
_STRAIGHT_AFTER = re.compile(r'[.,;:!?]?"')
_LEAD_TRIM = " \t\n,;:—–-"
_TAIL_TRIM = " \t\n,;:—–-"


class CueKind(StrEnum):
    """How a cue attributes speech: a verb with its subject, or a phrase ending in a preposition."""

    VERB = "verb"
    PREPOSITION = "preposition"


@dataclass(frozen=True, slots=True)
class CueForm:
    """One form of a cue: its lemma, kind and lower-cased words ("pointed", "out")."""

    lemma: str
    kind: CueKind
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SpeechCues:
    """The cue lexicon, indexed by the lower-cased first word of each form."""

    forms: Mapping[str, tuple[CueForm, ...]]

    @classmethod
    def load(cls, path: Path | str | None = None) -> SpeechCues:
        """The shipped lexicon (read once per process), or the YAML file at `path`.

        Raises:
            ConfigError: E520 when the file cannot be read or is not in the documented format.
        """
        if path is None:
            return _shipped()
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise ConfigError(f"{E_BAD_CUES} {path}: cannot read speech cues ({exc})") from exc
        return cls.parse(text, str(path))

    @classmethod
    def parse(cls, text: str, origin: str = "speech_cues.yaml") -> SpeechCues:
        """Build the lexicon from the YAML text of a cue file (format in docs/statements.md).

        Raises:
            ConfigError: E520 when the text is not a mapping of kinds to {lemma: [forms]}.
        """
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{E_BAD_CUES} {origin}: not YAML ({exc})") from exc
        index: dict[str, list[CueForm]] = {}
        for form in _forms(data, origin):
            index.setdefault(form.words[0], []).append(form)
        return cls({word: tuple(forms) for word, forms in index.items()})

    def starting_with(self, word: str) -> tuple[CueForm, ...]:
        """The forms whose first word is `word` (lower case)."""
        return self.forms.get(word, ())


@lru_cache(maxsize=1)
def _shipped() -> SpeechCues:
    text = resources.files("communique.data").joinpath("speech_cues.yaml").read_text("utf-8")
    return SpeechCues.parse(text)


def _forms(data: Any, origin: str) -> Iterator[CueForm]:
    if not isinstance(data, dict):
        raise ConfigError(f"{E_BAD_CUES} {origin}: expected a mapping of cue kinds (verb, preposition)")
    for kind_name, entries in data.items():
        if kind_name not in CueKind.__members__.values():
            raise ConfigError(f"{E_BAD_CUES} {origin}: unknown cue kind {kind_name!r} (verb or preposition)")
        if not isinstance(entries, dict):
            raise ConfigError(f"{E_BAD_CUES} {origin}: {kind_name} must map lemmas to lists of forms")
        for lemma, forms in entries.items():
            if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f.strip() for f in forms):
                raise ConfigError(f"{E_BAD_CUES} {origin}: {kind_name}.{lemma} must be a non-empty list of forms")
            for form in forms:
                yield CueForm(str(lemma), CueKind(kind_name), tuple(form.lower().split()))


# ---- quotations ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation by character offsets: `start`/`end` include the marks, `inner_*` do not."""

    start: int
    end: int
    inner_start: int
    inner_end: int

    def holds(self, offset: int) -> bool:
        return self.inner_start <= offset < self.inner_end


def find_quotes(text: str) -> list[Quote]:
    """Quotations marked with “ ” or straight double quotes, paragraph by paragraph.

    An opening “ without a closing mark runs to the end of its paragraph (the convention
    for a quotation that continues in the next paragraph); an unpaired straight quote is
    ignored, because it cannot say which side it stands on.
    """
    quotes: list[Quote] = []
    start = 0
    for paragraph in text.split("\n"):
        quotes += _paragraph_quotes(paragraph, start)
        start += len(paragraph) + 1
    return sorted(quotes, key=lambda q: q.start)


def _paragraph_quotes(paragraph: str, offset: int) -> list[Quote]:
    found: list[Quote] = []
    curly: int | None = None
    straight: int | None = None
    for i, char in enumerate(paragraph):
        if char == _OPENING:
            curly = i
        elif char == _CLOSING and curly is not None:
            found.append(Quote(offset + curly, offset + i + 1, offset + curly + 1, offset + i))
            curly = None
        elif char == _STRAIGHT:
            if straight is None:
                straight = i
            else:
                found.append(Quote(offset + straight, offset + i + 1, offset + straight + 1, offset + i))
                straight = None
    if curly is not None:
        end = len(paragraph.rstrip())
        found.append(Quote(offset + curly, offset + end, offset + curly + 1, offset + end))
    return found


# ---- cues and speakers -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cue:
    form: CueForm
    first: int  # token index of the verb, or of the phrase's first word
    last: int  # token index of the last word (particle or preposition)


def _cues(sent: Span, cues: SpeechCues, quotes: Sequence[Quote]) -> Iterator[_Cue]:
    doc = sent.doc
    for token in sent:
        if any(q.holds(token.idx) for q in quotes):
            continue
        for form in cues.starting_with(token.lower_):
            last = _match(doc, token, form, sent.end)
            if last is not None:
                yield _Cue(form, token.i, last)
                break


def _match(doc: Doc, token: Token, form: CueForm, limit: int) -> int | None:
    """Index of the last token of `form` starting at `token`, or None."""
    if form.kind is CueKind.VERB:
        if not token.tag_.startswith("VB") or token.dep_ == "amod":
            return None
        last = token.i
        for word in form.words[1:]:
            particle = next((c for c in token.children if c.dep_ == "prt" and c.lower_ == word), None)
            if particle is None:
                return None
            last = max(last, particle.i)
        return last
    end = token.i + len(form.words)
    if end > limit or tuple(t.lower_ for t in doc[token.i:end]) != form.words:
        return None
    return end - 1


def _speaker_head(doc: Doc, cue: _Cue) -> Token | None:
    """The token that names the speaker: the verb's subject, or the preposition's object."""
    if cue.form.kind is CueKind.PREPOSITION:
        return next((c for c in doc[cue.last].children if c.dep_ == "pobj"), None)
    verb = doc[cue.first]
    for _ in range(4):
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            relative = subject.lower_ in _RELATIVE and verb.dep_ == "relcl"
            return verb.head if relative else subject
        if verb.dep_ not in _INHERITS_SUBJECT or verb.head is verb:
            return None
        verb = verb.head
    return None


def _phrase(head: Token) -> tuple[int, int]:
    """Character span of the phrase `head` heads, cut before a relative or participle clause."""
    start, end = head.left_edge.i, head.right_edge.i + 1
    for child in head.rights:
        if child.dep_ in _PHRASE_CUT:
            end = min(end, child.left_edge.i)
    doc = head.doc
    end = max(end, head.i + 1)
    return _trim(text_of(doc), doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))


def _speaker_mention(head: Token, start: int, end: int, mentions: Sequence[Mention]) -> Mention | None:
    """The mention covering the head (or its apposition), else the mention inside [start, end) nearest to it."""
    for token in (head, *(c for c in head.rights if c.dep_ == "appos")):
        covering = [m for m in mentions if m.start <= token.idx < m.end]
        if covering:
            return max(covering, key=lambda m: m.end - m.start)
    inside = [m for m in mentions if start <= m.start and m.end <= end]
    if not inside:
        return None
    return min(inside, key=lambda m: (_distance(m, head.idx), m.actor_id is None, m.start - m.end))


def _distance(mention: Mention, offset: int) -> int:
    return max(mention.start - offset, offset - mention.end, 0)


def _participant(mention: Mention) -> Participant:
    return Participant(text=mention.text, start=mention.start, end=mention.end, actor_id=mention.actor_id,
                       country=mention.country, sector=mention.sector, name=mention.name)


# ---- content ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Content:
    start: int
    end: int
    direct: bool


def _trim(text: str, start: int, end: int, lead: str = _LEAD_TRIM, tail: str = _TAIL_TRIM) -> tuple[int, int]:
    """Narrow [start, end) past edge punctuation and quotation marks that lost their partner."""
    while True:
        before = (start, end)
        while start < end and text[start] in lead:
            start += 1
        while end > start and text[end - 1] in tail:
            end -= 1
        inner = text[start:end]
        if inner[:1] in (_OPENING, _STRAIGHT) and _CLOSING not in inner[1:] and inner.count(_STRAIGHT) < 2:
            start += 1
        elif inner[-1:] in (_CLOSING, _STRAIGHT) and _OPENING not in inner and inner.count(_STRAIGHT) < 2:
            end -= 1
        if (start, end) == before:
            return start, end


def _clause(doc: Doc, token: Token, skip: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """Character span of the clause `token` heads, without a leading "that" and without `skip`.

    `skip` (token range) is a cue phrase inside the clause; it is cut off when it stands at
    either edge, and the whole clause is kept when it stands in the middle.
    """
    start, end = token.left_edge.i, token.right_edge.i + 1
    if skip is not None:
        if skip[0] <= start:
            start = max(start, skip[1])
        elif skip[1] >= end:
            end = min(end, skip[0])
    while start < end and doc[start].dep_ == "mark" and doc[start].lower_ == "that":
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].is_punct and doc[end - 1].text not in _QUOTE_MARKS):
        end -= 1
    if start >= end:
        return None
    chars = _balance(text_of(doc), *_trim(text_of(doc), doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)))
    return chars if chars[1] > chars[0] else None


def _balance(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the quotation mark that a partial quotation at either edge lost to the parse.

    ("said “some bad things” were ..." parses the opening mark onto "said".)
    """
    curly = [c for c in text[start:end] if c in (_OPENING, _CLOSING)]
    opening_before = text[:start].rstrip()
    if curly[:1] == [_CLOSING] and opening_before.endswith(_OPENING):
        start = len(opening_before) - 1
    if curly[-1:] == [_OPENING] and (tail := _CLOSING_AFTER.match(text, end)):
        end = tail.end()
    if text[start:end].count("(") > text[start:end].count(")") and text[end:end + 1] == ")":
        end += 1
    if text[start:end].count(_STRAIGHT) % 2:
        if opening_before.endswith(_STRAIGHT):
            start = len(opening_before) - 1
        elif tail := _STRAIGHT_AFTER.match(text, end):
            end = tail.end()
    return start, end


def _quote_content(text: str, quote: Quote) -> _Content | None:
    start, end = _trim(text, quote.inner_start, quote.inner_end, lead=" \t\n", tail=" \t\n,;:")
    return _Content(start, end, True) if end > start else None


def _inside(span: tuple[int, int], quote: Quote) -> bool:
    """True when the span lies within the quotation (its own marks and punctuation aside)."""
    return quote.start <= span[0] and span[1] <= quote.end


def _adjacent(doc: Doc, quote: Quote, region: tuple[int, int], cue_token: Token,
              quotes: Sequence[Quote]) -> bool:
    """True when only non-verbal words lie between the quotation and the cue-and-speaker region,
    and the quotation hangs from the cue or stands alone."""
    if quote.end <= region[0]:
        gap = doc.char_span(quote.end, region[0], alignment_mode="expand")
    elif region[1] <= quote.start:
        gap = doc.char_span(region[1], quote.start, alignment_mode="expand")
    else:
        return False
    if gap is not None and any(t.pos_ in _VERBAL or t.text in _QUOTE_MARKS or t.dep_ == "mark" for t in gap):
        return False
    return _free(doc, quote, cue_token, quotes)


def _free(doc: Doc, quote: Quote, cue_token: Token, quotes: Sequence[Quote]) -> bool:
    """False when the quotation is parsed as part of another phrase ("called the plan “almost provocative”")."""
    words = doc.char_span(quote.inner_start, quote.inner_end, alignment_mode="expand")
    for token in words if words is not None else ():
        head = token.head
        if head is token or head is cue_token or head.is_punct or quote.start <= head.idx < quote.end:
            continue
        if not any(q.holds(head.idx) for q in quotes):
            return False
    return True


def _contents(doc: Doc, cue: _Cue, region: tuple[int, int], sent: Span, quotes: Sequence[Quote],
              taken: set[Quote]) -> list[_Content]:
    """The contents a cue introduces: quotations (direct) or else its complement clause (indirect)."""
    clauses = _complements(doc, cue)
    out: list[_Content] = []
    near = [q for q in quotes if q not in taken and q.start < sent.end_char and q.end > sent.start_char]
    for span in clauses:
        quote = next((q for q in near if _inside(span, q)), None)
        content = _quote_content(text_of(doc), quote) if quote is not None else _Content(*span, False)
        if quote is not None:
            taken.add(quote)
        if content is not None:
            out.append(content)
    for quote in near:
        overlaps = any(s[0] < quote.end and quote.start < s[1] for s in clauses)
        if quote not in taken and not overlaps and _adjacent(doc, quote, region, doc[cue.first], quotes):
            taken.add(quote)
            content = _quote_content(text_of(doc), quote)
            if content is not None:
                out.append(content)
    return out


def _complements(doc: Doc, cue: _Cue) -> list[tuple[int, int]]:
    """Character spans of the clauses the cue reports."""
    head = doc[cue.first]
    if cue.form.kind is CueKind.PREPOSITION:
        verb = _clause_verb(head)
        if verb is head:
            return []
        span = _clause(doc, verb, (head.left_edge.i, head.right_edge.i + 1))
        return [span] if span else []
    spans = [_clause(doc, c) for c in head.children if c.dep_ == "ccomp"]
    if head.dep_ == "ccomp" and head.head.i > head.i:
        spans = _that_clause(doc, head) or spans
    elif not spans and head.dep_ == "parataxis" and head.i > head.head.i:
        spans = [_clause(doc, head.head, (head.left_edge.i, head.right_edge.i + 1))]
    return _merged(text_of(doc), sorted(s for s in spans if s is not None))


def _clause_verb(token: Token) -> Token:
    """The verb of the clause a preposition cue modifies (the token itself when there is none)."""
    verb = token.head
    while verb.pos_ not in _VERBAL and verb.head.i != verb.i:  # spaCy makes a new Token per access: no `is`
        verb = verb.head
    return verb


def _relayed(doc: Doc, cue: _Cue, verbs: set[int]) -> bool:
    """True for "according to X" on a speech verb ("“...,” he said, according to Reuters"): X relays, not says."""
    return cue.form.kind is CueKind.PREPOSITION and _clause_verb(doc[cue.first]).i in verbs


def _that_clause(doc: Doc, verb: Token) -> list[tuple[int, int] | None]:
    """"he told Xi that each time he visits, he feels ..." parsed with the cue under the later verb.

    When a cue is followed by "that" but hangs as a complement from a verb to its right,
    the parse has put the reported clause's main verb above the cue; the content runs from
    after "that" to the end of that verb's phrase.
    """
    after = max([verb.i, *(c.right_edge.i for c in verb.rights if c.dep_ in _OBJECTS)]) + 1
    if after >= len(doc) or doc[after].lower_ != "that" or doc[after].dep_ != "mark":
        return []
    end = verb.head.right_edge
    if end.i <= after:
        return []
    while end.i > after and (end.is_punct and end.text not in _QUOTE_MARKS or end.is_space):
        end = doc[end.i - 1]
    chars = _trim(text_of(doc), doc[after + 1].idx, end.idx + len(end.text))
    return [chars] if chars[1] > chars[0] else []


def _merged(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join complements that the parser split at a comma or conjunction ("said A, B and C")."""
    out: list[tuple[int, int]] = []
    for span in spans:
        if out and _JOINER.fullmatch(text[out[-1][1]:span[0]]):
            out[-1] = (out[-1][0], span[1])
        else:
            out.append(span)
    return out


# ---- the extractor ---------------------------------------------------------------------------


def statement_id(article_id: str, cue_start: int, cue_end: int, content_start: int, content_end: int) -> str:
    """Stable id: the first 16 hex digits of SHA-1 over the article id and the cue and content offsets."""
    key = f"{article_id}|{cue_start}|{cue_end}|{content_start}|{content_end}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def extract_statements(doc: Doc, mentions: Sequence[tuple[int, Mention]], sentences: Sequence[Sentence],
                       article_id: str, coder: str = CODER, cues: SpeechCues | None = None) -> list[Statement]:
    """Statements of one article in text order (by content, then cue).

    Args:
        doc: the article body parsed with the stored sentence boundaries (`communique.nlp.parse`).
        mentions: resolved actor mentions with their sentence index (pronouns already resolved).
        sentences: the stored sentences; a statement's `sentence` is the one holding its cue.
        article_id: stamped on every statement and part of its id.
        coder: the coder version stamped on every statement.
        cues: the cue lexicon; the shipped `data/speech_cues.yaml` when None.

    Returns:
        One statement per (cue, content) pair; a split quotation gives one per quoted segment.
    """
    lexicon = cues if cues is not None else SpeechCues.load()
    quotes = find_quotes(text_of(doc))
    found = [m for _, m in mentions]
    starts = [s.start for s in sentences]
    taken: set[Quote] = set()
    out: dict[str, Statement] = {}
    for sent in doc.sents:
        # verbs first, so that "according to X" on a verb that reported speech is known to relay it
        found_cues = sorted(_cues(sent, lexicon, quotes), key=lambda c: c.form.kind is CueKind.PREPOSITION)
        speaking: set[int] = set()
        for cue in found_cues:
            if _relayed(doc, cue, speaking):
                continue
            for statement in _statements(doc, cue, sent, quotes, taken, found, starts, article_id, coder):
                out.setdefault(statement.statement_id, statement)
                speaking.add(cue.first)
    return sorted(out.values(), key=lambda s: (s.content_start, s.cue_start))


def _statements(doc: Doc, cue: _Cue, sent: Span, quotes: Sequence[Quote], taken: set[Quote],
                mentions: Sequence[Mention], starts: Sequence[int], article_id: str,
                coder: str) -> Iterator[Statement]:
    head = _speaker_head(doc, cue)
    if head is None:
        return
    phrase_start, phrase_end = _phrase(head)
    cue_start, cue_end = doc[cue.first].idx, doc[cue.last].idx + len(doc[cue.last])
    region = (min(cue_start, phrase_start), max(cue_end, phrase_end))
    mention = _speaker_mention(head, phrase_start, phrase_end, mentions)
    speaker = _participant(mention) if mention is not None else None
    sentence = max(bisect.bisect_right(starts, cue_start) - 1, 0)
    text = text_of(doc)
    for content in _contents(doc, cue, region, sent, quotes, taken):
        if cue.form.kind is CueKind.VERB and content.start < cue_end and cue_start < content.end:
            continue
        yield Statement(
            statement_id=statement_id(article_id, cue_start, cue_end, content.start, content.end),
            article_id=article_id, sentence=sentence, speaker=speaker, speaker_text=text[phrase_start:phrase_end],
            cue=text[cue_start:cue_end], cue_start=cue_start, cue_end=cue_end,
            content=text[content.start:content.end], content_start=content.start,
            content_end=content.end, direct=content.direct, coder=coder)
