"""The warning rules of `brag check`: each a small function with an id and a one-line summary.

A rule looks at one action in the context of its plan and yields ``(key, message)`` pairs; the
key says which of the action's values the warning points at ("" for the action itself).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from bragcli.compute.rollup import days_overdue, is_stale, window_of
from bragcli.deadlines import DeadlineError, Window, parse_deadline
from bragcli.model import Action, Plan, Rating
from bragcli.problems import Problem, warning
from bragcli.safetext import excerpt
from bragcli.source.load import LoadedPlan, shown_id

#: A two-digit year further than this from the plan's start (or the as-of date) is suspicious.
FAR_YEARS = 10


@dataclass(frozen=True, slots=True)
class Context:
    plan: Plan
    as_of: date
    stale_days: int


Finding = tuple[str, str]
RuleFunc = Callable[[Context, Action, "Window | None"], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    summary: str
    check: RuleFunc


RULES: list[Rule] = []


def rule(rule_id: str, summary: str) -> Callable[[RuleFunc], RuleFunc]:
    def register(func: RuleFunc) -> RuleFunc:
        RULES.append(Rule(rule_id, summary, func))
        return func

    return register


@rule("deadline-not-a-date", "The deadline is missing or not a date (TBC, ongoing): never overdue.")
def _deadline_not_a_date(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    if window is not None:
        return
    try:
        parse_deadline(action.deadline, quarters=ctx.plan.quarters)
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


@rule("deadline-before-start", "The deadline ends before the plan's start date.")
def _deadline_before_start(
    ctx: Context, action: Action, window: Window | None
) -> Iterator[Finding]:
    if window is not None and ctx.plan.start is not None and window.end < ctx.plan.start:
        yield (
            "deadline",
            (
                f"action {shown_id(action.id)}: deadline {excerpt(str(action.deadline))} ends "
                f"before the plan starts "
                f"({ctx.plan.start.isoformat()}); is the year right?"
            ),
        )


@rule(
    "two-digit-year",
    f"A deadline's two-digit year, read as 20YY, is over {FAR_YEARS} years from the plan's start "
    "(or the as-of date).",
)
def _two_digit_year(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
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
            (
                f"action {shown_id(action.id)}: deadline {excerpt(str(action.deadline))} is read "
                f"as {window.end.year} (a two-digit year means 20YY), over {FAR_YEARS} years "
                f"from {what} ({since.isoformat()}); write the year in full"
            ),
        )


@rule("unknown-lead", "A lead is not one of the roles listed in plan.yaml.")
def _unknown_lead(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
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


@rule("overdue-green", "The action is overdue but rated green (on track).")
def _overdue_green(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    late = days_overdue(window, action.status, ctx.as_of)
    if late and action.status is Rating.GREEN:
        yield (
            "status",
            (
                f"action {shown_id(action.id)} is rated green but its deadline "
                f"{excerpt(str(action.deadline))} passed "
                f"{late} day{'s' if late != 1 else ''} ago; re-rate it or agree a new deadline"
            ),
        )


@rule("blue-without-impact", "A completed (blue) action has no impact rating.")
def _blue_without_impact(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    if action.status is Rating.BLUE and action.impact is None:
        yield (
            "status",
            (
                f"action {shown_id(action.id)} is blue (completed) but has no impact rating; "
                "add impact: to say how its impact is being tested"
            ),
        )


@rule("stale-progress", "The last progress update is older than --stale-days.")
def _stale_progress(ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
    if action.updated is not None and is_stale(action, ctx.as_of, ctx.stale_days):
        age = (ctx.as_of - action.updated).days
        yield (
            "updated",
            (
                f"action {shown_id(action.id)}: progress last updated "
                f"{action.updated.isoformat()}, "
                f"{age} days before {ctx.as_of.isoformat()} (over {ctx.stale_days}); "
                "ask the lead for an update"
            ),
        )


def run_checks(loaded: LoadedPlan, as_of: date, stale_days: int) -> list[Problem]:
    """All warnings for the actions that loaded. Needs plan.yaml to have loaded."""
    if loaded.plan is None:
        return []
    ctx = Context(loaded.plan, as_of, stale_days)
    problems = []
    for source, index, action in loaded.actions():
        window = window_of(action, ctx.plan.quarters)
        for registered in RULES:
            for key, message in registered.check(ctx, action, window):
                line, col = source.pos(index, key)
                problems.append(warning(source.path, line, col, registered.id, message))
    return problems
