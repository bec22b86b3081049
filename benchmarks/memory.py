"""Peak memory of `brag check` on one area file at the size cap (5 MB).

    python benchmarks/memory.py [--runs 3]     # writes the files under benchmarks/work/

The issue "Resource bounds" asks that a file at the cap be checked in under 300 MB. How much
memory a YAML file takes depends on how many values it holds, not on its size alone, so two
files are measured, each the only area of a plan and just under the cap:

* dense: one action whose progress list holds about 2.6 million one-letter notes, ``[a,a,...]``:
  the most values a file of that size can hold (two bytes each). The worst case for the reader.
* many actions: about 10,800 actions as benchmarks/generate.py writes them: a real plan's
  shape, at the cap. The worst case for what comes after reading (models, positions, checks).

Each is measured as `run.py` measures peak memory: the maximum resident set size of the whole
`brag check` process, in a fresh helper process per run. run.py calls `plans()` and reports
the figures in docs/performance.md.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import generate

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
#: bragcli's size cap for one plan file (yamlread.MAX_FILE_BYTES)
CAP = 5 * 1024 * 1024
#: generate.py writes about 480 bytes an action: this many come to just under the cap
CAP_ACTIONS = 10_800
PLAN = "title: Memory at the size cap\norganisation: Benchmarks\n"
HELPER = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)\n"
)


def dense(folder: Path) -> Path:
    """A plan whose one area has one action with as many one-letter progress notes as fit."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(PLAN, encoding="utf-8")
    head = (
        b'id: "1"\ntitle: Dense\nactions:\n  - id: "1.1"\n    title: Many notes\n'
        b"    lead: Benchmarks\n    deadline: March 2023\n    status: green\n    progress: ["
    )
    count = (CAP - len(head) - 2) // 2
    (folder / "01-dense.yaml").write_bytes(head + b",".join([b"a"] * count) + b"]\n")
    return folder


def many_actions(folder: Path) -> Path:
    """A plan of one generated area with as many actions as fit under the cap."""
    made = generate.generate(folder, areas=1, actions=CAP_ACTIONS, seed=1)
    largest = max(p.stat().st_size for p in made.folder.iterdir())
    if largest > CAP:
        raise SystemExit(f"{folder}: {largest} bytes, over the cap; lower CAP_ACTIONS")
    return made.folder


def plans(work: Path = WORK) -> list[tuple[str, Path]]:
    """(label, plan folder) of each case, written under `work`."""
    return [
        ("dense: 2.6 million values", dense(work / "cap-dense")),
        (f"many actions: {CAP_ACTIONS:,} actions", many_actions(work / "cap-actions")),
    ]


def peak_mb(argv: list[str]) -> float:
    """Peak RSS of `argv` in MB (10^6 bytes), measured in a fresh helper process."""
    done = subprocess.run(
        [sys.executable, "-c", HELPER, *argv], cwd=ROOT, capture_output=True, text=True, check=True
    )
    kib, code = done.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"{' '.join(argv)}: exit {code}")
    return int(kib) * 1024 / 1e6  # Linux reports ru_maxrss in KiB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per file; the largest is shown")
    args = parser.parse_args(argv)
    brag = Path(sys.executable).parent / "brag"
    command = [str(brag)] if brag.exists() else [sys.executable, "-m", "bragcli"]
    for label, folder in plans():
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        check = [*command, "check", str(folder), "--as-of", generate.AS_OF.isoformat()]
        peak = max(peak_mb(check) for _ in range(args.runs))
        print(f"{label:<32} {size:5.2f} MB of YAML  peak {peak:6.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
