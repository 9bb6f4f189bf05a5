"""`communique actors list | lookup`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from communique.cli.actors import actors_app
from communique.cli.common import console, err_console


@pytest.fixture
def run(monkeypatch):
    monkeypatch.setattr(console, "width", 220)
    monkeypatch.setattr(err_console, "width", 220)
    runner = CliRunner()
    return lambda *args: runner.invoke(actors_app, list(args))


def test_actors_lookup_with_date(run):
    result = run("lookup", "Lukashenko", "--on", "2023-12-04")
    assert result.exit_code == 0, result.output
    assert "person:alexander-lukashenko" in result.stdout
    assert "President (BLR) 1994-07-20 – …" in result.stdout
    assert "roles on 2023-12-04" in result.stdout


def test_actors_lookup_role_that_ended(run):
    held = run("lookup", "Vladimir Makei", "--on", "2022-01-01")
    ended = run("lookup", "Vladimir Makei", "--on", "2023-12-04")
    assert "Minister of Foreign Affairs (BLR) 2012-08-20 – 2022-11-26" in held.stdout
    assert "Minister of Foreign Affairs" not in ended.stdout


def test_actors_lookup_nothing_exits_1(run):
    result = run("lookup", "Nobody Atall")
    assert result.exit_code == 1
    assert "no actor is called 'Nobody Atall'" in result.stderr


def test_actors_lookup_bad_date_is_usage_error(run):
    result = run("lookup", "Xi Jinping", "--on", "04/12/2023")
    assert result.exit_code == 2


def test_actors_list_filters(run):
    result = run("list", "--kind", "person", "--country", "blr", "--on", "2023-12-04")
    assert result.exit_code == 0, result.output
    assert "person:alexander-lukashenko" in result.stdout
    assert "person:sergei-aleinik" in result.stdout
    assert "person:xi-jinping" not in result.stdout
    assert "│ BLR " in result.stdout


def test_actors_user_file(run, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("- {id: 'org:minsk-tractor-works', kind: organization, name: Minsk Tractor Works, "
                    "country: BLR, sector: BUS, acronyms: [MTZ]}\n", encoding="utf-8")
    result = run("lookup", "MTZ", "--actors", str(path))
    assert result.exit_code == 0, result.output
    assert "org:minsk-tractor-works" in result.stdout


def test_actors_bad_user_file_is_usage_error(run, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("- {id: x, name: Y}\n", encoding="utf-8")
    result = run("lookup", "Y", "--actors", str(path))
    assert result.exit_code == 2
    assert f"{path}:1" in result.stderr
