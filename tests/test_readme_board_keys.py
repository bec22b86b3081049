"""The README's "Keys for the board" example is a real area file: it loads, checks clean with
the sample plan's plan.yaml, gives the values the README says, and the schema accepts it."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

from bragcli.model import Area, Note, Rating
from bragcli.source.load import area_result
from bragcli.source.yamlread import read_bytes
from conftest import ROOT, Run

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _example() -> str:
    found = re.search(r"<!-- example: board-keys -->\n```yaml\n(.*?)```", README, re.DOTALL)
    assert found, "README lost its board-keys example"
    return found.group(1)


def test_the_example_loads_with_the_values_the_readme_describes() -> None:
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
    section = README.split("### Keys for the board", 1)[1].split("\n### Deadlines", 1)[0]
    for key in ("lead", "status", "impact", "source", "baseline", "impact_evidence", "DATE: text"):
        assert key in section, key
    for code in (
        "area-rating-optimistic",
        "impact-unevidenced",
        "blue-without-impact",
        "stale-reading",
        "id-area-mismatch",
        "stale_reading_months",
        "impact_days",
    ):
        assert code in section, code
    for code in ("overdue-not-started", "impact-unevidenced", "stale-reading", "id-area-mismatch"):
        assert f"| `{code}` |" in README, code
