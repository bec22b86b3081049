"""Changing a plan in place: `brag set`, and the update that `brag import --update` makes.

One pipeline for both: the changes are made to each area file's text by `planedit` (only
the changed values; every other byte kept), the changed plan is loaded from those texts and
checked, and only when it has no problem `brag check` did not already report is anything
written, all files or none (`outputs.write_plan_files`). The change set is printed in the
form of `brag diff`, with --dry-run and without.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bragcli.model import Action, Area, Note, Rating, id_key
from bragcli.planedit import ActionChange, PlanUpdate
from bragcli.problems import BragError, Exit, Level, Problem
from bragcli.safetext import display_path, excerpt, visible
from bragcli.source.files import File, WorkTree

if TYPE_CHECKING:
    from bragcli.render import ColorChoice, DiffFormat
    from bragcli.source.load import AreaSource, LoadedPlan


@dataclass(frozen=True, slots=True)
class UpdateOptions:
    dry_run: bool
    format: DiffFormat
    color: ColorChoice
    as_of: date
    command: str


class _Edited(WorkTree):
    """The plan folder with some files' bytes replaced (and new files added)."""

    def __init__(self, folder: Path, texts: dict[str, bytes]) -> None:
        super().__init__(folder)
        self.texts = texts

    def names(self) -> list[str]:
        from bragcli.source.files import plan_file_names

        return plan_file_names({*super().names(), *self.texts})

    def open(self, name: str, shown: str) -> File | Problem:
        if name in self.texts:
            data = self.texts[name]
            return File(None, lambda: data)
        return super().open(name, shown)


def find_action(loaded: LoadedPlan, action_id: str) -> tuple[AreaSource, Action]:
    """The area and action of `action_id` (compared as `id_key`), or a BragError with the
    nearest ids."""
    wanted = id_key(action_id)
    for source in loaded.areas:
        for action in source.area.actions:
            if id_key(action.id) == wanted:
                return source, action
    known = [a.id for s in loaded.areas for a in s.area.actions]
    skeleton = _skeleton(action_id)
    guess = [k for k in known if _skeleton(k) == skeleton] or difflib.get_close_matches(
        action_id[:100], known, n=1, cutoff=0.6
    )
    hint = f"; did you mean {excerpt(guess[0])}?" if guess else "; brag actions lists the ids"
    raise BragError(f"no action {excerpt(action_id)} in {display_path(loaded.folder)}{hint}")


#: Letters typed or pasted for the digits they look like.
_LOOK_ALIKES = str.maketrans({"l": "1", "i": "1", "|": "1", "o": "0"})


def _skeleton(action_id: str) -> str:
    return id_key(action_id).translate(_LOOK_ALIKES)


def _file_names(folder: Path) -> dict[str, str]:
    """How each plan file is shown -> its name in the folder."""
    tree = WorkTree(folder)
    return {tree.shown(name): name for name in tree.names()}


def _differing(before: Action | Area, values: dict[str, Any]) -> dict[str, Any]:
    """Only the values that differ from what `before` holds."""
    differing = {}
    for key, value in values.items():
        old = getattr(before, key)
        if isinstance(old, list):
            same = list(old) == ([value] if isinstance(value, str) else list(value))
        elif isinstance(old, Rating):
            same = old.value == str(value)
        else:
            same = old == value
        if not same:
            differing[key] = value
    return differing


def _changed_fields(before: Action, change: ActionChange) -> ActionChange:
    """Only the values that differ from the action's, and the notes it does not have."""
    have = {note.written for note in before.progress}
    notes = tuple(n for n in change.notes if n.written not in have)
    return ActionChange(change.id, _differing(before, change.values), notes)


