"""Spreadsheets: import of trackers people keep, export, and round trips through CSV and xlsx."""

from __future__ import annotations

import csv
import sys
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bragcli.model import Action, Area, Plan, Rating
from bragcli.problems import BragError
from bragcli.sheets.exporter import EXPORT_COLUMNS, export_rows, write_csv, write_xlsx
from bragcli.sheets.importer import COLUMNS, Imported, RowProblem, import_actions
from bragcli.sheets.read import ExcelMissing, read_rows
from bragcli.sheets.yamlwrite import area_yaml, plan_yaml
from bragcli.source.load import AreaSource, area_result, load_plan, plan_result
from bragcli.source.yamlread import read_bytes
from conftest import EXAMPLES, SAMPLE_PLAN

openpyxl = pytest.importorskip("openpyxl")

AS_OF = date(2022, 12, 15)
RATINGS = "blue, green, amber, red, not-started"
DEADLINE_FORMS = 'accepted forms include "March 2023", "20/12/2022" and "Q1 2023/24"'


def sample() -> tuple[Plan, list[Area]]:
    loaded = load_plan(SAMPLE_PLAN)
    assert loaded.plan is not None and loaded.problems == []
    return loaded.plan, [source.area for source in loaded.areas]


def one_row_per_action(areas: list[Area]) -> list[Area]:
    """What a one-row-per-action sheet can carry: every key of an action (its source and dated
    notes too), but not the area's outcomes and measures."""
    return [
        area.model_copy(
            update={
                "outcomes": [],
                "measures": [],
            }
        )
        for area in areas
    ]


def write_text_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def import_csv(tmp_path: Path, rows: list[list[str]]) -> Imported:
    return import_actions(read_rows(write_text_csv(tmp_path / "tracker.csv", rows)))


def area_from_yaml(text: str) -> Area:
    result = area_result(read_bytes(text.encode("utf-8"), "area.yaml"))
    assert isinstance(result, AreaSource), result
    return result.area


# --- a real-looking tracker --------------------------------------------------------------------

TRACKER = [
    ["Improvement area", "Area name", "Ref", "Action", "Owner", "By when", "RAG", "Update",
     "Last updated", "Officer notes", "Due (computed)", "Overdue"],
    ["1", "Leadership", "1.1", "Appoint a champion", "Chief Executive", "March 2023", "G",
     "• Champion appointed", "24/11/2022", "ignored text", "2023-03-31", "no"],
    ["", "", "1.2", "Refresh the board", "Director A; Director B", "TBC", "amber",
     "- First note\n- Second note", "2022-11-24", "", "", ""],
    ["", "", "", "", "", "", "", "* Third note", "", "", "", ""],
    ["", "", "", "", "", "", "", "", "", "", "", ""],
    ["2", "Workforce", "2.1", "Recruit foster carers", "HR Director / Principal Social Worker",
     "Q1 2023/24", "Not started", "", "", "", "", ""],
    ["", "", "", "", "", "", "", "", "", "", "", ""],
    ["", "", "2.2", "'=HYPERLINK(\"http://x\")", "PSW", "", "b", "-1 on last month", "",
     "", "", ""],
]  # fmt: skip


def test_tracker_with_synonyms_blank_rows_and_merged_looking_rows(tmp_path: Path) -> None:
    imported = import_csv(tmp_path, TRACKER)

    assert imported.problems == []
    assert imported.ignored_columns == ["Officer notes"]  # due and overdue are bragcli's own
    assert imported.rows == 5  # the two blank rows are not counted
    leadership, workforce = imported.areas
    assert (leadership.id, leadership.title) == ("1", "Leadership")
    assert leadership.actions == [
        Action(
            id="1.1",
            title="Appoint a champion",
            lead=["Chief Executive"],
            deadline="March 2023",
            status=Rating.GREEN,
            updated=date(2022, 11, 24),
            progress=["Champion appointed"],
        ),
        Action(
            id="1.2",
            title="Refresh the board",
            lead=["Director A", "Director B"],
            deadline="TBC",
            status=Rating.AMBER,
            updated=date(2022, 11, 24),
            progress=["First note", "Second note", "Third note"],
        ),
    ]
    assert (workforce.id, workforce.title) == ("2", "Workforce")
    assert workforce.actions == [
        Action(
            id="2.1",
            title="Recruit foster carers",
            lead=["HR Director", "Principal Social Worker"],
            deadline="Q1 2023/24",
            status=Rating.NOT_STARTED,
        ),
        Action(
            id="2.2",
            title='=HYPERLINK("http://x")',
            lead=["PSW"],
            status=Rating.BLUE,
            progress=["-1 on last month"],
        ),
    ]


