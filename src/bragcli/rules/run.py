"""Run the warning rules over a loaded plan, as configured by plan.yaml and the command line."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import NamedTuple

from bragcli.compute.timing import window_of
from bragcli.model import Checks, Plan
from bragcli.problems import BragError, Problem
from bragcli.rules.base import AreaRuleModule, Context, RuleModule
from bragcli.rules.registry import AREA_RULES, RULES, enabled_codes
from bragcli.safetext import excerpt
from bragcli.source.load import LoadedPlan


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


def run_checks(
    loaded: LoadedPlan,
    as_of: date,
    choices: RuleChoices,
    blue_since: Mapping[str, date] | None = None,
) -> list[Problem]:
    """The warnings for every action that loaded, and for the areas that loaded.

    When plan.yaml did not load, its `checks:` and settings are unknown: the rules that read no
    plan setting still run, as the command line and the defaults choose.
    """
    checks = loaded.plan.checks if loaded.plan is not None else Checks()
    codes = selected(checks, choices)

    def wanted(rule: RuleModule | AreaRuleModule) -> bool:
        return rule.CODE in codes and (loaded.plan is not None or not rule.PLAN_SETTINGS)

    rules = [rule for rule in RULES if wanted(rule)]
    area_rules = [rule for rule in AREA_RULES if wanted(rule)]
    if not rules and not area_rules:
        return []
    plan = loaded.plan or _no_plan()
    stale_days = choices.stale_days if choices.stale_days is not None else checks.stale_days
    ctx = Context(
        plan, as_of, stale_days, checks.impact_days, checks.stale_reading_months, blue_since
    )
    problems = []
    if rules:
        for source, index, action in loaded.actions():
            window = window_of(action, plan.quarters)
            for rule in rules:
                for key, message in rule.check(ctx, action, window):
                    line, col = source.pos(index, key)
                    problems.append(Problem(source.path, line, col, rule.LEVEL, rule.CODE, message))
    areas = [source.area for source in loaded.areas]
    for area_rule in area_rules:
        for number, where, message in area_rule.check_areas(ctx, areas):
            source = loaded.areas[number]
            line, col = source.locate(where)
            problems.append(
                Problem(source.path, line, col, area_rule.LEVEL, area_rule.CODE, message)
            )
    return problems


def _no_plan() -> Plan:
    """Stands in for a plan.yaml that did not load; only rules that read none of its keys
    see it."""
    return Plan.model_construct(title="", organisation="")