def edit_files(loaded: LoadedPlan, update: PlanUpdate) -> tuple[dict[str, bytes], list[str]]:
    """The new bytes of each file the update changes (name -> bytes) and one line per action
    saying what changed. Raises BragError when a change cannot be made safely."""
    from bragcli.planedit import ACTION_KEY_ORDER, AREA_KEY_ORDER, AreaEdit, EditRefused
    from bragcli.sheets.importer import area_file_name
    from bragcli.sheets.yamlwrite import area_yaml

    folder = loaded.folder
    names = _file_names(folder)
    edits: dict[str, AreaEdit] = {}
    said: list[str] = []

    def edit_of(source: AreaSource) -> AreaEdit:
        name = names[source.path]
        if name not in edits:
            path = folder / name
            if path.is_symlink():
                raise BragError(
                    f"{display_path(path)} is a symbolic link: bragcli never writes a plan file "
                    "through a link; replace the link by the file, or make the change by hand"
                )
            edits[name] = AreaEdit(path.read_bytes(), source.path, source.area)
        return edits[name]

    order = {key: n for n, key in enumerate(ACTION_KEY_ORDER)}
    index = {id_key(a.id): (s, a) for s in loaded.areas for a in s.area.actions}

    def found(action_id: str) -> tuple[AreaSource, Action]:
        return index.get(id_key(action_id)) or find_action(loaded, action_id)

    try:
        areas = {id_key(source.area.id): source for source in loaded.areas}
        for area_change in update.area_changes:
            source = areas[id_key(area_change.id)]
            values = _differing(source.area, area_change.values)
            keys = sorted(values, key=AREA_KEY_ORDER.index)
            for key in keys:
                edit_of(source).set_area_value(key, values[key])
            if keys:
                said.append(f"area {source.area.id}: {', '.join(keys)}")
        for change in update.changes:
            source, action = found(change.id)
            change = _changed_fields(action, change)
            if not change.values and not change.notes:
                continue
            edit = edit_of(source)
            for key in sorted(change.values, key=lambda k: order.get(k, 99)):
                edit.set_value(action.id, key, change.values[key])
            edit.add_notes(action.id, change.notes)
            parts = list(sorted(change.values, key=lambda k: order.get(k, 99)))
            if change.notes:
                count = len(change.notes)
                parts.append(f"{count} note{'s' if count != 1 else ''} added")
            said.append(f"{action.id}: {', '.join(parts)}")
        by_area = {source.area.id: source for source in loaded.areas}
        for area_id, action in update.added:
            edit_of(by_area[area_id]).add_action(action)
            said.append(f"{action.id}: added to area {area_id}")
        for action_id in update.removed:
            source, action = found(action_id)
            edit_of(source).remove_action(action.id)
            said.append(f"{action.id}: removed from area {source.area.id}")
        files = {name: edit.finish() for name, edit in edits.items() if edit.changed}
    except EditRefused as e:
        raise BragError(f"nothing written: {e}") from e
    taken = {name.casefold() for name in names.values()}
    for area in update.new_areas:
        name = area_file_name(area.id, area.title)
        if name.casefold() in taken:
            raise BragError(
                f"nothing written: area {excerpt(area.id)} would be written to {name}, which "
                "exists; give the new area another id"
            )
        taken.add(name.casefold())
        files[name] = area_yaml(area).encode("utf-8")
        said.append(f"area {area.id}: new file {name} with {len(area.actions)} actions")
    return files, [visible(line) for line in said]


def _problem_key(problem: Problem) -> tuple[str, str, str]:
    return (problem.path, str(problem.level), problem.code)


def new_problems(before: LoadedPlan, after: LoadedPlan, as_of: date) -> list[Problem]:
    """The problems of `after` (errors and brag check's warnings) that `before` did not have
    (compared by file, level and code, so lines that moved are the same problem)."""
    from bragcli.rules.run import RuleChoices, run_checks

    old = Counter(
        _problem_key(p) for p in [*before.problems, *run_checks(before, as_of, RuleChoices())]
    )
    found = []
    for problem in [*after.problems, *run_checks(after, as_of, RuleChoices())]:
        key = _problem_key(problem)
        if old[key]:
            old[key] -= 1
        else:
            found.append(problem)
    return found


