"""Loading whole plans: what the valid corpus must load as, and how problems are placed."""

from __future__ import annotations

import pickle
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


def test_positions_follow_each_actions_own_key_order(tmp_path: Path) -> None:
    """Positions are kept as node numbers and one tuple of keys per key order: actions whose
    keys come in different orders, an x- key between them, and a flow-style action each point
    at their own values; a position survives being sent between processes (pickled)."""
    (tmp_path / "plan.yaml").write_text("title: P\norganisation: O\n")
    (tmp_path / "a.yaml").write_text(
        "id: '1'\ntitle: A\nactions:\n"
        "  - id: '1.1'\n    title: T\n    lead: L\n    status: green\n    deadline: March 2023\n"
        "  - deadline: April 2023\n    x-note: kept out\n    status: red\n    id: '1.2'\n"
        "    lead: M\n    title: U\n"
        "  - {id: '1.3', title: V, lead: N, status: amber, deadline: May 2023}\n"
    )
    (source,) = load_plan(tmp_path).areas
    assert [source.pos(i, "id") for i in range(3)] == [(4, 9), (12, 9), (15, 10)]
    assert source.pos(1, "deadline") == (9, 15)
    assert source.pos(1, "status") == (11, 13)
    assert source.pos(1, "x-note") == (9, 5)  # not in the data: the action itself
    assert source.pos(2, "deadline") == (15, 61)
    assert source.pos(3, "id") == (1, 1)  # no such action
    assert source.pos(-1, "id") == (1, 1)
    first, second = source.action_pos.keys[0], source.action_pos.keys[1]
    assert first is source.action_pos.keys[2]  # the same key order: one tuple, shared
    assert first != second
    again = pickle.loads(pickle.dumps(source.action_pos))
    assert again == source.action_pos
    assert [again.at(i, "title") for i in range(3)] == [(5, 12), (14, 12), (15, 24)]


def test_salvaged_actions_keep_their_own_positions(tmp_path: Path) -> None:
    """An area file with one bad action keeps the others for the checks, each with the
    position of its own values, not those of the action before it in the file."""
    (tmp_path / "plan.yaml").write_text("title: P\norganisation: O\n")
    (tmp_path / "a.yaml").write_text(
        "id: '1'\ntitle: A\nactions:\n"
        "  - id: '1.1'\n    title: T\n    lead: L\n    status: green\n    deadline: March 2023\n"
        "  - id: '1.2'\n    title: U\n    lead: M\n    status: purple\n    deadline: May 2023\n"
        "  - id: '1.1'\n    title: V\n    lead: N\n    status: red\n    deadline: June 2023\n"
    )
    loaded = load_plan(tmp_path)
    (partial,) = loaded.partial
    assert [a.id for a in partial.area.actions] == ["1.1", "1.1"]
    assert [partial.pos(i, "deadline") for i in range(2)] == [(8, 15), (18, 15)]
    duplicate = next(p for p in loaded.problems if p.code == "duplicate-id")
    assert (duplicate.line, duplicate.col) == (14, 9)
