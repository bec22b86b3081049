"""Counts, overdue, due-soon and filters: pure functions of (plan, as_of). No I/O, no clock."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from bragcli.compute.timing import (
    DEFAULT_DUE_WITHIN,
    days_overdue,
    due_soon_until,
    is_due_soon,
    is_stale,
    window_of,
)
from bragcli.deadlines import (
    READING_GRACE_MONTHS,
    Quarters,
    ReadingCadence,
    Window,
    reading_is_stale,
)
from bragcli.model import DEFAULT_STALE_DAYS as DEFAULT_STALE_DAYS
from bragcli.model import Action, Area, Measure, Plan, Rating, Reading, natural_key


def source_matches(action: Action, text: str) -> bool:
    """`text` is in one of the action's `source:` entries, in any case (`--source`)."""
    needle = text.casefold()
    return any(needle in entry.casefold() for entry in action.source)


class ActionView(NamedTuple):
    """An action with everything computed about it at an as-of date."""

    area: Area
    action: Action
    as_of: date
    window: Window | None
    days_overdue: int
    due_soon: bool
    stale: bool
    #: the deadline first agreed: `baseline:`, else the first deadline in git history (None
    #: when neither says)
    baseline: str | None = None
    #: how many times the deadline moved since it was first agreed (None without history)
    replanned: int | None = None

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def due(self) -> date | None:
        return self.window.end if self.window else None

    @property
    def days_left(self) -> int | None:
        """Days from as-of to the end of the window (0 on the last day); None without a date."""
        return (self.window.end - self.as_of).days if self.window else None


class Totals(NamedTuple):
    """Counts of activity ratings, impact ratings, overdue and due soon."""

    status: dict[Rating, int]
    impact: dict[Rating, int]
    actions: int
    overdue: int
    due_soon: int
    #: of the actions of each activity rating, how many are overdue ("Green 25 (15 overdue)")
    overdue_by_status: dict[Rating, int]

    @classmethod
    def zero(cls) -> Totals:
        """The totals of no actions."""
        none = dict.fromkeys(Rating, 0)
        return cls(none, none.copy(), 0, 0, 0, none.copy())

    @property
    def impact_rated(self) -> int:
        return sum(self.impact.values())


class Tally(NamedTuple):
    """What the totals of a group of actions (an area) need, whatever the as-of date: counts
    of ratings, and the sorted ends of the windows of the actions that are not complete.

    `totals_at` turns tallies into Totals at any date without looking at an action again, so
    `brag trend` works out one tally per version of an area (and per `quarters`: the windows
    depend on it) and reuses it at every commit that leaves the area unchanged.
    """

    status: tuple[int, ...]  # per Rating, in declaration order
    impact: tuple[int, ...]
    actions: int
    #: ends of the deadline windows of the actions that are not blue, sorted
    open_ends: tuple[date, ...]
    #: the same ends, per activity rating (in declaration order; blue's is always empty)
    open_ends_by_status: tuple[tuple[date, ...], ...]


_RATING_INDEX = {rating: i for i, rating in enumerate(Rating)}


def tally(actions: Iterable[tuple[Action, Window | None]]) -> Tally:
    """The tally of (action, its window) pairs (see `window_of`)."""
    status = [0] * len(Rating)
    impact = [0] * len(Rating)
    ends = []
    by_status: list[list[date]] = [[] for _ in Rating]
    count = 0
    for action, window in actions:
        count += 1
        status[_RATING_INDEX[action.status]] += 1
        if action.impact is not None:
            impact[_RATING_INDEX[action.impact]] += 1
        if window is not None and action.status is not Rating.BLUE:
            ends.append(window.end)
            by_status[_RATING_INDEX[action.status]].append(window.end)
    ends.sort()
    for kept in by_status:
        kept.sort()
    return Tally(tuple(status), tuple(impact), count, tuple(ends), tuple(map(tuple, by_status)))


def area_tally(area: Area, quarters: Quarters) -> Tally:
    """The tally of every action of `area`, its windows read with `quarters`."""
    return tally((action, window_of(action, quarters)) for action in area.actions)