def apply_update(
    loaded: LoadedPlan, update: PlanUpdate, options: UpdateOptions, out: TextIO, err: TextIO
) -> Exit:
    """Make `update` to the plan folder of `loaded` (a plan without errors): print the change
    set as `brag diff` does, then write every changed file, or none (--dry-run, or a problem)."""
    from bragcli.compute.changes import diff_plans, summarise
    from bragcli.outputs import write_plan_files
    from bragcli.render import DIFF_FORMATS
    from bragcli.render.diff_formats import DiffResult
    from bragcli.source.load import Loader

    folder = loaded.folder
    command = f"brag {options.command}"
    files, said = edit_files(loaded, update)
    after = Loader().load(_Edited(folder, files))
    found = new_problems(loaded, after, options.as_of)
    assert loaded.plan is not None
    if after.plan is not None and not after.errors:
        changes = diff_plans(
            loaded.plan, [s.area for s in loaded.areas], after.plan, [s.area for s in after.areas]
        )
        overall, by_area = summarise(changes)
        titles = {s.area.id: s.area.title for s in (*loaded.areas, *after.areas)}
        to = "the plan with these changes" + (
            " (--dry-run: not written)" if options.dry_run else ""
        )
        result = DiffResult("the plan", to, None, None, changes, overall, by_area, titles)
        DIFF_FORMATS[options.format](result, out, options.color)
        out.flush()  # the change set before what is said about it on standard error
    for line in said:
        err.write(f"{command}: {line}\n")
    if found:
        for problem in sorted(found, key=Problem.sort_key):
            err.write(f"{problem}\n")
        errors = sum(1 for p in found if p.level is Level.ERROR)
        count = len(found)
        err.write(
            f"{command}: nothing written: the change gives {count} new "
            f"{'error' if errors == count else 'problem'}{'s' if count != 1 else ''} "
            f"(above) that brag check --as-of {options.as_of.isoformat()} would report; "
            "change the values, or fix the plan first\n"
        )
        return Exit.FINDINGS
    if not files:
        err.write(f"{command}: nothing to change: the plan already says this\n")
        return Exit.OK
    if options.dry_run:
        count = len(files)
        err.write(
            f"{command}: nothing written (--dry-run); {count} file{'s' if count != 1 else ''} "
            "would change\n"
        )
        return Exit.OK
    for path in write_plan_files(folder, files, replace=True):
        err.write(f"wrote {display_path(path)}\n")
    return Exit.OK


# --- brag set ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetOptions:
    folder: Path
    status: Rating | None
    impact: Rating | None
    deadline: str | None
    lead: tuple[str, ...]
    notes: tuple[str, ...]
    note_date: date | None
    updated: date | None
    update: UpdateOptions


def set_change(action_id: str, options: SetOptions) -> ActionChange:
    """The change `brag set` makes to one action; BragError for a value that cannot be written."""
    values: dict[str, Any] = {}
    if options.status is not None:
        values["status"] = options.status.value
    if options.impact is not None:
        values["impact"] = options.impact.value
    if options.deadline is not None:
        values["deadline"] = _one_line("--deadline", options.deadline)
    if options.lead:
        values["lead"] = [_one_line("--lead", lead) for lead in options.lead]
    if options.updated is not None:
        values["updated"] = options.updated
    notes = tuple(
        Note(text=_one_line("--note", text), date=options.note_date) for text in options.notes
    )
    return ActionChange(action_id, values, notes)


def _one_line(option: str, text: str) -> str:
    """Text for a plan value: one line of visible text, not blank."""
    stripped = text.strip()
    if not stripped:
        raise BragError(f"{option} is empty; give the text, e.g. {option} 'Board agreed'")
    if stripped != visible(stripped) or "\n" in stripped:
        raise BragError(
            f"{option} {excerpt(stripped)} holds a line break or a control character; give "
            "one line of plain text"
        )
    return stripped


def run_set(ids: Sequence[str], options: SetOptions, out: TextIO, err: TextIO) -> Exit:
    """`brag set`: change actions in place, with the guarantees of `apply_update`."""
    from bragcli.commands.loading import load_at

    if not ids:
        raise BragError("give the id of the action to change, e.g. brag set 2.1 --status green")
    if (
        not (options.status or options.impact or options.deadline or options.lead or options.notes)
        and options.updated is None
    ):
        raise BragError(
            "nothing to change: give --status, --impact, --deadline, --lead, --note or --updated"
        )
    if options.note_date is not None and not options.notes:
        raise BragError("--note-date dates a note: give --note TEXT too")
    loaded, _ = load_at(options.folder, None, err, max_bytes=_max_bytes())
    if loaded is None:
        return Exit.FINDINGS
    seen: set[str] = set()
    changes = []
    for action_id in ids:
        _source, action = find_action(loaded, action_id)
        if id_key(action.id) in seen:
            continue
        seen.add(id_key(action.id))
        changes.append(set_change(action.id, options))
    return apply_update(loaded, PlanUpdate(changes=changes), options.update, out, err)


def _max_bytes() -> int:
    from bragcli.source.yamlread import MAX_FILE_BYTES

    return MAX_FILE_BYTES
