"""unknown-lead: an action's lead, or an area's owner (`lead:` on the area), that is not one
of the roles listed in plan.yaml.

`--lead` finds actions by role and by the role's holder: a lead outside the roles glossary has
no holder, so `--lead hancock` misses the actions it leads. The message says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bragcli.deadlines import Window
from bragcli.model import Action, Area, Plan
from bragcli.problems import Level, did_you_mean
from bragcli.rules.base import EVERY_RATING, AreaFinding, Context, Finding, Scope
from bragcli.safetext import excerpt, shown_id

CODE = "unknown-lead"
LEVEL = Level.WARNING
SCOPE = Scope.ACTION
SUMMARY = (
    "An action's lead, or an area's owner (`lead:` on the area), is not one of the `roles` in "
    "plan.yaml (only checked when roles are given). `--lead` filters by role *and* holder, so "
    "such actions are easy to miss. The message suggests the nearest role."
)
FIX = "Use the role's exact name, or add the role."
ENABLED = True
PLAN_SETTINGS: tuple[str, ...] = ("roles",)
READS_HISTORY = False
#: an action of any rating
STATUSES = EVERY_RATING

_MISSED = "--lead filters by role and holder, so this action is easy to miss"
_AREA_MISSED = (
    "--lead lists an area's actions for its owner by role and holder, so they are easy to miss"
)


def check(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    for lead in _unknown(ctx.plan, action.lead):
        yield (
            "lead",
            f"action {shown_id(action.id)}: lead {excerpt(lead, 100)} is not in the plan's roles; "
            f"{_hint(ctx.plan, lead)} ({_MISSED})",
        )


def check_areas(ctx: Context, areas: Sequence[Area]) -> Iterator[AreaFinding]:
    """The areas' owners."""
    for number, area in enumerate(areas):
        for lead in _unknown(ctx.plan, area.lead):
            yield (
                number,
                ("lead",),
                f"area {shown_id(area.id)}: owner (lead) {excerpt(lead, 100)} is not in the "
                f"plan's roles; {_hint(ctx.plan, lead)} "
                f"({_AREA_MISSED})",
            )


def _unknown(plan: Plan, leads: list[str]) -> Iterator[str]:
    if not plan.roles:
        return
    for lead in leads:
        if lead not in plan.roles:
            yield lead


class _Hints:
    """What `_hint` says for each unknown lead of one plan. A plan misspells the same lead in
    many actions (the sample plan has 'Principal Social Worker (PSW)' four times), and
    comparing a lead with every role was a tenth of a small `brag check`. One message is kept
    for each different unknown lead, with the roles in lower case once: no more than the plan
    holds already (a cache keyed by the roles, tried before, held a copy of them for every
    lead, and gigabytes on a plan of 60,000 roles)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan  # held, so no other plan can take its place in memory
        #: each role by its lower case (the first, where two differ only by case)
        self.roles: dict[str, str] = {}
        for role in plan.roles:
            self.roles.setdefault(role.lower(), role)
        self.said: dict[str, str] = {}

    def __call__(self, lead: str) -> str:
        hint = self.said.get(lead)
        if hint is None:
            guess = did_you_mean(lead, self.roles, cutoff=0.75)
            hint = (
                "add it to roles in plan.yaml"
                if guess is None
                else f"did you mean {excerpt(self.roles[guess], 100)}?"
            )
            self.said[lead] = hint
        return hint


_hints: _Hints | None = None


def _hint(plan: Plan, lead: str) -> str:
    global _hints
    if _hints is None or _hints.plan is not plan:
        _hints = _Hints(plan)
    return _hints(lead)
