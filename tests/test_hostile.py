"""Hostile inputs, made at test time: huge, explosive or deep files, and things that are not files.

Whatever a plan folder holds, bragcli answers with problems and exit codes 0, 1 or 2: never a
traceback, an internal error, a crash of the interpreter or a hang. Cases that could kill the
interpreter (deep nesting) or hang it (a FIFO) run `brag` in a subprocess with a timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bragcli.cli import cli
from bragcli.problems import Problem
from bragcli.source.load import load_plan
from bragcli.source.yamlread import read_bytes
from conftest import EXAMPLES, ROOT

AS_OF = "2023-01-31"
INVALID = EXAMPLES / "invalid"
VALID = EXAMPLES / "valid"
AREA = """\
id: "1"
title: Example area
actions:
  - id: "1.1"
    title: Do the thing
    lead: Principal Social Worker
    deadline: March 2023
    status: green
"""


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plan folder with plan.yaml and one good area; the current folder is its parent."""
    folder = tmp_path / "plan"
    folder.mkdir()
    shutil.copy(EXAMPLES / "plan.yaml", folder / "plan.yaml")
    (folder / "01-area.yaml").write_text(AREA, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return folder


def brag(*args: str | Path) -> Result:
    """`brag` in-process; an exception is kept in the result (as an internal error would be)."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)


def assert_no_crash(result: Result, *args: str | Path) -> None:
    shown = " ".join(str(a) for a in args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"brag {shown} raised {result.exception!r}") from result.exception
    assert result.exit_code in (0, 1, 2), (shown, result.exit_code, result.output)
    assert "Traceback" not in result.output, (shown, result.output)
    assert "internal error" not in result.output, (shown, result.output)


def brag_subprocess(
    *args: str | Path, cwd: Path, timeout: float
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR"}
    }
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p
    )
    return subprocess.run(
        [sys.executable, "-m", "bragcli", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# --- size and expansion -------------------------------------------------------------------------


def test_six_megabyte_file_is_refused_without_reading_it(
    plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (plan / "02-huge.yaml").open("wb") as f:
        f.write(b'id: "2"\ntitle: Huge\nx-padding: ')
        f.write(b"x" * (6 * 1024 * 1024))
        f.write(b"\n")
    real_read_bytes = Path.read_bytes

    def read_bytes_but_not_huge(self: Path) -> bytes:
        assert self.name != "02-huge.yaml", "the over-size file was read"
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes_but_not_huge)
    result = brag("check", "plan", "--as-of", AS_OF)
    assert_no_crash(result)
    assert result.exit_code == 1
    assert result.stdout.startswith("plan/02-huge.yaml:1:1: error [file-too-large] is 6.0 MB, ")
    assert len(result.stdout.splitlines()) == 1


def _billion_laughs(levels: int, width: int = 10) -> bytes:
    lines = ['l0: &l0 "lol"']
    for level in range(1, levels):
        aliases = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"l{level}: &l{level} [{aliases}]")
    return ("\n".join(lines) + "\n").encode()


def test_billion_laughs_of_30_levels_is_refused_in_bounded_memory() -> None:
    data = _billion_laughs(30)  # 10**29 "lol"s if expanded
    tracemalloc.start()
    try:
        found = read_bytes(data, "laughs.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(found, Problem)
    assert (found.line, found.col, found.code) == (1, 5, "alias")
    assert peak < 50 * 1024 * 1024, f"reading allocated {peak / 1e6:.0f} MB"


def test_billion_laughs_inside_an_x_key_is_refused_too(plan: Path) -> None:
    laughs = _billion_laughs(30).decode().replace("\n", "\n  ")
    (plan / "02-laughs.yaml").write_text(f'id: "2"\ntitle: Laughs\nx-laughs:\n  {laughs}\n')
    result = brag("check", "plan", "--as-of", AS_OF)
    assert_no_crash(result)
    assert result.stdout.startswith("plan/02-laughs.yaml:4:7: error [alias] anchor '&l0'")


# --- deep nesting: in a subprocess, so that a crash of the interpreter fails the test ------------


def _block_mappings(levels: int) -> str:
    lines = [" " * level + f"k{level}:" for level in range(levels)]
    return "\n".join(lines) + " leaf\n"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[" * 100_000, id="flow-sequences-unclosed"),
        pytest.param("[" * 100_000 + "]" * 100_000, id="flow-sequences"),
        pytest.param("a: " + "{b: " * 100_000 + "}" * 100_000, id="flow-mappings"),
        pytest.param("- " * 100_000 + "x\n", id="block-sequences-100000"),
        pytest.param("[" * 1_000 + "]" * 1_000, id="flow-sequences-1000"),
        pytest.param("- " * 1_000 + "x\n", id="block-sequences-1000"),
        pytest.param(_block_mappings(1_000), id="block-mappings-1000"),
    ],
)
def test_deep_nesting_is_a_problem_not_a_crash(plan: Path, text: str) -> None:
    (plan / "02-deep.yaml").write_text(text, encoding="utf-8")
    done = brag_subprocess("check", "plan", "--as-of", AS_OF, cwd=plan.parent, timeout=120)
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    (line,) = done.stdout.splitlines()
    assert line.startswith("plan/02-deep.yaml:")
    assert "[too-deep]" in line or "[yaml-syntax]" in line


# --- things that are not plain files ------------------------------------------------------------


def test_folder_named_like_an_area_file(plan: Path) -> None:
    (plan / "02-area.yaml").mkdir()
    result = brag("check", "plan", "--as-of", AS_OF)
    assert_no_crash(result)
    assert result.exit_code == 1
    assert result.stdout == (
        "plan/02-area.yaml:1:1: error [unreadable] is a folder, not a YAML file; rename it\n"
    )
    for command in ("status", "actions"):
        assert_no_crash(brag(command, "plan", "--as-of", AS_OF))


def test_dangling_symlink_is_unreadable(plan: Path) -> None:
    (plan / "02-gone.yaml").symlink_to("moved-away.yaml")
    result = brag("check", "plan", "--as-of", AS_OF)
    assert_no_crash(result)
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert "error [unreadable] cannot be read: No such file or directory" in line


def test_dangling_symlink_is_named_by_its_own_name(plan: Path) -> None:
    (plan / "02-gone.yaml").symlink_to("moved-away.yaml")
    result = brag("check", "plan", "--as-of", AS_OF)
    assert result.stdout.startswith("plan/02-gone.yaml:1:1: error [unreadable] ")


def _self_loop(folder: Path) -> None:
    (folder / "02-loop.yaml").symlink_to("02-loop.yaml")


def _two_loop(folder: Path) -> None:
    (folder / "02-loop.yaml").symlink_to("03-loop.yaml")
    (folder / "03-loop.yaml").symlink_to("02-loop.yaml")


@pytest.mark.parametrize("make_loop", [_self_loop, _two_loop], ids=["self", "two-files"])
@pytest.mark.parametrize("command", ["check", "status", "actions"])
def test_symlink_loop_is_unreadable(plan: Path, make_loop: object, command: str) -> None:
    assert callable(make_loop)
    make_loop(plan)
    result = brag(command, "plan", "--as-of", AS_OF)
    assert_no_crash(result, command)
    assert result.exit_code == 1
    assert "plan/02-loop.yaml:1:1: error [unreadable] " in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_fifo_named_like_an_area_file_does_not_hang(plan: Path) -> None:
    os.mkfifo(plan / "area.yaml")
    try:
        done = brag_subprocess("check", "plan", "--as-of", AS_OF, cwd=plan.parent, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail("brag check hangs on a FIFO named area.yaml")
    assert done.returncode == 1
    assert done.stdout.startswith("plan/area.yaml:1:1: error [unreadable] ")


# --- readings that are numbers to float() but not to people -------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity", "1e400"])
def test_non_finite_reading_never_crashes(plan: Path, value: str) -> None:
    (plan / "02-measures.yaml").write_text(
        'id: "2"\ntitle: Measures\nmeasures:\n  - name: Caseload\n    good: lower\n'
        f'    target: "20"\n    readings:\n      - {{period: 2022-11, value: 22}}\n'
        f"      - {{period: 2022-12, value: {value}}}\n",
        encoding="utf-8",
    )
    for args in (
        ("status", "plan"),
        ("actions", "plan"),
        ("report", "plan"),
        ("report", "plan", "--format", "html"),
    ):
        assert_no_crash(brag(*args, "--as-of", AS_OF), *args)
    result = brag("status", "plan", "--as-of", AS_OF, "--format", "json")
    assert_no_crash(result)
    if result.exit_code == 0:

        def refuse(constant: str) -> None:
            raise AssertionError(f"{constant} is not JSON")

        json.loads(result.stdout, parse_constant=refuse)


# --- every command on every example -------------------------------------------------------------


def _invalid_cases() -> Iterator[Path]:
    yield from sorted(p for p in INVALID.iterdir() if p.suffix == ".yaml" or p.is_dir())


def _as_plan(case: Path, tmp_path: Path) -> tuple[Path, Path | None]:
    """(plan folder, the single area file or None) for an example case."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    if case.is_dir():
        folder = tmp_path / case.name
        shutil.copytree(case, folder, symlinks=True)
        return folder, None
    folder = tmp_path / "plan"
    folder.mkdir()
    shutil.copy(EXAMPLES / "plan.yaml", folder / "plan.yaml")
    shutil.copy(case, folder / case.name)
    return folder, folder / case.name


def _every_command(folder: Path, file: Path | None) -> Iterator[tuple[str | Path, ...]]:
    yield ("check", folder, "--as-of", AS_OF)
    yield ("check", folder, "--as-of", AS_OF, "--format", "json", "--strict")
    if file is not None:
        yield ("check", file, "--as-of", AS_OF)
    yield ("status", folder, "--as-of", AS_OF)
    yield ("status", folder, "--as-of", AS_OF, "--format", "json")
    yield ("actions", folder, "--as-of", AS_OF)
    yield ("actions", folder, "--as-of", AS_OF, "--format", "csv")
    yield ("report", folder, "--as-of", AS_OF)
    yield ("schema", folder)  # not a kind of schema: a usage error, exit 2
    yield ("schema", "area")
    yield ("schema", "plan")


@pytest.mark.parametrize("case", list(_invalid_cases()), ids=lambda p: p.name)
def test_every_command_on_every_invalid_example_fails_cleanly(
    case: Path, plan: Path, tmp_path: Path
) -> None:
    folder, file = _as_plan(case, tmp_path / "case")
    for args in _every_command(folder.relative_to(tmp_path), None if file is None else file):
        result = brag(*args)
        assert_no_crash(result, *args)
        if args[0] in {"check", "status", "actions", "report"}:
            assert result.exit_code in (1, 2), (args, result.output)


@pytest.mark.parametrize("case", sorted(VALID.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_command_on_every_valid_example_succeeds(
    case: Path, plan: Path, tmp_path: Path
) -> None:
    folder, file = _as_plan(case, tmp_path / "case")
    for args in _every_command(folder.relative_to(tmp_path), file):
        result = brag(*args)
        assert_no_crash(result, *args)
        if args[0] != "schema" or args[1] in {"area", "plan"}:
            assert result.exit_code == 0, (args, result.output)


def test_examples_load_in_process_without_exceptions(tmp_path: Path) -> None:
    for index, case in enumerate([*_invalid_cases(), *sorted(VALID.glob("*.yaml"))]):
        folder, _ = _as_plan(case, tmp_path / str(index))
        loaded = load_plan(folder)
        for problem in loaded.problems:
            assert problem.line >= 1 and problem.col >= 1, (case.name, problem)
