"""The period of a measure's reading, and when its latest reading is stale: one threshold
(`deadlines.reading_is_stale`), for brag status and the stale-reading rule alike. And how
brag status shows hostile measures."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from rich.cells import cell_len

from bragcli.deadlines import READING_GRACE_MONTHS, reading_is_stale, reading_period
from conftest import Run


@pytest.mark.parametrize(
    ("period", "cadence", "current_until"),
    [
        ("2023-05", "month", date(2023, 8, 31)),
        ("May 2023", "month", date(2023, 8, 31)),
        ("2023-05-31", "month", date(2023, 8, 31)),
        ("Q1 2023", "quarter", date(2023, 9, 30)),
        ("Spring 2023", "quarter", date(2023, 11, 30)),
        ("2021-22", "year", date(2023, 9, 30)),  # a financial year: to March 2022, +18 months
        ("FY 2022/23", "year", date(2024, 9, 30)),
        ("2023", "year", date(2025, 6, 30)),
        ("2023-12", "month", date(2024, 3, 31)),  # across the turn of the year
    ],
)
def test_reading_periods_and_their_grace(period: str, cadence: str, current_until: date) -> None:
    found = reading_period(period)
    assert found is not None
    assert (found.cadence, found.current_until()) == (cadence, current_until)
    assert reading_is_stale(period, current_until) is False
    assert reading_is_stale(period, date.fromordinal(current_until.toordinal() + 1)) is True


def test_the_grace_is_3_6_and_18_months() -> None:
    assert READING_GRACE_MONTHS == {"month": 3, "quarter": 6, "year": 18}


@pytest.mark.parametrize(
    "period",
    ["soon", "", "2023-13", "2023-00", "0000-01", "\x1b[31m2023-05", "2023-05\nx", "TBC",
     "9" * 5000, "\uff12\uff10\uff12\uff13-\uff10\uff15"],  # the last in fullwidth digits
)  # fmt: skip
def test_a_period_that_is_not_a_date_is_never_stale(period: str) -> None:
    assert reading_period(period) is None
    assert reading_is_stale(period, date(2030, 1, 1)) is None


def test_the_last_years_do_not_overflow() -> None:
    found = reading_period("2199-12")
    assert found is not None and found.current_until() == date(2200, 3, 31)


def test_status_shows_hostile_measures_safely(
    run: Run, plan_dir: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    area = (
        'id: "1"\ntitle: Area\nactions: []\nmeasures:\n'
        '  - name: "Caseload\\e[2J\\e]0;pwned\\a"\n    unit: "%"\n    good: higher\n'
        '    readings:\n      - {period: "soon", value: 1e300}\n'
        '      - {period: "later", value: -1e300}\n'
        '  - name: "Foster carers \\e[31m"\n'
    )
    folder = plan_dir({"01.yaml": area})
    monkeypatch.setenv("COLUMNS", "80")
    result = run("status", str(folder), "--as-of", "2023-07-18", "--color", "never")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "Caseload\\x1b[2J" in out
    assert "-1e+300% in later · before: 1e+300% in soon" in out
    assert "stale" not in out.split("Measures that matter")[1]  # periods that are no dates
    assert "No data yet (1)" in out
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    document = json.loads(
        run("status", str(folder), "--as-of", "2023-07-18", "--format", "json").stdout
    )
    first, second = document["measures"]
    assert (first["stale"], first["value"], first["change_unit"]) == (None, -1e300, "pp")
    assert second["has_data"] is False
