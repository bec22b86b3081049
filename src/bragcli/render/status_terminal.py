"""`brag status` and `brag actions` for people at a terminal.

Ratings are never colour alone: every rating is a word, coloured where colour is available, so
the view reads the same for colour-blind readers, with NO_COLOR, piped, and in CI logs.

The tables are laid out in cells by `render.screen` (which also makes plan text `visible`);
the colours of ratings come from `render.palette`. Titles, leads and measure names wrap within
their column, on at most two lines (three for an action's title in `actions`), the last ending
at a word with an ellipsis when there is more. When a screen is too narrow even so, columns are
left out in this order (their `drop` rank, highest first); ids, ratings and deadlines are
always shown:

- activity by area: Total, then Impact rated, then Due soon, then Overdue;
- needs attention: the days overdue or left, then Lead;
- measures: Meets, then Period, then Change, then Target, then Area;
- actions: Due (the date the deadline ends), then Area, then Impact, then Flags, then Lead.
"""

from __future__ import annotations

from typing import TextIO

from bragcli.compute.rollup import ActionView, MeasureView, Status, Totals
from bragcli.model import Rating
from bragcli.render import ColorChoice
from bragcli.render.palette import BAD, BAD_BOLD, GOOD, GOOD_BOLD, PALETTE
from bragcli.render.screen import Cell, Column, Screen, Span, grid
from bragcli.render.status_data import flags
from bragcli.render.wording import (
    lead_text,
    plural,
    rating_word,
    signed,
    target_text,
    uk_date,
    with_unit,
)


def _style(rating: Rating) -> str:
    return PALETTE[rating].terminal_style


def rating_cell(rating: Rating | None) -> Span:
    if rating is None:
        return ("–", "dim")
    return (rating_word(rating), _style(rating))


def _count(value: int, style: str) -> Span:
    return (str(value), style if value else "dim")


def _impact(totals: Totals) -> str:
    """Impact ratings as compact letter counts, e.g. 'G2 A1' (the key is printed below)."""
    parts = [f"{PALETTE[r].letter}{totals.impact[r]}" for r in Rating if totals.impact[r]]
    return " ".join(parts) if parts else "–"


IMPACT_KEY = "Impact rated: " + ", ".join(
    f"{swatch.letter} {swatch.word.lower()}" for swatch in PALETTE.values()
)


def describe_filters(status: Status) -> str:
    f = status.filters
    parts = []
    if f.areas:
        parts.append(f"area{'s' if len(f.areas) > 1 else ''} {', '.join(f.areas)}")
    if f.lead:
        parts.append(f"lead matching {f.lead!r}")
    if f.statuses:
        parts.append("rated " + " or ".join(rating_word(r).lower() for r in f.statuses))
    if f.overdue_only:
        parts.append("overdue actions")
    return "; ".join(parts)


def _header(screen: Screen, status: Status) -> None:
    plan = status.plan
    facts = [plan.organisation]
    if plan.version:
        facts.append(f"version {plan.version}")
    facts.append(f"as of {uk_date(status.as_of)}")
    screen.line((plan.title, "bold"))
    screen.line(" · ".join(facts))
    described = describe_filters(status)
    if described:
        screen.line((f"Showing only {described}", "italic"))
    screen.blank()


def _rollup(screen: Screen, status: Status) -> None:
    t = status.totals
    labels = {Rating.NOT_STARTED: "Not\nstarted"}
    columns = [
        Column("Area"),
        Column("Improvement area", ratio=1, max_lines=2),
        *(
            Column(labels.get(r, rating_word(r)), right=True, header_style=_style(r))
            for r in Rating
        ),
        Column("Total", right=True, drop=4),
        Column("Over-\ndue", right=True, drop=1),
        Column(f"Due\n≤{status.due_within}d", right=True, drop=2),
    ]
    show_impact = bool(t.impact_rated)
    if show_impact:
        columns.append(Column("Impact\nrated", drop=3))
    rows: list[list[Cell]] = []
    for summary in status.areas:
        s = summary.totals
        row: list[Cell] = [
            summary.area.id,
            summary.area.title,
            *(_count(s.status[r], _style(r)) for r in Rating),
            str(s.actions),
            _count(s.overdue, BAD_BOLD),
            _count(s.due_soon, "bold"),
        ]
        rows.append(row + ([_impact(s)] if show_impact else []))
    footer: list[Cell] = [
        ("Total", "bold"),
        "",
        *(_count(t.status[r], _style(r)) for r in Rating),
        (str(t.actions), "bold"),
        _count(t.overdue, BAD_BOLD),
        _count(t.due_soon, "bold"),
    ]
    grid(screen, "Activity by improvement area", columns, rows,
         footer + ([_impact(t)] if show_impact else []))  # fmt: skip
    if show_impact:
        screen.line((IMPACT_KEY, "dim"))
    screen.blank()


