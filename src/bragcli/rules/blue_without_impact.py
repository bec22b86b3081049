"""blue-without-impact: an action completed (blue) for a while with no impact rating.

The key says a blue action's impact is "to be tested": the warning waits `checks: impact_days`
(default 90) after the action's last update, the newest of `updated` and its dated notes. That
date is the latest the action can have turned blue, so the action has been blue at least that
long. With neither date, how long it has been blue is unknown and it is not reported (git
history is not read by `brag check`: a working tree need not be committed).
"""

from __future__ import annotations

from collections.abc import Iterator

from bragcli.deadlines import Window
from bragcli.model import DEFAULT_IMPACT_DAYS, Action, Rating
from bragcli.problems import Level
from bragcli.rules.base import Context, Finding, Scope
from bragcli.safetext import shown_id

CODE = "blue-without-impact"
LEVEL = Level.WARNING
SCOPE = Scope.ACTION
SUMMARY = (
    "A completed (blue) action has no `impact` rating more than `checks: impact_days` "
    f"(default {DEFAULT_IMPACT_DAYS}) after its last update (the newest of `updated` and its "
    "dated progress notes). An action with neither date is not judged."
)
FIX = "Say how its impact is being tested."
ENABLED = True
#: the days come through the context: checks: impact_days, else the default
PLAN_SETTINGS: tuple[str, ...] = ()


def check(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    if action.status is not Rating.BLUE or action.impact is not None:
        return
    since = action.last_update
    if since is None:
        return
    days = (ctx.as_of - since).days
    if days > ctx.impact_days:
        yield (
            "status",
            f"action {shown_id(action.id)} is blue (completed), last updated "
            f"{since.isoformat()}, {days} days before {ctx.as_of.isoformat()} (over "
            f"{ctx.impact_days}), but has no impact rating; add impact: to say how its impact "
            "is being tested",
        )
