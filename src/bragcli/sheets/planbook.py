"""The sheets of a whole-plan workbook besides Actions, read back: Plan and Roles into the
plan, Areas, Outcomes and Measures into the areas (see `exporter.plan_sheets`).

A workbook without these sheets (a tracker kept by hand, a CSV) gives no plan and leaves
the areas as the Actions sheet made them. A row that does not validate is a BragError that
names the sheet, the row and what to write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from bragcli.model import Area, Measure, Outcome, Plan, Rating, Reading
from bragcli.problems import BragError
from bragcli.render.wording import csv_unescape
from bragcli.safetext import excerpt
from bragcli.sheets.exporter import (
    AREA_COLUMNS,
    AREAS_SHEET,
    MEASURES_SHEET,
    OUTCOMES_SHEET,
    PLAN_SHEET,
    ROLES_SHEET,
)
from bragcli.sheets.importer import RowProblem, sheet_rating

Rows = list[list[str]]


def _records(sheets: dict[str, Rows], name: str) -> list[tuple[int, dict[str, str]]]:
    """(row number, header -> cell) for each non-blank row under the sheet's header."""
    rows = sheets.get(name) or []
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    records = []
    for number, row in enumerate(rows[1:], 2):
        cells = {
            key: csv_unescape(row[i].strip()) if i < len(row) else ""
            for i, key in enumerate(header)
        }
        if any(cells.values()):
            records.append((number, cells))
    return records


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _invalid(sheet: str, row: int, e: ValidationError) -> BragError:
    return BragError(f"sheet {sheet}, row {row}: {_reason(e)}")


def _reason(e: ValidationError) -> str:
    first = e.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{where + ' ' if where else ''}{excerpt(str(first['input']))} {message}"


@dataclass(frozen=True, slots=True)
class AreaRow:
    """An area's own fields as a row of the Areas sheet gives them (blank: None, or [])."""

    row: int
    id: str
    title: str | None
    lead: list[str]
    status: Rating | None
    impact: Rating | None


def area_rows(sheets: dict[str, Rows]) -> tuple[list[AreaRow], frozenset[str], list[RowProblem]]:
    """The rows of the Areas sheet (for `brag import --update`), the columns it has, and the
    rows that do not validate, each with what to write."""
    rows: list[AreaRow] = []
    problems: list[RowProblem] = []
    header = sheets.get(AREAS_SHEET) or [[]]
    columns = frozenset(c.strip().lower() for c in header[0]) & frozenset(AREA_COLUMNS)
    for number, cells in _records(sheets, AREAS_SHEET):
        title = cells.get("area title", "")
        data = {
            "id": cells.get("area", ""),
            "title": title or "(blank)",
            "lead": _lead(cells.get("lead", "")),
            "status": sheet_rating(cells.get("status", "")) or None,
            "impact": sheet_rating(cells.get("impact", "")) or None,
        }
        try:
            area = Area.model_validate(data)
        except ValidationError as e:
            problems.append(RowProblem(number, _reason(e), AREAS_SHEET))
            continue
        rows.append(
            AreaRow(number, area.id, area.title if title else None, list(area.lead),
                    area.status, area.impact)
        )  # fmt: skip
    return rows, columns, problems


