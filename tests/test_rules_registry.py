"""The registry of problem codes: every code a problem can carry is declared exactly once, every
declaration is used, every rule module has its declaration, and the tables of docs/rules.md are
the registry's own (refresh them with `python tests/test_readme.py --update`)."""

from __future__ import annotations

import ast
import re
from datetime import date
from typing import Any, NamedTuple

import pytest

from bragcli.compute.timing import window_of
from bragcli.model import Action, Plan, Rating
from bragcli.problems import Level
from bragcli.rules.base import Context, RuleModule, Scope
from bragcli.rules.registry import (
    BY_CODE,
    DECLARATIONS,
    LOAD_ERRORS,
    RULES,
    WARNING_CODES,
    enabled_codes,
    markdown_table,
    not_a_warning,
)
from conftest import EXAMPLES, ROOT
from docpages import page

SOURCE = ROOT / "src" / "bragcli"
CODE = re.compile(r"[a-z]+(?:-[a-z]+)*")
#: Calls that make a problem, and where their code argument is.
_CODE_ARGUMENT = {"error": 3, "warning": 3, "Problem": 4, "_Refused": 1}


def _called(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def codes_in_source() -> dict[str, list[str]]:
    """Every literal problem code in the package, with where it is: the code argument of
    error()/warning()/Problem()/_Refused(), and the values of a `..._CODES` table (the loader
    maps pydantic's error kinds to codes with one)."""
    found: dict[str, list[str]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            literal: list[ast.expr] = []
            if isinstance(node, ast.Call) and _called(node) in _CODE_ARGUMENT:
                index = _CODE_ARGUMENT[str(_called(node))]
                literal += node.args[index : index + 1]
                literal += [k.value for k in node.keywords if k.arg == "code"]
            elif isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id.endswith("_CODES") for t in targets):
                    literal += [v for v in node.value.values if v is not None]
            for value in literal:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.setdefault(value.value, []).append(f"{where}:{value.lineno}")
    return found


def codes_in_corpus() -> set[str]:
    """The codes the example corpus expects (`# expect:` lines, .expect files, expected.txt)."""
    found: set[str] = set()
    invalid = EXAMPLES / "invalid"
    for path in invalid.rglob("*"):
        if path.suffix in {".yaml", ".yml", ".expect", ".txt"}:
            text = path.read_bytes().decode("utf-8", "replace")
            found |= set(re.findall(r"(?:error|warning) \[([a-z-]+)\]", text))
    return found


# --- one declaration per code --------------------------------------------------------------


def test_every_code_is_declared_exactly_once() -> None:
    codes = [d.code for d in DECLARATIONS]
    assert len(codes) == len(set(codes)) == len(BY_CODE)
    assert all(CODE.fullmatch(code) for code in codes), codes


def test_every_code_the_source_emits_is_declared() -> None:
    emitted = codes_in_source()
    assert len(emitted) >= 25, "the scan found too few codes: has the loader changed shape?"
    undeclared = {code: where for code, where in emitted.items() if code not in BY_CODE}
    assert not undeclared, f"codes emitted but not declared in rules/registry.py: {undeclared}"


def test_every_code_the_corpus_expects_is_declared() -> None:
    expected = codes_in_corpus()
    assert len(expected) >= 20
    assert not expected - set(BY_CODE)


def test_every_declared_error_is_emitted_somewhere() -> None:
    """No dead declarations: each load-time error is raised by the loader's source."""
    emitted = codes_in_source()
    dead = [d.code for d in LOAD_ERRORS if d.code not in emitted]
    assert not dead, f"declared in rules/registry.py but emitted nowhere: {dead}"


def test_the_source_emits_no_warning_outside_the_rules() -> None:
    """Warnings come from rule modules only, so that each can be disabled."""
    assert not set(codes_in_source()) & set(WARNING_CODES)
    assert all(d.level is Level.ERROR for d in LOAD_ERRORS)


#: For each rule: action fields that make it fire (with the plan below, as of AS_OF).
TRIGGERS: dict[str, dict[str, Any]] = {
    "deadline-not-a-date": {"deadline": "TBC"},
    "deadline-before-start": {"deadline": "January 2022"},
    "two-digit-year": {"deadline": "31/3/99"},
    "unknown-lead": {"lead": "Nobody"},
    "overdue-green": {"deadline": "December 2022"},
    "overdue-not-started": {"status": "not started", "deadline": "December 2022"},
    "blue-without-impact": {"status": "blue", "updated": "2022-10-01"},
    "impact-unevidenced": {"impact": "green"},
    "stale-progress": {"updated": "2022-01-01"},
    "missing-updated": {"status": "amber", "updated": None},
}
PLAN = Plan(title="P", organisation="O", start=date(2022, 7, 1), roles={"Lead": "Jo"})
AS_OF = date(2023, 1, 31)


def _fire(rule: RuleModule, plan: Plan, **fields: Any) -> list[tuple[str, str]]:
    values = {"id": "1.1", "title": "T", "lead": "Lead", "deadline": "March 2023"}
    values |= {"status": "green", "updated": "2023-01-30", **fields}
    action = Action.model_validate(values)
    window = window_of(action, plan.quarters)
    return list(rule.check(Context(plan, AS_OF, 42), action, window))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE)
