"""blue-without-impact: a completed (blue) action with no impact rating."""

from __future__ import annotations

from collections.abc import Iterator

from bragcli.deadlines import Window
from bragcli.model import Action, Rating
from bragcli.problems import Level
from bragcli.rules.base import Context, Finding, Scope
from bragcli.safetext import shown_id

CODE = "blue-without-impact"
LEVEL = Level.WARNING
SCOPE = Scope.ACTION
SUMMARY = "A completed (blue) action has no `impact` rating."
FIX = "Say how its impact is being tested."
ENABLED = True
PLAN_SETTINGS: tuple[str, ...] = ()


def check(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    if action.status is Rating.BLUE and action.impact is None:
        yield (
            "status",
            f"action {shown_id(action.id)} is blue (completed) but has no impact rating; "
            "add impact: to say how its impact is being tested",
        )
