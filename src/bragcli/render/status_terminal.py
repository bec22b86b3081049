"""`brag status` and `brag actions` for people at a terminal (rich).

Ratings are never colour alone: every rating is a word, coloured where colour is available, so
the view reads the same for colour-blind readers, with NO_COLOR, piped, and in CI logs.
"""

from __future__ import annotations

import io
import os
import shutil
from typing import Any, TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from bragcli.model import Rating
from bragcli.render.status_data import flags
from bragcli.render.text import (
    lead_text,
    plural,
    rating_word,
    signed,
    target_text,
    uk_date,
    with_unit,
)
from bragcli.rollup import ActionView, MeasureView, Status, Totals

STYLES = {
    Rating.BLUE: "bold bright_blue",
    Rating.GREEN: "bold green",
    Rating.AMBER: "bold yellow",
    Rating.RED: "bold red",
    Rating.NOT_STARTED: "bold bright_black",
}


class _Output:
    """Collect what rich prints, then write it to `out` without trailing spaces."""

    def __init__(self, out: TextIO, color: str) -> None:
        self.out = out
        self.buffer = io.StringIO()
        is_terminal = out.isatty() if hasattr(out, "isatty") else False
        self.console = console(self.buffer, color, is_terminal=is_terminal)

    def __enter__(self) -> Console:
        return self.console

    def __exit__(self, *exc: object) -> None:
        text = self.buffer.getvalue()
        self.out.write("\n".join(line.rstrip(" ") for line in text.split("\n")))


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


def _table(title: str | None = None) -> Table:
    return Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        show_edge=False,
        expand=True,
    )


def _fixed(table: Table, header: str | Text, width: int, **kwargs: Any) -> None:
    """A column that never shrinks below its header or its widest cell (`width`)."""
    widest_line = max(len(line) for line in str(header).splitlines())
    table.add_column(header, min_width=max(width, widest_line), no_wrap=True, **kwargs)


def _flexible(table: Table, header: str, ratio: int) -> None:
    """A column that takes a share of what is left, cut with an ellipsis when too long."""
    table.add_column(header, ratio=ratio, min_width=10, no_wrap=True, overflow="ellipsis")


def rating_text(rating: Rating | None) -> Text:
    if rating is None:
        return Text("–", style="dim")
    return Text(rating_word(rating), style=STYLES[rating])


def _count(value: int, style: str) -> Text:
    return Text(str(value), style=style if value else "dim")


def _impact(totals: Totals) -> Text:
    """Impact ratings as compact letter counts, e.g. 'G2 A1' (the key is printed below)."""
    text = Text()
    for rating in Rating:
        if totals.impact[rating]:
            if text:
                text.append(" ")
            text.append(f"{rating.letter}{totals.impact[rating]}", STYLES[rating])
    return text if text else Text("–", style="dim")


IMPACT_KEY = "Impact rated: " + ", ".join(f"{r.letter} {r.label}" for r in Rating)


def _header(status: Status) -> RenderableType:
    plan = status.plan
    facts = [plan.organisation]
    if plan.version:
        facts.append(f"version {plan.version}")
    facts.append(f"as of {uk_date(status.as_of)}")
    lines = [Text(plan.title, style="bold"), Text(" · ".join(facts))]
    described = describe_filters(status)
    if described:
        lines.append(Text(f"Showing only {described}", style="italic"))
    return Group(*lines)


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


def _rollup(status: Status) -> Table:
    table = _table("Activity by improvement area")
    table.show_footer = True
    t = status.totals
    rows = status.areas
    _fixed(table, "Area", max((len(s.area.id) for s in rows), default=4), footer="Total")
    _flexible(table, "Improvement area", 1)
    headers = {Rating.NOT_STARTED: "Not\nstarted"}
    for rating in Rating:
        _fixed(
            table,
            Text(headers.get(rating, rating_word(rating)), style=STYLES[rating]),
            len(str(t.actions)),
            footer=_count(t.status[rating], STYLES[rating]),
            justify="right",
        )
    _fixed(table, "Total", 3, footer=str(t.actions), justify="right")
    _fixed(table, "Over-\ndue", 3, footer=_count(t.overdue, "bold red"), justify="right")
    _fixed(
        table, f"Due\n≤{status.due_within}d", 3, footer=_count(t.due_soon, "bold"), justify="right"
    )
    impacts = [_impact(s.totals) for s in rows] + [_impact(t)]
    if t.impact_rated:
        _fixed(table, "Impact\nrated", max(len(i) for i in impacts), footer=impacts[-1])
    for summary, impact in zip(rows, impacts, strict=False):
        totals = summary.totals
        table.add_row(
            summary.area.id,
            summary.area.title,
            *(_count(totals.status[r], STYLES[r]) for r in Rating),
            str(totals.actions),
            _count(totals.overdue, "bold red"),
            _count(totals.due_soon, "bold"),
            *([impact] if t.impact_rated else []),
        )
    return table


