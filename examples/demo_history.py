"""Build a demo git repository: the sample plan through three improvement-board cycles.

    python examples/demo_history.py /tmp/demo
    cd /tmp/demo && brag diff board-2022-12 board-2023-03 && brag trend --as-of 2023-03-31

The changes between boards are invented to show `brag diff` and `brag trend` (like the sample
plan's ratings, they are illustrative). Dates, names and contents are fixed, so the commits,
and so the output shown in the README and docs/, come out the same on every machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "plans"

#: (date, message, tag, [(file, action id, old text, new text)]); an action id of None
#: replaces the text anywhere in the file
BLUE_GREEN = "status: blue\n    impact: green"
BLUE_AMBER = "status: blue\n    impact: amber"
#: the measure after the one that gets a reading in March (its readings end before this)
EARLY_HELP = "  - name: >-\n      Percentage and number of Early Help assessments"
NEW_READING = '      - period: "2023-02"\n        value: 45\n'
BOARDS = [
    ("2022-12-15", "Plan v0.04 as taken to Cabinet", "board-2022-12", []),
    (
        "2023-01-31",
        "January improvement board update",
        "board-2023-01",
        [
            ("01-corporate-responsibility.yaml", "1.8", "status: green", BLUE_GREEN),
            ("03-risk-of-harm.yaml", "3.1", "deadline: January 2022", "deadline: March 2023"),
            ("03-risk-of-harm.yaml", "3.1", "status: red", "status: amber"),
            ("09-performance-and-qa.yaml", "9.1", "status: amber", BLUE_AMBER),
            ("09-performance-and-qa.yaml", "9.1", None, "QAF published and launched January 2023"),
            ("02-workforce.yaml", "2.4", "deadline: March 2023", "deadline: June 2023"),
            ("09-performance-and-qa.yaml", "9.4", "status: red", "status: amber"),
        ],
    ),
    (
        "2023-03-28",
        "March improvement board update",
        "board-2023-03",
        [
            ("02-workforce.yaml", "2.4", "deadline: June 2023", "deadline: September 2023"),
            ("02-workforce.yaml", "2.4", "status: amber", "status: red"),
            ("02-workforce.yaml", "2.4", None, "Fostering campaign relaunched; recruiting slowly"),
            ("04-quality-of-practice.yaml", "4.4", "status: red", "status: green"),
            ("10-send.yaml", "10.6", "status: red", BLUE_AMBER),
            ("10-send.yaml", "10.6", None, "Preparing for Adulthood Strategy agreed February 2023"),
            ("02-workforce.yaml", "2.2", "status: not-started", "status: red"),
            # the plan itself: a new version, an interim holder of a role, a new reading
            ("plan.yaml", None, 'version: "0.04"', 'version: "0.05"'),
            ("plan.yaml", None, "Support): Rachel Gillott", "Support): Sam Interim"),
            ("01-corporate-responsibility.yaml", None, EARLY_HELP, NEW_READING + EARLY_HELP),
        ],
    ),
]  # fmt: skip


def _edit(text: str, action_id: str | None, old: str | None, new: str) -> str:
    """Replace `old` with `new` in one action's block, or append a progress note (old None);
    with no action id, replace `old` wherever it is in the file."""
    if action_id is None:
        assert old is not None and old in text, old
        return text.replace(old, new, 1)
    start = text.index(f'  - id: "{action_id}"\n')
    following = re.search(r"^  - id: |^\S", text[start + 1 :], re.MULTILINE)
    end = start + 1 + following.start() if following else len(text)
    block = text[start:end]
    if old is None:
        block = block.rstrip("\n") + f"\n      - {new}\n"
    else:
        assert old in block, (action_id, old)
        block = block.replace(old, new, 1)
    return text[:start] + block + text[end:]


def build(target: Path) -> Path:
    """Create the demo repository in `target` (which must not exist); return its plans/."""
    plans = target / "plans"
    shutil.copytree(SAMPLE, plans)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args: str, when: str = "2022-12-15") -> None:
        stamp = f"{when}T12:00:00+0000"
        subprocess.run(
            ["git", "-C", str(target), "-c", "user.name=Programme Office",
             "-c", "user.email=pmo@example.org", *args],
            env={**env, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
            check=True, capture_output=True,
        )  # fmt: skip

    git("init", "-q", "-b", "main")
    for when, message, tag, edits in BOARDS:
        for name, action_id, old, new in edits:
            path = plans / name
            path.write_text(_edit(path.read_text("utf-8"), action_id, old, new), "utf-8")
        git("add", "-A", when=when)
        git("commit", "-q", "-m", message, when=when)
        git("tag", tag, when=when)
    return plans


if __name__ == "__main__":
    if len(sys.argv) != 2 or Path(sys.argv[1]).exists():
        sys.exit("usage: python examples/demo_history.py NEW_FOLDER")
    print(f"demo plan history in {build(Path(sys.argv[1]))}")
