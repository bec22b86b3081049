"""When an action is overdue, due soon or stale: the judgements of time on one action that
`brag status` (rollup), `brag diff` (changes) and the rules share. Pure functions of (action,
as_of); no I/O, no clock. Kept apart from the totals so that `brag check` does not load them.
"""

from __future__ import annotations

from datetime import date, timedelta

from bragcli.deadlines import Quarters, Window, parse_deadline
from bragcli.model import Action, Rating

DEFAULT_DUE_WITHIN = 30


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


def due_soon_until(as_of: date, within: int) -> date:
    """The last day a window can end on and still be due soon: `within` days after as_of
    (date.max when that is past the last date Python holds, for an as-of of 9999-12-31)."""
    try:
        return as_of + timedelta(days=within)
    except OverflowError:
        return date.max


def is_due_soon(window: Window | None, status: Rating, as_of: date, within: int) -> bool:
    """Not complete, not yet overdue, and the window ends within `within` days of as_of."""
    if window is None or status is Rating.BLUE:
        return False
    return as_of <= window.end <= due_soon_until(as_of, within)


def is_stale(action: Action, as_of: date, stale_days: int) -> bool:
    """The last progress update (the newest of `updated` and the dated notes) is more than
    `stale_days` before as_of (blue is never stale)."""
    if action.status is Rating.BLUE:
        return False
    last = action.last_update
    return last is not None and (as_of - last).days > stale_days
