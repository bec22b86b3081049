"""Plans to and from spreadsheets: one row per action, as CSV or Excel (.xlsx).

Import turns a tracker that people already keep (whatever its column names, blank rows and
merged-looking cells) into validated areas, and reports every row that could not be imported
with its row number as the spreadsheet shows it. Export writes one row per action with the
computed due date and overdue flag. Every cell is text both ways: a title such as
``=HYPERLINK(...)`` is never a formula (CSV cells go through `csv_safe`; Excel cells are stored
as text), and what export escapes, import unescapes (`csv_unescape`), so text comes back as it
was. openpyxl is needed only for .xlsx (``pip install 'bragcli[excel]'``).

What import reads is bounded (file size, an xlsx's unzipped size, rows, cells, characters per
cell and in all), so a hostile file is refused early in little memory; and what it writes is
read back first, so it never writes a file that `brag check` would refuse.
"""

from __future__ import annotations

import csv
import importlib
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import ValidationError
from yaml.nodes import Node, ScalarNode

from bragcli.compute.rollup import view_actions
from bragcli.deadlines import DeadlineError, parse_deadline
from bragcli.model import (
    Action,
    Area,
    Measure,
    Outcome,
    Plan,
    Rating,
    natural_key,
    normalise_rating,
)
from bragcli.problems import BragError
from bragcli.render.wording import FORMULA_START, apostrophe_safe, csv_safe, csv_unescape
from bragcli.safetext import excerpt, visible
from bragcli.source.load import PLAN_FILE_NAMES, YAML_SUFFIXES, AreaSource, area_result, plan_result
from bragcli.source.yamlread import MAX_FILE_BYTES, read_bytes

__all__ = [
    "COLUMNS",
    "EXPORT_COLUMNS",
    "ExcelMissing",
    "Imported",
    "RowProblem",
    "UncomputedFormula",
    "area_file_name",
    "area_yaml",
    "csv_bytes",
    "export_rows",
    "import_actions",
    "import_files",
    "plan_yaml",
    "read_rows",
    "write_csv",
    "write_xlsx",
    "xlsx_bytes",
]

COLUMNS = [
    "area",
    "area title",
    "id",
    "action",
    "lead",
    "deadline",
    "status",
    "impact",
    "progress",
    "updated",
]
EXPORT_COLUMNS = [*COLUMNS, "due", "overdue"]

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

_RATINGS = ", ".join(r.value for r in Rating)
_REQUIRED = ("id", "action", "lead", "status")
#: bragcli's own computed export columns: ignored on import, without a mention.
_COMPUTED = frozenset({"due", "overdue"})

#: Accepted column names for each field, canonical name first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "area": ("area", "area id", "area no", "area number", "improvement area"),
    "area title": ("area title", "area name", "improvement area title", "area description"),
    "id": ("id", "action id", "ref", "reference", "action no", "action number", "no", "#"),
    "action": ("action", "title", "action title", "description"),
    "lead": ("lead", "owner", "lead officer", "responsible", "responsible officer", "accountable"),
    "deadline": (
        "deadline",
        "by when",
        "due date",
        "target date",
        "timescale",
        "completion date",
    ),
    "status": (
        "status",
        "brag",
        "rag",
        "rating",
        "brag rating",
        "rag rating",
        "brag status",
        "rag status",
    ),
    "impact": ("impact", "impact rating", "impact brag"),
    "progress": (
        "progress",
        "update",
        "updates",
        "progress update",
        "commentary",
        "comments",
        "notes",
    ),
    "updated": ("updated", "last updated", "date updated", "update date"),
}

#: Single letters accepted for a rating in a spreadsheet (B/G/A/R, any case).
_RATING_LETTERS = {"b": "blue", "g": "green", "a": "amber", "r": "red"}
#: The spreadsheet column of a pydantic field, where the names differ.
_COLUMN_OF_FIELD = {"title": "action"}


