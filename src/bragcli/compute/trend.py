"""BRAG totals through history, and each action's re-planning (`brag trend`). Pure."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bragcli.compute.rollup import DEFAULT_DUE_WITHIN, Totals, window_of
from bragcli.deadlines import Quarters
from bragcli.model import Area, Rating, natural_key
from bragcli.safetext import visible
from bragcli.source import git as history
from bragcli.source.git import Revision, Snapshot


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


@dataclass(frozen=True, slots=True)
class _AreaFacts:
    """What the totals need from one version of an area, worked out once per version."""

    status: dict[Rating, int]
    impact: dict[Rating, int]
    #: ends of the deadline windows of actions that are not blue, sorted
    ends: list[date]
    actions: int


def _facts(area: Area, quarters: Quarters) -> _AreaFacts:
    status = dict.fromkeys(Rating, 0)
    impact = dict.fromkeys(Rating, 0)
    ends = []
    for action in area.actions:
        status[action.status] += 1
        if action.impact is not None:
            impact[action.impact] += 1
        window = window_of(action, quarters)
        if window is not None and action.status is not Rating.BLUE:
            ends.append(window.end)
    return _AreaFacts(status, impact, sorted(ends), len(area.actions))


def _totals(facts: Iterable[_AreaFacts], as_of: date, due_within: int) -> Totals:
    """The same counts as rollup.totals(view_actions(...)), from per-area facts: an action is
    overdue when its window ended before as_of, due soon when it ends within due_within."""
    result = Totals()
    try:
        soon = as_of + timedelta(days=due_within)
    except OverflowError:  # a commit dated 9999-12-31 (see history.commit_date)
        soon = date.max
    for f in facts:
        for rating in Rating:
            result.status[rating] += f.status[rating]
            result.impact[rating] += f.impact[rating]
        result.actions += f.actions
        late = bisect_left(f.ends, as_of)
        result.overdue += late
        result.due_soon += bisect_right(f.ends, soon) - late
    return result


def build_trend(snapshots: Iterable[Snapshot], *, by: str = "commit") -> Trend:
    """Points per commit (or the last commit of each month with by="month") and per action.

    A long history repeats most areas unchanged from one commit to the next (history.py hands
    over the same Area object then): their counts are worked out once, and only the actions
    of areas that changed are compared with their previous version.
    """
    points: list[Point] = []
    records: dict[str, ActionRecord] = {}
    current: set[str] = set()
    known: dict[int, tuple[Area, _AreaFacts]] = {}
    for snapshot in snapshots:
        plan, revision = snapshot.plan, snapshot.revision
        if plan.plan is None:
            points.append(Point(revision, Totals(), len(plan.errors)))
            continue
        quarters = plan.plan.quarters
        facts = []
        seen: dict[int, tuple[Area, _AreaFacts]] = {}
        for source in plan.areas:
            area = source.area
            entry = known.get(id(area))
            if entry is None or entry[0] is not area:
                entry = (area, _facts(area, quarters))
                _update_records(records, area, revision.date)
            seen[id(area)] = entry
            facts.append(entry[1])
        known = seen
        points.append(Point(revision, _totals(facts, revision.date, DEFAULT_DUE_WITHIN),
                            len(plan.errors)))  # fmt: skip
        current = {a.id for s in plan.areas for a in s.area.actions}
    if by == "month":
        monthly: dict[str, Point] = {}
        for point in points:
            monthly[point.revision.date.strftime("%Y-%m")] = point
        points = list(monthly.values())
    # Actions of the plan as it is now (at the last commit), not ones removed along the way.
    ordered = sorted((records[i] for i in current), key=lambda r: natural_key(r.id))
    return Trend(points, ordered)


def _update_records(records: dict[str, ActionRecord], area: Area, when: date) -> None:
    for action in area.actions:
        record = records.get(action.id)
        if record is None:
            records[action.id] = ActionRecord(
                id=action.id,
                area=area.id,
                title=action.title,
                status=action.status,
                since=when,
                deadline=action.deadline,
                replanned=0,
                deadlines=[action.deadline or "none"],
            )
            continue
        if action.status is not record.status:
            record.status, record.since = action.status, when
        if (action.deadline or "") != (record.deadline or ""):
            record.replanned += 1
            record.deadline = action.deadline
            record.deadlines.append(action.deadline or "none")
        record.area, record.title = area.id, action.title


def notes(trend: Trend, since: str | None, folder: str) -> str:
    """Lines for stderr: commit dates not shown as git has them, and when `since` left no
    commit, that it did ("" when there is nothing to say)."""
    text = history.notes(p.revision for p in trend.points)
    if since is not None and not trend.points:
        text += f"brag trend: no commit touched {visible(folder)} since {visible(since)}\n"
    return text
