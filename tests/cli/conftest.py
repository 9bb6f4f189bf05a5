"""Shared by the command tests: a store analysed from written articles, and a runner of commands on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.cli import app
from tests.conftest import command_runner


def analysed_store(folder: Path, articles: list[dict]) -> Path:
    """Ingest `articles` (as a JSONL dump) into a store in `folder` and analyse it; the store's path."""
    dump = folder / "dump.jsonl"
    dump.write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")
    db = folder / "store.db"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(dump), "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["analyze", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def run(monkeypatch, store):
    """Run a command on the module's `store` fixture, on a wide console so table cells stay whole."""
    return command_runner(monkeypatch, store)
