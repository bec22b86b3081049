"""Edit an area file's text in place: change an action's values, add progress notes, add or
remove an action, and leave every other byte as it was. `PlanUpdate` is what one update
changes (made by `brag set` and by `sheets.merge` for `brag import --update`).

Why targeted edits and not a round-trip YAML library: every byte outside the values that
change is copied, not re-emitted, so comments, key order, quoting, blank lines, the modeline,
`x-` keys, line endings and a byte order mark survive by construction. A round-trip emitter
(ruamel.yaml) re-writes the whole file from its tree and re-flows or re-indents in places,
would be a second YAML reader with rules other than `yamlread`'s, and a new dependency.

Where each value starts and ends comes from PyYAML's event marks over the decoded text
(indexes in characters, from libyaml or the pure-Python parser alike). Each change is a
splice of the text; after all of them the result is read back with `yamlread` and validated,
and must equal the area with the changes applied (`AreaEdit.finish`), or nothing is given
back (`EditRefused`).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
)

from bragcli.model import Action, Area, Note, id_key
from bragcli.safetext import excerpt
from bragcli.source.yamlread import Document, read_bytes

#: Characters written escaped in double quotes: controls, NEL, line and paragraph separators,
#: the byte order mark (YAML reads some of them as line breaks).
_NEEDS_ESCAPES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
#: The order keys are written in; a new key goes after the last of these that is there.
ACTION_KEY_ORDER = (
    "id",
    "title",
    "lead",
    "deadline",
    "status",
    "impact",
    "updated",
    "baseline",
    "success_criteria",
    "source",
    "impact_evidence",
    "progress",
)
#: The order of an area file's keys; a new key goes after the last of these that is there.
AREA_KEY_ORDER = ("id", "title", "lead", "status", "impact", "actions", "outcomes", "measures")
#: The area's own fields `set_area_value` changes (the Areas sheet of a workbook).
AREA_EDITABLE = frozenset({"title", "lead", "status", "impact"})
#: The fields `set_value` changes.
EDITABLE = frozenset(
    {"title", "lead", "deadline", "status", "impact", "updated", "success_criteria", "baseline",
     "source", "impact_evidence"}
)  # fmt: skip
#: The fields that hold a list of texts (one text may stand for a list of one).
LIST_FIELDS = frozenset({"lead", "source", "impact_evidence"})


class EditRefused(Exception):
    """The change cannot be made safely in this file; the message says what to do."""


@dataclass(slots=True)
class _Node:
    kind: str  # "scalar", "map", "seq"
    start: int
    end: int  # after the last character of its content (trailing blank lines excluded)
    flow: bool = False
    style: str | None = None
    value: str = ""
    items: list[_Node] = field(default_factory=list)  # seq: items; map: key, value, ...

    def get(self, key: str) -> tuple[_Node, _Node] | None:
        for index in range(0, len(self.items) - 1, 2):
            if self.items[index].value == key and self.items[index].kind == "scalar":
                return self.items[index], self.items[index + 1]
        return None


def _tree(text: str) -> _Node:
    """The text's node tree with character spans (PyYAML's pure-Python parser)."""
    stack: list[_Node] = []
    root: _Node | None = None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # both give character indexes
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, AliasEvent):
            raise EditRefused("the file uses an alias (*name); bragcli edits no such file")
        if isinstance(event, ScalarEvent):
            start, end = _index(event.start_mark), _index(event.end_mark)
            if event.style in ("|", ">"):
                end = start + len(text[start:end].rstrip())
            node = _Node("scalar", start, end, style=event.style, value=event.value)
        elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            kind = "map" if isinstance(event, MappingStartEvent) else "seq"
            index = _index(event.start_mark)
            node = _Node(kind, index, index, flow=bool(event.flow_style))
            _attach(stack, node)
            stack.append(node)
            if root is None:
                root = node
            continue
        elif isinstance(event, CollectionEndEvent):
            node = stack.pop()
            if node.flow:
                node.end = _index(event.end_mark)
            elif node.items:
                node.end = max(node.end, node.items[-1].end)
            if stack:
                stack[-1].end = max(stack[-1].end, node.end)
            continue
        else:
            continue
        _attach(stack, node)
        if stack:
            stack[-1].end = max(stack[-1].end, node.end)
    if root is None or root.kind != "map":
        raise EditRefused("the file does not hold a mapping")
    return root


def _index(mark: Any) -> int:
    """The character index of a mark (the pure-Python parser always gives one)."""
    return int(mark.index)


def _attach(stack: list[_Node], node: _Node) -> None:
    if stack:
        stack[-1].items.append(node)


# --- what an update changes ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActionChange:
    """New values for one action's fields (`planedit.EDITABLE`), and notes to add."""

    id: str
    values: dict[str, Any] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class AreaChange:
    """New values for an area's own fields (`planedit.AREA_EDITABLE`)."""

    id: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class PlanUpdate:
    """Everything an update changes."""

    changes: list[ActionChange] = field(default_factory=list)
    #: changes to areas' own fields (owner, the board's ratings, title)
    area_changes: list[AreaChange] = field(default_factory=list)
    #: (area id, action): actions to add at the end of their area
    added: list[tuple[str, Action]] = field(default_factory=list)
    #: new areas (with their actions), written to new files
    new_areas: list[Area] = field(default_factory=list)
    #: action ids to remove
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.changes or self.area_changes or self.added or self.new_areas or self.removed
        )


