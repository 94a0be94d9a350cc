"""Every command shows an example in --help and takes --json (the CLI contract in ARCHITECTURE.md)."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from iplayout.cli import app

# Commands whose output is a file or a server, where --json would not apply.
NO_JSON = {"serve", "export rdf"}


def _commands() -> list[tuple[str, Any]]:
    root = typer.main.get_command(app)
    out: list[tuple[str, Any]] = []

    def walk(cmd: Any, path: str) -> None:
        # typer vendors its own click: duck-type groups and options
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, f"{path} {name}".strip())
        else:
            out.append((path, cmd))

    walk(root, "")
    return out


COMMANDS = _commands()


def test_contract_commands_exist() -> None:
    names = {n for n, _ in COMMANDS}
    assert {"demo", "cypher", "export rdf"} <= names


@pytest.mark.parametrize(("name", "cmd"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_help_shows_an_example(name: str, cmd: Any) -> None:
    result = CliRunner().invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output or "example" in result.output


@pytest.mark.parametrize(("name", "cmd"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_takes_json(name: str, cmd: Any) -> None:
    if name in NO_JSON:
        pytest.skip(f"{name} writes a file or runs a server")
    assert any("--json" in getattr(p, "opts", []) for p in cmd.params), name
