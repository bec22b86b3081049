"""The example corpus: every invalid case must produce exactly its expected problems.

Single-file cases (`invalid/NAME.yaml`) carry their expectations as `# expect: L:C ...` comment
lines (or in `NAME.expect` when the file cannot hold a comment); they are checked inside a plan
folder with `examples/plan.yaml`. Folder cases (`invalid/NAME/`) are whole plans with an
`expected.txt` of exact problem lines. Valid cases must load with no problems at all.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run

AS_OF = "2023-01-31"
INVALID = EXAMPLES / "invalid"
VALID = EXAMPLES / "valid"

single_cases = sorted(p for p in INVALID.iterdir() if p.suffix == ".yaml")
folder_cases = sorted(p for p in INVALID.iterdir() if p.is_dir())
valid_cases = sorted(p for p in VALID.iterdir() if p.suffix == ".yaml")


def _expectations(case: Path) -> list[str]:
    sidecar = case.with_suffix(".expect")
    if sidecar.exists():
        lines = sidecar.read_text(encoding="utf-8").splitlines()
    else:
        text = case.read_bytes().decode("utf-8", errors="replace")
        lines = [ln.split("# expect: ", 1)[1] for ln in text.splitlines() if "# expect: " in ln]
    assert lines, f"{case.name} states no expected problem"
    return sorted(f"{case.name}:{line}" for line in lines)


def _output_lines(stdout: str) -> list[str]:
    return sorted(line for line in stdout.splitlines() if line)


@pytest.mark.parametrize("case", single_cases, ids=lambda p: p.stem)
def test_invalid_file(
    case: Path, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(EXAMPLES / "plan.yaml", tmp_path / "plan.yaml")
    shutil.copy(case, tmp_path / case.name)
    monkeypatch.chdir(tmp_path)
    result = run("check", ".", "--as-of", AS_OF)
    assert _output_lines(result.stdout) == _expectations(case)
    assert result.exit_code == 1


@pytest.mark.parametrize("case", folder_cases, ids=lambda p: p.name)
def test_invalid_folder(case: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INVALID)
    result = run("check", case.name, "--as-of", AS_OF)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert _output_lines(result.stdout) == sorted(expected)
    assert result.exit_code == 1


@pytest.mark.parametrize("case", valid_cases, ids=lambda p: p.stem)
def test_valid_file_loads_clean(
    case: Path, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(EXAMPLES / "plan.yaml", tmp_path / "plan.yaml")
    shutil.copy(case, tmp_path / case.name)
    monkeypatch.chdir(tmp_path)
    result = run("check", ".", "--as-of", AS_OF, "--strict")
    assert result.stdout == ""
    assert result.exit_code == 0, result.stderr
