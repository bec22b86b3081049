"""`brag diff` and `brag trend` in every format. Terminal output is plain text with optional
colour (click.style), so it reads the same in a terminal, a CI log and a pipe; every terminal
line goes through `_echo`, which shows plan text `visible` (control, bidi and invisible
characters escaped, no GitHub workflow command) before colouring it."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TextIO

import click

from bragcli.compute.changes import Change, Summary
from bragcli.compute.trend import Trend
from bragcli.model import Rating, natural_key
from bragcli.render import jsonout
from bragcli.render.wording import md_cell, md_inline, md_table, plural, rating_word, short, uk_date
from bragcli.safetext import visible
from bragcli.source.git import Revision


def _echo(
    out: TextIO,
    color: bool,
    text: str = "",
    *,
    fg: str | None = None,
    bold: bool = False,
    tail: str = "",
) -> None:
    """Write one line: `text` (which may hold plan text) shown `visible`, then coloured when
    colour is on; `tail` is drawn and coloured here (a chart bar) and is appended as it is."""
    shown = visible(text)
    click.echo((click.style(shown, fg=fg, bold=bold) if color else shown) + tail, file=out)


# --- diff -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DiffResult:
    from_label: str
    to_label: str
    from_rev: Revision | None
    to_rev: Revision | None  # None: the working tree
    changes: list[Change]
    summary: Summary
    by_area: dict[str, Summary]
    area_titles: dict[str, str]


def _side(label: str, rev: Revision | None) -> str:
    if rev is None:
        return "the working tree"
    named = label if label.startswith(rev.sha[:7]) else f"{label} ({rev.short})"
    return f"{named} of {uk_date(rev.date)}"


def _colour(change: Change) -> str | None:
    if change.kind in {"status", "impact"}:
        return {"better": "green", "worse": "red"}.get(change.direction or "")
    if change.kind == "deadline" and change.slip_days and change.slip_days > 0:
        return "red"
    return None


def diff_terminal(result: DiffResult, out: TextIO, color: bool) -> None:
    def echo(text: str = "", fg: str | None = None, bold: bool = False) -> None:
        _echo(out, color, text, fg=fg, bold=bold)

    echo(f"Changes from {_side(result.from_label, result.from_rev)} "
         f"to {_side(result.to_label, result.to_rev)}", bold=True)  # fmt: skip
    echo(f"Overall: {result.summary}")
    for area, summary in result.by_area.items():
        echo()
        title = short(result.area_titles.get(area, ""), 60)
        echo(f"Area {area}{': ' + title if title else ''}", bold=True)
        echo(f"  {summary}")
        last = None
        for change in (c for c in result.changes if c.area == area):
            if change.id != last:
                echo(f"  {change.id}  {short(change.title, 70)}")
                last = change.id
            echo(f"        {change.describe()}", fg=_colour(change))
            for note in change.notes:
                echo(f"          + {short(note, 90)}")


def diff_markdown(result: DiffResult, out: TextIO, color: bool = False) -> None:
    lines = [
        f"## Plan changes: {md_inline(_side(result.from_label, result.from_rev))} → "
        f"{md_inline(_side(result.to_label, result.to_rev))}",
        "",
        f"**Overall:** {result.summary}",
        "",
    ]
    if result.changes:
        rows = []
        for change in result.changes:
            detail = change.describe()
            if change.notes:
                detail += ": " + "; ".join(change.notes)
            rows.append([md_cell(change.area), md_cell(change.id), md_cell(short(change.title, 60)),
                         md_cell(detail)])  # fmt: skip
        lines += md_table(["Area", "ID", "Action", "Change"], rows)
        lines.append("")
        lines += ["| Area | Summary |", "|---|---|"]
        lines += [f"| {md_cell(a)} | {s} |" for a, s in result.by_area.items()]
    out.write("\n".join(lines) + "\n")


def diff_json(result: DiffResult, out: TextIO, color: bool = False) -> None:
    document = {
        "from": result.from_label,
        "to": result.to_label,
        "from_commit": result.from_rev.sha if result.from_rev else None,
        "to_commit": result.to_rev.sha if result.to_rev else None,
        "summary": dict(result.summary.counts),
        "areas": {area: dict(s.counts) for area, s in result.by_area.items()},
        "changes": [c.as_dict() for c in result.changes],
    }
    jsonout.dump(document, out)


DIFF_FORMATS: dict[str, Callable[[DiffResult, TextIO, bool], None]] = {
    "terminal": diff_terminal,
    "markdown": diff_markdown,
    "json": diff_json,
}

# --- trend ------------------------------------------------------------------------------------

_BAR_COLOURS = {
    Rating.BLUE: "blue",
    Rating.GREEN: "green",
    Rating.AMBER: "yellow",
    Rating.RED: "red",
    Rating.NOT_STARTED: "bright_black",
}


def _bar(counts: dict[Rating, int], scale: float, color: bool) -> str:
    """A stacked bar of rating letters (B, G, A, R, -): readable without colour."""
    parts = []
    for rating in Rating:
        width = round(counts[rating] * scale)
        if counts[rating] and not width:
            width = 1
        piece = rating.letter * width
        parts.append(click.style(piece, fg=_BAR_COLOURS[rating]) if color and piece else piece)
    return "".join(parts)


def trend_terminal(trend: Trend, out: TextIO, color: bool, as_of: date) -> None:
    def echo(text: str = "", bold: bool = False, tail: str = "") -> None:
        _echo(out, color, text, bold=bold, tail=tail)

    if not trend.points:
        echo("No commit touched the plan in that range.")
        return
    widest = max(p.totals.actions for p in trend.points) or 1
    scale = min(1.0, 40 / widest)
    echo("BRAG totals through history (each action as a letter: B blue, G green, A amber, "
         "R red, - not started)", bold=True)  # fmt: skip
    echo("Over: actions overdue at the date of that commit.")
    echo(f"{'Date':<10}  {'Commit':<12}  {'B':>3} {'G':>3} {'A':>3} {'R':>3} {'-':>3} "
         f"{'All':>4} {'Over':>4}  Chart")  # fmt: skip
    for point in trend.points:
        t = point.totals
        counts = " ".join(f"{t.status[r]:>3}" for r in Rating)
        flag = f"  ({plural(point.errors, 'error')})" if point.errors else ""
        echo(f"{point.revision.date.isoformat():<10}  {point.revision.short:<12}  {counts} "
             f"{t.actions:>4} {t.overdue:>4}  ",
             tail=_bar(t.status, scale, color) + flag)  # fmt: skip
    replanned = [r for r in trend.actions if r.replanned]
    echo()
    echo(f"Re-planned actions ({len(replanned)})", bold=True)
    for record in replanned:
        echo(f"  {record.id:<6} re-planned {plural(record.replanned, 'time')}: "
             f"{' → '.join(record.deadlines)}")  # fmt: skip
    stuck = [r for r in trend.actions if r.status in (Rating.RED, Rating.AMBER)]
    stuck.sort(key=lambda r: (r.since, natural_key(r.id)))
    echo()
    echo(f"Red and amber actions, longest held first (as of {uk_date(as_of)})", bold=True)
    for record in stuck:
        days = (as_of - record.since).days
        held = f"since {record.since.isoformat()} ({plural(days, 'day')})"
        echo(f"  {record.id:<6} {rating_word(record.status):<6} {held}  {short(record.title, 50)}")


def _point_row(point: Any) -> list[str]:
    t = point.totals
    return [
        point.revision.date.isoformat(),
        point.revision.short,
        *(str(t.status[r]) for r in Rating),
        str(t.actions),
        str(t.overdue),
        str(point.errors),
    ]


_POINT_HEADER = ["date", "commit", *(r.value for r in Rating), "actions", "overdue", "errors"]


def trend_markdown(trend: Trend, out: TextIO, color: bool, as_of: date) -> None:
    header = ["Date", "Commit", *(rating_word(r) for r in Rating), "Actions", "Overdue", "Errors"]
    lines = ["## BRAG totals through history", ""]
    lines += md_table(header, [_point_row(p) for p in trend.points], "ll" + "r" * 8)
    lines += ["", f"## Actions ({uk_date(as_of)})", ""]
    rows = [
        [md_cell(r.id), md_cell(short(r.title, 60)), str(r.replanned),
         md_cell(" → ".join(r.deadlines)), rating_word(r.status), r.since.isoformat(),
         str((as_of - r.since).days)]
        for r in trend.actions
    ]  # fmt: skip
    lines += md_table(
        ["ID", "Action", "Re-planned", "Deadlines", "Rating", "Since", "Days"], rows, "llrlllr"
    )
    out.write("\n".join(lines) + "\n")


def trend_json(trend: Trend, out: TextIO, color: bool, as_of: date) -> None:
    document = {
        "as_of": as_of.isoformat(),
        "points": [
            {
                "commit": p.revision.sha,
                "date": p.revision.date.isoformat(),
                "subject": p.revision.subject,
                "totals": {
                    **{r.value: p.totals.status[r] for r in Rating},
                    "actions": p.totals.actions,
                    "overdue": p.totals.overdue,
                },
                "errors": p.errors,
            }
            for p in trend.points
        ],
        "actions": [
            {
                "id": r.id,
                "area": r.area,
                "title": r.title,
                "status": r.status.value,
                "since": r.since.isoformat(),
                "days_held": (as_of - r.since).days,
                "replanned": r.replanned,
                "deadlines": r.deadlines,
            }
            for r in trend.actions
        ],
    }
    jsonout.dump(document, out)


def trend_csv(trend: Trend, out: TextIO, color: bool, as_of: date) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_POINT_HEADER)
    for point in trend.points:
        writer.writerow(_point_row(point))


TREND_FORMATS: dict[str, Callable[[Trend, TextIO, bool, date], None]] = {
    "terminal": trend_terminal,
    "markdown": trend_markdown,
    "json": trend_json,
    "csv": trend_csv,
}
