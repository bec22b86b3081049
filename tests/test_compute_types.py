"""compute/ is pure: it takes domain values (Plan, Area, dates, its own small dataclasses),
never a loader or git type, and imports nothing that reads files or runs git. The words it
hands to JSON (a change's kind, a rating's direction, a measure's trend) are StrEnums whose
values are the words the JSON has always had.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import typing
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from io import StringIO
from typing import Any

import pytest

from bragcli.compute import changes, rollup, timing, trend
from bragcli.compute.changes import (
    Change,
    ChangeKind,
    Direction,
    diff_plans,
    rating_direction,
    summarise,
)
from bragcli.compute.rollup import MeasureTrend, build_status, view_measures
from bragcli.compute.trend import CommitInfo, PlanAt, build_trend
from bragcli.model import Area, Plan, Rating
from bragcli.render.appendix_context import report_context
from bragcli.render.status_data import status_json
from conftest import ROOT

COMPUTE = ROOT / "src" / "bragcli" / "compute"
#: what compute may import from bragcli: the models and the deadline parser, and itself
ALLOWED = ("bragcli.model", "bragcli.deadlines", "bragcli.compute")
#: standard modules that read or write files, or run programs
IO_MODULES = {"os", "io", "sys", "pathlib", "subprocess", "shutil", "tempfile", "socket", "glob"}


def imports_of(path: Any) -> set[str]:
    """Every module `path` imports, at the top, in a function or under TYPE_CHECKING."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted(COMPUTE.glob("*.py")), ids=lambda p: p.name)
def test_compute_imports_no_loader_git_or_io_module(path: Any) -> None:
    modules = imports_of(path)
    ours = {m for m in modules if m == "bragcli" or m.startswith("bragcli.")}
    assert {m for m in ours if not m.startswith(ALLOWED)} == set()
    assert {m.split(".")[0] for m in modules} & IO_MODULES == set()


def test_the_import_walk_sees_every_kind_of_import() -> None:
    """Imports inside functions and under TYPE_CHECKING count too."""
    modules = imports_of(COMPUTE / "trend.py")
    assert {"bragcli.compute.rollup", "bragcli.model", "dataclasses"} <= modules


