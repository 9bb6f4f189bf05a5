"""Cut an article body into pieces for highlighting: each piece with the marks that cover it.

Marks may nest or overlap (an actor inside an event's sentence); the body is cut at every mark
boundary, so every piece knows all marks over it and the page never needs nested markup. The
pieces carry plain text: the template escapes it, so no article text ever becomes markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Mark:
    """A highlighted span of the body: CSS class, optional link and tooltip."""

    start: int
    end: int
    kind: str
    href: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text under the same marks; `href`/`title` come from the innermost (shortest) mark that has one."""

    text: str
    kinds: tuple[str, ...]
    href: str | None
    title: str | None


def pieces(text: str, marks: Iterable[Mark]) -> list[Piece]:
    """The body as pieces, in order; text outside every mark is a piece with no kinds."""
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    out: list[Piece] = []
    for begin, end in zip(cuts, cuts[1:], strict=False):
        over = sorted((m for m in valid if m.start <= begin and end <= m.end), key=lambda m: m.end - m.start)
        out.append(Piece(text[begin:end], tuple(dict.fromkeys(m.kind for m in over)), _first(over, "href"),
                         _first(over, "title")))
    return out


def _first(marks: Sequence[Mark], attr: str) -> str | None:
    return next((getattr(m, attr) for m in marks if getattr(m, attr)), None)
