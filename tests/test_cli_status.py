"""`brag status` and `brag actions` end to end: filters, formats, errors (golden output:
test_goldens.py)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, SAMPLE_AS_OF, SAMPLE_PLAN, Run


@pytest.fixture(autouse=True)
def _fixed_width(monkeypatch: pytest.MonkeyPatch) -> None:
    # Not a terminal and no COLUMNS: rich lays out at 100 columns, as in a CI log.
    monkeypatch.delenv("COLUMNS", raising=False)


def status(run: Run, *args: str) -> dict[str, Any]:
    result = run("status", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_terminal_output_is_plain_text_when_piped(run: Run) -> None:
    out = run("status", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF).stdout
    assert "\x1b[" not in out
    assert all(line == line.rstrip() for line in out.splitlines())
    assert max(len(line) for line in out.splitlines()) <= 100


def test_colour_always_still_shows_every_rating_as_a_word(run: Run) -> None:
    out = run("status", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, "--color", "always").stdout
    assert "\x1b[" in out
    for word in ("Blue", "Green", "Amber", "Red", "started"):
        assert word in out


def test_json_contract(run: Run) -> None:
    document = status(run)
    assert document["plan"]["title"] == "Herefordshire Children's Services Improvement Plan"
    assert document["as_of"] == "2022-12-15"
    assert set(document["totals"]) >= {
        "blue", "green", "amber", "red", "not-started", "actions", "overdue", "due_soon"
    }  # fmt: skip
    assert document["totals"]["actions"] == 62 == len(document["actions"])
    assert [a["id"] for a in document["areas"]] == [str(i) for i in range(1, 11)]
    first = document["actions"][0]
    assert first == {
        "id": "1.1",
        "area": "1",
        "title": first["title"],
        "lead": ["Director of Programme Management Office & Performance"],
        "holders": [None],
        "area_lead": [],
        "area_status": None,
        "area_impact": None,
        "source": ["Ofsted ILACS inspection, July 2022, area for improvement 1"],
        "deadline": "October 2022",
        "due": "2022-10-31",
        "baseline": None,
        "replanned": None,
        "status": "blue",
        "impact": "green",
        "overdue": False,
        "days_overdue": 0,
        "due_soon": False,
        "stale": False,
        "updated": "2022-11-24",
    }
    overdue = [a for a in document["actions"] if a["overdue"]]
    assert [(a["id"], a["days_overdue"]) for a in overdue] == [("3.1", 318)]
    no_date = next(a for a in document["actions"] if a["id"] == "7.4")
    assert (no_date["deadline"], no_date["due"]) == (None, None)


def test_area_filter_applies_to_totals(run: Run) -> None:
    document = status(run, "--area", "3", "--area", "10")
    assert [a["id"] for a in document["areas"]] == ["3", "10"]
    assert document["totals"]["actions"] == 8 + 6
    assert {a["area"] for a in document["actions"]} == {"3", "10"}


def test_lead_filter_matches_role_or_holder_in_any_case(run: Run) -> None:
    by_holder = status(run, "--lead", "HANCOCK")
    by_role = status(run, "--lead", "service director (improvement)")
    assert [a["id"] for a in by_holder["actions"]] == [a["id"] for a in by_role["actions"]]
    assert by_holder["totals"]["actions"] == 7
    assert {a["lead"][0] for a in by_holder["actions"]} == {"Service Director (Improvement)"}


def test_status_filter_is_repeatable_and_case_insensitive(run: Run) -> None:
    document = status(run, "--status", "RED", "--status", "not started")
    assert {a["status"] for a in document["actions"]} == {"red", "not-started"}
    assert document["totals"]["actions"] == 4 + 3
    assert document["totals"]["green"] == 0


def test_overdue_filter(run: Run) -> None:
    document = status(run, "--overdue")
    assert [a["id"] for a in document["actions"]] == ["3.1"]
    assert [a["id"] for a in document["areas"]] == ["3"]


def test_due_within_changes_due_soon(run: Run) -> None:
    assert status(run)["totals"]["due_soon"] == 7
    assert status(run, "--due-within", "0")["totals"]["due_soon"] == 0
    # 7 due in December, 5 in January, 4 in February (6.1 is done, so not due).
    assert status(run, "--due-within", "80")["totals"]["due_soon"] == 7 + 5 + 4


def test_unknown_area_is_a_usage_error(run: Run) -> None:
    result = run("status", SAMPLE_PLAN, "--area", "11")
    assert result.exit_code == 2
    assert "no improvement area with id '11'" in result.stderr
    assert "the areas are 1, 2, 3, 4, 5, 6, 7, 8, 9, 10" in result.stderr


def test_bad_rating_option_is_a_usage_error(run: Run) -> None:
    result = run("status", SAMPLE_PLAN, "--status", "purple")
    assert result.exit_code == 2
    assert "'purple' is not a rating" in result.stderr


def test_plan_with_errors_prints_them_and_no_report(
    run: Run, plan_dir: Callable[..., Path]
) -> None:
    folder = plan_dir({"01.yaml": "id: '1'\ntitle: Area\nactions:\n  - id: '1.1'\n"})
    result = run("status", folder)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "01.yaml:4:5: error [missing-key] action 1.1: missing required key 'title'" in (
        result.stderr
    )
    assert "fix them first (brag check lists them)" in result.stderr


def test_default_plan_folder(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert (
        run("status", "--as-of", SAMPLE_AS_OF).stdout
        == run("status", "plans", "--as-of", SAMPLE_AS_OF).stdout
    )


def test_status_csv_is_the_rollup(run: Run) -> None:
    out = run("status", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["area"] for r in rows] == [*(str(i) for i in range(1, 11)), "total"]
    assert rows[-1]["actions"] == "62"


def test_actions_csv_neutralises_formulas(run: Run, plan_dir: Callable[..., Path]) -> None:
    area = (
        "id: '1'\ntitle: Area\nactions:\n"
        "  - id: '1.1'\n    title: '=HYPERLINK(\"http://evil\", \"click\")'\n"
        "    lead: '@SUM(A1)'\n    deadline: March 2023\n    status: green\n"
    )
    folder = plan_dir({"01.yaml": area})
    out = run("actions", folder, "--as-of", "2023-01-31", "--format", "csv").stdout
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["title"] == '\'=HYPERLINK("http://evil", "click")'
    assert row["lead"] == "'@SUM(A1)"


def test_actions_json_is_a_list_of_actions(run: Run) -> None:
    result = run("actions", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, "--format", "json", "--area", "1")
    ids = [a["id"] for a in json.loads(result.stdout)]
    assert ids == [f"1.{i}" for i in range(1, 10)]


def test_actions_flags(run: Run) -> None:
    result = run("actions", SAMPLE_PLAN, "--as-of", "2023-02-10", "--format", "markdown")
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("| 3.1 |"))
    assert "overdue 375 days" in line
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("| 3.4 |"))
    assert "due soon" in line and "stale" in line
