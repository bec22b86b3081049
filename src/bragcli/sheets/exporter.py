"""Plans to spreadsheets: one row per action with its computed due date and overdue flag,
as CSV or as an .xlsx workbook.

Every cell is text: a title such as ``=HYPERLINK(...)`` is never a formula (CSV cells go
through `csv_safe`; Excel cells are stored as text), and import gives the text back as it
was. openpyxl is needed only for .xlsx (``pip install 'bragcli[excel]'``).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

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


_WIDE_COLUMNS = frozenset(
    {"area title", "action", "lead", "progress", "success criteria", "source", "impact evidence"}
)


def write_xlsx(rows: list[list[str]], path: Path) -> None:
    """Write `xlsx_bytes(rows)` to `path` (never over a plan file)."""
    from bragcli.outputs import write_bytes

    write_bytes(path, xlsx_bytes(rows))


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    """The rows as an .xlsx workbook of text cells (never formulas), one sheet, no macros.

    The header is bold and frozen with an auto-filter; status and impact cells keep their
    word and are also filled in the rating's colour. Characters a workbook cannot hold (NUL
    and other controls) are written escaped (\\x00); a leading apostrophe is doubled where
    import would take it for csv_safe's, so the text comes back as it was.
    """
    from bragcli.render.palette import PALETTE

    openpyxl = openpyxl_module()
    styles = openpyxl_module("openpyxl.styles")
    utils = openpyxl_module("openpyxl.utils")
    illegal = openpyxl_module("openpyxl.cell.cell").ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actions"
    header = [str(c) for c in rows[0]] if rows else []
    rating_columns = {
        i for i, name in enumerate(header) if header_key(name) in {"status", "impact"}
    }
    fills = {
        rating: (
            styles.PatternFill(fill_type="solid", start_color=swatch.xlsx, end_color=swatch.xlsx),
            styles.Font(color=swatch.xlsx_ink),
        )
        for rating, swatch in PALETTE.items()
    }
    bold = styles.Font(bold=True)
    wrap = styles.Alignment(wrap_text=True, vertical="top")
    widths: dict[int, int] = {}

    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            text = apostrophe_safe(illegal.sub(lambda m: visible(m.group()), str(value)))
            if len(text) > EXCEL_CELL_LIMIT:
                raise BragError(
                    f"row {r}, column {header[c - 1] if c <= len(header) else c} holds "
                    f"{len(text):,} characters, over Excel's limit of {EXCEL_CELL_LIMIT:,} for "
                    "one cell; export as CSV instead"
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
            longest = max((len(line) for line in text.split("\n")), default=0)
            widths[c] = max(widths.get(c, 0), longest)

    for c, longest in widths.items():
        name = header[c - 1] if c <= len(header) else ""
        cap = 60 if name in _WIDE_COLUMNS else 24
        width = max(min(longest, cap), len(name), 6) + 2
        sheet.column_dimensions[utils.get_column_letter(c)].width = width
    if rows:
        sheet.freeze_panes = "A2"
        last = utils.get_column_letter(max(len(row) for row in rows) or 1)
        sheet.auto_filter.ref = f"A1:{last}{len(rows)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _known_rating(text: str) -> Rating | None:
    try:
        return Rating(normalise_rating(text))
    except ValueError:
        return None
