"""Read one YAML file into plain data, safely, keeping a way back to source positions.

What this guarantees (each is a real failure of hand-edited YAML):

* every scalar is text: no resolver runs, so ``1.10`` stays ``"1.10"``, ``NO`` stays ``"NO"``,
  ``010`` stays ``"010"``; an empty plain value (and ``~``/``null``) is ``None``;
* a duplicate key is an error naming both lines (PyYAML would silently keep the last);
* anchors, aliases, merge keys (``<<``), tags and multi-document files are refused: alias
  expansion is a memory bomb and tags are code;
* encoding, tabs and syntax errors become `Problem`s with a position, never a traceback (the
  size cap, and how a file is opened, are `files.py`'s);
* memory stays near the size of the data: the file is read event by event into plain data
  and compact positions, never into a tree of YAML nodes (about 400 bytes a node).

The C parser (libyaml) is used when PyYAML has it, the pure-Python one otherwise.
"""

from __future__ import annotations

import codecs
import re
from array import array
from collections.abc import Sequence
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from bragcli.problems import Problem, error

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_EMPTY = "is empty: it holds nothing but blank lines or comments"
_MULTI = "holds more than one YAML document (a second '---'); keep one area per file"
_NBSP_INDENT = re.compile(r"[ \t]*\u00a0")
#: git's conflict markers, at the start of a line
_CONFLICT = re.compile(r"^(?:<{7}|>{7})(?: |$)|^={7}$", re.MULTILINE)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))

if LIBYAML:
    from yaml._yaml import CParser as _Parser
else:  # pragma: no cover - exercised only where PyYAML was built without libyaml

    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[no-redef]
        def __init__(self, stream: bytes) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


