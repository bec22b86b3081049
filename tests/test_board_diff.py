"""brag diff between improvement boards (January, March, May, July 2023 in git): role
holders, readings, plan details, actions that became overdue, baselines, sources and area
owners and ratings, in every format; Not started -> Red is worse."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.cells import cell_len

from board_cycles import INTERIM, Board, action, area_yaml, plan_yaml, play_2023
from bragcli.compute.changes import ChangeKind, Scope
from conftest import Run


@pytest.fixture
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Board:
    b = play_2023(Board(tmp_path / "repo"))
    monkeypatch.chdir(b.root)
    return b


def changes(run: Run, *args: str) -> list[dict[str, Any]]:
    result = run("diff", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["changes"]  # type: ignore[no-any-return]


def kinds(found: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(c["id"], c["kind"]) for c in found}


def test_march_to_may_reports_every_new_kind(run: Run, board: Board) -> None:
    found = changes(run, "board-2023-03", "board-2023-05")
    assert kinds(found) == {
        ("version", "plan"),
        ("Head of Quality Assurance", "role-holder"),
        ("1.1", "baseline"), ("1.1", "became-overdue"),
        ("1.2", "status"), ("1.2", "became-overdue"),
        ("1.3", "deadline"),
        ("2", "area-lead"),
        ("2.2", "source"),
        ("Assessments completed on time", "reading-added"),
    }  # fmt: skip
    by = {(c["id"], c["kind"]): c for c in found}
    role = by[("Head of Quality Assurance", "role-holder")]
    assert (role["scope"], role["from"], role["to"]) == ("role", "Ann Smith", INTERIM)
    assert role["actions"] == ["1.1", "1.2", "1.3", "2.1"]  # they all have a new lead
    assert (by[("version", "plan")]["from"], by[("version", "plan")]["to"]) == ("0.04", "0.05")
    # Judged as of the May board's date: March 2023 ended 46 days before 16 May.
    assert by[("1.1", "became-overdue")]["days_overdue"] == 46
    reading = by[("Assessments completed on time", "reading-added")]
    assert (reading["scope"], reading["period"], reading["to"]) == ("measure", "2023-05", "81%")
    assert by[("2", "area-lead")]["to"] == "Head of Quality Assurance"
    assert by[("2.2", "source")]["to"] == "Improvement board, May 2023"


def test_not_started_to_red_is_worse_not_started(run: Run, board: Board) -> None:
    status = next(c for c in changes(run, "board-2023-03", "board-2023-05") if c["id"] == "1.2")
    assert (status["from"], status["to"], status["direction"]) == ("not-started", "red", "worse")
    out = run("diff", "board-2023-03", "board-2023-05", "--color", "never").stdout
    assert "status not-started → red (worse)" in out
    assert "1 worsened" in out


def test_not_started_to_green_is_started(run: Run, board: Board) -> None:
    found = changes(run, "board-2023-01", "board-2023-03")
    started = next(c for c in found if c["id"] == "2.1" and c["kind"] == "status")
    assert started["direction"] == "started"


def test_became_overdue_is_judged_as_of_the_option(run: Run, board: Board) -> None:
    """As of 31 March nothing was overdue yet: March 2023 deadlines end that day."""
    found = changes(run, "board-2023-03", "board-2023-05", "--as-of", "2023-03-31")
    assert not [c for c in found if c["kind"] == "became-overdue"]
    found = changes(run, "board-2023-03", "board-2023-05", "--as-of", "2023-04-01")
    late = {c["id"]: c["days_overdue"] for c in found if c["kind"] == "became-overdue"}
    assert late == {"1.1": 1, "1.2": 1}


def test_an_action_already_overdue_did_not_become_overdue(run: Run, board: Board) -> None:
    found = changes(run, "board-2023-05", "board-2023-07")
    assert not [c for c in found if c["kind"] == "became-overdue"]


def test_a_changed_reading_and_area_ratings(run: Run, board: Board) -> None:
    text = (board.plans / "02-fostering.yaml").read_text(encoding="utf-8")
    text = text.replace("value: 77", "value: 76").replace("id: '2'", "id: '2'\nstatus: amber")
    area_1 = (board.plans / "01-leadership.yaml").read_text(encoding="utf-8")
    area_1 = area_1.replace("status: green\nimpact: amber", "status: red\nimpact: amber")
    board.write({"02-fostering.yaml": text, "01-leadership.yaml": area_1})
    found = changes(run, "board-2023-07", "--as-of", "2023-07-18")
    by = {(c["id"], c["kind"]): c for c in found}
    changed = by[("Assessments completed on time", "reading-changed")]
    assert (changed["period"], changed["from"], changed["to"]) == ("2021-22", "77%", "76%")
    assert by[("2", "area-status")]["to"] == "amber"
    assert by[("2", "area-status")]["direction"] == "rated"
    assert (by[("1", "area-status")]["direction"], by[("1", "area-status")]["scope"]) == (
        "worse", "area"
    )  # fmt: skip


def test_terminal_groups_the_plan_and_its_roles_first(run: Run, board: Board) -> None:
    out = run("diff", "board-2023-03", "board-2023-05", "--color", "never").stdout
    lines = out.splitlines()
    plan_at = lines.index("The plan and its roles")
    assert plan_at < next(i for i, line in enumerate(lines) if line.startswith("Area 1"))
    assert f"Head of Quality Assurance: held by Ann Smith → {INTERIM}; leads 1.1, 1.2," in out
    assert "version 0.04 → 0.05" in out
    assert "became overdue: March 2023 passed 46 days ago" in out
    assert "Assessments completed on time: new reading 81% for 2023-05" in out
    assert "area owner Head of Fostering → Head of Quality Assurance" in out
    assert "Overall: 1 worsened, 1 deadline slipped, 2 became overdue" in out


def test_markdown_has_every_kind(run: Run, board: Board) -> None:
    md = run("diff", "board-2023-03", "board-2023-05", "--format", "markdown").stdout
    for text in (
        "| plan |  | version | version 0.04 → 0.05 |",
        "held by Ann Smith → Cat Interim; leads 1.1, 1.2, 1.3, 2.1",
        "| 1 | 1.1 | Action 1.1 | became overdue: March 2023 passed 46 days ago |",
        "| 1 | 1.2 | Action 1.2 | status not-started → red (worse) |",
        "new reading 81% for 2023-05",
        "| plan | 1 role holder changed, 1 plan details changed |",
    ):
        assert text in md


def test_every_kind_is_documented() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "json.md").read_text()
    for kind in ChangeKind:
        assert f"`{kind.value}`" in docs, kind
    for scope in Scope:
        assert f"`{scope.value}`" in docs, scope


# --- hostile ----------------------------------------------------------------------------------


def test_hostile_role_holders_and_measure_names_are_shown_escaped(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    b = Board(tmp_path / "hostile")
    roles = {"Head of Quality Assurance": "Ann"}
    measure = {"measures": [{"name": "Caseload\x1b[2J\x1b]0;pwned\x07", "unit": "%",
                             "readings": [{"period": "soon", "value": 1e300}]}]}  # fmt: skip
    b.cycle("2023-01-17", {
        "plan.yaml": plan_yaml(roles=roles),
        "01-a.yaml": area_yaml("1", [action("1.1")]),
    })  # fmt: skip
    b.cycle("2023-03-21", {
        "plan.yaml": plan_yaml(roles={"Head of Quality Assurance": "Eve\x1b[31m\nInjected"}),
        "01-a.yaml": area_yaml("1", [action("1.1")]) + yaml.safe_dump(measure),
    })  # fmt: skip
    monkeypatch.chdir(b.root)
    monkeypatch.setenv("COLUMNS", "80")
    out = run("diff", "HEAD~1", "HEAD", "--color", "never").stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "Eve\\x1b[31m" in out  # shown, escaped
    assert "1e+300%" in out  # a huge value is shown in full, not as inf
    assert "for soon" in out  # a period that is not a date is text, as written
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    document = run("diff", "HEAD~1", "HEAD", "--format", "json").stdout
    assert "\x1b" not in document
    reading = next(c for c in json.loads(document)["changes"] if c["kind"] == "reading-added")
    assert reading["period"] == "soon" and reading["to"] == "1e+300%"
