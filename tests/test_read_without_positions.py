"""A report reads the plan without positions, and says where its errors are all the same.

`brag status`, `actions`, `report`, `diff` and `export` need a plan's data, not where each value
is in its file; reading without positions (`yamlread.read_bytes(..., positions=False)`) saves a
fifth of the time of a large plan. A plan with errors is read again with positions, so the
errors a user is shown point at the right line. These tests hold both halves of that: the
problems found without positions are the problems found with them, for every case of the
corpus, and what a reporting command prints for a broken plan points at the real lines.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bragcli.source import files as files_module
from bragcli.source import yamlread
from bragcli.source.load import LoadedPlan, load_plan
from conftest import EXAMPLES, Run

AS_OF = "2023-01-31"
CASES = sorted(
    [*(EXAMPLES / "invalid").iterdir(), *(EXAMPLES / "valid").iterdir()],
    key=lambda p: (p.parent.name, p.name),
)
#: where a message names another place: the line of a duplicate key's first, of an id's
_LINES = re.compile(r" \(first at line \d+\)|(?<=\.yaml):\d+|(?<=\.yml):\d+")


def _case_folder(tmp_path: Path, case: Path) -> Path:
    if case.is_dir():
        folder = tmp_path / case.name
        shutil.copytree(case, folder, symlinks=True)
        return folder
    folder = tmp_path / "plan"
    folder.mkdir()
    shutil.copy(EXAMPLES / "plan.yaml", folder / "plan.yaml")
    shutil.copy(case, folder / case.name)
    return folder


def _found(loaded: LoadedPlan) -> list[tuple[str, str, str, str]]:
    """Each problem without its position: its file, code, level and message (a message that
    names the line of another place, the first of two ids or keys, says it only where
    positions are kept)."""
    return [(p.path, p.code, str(p.level), _LINES.sub("", p.message)) for p in loaded.problems]


@pytest.mark.parametrize("case", [c for c in CASES if c.is_dir() or c.suffix == ".yaml"],
                         ids=lambda c: f"{c.parent.name}-{c.name}")  # fmt: skip
def test_the_same_problems_and_data_without_positions(tmp_path: Path, case: Path) -> None:
    folder = _case_folder(tmp_path, case)
    placed = load_plan(folder)
    unplaced = load_plan(folder, positions=False)
    assert sorted(_found(unplaced)) == sorted(_found(placed))  # at line 1, sorted otherwise
    assert unplaced.plan == placed.plan
    assert [s.area for s in unplaced.areas] == [s.area for s in placed.areas]
    assert [s.area for s in unplaced.partial] == [s.area for s in placed.partial]


def test_a_duplicate_key_without_positions_does_not_make_up_a_line() -> None:
    text = b"id: '1'\ntitle: A\nid: '2'\n"
    placed = yamlread.read_bytes(text, "a.yaml")
    unplaced = yamlread.read_bytes(text, "a.yaml", positions=False)
    assert isinstance(placed, yamlread.Problem) and isinstance(unplaced, yamlread.Problem)
    assert "(first at line 1)" in placed.message
    assert "first at" not in unplaced.message
    assert (unplaced.line, unplaced.col) == (placed.line, placed.col) == (3, 1)


def test_a_value_without_positions_is_located_at_line_1() -> None:
    doc = yamlread.read_bytes(b"id: '1'\nactions:\n  - id: '1.1'\n", "a.yaml", positions=False)
    assert isinstance(doc, yamlread.Document) and not doc.positioned
    assert doc.data == {"id": "1", "actions": [{"id": "1.1"}]}
    assert doc.locate(("actions", 0, "id")) == (1, 1)
    assert len(doc.item_positions("actions")) == 0


BROKEN_AREA = (
    "id: '1'\ntitle: A\nactions:\n"
    "  - id: '1.1'\n    title: T\n    lead: L\n    status: green\n    deadline: Marsh 2023\n"
    "  - id: '1.2'\n    title: U\n    lead: M\n    status: red\n    deadline: May 2023\n"
    "    title: again\n"
)


def _broken_plan(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "plan.yaml").write_text("title: P\norganisation: O\n")
    (folder / "1-area.yaml").write_text(BROKEN_AREA)
    (folder / "2-area.yaml").write_text(
        "id: '2'\ntitle: B\nactions:\n"
        "  - id: '2.1'\n    title: V\n    lead: N\n    status: amber\n    deadline: June 2023\n"
        "  - id: '2.1'\n    title: W\n    lead: N\n    status: amber\n    deadline: 1 July 2023\n"
    )
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ("status",),
        ("actions",),
        ("report", "--format", "markdown"),
        ("export", "--format", "csv", "-o", "-"),
    ],
)
def test_a_report_on_a_broken_plan_points_at_the_real_lines(
    run: Run, tmp_path: Path, command: tuple[str, ...]
) -> None:
    folder = _broken_plan(tmp_path)
    result = run(*command, folder, "--as-of", AS_OF)
    assert result.exit_code == 1
    said = result.stderr
    assert (
        "1-area.yaml:14:5: error [duplicate-key] duplicate key 'title' (first at line 10)" in said
    )
    assert "2-area.yaml:9:9: error [duplicate-id] action id '2.1' is also used at " in said
    assert ":1:1:" not in said


def test_a_report_at_a_revision_points_at_the_real_lines(run: Run, tmp_path: Path) -> None:
    folder = _broken_plan(tmp_path)
    (folder / "1-area.yaml").write_text(BROKEN_AREA.replace("    title: again\n", ""))
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git[:3], "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "plan"], check=True)
    result = run("status", folder, "--rev", "HEAD", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "plans/1-area.yaml:8:15: error [bad-deadline] " in result.stderr  # Marsh 2023
    assert "plans/2-area.yaml:9:9: error [duplicate-id] " in result.stderr
    assert result.stderr.startswith("HEAD:") or "\nHEAD:" in result.stderr
    assert ":1:1:" not in result.stderr


def test_a_report_on_a_sound_plan_reads_each_file_once_without_positions(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _broken_plan(tmp_path)
    (folder / "1-area.yaml").write_text(BROKEN_AREA.replace("    title: again\n", "").replace(
        "Marsh", "March"))  # fmt: skip
    (folder / "2-area.yaml").unlink()
    reads: list[bool] = []
    real = files_module.read_bytes  # where every plan file is parsed (`files.document`)

    def counted(raw: bytes, display: str, *, positions: bool = True) -> object:
        reads.append(positions)
        return real(raw, display, positions=positions)

    monkeypatch.setattr(files_module, "read_bytes", counted)
    assert run("status", folder, "--as-of", AS_OF).exit_code == 0
    assert reads == [False, False]  # plan.yaml and the area: once each, no positions
