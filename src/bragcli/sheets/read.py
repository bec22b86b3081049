"""Cells as text from a tracker spreadsheet (.csv, or every sheet of an .xlsx), within
import's bounds.

What is read is bounded (file size, an xlsx's unzipped size and parts, rows, cells,
characters per cell and in all), so a hostile file is refused early in little memory.
openpyxl is needed only for .xlsx (``pip install 'bragcli[excel]'``).
"""

from __future__ import annotations

import codecs
import csv
import importlib
import io
import re
import warnings
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from bragcli.problems import BragError

#: More rows than any plan has: a sheet this long is the wrong sheet (or a zip bomb).
MAX_ROWS = 100_000
#: Excel refuses (or silently cuts) a cell longer than this.
EXCEL_CELL_LIMIT = 32_767
#: Import's bounds. A council's tracker is well under a megabyte; these are generous.
MAX_SOURCE_BYTES = 20 * 1024 * 1024  # a .csv or .xlsx file as stored
MAX_XLSX_UNZIPPED = 32 * 1024 * 1024  # an .xlsx's parts once unzipped (checked before parsing)
MAX_XLSX_PARTS = 1_000
MAX_CELLS = 2_000_000  # rows x columns as read
MAX_CELL_CHARS = EXCEL_CELL_LIMIT
MAX_TEXT_CHARS = 10_000_000  # all cells together


class ExcelMissing(BragError):
    """Reading or writing .xlsx without openpyxl installed."""

    def __init__(self) -> None:
        super().__init__(
            "reading and writing Excel (.xlsx) files needs openpyxl: "
            "pip install 'bragcli[excel]' (or save the sheet as CSV)"
        )


class UncomputedFormula(str):
    """An xlsx cell holding a formula with no saved value: the text is the formula.

    A program that does not calculate formulas (a script, some exporters) saves none; reading
    such a cell as empty would silently lose a deadline, so import reports it.
    """


def read_rows(path: Path) -> list[list[str]]:
    """The actions' cells as text, from .csv or .xlsx (its Actions sheet, else its first),
    with bragcli's export row blank (see `provenance.locate`)."""
    from bragcli.sheets.provenance import locate

    return locate(actions_sheet(read_sheets(path))).rows


def actions_sheet(sheets: dict[str, list[list[str]]]) -> list[list[str]]:
    """The sheet of actions: a workbook's Actions sheet (as export writes it), else its first."""
    return sheets.get(ACTIONS_SHEET) or next(iter(sheets.values()), [])


#: The sheet of actions in a workbook that export wrote (import reads the first otherwise).
ACTIONS_SHEET = "Actions"


def read_sheets(path: Path, *, notes: list[str] | None = None) -> dict[str, list[list[str]]]:
    """Every sheet's cells as text, by sheet name, in the workbook's order; a CSV is one sheet,
    named "Actions".

    CSV is read as UTF-8 (with or without a byte order mark), UTF-16 with its byte order mark
    (Excel's "Unicode Text"), or else Windows-1252 (Excel's "CSV (Comma delimited)" on
    Windows), which is named in `notes`; its delimiter is sniffed from the header: comma,
    semicolon or tab. In .xlsx, formulas give their cached values, dates become YYYY-MM-DD
    (or "March 2023" when the cell shows only the month and year) and whole numbers lose their
    ".0". Raises BragError for other suffixes or an unreadable file, ExcelMissing for .xlsx
    without openpyxl.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _checked_decoding({ACTIONS_SHEET: _read_csv(path, notes)}, path)
    if suffix == ".xlsx":
        return _checked_decoding(_read_xlsx(path), path)
    if suffix in {".xls", ".xlsm", ".xlsb", ".ods", ".numbers"}:
        raise BragError(f"{path}: {suffix} files are not read; save the sheet as .xlsx or .csv")
    raise BragError(f"{path}: not a spreadsheet bragcli reads; give a .csv or .xlsx file")


#: A UTF-8 byte order mark read as Windows-1252 or Latin-1: the file was opened in the wrong
#: character set (a spreadsheet's CSV import set to "Western"), so every accented letter of
#: it is wrong as well.
_MISREAD_BOM = "\u00ef\u00bb\u00bf"


def _checked_decoding(sheets: dict[str, list[list[str]]], path: Path) -> dict[str, list[list[str]]]:
    """The sheets, unless the first cell of one shows that a UTF-8 file was read as another
    character set on its way (a BragError says what to do)."""
    for name, rows in sheets.items():
        first = next((row[0] for row in rows if row and any(c.strip() for c in row)), "")
        if first.startswith(_MISREAD_BOM):
            raise BragError(
                f"{path}: sheet {name} begins with {_MISREAD_BOM!r}: a UTF-8 file was opened as "
                "Western (Windows-1252) text, so its accented letters are wrong too; open the "
                "CSV from brag export again choosing the character set UTF-8, and save it"
            )
    return sheets


def megabytes(size: int) -> str:
    """A size for a message: "20.0 MB"."""
    return f"{size / (1024 * 1024):,.1f} MB"


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise BragError(f"{path}: cannot be read: {e.strerror or e}") from e
    if size > MAX_SOURCE_BYTES:
        raise BragError(
            f"{path}: is {megabytes(size)}, over the {megabytes(MAX_SOURCE_BYTES)} bragcli "
            "reads from a spreadsheet; is it the right file?"
        )


def column_name(index: int) -> str:
    """0 -> 'A', 26 -> 'AA': the column as a spreadsheet labels it."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


