"""Counts, overdue, due-soon and filters: pure functions of (plan, as_of). No I/O, no clock."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from bragcli.deadlines import Quarters, Window, parse_deadline
from bragcli.model import Action, Area, Plan, Rating

DEFAULT_DUE_WITHIN = 30
DEFAULT_STALE_DAYS = 42


def window_of(action: Action, quarters: Quarters) -> Window | None:
    """The action's deadline window; None when the deadline is not a date (or does not parse)."""
    try:
        return parse_deadline(action.deadline, quarters=quarters)
    except ValueError:
        return None


def days_overdue(window: Window | None, status: Rating, as_of: date) -> int:
    """Days past the end of the window; 0 when not overdue. Completed (blue) is never overdue.

    The last day of the window is not overdue; the day after is 1 day overdue.
    """
    if window is None or status is Rating.BLUE or as_of <= window.end:
        return 0
    return (as_of - window.end).days


def is_due_soon(window: Window | None, status: Rating, as_of: date, within: int) -> bool:
    """Not complete, not yet overdue, and the window ends within `within` days of as_of."""
    if window is None or status is Rating.BLUE:
        return False
    return as_of <= window.end <= as_of + timedelta(days=within)


def is_stale(action: Action, as_of: date, stale_days: int) -> bool:
    """The last progress update is more than `stale_days` before as_of (blue is never stale)."""
    if action.updated is None or action.status is Rating.BLUE:
        return False
    return (as_of - action.updated).days > stale_days


@dataclass(frozen=True, slots=True)
class ActionView:
    """An action with everything computed about it at an as-of date."""

    area: Area
    action: Action
    window: Window | None
    days_overdue: int
    due_soon: bool
    stale: bool

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def due(self) -> date | None:
        return self.window.end if self.window else None


@dataclass(slots=True)
class Totals:
    """Counts of activity ratings, impact ratings, overdue and due soon."""

    status: dict[Rating, int] = field(default_factory=lambda: dict.fromkeys(Rating, 0))
    impact: dict[Rating, int] = field(default_factory=lambda: dict.fromkeys(Rating, 0))
    actions: int = 0
    overdue: int = 0
    due_soon: int = 0

    def add(self, view: ActionView) -> None:
        self.actions += 1
        self.status[view.action.status] += 1
        if view.action.impact is not None:
            self.impact[view.action.impact] += 1
        self.overdue += view.overdue
        self.due_soon += view.due_soon

    @property
    def impact_rated(self) -> int:
        return sum(self.impact.values())


@dataclass(frozen=True, slots=True)
class Filters:
    """What to keep. Empty tuples mean 'everything'."""

    areas: tuple[str, ...] = ()
    lead: str | None = None
    statuses: tuple[Rating, ...] = ()
    overdue_only: bool = False

    def keep(self, view: ActionView, plan: Plan) -> bool:
        if self.areas and view.area.id not in self.areas:
            return False
        if self.statuses and view.action.status not in self.statuses:
            return False
        if self.overdue_only and not view.overdue:
            return False
        if self.lead:
            needle = self.lead.casefold()
            names = [*view.action.lead, *(plan.holder(r) or "" for r in view.action.lead)]
            if not any(needle in n.casefold() for n in names):
                return False
        return True


def view_actions(
    plan: Plan,
    areas: Sequence[Area],
    as_of: date,
    *,
    due_within: int = DEFAULT_DUE_WITHIN,
    stale_days: int = DEFAULT_STALE_DAYS,
) -> list[ActionView]:
    """Every action of every area, in the order given, with its computed state."""
    views = []
    for area in areas:
        for action in area.actions:
            window = window_of(action, plan.quarters)
            overdue = days_overdue(window, action.status, as_of)
            views.append(
                ActionView(
                    area=area,
                    action=action,
                    window=window,
                    days_overdue=overdue,
                    due_soon=not overdue and is_due_soon(window, action.status, as_of, due_within),
                    stale=is_stale(action, as_of, stale_days),
                )
            )
    return views


def totals(views: Iterable[ActionView]) -> Totals:
    result = Totals()
    for view in views:
        result.add(view)
    return result
