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
- actions: Due (the date the deadline ends), then Area, then Impact, then Flags, then Lead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from bragcli.compute.rollup import ActionView, Status, Totals
from bragcli.model import Rating
from bragcli.render import ColorChoice
from bragcli.render.palette import BAD, BAD_BOLD, GOOD, GOOD_BOLD, PALETTE
from bragcli.render.screen import Cell, Column, Screen, Span, cells, fit, grid, shorten
from bragcli.render.status_data import flags
from bragcli.render.wording import (
    lead_text,
    letter_counts,
    missed_by_lead,
    overdue_by_rating,
    plural,
    rating_word,
    reading_text,
    replan_text,
    signed,
    target_text,
    uk_date,
)
from bragcli.safetext import visible


def _style(rating: Rating) -> str:
    return PALETTE[rating].terminal_style


def rating_cell(rating: Rating | None) -> Span:
    if rating is None:
        return ("–", "dim")
    return (rating_word(rating), _style(rating))


def _count(value: int, style: str) -> Span:
    return (str(value), style if value else "dim")


def _impact(totals: Totals) -> str:
    """Impact ratings as compact letter counts, e.g. 'G2 A1 N1' (the key is printed below)."""
    return letter_counts(totals.impact)


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
    if f.source:
        parts.append(f"source matching {f.source!r}")
    return "; ".join(parts)


def _missed_by_lead(screen: Screen, status: Status) -> None:
    """Say which actions --lead may have missed: their lead is not in the roles glossary, so
    no holder's name could be matched."""
    if status.missed_by_lead:
        screen.paragraph(missed_by_lead([v.action.id for v in status.missed_by_lead]), BAD)


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
        _missed_by_lead(screen, status)
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
    _joined(screen, "All actions: ", overdue_by_rating(t.status, t.overdue_by_status).split(" · "))
    if show_impact:
        screen.line((IMPACT_KEY, "dim"))
    screen.blank()


def _joined(screen: Screen, lead: str, parts: Sequence[Span | str]) -> None:
    """`lead` and the parts joined by " · ", wrapped between parts (never inside one)."""
    line: list[Span | str] = [lead]
    used = cells(lead)
    for part in parts:
        text = part if isinstance(part, str) else part[0]
        width = cells(visible(text))
        if len(line) > 1 and used + 3 + width > screen.width:
            screen.line(*line)
            line, used = [" " * cells(lead)], cells(lead)
        if len(line) > 1:
            line.append(" · ")
            used += 3
        line.append(part)
        used += width
    screen.line(*line)


def _area_owners(screen: Screen, status: Status) -> None:
    """Each area's owner and the board's own ratings of it, beside the counts of its actions;
    shown when the plan gives any of them."""
    if not any(s.area.lead or s.area.status or s.area.impact for s in status.areas):
        return
    columns = [
        Column("Area"),
        Column("Owner", ratio=1),
        Column("Board's\nrating"),
        Column("Board's\nimpact"),
        Column("Actions\n(counted)"),
        Column("Over-\ndue", right=True),
    ]
    rows: list[list[Cell]] = [
        [
            s.area.id,
            lead_text(status.plan, s.area.lead) or "–",
            rating_cell(s.area.status),
            rating_cell(s.area.impact),
            letter_counts(s.totals.status),
            _count(s.totals.overdue, BAD_BOLD),
        ]
        for s in status.areas
    ]
    grid(screen, "Area owners and the board's own ratings", columns, rows)
    screen.blank()


