"""Editors agree with `brag check`: check-jsonschema, as an editor would, reads the example
corpus and the sample plan with its own YAML parser (which types `id: 1` and `1.10` as
numbers) against the committed schemas. Every valid case passes; every invalid case that a
schema can tell is rejected. The schemas are local files: no network.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, Run

CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
AREA_SCHEMA = ROOT / "schemas" / "area.schema.json"
PLAN_SCHEMA = ROOT / "schemas" / "plan.schema.json"
INVALID = EXAMPLES / "invalid"

#: Problems no JSON Schema can see: how the YAML is written (the editor's parser reads it its
#: own way), whether an id is visible text or unique across files, whether a deadline or a day
#: exists, what a target's direction allows, numbers too large for a float.
BEYOND_SCHEMA = {
    "alias",
    "bad-date",
    "bad-deadline",
    "bad-id",
    "bad-number",
    "duplicate-id",
    "encoding",
    "invalid-value",
    "merge-key",
    "tag",
}
#: Expanded by the editor's YAML parser before any schema is applied: billion-laughs takes
#: check-jsonschema minutes and gigabytes. bragcli refuses aliases before reading further.
NOT_FED_TO_AN_EDITOR = {"billion-laughs.yaml", "alias.yaml", "anchor-unused.yaml", "merge-key.yaml"}


def _failing(schema: Path, files: list[Path]) -> set[str]:
    """The files check-jsonschema rejects (schema errors or YAML it cannot parse)."""
    assert CHECK_JSONSCHEMA.exists(), "pip install -e '.[test]' installs check-jsonschema"
    options = ["-o", "json", "--force-filetype", "yaml", "--schemafile", str(schema)]
    done = subprocess.run(
        [str(CHECK_JSONSCHEMA), *options, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(done.stdout)
    return {e["filename"] for e in report.get("errors", []) + report.get("parse_errors", [])}


def _codes(case: Path) -> set[str]:
    sidecar = case.with_suffix(".expect")
    text = (
        sidecar.read_text(encoding="utf-8")
        if sidecar.exists()
        else case.read_bytes().decode("utf-8", errors="replace")
    )
    return set(re.findall(r"(?:error|warning) \[([a-z-]+)\]", text))


def test_every_valid_case_and_the_sample_plan_pass() -> None:
    areas = sorted((EXAMPLES / "valid").glob("*.yaml")) + sorted(ROOT.glob("plans/[0-9]*.yaml"))
    assert len(areas) > 30
    assert _failing(AREA_SCHEMA, areas) == set()
    plans = [ROOT / "plans" / "plan.yaml", EXAMPLES / "plan.yaml"]
    assert _failing(PLAN_SCHEMA, plans) == set()


def test_every_invalid_case_a_schema_can_tell_is_rejected() -> None:
    cases = [
        case for case in sorted(INVALID.glob("*.yaml")) if case.name not in NOT_FED_TO_AN_EDITOR
    ]
    failing = _failing(AREA_SCHEMA, cases)
    should_fail = {str(case) for case in cases if not _codes(case) <= BEYOND_SCHEMA}
    assert len(should_fail) > 70
    assert should_fail - failing == set()


def test_invalid_plan_files_a_schema_can_tell_are_rejected() -> None:
    plans = {}
    for folder in sorted(p for p in INVALID.iterdir() if p.is_dir()):
        expected = (folder / "expected.txt").read_text(encoding="utf-8")
        codes = set(re.findall(r"plan\.yaml:\d+:\d+: error \[([a-z-]+)\]", expected))
        beyond = BEYOND_SCHEMA | {"duplicate-plan-file", "no-areas"}
        if (folder / "plan.yaml").exists() and codes and not codes <= beyond:
            plans[folder / "plan.yaml"] = codes
    assert len(plans) >= 5
    assert set(map(str, plans)) - _failing(PLAN_SCHEMA, list(plans)) == set()


# What an editor's parser gives for text bragcli reads, and the new keys, both ways.
EDITOR_TYPED = """\
# yaml-language-server: $schema=../schemas/area.schema.json
id: 1
title: 2023
lead: [Director of Children's Services]
status: Not started
impact: GREEN
actions:
  - id: 1.10
    title: Typed as a number by an editor
    lead: Principal Social Worker
    deadline: 31/03/2024
    baseline: March 2023
    status: Blue
    impact: Amber
    updated: 31/01/24
    source: Scrutiny committee, 13 December 2022, recommendation 2
    impact_evidence: Re-referrals down from 25% to 19%
    progress: One note, not a list
  - id: "1.2"
    title: Dated notes
    lead: Principal Social Worker
    deadline: TBC
    status: not yet due to start
    progress:
      - 2024-01-31: Engagement event held
      - 14 February 2024: Board met
      - "Update: quoted"
measures:
  - name: Re-referrals
    good: Lower
    target: 90
    unit: "%"
    readings:
      - {period: 2024-01, value: "41"}
      - {period: 2024-02, value: 1.5e1}
outcomes:
  - A bare outcome
"""

EDITOR_PLAN = """\
title: Plan
organisation: Council
version: 1.10
start: 01/07/2022
quarters: Financial
roles:
  Director of Children's Services: Alex Example
  Principal Social Worker: Jo Example
checks:
  stale_days: "30"
  impact_days: 120
  stale_reading_months: {monthly: 2, annual: "12"}
"""


def test_what_an_editor_types_is_valid_to_both(tmp_path: Path, run: Run) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "plan.yaml").write_text(EDITOR_PLAN, encoding="utf-8")
    (folder / "01-area.yaml").write_text(EDITOR_TYPED, encoding="utf-8")
    checked = run("check", folder, "--as-of", "2024-03-01")
    assert " error " not in checked.stdout, checked.stdout
    assert checked.exit_code == 0
    assert _failing(AREA_SCHEMA, [folder / "01-area.yaml"]) == set()
    assert _failing(PLAN_SCHEMA, [folder / "plan.yaml"]) == set()


@pytest.mark.parametrize(
    ("line", "becomes"),
    [
        ("status: Gren", "status: Gren"),
        ("updated: 2024-01-31T10:00:00", "updated: 2024-01-31T10:00:00"),
        ("updated: 1706659200", "updated: 1706659200"),
        ("progress: {2024-01-31: a mapping, not a note}", "progress: {a: b}"),
        ("lead: '   '", "lead: '   '"),
        ("source: {a: b}", "source: {a: b}"),
        ("baseline: [March 2023]", "baseline: [March 2023]"),
    ],
)
def test_what_brag_check_refuses_the_schema_refuses_too(
    tmp_path: Path, run: Run, line: str, becomes: str
) -> None:
    area = EDITOR_TYPED.replace("    status: Blue\n", "    status: Blue\n    x-was: 1\n")
    key = line.split(":")[0]
    area = re.sub(rf"(?m)^    {key}:.*\n", "", area, count=1).replace(
        "    x-was: 1\n", f"    {line}\n"
    )
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "plan.yaml").write_text(EDITOR_PLAN, encoding="utf-8")
    (folder / "01-area.yaml").write_text(area, encoding="utf-8")
    assert run("check", folder, "--as-of", "2024-03-01").exit_code == 1
    assert _failing(AREA_SCHEMA, [folder / "01-area.yaml"]) == {str(folder / "01-area.yaml")}


def test_the_sample_plans_files_name_their_schema() -> None:
    for path in sorted(ROOT.glob("plans/*.yaml")):
        kind = "plan" if path.name == "plan.yaml" else "area"
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../schemas/{kind}.schema.json", path
