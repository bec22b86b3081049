"""An edited tracker against the plan: the update `brag import --update` makes. Pure.

Rows are matched to actions by id. Only fields the sheet has a column for are compared, and
only a value that differs is changed. When the sheet says which revision it was exported
from (its About sheet), the plan at that revision is the base of a three-way comparison:
a value the sheet left as it was exported is not a change, even where the plan has moved on
since; a value both the sheet and the plan changed, differently, is a conflict, and nothing
of that action is changed unless the caller takes a side ("theirs": the sheet's value,
"ours": the plan's). Notes are only ever added: a plan note the sheet lacks is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from bragcli.deadlines import days_in_month, parse_deadline
from bragcli.model import Action, Area, id_key, natural_key
from bragcli.planedit import ActionChange, AreaChange, PlanUpdate
from bragcli.safetext import excerpt
from bragcli.sheets.exporter import AREAS_SHEET
from bragcli.sheets.importer import Imported
from bragcli.sheets.planbook import AreaRow

Side = Literal["ask", "theirs", "ours"]

#: Model field -> the sheet's column, for the fields an update changes.
FIELD_COLUMNS = {
    "title": "action",
    "lead": "lead",
    "deadline": "deadline",
    "status": "status",
    "impact": "impact",
    "updated": "updated",
    "success_criteria": "success criteria",
    "baseline": "baseline",
    "source": "source",
    "impact_evidence": "impact evidence",
}
#: An area's own fields -> the Areas sheet's column.
AREA_FIELD_COLUMNS = {"title": "area title", "lead": "lead", "status": "status", "impact": "impact"}


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field that both the sheet and the plan changed since the export, differently."""

    id: str
    field: str
    exported: str
    plan: str
    sheet: str
    row: int
    #: "action", or "area" for a row of the Areas sheet
    scope: str = "action"

    def __str__(self) -> str:
        return (
            f"{_where(self.scope, self.row, self.id)}: {_columns(self.scope)[self.field]} was "
            f"{excerpt(self.exported)} when exported; the plan now says {excerpt(self.plan)}, "
            f"the sheet {excerpt(self.sheet)}"
        )


def _where(scope: str, row: int, ident: str) -> str:
    """'row 2: action '1.1'', or 'sheet Areas, row 3: area '2''."""
    sheet = f"sheet {AREAS_SHEET}, " if scope == "area" else ""
    return f"{sheet}row {row}: {scope} {excerpt(ident)}"


def _columns(scope: str) -> dict[str, str]:
    return AREA_FIELD_COLUMNS if scope == "area" else FIELD_COLUMNS


@dataclass(slots=True)
class Merged:
    update: PlanUpdate
    conflicts: list[Conflict] = field(default_factory=list)
    #: what is reported and not changed: ids missing from the sheet, notes it lacks, blanks
    notices: list[str] = field(default_factory=list)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    return str(getattr(value, "value", value))


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    return getattr(value, "value", value)


def _written(key: str, value: Any) -> Any:
    """A model value as `ActionChange.values` holds it."""
    if isinstance(value, list):
        return list(value)
    if key in {"status", "impact"}:
        return value.value
    return value