def test_semicolon_and_tab_separated_csv_with_bom(tmp_path: Path) -> None:
    for delimiter in (";", "\t"):
        path = write_text_csv(tmp_path / "tracker.csv", TRACKER, delimiter)
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        assert read_rows(path) == TRACKER
        assert [a.id for a in import_actions(read_rows(path)).areas] == ["1", "2"]


def test_every_bad_row_is_reported_and_the_others_imported(tmp_path: Path) -> None:
    rows = [
        ["ID", "Title", "Lead", "Deadline", "Status", "Impact", "Progress", "Updated"],  # 1
        ["", "", "", "", "", "", "Orphan note", ""],  # 2
        ["1.1", "Good", "Lead A", "March 2023", "green", "", "", ""],  # 3
        ["1.2", "Bad date", "Lead A", "March 2023", "green", "", "", "31/02/2023"],  # 4
        ["1.3", "Bad rating", "Lead A", "March 2023", "purple", "X", "", ""],  # 5
        ["1.4", "Bad deadline", "Lead A", "Marhc 2023", "red", "", "", ""],  # 6
        ["1.1", "Duplicate", "Lead A", "", "blue", "", "", ""],  # 7
        ["", "", "", "", "", "", "continues a row that failed", ""],  # 8
        ["7", "No area", "Lead A", "", "red", "", "", ""],  # 9
        ["1.5", "", "", "", "", "", "", ""],  # 10
        ["", "", "", "", "", "", "", ""],  # 11
        ["1 6", "Spaced id", "Lead A", "", "red", "", "", ""],  # 12
        ["", "", "Lead A", "", "red", "", "", ""],  # 13
        ["1.7", "Last", "Lead A", "2023-03-31", "Red", "g", "", "2023-01-05"],  # 14
        ["1.8", "Not a date", "Lead A", "", "red", "", "", "last week"],  # 15
    ]
    imported = import_csv(tmp_path, rows)

    assert imported.problems == [
        RowProblem(
            2,
            "has progress but no id or action, and there is no action above it to continue; "
            "give the action's id and title",
        ),
        RowProblem(4, "updated '31/02/2023' is not a date; write it as YYYY-MM-DD or DD/MM/YYYY"),
        RowProblem(5, f"status 'purple' is not one of {RATINGS}"),
        RowProblem(5, f"impact 'X' is not one of {RATINGS}"),
        RowProblem(6, f"deadline 'Marhc 2023' is not a date bragcli understands; {DEADLINE_FORMS}"),
        RowProblem(7, "id '1.1' is already used on row 3; action ids must be unique"),
        RowProblem(8, "continues the action on row 7, which could not be imported"),
        RowProblem(
            9,
            "id '7' does not say its area; add an area column, or write the id as AREA.NUMBER, "
            "e.g. 2.4 for action 4 of area 2",
        ),
        RowProblem(10, "action is empty; give the action's title"),
        RowProblem(10, "lead is empty; give the lead role"),
        RowProblem(10, f"status is empty; give one of {RATINGS}"),
        RowProblem(12, "id '1 6' must be one word, without spaces"),
        RowProblem(
            13,
            "has no id and no action; give the action's id and title "
            "(a row with only progress text continues the action above)",
        ),
        RowProblem(15, "updated 'last week' is not a date; write it as YYYY-MM-DD or DD/MM/YYYY"),
    ]
    assert imported.rows == 13  # row 11 is blank
    (area,) = imported.areas
    assert (area.id, area.title) == ("1", "Area 1")
    assert [(a.id, a.status, a.impact, a.updated) for a in area.actions] == [
        ("1.1", Rating.GREEN, None, None),
        ("1.7", Rating.RED, Rating.GREEN, date(2023, 1, 5)),
    ]


