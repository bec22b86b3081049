from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bragcli.cli import cli

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
