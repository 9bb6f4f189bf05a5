"""Inputs to articles: find the files a user names and read each with its registered reader."""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from communique import errors
from communique.ingest import feeds, html, tabular, text, warc  # noqa: F401  (register the readers)
from communique.ingest.base import Item, ReadContext, ReaderSpec
from communique.ingest.clean import BoilerplateRules
from communique.records import Reject
from communique.registry import readers
from communique.settings import IngestSettings

STDIN = "-"
_GLOB_CHARS = set("*?[")


def reader_specs() -> tuple[ReaderSpec, ...]:
    """Registered readers, built-in and from entry points."""
    return tuple(spec for _, spec in sorted(readers.get_all().items()))


def reader_for(path: Path, specs: tuple[ReaderSpec, ...]) -> ReaderSpec | None:
    """The reader whose longest suffix ends the file name, or None."""
    name = path.name.lower()
    matches = [(len(s), spec) for spec in specs for s in spec.suffixes if name.endswith(s)]
    return max(matches, key=lambda m: m[0])[1] if matches else None


def _walk(root: Path, settings: IngestSettings, specs: tuple[ReaderSpec, ...]) -> Iterator[Path | Reject]:
    failures: list[Reject] = []

    def on_error(exc: OSError) -> None:
        failures.append(Reject(str(exc.filename or root), errors.E_UNREADABLE,
                               f"cannot read directory: {exc.strerror or exc}"))

    for folder, dirs, files in os.walk(root, onerror=on_error):
        dirs.sort()
        yield from failures
        failures.clear()
        for name in sorted(files):
            path = Path(folder, name)
            if name.startswith(".") or name.lower().endswith(tuple(settings.ignore_suffixes)):
                continue
            if reader_for(path, specs) is not None:
                yield path
    yield from failures


def discover(targets: list[str], settings: IngestSettings) -> Iterator[Path | Reject]:
    """Files named by `targets` (files, directories walked recursively, or globs), in order.

    Files in directories without a reader are passed over; a named file without one,
    or a name that matches nothing, is a Reject.
    """
    specs = reader_specs()
    for target in targets:
        path = Path(target)
        if path.is_dir():
            yield from _walk(path, settings, specs)
        elif path.exists() or os.path.lexists(path):
            yield path
        elif _GLOB_CHARS & set(target):
            matches = sorted(glob.glob(target, recursive=True))
            if not matches:
                yield Reject(target, errors.E_NOT_FOUND, "pattern matches no file")
            for match in matches:
                yield from discover([match], settings) if Path(match).is_dir() else [Path(match)]
        else:
            yield Reject(target, errors.E_NOT_FOUND, "no such file or directory")


def read_path(path: Path, ctx: ReadContext) -> Iterator[Item]:
    """Read one file with the reader registered for its name."""
    spec = reader_for(path, ctx.specs)
    if spec is None:
        yield Reject(str(path), errors.E_UNSUPPORTED, "no reader for this kind of file (known: "
                     + ", ".join(sorted(s for r in ctx.specs for s in r.suffixes)) + ")")
        return
    yield from spec.read(path, ctx)


def read_stdin(ctx: ReadContext) -> Iterator[Item]:
    """Read JSONL from standard input."""
    yield from tabular.read_jsonl_stream(sys.stdin.buffer, "<stdin>", ctx)


def make_context(settings: IngestSettings, rules: BoilerplateRules | None = None) -> ReadContext:
    """A read context with the shipped boilerplate rules unless others are given."""
    return ReadContext(settings, rules or BoilerplateRules.load(), reader_specs())
