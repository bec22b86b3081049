"""The rules that tell a board the truth (issue 13): each misleading case of the Herefordshire
play-through, as `brag check` reports it, on a small plan written in the test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

PLAN = """\
title: Example plan
organisation: Example Council
start: 2022-07-01
roles:
  Director of Children's Services: Alex Example
  Service Director (Improvement): Gail Hancock
{extra}"""

AS_OF = "2023-07-18"

MakePlan = Callable[..., Path]


def _action(
    id: str, status: str, deadline: str = "March 2023", extra: str = "", lead: str = ""
) -> str:
    return (
        f'  - id: "{id}"\n    title: Action {id}\n'
        f"    lead: {lead or 'Service Director (Improvement)'}\n"
        f"    deadline: {deadline}\n    status: {status}\n    updated: 2023-07-01\n{extra}"
    )


def _area(id: str, *actions: str, head: str = "", measures: str = "") -> str:
    return f'id: "{id}"\ntitle: Area {id}\n{head}actions:\n' + "".join(actions) + measures


def _check(run: Run, folder: Path, *args: str) -> list[str]:
    result = run("check", folder, "--as-of", AS_OF, *args)
    assert "Traceback" not in result.stderr
    return [line.split(": ", 1)[1] for line in result.stdout.splitlines()]


@pytest.fixture
def make(plan_dir: MakePlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MakePlan:
    """A plan folder `plan` of the given area files; the current folder is its parent."""
    monkeypatch.chdir(tmp_path)

    def build(*areas: str, extra: str = "") -> Path:
        plan_dir(
            {f"{n:02d}-area.yaml": text for n, text in enumerate(areas, 1)},
            plan=PLAN.format(extra=extra),
        )
        return Path("plan")

    return build


# --- overdue-not-started --------------------------------------------------------------------


def test_not_started_past_its_deadline_contradicts_the_key(run: Run, make: MakePlan) -> None:
    folder = make(_area("1", _action("1.1", "not started"), _action("1.2", "not started", "2024")))
    assert _check(run, folder) == [
        "warning [overdue-not-started] action 1.1 is rated not started ('not yet due to start') "
        "but its deadline 'March 2023' passed 109 days ago; rate it red if it has not started, "
        "or agree a new deadline"
    ]
    assert _check(run, folder, "--disable", "overdue-not-started") == []


# --- area-rating-optimistic -----------------------------------------------------------------


def test_an_area_rated_green_with_a_red_or_overdue_action_is_optimistic(
    run: Run, make: MakePlan
) -> None:
    folder = make(
        _area(
            "1",
            _action("1.1", "red", "2024"),
            _action("1.2", "amber"),  # overdue: March 2023
            _action("1.3", "green", "2024"),
            head="status: Green\n",
        ),
        _area("2", _action("2.1", "red", "2024"), head="status: amber\n"),
        _area("3", _action("3.1", "blue"), _action("3.2", "green", "2024"), head="status: blue\n"),
    )
    assert _check(run, folder, "--disable", "overdue-green") == [
        "warning [area-rating-optimistic] area 1 is rated green (on track) but action 1.1 is red; "
        "action 1.2 is amber and 109 days overdue; re-rate the area, or bring those actions up "
        "to date",
        "warning [area-rating-optimistic] area 3 is rated blue (completed) but action 3.2 is "
        "green; re-rate the area, or bring those actions up to date",
    ]


def test_the_area_warning_points_at_the_areas_status_line(run: Run, make: MakePlan) -> None:
    folder = make(_area("1", _action("1.1", "red", "2024"), head="lead: []\nstatus: green\n"))
    result = run("check", folder, "--as-of", AS_OF)
    assert result.stdout.startswith("plan/01-area.yaml:4:9: warning [area-rating-optimistic]")


def test_an_optimistic_area_lists_three_actions_then_counts(run: Run, make: MakePlan) -> None:
    actions = [_action(f"1.{n}", "red", "2024") for n in range(1, 7)]
    folder = make(_area("1", *actions, head="status: green\n"))
    (line,) = _check(run, folder)
    assert "action 1.3 is red; and 3 more; re-rate" in line


# --- id-area-mismatch -----------------------------------------------------------------------


def test_an_id_of_another_area_filed_here_is_found(run: Run, make: MakePlan) -> None:
    folder = make(
        _area("4", _action("4.1", "green", "2024")),
        _area("10", _action("10.1", "green", "2024"), _action("4.7", "green", "2024")),
        _area("1", _action("1.1", "green", "2024")),
    )
    assert _check(run, folder) == [
        "warning [id-area-mismatch] action 4.7 is in area 10, but its id begins with area 4's "
        "id ('Area 4'); move it to that area, or renumber it as 10.N"
    ]


def test_look_alike_ids_are_compared_as_ids_are(run: Run, make: MakePlan) -> None:
    """A fullwidth 4 (U+FF14) in 4.7 is the id 4.7 (model.id_key), so it is area 4's too."""
    folder = make(
        _area("4", _action("4.1", "green", "2024")),
        _area("10", _action("10.1", "green", "2024"), _action("\uff14.7", "green", "2024")),
    )
    (line,) = _check(run, folder)
    assert line.startswith("warning [id-area-mismatch] action \uff14.7 is in area 10")