def _attention(
    screen: Screen, title: str, views: list[ActionView], status: Status, when: str
) -> None:
    heading = f"{title} ({len(views)})"
    if not views:
        screen.line((f"{heading}: none", "bold"))
        screen.blank()
        return
    columns = [
        Column("ID"),
        Column("Action", ratio=3, max_lines=2),
        Column("Lead", ratio=2, drop=1, max_lines=2),
        Column("Deadline", max_width=14, wrap=True),
        Column(when, right=True, drop=2),
        Column("Status"),
    ]
    rows: list[list[Cell]] = [
        [
            v.action.id,
            v.action.title,
            lead_text(status.plan, v.action.lead),
            v.action.deadline or "none",
            plural(v.days_overdue if v.overdue else v.days_left or 0, "day"),
            rating_cell(v.action.status),
        ]
        for v in views
    ]
    grid(screen, heading, columns, rows)
    screen.blank()


def _measures(screen: Screen, measures: list[MeasureView]) -> None:
    rows: list[list[Cell]] = []
    for view in measures:
        judged = {True: ("yes", GOOD_BOLD), False: ("no", BAD_BOLD), None: ("–", "dim")}
        meets: Cell = judged[view.meets]
        change: Cell = ("–", "dim")
        if view.change is not None:
            style = {"better": GOOD, "worse": BAD}.get(view.trend or "")
            trend = f" {view.trend}" if view.trend else ""
            change = (signed(view.change, view.measure) + trend, style)
        assert view.latest is not None
        rows.append(
            [
                view.area.id,
                view.measure.name,
                with_unit(view.latest.value, view.measure),
                view.latest.period,
                target_text(view.measure) or "–",
                meets,
                change,
            ]
        )
    columns = [
        Column("Area", drop=1),
        Column("Measure", ratio=1, max_lines=2),
        Column("Latest", right=True),
        Column("Period", drop=4),
        Column("Target", right=True, drop=2),
        Column("Meets", drop=5),
        Column("Change", drop=3),
    ]
    grid(screen, "Measures that matter (latest readings)", columns, rows)


def status_terminal(status: Status, out: TextIO, color: ColorChoice = "auto") -> None:
    screen = Screen(out, color)
    _header(screen, status)
    _rollup(screen, status)
    screen.line(("Needs attention", "bold underline"))
    screen.blank()
    _attention(screen, "Overdue", status.overdue, status, "Overdue by")
    _attention(screen, "Red, not yet overdue", status.red, status, "Due in")
    _attention(screen, f"Due within {status.due_within} days", status.due_soon, status, "Due in")
    if status.measures:
        _measures(screen, status.measures)
    screen.write()


def actions_terminal(status: Status, out: TextIO, color: ColorChoice = "auto") -> None:
    screen = Screen(out, color)
    _header(screen, status)
    views = status.actions
    if not views:
        screen.line(("No actions match.", "bold"))
        screen.write()
        return
    columns = [
        Column("ID"),
        Column("Area", drop=4),
        Column("Action", ratio=2, max_lines=3, min_width=20),
        Column("Lead", ratio=1, drop=1, max_lines=2),
        Column("Deadline", max_width=14, wrap=True),
        Column("Due", drop=5),
        Column("Status"),
        Column("Impact", drop=3),
        Column("Flags", drop=2, max_width=13, wrap=True),
    ]
    rows: list[list[Cell]] = [
        [
            v.action.id,
            v.area.id,
            v.action.title,
            " / ".join(status.plan.holder(role) or role for role in v.action.lead),
            v.action.deadline or "none",
            v.due.isoformat() if v.due else "–",
            rating_cell(v.action.status),
            rating_cell(v.action.impact),
            (", ".join(flags(v, short=True)), BAD_BOLD if v.overdue else None),
        ]
        for v in views
    ]
    grid(screen, None, columns, rows)
    screen.line(plural(len(views), "action"))
    screen.write()