class ExcelMissing(BragError):
    """Reading or writing .xlsx without openpyxl installed."""

    def __init__(self) -> None:
        super().__init__(
            "reading and writing Excel (.xlsx) files needs openpyxl: "
            "pip install 'bragcli[excel]' (or save the sheet as CSV)"
        )


@dataclass(frozen=True)
class RowProblem:
    """A row that could not be imported, and why."""

    row: int  # spreadsheet row number as the user sees it (header is row 1)
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass
class Imported:
    """What a spreadsheet held."""

    areas: list[Area]
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0
    #: area id -> the area file's name (safe, visible, loadable; no two alike)
    file_names: dict[str, str] = field(default_factory=dict)


class UncomputedFormula(str):
    """An xlsx cell holding a formula with no saved value: the text is the formula.

    A program that does not calculate formulas (a script, some exporters) saves none; reading
    such a cell as empty would silently lose a deadline, so import reports it.
    """


# --- reading files ----------------------------------------------------------------------------


def read_rows(path: Path) -> list[list[str]]:
    """Cells as text, from .csv or .xlsx (the first sheet).

    CSV is read as UTF-8 (with or without a byte order mark) and its delimiter is sniffed from
    the header: comma, semicolon or tab. In .xlsx, formulas give their cached values, dates
    become YYYY-MM-DD and whole numbers lose their ".0". Raises BragError for other suffixes or
    an unreadable file, ExcelMissing for .xlsx without openpyxl.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix in {".xls", ".xlsm", ".xlsb", ".ods", ".numbers"}:
        raise BragError(f"{path}: {suffix} files are not read; save the sheet as .xlsx or .csv")
    raise BragError(f"{path}: not a spreadsheet bragcli reads; give a .csv or .xlsx file")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise BragError(f"{path}: cannot be read: {e.strerror or e}") from e
    if size > MAX_SOURCE_BYTES:
        raise BragError(
            f"{path}: is {_megabytes(size)}, over the {_megabytes(MAX_SOURCE_BYTES)} bragcli "
            "reads from a spreadsheet; is it the right file?"
        )


def _column_name(index: int) -> str:
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
                    f"{self.path}: row {number}, column {_column_name(index)} holds "
                    f"{len(text):,} characters, over the {MAX_CELL_CHARS:,} one cell can hold; "
                    "shorten it"
                )
            self.chars += len(text)
        if self.chars > MAX_TEXT_CHARS:
            raise BragError(
                f"{self.path}: the sheet holds more than {MAX_TEXT_CHARS:,} characters of text "
                f"by row {number}; is it the right sheet?"
            )


def _read_csv(path: Path) -> list[list[str]]:
    _check_size(path)
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_SOURCE_BYTES + 1)
    except OSError as e:
        raise BragError(f"{path}: cannot be read: {e.strerror or e}") from e
    if len(raw) > MAX_SOURCE_BYTES:  # it grew while we looked
        _check_size(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BragError(
            f"{path}: is not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start}); "
            "in Excel save it as 'CSV UTF-8 (Comma delimited)'"
        ) from e
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


def _sniff_delimiter(text: str) -> str:
    """The delimiter (',', ';' or tab) that splits the header into the most cells."""
    best, cells = ",", 1
    for delimiter in (",", ";", "\t"):
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            header = next((r for r in reader if any(c.strip() for c in r)), [])
        except csv.Error:
            continue
        if len(header) > cells:
            best, cells = delimiter, len(header)
    return best


def _openpyxl(module: str = "openpyxl") -> Any:
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
            f"{path}: unzips to {_megabytes(unzipped)}, over the "
            f"{_megabytes(MAX_XLSX_UNZIPPED)} bragcli reads from a workbook; is it the right "
            "file? Save the tracker's sheet on its own as .xlsx or .csv"
        )


def _read_xlsx(path: Path) -> list[list[str]]:
    openpyxl = _openpyxl()
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
                sheet, formulas = book.worksheets[0], formula_book.worksheets[0]
                for each in (sheet, formulas):
                    if hasattr(each, "reset_dimensions"):
                        each.reset_dimensions()  # trust the cells, not the file's stated size
                rows: list[list[str]] = []
                budget = _Budget(path)
                pairs = zip(sheet.iter_rows(values_only=True), formulas.iter_rows(), strict=False)
                for values, cells in pairs:
                    row = [_cell_text(v) for v in values]
                    for index, cell in enumerate(cells[: len(row)]):
                        if getattr(cell, "data_type", None) == "f" and values[index] is None:
                            formula = getattr(cell.value, "text", None) or str(cell.value)
                            row[index] = UncomputedFormula(formula)
                    budget.take(len(rows) + 1, row)
                    rows.append(row)
            finally:
                book.close()
                formula_book.close()
    except BragError:
        raise
    except Exception as e:  # zipfile, XML and openpyxl errors all mean "not a workbook"
        reason = str(e) or type(e).__name__
        raise BragError(f"{path}: cannot be read as an Excel .xlsx workbook: {reason}") from e
    return rows


def _cell_text(value: object) -> str:
    """An Excel cell value as the text a person sees."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"  # as Excel shows it: 15 significant digits
    return str(value)


