"""Plain records that flow through the pipeline and survive pickling and SQLite.

`as_dict`/`from_dict` are the only places that deal in dicts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class BoilerplateKind(StrEnum):
    """Kinds of non-body text separated from an article."""

    TITLE = "title"
    BYLINE = "byline"
    CAPTION = "caption"
    EDITOR = "editor"
    RELATED = "related"
    CONTACT = "contact"
    CREDIT = "credit"


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """One piece of text removed from the body, kept as metadata."""

    kind: BoilerplateKind
    text: str
    paragraph: int  # index of the body paragraph it stood before

    def as_dict(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "text": self.text, "paragraph": self.paragraph}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Boilerplate:
        return cls(BoilerplateKind(d["kind"]), d["text"], int(d["paragraph"]))


@dataclass(frozen=True, slots=True)
class Meta:
    """Article metadata from one layer (sidecar, record field, header, HTML, WARC)."""

    title: str | None = None
    byline: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    published_time: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def content_hash(text: str) -> str:
    """SHA-256 hex digest of a body; the article id is its first 16 characters."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article. Character offsets of later records refer to `text`."""

    id: str
    hash: str
    text: str
    origin: str  # file path, with `#line N` or `#record N` inside a container
    title: str | None = None
    byline: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    boilerplate: tuple[Boilerplate, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @classmethod
    def create(cls, text: str, origin: str, meta: Meta, boilerplate: tuple[Boilerplate, ...] = (),
               warnings: tuple[str, ...] = ()) -> Article:
        """Build an article whose id and hash are derived from its body."""
        digest = content_hash(text)
        metadata = dict(meta.extra)
        if meta.published_time:
            metadata["published_time"] = meta.published_time
        return cls(id=digest[:16], hash=digest, text=text, origin=origin, title=meta.title,
                   byline=meta.byline, source=meta.source, url=meta.url, published=meta.published,
                   boilerplate=boilerplate, metadata=metadata, warnings=warnings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "hash": self.hash, "origin": self.origin, "title": self.title,
            "byline": self.byline, "source": self.source, "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "text": self.text, "boilerplate": [b.as_dict() for b in self.boilerplate],
            "metadata": self.metadata, "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        published = d.get("published")
        return cls(
            id=d["id"], hash=d["hash"], text=d["text"], origin=d["origin"], title=d.get("title"),
            byline=d.get("byline"), source=d.get("source"), url=d.get("url"),
            published=dt.date.fromisoformat(published) if published else None,
            boilerplate=tuple(Boilerplate.from_dict(b) for b in d.get("boilerplate", [])),
            metadata=dict(d.get("metadata") or {}), warnings=tuple(d.get("warnings") or ()),
        )


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article body by character offsets."""

    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that could not become an article, with where and why."""

    origin: str
    code: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.origin}:{self.line}" if self.line is not None else self.origin
        return f"{where}: {self.code} {self.reason}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input record that is not an article (e.g. a WARC request record); counted, not failed."""

    origin: str
    reason: str
