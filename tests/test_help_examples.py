"""Every command's --help: a short description, two or three examples that are real
invocations (click accepts them), and lines that fit 80 columns."""

from __future__ import annotations

import shlex

import click
import pytest
from rich.cells import cell_len

from bragcli.cli import cli
from conftest import Run

COMMANDS = sorted(cli.commands)


def _examples(help_text: str) -> list[str]:
    lines = help_text.splitlines()
    start = lines.index("  Examples:") + 1
    examples = []
    for line in lines[start:]:
        if not line.startswith("    brag "):
            break
        examples.append(line.strip())
    return examples


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_a_description_and_examples_that_click_accepts(
    run: Run, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    shown = run(command, "--help").stdout
    assert shown.splitlines()[2].strip()  # the one-line description under the usage line
    examples = _examples(shown)
    assert 2 <= len(examples) <= 3, examples
    for example in examples:
        # what the shell hands brag: up to the first redirection or pipe, comments dropped
        words = shlex.split(example.split("  ")[0])
        for stop in (">", "<", "|"):
            if stop in words:
                words = words[: words.index(stop)]
        assert words[:2] == ["brag", command]
        sub = cli.commands[command]
        with sub.make_context(command, words[2:]) as ctx:  # raises on a bad option or value
            assert isinstance(ctx, click.Context)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_fits_80_columns(run: Run, command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    shown = run(*([command] if command else []), "--help").stdout
    assert max(cell_len(line) for line in shown.splitlines()) <= 80