def test_a_plan_whose_ids_are_not_area_prefixed_is_not_judged(run: Run, make: MakePlan) -> None:
    folder = make(
        _area("A", _action("1", "green", "2024"), _action("2", "green", "2024")),
        _area("B", _action("A-3", "green", "2024")),
    )
    assert _check(run, folder) == []


# --- stale-reading --------------------------------------------------------------------------

MEASURE = """\
measures:
  - name: Re-referrals
    good: lower
    unit: "%"
    readings:
{readings}"""


def _readings(*periods: str) -> str:
    return MEASURE.format(
        readings="".join(f"      - {{period: {p}, value: 20}}\n" for p in periods)
    )


@pytest.mark.parametrize(
    ("periods", "stale"),
    [
        (("2023-03", "2023-04"), False),  # ended 30 April: 3 months is 30 July
        (("2023-03",), True),  # ended 31 March: over 3 months before 18 July
        (("Q4 2022/23",), False),  # a quarter ending March 2023: 6 months
        (("Q3 2022/23",), True),  # ended December 2022
        (("2021-22",), False),  # an annual figure that ended March 2022: 18 months is Sept 2023
        (("2020-21",), True),
        (("2021-22", "2020-21"), False),  # the latest is the period that ends last
        (("2022-23",), False),
        (("2022",), False),  # a calendar year: to June 2024
        (("Baseline",), False),  # a period that names no date is not judged
    ],
)
def test_a_latest_reading_older_than_its_period_and_grace_is_stale(
    run: Run, make: MakePlan, periods: tuple[str, ...], stale: bool
) -> None:
    folder = make(_area("1", _action("1.1", "green", "2024"), measures=_readings(*periods)))
    found = _check(run, folder)
    assert bool(found) is stale, found
    if stale:
        assert found[0].startswith("warning [stale-reading] measure 'Re-referrals': latest reading")


def test_stale_reading_message_and_position(run: Run, make: MakePlan) -> None:
    folder = make(_area("1", _action("1.1", "green", "2024"), measures=_readings("2020-21")))
    result = run("check", folder, "--as-of", AS_OF)
    assert result.stdout == (
        "plan/01-area.yaml:15:7: warning [stale-reading] measure 'Re-referrals': latest reading "
        "is for '2020-21', which ended 2021-03-31: over 18 months before 2023-07-18 for an "
        "annual figure; add the newest reading, or say why it is not yet published\n"
    )


