"""The files plan repositories copy: the pre-commit hook and the example workflow."""

from __future__ import annotations

import re
import shlex

import click
import pytest
import yaml

from bragcli.cli import cli
from conftest import ROOT


def test_pre_commit_hook_runs_once_on_the_whole_plan() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "brag-check"
    assert hook["entry"] == "brag check"
    assert hook["pass_filenames"] is False and hook["require_serial"] is True
    assert re.search(hook["files"], "plans/02-workforce.yaml")
    assert not re.search(hook["files"], "README.md")


def _brag_commands() -> list[str]:
    workflow = yaml.safe_load(
        (ROOT / "examples" / "github-actions" / "improvement-plan.yml").read_text()
    )
    runs = [step["run"] for step in workflow["jobs"]["plan"]["steps"] if "run" in step]
    return [r for r in runs if r.startswith("brag ")]


@pytest.mark.parametrize("command", _brag_commands())
def test_example_workflow_commands_are_valid(command: str) -> None:
    """Each brag command in the workflow parses: its command and options exist."""
    name, *args = shlex.split(re.sub(r"\$\{\{[^}]*\}\}", "main", command))[1:]
    sub = cli.commands[name]
    assert isinstance(sub, click.Command)
    # The parent context carries the group's settings (-h); without it click would cache a
    # --help-only option on the command for the rest of the process.
    parent = click.Context(cli, info_name="brag", **cli.context_settings)
    sub.make_context(name, args, parent=parent)  # raises on an unknown option or a bad value


def test_example_workflow_fetches_history_for_diff() -> None:
    text = (ROOT / "examples" / "github-actions" / "improvement-plan.yml").read_text()
    assert "fetch-depth: 0" in text
    assert len(_brag_commands()) == 3
