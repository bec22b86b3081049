"""BRAG totals through history, and each action's re-planning (`brag trend`). Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bragcli.history import Revision, Snapshot
from bragcli.model import Rating, natural_key
from bragcli.rollup import Totals, totals, view_actions


@dataclass(frozen=True, slots=True)
class Point:
    """The plan's totals at one commit, judged as of that commit's date."""

    revision: Revision
    totals: Totals
    #: errors in the plan at that commit (its totals count only what loaded)
    errors: int


@dataclass(slots=True)
class ActionRecord:
    """An action's history: how often its deadline moved, and since when it holds its rating."""

    id: str
    area: str
    title: str
    status: Rating
    #: date of the first commit of the current unbroken run of this status
    since: date
    deadline: str | None
    #: how many times the deadline text changed ("re-planned 3 times")
    replanned: int
    deadlines: list[str]


@dataclass(frozen=True, slots=True)
class Trend:
    points: list[Point]
    actions: list[ActionRecord]


def build_trend(snapshots: Iterable[Snapshot], *, by: str = "commit") -> Trend:
    """Points per commit (or the last commit of each month with by="month") and per action."""
    points: list[Point] = []
    records: dict[str, ActionRecord] = {}
    current: set[str] = set()
    for snapshot in snapshots:
        plan, revision = snapshot.plan, snapshot.revision
        if plan.plan is None:
            points.append(Point(revision, Totals(), len(plan.errors)))
            continue
        areas = [s.area for s in plan.areas]
        views = view_actions(plan.plan, areas, revision.date)
        points.append(Point(revision, totals(views), len(plan.errors)))
        current = {view.action.id for view in views}
        for view in views:
            action = view.action
            record = records.get(action.id)
            if record is None:
                records[action.id] = ActionRecord(
                    id=action.id,
                    area=view.area.id,
                    title=action.title,
                    status=action.status,
                    since=revision.date,
                    deadline=action.deadline,
                    replanned=0,
                    deadlines=[action.deadline or "none"],
                )
                continue
            if action.status is not record.status:
                record.status, record.since = action.status, revision.date
            if (action.deadline or "") != (record.deadline or ""):
                record.replanned += 1
                record.deadline = action.deadline
                record.deadlines.append(action.deadline or "none")
            record.area, record.title = view.area.id, action.title
    if by == "month":
        monthly: dict[str, Point] = {}
        for point in points:
            monthly[point.revision.date.strftime("%Y-%m")] = point
        points = list(monthly.values())
    # Actions of the plan as it is now (at the last commit), not ones removed along the way.
    ordered = sorted((records[i] for i in current), key=lambda r: natural_key(r.id))
    return Trend(points, ordered)