def test_stale_reading_grace_is_configurable(run: Run, make: MakePlan) -> None:
    area = _area("1", _action("1.1", "green", "2024"), measures=_readings("2023-05"))
    assert _check(run, make(area)) == []
    strict = make(area, extra="checks:\n  stale_reading_months: {monthly: 1}\n")
    assert _check(run, strict)[0].startswith("warning [stale-reading]")
    assert "over 1 month before" in _check(run, strict)[0]


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ("{monthly: 99999999999999999999}", "is not a whole number of months from 0 to 1200"),
        ("{annual: 1201}", "is not a whole number of months from 0 to 1200"),
        ("{quarterly: -1}", "is not a whole number of months"),
        ("{monthly: 1e3}", "is not a whole number of months"),
        ('{monthly: "\\e[2J3"}', "'\\x1b[2J3' is not a whole number of months"),
        ("{weekly: 1}", "unknown key 'weekly'"),
        ("[3, 6, 18]", "should be a mapping of keys"),
    ],
)
def test_a_bad_grace_is_a_clear_error_of_plan_yaml(
    run: Run, make: MakePlan, setting: str, says: str
) -> None:
    folder = make(
        _area("1", _action("1.1", "green", "2024")),
        extra=f"checks:\n  stale_reading_months: {setting}\n",
    )
    result = run("check", folder, "--as-of", AS_OF)
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith("plan/plan.yaml:8:") and " error [" in line
    assert says in line
    assert "\x1b" not in result.stdout


# --- blue-without-impact, age-aware; stale-progress from dated notes ------------------------


@pytest.mark.parametrize(
    ("extra", "fires"),
    [
        ("", True),  # updated 2023-07-01 as in _action, then made older below
        ("    progress:\n      - 2023-06-30: Impact review booked\n", False),
        ("    impact: not started\n", False),
    ],
)
def test_blue_without_impact_waits_90_days_after_the_last_update(
    run: Run, make: MakePlan, extra: str, fires: bool
) -> None:
    action = _action("1.1", "blue", extra=extra).replace("2023-07-01", "2023-03-01")
    found = _check(run, make(_area("1", action)))
    assert bool(found) is fires, found
    if fires:
        assert found == [
            "warning [blue-without-impact] action 1.1 is blue (completed), last updated "
            "2023-03-01, 139 days before 2023-07-18 (over 90), but has no impact rating; add "
            "impact: to say how its impact is being tested"
        ]


def test_a_recently_completed_action_or_one_without_dates_is_not_judged(
    run: Run, make: MakePlan
) -> None:
    recent = _action("1.1", "blue")  # updated 17 days before
    undated = _action("1.2", "blue").replace("    updated: 2023-07-01\n", "")
    assert _check(run, make(_area("1", recent, undated))) == []


def test_impact_days_is_configurable(run: Run, make: MakePlan) -> None:
    action = _action("1.1", "blue").replace("2023-07-01", "2023-03-01")
    folder = make(_area("1", action), extra="checks:\n  impact_days: 200\n")
    assert _check(run, folder) == []


def test_stale_progress_uses_the_newest_dated_note(run: Run, make: MakePlan) -> None:
    fresh = _action("1.1", "green", "2024", extra="    progress:\n      - 01/07/23: Met\n")
    old_note = (
        _action("1.2", "green", "2024", extra="    progress:\n      - 1 March 2023: Met\n")
    ).replace("    updated: 2023-07-01\n", "")
    folder = make(_area("1", fresh.replace("2023-07-01", "2023-01-01"), old_note))
    result = run("check", folder, "--as-of", AS_OF)
    assert result.stdout == (
        "plan/01-area.yaml:18:7: warning [stale-progress] action 1.2: progress last updated "
        "2023-03-01, 139 days before 2023-07-18 (over 42); ask the lead for an update\n"
    )


# --- impact-unevidenced ---------------------------------------------------------------------


def test_impact_unevidenced_is_off_until_enabled(run: Run, make: MakePlan) -> None:
    rated = _action("1.1", "green", "2024", extra="    impact: green\n")
    evidenced = _action(
        "1.2",
        "green",
        "2024",
        extra="    impact: amber\n    impact_evidence: Re-referrals down from 25% to 19%\n",
    )
    untested = _action("1.3", "green", "2024", extra="    impact: not started\n")
    folder = make(_area("1", rated, evidenced, untested))
    assert _check(run, folder) == []
    assert _check(run, folder, "--enable", "impact-unevidenced") == [
        "warning [impact-unevidenced] action 1.1 has an impact rating (green) but no "
        "impact_evidence; add impact_evidence: with what shows the difference it made"
    ]
    enabled = make(_area("1", rated), extra="checks:\n  enable: [impact-unevidenced]\n")
    assert len(_check(run, enabled)) == 1


