"""Plans to spreadsheets: one row per action with its computed due date and overdue flag,
as CSV, or as an .xlsx workbook that carries the whole plan (`plan_sheets`: areas, measures,
outcomes, roles, settings, and a hidden About sheet naming the git revision).

Every cell is text: a title such as ``=HYPERLINK(...)`` is never a formula (CSV cells go
through `csv_safe`; Excel cells are stored as text), and import gives the text back as it
was. openpyxl is needed only for .xlsx (``pip install 'bragcli[excel]'``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bragcli.compute.rollup import view_actions
from bragcli.model import Area, Plan, Rating, normalise_rating
from bragcli.problems import BragError
from bragcli.render.wording import FORMULA_START, apostrophe_safe, csv_safe
from bragcli.safetext import visible
from bragcli.sheets.importer import COLUMNS, COMPUTED_COLUMNS, header_key
from bragcli.sheets.read import EXCEL_CELL_LIMIT, openpyxl_module

#: The header export writes; import reads it back and passes over the computed columns.
EXPORT_COLUMNS = [*COLUMNS, *COMPUTED_COLUMNS]


def export_rows(plan: Plan, areas: list[Area], as_of: date) -> list[list[str]]:
    """The header (EXPORT_COLUMNS) and one row per action, with due and overdue at as_of."""
    rows = [list(EXPORT_COLUMNS)]
    for view in view_actions(plan, areas, as_of):
        action = view.action
        rows.append(
            [
                view.area.id,
                view.area.title,
                action.id,
                action.title,
                "; ".join(action.lead),
                action.deadline or "",
                action.status.value,
                action.impact.value if action.impact is not None else "",
                "\n".join(note.written for note in action.progress),
                action.updated.isoformat() if action.updated is not None else "",
                action.success_criteria or "",
                action.baseline or "",
                "\n".join(action.source),
                "\n".join(action.impact_evidence),
                view.due.isoformat() if view.due is not None else "",
                "yes" if view.overdue else "no",
            ]
        )
    return rows


def csv_bytes(rows: list[list[str]]) -> bytes:
    """The rows as UTF-8 CSV (with a byte order mark, for Excel); cells through csv_safe."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([csv_safe(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_csv(rows: list[list[str]], path: Path) -> None:
    """Write `csv_bytes(rows)` to `path` (never over a plan file)."""
    from bragcli.outputs import write_bytes

    write_bytes(path, csv_bytes(rows))


#: Columns of long text: wider (up to 60 characters) than the others (24).
_WIDE_COLUMNS = frozenset(
    {"area title", "action", "lead", "progress", "success criteria", "source", "impact evidence",
     "measure", "outcome", "evidence", "role", "holder", "value"}
)  # fmt: skip


def write_xlsx(rows: list[list[str]], path: Path) -> None:
    """Write `xlsx_bytes(rows)` to `path` (never over a plan file)."""
    from bragcli.outputs import write_bytes

    write_bytes(path, xlsx_bytes(rows))


#: Names of the sheets a full-plan workbook holds besides Actions (import reads them back).
MEASURES_SHEET, ROLES_SHEET, PLAN_SHEET = "Measures", "Roles", "Plan"
OUTCOMES_SHEET, AREAS_SHEET, ABOUT_SHEET = "Outcomes", "Areas", "About"
MEASURE_COLUMNS = ["area", "measure", "good", "target", "unit", "period", "value", "source"]
ROLE_COLUMNS = ["role", "holder"]
PLAN_COLUMNS = ["setting", "value"]
OUTCOME_COLUMNS = ["area", "outcome", "evidence"]
AREA_COLUMNS = ["area", "area title", "lead", "status", "impact"]


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet: its name, header and rows of text, and whether it is hidden."""

    title: str
    rows: list[list[str]]
    hidden: bool = False


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def plan_sheets(plan: Plan, areas: list[Area], about: dict[str, str]) -> list[Sheet]:
    """The sheets after Actions that carry the rest of the plan: areas, measures (one row per
    reading), outcomes, roles, the plan's settings, and the hidden About sheet."""
    area_rows = [list(AREA_COLUMNS)]
    measure_rows = [list(MEASURE_COLUMNS)]
    outcome_rows = [list(OUTCOME_COLUMNS)]
    for area in areas:
        area_rows.append(
            [area.id, area.title, "; ".join(area.lead), *(r.value if r else "" for r in
             (area.status, area.impact))]
        )  # fmt: skip
        for measure in area.measures:
            head = [area.id, measure.name, measure.good or "", measure.target or "",
                    measure.unit or ""]  # fmt: skip
            if not measure.readings:
                measure_rows.append([*head, "", "", ""])
            for reading in measure.readings:
                measure_rows.append(
                    [*head, reading.period, _number(reading.value), reading.source or ""]
                )
        for outcome in area.outcomes:
            outcome_rows.append([area.id, outcome.text, "\n".join(outcome.evidence)])
    settings = [
        ["title", plan.title],
        ["organisation", plan.organisation],
        ["version", plan.version or ""],
        ["start", plan.start.isoformat() if plan.start else ""],
        ["quarters", plan.quarters],
        *([f"brag key: {rating.value}", text] for rating, text in plan.brag_key.items()),
        ["checks: disable", "\n".join(plan.checks.disable)],
        ["checks: enable", "\n".join(plan.checks.enable)],
        ["checks: stale_days", str(plan.checks.stale_days)],
    ]
    return [
        Sheet(AREAS_SHEET, area_rows),
        Sheet(MEASURES_SHEET, measure_rows),
        Sheet(OUTCOMES_SHEET, outcome_rows),
        Sheet(ROLES_SHEET, [list(ROLE_COLUMNS), *([r, h] for r, h in plan.roles.items())]),
        Sheet(PLAN_SHEET, [list(PLAN_COLUMNS), *settings]),
        Sheet(ABOUT_SHEET, [["about", "value"], *([k, v] for k, v in about.items())], True),
    ]


