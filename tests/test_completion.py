"""Shell completion of plan values: --area, --lead (and --source once a command has it)
complete from the plan the command would read, --status from the ratings. Completion runs on
every Tab, on plans mid-edit: a broken plan completes nothing and never prints a traceback.

Uses click's own completion test pattern: `ShellComplete.get_completions(args, incomplete)`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete

from bragcli.cli import cli
from conftest import SAMPLE_PLAN
from docpages import page, section


def complete(args: list[str], incomplete: str) -> list[str]:
    shell = ShellComplete(cli, {}, "brag", "_BRAG_COMPLETE")
    return [item.value for item in shell.get_completions(args, incomplete)]


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "plans"
    shutil.copytree(SAMPLE_PLAN, folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRAG_PLAN", raising=False)
    return folder


@pytest.mark.parametrize("command", ["status", "actions"])
def test_area_completes_the_plans_area_ids(plan: Path, command: str) -> None:
    assert complete([command, "--area"], "") == [str(n) for n in range(1, 11)]
    assert complete([command, "--area"], "1") == ["1", "10"]


def test_area_completes_from_the_plan_named_on_the_command_line(
    plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # nothing to discover here
    assert complete(["status", "--area"], "") == []
    assert complete(["status", str(plan), "--area"], "") == [str(n) for n in range(1, 11)]
    assert complete(["status", "-p", str(plan), "--area"], "9") == ["9"]
    monkeypatch.setenv("BRAG_PLAN", str(plan))
    assert complete(["actions", "--area"], "2") == ["2"]


def test_lead_completes_roles_holders_and_leads(plan: Path) -> None:
    values = complete(["actions", "--lead"], "rach")
    assert "Rachel Gillott" in values
    assert all(v.casefold().startswith("rach") for v in values)
    assert complete(["status", "--lead"], "Director of Pub") == ["Director of Public Health"]
    assert "Matt Pearce" in complete(["status", "--lead"], "matt")  # the role's holder


def test_status_completes_the_ratings(plan: Path) -> None:
    assert complete(["actions", "--status"], "") == [
        "blue", "green", "amber", "red", "not-started",
    ]  # fmt: skip
    assert complete(["status", "--status"], "A") == ["amber"]


@pytest.mark.parametrize(
    "breakage",
    ["yaml", "missing-plan", "binary", "folder-is-a-file", "hostile-values"],
)
def test_a_broken_plan_completes_nothing_or_what_it_can(plan: Path, breakage: str) -> None:
    if breakage == "yaml":
        (plan / "03-risk-of-harm.yaml").write_text("id: [unclosed\n  - : :\n")
    elif breakage == "missing-plan":
        (plan / "plan.yaml").unlink()
    elif breakage == "binary":
        (plan / "plan.yaml").write_bytes(b"\x00\xff" * 100)
    elif breakage == "folder-is-a-file":
        shutil.rmtree(plan)
        plan.write_text("not a folder")
    else:
        (plan / "11-hostile.yaml").write_text(
            'id: "x\\e[2J"\ntitle: "t"\nactions:\n  - id: "11.1"\n    title: t\n'
            '    lead: "Evil\\nrm -rf /"\n    deadline: March 2023\n    status: green\n'
        )
    for option in ("--area", "--lead"):
        values = complete(["status", "--plan", str(plan), option], "")
        assert all(v.isprintable() for v in values)
    if breakage == "yaml":
        assert complete(["status", "--plan", str(plan), "--area"], "1") == ["1", "10"]


def test_completion_through_the_shell_protocol_prints_no_traceback(plan: Path) -> None:
    """As bash calls it: brag with _BRAG_COMPLETE set, on a plan that cannot be read."""
    (plan / "plan.yaml").write_bytes(b"\xff\xfe\x00")
    env = {"_BRAG_COMPLETE": "bash_complete", "COMP_WORDS": "brag status --area ",
           "COMP_CWORD": "3", "PATH": "/usr/bin:/bin"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "bragcli"], env=env, capture_output=True, text=True, timeout=60,
        cwd=plan.parent,
    )  # fmt: skip
    assert done.returncode == 0
    assert "Traceback" not in done.stderr and done.stderr == ""
    assert done.stdout.splitlines() == [f"plain,{n}" for n in range(1, 11)]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_scripts_the_docs_document_exist(shell: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bragcli"], env={"_BRAG_COMPLETE": f"{shell}_source"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and "_BRAG_COMPLETE" in done.stdout
    documented = section(page("environment.md"), "## Shell completion")
    assert f"_BRAG_COMPLETE={shell}_source brag" in documented
