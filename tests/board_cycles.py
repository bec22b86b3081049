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
