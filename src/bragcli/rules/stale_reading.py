"""stale-reading: a measure whose latest reading is old for how often it is measured.

A measure's latest reading is the one whose period ends last (`deadlines.reading_period`: `2023-01`,
`Q3 2022/23`, `2021-22`...). Its kind is that period's length: up to a month is monthly, up to
a quarter quarterly, anything longer annual. The reading is stale when the as-of date is more
than the grace for its kind (`checks: stale_reading_months`: monthly 3, quarterly 6, annual 18
by default) after the period's end. Periods that name no date are not judged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bragcli.deadlines import ReadingCadence, ReadingPeriod, reading_period
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
#: judges the files as they are, not their git history
READS_HISTORY = False


def check_areas(ctx: Context, areas: Sequence[Area]) -> Iterator[AreaFinding]:
    grace = ctx.stale_reading.by_cadence()
    for number, area in enumerate(areas):
        for index, measure in enumerate(area.measures):
            found = _latest(measure, ctx)
            if found is None:
                continue
            written, period = found
            if period.stale(ctx.as_of, grace):
                months = grace[period.cadence]
                kind = _KIND[period.cadence]
                yield (
                    number,
                    ("measures", index, "readings"),
                    f"measure {excerpt(measure.name, 60)}: latest reading is for "
                    f"{excerpt(written, 40)}, which ended {period.window.end.isoformat()}: over "
                    f"{months} month{'s' if months != 1 else ''} before {ctx.as_of.isoformat()} "
                    f"for {kind} figure; add the newest reading, or say why it is not yet "
                    "published",
                )


_KIND: dict[ReadingCadence, str] = {
    "month": "a monthly", "quarter": "a quarterly", "year": "an annual",
}  # fmt: skip


def _latest(measure: Measure, ctx: Context) -> tuple[str, ReadingPeriod] | None:
    """The reading whose period ends last (as written, and read); None when none is a date."""
    latest: tuple[str, ReadingPeriod] | None = None
    for reading in measure.readings:
        period = reading_period(reading.period, quarters=ctx.plan.quarters)
        if period is not None and (latest is None or period.window.end >= latest[1].window.end):
            latest = (reading.period, period)
    return latest
