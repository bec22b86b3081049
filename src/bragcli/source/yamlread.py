"""Read one YAML file into plain data, safely, keeping a way back to source positions.

What this guarantees (each is a real failure of hand-edited YAML):

* every scalar is text: no resolver runs, so ``1.10`` stays ``"1.10"``, ``NO`` stays ``"NO"``,
  ``010`` stays ``"010"``; an empty plain value (and ``~``/``null``) is ``None``;
* a duplicate key is an error naming both lines (PyYAML would silently keep the last);
* anchors, aliases, merge keys (``<<``), tags and multi-document files are refused: alias
  expansion is a memory bomb and tags are code;
* size, encoding, tabs and syntax errors become `Problem`s with a position, never a traceback.

The C parser (libyaml) is used when PyYAML has it, the pure-Python one otherwise.
"""

from __future__ import annotations

import codecs
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from bragcli.problems import Problem, error

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_DEFAULT_TAGS: dict[type[Node], str] = {ScalarNode: _STR, SequenceNode: _SEQ, MappingNode: _MAP}
_EMPTY = "is empty: it holds nothing but blank lines or comments"
_NBSP_INDENT = re.compile(r"[ \t]*\u00a0")
#: git's conflict markers, at the start of a line
_CONFLICT = re.compile(r"^(?:<{7}|>{7})(?: |$)|^={7}$", re.MULTILINE)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))

if LIBYAML:
    from yaml._yaml import CParser

    class _Parser(CParser, BaseResolver):
        """libyaml's parser and composer with a resolver that knows no implicit types."""

        def __init__(self, stream: bytes) -> None:
            CParser.__init__(self, stream)
            BaseResolver.__init__(self)

        def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
            # Called by the composer for every untagged node: with no implicit resolvers the
            # answer depends on the kind alone, so skip BaseResolver's general machinery.
            return _DEFAULT_TAGS[kind]

        # Called around every node for path resolvers, which bragcli does not have.
        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

else:  # pragma: no cover - exercised only where PyYAML was built without libyaml

    class _Parser(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        BaseResolver,
    ):
        def __init__(self, stream: bytes) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            BaseResolver.__init__(self)


