"""A plan played through improvement-board cycles in a real git repository (January, March,
May and July 2023), for the tests of what status, actions, diff and trend tell a board.

Each cycle is a commit of the whole plan folder, dated as the board met; the plan's areas
are written from plain dicts so that a test can say what changed from one board to the next.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

ROLES = {
    "Service Director (Improvement)": "Gail Hancock",
    "Head of Quality Assurance": "Ann Smith",
    "Head of Fostering": "Bob Jones",
}


def plan_yaml(**changes: Any) -> str:
    plan: dict[str, Any] = {
        "title": "Children's Services Improvement Plan",
        "organisation": "Test Council",
        "version": "0.04",
        "start": "2022-12-15",
        "roles": dict(ROLES),
    }
    plan.update(changes)
    return yaml.safe_dump(plan, sort_keys=False, allow_unicode=True)


def action(action_id: str, **keys: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": action_id,
        "title": f"Action {action_id}",
        "lead": "Head of Quality Assurance",
        "deadline": "March 2023",
        "status": "green",
    }
    found.update(keys)
    return found


def area_yaml(area_id: str, actions: list[dict[str, Any]], **keys: Any) -> str:
    area: dict[str, Any] = {"id": area_id, "title": f"Area {area_id}"}
    area.update(keys)
    area["actions"] = actions
    return yaml.safe_dump(area, sort_keys=False, allow_unicode=True)


class Board:
    """A git repository holding `plans/`; `cycle` commits the plan as one board left it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.plans = root / "plans"
        self.plans.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, when: str = "2023-01-10") -> str:
        stamp = f"{when}T12:00:00"
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Plan officer", "GIT_AUTHOR_EMAIL": "plan@example.org",
            "GIT_COMMITTER_NAME": "Plan officer", "GIT_COMMITTER_EMAIL": "plan@example.org",
            "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
        }  # fmt: skip
        done = subprocess.run(
            ["git", "-C", str(self.root), *args], env=env, capture_output=True, text=True,
            check=True,
        )  # fmt: skip
        return done.stdout

    def write(self, files: dict[str, str | None]) -> None:
        for name, text in files.items():
            if text is None:
                (self.plans / name).unlink()
            else:
                (self.plans / name).write_text(text, encoding="utf-8")

    def cycle(self, when: str, files: dict[str, str | None], *, tag: str | None = None) -> str:
        """Commit `files` (name -> text, None to delete) as the board of `when`; its sha."""
        self.write(files)
        self.git("add", "-A")
        self.git("commit", "-qm", f"Board {when}", when=when)
        if tag:
            self.git("tag", tag)
        return self.git("rev-parse", "HEAD").strip()


# --- the 2023 story: four boards, January to July ---------------------------------------------

BOARD_DATES = {"jan": "2023-01-17", "mar": "2023-03-21", "may": "2023-05-16", "jul": "2023-07-18"}
#: The interim lead who took over "Head of Quality Assurance" in May.
INTERIM = "Cat Interim"
SCRUTINY = "Scrutiny committee, 13 December 2022, recommendation 2"


def _area_1(cycle: str) -> str:
    """Area 1, owned by the Service Director (Improvement)."""
    replans = {"jan": "March 2023", "mar": "May 2023", "may": "Summer 2023", "jul": "Summer 2023"}
    first: dict[str, Any] = {"source": SCRUTINY}
    if cycle in ("may", "jul"):
        first["baseline"] = "February 2023"
    late_start = "not-started" if cycle in ("jan", "mar") else "red"
    return area_yaml(
        "1",
        [
            action("1.1", **first),
            action("1.2", status=late_start, source="Ofsted ILACS 2022, recommendation 4"),
            action("1.3", deadline=replans[cycle], impact="not-started"),
            action("1.4", lead="Service Director Improvement", status="amber",
                   deadline="December 2023", updated=BOARD_DATES[cycle]),
        ],
        lead="Service Director (Improvement)",
        status="green",
        impact="amber",
    )  # fmt: skip


def _area_2(cycle: str) -> str:
    """Area 2: measures, and an action whose lead is not in the roles glossary."""
    on_time: dict[str, Any] = {
        "name": "Assessments completed on time",
        "good": "higher",
        "target": "90",
        "unit": "%",
        "readings": [{"period": "2021-22", "value": 77}],
    }
    if cycle in ("may", "jul"):
        on_time["readings"].append({"period": "2023-05", "value": 81})
    measures = [
        on_time,
        {"name": "Foster carers recruited", "good": "higher", "unit": "carers"},
        {"name": "Re-referrals", "good": "lower", "unit": "%",
         "readings": [{"period": "2022-12", "value": 22}]},
    ]  # fmt: skip
    started = "not-started" if cycle == "jan" else "green"
    second: dict[str, Any] = {"lead": "Service Director Improvement", "deadline": "October 2023"}
    if cycle in ("may", "jul"):
        second["source"] = "Improvement board, May 2023"
    text = area_yaml(
        "2",
        [action("2.1", status=started, deadline="September 2023"), action("2.2", **second)],
        lead="Head of Fostering" if cycle in ("jan", "mar") else "Head of Quality Assurance",
    )
    return text + yaml.safe_dump({"measures": measures}, sort_keys=False)


def play_2023(board: Board) -> Board:
    """Commit the plan as the boards of January, March, May and July 2023 left it, tagged
    board-2023-01 ... board-2023-07.

    In May: the holder of "Head of Quality Assurance" changed to an interim lead, the plan's
    version went from 0.04 to 0.05, a reading was added, 1.2 went from Not started to Red,
    1.1 was given a baseline, 2.2 a source, and area 2 a new owner.
    """
    for cycle, when in BOARD_DATES.items():
        roles = dict(ROLES)
        version = "0.04"
        if cycle in ("may", "jul"):
            roles["Head of Quality Assurance"] = INTERIM
            version = "0.05"
        board.cycle(
            when,
            {
                "plan.yaml": plan_yaml(roles=roles, version=version),
                "01-leadership.yaml": _area_1(cycle),
                "02-fostering.yaml": _area_2(cycle),
            },
            tag=f"board-{when[:7]}",
        )
    return board
