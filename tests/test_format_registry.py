"""Each command's --format choices are its renderer registry's names, typed the same all the
way: a new format is one registry entry (plus its name in the format type), and `--help` can
never offer a format that nothing renders."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, get_args

import click
import pytest

from bragcli import render
from bragcli.cli import cli
from bragcli.commands import check, history, import_export, report, update, views
from bragcli.render.appendix import template_dir
from bragcli.render.problem_formats import REPORTERS
from conftest import ROOT, SAMPLE_PLAN, Run
from test_history import Repo

#: command -> (its registry's names, the format type)
REGISTRIES: dict[str, tuple[list[str], Any]] = {
    "status": (list(render.STATUS_FORMATS), render.StatusFormat),
    "actions": (list(render.ACTIONS_FORMATS), render.StatusFormat),
    "diff": (list(render.DIFF_FORMATS), render.DiffFormat),
    "trend": (list(render.TREND_FORMATS), render.TrendFormat),
    "report": (list(render.REPORT_FORMATS), render.ReportFormat),
    "check": (list(REPORTERS), render.CheckFormat),
    "export": (list(get_args(render.ExportFormat)), render.ExportFormat),
    # the commands that change the plan print their change set as brag diff does
    "set": (list(render.DIFF_FORMATS), render.DiffFormat),
    "import": (list(render.DIFF_FORMATS), render.DiffFormat),
}


def option(command: str, name: str) -> click.Option:
    found = next(
        p for p in cli.commands[command].params if isinstance(p, click.Option) and name in p.opts
    )
    assert isinstance(found, click.Option)
    return found


def choices(command: str, name: str) -> list[str]:
    kind = option(command, name).type
    assert isinstance(kind, click.Choice)
    return [str(c) for c in kind.choices]


def test_every_command_with_a_format_is_listed() -> None:
    with_format = {
        name
        for name, command in cli.commands.items()
        if any("--format" in getattr(p, "opts", ()) for p in command.params)
    }
    assert with_format == set(REGISTRIES)


@pytest.mark.parametrize("command", list(REGISTRIES))
def test_format_choices_are_the_registry_and_its_type(command: str) -> None:
    names, kind = REGISTRIES[command]
    assert choices(command, "--format") == names
    assert sorted(names) == sorted(get_args(kind))


@pytest.mark.parametrize(
    "registry",
    [render.STATUS_FORMATS, render.ACTIONS_FORMATS, render.DIFF_FORMATS, render.TREND_FORMATS],
)
def test_every_registry_entry_renders(registry: render.Registry[Any, Any]) -> None:
    for name in registry:
        assert callable(registry[name]), name


def test_every_report_format_has_its_template() -> None:
    for name, template in render.REPORT_TEMPLATES.items():
        assert (template_dir() / template).is_file(), name


def test_every_colour_option_is_the_one_colour_type() -> None:
    with_colour = [
        name
        for name, command in cli.commands.items()
        if any("--color" in getattr(p, "opts", ()) for p in command.params)
    ]
    assert sorted(with_colour) == ["actions", "check", "diff", "import", "set", "status", "trend"]
    for name in with_colour:
        assert choices(name, "--color") == list(get_args(render.ColorChoice))
        assert option(name, "--color").default == "auto"


def test_options_are_typed_with_the_choice_types() -> None:
    expected = {
        check.CheckOptions: {"format": "CheckFormat"},
        views.StatusOptions: {"format": "StatusFormat", "color": "ColorChoice"},
        history.DiffOptions: {"format": "DiffFormat", "color": "ColorChoice"},
        history.TrendOptions: {"format": "TrendFormat", "color": "ColorChoice", "by": "TrendBy"},
        report.ReportOptions: {"format": "ReportFormat"},
        import_export.ExportOptions: {"format": "ExportFormat"},
        update.UpdateOptions: {"format": "DiffFormat", "color": "ColorChoice"},
    }
    for options, types in expected.items():
        # the names of the types, as written (a NamedTuple keeps them as ForwardRefs)
        fields = {n: getattr(t, "__forward_arg__", t) for n, t in options.__annotations__.items()}
        assert {name: fields[name] for name in types} == types, options.__name__


def test_no_command_takes_options_as_untyped_keyword_arguments() -> None:
    tree = ast.parse((ROOT / "src" / "bragcli" / "cli.py").read_text(encoding="utf-8"))
    loose = [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and (node.args.kwarg or node.args.vararg)
    ]
    assert loose == []


@pytest.mark.parametrize("command", ["status", "actions", "diff", "trend"])
def test_color_means_the_same_in_every_command(
    run: Run, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """always colours even with NO_COLOR set (the README: `--color always|never` overrides);
    auto follows NO_COLOR and the terminal (CliRunner's output is not one)."""
    repo = Repo(tmp_path / "repo")
    plan = (SAMPLE_PLAN / "plan.yaml").read_text(encoding="utf-8")
    area = (SAMPLE_PLAN / "03-risk-of-harm.yaml").read_text(encoding="utf-8")
    repo.commit("one", "2023-01-10", {"plan.yaml": plan, "03.yaml": area})
    repo.commit("two", "2023-02-10", {"03.yaml": area.replace("status: red", "status: amber")})
    monkeypatch.chdir(repo.root)
    args = ["HEAD~1", "HEAD"] if command == "diff" else ["--as-of", "2023-03-01"]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" in run(command, *args, "--color", "always").stdout
    assert "\x1b[" not in run(command, *args, "--color", "auto").stdout
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" not in run(command, *args).stdout  # auto, and not a terminal
    assert "\x1b[" not in run(command, *args, "--color", "never").stdout