@dataclass(slots=True)
class Document:
    """A file read successfully: its plain data and its node tree for positions."""

    path: str
    data: Any
    root: Node

    def locate(self, loc: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        """1-based (line, col) of the value at `loc`, or of its key with ``key=True``.

        Walks as far down `loc` as the tree goes, so a missing key points at its parent.
        """
        node: Node = self.root
        key_node: Node | None = None
        for part in loc:
            if isinstance(node, MappingNode) and isinstance(part, str):
                for k, v in node.value:
                    if isinstance(k, ScalarNode) and k.value == part:
                        key_node, node = k, v
                        break
                else:
                    break
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    key_node, node = None, node.value[part]
                else:
                    break
            else:
                break
        target = key_node if key and key_node is not None else node
        return target.start_mark.line + 1, target.start_mark.column + 1


class _Refused(Exception):
    def __init__(self, node: Node, code: str, message: str) -> None:
        self.node, self.code, self.message = node, code, message


def read_file(path: Path, display: str, *, max_bytes: int = MAX_FILE_BYTES) -> Document | Problem:
    """Read `path` (shown to users as `display`). Returns the document or the one problem."""
    try:
        info = path.stat()
        size = info.st_size
        if stat.S_ISDIR(info.st_mode):
            return error(display, 1, 1, "unreadable", "is a folder, not a YAML file; rename it")
        if not stat.S_ISREG(info.st_mode):
            # A FIFO, socket or device would block or never end: never open one.
            return error(display, 1, 1, "unreadable", "is not a regular file; remove it")
        if size > max_bytes:
            return error(
                display,
                1,
                1,
                "file-too-large",
                f"is {_size(size)}, over the {_size(max_bytes)} limit for one plan file; "
                "split the area, or raise the limit with --max-file-size",
            )
        raw = path.read_bytes()
    except OSError as e:
        reason = e.strerror or str(e)
        return error(display, 1, 1, "unreadable", f"cannot be read: {reason}")
    return read_bytes(raw, display)


def read_bytes(raw: bytes, display: str) -> Document | Problem:
    """Parse `raw` as one YAML document of plain text data."""
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
    data = raw[bom:]  # valid UTF-8, as the decoding just showed
    if _maybe_anchor(text) or _might_be_deep(text):
        found = _scan_events(data, display)
        if found is not None:
            return found
    parser = _Parser(data)
    try:
        root = parser.get_single_node()
    except yaml.MarkedYAMLError as e:
        return _syntax_problem(e, text, display)
    except yaml.reader.ReaderError as e:
        line, col = _offset_position(data, e.position)
        return error(display, line, col, "yaml-syntax", f"cannot be read: {e.reason}")
    except yaml.YAMLError as e:  # pragma: no cover - libyaml reports everything above
        return error(display, 1, 1, "yaml-syntax", f"is not valid YAML: {e}")
    finally:
        parser.dispose()
    if root is None:
        return error(display, 1, 1, "empty-file", _EMPTY)
    try:
        value = _to_data(root, 0)
    except _Refused as r:
        mark = r.node.start_mark
        return error(display, mark.line + 1, mark.column + 1, r.code, r.message)
    return Document(display, value, root)


def _has_conflict_marker(text: str) -> bool:
    return "<<<<<<<" in text or ">>>>>>>" in text or "=======" in text


def _might_be_deep(text: str) -> bool:
    """Whether the text could nest more than MAX_DEPTH levels (cheap, never a false 'no').

    A block level starts at a greater column than its parent, so block depth is at most the
    longest line; each flow level needs a '[' or '{'. Composing a deeply nested document
    recurses in C and can overflow the stack, so such text is first scanned event by event.
    """
    bound = text.count("[") + text.count("{") + max(map(len, text.splitlines()), default=0)
    return bound > 1000


def _to_data(node: Node, depth: int) -> Any:
    """Plain data from a node tree. Hot path: scalars inside collections are handled inline."""
    if depth > MAX_DEPTH:
        raise _Refused(node, "too-deep", f"is nested more than {MAX_DEPTH} levels deep")
    kind = node.__class__
    if kind is ScalarNode:
        return _scalar(node)
    if kind is SequenceNode:
        if node.tag != _SEQ:
            raise _Refused(node, "tag", _tag_message(node.tag))
        return [
            _scalar(item) if item.__class__ is ScalarNode else _to_data(item, depth + 1)
            for item in node.value
        ]
    if kind is MappingNode:
        if node.tag != _MAP:
            raise _Refused(node, "tag", _tag_message(node.tag))
        result: dict[str, Any] = {}
        seen: dict[str, Node] = {}
        for knode, vnode in node.value:
            if knode.__class__ is not ScalarNode or knode.tag != _STR:
                raise _Refused(knode, "bad-key", "a key must be plain text")
            key = knode.value
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise _Refused(
                    knode,
                    "duplicate-key",
                    f"duplicate key {key!r} (first at line {first}); YAML would keep "
                    "only the last one, so remove or rename one of them",
                )
            seen[key] = knode
            if key == "<<" and not knode.style:
                raise _Refused(
                    knode,
                    "merge-key",
                    "merge keys (<<) are not supported; write the keys out in full",
                )
            if key.startswith("x-"):
                continue
            if vnode.__class__ is ScalarNode:
                result[key] = _scalar(vnode)
            else:
                result[key] = _to_data(vnode, depth + 1)
        return result
    raise _Refused(node, "yaml-syntax", "is not a YAML value")  # pragma: no cover


def _scalar(node: Any) -> str | None:
    if node.tag != _STR:
        raise _Refused(node, "tag", _tag_message(node.tag))
    value: str = node.value
    if not node.style and value in _NULLS:  # plain style: None, or "" from libyaml
        return None
    return value


def _maybe_anchor(text: str) -> bool:
    """Whether an anchor (&a) or alias (*a) may start somewhere: after a space, a flow
    indicator or at the start, and followed by a name. Cheap: str.find over '&' and '*'.
    Text such as "Fostering, Adoption & Placements" is not a candidate; "**bold**" is, and
    then the event scan decides."""
    for sign in "&*":
        at = text.find(sign)
        while at != -1:
            before = text[at - 1] if at else " "
            after = text[at + 1 : at + 2]
            if (
                (before.isspace() or before in "[]{},")
                and after
                and not (after.isspace() or after in "[]{},")
            ):
                return True
            at = text.find(sign, at + 1)
    return False


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"tags such as {shown!r} are not allowed in a plan; remove the tag"


def _scan_events(data: bytes, display: str) -> Problem | None:
    """Scan parser events (no composition, so no expansion and no recursion) for anchors,
    aliases and nesting deeper than MAX_DEPTH. Syntax errors are left to the composer."""
    parser = _Parser(data)
    depth = 0
    try:
        while parser.check_event():
            event: Any = parser.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark: Any = event.start_mark
                    line, col = mark.line + 1, mark.column + 1
                    message = f"is nested more than {MAX_DEPTH} levels deep"
                    return error(display, line, col, "too-deep", message)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                shown = ("*" if isinstance(event, yaml.AliasEvent) else "&") + str(anchor)
                kind = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
                return error(
                    display,
                    event.start_mark.line + 1,
                    event.start_mark.column + 1,
                    "alias",
                    f"{kind} {shown!r}: anchors and aliases are not supported; "
                    "repeat the text instead",
                )
    except yaml.YAMLError:
        return None  # the composer reports it, with the same position
    finally:
        parser.dispose()
    return None


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


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 104_858 else f"{n / 1024:.1f} KB"


def _offset_position(data: bytes, offset: int, skip: int = 0) -> tuple[int, int]:
    """1-based (line, column in characters) of byte `offset`; the first `skip` bytes (a BOM)
    are not characters."""
    line_start = max(data.rfind(b"\n", 0, offset) + 1, skip)
    column = len(data[line_start:offset].decode("utf-8", errors="replace"))
    return data.count(b"\n", 0, offset) + 1, column + 1
