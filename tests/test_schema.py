"""The JSON Schemas: generated from the models, committed, and kept in step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bragcli.schema import schema_text
from conftest import ROOT, Run


@pytest.mark.parametrize("kind", ["area", "plan"])
def test_committed_schema_is_up_to_date(kind: str) -> None:
    committed = (ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(kind), (
        f"schemas/{kind}.schema.json is out of date: run `brag schema {kind} -o "
        f"schemas/{kind}.schema.json` and commit it"
    )


def test_area_schema_forbids_unknown_keys_but_allows_x_keys() -> None:
    action = json.loads(schema_text("area"))["$defs"]["Action"]
    assert action["additionalProperties"] is False
    assert action["patternProperties"] == {"^x-": {}}
    assert action["required"] == ["id", "title", "lead", "status"]
    # editors complete from the enum; a pattern accepts any case (test_schema_editors.py)
    assert json.loads(schema_text("area"))["$defs"]["Rating"]["anyOf"][0]["enum"] == [
        "blue",
        "green",
        "amber",
        "red",
        "not-started",
    ]


def test_schema_command_prints_and_writes(run: Run, tmp_path: Path) -> None:
    printed = run("schema", "plan")
    assert printed.exit_code == 0
    assert json.loads(printed.stdout)["title"] == "bragcli plan.yaml"
    target = tmp_path / "area.json"
    written = run("schema", "-o", target)
    assert written.stderr == f"brag schema: wrote {target}\n"
    assert target.read_text(encoding="utf-8") == schema_text("area")
