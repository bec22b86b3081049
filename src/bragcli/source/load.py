"""Find a plan's files, read them, and turn them into models or positioned problems.

One broken file never hides the others: every file is read and validated, and the result
carries all the models that loaded and all the problems found on the way.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import os
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bragcli import deadlines
from bragcli.model import Action, Area, Plan, Rating, id_key, natural_key
from bragcli.problems import BragError, Level, Problem, error
from bragcli.safetext import excerpt, visible
from bragcli.source.yamlread import MAX_FILE_BYTES, Document, read_file

PLAN_FILE_NAMES = ("plan.yaml", "plan.yml")
YAML_SUFFIXES = (".yaml", ".yml")

Pos = tuple[int, int]


@dataclass(slots=True)
class AreaSource:
    """An area that loaded, with the positions that later checks point at."""

    path: str
    area: Area
    #: For each action, in file order: value positions by key, and "" for the action itself.
    action_pos: list[dict[str, Pos]]
    #: bad-deadline problems by quarters setting, worked out once (history reuses areas)
    deadline_problems: dict[str, list[Problem]] = field(default_factory=dict)

    def pos(self, index: int, key: str = "") -> Pos:
        positions = self.action_pos[index] if index < len(self.action_pos) else {}
        return positions.get(key) or positions.get("") or (1, 1)


@dataclass(slots=True)
class LoadedPlan:
    """Everything read from one plan folder."""

    folder: Path
    plan_path: str
    plan: Plan | None
    areas: list[AreaSource]
    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level is Level.ERROR]

    def actions(self) -> Iterable[tuple[AreaSource, int, Action]]:
        for source in self.areas:
            for index, action in enumerate(source.area.actions):
                yield source, index, action


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder where possible.

    Symbolic links are not followed: a link is named by its own name (and a link loop or a
    dangling link is reported, not followed into an error).
    """
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(os.path.abspath(Path.cwd())))
    except ValueError:
        return str(path)


def not_a_plan_file(name: str) -> str | None:
    """Why a file of this name is not part of a plan (None when it is one).

    The loader skips such files in a plan folder; `brag check` refuses them when named.
    """
    if name.startswith("."):
        return (
            "not a plan file: hidden (bragcli skips files whose name starts with '.'); "
            "rename it without the dot to make it part of the plan"
        )
    if Path(name).suffix.lower() not in YAML_SUFFIXES:
        return "not a plan file: not a .yaml file (plan files end in .yaml or .yml)"
    return None


def find_plan_files(folder: Path) -> tuple[Path | None, list[Path]]:
    """(plan.yaml or None, area files sorted by name). Raises BragError if unreadable."""
    shown = visible(str(folder))
    if not folder.exists():
        raise BragError(f"{shown}: no such folder")
    if not folder.is_dir():
        raise BragError(f"{shown}: not a folder; give the plan folder that holds plan.yaml")
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as e:
        raise BragError(f"{shown}: cannot be read: {e.strerror or e}") from e
    plan_file = next((p for p in entries if p.name in PLAN_FILE_NAMES), None)
    areas = [
        p for p in entries if p.name not in PLAN_FILE_NAMES and not_a_plan_file(p.name) is None
    ]
    return plan_file, areas


AreaResult = AreaSource | list[Problem]


def outside_plan_folder(shown: str, name: str) -> Problem:
    """The problem for a plan file that is a symbolic link leading out of the plan folder."""
    return error(
        shown, 1, 1, "outside-plan-folder",
        f"{visible(name)} is a symbolic link to a file outside the plan folder; it is not read "
        "(copy the file into the plan folder instead)",
    )  # fmt: skip


def read_plan_file(
    path: Path, shown: str, real_folder: Path, *, max_bytes: int = MAX_FILE_BYTES
) -> Document | Problem:
    """Read one file of the plan folder whose real path is `real_folder`.

    A symbolic link is followed only when it ends inside the plan folder: one that leads out
    (`02.yaml -> /etc/shadow`) is refused unread, so no line of another file can reach an
    error message or a CI log. What is read is the checked target, not the link again.
    A link is judged by where it points, whether or not that exists (as a link stored in git
    is); a dangling link inside the folder, or a loop, is left to `read_file`, which reports
    it as unreadable.
    """
    if path.is_symlink():
        try:
            target = path.resolve()
        except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
            pass
        else:
            if not target.is_relative_to(real_folder):
                return outside_plan_folder(shown, path.name)
            path = target
    return read_file(path, shown, max_bytes=max_bytes)