def test_a_missing_required_column_is_one_problem_on_the_header(tmp_path: Path) -> None:
    imported = import_csv(tmp_path, [["Ref", "Action", "RAG"], ["1.1", "Do it", "red"]])
    assert imported.problems == [
        RowProblem(
            1,
            "no 'lead' column: the header needs a column named one of lead, owner, "
            "lead officer, responsible, responsible officer, accountable",
        )
    ]
    assert (imported.areas, imported.rows) == ([], 1)

    imported = import_csv(tmp_path, [["Area", "Notes"], ["1", "x"]])
    assert [p.row for p in imported.problems] == [1, 1, 1, 1]
    assert [p.message.split(":")[0] for p in imported.problems] == [
        "no 'id' column",
        "no 'action' column",
        "no 'lead' column",
        "no 'status' column",
    ]


def test_an_empty_sheet(tmp_path: Path) -> None:
    imported = import_actions([[], ["", " "]])
    assert imported.problems == [
        RowProblem(
            1, "the sheet is empty; its first row must be the header, e.g. " + ", ".join(COLUMNS)
        )
    ]
    assert imported.areas == [] and imported.rows == 0


def test_header_names_any_case_punctuation_and_exact_names_first() -> None:
    header = [
        "Owner",
        "ACTION NO.",
        "Action title",
        "LEAD",
        "Due date",
        "Status (computed)",
        "RAG",
        "Updates",
        "Comments",
        "Date-updated",
        "due",
        "Overdue (computed)",
        "",
    ]
    row = ["Someone", "3.1", "Do it", "Lead role", "31/03/2023", "green", "red", "one\ntwo",
           "ignored", "01/02/2023", "", "", ""]  # fmt: skip
    imported = import_actions([header, row])
    assert imported.problems == []
    # "Lead" (exact) wins over "Owner"; "Status" (exact) over "RAG"; the first progress synonym
    # wins; due and overdue are bragcli's own export columns and not reported.
    assert imported.ignored_columns == ["Owner", "RAG", "Comments"]
    (area,) = imported.areas
    assert area.id == "3" and area.title == "Area 3"
    assert area.actions == [
        Action(
            id="3.1",
            title="Do it",
            lead=["Lead role"],
            deadline="31/03/2023",
            status=Rating.GREEN,
            updated=date(2023, 2, 1),
            progress=["one", "two"],
        )
    ]


@pytest.mark.parametrize(
    ("cell", "rating"),
    [
        ("Blue", Rating.BLUE),
        (" GREEN ", Rating.GREEN),
        ("a", Rating.AMBER),
        ("R", Rating.RED),
        ("Not started", Rating.NOT_STARTED),
        ("Not yet due", Rating.NOT_STARTED),
        ("not-started", Rating.NOT_STARTED),
    ],
)
def test_ratings_in_any_case_spelling_or_letter(cell: str, rating: Rating) -> None:
    imported = import_actions(
        [["id", "action", "lead", "status", "impact"], ["1.1", "x", "L", cell, cell]]
    )
    (area,) = imported.areas
    assert (area.actions[0].status, area.actions[0].impact) == (rating, rating)


def test_area_headings_area_words_and_conflicting_titles() -> None:
    rows = [
        ["Area", "Area title", "ID", "Action", "Lead", "Status"],
        ["Area 4", "Practice", "", "", "", ""],  # a heading row: starts area 4
        ["", "", "4.1", "First", "L", "red"],
        ["", "Practice", "4.2", "Second", "L", "red"],
        ["4", "Something else", "4.3", "Third", "L", "red"],
        ["two words", "", "9.1", "Bad area", "L", "red"],
        ["10", "", "10.1", "Untitled area", "L", "red"],
    ]
    imported = import_actions(rows)
    assert imported.problems == [
        RowProblem(
            5,
            "area 4 is titled 'Something else' here but 'Practice' on row 2; "
            "give each area one title",
        ),
        RowProblem(6, "area 'two words' must be one word (an id such as 2), without spaces"),
    ]
    assert [(a.id, a.title, [x.id for x in a.actions]) for a in imported.areas] == [
        ("4", "Practice", ["4.1", "4.2"]),
        ("10", "Area 10", ["10.1"]),
    ]


def test_a_continuation_row_with_other_fields_is_not_a_continuation() -> None:
    rows = [
        ["ID", "Action", "Lead", "Status", "Progress"],
        ["1.1", "First", "L", "red", "note"],
        ["", "", "L", "", "more"],
    ]
    imported = import_actions(rows)
    assert [p.row for p in imported.problems] == [3]
    assert imported.areas[0].actions[0].notes_text == ("note",)


# --- xlsx in --------------------------------------------------------------------------------


