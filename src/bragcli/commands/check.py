"""`brag check`: every problem of every plan folder and file given."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple, TextIO

from bragcli.problems import BragError, Exit, Level, Problem
from bragcli.safetext import display_path, visible
from bragcli.source.files import YAML_SUFFIXES, not_a_plan_file
from bragcli.source.load import load_plan

if TYPE_CHECKING:
    from bragcli.commands.history import HistoryAhead
    from bragcli.render import CheckFormat, ColorChoice
    from bragcli.render.problem_formats import Reporter
    from bragcli.rules.run import RuleChoices
    from bragcli.source.load import LoadedPlan
    from bragcli.source.readahead import ReadAhead


class CheckOptions(NamedTuple):
    as_of: date
    strict: bool
    format: CheckFormat
    max_bytes: int
    #: --disable, --enable, --stale-days: they win over plan.yaml's checks:
    rules: RuleChoices
    #: --color: the text format only (json and GitHub annotations are read by programs)
    color: ColorChoice = "never"


def _targets(paths: Sequence[Path]) -> tuple[dict[Path, set[str] | None], list[str]]:
    """Group the given paths by plan folder; a file narrows its folder's report to that file.

    Also returns why each path that cannot be checked is refused (missing; a file that is not
    a plan file: hidden, or not .yaml), so that it is never counted as checked with no problems.
    """
    folders: dict[Path, set[str] | None] = {}
    refused: list[str] = []
    for path in paths:
        if path.is_dir():
            folders[path] = None
            continue
        shown = visible(str(path))
        if not os.path.lexists(path):
            noun = "file" if path.suffix.lower() in YAML_SUFFIXES else "folder"
            refused.append(f"{shown}: no such {noun}")
            continue
        reason = not_a_plan_file(path.name)
        if reason is not None:
            refused.append(f"{shown}: {reason}")
            continue
        folder = path.parent
        wanted = folders.get(folder, set())
        if wanted is not None:
            wanted.add(display_path(path))
            folders[folder] = wanted
    return folders, refused


def _reporter(options: CheckOptions, out: TextIO) -> Reporter:
    """The reporter of --format; the text one in colour when --color (and the terminal,
    NO_COLOR, FORCE_COLOR, TERM) say so, by the rule every view follows."""
    from bragcli.render.problem_formats import REPORTERS, coloured_text

    if options.format == "text":
        from bragcli.terminal import colour_on

        if colour_on(out, options.color):
            return coloured_text
    return REPORTERS[options.format]


def run_check_stdin(
    stream: BinaryIO,
    stdin_name: str | None,
    folder: Path | None,
    options: CheckOptions,
    out: TextIO,
    err: TextIO,
) -> Exit:
    """`brag check -`: the plan file on standard input (named `stdin_name` in messages),
    checked against the plan in `folder` (its plan.yaml, the other areas' ids), or on its own
    when `folder` is None. Only the problems of that file are reported."""
    from bragcli.render.problem_formats import summary
    from bragcli.rules.run import run_checks
    from bragcli.source.files import WorkTree
    from bragcli.source.load import Loader
    from bragcli.source.stdin import StdinSource, read_stdin

    options.rules.refuse_contradictions()
    tree = WorkTree(folder, max_bytes=options.max_bytes) if folder is not None else None
    shown = visible(stdin_name) if stdin_name else "<stdin>"
    source = StdinSource(tree, stdin_name, read_stdin(stream, shown, options.max_bytes))
    loaded = Loader().load(source)
    found = loaded.problems + run_checks(loaded, options.as_of, options.rules)
    problems = sorted((p for p in found if p.path == source.stdin_shown), key=Problem.sort_key)
    _reporter(options, out)(problems, 1, out)
    err.write(f"brag check: {summary(problems, 1)}\n")
    failing = [
        p
        for p in problems
        if p.level is Level.ERROR or (options.strict and p.level is Level.WARNING)
    ]
    return Exit.FINDINGS if failing else Exit.OK


def _blue_since(
    folder: Path, loaded: LoadedPlan, options: CheckOptions, ahead: HistoryAhead | None
) -> dict[str, date] | None:
    """When each blue action turned blue, from the plan's git history, for blue-without-impact;
    read only when that rule is on and some blue action has no impact rating (a history walk
    costs what `brag trend` does). None outside git. `ahead`: the log, being read already."""
    from bragcli.model import Rating
    from bragcli.rules.run import selected

    checks = loaded.plan.checks if loaded.plan is not None else None
    if checks is None or "blue-without-impact" not in selected(checks, options.rules):
        return None
    if not any(a.status is Rating.BLUE and a.impact is None for _, _, a in loaded.actions()):
        return None
    from bragcli.commands.history import blue_since

    return blue_since(folder, max_bytes=options.max_bytes, ahead=ahead)


def _history_ahead(folder: Path, options: CheckOptions) -> HistoryAhead | None:
    """Begin reading the git log of a large plan's folder (one read ahead) while its files are
    read, unless the command line turns blue-without-impact off. plan.yaml's checks: are not
    known yet: when they turn it off, or no blue action lacks an impact rating, the log read
    is not used."""
    if "blue-without-impact" in options.rules.disable:
        return None
    from bragcli.commands.history import HistoryAhead

    return HistoryAhead(folder, max_bytes=options.max_bytes)


def run_check(
    paths: Sequence[Path],
    options: CheckOptions,
    out: TextIO,
    err: TextIO,
    *,
    ahead: ReadAhead | None = None,
) -> Exit:
    """`brag check`: every problem of every path. A path that cannot be checked (missing, not a
    plan file) is reported on stderr and makes the exit code 2, after the others are checked.
    `ahead`: the area files of one of the folders, being read already (`source.readahead`)."""
    from bragcli.render.problem_formats import summary
    from bragcli.rules.run import run_checks, while_loading

    options.rules.refuse_contradictions()
    folders, refused = _targets(paths)
    for reason in refused:
        err.write(f"brag: {reason}\n")
    problems: list[Problem] = []
    files = 0
    checked = 0
    for folder, only in folders.items():
        read_ahead = ahead if ahead is not None and ahead.folder == folder else None
        history = _history_ahead(folder, options) if read_ahead is not None else None
        try:
            try:
                loaded = load_plan(
                    folder,
                    max_bytes=options.max_bytes,
                    area_checks=while_loading(options.as_of, options.rules),
                    ahead=read_ahead,
                )
            except BragError as e:
                err.write(f"brag: {e}\n")
                refused.append(str(e))
                continue
            blue = _blue_since(folder, loaded, options, history)
        finally:
            if history is not None:
                history.close()  # used or not, nothing of it outlives the folder's check
        checked += 1
        found = loaded.problems + run_checks(loaded, options.as_of, options.rules, blue)
        if only is not None:
            found = [p for p in found if p.path in only]
            files += len(only)
        else:
            files += loaded.files
        problems.extend(sorted(found, key=Problem.sort_key))
    if not checked:
        return Exit.USAGE
    _reporter(options, out)(problems, files, out)
    err.write(f"brag check: {summary(problems, files)}\n")
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        from bragcli.outputs import append_step_summary
        from bragcli.render.problem_formats import markdown_summary

        append_step_summary(markdown_summary(problems, files), err, paths, "check")
    if refused:
        return Exit.USAGE
    failing = [
        p
        for p in problems
        if p.level is Level.ERROR or (options.strict and p.level is Level.WARNING)
    ]
    return Exit.FINDINGS if failing else Exit.OK