def totals_at(tallies: Iterable[Tally], as_of: date, due_within: int) -> Totals:
    """The totals of the tallied actions at `as_of`: the only place actions are counted.

    Overdue and due soon mean what `days_overdue` and `is_due_soon` say of one action: an
    open action is overdue when its window ended before as_of, due soon when it ends on
    as_of or within `due_within` days after it (`due_soon_until`).
    """
    status = [0] * len(Rating)
    impact = [0] * len(Rating)
    late_by_status = [0] * len(Rating)
    actions = overdue = due_soon = 0
    until = due_soon_until(as_of, due_within)
    for t in tallies:
        status = [a + b for a, b in zip(status, t.status, strict=True)]
        impact = [a + b for a, b in zip(impact, t.impact, strict=True)]
        actions += t.actions
        late = bisect_left(t.open_ends, as_of)
        overdue += late
        due_soon += bisect_right(t.open_ends, until) - late
        for i, ends in enumerate(t.open_ends_by_status):
            late_by_status[i] += bisect_left(ends, as_of)
    return Totals(
        status=dict(zip(Rating, status, strict=True)),
        impact=dict(zip(Rating, impact, strict=True)),
        actions=actions,
        overdue=overdue,
        due_soon=due_soon,
        overdue_by_status=dict(zip(Rating, late_by_status, strict=True)),
    )


class Filters(NamedTuple):
    """What to keep. Empty tuples mean 'everything'."""

    areas: tuple[str, ...] = ()
    #: text in a lead role or its holder's name, of the action or of its area's owner
    lead: str | None = None
    statuses: tuple[Rating, ...] = ()
    overdue_only: bool = False
    #: text in one of the action's `source:` entries
    source: str | None = None

    def keep(self, view: ActionView, plan: Plan) -> bool:
        if self.areas and view.area.id not in self.areas:
            return False
        if self.statuses and view.action.status not in self.statuses:
            return False
        if self.overdue_only and not view.overdue:
            return False
        if self.lead and not self._lead_matches(view, plan):
            return False
        return not self.source or source_matches(view.action, self.source)

    def _lead_matches(self, view: ActionView, plan: Plan) -> bool:
        """The lead text is in a lead role of the action or of its area (the area's owner
        sees every action of the area), or in the name of the role's holder."""
        assert self.lead is not None
        needle = self.lead.casefold()
        roles = (*view.action.lead, *view.area.lead)
        names = [*roles, *(plan.holder(r) or "" for r in roles)]
        return any(needle in n.casefold() for n in names)

    def missed_by_lead(self, views: Iterable[ActionView], plan: Plan) -> list[ActionView]:
        """Of `views` (before filtering), those --lead left out that have a lead role not in
        the plan's roles glossary: whose holder is not known, so that may be meant."""
        if not self.lead:
            return []
        return [
            v
            for v in views
            if not self._lead_matches(v, plan)
            and any(plan.holder(role) is None for role in v.action.lead)
            and self._keep_but_lead(v, plan)
        ]

    def _keep_but_lead(self, view: ActionView, plan: Plan) -> bool:
        others = Filters(self.areas, None, self.statuses, self.overdue_only, self.source)
        return others.keep(view, plan)


#: every action: no filter given
NO_FILTERS = Filters()


#: How `ActionRecord.deadlines` (compute.trend) writes an action that had no deadline.
NO_DEADLINE = "none"


def replanning(
    action: Action, history: Mapping[str, Sequence[str]] | None
) -> tuple[str | None, int | None]:
    """(the deadline first agreed, how many times the deadline moved since).

    `history` maps action ids to the deadlines each had through git history, oldest first,
    one entry per move (`compute.trend.ActionRecord.deadlines`); None when the plan is not
    in git. The first agreed deadline is `baseline:` when the action has it, else the first
    deadline it had in history. The count is the moves in history, plus one when `baseline:`
    differs from the first deadline in history (a move made before the plan was in git) and
    one when the deadline as it is now differs from the last one committed. Without history
    the count is None (not known), and the baseline only what `baseline:` says.
    """
    current = action.deadline or NO_DEADLINE
    if history is None:
        return action.baseline, None
    deadlines = [*history.get(action.id, ())]
    if not deadlines or deadlines[-1] != current:
        deadlines.append(current)
    moves = len(deadlines) - 1
    first = next((d for d in deadlines if d != NO_DEADLINE), None)
    if action.baseline is not None and first is not None and action.baseline != deadlines[0]:
        moves += 1
    return (action.baseline or first), moves