def merge(
    imported: Imported,
    plan_areas: Sequence[Area],
    base_areas: Sequence[Area] | None,
    *,
    remove_missing: bool = False,
    side: Side = "ask",
    area_rows: Sequence[AreaRow] = (),
    area_columns: frozenset[str] = frozenset(),
) -> Merged:
    """The update that makes the plan say what the sheet says (see the module's docstring);
    `area_rows` are the Areas sheet's (with the columns it has), for the areas' own fields."""
    plan = {id_key(a.id): (area, a) for area in plan_areas for a in area.actions}
    base = (
        {id_key(a.id): a for area in base_areas for a in area.actions}
        if base_areas is not None
        else None
    )
    plan_area_ids = {id_key(area.id): area for area in plan_areas}
    merged = Merged(PlanUpdate())
    fields = [f for f, column in FIELD_COLUMNS.items() if column in imported.columns]
    new_areas: dict[str, Area] = {}
    for area in imported.areas:
        for action in area.actions:
            key = id_key(action.id)
            row = imported.rows_of.get(action.id, 0)
            if key not in plan and base is not None and key in base:
                merged.notices.append(
                    f"row {row}: action {excerpt(action.id)} was removed from the plan after "
                    "the sheet was exported; not added again (add it by hand if it should be)"
                )
                continue
            if key not in plan:
                home = plan_area_ids.get(id_key(area.id))
                if home is not None:
                    merged.update.added.append((home.id, action))
                else:
                    new = new_areas.setdefault(area.id, area.model_copy(update={"actions": []}))
                    new_areas[area.id] = new.model_copy(update={"actions": [*new.actions, action]})
                continue
            _, current = plan[key]
            before = base.get(key) if base is not None else None
            _merge_action(merged, action, current, before, fields, row, side)
    _merge_areas(merged, area_rows, area_columns, plan_areas, base_areas, new_areas, side)
    _titles_in_actions(merged, imported, plan_areas, base_areas, bool(area_rows))
    merged.update.new_areas = list(new_areas.values())
    seen = {id_key(i) for i in imported.rows_of}
    for key, (area, action) in sorted(plan.items(), key=lambda kv: natural_key(kv[1][1].id)):
        if key in seen:
            continue
        if base is not None and key not in base:
            continue  # added to the plan after the sheet was exported
        if remove_missing:
            merged.update.removed.append(action.id)
        else:
            merged.notices.append(
                f"action {excerpt(action.id)} (area {excerpt(area.id)}) is not in the sheet; "
                "kept (--remove-missing removes it)"
            )
    return merged


def _merge_areas(
    merged: Merged,
    rows: Sequence[AreaRow],
    columns: frozenset[str],
    plan_areas: Sequence[Area],
    base_areas: Sequence[Area] | None,
    new_areas: dict[str, Area],
    side: Side,
) -> None:
    """The areas' own fields from the Areas sheet, by the rules of actions' fields; a new
    area (whose actions the Actions sheet adds) takes them as they are."""
    plan = {id_key(area.id): area for area in plan_areas}
    base = {id_key(a.id): a for a in base_areas} if base_areas is not None else None
    fields = [key for key, column in AREA_FIELD_COLUMNS.items() if column in columns]
    for row in rows:
        current = plan.get(id_key(row.id))
        if current is None:
            new = next((a for a in new_areas.values() if id_key(a.id) == id_key(row.id)), None)
            if new is None:
                merged.notices.append(
                    f"{_where('area', row.row, row.id)}: not in the plan, and no action of the "
                    "sheet is in it; not added (give it its actions in the Actions sheet)"
                )
                continue
            given = {k: getattr(row, k) for k in fields if getattr(row, k) not in (None, [])}
            new_areas[new.id] = new.model_copy(update=given)
            continue
        before = base.get(id_key(row.id)) if base is not None else None
        values, conflicts = _merged_values(merged, row, current, before, fields, "area", row.row,
                                           row.id, side)  # fmt: skip
        merged.conflicts += conflicts
        if conflicts and side == "ask":
            continue  # nothing of this area
        if values:
            merged.update.area_changes.append(AreaChange(current.id, values))


def _titles_in_actions(
    merged: Merged,
    imported: Imported,
    plan_areas: Sequence[Area],
    base_areas: Sequence[Area] | None,
    has_areas_sheet: bool,
) -> None:
    """An area title edited in the sheet of actions (since the export) is reported: the
    column repeats the title on every row, so an area's title changes in the Areas sheet of
    a workbook, or in its area file."""
    if base_areas is None:
        return  # a tracker of its own may word titles its own way: nothing to tell
    plan = {id_key(area.id): area for area in plan_areas}
    base = {id_key(area.id): area for area in base_areas}
    where = "the Areas sheet" if has_areas_sheet else "its area file"
    for area_id, (title, row) in imported.area_titles.items():
        key = id_key(area_id)
        if key in plan and key in base and title not in {base[key].title, plan[key].title}:
            merged.notices.append(
                f"row {row}: area {excerpt(area_id)}: the area title was changed in this "
                f"sheet to {excerpt(title)}; not taken from here: change it in {where}"
            )


