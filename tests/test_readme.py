"""The README is the manual: it must show the two commands and document every command."""

from __future__ import annotations

from conftest import REPO
from pamphlet_press.cli import main


def test_every_command_is_documented() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        subcommands = getattr(command, "commands", None)
        for full in [f"{name} {sub}" for sub in subcommands] if subcommands else [name]:
            assert f"`pamphlets {full}`" in readme, full


def test_readme_shows_the_setup_and_test_commands_that_ci_runs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    for command in ("bash scripts/setup.sh", ".venv/bin/python -m pytest"):
        assert command in readme and command in ci
