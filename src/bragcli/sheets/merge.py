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

from bragcli.model import Action, Area, id_key, natural_key
from bragcli.planedit import ActionChange, PlanUpdate
from bragcli.safetext import excerpt
from bragcli.sheets.importer import Imported

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


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field that both the sheet and the plan changed since the export, differently."""

    id: str
    field: str
    exported: str
    plan: str
    sheet: str
    row: int

    def __str__(self) -> str:
        return (
            f"row {self.row}: action {excerpt(self.id)}: {FIELD_COLUMNS[self.field]} was "
            f"{excerpt(self.exported)} when exported; the plan now says {excerpt(self.plan)}, "
            f"the sheet {excerpt(self.sheet)}"
        )


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
) -> Merged:
    """The update that makes the plan say what the sheet says (see the module's docstring)."""
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


def _merge_action(
    merged: Merged,
    sheet: Action,
    current: Action,
    before: Action | None,
    fields: Sequence[str],
    row: int,
    side: Side,
) -> None:
    values: dict[str, Any] = {}
    conflicts: list[Conflict] = []
    for key in fields:
        new, now = getattr(sheet, key), getattr(current, key)
        if _comparable(new) == _comparable(now):
            continue
        if new is None or new == []:
            merged.notices.append(
                f"row {row}: action {excerpt(sheet.id)}: {FIELD_COLUMNS[key]} is blank in the "
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
                    Conflict(sheet.id, key, _shown(was), _shown(now), _shown(new), row)
                )
                if side != "theirs":
                    continue
        values[key] = _written(key, new)
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
