"""Claim checks over the store: every stored claim (or one article's) with its verdict and events.

Reads through `store.claims` and decides with the pure `analysis.claims.check` (docs/claims.md).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from communique.analysis.claims import CheckRules, ClaimCheck, Coverage, StoredEvent, check, sides
from communique.records import Claim
from communique.store.claims import claim_rows, earliest_published, event_details, pair_events


@dataclass(frozen=True, slots=True)
class CheckedClaim:
    """A stored claim, its evidence sentence, its verdict and the deciding events (date order)."""

    claim: Claim
    evidence: str
    published: str | None
    check: ClaimCheck
    events: tuple[dict[str, Any], ...]

    def as_dict(self) -> dict[str, Any]:
        """The JSONL/CSV row of a checked claim (docs/schema.md, "claims")."""
        c, period = self.claim, self.claim.period
        return {
            "claim_id": c.claim_id, "article_id": c.article_id, "article_published": self.published,
            "sentence": c.sentence, "start": c.start, "end": c.end, "text": c.text, "evidence": self.evidence,
            "kind": str(c.kind), "number": c.number, "qualifier": c.qualifier, "noun": c.noun,
            "event_type": str(c.event_type), "mode": c.mode,
            "subject": c.subject and (c.subject.country or c.subject.actor_id),
            "counterpart": c.counterpart and (c.counterpart.country or c.counterpart.actor_id), "mutual": c.mutual,
            "period_begin": period and period.begin, "period_end": period and period.end,
            "period_text": period and period.text, "date": c.date, "modality": str(c.modality),
            "verdict": str(self.check.verdict), "found": self.check.found, "covered": self.check.covered,
            "reason": self.check.reason, "event_ids": list(self.check.events),
            "event_dates": [e["date_value"] for e in self.events],
        }


def check_claims(conn: sqlite3.Connection, article_id: str | None = None,
                 rules: CheckRules | None = None) -> Iterator[CheckedClaim]:
    """Check every stored claim (or those of one article) against the consolidated events of the store.

    Args:
        article_id: only this article's claims (a full id or a unique prefix).
        rules: data/claim_checks.toml when None.
    """
    rules = rules or CheckRules.load()
    coverage = Coverage(earliest_published(conn))
    for row in claim_rows(conn, article_id):
        claim = Claim.from_dict(row["record"])
        family = rules.family_of[str(claim.event_type)]
        events = [StoredEvent(r["id"], r["family"], r["type"], r["mode"], r["modality"], r["side_a"], r["side_b"],
                              bool(r["mutual"]), r["date_value"], r["cameo"])
                  for r in pair_events(conn, family, sides(claim.subject), sides(claim.counterpart))]
        result = check(claim, events, coverage, rules)
        details = event_details(conn, result.events)
        ordered = tuple(details[i] for i in result.events if i in details)
        yield CheckedClaim(claim, row["evidence"], row["article_published"], result, ordered)