#: The fields that hold deadline text.
_DEADLINES = frozenset({"deadline", "baseline"})


def _month_made_a_day(sheet: Any, plan: Any) -> bool:
    """The sheet gives the first day of the one month the plan's deadline names: what Excel
    and LibreOffice make of "April 2023" typed in or opened from CSV (they recognise it as a
    date, 1 April 2023), not a lead's new deadline."""
    if not isinstance(sheet, str) or not isinstance(plan, str):
        return False
    try:
        day, month = parse_deadline(sheet), parse_deadline(plan)
    except ValueError:
        return False
    if day is None or month is None or day.start != day.end:
        return False
    first, last = month.start, month.end
    return (
        day.start == first
        and first.day == 1
        and (first.year, first.month) == (last.year, last.month)
        and last.day == days_in_month(last.year, last.month)
    )


def _merged_values(
    merged: Merged,
    sheet: Action | AreaRow,
    current: Action | Area,
    before: Action | Area | None,
    fields: Sequence[str],
    scope: str,
    row: int,
    ident: str,
    side: Side,
) -> tuple[dict[str, Any], list[Conflict]]:
    """The fields to change (the sheet's values, as `ActionChange.values` holds them), and the
    conflicts; a blank in the sheet is reported, never written."""
    values: dict[str, Any] = {}
    conflicts: list[Conflict] = []
    for key in fields:
        new, now = getattr(sheet, key), getattr(current, key)
        if _comparable(new) == _comparable(now):
            continue
        if key in _DEADLINES and _month_made_a_day(new, now):
            merged.notices.append(
                f"{_where(scope, row, ident)}: {_columns(scope)[key]} {excerpt(_shown(new))} in "
                f"the sheet is taken as the plan's {excerpt(_shown(now))}: a spreadsheet turns a "
                "month into its first day; kept (type the new deadline as text to change it)"
            )
            continue
        if new is None or new == []:
            merged.notices.append(
                f"{_where(scope, row, ident)}: {_columns(scope)[key]} is blank in the "
                f"sheet but {excerpt(_shown(now))} in the plan; kept (bragcli never empties a "
                "value from a sheet)"
            )
            continue
        if before is not None:
            was = getattr(before, key)
            if _comparable(new) == _comparable(was):
                continue  # the sheet left it as exported; the plan has changed it since
            if _comparable(now) != _comparable(was):
                conflicts.append(
                    Conflict(ident, key, _shown(was), _shown(now), _shown(new), row, scope)
                )
                if side != "theirs":
                    continue
        values[key] = _written(key, new)
    return values, conflicts


def _merge_action(
    merged: Merged,
    sheet: Action,
    current: Action,
    before: Action | None,
    fields: Sequence[str],
    row: int,
    side: Side,
) -> None:
    values, conflicts = _merged_values(merged, sheet, current, before, fields, "action", row,
                                       sheet.id, side)  # fmt: skip
    have = {note.written for note in current.progress}
    had = {note.written for note in before.progress} if before is not None else set()
    notes = tuple(note for note in sheet.progress if note.written not in have | had)
    in_sheet = {note.written for note in sheet.progress}
    for note in current.progress:
        if note.written not in in_sheet and (before is None or note.written in had):
            merged.notices.append(
                f"row {row}: action {excerpt(sheet.id)}: the plan's note {excerpt(note.written)} "
                "is not in the sheet (edited or deleted there?); kept in the plan"
            )
    merged.conflicts += conflicts
    if conflicts and side == "ask":
        return  # nothing of this action
    if values or notes:
        merged.update.changes.append(ActionChange(current.id, values, notes))
