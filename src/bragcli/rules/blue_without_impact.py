"""blue-without-impact: an action completed (blue) for a while with no impact rating.

The key says a blue action's impact is "to be tested": the warning waits `checks: impact_days`
(default 90) after the action turned blue. When the plan is in git, that is the commit from
which it has been blue without a break (`brag check` reads the history only when some blue
action has no impact rating). Otherwise, or when it turned blue in uncommitted work, it is
the action's last update, the newest of `updated` and its dated notes: the latest the action
can have turned blue. With no date at all, how long it has been blue is unknown and it is not
reported.
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
    "A completed (blue) action still has no `impact` rating `checks: impact_days` "
    f"(default {DEFAULT_IMPACT_DAYS}) days after it turned blue: by git history, else by its "
    "last update (`updated` or a dated note). Not judged without such a date."
)
FIX = "Say how its impact is being tested."
ENABLED = True
#: the days come through the context: checks: impact_days, else the default
PLAN_SETTINGS: tuple[str, ...] = ()
#: reads when the action turned blue from git history (`Context.blue_since`)
READS_HISTORY = True
#: only actions of these ratings can be found at fault (the others are not asked about)
STATUSES = frozenset({Rating.BLUE})


def check(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    if action.status is not Rating.BLUE or action.impact is not None:
        return
    turned = ctx.blue_since.get(action.id) if ctx.blue_since is not None else None
    since = turned if turned is not None else action.last_update
    if since is None:
        return
    days = (ctx.as_of - since).days
    if days > ctx.impact_days:
        when = (
            f"blue (completed) since {since.isoformat()} in git history"
            if turned is not None
            else f"blue (completed), last updated {since.isoformat()}"
        )
        yield (
            "status",
            f"action {shown_id(action.id)} is {when}, {days} days before "
            f"{ctx.as_of.isoformat()} (over {ctx.impact_days}), but has no impact rating; add "
            "impact: to say how its impact is being tested",
        )
