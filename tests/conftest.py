"""Shared fixtures: settings pointing at a fresh database, and article files written on demand."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from communique.settings import Settings, load_settings

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default settings with the database in a temporary directory."""
    return load_settings(env={}).with_db(tmp_path / "store.db")


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a file under tmp_path/in (text, bytes, or JSON lines for a list of dicts)."""
    root = tmp_path / "in"

    def _write(name: str, content: str | bytes | list[dict]) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, list):
            content = "".join(json.dumps(r) + "\n" for r in content)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return _write


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "issue(n): regression test for issue n")
