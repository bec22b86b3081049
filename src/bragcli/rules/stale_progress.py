"""stale-progress: an action whose last progress update is older than the stale days.

The last update is the newest of `updated` and the action's dated progress notes
(`Action.last_update`).
"""

from __future__ import annotations

from collections.abc import Iterator

from bragcli.compute.timing import is_stale
from bragcli.deadlines import Window
from bragcli.model import DEFAULT_STALE_DAYS, Action, Rating
from bragcli.problems import Level
from bragcli.rules.base import EVERY_RATING, Context, Finding, Scope
from bragcli.safetext import shown_id

CODE = "stale-progress"
LEVEL = Level.WARNING
SCOPE = Scope.ACTION
SUMMARY = (
    "The last progress update (the newest of `updated` and the dated progress notes) is more "
    "days before the as-of date than `checks: stale_days` in plan.yaml "
    f"(default {DEFAULT_STALE_DAYS}; `--stale-days` wins). Blue actions are exempt."
)
FIX = "Ask the lead for an update."
ENABLED = True
#: the days come through the context: --stale-days, else checks: stale_days, else the default
PLAN_SETTINGS: tuple[str, ...] = ()
READS_HISTORY = False
#: only these ratings can be found at fault (blue is never stale)
STATUSES = EVERY_RATING - {Rating.BLUE}


def check(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    last = action.last_update
    if last is not None and is_stale(action, ctx.as_of, ctx.stale_days):
        age = (ctx.as_of - last).days
        key = "updated" if last == action.updated else "progress"
        yield (
            key,
            f"action {shown_id(action.id)}: progress last updated {last.isoformat()}, "
            f"{age} days before {ctx.as_of.isoformat()} (over {ctx.stale_days}); "
            "ask the lead for an update",
        )
