"""Hostile input to the commands that change a plan in place (`brag import --update`,
`brag set`): each is refused with a one-line message, and no plan file changes."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run
from test_hostile_import import write_xlsx_by_hand

AS_OF = "2023-01-10"
HEADER = ["area", "id", "action", "lead", "deadline", "status", "progress"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "plans"
    shutil.copytree(EXAMPLES / "edit", target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def csv_file(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_a_zip_bomb_updates_nothing(run: Run, folder: Path, tmp_path: Path) -> None:
    source = write_xlsx_by_hand(
        tmp_path / "bomb.xlsx",
        [["id", "action", "lead", "status", "progress"], ["1.1", "T", "L", "green", "BIG"]],
        big_mb=100,
    )
    before = snapshot(folder)
    result = run("import", source, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "unzips to 100.0 MB, over the 32.0 MB bragcli reads from a workbook" in result.stderr
    assert snapshot(folder) == before


def test_a_huge_cell_updates_nothing(run: Run, folder: Path, tmp_path: Path) -> None:
    source = csv_file(
        tmp_path / "huge.csv",
        [HEADER, ["1", "1.3", "x", "Head of Service", "", "amber", "n" * 40_000]],
    )
    before = snapshot(folder)
    result = run("import", source, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "40,000 characters, over the 32,767 one cell can hold" in result.stderr
    assert snapshot(folder) == before


def test_an_id_with_an_escape_sequence_is_a_row_problem(
    run: Run, folder: Path, tmp_path: Path
) -> None:
    source = csv_file(
        tmp_path / "esc.csv",
        [HEADER, ["1", "1.\x1b[2J3", "x", "Head of Service", "May 2023", "amber", ""]],
    )
    before = snapshot(folder)
    result = run("import", source, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "row 2: id" in result.stderr and "ESCAPE" in result.stderr
    assert "\x1b" not in result.output
    assert snapshot(folder) == before


def test_a_file_where_the_plan_folder_belongs(run: Run, tmp_path: Path) -> None:
    plan = tmp_path / "plans"
    plan.write_text("not a folder\n")
    source = csv_file(tmp_path / "t.csv", [HEADER, ["1", "1.1", "x", "L", "", "amber", ""]])
    result = run("import", source, "--update", "-o", plan, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "is a file" in result.stderr
    result = run("set", "1.1", "--status", "red", "--plan", plan, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "not a folder" in result.stderr
    assert plan.read_text() == "not a folder\n"


def test_a_new_area_whose_file_exists_writes_nothing(
    run: Run, folder: Path, tmp_path: Path
) -> None:
    # a file named as the new area's would be, holding something else: never replaced
    (folder / "07-area-7.yaml").write_text("id: '8'\ntitle: Eight\nactions: []\n")
    source = csv_file(
        tmp_path / "t.csv", [HEADER, ["7", "7.1", "x", "Head of Service", "May 2023", "red", ""]]
    )
    before = snapshot(folder)
    result = run("import", source, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "would be written to 07-area-7.yaml, which exists" in result.stderr
    assert snapshot(folder) == before


def test_a_huge_number_as_a_date_is_not_a_date(run: Run, folder: Path, tmp_path: Path) -> None:
    source = csv_file(
        tmp_path / "t.csv",
        [[*HEADER, "updated"], ["1", "1.3", "An action with nothing optional", "Head of Service",
                                "", "amber", "", "99999999999999999999"]],
    )  # fmt: skip
    before = snapshot(folder)
    result = run("import", source, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "updated '99999999999999999999' is not a date" in result.stderr
    assert snapshot(folder) == before
