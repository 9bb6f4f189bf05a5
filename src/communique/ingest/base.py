"""What every reader shares: its signature, its context, and turning text into an Article."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from communique import errors
from communique.errors import InputError
from communique.ingest.clean import BoilerplateRules, clean_article
from communique.records import Article, Meta, Reject, Skipped
from communique.settings import IngestSettings

Item = Article | Reject | Skipped


@dataclass(frozen=True, slots=True)
class ReaderSpec:
    """A registered reader: the file name endings it takes and its read function."""

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path, ReadContext], Iterator[Item]]


@dataclass(frozen=True, slots=True)
class ReadContext:
    """What a reader needs besides its input: limits, boilerplate rules, the readers."""

    settings: IngestSettings
    rules: BoilerplateRules
    specs: tuple[ReaderSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class Layer:
    """Metadata from one source, named for provenance (`sidecar`, `field`, `header`, `html`, `warc`)."""

    name: str
    meta: Meta = field(default_factory=Meta)


_FIELDS = ("title", "byline", "source", "url")


def merge(layers: list[Layer]) -> Meta:
    """Merge metadata layers, the first having the highest precedence.

    The publication date and its time come together from the first layer that has a
    date, and `published_from` in the extras names that layer.
    """
    values: dict[str, Any] = {f: next((getattr(layer.meta, f) for layer in layers if getattr(layer.meta, f)), None)
                              for f in _FIELDS}
    extra: dict[str, Any] = {}
    for layer in reversed(layers):
        extra.update(layer.meta.extra)
    dated = next((layer for layer in layers if layer.meta.published), None)
    if dated is not None:
        extra["published_from"] = dated.name
    return Meta(**values, published=dated.meta.published if dated else None,
                published_time=dated.meta.published_time if dated else None, extra=extra)


def build_article(raw: str, origin: str, layers: list[Layer], ctx: ReadContext,
                  detect_title: bool = False, warnings: tuple[str, ...] = ()) -> Article:
    """Clean `raw` and merge its header into `layers` (the header ranks after explicit fields).

    Raises:
        InputError: nothing is left of the body after cleaning.
    """
    # The page's own headline opens the text even when a sidecar gives another title.
    known_titles = tuple(layer.meta.title for layer in layers if layer.meta.title)
    cleaned = clean_article(raw, ctx.rules, detect_title=detect_title, known_titles=known_titles)
    if not cleaned.body.strip():
        raise InputError(errors.E_NO_BODY, "no article text left after removing boilerplate")
    ranked = [layer for layer in layers if layer.name in ("sidecar", "field")] + [Layer("header", cleaned.header)]
    ranked += [layer for layer in layers if layer.name not in ("sidecar", "field")]
    return Article.create(cleaned.body, origin, merge(ranked), cleaned.boilerplate, warnings)


def read_capped(path: Path, limit: int) -> bytes:
    """Read a whole file, refusing one larger than `limit` bytes before reading it.

    Raises:
        InputError: the file is too large or cannot be read.
    """
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(errors.E_TOO_LARGE, f"file is {size / 2**20:.1f} MiB, over the "
                             f"{limit / 2**20:.0f} MiB limit (ingest.max_file_mb)")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(errors.E_UNREADABLE, f"cannot read file: {exc.strerror or exc}") from exc
