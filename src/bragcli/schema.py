"""JSON Schemas of the plan format, generated from the models (`brag schema`)."""

from __future__ import annotations

import json
from typing import Any

from bragcli.model import Area, Plan

SCHEMA_IDS = {
    "area": "bragcli-area.schema.json",
    "plan": "bragcli-plan.schema.json",
}


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


def schema_for(kind: str) -> dict[str, Any]:
    model = Area if kind == "area" else Plan
    body = model.model_json_schema()
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
