"""overdue-green: an action past its deadline that is still rated green (on track)."""

from __future__ import annotations

from collections.abc import Iterator

from bragcli.compute.timing import days_overdue
from bragcli.deadlines import Window
from bragcli.model import Action, Rating
from bragcli.problems import Level
from bragcli.rules.base import Context, Finding, Scope
from bragcli.safetext import excerpt, shown_id

CODE = "overdue-green"
LEVEL = Level.WARNING
SCOPE = Scope.ACTION
SUMMARY = "The deadline has passed but the action is rated green (on track)."
FIX = "Re-rate it or agree a new deadline."
ENABLED = True
#: the deadline's window depends on how the plan reads "Q1 2023"
PLAN_SETTINGS: tuple[str, ...] = ("quarters",)
READS_HISTORY = False
#: only actions of these ratings can be found at fault (the others are not asked about)
STATUSES = frozenset({Rating.GREEN})


def check(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    late = days_overdue(window, action.status, ctx.as_of)
    if late and action.status is Rating.GREEN:
        yield (
            "status",
            f"action {shown_id(action.id)} is rated green but its deadline "
            f"{excerpt(str(action.deadline))} passed "
            f"{late} day{'s' if late != 1 else ''} ago; re-rate it or agree a new deadline",
        )
