"""Streams, the rule written at the top of cli.py, command by command: standard output holds
the result and nothing else; "wrote X", the files a command wrote, summaries, warnings and
errors go to standard error. So `brag CMD > file` captures exactly the result.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_AS_OF, SAMPLE_PLAN, Run
from test_history import Repo


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose plan changed once: a rating and a deadline."""
    repo = Repo(tmp_path / "repo")
    plan = (SAMPLE_PLAN / "plan.yaml").read_text(encoding="utf-8")
    area = (SAMPLE_PLAN / "03-risk-of-harm.yaml").read_text(encoding="utf-8")
    repo.commit("one", "2023-01-10", {"plan.yaml": plan, "03.yaml": area})
    repo.commit("two", "2023-02-10", {"03.yaml": area.replace("status: red", "status: amber")})
    monkeypatch.chdir(repo.root)
    return repo.plans


def test_check_prints_problems_on_stdout_and_its_summary_on_stderr(run: Run) -> None:
    result = run("check", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF)
    lines = result.stdout.splitlines()
    assert lines and all(re.match(r"\S+\.yaml:\d+:\d+: (error|warning) \[", x) for x in lines)
    assert result.stderr == "brag check: 17 warnings (11 files checked)\n"
    as_json = run("check", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, "--format", "json")
    assert json.loads(as_json.stdout)["summary"]["warnings"] == 17
    assert as_json.stderr == result.stderr


@pytest.mark.parametrize("command", ["status", "actions"])
@pytest.mark.parametrize("fmt", ["terminal", "json", "markdown", "csv"])
def test_views_print_only_the_view(run: Run, command: str, fmt: str) -> None:
    result = run(command, SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, "--format", fmt)
    assert result.exit_code == 0
    assert "Corporate responsibility" in result.stdout or "1.1" in result.stdout
    assert result.stderr == ""


def test_report_prints_the_report_or_says_where_it_wrote_it(run: Run, tmp_path: Path) -> None:
    printed = run("report", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF)
    assert printed.stdout.startswith("# Herefordshire") and printed.stderr == ""
    target = tmp_path / "report.md"
    written = run("report", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, "-o", target)
    assert (written.stdout, written.stderr) == ("", f"brag report: wrote {target}\n")
    assert target.read_text(encoding="utf-8") == printed.stdout


def test_schema_prints_the_schema_or_says_where_it_wrote_it(run: Run, tmp_path: Path) -> None:
    printed = run("schema")
    assert json.loads(printed.stdout)["title"] and printed.stderr == ""
    target = tmp_path / "area.json"
    written = run("schema", "-o", target)
    assert (written.stdout, written.stderr) == ("", f"brag schema: wrote {target}\n")


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "json"])
def test_diff_prints_only_the_changes(run: Run, history: Path, fmt: str) -> None:
    result = run("diff", "HEAD~1", "HEAD", "--format", fmt)
    assert result.exit_code == 0
    assert "3.1" in result.stdout and result.stderr == ""


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "json", "csv"])
def test_trend_prints_only_the_trend(run: Run, history: Path, fmt: str) -> None:
    result = run("trend", "--as-of", "2023-03-01", "--format", fmt)
    assert result.exit_code == 0
    assert "2023-02-10" in result.stdout and result.stderr == ""


def test_trend_says_on_stderr_where_it_wrote_the_chart(
    run: Run, history: Path, tmp_path: Path
) -> None:
    chart = tmp_path / "trend.svg"
    plain = run("trend", "--as-of", "2023-03-01")
    result = run("trend", "--as-of", "2023-03-01", "--chart", chart)
    assert result.stdout == plain.stdout
    assert result.stderr == f"brag trend: wrote {chart}\n"


def test_init_writes_files_and_lists_them_on_stderr(run: Run, tmp_path: Path) -> None:
    result = run("init", tmp_path / "new")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.startswith(f"created {tmp_path / 'new' / 'plans' / 'plan.yaml'}\n")
    assert "Next: edit" in result.stderr


def test_import_writes_files_and_lists_them_on_stderr(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "plans"
    result = run(
        "import", ROOT / "examples" / "tracker.csv", "-o", target, "--organisation", "Council"
    )
    assert result.exit_code == 0 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert f"wrote {target / 'plan.yaml'}" in lines
    assert lines[-1] == f"imported 6 actions in 2 areas; next: brag check {target}"


def test_export_writes_the_file_and_says_so_on_stderr(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "actions.csv"
    result = run("export", SAMPLE_PLAN, "-o", target, "--as-of", SAMPLE_AS_OF)
    assert (result.stdout, result.stderr) == ("", f"brag export: wrote 62 actions to {target}\n")


@pytest.mark.parametrize(
    "args",
    [
        ["check", "nowhere"],
        ["status", "nowhere"],
        ["actions", "nowhere"],
        ["report", "nowhere"],
        ["export", "nowhere", "-o", "x.csv"],
        ["diff", "--plan", "nowhere"],
        ["trend", "--plan", "nowhere"],
        ["import", "nowhere.csv", "-o", "out"],
        ["status", "--format", "nope"],
        ["trend", "--color", "sometimes"],
    ],
)
def test_errors_go_to_stderr_and_nothing_to_stdout(
    run: Run, args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(("brag: ", "Usage: ")), result.stderr
