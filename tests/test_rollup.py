"""compute.rollup: overdue, due soon, stale, totals, filters, measures and the status roll-up.

Everything here is a pure function of (plan, as_of): every test passes its as-of date in, and
the models are built from the plain text a YAML file would give.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from bragcli.compute.rollup import (
    DEFAULT_STALE_DAYS,
    ActionView,
    Filters,
    build_status,
    meets_target,
    totals,
    view_actions,
    view_measures,
)
from bragcli.compute.timing import DEFAULT_DUE_WITHIN, days_overdue, is_due_soon, is_stale
from bragcli.deadlines import Window
from bragcli.model import Action, Area, Measure, Plan, Rating

AS_OF = date(2023, 3, 15)
LEAD = "Head of Quality"
HOLDER = "Jane Smith"


# --- builders -----------------------------------------------------------------------------------


def make_plan(**fields: Any) -> Plan:
    data = {"title": "Test plan", "organisation": "Test org", "roles": {LEAD: HOLDER}}
    return Plan.model_validate({**data, **fields})


def action(
    action_id: str,
    status: str = "green",
    deadline: str | None = None,
    *,
    lead: str | list[str] = LEAD,
    impact: str | None = None,
    updated: str | None = None,
) -> dict[str, Any]:
    """An action as the YAML reader gives it: every value is text; None keys are left out."""
    data: dict[str, Any] = {
        "id": action_id,
        "title": f"Action {action_id}",
        "lead": lead,
        "status": status,
        "deadline": deadline,
        "impact": impact,
        "updated": updated,
    }
    return {key: value for key, value in data.items() if value is not None}


def measure(
    name: str, good: str | None = None, target: str | None = None, *values: str
) -> dict[str, Any]:
    """A measure with one monthly reading per value, oldest first."""
    data: dict[str, Any] = {
        "name": name,
        "readings": [{"period": f"2023-{i:02}", "value": v} for i, v in enumerate(values, 1)],
    }
    if good is not None:
        data["good"] = good
    if target is not None:
        data["target"] = target
    return data


def area(area_id: str, *actions: dict[str, Any], measures: tuple[dict[str, Any], ...] = ()) -> Area:
    return Area.model_validate(
        {
            "id": area_id,
            "title": f"Area {area_id}",
            "actions": list(actions),
            "measures": list(measures),
        }
    )


def view_one(
    data: dict[str, Any],
    as_of: date = AS_OF,
    plan: Plan | None = None,
    *,
    due_within: int = DEFAULT_DUE_WITHIN,
) -> ActionView:
    """The computed view of a single action at `as_of`."""
    (view,) = view_actions(plan or make_plan(), [area("1", data)], as_of, due_within=due_within)
    return view


def ids(views: list[ActionView]) -> list[str]:
    return [v.action.id for v in views]


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- overdue ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "as_of", "expected"),
    [
        pytest.param("20/12/2022", "2022-12-19", 0, id="day-before"),
        pytest.param("20/12/2022", "2022-12-20", 0, id="on-the-day"),
        pytest.param("20/12/2022", "2022-12-21", 1, id="day-after"),
        pytest.param("March 2023", "2023-03-01", 0, id="month-first-day"),
        pytest.param("March 2023", "2023-03-31", 0, id="month-last-day"),
        pytest.param("March 2023", "2023-04-01", 1, id="month-day-after"),
        pytest.param("March 2023", "2023-04-30", 30, id="month-thirty-days-late"),
        pytest.param("February 2024", "2024-02-29", 0, id="leap-february-last-day"),
        pytest.param("February 2024", "2024-03-01", 1, id="leap-february-day-after"),
    ],
)
def test_days_overdue_counts_from_the_day_after_the_window(
    deadline: str, as_of: str, expected: int
) -> None:
    view = view_one(action("1.1", "amber", deadline), d(as_of))
    assert view.days_overdue == expected
    assert view.overdue is (expected > 0)


def test_whole_month_window_ends_on_the_last_day_of_the_month() -> None:
    view = view_one(action("1.1", "green", "March 2023"))
    assert view.window == Window(d("2023-03-01"), d("2023-03-31"))
    assert view.due == d("2023-03-31")
    assert view.days_left == 16


@pytest.mark.parametrize(
    ("quarters", "due", "overdue_on_1_april"),
    [
        pytest.param("calendar", "2023-03-31", 1, id="calendar"),
        pytest.param("financial", "2023-06-30", 0, id="financial"),
    ],
)
def test_single_year_quarter_follows_the_plans_quarters(
    quarters: str, due: str, overdue_on_1_april: int
) -> None:
    plan = make_plan(quarters=quarters)
    assert view_one(action("1.1", "green", "Q1 2023"), d("2023-04-01"), plan).due == d(due)
    assert view_one(action("1.1", "green", "Q1 2023"), d(due), plan).days_overdue == 0
    next_day = d(due) + timedelta(days=1)
    assert view_one(action("1.1", "green", "Q1 2023"), next_day, plan).days_overdue == 1
    april = view_one(action("1.1", "green", "Q1 2023"), d("2023-04-01"), plan)
    assert april.days_overdue == overdue_on_1_april


def test_financial_q1_is_not_overdue_in_april() -> None:
    """The case users hit: a financial-year plan must not flag Q1 work as late in April."""
    plan = make_plan(quarters="financial")
    view = view_one(action("1.1", "green", "Q1 2023"), d("2023-06-20"), plan)
    assert (view.overdue, view.due_soon, view.days_left) == (False, True, 10)


def test_blue_is_never_overdue_nor_due_soon() -> None:
    long_ago = view_one(action("1.1", "blue", "January 2020"))
    assert (long_ago.days_overdue, long_ago.overdue) == (0, False)
    due_now = view_one(action("1.2", "blue", "15/03/2023"))
    assert due_now.due_soon is False


@pytest.mark.parametrize("status", [r for r in Rating if r is not Rating.BLUE])
def test_every_rating_but_blue_can_be_overdue(status: Rating) -> None:
    assert view_one(action("1.1", status.value, "January 2023")).days_overdue == 43


@pytest.mark.parametrize(
    "deadline",
    [
        pytest.param(None, id="no-deadline"),
        pytest.param("TBC", id="TBC"),
        pytest.param("ongoing", id="ongoing"),
        pytest.param("", id="empty"),
        pytest.param("when funding allows", id="not-a-date"),
    ],
)
@pytest.mark.parametrize("as_of", [d("1990-01-01"), AS_OF, d("2199-12-31")])
def test_an_action_without_a_date_is_never_overdue_nor_due_soon(
    deadline: str | None, as_of: date
) -> None:
    view = view_one(action("1.1", "red", deadline), as_of)
    assert view.window is None
    assert (view.overdue, view.due_soon, view.due, view.days_left) == (False, False, None, None)


def test_days_overdue_and_is_due_soon_on_raw_windows() -> None:
    march = Window(d("2023-03-01"), d("2023-03-31"))
    assert days_overdue(march, Rating.RED, d("2023-04-02")) == 2
    assert days_overdue(march, Rating.BLUE, d("2023-04-02")) == 0
    assert days_overdue(None, Rating.RED, d("2023-04-02")) == 0
    assert is_due_soon(march, Rating.AMBER, d("2023-03-31"), 0) is True
    assert is_due_soon(march, Rating.AMBER, d("2023-04-01"), 30) is False
    assert is_due_soon(None, Rating.AMBER, d("2023-03-31"), 30) is False


# --- due soon -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "due_within", "expected"),
    [
        pytest.param("15/03/2023", 30, True, id="due-today"),
        pytest.param("14/04/2023", 30, True, id="exactly-within-days"),
        pytest.param("15/04/2023", 30, False, id="one-day-beyond"),
        pytest.param("22/03/2023", 7, True, id="exactly-7-days"),
        pytest.param("23/03/2023", 7, False, id="8-days-with-7"),
        pytest.param("15/03/2023", 0, True, id="today-with-0"),
        pytest.param("16/03/2023", 0, False, id="tomorrow-with-0"),
        pytest.param("April 2023", 30, False, id="month-ending-beyond"),
        pytest.param("March 2023", 16, True, id="month-ending-within"),
    ],
)
def test_due_soon_includes_the_last_day_of_the_horizon(
    deadline: str, due_within: int, expected: bool
) -> None:
    view = view_one(action("1.1", "green", deadline), AS_OF, due_within=due_within)
    assert view.due_soon is expected
    assert view.overdue is False


def test_an_overdue_action_is_not_also_due_soon() -> None:
    view = view_one(action("1.1", "red", "14/03/2023"), AS_OF, due_within=365)
    assert (view.overdue, view.due_soon) == (True, False)


# --- stale --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "updated", "stale_days", "expected"),
    [
        pytest.param("green", "2023-02-01", 42, False, id="exactly-42-days"),
        pytest.param("green", "2023-01-31", 42, True, id="43-days"),
        pytest.param("amber", "2023-03-08", 7, False, id="exactly-7-days"),
        pytest.param("amber", "2023-03-07", 7, True, id="8-days-with-7"),
        pytest.param("green", "2023-03-15", 0, False, id="updated-today"),
        pytest.param("not started", "2020-01-01", 42, True, id="not-started-years-ago"),
        pytest.param("blue", "2020-01-01", 42, False, id="blue-never"),
        pytest.param("red", None, 42, False, id="never-updated"),
    ],
)
def test_is_stale(status: str, updated: str | None, stale_days: int, expected: bool) -> None:
    act = Action.model_validate(action("1.1", status, updated=updated))
    assert is_stale(act, AS_OF, stale_days) is expected


def test_view_actions_uses_the_default_stale_days() -> None:
    assert DEFAULT_STALE_DAYS == 42
    boundary = (AS_OF - timedelta(days=42)).isoformat()
    past = (AS_OF - timedelta(days=43)).isoformat()
    views = view_actions(
        make_plan(),
        [area("1", action("1.1", updated=boundary), action("1.2", updated=past))],
        AS_OF,
    )
    assert [v.stale for v in views] == [False, True]


# --- totals -------------------------------------------------------------------------------------


def test_totals_count_ratings_impacts_overdue_and_due_soon() -> None:
    areas = [
        area(
            "1",
            action("1.1", "blue", "January 2023", impact="green"),
            action("1.2", "green", "20/03/2023", impact="amber"),
            action("1.3", "green", "TBC"),
        ),
        area(
            "2",
            action("2.1", "amber", "February 2023", impact="amber"),
            action("2.2", "red", "10/03/2023"),
            action("2.3", "red", "31/03/2023"),
            action("2.4", "Not started", "December 2023"),
        ),
    ]
    result = totals(view_actions(make_plan(), areas, AS_OF))
    assert result.actions == 7
    assert result.status == {
        Rating.BLUE: 1,
        Rating.GREEN: 2,
        Rating.AMBER: 1,
        Rating.RED: 2,
        Rating.NOT_STARTED: 1,
    }
    assert result.impact == {
        Rating.BLUE: 0,
        Rating.GREEN: 1,
        Rating.AMBER: 2,
        Rating.RED: 0,
        Rating.NOT_STARTED: 0,
    }
    assert result.impact_rated == 3
    assert result.overdue == 2  # 2.1 and 2.2; 1.1 is blue
    assert result.due_soon == 2  # 1.2 and 2.3


def test_totals_of_nothing_are_zero() -> None:
    result = totals([])
    assert (result.actions, result.overdue, result.due_soon, result.impact_rated) == (0, 0, 0, 0)
    assert set(result.status.values()) == {0}


# --- filters ------------------------------------------------------------------------------------

FILTER_PLAN = make_plan(roles={LEAD: HOLDER, "Director of Nursing": "Sam Patel"})
FILTER_AREAS = [
    area(
        "1",
        action("1.1", "green", "January 2023", lead=LEAD),
        action("1.2", "red", "June 2023", lead="Director of Nursing"),
    ),
    area(
        "2",
        action("2.1", "amber", "February 2023", lead=["Practice Manager", "Director of Nursing"]),
        action("2.2", "blue", "January 2023", lead="Practice Manager"),
        action("2.3", "red", "TBC", lead="Unlisted Role"),
    ),
    area("3"),
]


def kept(filters: Filters) -> list[str]:
    views = view_actions(FILTER_PLAN, FILTER_AREAS, AS_OF)
    return ids([v for v in views if filters.keep(v, FILTER_PLAN)])


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param(Filters(), ["1.1", "1.2", "2.1", "2.2", "2.3"], id="none"),
        pytest.param(Filters(areas=("2",)), ["2.1", "2.2", "2.3"], id="one-area"),
        pytest.param(Filters(areas=("1", "3")), ["1.1", "1.2"], id="two-areas"),
        pytest.param(Filters(areas=("9",)), [], id="unknown-area"),
        pytest.param(Filters(statuses=(Rating.RED,)), ["1.2", "2.3"], id="red"),
        pytest.param(
            Filters(statuses=(Rating.RED, Rating.AMBER)), ["1.2", "2.1", "2.3"], id="red-amber"
        ),
        pytest.param(Filters(overdue_only=True), ["1.1", "2.1"], id="overdue"),
        pytest.param(Filters(lead="quality"), ["1.1"], id="lead-role-substring"),
        pytest.param(Filters(lead="HEAD OF"), ["1.1"], id="lead-role-case"),
        pytest.param(Filters(lead="jane"), ["1.1"], id="lead-holder"),
        pytest.param(Filters(lead="SMITH"), ["1.1"], id="lead-holder-case"),
        pytest.param(Filters(lead="patel"), ["1.2", "2.1"], id="lead-holder-joint"),
        pytest.param(Filters(lead="practice"), ["2.1", "2.2"], id="lead-role-joint"),
        pytest.param(Filters(lead="unlisted"), ["2.3"], id="lead-role-without-holder"),
        pytest.param(Filters(lead="nobody"), [], id="lead-no-match"),
        pytest.param(
            Filters(areas=("2",), lead="nursing", overdue_only=True), ["2.1"], id="combined"
        ),
        pytest.param(Filters(statuses=(Rating.RED,), overdue_only=True), [], id="combined-none"),
    ],
)
def test_filters_keep(filters: Filters, expected: list[str]) -> None:
    assert kept(filters) == expected


# --- build_status -------------------------------------------------------------------------------


def test_build_status_without_filters_lists_every_area_even_an_empty_one() -> None:
    status = build_status(FILTER_PLAN, FILTER_AREAS, AS_OF)
    assert [s.area.id for s in status.areas] == ["1", "2", "3"]
    assert [s.totals.actions for s in status.areas] == [2, 3, 0]
    assert status.totals.actions == 5
    assert ids(status.actions) == ["1.1", "1.2", "2.1", "2.2", "2.3"]


@pytest.mark.parametrize(
    ("filters", "area_rows", "total"),
    [
        pytest.param(Filters(lead="nursing"), {"1": 1, "2": 1}, 2, id="lead"),
        pytest.param(Filters(lead="quality"), {"1": 1}, 1, id="lead-one-area"),
        pytest.param(Filters(statuses=(Rating.BLUE,)), {"2": 1}, 1, id="status"),
        pytest.param(Filters(overdue_only=True), {"1": 1, "2": 1}, 2, id="overdue"),
        pytest.param(Filters(areas=("2", "3")), {"2": 3}, 3, id="area-without-actions"),
        pytest.param(Filters(lead="nobody"), {}, 0, id="nothing-matches"),
    ],
)
def test_build_status_filters_apply_to_totals_and_area_rows(
    filters: Filters, area_rows: dict[str, int], total: int
) -> None:
    status = build_status(FILTER_PLAN, FILTER_AREAS, AS_OF, filters=filters)
    assert {s.area.id: s.totals.actions for s in status.areas} == area_rows
    assert status.totals.actions == total == len(status.actions)
    assert status.totals.overdue == len(status.overdue)


def test_build_status_area_totals_count_only_matching_actions() -> None:
    status = build_status(FILTER_PLAN, FILTER_AREAS, AS_OF, filters=Filters(statuses=(Rating.RED,)))
    row = {s.area.id: s.totals for s in status.areas}
    assert row["1"].status[Rating.RED] == 1 and row["1"].status[Rating.GREEN] == 0
    assert row["2"].status[Rating.RED] == 1 and row["2"].status[Rating.AMBER] == 0
    assert status.totals.status[Rating.RED] == 2
    assert sum(status.totals.status.values()) == 2


MEASURE_AREAS = [
    area("1", action("1.1", lead=LEAD), measures=(measure("Waits", "lower", "18", "20"),)),
    area("2", action("2.1", lead="Other"), measures=(measure("Uptake", "higher", "90", "85"),)),
    area("3", measures=(measure("Audits", None, None, "4"),)),
]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param(Filters(), ["Waits", "Uptake", "Audits"], id="none"),
        pytest.param(Filters(areas=("2",)), ["Uptake"], id="area"),
        pytest.param(Filters(areas=("3", "1")), ["Waits", "Audits"], id="areas-in-plan-order"),
        pytest.param(Filters(lead="quality"), ["Waits", "Uptake", "Audits"], id="lead"),
        pytest.param(Filters(statuses=(Rating.RED,)), ["Waits", "Uptake", "Audits"], id="status"),
        pytest.param(Filters(overdue_only=True), ["Waits", "Uptake", "Audits"], id="overdue"),
    ],
)
def test_only_the_area_filter_restricts_measures(filters: Filters, expected: list[str]) -> None:
    status = build_status(make_plan(), MEASURE_AREAS, AS_OF, filters=filters)
    assert [m.measure.name for m in status.measures] == expected


def test_build_status_passes_due_within_and_stale_days_through() -> None:
    areas = [area("1", action("1.1", "green", "22/03/2023", updated="2023-03-01"))]
    status = build_status(make_plan(), areas, AS_OF, due_within=7, stale_days=13)
    assert status.due_within == 7
    assert (status.actions[0].due_soon, status.actions[0].stale) == (True, True)
    status = build_status(make_plan(), areas, AS_OF, due_within=6, stale_days=14)
    assert (status.actions[0].due_soon, status.actions[0].stale) == (False, False)


# --- the status lists ---------------------------------------------------------------------------


def test_status_overdue_is_longest_overdue_first() -> None:
    areas = [
        area(
            "1",
            action("1.1", "amber", "10/03/2023"),  # 5 days
            action("1.2", "red", "January 2023"),  # 43 days
            action("1.3", "green", "TBC"),
        ),
        area(
            "2",
            action("2.1", "blue", "January 2022"),  # complete: never overdue
            action("2.2", "not started", "14/03/2023"),  # 1 day
            action("2.3", "amber", "February 2023"),  # 15 days
        ),
    ]
    status = build_status(make_plan(), areas, AS_OF)
    assert ids(status.overdue) == ["1.2", "2.3", "1.1", "2.2"]
    assert [v.days_overdue for v in status.overdue] == [43, 15, 5, 1]


def test_status_red_leaves_out_red_actions_already_overdue() -> None:
    areas = [
        area(
            "1",
            action("1.1", "red", "January 2023"),  # overdue: listed under overdue only
            action("1.2", "red", "December 2023"),
            action("1.3", "amber", "December 2023"),
            action("1.4", "red", "TBC"),
        )
    ]
    status = build_status(make_plan(), areas, AS_OF)
    assert ids(status.red) == ["1.2", "1.4"]
    assert ids(status.overdue) == ["1.1"]


def test_status_due_soon_is_by_due_date_then_natural_id_order() -> None:
    areas = [
        area("1", action("1.1", "green", "10/04/2023"), action("1.9", "green", "TBC")),
        area("4", action("4.5", "amber", "20/03/2023")),
        area(
            "10",
            action("10.2", "green", "20/03/2023"),
            action("10.10", "green", "20/03/2023"),
            action("10.3", "red", "16/03/2023"),
            action("10.4", "green", "14/03/2023"),  # overdue, not due soon
        ),
    ]
    status = build_status(make_plan(), areas, AS_OF)
    assert ids(status.due_soon) == ["10.3", "4.5", "10.2", "10.10", "1.1"]
    assert status.totals.due_soon == 5


# --- measures -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("good", "target", "value", "expected"),
    [
        pytest.param("higher", "90", 90.0, True, id="higher-at-target"),
        pytest.param("higher", "90", 95.5, True, id="higher-above"),
        pytest.param("higher", "90", 89.9, False, id="higher-below"),
        pytest.param("lower", "18", 18.0, True, id="lower-at-target"),
        pytest.param("lower", "18", 12.0, True, id="lower-below"),
        pytest.param("lower", "18", 18.1, False, id="lower-above"),
        pytest.param("range", "16-20", 16.0, True, id="range-low-end"),
        pytest.param("range", "16-20", 20.0, True, id="range-high-end"),
        pytest.param("range", "16-20", 18.0, True, id="range-inside"),
        pytest.param("range", "16-20", 15.9, False, id="range-below"),
        pytest.param("range", "16-20", 20.1, False, id="range-above"),
        pytest.param("range", "16 to 20", 20.0, True, id="range-written-with-to"),
        pytest.param("range", "16\u201320", 16.0, True, id="range-written-with-en-dash"),
        pytest.param("higher", None, 0.0, None, id="higher-without-target"),
        pytest.param(None, None, 50.0, None, id="no-direction-no-target"),
    ],
)
def test_meets_target(good: str | None, target: str | None, value: float, expected: bool) -> None:
    m = Measure.model_validate(measure("m", good, target))
    assert meets_target(m, value) is expected


def test_view_measures_skips_measures_without_readings_and_keeps_area_order() -> None:
    areas = [
        area("1", measures=(measure("Empty", "higher", "5"), measure("A", "higher", None, "1"))),
        area("2", measures=(measure("B", "lower", None, "3", "2"),)),
        area("3"),
    ]
    views = view_measures(areas)
    assert [(v.area.id, v.measure.name) for v in views] == [("1", "A"), ("2", "B")]


def test_view_measures_with_one_reading_has_no_previous_change_or_trend() -> None:
    (view,) = view_measures([area("1", measures=(measure("m", "higher", "50", "41"),))])
    assert (view.latest.period, view.latest.value) == ("2023-01", 41.0)
    assert (view.previous, view.change, view.trend, view.meets) == (None, None, None, False)


def test_view_measures_uses_the_last_two_readings() -> None:
    m = measure("m", "higher", "40", "10", "50", "30", "45")
    (view,) = view_measures([area("1", measures=(m,))])
    assert view.latest.period == "2023-04" and view.latest.value == 45.0
    assert view.previous is not None
    assert view.previous.period == "2023-03" and view.previous.value == 30.0
    assert view.change == 15.0
    assert (view.trend, view.meets) == ("better", True)


@pytest.mark.parametrize(
    ("good", "target", "previous", "latest", "change", "trend"),
    [
        pytest.param("higher", None, "40", "45", 5.0, "better", id="higher-up"),
        pytest.param("higher", None, "45", "40", -5.0, "worse", id="higher-down"),
        pytest.param("higher", "90", "45", "45", 0.0, "same", id="higher-same"),
        pytest.param("lower", "18", "20", "19.5", -0.5, "better", id="lower-down"),
        pytest.param("lower", "18", "19.5", "20", 0.5, "worse", id="lower-up"),
        pytest.param("lower", None, "7", "7", 0.0, "same", id="lower-same"),
        pytest.param("range", "16-20", "12", "15", 3.0, "better", id="range-closer-from-below"),
        pytest.param("range", "16-20", "25", "21", -4.0, "better", id="range-closer-from-above"),
        pytest.param("range", "16-20", "14", "17", 3.0, "better", id="range-into-from-below"),
        pytest.param("range", "16-20", "24", "20", -4.0, "better", id="range-into-at-edge"),
        pytest.param("range", "16-20", "15", "12", -3.0, "worse", id="range-further-below"),
        pytest.param("range", "16-20", "18", "21", 3.0, "worse", id="range-out-above"),
        pytest.param("range", "16-20", "15", "22", 7.0, "worse", id="range-across-further"),
        pytest.param("range", "16-20", "14", "21", 7.0, "better", id="range-across-closer"),
        pytest.param("range", "16-20", "15", "21", 6.0, "same", id="range-across-same-distance"),
        pytest.param("range", "16-20", "17", "19", 2.0, "same", id="range-within"),
        pytest.param(None, None, "3", "5", 2.0, None, id="no-direction-up"),
        pytest.param(None, None, "5", "3", -2.0, None, id="no-direction-down"),
    ],
)
def test_view_measures_change_and_trend(
    good: str | None,
    target: str | None,
    previous: str,
    latest: str,
    change: float,
    trend: str | None,
) -> None:
    (view,) = view_measures([area("1", measures=(measure("m", good, target, previous, latest),))])
    assert view.change == pytest.approx(change)
    assert view.trend == trend


def test_view_measures_range_without_target_has_no_trend() -> None:
    """With `good: range` but no target there is no range to move towards."""
    (view,) = view_measures([area("1", measures=(measure("m", "range", None, "3", "5"),))])
    assert (view.change, view.trend, view.meets) == (2.0, None, None)


@pytest.mark.parametrize(
    ("good", "target"),
    [
        pytest.param(None, None, id="no-direction"),
        pytest.param("range", None, id="range-no-target"),
    ],
)
def test_view_measures_without_a_direction_has_no_trend_even_when_unchanged(
    good: str | None, target: str | None
) -> None:
    (view,) = view_measures([area("1", measures=(measure("m", good, target, "5", "5"),))])
    assert view.change == 0.0
    assert view.trend is None
