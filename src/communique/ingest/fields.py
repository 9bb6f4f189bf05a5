"""Metadata from key/value records: sidecar files, JSONL objects, CSV rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from communique import errors
from communique.errors import InputError
from communique.ingest.base import Layer
from communique.ingest.dates import parse_published, parse_time
from communique.records import Meta

SIDECAR_SUFFIX = ".meta.json"
KNOWN_KEYS = ("id", "url", "title", "published", "source", "byline", "text")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def meta_from_record(record: dict[str, Any], warnings: list[str]) -> Meta:
    """Metadata from a record with keys `id,url,title,published,source,byline`.

    Unknown keys are kept as extras; an `id` is kept as `external_id`. A `published`
    value that is not a full date is reported in `warnings` and left out.
    """
    extra = {k: v for k, v in record.items() if k not in KNOWN_KEYS and v not in (None, "")}
    if _text(record.get("id")):
        extra["external_id"] = _text(record.get("id"))
    raw_date = record.get("published")
    published = parse_published(raw_date)
    if raw_date not in (None, "") and published is None:
        # Another layer (a sidecar, the text's own dateline) may still date the article.
        warnings.append(f"published {raw_date!r} is not a full date; ignored")
    return Meta(title=_text(record.get("title")), byline=_text(record.get("byline")),
                source=_text(record.get("source")), url=_text(record.get("url")),
                published=published, published_time=parse_time(raw_date) if published else None,
                extra=extra)


def sidecar_path(path: Path) -> Path:
    """`X.meta.json` beside `X.txt` or `X.html`."""
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def sidecar_layer(path: Path, warnings: list[str]) -> Layer | None:
    """The sidecar of `path` as the highest-ranking metadata layer, or None without one.

    Raises:
        InputError: the sidecar exists but is not a JSON object.
    """
    side = sidecar_path(path)
    if not side.exists():
        return None
    try:
        record = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(errors.E_BAD_SIDECAR, f"sidecar {side.name} is not valid JSON: {exc}") from exc
    if not isinstance(record, dict):
        raise InputError(errors.E_BAD_SIDECAR, f"sidecar {side.name} must hold a JSON object")
    return Layer("sidecar", meta_from_record(record, warnings))
