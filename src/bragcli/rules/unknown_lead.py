"""unknown-lead: a lead that is not one of the roles listed in plan.yaml."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from bragcli.deadlines import Window
from bragcli.model import Action
from bragcli.problems import Level
from bragcli.rules.base import Context, Finding, Scope
from bragcli.safetext import excerpt, shown_id

CODE = "unknown-lead"
LEVEL = Level.WARNING
SCOPE = Scope.ACTION
SUMMARY = (
    "A lead is not one of the `roles` in plan.yaml (only checked when roles are given). The "
    "message suggests the nearest role."
)
FIX = "Use the role's exact name, or add the role."
ENABLED = True
PLAN_SETTINGS: tuple[str, ...] = ("roles",)


def check(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    if not ctx.plan.roles:
        return
    for lead in action.lead:
        if lead in ctx.plan.roles:
            continue
        guess = difflib.get_close_matches(lead, list(ctx.plan.roles), n=1, cutoff=0.75)
        hint = (
            f"did you mean {excerpt(guess[0], 100)}?" if guess else "add it to roles in plan.yaml"
        )
        yield (
            "lead",
            f"action {shown_id(action.id)}: lead {excerpt(lead, 100)} is not in the plan's roles; "
            f"{hint}",
        )
