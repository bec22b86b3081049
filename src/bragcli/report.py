"""What the committee appendix shows, computed once for every template (`brag report`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bragcli import __version__
from bragcli.gitinfo import Commit
from bragcli.model import Area, Measure, Plan, Rating
from bragcli.rollup import (
    DEFAULT_DUE_WITHIN,
    ActionView,
    MeasureView,
    Totals,
    build_status,
    view_measures,
)


@dataclass(frozen=True, slots=True)
class MeasureRow:
    """A measure that matters and its latest reading judged against target (None: no reading)."""

    measure: Measure
    reading: MeasureView | None


@dataclass(frozen=True, slots=True)
class AreaReport:
    area: Area
    totals: Totals
    actions: list[ActionView]
    measures: list[MeasureRow]


def report_context(
    plan: Plan,
    areas: list[Area],
    as_of: date,
    commit: Commit | None,
    *,
    due_within: int = DEFAULT_DUE_WITHIN,
) -> dict[str, Any]:
    """The template context documented in the README."""
    status = build_status(plan, areas, as_of, due_within=due_within)
    readings = {(v.area.id, v.measure.name): v for v in view_measures(areas)}
    area_reports = [
        AreaReport(
            area=summary.area,
            totals=summary.totals,
            actions=[v for v in status.actions if v.area is summary.area],
            measures=[
                MeasureRow(m, readings.get((summary.area.id, m.name)))
                for m in summary.area.measures
            ],
        )
        for summary in status.areas
    ]
    return {
        "plan": plan,
        "as_of": as_of,
        "commit": commit,
        "generator": f"bragcli {__version__}",
        "ratings": list(Rating),
        "totals": status.totals,
        "areas": area_reports,
        "actions": status.actions,
        "overdue": status.overdue,
        "red": [v for v in status.actions if v.action.status is Rating.RED],
        #: overdue actions (longest first), then red actions that are not overdue
        "attention": status.overdue + status.red,
        "due_soon": status.due_soon,
        "due_within": due_within,
    }
