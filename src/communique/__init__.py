"""Communique: verifiable event data from news about international relations."""

import logging
from typing import Any

from communique.about import CODER, __version__
from communique.records import Article, Boilerplate, Reject, Sentence
from communique.report import IngestSummary
from communique.settings import Settings, load_settings

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["CODER", "Article", "Boilerplate", "IngestSummary", "Reject", "Sentence", "Settings", "Store",
           "__version__", "ingest", "load_settings", "open_store"]


def __getattr__(name: str) -> Any:
    # The pipeline imports the readers' libraries (trafilatura, warcio, datasketch); load them on demand.
    if name == "ingest":
        from communique import pipeline

        return getattr(pipeline, name)
    if name in ("Store", "open_store"):  # the store and analysis modules load only when asked for
        from communique import api

        return getattr(api, name)
    raise AttributeError(name)