def load_plan(folder: Path, *, max_bytes: int = MAX_FILE_BYTES) -> LoadedPlan:
    """Read and validate every file of the plan in `folder`."""
    plan_file, area_files = find_plan_files(folder)
    folder_shown = display_path(folder)
    plan_path = display_path(plan_file) if plan_file else str(Path(folder_shown) / "plan.yaml")
    both = [folder / name for name in PLAN_FILE_NAMES if (folder / name).exists()]
    real_folder = folder.resolve()
    with paused_gc():
        plan = (
            plan_result(read_plan_file(plan_file, plan_path, real_folder, max_bytes=max_bytes))
            if plan_file
            else None
        )
        areas = []
        for path in area_files:
            shown = display_path(path)
            doc = read_plan_file(path, shown, real_folder, max_bytes=max_bytes)
            areas.append(area_result(doc))
        loaded = assemble(folder, plan_path, plan, areas)
    if len(both) > 1:
        loaded.problems.insert(
            0,
            error(
                display_path(both[1]), 1, 1, "duplicate-plan-file",
                f"both {both[0].name} and {both[1].name} are here; bragcli reads "
                f"{both[0].name} only, so merge them and delete {both[1].name}",
            ),
        )  # fmt: skip
    return loaded


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cycle collector while a plan is read.

    Reading builds hundreds of thousands of short-lived node objects; the collector, run
    every few hundred allocations, spent a third of a large plan's load time finding no
    cycles (there are none: reference counting frees the nodes). Restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def plan_result(doc: Document | Problem) -> Plan | list[Problem]:
    """plan.yaml as read: the model, or its problems."""
    if isinstance(doc, Problem):
        return [doc]
    return _validate(doc, Plan, "plan")


def area_result(doc: Document | Problem, *, positions: bool = True) -> AreaResult:
    """An area file as read: the area with its positions (unless not wanted: then problems
    found later point at line 1), or its problems."""
    if isinstance(doc, Problem):
        return [doc]
    validated = _validate(doc, Area, "area")
    if isinstance(validated, Area):
        return AreaSource(doc.path, validated, _action_positions(doc) if positions else [])
    return validated


def assemble(
    folder: Path,
    plan_path: str,
    plan: Plan | list[Problem] | None,
    area_results: list[AreaResult],
) -> LoadedPlan:
    """Put a plan together from its files' results and add the checks that span files.

    `plan` is None when the folder has no plan.yaml.
    """
    problems: list[Problem] = []
    if plan is None:
        problems.append(
            error(
                plan_path,
                1,
                1,
                "no-plan-file",
                "is missing: a plan folder needs plan.yaml with at least title and organisation",
            )
        )
    elif isinstance(plan, list):
        problems.extend(plan)
    model = plan if isinstance(plan, Plan) else None
    quarters = model.quarters if model else "calendar"
    areas: list[AreaSource] = []
    for result in area_results:
        if isinstance(result, AreaSource):
            areas.append(result)
            if quarters not in result.deadline_problems:
                result.deadline_problems[quarters] = list(_deadline_errors(result, quarters))
            problems.extend(result.deadline_problems[quarters])
        else:
            problems.extend(result)
    if not area_results:
        problems.append(
            error(
                plan_path,
                1,
                1,
                "no-areas",
                f"{Path(plan_path).parent} has no area files: add one *.yaml file per "
                "improvement area",
            )
        )
    areas.sort(key=lambda s: natural_key(s.area.id))
    files = len(area_results) + (plan is not None)
    loaded = LoadedPlan(folder, plan_path, model, areas, problems, files)
    problems.extend(_duplicate_ids(loaded))
    problems.sort(key=Problem.sort_key)
    return loaded


def _deadline_errors(source: AreaSource, quarters: deadlines.Quarters) -> Iterable[Problem]:
    for index, action in enumerate(source.area.actions):
        try:
            deadlines.parse_deadline(action.deadline, quarters=quarters)
        except deadlines.DeadlineError as e:
            line, col = source.pos(index, "deadline")
            yield error(
                source.path, line, col, "bad-deadline", f"action {shown_id(action.id)}: {e}"
            )


def shown_id(identifier: str) -> str:
    """An id as messages show it: escaped and, if very long, cut short (ids are checked to be
    visible text, but an id of ten thousand characters is still an id)."""
    return excerpt(identifier)[1:-1]


_LOOK_ALIKE = "ids are compared ignoring case and character width"