# --- writing one value ------------------------------------------------------------------------


def _double_quoted(text: str) -> str:
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif _NEEDS_ESCAPES.match(char) or (not char.isprintable() and char != " "):
            code = ord(char)
            if code < 0x100:
                out.append(f"\\x{code:02x}")
            else:
                out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _reads_back(written: str, expected: Any) -> bool:
    doc = read_bytes(f"k: {written}\n".encode(), "value")
    return isinstance(doc, Document) and doc.data == {"k": expected}


def scalar_text(text: str, *, flow: bool = False, style: str | None = None) -> str:
    """`text` as a YAML scalar that reads back as exactly `text`: in the old value's quotes
    (`style`) where it had them, plain where that is safe, else in double quotes."""
    if style == "'" and "\n" not in text and not _NEEDS_ESCAPES.search(text):
        return "'" + text.replace("'", "''") + "'"
    if style != '"' and "\n" not in text and not _NEEDS_ESCAPES.search(text):
        candidate = f"[{text}]" if flow else text
        if _reads_back(candidate, [text] if flow else text):
            return text
    return _double_quoted(text)


def note_text(note: Note, *, flow: bool = False) -> str:
    """A progress note as a list item: text, or `DATE: text`."""
    if note.date is None:
        return scalar_text(note.text, flow=flow)
    written = f"{note.date.isoformat()}: {scalar_text(note.text, flow=True)}"
    return "{" + written + "}" if flow else written


def _value_text(value: str | list[str], *, flow: bool = False) -> str:
    if isinstance(value, list):
        if len(value) == 1:
            return scalar_text(value[0], flow=flow)
        return "[" + ", ".join(scalar_text(v, flow=True) for v in value) + "]"
    return scalar_text(value, flow=flow)