# --- importing --------------------------------------------------------------------------------


def _header_key(text: str) -> str:
    """'Area No.' -> 'areano', 'Due (computed)' -> 'due', '#' -> '#'."""
    lowered = text.strip().lower()
    lowered = re.sub(r"\(\s*computed\s*\)\s*$", "", lowered)
    return re.sub(r"[^\w#]|_", "", lowered)


_FIELD_OF_KEY: dict[str, str] = {
    _header_key(name): name_field for name_field, names in SYNONYMS.items() for name in names
}
_CANONICAL_KEYS = {_header_key(name): name for name in SYNONYMS}


def _map_header(header: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """(field -> column index, header cells that matched no field or a field already taken)."""
    columns: dict[str, int] = {}
    keys = [_header_key(cell) for cell in header]
    for index, key in enumerate(keys):  # exact canonical names first
        name = _CANONICAL_KEYS.get(key)
        if name is not None and name not in columns:
            columns[name] = index
    ignored: list[str] = []
    for index, key in enumerate(keys):
        if not key or index in columns.values():
            continue
        name = _FIELD_OF_KEY.get(key)
        if name is not None and name not in columns:
            columns[name] = index
        elif key not in _COMPUTED:
            ignored.append(header[index].strip())
    return columns, ignored


def _clean(cell: str) -> str:
    """Strip the cell, and undo csv_safe: "'=x" -> "=x" (also for + - @), "''x" -> "'x"."""
    return csv_unescape(cell.strip())


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BULLET = re.compile(r"^(?:•\s*|[-*]\s+)")


def _notes(cell: str) -> list[str]:
    """Progress notes: one per line, without bullets or blank lines."""
    notes = []
    for line in _LINE_BREAK.split(cell):
        note = _BULLET.sub("", line.strip(), count=1).strip()
        if note:
            notes.append(note)
    return notes


_LEAD_SPLIT = re.compile(r";| / ")


def _leads(cell: str) -> list[str]:
    return [part.strip() for part in _LEAD_SPLIT.split(cell) if part.strip()]


def _rating(cell: str) -> str:
    letter = _RATING_LETTERS.get(cell.strip().lower())
    if letter is not None:
        return letter
    normalised = normalise_rating(cell)
    return normalised if isinstance(normalised, str) else cell


_ISO_DATE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_UK_DATE = re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})")


def _updated(text: str) -> date | None:
    """YYYY-MM-DD (a time after it is ignored) or day-first DD/MM/YYYY; None if neither."""
    m = _ISO_DATE.fullmatch(text) or _UK_DATE.fullmatch(text)
    if m is None:
        return None
    try:
        return date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


_AREA_PREFIX = re.compile(r"(?i)^(?:improvement\s+)?area\s+(\S+)$")


def _area_id(cell: str) -> str:
    """'2' -> '2'; 'Area 2' -> '2'."""
    m = _AREA_PREFIX.match(cell)
    return m.group(1) if m else cell