def _duplicate_ids(loaded: LoadedPlan) -> Iterable[Problem]:
    """Two areas, or two actions, whose ids are the same once `id_key` is applied."""
    area_ids = [id_key(s.area.id) for s in loaded.areas]
    action_ids = [id_key(a.id) for s in loaded.areas for a in s.area.actions]
    if len(set(area_ids)) == len(area_ids) and len(set(action_ids)) == len(action_ids):
        return  # the usual case, found without building positions
    seen_areas: dict[str, AreaSource] = {}
    for source in loaded.areas:
        first = seen_areas.setdefault(id_key(source.area.id), source)
        if first is not source:
            this, first_id = source.area.id, first.area.id
            said = (
                f"is also used by {first.path}"
                if this == first_id
                else f"reads the same as {excerpt(first_id)} in {first.path} ({_LOOK_ALIKE})"
            )
            yield error(
                source.path,
                1,
                1,
                "duplicate-id",
                f"area id {excerpt(this)} {said}; area ids must be unique",
            )
    seen: dict[str, tuple[AreaSource, int]] = {}
    for source, index, action in loaded.actions():
        where = seen.setdefault(id_key(action.id), (source, index))
        if where != (source, index):
            other, other_index = where
            line, _ = other.pos(other_index, "id")
            line2, col2 = source.pos(index, "id")
            first_id = other.area.actions[other_index].id
            said = (
                f"is also used at {other.path}:{line}"
                if first_id == action.id
                else f"reads the same as {excerpt(first_id)} at {other.path}:{line} ({_LOOK_ALIKE})"
            )
            yield error(
                source.path,
                line2,
                col2,
                "duplicate-id",
                f"action id {excerpt(action.id)} {said}; action ids must be unique across the plan",
            )


def _action_positions(doc: Document) -> list[dict[str, Pos]]:
    return doc.item_positions("actions")


# --- pydantic errors -> problems -------------------------------------------------------------

_RATINGS = ", ".join(r.value for r in Rating)
M = TypeVar("M", bound=BaseModel)
_ITEM_NAMES = {
    "actions": "action",
    "outcomes": "outcome",
    "measures": "measure",
    "readings": "reading",
    "progress": "progress note",
    "evidence": "evidence",
    "lead": "lead",
}


def _validate(doc: Document, model: type[M], what: str) -> M | list[Problem]:
    if doc.data is None:
        return [error(doc.path, 1, 1, "empty-file", "is empty: it holds no keys")]
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else "plain text"
        noun, keys = (
            ("an area file", "id: and title:")
            if what == "area"
            else ("plan.yaml", "title: and organisation:")
        )
        line, col = doc.locate(())
        return [
            error(
                doc.path,
                line,
                col,
                "not-a-mapping",
                f"holds {kind}, but {noun} must be a mapping of keys such as {keys}",
            )
        ]
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    # pydantic stops within a long list after model.MAX_ERRORS (`model._bounded`), so `errors`
    # is bounded; a file shows at most MAX_PROBLEMS of them, then one line saying there is more.
    stopped = [err for err in errors if err["type"] == "too_many_errors"]
    shown = [err for err in errors if err["type"] != "too_many_errors"][:MAX_PROBLEMS]
    problems = [_problem(doc, model, err) for err in shown]
    if stopped or len(errors) > len(shown):
        message = "has more errors than are shown; fix these and check again"
        problems.append(error(doc.path, 1, 1, "too-many-errors", message))
    return problems


#: The most problems shown for one file (a file with thousands is fixed a few at a time).
MAX_PROBLEMS = 200