def _folded(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` characters, broken at single spaces (a word longer
    than that has a line of its own)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _model_value(key: str, value: Any, written: str | list[str]) -> Any:
    """What a field of the model holds once `written` reads back."""
    if key == "updated":
        return value
    if key in {"status", "impact"}:
        from bragcli.model import Rating

        return Rating(str(written))
    if key in LIST_FIELDS and isinstance(written, str):
        return [written]
    return written


# --- one file ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Splice:
    start: int
    end: int
    text: str
    order: int


class AreaEdit:
    """Changes to one area file's text; `finish()` gives the new bytes, checked."""

    def __init__(self, raw: bytes, shown: str, area: Area) -> None:
        self.shown = shown
        self.area = area
        self._bom = raw.startswith(codecs.BOM_UTF8)
        self.text = raw[3 if self._bom else 0 :].decode("utf-8")
        self._newline = "\r\n" if "\r\n" in self.text else "\r" if "\r" in self.text else "\n"
        try:
            self._root = _tree(self.text)
        except yaml.YAMLError as e:  # the file loaded with yamlread, so this is rare
            raise EditRefused(f"{shown} cannot be edited: {e}") from e
        self._splices: list[_Splice] = []
        #: the actions as they must read back once every change is made, by `id_key`
        self._expected = {id_key(a.id): a for a in area.actions}
        #: the area's own fields as they must read back
        self._area_values: dict[str, Any] = {}
        #: items of a flow list of actions to remove, and to add (`_flow_actions`)
        self._flow_removed: list[_Node] = []
        self._flow_added: list[str] = []
        found = self._root.get("actions")
        self._actions = found[1] if found is not None else None
        self._nodes: dict[str, _Node] = {}  # id_key -> the action's mapping
        if self._actions is not None and self._actions.kind == "seq":
            for item in self._actions.items:
                named = item.get("id") if item.kind == "map" else None
                if named is not None:
                    self._nodes.setdefault(id_key(named[1].value), item)

    # positions

    def _column(self, index: int) -> int:
        return index - self._line_start(index)

    def _line_end(self, index: int) -> int:
        """Where the line holding `index` ends (before its line break)."""
        ends = [i for i in (self.text.find("\n", index), self.text.find("\r", index)) if i >= 0]
        return min(ends) if ends else len(self.text)

    def _line_start(self, index: int) -> int:
        return max(self.text.rfind("\n", 0, index), self.text.rfind("\r", 0, index)) + 1

    def _line_number(self, index: int) -> int:
        """The 1-based line of `index`, as an editor counts it."""
        head = self.text[:index]
        return head.count("\n") + head.count("\r") - head.count("\r\n") + 1

    def _starts_line(self, index: int) -> bool:
        """Whether only blanks come before `index` on its line."""
        return not self.text[self._line_start(index) : index].strip()

    def _action_node(self, action_id: str) -> _Node:
        if self._actions is None or self._actions.kind != "seq":
            raise EditRefused(f"{self.shown} has no list of actions")
        node = self._nodes.get(id_key(action_id))
        if node is None:
            raise EditRefused(f"{self.shown} has no action {excerpt(action_id)}")
        return node

    def _splice(self, start: int, end: int, text: str) -> None:
        """Replace text[start:end] by `text` (overlaps are refused in `finish`)."""
        self._splices.append(_Splice(start, end, text, len(self._splices)))

    def _expect(self, action_id: str, **update: Any) -> None:
        key = id_key(action_id)
        self._expected[key] = self._expected[key].model_copy(update=update)

    @property
    def expected(self) -> Area:
        """The area as it must read back once every change is made."""
        return self.area.model_copy(
            update={**self._area_values, "actions": list(self._expected.values())}
        )

    # changes

    def set_value(self, action_id: str, key: str, value: str | list[str] | date | None) -> None:
        """Give the action's `key` a new value (None removes nothing: it is refused)."""
        if key not in EDITABLE:
            raise EditRefused(f"{key} cannot be changed here")
        if value is None:
            raise EditRefused(f"{key} cannot be emptied here; delete it in {self.shown}")
        written: str | list[str] = value.isoformat() if isinstance(value, date) else value
        node = self._action_node(action_id)
        self._write_key(node, key, written)
        self._expect(action_id, **{key: _model_value(key, value, written)})

    def set_area_value(self, key: str, value: str | list[str]) -> None:
        """Give the area's own `key` (title, lead, status, impact) a new value."""
        if key not in AREA_EDITABLE:
            raise EditRefused(f"the area's {key} cannot be changed here")
        self._write_key(self._root, key, value, order=AREA_KEY_ORDER)
        self._area_values[key] = _model_value(key, value, value)

    def _write_key(
        self,
        mapping: _Node,
        key: str,
        value: str | list[str],
        order: Sequence[str] = ACTION_KEY_ORDER,
    ) -> None:
        found = mapping.get(key)
        if found is None:
            self._add_key(mapping, key, _value_text(value, flow=mapping.flow), order)
            return
        key_node, old = found
        if old.kind == "scalar":
            if old.start == old.end and old.style is None:  # `key:` with no value
                colon = self.text.index(":", key_node.end)
                self._splice(colon + 1, colon + 1, " " + _value_text(value, flow=mapping.flow))
            elif isinstance(value, str) and self._block_text(old, value):
                pass  # the block scalar's lines replaced, its header (and comment) kept
            else:
                style = old.style if old.style in ("'", '"') else None
                text = (
                    scalar_text(value, flow=mapping.flow, style=style)
                    if isinstance(value, str)
                    else _value_text(value, flow=mapping.flow)
                )
                self._splice(old.start, old.end, text)
            return
        values = [value] if isinstance(value, str) else value
        if old.kind == "seq" and old.flow:
            inner = ", ".join(scalar_text(v, flow=True) for v in values)
            self._splice(old.start, old.end, f"[{inner}]")
            return
        if old.kind == "seq" and old.items and all(i.kind == "scalar" for i in old.items):
            for item, text in zip(old.items, values, strict=False):  # item by item
                style = item.style if item.style in ("'", '"') else None
                self._splice(item.start, item.end, scalar_text(text, style=style))
            if len(values) > len(old.items):
                indent = " " * self._column(old.start)
                at = self._line_end(old.items[-1].end)
                extra = values[len(old.items) :]
                self._splice(
                    at, at, "".join(f"{self._newline}{indent}- {scalar_text(v)}" for v in extra)
                )
            for item in old.items[len(values) :]:
                self._delete_lines(self._dash(item), item.end)
            return
        raise EditRefused(
            f"{self.shown}:{self._line_number(old.start)}: {key} is written in a form bragcli "
            f"does not change; edit it by hand, as {key}: {_value_text(value)}"
        )

    def _block_text(self, old: _Node, value: str) -> bool:
        """Write `value` as the new lines of the block scalar `old` (`>-` or `|-`), folded
        at spaces to the width of the old lines; False when it cannot be (another chomping,
        text that needs escapes, or spaces a fold would change)."""
        header_end = self._line_end(old.start)
        header = self.text[old.start : header_end].split("#")[0].strip()
        if (
            old.style not in ("|", ">")
            or not header.endswith("-")
            or not value
            or value != value.strip()
            or _NEEDS_ESCAPES.search(value)
            or "\n" in value
            or "\t" in value
        ):
            return False
        first = header_end + len(self._newline)
        content = self.text[first : old.end]
        indent = content[: len(content) - len(content.lstrip(" "))]
        if not indent:
            return False
        lines = [value]
        if old.style == ">" and "  " not in value:  # folding joins lines with one space
            widest = max(len(line) for line in content.splitlines())
            lines = _folded(value, max(widest - len(indent), 40))
        self._splice(first, old.end, f"{self._newline}".join(indent + line for line in lines))
        return True

    def _add_key(
        self, mapping: _Node, key: str, written: str, order: Sequence[str] = ACTION_KEY_ORDER
    ) -> None:
        """Add `key: written` after the last key that comes before it in `order`."""
        if mapping.flow:
            last = mapping.items[-1] if mapping.items else None
            at = last.end if last is not None else mapping.start + 1
            self._splice(at, at, f"{', ' if last is not None else ''}{key}: {written}")
            return
        before = order[: order.index(key)] if key in order else ()
        after_node = None
        for index in range(0, len(mapping.items) - 1, 2):
            if mapping.items[index].value in before or after_node is None:
                after_node = mapping.items[index + 1]
        assert after_node is not None  # an action has an id
        indent = " " * self._column(mapping.items[0].start)
        at = self._line_end(after_node.end)
        if written.startswith(self._newline):  # a block value under the key
            self._splice(at, at, f"{self._newline}{indent}{key}:{written}")
        else:
            self._splice(at, at, f"{self._newline}{indent}{key}: {written}")

    def add_notes(self, action_id: str, notes: Sequence[Note]) -> None:
        """Add progress notes after the action's last one."""
        if not notes:
            return
        node = self._action_node(action_id)
        found = node.get("progress")
        key_indent = " " * self._column(node.items[0].start) if node.items else ""
        if found is None:
            if node.flow:
                items = ", ".join(note_text(n, flow=True) for n in notes)
                self._add_key(node, "progress", f"[{items}]")
            else:
                block = "".join(f"{self._newline}{key_indent}  - {note_text(n)}" for n in notes)
                self._add_key(node, "progress", block)
        else:
            key_node, old = found
            if old.kind == "seq" and not old.flow and old.items:
                indent = " " * self._column(old.start)
                at = self._line_end(old.end)
                block = "".join(f"{self._newline}{indent}- {note_text(n)}" for n in notes)
                self._splice(at, at, block)
            elif old.kind == "seq" and old.flow:
                self._flow_insert(old, [note_text(n, flow=True) for n in notes])
            elif old.kind == "scalar" and old.start == old.end and old.style is None:
                at = self._line_end(key_node.end)
                block = "".join(f"{self._newline}{key_indent}  - {note_text(n)}" for n in notes)
                self._splice(at, at, block)
            else:
                raise EditRefused(
                    f"{self.shown}:{self._line_number(old.start)}: the progress of action "
                    f"{excerpt(action_id)} is one text, not a list; write it as a list "
                    "(- the note) and try again"
                )
        action = self._expected[id_key(action_id)]
        self._expect(action_id, progress=[*action.progress, *notes])

    def add_action(self, action: Action) -> None:
        """Add `action` after the area's last action (in the style of the list: a block item,
        or a flow mapping in a flow list)."""
        from bragcli.sheets.yamlwrite import action_flow, action_yaml

        block = action_yaml(action).rstrip("\n").split("\n")
        actions = self._actions
        if actions is None:
            body = "".join(f"{self._newline}  {line}" for line in block)
            end = self._line_end(self._root.end)
            self._splice(end, end, f"{self._newline}actions:{body}")
        elif actions.kind == "seq" and not actions.flow and actions.items:
            indent = " " * self._column(self._dash(actions.items[0]))
            at = self._line_end(actions.end)
            self._splice(at, at, "".join(f"{self._newline}{indent}{line}" for line in block))
        elif (
            actions.kind == "seq" and actions.flow and not actions.items and not self._root.flow
        ) or (actions.kind == "scalar" and actions.start == actions.end):
            if actions.kind == "seq":
                self._splice(actions.start, actions.end, "")
            at = self._line_end(actions.start)
            self._splice(at, at, "".join(f"{self._newline}  {line}" for line in block))
        elif actions.kind == "seq" and actions.flow:
            self._flow_added.append(action_flow(action))  # added in `finish`
        else:
            raise EditRefused(
                f"{self.shown}:{self._line_number(actions.start)}: its actions are not a list "
                "bragcli can add to; write them as a block list (one '- id: ...' per action)"
            )
        self._expected[id_key(action.id)] = action

    # flow sequences ([a, b]): items added and removed, every other byte kept

    def _comma_after(self, node: _Node, limit: int) -> int | None:
        """Where the ',' that follows `node` is (only blanks between), before `limit`."""
        at = node.end
        while at < limit and self.text[at] in " \t\r\n":
            at += 1
        return at if at < limit and self.text[at] == "," else None

    def _rest_of_line_blank(self, index: int) -> bool:
        """Whether only blanks or a comment follow `index` on its line."""
        rest = self.text[index : self._line_end(index)].strip()
        return not rest or rest.startswith("#")

    def _flow_insert(self, seq: _Node, texts: list[str], last: _Node | None = None) -> None:
        """Add items (written for a flow context) after the `last` item of a flow sequence (by
        default its last): on lines of their own, indented as that item, where the items stand
        one a line; else after it on its line."""
        closing = seq.end - 1  # the ']'
        last = last if last is not None else (seq.items[-1] if seq.items else None)
        if last is None:
            self._splice(closing, closing, ", ".join(texts))
            return
        comma = self._comma_after(last, closing)
        after = comma + 1 if comma is not None else last.end
        own_lines = (
            self._starts_line(last.start)
            and self._rest_of_line_blank(after)
            and self._line_end(after) < closing
        )
        if not own_lines:
            joined = ", ".join(texts)
            self._splice(last.end, last.end, f", {joined}")
            return
        if comma is None:
            self._splice(last.end, last.end, ",")
        indent = self.text[self._line_start(last.start) : last.start]
        trail = "," if comma is not None else ""
        lines = [f"{self._newline}{indent}{t}{',' if n < len(texts) - 1 else trail}"
                 for n, t in enumerate(texts)]  # fmt: skip
        at = self._line_end(after)
        self._splice(at, at, "".join(lines))

    def _flow_actions(self) -> None:
        """Make the changes `add_action` and `remove_action` marked in a flow list of actions,
        all at once (so that removed and added items next to each other do not collide): each
        run of removed items side by side goes as one; added items follow the last that stays,
        or take the place of the removed when none stays."""
        seq, added, removed = self._actions, self._flow_added, self._flow_removed
        if seq is None or not (added or removed):
            return
        self._flow_added, self._flow_removed = [], []
        gone = [any(node is g for g in removed) for node in seq.items]
        staying = [node for node, out in zip(seq.items, gone, strict=True) if not out]
        if added and seq.items and not staying:
            first, last = seq.items[0], seq.items[-1]
            comma = self._comma_after(last, seq.end - 1)
            indent = self.text[self._line_start(first.start) : first.start]
            between = f",{self._newline}{indent}" if self._starts_line(first.start) else ", "
            end = comma + 1 if comma is not None else last.end
            self._splice(first.start, end, between.join(added) + ("," if comma else ""))
            return
        run: list[int] = []
        for index, out in enumerate([*gone, False]):
            if out:
                run.append(index)
            elif run:
                self._flow_remove(seq, run[0], run[-1], keep_separator=bool(added))
                run = []
        if added:
            self._flow_insert(seq, added, staying[-1] if staying else None)

    def _flow_remove(self, seq: _Node, first: int, last: int, *, keep_separator: bool) -> None:
        """Remove items `first` to `last` of a flow sequence with the comma that separates
        them: their lines when they stand on lines of their own, else their text."""
        closing = seq.end - 1
        item = _Node("run", seq.items[first].start, seq.items[last].end)
        before = seq.items[first - 1] if first else None
        after = seq.items[last + 1] if last + 1 < len(seq.items) else None
        comma = self._comma_after(item, closing)
        end = comma + 1 if comma is not None else item.end
        if self._starts_line(item.start) and self._rest_of_line_blank(end):
            last = self._line_end(end)
            last += len(self._newline) if self.text.startswith(self._newline, last) else 0
            self._splice(self._line_start(item.start), last, "")
            if comma is None and before is not None and not keep_separator:
                # the last item goes, and no other follows: the comma before it goes too
                separator = self._comma_after(before, item.start)
                if separator is not None:
                    self._splice(separator, separator + 1, "")
        elif after is not None:
            self._splice(item.start, after.start, "")
        elif before is not None:
            separator = self._comma_after(before, item.start)
            assert separator is not None  # two items are separated by a comma
            between = self.text[separator + 1 : item.start]
            if "#" in between:  # a comment after the comma stays, on its line
                self._splice(separator, separator + 1, "")
                self._splice(self._line_start(item.start), end, "")
            else:
                self._splice(before.end, end, "")
        else:
            self._splice(item.start, end, "")

    def _dash(self, item: _Node) -> int:
        """Where the '- ' of a block list item is."""
        at = item.start - 1
        while at >= 0 and self.text[at] in " \t\r\n":
            at -= 1
        if at < 0 or self.text[at] != "-":
            raise EditRefused(f"{self.shown}: a list item is written in a form bragcli cannot edit")
        return at

    def _delete_lines(self, start: int, end: int) -> None:
        """Delete the whole lines from the one holding `start` to the one holding `end`; the
        text before `start` on its line must be blank."""
        first = self._line_start(start)
        if self.text[first:start].strip():
            raise EditRefused(f"{self.shown}: a list item to remove does not start a line")
        last = self._line_end(end)
        last += len(self._newline) if self.text.startswith(self._newline, last) else 0
        self._splice(first, last, "")

    def remove_action(self, action_id: str) -> None:
        """Remove the action's lines (comments above it stay), or its item of a flow list."""
        node = self._action_node(action_id)
        assert self._actions is not None  # _action_node found it there
        if self._actions.flow:
            self._flow_removed.append(node)  # removed in `finish`, with its neighbours
        else:
            self._delete_lines(self._dash(node), node.end)
        del self._expected[id_key(action_id)]

    # the result

    @property
    def changed(self) -> bool:
        return bool(self._splices or self._flow_removed or self._flow_added)

    def finish(self) -> bytes:
        """The new bytes, read back and validated: they must give `expected`."""
        from bragcli.source.load import area_result

        self._flow_actions()
        pieces, at = [], 0
        for splice in sorted(self._splices, key=lambda s: (s.start, s.end, s.order)):
            if splice.start < at:
                raise EditRefused(f"{self.shown}: two changes meet at one place; make them by hand")
            pieces += [self.text[at : splice.start], splice.text]
            at = splice.end
        text = "".join([*pieces, self.text[at:]])
        raw = (codecs.BOM_UTF8 if self._bom else b"") + text.encode("utf-8")
        result = area_result(read_bytes(raw, self.shown), positions=False)
        if isinstance(result, list):
            first = result[0]
            raise EditRefused(
                f"{self.shown}: the change would not read back ({first.message}); nothing "
                "written; make it by hand"
            )
        if result.area != self.expected:
            raise EditRefused(
                f"{self.shown}: the change did not read back as intended; nothing written; "
                "make it by hand"
            )
        return raw