@dataclass
class _Row:
    number: int
    area: str
    index: int  # in the area's list of actions


@dataclass
class _State:
    areas: dict[str, list[Action]] = field(default_factory=dict)
    titles: dict[str, tuple[str, int]] = field(default_factory=dict)
    seen_ids: dict[str, int] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    current_area: str | None = None
    last: _Row | None = None  # the last action row that was imported
    last_row: int | None = None  # the row number of the last action row, imported or not
    first_rows: dict[str, int] = field(default_factory=dict)  # area -> its first action's row


def import_actions(rows: list[list[str]]) -> Imported:
    """Turn the rows (the first non-blank row is the header) into areas.

    Every row that cannot be imported becomes a RowProblem and the others still are.
    """
    numbered = [(n, row) for n, row in enumerate(rows, 1) if any(c.strip() for c in row)]
    if not numbered:
        return Imported(
            [],
            [
                RowProblem(
                    1,
                    "the sheet is empty; its first row must be the header, e.g. "
                    + ", ".join(COLUMNS),
                )
            ],
        )
    (header_number, header), data = numbered[0], numbered[1:]
    columns, ignored = _map_header(header)
    missing = [name for name in _REQUIRED if name not in columns]
    if missing:
        problems = [
            RowProblem(
                header_number,
                f"no {excerpt(name)} column: the header needs a column named one of "
                + ", ".join(SYNONYMS[name]),
            )
            for name in missing
        ]
        return Imported([], problems, ignored, len(data))

    state = _State()
    for number, row in data:
        cells = {
            name: _clean(row[index]) if index < len(row) else "" for name, index in columns.items()
        }
        for name in SYNONYMS:
            cells.setdefault(name, "")
        if not any(cells.values()):
            continue  # text only in ignored columns
        uncomputed = [
            (name, row[index])
            for name, index in columns.items()
            if index < len(row) and isinstance(row[index], UncomputedFormula)
        ]
        if uncomputed:
            state.problems.extend(
                RowProblem(number, _uncomputed_message(name, formula))
                for name, formula in uncomputed
            )
            if cells["id"] or cells["action"]:
                state.last_row = number
            continue
        if cells["id"] or cells["action"]:
            _action_row(state, number, cells, "area" in columns)
        elif cells["progress"]:
            _continuation_row(state, number, cells)
        elif cells["area"] and not any(
            cells[n] for n in SYNONYMS if n not in {"area", "area title"}
        ):
            _area_row(state, number, cells)
        else:
            state.problems.append(RowProblem(number, _NO_ID_OR_ACTION))

    areas, file_names = _areas_and_files(state)
    problems = sorted(state.problems, key=lambda p: p.row)
    return Imported(areas, problems, ignored, len(data), file_names)


def _uncomputed_message(column: str, formula: str) -> str:
    return (
        f"{column} is the formula {excerpt(formula)} with no saved value (the program that "
        "saved the file did not calculate it); open the file in Excel or LibreOffice and save "
        "it again, or type the value instead of the formula"
    )


def _areas_and_files(state: _State) -> tuple[list[Area], dict[str, str]]:
    """The areas that import, each with a file name of its own; the others become problems."""
    areas: list[Area] = []
    file_names: dict[str, str] = {}
    taken: dict[str, tuple[str, int]] = {}  # file name, casefolded -> (area id, row)
    for area_id, actions in sorted(state.areas.items(), key=lambda kv: natural_key(kv[0])):
        row = state.first_rows.get(area_id, 0)
        count = (
            "its action is not imported"
            if len(actions) == 1
            else f"its {len(actions)} actions are not imported"
        )
        try:
            area = Area(
                id=area_id,
                title=state.titles.get(area_id, (f"Area {area_id}", 0))[0],
                actions=actions,
            )
        except ValidationError as exc:
            reason = str(exc.errors(include_url=False)[0].get("msg", "is not valid"))
            reason = reason.removeprefix("Value error, ")
            state.problems.append(RowProblem(row, f"area {excerpt(area_id)}: {reason}; {count}"))
            continue
        try:
            name = area_file_name(area.id, area.title)
        except ValueError as e:
            state.problems.append(RowProblem(row, f"{e}; {count}"))
            continue
        other = taken.setdefault(name.casefold(), (area.id, row))
        if other != (area.id, row):
            state.problems.append(
                RowProblem(
                    row,
                    f"area {excerpt(area.id)} would be written to {name}, the file of area "
                    f"{excerpt(other[0])} (row {other[1]}); give the two areas ids that differ "
                    f"by more than leading zeros, letter case or punctuation; {count}",
                )
            )
            continue
        areas.append(area)
        file_names[area.id] = name
    return areas, file_names


