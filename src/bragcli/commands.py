"""What each command does, apart from click: read the plan, compute, render, return an exit code.

Imports of renderers happen inside the functions so that a command pays only for what it uses
(`brag check` never imports jinja2 or rich).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import TextIO

from bragcli.load import LoadedPlan, display_path, load_plan
from bragcli.problems import BragError, Level, Problem
from bragcli.rollup import Filters


class Exit(IntEnum):
    """Exit codes, documented in the README."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    INTERNAL = 3


@dataclass(frozen=True, slots=True)
class CheckOptions:
    as_of: date
    stale_days: int
    strict: bool
    format: str
    max_bytes: int


def _targets(paths: Sequence[Path]) -> dict[Path, set[str] | None]:
    """Group the given paths by plan folder; a file narrows its folder's report to that file."""
    folders: dict[Path, set[str] | None] = {}
    for path in paths:
        if path.is_file():
            folder = path.parent
            wanted = folders.get(folder, set())
            if wanted is not None:
                wanted.add(display_path(path))
                folders[folder] = wanted
        else:
            folders[path] = None
    return folders


def run_check(paths: Sequence[Path], options: CheckOptions, out: TextIO, err: TextIO) -> Exit:
    from bragcli.checks import run_checks
    from bragcli.render.problems import REPORTERS, summary

    problems: list[Problem] = []
    files = 0
    for folder, only in _targets(paths).items():
        loaded = load_plan(folder, max_bytes=options.max_bytes)
        found = loaded.problems + run_checks(loaded, options.as_of, options.stale_days)
        if only is not None:
            found = [p for p in found if p.path in only]
            files += len(only)
        else:
            files += loaded.files
        problems.extend(sorted(found, key=Problem.sort_key))
    REPORTERS[options.format](problems, files, out)
    err.write(f"brag check: {summary(problems, files)}\n")
    failing = [
        p
        for p in problems
        if p.level is Level.ERROR or (options.strict and p.level is Level.WARNING)
    ]
    return Exit.FINDINGS if failing else Exit.OK


@dataclass(frozen=True, slots=True)
class StatusOptions:
    as_of: date
    filters: Filters
    due_within: int
    stale_days: int
    format: str
    color: str
    max_bytes: int


def run_status(
    folder: Path, options: StatusOptions, out: TextIO, err: TextIO, *, per_action: bool = False
) -> Exit:
    """`brag status` (the roll-up) or, with per_action, `brag actions` (one row per action)."""
    from bragcli.render import ACTIONS_FORMATS, STATUS_FORMATS, render
    from bragcli.rollup import build_status

    loaded = load_or_report(folder, err, max_bytes=options.max_bytes)
    if loaded is None:
        return Exit.FINDINGS
    assert loaded.plan is not None
    known = {s.area.id for s in loaded.areas}
    unknown = [a for a in options.filters.areas if a not in known]
    if unknown:
        raise BragError(
            f"no improvement area with id {', '.join(map(repr, unknown))} in "
            f"{display_path(folder)}; the areas are {', '.join(s.area.id for s in loaded.areas)}"
        )
    status = build_status(
        loaded.plan,
        [s.area for s in loaded.areas],
        options.as_of,
        filters=options.filters,
        due_within=options.due_within,
        stale_days=options.stale_days,
    )
    registry = ACTIONS_FORMATS if per_action else STATUS_FORMATS
    render(registry, options.format, status, out, options.color)
    return Exit.OK


@dataclass(frozen=True, slots=True)
class ReportOptions:
    as_of: date
    format: str
    output: Path | None
    template: Path | None
    due_within: int
    max_bytes: int


def run_report(folder: Path, options: ReportOptions, out: TextIO, err: TextIO) -> Exit:
    """`brag report`: the committee appendix through a template, to stdout or a file."""
    from bragcli.gitinfo import commit_of
    from bragcli.render.report import render_report
    from bragcli.report import report_context

    loaded = load_or_report(folder, err, max_bytes=options.max_bytes)
    if loaded is None:
        return Exit.FINDINGS
    assert loaded.plan is not None
    context = report_context(
        loaded.plan,
        [s.area for s in loaded.areas],
        options.as_of,
        commit_of(folder),
        due_within=options.due_within,
    )
    text = render_report(context, options.format, options.template)
    if options.output is None:
        out.write(text)
    else:
        try:
            options.output.write_text(text, encoding="utf-8")
        except OSError as e:
            raise BragError(f"{options.output}: cannot write: {e.strerror or e}") from e
        err.write(f"brag report: wrote {options.output}\n")
    return Exit.OK


def load_or_report(folder: Path, err: TextIO, *, max_bytes: int) -> LoadedPlan | None:
    """Load a plan for a reporting command; on errors, print them and return None."""
    loaded = load_plan(folder, max_bytes=max_bytes)
    if loaded.errors or loaded.plan is None:
        for problem in loaded.errors:
            err.write(f"{problem}\n")
        err.write(
            f"brag: {display_path(folder)} has {len(loaded.errors)} error"
            f"{'s' if len(loaded.errors) != 1 else ''}; fix them first (brag check lists them)\n"
        )
        return None
    return loaded