def _problem(doc: Document, model: type[BaseModel], err: Any) -> Problem:
    """One pydantic error as a positioned problem. User text (a key, a value, an id) is only
    ever quoted as a short escaped `excerpt`: a value may be anything at all."""
    loc: tuple[str | int, ...] = tuple(err["loc"])
    kind: str = err["type"]
    value = err.get("input")
    name = _field_name(loc)
    where = _where(doc.data, loc)
    # A bad key of a mapping such as brag_key: point at the key. (A user's own key spelled
    # "[key]" is only an unknown key: pydantic's marker follows the mapping's name.)
    if len(loc) >= 3 and loc[-1] == "[key]" and kind != "extra_forbidden":
        loc, name = loc[:-1], str(loc[0])
        line, col = doc.locate(loc, key=True)
        return error(
            doc.path,
            line,
            col,
            "unknown-rating",
            f"{name} {excerpt(str(loc[-1]))} is not one of {_RATINGS}",
        )
    last = loc[-1] if loc else None
    is_item = isinstance(last, int)
    if isinstance(last, int):  # a whole list item is wrong: name the item
        name = f"{_ITEM_NAMES.get(str(loc[-2]), 'item')} {last + 1}" if len(loc) > 1 else "item"
        if len(loc) <= 2:
            where = ""  # the item is the action (or outcome...) itself
    quoted = excerpt(name)
    if kind == "extra_forbidden":
        line, col = doc.locate(loc, key=True)
        allowed = _fields_at(model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1])[:100], allowed, n=1, cutoff=0.6)
        hint = (
            f"did you mean {guess[0]!r}?"
            if guess
            else f"allowed keys are {', '.join(allowed)} (start local additions with x-)"
        )
        return error(
            doc.path,
            line,
            col,
            "unknown-key",
            f"{where}unknown key {excerpt(str(loc[-1]))}; {hint}",
        )
    if kind == "missing":
        line, col = doc.locate(loc[:-1])
        return error(doc.path, line, col, "missing-key", f"{where}missing required key {quoted}")
    line, col = doc.locate(loc)
    if kind in _CUSTOM_CODES:  # the model's own message, which follows the value
        if name == "id":
            where = ""  # "action 1.1\\u200b: id '1.1\\u200b' ..." would say the id twice
        reason = str(err.get("ctx", {}).get("reason", err.get("msg", "")))
        return error(
            doc.path, line, col, _CUSTOM_CODES[kind], f"{where}{name} {_shown(value)} {reason}"
        )
    if value is None or value == "" or kind in {"string_too_short", "too_short"}:
        return error(
            doc.path, line, col, "empty-value", f"{where}{quoted} is empty; give it a value"
        )
    if kind == "enum" and name in {"status", "impact"}:
        return error(
            doc.path,
            line,
            col,
            "unknown-rating",
            f"{where}{name} {_shown(value)} is not one of {_RATINGS}",
        )
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "").replace("'", "")
        return error(
            doc.path,
            line,
            col,
            "invalid-value",
            f"{where}{name} {_shown(value)} is not one of {expected}",
        )
    if kind.startswith(("date", "datetime")):
        return error(
            doc.path,
            line,
            col,
            "bad-date",
            f"{where}{name} {_shown(value)} is not a date; write it as YYYY-MM-DD",
        )
    if kind.startswith(("float", "int", "finite")):
        what = "a finite number" if kind.startswith("finite") else "a number"
        return error(
            doc.path, line, col, "bad-number", f"{where}{name} {_shown(value)} is not {what}"
        )
    if kind in {"string_type", "list_type", "dict_type", "model_type", "model_attributes_type"}:
        expected = {
            "string_type": "text",
            "list_type": "a list",
        }.get(kind, "a mapping of keys")
        return error(
            doc.path,
            line,
            col,
            "wrong-type",
            f"{where}{name if is_item else quoted} should be {expected}, not {_kind_of(value)}",
        )
    message = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
    return error(doc.path, line, col, "invalid-value", f"{where}{name}: {message}")


#: Errors the model raises with a message of its own, and their problem codes.
_CUSTOM_CODES = {
    "bad_id": "bad-id",
    "string_pattern_mismatch": "bad-id",
    "bad_number": "bad-number",
    "bad_date": "bad-date",
}


def _shown(value: Any) -> str:
    """A value for a message: text as a short escaped excerpt, else what kind of thing it is."""
    return excerpt(value) if isinstance(value, str) else _kind_of(value)


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {excerpt(value)}"
    return excerpt(str(value))


def _field_name(loc: Sequence[str | int]) -> str:
    names = [p for p in loc if isinstance(p, str) and p not in {"[key]"}]
    return names[-1] if names else "value"


def _where(data: Any, loc: Sequence[str | int]) -> str:
    """'action 2.4: ' when the location is inside an action with an id, else ''."""
    if len(loc) >= 2 and loc[0] in {"actions", "measures", "outcomes"} and isinstance(loc[1], int):
        try:
            item = data[loc[0]][loc[1]]
        except (KeyError, IndexError, TypeError):
            return ""
        if loc[0] == "actions" and isinstance(item, dict) and isinstance(item.get("id"), str):
            return f"action {shown_id(item['id'])}: "
        return f"{loc[0][:-1]} {loc[1] + 1}: "
    return ""


def _fields_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        current = _model_in(info.annotation) if info else None
    return list(current.model_fields) if current else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if origin in {list, typing.Union, types.UnionType}:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None
