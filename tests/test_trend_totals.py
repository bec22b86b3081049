"""`brag trend` counts what `brag status` counts: at every commit of a history, each point's
totals are `build_status` totals of the plan as that commit left it, judged as of the
commit's date, whatever changed between commits (the plan's quarters, start and roles, the
actions' ratings and deadlines) and whatever stayed the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bragcli.commands.history import plans_at
from bragcli.compute.rollup import Totals, build_status
from bragcli.compute.trend import build_trend
from bragcli.model import Rating
from bragcli.source.load import history, load_plan
from conftest import Run

#: Deadlines whose window depends on `quarters` (Q1 2023 ends in March or in June), and others.
DEADLINES = (
    "Q1 2023", "Q4 2022", "Q2 2023", "Q3 2023", "Q1 2023/24", "March 2023", "20/02/2023",
    "Spring 2023", "2023", "TBC",
)  # fmt: skip
RATINGS = tuple(r.value for r in Rating)
ROLES = ("Lead A", "Lead B", "Lead C")
FIRST_DAY = date(2022, 12, 20)


def _env(when: date) -> dict[str, str]:
    stamp = f"{when.isoformat()}T12:00:00"
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
    }  # fmt: skip


def git(root: Path, *args: str, when: date = FIRST_DAY) -> None:
    subprocess.run(["git", "-C", str(root), *args], env=_env(when), capture_output=True,
                   check=True)  # fmt: skip


def plan_text(quarters: str, start: date | None, roles: dict[str, str]) -> str:
    lines = ["title: Test plan", "organisation: Test Council", f"quarters: {quarters}"]
    if start is not None:
        lines.append(f"start: {start.isoformat()}")
    if roles:
        lines.append("roles:")
        lines += [f"  {role}: {holder}" for role, holder in roles.items()]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Act:
    status: str
    impact: str | None
    deadline: str
    lead: str


def area_text(number: int, actions: list[Act]) -> str:
    lines = [f'id: "{number}"', f"title: Area {number}", "actions:" if actions else "actions: []"]
    for i, a in enumerate(actions, 1):
        lines += [
            f'  - id: "{number}.{i}"',
            f"    title: Action {number}.{i}",
            f"    lead: {a.lead}",
            f"    deadline: {a.deadline}",
            f"    status: {a.status}",
        ]
        if a.impact is not None:
            lines.append(f"    impact: {a.impact}")
    return "\n".join(lines) + "\n"


ACTS = st.builds(
    Act,
    status=st.sampled_from(RATINGS),
    impact=st.none() | st.sampled_from(RATINGS),
    deadline=st.sampled_from(DEADLINES),
    lead=st.sampled_from(ROLES),
)
PLANS = st.builds(
    plan_text,
    quarters=st.sampled_from(["calendar", "financial"]),
    start=st.none() | st.sampled_from([date(2022, 4, 1), date(2023, 1, 1), date(2023, 6, 1)]),
    roles=st.dictionaries(st.sampled_from(ROLES), st.sampled_from(["Ann", "Bob"]), max_size=3),
)
AREAS = {
    "01-one.yaml": st.lists(ACTS, min_size=1, max_size=3).map(lambda acts: area_text(1, acts)),
    "02-two.yaml": st.lists(ACTS, max_size=2).map(lambda acts: area_text(2, acts)),
}


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[date, dict[str, str]]]:
    """Two to five commits, each a day to three months after the one before; each commit
    rewrites the plan, an area or several, and often leaves the others as they were."""
    tree = {"plan.yaml": draw(PLANS), **{name: draw(text) for name, text in AREAS.items()}}
    when = FIRST_DAY
    commits = [(when, dict(tree))]
    for _ in range(draw(st.integers(1, 4))):
        when += timedelta(days=draw(st.integers(1, 90)))
        # Half the time only plan.yaml changes: the areas' blobs, and their counts, carry over.
        changed = draw(st.just({"plan.yaml"}) | st.sets(st.sampled_from(sorted(tree)), min_size=1))
        for name in sorted(changed):
            tree[name] = draw(PLANS) if name == "plan.yaml" else draw(AREAS[name])
        commits.append((when, dict(tree)))
    return commits


def status_totals(folder: Path, as_of: date) -> Totals:
    """`brag status` totals of the plan in the working tree, as of `as_of`."""
    loaded = load_plan(folder)
    assert loaded.plan is not None and loaded.errors == [], loaded.errors
    return build_status(loaded.plan, [s.area for s in loaded.areas], as_of).totals


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(histories())
def test_every_trend_point_has_the_totals_status_gives_that_tree(
    commits: list[tuple[date, dict[str, str]]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        plans = root / "plans"
        plans.mkdir()
        git(root, "init", "-q", "-b", "main")
        expected = []
        previous: dict[str, str] = {}
        for when, tree in commits:
            if tree == previous:
                continue  # a commit that does not touch the plan is no point of the trend
            for name, text in tree.items():
                (plans / name).write_text(text, encoding="utf-8")
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", f"plan of {when}", when=when)
            expected.append((when, status_totals(plans, when)))
            previous = tree

        trend = build_trend(plans_at(history(plans), []))

    assert [(p.revision.date, p.totals) for p in trend.points] == expected
    assert all(p.errors == 0 for p in trend.points)


# --- the case that was wrong --------------------------------------------------------------------


def test_changing_only_quarters_changes_what_trend_counts_as_overdue(
    tmp_path: Path, run: Run
) -> None:
    """Q1 2023 ends on 31 March in calendar quarters, on 30 June in financial ones: after the
    plan switches to financial quarters, the action is no longer overdue on 20 April 2023,
    for trend as for status (trend used to keep the count made with calendar quarters)."""
    plans = tmp_path / "plans"
    plans.mkdir()
    git(tmp_path, "init", "-q", "-b", "main")
    area = area_text(1, [Act("green", None, "Q1 2023", "Lead A")])
    (plans / "01-one.yaml").write_text(area, encoding="utf-8")
    days = (date(2023, 4, 15), date(2023, 4, 20))
    for quarters, when in zip(("calendar", "financial"), days, strict=True):
        (plans / "plan.yaml").write_text(plan_text(quarters, None, {}), encoding="utf-8")
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-m", f"{quarters} quarters", when=when)

    result = run("trend", "--plan", plans, "--format", "json", "--as-of", "2023-05-01")
    assert result.exit_code == 0, result.output
    points = json.loads(result.stdout)["points"]
    assert [(p["date"], p["totals"]["overdue"]) for p in points] == [
        ("2023-04-15", 1),
        ("2023-04-20", 0),
    ]
    status = run("status", plans, "--format", "json", "--as-of", "2023-04-20")
    assert status.exit_code == 0, status.output
    assert json.loads(status.stdout)["totals"]["overdue"] == 0
