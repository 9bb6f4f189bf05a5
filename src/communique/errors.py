"""Every exception the package raises, with coded messages.

Codes: E1xx input, E2xx nlp, E3xx extract, E4xx store, E5xx configuration/usage.
"""

from __future__ import annotations


class CommuniqueError(Exception):
    """Base class of every error raised by communique."""

    code = "E000"


class InputError(CommuniqueError):
    """An input (file, record, line) that cannot become an article."""

    def __init__(self, code: str, reason: str, line: int | None = None) -> None:
        super().__init__(f"{code} {reason}")
        self.code = code
        self.reason = reason
        self.line = line


class ModelError(CommuniqueError):
    """No usable spaCy pipeline is installed."""

    code = "E200"


class StoreError(CommuniqueError):
    """The database cannot be opened, migrated or written."""

    code = "E400"


class QueryError(CommuniqueError):
    """A query the user gave is malformed (e.g. FTS5 syntax)."""

    code = "E410"


class ConfigError(CommuniqueError):
    """A setting or option has a value that cannot be used."""

    code = "E500"


# Input error codes, one per kind of failure, so scripts can grep for them.
E_NOT_FOUND = "E100"
E_UNREADABLE = "E101"
E_EMPTY = "E102"
E_BINARY = "E103"
E_TOO_LARGE = "E104"
E_UNSUPPORTED = "E105"
E_BAD_JSON = "E110"
E_BAD_RECORD = "E111"
E_NO_TEXT = "E112"
E_BAD_CSV = "E113"
E_BAD_XML = "E120"
E_XML_ENTITIES = "E121"
E_BAD_WARC = "E130"
E_TRUNCATED = "E131"
E_BAD_SIDECAR = "E140"
E_NO_BODY = "E150"
E_SHARD_FAILED = "E160"