class _Budget:
    """Counts what is read and refuses a sheet over import's bounds, as soon as it is."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cells = 0
        self.chars = 0

    def take(self, number: int, row: list[str]) -> None:
        if number > MAX_ROWS:
            raise BragError(
                f"{self.path}: the sheet has more than {MAX_ROWS:,} rows; is it the right sheet?"
            )
        self.cells += len(row)
        if self.cells > MAX_CELLS:
            raise BragError(
                f"{self.path}: the sheet has more than {MAX_CELLS:,} cells (rows x columns) by "
                f"row {number}; is it the right sheet? Delete unused columns and rows"
            )
        for index, text in enumerate(row):
            if len(text) > MAX_CELL_CHARS:
                raise BragError(
                    f"{self.path}: row {number}, column {column_name(index)} holds "
                    f"{len(text):,} characters, over the {MAX_CELL_CHARS:,} one cell can hold; "
                    "shorten it"
                )
            self.chars += len(text)
        if self.chars > MAX_TEXT_CHARS:
            raise BragError(
                f"{self.path}: the sheet holds more than {MAX_TEXT_CHARS:,} characters of text "
                f"by row {number}; is it the right sheet?"
            )


def _read_csv(path: Path, notes: list[str] | None = None) -> list[list[str]]:
    _check_size(path)
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_SOURCE_BYTES + 1)
    except OSError as e:
        raise BragError(f"{path}: cannot be read: {e.strerror or e}") from e
    if len(raw) > MAX_SOURCE_BYTES:  # it grew while we looked
        _check_size(path)
    text, encoding = decode_csv(raw, path)
    if encoding != "UTF-8" and notes is not None:
        notes.append(f"{path.name} read as {encoding}")
    delimiter = _sniff_delimiter(text)
    rows: list[list[str]] = []
    budget = _Budget(path)
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            budget.take(len(rows) + 1, row)
            rows.append(row)
    except csv.Error as e:
        if "field larger than field limit" in str(e):  # csv's own bound, above ours
            raise BragError(
                f"{path}: row {len(rows) + 1} holds a cell of more than "
                f"{csv.field_size_limit():,} characters, over the {MAX_CELL_CHARS:,} one cell "
                "can hold; shorten it"
            ) from e
        raise BragError(f"{path}: is not valid CSV (row {len(rows) + 1}): {e}") from e
    return rows


#: Windows-1252 leaves these five bytes undefined: a file holding one is not Windows-1252.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


def decode_csv(raw: bytes, path: Path) -> tuple[str, str]:
    """(text, the encoding's name): UTF-8 (a byte order mark is dropped), UTF-16 with a byte
    order mark, or else Windows-1252.

    Windows-1252 is the one other encoding Excel writes a CSV in ("CSV (Comma delimited)" on
    a British or American Windows), and nearly every byte sequence is valid in it: guessing
    among many encodings (charset-normalizer) would read the same bytes as whichever scores
    best on short text, and could silently turn a name into other letters. Valid UTF-8 is
    tried first (Windows-1252 text with accents is almost never valid UTF-8); a file with a
    byte Windows-1252 leaves undefined, or a NUL, is refused with what to do.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as e:
            raise BragError(f"{path}: is not valid UTF-16 text ({e.reason}); save it again") from e
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as e:
        bad = raw[e.start]
    if b"\x00" in raw or _CP1252_UNDEFINED & set(raw):
        raise BragError(
            f"{path}: is not UTF-8 text (byte 0x{bad:02x}), nor Windows-1252; in Excel save it "
            "as 'CSV UTF-8 (Comma delimited)'"
        )
    return raw.decode("cp1252"), "Windows-1252 (Excel's CSV on Windows)"


def _sniff_delimiter(text: str) -> str:
    """The delimiter (',', ';' or tab) that splits the header into the most cells (the
    header: the first row that is not blank and not bragcli's export row)."""
    from bragcli.sheets.provenance import is_export_row

    best, cells = ",", 1
    for delimiter in (",", ";", "\t"):
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            header = next(
                (r for r in reader if any(c.strip() for c in r) and not is_export_row(r)), []
            )
        except csv.Error:
            continue
        if len(header) > cells:
            best, cells = delimiter, len(header)
    return best


def openpyxl_module(module: str = "openpyxl") -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ExcelMissing() from e


def _check_archive(path: Path) -> None:
    """Refuse an .xlsx whose parts unzip to more than import reads, before parsing any.

    zipfile stops at each part's stated size (a part that claims less than it holds fails its
    checksum), so the stated sizes bound what openpyxl can be given.
    """
    _check_size(path)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        reason = str(e) or type(e).__name__
        raise BragError(f"{path}: cannot be read as an Excel .xlsx workbook: {reason}") from e
    if len(parts) > MAX_XLSX_PARTS:
        raise BragError(
            f"{path}: the workbook has {len(parts):,} parts, more than the {MAX_XLSX_PARTS:,} "
            "bragcli reads; save the tracker's sheet on its own as .xlsx or .csv"
        )
    unzipped = sum(part.file_size for part in parts)
    if unzipped > MAX_XLSX_UNZIPPED:
        raise BragError(
            f"{path}: unzips to {megabytes(unzipped)}, over the "
            f"{megabytes(MAX_XLSX_UNZIPPED)} bragcli reads from a workbook; is it the right "
            "file? Save the tracker's sheet on its own as .xlsx or .csv"
        )


def _read_xlsx(path: Path) -> dict[str, list[list[str]]]:
    openpyxl = openpyxl_module()
    if not path.is_file():
        raise BragError(f"{path}: no such file")
    _check_archive(path)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it does not read (data validation, ...).
            warnings.simplefilter("ignore", UserWarning)
            # Read twice: the saved values, and the formulas (to find those with no value).
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            formula_book = openpyxl.load_workbook(path, read_only=True, data_only=False)
            try:
                if not book.worksheets:
                    raise BragError(f"{path}: the workbook has no worksheets")
                budget = _Budget(path)
                return {
                    str(sheet.title): _sheet_rows(sheet, formulas, budget)
                    for sheet, formulas in zip(
                        book.worksheets, formula_book.worksheets, strict=False
                    )
                }
            finally:
                book.close()
                formula_book.close()
    except BragError:
        raise
    except Exception as e:  # zipfile, XML and openpyxl errors all mean "not a workbook"
        reason = str(e) or type(e).__name__
        raise BragError(f"{path}: cannot be read as an Excel .xlsx workbook: {reason}") from e


def _sheet_rows(sheet: Any, formulas: Any, budget: _Budget) -> list[list[str]]:
    for each in (sheet, formulas):
        if hasattr(each, "reset_dimensions"):
            each.reset_dimensions()  # trust the cells, not the file's stated size
    rows: list[list[str]] = []
    for cells, formula_cells in zip(sheet.iter_rows(), formulas.iter_rows(), strict=False):
        values = [getattr(cell, "value", None) for cell in cells]
        row = [
            _cell_text(value, getattr(cell, "number_format", None))
            for value, cell in zip(values, cells, strict=True)
        ]
        for index, cell in enumerate(formula_cells[: len(row)]):
            if getattr(cell, "data_type", None) == "f" and values[index] is None:
                formula = getattr(cell.value, "text", None) or str(cell.value)
                row[index] = UncomputedFormula(formula)
        budget.take(len(rows) + 1, row)
        rows.append(row)
    return rows


#: The parts of a number format that are not date codes: quoted text, [colour] and [$-809]
#: sections, escaped characters.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def month_only(number_format: str | None) -> bool:
    """Whether a date cell's number format shows the month and year but not the day (Excel's
    "mmm-yy", "mmmm yyyy"): such a cell means the whole month."""
    if not number_format:
        return False
    codes = _FORMAT_LITERALS.sub("", number_format.split(";")[0]).lower()
    return "m" in codes and "y" in codes and not any(c in codes for c in "dhs")


def _cell_text(value: object, number_format: str | None = None) -> str:
    """An Excel cell value as the text a person sees (a date shown as a month: "March 2023")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime | date) and month_only(number_format):
        return f"{value:%B} {value.year}"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"  # as Excel shows it: 15 significant digits
    return str(value)
