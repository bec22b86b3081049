"""JSON output that is quick to write and easy to read: one item of each list per line.

json.dump with indent= runs Python's pure-Python encoder, call by call: for a plan of 10,000
actions that was most of `brag status --format json`. Here every value is encoded by the C
encoder (no indent) and only the outer structure is laid out: the top-level keys on their own
lines, and each element of a top-level list on its own line.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

_encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def dump(document: Any, out: TextIO) -> None:
    """Write `document` (a dict or a list) as JSON, followed by a newline."""
    out.write(_layout(document, "") + "\n")


def _layout(value: Any, indent: str) -> str:
    inner = indent + "  "
    if isinstance(value, dict) and value and not indent:
        items = [f"{inner}{_encode(k)}: {_layout(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value and len(indent) <= 2:
        items = [inner + _encode(v) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return _encode(value)
