"""two-digit-year: a deadline whose two-digit year, read as 20YY, lands far from the plan."""

from __future__ import annotations

from collections.abc import Iterator

from bragcli.deadlines import Window
from bragcli.model import Action
from bragcli.problems import Level
from bragcli.rules.base import Context, Finding, Scope
from bragcli.safetext import excerpt, shown_id

#: A two-digit year further than this from the plan's start (or the as-of date) is suspicious.
FAR_YEARS = 10

CODE = "two-digit-year"
LEVEL = Level.WARNING
SCOPE = Scope.ACTION
SUMMARY = (
    "A deadline's two-digit year (always read as 20YY: `31/3/99` is 2099) is more than "
    f"{FAR_YEARS} years from the plan's `start`, or from the as-of date when there is no `start`."
)
FIX = "Write the year in full."
ENABLED = True
PLAN_SETTINGS: tuple[str, ...] = ("start", "quarters")


def check(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    if window is None or not window.short_year:
        return
    since, what = (
        (ctx.plan.start, "the plan's start")
        if ctx.plan.start is not None
        else (ctx.as_of, "the as-of date")
    )
    if abs(window.end.year - since.year) > FAR_YEARS:
        yield (
            "deadline",
            f"action {shown_id(action.id)}: deadline {excerpt(str(action.deadline))} is read "
            f"as {window.end.year} (a two-digit year means 20YY), over {FAR_YEARS} years "
            f"from {what} ({since.isoformat()}); write the year in full",
        )