def view_actions(
    plan: Plan,
    areas: Sequence[Area],
    as_of: date,
    *,
    due_within: int = DEFAULT_DUE_WITHIN,
    stale_days: int | None = None,
    deadline_history: Mapping[str, Sequence[str]] | None = None,
) -> list[ActionView]:
    """Every action of every area, in the order given, with its computed state.

    `stale_days` None: the plan's `checks: stale_days` (DEFAULT_STALE_DAYS unless set).
    `deadline_history`: see `replanning` (None: the plan is not in git, or it was not read).
    """
    if stale_days is None:
        stale_days = plan.checks.stale_days
    quarters = plan.quarters
    views: list[ActionView] = []
    add = views.append
    # A large plan has tens of thousands of actions: the view is made positionally, and
    # without history the re-plans are known at once (`replanning`'s first case).
    for area in areas:
        for action in area.actions:
            window = window_of(action, quarters)
            status = action.status
            overdue = days_overdue(window, status, as_of)
            baseline, replanned = (
                (action.baseline, None)
                if deadline_history is None
                else replanning(action, deadline_history)
            )
            add(
                ActionView(
                    area,
                    action,
                    as_of,
                    window,
                    overdue,
                    not overdue and is_due_soon(window, status, as_of, due_within),
                    is_stale(action, as_of, stale_days),
                    baseline,
                    replanned,
                )
            )
    return views


def totals(views: Sequence[ActionView], *, due_within: int = DEFAULT_DUE_WITHIN) -> Totals:
    """The totals of the actions in `views` (made by `view_actions` at one as-of date with
    the same `due_within`)."""
    if not views:
        return Totals.zero()
    return totals_at([_tally_of_views(views)], views[0].as_of, due_within)


def _tally_of_views(views: Iterable[ActionView]) -> Tally:
    return tally((v.action, v.window) for v in views)


class MeasureTrend(StrEnum):
    """How a measure's latest reading compares with the one before, by its `good` direction."""

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"


class MeasureView(NamedTuple):
    """The latest reading of a measure judged against its target."""

    area: Area
    measure: Measure
    latest: Reading
    previous: Reading | None
    #: True/False when the measure has a target; None when it has none.
    meets: bool | None
    #: latest - previous, or None with a single reading.
    change: float | None
    #: better, worse or the same by the measure's direction; None when it cannot be said.
    trend: MeasureTrend | None
    #: the latest reading is older than its period plus a grace (`deadlines.reading_is_stale`);
    #: None when its period is not a date bragcli reads, or no as-of date was given
    stale: bool | None = None


def meets_target(measure: Measure, value: float) -> bool | None:
    """Whether `value` meets the measure's target given its direction; None without a target."""
    if measure.target is None:
        return None
    low, high = measure.target_bounds()
    return (low is None or value >= low) and (high is None or value <= high)


def _trend(measure: Measure, previous: float, latest: float) -> MeasureTrend | None:
    if measure.good is None or (measure.good == "range" and measure.target is None):
        return None  # nothing says which way is better
    if latest == previous:
        return MeasureTrend.SAME
    if measure.good == "higher":
        return MeasureTrend.BETTER if latest > previous else MeasureTrend.WORSE
    if measure.good == "lower":
        return MeasureTrend.BETTER if latest < previous else MeasureTrend.WORSE
    if measure.good == "range":
        low, high = measure.target_bounds()
        if low is None or high is None:
            return None

        def distance(v: float) -> float:
            return max(low - v, 0.0, v - high)

        if distance(latest) == distance(previous):
            return MeasureTrend.SAME
        return MeasureTrend.BETTER if distance(latest) < distance(previous) else MeasureTrend.WORSE
    return None