def test_importing_compute_loads_no_reader_or_renderer() -> None:
    code = (
        "import sys, bragcli.compute.rollup, bragcli.compute.changes, bragcli.compute.trend\n"
        "print(sorted(m for m in sys.modules if m.startswith('bragcli.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stdout.replace("'", '"')))
    assert {"bragcli.compute.trend", "bragcli.model"} <= loaded
    assert {m for m in loaded if m.startswith(("bragcli.source", "bragcli.render"))} == set()


def _types_in(hint: Any) -> set[type]:
    """The classes a type hint names, generics and unions opened up."""
    args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    own = {hint} if isinstance(hint, type) else set()
    if isinstance(origin, type):
        own.add(origin)
    return own.union(*(_types_in(a) for a in args)) if args else own


@pytest.mark.parametrize(
    "taker",
    [build_trend, diff_plans, build_status, view_measures, rollup.totals_at, rollup.area_tally,
     PlanAt, CommitInfo],
    ids=lambda f: f.__qualname__,
)  # fmt: skip
def test_compute_takes_domain_values(taker: Callable[..., Any]) -> None:
    hints = typing.get_type_hints(taker)
    hints.pop("return", None)
    assert hints, "nothing to check"
    modules = {t.__module__ for hint in hints.values() for t in _types_in(hint)}
    outside = {m for m in modules if m.startswith("bragcli") and not m.startswith(ALLOWED)}
    assert outside == set(), hints


# --- the enums ----------------------------------------------------------------------------------


def test_kinds_directions_and_trends_are_the_json_words() -> None:
    assert issubclass(ChangeKind, StrEnum) and issubclass(Direction, StrEnum)
    assert issubclass(MeasureTrend, StrEnum)
    assert [k.value for k in ChangeKind] == [
        "added", "removed", "moved", "status", "impact", "deadline", "lead", "progress",
        "baseline", "source", "title", "became-overdue", "area-lead", "area-title", "area-status",
        "area-impact",
        "reading-added", "reading-changed", "role-holder", "plan",
    ]  # fmt: skip
    assert [d.value for d in Direction] == [
        "better", "worse", "started", "reset", "rated", "unrated",
    ]  # fmt: skip
    assert [t.value for t in MeasureTrend] == ["better", "worse", "same"]


@pytest.mark.parametrize(
    ("old", "new", "direction"),
    [
        (Rating.RED, Rating.AMBER, Direction.BETTER),
        (Rating.GREEN, Rating.BLUE, Direction.BETTER),
        (Rating.BLUE, Rating.RED, Direction.WORSE),
        # Red is "not started, stalled or stopped; at risk": from not started, worse
        (Rating.NOT_STARTED, Rating.RED, Direction.WORSE),
        (Rating.NOT_STARTED, Rating.AMBER, Direction.STARTED),
        (Rating.GREEN, Rating.NOT_STARTED, Direction.RESET),
        (None, Rating.GREEN, Direction.RATED),
        (Rating.GREEN, None, Direction.UNRATED),
    ],
)
def test_rating_direction(old: Rating | None, new: Rating | None, direction: Direction) -> None:
    assert rating_direction(old, new) is direction


def _plan(quarters: str = "calendar") -> Plan:
    return Plan.model_validate({"title": "T", "organisation": "O", "quarters": quarters})


def _area(area_id: str, *actions: tuple[str, str, str | None, str]) -> Area:
    """An area of actions given as (id, status, impact or None, deadline)."""
    return Area.model_validate(
        {
            "id": area_id,
            "title": f"Area {area_id}",
            "actions": [
                {"id": i, "title": f"Action {i}", "lead": "L", "status": s, "deadline": d}
                | ({"impact": impact} if impact else {})
                for i, s, impact, d in actions
            ],
        }
    )


def test_diff_of_domain_values_gives_the_same_json_as_before() -> None:
    old = [_area("1", ("1.1", "green", None, "Q1 2023"), ("1.2", "red", None, "March 2023"))]
    new = [
        _area("1", ("1.1", "amber", "green", "Q1 2023")),
        _area("2", ("1.2", "red", None, "March 2023"), ("2.1", "blue", None, "TBC")),
    ]
    # Q1 2023 ends in March in calendar quarters, in June in financial ones: 91 days later.
    found = diff_plans(_plan("calendar"), old, _plan("financial"), new)
    assert [(c.id, c.kind) for c in found] == [
        ("1.1", ChangeKind.STATUS), ("1.1", ChangeKind.IMPACT), ("1.2", ChangeKind.MOVED),
        ("2.1", ChangeKind.ADDED),
    ]  # fmt: skip
    assert json.dumps([c.as_dict() for c in found[:2]]) == (
        '[{"id": "1.1", "area": "1", "title": "Action 1.1", "kind": "status", "scope": "action", '
        '"from": "green", "to": "amber", "direction": "worse"}, {"id": "1.1", "area": "1", '
        '"title": "Action 1.1", "kind": "impact", "scope": "action", "from": null, "to": "green", '
        '"direction": "rated"}]'
    )  # the same keys as before, and the scope each change is about
    overall, by_area = summarise(found)
    assert str(overall) == "1 worsened, 1 impact rated, 1 added, 1 moved"
    # The summary's keys are plain text, so its JSON keys are the words they always were.
    assert {type(k) for k in overall.counts} == {str}
    assert list(by_area) == ["1", "2"]


def test_a_deadline_slip_is_measured_in_each_side_s_quarters() -> None:
    old = [_area("1", ("1.1", "green", None, "Q1 2023"))]
    new = [_area("1", ("1.1", "green", None, "Q1 2023/24"))]
    (change,) = diff_plans(_plan("calendar"), old, _plan("financial"), new)
    assert change == Change(
        "1.1", "1", "Action 1.1", ChangeKind.DEADLINE, "Q1 2023", "Q1 2023/24", slip_days=91
    )
    assert change.describe() == "deadline slipped 91 days: Q1 2023 → Q1 2023/24"


def _measured_area() -> Area:
    readings = [{"period": "2023-01", "value": "40"}, {"period": "2023-02", "value": "45"}]
    measure = {"name": "Visits", "good": "higher", "target": "50", "readings": readings}
    return Area.model_validate({"id": "1", "title": "Area 1", "measures": [measure]})


def test_a_measure_trend_is_an_enum_and_the_same_word_in_json_and_templates() -> None:
    area = _measured_area()
    (view,) = view_measures([area])
    assert view.trend is MeasureTrend.BETTER
    out = StringIO()
    status_json(build_status(_plan(), [area], date(2023, 3, 1)), out)
    assert json.loads(out.getvalue())["measures"][0]["trend"] == "better"
    # A template is given plain text, never the enum (its context holds only plain types).
    context = report_context(_plan(), [area], date(2023, 3, 1), None)
    reading = context["areas"][0]["measures"][0]["reading"]
    assert type(reading["trend"]) is str and reading["trend"] == "better"


def test_trend_points_carry_their_own_commit_info() -> None:
    commit = CommitInfo("a" * 40, date(2023, 4, 1), "Board")
    plan_at = PlanAt(commit, _plan(), [_area("1", ("1.1", "red", None, "March 2023"))], 0)
    (point,) = build_trend([plan_at]).points
    assert (point.revision, point.revision.short) == (commit, "a" * 12)
    assert (point.totals.actions, point.totals.overdue) == (1, 1)


def test_the_modules_checked_are_the_ones_compute_has() -> None:
    assert {m.__name__ for m in (changes, rollup, timing, trend)} == {
        f"bragcli.compute.{p.stem}" for p in COMPUTE.glob("*.py") if p.stem != "__init__"
    }
