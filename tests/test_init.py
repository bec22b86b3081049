"""`brag init`: a ready plan repository, and never an overwritten file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bragcli.scaffold import FILES
from bragcli.schema import schema_text
from conftest import ROOT, Run


def test_init_writes_a_plan_that_checks_clean(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "new"
    result = run("init", target)
    assert result.exit_code == 0
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == (
        sorted(FILES)
    )
    assert result.stdout == ""  # the files are the result; the list of them is a message
    assert result.stderr.splitlines()[0] == f"created {target / 'plans/plan.yaml'}"
    monkeypatch.chdir(target)
    checked = run("check", "--strict", "--as-of", "2030-01-01")
    assert (checked.exit_code, checked.stdout) == (0, "")
    assert run("status", "--as-of", "2030-01-01").exit_code == 0


def test_plan_files_point_their_modeline_at_the_written_schemas(run: Run, tmp_path: Path) -> None:
    run("init", tmp_path / "new")
    for name, kind in (("plan.yaml", "plan"), ("01-example-area.yaml", "area")):
        first = (tmp_path / "new" / "plans" / name).read_text().splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, first
        schema = (tmp_path / "new" / "plans" / match[1]).resolve()
        assert schema.read_text() == schema_text(kind)


def test_refuses_a_folder_with_files(run: Run, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")
    result = run("init", tmp_path)
    assert result.exit_code == 2
    assert "is not empty" in result.stderr and "--force" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_force_adds_missing_files_and_keeps_existing_ones(run: Run, tmp_path: Path) -> None:
    mine = "title: Our plan\norganisation: Our council\n"
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plan.yaml").write_text(mine)
    result = run("init", tmp_path, "--force")
    assert result.exit_code == 0
    assert (tmp_path / "plans" / "plan.yaml").read_text() == mine
    assert f"kept    {tmp_path / 'plans/plan.yaml'} (it exists; not overwritten)" in result.stderr
    assert (tmp_path / "plans" / "01-example-area.yaml").exists()


def test_a_file_in_the_way(run: Run, tmp_path: Path) -> None:
    (tmp_path / "plan").write_text("x")
    result = run("init", tmp_path / "plan")
    assert result.exit_code == 2


def test_the_workflow_is_the_documented_example() -> None:
    scaffold = ROOT / "src" / "bragcli" / "scaffold" / "improvement-plan.yml"
    example = ROOT / "examples" / "github-actions" / "improvement-plan.yml"
    assert scaffold.read_text() == example.read_text()
