"""Shared fixtures: settings pointing at a fresh database, and article files written on demand."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


@pytest.fixture
def add_mentions() -> Callable[..., str]:
    """Write an article and its mention-level events straight into a store, with no model.

    Each event is a dict with `id` and any of `type`, `source`, `target`, `mutual`, `date`,
    `modality`, `place` (defaults: a mutual CHL-PER CONSULT on 2024-03-13, asserted). One
    sentence per event. Returns the article id.
    """
    import hashlib
    import sqlite3

    def _add(conn: sqlite3.Connection, name: str, events: list[dict]) -> str:
        article_id = hashlib.sha1(name.encode()).hexdigest()[:16]
        text = " ".join(f"Sentence {n} of {name}." for n in range(len(events)))
        conn.execute("INSERT INTO articles(id, hash, origin, published, text) VALUES (?, ?, 'test', '2024-04-01', ?)",
                     (article_id, hashlib.sha256(name.encode()).hexdigest(), text))
        starts = [text.index(f"Sentence {n} ") for n in range(len(events))]
        conn.executemany("INSERT INTO sentences(article_id, idx, start, end) VALUES (?, ?, ?, ?)",
                         [(article_id, n, s, s + 12) for n, s in enumerate(starts)])
        conn.execute("INSERT INTO analyses(article_id, coder, model) VALUES (?, 'test', 'none')", (article_id,))
        for n, e in enumerate(events):
            src, tgt, date = e.get("source", "CHL"), e.get("target", "PER"), e.get("date", "2024-03-13")
            precision = {10: "day", 7: "month", 4: "year"}.get(len(date or ""))
            conn.execute(
                "INSERT INTO events(id, article_id, sentence, type, cameo, quad_class, goldstein, source_actor,"
                " source_country, target_actor, target_country, mutual, date_value, date_precision, date_basis,"
                " place, place_country, modality, reported, confidence, rule, record, coder) VALUES"
                " (?, ?, ?, ?, '040', 1, 1.0, ?, ?, ?, ?, ?, ?, ?, 'sentence', ?, ?, ?, 0, 0.8, 'test', ?, 'test')",
                (e["id"], article_id, n, e.get("type", "CONSULT"), src, src, tgt, tgt, int(e.get("mutual", True)),
                 date, precision, e.get("place"), e.get("place"), e.get("modality", "asserted"),
                 json.dumps({"event_id": e["id"]})))
            conn.executemany("INSERT INTO event_actors(event_id, role, position, actor_id, country) VALUES"
                             " (?, ?, 0, ?, ?)", [(e["id"], "source", src, src), (e["id"], "target", tgt, tgt)])
        return article_id

    return _add


def command_runner(monkeypatch: pytest.MonkeyPatch, db: Path) -> Callable[..., Any]:
    """Run a `communique` command on the store `db`, on a wide console so table cells stay whole."""
    from typer.testing import CliRunner

    from communique.cli import app, console, err_console

    monkeypatch.setattr(console, "width", 250)
    monkeypatch.setattr(err_console, "width", 250)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [*args, "--db", str(db)])