# --- unknown-lead on area owners ------------------------------------------------------------


def test_an_area_owner_outside_the_roles_is_found_and_why_it_matters(
    run: Run, make: MakePlan
) -> None:
    folder = make(
        _area("1", _action("1.1", "green", "2024"), head="lead: Service Director Improvement\n")
    )
    result = run("check", folder, "--as-of", AS_OF)
    assert result.stdout == (
        "plan/01-area.yaml:3:7: warning [unknown-lead] area 1: owner (lead) 'Service Director "
        "Improvement' is not in the plan's roles; did you mean 'Service Director (Improvement)'? "
        "(--lead lists an area's actions for its owner by role and holder, so they are easy to "
        "miss)\n"
    )


@pytest.mark.parametrize(
    ("lead", "shown"),
    [
        # Cyrillic o (U+043E) for the o of Director: looks the same, is another role
        ("Service Direct\u043er (Improvement)", "'Service Direct\u043er (Improvement)'"),
        # an ESC sequence is shown escaped, never sent to the terminal
        ('"\\e[2JService Director (Improvement)"', "'\\x1b[2JService Director (Improvement)'"),
        # a zero-width space inside
        ("Service\u200b Director (Improvement)", "'Service\\u200b Director (Improvement)'"),
    ],
)
def test_look_alike_owners_are_not_the_role(
    run: Run, make: MakePlan, lead: str, shown: str
) -> None:
    folder = make(_area("1", _action("1.1", "green", "2024"), head=f"lead: [{lead}]\n"))
    (line,) = _check(run, folder)
    assert line.startswith(f"warning [unknown-lead] area 1: owner (lead) {shown} is not")
    assert "did you mean 'Service Director (Improvement)'?" in line
    assert "\x1b" not in line


# --- baseline: the deadline grammar, checked at load ----------------------------------------


def test_a_baseline_is_checked_like_a_deadline(run: Run, make: MakePlan) -> None:
    bad = _action("1.1", "green", "2024", extra="    baseline: Marhc 2023\n")
    short = _action("1.2", "green", "2024", extra="    baseline: 31/3/99\n")
    result = run("check", make(_area("1", bad, short)), "--as-of", AS_OF)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "plan/01-area.yaml:10:15: error [bad-deadline] action 1.1: baseline 'Marhc 2023' is not "
        'a date bragcli understands; accepted forms include "March 2023", "20/12/2022" and '
        '"Q1 2023/24"',
        "plan/01-area.yaml:17:15: warning [two-digit-year] action 1.2: baseline '31/3/99' is read "
        "as 2099 (a two-digit year means 20YY), over 10 years from the plan's start "
        "(2022-07-01); write the year in full",
    ]


def test_two_digit_years_in_updated_and_notes_are_warned_about(run: Run, make: MakePlan) -> None:
    action = _action("1.1", "green", "2024", extra="    progress:\n      - 01/01/99: Met\n")
    result = run(
        "check", make(_area("1", action.replace("2023-07-01", "01/07/98"))), "--as-of", AS_OF
    )
    assert [line.split(" warning ")[1] for line in result.stdout.splitlines()] == [
        "[two-digit-year] action 1.1: updated is read as 2098 (a two-digit year means 20YY), "
        "over 10 years from the plan's start (2022-07-01); write the year in full",
        "[two-digit-year] action 1.1: progress note 1's date is read as 2099 (a two-digit year "
        "means 20YY), over 10 years from the plan's start (2022-07-01); write the year in full",
    ]


# --- source and evidence are only ever text -------------------------------------------------


def test_escape_sequences_in_source_and_evidence_stay_text(run: Run, make: MakePlan) -> None:
    extra = (
        '    source: "\\e]0;pwned\\a Scrutiny committee"\n'
        '    impact: green\n    impact_evidence: ["\\e[2J", "ok"]\n'
    )
    folder = make(_area("1", _action("1.1", "green", "2024", extra=extra)))
    assert _check(run, folder) == []
    status = run("status", folder, "--as-of", AS_OF)
    assert status.exit_code == 0 and "\x1b]0" not in status.stdout