#: Names Windows keeps for devices: a file named so cannot be opened there.
_RESERVED_NAMES = frozenset(
    {
        "con",
        "prn",
        "aux",
        "nul",
        *(f"com{n}" for n in range(1, 10)),
        *(f"lpt{n}" for n in range(1, 10)),
    }
)
#: The most characters of an area id that go into its file name.
MAX_ID_IN_FILE_NAME = 50


def area_file_name(area_id: str, title: str) -> str:
    """'02-the-sufficiency-and-stability-of-staff.yaml': sortable, readable and safe.

    Safe means: one visible name in the plan folder (no path separators, not hidden, no
    control or invisible characters), ending in .yaml, under 100 characters, never plan.yaml.
    Raises ValueError (the message says what to write) for an id with no letter or digit, or
    one too long to name a file.
    """
    normal = unicodedata.normalize("NFKC", area_id)
    kept = "".join(
        ch if (ch.isalnum() and ch.isprintable()) or ch in "._" else "-" for ch in normal
    )
    kept = re.sub(r"-{2,}", "-", kept).strip(".-")
    if not any(ch.isalnum() for ch in kept):
        raise ValueError(
            f"area {excerpt(area_id)} cannot name a file: it has no letter or digit; give the "
            "area an id such as 2 or 2a"
        )
    if len(kept) > MAX_ID_IN_FILE_NAME:
        raise ValueError(
            f"area {excerpt(area_id)} is {len(area_id):,} characters, too long to name a file "
            f"(at most {MAX_ID_IN_FILE_NAME}); give the area a short id such as 2"
        )
    number = kept.zfill(2) if kept.isascii() and kept.isdigit() else kept
    slug = ""
    for word in re.findall(r"[a-z0-9]+", title.lower()):
        if slug and len(slug) + 1 + len(word) > 40:
            break
        slug = f"{slug}-{word}" if slug else word[:40]
    stem = f"{number}-{slug}" if slug else number
    if stem.split(".")[0].casefold() in _RESERVED_NAMES or f"{stem}.yaml" in PLAN_FILE_NAMES:
        stem += "-area"
    return f"{stem}.yaml"


_NO_ID_OR_ACTION = (
    "has no id and no action; give the action's id and title "
    "(a row with only progress text continues the action above)"
)


def _area_of(state: _State, cells: dict[str, str], has_area_column: bool) -> tuple[str | None, str]:
    """(area id, problem): from the area cell, the row above, or the id's prefix.

    (None, "") when the area cannot be known because the id itself is wrong (empty or with
    spaces): the id's own problem says what to do.
    """
    identifier = cells["id"]
    if cells["area"]:
        area = _area_id(cells["area"])
    elif has_area_column and state.current_area is not None:
        area = state.current_area
    elif not identifier or re.search(r"\s", identifier):
        return None, ""
    elif identifier.split(".", 1)[0] and "." in identifier:
        area = identifier.split(".", 1)[0]
    else:
        return None, (
            f"id {excerpt(identifier)} does not say its area; add an area column, "
            "or write the id as AREA.NUMBER, e.g. 2.4 for action 4 of area 2"
        )
    if re.search(r"\s", area):
        return None, f"area {excerpt(area)} must be one word (an id such as 2), without spaces"
    return area, ""


