"""One document read from a plan file, validated into a model or into positioned problems.

pydantic's errors are worded here for people: each one points at the line and column of the
value it is about, names the action it is in, and suggests the key that was meant. User text
(a key, a value, an id) is only ever quoted as a short escaped `excerpt`: a value may be
anything at all.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from bragcli.model import Area, Rating
from bragcli.problems import Problem, error
from bragcli.safetext import excerpt, shown_id
from bragcli.source.yamlread import Document

#: The most problems shown for one file (a file with thousands is fixed a few at a time).
MAX_PROBLEMS = 200

M = TypeVar("M", bound=BaseModel)


class Invalid(NamedTuple):
    """A document that did not validate: its problems, and pydantic's errors when every one of
    them is among the problems (so that what no error is about is known to be valid)."""

    problems: list[Problem]
    errors: list[ErrorDetails] | None = None


def validate(doc: Document, model: type[M], what: str) -> M | Invalid:
    """The document as a `model` (`what` is "area" or "plan"), or why it is not one."""
    if doc.data is None:
        return Invalid([error(doc.path, 1, 1, "empty-file", "is empty: it holds no keys")])
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else "plain text"
        noun, keys = (
            ("an area file", "id: and title:")
            if what == "area"
            else ("plan.yaml", "title: and organisation:")
        )
        line, col = doc.locate(())
        message = f"holds {kind}, but {noun} must be a mapping of keys such as {keys}"
        return Invalid([error(doc.path, line, col, "not-a-mapping", message)])
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    # pydantic stops within a long list after model.MAX_ERRORS (`model._bounded`), so `errors`
    # is bounded; a file shows at most MAX_PROBLEMS of them, then one line saying there is more.
    stopped = any(err["type"] == "too_many_errors" for err in errors)
    shown = [err for err in errors if err["type"] != "too_many_errors"][:MAX_PROBLEMS]
    problems = [_problem(doc, model, err) for err in shown]
    if stopped or len(errors) > len(shown):
        message = "has more errors than are shown; fix these and check again"
        problems.append(error(doc.path, 1, 1, "too-many-errors", message))
        return Invalid(problems)
    return Invalid(problems, errors)


_RATINGS = ", ".join(r.value for r in Rating)
_ITEM_NAMES = {
    "actions": "action",
    "outcomes": "outcome",
    "measures": "measure",
    "readings": "reading",
    "progress": "progress note",
    "evidence": "evidence",
    "lead": "lead",
}


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
            f"{name} {excerpt(str(loc[-1]))} {_reason(err, f'is not one of {_RATINGS}')}",
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
        import difflib  # only when a key is unknown

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
        if kind == "bad_note":  # the value is a mapping: the reason says what is wrong with it
            return error(doc.path, line, col, "bad-note", f"{where}{name} {reason}")
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
    "bad_note": "bad-note",
    "unknown_rating": "unknown-rating",
    "invalid_choice": "invalid-value",
}


def _reason(err: Any, default: str) -> str:
    """The model's own message for a custom error (it follows the value), else `default`."""
    if err["type"] in _CUSTOM_CODES:
        return str(err.get("ctx", {}).get("reason", err.get("msg", default)))
    return default


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
        name = item.get("name") if loc[0] == "measures" and isinstance(item, dict) else None
        if isinstance(name, str) and name.strip():
            return f"measure {excerpt(name.strip(), 50)}: "  # the name a reader knows it by
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


def salvage_area(doc: Document, errors: list[ErrorDetails]) -> tuple[Area, list[int]] | None:
    """What of an area file that failed validation is valid: an area holding the actions no
    error is about (with their indexes in the file), and the file's id when no error is about
    it ("" otherwise). None when neither is left.

    `errors` must be all of the file's errors (`Invalid.errors`): an action none is about is
    then valid, as no rule of the format relates one action to another. It is validated again
    here with the others, in one call, as the area's only content.
    """
    data = doc.data
    assert isinstance(data, dict)
    fields = {err["loc"][0] for err in errors if err["loc"]}
    items = data.get("actions")
    kept: list[int] = []
    actions: list[Any] = []
    if isinstance(items, list):
        bad = {
            loc[1]
            for loc in (err["loc"] for err in errors)
            if len(loc) >= 2 and loc[0] == "actions" and isinstance(loc[1], int)
        }
        whole = any(tuple(err["loc"]) == ("actions",) for err in errors)
        kept = [] if whole else [i for i in range(len(items)) if i not in bad]
        actions = [items[i] for i in kept]
    has_id = "id" in data and "id" not in fields
    if not kept and not has_id:
        return None
    trial = {
        "id": data["id"] if has_id else "-",
        "title": "-",
        "actions": actions,
    }
    try:
        valid = Area.model_validate(trial)
    except ValidationError:  # pragma: no cover - what had no error is valid
        return None
    area = Area.model_construct(id=valid.id if has_id else "", title="", actions=valid.actions)
    return area, kept
