"""`brag import --update` takes the Areas sheet too: an area's owner (lead), the board's own
status and impact ratings and its title, edited in the workbook, are written into the area
file with the same editor (only those values move), the same conflict rules and the same
change report as actions' fields."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, SAMPLE_AS_OF, SAMPLE_PLAN, Run
from test_csv_export_row import git, snapshot
from test_plan_edit import changed_lines

openpyxl = pytest.importorskip("openpyxl")

AS_OF = "2023-01-10"
#: an area with comments around (and between) its own keys
COMMENTED_AREA = """\
# yaml-language-server: $schema=../../../schemas/area.schema.json
id: "5"   # the area
# the title, folded
title: >-   # folded
  Area with comments
  around its keys
# the owner, a list
lead:
  - Head of Service   # first owner
status: amber   # the board's rating
# impact next
impact: 'red'   # quoted
x-note: keep   # an x- key
actions:
  - id: "5.1"
    title: An action
    lead: Head of Service
    status: green
# the end
"""


def repository(tmp_path: Path, source: Path, extra: dict[str, str] | None = None) -> Path:
    """A copy of the plan `source` committed in git: repo/plans."""
    folder = tmp_path / "repo" / "plans"
    shutil.copytree(source, folder)
    for name, text in (extra or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    git(folder.parent, "init", "-q")
    git(folder.parent, "add", "-A")
    git(folder.parent, "commit", "-qm", "plan")
    return folder


def edit_areas(path: Path, edits: dict[str, dict[str, str | None]], out: Path) -> None:
    """Change cells of the workbook's Areas sheet: area id -> column -> text."""
    book = openpyxl.load_workbook(path)
    sheet = book["Areas"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for column, value in edits.get(str(row[0].value), {}).items():
            row[header.index(column)].value = value
    book.save(out)


def test_the_sample_plan_takes_an_areas_owner_ratings_and_title(run: Run, tmp_path: Path) -> None:
    folder = repository(tmp_path, SAMPLE_PLAN)
    tracker, edited = tmp_path / "tracker.xlsx", tmp_path / "edited.xlsx"
    assert run("export", folder, "-o", tracker, "--as-of", SAMPLE_AS_OF).exit_code == 0
    owner = "Director of Human Resources and Organisational Development"
    title = "The timely identification of children at risk of harm, and the response to them"
    edit_areas(tracker, {"2": {"lead": owner, "status": "Amber", "impact": "G"},
                         "3": {"area title": title}}, edited)  # fmt: skip
    before = snapshot(folder)
    dry = run("import", edited, "--update", "-o", folder, "--dry-run", "--as-of", SAMPLE_AS_OF)
    assert dry.exit_code == 0, dry.output
    assert snapshot(folder) == before
    assert f"area owner none → {owner}" in dry.stdout
    assert "board's rating of the area unrated → amber (rated)" in dry.stdout
    assert "board's impact rating of the area unrated → green (rated)" in dry.stdout
    assert "brag import: area 2: lead, status, impact\n" in dry.stderr
    assert "brag import: area 3: title\n" in dry.stderr

    result = run("import", edited, "--update", "-o", folder, "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stdout == dry.stdout.replace(" (--dry-run: not written)", "")
    after = snapshot(folder)
    assert sorted(n for n in after if after[n] != before[n]) == [
        "02-workforce.yaml",
        "03-risk-of-harm.yaml",
    ]
    removed, added = changed_lines(before["02-workforce.yaml"], after["02-workforce.yaml"])
    assert removed == []
    assert added == [f"lead: {owner}\n", "status: amber\n", "impact: green\n"]
    removed, added = changed_lines(before["03-risk-of-harm.yaml"], after["03-risk-of-harm.yaml"])
    assert removed == [  # the folded title's lines; its `title: >-` line stays
        "  The timely and robust identification and multi-agency response to children and "
        "young people\n",
        "  who are at risk of harm, including, but not limited to, the response to pre-birth "
        "children and\n",
        "  babies, 16- and 17-year-olds who present as homeless, children living in private "
        "fostering\n",
        "  arrangements and children who go missing from home and care.\n",
    ]
    assert added == [f"  {title}\n"]
    assert run("check", folder, "--as-of", SAMPLE_AS_OF).exit_code == 0
    # and the same change set is what brag diff then shows
    diff = run("diff", "--plan", folder, "--as-of", SAMPLE_AS_OF)
    assert f"area owner none → {owner}" in diff.stdout


def test_comments_around_the_areas_keys_stay(run: Run, tmp_path: Path) -> None:
    folder = repository(tmp_path, EXAMPLES / "edit", {"05-commented-area.yaml": COMMENTED_AREA})
    tracker, edited = tmp_path / "tracker.xlsx", tmp_path / "edited.xlsx"
    assert run("export", folder, "-o", tracker, "--as-of", AS_OF).exit_code == 0
    edit_areas(tracker, {"5": {"lead": "Principal Social Worker; Head of Service",
                               "status": "Green", "impact": "Amber",
                               "area title": "Area with comments, renamed"}}, edited)  # fmt: skip
    before = snapshot(folder)
    result = run("import", edited, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "board's rating of the area amber → green (better)" in result.stdout
    assert "board's impact rating of the area red → amber (better)" in result.stdout
    assert "area owner Head of Service → Principal Social Worker / Head of Service" in (
        result.stdout
    )
    after = snapshot(folder)
    assert [n for n in after if after[n] != before[n]] == ["05-commented-area.yaml"]
    removed, added = changed_lines(
        before["05-commented-area.yaml"], after["05-commented-area.yaml"]
    )
    assert removed == [
        "  Area with comments\n",
        "  around its keys\n",
        "  - Head of Service   # first owner\n",
        "status: amber   # the board's rating\n",
        "impact: 'red'   # quoted\n",
    ]
    assert added == [
        "  Area with comments, renamed\n",
        "  - Principal Social Worker   # first owner\n",
        "  - Head of Service\n",
        "status: green   # the board's rating\n",
        "impact: 'amber'   # quoted\n",
    ]


def test_a_conflict_on_an_areas_rating(run: Run, tmp_path: Path) -> None:
    folder = repository(tmp_path, EXAMPLES / "edit", {"05-commented-area.yaml": COMMENTED_AREA})
    tracker, edited = tmp_path / "tracker.xlsx", tmp_path / "edited.xlsx"
    assert run("export", folder, "-o", tracker, "--as-of", AS_OF).exit_code == 0
    # after the export, the board rates area 5 red; the sheet rates it green, and changes
    # the impact, which the plan left alone
    path = folder / "05-commented-area.yaml"
    path.write_text(COMMENTED_AREA.replace("status: amber", "status: red"), encoding="utf-8")
    git(folder.parent, "commit", "-qam", "board")
    edit_areas(tracker, {"5": {"status": "Green", "impact": "Amber"}}, edited)
    before = snapshot(folder)
    result = run("import", edited, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert (
        "conflict: sheet Areas, row 5: area '5': status was 'amber' when exported; the plan "
        "now says 'red', the sheet 'green'"
    ) in result.stderr
    assert "1 area not changed because of conflicts (area 5)" in result.stderr
    assert snapshot(folder) == before  # nothing of area 5, and nothing else changed
    ours = run("import", edited, "--update", "-o", folder, "--ours", "--as-of", AS_OF)
    assert ours.exit_code == 0, ours.output
    text = path.read_text()
    assert "status: red   # the board's rating" in text and "impact: 'amber'" in text
    theirs = run("import", edited, "--update", "-o", folder, "--theirs", "--as-of", AS_OF)
    assert theirs.exit_code == 0, theirs.output
    assert "status: green   # the board's rating" in path.read_text()


def test_a_blank_rating_is_kept_and_said(run: Run, tmp_path: Path) -> None:
    folder = repository(tmp_path, EXAMPLES / "edit", {"05-commented-area.yaml": COMMENTED_AREA})
    tracker, edited = tmp_path / "tracker.xlsx", tmp_path / "edited.xlsx"
    assert run("export", folder, "-o", tracker, "--as-of", AS_OF).exit_code == 0
    edit_areas(tracker, {"5": {"status": None}}, edited)
    before = snapshot(folder)
    result = run("import", edited, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert (
        "sheet Areas, row 5: area '5': status is blank in the sheet but 'amber' in the plan; "
        "kept (bragcli never empties a value from a sheet)"
    ) in result.stderr
    assert snapshot(folder) == before


def test_a_bad_row_of_the_areas_sheet_writes_nothing_unless_partial(
    run: Run, tmp_path: Path
) -> None:
    folder = repository(tmp_path, EXAMPLES / "edit", {"05-commented-area.yaml": COMMENTED_AREA})
    tracker, edited = tmp_path / "tracker.xlsx", tmp_path / "edited.xlsx"
    assert run("export", folder, "-o", tracker, "--as-of", AS_OF).exit_code == 0
    edit_areas(tracker, {"5": {"status": "purple"}}, edited)
    book = openpyxl.load_workbook(edited)
    actions = book["Actions"]
    header = [c.value for c in actions[1]]
    for row in actions.iter_rows(min_row=2):
        if row[header.index("id")].value == "2.1":
            row[header.index("status")].value = "Amber"
    book.save(edited)
    before = snapshot(folder)
    result = run("import", edited, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "edited.xlsx: sheet Areas, row 5: status 'purple' is not" in result.stderr
    assert "nothing written: 1 row could not be imported" in result.stderr
    assert snapshot(folder) == before
    partial = run("import", edited, "--update", "-o", folder, "--partial", "--as-of", AS_OF)
    assert partial.exit_code == 0, partial.output
    after = snapshot(folder)
    assert [n for n in after if after[n] != before[n]] == ["02-bom-crlf.yaml"]


def test_hostile_text_in_the_areas_sheet_is_shown_escaped(run: Run, tmp_path: Path) -> None:
    folder = repository(tmp_path, EXAMPLES / "edit")
    tracker, edited = tmp_path / "tracker.xlsx", tmp_path / "edited.xlsx"
    assert run("export", folder, "-o", tracker, "--as-of", AS_OF).exit_code == 0
    edit_areas(tracker, {"1": {"lead": "Head of \u202eService"}}, edited)
    before = snapshot(folder)
    result = run("import", edited, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 1  # a lead not in the roles glossary: a new warning
    assert "[unknown-lead]" in result.stderr and "nothing written" in result.stderr
    assert "area owner none → Head of \\u202eService" in result.stdout
    assert "\u202e" not in result.output
    assert snapshot(folder) == before


def test_an_area_in_no_other_sheet_is_not_added(run: Run, tmp_path: Path) -> None:
    folder = repository(tmp_path, EXAMPLES / "edit")
    tracker, edited = tmp_path / "tracker.xlsx", tmp_path / "edited.xlsx"
    assert run("export", folder, "-o", tracker, "--as-of", AS_OF).exit_code == 0
    book = openpyxl.load_workbook(tracker)
    book["Areas"].append(["9", "A new area", "Head of Service", "green", ""])
    book.save(edited)
    before = snapshot(folder)
    result = run("import", edited, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert (
        "sheet Areas, row 5: area '9': not in the plan, and no action of the sheet is in it; "
        "not added (give it its actions in the Actions sheet)"
    ) in result.stderr
    assert snapshot(folder) == before


def test_a_new_area_takes_its_owner_from_the_areas_sheet(run: Run, tmp_path: Path) -> None:
    folder = repository(tmp_path, EXAMPLES / "edit")
    tracker, edited = tmp_path / "tracker.xlsx", tmp_path / "edited.xlsx"
    assert run("export", folder, "-o", tracker, "--as-of", AS_OF).exit_code == 0
    book = openpyxl.load_workbook(tracker)
    book["Areas"].append(["9", "A new area", "Head of Service", "green", ""])
    actions = book["Actions"]
    actions.append(["9", "A new area", "9.1", "Its first action", "Head of Service", "June 2023",
                    "not started"])  # fmt: skip
    book.save(edited)
    result = run("import", edited, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    text = (folder / "09-a-new-area.yaml").read_text()
    assert "lead: Head of Service\nstatus: green\n" in text


def test_an_area_title_edited_among_the_actions_is_said(run: Run, tmp_path: Path) -> None:
    """The sheet of actions repeats each area's title on every row: an edit there is not
    taken (the Areas sheet, or the area file, is where it changes), and it is said."""
    folder = repository(tmp_path, EXAMPLES / "edit")
    tracker, edited = tmp_path / "tracker.xlsx", tmp_path / "edited.xlsx"
    assert run("export", folder, "-o", tracker, "--as-of", AS_OF).exit_code == 0
    book = openpyxl.load_workbook(tracker)
    actions = book["Actions"]
    for row in actions.iter_rows(min_row=2):
        if row[0].value == "2":
            row[1].value = "Windows, renamed"
    book.save(edited)
    before = snapshot(folder)
    result = run("import", edited, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert (
        "row 5: area '2': the area title was changed in this sheet to 'Windows, renamed'; not "
        "taken from here: change it in the Areas sheet"
    ) in result.stderr
    assert snapshot(folder) == before