def _title_problem(state: _State, area: str, title: str, number: int) -> str:
    """Record the area's title; a different title for the same area is a problem."""
    if not title:
        return ""
    known = state.titles.get(area)
    if known is None:
        state.titles[area] = (title, number)
        return ""
    if known[0] != title:
        return (
            f"area {area} is titled {excerpt(title)} here but {excerpt(known[0])} "
            f"on row {known[1]}; "
            "give each area one title"
        )
    return ""


def _area_row(state: _State, number: int, cells: dict[str, str]) -> None:
    """A row with only the area (and its title): a heading that starts a group of actions."""
    area = _area_id(cells["area"])
    if re.search(r"\s", area):
        state.problems.append(
            RowProblem(
                number, f"area {excerpt(area)} must be one word (an id such as 2), without spaces"
            )
        )
        return
    state.current_area = area
    problem = _title_problem(state, area, cells["area title"], number)
    if problem:
        state.problems.append(RowProblem(number, problem))


def _continuation_row(state: _State, number: int, cells: dict[str, str]) -> None:
    """A row with progress but no id or action: more notes for the action above."""
    last = state.last
    others = [n for n in SYNONYMS if n not in {"area", "area title", "progress"}]
    same_area = (
        last is not None
        and (not cells["area"] or _area_id(cells["area"]) == last.area)
        and (
            not cells["area title"] or state.titles.get(last.area, ("",))[0] == cells["area title"]
        )
    )
    if any(cells[n] for n in others) or (last is not None and not same_area):
        state.problems.append(RowProblem(number, _NO_ID_OR_ACTION))
    elif state.last_row is None:
        state.problems.append(
            RowProblem(
                number,
                "has progress but no id or action, and there is no action above it to "
                "continue; give the action's id and title",
            )
        )
    elif last is None or last.number != state.last_row:
        state.problems.append(
            RowProblem(
                number,
                f"continues the action on row {state.last_row}, which could not be imported",
            )
        )
    else:
        actions = state.areas[last.area]
        action = actions[last.index]
        actions[last.index] = action.model_copy(
            update={"progress": [*action.progress, *_notes(cells["progress"])]}
        )


def _action_row(state: _State, number: int, cells: dict[str, str], has_area_column: bool) -> None:
    state.last_row = number
    found: dict[str, list[str]] = {}  # column -> problems, reported in column order

    area, problem = _area_of(state, cells, has_area_column)
    if problem:
        found.setdefault("area", []).append(problem)
    elif area is not None:
        state.current_area = area
        problem = _title_problem(state, area, cells["area title"], number)
        if problem:
            found.setdefault("area title", []).append(problem)

    identifier = cells["id"]
    if identifier:
        first = state.seen_ids.setdefault(identifier, number)
        if first != number:
            found.setdefault("id", []).append(
                f"id {excerpt(identifier)} is already used on row {first}; "
                "action ids must be unique"
            )

    data: dict[str, Any] = {
        "id": identifier,
        "title": cells["action"],
        "lead": _leads(cells["lead"]),
        "status": _rating(cells["status"]),
    }
    if cells["deadline"]:
        data["deadline"] = cells["deadline"]
        try:
            parse_deadline(cells["deadline"])
        except DeadlineError as e:
            found.setdefault("deadline", []).append(str(e))
    if cells["impact"]:
        data["impact"] = _rating(cells["impact"])
    if cells["updated"]:
        updated = _updated(cells["updated"])
        if updated is None:
            found.setdefault("updated", []).append(
                f"updated {excerpt(cells['updated'])} is not a date; "
                "write it as YYYY-MM-DD or DD/MM/YYYY"
            )
        else:
            data["updated"] = updated
    notes = _notes(cells["progress"])
    if notes:
        data["progress"] = notes

    action: Action | None = None
    try:
        action = Action.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            column, message = _validation_message(err, cells)
            found.setdefault(column, []).append(message)

    if found or action is None or area is None:
        order = [*COLUMNS, *(column for column in found if column not in COLUMNS)]
        for column in order:
            state.problems.extend(RowProblem(number, m) for m in found.get(column, []))
        return
    actions = state.areas.setdefault(area, [])
    actions.append(action)
    state.first_rows.setdefault(area, number)
    state.last = _Row(number, area, len(actions) - 1)


