"""missing-updated: a started action with no `updated` date (off unless enabled).

stale-progress can only judge an action that says when its progress was last updated; a plan
that wants every started action judged enables this rule (`checks: {enable: [missing-updated]}`).
It is off by default because many plans record progress without dates.
"""

from __future__ import annotations

from collections.abc import Iterator

from bragcli.deadlines import Window
from bragcli.model import Action, Rating
from bragcli.problems import Level
from bragcli.rules.base import Context, Finding, Scope
from bragcli.safetext import shown_id

CODE = "missing-updated"
LEVEL = Level.WARNING
SCOPE = Scope.ACTION
SUMMARY = (
    "A started action (green, amber or red) has no `updated` date, so `stale-progress` cannot "
    "judge it. Off unless enabled."
)
FIX = "Add `updated:` with the date of its last progress update."
ENABLED = False
PLAN_SETTINGS: tuple[str, ...] = ()
READS_HISTORY = False
#: started actions only
STATUSES = frozenset({Rating.GREEN, Rating.AMBER, Rating.RED})


def check(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    if action.updated is None and action.status in STATUSES:
        yield (
            "status",
            f"action {shown_id(action.id)} is {action.status.value} but has no updated date, so "
            "nobody can tell how current its progress is; add updated: with the date of its "
            "last progress update",
        )
