"""The "Keys for the board" example of docs/plan-format.md is a real area file: it loads, checks
clean with the sample plan's plan.yaml, gives the values the page says, and the schema accepts
it."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

from bragcli.model import Area, Note, Rating
from bragcli.source.load import area_result
from bragcli.source.yamlread import read_bytes
from conftest import ROOT, Run
from docpages import page, section

PLAN_FORMAT = page("plan-format.md")


def _example() -> str:
    found = re.search(r"<!-- example: board-keys -->\n```yaml\n(.*?)```", PLAN_FORMAT, re.DOTALL)
    assert found, "docs/plan-format.md lost its board-keys example"
    return found.group(1)


def test_the_example_loads_with_the_values_the_page_describes() -> None:
    result = area_result(read_bytes(_example().encode(), "03-risk-of-harm.yaml"))
    assert not isinstance(result, list), [str(p) for p in result]
    area: Area = result.area
    assert area.lead == ["Service Director (Safeguarding and Family Support)"]
    assert (area.status, area.impact) == (Rating.AMBER, Rating.NOT_STARTED)
    (action,) = area.actions
    assert action.baseline == "April 2023"
    assert len(action.source) == 2 and len(action.impact_evidence) == 1
    assert action.progress[1] == Note(
        text="Sub group recommended the Get Safe model", date=date(2022, 12, 14)
    )
    assert action.progress[2].date is None
    assert action.last_update == date(2022, 12, 14)


def test_the_example_checks_clean_in_the_sample_plan(tmp_path: Path, run: Run) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(ROOT / "plans" / "plan.yaml", folder / "plan.yaml")
    (folder / "03-risk-of-harm.yaml").write_text(_example(), encoding="utf-8")
    result = run(
        "check", folder, "--as-of", "2022-12-20", "--strict", "--enable", "impact-unevidenced"
    )
    assert (result.exit_code, result.stdout) == (0, "")


def test_every_new_key_and_rule_is_documented() -> None:
    # the section and the Dates after it, as when the README held them
    keys = section(PLAN_FORMAT, "## Keys for the board") + section(PLAN_FORMAT, "## Dates")
    for key in ("lead", "status", "impact", "source", "baseline", "impact_evidence", "DATE: text"):
        assert key in keys, key
    for code in (
        "area-rating-optimistic",
        "impact-unevidenced",
        "blue-without-impact",
        "stale-reading",
        "id-area-mismatch",
        "stale_reading_months",
        "impact_days",
    ):
        assert code in keys, code
    rules = page("rules.md")
    for code in ("overdue-not-started", "impact-unevidenced", "stale-reading", "id-area-mismatch"):
        assert f"| `{code}` |" in rules, code
