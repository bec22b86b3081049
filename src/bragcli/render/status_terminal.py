"""`brag status` and `brag actions` for people at a terminal.

Ratings are never colour alone: every rating is a word, coloured where colour is available, so
the view reads the same for colour-blind readers, with NO_COLOR, piped, and in CI logs.

rich decides about the terminal (width, colour support, NO_COLOR) and styles the text; the
tables are laid out here. A council-wide plan can list thousands of overdue actions, and rich's
general-purpose Table took seconds to lay them out; this grid takes milliseconds.

Text reaches the terminal only through `Screen.line`, which shows it `visible` (control, bidi
and invisible characters escaped, no GitHub workflow command) before adding any style. Plan
text is never parsed as rich markup, so `[bold]` or `[link=...]` in a title shows as written.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style

from bragcli.compute.rollup import ActionView, MeasureView, Status, Totals
from bragcli.model import Rating
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
from bragcli.safetext import visible

STYLES = {
    Rating.BLUE: "bold bright_blue",
    Rating.GREEN: "bold green",
    Rating.AMBER: "bold yellow",
    Rating.RED: "bold red",
    Rating.NOT_STARTED: "bold bright_black",
}

#: A piece of text and its rich style (None: plain).
Span = tuple[str, str | None]
Cell = str | Span

GAP = 2


def console(out: TextIO, color: str, *, is_terminal: bool) -> Console:
    """A console for `out`: colour as asked ('auto' follows the terminal and NO_COLOR)."""
    width = None
    if not is_terminal and not os.environ.get("COLUMNS"):
        width = 100  # CI logs and pipes: wide enough for the tables, narrow enough to read
    elif is_terminal:
        width = shutil.get_terminal_size().columns
    return Console(
        file=out,
        width=width,
        force_terminal=color == "always" or (is_terminal and color == "auto"),
        no_color=True if color == "never" else None,
        color_system=None if color == "never" else "auto",
        highlight=False,
        emoji=False,
    )


_SYSTEMS = {
    "standard": ColorSystem.STANDARD,
    "256": ColorSystem.EIGHT_BIT,
    "truecolor": ColorSystem.TRUECOLOR,
    "windows": ColorSystem.WINDOWS,
}


def _can_encode(out: TextIO, text: str) -> bool:
    try:
        text.encode(getattr(out, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


class Screen:
    """Lines of styled text, written out at the end without trailing spaces."""

    def __init__(self, out: TextIO, color: str) -> None:
        is_terminal = out.isatty() if hasattr(out, "isatty") else False
        con = console(out, color, is_terminal=is_terminal)
        self.out = out
        self.width = con.width
        system = None if con.no_color else con.color_system
        self.system = _SYSTEMS.get(system) if system else None
        self.lines: list[str] = []
        self._styles: dict[str, Style] = {}
        #: the rule under table headers: a line where the output can show one (not ASCII)
        self.rule = "─" if _can_encode(out, "─") else "-"

    def _paint(self, text: str, style: str | None) -> str:
        if not style or self.system is None or not text:
            return text
        parsed = self._styles.get(style)
        if parsed is None:
            parsed = self._styles[style] = Style.parse(style)
        return parsed.render(text, color_system=self.system)

    def line(self, *spans: Span | str) -> None:
        """One line of spans; each span's text is shown `visible` before it is styled."""
        self.shown_line(*(_visible(s) for s in spans))

    def shown_line(self, *spans: Span | str) -> None:
        """As `line`, for spans whose text has been made `visible` already (table cells)."""
        parts = [(s, None) if isinstance(s, str) else s for s in spans]
        text = "".join(self._paint(t, style) for t, style in parts)
        self.lines.append(text.rstrip(" ") if self.system is None else text)

    def blank(self) -> None:
        self.lines.append("")

    def write(self) -> None:
        self.out.write("\n".join(self.lines) + "\n")


@dataclass(frozen=True, slots=True)
class Column:
    header: str  # may hold a line break: a header on two lines
    right: bool = False
    #: 0 for a column as wide as its widest cell; >0 for a share of the width left over
    ratio: int = 0
    header_style: str | None = None
    #: a fixed column never wider than this (longer cells are cut with an ellipsis)
    max_width: int = 0


def _text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell[0]


def _visible(cell: Cell) -> Cell:
    """The cell as `Screen.line` shows it: `grid` measures and cuts cells as shown."""
    return visible(cell) if isinstance(cell, str) else (visible(cell[0]), cell[1])


def _fit(text: str, width: int, right: bool) -> str:
    if len(text) > width:
        text = text[: max(width - 1, 0)] + "…"
    return text.rjust(width) if right else text.ljust(width)


