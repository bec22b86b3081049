"""JSON output that is quick to write and easy to read: one item of each list per line.

json.dump with indent= runs Python's pure-Python encoder, call by call: for a plan of 10,000
actions that was most of `brag status --format json`. Here every value is encoded by the C
encoder (no indent) and only the outer structure is laid out: the top-level keys on their own
lines, and each element of a top-level list on its own line.

JSON escapes C0 control characters itself. The other characters that `safetext.visible`
escapes (DEL, C1 controls such as the one-byte CSI, bidi overrides, invisible characters) are
written as `\\uXXXX` escapes too, and so is the `[` of GitHub's legacy `##[command]`: the
output holds the same data, and is safe to show in a terminal or a CI log.
"""

from __future__ import annotations

import json
import re
from typing import Any, TextIO

from bragcli.safetext import INVISIBLE, legacy_command

_plain_encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
_UNSAFE = re.compile(f"[{INVISIBLE}]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _encode(value: Any) -> str:
    """One value as JSON, with the characters a terminal or a CI log would act on escaped."""
    text = _plain_encode(value)
    if text.isascii() and "\x7f" not in text:  # the common case: JSON has escaped C0
        return text.replace("##[", "##\\u005b") if "##[" in text else text
    text = _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return legacy_command().sub(lambda m: m.group(1) + "\\u005b", text)


def dump(document: Any, out: TextIO) -> None:
    """Write `document` (a dict or a list) as JSON, followed by a newline.

    Where `out` cannot encode a character (standard output in ASCII, say), every non-ASCII
    character is written as a JSON escape, so the output is still exact, valid JSON.
    """
    text = _layout(document, "") + "\n"
    if not text.isascii():
        try:
            text.encode(getattr(out, "encoding", None) or "utf-8")
        except (UnicodeEncodeError, LookupError):
            text = _NON_ASCII.sub(lambda m: json.dumps(m.group())[1:-1], text)
    out.write(text)


def _layout(value: Any, indent: str) -> str:
    inner = indent + "  "
    if isinstance(value, dict) and value and not indent:
        items = [f"{inner}{_encode(k)}: {_layout(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value and len(indent) <= 2:
        items = [inner + _encode(v) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return _encode(value)
