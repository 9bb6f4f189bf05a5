"""What an ingest run reports while it runs and when it ends (no heavy imports)."""

from __future__ import annotations

from dataclasses import dataclass, field

from communique.records import ParsedLayer, Reject


@dataclass
class IngestSummary:
    """What one ingest run did. `exit_code` is 0 when nothing failed, else 1."""

    files: int = 0
    unchanged_files: int = 0
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    skipped: int = 0
    failed: int = 0
    rejects: list[Reject] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def counts(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in ("files", "unchanged_files", "read", "stored", "duplicates",
                                              "near_duplicates", "skipped", "failed")}


class Observer:
    """Receives progress from an ingest run; the CLI renders it, the library ignores it."""

    def start(self, total_files: int) -> None:
        """Called once the inputs are known."""

    def file_done(self, path: str, summary: IngestSummary) -> None:
        """Called after each input file (or stdin)."""

    def rejected(self, reject: Reject) -> None:
        """Called for each input that failed."""

    def warned(self, origin: str, message: str) -> None:
        """Called for each warning about a stored article."""


@dataclass
class AnalyzeSummary:
    """What one analyze run did."""

    articles: int = 0
    mentions: int = 0
    times: int = 0
    figures: int = 0
    statements: int = 0
    events: int = 0
    claims: int = 0
    model: str = ""

    def add(self, layer: ParsedLayer) -> None:
        """Count one article's parsed layer."""
        self.articles += 1
        self.mentions += len(layer.mentions)
        self.times += len(layer.times)
        self.figures += len(layer.figures)
        self.events += len(layer.events)
        self.statements += len(layer.statements)
        self.claims += len(layer.claims)

    def counts(self) -> dict[str, int]:
        return {"articles": self.articles, "mentions": self.mentions, "times": self.times, "figures": self.figures,
                "statements": self.statements, "events": self.events, "claims": self.claims}
