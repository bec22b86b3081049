"""What the committee appendix shows, computed once for every template (`brag report`).

The template context is plain, immutable data built for templates: read-only mappings
(`types.MappingProxyType`), tuples, text, numbers, dates, booleans and None. It never holds a
pydantic model, a dataclass or any other object with methods, so a template (which may come
from anyone) can read the plan but cannot reach code that reads files, unpickles data or runs
commands, and cannot change what another part of the template sees. Its shape is a public
contract, documented in the README ("Your own template") and checked by
tests/test_hostile_templates.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from bragcli import __version__
from bragcli.compute.rollup import (
    DEFAULT_DUE_WITHIN,
    ActionView,
    MeasureView,
    Totals,
    build_status,
    view_measures,
)
from bragcli.model import Area, Measure, Plan, Rating, Reading
from bragcli.render import wording as fmt
from bragcli.source.git import Commit

#: A read-only mapping of the template context.
Record = Mapping[str, Any]

#: The only types a template context holds (`Record`s are `MappingProxyType`s).
CONTEXT_TYPES = (MappingProxyType, tuple, str, int, float, bool, date, type(None))


def _record(**fields: Any) -> Record:
    return MappingProxyType(fields)


def _plan(plan: Plan) -> Record:
    return _record(
        title=plan.title,
        organisation=plan.organisation,
        version=plan.version,
        start=plan.start,
        quarters=plan.quarters,
        roles=MappingProxyType(dict(plan.roles)),
        #: the plan's own words for each rating, the defaults where it has none
        brag_key=MappingProxyType({r.value: plan.descriptor(r) for r in Rating}),
    )


def _commit(commit: Commit | None) -> Record | None:
    if commit is None:
        return None
    return _record(sha=commit.sha, short=commit.short, date=commit.date, dirty=commit.dirty)


def _totals(totals: Totals) -> Record:
    return _record(
        status=MappingProxyType({r.value: n for r, n in totals.status.items()}),
        impact=MappingProxyType({r.value: n for r, n in totals.impact.items()}),
        actions=totals.actions,
        overdue=totals.overdue,
        due_soon=totals.due_soon,
        impact_rated=totals.impact_rated,
    )


def _area(area: Area) -> Record:
    return _record(
        id=area.id,
        title=area.title,
        outcomes=tuple(_record(text=o.text, evidence=tuple(o.evidence)) for o in area.outcomes),
    )


def _reading(reading: Reading | None) -> Record | None:
    if reading is None:
        return None
    return _record(period=reading.period, value=reading.value, source=reading.source)


def _measure(measure: Measure) -> Record:
    return _record(
        name=measure.name,
        good=measure.good,
        target=measure.target,
        unit=measure.unit,
        #: "16-20", "≥ 90%", "≤ 0" with the unit; "" without a target
        target_text=fmt.target_text(measure),
    )


def _measure_view(view: MeasureView, measure: Record) -> Record:
    return _record(
        measure=measure,
        latest=_reading(view.latest),
        previous=_reading(view.previous),
        meets=view.meets,
        change=view.change,
        trend=view.trend.value if view.trend is not None else None,
        #: the latest value with its unit, e.g. "22%"
        latest_text=fmt.with_unit(view.latest.value, view.measure),
        #: the change with its sign and unit, e.g. "+2%"; "" with a single reading
        change_text=fmt.signed(view.change, view.measure) if view.change is not None else "",
    )


class _Builder:
    """Builds each area and action record once, so the context shares them (and stays small)."""

    def __init__(self) -> None:
        self._areas: dict[int, Record] = {}
        self._actions: dict[int, Record] = {}

    def area(self, area: Area) -> Record:
        key = id(area)
        if key not in self._areas:
            self._areas[key] = _area(area)
        return self._areas[key]

    def action(self, view: ActionView) -> Record:
        key = id(view)
        if key not in self._actions:
            a = view.action
            self._actions[key] = _record(
                action=_record(
                    id=a.id,
                    title=a.title,
                    lead=tuple(a.lead),
                    deadline=a.deadline,
                    status=a.status.value,
                    impact=a.impact.value if a.impact is not None else None,
                    updated=a.updated,
                    success_criteria=a.success_criteria,
                    progress=tuple(note.written for note in a.progress),
                ),
                area=self.area(view.area),
                due=view.due,
                overdue=view.overdue,
                days_overdue=view.days_overdue,
                days_left=view.days_left,
                due_soon=view.due_soon,
                stale=view.stale,
            )
        return self._actions[key]

    def actions(self, views: list[ActionView]) -> tuple[Record, ...]:
        return tuple(self.action(v) for v in views)


def report_context(
    plan: Plan,
    areas: list[Area],
    as_of: date,
    commit: Commit | None,
    *,
    due_within: int = DEFAULT_DUE_WITHIN,
) -> Record:
    """The template context documented in the README, as plain read-only data."""
    status = build_status(plan, areas, as_of, due_within=due_within)
    readings = {(v.area.id, v.measure.name): v for v in view_measures(areas)}
    build = _Builder()

    def measure_rows(area: Area) -> tuple[Record, ...]:
        rows = []
        for m in area.measures:
            measure = _measure(m)
            view = readings.get((area.id, m.name))
            reading = _measure_view(view, measure) if view is not None else None
            rows.append(_record(measure=measure, reading=reading))
        return tuple(rows)

    area_reports = tuple(
        _record(
            area=build.area(summary.area),
            totals=_totals(summary.totals),
            actions=build.actions([v for v in status.actions if v.area is summary.area]),
            measures=measure_rows(summary.area),
        )
        for summary in status.areas
    )
    return _record(
        plan=_plan(plan),
        as_of=as_of,
        commit=_commit(commit),
        generator=f"bragcli {__version__}",
        ratings=tuple(r.value for r in Rating),
        totals=_totals(status.totals),
        areas=area_reports,
        actions=build.actions(status.actions),
        overdue=build.actions(status.overdue),
        red=build.actions([v for v in status.actions if v.action.status is Rating.RED]),
        #: overdue actions (longest first), then red actions that are not overdue
        attention=build.actions(status.overdue + status.red),
        due_soon=build.actions(status.due_soon),
        due_within=due_within,
    )
