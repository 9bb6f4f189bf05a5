"""A store for the server tests: the seeds (when present), the bundled examples and a hostile article."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.pipeline import analyze, ingest
from communique.settings import load_settings
from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parents[2]
SEEDS = SHARED / "corpus" / "seeds"
HOSTILE_META = '{"published": "2024-03-02", "source": "Test Wire <b>bold</b>"}'
HOSTILE = """Ministers meet in Quito <script>alert('title')</script>

The foreign minister of Ecuador met the foreign minister of Peru in Quito on Friday <script>alert(1)</script>.
Officials posted a picture <img src=x onerror="alert(2)"> and a link <a href="javascript:alert(3)">here</a> online.
"""


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An analysed store; built once per test session (the language model is the slow part)."""
    root = tmp_path_factory.mktemp("served")
    (root / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (root / "hostile.meta.json").write_text(HOSTILE_META, encoding="utf-8")
    settings = load_settings(env={}).with_db(root / "store.db")
    inputs = [str(ROOT / "examples" / "articles"), str(root / "hostile.txt")]
    if SEEDS.is_dir():
        inputs.append(str(SEEDS))
    ingest(inputs, settings)
    analyze(settings)
    return settings.store.path


@pytest.fixture(scope="session")
def client(store: Path):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from communique.web import create_app

    with TestClient(create_app(store)) as test_client:
        yield test_client
