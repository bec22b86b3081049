"""overdue-not-started: an action rated not started although its deadline has passed.

By the key, not started means "not yet due to start": past the deadline, the rating says the
opposite of the plan's own words, and the action is at risk (red) or done (blue).
"""

from __future__ import annotations

from collections.abc import Iterator

from bragcli.compute.timing import days_overdue
from bragcli.deadlines import Window
from bragcli.model import Action, Rating
from bragcli.problems import Level
from bragcli.rules.base import Context, Finding, Scope
from bragcli.safetext import excerpt, shown_id

CODE = "overdue-not-started"
LEVEL = Level.WARNING
SCOPE = Scope.ACTION
SUMMARY = (
    "The deadline has passed but the action is rated not started, which the key defines as "
    "*not yet due to start*: the rating contradicts the key."
)
FIX = "Rate it red if it has not started (at risk), or agree a new deadline."
ENABLED = True
#: the deadline's window depends on quarters; the key's words for not started on brag_key
PLAN_SETTINGS: tuple[str, ...] = ("quarters", "brag_key")
READS_HISTORY = False
#: only actions of these ratings can be found at fault (the others are not asked about)
STATUSES = frozenset({Rating.NOT_STARTED})


def check(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    if action.status is not Rating.NOT_STARTED:
        return
    late = days_overdue(window, action.status, ctx.as_of)
    if late:
        key = excerpt(ctx.plan.descriptor(Rating.NOT_STARTED).lower(), 60)
        yield (
            "status",
            f"action {shown_id(action.id)} is rated not started ({key}) but its deadline "
            f"{excerpt(str(action.deadline))} passed {late} day{'s' if late != 1 else ''} ago; "
            "rate it red if it has not started, or agree a new deadline",
        )
