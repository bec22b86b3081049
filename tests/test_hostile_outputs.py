"""Hostile output paths: no command writes over a plan file, and none crashes on a bad path.

Every case asserts the exit code, the message a user reads, and that each plan file is
unchanged, byte for byte and in its modification time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SAMPLE_AS_OF, SAMPLE_PLAN, Run

Snapshot = dict[str, tuple[bytes, int]]


def snapshot(folder: Path) -> Snapshot:
    """Every file under `folder` (links not followed): its bytes and modification time."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


# --- brag init --------------------------------------------------------------------------------


def test_init_force_never_adds_the_example_area_beside_real_ones(run: Run, tmp_path: Path) -> None:
    """Promise: init --force into an existing plan adds no area whose ids would clash."""
    shutil.copytree(SAMPLE_PLAN, tmp_path / "plans")
    before = snapshot(tmp_path / "plans")
    result = run("init", tmp_path, "--force")
    assert result.exit_code == 0, result.output
    assert f"skipped {tmp_path / 'plans/01-example-area.yaml'} (plans/ already has area " in (
        result.stdout
    )
    assert not (tmp_path / "plans" / "01-example-area.yaml").exists()
    assert snapshot(tmp_path / "plans") == before
    assert (tmp_path / "schemas" / "area.schema.json").exists()
    checked = run("check", tmp_path / "plans", "--as-of", SAMPLE_AS_OF)
    assert checked.exit_code == 0
    assert "duplicate-id" not in checked.stdout


def test_init_never_writes_through_a_dangling_link(run: Run, tmp_path: Path) -> None:
    """Promise: a dangling link where init would write is kept, not followed."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plan.yaml").symlink_to(tmp_path / "outside.yaml")
    result = run("init", tmp_path, "--force")
    assert result.exit_code == 0, result.output
    assert "(it exists; not overwritten)" in result.stdout
    assert not (tmp_path / "outside.yaml").exists()
