"""Communique: verifiable event data from news about international relations."""

import logging
from typing import Any

from communique.about import CODER, __version__
from communique.records import Article, Boilerplate, Reject, Sentence
from communique.report import IngestSummary
from communique.settings import Settings, load_settings

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["CODER", "Article", "Boilerplate", "IngestSummary", "Reject", "Sentence", "Settings",
           "__version__", "ingest", "load_settings"]


def __getattr__(name: str) -> Any:
    # The pipeline imports the readers' libraries (trafilatura, warcio, datasketch); load them on demand.
    if name == "ingest":
        from communique import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
