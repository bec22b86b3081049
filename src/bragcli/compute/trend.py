"""BRAG totals through history, and each action's re-planning (`brag trend`). Pure.

It takes the plan as it was at each commit, as domain values (`PlanAt`: the commit's id, date
and subject, the Plan and its Areas); the command layer reads them from git.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bragcli.compute.rollup import Tally, Totals, area_tally, totals_at
from bragcli.compute.timing import DEFAULT_DUE_WITHIN
from bragcli.deadlines import Quarters
from bragcli.model import Area, Plan, Rating, natural_key


@dataclass(frozen=True, slots=True)
class CommitInfo:
    """The commit a point of the trend stands for."""

    sha: str
    #: the date the plan is judged at (the commit's date)
    date: date
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:12]


@dataclass(frozen=True, slots=True)
class PlanAt:
    """The plan as it was at one commit: what `build_trend` takes for each point.

    An Area that did not change since the previous commit should be the same object as
    there (a reader shares what it read from the same blob): its counts are then reused.
    """

    commit: CommitInfo
    #: None when the plan did not load at that commit (then `areas` counts for nothing)
    plan: Plan | None
    areas: Sequence[Area]
    #: errors in the plan at that commit (with any, the commit counts for nothing)
    errors: int


@dataclass(frozen=True, slots=True)
class Point:
    """The plan's totals at one commit, judged as of that commit's date."""

    revision: CommitInfo
    #: empty (all zero) when the plan did not load
    totals: Totals
    #: errors in the plan at that commit
    errors: int
    #: False when the plan at that commit has errors (it fails `brag check`): such a commit
    #: is shown as not loaded, and its counts and actions count for nothing
    loaded: bool = True


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


class _Tallies:
    """The tally of each area (`rollup.area_tally`), worked out once per version of the area
    and per `quarters`, the one plan setting its deadline windows depend on.

    A version of an area is an Area object: the entry keeps the object, so the identity
    test can never match another object that took its place in memory. Only the areas of the
    latest commit are kept, so memory does not grow with the length of the history.
    """

    def __init__(self) -> None:
        self._known: dict[int, tuple[Area, Quarters, Tally]] = {}

    def of(self, areas: Sequence[Area], quarters: Quarters) -> list[Tally]:
        kept: dict[int, tuple[Area, Quarters, Tally]] = {}
        tallies = []
        for area in areas:
            entry = self._known.get(id(area))
            if entry is None or entry[0] is not area or entry[1] != quarters:
                entry = (area, quarters, area_tally(area, quarters))
            kept[id(area)] = entry
            tallies.append(entry[2])
        self._known = kept
        return tallies


@dataclass(slots=True)
class _Tracked:
    """An action's record within a stretch of commits, with what it was at its first
    appearance there, so that the stretch can be joined to the ones before (`_joined`)."""

    record: ActionRecord
    first_status: Rating
    first_deadline: str | None
    #: whether its status changed after its first appearance in the stretch
    turned: bool = False


@dataclass(frozen=True, slots=True)
class TrendPart:
    """What a stretch of consecutive commits of a history gives (`trend_part`); the parts of
    a whole history, joined in order (`join_parts`), give what it gives read in one go."""

    points: list[Point]
    actions: dict[str, _Tracked]
    #: the action ids at the stretch's last commit that loaded (None: no commit loaded)
    last: frozenset[str] | None


def build_trend(history: Iterable[PlanAt], *, monthly: bool = False) -> Trend:
    """Points per commit (or for the last commit of each month) and per action.

    Each point's totals are `rollup.totals_at` of the areas at that commit as of its date,
    the totals `brag status` gives for that tree. A commit whose plan has errors (which
    `brag status` refuses) is a point marked not loaded: it feeds no totals, no re-plan
    count and no rating's duration. A long history repeats most areas unchanged
    from one commit to the next: their tallies are reused, and only the actions of areas
    that changed are compared with their previous version.
    """
    return join_parts([trend_part(history)], monthly=monthly)


def trend_part(history: Iterable[PlanAt]) -> TrendPart:
    """`build_trend` of a stretch of consecutive commits, before it is joined to the
    stretches before and after it (a history can be read in parts, side by side)."""
    points: list[Point] = []
    actions: dict[str, _Tracked] = {}
    tallies = _Tallies()
    seen: dict[int, Area] = {}  # the areas of the previous commit, by identity
    last: Sequence[Area] | None = None
    for at in history:
        if at.plan is None or at.errors:
            # A plan with errors is not the plan: a row that reused an id, say, would count
            # as a re-plan of the action it copied, and its partial totals as a dip.
            points.append(Point(at.commit, Totals.zero(), at.errors, loaded=False))
            continue
        current: dict[int, Area] = {}
        for area in at.areas:
            if seen.get(id(area)) is not area:
                _update_records(actions, area, at.commit.date)
            current[id(area)] = area
        seen, last = current, at.areas
        counted = totals_at(tallies.of(at.areas, at.plan.quarters), at.commit.date,
                            DEFAULT_DUE_WITHIN)  # fmt: skip
        points.append(Point(at.commit, counted, at.errors))
    now = None if last is None else frozenset(a.id for area in last for a in area.actions)
    return TrendPart(points, actions, now)


def join_parts(parts: Sequence[TrendPart], *, monthly: bool = False) -> Trend:
    """The trend of the commits of `parts`, in order, as if they were read in one go."""
    points: list[Point] = []
    records: dict[str, ActionRecord] = {}
    now: frozenset[str] = frozenset()
    for part in parts:
        points += part.points
        for action_id, later in part.actions.items():
            before = records.get(action_id)
            records[action_id] = later.record if before is None else _joined(before, later)
        if part.last is not None:
            now = part.last
    if monthly:
        by_month: dict[str, Point] = {}
        for point in points:
            by_month[point.revision.date.strftime("%Y-%m")] = point
        points = list(by_month.values())
    # Actions of the plan as it is now (at the last commit), not ones removed along the way.
    ordered = sorted((records[i] for i in now), key=lambda r: natural_key(r.id))
    return Trend(points, ordered)


def _joined(before: ActionRecord, later: _Tracked) -> ActionRecord:
    """An action's record as it was `before` a stretch of commits, carried through the
    stretch (`later`: its record there): as `_update_records` makes it reading both in one
    go."""
    after = later.record
    turned = later.first_status is not before.status
    moved = (later.first_deadline or "") != (before.deadline or "")
    return ActionRecord(
        id=after.id,
        area=after.area,
        title=after.title,
        status=after.status,
        since=after.since if turned or later.turned else before.since,
        deadline=after.deadline,
        replanned=before.replanned + int(moved) + after.replanned,
        deadlines=before.deadlines + (after.deadlines if moved else after.deadlines[1:]),
    )


def _update_records(actions: dict[str, _Tracked], area: Area, when: date) -> None:
    for action in area.actions:
        tracked = actions.get(action.id)
        if tracked is None:
            record = ActionRecord(
                id=action.id,
                area=area.id,
                title=action.title,
                status=action.status,
                since=when,
                deadline=action.deadline,
                replanned=0,
                deadlines=[action.deadline or "none"],
            )
            actions[action.id] = _Tracked(record, action.status, action.deadline)
            continue
        record = tracked.record
        if action.status is not record.status:
            record.status, record.since = action.status, when
            tracked.turned = True
        if (action.deadline or "") != (record.deadline or ""):
            record.replanned += 1
            record.deadline = action.deadline
            record.deadlines.append(action.deadline or "none")
        record.area, record.title = area.id, action.title
