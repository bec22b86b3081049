"""A reworded action or area title is a change `brag diff` reports (and so the change set of
`brag import --update` and `brag set` shows it too), in every format, escaped like any text."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bragcli.compute.changes import ChangeKind, Scope, diff_plans, summarise
from bragcli.model import Area, Plan
from conftest import Run

PLAN = Plan(title="P", organisation="O")


def _area(title: str, action_title: str) -> Area:
    return Area.model_validate(
        {
            "id": "1",
            "title": title,
            "actions": [{"id": "1.1", "title": action_title, "lead": "L", "status": "green"}],
        }
    )


def test_reworded_titles_are_changes_with_the_old_wording() -> None:
    old = _area("Early help", "Refresh the strategy")
    new = _area("Early help and prevention", "Refresh and relaunch the strategy")
    found = diff_plans(PLAN, [old], PLAN, [new])
    by_kind = {c.kind: c for c in found}
    assert set(by_kind) == {ChangeKind.AREA_TITLE, ChangeKind.TITLE}
    area, action = by_kind[ChangeKind.AREA_TITLE], by_kind[ChangeKind.TITLE]
    assert (area.scope, area.id, area.old, area.new) == (
        Scope.AREA, "1", "Early help", "Early help and prevention"
    )  # fmt: skip
    assert action.title == "Refresh and relaunch the strategy"
    assert action.describe() == "title reworded; it was: Refresh the strategy"
    assert area.describe() == "area title reworded; it was: Early help"
    overall, _ = summarise(found)
    assert str(overall) == "1 title reworded, 1 area title reworded"
    assert action.as_dict()["kind"] == "title" and area.as_dict()["kind"] == "area-title"


def test_the_same_title_is_no_change() -> None:
    area = _area("Early help", "Refresh the strategy")
    assert diff_plans(PLAN, [area], PLAN, [_area("Early help", "Refresh the strategy")]) == []


AREA = """id: "1"
title: Early help
actions:
  - id: "1.1"
    title: {title}
    lead: Head of Service
    deadline: March 2023
    status: green
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    plans = tmp_path / "repo" / "plans"
    plans.mkdir(parents=True)
    (plans / "plan.yaml").write_text("title: P\norganisation: O\n", encoding="utf-8")
    (plans / "01.yaml").write_text(AREA.format(title="Refresh the strategy"), encoding="utf-8")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "plan"]):
        subprocess.run(
            ["git", "-C", str(plans.parent), "-c", "user.name=T", "-c", "user.email=t@e.org",
             *args],
            check=True,
        )  # fmt: skip
    return plans


def test_diff_shows_a_hostile_title_escaped(run: Run, repo: Path) -> None:
    hostile = '"Refresh \\e[2J the strategy"'  # YAML's escape for ESC
    (repo / "01.yaml").write_text(AREA.format(title=hostile), encoding="utf-8")
    terminal = run("diff", "-p", repo, "--as-of", "2023-01-10", "--color", "never")
    assert terminal.exit_code == 0, terminal.output
    assert "title reworded; it was: Refresh the strategy" in terminal.stdout
    assert "\x1b" not in terminal.stdout and "\\x1b[2J" in terminal.stdout
    shown = run("diff", "-p", repo, "--as-of", "2023-01-10", "--format", "json")
    (change,) = [c for c in json.loads(shown.stdout)["changes"] if c["kind"] == "title"]
    assert (change["id"], change["to"]) == ("1.1", "Refresh \x1b[2J the strategy")
    assert "\x1b" not in shown.stdout  # JSON escapes it


def test_a_long_old_title_is_quoted_short_and_kept_whole_in_json() -> None:
    old = "Refresh " + "very " * 2000 + "long"
    (change,) = diff_plans(PLAN, [_area("A", old)], PLAN, [_area("A", "Short now")])
    assert len(change.describe()) < 160 and change.describe().endswith("…")
    assert change.as_dict()["from"] == old
