"""The `brag` program as a whole: version, help, python -m, internal errors, pipes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bragcli import cli as cli_module
from bragcli.source.yamlread import LIBYAML
from conftest import ROOT, SAMPLE_AS_OF, Run


def test_version_names_the_yaml_loader(run: Run) -> None:
    out = run("--version").stdout
    assert out.startswith("brag 0.1.0 (Python 3.")
    loader = "C (libyaml)" if LIBYAML else "pure Python"
    assert f"YAML loader: {loader}" in out


def test_help_lists_every_command(run: Run) -> None:
    out = run("--help").stdout
    for command in ("check", "status", "actions", "schema"):
        assert f"\n  {command} " in out
    assert "Exit codes: 0 fine, 1 the plan has problems" in out


def test_python_dash_m_runs_brag() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bragcli", "check", "plans", "--as-of", SAMPLE_AS_OF],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stderr == "brag check: 17 warnings (11 files checked)\n"


def test_internal_error_is_one_line_and_exit_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something impossible")

    monkeypatch.setattr("bragcli.commands.check.run_check", broken)
    monkeypatch.setattr(sys, "argv", ["brag", "check", str(ROOT / "plans")])
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main()
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert err.startswith("brag: internal error: RuntimeError: something impossible\n")
    assert "Traceback" not in err and "--debug" in err


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something impossible")

    monkeypatch.setattr("bragcli.commands.check.run_check", broken)
    monkeypatch.setattr(sys, "argv", ["brag", "--debug", "check", str(ROOT / "plans")])
    with pytest.raises(RuntimeError, match="something impossible"):
        cli_module.main()


def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    # Far more output than a pipe buffers, so `head` closes the pipe while brag still writes;
    # click turns the broken pipe into a quiet exit.
    (tmp_path / "plan.yaml").write_text("title: Big\norganisation: Council\n")
    actions = "".join(
        f"  - {{id: '1.{i}', title: Action number {i} {'x' * 80}, lead: Lead, "
        f"deadline: March 2023, status: green}}\n"
        for i in range(3000)
    )
    (tmp_path / "01.yaml").write_text(f"id: '1'\ntitle: Area\nactions:\n{actions}")
    result = subprocess.run(
        f"{sys.executable} -m bragcli actions {tmp_path} --as-of 2023-01-31 --format csv | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.startswith("id,area,title")
    assert result.stderr == ""
