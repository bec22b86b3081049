"""area-rating-optimistic: the board rates an area greener than its actions support.

Ratings are ordered blue > green > amber > red. An area's own `status` (the board's judgement)
is optimistic when:

- it is **blue** (completed) and any of its actions is not blue;
- it is **green** (on track) and any of its actions is red, or overdue (past its deadline and
  not blue, whatever its rating).

Amber, red and not started are never optimistic: they claim no more than the actions show. An
area with no `status` is not judged. The area's `impact` is the board's own reading of the
difference made and is not compared.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bragcli.compute.timing import days_overdue, window_of
from bragcli.model import Action, Area, Rating
from bragcli.problems import Level
from bragcli.rules.base import AreaFinding, Context, Scope
from bragcli.safetext import shown_id

CODE = "area-rating-optimistic"
LEVEL = Level.WARNING
SCOPE = Scope.AREA
SUMMARY = (
    "The area's own `status` is greener than its actions support (blue > green > amber > red): "
    "rated blue while an action is not blue, or green while an action is red or overdue. Amber, "
    "red and not started are never optimistic."
)
FIX = "Re-rate the area, or bring the actions named up to date."
ENABLED = True
#: an action's deadline window depends on how the plan reads "Q1 2023"
PLAN_SETTINGS: tuple[str, ...] = ("quarters",)
#: judges the files as they are, not their git history
READS_HISTORY = False

#: how many of the actions that do not support the rating the message names
SHOWN = 3


def check_areas(ctx: Context, areas: Sequence[Area]) -> Iterator[AreaFinding]:
    for number, area in enumerate(areas):
        if area.status not in (Rating.BLUE, Rating.GREEN):
            continue
        against = [why for action in area.actions if (why := _against(ctx, area, action))]
        if not against:
            continue
        more = len(against) - SHOWN
        listed = "; ".join(against[:SHOWN]) + (f"; and {more} more" if more > 0 else "")
        word = "completed" if area.status is Rating.BLUE else "on track"
        yield (
            number,
            ("status",),
            f"area {shown_id(area.id)} is rated {area.status.value} ({word}) but {listed}; "
            "re-rate the area, or bring those actions up to date",
        )


def _against(ctx: Context, area: Area, action: Action) -> str:
    """Why `action` does not support the area's rating ("" when it does)."""
    if area.status is Rating.BLUE:
        return "" if action.status is Rating.BLUE else _is(action, action.status.value)
    if action.status is Rating.RED:
        return _is(action, "red")
    late = days_overdue(window_of(action, ctx.plan.quarters), action.status, ctx.as_of)
    if late:
        return _is(
            action, f"{action.status.value} and {late} day{'s' if late != 1 else ''} overdue"
        )
    return ""


def _is(action: Action, what: str) -> str:
    return f"action {shown_id(action.id)} is {what}"
