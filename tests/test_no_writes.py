"""bragcli never modifies a plan file: every read-only command leaves the folder untouched."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES, SAMPLE_PLAN, Run

COMMANDS = [
    ["check"],
    ["check", "--format", "json", "--strict"],
    ["check", "--format", "github"],
    ["status"],
    ["status", "--format", "json"],
    ["status", "--format", "markdown"],
    ["status", "--format", "csv"],
    ["actions"],
    ["actions", "--format", "csv"],
    ["report"],
    ["report", "--format", "html"],
    ["report", "--format", "text"],
]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder`: its bytes and modification time."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def plan_folders() -> list[Path]:
    cases = [p for p in (EXAMPLES / "invalid").iterdir() if p.is_dir()]
    return [SAMPLE_PLAN, *cases]


@pytest.mark.parametrize("source", plan_folders(), ids=lambda p: p.name)
def test_no_command_changes_the_plan(run: Run, tmp_path: Path, source: Path) -> None:
    folder = tmp_path / "plan"
    shutil.copytree(source, folder)
    for case in (EXAMPLES / "invalid").glob("*.yaml"):
        if source == SAMPLE_PLAN:
            break
        shutil.copy(case, folder / case.name)  # every broken file too, in the broken plans
    before = snapshot(folder)
    for command in COMMANDS:
        result = run(*command, folder, "--as-of", "2023-01-31")
        assert result.exit_code in {0, 1, 2}, (command, result.output)
    assert snapshot(folder) == before


def test_history_commands_do_not_touch_the_working_tree(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE_PLAN, repo / "plans")
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@e",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@e"}  # fmt: skip
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "plan"], ["tag", "t1"]):
        subprocess.run(["git", "-C", str(repo), *args], env=env, check=True)
    before = snapshot(repo / "plans")
    status_before = subprocess.run(
        ["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    monkeypatch.chdir(repo)
    for command in (["diff"], ["diff", "t1"], ["trend"], ["status", "--rev", "t1"],
                    ["report", "--rev", "t1"]):  # fmt: skip
        assert run(*command).exit_code == 0, command
    assert snapshot(repo / "plans") == before
    assert subprocess.run(
        ["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True,
        check=True,
    ).stdout == status_before  # fmt: skip
