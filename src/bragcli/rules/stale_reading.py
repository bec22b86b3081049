"""stale-reading: a measure whose latest reading is old for how often it is measured.

A measure's latest reading is the one whose period ends last (`deadlines.parse_period`: `2023-01`,
`Q3 2022/23`, `2021-22`...). Its kind is that period's length: up to a month is monthly, up to
a quarter quarterly, anything longer annual. The reading is stale when the as-of date is more
than the grace for its kind (`checks: stale_reading_months`: monthly 3, quarterly 6, annual 18
by default) after the period's end. Periods that name no date are not judged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bragcli.deadlines import Window, months_after, parse_period
from bragcli.model import Area, Measure
from bragcli.problems import Level
from bragcli.rules.base import AreaFinding, Context, Scope
from bragcli.safetext import excerpt

CODE = "stale-reading"
LEVEL = Level.WARNING
SCOPE = Scope.AREA
SUMMARY = (
    "A measure's latest reading (the period that ends last) is older than its period plus a "
    "grace: more than 3 months after the end of a monthly period, 6 of a quarterly one, 18 of "
    "an annual one (`checks: stale_reading_months` in plan.yaml). The board may be shown a "
    "year-old figure as the latest."
)
FIX = "Add the newest reading, or say in the measure why it is not yet published."
ENABLED = True
#: a period "Q1 2023" is read by the plan's quarters
PLAN_SETTINGS: tuple[str, ...] = ("quarters",)


def check_areas(ctx: Context, areas: Sequence[Area]) -> Iterator[AreaFinding]:
    for number, area in enumerate(areas):
        for index, measure in enumerate(area.measures):
            found = _latest(measure, ctx)
            if found is None:
                continue
            period, window = found
            kind, grace = _kind(window, ctx)
            if ctx.as_of > months_after(window.end, grace):
                months = "month" if grace == 1 else "months"
                yield (
                    number,
                    ("measures", index, "readings"),
                    f"measure {excerpt(measure.name, 60)}: latest reading is for "
                    f"{excerpt(period, 40)}, which ended {window.end.isoformat()}: over {grace} "
                    f"{months} before {ctx.as_of.isoformat()} for {_ARTICLE[kind]} {kind} "
                    "figure; add the newest reading, or say why it is not yet published",
                )


_ARTICLE = {"monthly": "a", "quarterly": "a", "annual": "an"}


def _latest(measure: Measure, ctx: Context) -> tuple[str, Window] | None:
    latest: tuple[str, Window] | None = None
    for reading in measure.readings:
        window = parse_period(reading.period, quarters=ctx.plan.quarters)
        if window is not None and (latest is None or window.end >= latest[1].end):
            latest = (reading.period, window)
    return latest


def _kind(window: Window, ctx: Context) -> tuple[str, int]:
    """("monthly", months of grace) and so on, by the length of the period."""
    days = (window.end - window.start).days + 1
    grace = ctx.stale_reading
    if days <= 31:
        return "monthly", grace.monthly
    if days <= 92:
        return "quarterly", grace.quarterly
    return "annual", grace.annual