def plan_from_sheets(sheets: dict[str, Rows]) -> Plan | None:
    """The plan from the Plan and Roles sheets; None when the workbook has no Plan sheet."""
    if PLAN_SHEET not in sheets:
        return None
    data: dict[str, Any] = {"brag_key": {}, "checks": {}}
    for number, cells in _records(sheets, PLAN_SHEET):
        setting, value = cells.get("setting", ""), cells.get("value", "")
        if not value:
            continue
        if setting.startswith("brag key: "):
            data["brag_key"][setting.removeprefix("brag key: ")] = value
        elif setting in {"checks: disable", "checks: enable"}:
            data["checks"][setting.removeprefix("checks: ")] = _lines(value)
        elif setting == "checks: stale_days":
            data["checks"]["stale_days"] = value
        elif setting in {"title", "organisation", "version", "start", "quarters"}:
            data[setting] = value
        else:
            raise BragError(
                f"sheet {PLAN_SHEET}, row {number}: {excerpt(setting)} is not a setting of the "
                "plan; leave the setting column as export wrote it"
            )
    roles = {}
    for _number, cells in _records(sheets, ROLES_SHEET):
        roles[cells.get("role", "")] = cells.get("holder", "")
    data["roles"] = roles
    try:
        return Plan.model_validate(data)
    except ValidationError as e:
        raise _invalid(PLAN_SHEET, 1, e) from e


def complete_areas(areas: Sequence[Area], sheets: dict[str, Rows]) -> list[Area]:
    """The areas with what the Areas, Outcomes and Measures sheets say of them (an area with
    no action is added from the Areas sheet)."""
    by_id = {area.id: area for area in areas}
    order = [area.id for area in areas]
    for number, cells in _records(sheets, AREAS_SHEET):
        area_id = cells.get("area", "")
        update: dict[str, Any] = {
            "lead": _lead(cells.get("lead", "")),
            "status": cells.get("status") or None,
            "impact": cells.get("impact") or None,
        }
        if area_id not in by_id:
            order.append(area_id)
            update |= {"id": area_id, "title": cells.get("area title", "")}
            by_id[area_id] = _area(update, AREAS_SHEET, number)
        else:
            by_id[area_id] = _area({**_data(by_id[area_id]), **update}, AREAS_SHEET, number)
    outcomes: dict[str, list[Outcome]] = {}
    for number, cells in _records(sheets, OUTCOMES_SHEET):
        try:
            outcome = Outcome(
                text=cells.get("outcome", ""), evidence=_lines(cells.get("evidence", ""))
            )
        except ValidationError as e:
            raise _invalid(OUTCOMES_SHEET, number, e) from e
        outcomes.setdefault(cells.get("area", ""), []).append(outcome)
    measures: dict[str, dict[str, tuple[dict[str, Any], list[Reading]]]] = {}
    for number, cells in _records(sheets, MEASURES_SHEET):
        named = measures.setdefault(cells.get("area", ""), {})
        head = {
            "name": cells.get("measure", ""),
            **{k: cells[k] for k in ("good", "target", "unit") if cells.get(k)},
        }
        _head, readings = named.setdefault(head["name"], (head, []))
        if cells.get("period") or cells.get("value"):
            try:
                readings.append(
                    Reading.model_validate(
                        {
                            "period": cells.get("period", ""),
                            "value": cells.get("value", ""),
                            **({"source": cells["source"]} if cells.get("source") else {}),
                        }
                    )
                )
            except ValidationError as e:
                raise _invalid(MEASURES_SHEET, number, e) from e
    for area_id in set(outcomes) | set(measures):
        if area_id not in by_id:
            raise BragError(
                f"sheets {OUTCOMES_SHEET}/{MEASURES_SHEET}: area {excerpt(area_id)} is in no "
                "other sheet; give it a row in the Areas sheet"
            )
        built = []
        for head, readings in measures.get(area_id, {}).values():
            try:
                built.append(Measure.model_validate({**head, "readings": readings}))
            except ValidationError as e:
                raise _invalid(MEASURES_SHEET, 1, e) from e
        by_id[area_id] = by_id[area_id].model_copy(
            update={"outcomes": outcomes.get(area_id, []), "measures": built}
        )
    return [by_id[area_id] for area_id in order]


def _lead(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _data(area: Area) -> dict[str, Any]:
    return {"id": area.id, "title": area.title, "actions": list(area.actions)}


def _area(data: dict[str, Any], sheet: str, row: int) -> Area:
    try:
        return Area.model_validate(data)
    except ValidationError as e:
        raise _invalid(sheet, row, e) from e
