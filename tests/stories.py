"""Invented article bodies for tests, long enough for near-duplicate detection."""

from __future__ import annotations

import random

PLACES = ["Lisbon", "Accra", "Hanoi", "Quito", "Tbilisi", "Oslo", "Lima", "Dakar", "Riga", "Manila"]
TOPICS = ["fisheries", "rail freight", "vaccine research", "border customs", "solar power",
          "student exchanges", "port security", "river management", "wheat exports", "cyber defence"]
WORDS = ("agenda budget cabinet delegate envoy forum grant harbour industry journal kernel ledger mandate "
         "network office parliament quota reform summit treaty union venue waiver yield zone archive bridge "
         "charter dialogue embassy festival garrison highway initiative junction keynote licence memo notice "
         "observer pipeline quarry registry satellite tariff upgrade vessel warehouse").split()


def story(i: int) -> str:
    """A distinct three-paragraph report; different `i` give texts that share few shingles."""
    rng = random.Random(i)
    place, topic = rng.choice(PLACES), rng.choice(TOPICS)
    filler = " ".join(rng.choice(WORDS) for _ in range(18))
    return (f"Officials from {place} opened talks on {topic} on day {i} of the session, "
            f"according to a statement released by the delegation number {i * 13 % 97}.\n\n"
            f"The {topic} negotiators reviewed notes on {filler} and asked experts in {place} "
            f"to prepare a report before meeting {i % 5 + 1} of the working group.\n\n"
            f"A spokesperson said round {i} had been constructive and that a further round on {topic} "
            f"would take place in {rng.choice(PLACES)} within {i % 9 + 2} weeks.")


def edited(text: str) -> str:
    """A lightly edited republication of `text` (two small wording changes)."""
    return text.replace("opened talks", "began talks", 1).replace("A spokesperson said", "A spokesman said", 1)