def _validation_message(err: Any, cells: dict[str, str]) -> tuple[str, str]:
    """(column, message) for one pydantic error, in the spreadsheet's words."""
    loc = tuple(err["loc"])
    model_field = str(loc[0]) if loc else "value"
    column = _COLUMN_OF_FIELD.get(model_field, model_field)
    kind: str = err["type"]
    value = cells.get(column, err.get("input"))
    if column in {"status", "impact"} and kind == "enum":
        if not value:
            return column, f"{column} is empty; give one of {_RATINGS}"
        return column, f"{column} {excerpt(value)} is not one of {_RATINGS}"
    if kind in {"missing", "string_too_short", "too_short"} or not value:
        hint = {
            "id": "give every action an id, such as 2.4",
            "action": "give the action's title",
            "lead": "give the lead role",
        }.get(column, "give it a value")
        return column, f"{column} is empty; {hint}"
    if kind == "string_pattern_mismatch":
        return column, f"{column} {excerpt(value)} must be one word, without spaces"
    message = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
    return column, f"{column} {excerpt(value)}: {message}"


# --- YAML -------------------------------------------------------------------------------------


class _Quoted(str):
    """Text always written in double quotes (ids: "1.10" must never look like a number)."""


class _Dumper(yaml.SafeDumper):
    """Block style, list items indented under their key, no anchors, quoting when needed."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


#: Text longer than this is written folded (">-"), as the sample plan is; shorter text plain.
_FOLD_OVER = 80
#: Line width of written YAML; a line can run one word past it.
_WIDTH = 80

#: Characters PyYAML mishandles outside double quotes (NEL and the Unicode line and paragraph
#: separators are YAML line breaks), and control characters: written as escapes.
_NEEDS_ESCAPES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> ScalarNode:
    if _NEEDS_ESCAPES.search(data):
        style: str | None = '"'
    elif "\n" in data:
        style = "|"
    else:
        style = ">" if len(data) > _FOLD_OVER else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_quoted(dumper: yaml.SafeDumper, data: _Quoted) -> ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


def _represent_float(dumper: yaml.SafeDumper, data: float) -> ScalarNode:
    """22.0 -> 22, 16.35 -> 16.35: plain, exact (repr round-trips), read back as text."""
    text = str(int(data)) if data.is_integer() and abs(data) < 1e15 else repr(data)
    resolve = cast(Callable[[type[Node], str, tuple[bool, bool]], str], dumper.resolve)
    return ScalarNode(resolve(ScalarNode, text, (True, False)), text)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Quoted, _represent_quoted)
_Dumper.add_representer(float, _represent_float)

AREA_MODELINE = "# yaml-language-server: $schema=../schemas/area.schema.json"
PLAN_MODELINE = "# yaml-language-server: $schema=../schemas/plan.schema.json"


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=_WIDTH,
        default_flow_style=False,
    )


def _action_data(action: Action) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": _Quoted(action.id),
        "title": action.title,
        "lead": action.lead[0] if len(action.lead) == 1 else list(action.lead),
    }
    if action.deadline is not None:
        data["deadline"] = action.deadline
    data["status"] = action.status.value
    if action.impact is not None:
        data["impact"] = action.impact.value
    if action.updated is not None:
        data["updated"] = action.updated
    if action.success_criteria is not None:
        data["success_criteria"] = action.success_criteria
    if action.progress:
        data["progress"] = list(action.progress)
    return data


def _outcome_data(outcome: Outcome) -> dict[str, Any]:
    data: dict[str, Any] = {"text": outcome.text}
    if outcome.evidence:
        data["evidence"] = list(outcome.evidence)
    return data


def _measure_data(measure: Measure) -> dict[str, Any]:
    data: dict[str, Any] = {"name": measure.name}
    for key in ("good", "target", "unit"):
        value = getattr(measure, key)
        if value is not None:
            data[key] = value
    if measure.readings:
        readings = []
        for reading in measure.readings:
            item: dict[str, Any] = {"period": reading.period, "value": reading.value}
            if reading.source is not None:
                item["source"] = reading.source
            readings.append(item)
        data["readings"] = readings
    return data


def area_yaml(area: Area) -> str:
    """The area as an area file in bragcli's format; it loads back to an equal Area."""
    data: dict[str, Any] = {"id": _Quoted(area.id), "title": area.title}
    if area.actions:
        data["actions"] = [_action_data(a) for a in area.actions]
    if area.outcomes:
        data["outcomes"] = [_outcome_data(o) for o in area.outcomes]
    if area.measures:
        data["measures"] = [_measure_data(m) for m in area.measures]
    return f"{AREA_MODELINE}\n{_dump(data)}"


