"""The warning rules, one by one, without the CLI."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bragcli.compute.timing import window_of
from bragcli.model import Action, Plan
from bragcli.rules.base import Context
from bragcli.rules.registry import RULES

PLAN = Plan(
    title="Plan",
    organisation="Council",
    start=date(2022, 7, 1),
    roles={"Principal Social Worker": "Jo Example", "Service Director (Improvement)": "Gail"},
)
AS_OF = date(2023, 1, 31)


def findings(rule_id: str, plan: Plan = PLAN, stale_days: int = 42, **fields: Any) -> list[str]:
    values: dict[str, Any] = {
        "id": "1.1",
        "title": "Do it",
        "lead": "Principal Social Worker",
        "deadline": "March 2023",
        "status": "green",
    }
    values.update(fields)
    action = Action.model_validate(values)
    rule = next(r for r in RULES if rule_id == r.CODE)
    ctx = Context(plan, AS_OF, stale_days)
    return [message for _key, message in rule.check(ctx, action, window_of(action, "calendar"))]


def test_every_rule_has_a_unique_id_and_a_summary() -> None:
    ids = [r.CODE for r in RULES]
    assert len(ids) == len(set(ids)) == 10
    assert all(r.SUMMARY.endswith(".") and r.FIX.endswith(".") for r in RULES)


@pytest.mark.parametrize("deadline", [None, "", "TBC", "ongoing", "ASAP"])
def test_deadline_not_a_date(deadline: str | None) -> None:
    assert len(findings("deadline-not-a-date", deadline=deadline)) == 1


@pytest.mark.parametrize("deadline", ["March 2023", "Marhc 2023"])
def test_deadline_not_a_date_quiet_for_dates_and_for_errors(deadline: str) -> None:
    # "Marhc 2023" is an error reported by the loader, not also a warning.
    assert findings("deadline-not-a-date", deadline=deadline) == []


def test_deadline_before_start() -> None:
    assert findings("deadline-before-start", deadline="January 2022") == [
        "action 1.1: deadline 'January 2022' ends before the plan starts (2022-07-01); "
        "is the year right?"
    ]
    # A window that ends on the start day is not before it.
    assert findings("deadline-before-start", deadline="2022-07-01") == []
    assert (
        findings(
            "deadline-before-start",
            deadline="January 2022",
            plan=PLAN.model_copy(update={"start": None}),
        )
        == []
    )


def test_unknown_lead_suggests_the_nearest_role() -> None:
    assert findings("unknown-lead", lead="Principal Social Worker (PSW)") == [
        "action 1.1: lead 'Principal Social Worker (PSW)' is not in the plan's roles; "
        "did you mean 'Principal Social Worker'? (--lead filters by role and holder, so this "
        "action is easy to miss)"
    ]
    assert findings("unknown-lead", lead=["Principal Social Worker", "HSCP"]) == [
        "action 1.1: lead 'HSCP' is not in the plan's roles; add it to roles in plan.yaml "
        "(--lead filters by role and holder, so this action is easy to miss)"
    ]
    # Without roles in plan.yaml there is nothing to compare against.
    no_roles = PLAN.model_copy(update={"roles": {}})
    assert findings("unknown-lead", plan=no_roles, lead="Anyone") == []


def test_a_lead_misspelt_again_is_compared_with_the_roles_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same unknown lead in many actions gets the same hint, worked out once per plan; a
    plan with other roles gets its own; and what is kept grows with the different unknown
    leads, never with the roles (60,000 roles and 300 unknown leads once took gigabytes)."""
    from bragcli import problems
    from bragcli.rules import unknown_lead

    compared: list[str] = []
    real = problems.did_you_mean

    def counting(written: str, *args: Any, **kwargs: Any) -> str | None:
        compared.append(written)
        return real(written, *args, **kwargs)

    monkeypatch.setattr(unknown_lead, "did_you_mean", counting)
    monkeypatch.setattr(unknown_lead, "_hints", None)  # as at the start of a run
    for _ in range(4):
        assert findings("unknown-lead", lead="Principal Social Worker (PSW)")[0].endswith(
            "did you mean 'Principal Social Worker'? (--lead filters by role and holder, so "
            "this action is easy to miss)"
        )
    assert compared == ["Principal Social Worker (PSW)"]
    other = PLAN.model_copy(update={"roles": {"Principal Social Work Lead": "A. N. Other"}})
    assert (
        "did you mean 'Principal Social Work Lead'?"
        in findings("unknown-lead", plan=other, lead="Principal Social Worker (PSW)")[0]
    )
    assert (
        "did you mean 'Principal Social Worker'?"
        in findings("unknown-lead", lead="Principal Social Worker (PSW)")[0]
    )
    assert len(compared) == 3  # the first plan again: worked out anew, not kept from before

    many = PLAN.model_copy(update={"roles": {f"Role {i}": f"Holder {i}" for i in range(5000)}})
    for i in range(50):
        findings("unknown-lead", plan=many, lead=f"Unknown person {i}")
    hints = unknown_lead._hints
    assert hints is not None and hints.plan is many
    assert len(hints.said) == 50 and len(hints.roles) == 5000


def test_a_hint_names_the_first_role_of_those_that_differ_only_by_case() -> None:
    plan = PLAN.model_copy(update={"roles": {"Head of Service": "A", "HEAD OF SERVICE": "B"}})
    assert (
        "did you mean 'Head of Service'?"
        in findings("unknown-lead", plan=plan, lead="Head of Servce")[0]
    )


@pytest.mark.parametrize(
    ("deadline", "status", "count"),
    [
        ("December 2022", "green", 1),
        ("2023-01-30", "green", 1),
        ("2023-01-31", "green", 0),  # the last day of the window is not overdue
        ("December 2022", "amber", 0),
        ("December 2022", "blue", 0),
    ],
)
def test_overdue_green(deadline: str, status: str, count: int) -> None:
    impact = "green" if status == "blue" else None
    found = findings("overdue-green", deadline=deadline, status=status, impact=impact)
    assert len(found) == count


def test_overdue_green_says_how_late() -> None:
    assert findings("overdue-green", deadline="2023-01-30") == [
        "action 1.1 is rated green but its deadline '2023-01-30' passed 1 day ago; "
        "re-rate it or agree a new deadline"
    ]


def test_blue_without_impact() -> None:
    assert len(findings("blue-without-impact", status="blue", updated="2022-10-01")) == 1
    assert findings("blue-without-impact", status="blue", impact="amber") == []
    assert findings("blue-without-impact", status="green") == []


@pytest.mark.parametrize(
    ("updated", "status", "stale_days", "count"),
    [
        ("2022-12-20", "green", 42, 0),  # exactly 42 days before: not yet stale
        ("2022-12-19", "green", 42, 1),
        ("2022-12-19", "blue", 42, 0),  # completed actions need no updates
        ("2023-01-20", "green", 7, 1),
        (None, "green", 42, 0),
    ],
)
def test_stale_progress(updated: str | None, status: str, stale_days: int, count: int) -> None:
    impact = "green" if status == "blue" else None
    found = findings(
        "stale-progress", updated=updated, status=status, impact=impact, stale_days=stale_days
    )
    assert len(found) == count
