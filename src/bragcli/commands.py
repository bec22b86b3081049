"""What each command does, apart from click: read the plan, compute, render, return an exit code.

Imports of renderers happen inside the functions so that a command pays only for what it uses
(`brag check` never imports jinja2 or rich).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bragcli.load import LoadedPlan, display_path, load_plan
from bragcli.problems import BragError, Exit, Level, Problem

if TYPE_CHECKING:
    from bragcli.history import Revision
    from bragcli.rollup import Filters


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
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        from bragcli.render.problems import markdown_summary

        append_step_summary(markdown_summary(problems, files))
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
    rev: str | None = None


def run_status(
    folder: Path, options: StatusOptions, out: TextIO, err: TextIO, *, per_action: bool = False
) -> Exit:
    """`brag status` (the roll-up) or, with per_action, `brag actions` (one row per action)."""
    from bragcli.render import ACTIONS_FORMATS, STATUS_FORMATS, render
    from bragcli.rollup import build_status

    loaded, _revision = load_at(folder, options.rev, err, max_bytes=options.max_bytes)
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
    rev: str | None = None


def run_report(folder: Path, options: ReportOptions, out: TextIO, err: TextIO) -> Exit:
    """`brag report`: the committee appendix through a template, to stdout or a file."""
    from bragcli.gitinfo import Commit, commit_of
    from bragcli.render.report import render_report
    from bragcli.report import report_context

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


def _loaded_or_report(loaded: LoadedPlan, folder: Path, err: TextIO) -> LoadedPlan | None:
    if loaded.errors or loaded.plan is None:
        for problem in loaded.errors:
            err.write(f"{problem}\n")
        err.write(
            f"brag: {display_path(folder)} has {len(loaded.errors)} error"
            f"{'s' if len(loaded.errors) != 1 else ''}; fix them first (brag check lists them)\n"
        )
        return None
    return loaded


def load_at(
    folder: Path, rev: str | None, err: TextIO, *, max_bytes: int
) -> tuple[LoadedPlan | None, Revision | None]:
    """The plan in the working tree (rev None) or at a revision; None (reported) on errors."""
    if rev is None:
        return load_or_report(folder, err, max_bytes=max_bytes), None
    from bragcli.history import notes, plan_at

    if not folder.is_dir():
        raise BragError(f"{folder}: no such folder")
    loaded, revision = plan_at(folder, rev, max_bytes=max_bytes)
    err.write(notes([revision]))
    return _loaded_or_report(loaded, folder, err), revision


def append_step_summary(markdown: str) -> None:
    """Add to the GitHub Actions job summary when running there (GITHUB_STEP_SUMMARY)."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as summary:
            summary.write(markdown.rstrip("\n") + "\n\n")


@dataclass(frozen=True, slots=True)
class DiffOptions:
    format: str
    color: bool
    max_bytes: int


def run_diff(
    folder: Path, revs: Sequence[str], options: DiffOptions, out: TextIO, err: TextIO
) -> Exit:
    """`brag diff`: no revision = HEAD vs working tree; one = REV vs working tree; two = A vs B."""
    import io

    from bragcli.changes import diff_plans, summarise
    from bragcli.history import WORKTREE, Repository
    from bragcli.render.history import DIFF_FORMATS, DiffResult, diff_markdown

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
    changes = diff_plans(old, new)
    overall, by_area = summarise(changes)
    titles = {s.area.id: s.area.title for s in (*old.areas, *new.areas)}
    result = DiffResult(
        old_rev, new_rev or WORKTREE, old_at, new_at, changes, overall, by_area, titles
    )
    DIFF_FORMATS[options.format](result, out, options.color)
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        buffer = io.StringIO()
        diff_markdown(result, buffer)
        append_step_summary(buffer.getvalue())
    return Exit.OK


@dataclass(frozen=True, slots=True)
class TrendOptions:
    since: str | None
    by: str
    format: str
    color: bool
    chart: Path | None
    as_of: date
    max_bytes: int


def run_trend(folder: Path, options: TrendOptions, out: TextIO, err: TextIO) -> Exit:
    from bragcli.history import history
    from bragcli.render.history import TREND_FORMATS
    from bragcli.trend import build_trend, notes

    if not folder.is_dir():
        raise BragError(f"{folder}: no such folder")
    trend = build_trend(
        history(folder, since=options.since, max_bytes=options.max_bytes), by=options.by
    )
    TREND_FORMATS[options.format](trend, out, options.color, options.as_of)
    err.write(notes(trend, options.since, display_path(folder)))
    if options.chart is not None:
        from bragcli.render.chart import write_chart

        title = "BRAG ratings through history"
        write_chart(trend, options.chart, title)
        err.write(f"brag trend: wrote {options.chart}\n")
    return Exit.OK


