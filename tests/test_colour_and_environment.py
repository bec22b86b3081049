"""One colour rule for every view, and defaults from the environment.

Colour: --color always/never win over everything (no-color.org: the user's explicit choice
wins over NO_COLOR); auto follows NO_COLOR, then FORCE_COLOR, then TERM=dumb, then whether
standard output is a terminal (under CliRunner it is not). Every view that prints colour is
run in each case: `--color always` piped used to lose its colour in some of them.

Environment: BRAG_PLAN, BRAG_AS_OF, BRAG_COLOR (and the rest in docs/environment.md) set a default
once; the command line wins; a bad value is one line naming the variable, exit 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE_AS_OF, SAMPLE_PLAN, Run
from test_history import Repo

VIEWS = ["status", "actions", "diff", "trend"]


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plan whose rating changed once, so diff and trend have something to colour."""
    repo = Repo(tmp_path / "repo")
    plan = (SAMPLE_PLAN / "plan.yaml").read_text(encoding="utf-8")
    area = (SAMPLE_PLAN / "03-risk-of-harm.yaml").read_text(encoding="utf-8")
    repo.commit("one", "2023-01-10", {"plan.yaml": plan, "03.yaml": area})
    repo.commit("two", "2023-02-10", {"03.yaml": area.replace("status: red", "status: amber")})
    monkeypatch.chdir(repo.root)
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM", "BRAG_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return repo.plans


def _view(run: Run, command: str, *extra: str) -> str:
    args = {"diff": ["diff", "HEAD~1", "HEAD"], "trend": ["trend", "--as-of", "2023-03-01"]}
    result = run(*args.get(command, [command, "--as-of", SAMPLE_AS_OF]), *extra)
    assert result.exit_code == 0, result.stderr
    return result.stdout


CASES = [
    # (environment, --color, coloured?)
    ({}, None, False),  # piped, auto
    ({}, "always", True),
    ({"NO_COLOR": "1"}, "always", True),  # the flag wins over NO_COLOR
    ({"NO_COLOR": "1"}, None, False),
    ({"FORCE_COLOR": "1"}, None, True),
    ({"FORCE_COLOR": "1"}, "never", False),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, None, False),
    ({"TERM": "dumb"}, None, False),
    ({"TERM": "dumb"}, "always", True),
    ({"TERM": "dumb", "FORCE_COLOR": "1"}, None, True),
    ({"BRAG_COLOR": "always"}, None, True),
    ({"BRAG_COLOR": "always"}, "never", False),  # the command line wins over BRAG_COLOR
    ({"BRAG_COLOR": "never", "FORCE_COLOR": "1"}, None, False),
]


@pytest.mark.parametrize("command", VIEWS)
@pytest.mark.parametrize(("environment", "color", "coloured"), CASES)
def test_every_view_follows_the_same_colour_rule(
    run: Run,
    history: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    environment: dict[str, str],
    color: str | None,
    coloured: bool,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    shown = _view(run, command, *(["--color", color] if color else []))
    assert ("\x1b[" in shown) is coloured
    plain = shown if not coloured else None
    if plain is not None:
        assert "\x1b" not in plain


@pytest.mark.parametrize("command", VIEWS)
def test_colour_changes_no_text(run: Run, history: Path, command: str) -> None:
    import re

    coloured = _view(run, command, "--color", "always")
    assert re.sub("\x1b\\[[0-9;]*m", "", coloured) == _view(run, command, "--color", "never")


def test_brag_as_of_sets_the_date_and_the_option_wins(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = run("status", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF).stdout
    monkeypatch.setenv("BRAG_AS_OF", SAMPLE_AS_OF)
    assert run("status", SAMPLE_PLAN).stdout == expected
    assert "as of 15 December 2022" in expected
    later = run("status", SAMPLE_PLAN, "--as-of", "2023-01-31").stdout
    assert "as of 31 January 2023" in later


def test_per_command_variables_come_from_click_prefix(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRAG_STATUS_FORMAT", "json")
    result = run("status", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF)
    assert result.stdout.startswith("{")
    assert run("actions", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF).stdout.startswith("Hereford")


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("BRAG_AS_OF", "31/12\x1b[2J", "brag: BRAG_AS_OF: '31/12\\x1b[2J' is not a date;"),
        ("BRAG_AS_OF", "2023-01-31\n::error::x", "brag: BRAG_AS_OF: '2023-01-31\\n::error::x'"),
        ("BRAG_COLOR", "pink", "brag: BRAG_COLOR: 'pink' is not one of 'auto', 'always'"),
        (
            "BRAG_COLOR",
            "\uff41lways",
            "brag: BRAG_COLOR: '\uff41lways' is not one of",
        ),  # full-width a
        ("BRAG_DUE_WITHIN", "9" * 400, "brag: BRAG_DUE_WITHIN: '99999"),
        ("BRAG_MAX_FILE_SIZE", "inf", "brag: BRAG_MAX_FILE_SIZE: 'inf' is not a size"),
        ("BRAG_STATUS_FORMAT", "yaml", "brag: BRAG_STATUS_FORMAT: 'yaml' is not one of"),
    ],
)
def test_a_bad_environment_value_is_one_line_naming_the_variable(
    run: Run, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    result = run("status", SAMPLE_PLAN)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr
    assert result.stderr.endswith(f"; change or unset {variable}\n")


def test_help_names_the_shared_variables(run: Run) -> None:
    shown = run("status", "--help").stdout
    for variable in ("BRAG_PLAN", "BRAG_AS_OF", "BRAG_COLOR", "BRAG_DUE_WITHIN"):
        assert variable in shown


@pytest.mark.parametrize(("environment", "color", "coloured"), CASES)
def test_check_follows_the_same_colour_rule(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    color: str | None,
    coloured: bool,
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM", "BRAG_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    args = ["check", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, *(["--color", color] if color else [])]
    shown = run(*args).stdout
    assert ("\x1b[" in shown) is coloured


def test_check_colour_keeps_each_line_and_never_colours_annotations_or_json(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    base = ["check", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF]
    coloured = run(*base, "--color", "always").stdout
    assert re.sub("\x1b\\[[0-9;]*m", "", coloured) == run(*base, "--color", "never").stdout
    assert "\x1b[1;33mwarning\x1b[0m [" in coloured
    for fmt in ("json", "github"):
        assert "\x1b" not in run(*base, "--color", "always", "--format", fmt).stdout
