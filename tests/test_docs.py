"""The documentation covers every command, setting and error code the code has."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from communique import errors
from communique.cli import app

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("command", [c.name for c in app.registered_commands])
def test_docs_every_command_has_help_and_a_section(command):
    info = next(c for c in app.registered_commands if c.name == command)
    assert info.callback.__doc__, f"{command} has no help text"
    assert f"## `communique {command}" in (DOCS / "cli.md").read_text()


def test_docs_every_setting_is_documented():
    defaults = tomllib.loads(resources.files("communique").joinpath("default_config.toml").read_text())
    documented = (DOCS / "settings.md").read_text()
    for section, values in defaults.items():
        for key in values:
            assert f"`{section}.{key}`" in documented


def test_docs_every_input_error_code_is_documented():
    codes = [v for k, v in vars(errors).items() if k.startswith("E_")]
    table = (DOCS / "ingest.md").read_text()
    assert len(codes) == len(set(codes))
    for code in codes:
        assert re.search(rf"^\| {code} \|", table, re.M), code
