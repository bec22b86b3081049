"""deadline-before-start: a deadline that ends before the plan starts."""

from __future__ import annotations

from collections.abc import Iterator

from bragcli.deadlines import Window
from bragcli.model import Action
from bragcli.problems import Level
from bragcli.rules.base import EVERY_RATING, Context, Finding, Scope
from bragcli.safetext import excerpt, shown_id

CODE = "deadline-before-start"
LEVEL = Level.WARNING
SCOPE = Scope.ACTION
SUMMARY = "The deadline ends before the plan's `start`."
FIX = "Check the year."
ENABLED = True
PLAN_SETTINGS: tuple[str, ...] = ("start", "quarters")
READS_HISTORY = False
#: an action of any rating
STATUSES = EVERY_RATING


def check(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    if window is not None and ctx.plan.start is not None and window.end < ctx.plan.start:
        yield (
            "deadline",
            f"action {shown_id(action.id)}: deadline {excerpt(str(action.deadline))} ends "
            f"before the plan starts ({ctx.plan.start.isoformat()}); is the year right?",
        )
