"""Time `brag` as a user runs it, check the figures against the performance targets, and write
docs/performance.md.

Usage: ``python benchmarks/run.py`` (``--quick`` for fewer runs and sizes, ``--runs N``).

What is measured, and why:

* Whole commands, each in a fresh process started with `subprocess` and timed by the wall
  clock, because that is what a user waits for at a prompt, in pre-commit and in CI:
  interpreter start-up, imports, reading, validating and rendering. Every command gets one
  warm-up run (which also fills the page cache and the ``__pycache__`` folders, and whose exit
  code and output are checked) and then ``--runs`` timed rounds; a round runs every command of
  a section once, so that a change in the machine's load falls on all of them alike. The
  median is reported, with the fastest and slowest run, and the median CPU time (user +
  system) of the same runs: wall time well above CPU time means the machine was busy. A plan
  with 512 KB or more of area files is read on two cores (`source/parallel.py`): CPU time then
  counts both processes and can exceed the wall time, and on one core the figures would be
  near the CPU column.
* `brag check` against check-jsonschema with the committed JSON Schema on the same
  10,000-action plan: the generic way to validate YAML against a schema, and the bar that a
  purpose-built checker should clear by a wide margin. yamllint is timed for reference. Both
  tools live in their own virtual environment under benchmarks/work/ so that they never touch
  the project's environment.
* The bundled sample plan against the import floor,
  ``python -c "import yaml, click; from pydantic import BaseModel"``: for a plan of ordinary
  size nearly all the time is start-up, and the floor is the part no change to bragcli can
  remove. (pydantic builds its model machinery on the first model: a reference row shows one
  one-field model built, which any tool that validates with pydantic pays.)
* Scaling from 2,500 to 20,000 actions (50 per area): the time should grow linearly.
* Peak memory (maximum resident set size) of `brag check` and `brag status` at 10,000 actions,
  each in a fresh child process: a small helper process runs the command and reports
  ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``, which then covers that one command only.
  The same for `brag check` of one area file at the 5 MB size cap, from benchmarks/memory.py:
  the densest file possible and a real plan's shape (see that script).
* The clean path against the error path: the same plan with about 1% of its actions given an
  unknown status, so that `brag check` builds problems with file:line:col positions.

The plans come from benchmarks/generate.py (deterministic for a seed) and are written under
benchmarks/work/, which git ignores. `brag` is run as the console script installed next to
this Python interpreter (not through a shell shim such as pyenv's, whose start-up is not
bragcli's), and the floor with this same interpreter.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path

import generate
import history
import memory as at_cap

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
TOOLS_VENV = WORK / "tools-venv"
TOOLS = ("check-jsonschema", "yamllint")
DOC = ROOT / "docs" / "performance.md"
SCHEMA = "schemas/area.schema.json"
AS_OF_SYNTHETIC = generate.AS_OF.isoformat()
AS_OF_SAMPLE = "2022-12-15"
PER_AREA = 50
MAIN_SIZE = 10_000
SIZES = (2_500, 5_000, 10_000, 20_000)
QUICK_SIZES = (10_000, 20_000)
ERROR_RATE = 0.01
SEED = 1
FLOOR = "import yaml, click; from pydantic import BaseModel"
FLOOR_SHOWN = f'python -c "{FLOOR}"'
#: Every command sees the same terminal size, so that output (and its cost) is reproducible.
#: PYTHONDONTWRITEBYTECODE is dropped: with it, every run would compile bragcli from source,
#: which no user's installation does (the warm-up run writes the bytecode cache).
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "COLUMNS": "100",
    "LINES": "50",
}

# Targets from the "Performance" issue.
CHECK_10K_SECONDS = 1.0
CHECK_VS_JSONSCHEMA = 0.07  # from the "one pipeline" issue (0.15 before)
STATUS_10K_SECONDS = 1.0  # from the "one pipeline" issue (1.5 before)
SAMPLE_CHECK_VS_FLOOR = 1.5
SAMPLE_STATUS_VS_FLOOR = 1.7
SCALING_20K_VS_10K = 2.2
PEAK_MB = 150.0
PEAK_AT_CAP_MB = 300.0  # from the security issue: a file at the size cap
#: Peak RSS of the same `brag check` runs with the reader of commit 0ffd539, which composed a
#: tree of YAML nodes (about 400 bytes a value) before it built the data, measured once on the
#: machine of the 2026-11-25 run. Shown next to today's figures; not measured again.
PEAK_AT_CAP_BEFORE_MB = {"dense": 882.3, "many actions": 149.9}
TREND_SECONDS = 3.0  # from the "diff and trend" issue; at 500 actions since "one pipeline"
TREND_COMMITS = 1_000
#: 10 areas of 10 actions: a large real plan (the sample has 62 actions); 10 areas of 50, for
#: the targets (time and peak memory) and how trend grows with the plan.
TREND_ACTIONS_PER_AREA = (10, 50)
#: The floor and one model built: what any tool that validates with a pydantic model pays
#: before it reads a file (pydantic builds its model machinery on the first model). Shown for
#: reference next to the floor.
FIRST_MODEL = (
    "import yaml, click; from pydantic import create_model; create_model('M', x=(int, ...))"
)

_RSS_HELPER = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)\n"
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- running and timing commands ---------------------------------------------------------------


@dataclass
class Timing:
    """The timed runs of one command, or why it could not be timed."""

    label: str
    shown: str
    times: list[float] = field(default_factory=list)
    #: CPU time (user + system) of each timed run: less disturbed by other load than wall time.
    cpu: list[float] = field(default_factory=list)
    summary: str = ""
    failure: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    def cell(self) -> str:
        if self.median is None:
            return "–"
        return seconds(self.median)

    def cpu_cell(self) -> str:
        return seconds(statistics.median(self.cpu)) if self.cpu else "–"

    def spread(self) -> str:
        if not self.times:
            return "–"
        return f"{seconds(min(self.times))} – {seconds(max(self.times))}"


def seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.2f} s"


def _first_lines(text: str, lines: int = 6) -> str:
    kept = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " / ".join(kept[:lines])[:400]


@dataclass(frozen=True)
class Command:
    """A command line to time, as run and as shown in the report."""

    label: str
    argv: tuple[str, ...]
    shown: str
    #: Exit codes that mean the command did its job (brag check exits 1 on a broken plan).
    expect: tuple[int, ...] = (0,)
    #: bragcli's own commands must succeed; a comparison tool's failure is recorded instead.
    required: bool = True
    #: Turns the warm-up run's output into the report's one-line summary.
    summarise: Callable[[str, str], str] | None = None


def _first_line(stdout: str, stderr: str) -> str:
    return _first_lines(stderr or stdout, 1)


def yamllint_summary(stdout: str, stderr: str) -> str:
    warnings = sum(" warning " in line for line in stdout.splitlines())
    errors = sum(" error " in line for line in stdout.splitlines())
    return f"{errors} errors, {warnings} warnings"


def time_group(commands: Sequence[Command], runs: int) -> list[Timing]:
    """Warm up each command once (checking its exit code), then time `runs` rounds.

    A round runs every command once, in order, so that a change in the machine's load during
    the benchmark (other processes, thermal limits) falls on all of them alike and the ratios
    between them stay fair. An unexpected exit code from a `required` command stops the
    benchmark: the generated plan or bragcli is broken and the figures would mean nothing. A
    comparison tool's failure is recorded as its row's text instead, and it is not timed.
    """
    results = [Timing(c.label, c.shown) for c in commands]
    codes: dict[int, int] = {}
    for index, (command, result) in enumerate(zip(commands, results, strict=True)):
        log(f"  warm-up {command.label}: {command.shown}")
        try:
            warm = subprocess.run(command.argv, cwd=ROOT, env=ENV, capture_output=True, text=True)
        except OSError as e:
            result.failure = f"cannot run: {e}"
        else:
            if warm.returncode in command.expect:
                codes[index] = warm.returncode
                summarise = command.summarise or _first_line
                result.summary = summarise(warm.stdout, warm.stderr)
            else:
                result.failure = (
                    f"exit {warm.returncode}: {_first_lines(warm.stderr + warm.stdout)}"
                )
        if result.failure and command.required:
            raise SystemExit(f"{command.label}: {result.failure}")
    for round_number in range(1, runs + 1):
        log(f"  round {round_number} of {runs}")
        for index, code in codes.items():
            command = commands[index]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(
                command.argv,
                cwd=ROOT,
                env=ENV,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            results[index].times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            results[index].cpu.append(
                after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            )
            if done.returncode != code:
                raise SystemExit(
                    f"{command.label}: exit {done.returncode} in a timed run, not {code}"
                )
    for result in results:
        log(f"    {result.label}: median {result.cell()} ({result.spread()})")
    return results


@dataclass
class Memory:
    """Peak resident set size of one command, in megabytes (10^6 bytes)."""

    label: str
    shown: str
    peaks_mb: list[float]

    @property
    def peak(self) -> float:
        return max(self.peaks_mb)


def peak_memory(command: Command, runs: int) -> Memory:
    """Each measurement in a fresh helper process, so RUSAGE_CHILDREN covers this command only."""
    log(f"  {command.label} (peak RSS): {command.shown}")
    peaks = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _RSS_HELPER, *command.argv],
            cwd=ROOT,
            env=ENV,
            capture_output=True,
            text=True,
            check=True,
        )
        kib, code = done.stdout.split()
        if int(code) not in command.expect:
            raise SystemExit(f"{command.label}: exit {code} while measuring memory")
        peaks.append(int(kib) * 1024 / 1e6)  # Linux reports ru_maxrss in KiB
    log(f"    peak {max(peaks):.1f} MB")
    return Memory(command.label, command.shown, peaks)


# --- targets -------------------------------------------------------------------------------------


@dataclass
class Target:
    """One target of the issue: the figure, the limit, and whether it was met (None: not run)."""

    what: str
    figure: str
    limit: str
    met: bool | None

    @property
    def verdict(self) -> str:
        return {True: "met", False: "**NOT MET**", None: "not evaluated"}[self.met]


def under(value: float | None, limit: float) -> bool | None:
    return None if value is None else value < limit


def at_most(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def times(value: float | None) -> str:
    """A ratio, with three decimals below 1 so that 0.154x is not shown as a 'met' 0.15x."""
    if value is None:
        return "–"
    return f"{value:.3f}x" if value < 1 else f"{value:.2f}x"


# --- the environment -----------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def version_of(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def output_of(argv: Sequence[str]) -> str:
    try:
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unavailable ({e})"
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else ""


def machine(brag: Sequence[str]) -> list[tuple[str, str]]:
    import yaml

    libyaml = bool(getattr(yaml, "__with_libyaml__", False))
    if libyaml:
        from yaml import _yaml

        loader = f"C (libyaml {_yaml.get_version_string()})"
    else:
        loader = "pure Python (no libyaml)"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    commit = output_of(["git", "rev-parse", "--short", "HEAD"]) or "unknown"
    # Read-only: an editable install runs the working tree, which may differ from the commit.
    dirty = subprocess.run(
        ["git", "diff", "--quiet", "HEAD", "--", "src"], cwd=ROOT, capture_output=True
    )
    if dirty.returncode == 1:
        commit += " with uncommitted changes in src/"
    return [
        ("Date", datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        ("CPU", cpu_model()),
        ("Cores", f"{os.cpu_count()} ({usable} usable by this process)"),
        ("OS", platform.platform()),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("PyYAML", f"{yaml.__version__}, loader: {loader}"),
        ("pydantic", f"{version_of('pydantic')} (pydantic-core {version_of('pydantic-core')})"),
        ("bragcli", f"{output_of([*brag, '--version'])} at commit {commit}"),
    ]


def speed_check() -> float:
    """Seconds for a fixed pure-Python loop, best of 5: the machine's speed at that moment.

    On a shared or virtual machine the CPU a process gets varies (other guests, frequency
    scaling) and neither the load average nor CPU time shows it; this does.
    """
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        best = min(best, time.perf_counter() - start)
    return best


# --- the comparison tools ------------------------------------------------------------------------


def tool(name: str) -> Path:
    return TOOLS_VENV / "bin" / name


def install_tools() -> str:
    """Make the separate venv with check-jsonschema and yamllint; '' or why it failed."""
    if all(tool(name).exists() for name in TOOLS):
        return ""
    log(f"Installing {', '.join(TOOLS)} into {TOOLS_VENV.relative_to(ROOT)} ...")
    try:
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS_VENV)], check=True)
        subprocess.run(
            [str(tool("python")), "-m", "pip", "install", "-q", *TOOLS],
            check=True,
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as e:
        return f"could not install {', '.join(TOOLS)}: {_first_lines(str(e.stderr or e))}"
    return ""


# --- the benchmark -------------------------------------------------------------------------------


@dataclass
class Results:
    """Everything measured, in the order it is reported."""

    runs: int
    quick: bool
    env: list[tuple[str, str]]
    plans: dict[str, generate.Generated] = field(default_factory=dict)
    versus: list[Timing] = field(default_factory=list)
    sample: list[Timing] = field(default_factory=list)
    scaling: dict[int, tuple[Timing, Timing]] = field(default_factory=dict)
    status_json_10k: Timing | None = None
    memory: list[Memory] = field(default_factory=list)
    cap_memory: list[Memory] = field(default_factory=list)
    paths: list[Timing] = field(default_factory=list)
    trends: list[Timing] = field(default_factory=list)
    #: peak memory of the trend at the largest plan (the target's)
    trend_memory: Memory | None = None
    stack_floor: Timing | None = None
    tools_note: str = ""
    started: float = field(default_factory=time.perf_counter)
    #: The 1, 5 and 15 minute load averages when the run started and when it ended.
    load_at_start: tuple[float, float, float] = field(default_factory=os.getloadavg)
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)
    #: How fast this machine ran a fixed loop when the run started and when it ended.
    speed_at_start: float = 0.0
    speed: float = 0.0
    targets: list[Target] = field(default_factory=list)


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def plan_folder(actions: int, *, errors: bool = False) -> Path:
    return WORK / f"plan-{actions}{'-errors' if errors else ''}"


def make_plans(sizes: Sequence[int], results: Results) -> None:
    for size in sizes:
        made = generate.generate(
            plan_folder(size), areas=size // PER_AREA, actions=PER_AREA, seed=SEED
        )
        results.plans[f"{size}"] = made
        log(f"Generated {rel(made.folder)}: {made.actions} actions, {made.bytes / 1e6:.2f} MB")
    made = generate.generate(
        plan_folder(MAIN_SIZE, errors=True),
        areas=MAIN_SIZE // PER_AREA,
        actions=PER_AREA,
        seed=SEED,
        errors=ERROR_RATE,
    )
    results.plans["errors"] = made
    log(f"Generated {rel(made.folder)}: {made.errors} actions with an unknown status")


def run_all(runs: int, quick: bool) -> Results:
    executable = Path(sys.executable).parent / "brag"
    brag = (str(executable),) if executable.exists() else (sys.executable, "-m", "bragcli")
    results = Results(runs, quick, machine(brag))
    results.speed_at_start = speed_check()
    sizes = QUICK_SIZES if quick else SIZES
    make_plans(sizes, results)
    results.tools_note = install_tools()

    def run_brag(label: str, *args: str, expect: tuple[int, ...] = (0,)) -> Command:
        return Command(label, (*brag, *args), f"brag {shlex.join(args)}", expect)

    floor = Command("import floor", (sys.executable, "-c", FLOOR), FLOOR_SHOWN)
    stack = Command(
        "floor + one pydantic model built (reference)",
        (sys.executable, "-c", FIRST_MODEL),
        f'python -c "{FIRST_MODEL}"',
    )
    log("\nThe sample plan against the import floor")
    *results.sample, results.stack_floor = time_group(
        [
            floor,
            run_brag("brag check", "check", "plans", "--as-of", AS_OF_SAMPLE),
            run_brag(
                "brag status (terminal)",
                *("status", "plans", "--as-of", AS_OF_SAMPLE, "--format", "terminal"),
            ),
            run_brag(
                "brag status (json)",
                *("status", "plans", "--as-of", AS_OF_SAMPLE, "--format", "json"),
            ),
            stack,
        ],
        runs,
    )

    # Everything on synthetic plans is timed in one group, so that every ratio in the report
    # (against check-jsonschema, 20,000 against 10,000 actions, error path against clean path)
    # compares runs made side by side.
    main = rel(plan_folder(MAIN_SIZE))
    check_main = run_brag("brag check", "check", main, "--as-of", AS_OF_SYNTHETIC)
    status_main = run_brag(
        "brag status", "status", main, "--as-of", AS_OF_SYNTHETIC, "--format", "terminal"
    )
    areas = sorted(p for p in plan_folder(MAIN_SIZE).iterdir() if p.name != "plan.yaml")
    tools = [
        Command(
            "check-jsonschema",
            (str(tool("check-jsonschema")), "--schemafile", SCHEMA, *map(rel, areas)),
            f"check-jsonschema --schemafile {SCHEMA} {main}/*-area.yaml",
            required=False,
        ),
        Command(
            "yamllint (reference)",
            (str(tool("yamllint")), "-d", "relaxed", main),
            f"yamllint -d relaxed {main}",
            required=False,
            summarise=yamllint_summary,
        ),
    ]
    group: list[Command] = [check_main, *([] if results.tools_note else tools)]
    scaling: dict[int, tuple[int, int]] = {}
    for size in sizes:
        if size == MAIN_SIZE:
            group.append(status_main)
            scaling[size] = (0, len(group) - 1)
            continue
        folder = rel(plan_folder(size))
        group += [
            run_brag(f"brag check {size:,}", "check", folder, "--as-of", AS_OF_SYNTHETIC),
            run_brag(
                f"brag status {size:,}",
                *("status", folder, "--as-of", AS_OF_SYNTHETIC, "--format", "terminal"),
            ),
        ]
        scaling[size] = (len(group) - 2, len(group) - 1)
    status_json = run_brag(
        "brag status (json)", "status", main, "--as-of", AS_OF_SYNTHETIC, "--format", "json"
    )
    errors = run_brag(
        "brag check (errors)",
        *("check", rel(plan_folder(MAIN_SIZE, errors=True)), "--as-of", AS_OF_SYNTHETIC),
        expect=(1,),
    )
    group += [status_json, errors]
    log(f"\nSynthetic plans: {len(group)} commands")
    timed = time_group(group, runs)
    by_command = dict(zip(group, timed, strict=True))
    if results.tools_note:
        results.versus = [
            timed[0],
            *(Timing(t.label, t.shown, failure=results.tools_note) for t in tools),
        ]
    else:
        results.versus = [timed[0], by_command[tools[0]], by_command[tools[1]]]
    results.scaling = {size: (timed[c], timed[s]) for size, (c, s) in scaling.items()}
    results.status_json_10k = by_command[status_json]
    results.paths = [timed[0], by_command[errors]]

    log("\nPeak memory")
    memory_runs = 2 if quick else 3
    for command in (floor, check_main, status_main):
        results.memory.append(peak_memory(command, memory_runs))
    for label, folder in at_cap.plans(WORK):
        command = run_brag(
            f"brag check, {label}", "check", rel(folder), "--as-of", AS_OF_SYNTHETIC,
            expect=(0, 1),
        )  # fmt: skip
        results.cap_memory.append(peak_memory(command, memory_runs))

    log(f"\nbrag trend over a {TREND_COMMITS:,}-commit history")
    trends = []
    for per_area in TREND_ACTIONS_PER_AREA:
        plans = history.build(
            WORK / f"history-{TREND_COMMITS}-{per_area}",
            commits=TREND_COMMITS,
            actions=per_area,
        )
        trends.append(
            run_brag(
                f"brag trend, {10 * per_area} actions",
                *("trend", "--plan", rel(plans), "--format", "json", "--as-of", "2026-01-01"),
            )
        )
    results.trends = time_group(trends, runs)
    results.trend_memory = peak_memory(trends[-1], memory_runs)
    results.load = os.getloadavg()
    results.speed = speed_check()
    results.targets = evaluate(results)
    return results


def evaluate(results: Results) -> list[Target]:
    check, jsonschema = results.versus[0], results.versus[1]
    floor = results.sample[0]
    targets = [
        Target(
            f"brag check at {MAIN_SIZE:,} actions",
            check.cell(),
            f"< {CHECK_10K_SECONDS:.1f} s",
            under(check.median, CHECK_10K_SECONDS),
        ),
        Target(
            f"brag check vs check-jsonschema at {MAIN_SIZE:,} actions",
            times(ratio(check.median, jsonschema.median))
            if jsonschema.median
            else f"check-jsonschema failed: {jsonschema.failure}",
            f"≤ {CHECK_VS_JSONSCHEMA:.2f}x",
            at_most(ratio(check.median, jsonschema.median), CHECK_VS_JSONSCHEMA),
        ),
    ]
    if MAIN_SIZE in results.scaling:
        status = results.scaling[MAIN_SIZE][1]
        targets.append(
            Target(
                f"brag status at {MAIN_SIZE:,} actions (terminal)",
                status.cell(),
                f"< {STATUS_10K_SECONDS:.1f} s",
                under(status.median, STATUS_10K_SECONDS),
            )
        )
    for timing, limit in zip(
        results.sample[1:],
        (SAMPLE_CHECK_VS_FLOOR, SAMPLE_STATUS_VS_FLOOR, SAMPLE_STATUS_VS_FLOOR),
        strict=True,
    ):
        share = ratio(timing.median, floor.median)
        targets.append(
            Target(
                f"sample plan: {timing.label} vs import floor",
                f"{times(share)} ({timing.cell()} vs {floor.cell()})",
                f"≤ {limit:.1f}x",
                at_most(share, limit),
            )
        )
    if MAIN_SIZE in results.scaling and 2 * MAIN_SIZE in results.scaling:
        for index, name in enumerate(("brag check", "brag status")):
            small = results.scaling[MAIN_SIZE][index].median
            large = results.scaling[2 * MAIN_SIZE][index].median
            targets.append(
                Target(
                    f"{name}: {2 * MAIN_SIZE:,} actions vs {MAIN_SIZE:,}",
                    times(ratio(large, small)),
                    f"≤ {SCALING_20K_VS_10K:.1f}x",
                    at_most(ratio(large, small), SCALING_20K_VS_10K),
                )
            )
    if results.trends:
        trend = results.trends[-1]
        targets.append(
            Target(
                f"{trend.label} over {TREND_COMMITS:,} commits",
                trend.cell(),
                f"< {TREND_SECONDS:.1f} s",
                under(trend.median, TREND_SECONDS),
            )
        )
    if results.trend_memory is not None:
        memory = results.trend_memory
        targets.append(
            Target(
                f"{memory.label} over {TREND_COMMITS:,} commits: peak memory",
                f"{memory.peak:.1f} MB",
                f"< {PEAK_MB:.0f} MB",
                under(memory.peak, PEAK_MB),
            )
        )
    for memory in results.memory[1:]:
        targets.append(
            Target(
                f"{memory.label}: peak memory at {MAIN_SIZE:,} actions",
                f"{memory.peak:.1f} MB",
                f"< {PEAK_MB:.0f} MB",
                under(memory.peak, PEAK_MB),
            )
        )
    for cap in results.cap_memory:
        targets.append(
            Target(
                f"{cap.label}: peak memory for one file at the size cap",
                f"{cap.peak:.1f} MB",
                f"< {PEAK_AT_CAP_MB:.0f} MB",
                under(cap.peak, PEAK_AT_CAP_MB),
            )
        )
    return targets


# --- the report ----------------------------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return [line(headers), "|" + "|".join("---" for _ in headers) + "|", *map(line, rows), ""]


def code(text: str) -> str:
    return f"`{text}`"


def report(results: Results) -> str:
    verdicts = {t.what: t.verdict for t in results.targets}
    runs = f"{results.runs} timed run{'s' if results.runs != 1 else ''} after one warm-up"
    out = [
        "# Performance",
        "",
        "<!-- Generated by `python benchmarks/run.py`; do not edit by hand. -->",
        "",
        "How long `brag` takes, as a user runs it: whole commands in a fresh process, timed by the",
        f"wall clock, {runs}; the median is shown, with the fastest and slowest run. CPU is the",
        "median CPU time (user + system) of the same runs, for judging noise: wall time well above",
        "it means the machine was busy with something else; a large plan is read on two cores",
        "(`source/parallel.py`), so there CPU counts both processes and can exceed wall time.",
        "Each round runs every command of a section once, so ratios compare runs made side by",
        "side.",
        "Synthetic plans come from `benchmarks/generate.py` (50 actions per area, seed "
        f"{SEED}) and are judged as of {AS_OF_SYNTHETIC}; the sample plan as of {AS_OF_SAMPLE}.",
        "What is measured and why is described in `benchmarks/run.py`. To reproduce:",
        "",
        "```sh",
        "python benchmarks/run.py            # full run, a few minutes",
        "python benchmarks/run.py --quick    # fewer runs and sizes",
        "```",
        "",
    ]
    if results.quick:
        out += ["**This is a `--quick` run: fewer runs and sizes.**", ""]
    load = " / ".join(
        ", ".join(f"{x:.2f}" for x in loads) for loads in (results.load_at_start, results.load)
    )
    speed = f"{results.speed_at_start * 1000:.0f} ms / {results.speed * 1000:.0f} ms"
    machine_rows = [
        *results.env,
        ("Load average (1, 5, 15 min) at start / end", load),
        ("Speed check (a fixed Python loop, best of 5) at start / end", speed),
    ]
    out += ["## Machine", "", *table(("", ""), machine_rows)]

    out += [
        "## Targets",
        "",
        *table(
            ("Target", "Figure", "Limit", "Result"),
            [(t.what, t.figure, t.limit, t.verdict) for t in results.targets],
        ),
    ]

    main = results.plans[str(MAIN_SIZE)]
    out += [
        f"## Validating {MAIN_SIZE:,} actions",
        "",
        f"{main.areas} area files plus plan.yaml, {main.bytes / 1e6:.2f} MB of YAML. "
        "check-jsonschema and yamllint run from their own virtual environment under "
        "benchmarks/work/.",
        "",
    ]
    rows: list[tuple[str, ...]] = []
    jsonschema = results.versus[1].median
    for timing in results.versus:
        result = timing.failure or timing.summary
        share = ratio(timing.median, jsonschema)
        rows.append(
            (
                timing.label,
                code(timing.shown),
                timing.cell(),
                timing.spread(),
                timing.cpu_cell(),
                times(share),
                result,
            )
        )
    check_target = f"brag check at {MAIN_SIZE:,} actions"
    versus_target = f"brag check vs check-jsonschema at {MAIN_SIZE:,} actions"
    out += table(
        ("", "Command", "Median", "Fastest – slowest", "CPU", "vs check-jsonschema", "Output"),
        rows,
    )
    out += [
        f"Targets: brag check under {CHECK_10K_SECONDS:.1f} s: {verdicts[check_target]}; "
        f"at most {CHECK_VS_JSONSCHEMA:.2f}x check-jsonschema: {verdicts[versus_target]}.",
        "",
    ]

    floor = results.sample[0].median
    out += [
        "## The sample plan against the import floor",
        "",
        f"The bundled plan (10 areas, 62 actions). The floor is `{FLOOR_SHOWN}`: the "
        "libraries bragcli is built on, imported. pydantic builds its model machinery when "
        "the first model is made, so the floor does not include it; the reference row shows "
        "that floor with one one-field model made, which any tool that validates with "
        "pydantic pays before it reads a file. Reading and checking the sample plan itself "
        "takes a few tens of milliseconds: the rest is start-up.",
        "",
    ]
    rows = []
    reference = [results.stack_floor] if results.stack_floor else []
    for timing in [*results.sample, *reference]:
        target = verdicts.get(f"sample plan: {timing.label} vs import floor", "")
        rows.append(
            (
                timing.label,
                code(timing.shown),
                timing.cell(),
                timing.spread(),
                timing.cpu_cell(),
                times(ratio(timing.median, floor)),
                target,
            )
        )
    out += table(("", "Command", "Median", "Fastest – slowest", "CPU", "vs floor", "Target"), rows)

    out += [
        "## Scaling",
        "",
        "`brag check` and `brag status --format terminal` as the plan grows, 50 actions per "
        "area. The last columns divide by the time at 10,000 actions.",
        "",
    ]
    rows = []
    base_check = base_status = None
    if MAIN_SIZE in results.scaling:
        base_check = results.scaling[MAIN_SIZE][0].median
        base_status = results.scaling[MAIN_SIZE][1].median
    for size, (check, status) in sorted(results.scaling.items()):
        made = results.plans[str(size)]
        rows.append(
            (
                f"{size:,}",
                str(made.areas),
                f"{made.bytes / 1e6:.2f} MB",
                check.cell(),
                check.cpu_cell(),
                status.cell(),
                status.cpu_cell(),
                times(ratio(check.median, base_check)),
                times(ratio(status.median, base_status)),
            )
        )
    out += table(
        (
            "Actions",
            "Areas",
            "YAML",
            "brag check",
            "CPU",
            "brag status",
            "CPU",
            "check vs 10k",
            "status vs 10k",
        ),
        rows,
    )
    if results.status_json_10k is not None:
        out += [
            f"`brag status --format json` at {MAIN_SIZE:,} actions: "
            f"{results.status_json_10k.cell()} ({results.status_json_10k.spread()}).",
            "",
        ]
    out += [
        f"Targets: brag status at {MAIN_SIZE:,} actions under {STATUS_10K_SECONDS:.1f} s: "
        f"{verdicts.get(f'brag status at {MAIN_SIZE:,} actions (terminal)', 'not evaluated')}; "
        f"{2 * MAIN_SIZE:,} actions at most {SCALING_20K_VS_10K:.1f}x the time of "
        f"{MAIN_SIZE:,}: check "
        f"{verdicts.get(f'brag check: {2 * MAIN_SIZE:,} actions vs {MAIN_SIZE:,}', '–')}, status "
        f"{verdicts.get(f'brag status: {2 * MAIN_SIZE:,} actions vs {MAIN_SIZE:,}', '–')}.",
        "",
    ]

    out += [
        "## Peak memory",
        "",
        "Maximum resident set size, in MB of 10^6 bytes, the largest of "
        f"{len(results.memory[0].peaks_mb)} fresh runs, from "
        "`resource.getrusage(RUSAGE_CHILDREN)` in a helper process per run.",
        "",
    ]
    rows = []
    for memory in results.memory:
        target = verdicts.get(f"{memory.label}: peak memory at {MAIN_SIZE:,} actions", "")
        rows.append((memory.label, code(memory.shown), f"{memory.peak:.1f} MB", target))
    out += table(("", "Command", "Peak RSS", f"Target (< {PEAK_MB:.0f} MB)"), rows)
    if results.cap_memory:
        out += [
            "### One file at the size cap",
            "",
            "`brag check` of a plan whose one area file is just under the 5 MB cap, from "
            "`benchmarks/memory.py`: the densest file possible (one action with about 2.6 "
            "million one-letter progress notes, two bytes a value) and a real plan's shape "
            f"({at_cap.CAP_ACTIONS:,} generated actions). Before: the reader of commit "
            "0ffd539, which composed a tree of YAML nodes, about 400 bytes a value, before "
            "building the data (measured once, not in this run).",
            "",
        ]
        rows = []
        for cap in results.cap_memory:
            before = next(
                (f"{mb:.1f} MB" for key, mb in PEAK_AT_CAP_BEFORE_MB.items() if key in cap.label),
                "–",
            )
            target = verdicts.get(f"{cap.label}: peak memory for one file at the size cap", "")
            rows.append((cap.label, code(cap.shown), before, f"{cap.peak:.1f} MB", target))
        out += table(
            ("", "Command", "Before", "Peak RSS", f"Target (< {PEAK_AT_CAP_MB:.0f} MB)"), rows
        )

    broken = results.plans["errors"]
    clean, failing = results.paths
    out += [
        "## Clean path against error path",
        "",
        f"The same {MAIN_SIZE:,}-action plan as generated, and with {broken.errors} actions "
        f"({ERROR_RATE:.0%}) given an unknown status, so that `brag check` reports "
        "`unknown-rating` errors with their file:line:col.",
        "",
    ]
    out += table(
        ("", "Command", "Median", "Fastest – slowest", "CPU", "vs clean", "Summary"),
        [
            (
                t.label,
                code(t.shown),
                t.cell(),
                t.spread(),
                t.cpu_cell(),
                times(ratio(t.median, clean.median)),
                t.summary,
            )
            for t in (clean, failing)
        ],
    )

    if results.trends:
        out += [
            f"## brag trend over {TREND_COMMITS:,} commits",
            "",
            "benchmarks/history.py commits a plan of 10 areas and then changes one action of "
            f"one area per commit, {TREND_COMMITS - 1:,} times, one day apart (its rating, and "
            "every fifth commit its deadline; a change that repeats a rating leaves the plan "
            "as it was, and git then lists no commit for it). The targets (time, and peak "
            f"memory: {results.trend_memory.peak if results.trend_memory else 0:.1f} MB) are "
            "on 500 actions; 100 actions, a large real plan, show how the time grows with the "
            "plan: each commit's changed file is read again, and a bigger file takes longer.",
            "",
            *table(
                ("", "Command", "Median", "Fastest – slowest", "CPU"),
                [
                    (t.label, code(t.shown), t.cell(), t.spread(), t.cpu_cell())
                    for t in results.trends
                ],
            ),
            "",
        ]
    elapsed = time.perf_counter() - results.started
    out += [f"The whole run took {elapsed / 60:.1f} minutes.", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time brag as a user runs it and write docs/performance.md."
    )
    parser.add_argument(
        "--quick", action="store_true", help="3 runs, 10,000 and 20,000 actions only"
    )
    parser.add_argument("--runs", type=int, help="timed runs per command (default 5, quick 3)")
    parser.add_argument(
        "--output", type=Path, default=DOC, help=f"where to write (default {rel(DOC)})"
    )
    args = parser.parse_args(argv)
    runs = args.runs if args.runs is not None else (3 if args.quick else 5)
    if runs < 1:
        parser.error("--runs must be at least 1")
    results = run_all(runs, args.quick)
    text = report(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    log(f"Wrote {args.output}")
    missed = [t for t in results.targets if t.met is False]
    log(
        f"{len(results.targets) - len(missed)} of {len(results.targets)} targets met"
        + (f"; NOT MET: {', '.join(t.what for t in missed)}" if missed else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
