"""What each command does, apart from click: read the plan, compute, render, return an exit code.

Imports of renderers happen inside the functions so that a command pays only for what it uses
(`brag check` never imports jinja2 or rich).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bragcli.problems import BragError, Exit, Level, Problem
from bragcli.safetext import excerpt, visible
from bragcli.source.files import YAML_SUFFIXES, display_path, not_a_plan_file
from bragcli.source.load import LoadedPlan, load_plan

if TYPE_CHECKING:
    from bragcli.compute.rollup import Filters
    from bragcli.compute.trend import PlanAt
    from bragcli.model import Area
    from bragcli.render import (
        ColorChoice,
        DiffFormat,
        ExportFormat,
        ReportFormat,
        StatusFormat,
        TrendBy,
        TrendFormat,
    )
    from bragcli.rules.run import RuleChoices
    from bragcli.source.git import Revision, Snapshot


@dataclass(frozen=True, slots=True)
class CheckOptions:
    as_of: date
    strict: bool
    format: str
    max_bytes: int
    #: --disable, --enable, --stale-days: they win over plan.yaml's checks:
    rules: RuleChoices


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


def run_check(paths: Sequence[Path], options: CheckOptions, out: TextIO, err: TextIO) -> Exit:
    """`brag check`: every problem of every path. A path that cannot be checked (missing, not a
    plan file) is reported on stderr and makes the exit code 2, after the others are checked."""
    from bragcli.render.problem_formats import REPORTERS, summary
    from bragcli.rules.run import run_checks

    options.rules.refuse_contradictions()
    folders, refused = _targets(paths)
    for reason in refused:
        err.write(f"brag: {reason}\n")
    problems: list[Problem] = []
    files = 0
    checked = 0
    for folder, only in folders.items():
        try:
            loaded = load_plan(folder, max_bytes=options.max_bytes)
        except BragError as e:
            err.write(f"brag: {e}\n")
            refused.append(str(e))
            continue
        checked += 1
        found = loaded.problems + run_checks(loaded, options.as_of, options.rules)
        if only is not None:
            found = [p for p in found if p.path in only]
            files += len(only)
        else:
            files += loaded.files
        problems.extend(sorted(found, key=Problem.sort_key))
    if not checked:
        return Exit.USAGE
    REPORTERS[options.format](problems, files, out)
    err.write(f"brag check: {summary(problems, files)}\n")
    if os.environ.get("GITHUB_STEP_SUMMARY"):
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


@dataclass(frozen=True, slots=True)
class StatusOptions:
    as_of: date
    filters: Filters
    due_within: int
    #: None: plan.yaml's checks: stale_days
    stale_days: int | None
    format: StatusFormat
    color: ColorChoice
    max_bytes: int
    rev: str | None = None


def run_status(
    folder: Path, options: StatusOptions, out: TextIO, err: TextIO, *, per_action: bool = False
) -> Exit:
    """`brag status` (the roll-up) or, with per_action, `brag actions` (one row per action)."""
    from bragcli.compute.rollup import build_status
    from bragcli.render import ACTIONS_FORMATS, STATUS_FORMATS

    loaded, _revision = load_at(folder, options.rev, err, max_bytes=options.max_bytes)
    if loaded is None:
        return Exit.FINDINGS
    assert loaded.plan is not None
    known = {s.area.id for s in loaded.areas}
    unknown = [a for a in options.filters.areas if a not in known]
    if unknown:
        raise BragError(
            f"no improvement area with id {', '.join(map(excerpt, unknown))} in "
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
    registry[options.format](status, out, options.color)
    return Exit.OK


@dataclass(frozen=True, slots=True)
class ReportOptions:
    as_of: date
    format: ReportFormat
    output: Path | None
    template: Path | None
    due_within: int
    max_bytes: int
    rev: str | None = None
    #: seconds a template may run (--template-timeout)
    template_timeout: float = 10.0


def run_report(folder: Path, options: ReportOptions, out: TextIO, err: TextIO) -> Exit:
    """`brag report`: the committee appendix through a template, to stdout or a file."""
    from bragcli.render.appendix import render_report
    from bragcli.render.appendix_context import report_context
    from bragcli.source.git import Commit, commit_of

    loaded, revision = load_at(folder, options.rev, err, max_bytes=options.max_bytes)
    if loaded is None:
        return Exit.FINDINGS
    assert loaded.plan is not None
    commit = commit_of(folder)
    if revision is not None:
        commit = Commit(sha=revision.sha, date=revision.date.isoformat(), dirty=False)
    context = report_context(
        loaded.plan,
        [s.area for s in loaded.areas],
        options.as_of,
        commit,
        due_within=options.due_within,
    )
    text = render_report(
        context, options.format, options.template, timeout=options.template_timeout
    )
    if options.output is None:
        out.write(text)
    else:
        from bragcli.outputs import write_text

        suffix = {"html": "html", "text": "txt"}.get(options.format, "md")
        hint = f"choose a file outside the plan folder, e.g. -o report.{suffix}"
        write_text(options.output, text, [folder], hint=hint)
        err.write(f"brag report: wrote {options.output}\n")
    return Exit.OK


def load_at(
    folder: Path, rev: str | None, err: TextIO, *, max_bytes: int
) -> tuple[LoadedPlan | None, Revision | None]:
    """The plan in the working tree (rev None) or at a revision, through the one pipeline of
    `source.load`. The plan is None when it has errors: they are printed on `err`, for a
    command that reports on a plan (brag check lists everything, warnings too)."""
    revision = None
    if rev is None:
        loaded = load_plan(folder, max_bytes=max_bytes)
    else:
        from bragcli.source.git import notes
        from bragcli.source.load import plan_at

        loaded, revision = plan_at(folder, rev, max_bytes=max_bytes)
        err.write(notes([revision]))
    errors = loaded.errors
    if errors or loaded.plan is None:
        for problem in errors:
            err.write(f"{problem}\n")
        err.write(
            f"brag: {display_path(folder)} has {len(errors)} error{'s' if len(errors) != 1 else ''}"
            "; fix them first (brag check lists them)\n"
        )
        return None, revision
    return loaded, revision


def append_step_summary(
    markdown: str, err: TextIO, plan_paths: Sequence[Path], command: str
) -> None:
    """Add to the GitHub Actions job summary when running there (GITHUB_STEP_SUMMARY).

    The summary is an extra: when it cannot be written (it names a plan file or a folder, its
    folder is missing, the disk is full) the command warns on one line and its exit code still
    follows its findings.
    """
    from bragcli.outputs import append_text

    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    hint = "point GITHUB_STEP_SUMMARY at a file outside the plan folder, or unset it"
    try:
        append_text(Path(target), markdown.rstrip("\n") + "\n\n", plan_paths, hint=hint)
    except BragError as e:
        err.write(f"brag {command}: warning: the job summary was not written: {e}\n")


@dataclass(frozen=True, slots=True)
class DiffOptions:
    format: DiffFormat
    color: ColorChoice
    max_bytes: int


def run_diff(
    folder: Path, revs: Sequence[str], options: DiffOptions, out: TextIO, err: TextIO
) -> Exit:
    """`brag diff`: no revision = HEAD vs working tree; one = REV vs working tree; two = A vs B."""
    import io

    from bragcli.compute.changes import diff_plans, summarise
    from bragcli.render import DIFF_FORMATS
    from bragcli.render.diff_formats import DiffResult, diff_markdown
    from bragcli.source.git import WORKTREE, Repository

    if len(revs) > 2:
        raise BragError("give at most two revisions: brag diff [REV_A] [REV_B]")
    if not folder.is_dir():
        raise BragError(f"{folder}: no such folder")
    Repository(folder).close()  # says clearly when the folder is not in git
    old_rev = revs[0] if revs else "HEAD"
    new_rev = revs[1] if len(revs) == 2 else None
    old, old_at = load_at(folder, old_rev, err, max_bytes=options.max_bytes)
    new, new_at = load_at(folder, new_rev, err, max_bytes=options.max_bytes)
    if old is None or new is None:
        return Exit.FINDINGS
    assert old.plan is not None and new.plan is not None
    changes = diff_plans(
        old.plan, [s.area for s in old.areas], new.plan, [s.area for s in new.areas]
    )
    overall, by_area = summarise(changes)
    titles = {s.area.id: s.area.title for s in (*old.areas, *new.areas)}
    result = DiffResult(
        old_rev, new_rev or WORKTREE, old_at, new_at, changes, overall, by_area, titles
    )
    DIFF_FORMATS[options.format](result, out, options.color)
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        buffer = io.StringIO()
        diff_markdown(result, buffer)
        append_step_summary(buffer.getvalue(), err, [folder], "diff")
    return Exit.OK


@dataclass(frozen=True, slots=True)
class TrendOptions:
    since: str | None
    by: TrendBy
    format: TrendFormat
    color: ColorChoice
    chart: Path | None
    as_of: date
    max_bytes: int


def run_trend(folder: Path, options: TrendOptions, out: TextIO, err: TextIO) -> Exit:
    from bragcli.compute.trend import build_trend
    from bragcli.render import TREND_FORMATS
    from bragcli.source.git import notes
    from bragcli.source.load import history

    if not folder.is_dir():
        raise BragError(f"{folder}: no such folder")
    revisions: list[Revision] = []
    snapshots = history(folder, since=options.since, max_bytes=options.max_bytes)
    trend = build_trend(plans_at(snapshots, revisions), monthly=options.by == "month")
    TREND_FORMATS[options.format](trend, out, options.color, options.as_of)
    shown = {point.revision.sha for point in trend.points}
    err.write(notes(r for r in revisions if r.sha in shown))
    if options.since is not None and not trend.points:
        err.write(
            f"brag trend: no commit touched {visible(display_path(folder))} since "
            f"{visible(options.since)}\n"
        )
    if options.chart is not None:
        from bragcli.render.chart import write_chart

        title = "BRAG ratings through history"
        write_chart(trend, options.chart, title, [folder])
        err.write(f"brag trend: wrote {options.chart}\n")
    return Exit.OK


def plans_at(snapshots: Iterable[Snapshot], revisions: list[Revision]) -> Iterator[PlanAt]:
    """The plan at each commit as compute takes it; each commit's Revision goes to
    `revisions` (for the notes on dates that git holds differently)."""
    from bragcli.compute.trend import CommitInfo, PlanAt

    for snapshot in snapshots:
        revision, loaded = snapshot.revision, snapshot.plan
        revisions.append(revision)
        yield PlanAt(
            CommitInfo(revision.sha, revision.date, revision.subject),
            loaded.plan,
            [source.area for source in loaded.areas],
            len(loaded.errors),
        )


@dataclass(frozen=True, slots=True)
class ImportOptions:
    output: Path
    title: str | None
    organisation: str | None
    partial: bool
    force: bool


def run_import(source: Path, options: ImportOptions, out: TextIO, err: TextIO) -> Exit:
    """`brag import`: a tracker spreadsheet into plan files. Nothing is written on any
    problem unless --partial; no existing file is replaced unless --force; the files are
    written all or none, never through a symbolic link, and each is read back first."""
    from bragcli.outputs import write_plan_files
    from bragcli.safetext import visible
    from bragcli.sheets.importer import import_actions, import_files
    from bragcli.sheets.read import read_rows
    from bragcli.sheets.yamlwrite import plan_yaml
    from bragcli.source.files import PLAN_FILE_NAMES

    if not source.is_file():
        raise BragError(f"{source}: no such file")
    imported = import_actions(read_rows(source))
    shown = visible(display_path(source))
    for problem in imported.problems:
        err.write(f"{shown}: row {problem.row}: {problem.message}\n")
    if imported.ignored_columns:
        ignored = ", ".join(visible(c) for c in imported.ignored_columns)
        err.write(f"brag import: ignored columns: {ignored}\n")
    if imported.problems and not options.partial:
        count = len(imported.problems)
        err.write(
            f"brag import: nothing written: {count} row{'s' if count != 1 else ''} could not "
            "be imported; fix them, or use --partial to import the other rows\n"
        )
        return Exit.FINDINGS
    if not imported.areas:
        raise BragError(f"{source}: no action to import")

    folder = options.output
    if os.path.lexists(folder) and not folder.is_dir():
        raise BragError(
            f"{visible(str(folder))} is not a folder: give -o the folder to write the plan into"
        )
    plan_text = None
    # A dangling plan.yaml link is no plan: writing plan.yaml is then refused, not followed.
    if not any(os.path.exists(folder / name) for name in PLAN_FILE_NAMES):
        if not options.organisation:
            raise BragError(
                f"{folder / 'plan.yaml'} does not exist yet: give --organisation (and --title) "
                "for it"
            )
        plan_text = plan_yaml(options.title or _title_from(source), options.organisation)
    files = import_files(imported, plan_text)
    existing = _area_files_in(folder)
    if existing and not options.force:
        raise BragError(
            f"{folder} already has area files ({', '.join(map(visible, existing[:5]))}"
            f"{', ...' if len(existing) > 5 else ''}); import into a new folder, or "
            "--force to replace files of the same name"
        )
    _refuse_id_clashes(folder, [n for n in existing if n not in files], imported.areas)
    # The plan files are the result; what was written is said on standard error.
    for path in write_plan_files(folder, files, replace=options.force):
        err.write(f"wrote {path}\n")
    actions = sum(len(a.actions) for a in imported.areas)
    err.write(
        f"imported {actions} action{'s' if actions != 1 else ''} in {len(imported.areas)} "
        f"area{'s' if len(imported.areas) != 1 else ''}; next: brag check {folder}\n"
    )
    return Exit.OK


def _area_files_in(folder: Path) -> list[str]:
    """The names of the area files already in `folder` (none when it does not exist)."""
    from bragcli.source.files import PLAN_FILE_NAMES, plan_file_names

    if not folder.is_dir():
        return []
    try:
        names = os.listdir(folder)
    except OSError as e:
        raise BragError(f"{folder}: cannot be read: {e.strerror or e}") from e
    return [name for name in plan_file_names(names) if name not in PLAN_FILE_NAMES]


def _refuse_id_clashes(folder: Path, kept: Sequence[str], areas: Sequence[Area]) -> None:
    """With --force, area files that stay must not hold an id the import writes again."""
    from bragcli.safetext import excerpt
    from bragcli.source.files import read_file
    from bragcli.source.load import AreaSource, area_result

    area_ids = {a.id for a in areas}
    action_ids = {x.id for a in areas for x in a.actions}
    for name in kept:
        path = folder / name
        if path.is_symlink():
            continue  # never followed; brag check reports it
        result = area_result(read_file(path, display_path(path)), positions=False)
        if not isinstance(result, AreaSource):
            continue
        clash = (
            f"area {excerpt(result.area.id)}"
            if result.area.id in area_ids
            else next(
                (f"action {excerpt(x.id)}" for x in result.area.actions if x.id in action_ids),
                None,
            )
        )
        if clash is not None:
            raise BragError(
                f"{display_path(path)} already holds {clash}, which the import writes too, so "
                "brag check would find it twice; nothing written: remove that file, or import "
                "into a new folder"
            )


def _title_from(source: Path) -> str:
    words = re.sub(r"[_-]+", " ", source.stem).strip()
    return words[:1].upper() + words[1:] if words else "Improvement plan"


@dataclass(frozen=True, slots=True)
class ExportOptions:
    format: ExportFormat
    output: Path
    as_of: date
    max_bytes: int
    rev: str | None = None


def run_export(folder: Path, options: ExportOptions, out: TextIO, err: TextIO) -> Exit:
    """`brag export`: one row per action, as CSV or xlsx, for colleagues without git."""
    from bragcli.outputs import refuse_unsafe, write_bytes
    from bragcli.sheets.exporter import csv_bytes, export_rows, xlsx_bytes

    hint = f"choose a file outside the plan folder, e.g. -o actions.{options.format}"
    refuse_unsafe(options.output, [folder], hint=hint)  # before any work
    loaded, _revision = load_at(folder, options.rev, err, max_bytes=options.max_bytes)
    if loaded is None:
        return Exit.FINDINGS
    assert loaded.plan is not None
    rows = export_rows(loaded.plan, [s.area for s in loaded.areas], options.as_of)
    data = xlsx_bytes(rows) if options.format == "xlsx" else csv_bytes(rows)
    write_bytes(options.output, data, [folder], hint=hint)
    err.write(f"brag export: wrote {len(rows) - 1} actions to {options.output}\n")
    return Exit.OK
