"""deadline-not-a-date: an action whose deadline is missing or a word such as TBC."""

from __future__ import annotations

from collections.abc import Iterator

from bragcli.deadlines import DeadlineError, Window, parse_deadline
from bragcli.model import Action
from bragcli.problems import Level
from bragcli.rules.base import EVERY_RATING, Context, Finding, Scope
from bragcli.safetext import excerpt, shown_id

CODE = "deadline-not-a-date"
LEVEL = Level.WARNING
SCOPE = Scope.ACTION
SUMMARY = (
    "The deadline is missing, or a word such as TBC, ASAP or ongoing: the action can never be "
    "overdue."
)
FIX = "Give a month or date when one is agreed."
ENABLED = True
PLAN_SETTINGS: tuple[str, ...] = ()
READS_HISTORY = False
#: an action of any rating
STATUSES = EVERY_RATING


def check(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    if window is not None:
        return
    try:
        # Whether a text is a date does not depend on the plan's quarters: either reading does.
        parse_deadline(action.deadline)
    except DeadlineError:
        return  # not a no-date word but an unknown form: load reports it as an error
    what = (
        f"'s deadline {excerpt(action.deadline)} is not a date"
        if action.deadline
        else " has no deadline"
    )
    yield (
        "deadline",
        f"action {shown_id(action.id)}{what}, so it can never be overdue; "
        "give a month or a date when one is agreed",
    )