def test_every_rule_fires_and_is_quiet_on_a_clean_action(rule: RuleModule) -> None:
    """No dead rule: each finds what it is for, and nothing on an ordinary action."""
    assert set(TRIGGERS) == {r.CODE for r in RULES}  # area rules: tests/test_rules_areas.py
    ((key, message),) = _fire(rule, PLAN, **TRIGGERS[rule.CODE])
    assert message.startswith("action 1.1")
    assert key in {"", *Action.model_fields}
    assert _fire(rule, PLAN) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE)
def test_rule_module_declares_what_the_docs_and_config_need(rule: RuleModule) -> None:
    assert rule.__name__ == f"bragcli.rules.{rule.CODE.replace('-', '_')}"  # type: ignore[attr-defined]
    assert (rule.LEVEL, rule.SCOPE) == (Level.WARNING, Scope.ACTION)
    for text in (rule.SUMMARY, rule.FIX):
        assert text.endswith(".") and "\n" not in text and len(text) < 300
    assert set(rule.PLAN_SETTINGS) <= set(Plan.model_fields) - {"title", "organisation", "checks"}


class _Unreadable:
    """A plan whose settings cannot be read: what a rule sees when plan.yaml did not load."""

    quarters = "calendar"  # read by the test itself, to work out the window

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the rule read plan.{name} but declares no PLAN_SETTINGS")


@pytest.mark.parametrize("rule", [r for r in RULES if not r.PLAN_SETTINGS], ids=lambda r: r.CODE)
def test_a_rule_without_plan_settings_reads_none(rule: RuleModule) -> None:
    """Rules declaring no PLAN_SETTINGS still run when plan.yaml has errors: they must not
    need it."""
    assert len(_fire(rule, _Unreadable(), **TRIGGERS[rule.CODE])) == 1  # type: ignore[arg-type]


class _NoHistory(NamedTuple):
    """A context whose git history cannot be read: what a rule run while the plan's files are
    read sees (`rules.run.while_loading`)."""

    plan: Plan
    as_of: date
    stale_days: int
    impact_days: int = 90
    stale_reading: Any = None

    @property
    def blue_since(self) -> Any:
        raise AssertionError("the rule read git history but declares READS_HISTORY = False")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE)
def test_a_rule_that_does_not_read_history_says_so_truly(rule: RuleModule) -> None:
    """Rules with READS_HISTORY False run on each file as it is read, before git history is
    read: they must not need it. Only blue-without-impact reads it."""
    assert rule.READS_HISTORY is (rule.CODE == "blue-without-impact")
    if rule.READS_HISTORY:
        return
    values = {"id": "1.1", "title": "T", "lead": "Lead", "deadline": "March 2023"}
    values |= {"status": "green", "updated": "2023-01-30", **TRIGGERS[rule.CODE]}
    action = Action.model_validate(values)
    ctx = _NoHistory(PLAN, AS_OF, 42)
    assert len(list(rule.check(ctx, action, window_of(action, PLAN.quarters)))) == 1  # type: ignore[arg-type]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE)
