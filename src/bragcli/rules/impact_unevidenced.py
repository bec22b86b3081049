"""impact-unevidenced: an action with an impact rating but no `impact_evidence`.

The board asks of every impact rating "so what?": what shows the difference the action made.
A rating of not started (impact not yet tested) needs no evidence. Off unless enabled
(`checks: {enable: [impact-unevidenced]}`): plans written before `impact_evidence` existed rate
impact on nearly every action, and would get a warning for each.
"""

from __future__ import annotations

from collections.abc import Iterator

from bragcli.deadlines import Window
from bragcli.model import Action, Rating
from bragcli.problems import Level
from bragcli.rules.base import EVERY_RATING, Context, Finding, Scope
from bragcli.safetext import shown_id

CODE = "impact-unevidenced"
LEVEL = Level.WARNING
SCOPE = Scope.ACTION
SUMMARY = (
    "An action has an `impact` rating (blue, green, amber or red) but no `impact_evidence` "
    "saying what shows the difference it made (the board's *so what?*). Off unless enabled."
)
FIX = "Add `impact_evidence:` (text or a list), or rate impact not started until it is tested."
ENABLED = False
PLAN_SETTINGS: tuple[str, ...] = ()
READS_HISTORY = False
#: an action of any rating
STATUSES = EVERY_RATING


def check(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    if action.impact is None or action.impact is Rating.NOT_STARTED or action.impact_evidence:
        return
    yield (
        "impact",
        f"action {shown_id(action.id)} has an impact rating ({action.impact.value}) but no "
        "impact_evidence; add impact_evidence: with what shows the difference it made",
    )
