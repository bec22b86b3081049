"""`brag import --update`: an edited tracker changes the plan in place, value by value, with
every other byte kept; Excel's dates and Windows CSV encodings; conflicts with the plan."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bragcli.sheets.read import read_rows
from bragcli.source.yamlread import Document, read_bytes
from conftest import EXAMPLES, SAMPLE_PLAN, Run

openpyxl = pytest.importorskip("openpyxl")

EDIT_PLAN = EXAMPLES / "edit"
AS_OF = "2023-01-10"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def changed_lines(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
    import difflib

    old = before.decode("utf-8-sig").splitlines(keepends=True)
    new = after.decode("utf-8-sig").splitlines(keepends=True)
    diff = list(difflib.ndiff(old, new))
    return [d[2:] for d in diff if d[:2] == "- "], [d[2:] for d in diff if d[:2] == "+ "]


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
    }  # fmt: skip
    return subprocess.run(
        ["git", "-C", str(root), *args], env=env, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "repo" / "plans"
    shutil.copytree(EDIT_PLAN, target)
    git(tmp_path / "repo", "init", "-q")
    git(tmp_path / "repo", "add", "-A")
    git(tmp_path / "repo", "commit", "-qm", "plan")
    return target


def export(run: Run, folder: Path, path: Path) -> None:
    result = run("export", folder, "-o", path, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output


def edit_xlsx(path: Path, edits: dict[str, dict[str, str | None]], out: Path) -> None:
    """Change cells of the Actions sheet: id -> column -> new text."""
    book = openpyxl.load_workbook(path)
    sheet = book["Actions"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        ident = row[header.index("id")].value
        for column, value in edits.get(ident, {}).items():
            row[header.index(column)].value = value
    book.save(out)


def test_the_officers_loop_changes_only_the_edited_values(
    run: Run, folder: Path, tmp_path: Path
) -> None:
    tracker, edited = tmp_path / "tracker.xlsx", tmp_path / "edited.xlsx"
    export(run, folder, tracker)
    edit_xlsx(
        tracker,
        {
            "1.1": {
                "status": "Amber",
                "progress": "A note with a#hash but no space before it\nSingle-quoted # too\n"
                "2022-11-30: A dated note\n2023-01-09: Board agreed",
                "updated": "09/01/2023",
            },
            "2.1": {"deadline": "Jul-23"},
        },
        edited,
    )
    before = snapshot(folder)
    dry = run("import", edited, "--update", "-o", folder, "--dry-run", "--as-of", AS_OF)
    assert dry.exit_code == 0, dry.output
    assert snapshot(folder) == before
    assert "status green → amber (worse)" in dry.stdout
    assert "+ 2023-01-09: Board agreed" in dry.stdout
    assert "deadline slipped 31 days: June 2023 → July 2023" in dry.stdout
    assert "nothing written (--dry-run)" in dry.stderr

    result = run("import", edited, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stdout == dry.stdout.replace(" (--dry-run: not written)", "")
    after = snapshot(folder)
    assert {n for n in after if after[n] != before[n]} == {"01-comments.yaml", "02-bom-crlf.yaml"}
    removed, added = changed_lines(before["01-comments.yaml"], after["01-comments.yaml"])
    assert removed == ["    status: green # the rating\n", "    updated: 2022-12-01\n"]
    assert added == [
        "    status: amber # the rating\n",
        "    updated: 2023-01-09\n",
        "      - 2023-01-09: Board agreed\n",
    ]
    removed, added = changed_lines(before["02-bom-crlf.yaml"], after["02-bom-crlf.yaml"])
    assert (removed, added) == (["    deadline: June 2023\r\n"], ["    deadline: July 2023\r\n"])
    assert after["02-bom-crlf.yaml"].startswith(b"\xef\xbb\xbf")
    assert run("check", folder, "--as-of", AS_OF).exit_code == 0
    # brag diff then shows the same change set against the last commit
    diff = run("diff", "--plan", folder, "--format", "json")
    kinds = {(c["id"], c["kind"]) for c in json.loads(diff.stdout)["changes"]}
    assert kinds == {("1.1", "status"), ("1.1", "progress"), ("2.1", "deadline")}


def test_an_unchanged_sheet_changes_nothing(run: Run, folder: Path, tmp_path: Path) -> None:
    tracker = tmp_path / "tracker.xlsx"
    export(run, folder, tracker)
    before = snapshot(folder)
    result = run("import", tracker, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "nothing to change" in result.stderr
    assert snapshot(folder) == before


def test_the_sample_plan_round_trips_through_an_update(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    shutil.copytree(SAMPLE_PLAN, folder)
    for suffix in ("csv", "xlsx"):
        tracker = tmp_path / f"tracker.{suffix}"
        assert run("export", folder, "-o", tracker, "--as-of", "2022-12-15").exit_code == 0
        before = snapshot(folder)
        result = run("import", tracker, "--update", "-o", folder, "--as-of", "2022-12-15")
        assert result.exit_code == 0, result.output
        assert snapshot(folder) == before


def test_conflict_with_a_plan_changed_since_the_export(
    run: Run, folder: Path, tmp_path: Path
) -> None:
    tracker, edited = tmp_path / "tracker.xlsx", tmp_path / "edited.xlsx"
    export(run, folder, tracker)
    # the plan moves on after the export: 1.1 is rated red, 1.2 gets a new deadline
    assert run("set", "1.1", "--status", "red", "--plan", folder, "--as-of", AS_OF).exit_code == 0
    assert run("set", "1.2", "--deadline", "May 2023", "--plan", folder,
               "--as-of", AS_OF).exit_code == 0  # fmt: skip
    git(folder.parent, "commit", "-qam", "board")
    # the sheet changes 1.1 too (a conflict) and 1.3 (no conflict); it still says March 2023
    # for 1.2, which the plan changed since: that is not a change of the sheet's
    edit_xlsx(tracker, {"1.1": {"status": "Blue", "impact": "Green"}, "1.3": {"status": "Green"}},
              edited)  # fmt: skip
    before = snapshot(folder)
    result = run("import", edited, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert (
        "conflict: row 2: action '1.1': status was 'green' when exported; the plan now says "
        "'red', the sheet 'blue'"
    ) in result.stderr
    after = snapshot(folder)
    removed, added = changed_lines(before["01-comments.yaml"], after["01-comments.yaml"])
    assert (removed, added) == (["    status: not-started\n"], ["    status: green\n"])

    theirs = run("import", edited, "--update", "-o", folder, "--theirs", "--as-of", AS_OF)
    assert theirs.exit_code == 0, theirs.output
    text = (folder / "01-comments.yaml").read_text()
    assert "status: blue # the rating" in text
    assert "deadline: May 2023" in text  # the plan's newer deadline stays


def test_ours_keeps_the_plans_value_and_takes_the_rest(
    run: Run, folder: Path, tmp_path: Path
) -> None:
    tracker, edited = tmp_path / "tracker.xlsx", tmp_path / "edited.xlsx"
    export(run, folder, tracker)
    assert run("set", "1.1", "--status", "red", "--plan", folder, "--as-of", AS_OF).exit_code == 0
    git(folder.parent, "commit", "-qam", "board")
    edit_xlsx(tracker, {"1.1": {"status": "Amber", "impact": "Red"}}, edited)
    result = run("import", edited, "--update", "-o", folder, "--ours", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    text = (folder / "01-comments.yaml").read_text()
    assert "status: red # the rating\n    impact: red\n" in text


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


HEADER = ["area", "id", "action", "lead", "deadline", "status", "progress"]


def test_new_and_missing_ids_and_remove_missing(run: Run, folder: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "tracker.csv"
    write_csv(sheet, [
        HEADER,
        ["1", "1.1", "Quoted # is not a comment", "Principal Social Worker", "April 2023",
         "green", ""],
        ["1", "1.4", "A new action", "Head of Service", "June 2023", "not started", ""],
        ["7", "7.1", "An action of a new area", "Head of Service", "June 2023", "green", ""],
    ])  # fmt: skip
    before = snapshot(folder)
    result = run("import", sheet, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    for missing in ("1.2", "1.3", "2.1", "3.1"):
        assert f"action '{missing}'" in result.stderr and "is not in the sheet; kept" in (
            result.stderr
        )
    after = snapshot(folder)
    assert "07-area-7.yaml" in after
    removed, added = changed_lines(before["01-comments.yaml"], after["01-comments.yaml"])
    assert removed == []
    assert added == [
        '  - id: "1.4"\n', "    title: A new action\n", "    lead: Head of Service\n",
        "    deadline: June 2023\n", "    status: not-started\n",
    ]  # fmt: skip
    # a note in the plan that the sheet lacks is reported, not removed
    assert "the plan's note 'A dated note'" not in result.stderr  # no progress column value
    result = run("import", sheet, "--update", "-o", folder, "--remove-missing", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "1.2: removed from area 1" in result.stderr
    text = (folder / "01-comments.yaml").read_text()
    assert '"1.2"' not in text and '"1.3"' not in text
    assert "  # between items, after a blank line\n" in text
    assert not (folder / "02-bom-crlf.yaml").read_text().count("2.1")


def test_a_note_removed_in_the_sheet_is_reported_and_kept(
    run: Run, folder: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "tracker.csv"
    write_csv(sheet, [HEADER, ["2", "2.1", "Windows action", "Head of Service", "June 2023",
                               "green", "First note, edited"]])  # fmt: skip
    result = run("import", sheet, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "the plan's note 'First note' is not in the sheet (edited or deleted there?)" in (
        result.stderr
    )
    text = (folder / "02-bom-crlf.yaml").read_bytes()
    assert b"      - First note\r\n      - First note, edited\r\n" in text


def test_bad_rows_write_nothing_unless_partial(run: Run, folder: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "tracker.csv"
    write_csv(sheet, [
        HEADER,
        ["1", "1.1", "Quoted # is not a comment", "Principal Social Worker", "April 2023",
         "purple", ""],
        ["1", "1.3", "An action with nothing optional", "Head of Service", "", "amber", ""],
    ])  # fmt: skip
    before = snapshot(folder)
    result = run("import", sheet, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "row 2: status 'purple' is not one of blue, green, amber, red, not-started" in (
        result.stderr
    )
    assert snapshot(folder) == before
    result = run("import", sheet, "--update", "-o", folder, "--partial", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "status: amber" in (folder / "01-comments.yaml").read_text()
    assert "status: green # the rating" in (folder / "01-comments.yaml").read_text()
    assert "action '1.1'" not in result.stderr  # a row that failed is not "missing"


def test_an_id_twice_in_the_sheet_writes_nothing(run: Run, folder: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "tracker.csv"
    row = ["1", "1.3", "An action with nothing optional", "Head of Service", "", "amber", ""]
    write_csv(sheet, [HEADER, row, [*row[:5], "red", ""]])
    before = snapshot(folder)
    result = run("import", sheet, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "row 3: id '1.3' is already used on row 2" in result.stderr
    assert snapshot(folder) == before


def test_a_look_alike_id_is_a_new_action_not_a_silent_match(
    run: Run, folder: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "tracker.csv"
    write_csv(sheet, [HEADER, ["1", "l.3", "Look-alike", "Head of Service", "May 2023", "amber",
                               ""]])  # fmt: skip
    result = run("import", sheet, "--update", "-o", folder, "--dry-run", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "l.3: added to area 1" in result.stderr
    assert "action '1.3' (area '1') is not in the sheet" in result.stderr


def test_formula_and_escape_text_stays_text(run: Run, folder: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "tracker.csv"
    notes = '\'=HYPERLINK("http://x")\nBell \x1b[31mred'
    write_csv(sheet, [HEADER, ["1", "1.3", "An action with nothing optional", "Head of Service",
                               "", "amber", notes]])  # fmt: skip
    result = run("import", sheet, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    text = (folder / "01-comments.yaml").read_text()
    assert '      - =HYPERLINK("http://x")\n      - "Bell \\x1b[31mred"\n' in text
    doc = read_bytes(text.encode(), "x")
    assert isinstance(doc, Document)
    assert doc.data["actions"][2]["progress"] == ['=HYPERLINK("http://x")', "Bell \x1b[31mred"]
    # and exported again, the formula is text, never run
    again = tmp_path / "again.csv"
    assert run("export", folder, "-o", again, "--as-of", AS_OF).exit_code == 0
    assert "'=HYPERLINK" in again.read_text(encoding="utf-8-sig")


def test_a_symlinked_area_file_is_refused(run: Run, folder: Path, tmp_path: Path) -> None:
    (folder / "store").mkdir()
    shutil.move(folder / "01-comments.yaml", folder / "store" / "01.yaml")
    os.symlink(folder / "store" / "01.yaml", folder / "01-comments.yaml")
    kept = (folder / "store" / "01.yaml").read_bytes()
    sheet = tmp_path / "tracker.csv"
    write_csv(sheet, [HEADER, ["1", "1.3", "An action with nothing optional", "Head of Service",
                               "", "amber", ""]])  # fmt: skip
    result = run("import", sheet, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "symbolic link" in result.stderr
    assert (folder / "store" / "01.yaml").read_bytes() == kept


def test_update_options_need_update(run: Run, folder: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "tracker.csv"
    write_csv(sheet, [HEADER])
    result = run("import", sheet, "-o", folder, "--dry-run")
    assert result.exit_code == 2
    assert "--dry-run goes with --update" in result.output
    result = run("import", sheet, "--update", "--force", "-o", folder)
    assert result.exit_code == 2


# --- Excel's dates and encodings -------------------------------------------------------------


def test_a_month_formatted_date_cell_is_a_month_deadline(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "action", "lead", "deadline", "status", "updated"])
    import datetime as dt

    day = dt.datetime(2023, 1, 9, 9, 30)
    sheet.append(["1.1", "A", "L", dt.datetime(2023, 3, 1), "green", day])
    sheet["D2"].number_format = "mmm-yy"
    sheet["F2"].number_format = "dd/mm/yyyy hh:mm"
    sheet.append(["1.2", "B", "L", dt.datetime(2023, 3, 31), "green", ""])
    sheet["D3"].number_format = "[$-809]dd mmmm yyyy;@"
    sheet.append(["1.3", "C", "L", dt.datetime(2023, 6, 1), "green", ""])
    sheet["D4"].number_format = "[$-809]mmmm\\ yyyy;@"
    path = tmp_path / "dates.xlsx"
    book.save(path)
    rows = read_rows(path)
    assert [row[3] for row in rows[1:]] == ["March 2023", "2023-03-31", "June 2023"]
    assert rows[1][5] == "2023-01-09"


@pytest.mark.parametrize(
    ("written", "deadline"),
    [
        ("Mar-23", "March 2023"),
        ("March 23", "March 2023"),
        ("31/03/2023 09:30", "31/03/2023"),
        ("44985", "2023-02-28"),
        ("Feb 2023", "Feb 2023"),
    ],
)
def test_excel_date_text_in_a_csv(
    run: Run, folder: Path, tmp_path: Path, written: str, deadline: str
) -> None:
    sheet = tmp_path / "tracker.csv"
    write_csv(sheet, [HEADER, ["1", "1.3", "An action with nothing optional", "Head of Service",
                               written, "not-started", ""]])  # fmt: skip
    result = run("import", sheet, "--update", "-o", folder, "--as-of", "2022-12-01")
    assert result.exit_code == 0, result.output
    assert f"    deadline: {deadline}\n" in (folder / "01-comments.yaml").read_text()


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("cp1252", "read as Windows-1252"), ("utf-16", "read as UTF-16"), ("utf-8-sig", None)],
)
def test_windows_csv_encodings(
    run: Run, folder: Path, tmp_path: Path, encoding: str, named: str | None
) -> None:
    sheet = tmp_path / "tracker.csv"
    write_csv(sheet, [HEADER, ["1", "1.3", "An action with nothing optional", "Head of Service",
                               "", "amber", "Café opened – £5 budget"]], encoding)  # fmt: skip
    result = run("import", sheet, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    if named:
        assert f"brag import: tracker.csv {named}" in result.stderr
    else:
        assert "read as" not in result.stderr
    assert "      - Café opened – £5 budget\n" in (folder / "01-comments.yaml").read_text()


def test_the_format_issue_keys_update_too(run: Run, folder: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "tracker.csv"
    write_csv(sheet, [
        [*HEADER, "success criteria", "source", "impact evidence"],
        ["1", "1.3", "An action with nothing optional", "Head of Service", "", "not started",
         "", "Every child seen within 5 days", "Ofsted ILACS 2022, recommendation 4",
         "Audit of 20 cases\nChildren's feedback"],
    ])  # fmt: skip
    before = snapshot(folder)
    result = run("import", sheet, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "1.3: success_criteria, source, impact_evidence" in result.stderr
    removed, added = changed_lines(before["01-comments.yaml"], snapshot(folder)["01-comments.yaml"])
    assert removed == []
    assert added == [
        "    success_criteria: Every child seen within 5 days\n",
        "    source: Ofsted ILACS 2022, recommendation 4\n",
        "    impact_evidence: [Audit of 20 cases, Children's feedback]\n",
    ]


def test_actions_added_or_removed_since_the_export_are_left_alone(
    run: Run, folder: Path, tmp_path: Path
) -> None:
    tracker = tmp_path / "tracker.xlsx"
    export(run, folder, tracker)
    # after the export: 1.2 is removed from the plan and 1.4 added
    text = (folder / "01-comments.yaml").read_text()
    start, end = text.index('  - id: "1.2"'), text.index('  - id: "1.3"')
    text = text[:start] + text[end:]
    text = text.replace("  # after an item, less indented\n", '  - id: "1.4"\n    title: New\n'
                        "    lead: Head of Service\n    deadline: May 2023\n    status: green\n"
                        "  # after an item, less indented\n")  # fmt: skip
    (folder / "01-comments.yaml").write_text(text)
    git(folder.parent, "commit", "-qam", "board")
    before = snapshot(folder)
    result = run("import", tracker, "--update", "-o", folder, "--remove-missing", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "action '1.2' was removed from the plan after the sheet was exported" in result.stderr
    assert "1.4" not in result.stderr
    assert snapshot(folder) == before


def test_a_month_a_spreadsheet_made_a_day_is_the_same_deadline(
    run: Run, folder: Path, tmp_path: Path
) -> None:
    """Excel and LibreOffice recognise "April 2023" as a date, 1 April 2023, and a CSV saved
    again holds it as one: that is the plan's month, not a lead's new deadline. A real new
    day is still taken."""
    from datetime import datetime

    tracker, edited = tmp_path / "tracker.xlsx", tmp_path / "edited.xlsx"
    export(run, folder, tracker)
    book = openpyxl.load_workbook(tracker)
    sheet = book["Actions"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        cell = row[header.index("deadline")]
        if cell.value == "April 2023":
            cell.value, cell.number_format = datetime(2023, 4, 1), "dd/mm/yyyy"
        elif cell.value == "March 2023":
            cell.value, cell.number_format = datetime(2023, 3, 15), "dd/mm/yyyy"
    book.save(edited)
    before = snapshot(folder)
    result = run("import", edited, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "'2023-04-01' in the sheet is taken as the plan's 'April 2023'" in result.stderr
    removed, added = changed_lines(before["01-comments.yaml"], snapshot(folder)["01-comments.yaml"])
    assert removed == ["    deadline: March 2023\n"]
    assert added == ["    deadline: 2023-03-15\n"]
    assert "'April 2023'   # single-quoted" in snapshot(folder)["01-comments.yaml"].decode()