class Document:
    """A file read successfully: its plain data, and where each value of it came from.

    Positions are kept compactly (`_Positions`), not as a tree of YAML nodes: a node object
    with its two marks costs about 400 bytes, so a 5 MB file of short items held 0.8 GB of
    nodes.
    """

    __slots__ = ("_ordinals", "_positions", "data", "path")

    def __init__(self, path: str, data: Any, positions: _Positions | None) -> None:
        self.path = path
        self.data = data
        #: None when the file was read without positions (`read_bytes`)
        self._positions = positions
        #: key -> ordinal, for the large mappings that `locate` has looked into
        self._ordinals: dict[int, dict[str, int]] = {}

    @property
    def positioned(self) -> bool:
        """Where each value is was kept (see `read_bytes`)."""
        return self._positions is not None

    def locate(self, loc: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        """1-based (line, col) of the value at `loc`, or of its key with ``key=True``.

        Walks as far down `loc` as the data goes, so a missing key points at its parent.
        (1, 1) when the file was read without positions.
        """
        positions = self._positions
        if positions is None:
            return 1, 1
        node, value = 0, self.data
        key_node: int | None = None
        for part in loc:
            if isinstance(value, dict) and isinstance(part, str):
                ordinal = self._ordinal(node, value, part)
                if ordinal is None:
                    break
                key_node = positions.child(node, 2 * ordinal)
                node, value = positions.child(node, 2 * ordinal + 1), value[part]
            elif isinstance(value, list) and isinstance(part, int):
                if not 0 <= part < len(value):
                    break
                key_node, node, value = None, positions.child(node, part), value[part]
            else:
                break
        return positions.position(key_node if key and key_node is not None else node)

    def _ordinal(self, node: int, mapping: dict[str, Any], key: str) -> int | None:
        if key not in mapping:
            return None
        if len(mapping) <= 32:
            return next(i for i, k in enumerate(mapping) if k == key)
        ordinals = self._ordinals.get(node)
        if ordinals is None:
            ordinals = self._ordinals[node] = {k: i for i, k in enumerate(mapping)}
        return ordinals[key]

    def item_positions(self, key: str) -> ItemPositions:
        """Where each item of the top-level list `key` (an area's actions) and each of its
        values start, in file order (`ItemPositions`). Empty when the data is not a mapping
        or `key` does not hold a list."""
        data = self.data
        positions = self._positions
        if positions is None:
            return ItemPositions()
        found = ItemPositions(positions.lines, positions.columns)
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            return found
        # Inlined: this runs for every action of every area that loads.
        lines, kids = positions.lines, positions.kids
        first = lines[positions.child(0, 2 * list(data).index(key) + 1) + 1]
        shapes: dict[tuple[str, ...], tuple[str, ...]] = {}
        nodes = found.nodes
        add_keys, add_start, add_node = found.keys.append, found.starts.append, nodes.append
        for item in data[key]:
            node = kids[first]
            first += 1
            add_start(len(nodes))
            add_node(node)
            if isinstance(item, dict):
                shape = tuple(item)
                add_keys(shapes.setdefault(shape, shape))  # most items share one key order
                value = lines[node + 1] + 1  # its children: key, value, key, value...
                nodes.extend(kids[value : value + 2 * len(shape) : 2])
            else:
                add_keys(())
        return found


class ItemPositions:
    """For each item of a list (an area's actions, or its measures), in file order: where
    the item starts, and where the value of each of its keys starts.

    Kept as node numbers into the file's positions (`_Positions`, shared) and one tuple of key
    names per key order, about 4 bytes a value: a dict of (line, col) tuples per action cost
    about 1.3 KB, 13 MB of a plan of 10,000 actions, and the time to build them and to send
    them between processes.
    """

    __slots__ = ("columns", "keys", "lines", "nodes", "starts")

    def __init__(self, lines: array[int] | None = None, columns: array[int] | None = None) -> None:
        self.lines = lines if lines is not None else array("I")
        self.columns = columns if columns is not None else array("I")
        #: each item's keys in file order (items of the same order share one tuple)
        self.keys: list[tuple[str, ...]] = []
        #: where each item's nodes start in `nodes`
        self.starts = array("I")
        #: each item's node, then its keys' values' nodes
        self.nodes = array(self.lines.typecode)

    def __len__(self) -> int:
        return len(self.keys)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ItemPositions):
            return NotImplemented
        return self._all() == other._all()

    __hash__ = None  # type: ignore[assignment]  # mutable while it is built

    def _all(self) -> list[tuple[str, tuple[int, int] | None]]:
        return [(k, self.at(i, k)) for i, keys in enumerate(self.keys) for k in ("", *keys)]

    def at(self, index: int, key: str = "") -> tuple[int, int] | None:
        """1-based (line, col) where item `index` has the value of `key` (without one, or
        when the item has no such key: where the item starts); None when there is no such
        item."""
        if not 0 <= index < len(self.keys):
            return None
        at = self.starts[index]
        if key:
            keys = self.keys[index]
            if key in keys:
                at += keys.index(key) + 1
        node = self.nodes[at]
        return self.lines[node] + 1, self.columns[node] + 1

    def only(self, indexes: Sequence[int]) -> ItemPositions:
        """The positions of the items at `indexes` (in that order), those that exist."""
        kept = ItemPositions(self.lines, self.columns)
        for index in indexes:
            if 0 <= index < len(self.keys):
                start, keys = self.starts[index], self.keys[index]
                kept.starts.append(len(kept.nodes))
                kept.keys.append(keys)
                kept.nodes.extend(self.nodes[start : start + len(keys) + 1])
        return kept


class _Positions:
    """Where each node of a document starts, in 8 bytes a node (16 for a collection) and 4
    more for each collection's reference to it.

    Nodes are numbered in the order they start (the root is 0); a mapping's keys are nodes
    too, and keys starting with x- are not kept, with their values, as in the data. Node n
    starts at 0-based ``lines[n]``, ``columns[n]`` (as the parser gives them). A collection
    takes two numbers: its children are ``kids[lines[n + 1]:][:columns[n + 1]]`` (for a
    mapping: key, value, key, value...).
    """

    __slots__ = ("columns", "kids", "lines")

    def __init__(self, size: int) -> None:
        kind = "I" if size < 2**32 else "Q"  # a number here never exceeds the file's size
        self.lines, self.columns, self.kids = array(kind), array(kind), array(kind)

    def child(self, node: int, index: int) -> int:
        return self.kids[self.lines[node + 1] + index]

    def position(self, node: int) -> tuple[int, int]:
        """1-based (line, column)."""
        return self.lines[node] + 1, self.columns[node] + 1