def xlsx_bytes(rows: list[list[str]], extra: Sequence[Sheet] = ()) -> bytes:
    """The rows as an .xlsx workbook of text cells (never formulas), no macros: the Actions
    sheet, then the `extra` sheets.

    Each header is bold and frozen with an auto-filter; status and impact cells keep their
    word, are filled in the rating's colour, and offer the ratings in a drop-down. Pages
    print landscape, one page wide, the header repeated, text wrapped in rows tall enough
    to show it. Characters a workbook cannot hold (NUL and other controls) are written
    escaped (\\x00); a leading apostrophe is doubled where import would take it for
    csv_safe's, so the text comes back as it was.
    """
    openpyxl = openpyxl_module()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actions"
    _fill(sheet, rows, ratings=True)
    for other in extra:
        added = book.create_sheet(other.title)
        _fill(added, other.rows, ratings=False)
        if other.hidden:
            added.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


#: Points a wrapped line of text takes in a row (11-point Calibri), and the tallest row.
_LINE_POINTS = 15
_MAX_ROW_POINTS = 409  # Excel's limit


def _fill(sheet: Any, rows: list[list[str]], *, ratings: bool) -> None:
    from bragcli.render.palette import PALETTE

    styles = openpyxl_module("openpyxl.styles")
    utils = openpyxl_module("openpyxl.utils")
    validation = openpyxl_module("openpyxl.worksheet.datavalidation")
    illegal = openpyxl_module("openpyxl.cell.cell").ILLEGAL_CHARACTERS_RE

    header = [str(c) for c in rows[0]] if rows else []
    rating_columns = (
        {i for i, name in enumerate(header) if header_key(name) in {"status", "impact"}}
        if ratings
        else set()
    )
    fills = {
        rating: (
            styles.PatternFill(fill_type="solid", start_color=swatch.xlsx, end_color=swatch.xlsx),
            styles.Font(color=swatch.xlsx_ink),
        )
        for rating, swatch in PALETTE.items()
    }
    bold = styles.Font(bold=True)
    wrap = styles.Alignment(wrap_text=True, vertical="top")
    texts: list[list[str]] = []

    for r, row in enumerate(rows, 1):
        kept = []
        for c, value in enumerate(row, 1):
            text = apostrophe_safe(illegal.sub(lambda m: visible(m.group()), str(value)))
            if len(text) > EXCEL_CELL_LIMIT:
                raise BragError(
                    f"{sheet.title} row {r}, column {header[c - 1] if c <= len(header) else c} "
                    f"holds {len(text):,} characters, over Excel's limit of "
                    f"{EXCEL_CELL_LIMIT:,} for one cell; export as CSV instead"
                )
            cell = sheet.cell(row=r, column=c)
            if text:  # an empty cell stays blank (an empty string is not blank to Excel)
                cell.value = text
                cell.data_type = "s"  # openpyxl makes text starting with '=' a formula: undo that
            cell.number_format = "@"  # and keep it text if someone edits it in Excel
            if text.startswith(FORMULA_START):
                cell.quotePrefix = True
            cell.alignment = wrap
            if r == 1:
                cell.font = bold
            elif c - 1 in rating_columns:
                rating = _known_rating(text)
                if rating is not None:
                    cell.fill, cell.font = fills[rating]
            kept.append(text)
        texts.append(kept)

    widths = _widths(header, texts)
    for c, width in widths.items():
        sheet.column_dimensions[utils.get_column_letter(c)].width = width
    for r, row in enumerate(texts, 1):
        lines = max((_wrapped_lines(text, widths.get(c, 10)) for c, text in enumerate(row, 1)),
                    default=1)  # fmt: skip
        if lines > 1:
            sheet.row_dimensions[r].height = min(lines * _LINE_POINTS, _MAX_ROW_POINTS)
    if not rows:
        return
    last = utils.get_column_letter(max(len(row) for row in rows) or 1)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(rows)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    words = ",".join(r.value for r in Rating)
    for c in sorted(rating_columns):
        letter = utils.get_column_letter(c + 1)
        rule = validation.DataValidation(
            type="list", formula1=f'"{words}"', allow_blank=True, showErrorMessage=True,
            errorTitle="Not a rating", error=f"Choose one of: {words.replace(',', ', ')}",
        )  # fmt: skip
        rule.add(f"{letter}2:{letter}{max(len(rows), 2) + 500}")
        sheet.add_data_validation(rule)


def _widths(header: list[str], texts: list[list[str]]) -> dict[int, int]:
    """Each column's width in characters: its longest line, within a cap."""
    longest: dict[int, int] = {}
    for row in texts:
        for c, text in enumerate(row, 1):
            line = max((len(part) for part in text.split("\n")), default=0)
            longest[c] = max(longest.get(c, 0), line)
    widths = {}
    for c, size in longest.items():
        name = header[c - 1] if c <= len(header) else ""
        cap = 60 if name in _WIDE_COLUMNS else 24
        widths[c] = max(min(size, cap), len(name), 6) + 2
    return widths


def _wrapped_lines(text: str, width: int) -> int:
    """How many lines `text` takes wrapped in a column `width` characters wide."""
    room = max(width - 2, 1)
    return sum(max(1, -(-len(part) // room)) for part in text.split("\n")) if text else 1


def _known_rating(text: str) -> Rating | None:
    try:
        return Rating(normalise_rating(text))
    except ValueError:
        return None
