"""Loading whole plans: what the valid corpus must load as, and how problems are placed."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from bragcli.model import Area, Rating
from bragcli.source.load import load_plan
from conftest import EXAMPLES, SAMPLE_PLAN


def load_valid(tmp_path: Path, name: str) -> Area:
    shutil.copy(EXAMPLES / "plan.yaml", tmp_path / "plan.yaml")
    shutil.copy(EXAMPLES / "valid" / name, tmp_path / name)
    loaded = load_plan(tmp_path)
    assert loaded.problems == []
    (source,) = loaded.areas
    return source.area


def test_yaml_11_lookalikes_stay_text(tmp_path: Path) -> None:
    area = load_valid(tmp_path, "yaml11-lookalikes.yaml")
    assert (area.id, area.title) == ("010", "NO")
    assert [a.id for a in area.actions] == ["1.1", "1.10", "1e3"]
    assert [a.title for a in area.actions] == ["yes", "on", "0x1F"]


def test_ratings_in_any_case(tmp_path: Path) -> None:
    area = load_valid(tmp_path, "ratings-any-case.yaml")
    assert [a.status for a in area.actions] == [
        Rating.AMBER, Rating.NOT_STARTED, Rating.NOT_STARTED, Rating.BLUE
    ]  # fmt: skip
    assert [a.impact for a in area.actions] == [Rating.GREEN, None, None, Rating.AMBER]


def test_every_key_of_the_format(tmp_path: Path) -> None:
    area = load_valid(tmp_path, "full-area.yaml")
    (action,) = area.actions
    assert action.lead == ["Principal Social Worker", "Head of Service (Early Help)"]
    assert action.updated == date(2023, 1, 20)
    assert action.notes_text == ("First note", "Second note: with a colon")
    assert [(o.text, o.evidence) for o in area.outcomes] == [
        ("Children are seen sooner", ["performance data", "feedback"]),
        ("A bare outcome with no evidence", []),
        ("One evidence as text", ["quality assurance activity"]),
    ]
    caseload, eet, over24 = area.measures
    assert caseload.target_bounds() == (16.0, 20.0)
    assert [r.value for r in caseload.readings] == [22.0, 19.5]
    assert eet.target_bounds() == (75.0, None) and eet.unit == "%"
    assert over24.target_bounds() == (None, 0.0)


def test_bom_and_crlf(tmp_path: Path) -> None:
    area = load_valid(tmp_path, "bom-crlf.yaml")
    assert area.id == "4" and area.actions[0].title == "Works"


def test_sample_plan_loads_in_natural_order() -> None:
    loaded = load_plan(SAMPLE_PLAN)
    assert loaded.errors == []
    assert [s.area.id for s in loaded.areas] == [str(i) for i in range(1, 11)]
    assert sum(len(s.area.actions) for s in loaded.areas) == 62
    assert loaded.plan is not None and loaded.plan.holder("Chief Executive") == "Paul Walker"
    joint = next(a for _s, _i, a in loaded.actions() if a.id == "5.4")
    assert joint.lead == [
        "Service Director (Safeguarding and Family Support)",
        "Detective Superintendent, West Mercia Police",
    ]


def test_action_positions_point_at_values(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text("title: P\norganisation: O\n")
    (tmp_path / "a.yaml").write_text(
        "id: '1'\ntitle: A\nactions:\n  - id: '1.1'\n    title: T\n    lead: L\n"
        "    status: green\n    deadline: March 2023\n"
    )
    (source,) = load_plan(tmp_path).areas
    assert source.pos(0) == (4, 5)
    assert source.pos(0, "deadline") == (8, 15)
    assert source.pos(0, "impact") == (4, 5)  # absent key: the action itself