def _replans(screen: Screen, status: Status) -> None:
    """--show-replans: each action whose deadline moved since it was first agreed."""
    moved = [
        v
        for v in status.actions
        if v.replanned or (v.baseline is not None and v.baseline != v.action.deadline)
    ]
    screen.line((f"Re-planned since first agreed ({len(moved)})", "bold"))
    if status.history_read:
        screen.paragraph(
            "The first agreed deadline is the action's baseline where given, else its first "
            "deadline in git history."
        )
    else:
        screen.paragraph(
            "The first agreed deadline is the action's baseline where given; the plan is not "
            "in git (no git history), so re-plans are not counted."
        )
    ids = min(max((cells(visible(v.action.id)) for v in moved), default=0), screen.width // 4)
    for view in moved:
        text = replan_text(view.baseline, view.action.deadline, view.replanned)
        screen.paragraph(text, indent=2 + ids + 1, lead=f"  {view.action.id}")


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
    # A large plan has thousands of these rows, and a few dozen leads and day counts.
    leads: dict[tuple[str, ...], str] = {}
    days: dict[int, str] = {}
    rows: list[list[Cell]] = []
    for v in views:
        action = v.action
        lead = leads.get(key := tuple(action.lead))
        if lead is None:
            lead = leads[key] = lead_text(status.plan, key)
        count = v.days_overdue if v.overdue else v.days_left or 0
        shown = days.get(count)
        if shown is None:
            shown = days[count] = plural(count, "day")
        row: list[Cell] = [
            action.id, action.title, lead, action.deadline or "none", shown,
            rating_cell(action.status),
        ]  # fmt: skip
        rows.append(row)
    grid(screen, heading, columns, rows)
    screen.blank()


def _measures(screen: Screen, status: Status) -> None:
    """Each measure as a line of its own (the name in full), and below it the latest reading
    with its period, the one before with its, the change in the measure's unit, the target:
    a row of eight columns left a name of seven cells at 80 columns."""
    screen.line(("Measures that matter", "bold"))
    judged = {True: ("met", GOOD_BOLD), False: ("not met", BAD_BOLD)}
    for view in status.measures:
        measure = view.measure
        screen.paragraph(measure.name, "bold", indent=6, lead=f"  {view.area.id}")
        latest: Span = (reading_text(view.latest.value, view.latest.period, measure), "bold")
        parts: list[Span] = [latest]
        if view.stale:
            parts.append(("stale", BAD_BOLD))
        if view.previous is not None:
            parts.append(
                ("before: " + reading_text(view.previous.value, view.previous.period, measure),
                 None)
            )  # fmt: skip
        if view.change is not None:
            trend = f", {view.trend}" if view.trend else ""
            style = {"better": GOOD, "worse": BAD}.get(view.trend or "")
            parts.append((signed(view.change, measure) + trend, style))
        if measure.target is not None and view.meets is not None:
            word, style = judged[view.meets]
            parts.append((f"target {target_text(measure)}: {word}", style))
        _joined(screen, " " * 6, parts)
    unread = status.unread_measures
    if unread:
        screen.line((f"No data yet ({len(unread)})", "bold"))
    for area, measure in unread:
        target = f" (target {target_text(measure)})" if measure.target is not None else ""
        start = f"  {fit(visible(area.id), 3)} "
        room = screen.width - cells(start) - cells(target)
        screen.shown_line(start + shorten(visible(measure.name), room) + target)
    if any(view.stale for view in status.measures):
        screen.paragraph(
            "Stale: the reading is older than its period plus "
            + ", ".join(
                f"{n} months for a {c}ly figure"
                for c, n in status.plan.checks.stale_reading_months.by_cadence().items()
            ).replace("a yearly", "an annual")
            + ".",
            "dim",
        )


def status_terminal(status: Status, out: TextIO, color: ColorChoice = "auto") -> None:
    screen = Screen(out, color)
    _header(screen, status)
    _rollup(screen, status)
    _area_owners(screen, status)
    screen.line(("Needs attention", "bold underline"))
    screen.blank()
    _attention(screen, "Overdue", status.overdue, status, "Overdue by")
    _attention(screen, "Red, not yet overdue", status.red, status, "Due in")
    _attention(screen, f"Due within {status.due_within} days", status.due_soon, status, "Due in")
    if status.show_replans:
        _replans(screen, status)
        screen.blank()
    if status.measures or status.unread_measures:
        _measures(screen, status)
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
    _area_owners(screen, status)
    grid(screen, None, columns, rows)
    screen.line(plural(len(views), "action"))
    if status.show_replans:
        screen.blank()
        _replans(screen, status)
    screen.write()
