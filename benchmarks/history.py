"""Build a git repository whose plan has a long history, for timing `brag trend`.

    python benchmarks/history.py benchmarks/work/history-1000 --commits 1000

The plan (from generate.py; 10 areas of 10 actions by default, a large real plan: the
Herefordshire sample has 62 actions) is committed once, and then
each commit changes one action of one area file, as a programme office does between boards:
its rating, and every fifth commit its deadline too. Commits are one day apart. The history
is written with a single `git fast-import`, so building 1,000 commits takes about a second.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import generate

RATINGS = ("blue", "green", "amber", "red", "not-started")
MONTHS = ("January", "March", "June", "September", "December")
_STATUS = re.compile(r"^(    status: )(\S+)$", re.MULTILINE)
_DEADLINE = re.compile(r"^(    deadline: )(.+)$", re.MULTILINE)


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def build(target: Path, *, commits: int = 1000, areas: int = 10, actions: int = 10) -> Path:
    """Create the repository in `target` (replacing one this script made); return plans/."""
    if target.exists():
        shutil.rmtree(target)
    seed_plan = target.parent / f"{target.name}-seed"
    made = generate.generate(seed_plan, areas=areas, actions=actions, seed=7)
    files = {p.name: p.read_text("utf-8") for p in sorted(made.folder.iterdir())}
    shutil.rmtree(seed_plan)
    target.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True)

    rng = random.Random(7)
    start = datetime(2023, 1, 1, 12, tzinfo=UTC)
    stream = bytearray()
    names = [n for n in files if n != "plan.yaml"]
    for number in range(commits):
        when = int((start + timedelta(days=number)).timestamp())
        if number == 0:
            changed = dict(files)
            message = "Plan as agreed"
        else:
            name = rng.choice(names)
            text = files[name]
            statuses = list(_STATUS.finditer(text))
            pick = rng.randrange(len(statuses))
            found = statuses[pick]
            text = text[: found.start(2)] + rng.choice(RATINGS) + text[found.end(2) :]
            if number % 5 == 0:
                deadlines = list(_DEADLINE.finditer(text))
                if deadlines:
                    chosen = deadlines[min(pick, len(deadlines) - 1)]
                    month = f"{rng.choice(MONTHS)} {2023 + number // 365}"
                    text = text[: chosen.start(2)] + month + text[chosen.end(2) :]
            files[name] = text
            changed = {name: text}
            message = f"Board update {number}"
        stream += b"commit refs/heads/main\n"
        stream += b"committer Programme Office <pmo@example.org> %d +0000\n" % when
        stream += _data(message.encode())
        for name, text in changed.items():
            stream += b"M 100644 inline plans/%s\n" % name.encode()
            stream += _data(text.encode("utf-8"))
    subprocess.run(
        ["git", "-C", str(target), "fast-import", "--quiet"], input=bytes(stream), check=True
    )
    subprocess.run(["git", "-C", str(target), "checkout", "-q", "main"], check=True)
    return target / "plans"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--actions-per-area", type=int, default=10)
    args = parser.parse_args(argv)
    plans = build(args.target, commits=args.commits, actions=args.actions_per_area)
    print(f"{args.commits} commits of {plans}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