def test_a_rule_finds_nothing_in_the_ratings_it_is_not_asked_about(rule: RuleModule) -> None:
    """An action rule is asked only about actions of the ratings of its STATUSES
    (`rules.run`): so an action of any other rating must give it nothing to find, whatever else
    is in it. Each trigger of every rule, and every action of the sample plan, is tried with
    every other rating, at several dates and with git history saying it was blue long ago."""
    from bragcli.source.load import load_plan

    assert rule.STATUSES and rule.STATUSES.issubset(Rating)
    others = [rating for rating in Rating if rating not in rule.STATUSES]
    sample = load_plan(ROOT / "plans")
    assert sample.plan is not None
    cases = [(sample.plan, action) for _, _, action in sample.actions()]
    for fields in TRIGGERS.values():
        values = {"id": "1.1", "title": "T", "lead": "Lead", "deadline": "March 2023"}
        values |= {"status": "green", "updated": "2022-01-01", **fields}
        cases.append((PLAN, Action.model_validate(values)))
    assert len(cases) > 60
    for plan, action in cases:
        for rating in others:
            moved = action.model_copy(update={"status": rating})
            window = window_of(moved, plan.quarters)
            for when in (date(2022, 12, 15), AS_OF, date(2026, 1, 1)):
                ctx = Context(plan, when, 1, 1, blue_since={action.id: date(2000, 1, 1)})
                assert list(rule.check(ctx, moved, window)) == [], (action.id, rating, when)
    if others:  # and it is asked about the ratings it judges: its trigger fires
        assert _fire(rule, PLAN, **TRIGGERS[rule.CODE])


def test_only_missing_updated_and_impact_unevidenced_are_off_by_default() -> None:
    assert set(WARNING_CODES) - enabled_codes() == {"missing-updated", "impact-unevidenced"}
    assert "missing-updated" in enabled_codes(enable=("missing-updated",))
    assert "unknown-lead" not in enabled_codes(disable=("unknown-lead",))


# --- telling a warning code from anything else ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("unknown-lead", None),
        ("unknwn-lead", "is not a warning of brag check; did you mean 'unknown-lead'?"),
        ("Stale-Progress", "is not a warning of brag check; did you mean 'stale-progress'?"),
        ("bad-id", "is an error, and errors are always reported: only warnings can be disabled"),
        ("all", "is not a warning of brag check; the warnings are deadline-not-a-date, "),
        ("x" * 100_000, "is not a warning of brag check; the warnings are"),
    ],
)
def test_not_a_warning_says_why(text: str, reason: str | None) -> None:
    found = not_a_warning(text)
    assert found == reason if reason is None else (found or "").startswith(reason)


# --- docs/rules.md's tables are rendered from the registry -------------------------------


def _rules_page_table(level: str) -> str:
    text = page("rules.md")
    match = re.search(rf"<!-- codes: {level} -->\n(.*?)<!-- end codes -->\n", text, re.S)
    assert match, f"docs/rules.md has no <!-- codes: {level} --> table"
    return match[1]


@pytest.mark.parametrize("level", [Level.WARNING, Level.ERROR])
def test_rules_page_tables_are_the_registry(level: Level) -> None:
    assert _rules_page_table(level) == markdown_table(level), (
        "docs/rules.md's table of codes is stale: run python tests/test_readme.py --update"
    )


def test_markdown_table_lists_every_code_once_with_its_scope() -> None:
    rows = [
        line
        for level in (Level.WARNING, Level.ERROR)
        for line in markdown_table(level).splitlines()
        if line.startswith("| `")
    ]
    assert [row.split("`")[1] for row in rows] == [d.code for d in DECLARATIONS]
    assert "| `duplicate-id` | plan |" in markdown_table(Level.ERROR)
    assert "| `missing-updated` | action | off |" in markdown_table(Level.WARNING)
    # A cell holding a pipe would split the row: every row has the header's column count.
    for level in Level:
        table = markdown_table(level).splitlines()
        counts = {len(re.findall(r"(?<!\\)\|", line)) for line in table}
        assert len(counts) == 1, table
