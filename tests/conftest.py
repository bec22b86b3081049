from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bragcli.cli import cli
from bragcli.model import Action, Note

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PLAN = ROOT / "plans"
EXAMPLES = Path(__file__).resolve().parent / "examples"
#: The sample plan is a snapshot of December 2022 (plan version 0.04, 15/12/2022).
SAMPLE_AS_OF = "2022-12-15"

Run = Callable[..., Result]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke `brag` in-process; a crash fails the test instead of hiding in result.exception."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)

    def invoke(*args: str | Path, input: str | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def plan_dir(tmp_path: Path) -> Callable[..., Path]:
    """Write a small plan folder: plan.yaml plus the given area files (name -> text)."""

    def make(areas: dict[str, str] | None = None, plan: str | None = None) -> Path:
        folder = tmp_path / "plan"
        folder.mkdir(exist_ok=True)
        (folder / "plan.yaml").write_text(
            plan if plan is not None else (EXAMPLES / "plan.yaml").read_text(), encoding="utf-8"
        )
        for name, text in (areas or {}).items():
            (folder / name).write_text(text, encoding="utf-8")
        return folder

    return make


_PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)\n"
    "sys.stderr.write(done.stdout)\n"
)


def brag_peak_memory(*args: str) -> tuple[int, int, str]:
    """Run `python -m bragcli ARGS` in its own process: (peak RSS in bytes, exit code, stdout).

    The process's own peak, as the kernel counts it (Linux gives ru_maxrss in KiB).
    """
    import subprocess
    import sys

    command = [sys.executable, "-m", "bragcli", *args]
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS, *command], capture_output=True, text=True,
        check=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    kib, returncode = map(int, done.stdout.split())
    return kib * 1024, returncode, done.stderr


def carried_by_a_sheet(action: Action) -> Action:
    """An action as one row of a spreadsheet brings it back: not (yet) its source, and a dated
    note as its text "DATE: text"."""
    notes = [Note(text=note.written) for note in action.progress]
    return action.model_copy(update={"source": [], "progress": notes})
