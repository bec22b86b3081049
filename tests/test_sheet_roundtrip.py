"""The whole plan through a workbook: `brag export -o x.xlsx` then `brag import x.xlsx -o new`
gives back the same plan (brag status --format json equal, every model equal), and a sheet
saved again by LibreOffice still updates the plan value by value."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bragcli.source.load import load_plan
from conftest import EXAMPLES, SAMPLE_AS_OF, SAMPLE_PLAN, Run

openpyxl = pytest.importorskip("openpyxl")


def _models(folder: Path) -> tuple[object, list[object]]:
    loaded = load_plan(folder)
    assert not loaded.errors, loaded.errors
    return loaded.plan, sorted((s.area for s in loaded.areas), key=lambda a: a.id)


@pytest.mark.parametrize("source", [SAMPLE_PLAN, EXAMPLES / "edit"], ids=["sample", "comments"])
def test_export_then_import_into_an_empty_folder_gives_the_plan_back(
    run: Run, tmp_path: Path, source: Path
) -> None:
    workbook, folder = tmp_path / "plan.xlsx", tmp_path / "new"
    assert run("export", source, "-o", workbook, "--as-of", SAMPLE_AS_OF).exit_code == 0
    result = run("import", workbook, "-o", folder)
    assert result.exit_code == 0, result.output
    status = [
        run("status", where, "--format", "json", "--as-of", SAMPLE_AS_OF).stdout
        for where in (source, folder)
    ]
    assert status[0] == status[1]
    assert _models(folder) == _models(source)


def test_the_workbook_holds_the_whole_plan(run: Run, tmp_path: Path) -> None:
    workbook = tmp_path / "plan.xlsx"
    assert run("export", SAMPLE_PLAN, "-o", workbook, "--as-of", SAMPLE_AS_OF).exit_code == 0
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == ["Actions", "Areas", "Measures", "Outcomes", "Roles", "Plan", "About"]
    assert [s.sheet_state for s in book.worksheets][-1] == "hidden"
    about = dict(book["About"].values)
    assert set(about) == {"about", "bragcli version", "git revision",
                          "plan changed since that commit", "exported at"}  # fmt: skip
    header = [c.value for c in book["Measures"][1]]
    assert header == ["area", "measure", "good", "target", "unit", "period", "value", "source"]
    roles = dict(list(book["Roles"].values)[1:])
    assert roles["Principal Social Worker"] == "Kerry Oddy"
    actions = book["Actions"]
    setup = actions.page_setup
    assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
    assert actions.sheet_properties.pageSetUpPr.fitToPage
    assert actions.print_title_rows == "$1:$1"
    lists = {
        str(v.sqref).split(":")[0][0]: v.formula1 for v in actions.data_validations.dataValidation
    }
    assert lists == {"G": '"blue,green,amber,red,not-started"',
                     "H": '"blue,green,amber,red,not-started"'}  # fmt: skip
    # a row of long wrapped text is tall enough to show it
    tallest = max((d.height or 0) for d in actions.row_dimensions.values())
    assert tallest >= 60


def _soffice() -> str | None:
    path = shutil.which("soffice")
    if path is None:
        return None
    probe = subprocess.run(
        [path, "--headless", "--version"], capture_output=True, text=True, timeout=60
    )
    return path if probe.returncode == 0 else None


def _resave_with_libreoffice(soffice: str, source: Path, target: Path, profile: Path) -> bool:
    """Open `source` in LibreOffice Calc and save it as .xlsx at `target` (False when this
    LibreOffice cannot load spreadsheets: Calc is not installed)."""
    outdir = target.parent / "lo-out"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), str(source)],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    made = outdir / source.name
    if not made.exists():
        return False
    made.replace(target)
    return True


def _as_libreoffice_saves(source: Path, target: Path) -> None:
    """What LibreOffice writes, without LibreOffice: a cell it takes for a date becomes a
    date cell with its own number format."""
    import datetime as dt

    book = openpyxl.load_workbook(source)
    sheet = book["Actions"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        updated = row[header.index("updated")]
        if updated.value:
            updated.value = dt.datetime.fromisoformat(str(updated.value))
            updated.number_format = "DD/MM/YY"
        due = row[header.index("due")]
        if due.value:
            due.value = dt.datetime.fromisoformat(str(due.value))
            due.number_format = "YYYY-MM-DD"
    book.save(target)


def test_a_sheet_saved_again_by_libreoffice_updates_nothing_it_did_not_change(
    run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "plans"
    shutil.copytree(SAMPLE_PLAN, folder)
    exported, saved = tmp_path / "tracker.xlsx", tmp_path / "saved.xlsx"
    assert run("export", folder, "-o", exported, "--as-of", SAMPLE_AS_OF).exit_code == 0
    soffice = _soffice()
    if soffice is None or not _resave_with_libreoffice(
        soffice, exported, saved, tmp_path / "profile"
    ):
        _as_libreoffice_saves(exported, saved)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = run("import", saved, "--update", "-o", folder, "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # and an edit made in that sheet comes through
    book = openpyxl.load_workbook(saved)
    sheet = book["Actions"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("id")].value == "2.2":
            row[header.index("status")].value = "green"
    book.save(saved)
    result = run("import", saved, "--update", "-o", folder, "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 0, result.output
    assert "status not-started → green (started)" in result.stdout
