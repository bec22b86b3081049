"""Which git commit a plan folder was read from, so a published report can be traced."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_DAY = re.compile(r"\d{4,}-\d\d-\d\d")


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    #: committer date, YYYY-MM-DD as git shows it (the year can be 10000 or more)
    date: str
    #: True when the plan folder has changes not yet committed: the report is not reproducible.
    dirty: bool

    @property
    def short(self) -> str:
        return self.sha[:12]

    def __str__(self) -> str:
        return f"{self.short}{' with uncommitted changes' if self.dirty else ''} ({self.date})"


def _git(folder: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def commit_of(folder: Path) -> Commit | None:
    """The HEAD commit of the repository holding `folder`, or None outside git (or no git)."""
    head = _git(folder, "log", "-1", "--format=%H%x00%cs")
    sha, _, date = (head or "").strip().partition("\x00")
    if not sha:
        return None
    if not _DAY.fullmatch(date):  # git stores any date it is given, and shows some as ""
        date = "an unknown date"
    status = _git(folder, "status", "--porcelain", "--", ".")
    return Commit(sha=sha, date=date, dirty=bool(status and status.strip()))