def _attention(title: str, views: list[ActionView], status: Status, when: str) -> Table | Text:
    heading = f"{title} ({len(views)})"
    if not views:
        return Text(f"{heading}: none", style="bold")
    table = _table(heading)
    whens = [plural(v.days_overdue if v.overdue else v.days_left or 0, "day") for v in views]
    _fixed(table, "ID", max(len(v.action.id) for v in views))
    _flexible(table, "Action", 3)
    _flexible(table, "Lead", 2)
    _fixed(table, "Deadline", max(len(v.action.deadline or "none") for v in views))
    _fixed(table, when, max(len(w) for w in whens), justify="right")
    _fixed(table, "Status", max(len(rating_word(v.action.status)) for v in views))
    for view, due in zip(views, whens, strict=True):
        table.add_row(
            view.action.id,
            view.action.title,
            lead_text(status.plan, view.action.lead),
            view.action.deadline or "none",
            due,
            rating_text(view.action.status),
        )
    return table


def _measures(measures: list[MeasureView]) -> Table:
    table = _table("Measures that matter (latest readings)")
    rows = []
    for view in measures:
        meets = {
            True: Text("yes", style="bold green"),
            False: Text("no", style="bold red"),
            None: Text("–", style="dim"),
        }[view.meets]
        change = Text("–", style="dim")
        if view.change is not None:
            style = {"better": "green", "worse": "red"}.get(view.trend or "", "")
            trend = f" {view.trend}" if view.trend else ""
            change = Text(signed(view.change, view.measure) + trend, style=style)
        rows.append(
            (
                view.area.id,
                view.measure.name,
                with_unit(view.latest.value, view.measure),
                view.latest.period,
                target_text(view.measure) or "–",
                meets,
                change,
            )
        )
    _fixed(table, "Area", max(len(r[0]) for r in rows))
    _flexible(table, "Measure", 1)
    _fixed(table, "Latest", max(len(r[2]) for r in rows), justify="right")
    _fixed(table, "Period", max(len(r[3]) for r in rows))
    _fixed(table, "Target", max(len(r[4]) for r in rows), justify="right")
    _fixed(table, "Meets", 3)
    _fixed(table, "Change", max(len(r[6]) for r in rows))
    for row in rows:
        table.add_row(*row)
    return table


def status_terminal(status: Status, out: TextIO, color: str = "auto") -> None:
    with _Output(out, color) as con:
        _status(con, status)


def _status(con: Console, status: Status) -> None:
    con.print(_header(status))
    con.print()
    con.print(_rollup(status))
    if status.totals.impact_rated:
        con.print(Text(IMPACT_KEY, style="dim"))
    con.print()
    con.print(Text("Needs attention", style="bold underline"))
    con.print()
    groups = [
        ("Overdue", status.overdue, "Overdue by"),
        ("Red, not yet overdue", status.red, "Due in"),
        (f"Due within {status.due_within} days", status.due_soon, "Due in"),
    ]
    for title, views, when in groups:
        con.print(_attention(title, views, status, when))
        con.print()
    if status.measures:
        con.print(_measures(status.measures))


def actions_terminal(status: Status, out: TextIO, color: str = "auto") -> None:
    with _Output(out, color) as con:
        _actions(con, status)


def _actions(con: Console, status: Status) -> None:
    con.print(_header(status))
    con.print()
    views = status.actions
    if not views:
        con.print(Text("No actions match.", style="bold"))
        return
    table = _table()
    dues = [v.due.isoformat() if v.due else "–" for v in views]
    flag_texts = [", ".join(flags(v, short=True)) for v in views]
    _fixed(table, "ID", max(len(v.action.id) for v in views))
    _fixed(table, "Area", max(len(v.area.id) for v in views))
    _flexible(table, "Action", 2)
    _flexible(table, "Lead", 1)
    _fixed(table, "Deadline", min(14, max(len(v.action.deadline or "none") for v in views)))
    _fixed(table, "Due", max(len(d) for d in dues))
    _fixed(table, "Status", max(len(rating_word(v.action.status)) for v in views))
    _fixed(table, "Impact", max(len(rating_word(v.action.impact)) for v in views))
    _fixed(table, "Flags", max(len(f) for f in flag_texts))
    for view, due, flag_text in zip(views, dues, flag_texts, strict=True):
        table.add_row(
            view.action.id,
            view.area.id,
            view.action.title,
            " / ".join(status.plan.holder(role) or role for role in view.action.lead),
            view.action.deadline or "none",
            due,
            rating_text(view.action.status),
            rating_text(view.action.impact),
            Text(flag_text, style="bold red" if view.overdue else ""),
        )
    con.print(table)
    con.print(Text(plural(len(views), "action")))