def plan_yaml(title: str, organisation: str) -> str:
    """A minimal plan.yaml: the title and the organisation."""
    return f"{PLAN_MODELINE}\n{_dump({'title': title, 'organisation': organisation})}"


def _text_bytes(area: Area) -> int:
    """The UTF-8 size of the area's text: its YAML file is at least this big."""
    texts = [area.id, area.title]
    for action in area.actions:
        texts += [action.id, action.title, *action.lead, action.deadline or "", *action.progress]
    return sum(len(text.encode("utf-8")) for text in texts)


def import_files(
    imported: Imported, plan_text: str | None, *, max_bytes: int | None = None
) -> dict[str, bytes]:
    """The files an import writes (name -> bytes), each read back as `brag check` would.

    Raises BragError, before anything is written, when a file would be over the size limit
    (`max_bytes`, by default brag check's) or would not load back to what was imported.
    """
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    files: dict[str, bytes] = {}
    for area in imported.areas:
        name = imported.file_names[area.id]
        if not name.endswith(YAML_SUFFIXES):  # pragma: no cover - area_file_name's promise
            raise BragError(f"{visible(name)}: not a plan file name")
        size = _text_bytes(area)  # known cheaply, before the (slower) YAML is written
        if size <= limit:
            data = area_yaml(area).encode("utf-8")
            size = len(data)
        if size > limit:
            raise BragError(
                f"area {excerpt(area.id)} would be written as {name} of over "
                f"{_megabytes(size)}, more than the {_megabytes(limit)} brag check reads in one "
                "plan file; split the area in the spreadsheet, or shorten its progress notes"
            )
        loaded = area_result(read_bytes(data, name), positions=False)
        if not isinstance(loaded, AreaSource) or loaded.area != area:
            reason = loaded[0].message if isinstance(loaded, list) else "it reads differently"
            raise BragError(
                f"area {excerpt(area.id)} would not load back from {name} ({reason}); nothing "
                "was written. This is a bug in bragcli's import: please report it"
            )
        files[name] = data
    if plan_text is not None:
        data = plan_text.encode("utf-8")
        plan = plan_result(read_bytes(data, "plan.yaml"))
        if not isinstance(plan, Plan):
            raise BragError(
                f"the new plan.yaml would not load ({plan[0].message}); give --title and "
                "--organisation as plain text"
            )
        files["plan.yaml"] = data
    return files


# --- exporting --------------------------------------------------------------------------------


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
                "\n".join(action.progress),
                action.updated.isoformat() if action.updated is not None else "",
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


_WIDE_COLUMNS = frozenset({"area title", "action", "lead", "progress"})


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

    openpyxl = _openpyxl()
    styles = _openpyxl("openpyxl.styles")
    utils = _openpyxl("openpyxl.utils")
    illegal = _openpyxl("openpyxl.cell.cell").ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actions"
    header = [str(c) for c in rows[0]] if rows else []
    rating_columns = {
        i for i, name in enumerate(header) if _header_key(name) in {"status", "impact"}
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