def test_xlsx_with_merged_cells_dates_and_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Area", "Area title", "Action no", "Action", "Lead officer", "Target date",
                  "BRAG rating", "Impact", "Progress update", "Date updated"])  # fmt: skip
    sheet.append([1, "Leadership", 1.1, "First", "L", datetime(2023, 3, 31), "Green", None,
                  "• one\n• two", datetime(2022, 11, 24)])  # fmt: skip
    sheet.append([None, None, 1.2, "Second", "L", "March 2023", "red", "A", None, None])
    sheet.append([])  # row 4: blank
    sheet.append([2, "Workforce", "2.10", "Third", "L", None, "blue", None, None, "24/11/2022"])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    path = tmp_path / "tracker.xlsx"
    book.save(path)

    rows = read_rows(path)
    assert rows[1][:3] == ["1", "Leadership", "1.1"]
    assert rows[1][5] == "2023-03-31" and rows[1][9] == "2022-11-24"
    assert not any(rows[3])
    imported = import_actions(rows)
    assert imported.problems == [] and imported.rows == 3
    assert [(a.id, a.title, [x.id for x in a.actions]) for a in imported.areas] == [
        ("1", "Leadership", ["1.1", "1.2"]),
        ("2", "Workforce", ["2.10"]),
    ]
    first = imported.areas[0].actions[0]
    assert (first.deadline, first.updated, first.notes_text) == (
        "2023-03-31",
        date(2022, 11, 24),
        ("one", "two"),
    )


def test_row_numbers_in_xlsx_count_blank_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B3"] = "id"  # the header is on row 3 and starts in column B
    sheet["C3"], sheet["D3"], sheet["E3"] = "action", "lead", "status"
    sheet["B7"], sheet["C7"], sheet["D7"], sheet["E7"] = "1.1", "x", "L", "purple"
    path = tmp_path / "gaps.xlsx"
    book.save(path)
    imported = import_actions(read_rows(path))
    assert imported.problems == [RowProblem(7, f"status 'purple' is not one of {RATINGS}")]


# --- reading files ------------------------------------------------------------------------------


def test_read_rows_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "plan.ods").write_bytes(b"x")
    with pytest.raises(BragError, match=r"\.ods files are not read; save the sheet as \.xlsx"):
        read_rows(tmp_path / "plan.ods")
    (tmp_path / "plan.txt").write_text("x")
    with pytest.raises(BragError, match=r"give a \.csv or \.xlsx file"):
        read_rows(tmp_path / "plan.txt")
    # Windows-1252 is read (tests/test_sheet_update.py); a byte it leaves undefined is not
    (tmp_path / "latin1.csv").write_bytes(b"id,action\n1.1,caf\xe9\x81\n")
    with pytest.raises(BragError, match=r"is not UTF-8 text \(byte 0xe9.*CSV UTF-8"):
        read_rows(tmp_path / "latin1.csv")
    with pytest.raises(BragError, match="cannot be read"):
        read_rows(tmp_path / "missing.csv")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip file")
    with pytest.raises(BragError, match=r"cannot be read as an Excel \.xlsx workbook"):
        read_rows(tmp_path / "broken.xlsx")
    with pytest.raises(BragError, match="no such file"):
        read_rows(tmp_path / "missing.xlsx")


def test_xlsx_without_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl now fails
    with pytest.raises(ExcelMissing, match=r"pip install 'bragcli\[excel\]'"):
        read_rows(tmp_path / "plan.xlsx")
    with pytest.raises(ExcelMissing):
        write_xlsx([["id"]], tmp_path / "plan.xlsx")
    assert issubclass(ExcelMissing, BragError)


# --- export -------------------------------------------------------------------------------


