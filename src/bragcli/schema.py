"""JSON Schemas of the plan format, generated from the models (`brag schema`).

An editor checks a file against the schema with the file as its own YAML parser reads it, and
that differs from bragcli's reader, which gives every scalar as text: an editor sees `id: 1`
and `1.10` as numbers, `target: 90` as a number, `title: yes` as true. So the schema accepts
what bragcli accepts (`reader_types`): text may be written as a number or true/false, a number
as text, ratings and choices in any case (`Blue`, `Not started`), dates in every form
`deadlines.parse_date` reads, a bare outcome text, one note where a list of notes is allowed,
and an empty key where a list or the `checks:` mapping is. The tests check every valid and
invalid example and the sample plan with check-jsonschema against it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bragcli.model import NOT_STARTED_SPELLINGS, Area, Plan, Rating

SCHEMA_IDS = {
    "area": "bragcli-area.schema.json",
    "plan": "bragcli-plan.schema.json",
}

#: What an editor's YAML parser may give for text that bragcli reads as text.
_SCALAR = ["string", "number", "boolean"]
#: A number written as text (`value: "41"`), by the rule of `model.parse_number`.
_NUMBER_TEXT = r"^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$"
_DIGITS_TEXT = r"^\s*[0-9]+\s*$"
#: The shapes of the dates `deadlines.parse_date` reads (whether the day exists is left to
#: brag check): 2023-01-31, 31/01/2023, 31.01.23, 31 January 2023, 31st of Jan 2023.
_DATE_TEXT = (
    r"^\s*([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"|[0-9]{1,2}([/.-])[0-9]{1,2}\2([0-9]{2}|[0-9]{4})"
    r"|[0-9]{1,2}(st|nd|rd|th)?( of)?[ -][A-Za-z]{3,9}\.?,?[ -]([0-9]{2}|[0-9]{4}))\s*$"
)
#: Text that must not be empty once trimmed, as bragcli trims it.
_NOT_BLANK = r"\S"
#: Keys that may be written empty (`actions:`): bragcli reads them as an empty list or mapping.
_MAY_BE_EMPTY = {
    "Area": ("lead", "actions", "outcomes", "measures"),
    "Measure": ("readings",),
    "Checks": ("disable", "enable", "stale_reading_months"),
    "": ("checks",),
}
_CHOICES = (
    (tuple(r.value for r in Rating), tuple(NOT_STARTED_SPELLINGS)),
    (("higher", "lower", "range"), ()),
    (("calendar", "financial"), ()),
)


def _allow_local_keys(node: Any) -> None:
    """Every object forbids unknown keys but allows x- prefixed ones, as bragcli does."""
    if isinstance(node, dict):
        if node.get("additionalProperties") is False:
            node["patternProperties"] = {"^x-": {}}
        for value in node.values():
            _allow_local_keys(value)
    elif isinstance(node, list):
        for value in node:
            _allow_local_keys(value)


def _any_case(words: tuple[str, ...], more: tuple[str, ...]) -> dict[str, Any]:
    """Text that is one of `words` (or `more`) in any case, with spaces as the reader allows:
    the enum lets editors complete, the pattern accepts `Blue` and `Not started`. (The words
    hold only letters, spaces, - and _, none of them special in a regular expression.)"""
    assert all(re.fullmatch(r"[a-z _-]+", w) for w in (*words, *more))

    def letters(word: str) -> str:
        return "".join(
            f"[{c.upper()}{c.lower()}]" if c.isalpha() else (r"\s+" if c == " " else c)
            for c in word
        )

    alternatives = "|".join(letters(w) for w in sorted({*words, *more}))
    return {
        "anyOf": [
            {"enum": list(words)},
            {"type": "string", "pattern": rf"^\s*({alternatives})\s*$"},
        ]
    }


def _reader_types(node: Any) -> Any:
    """The schema of `node` widened to what bragcli's reader accepts (see the module's note)."""
    if isinstance(node, list):
        return [_reader_types(value) for value in node]
    if not isinstance(node, dict):
        return node
    node = {key: _reader_types(value) for key, value in node.items()}
    enum = node.get("enum")
    for words, more in _CHOICES:
        if enum == list(words):
            extra = {k: v for k, v in node.items() if k in ("title", "description", "default")}
            return {**extra, **_any_case(words, more)}
    kind = node.get("type")
    if node.get("format") == "date":
        del node["format"]  # 31/01/2023 and 31 January 2023 are dates too
        node["pattern"] = _DATE_TEXT
        node["description"] = (
            node.get("description", "") + " Written 2023-01-31, 31/01/2023, 31/01/23 or "
            "31 January 2023."
        ).strip()
    elif kind == "string" and "enum" not in node:
        node["type"] = _SCALAR
        if node.get("minLength") == 1 and "pattern" not in node:
            node["pattern"] = _NOT_BLANK
    elif kind == "number":
        rest = {k: v for k, v in node.items() if k != "type"}
        return {**rest, "anyOf": [{"type": "number"}, {"type": "string", "pattern": _NUMBER_TEXT}]}
    elif kind == "integer":
        node["type"] = ["integer", "string"]
        node["pattern"] = _DIGITS_TEXT
    return node


def _may_be_empty(schema: dict[str, Any]) -> None:
    defs = schema.get("$defs", {})
    for name, keys in _MAY_BE_EMPTY.items():
        target = defs.get(name) if name else schema
        properties = (target or {}).get("properties", {})
        for key in keys:
            if key in properties:
                field = properties[key]
                properties[key] = {"anyOf": [{"type": "null"}, field]}


def _bare_forms(schema: dict[str, Any]) -> None:
    """An outcome may be its text alone; progress may be one note instead of a list."""
    defs = schema.get("$defs", {})
    outcome = defs.get("Outcome")
    if outcome is not None:
        defs["Outcome"] = {"anyOf": [{"type": _SCALAR, "minLength": 1}, outcome]}
    action = defs.get("Action")
    if action is not None:
        progress = action["properties"]["progress"]
        items = progress["items"]
        action["properties"]["progress"] = {
            **{k: v for k, v in progress.items() if k not in ("type", "items")},
            "anyOf": [{"type": _SCALAR}, {"type": "array", "items": items}],
        }


def schema_for(kind: str) -> dict[str, Any]:
    model = Area if kind == "area" else Plan
    body: dict[str, Any] = _reader_types(model.model_json_schema())
    _may_be_empty(body)
    _bare_forms(body)
    _allow_local_keys(body)
    title = "bragcli improvement area file" if kind == "area" else "bragcli plan.yaml"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_IDS[kind],
        **body,
        "title": title,
        "description": "bragcli plan format, version 1. " + (body.get("description") or ""),
    }


def schema_text(kind: str) -> str:
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"
