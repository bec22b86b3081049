"""`brag import` and `brag export` end to end."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from bragcli.source.load import load_plan
from conftest import SAMPLE_AS_OF, SAMPLE_PLAN, Run

TRACKER = """\
Area,Area title,Ref,Action,Owner,By when,RAG,Update
1,Workforce,1.1,Recruit social workers,Head of HR,March 2023,Green,"Campaign launched
Two offers made"
,,1.2,Refresh induction,Principal Social Worker,Q1 2023/24,amber,
2,Practice,2.1,Relaunch the QAF,Service Director,31/12/2022,purple,
,,2.2,Audit plans,Service Director,Marhc 2023,red,
"""


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    path = tmp_path / "tracker.csv"
    path.write_text(TRACKER, encoding="utf-8")
    return path


def test_bad_rows_are_reported_and_nothing_is_written(
    run: Run, tracker: Path, tmp_path: Path
) -> None:
    result = run("import", tracker, "-o", tmp_path / "plans", "--organisation", "Council")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    # Rows as a spreadsheet numbers them: the quoted line break keeps 1.1 on row 2.
    assert lines[0].endswith("tracker.csv: row 4: status 'purple' is not one of blue, green, "
                             "amber, red, not-started")  # fmt: skip
    assert "tracker.csv: row 5: deadline 'Marhc 2023' is not a date" in lines[1]
    assert "nothing written: 2 rows could not be imported" in lines[-1]
    assert not (tmp_path / "plans").exists()


def test_partial_imports_the_good_rows(run: Run, tracker: Path, tmp_path: Path) -> None:
    target = tmp_path / "plans"
    result = run("import", tracker, "-o", target, "--organisation", "Council", "--partial")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == "imported 2 actions in 1 area; next: brag check " + (
        str(target)
    )
    loaded = load_plan(target)
    assert loaded.errors == []
    assert loaded.plan is not None and loaded.plan.title == "Tracker"
    (source,) = loaded.areas
    assert source.path.endswith("01-workforce.yaml")
    first = source.area.actions[0]
    assert (first.id, first.lead, first.notes_text) == (
        "1.1", ["Head of HR"], ("Campaign launched", "Two offers made")
    )  # fmt: skip
    assert run("check", target, "--as-of", "2023-01-31").exit_code == 0


def test_never_replaces_area_files_without_force(run: Run, tracker: Path, tmp_path: Path) -> None:
    target = tmp_path / "plans"
    args = ("import", tracker, "-o", target, "--organisation", "Council", "--partial")
    assert run(*args).exit_code == 0
    mine = target / "01-workforce.yaml"
    mine.write_text(mine.read_text() + "# my edit\n")
    again = run(*args)
    assert again.exit_code == 2
    assert "already has area files (01-workforce.yaml)" in again.stderr
    assert mine.read_text().endswith("# my edit\n")
    assert run(*args, "--force").exit_code == 0
    assert not mine.read_text().endswith("# my edit\n")


def test_a_new_plan_needs_an_organisation(run: Run, tracker: Path, tmp_path: Path) -> None:
    result = run("import", tracker, "-o", tmp_path / "plans", "--partial")
    assert result.exit_code == 2
    assert "give --organisation" in result.stderr


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_gives_the_same_actions(run: Run, tmp_path: Path, suffix: str) -> None:
    sheet = tmp_path / f"plan{suffix}"
    exported = run("export", SAMPLE_PLAN, "-o", sheet, "--as-of", SAMPLE_AS_OF)
    assert exported.exit_code == 0
    assert exported.stderr == f"brag export: wrote 62 actions to {sheet}\n"
    target = tmp_path / "imported"
    imported = run("import", sheet, "-o", target, "--organisation", "Herefordshire Council")
    assert imported.exit_code == 0, imported.stderr
    original = load_plan(SAMPLE_PLAN)
    again = load_plan(target)
    assert [s.area.id for s in again.areas] == [s.area.id for s in original.areas]
    assert [(s.area.title, s.area.actions) for s in again.areas] == [
        (s.area.title, s.area.actions) for s in original.areas
    ]


def test_csv_export_columns_and_formula_safety(run: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "plan.csv"
    run("export", SAMPLE_PLAN, "-o", sheet, "--as-of", SAMPLE_AS_OF)
    export_row, *rows = list(csv.reader(sheet.read_text(encoding="utf-8-sig").splitlines()))
    assert export_row[0].startswith("# bragcli export | version ")
    assert rows[0] == ["area", "area title", "id", "action", "lead", "deadline", "status",
                       "impact", "progress", "updated", "success criteria", "baseline", "source",
                       "impact evidence", "due", "overdue"]  # fmt: skip
    overdue = [r for r in rows[1:] if r[-1] == "yes"]
    assert [r[2] for r in overdue] == ["3.1"]


def test_xlsx_without_openpyxl_says_how_to_install_it(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    result = run("export", SAMPLE_PLAN, "-o", tmp_path / "plan.xlsx")
    assert result.exit_code == 2
    assert "pip install 'bragcli[excel]'" in result.stderr
    assert not (tmp_path / "plan.xlsx").exists()
