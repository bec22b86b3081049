"""One date parser (`deadlines.parse_date`) for every date a user gives: `updated`, dated
progress notes, `start`, `--as-of`, `--since` and imported cells read the same text the same
way, ISO or UK day-first, with the century rule of deadlines (a two-digit year is 20YY)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from bragcli.deadlines import ShortYearDate, parse_date
from bragcli.model import Action, Plan
from bragcli.problems import BragError
from bragcli.sheets.importer import import_actions
from bragcli.source.git import since_date
from conftest import Run

JAN_31 = date(2023, 1, 31)


@pytest.mark.parametrize(
    "text",
    [
        "2023-01-31",
        "31/01/2023",
        "31/01/23",
        "31/1/23",
        "31.01.2023",
        "31-01-2023",
        "31 January 2023",
        "31 Jan 2023",
        "31 jan 23",
        "31st January 2023",
        " 31  January   2023 ",
    ],
)
def test_every_form_names_the_same_day(text: str) -> None:
    assert parse_date(text) == JAN_31


def test_a_two_digit_year_is_20yy_and_remembered() -> None:
    """The century rule of deadlines: 99 is 2099, never 1999; the date says it was short."""
    assert parse_date("01/01/99") == date(2099, 1, 1)
    assert isinstance(parse_date("31/01/23"), ShortYearDate)
    assert not isinstance(parse_date("31/01/2023"), ShortYearDate)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("31/02/23", "is not a real date: February 2023 has 28 days"),
        ("00/00/00", "has month 0, but months run from 1 to 12"),
        ("29/02/2023", "is not a real date: February 2023 has 28 days"),
        ("31/13/2023", "has month 13"),
        ("2023-01-31T10:00", "it has a time too"),
        ("1672531200", "is not a date"),
        ("20230131", "is not a date"),
        ("January 2023", "is not a date"),
        ("31/01/0000", "has the year 0000, which no calendar has"),
        ("\uff13\uff11/01/2023", "is not a date"),  # fullwidth digits look like 31
        ("31\u200b/01/2023", "is not a date"),  # a zero-width space inside
        ("\x1b[2J31/01/2023", "is not a date"),
        ("9" * 5000, "is not a date"),
    ],
)
def test_what_is_not_one_day_is_refused_saying_what_to_write(text: str, says: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    message = str(caught.value)
    assert says in message
    assert message.endswith("(31/01/2023, 31 January 2023)") or "a time too" in message


def test_updated_notes_and_start_use_the_one_parser() -> None:
    action = Action.model_validate(
        {
            "id": "1.1",
            "title": "t",
            "lead": "l",
            "status": "green",
            "updated": "31/01/23",
            "progress": [{"14 February 2023": "Board met"}, {"01/03/2023": "Event held"}],
        }
    )
    assert action.updated == JAN_31
    assert [note.date for note in action.progress] == [date(2023, 2, 14), date(2023, 3, 1)]
    assert action.last_update == date(2023, 3, 1)
    assert Plan.model_validate(
        {"title": "t", "organisation": "o", "start": "1 Jul 2022"}
    ).start == (date(2022, 7, 1))


def test_as_of_takes_a_day_first_date(run: Run, plan_dir: Callable[..., Path]) -> None:
    folder = plan_dir({"01-area.yaml": _AREA})
    iso = run("status", folder, "--as-of", "2023-03-14", "--format", "json")
    uk = run("status", folder, "--as-of", "14/03/2023", "--format", "json")
    assert uk.exit_code == 0, uk.stderr
    assert uk.stdout == iso.stdout


def test_as_of_that_is_no_day_is_a_usage_error_naming_the_fix(
    run: Run, plan_dir: Callable[..., Path]
) -> None:
    folder = plan_dir({"01-area.yaml": _AREA})
    result = run("check", folder, "--as-of", "31/02/23")
    assert result.exit_code == 2
    assert "'31/02/23' is not a real date: February 2023 has 28 days" in result.stderr
    assert "Traceback" not in result.stderr


def test_since_reads_dates_by_the_same_rule_and_leaves_revisions_alone() -> None:
    assert since_date("14/03/2023") == date(2023, 3, 14)
    assert since_date("2023-03-14") == date(2023, 3, 14)
    assert since_date("1 March 2023") == date(2023, 3, 1)
    assert since_date("v1.0") is None
    assert since_date("HEAD~3") is None
    with pytest.raises(BragError, match="February 2023 has 28 days"):
        since_date("31/02/2023")


def test_import_reads_two_digit_years_and_words() -> None:
    rows = [
        ["id", "action", "lead", "status", "updated"],
        ["1.1", "A", "L", "green", "31/01/23"],
        ["1.2", "B", "L", "green", "31 Jan 2023"],
        ["1.3", "C", "L", "green", "2023-01-31 10:00:00"],
        ["1.4", "D", "L", "green", "31/02/23"],
    ]
    imported = import_actions(rows)
    (area,) = imported.areas
    actions = area.actions
    assert [a.updated for a in actions] == [JAN_31, JAN_31, JAN_31]
    assert [p.row for p in imported.problems] == [5]
    assert "updated '31/02/23' is not a date" in imported.problems[0].message


_AREA = """\
id: "1"
title: Example area
actions:
  - id: "1.1"
    title: Do the thing
    lead: Principal Social Worker
    deadline: March 2023
    status: green
    updated: 01/03/2023
"""
