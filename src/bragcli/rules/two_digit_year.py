"""two-digit-year: a date whose two-digit year, read as 20YY, lands far from the plan.

Every date a user writes is read by `deadlines`: a deadline or baseline window remembers a
two-digit year (`Window.short_year`), and a single date (`updated`, a dated note) is then a
`ShortYearDate`.
"""

from __future__ import annotations

from collections.abc import Iterator

from bragcli.deadlines import ShortYearDate, Window, parse_deadline
from bragcli.model import Action
from bragcli.problems import Level
from bragcli.rules.base import EVERY_RATING, Context, Finding, Scope
from bragcli.safetext import excerpt, shown_id

#: A two-digit year further than this from the plan's start (or the as-of date) is suspicious.
FAR_YEARS = 10

CODE = "two-digit-year"
LEVEL = Level.WARNING
SCOPE = Scope.ACTION
SUMMARY = (
    "A date written with a two-digit year (always read as 20YY: `31/3/99` is 2099) in a "
    "`deadline`, `baseline`, `updated` or dated progress note is more than "
    f"{FAR_YEARS} years from the plan's `start`, or from the as-of date when there is no `start`."
)
FIX = "Write the year in full."
ENABLED = True
PLAN_SETTINGS: tuple[str, ...] = ("start", "quarters")
READS_HISTORY = False
#: an action of any rating
STATUSES = EVERY_RATING


def check(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    since, what = (
        (ctx.plan.start, "the plan's start")
        if ctx.plan.start is not None
        else (ctx.as_of, "the as-of date")
    )
    written: list[tuple[str, str, int]] = []  # (key, what was read, year read)
    if window is not None and window.short_year:
        written.append(("deadline", f"deadline {excerpt(str(action.deadline))}", window.end.year))
    baseline = _short_window(action.baseline, ctx)
    if baseline is not None:
        written.append(("baseline", f"baseline {excerpt(str(action.baseline))}", baseline.end.year))
    if isinstance(action.updated, ShortYearDate):
        written.append(("updated", "updated", action.updated.year))
    for number, note in enumerate(action.progress, 1):
        if isinstance(note.date, ShortYearDate):
            written.append(("progress", f"progress note {number}'s date", note.date.year))
    for key, what_read, year in written:
        if abs(year - since.year) > FAR_YEARS:
            yield (
                key,
                f"action {shown_id(action.id)}: {what_read} is read as {year} (a two-digit "
                f"year means 20YY), over {FAR_YEARS} years from {what} ({since.isoformat()}); "
                "write the year in full",
            )


def _short_window(text: str | None, ctx: Context) -> Window | None:
    """The baseline's window when its year was written with two digits (else None)."""
    try:
        window = parse_deadline(text, quarters=ctx.plan.quarters)
    except ValueError:
        return None  # load reports it
    return window if window is not None and window.short_year else None