def grid(
    screen: Screen,
    title: str | None,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    footer: Sequence[Cell] | None = None,
) -> None:
    """A table: a bold title, headers, a rule, the rows and an optional footer row."""
    rows = [[_visible(cell) for cell in row] for row in rows]
    footer = [_visible(cell) for cell in footer] if footer else None
    everything = [*rows, *([footer] if footer else [])]
    headers = [c.header.split("\n") for c in columns]
    widths = []
    for i, column in enumerate(columns):
        widest_cell = max((len(_text(row[i])) for row in everything), default=0)
        width = max(widest_cell, *(len(h) for h in headers[i]))
        widths.append(min(width, column.max_width) if column.max_width else width)
    flexible = [i for i, c in enumerate(columns) if c.ratio]
    if flexible:
        fixed = sum(w for i, w in enumerate(widths) if i not in flexible)
        left = screen.width - fixed - GAP * (len(columns) - 1)
        shares = sum(columns[i].ratio for i in flexible)
        given = {i: left * columns[i].ratio // shares for i in flexible}
        given[flexible[0]] += left - sum(given.values())  # what rounding left over
        for i in flexible:
            widths[i] = max(10, min(widths[i], given[i]))
    if title:
        screen.line((title, "bold"))
    depth = max(len(h) for h in headers)
    for level in range(depth):
        spans: list[Span | str] = []
        for i, column in enumerate(columns):
            lines = [""] * (depth - len(headers[i])) + headers[i]
            header = _fit(lines[level], widths[i], column.right)
            spans.append((header, column.header_style or "bold"))
            spans.append(" " * GAP)
        screen.line(*spans[:-1])
    screen.line(screen.rule * min(screen.width, sum(widths) + GAP * (len(columns) - 1)))
    for row in rows:
        screen.shown_line(*_cells(row, columns, widths))
    if footer:
        screen.blank()
        screen.shown_line(*_cells(footer, columns, widths))


def _cells(row: Sequence[Cell], columns: Sequence[Column], widths: list[int]) -> list[Span | str]:
    spans: list[Span | str] = []
    for cell, column, width in zip(row, columns, widths, strict=True):
        if isinstance(cell, str):
            spans.append(_fit(cell, width, column.right))
        else:
            spans.append((_fit(cell[0], width, column.right), cell[1]))
        spans.append(" " * GAP)
    return spans[:-1]


def rating_cell(rating: Rating | None) -> Span:
    if rating is None:
        return ("–", "dim")
    return (rating_word(rating), STYLES[rating])


def _count(value: int, style: str) -> Span:
    return (str(value), style if value else "dim")


def _impact(totals: Totals) -> str:
    """Impact ratings as compact letter counts, e.g. 'G2 A1' (the key is printed below)."""
    parts = [f"{r.letter}{totals.impact[r]}" for r in Rating if totals.impact[r]]
    return " ".join(parts) if parts else "–"


IMPACT_KEY = "Impact rated: " + ", ".join(f"{r.letter} {r.label}" for r in Rating)


def describe_filters(status: Status) -> str:
    f = status.filters
    parts = []
    if f.areas:
        parts.append(f"area{'s' if len(f.areas) > 1 else ''} {', '.join(f.areas)}")
    if f.lead:
        parts.append(f"lead matching {f.lead!r}")
    if f.statuses:
        parts.append("rated " + " or ".join(r.label for r in f.statuses))
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
        Column("Improvement area", ratio=1),
        *(
            Column(labels.get(r, rating_word(r)), right=True, header_style=STYLES[r])
            for r in Rating
        ),
        Column("Total", right=True),
        Column("Over-\ndue", right=True),
        Column(f"Due\n≤{status.due_within}d", right=True),
    ]
    show_impact = bool(t.impact_rated)
    if show_impact:
        columns.append(Column("Impact\nrated"))
    rows: list[list[Cell]] = []
    for summary in status.areas:
        s = summary.totals
        row: list[Cell] = [
            summary.area.id,
            summary.area.title,
            *(_count(s.status[r], STYLES[r]) for r in Rating),
            str(s.actions),
            _count(s.overdue, "bold red"),
            _count(s.due_soon, "bold"),
        ]
        rows.append(row + ([_impact(s)] if show_impact else []))
    footer: list[Cell] = [
        ("Total", "bold"),
        "",
        *(_count(t.status[r], STYLES[r]) for r in Rating),
        (str(t.actions), "bold"),
        _count(t.overdue, "bold red"),
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
        Column("Action", ratio=3),
        Column("Lead", ratio=2),
        Column("Deadline", max_width=16),
        Column(when, right=True),
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
        judged = {True: ("yes", "bold green"), False: ("no", "bold red"), None: ("–", "dim")}
        meets: Cell = judged[view.meets]
        change: Cell = ("–", "dim")
        if view.change is not None:
            style = {"better": "green", "worse": "red"}.get(view.trend or "")
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
        Column("Area"),
        Column("Measure", ratio=1),
        Column("Latest", right=True),
        Column("Period"),
        Column("Target", right=True),
        Column("Meets"),
        Column("Change"),
    ]
    grid(screen, "Measures that matter (latest readings)", columns, rows)


def status_terminal(status: Status, out: TextIO, color: str = "auto") -> None:
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


def actions_terminal(status: Status, out: TextIO, color: str = "auto") -> None:
    screen = Screen(out, color)
    _header(screen, status)
    views = status.actions
    if not views:
        screen.line(("No actions match.", "bold"))
        screen.write()
        return
    columns = [
        Column("ID"),
        Column("Area"),
        Column("Action", ratio=2),
        Column("Lead", ratio=1),
        Column("Deadline", max_width=16),
        Column("Due"),
        Column("Status"),
        Column("Impact"),
        Column("Flags"),
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
            (", ".join(flags(v, short=True)), "bold red" if v.overdue else None),
        ]
        for v in views
    ]
    grid(screen, None, columns, rows)
    screen.line(plural(len(views), "action"))
    screen.write()
