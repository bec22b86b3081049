"""Run the warning rules over a loaded plan, as configured by plan.yaml and the command line."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import NamedTuple

from bragcli.compute.timing import window_of
from bragcli.model import Checks, Plan, Rating
from bragcli.problems import BragError, Problem
from bragcli.rules.base import EVERY_RATING, AreaRuleModule, Context, RuleModule, Scope
from bragcli.rules.registry import AREA_RULES, RULES, enabled_codes
from bragcli.safetext import excerpt
from bragcli.source.load import AreaSource, LoadedPlan


class RuleChoices(NamedTuple):
    """What the command line says about the rules; it wins over `checks:` in plan.yaml."""

    disable: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    #: --stale-days; None: plan.yaml's checks: stale_days
    stale_days: int | None = None

    def refuse_contradictions(self) -> None:
        """A code both disabled and enabled is a usage error (BragError)."""
        both = [code for code in self.disable if code in self.enable]
        if both:
            raise BragError(
                f"--disable and --enable both name {', '.join(map(excerpt, both))}; give one"
            )


def selected(checks: Checks, choices: RuleChoices) -> frozenset[str]:
    """The warning codes to report: plan.yaml's choice, then the command line's on top."""
    from_plan = enabled_codes(tuple(checks.disable), tuple(checks.enable))
    return frozenset((from_plan - set(choices.disable)) | set(choices.enable))


class _Chosen(NamedTuple):
    """The rules chosen for a plan, and what they look at."""

    ctx: Context
    rules: list[RuleModule]
    area_rules: list[AreaRuleModule]


def _choose(
    plan: Plan | None,
    as_of: date,
    choices: RuleChoices,
    blue_since: Mapping[str, date] | None = None,
) -> _Chosen:
    """When plan.yaml did not load (`plan` None), its `checks:` and settings are unknown: the
    rules that read no plan setting still run, as the command line and the defaults choose."""
    checks = plan.checks if plan is not None else Checks()
    codes = selected(checks, choices)

    def wanted(rule: RuleModule | AreaRuleModule) -> bool:
        return rule.CODE in codes and (plan is not None or not rule.PLAN_SETTINGS)

    stale_days = choices.stale_days if choices.stale_days is not None else checks.stale_days
    ctx = Context(
        plan or _no_plan(),
        as_of,
        stale_days,
        checks.impact_days,
        checks.stale_reading_months,
        blue_since,
    )
    return _Chosen(ctx, [r for r in RULES if wanted(r)], [r for r in AREA_RULES if wanted(r)])


class WhileLoading:
    """The rules that read no git history and judge one area at a time (every action rule,
    and the area rules not of the plan's scope), to run on each area file as it is loaded
    (`Loader`'s `area_checks`): for a large plan, while the other core still reads. An area
    rule judges an area only when the whole file validated, as `run_checks` does.
    `run_checks` runs the rest, and takes what these found only when it is given the same
    date and choices.

    (A plain class: a frozen dataclass is compiled from source text at every start-up, and
    mypy does not take a NamedTuple with `__call__` as callable.)"""

    __slots__ = ("as_of", "choices")

    def __init__(self, as_of: date, choices: RuleChoices) -> None:
        self.as_of, self.choices = as_of, choices

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WhileLoading):
            return NotImplemented
        return (self.as_of, self.choices) == (other.as_of, other.choices)

    def __hash__(self) -> int:
        return hash((self.as_of, self.choices))

    def __call__(self, plan: Plan | None) -> Callable[[AreaSource, bool], list[Problem]]:
        chosen = _choose(plan, self.as_of, self.choices)
        rules = _by_status([rule for rule in chosen.rules if not _reads_history(rule)])
        area_rules = [rule for rule in chosen.area_rules if _one_area_at_a_time(rule)]

        def check(source: AreaSource, whole: bool) -> list[Problem]:
            found = _action_problems(chosen.ctx, rules, source)
            if whole:
                found += _area_problems(chosen.ctx, area_rules, [source])
            return found

        return check


def while_loading(as_of: date, choices: RuleChoices) -> WhileLoading:
    """The `area_checks` for a plan to be checked as of `as_of` with `choices`."""
    return WhileLoading(as_of, choices)


def _reads_history(rule: RuleModule | AreaRuleModule) -> bool:
    # A rule that does not say is run once the history is known: the safe side.
    return bool(getattr(rule, "READS_HISTORY", True))


def _one_area_at_a_time(rule: AreaRuleModule) -> bool:
    """An area rule that can judge each area as it is read: one that reads no git history and
    does not compare areas (its scope is not the plan's)."""
    return rule.SCOPE is not Scope.PLAN and not _reads_history(rule)


def run_checks(
    loaded: LoadedPlan,
    as_of: date,
    choices: RuleChoices,
    blue_since: Mapping[str, date] | None = None,
) -> list[Problem]:
    """The warnings for every action that loaded, and for the areas that loaded. When the plan
    was loaded with `while_loading(as_of, choices)` (the same date and choices), its findings
    are taken as they are and only the rules that read git history are run here; otherwise
    every rule is run here."""
    chosen = _choose(loaded.plan, as_of, choices, blue_since)
    rules, area_rules = chosen.rules, chosen.area_rules
    problems: list[Problem] = []
    if loaded.found_while_loading is not None and loaded.found_by == WhileLoading(as_of, choices):
        problems.extend(loaded.found_while_loading)
        rules = [rule for rule in rules if _reads_history(rule)]
        area_rules = [rule for rule in area_rules if not _one_area_at_a_time(rule)]
    if rules:
        by_status = _by_status(rules)
        for sources in (loaded.areas, loaded.partial):
            for source in sources:
                problems.extend(_action_problems(chosen.ctx, by_status, source))
    problems.extend(_area_problems(chosen.ctx, area_rules, loaded.areas))
    return problems


def _area_problems(
    ctx: Context, area_rules: Sequence[AreaRuleModule], sources: Sequence[AreaSource]
) -> list[Problem]:
    """What `area_rules` find in the areas of `sources` (the whole areas that loaded, or one)."""
    problems: list[Problem] = []
    if not area_rules:
        return problems
    areas = [source.area for source in sources]
    for area_rule in area_rules:
        for number, where, message in area_rule.check_areas(ctx, areas):
            source = sources[number]
            line, col = source.locate(where)
            problems.append(
                Problem(source.path, line, col, area_rule.LEVEL, area_rule.CODE, message)
            )
    return problems


#: The rules to run on an action of each rating (`RuleModule.STATUSES`), in registry order.
_ByStatus = dict[Rating, list[RuleModule]]


def _by_status(rules: Sequence[RuleModule]) -> _ByStatus:
    return {
        rating: [rule for rule in rules if rating in getattr(rule, "STATUSES", EVERY_RATING)]
        for rating in Rating
    }


def _action_problems(ctx: Context, by_status: _ByStatus, source: AreaSource) -> list[Problem]:
    """What the rules find in each action of one area, each asked only about the actions of
    the ratings it judges."""
    problems: list[Problem] = []
    if not any(by_status.values()):
        return problems
    quarters, path = ctx.plan.quarters, source.path
    for index, action in enumerate(source.area.actions):
        rules = by_status[action.status]
        if not rules:
            continue
        window = window_of(action, quarters)
        for rule in rules:
            for key, message in rule.check(ctx, action, window):
                line, col = source.pos(index, key)
                problems.append(Problem(path, line, col, rule.LEVEL, rule.CODE, message))
    return problems


def _no_plan() -> Plan:
    """Stands in for a plan.yaml that did not load; only rules that read none of its keys
    see it."""
    return Plan.model_construct(title="", organisation="")