def test_export_rows() -> None:
    plan, areas = sample()
    rows = export_rows(plan, areas, AS_OF)
    assert rows[0] == EXPORT_COLUMNS
    assert len(rows) == 1 + 62
    by_id = {row[2]: dict(zip(EXPORT_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert by_id["3.1"]["deadline"] == "January 2022"
    assert (by_id["3.1"]["due"], by_id["3.1"]["overdue"]) == ("2022-01-31", "yes")
    assert by_id["3.5"]["lead"] == (
        "Head of Service (Corporate Parenting); Head of Service (Strategic Housing Manager)"
    )
    assert by_id["2.2"]["status"] == "not-started"
    assert by_id["2.4"]["impact"] == "amber" and by_id["2.1"]["impact"] == ""
    assert by_id["2.1"]["updated"] == "2022-11-24"
    assert by_id["2.3"]["progress"] == (
        "Draft Career Progression Pathway complete November 2022\nCPD under review"
    )
    assert (by_id["7.4"]["deadline"], by_id["7.4"]["due"], by_id["7.4"]["overdue"]) == (
        "",
        "",
        "no",
    )


# --- round trips -----------------------------------------------------------------------------

Writer = Callable[[list[list[str]], Path], None]
FORMATS: list[tuple[str, Writer]] = [(".csv", write_csv), (".xlsx", write_xlsx)]


@pytest.mark.parametrize(("suffix", "write"), FORMATS, ids=["csv", "xlsx"])
def test_the_sample_plan_round_trips(tmp_path: Path, suffix: str, write: Writer) -> None:
    plan, areas = sample()
    path = tmp_path / f"plan{suffix}"
    write(export_rows(plan, areas, AS_OF), path)
    imported = import_actions(read_rows(path))
    assert imported.problems == [] and imported.ignored_columns == []
    assert imported.rows == 62
    assert imported.areas == one_row_per_action(areas)


TRICKY_TITLES = ['=HYPERLINK("http://evil.example","click")', "+1", "-1", "@x", "=SUM(A1)"]


def tricky_area() -> Area:
    actions = [
        Action(id=f"1.{n}", title=title, lead=["L"], status=Rating.RED)
        for n, title in enumerate(TRICKY_TITLES, 1)
    ]
    actions.append(
        Action(
            id="1.9",
            title="Notes that look like formulas",
            lead=["=Lead", "@Other lead"],
            deadline="March 2023",
            status=Rating.AMBER,
            impact=Rating.NOT_STARTED,
            progress=["=1+1", "-1 on last month", "@mention"],
        )
    )
    return Area(id="1", title="+Area", actions=actions)


def test_formula_injection_csv(tmp_path: Path) -> None:
    plan, _ = sample()
    area = tricky_area()
    path = tmp_path / "plan.csv"
    write_csv(export_rows(plan, [area], AS_OF), path)

    raw = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert [row[3] for row in raw[1:6]] == ["'" + t for t in TRICKY_TITLES]
    assert raw[1][1] == "'+Area"
    imported = import_actions(read_rows(path))
    assert imported.problems == []
    assert imported.areas == [area]


def test_formula_injection_xlsx(tmp_path: Path) -> None:
    plan, _ = sample()
    area = tricky_area()
    path = tmp_path / "plan.xlsx"
    write_xlsx(export_rows(plan, [area], AS_OF), path)

    sheet = openpyxl.load_workbook(path).active
    titles = [sheet.cell(row=r, column=4) for r in range(2, 7)]
    assert [c.value for c in titles] == TRICKY_TITLES  # no apostrophe: the cell is text
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert len(cells) > 40 and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere
    assert not any("vba" in n.lower() or n.endswith(".bin") for n in names)  # no macros
    imported = import_actions(read_rows(path))
    assert imported.problems == []
    assert imported.areas == [area]


def test_xlsx_layout_and_colours(tmp_path: Path) -> None:
    plan, areas = sample()
    rows = export_rows(plan, areas, AS_OF)
    path = tmp_path / "plan.xlsx"
    write_xlsx(rows, path)

    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[1]] == EXPORT_COLUMNS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:P{len(rows)}"  # 16 columns
    status_col, impact_col = EXPORT_COLUMNS.index("status") + 1, EXPORT_COLUMNS.index("impact") + 1
    expected = {
        "blue": ("1D4ED8", "FFFFFF"),
        "green": ("166534", "FFFFFF"),
        "amber": ("FBBF24", "000000"),
        "red": ("B91C1C", "FFFFFF"),
        "not-started": ("E5E7EB", "000000"),
    }
    seen = set()
    for r in range(2, len(rows) + 1):
        for col in (status_col, impact_col):
            cell = sheet.cell(row=r, column=col)
            if not cell.value:
                assert cell.fill.fill_type is None
                continue
            fill, text = expected[cell.value]
            assert cell.fill.fill_type == "solid"
            assert cell.fill.fgColor.rgb == f"FF{fill}"
            assert cell.font.color.rgb == f"FF{text}"
            seen.add(cell.value)
    assert seen == set(expected)
    widths = {k: v.width for k, v in sheet.column_dimensions.items()}
    assert 8 <= widths["C"] <= 12  # ids are short
    assert widths["D"] == 62 and widths["I"] == 62  # action and progress: capped and wrapped
    assert sheet.cell(row=2, column=4).alignment.wrap_text


def test_xlsx_refuses_a_cell_excel_cannot_hold(tmp_path: Path) -> None:
    with pytest.raises(BragError, match="over Excel's limit of 32,767"):
        write_xlsx([["id", "progress"], ["1.1", "x" * 40_000]], tmp_path / "big.xlsx")


# --- YAML out -------------------------------------------------------------------------------


def test_area_yaml_of_every_sample_area_loads_back_equal() -> None:
    _, areas = sample()
    for area in areas:
        text = area_yaml(area)
        assert text.startswith("# yaml-language-server: $schema=../schemas/area.schema.json\n")
        assert area_from_yaml(text) == area


@pytest.mark.parametrize("name", sorted(p.name for p in (EXAMPLES / "valid").glob("*.yaml")))
def test_area_yaml_of_the_valid_examples_loads_back_equal(name: str) -> None:
    result = area_result(read_bytes((EXAMPLES / "valid" / name).read_bytes(), name))
    assert isinstance(result, AreaSource)
    assert area_from_yaml(area_yaml(result.area)) == result.area


def test_area_yaml_format() -> None:
    area = Area(
        id="1.10",
        title="Café – ünïcode stays",
        actions=[
            Action(
                id="010",
                title="@starts with a reserved character",
                lead=["One role"],
                status=Rating.NOT_STARTED,
            ),
            Action(
                id="1e3",
                title="yes",
                lead=["Role A", "Role B"],
                deadline="",
                status=Rating.AMBER,
                impact=Rating.GREEN,
                updated=date(2023, 1, 20),
                success_criteria="More carers",
                progress=["First", "Line one\nline two"],
            ),
        ],
    )
    assert area_yaml(area) == (
        "# yaml-language-server: $schema=../schemas/area.schema.json\n"
        'id: "1.10"\n'
        "title: Café – ünïcode stays\n"
        "actions:\n"
        '  - id: "010"\n'
        "    title: '@starts with a reserved character'\n"
        "    lead: One role\n"
        "    status: not-started\n"
        '  - id: "1e3"\n'
        "    title: 'yes'\n"
        "    lead:\n"
        "      - Role A\n"
        "      - Role B\n"
        "    deadline: ''\n"
        "    status: amber\n"
        "    impact: green\n"
        "    updated: 2023-01-20\n"
        "    success_criteria: More carers\n"
        "    progress:\n"
        "      - First\n"
        "      - |-\n"
        "        Line one\n"
        "        line two\n"
    )
    assert area_from_yaml(area_yaml(area)) == area


def test_area_yaml_of_an_imported_sheet(tmp_path: Path) -> None:
    imported = import_csv(tmp_path, TRACKER)
    for area in imported.areas:
        assert area_from_yaml(area_yaml(area)) == area


def test_plan_yaml() -> None:
    text = plan_yaml("Improvement Plan: 2023 – 2025", "Example Council")
    assert text.startswith("# yaml-language-server: $schema=../schemas/plan.schema.json\n")
    plan = plan_result(read_bytes(text.encode("utf-8"), "plan.yaml"))
    assert plan == Plan(title="Improvement Plan: 2023 – 2025", organisation="Example Council")


_TEXT = st.text(st.characters(codec="utf-8"), min_size=1, max_size=120)
_ID = st.text(
    st.characters(exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=8
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    area_id=_ID,
    title=_TEXT,
    action_id=_ID,
    lead=st.lists(_TEXT, min_size=1, max_size=3),
    deadline=st.none() | st.text(max_size=30),
    progress=st.lists(_TEXT, max_size=3),
)
def test_area_yaml_round_trips_any_text(
    area_id: str,
    title: str,
    action_id: str,
    lead: list[str],
    deadline: str | None,
    progress: list[str],
) -> None:
    try:
        area = Area.model_validate(
            {
                "id": area_id,
                "title": title,
                "actions": [
                    {
                        "id": action_id,
                        "title": title,
                        "lead": lead,
                        "deadline": deadline,
                        "status": "red",
                        "progress": progress,
                    }
                ],
            }
        )
    except ValidationError:
        return  # blank text or an id with spaces: not an area to write
    assert area_from_yaml(area_yaml(area)) == area