@dataclass(frozen=True, slots=True)
class ImportOptions:
    output: Path
    title: str | None
    organisation: str | None
    partial: bool
    force: bool


def _area_file_name(area_id: str, title: str) -> str:
    """'02-the-sufficiency-and-stability-of-staff.yaml': sortable, readable, safe."""
    number = area_id.zfill(2) if area_id.isdigit() else area_id
    slug = ""
    for word in re.findall(r"[a-z0-9]+", title.lower()):
        if slug and len(slug) + 1 + len(word) > 40:
            break
        slug = f"{slug}-{word}" if slug else word[:40]
    stem = re.sub(r"[^A-Za-z0-9._-]", "-", f"{number}-{slug}" if slug else number)
    return f"{stem}.yaml"


def run_import(source: Path, options: ImportOptions, out: TextIO, err: TextIO) -> Exit:
    """`brag import`: a tracker spreadsheet into plan files. Nothing is written on any
    problem unless --partial; no existing file is replaced unless --force."""
    from bragcli.spreadsheet import area_yaml, import_actions, plan_yaml, read_rows

    if not source.is_file():
        raise BragError(f"{source}: no such file")
    imported = import_actions(read_rows(source))
    for problem in imported.problems:
        err.write(f"{display_path(source)}: row {problem.row}: {problem.message}\n")
    if imported.ignored_columns:
        err.write(f"brag import: ignored columns: {', '.join(imported.ignored_columns)}\n")
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
    files = {_area_file_name(a.id, a.title): area_yaml(a) for a in imported.areas}
    plan_file = folder / "plan.yaml"
    if not plan_file.exists():
        if not options.organisation:
            raise BragError(
                f"{plan_file} does not exist yet: give --organisation (and --title) for it"
            )
        files["plan.yaml"] = plan_yaml(options.title or _title_from(source), options.organisation)
    existing_yaml = sorted(
        p.name for p in folder.glob("*.y*ml") if p.name != "plan.yaml"
    ) if folder.is_dir() else []  # fmt: skip
    if existing_yaml and not options.force:
        raise BragError(
            f"{folder} already has area files ({', '.join(existing_yaml[:5])}"
            f"{', ...' if len(existing_yaml) > 5 else ''}); import into a new folder, or "
            "--force to replace files of the same name"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        out.write(f"wrote {folder / name}\n")
    actions = sum(len(a.actions) for a in imported.areas)
    out.write(
        f"imported {actions} action{'s' if actions != 1 else ''} in {len(imported.areas)} "
        f"area{'s' if len(imported.areas) != 1 else ''}; next: brag check {folder}\n"
    )
    return Exit.OK


def _title_from(source: Path) -> str:
    words = re.sub(r"[_-]+", " ", source.stem).strip()
    return words[:1].upper() + words[1:] if words else "Improvement plan"


@dataclass(frozen=True, slots=True)
class ExportOptions:
    format: str
    output: Path
    as_of: date
    max_bytes: int
    rev: str | None = None


def run_export(folder: Path, options: ExportOptions, out: TextIO, err: TextIO) -> Exit:
    """`brag export`: one row per action, as CSV or xlsx, for colleagues without git."""
    from bragcli.spreadsheet import export_rows, write_csv, write_xlsx

    loaded, _revision = load_at(folder, options.rev, err, max_bytes=options.max_bytes)
    if loaded is None:
        return Exit.FINDINGS
    assert loaded.plan is not None
    rows = export_rows(loaded.plan, [s.area for s in loaded.areas], options.as_of)
    writer = write_xlsx if options.format == "xlsx" else write_csv
    try:
        writer(rows, options.output)
    except OSError as e:
        raise BragError(f"{options.output}: cannot write: {e.strerror or e}") from e
    err.write(f"brag export: wrote {len(rows) - 1} actions to {options.output}\n")
    return Exit.OK


def load_or_report(folder: Path, err: TextIO, *, max_bytes: int) -> LoadedPlan | None:
    """Load a plan for a reporting command; on errors, print them and return None."""
    return _loaded_or_report(load_plan(folder, max_bytes=max_bytes), folder, err)
