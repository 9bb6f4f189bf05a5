"""Pure text normalisation and boilerplate separation (no I/O).

The stored body is the output of `clean_article`; every later offset refers to it.
Paragraphs are joined by one blank line.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from re import Pattern

from communique.ingest.dates import parse_published
from communique.records import Boilerplate, BoilerplateKind, Meta

_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MULTISPACE = re.compile(r" {2,}")
_LINE_EDGE = re.compile(r" +\n *|\n +")
_PLAIN_ASCII = bytes(range(32, 127)) + b"\n"  # what ASCII text may hold that normalising leaves alone
_BLANK_LINE = re.compile(r"\n[ ]*\n")
_SENTENCE_END = (".", ",", ";", ":")
_CLOSERS = "\"'”’»)]"
PARAGRAPH_BREAK = "\n\n"
_CREDIT_TAIL = 160  # characters at the end of a paragraph where a photo credit can stand


@dataclass(frozen=True, slots=True)
class BoilerplateRules:
    """Compiled boilerplate patterns from a TOML file (see data/boilerplate.toml)."""

    caption: Pattern[str]
    credit_markers: tuple[str, ...]
    editor: Pattern[str]
    contact: Pattern[str]
    related: Pattern[str]
    byline: tuple[Pattern[str], ...]  # tried in order; their named groups carry metadata
    title_max_words: int

    @classmethod
    def load(cls, path: Path | None = None) -> BoilerplateRules:
        """Load rules from `path`, or from the copy shipped in the package."""
        if path is None:
            text = resources.files("communique.data").joinpath("boilerplate.toml").read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        data = tomllib.loads(text)

        def one(patterns: list[str]) -> Pattern[str]:
            """One alternation per kind: a single search per paragraph instead of one per pattern."""
            return re.compile("|".join(f"(?:{p})" for p in patterns))

        return cls(
            caption=one(data["caption"]["credit_suffix"] + data["caption"]["credit_only"]),
            credit_markers=tuple(data["caption"]["credit_markers"]),
            editor=one(data["editor"]["patterns"]),
            contact=one(data["contact"]["patterns"]),
            related=one(data["related"]["headings"]),
            byline=tuple(re.compile(p) for p in data["byline"]["patterns"]),
            title_max_words=int(data["byline"]["title_max_words"]),
        )


def normalise(text: str) -> str:
    """Normalise Unicode (NFC) and whitespace; typographic quotes are kept as they are.

    Lines lose their outer spaces and runs of spaces shrink to one. ASCII text is checked
    for tabs, carriage returns and control characters before any pattern runs over it.
    """
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
        text = _INVISIBLE.sub("", text)
        text = _CONTROL.sub("", _SPACES.sub(" ", text))
    elif text.encode("ascii").translate(None, _PLAIN_ASCII):  # a tab, carriage return or control character
        text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    if "\x85" in text:  # a whitespace character that str.strip() removes at line ends, but not a space
        return "\n".join(_MULTISPACE.sub(" ", line).strip() for line in text.split("\n")).strip()
    if "  " in text:
        text = _MULTISPACE.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _LINE_EDGE.sub("\n", text)
    return text.strip()


def paragraphs(text: str) -> list[str]:
    """Split normalised text into paragraphs.

    With blank lines in the text, they separate paragraphs and single newlines are
    hard wraps; without any, every line is a paragraph.
    """
    if _BLANK_LINE.search(text):
        blocks = _BLANK_LINE.split(text)
        return [" ".join(b.split("\n")).strip() for b in blocks if b.strip()]
    return [line for line in text.split("\n") if line]


def classify(paragraph: str, rules: BoilerplateRules) -> BoilerplateKind | None:
    """The boilerplate kind of one paragraph, or None when it is body text.

    Editor and contact patterns are anchored at the start, so they are matched there only;
    a caption's credit ends the paragraph, so only its tail is searched.
    """
    if rules.editor.match(paragraph):
        return BoilerplateKind.EDITOR
    if rules.contact.match(paragraph):
        return BoilerplateKind.CONTACT
    if len(paragraph) >= 400:
        return None
    tail = max(0, len(paragraph) - _CREDIT_TAIL)
    if any(map(paragraph[tail:].__contains__, rules.credit_markers)) and rules.caption.search(paragraph, tail):
        return BoilerplateKind.CAPTION
    return None


def _looks_like_title(paragraph: str, rules: BoilerplateRules) -> bool:
    words = paragraph.split()
    # A sentence may end inside a closing quote or bracket: `… he said, “we will return.”`
    ending = paragraph.rstrip(_CLOSERS)
    return 0 < len(words) <= rules.title_max_words and not ending.endswith(_SENTENCE_END)


def _byline_meta(paragraph: str, rules: BoilerplateRules) -> Meta | None:
    for pattern in rules.byline:
        m = pattern.match(paragraph)
        if m is None:
            continue
        groups = {k: v.strip() for k, v in m.groupdict().items() if v}
        published = parse_published(groups["date"]) if "date" in groups else None
        return Meta(byline=groups.get("byline"), source=groups.get("source"),
                    published=published, published_time=groups.get("time") if published else None)
    return None


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A body with its boilerplate and what its header said about it."""

    body: str
    boilerplate: tuple[Boilerplate, ...]
    header: Meta


def clean_article(raw: str, rules: BoilerplateRules, detect_title: bool = False,
                  known_titles: tuple[str, ...] = ()) -> Cleaned:
    """Normalise `raw`, split off header, bylines, captions and trailing blocks.

    Args:
        raw: decoded article text.
        rules: boilerplate patterns.
        detect_title: take a headline-like first paragraph as the title (plain-text files).
        known_titles: titles from metadata (sidecar, fields, page); a first paragraph equal
            to any of them is removed.
    """
    paras = paragraphs(normalise(raw))
    removed: list[Boilerplate] = []
    header = Meta()
    body: list[str] = []
    for i, para in enumerate(paras):
        kind, found = _header_kind(i, para, paras, rules, detect_title, known_titles)
        if kind is BoilerplateKind.TITLE and header.title is None:
            header = Meta(title=para)
        elif kind is BoilerplateKind.BYLINE:
            if found is not None and header.byline is None and header.published is None:
                header = Meta(title=header.title, byline=found.byline, source=found.source,
                              published=found.published, published_time=found.published_time)
        elif kind is BoilerplateKind.RELATED:
            removed.extend(Boilerplate(BoilerplateKind.RELATED, p, len(body)) for p in paras[i:])
            break
        elif kind is None:
            body.append(para)
            continue
        removed.append(Boilerplate(kind, para, len(body)))
    return Cleaned(PARAGRAPH_BREAK.join(body), tuple(removed), header)


def _header_kind(i: int, para: str, paras: list[str], rules: BoilerplateRules, detect_title: bool,
                 known_titles: tuple[str, ...]) -> tuple[BoilerplateKind | None, Meta | None]:
    """The kind of paragraph `i`, with the metadata of a byline."""
    if i == 0 and para.casefold() in {t.strip().casefold() for t in known_titles}:
        return BoilerplateKind.TITLE, None
    # A byline first line is not a headline, though it is short and has no full stop.
    byline = _byline_meta(para, rules) if i < 4 else None
    if byline is not None:
        return BoilerplateKind.BYLINE, byline
    if i == 0 and detect_title and len(paras) > 1 and _looks_like_title(para, rules):
        return BoilerplateKind.TITLE, None
    if rules.related.match(para):
        return BoilerplateKind.RELATED, None
    return classify(para, rules), None
