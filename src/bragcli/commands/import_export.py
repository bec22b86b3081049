"""`brag import` and `brag export`: the plan from and to a tracker spreadsheet."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bragcli.commands.loading import load_at
from bragcli.problems import BragError, Exit
from bragcli.safetext import display_path

if TYPE_CHECKING:
    from bragcli.commands.update import UpdateOptions
    from bragcli.model import Area
    from bragcli.render import (
        ExportFormat,
    )
    from bragcli.sheets.importer import Imported
    from bragcli.sheets.merge import Side
    from bragcli.sheets.planbook import AreaRow
    from bragcli.sheets.provenance import Provenance


@dataclass(frozen=True, slots=True)
class ImportOptions:
    output: Path
    title: str | None
    organisation: str | None
    partial: bool
    force: bool
    #: --update: change the plan in `output` in place (None: write a new plan)
    update: UpdateOptions | None = None
    remove_missing: bool = False
    side: Side = "ask"


def run_import(source: Path, options: ImportOptions, out: TextIO, err: TextIO) -> Exit:
    """`brag import`: a tracker spreadsheet into plan files. Nothing is written on any
    problem unless --partial; no existing file is replaced unless --force; the files are
    written all or none, never through a symbolic link, and each is read back first.
    With --update, the plan is changed in place instead (`run_update_import`)."""
    from bragcli.outputs import write_plan_files
    from bragcli.safetext import visible
    from bragcli.sheets.importer import import_actions, import_files
    from bragcli.sheets.provenance import locate
    from bragcli.sheets.read import actions_sheet, read_sheets
    from bragcli.sheets.yamlwrite import plan_yaml
    from bragcli.source.files import PLAN_FILE_NAMES

    if not source.is_file():
        raise BragError(f"{source}: no such file")
    notes: list[str] = []
    sheets = read_sheets(source, notes=notes)
    for note in notes:
        err.write(f"brag import: {visible(note)}\n")
    shown = visible(display_path(source))
    located = locate(actions_sheet(sheets))
    for warning in located.warnings:
        err.write(f"{shown}: {visible(warning)}\n")
    imported = import_actions(located.rows)
    rows_of_areas: tuple[list[AreaRow], frozenset[str]] = ([], frozenset())
    if options.update is not None:  # the areas' own fields, from the Areas sheet
        from bragcli.sheets.planbook import area_rows

        found_rows, columns, area_problems = area_rows(sheets)
        rows_of_areas = (found_rows, columns)
        imported = dataclasses.replace(imported, problems=[*imported.problems, *area_problems])
    for problem in imported.problems:
        err.write(f"{shown}: {visible(str(problem))}\n")
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
    if options.update is not None:
        return run_update_import(
            source, sheets, imported, located.found, rows_of_areas, options, out, err
        )
    from bragcli.sheets.planbook import complete_areas, plan_from_sheets

    whole_plan = plan_from_sheets(sheets)
    imported = _with_other_sheets(imported, complete_areas(imported.areas, sheets))
    if not imported.areas:
        raise BragError(f"{source}: no action to import")

    folder = options.output
    if os.path.lexists(folder) and not folder.is_dir():
        raise BragError(
            f"{visible(str(folder))} is not a folder: give -o the folder to write the plan into"
        )
    plan_text = None
    # A dangling plan.yaml link is no plan: writing plan.yaml is then refused, not followed.
    if not any(os.path.exists(folder / name) for name in PLAN_FILE_NAMES) and whole_plan:
        from bragcli.sheets.yamlwrite import full_plan_yaml

        plan_text = full_plan_yaml(whole_plan)
    elif not any(os.path.exists(folder / name) for name in PLAN_FILE_NAMES):
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


def _with_other_sheets(imported: Imported, areas: list[Area]) -> Imported:
    """`imported` with its areas completed from the workbook's other sheets (and a file name
    for each area they add)."""
    from bragcli.sheets.importer import area_file_name

    names = dict(imported.file_names)
    for area in areas:
        if area.id not in names:
            try:
                names[area.id] = area_file_name(area.id, area.title)
            except ValueError as e:
                raise BragError(f"sheet Areas: {e}") from e
    return dataclasses.replace(imported, areas=areas, file_names=names)


def about_sheet(sheets: dict[str, list[list[str]]]) -> dict[str, str]:
    """The hidden About sheet export writes: name -> value (empty when there is none)."""
    from bragcli.sheets.exporter import ABOUT_SHEET

    return {
        row[0].strip().lower(): row[1].strip()
        for row in sheets.get(ABOUT_SHEET, [])
        if len(row) >= 2 and row[0].strip()
    }


#: How the import goes on when the sheet gives no base to compare with.
_NO_BASE = "the sheet's value is taken wherever it differs from the plan"


def sheet_provenance(
    sheets: dict[str, list[list[str]]], found: tuple[int, str] | None, shown: str, err: TextIO
) -> Provenance | None:
    """Where the sheet says it came from (its About sheet, or else its export row), checked;
    None, said once on `err` with the reason, when it says nothing that can be used."""
    from bragcli.safetext import visible
    from bragcli.sheets.provenance import parse_about, parse_export_row

    now = datetime.now(UTC)
    about = about_sheet(sheets)
    if about:
        if found is not None:
            err.write(
                f"brag import: {shown}: row {found[0]}, bragcli's export row, is not used: the "
                "workbook's About sheet says where it came from\n"
            )
        try:
            return parse_about(about, now)
        except ValueError as e:
            reason = visible(str(e))
            err.write(f"brag import: {shown}: the About sheet is not used: {reason}; {_NO_BASE}\n")
            return None
    if found is None:
        err.write(
            f"brag import: {shown} does not say which commit it came from (no About sheet or "
            f"export row); {_NO_BASE}\n"
        )
        return None
    try:
        return parse_export_row(found[1], now)
    except ValueError as e:
        err.write(
            f"brag import: {shown}: row {found[0]}, bragcli's export row, is not used: "
            f"{visible(str(e))}; {_NO_BASE}\n"
        )
        return None


def _base_areas(
    folder: Path, provenance: Provenance | None, shown: str, err: TextIO
) -> list[Area] | None:
    """The plan's areas as the sheet was exported from them, when the sheet says (a commit,
    of a plan with nothing uncommitted) and git still has them."""
    from bragcli.render.wording import uk_date
    from bragcli.source.git import Repository
    from bragcli.source.load import plan_at

    if provenance is None:
        return None
    if not provenance.revision:
        err.write(f"brag import: {shown} was exported from a plan not in git; {_NO_BASE}\n")
        return None
    commit = f"commit {provenance.short}"
    if provenance.changed:
        err.write(
            f"brag import: {shown} was exported from a plan with uncommitted changes; {_NO_BASE}\n"
        )
        return None
    try:
        Repository(folder).close()
    except BragError:
        err.write(
            f"brag import: {shown} was exported from {commit}, but {display_path(folder)} is not "
            f"in git; {_NO_BASE}\n"
        )
        return None
    try:
        base, _ = plan_at(folder, provenance.revision)
    except BragError:
        err.write(
            f"brag import: {shown} was exported from {commit}, which this repository lacks "
            f"(another copy of the plan?); {_NO_BASE}\n"
        )
        return None
    err.write(
        f"brag import: {shown} was exported from {commit} on "
        f"{uk_date(provenance.exported.date())}; the plan's changes since then are kept\n"
    )
    return [s.area for s in base.areas]


def run_update_import(
    source: Path,
    sheets: dict[str, list[list[str]]],
    imported: Imported,
    found: tuple[int, str] | None,
    areas: tuple[list[AreaRow], frozenset[str]],
    options: ImportOptions,
    out: TextIO,
    err: TextIO,
) -> Exit:
    """`brag import --update`: the sheet's changes made to the plan in place (`sheets.merge`
    decides them, `commands.update.apply_update` makes them)."""
    from bragcli.commands.update import apply_update
    from bragcli.render.wording import plural
    from bragcli.safetext import visible
    from bragcli.sheets.merge import merge

    assert options.update is not None
    folder = options.output
    loaded, _ = load_at(folder, None, err, max_bytes=_max_bytes())
    if loaded is None:
        return Exit.FINDINGS
    shown = visible(display_path(source))
    base = _base_areas(folder, sheet_provenance(sheets, found, shown, err), shown, err)
    merged = merge(
        imported,
        [s.area for s in loaded.areas],
        base,
        remove_missing=options.remove_missing,
        side=options.side,
        area_rows=areas[0],
        area_columns=areas[1],
    )
    for notice in merged.notices:
        err.write(f"{shown}: {visible(notice)}\n")
    for conflict in merged.conflicts:
        err.write(f"{shown}: conflict: {visible(str(conflict))}\n")
    if merged.conflicts and options.side == "ask":
        ids = sorted({(c.scope, c.id) for c in merged.conflicts}, key=lambda s: s[0] != "area")
        named = ", ".join(f"{'area ' if scope == 'area' else ''}{visible(i)}" for scope, i in ids)
        actions = sum(1 for scope, _ in ids if scope == "action")
        what = [plural(actions, "action")] if actions else []
        what += [plural(len(ids) - actions, "area")] if len(ids) > actions else []
        err.write(
            f"brag import: {' and '.join(what)} not changed because of conflicts ({named}); "
            "--theirs takes the sheet's values, --ours keeps the plan's\n"
        )
    code = apply_update(loaded, merged.update, options.update, out, err)
    if code is Exit.OK and merged.conflicts and options.side == "ask":
        return Exit.FINDINGS
    return code


def _max_bytes() -> int:
    from bragcli.source.yamlread import MAX_FILE_BYTES

    return MAX_FILE_BYTES


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
    #: --source TEXT: only the actions whose source contains it
    source: str | None = None


def run_export(folder: Path, options: ExportOptions, out: TextIO, err: TextIO) -> Exit:
    """`brag export`: one row per action, as CSV or xlsx, for colleagues without git."""
    from bragcli.commands.report import prepared_time
    from bragcli.outputs import is_stdout, refuse_unsafe, write_result
    from bragcli.sheets.exporter import csv_bytes, export_rows, plan_sheets, xlsx_bytes
    from bragcli.sheets.provenance import about_entries, current, export_row

    hint = f"choose a file outside the plan folder, e.g. -o actions.{options.format}"
    binary = "xlsx" if options.format == "xlsx" else None
    if is_stdout(options.output):  # before any work
        write_result(options.output, b"", out, binary=binary)
    else:
        refuse_unsafe(options.output, [folder], hint=hint)
    loaded, revision = load_at(folder, options.rev, err, max_bytes=options.max_bytes)
    if loaded is None:
        return Exit.FINDINGS
    assert loaded.plan is not None
    areas = [s.area for s in loaded.areas]
    if options.source is not None:
        from bragcli.compute.rollup import source_matches

        wanted = options.source
        areas = [
            area.model_copy(
                update={"actions": [a for a in area.actions if source_matches(a, wanted)]}
            )
            for area in areas
        ]
    rows = export_rows(loaded.plan, areas, options.as_of)
    made = current(folder, revision, prepared_time())
    if options.format == "xlsx":
        data = xlsx_bytes(rows, plan_sheets(loaded.plan, areas, about_entries(made)))
    else:
        data = csv_bytes([[export_row(made)], *rows])
    if write_result(options.output, data, out, [folder], hint=hint, binary=binary):
        err.write(f"brag export: wrote {len(rows) - 1} actions to {options.output}\n")
    return Exit.OK