def read_bytes(raw: bytes, display: str, *, positions: bool = True) -> Document | Problem:
    """Parse `raw` as one YAML document of plain text data. Without `positions`, where each
    value is is not kept (`Document.positioned`): the problems found are the same, but point
    at line 1 (and a duplicate key does not say the line of the first)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return error(display, 1, 1, "encoding", "is saved as UTF-16; save it as UTF-8")
    if b"\x00" in raw[:4096]:
        return error(
            display, 1, 1, "encoding",
            "holds NUL bytes: it looks like UTF-16 or a binary file (an image, a spreadsheet); "
            "save it as UTF-8 text",
        )  # fmt: skip
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        text = raw[bom:].decode("utf-8")
    except UnicodeDecodeError as e:
        at = bom + e.start
        line, col = _offset_position(raw, at, skip=bom)
        return error(
            display,
            line,
            col,
            "encoding",
            f"is not valid UTF-8 (byte 0x{raw[at]:02x}); save the file as UTF-8",
        )
    if not text.strip():
        return error(display, 1, 1, "empty-file", _EMPTY)
    conflict = _CONFLICT.search(text) if _has_conflict_marker(text) else None
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        return error(
            display,
            line,
            1,
            "merge-conflict",
            "an unresolved git merge conflict: keep the lines you want between the <<<<<<<, "
            "======= and >>>>>>> markers and delete the markers",
        )
    del text  # not kept while the document is read: a syntax error decodes it again
    data = raw[bom:]  # valid UTF-8, as the decoding just showed
    parser = None
    try:
        parser = _Parser(data)  # the pure-Python reader checks the first characters here
        return _compose(parser, display, len(data), positions)
    except yaml.MarkedYAMLError as e:
        return _syntax_problem(e, data.decode("utf-8"), display)
    except yaml.reader.ReaderError as e:
        line, col = _offset_position(data, e.position)
        return error(display, line, col, "yaml-syntax", f"cannot be read: {e.reason}")
    except yaml.YAMLError as e:  # pragma: no cover - libyaml reports everything above
        return error(display, 1, 1, "yaml-syntax", f"is not valid YAML: {e}")
    finally:
        if parser is not None:
            parser.dispose()


def _has_conflict_marker(text: str) -> bool:
    return "<<<<<<<" in text or ">>>>>>>" in text or "=======" in text


#: What an open mapping expects next: a key (_KEY), or the value of a key that is not kept
#: (_DROP); an open sequence always expects an item (_ITEM). Otherwise it holds the key.
_KEY, _DROP, _ITEM = object(), object(), object()


def _compose(parser: Any, display: str, size: int, keep: bool = True) -> Document | Problem:
    """Build the data and its positions from the parser's events, one event at a time.
    Without `keep`, the positions of scalars are not kept (a fifth of the time): for a
    reader that needs the data only, such as a report on a plan with no errors (see
    `Document.positioned`).

    Nothing is composed into a node tree and nothing recurses, so memory is the data plus
    about 12 bytes a node (`_Positions`), and deep nesting is refused where it goes too deep.
    Anchors, aliases and a second document are reported where they are met; any other
    refusal (a tag, a duplicate key...) once the rest of the file has been read for those and
    for syntax errors, which are reported first. Keys starting with x- are skipped with their
    values (only anchors, aliases and depth are checked inside them).

    The hot loop keeps the open collection in local variables (`value`, `kids`, `key`,
    `x_keys`, `node`) and its parents in `stack`: this runs once for every event of the file.
    """
    positions = _Positions(size)
    lines, columns, all_kids = positions.lines, positions.columns, positions.kids
    add_line, add_column, typecode = lines.append, columns.append, all_kids.typecode
    stack: list[tuple[Any, array[int], Any, dict[str, int], int]] = []
    root: Any = None
    # The open collection: its data, its children's nodes (a mapping: key, value, ...), what
    # it expects next, the line of each x- key (not in the data, but a duplicate all the same).
    value: Any = None
    kids: array[int] = array(typecode)
    key: Any = _ITEM
    x_keys: dict[str, int] = {}
    node = 0
    add_kid = kids.append
    depth = 0  # open collections, the root one included
    dropped = 0  # open collections inside a value that is not kept
    documents = 0
    get_event = parser.get_event
    try:
        while True:
            event = get_event()
            kind = event.__class__
            if kind is ScalarEvent:
                if event.anchor is not None:
                    return _anchor_problem(event, display)
                if dropped:
                    continue
                if key is _DROP:
                    key = _KEY
                    continue
                tag = event.tag
                if key is _KEY:
                    if tag is not None and tag != "!" and tag != _STR:
                        raise _Refused(event, "bad-key", "a key must be plain text")
                    text: str = event.value
                    if text in value:
                        raise _duplicate(event, text, value, x_keys, kids if keep else None, lines)
                    if text == "<<" and not event.style:
                        raise _Refused(
                            event, "merge-key",
                            "merge keys (<<) are not supported; write the keys out in full",
                        )  # fmt: skip
                    if text.startswith("x-"):
                        if text in x_keys:
                            raise _duplicate(event, text, value, x_keys, kids, lines)
                        x_keys[text] = event.start_mark.line
                        key = _DROP
                        continue
                    if keep:
                        mark = event.start_mark
                        add_kid(len(lines))
                        add_line(mark.line)
                        add_column(mark.column)
                    key = text
                    continue
                if tag is not None and tag != "!" and tag != _STR:
                    raise _Refused(event, "tag", _tag_message(tag))
                scalar = event.value
                if not event.style and scalar in _NULLS:  # plain: None, or "" from libyaml
                    scalar = None
                if key is _ITEM:
                    if depth:
                        value.append(scalar)
                    else:
                        root = scalar  # the whole document is one scalar
                else:
                    value[key] = scalar
                    key = _KEY
                if keep:
                    if depth:
                        add_kid(len(lines))
                    mark = event.start_mark
                    add_line(mark.line)
                    add_column(mark.column)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None:
                    return _anchor_problem(event, display)
                depth += 1
                if depth > MAX_DEPTH + 1:  # the root is level 0
                    raise _Refused(
                        event, "too-deep", f"is nested more than {MAX_DEPTH} levels deep"
                    )
                if dropped:
                    dropped += 1
                    continue
                if key is _DROP:
                    key = _KEY
                    dropped = 1
                    continue
                if key is _KEY:
                    raise _Refused(event, "bad-key", "a key must be plain text")
                is_map = kind is MappingStartEvent
                tag = event.tag
                if tag is not None and tag != "!" and tag != (_MAP if is_map else _SEQ):
                    raise _Refused(event, "tag", _tag_message(tag))
                container: Any = {} if is_map else []
                new_node = len(lines)
                if depth == 1:
                    root = container
                else:
                    add_kid(new_node)
                    if key is _ITEM:
                        value.append(container)
                    else:
                        value[key] = container
                        key = _KEY
                    stack.append((value, kids, key, x_keys, node))
                mark = event.start_mark
                add_line(mark.line)
                add_column(mark.column)
                add_line(0)  # where its children are, when they are known
                add_column(0)
                value, kids, x_keys, node = container, array(typecode), {}, new_node
                key = _KEY if is_map else _ITEM
                add_kid = kids.append
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1
                if dropped:
                    dropped -= 1
                    continue
                lines[node + 1] = len(all_kids)
                columns[node + 1] = len(kids)
                all_kids.extend(kids)
                if stack:
                    value, kids, key, x_keys, node = stack.pop()
                    add_kid = kids.append
            elif kind is AliasEvent:
                return _anchor_problem(event, display)
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return _refused(event, display, "multi-document", _MULTI)
            elif kind is StreamEndEvent:
                break
    except _Refused as refused:
        return _unless_unreadable(get_event, refused, display)
    if not documents:
        return error(display, 1, 1, "empty-file", _EMPTY)
    return Document(display, root, positions if keep else None)


class _Refused(Exception):
    """Something the data may not hold (a tag, a duplicate key...), found at `event`."""

    def __init__(self, event: Any, code: str, message: str) -> None:
        self.event, self.code, self.message = event, code, message


def _unless_unreadable(get_event: Any, refused: _Refused, display: str) -> Problem:
    """The refusal, unless the rest of the file cannot be read at all: a syntax error (raised
    from here), an anchor or alias, or a second document is reported first, as the user must
    fix it before anything else can be said about the file."""
    while True:
        event = get_event()
        kind = event.__class__
        if kind is AliasEvent or getattr(event, "anchor", None) is not None:
            return _anchor_problem(event, display)
        if kind is DocumentStartEvent:
            return _refused(event, display, "multi-document", _MULTI)
        if kind is StreamEndEvent:
            return _refused(refused.event, display, refused.code, refused.message)


def _refused(event: Any, display: str, code: str, message: str) -> Problem:
    mark = event.start_mark
    return error(display, mark.line + 1, mark.column + 1, code, message)


def _duplicate(
    event: Any,
    key: str,
    mapping: dict[str, Any],
    x_keys: dict[str, int],
    kids: array[int] | None,
    lines: array[int],
) -> _Refused:
    """A duplicate key, with the line of the first one where positions are kept (`kids`)."""
    if key in x_keys:
        first = f" (first at line {x_keys[key] + 1})"
    elif kids is not None:
        first = f" (first at line {lines[kids[2 * list(mapping).index(key)]] + 1})"
    else:
        first = ""
    return _Refused(
        event, "duplicate-key",
        f"duplicate key {key!r}{first}; YAML would keep only the last one, "
        "so remove or rename one of them",
    )  # fmt: skip


def _anchor_problem(event: Any, display: str) -> Problem:
    is_alias = event.__class__ is AliasEvent
    shown = ("*" if is_alias else "&") + str(event.anchor)
    mark = event.start_mark
    return error(
        display, mark.line + 1, mark.column + 1, "alias",
        f"{'alias' if is_alias else 'anchor'} {shown!r}: anchors and aliases are not supported; "
        "repeat the text instead",
    )  # fmt: skip


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"tags such as {shown!r} are not allowed in a plan; remove the tag"


def _syntax_problem(e: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    problem = e.problem or "is not valid YAML"
    mark = e.problem_mark or e.context_mark
    if mark is not None and "\u00a0" in text:
        # A non-breaking space pasted from Word in the indentation is the usual cause; YAML
        # reports it on the line after. Only said when the file fails, so valid text that
        # happens to start a line with one is never flagged.
        lines = text.splitlines()
        for number in (mark.line - 1, mark.line):
            if 0 <= number < len(lines) and _NBSP_INDENT.match(lines[number]):
                return error(
                    display, number + 1, 1, "yaml-syntax",
                    "a non-breaking space (often pasted from Word or a web page) is used to "
                    "indent this line; YAML indents with plain spaces only",
                )  # fmt: skip
    if "could not find expected ':'" in problem and e.context_mark is not None:
        mark = e.context_mark  # the key that lacks its colon, not the line after it
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    lines = text.splitlines()
    at = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
    if "expected a single document" in problem or (
        e.context and "expected a single document" in e.context
    ):
        return error(
            display,
            line,
            col,
            "multi-document",
            "holds more than one YAML document (a second '---'); keep one area per file",
        )
    if at == "\t" or "'\\t'" in problem:
        return error(
            display,
            line,
            col,
            "yaml-syntax",
            "a tab character is not allowed here; YAML indents with spaces only",
        )
    said = f"{problem} {e.context or ''}"
    hint = next((h for needle, h in _HINTS if needle in said), "")
    if e.context_mark is not None and e.context_mark is not mark and e.context:
        start = e.context_mark
        context = f" ({e.context} that starts at line {start.line + 1}, column {start.column + 1})"
    else:
        context = f" ({e.context})" if e.context else ""
    return error(display, line, col, "yaml-syntax", f"YAML syntax: {problem}{context}{hint}")


_HINTS = (
    ("could not find expected ':'", "; a key needs ': ' (a colon and a space) after it"),
    ("alias", "; text starting with * or & must be put in quotes"),
    ("mapping values are not allowed", "; text containing ': ' must be put in quotes"),
    ("cannot start any token", "; text starting with @, ` or % must be put in quotes"),
    ("did not find expected key", "; check the indentation of this line and the one above"),
)


def _offset_position(data: bytes, offset: int, skip: int = 0) -> tuple[int, int]:
    """1-based (line, column in characters) of byte `offset`; the first `skip` bytes (a BOM)
    are not characters."""
    line_start = max(data.rfind(b"\n", 0, offset) + 1, skip)
    column = len(data[line_start:offset].decode("utf-8", errors="replace"))
    return data.count(b"\n", 0, offset) + 1, column + 1
