"""What every problem code declares, and what a warning rule module provides.

A rule is a module (as yamllint's rules are) with module-level constants and a `check()`; the
`RuleModule` protocol says which. Load-time errors have no module of their own: the loader
emits them, and `registry` declares them with the same fields.

Named tuples rather than dataclasses: `brag check` imports this module on every run, and a
named tuple class is several times cheaper to create.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import NamedTuple, Protocol

from bragcli.deadlines import Window
from bragcli.model import DEFAULT_IMPACT_DAYS, Action, Area, Plan, Rating, StaleReadingMonths
from bragcli.problems import Level


class Scope(StrEnum):
    """What a problem is about, and so what must be read to find it."""

    #: one action, judged with plan.yaml's settings
    ACTION = "action"
    #: one area as a whole (its owner, its own ratings, its measures), with plan.yaml's settings
    AREA = "area"
    #: one file on its own, plan.yaml or an area file: its bytes, its YAML, its keys and values
    FILE = "file"
    #: the plan folder as a whole: several files together
    PLAN = "plan"


class Declaration(NamedTuple):
    """One problem code, as the documentation and the configuration see it."""

    code: str
    level: Level
    scope: Scope
    #: what it means: one line of Markdown for the tables in docs/rules.md (links relative
    #: to docs/)
    summary: str
    #: what to do about it (warnings)
    fix: str = ""
    #: reported unless turned off (errors are always reported)
    enabled: bool = True


class Context(NamedTuple):
    """What a rule may look at besides the action."""

    plan: Plan
    as_of: date
    #: --stale-days, else plan.yaml's checks: stale_days
    stale_days: int
    #: plan.yaml's checks: impact_days
    impact_days: int = DEFAULT_IMPACT_DAYS
    #: plan.yaml's checks: stale_reading_months
    stale_reading: StaleReadingMonths = StaleReadingMonths()
    #: action id -> the date of the commit from which it has been blue, without a break, to
    #: the last commit (`compute.trend.ActionRecord.since`); None when git history was not read
    blue_since: Mapping[str, date] | None = None


#: (key, message): the key of the action's value the warning points at ("" for the action)
Finding = tuple[str, str]

#: Where in an area file a finding points: keys and list indexes from the top, e.g. ("lead",),
#: ("measures", 2, "readings") or ("actions", 0, "id"); () for the file.
Where = tuple[str | int, ...]

#: (index of the area in the areas given, where in its file, message)
AreaFinding = tuple[int, Where, str]


class RuleIdentity(Protocol):
    """What every warning rule module declares: a module under bragcli/rules/ with these
    names (and `check`, `check_areas` or both: `RuleModule`, `AreaRuleModule`)."""

    CODE: str
    LEVEL: Level
    SCOPE: Scope
    SUMMARY: str
    FIX: str
    #: reported unless disabled; False: only when enabled (`--enable`, `checks: enable`)
    ENABLED: bool
    #: the plan.yaml keys the rule reads; when plan.yaml does not load, a rule that reads any
    #: is not run (its findings would rest on guessed settings), the others still are
    PLAN_SETTINGS: tuple[str, ...]


class RuleModule(RuleIdentity, Protocol):
    """A warning rule that judges one action at a time."""

    #: reads git history (`Context.blue_since`): run once the plan has loaded; the others
    #: are run on each area file as it is read (`rules.run.while_loading`)
    READS_HISTORY: bool
    #: the ratings of the actions it can find anything in: it is not asked about the others
    #: (a test checks that it finds nothing in them)
    STATUSES: frozenset[Rating]

    def check(self, ctx: Context, action: Action, window: Window | None) -> Iterator[Finding]:
        """The findings for one action; `window` is its deadline's (None: not a date)."""
        ...


#: `RuleModule.STATUSES` of a rule that judges actions of every rating
EVERY_RATING = frozenset(Rating)


def declaration(rule: RuleIdentity) -> Declaration:
    return Declaration(rule.CODE, rule.LEVEL, rule.SCOPE, rule.SUMMARY, rule.FIX, rule.ENABLED)


class AreaRuleModule(RuleIdentity, Protocol):
    """A warning rule that judges areas as a whole, or the plan's areas together (a rule may
    have both `check` and `check_areas`, as unknown-lead does for action leads and area
    owners)."""

    #: reads git history: run once the plan has loaded. The others, unless of the plan's
    #: scope (comparing areas), are run on each area file that validates as it is read
    READS_HISTORY: bool

    def check_areas(self, ctx: Context, areas: Sequence[Area]) -> Iterator[AreaFinding]:
        """The findings about the areas that loaded, each with the index of its area."""
        ...
