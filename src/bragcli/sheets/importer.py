"""Tracker rows into validated areas, and the plan files an import writes.

Import takes a tracker that people already keep (whatever its column names, blank rows and
merged-looking cells) and reports every row that could not be imported with its row number
as the spreadsheet shows it; the others still are. Every cell is text: what export escapes
against formulas, import unescapes (`csv_unescape`), so text comes back as it was. What it
writes is read back first, so it never writes a file that `brag check` would refuse.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from bragcli.deadlines import DeadlineError, parse_date, parse_deadline
from bragcli.model import (
    Action,
    Area,
    Plan,
    Rating,
    natural_key,
    normalise_rating,
    parse_note,
)
from bragcli.problems import BragError
from bragcli.render.wording import csv_unescape
from bragcli.safetext import excerpt, visible
from bragcli.sheets.read import UncomputedFormula, megabytes
from bragcli.sheets.yamlwrite import area_yaml
from bragcli.source.files import PLAN_FILE_NAMES, YAML_SUFFIXES
from bragcli.source.load import AreaSource, area_result, plan_result
from bragcli.source.yamlread import MAX_FILE_BYTES, read_bytes

#: The columns of a tracker, one row per action, by their canonical names: what export
#: writes (then COMPUTED_COLUMNS) and what import reads first (see SYNONYMS for the others).
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
    "success criteria",
    "baseline",
    "source",
    "impact evidence",
]
#: bragcli's own computed export columns: ignored on import, without a mention.
COMPUTED_COLUMNS = ("due", "overdue")
_RATINGS = ", ".join(r.value for r in Rating)
_REQUIRED = ("id", "action", "lead", "status")

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
    "success criteria": ("success criteria", "success measures", "how we will know"),
    "baseline": ("baseline", "baseline deadline", "original deadline"),
    "source": ("source", "origin", "recommendation"),
    "impact evidence": ("impact evidence", "evidence of impact", "so what"),
}

#: Single letters accepted for a rating in a spreadsheet (B/G/A/R, any case).
_RATING_LETTERS = {"b": "blue", "g": "green", "a": "amber", "r": "red"}
#: The spreadsheet column of a pydantic field, where the names differ.
_COLUMN_OF_FIELD = {
    "title": "action",
    "success_criteria": "success criteria",
    "impact_evidence": "impact evidence",
}


@dataclass(frozen=True)
class RowProblem:
    """A row that could not be imported, and why."""

    row: int  # spreadsheet row number as the user sees it (header is row 1)
    message: str
    #: the sheet of a workbook, when not the sheet of actions
    sheet: str | None = None

    def __str__(self) -> str:
        where = f"sheet {self.sheet}, " if self.sheet else ""
        return f"{where}row {self.row}: {self.message}"


@dataclass
class Imported:
    """What a spreadsheet held."""

    areas: list[Area]
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0
    #: area id -> the area file's name (safe, visible, loadable; no two alike)
    file_names: dict[str, str] = field(default_factory=dict)
    #: the fields the sheet has a column for (names as in COLUMNS)
    columns: frozenset[str] = frozenset()
    #: every action id on a row, imported or not -> its row number
    rows_of: dict[str, int] = field(default_factory=dict)
    #: area id -> (the title its rows give, the first row that gives it)
    area_titles: dict[str, tuple[str, int]] = field(default_factory=dict)


def header_key(text: str) -> str:
    """'Area No.' -> 'areano', 'Due (computed)' -> 'due', '#' -> '#'."""
    lowered = text.strip().lower()
    lowered = re.sub(r"\(\s*computed\s*\)\s*$", "", lowered)
    return re.sub(r"[^\w#]|_", "", lowered)


_FIELD_OF_KEY: dict[str, str] = {
    header_key(name): name_field for name_field, names in SYNONYMS.items() for name in names
}
_CANONICAL_KEYS = {header_key(name): name for name in SYNONYMS}


def _map_header(header: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """(field -> column index, header cells that matched no field or a field already taken)."""
    columns: dict[str, int] = {}
    keys = [header_key(cell) for cell in header]
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
        elif key not in COMPUTED_COLUMNS:
            ignored.append(header[index].strip())
    return columns, ignored


def _clean(cell: str) -> str:
    """Strip the cell, and undo csv_safe: "'=x" -> "=x" (also for + - @), "''x" -> "'x"."""
    return csv_unescape(cell.strip())


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BULLET = re.compile(r"^(?:•\s*|[-*]\s+)")


def _lines(cell: str) -> list[str]:
    """The cell's lines, without bullets or blank lines."""
    lines = []
    for line in _LINE_BREAK.split(cell):
        text = _BULLET.sub("", line.strip(), count=1).strip()
        if text:
            lines.append(text)
    return lines


_DATED_NOTE = re.compile(r"(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2}):\s+(?P<text>\S.*)", re.ASCII)


def _notes(cell: str) -> list[str | dict[str, str]]:
    """Progress notes: one per line, without bullets or blank lines; a line that starts with
    its date ("2023-01-31: Board met") is a dated note, as plan files write it."""
    notes: list[str | dict[str, str]] = []
    for line in _lines(cell):
        m = _DATED_NOTE.fullmatch(line)
        notes.append({m["day"]: m["text"]} if m else line)
    return notes


