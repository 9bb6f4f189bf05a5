"""Typed settings loaded from the shipped defaults, a user file and the environment."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from communique.errors import ConfigError

DB_ENV = "COMMUNIQUE_DB"


@dataclass(frozen=True, slots=True)
class StoreSettings:
    path: str
    batch_size: int


@dataclass(frozen=True, slots=True)
class IngestSettings:
    max_file_mb: float
    max_document_mb: float
    ignore_suffixes: tuple[str, ...]

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def max_document_bytes(self) -> int:
        return int(self.max_document_mb * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class NlpSettings:
    model: str
    batch_size: int
    parse_batch: int
    disable: tuple[str, ...]
    actor_files: tuple[str, ...]
    trigger_files: tuple[str, ...]
    consolidate_every: int

    def __post_init__(self) -> None:
        for name in ("batch_size", "parse_batch", "consolidate_every"):
            if getattr(self, name) < 1:
                raise ConfigError(f"E502 nlp.{name} must be at least 1, not {getattr(self, name)!r}")


@dataclass(frozen=True, slots=True)
class DedupeSettings:
    num_perm: int
    shingle_words: int
    threshold: float
    min_words: int
    seed: int


@dataclass(frozen=True, slots=True)
class Settings:
    store: StoreSettings
    ingest: IngestSettings
    nlp: NlpSettings
    dedupe: DedupeSettings

    def with_db(self, path: str | os.PathLike[str] | None) -> Settings:
        """Return settings whose database path is `path` (unchanged when None)."""
        if path is None:
            return self
        return replace(self, store=replace(self.store, path=str(path)))


_SECTIONS = {"store": StoreSettings, "ingest": IngestSettings, "nlp": NlpSettings, "dedupe": DedupeSettings}


def _section(name: str, cls: type, values: dict[str, Any]) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"E501 unknown setting(s) in [{name}]: {', '.join(sorted(unknown))}")
    typed = {}
    for f in fields(cls):
        value = values[f.name]
        if f.type.startswith("tuple"):
            value = tuple(value)
        elif f.type == "int" and not isinstance(value, int):
            raise ConfigError(f"E502 {name}.{f.name} must be an integer, not {value!r}")
        elif f.type == "float" and not isinstance(value, (int, float)):
            raise ConfigError(f"E502 {name}.{f.name} must be a number, not {value!r}")
        typed[f.name] = value
    return cls(**typed)


def load_settings(config: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Load the shipped defaults, then `config` over them, then `$COMMUNIQUE_DB`.

    Raises:
        ConfigError: the user file is unreadable, malformed or names unknown settings.
    """
    data = tomllib.loads(resources.files("communique").joinpath("default_config.toml").read_text())
    if config is not None:
        try:
            user = tomllib.loads(Path(config).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"E500 {config}: cannot read settings ({exc})") from exc
        for name, values in user.items():
            if name not in data or not isinstance(values, dict):
                raise ConfigError(f"E501 {config}: unknown section [{name}]")
            data[name].update(values)
    environ = os.environ if env is None else env
    if environ.get(DB_ENV):
        data["store"]["path"] = environ[DB_ENV]
    return Settings(**{name: _section(name, cls, data[name]) for name, cls in _SECTIONS.items()})