def view_measures(
    areas: Iterable[Area],
    as_of: date | None = None,
    quarters: Quarters = "calendar",
    grace: Mapping[ReadingCadence, int] = READING_GRACE_MONTHS,
) -> list[MeasureView]:
    """Every measure that has at least one reading, in area order; with `as_of`, each latest
    reading is judged stale or not, with `grace` (the plan's `checks: stale_reading_months`,
    as the stale-reading rule judges it; see `unread_measures` for the measures with none)."""
    views = []
    for area in areas:
        for measure in area.measures:
            if not measure.readings:
                continue
            latest = measure.readings[-1]
            previous = measure.readings[-2] if len(measure.readings) > 1 else None
            stale = None
            if as_of is not None:
                stale = reading_is_stale(latest.period, as_of, quarters=quarters, grace=grace)
            views.append(
                MeasureView(
                    area=area,
                    measure=measure,
                    latest=latest,
                    previous=previous,
                    meets=meets_target(measure, latest.value),
                    change=latest.value - previous.value if previous else None,
                    trend=_trend(measure, previous.value, latest.value) if previous else None,
                    stale=stale,
                )
            )
    return views


def unread_measures(areas: Iterable[Area]) -> list[tuple[Area, Measure]]:
    """The measures with no reading yet ("no data yet"), in area order: shown, never hidden."""
    return [(area, measure) for area in areas for measure in area.measures if not measure.readings]


class AreaSummary(NamedTuple):
    area: Area
    totals: Totals


class Status(NamedTuple):
    """Everything the board-meeting view shows, computed once for every output format."""

    plan: Plan
    as_of: date
    due_within: int
    filters: Filters
    areas: list[AreaSummary]
    totals: Totals
    actions: list[ActionView]
    measures: list[MeasureView]
    #: measures with no reading yet, in area order
    unread_measures: list[tuple[Area, Measure]]
    #: actions --lead left out whose lead is not in the roles glossary (`Filters.missed_by_lead`)
    missed_by_lead: list[ActionView]
    #: the actions' baselines and re-plan counts were read from git history
    history_read: bool = False
    #: the views list the actions re-planned since first agreed (`--show-replans`)
    show_replans: bool = False

    @property
    def overdue(self) -> list[ActionView]:
        """Overdue actions, the longest overdue first."""
        return sorted((v for v in self.actions if v.overdue), key=lambda v: -v.days_overdue)

    @property
    def red(self) -> list[ActionView]:
        """Red actions that are not already overdue."""
        return [v for v in self.actions if v.action.status is Rating.RED and not v.overdue]

    @property
    def due_soon(self) -> list[ActionView]:
        """Actions whose window ends within `due_within` days, the soonest first."""
        soon = (v for v in self.actions if v.due_soon)
        return sorted(soon, key=lambda v: (v.due or date.max, natural_key(v.action.id)))


def build_status(
    plan: Plan,
    areas: Sequence[Area],
    as_of: date,
    *,
    filters: Filters = NO_FILTERS,
    due_within: int = DEFAULT_DUE_WITHIN,
    stale_days: int | None = None,
    deadline_history: Mapping[str, Sequence[str]] | None = None,
    show_replans: bool = False,
) -> Status:
    """Roll the plan up at `as_of`. Filters apply to the totals as well as to the actions.

    `deadline_history` (see `replanning`) gives each action its first agreed deadline from
    git history and its count of re-plans."""
    every = view_actions(
        plan, areas, as_of, due_within=due_within, stale_days=stale_days,
        deadline_history=deadline_history,
    )  # fmt: skip
    filtering = filters != NO_FILTERS
    views = [v for v in every if filters.keep(v, plan)] if filtering else every
    by_area: dict[str, list[ActionView]] = {}
    for view in views:
        by_area.setdefault(view.area.id, []).append(view)
    tallies = {area_id: _tally_of_views(kept) for area_id, kept in by_area.items()}
    summaries = [
        AreaSummary(area, totals_at([tallies[area.id]], as_of, due_within))
        if area.id in tallies
        else AreaSummary(area, Totals.zero())
        for area in areas
        if area.id in tallies or not filtering
    ]
    in_scope = [a for a in areas if not filters.areas or a.id in filters.areas]
    return Status(
        plan=plan,
        as_of=as_of,
        due_within=due_within,
        filters=filters,
        areas=summaries,
        totals=totals_at(tallies.values(), as_of, due_within),
        actions=views,
        measures=view_measures(
            in_scope, as_of, plan.quarters, plan.checks.stale_reading_months.by_cadence()
        ),
        unread_measures=unread_measures(in_scope),
        missed_by_lead=filters.missed_by_lead(every, plan),
        history_read=deadline_history is not None,
        show_replans=show_replans,
    )