_LEAD_SPLIT = re.compile(r";| / ")


def _leads(cell: str) -> list[str]:
    return [part.strip() for part in _LEAD_SPLIT.split(cell) if part.strip()]


def sheet_rating(cell: str) -> str:
    """A rating cell as the model reads it: a letter B, G, A or R (any case) is its word."""
    letter = _RATING_LETTERS.get(cell.strip().lower())
    if letter is not None:
        return letter
    normalised = normalise_rating(cell)
    return normalised if isinstance(normalised, str) else cell


_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO_DATE = re.compile(rf"(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_TIME}")
_UK_DATE = re.compile(rf"(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>\d{{4}}){_TIME}")
#: A date as Excel writes it in a CSV when the cell had no date format: days since 1899-12-30
#: (a fraction is the time of day). Only 1955 to 2119 are taken as dates.
_SERIAL = re.compile(r"(?P<days>[0-9]{5})(?:\.[0-9]+)?")
_SERIAL_RANGE = range(20_000, 80_000)
_EXCEL_EPOCH = date(1899, 12, 30)
#: "Mar-23", "March 23", "Mar 2023": how Excel shows a date formatted mmm-yy, as text.
_MONTH_YEAR = re.compile(r"(?P<month>[A-Za-z]{3,9})\.?[-\s/]+(?P<year>[0-9]{2}|[0-9]{4})")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")  # fmt: skip


def _serial_date(text: str) -> date | None:
    m = _SERIAL.fullmatch(text)
    if m is None or int(m["days"]) not in _SERIAL_RANGE:
        return None
    return date.fromordinal(_EXCEL_EPOCH.toordinal() + int(m["days"]))


def _updated(text: str) -> date | None:
    """A date by the one rule of `deadlines.parse_date` (YYYY-MM-DD, 31/01/2023, 31/01/23,
    31 January 2023), with a time after an ISO or day-first date ignored, or an Excel serial
    number; None if it is none of these."""
    written = text.strip()
    serial = _serial_date(written)
    if serial is not None:
        return serial
    m = _ISO_DATE.fullmatch(written) or _UK_DATE.fullmatch(written)
    if m is not None:
        written = written[: m.end("d" if m.re is _ISO_DATE else "y")]
    try:
        return parse_date(written)
    except ValueError:
        return None


def excel_deadline(text: str) -> str:
    """A deadline cell as the plan writes it, from the forms Excel gives: "Mar-23" or
    "March 23" -> "March 2023" (the whole month), "31/03/2023 09:30" -> "31/03/2023", a
    serial number -> YYYY-MM-DD. Text the deadline parser reads ("Feb 2023") is kept as it
    is, and so is other text, for the deadline parser to report."""
    try:
        parse_deadline(text)
        return text
    except DeadlineError:
        pass
    m = _MONTH_YEAR.fullmatch(text)
    if m is not None:
        word = m["month"].lower()
        month = next((name for name in _MONTHS if name.startswith(word) and len(word) >= 3), None)
        if month is not None and (len(word) == 3 or word == month or word == "sept"):
            year = int(m["year"]) + (2000 if len(m["year"]) == 2 else 0)
            return f"{month.title()} {year}"
    serial = _serial_date(text)
    if serial is not None:
        return serial.isoformat()
    uk = _UK_DATE.fullmatch(text)
    if uk is not None:
        return text[: uk.end("y")]  # without the time
    iso = _ISO_DATE.fullmatch(text)
    if iso is not None:
        return text[: iso.end("d")]
    return text


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
    return Imported(
        areas, problems, ignored, len(data), file_names, frozenset(columns),
        dict(state.seen_ids), dict(state.titles),
    )  # fmt: skip


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
        try:
            notes = [parse_note(note) for note in _notes(cells["progress"])]
        except ValueError as e:
            state.problems.append(RowProblem(number, f"progress: a note {e}"))
            return
        actions = state.areas[last.area]
        action = actions[last.index]
        actions[last.index] = action.model_copy(update={"progress": [*action.progress, *notes]})


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
        "status": sheet_rating(cells["status"]),
    }
    if cells["deadline"]:
        cells["deadline"] = excel_deadline(cells["deadline"])
        data["deadline"] = cells["deadline"]
        try:
            parse_deadline(cells["deadline"])
        except DeadlineError as e:
            found.setdefault("deadline", []).append(str(e))
    if cells["impact"]:
        data["impact"] = sheet_rating(cells["impact"])
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
    for column in ("success criteria", "baseline"):
        if cells[column]:
            data[column.replace(" ", "_")] = cells[column]
    for column in ("source", "impact evidence"):
        if cells[column]:
            data[column.replace(" ", "_")] = _lines(cells[column])

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
    if kind == "unknown_rating" and value:  # the model's message, with its "did you mean"
        return column, f"{column} {excerpt(value)} {err.get('msg', '')}"
    if column in {"status", "impact"} and kind in {"enum", "unknown_rating"}:
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


def _text_bytes(area: Area) -> int:
    """The UTF-8 size of the area's text: its YAML file is at least this big."""
    texts = [area.id, area.title]
    for action in area.actions:
        texts += [action.id, action.title, *action.lead, action.deadline or "", *action.notes_text]
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
                f"{megabytes(size)}, more than the {megabytes(limit)} brag check reads in one "
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
