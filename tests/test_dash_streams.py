"""`-o -` is standard output for every `-o`, never a file named `-`; `brag check -` reads one
plan file from standard input, named by `--stdin-filename` in messages, as linters do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_AS_OF, SAMPLE_PLAN, Run

AREA = (SAMPLE_PLAN / "03-risk-of-harm.yaml").read_text(encoding="utf-8")


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "plans"
    shutil.copytree(SAMPLE_PLAN, folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRAG_PLAN", raising=False)
    return folder


def test_report_dash_is_standard_output(run: Run, plan: Path) -> None:
    to_stdout = run("report", "--as-of", SAMPLE_AS_OF, "-o", "-")
    assert to_stdout.exit_code == 0
    assert to_stdout.stdout == run("report", "--as-of", SAMPLE_AS_OF).stdout
    assert to_stdout.stderr == ""
    assert not (plan.parent / "-").exists()


def test_schema_dash_is_standard_output(run: Run, plan: Path) -> None:
    result = run("schema", "plan", "-o", "-")
    assert json.loads(result.stdout)["title"] and result.stderr == ""
    assert not (plan.parent / "-").exists()


def test_export_dash_is_csv_on_standard_output(run: Run, plan: Path) -> None:
    result = run("export", "--as-of", SAMPLE_AS_OF, "-o", "-")
    assert result.exit_code == 0 and result.stderr == ""
    export_row, header = result.stdout.lstrip("\ufeff").splitlines()[:2]
    assert export_row.startswith("# bragcli export | ")
    assert header.startswith("area,area title,id,action,")
    assert not (plan.parent / "-").exists()


def test_export_dash_xlsx_to_a_pipe_is_the_workbook(run: Run, plan: Path) -> None:
    pytest.importorskip("openpyxl")
    result = run("export", "--as-of", SAMPLE_AS_OF, "-o", "-", "--format", "xlsx")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout_bytes.startswith(b"PK\x03\x04")  # a zip: the xlsx container


def test_dash_never_writes_into_the_plan_folder_run_from_inside_it(
    run: Run, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside plans/ a file named - would be written into the plan folder: - is stdout."""
    monkeypatch.chdir(plan)
    for args in (["report", "-o", "-"], ["export", "-o", "-"], ["schema", "-o", "-"]):
        result = run(*args, *(["--as-of", SAMPLE_AS_OF] if args[0] != "schema" else []))
        assert result.exit_code == 0, result.stderr
    assert not (plan / "-").exists()


def test_xlsx_is_refused_on_a_terminal(plan: Path) -> None:
    """Run in a pseudo-terminal: binary data would garble it."""
    import os
    import pty
    import subprocess
    import sys

    main, secondary = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bragcli", "export", "-o", "-", "--format", "xlsx",
             "--as-of", SAMPLE_AS_OF],
            stdout=secondary, stderr=subprocess.PIPE, text=True, timeout=60, cwd=plan.parent,
            env={**os.environ, "BRAG_PLAN": str(plan)},
        )  # fmt: skip
    finally:
        os.close(secondary)
        os.close(main)
    assert done.returncode == 2
    assert done.stderr == (
        "brag: xlsx is a binary format and standard output is a terminal; redirect it to a "
        "file (> plan.xlsx) or write it with -o FILE.xlsx\n"
    )


# --- brag check - ---------------------------------------------------------------------------


def test_check_stdin_against_its_plan_finds_a_duplicate_id(run: Run, plan: Path) -> None:
    """An unsaved edit that reuses another area's id: the other areas are read from disk,
    the edited file from standard input, in place of its saved copy."""
    edited = AREA.replace('id: "3.2"', 'id: "2.1"')
    result = run(
        "check", "-", "--stdin-filename", "plans/03-risk-of-harm.yaml",
        "--as-of", SAMPLE_AS_OF, input=edited,
    )  # fmt: skip
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert all(line.startswith("plans/03-risk-of-harm.yaml:") for line in lines)
    assert any("[duplicate-id] action id '2.1' is also used at plans/02-workforce.yaml" in line
               for line in lines)  # fmt: skip
    assert result.stderr.endswith("(1 file checked)\n")


def test_check_stdin_as_the_saved_file_gives_the_same_problems(run: Run, plan: Path) -> None:
    saved = run("check", "plans/03-risk-of-harm.yaml", "--as-of", SAMPLE_AS_OF)
    piped = run(
        "check", "-", "--stdin-filename", "plans/03-risk-of-harm.yaml", "--as-of", SAMPLE_AS_OF,
        input=AREA,
    )  # fmt: skip
    assert (piped.exit_code, piped.stdout) == (saved.exit_code, saved.stdout)


def test_check_stdin_with_no_plan_reads_the_file_alone(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRAG_PLAN", raising=False)
    good = run("check", "-", "--as-of", SAMPLE_AS_OF, input=AREA)
    assert (good.exit_code, good.stdout) == (0, "")
    bad = run("check", "-", "--as-of", SAMPLE_AS_OF, input="id: 1\nactions: []\n")
    assert bad.exit_code == 1
    assert bad.stdout == "<stdin>:1:1: error [missing-key] missing required key 'title'\n"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "[encoding]"),  # binary
        (b"\xff\xfei\x00d\x00", "[encoding]"),  # UTF-16
        (b"id: " + b"9" * (6 * 1024 * 1024), "[file-too-large]"),  # over the 5 MB cap
    ],
)
def test_hostile_stdin_is_one_problem(run: Run, plan: Path, data: bytes, code: str) -> None:
    from click.testing import CliRunner

    from bragcli.cli import cli

    result = CliRunner().invoke(cli, ["check", "-", "--as-of", SAMPLE_AS_OF], input=data)
    assert result.exit_code == 1
    assert result.stdout.startswith("<stdin>:1:1: error " + code)
    assert result.stdout.count("\n") == 1


@pytest.mark.parametrize(
    "name", ["x\x1b[2J.yaml", "a\n::error::forged.yaml", "::warning::x.yaml", "\uff50lans/x.yaml"]
)
def test_a_hostile_stdin_filename_is_shown_escaped(run: Run, plan: Path, name: str) -> None:
    result = run("check", "-", "--stdin-filename", name, input="id: 9\nactions: []\n")
    assert result.exit_code == 1
    for line in result.stdout.splitlines():
        assert "\x1b" not in line and not line.lstrip().startswith("::")
    assert "\n::" not in result.stdout


def test_dash_must_be_the_only_path(run: Run, plan: Path) -> None:
    result = run("check", "-", "plans", input=AREA)
    assert result.exit_code == 2
    assert result.stderr.startswith("brag: standard input is checked on its own: give - as")
    named = run("check", "plans", "--stdin-filename", "x.yaml")
    assert named.exit_code == 2
    assert named.stderr.startswith("brag: --stdin-filename names standard input: give - as")
