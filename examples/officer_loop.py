"""The plan officer's loop, ready to try: the sample plan in a git repository, and the tracker
a lead sent back.

    python examples/officer_loop.py /tmp/office
    cd /tmp/office && brag import tracker-edited.xlsx --update --dry-run --as-of 2023-01-10

`build` commits the sample plan (with fixed dates, so the commit is the same on every
machine), exports the tracker as `brag export` does (at a fixed time too), and saves
`tracker-edited.xlsx` with the changes a lead makes in Excel (`LEAD_EDITS`): the "Update the
plan from the tracker" section of docs/spreadsheets.md shows the commands that follow, with
their real output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "plans"
WHEN = "2023-01-03T12:00:00+0000"
#: when the tracker is exported: 3 January 2023, 14:00 UTC, after the commit
EXPORTED_AT = 1672754400

#: id -> column -> what the lead typed (as Excel keeps it: "Jun-23", a UK date)
LEAD_EDITS: dict[str, dict[str, str]] = {
    "2.2": {
        "status": "Green",
        "progress": "New permanent Principal Social Worker appointed November 2022\n"
        "2023-01-09: Induction programme relaunched for January starters",
        "updated": "09/01/2023",
    },
    "2.3": {"deadline": "Jun-23"},
}


def git(folder: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_DATE": WHEN,
        "GIT_COMMITTER_DATE": WHEN,
    }
    subprocess.run(
        ["git", "-C", str(folder), "-c", "user.name=Programme Office",
         "-c", "user.email=pmo@example.org", *args],
        env=env, check=True, capture_output=True,
    )  # fmt: skip


def edit_tracker(source: Path, target: Path, edits: dict[str, dict[str, str]]) -> None:
    """Save `source` as `target` with the cells of `edits` changed, as Excel would."""
    import openpyxl

    book = openpyxl.load_workbook(source)
    sheet = book["Actions"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for column, value in edits.get(str(row[header.index("id")].value), {}).items():
            row[header.index(column)].value = value
    book.save(target)


def build(target: Path) -> Path:
    """The repository in `target` (which must not exist); returns it."""
    from click.testing import CliRunner

    from bragcli.cli import cli

    shutil.copytree(SAMPLE, target / "plans")
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "Plan v0.04 as taken to Cabinet")
    previous = Path.cwd()
    os.chdir(target)
    try:
        exported_at = {"SOURCE_DATE_EPOCH": str(EXPORTED_AT)}  # the same workbook every time
        done = CliRunner(env=exported_at).invoke(cli, ["export", "plans", "-o", "tracker.xlsx",
                                                       "--as-of", "2023-01-03"])  # fmt: skip
        assert done.exit_code == 0, done.output
    finally:
        os.chdir(previous)
    edit_tracker(target / "tracker.xlsx", target / "tracker-edited.xlsx", LEAD_EDITS)
    return target


if __name__ == "__main__":
    if len(sys.argv) != 2 or Path(sys.argv[1]).exists():
        sys.exit("usage: python examples/officer_loop.py NEW_FOLDER")
    print(f"the officer's folder is {build(Path(sys.argv[1]))}")
