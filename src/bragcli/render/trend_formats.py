"""`brag trend` in every format: terminal (a table with a stacked bar per point), Markdown,
JSON and CSV. Registered in `render.TREND_FORMATS`; the chart file is `render.chart`'s.

The terminal view is laid out in cells on a `render.screen.Screen`, which shows plan text
`visible` before colouring it; a bar is letters (B, G, A, R, N) in the palette's colours, so
it reads without colour too.
"""

from __future__ import annotations

import csv
from datetime import date
from typing import TextIO

from bragcli.compute.trend import Point, Trend
from bragcli.model import Rating, natural_key
from bragcli.render import ColorChoice, jsonout
from bragcli.render.wording import (
    md_cell,
    md_table,
    not_loaded,
    plural,
    rating_word,
    short,
    uk_date,
)
from bragcli.safetext import visible

#: the widest bar, in letters (a bar of more actions is scaled down to this)
_BAR_MAX = 40


def trend_terminal(trend: Trend, out: TextIO, color: ColorChoice, as_of: date) -> None:
    # The terminal's modules are imported here: the other formats do without rich.
    from bragcli.render.palette import BAD_BOLD, PALETTE
    from bragcli.render.screen import Screen, Span, cells, fit

    screen = Screen(out, color)
    if not trend.points:
        screen.line("No commit touched the plan in that range.")
        screen.write()
        return
    key = ", ".join(f"{s.letter} {s.word.lower()}" for s in PALETTE.values())
    screen.line(("BRAG totals through history", "bold"))
    screen.paragraph(f"Each action is a letter: {key}.")
    screen.paragraph("Over: actions overdue at the date of that commit.")
    if not all(point.loaded for point in trend.points):
        screen.paragraph(
            "A commit whose plan has errors did not load: it is not counted, and it feeds "
            "no re-plans or ratings below."
        )
    letters = " ".join(f"{s.letter:>3}" for s in PALETTE.values())
    screen.line(f"{'Date':<10}  {'Commit':<12}  {letters} {'All':>4} {'Over':>4}  Chart")
    rows = []
    for point in trend.points:
        t = point.totals
        start = f"{point.revision.date.isoformat():<10}  {point.revision.short:<12}  "
        if point.loaded:
            counts = " ".join(f"{t.status[r]:>3}" for r in Rating)
            start += f"{counts} {t.actions:>4} {t.overdue:>4}  "
            flag = ""
        else:
            flag = not_loaded(point.errors)
        rows.append((start, t.status, flag))
    room = screen.width - max(len(start) + len(flag) for start, _counts, flag in rows)
    widest = max(p.totals.actions for p in trend.points) or 1
    scale = min(1.0, max(min(room, _BAR_MAX), 1) / widest)
    for start, status, flag in rows:
        if flag:
            screen.line(start, (flag, BAD_BOLD))
            continue
        bar: list[Span] = []
        for rating in Rating:
            # at least one letter for a rating that has actions, so that none disappears
            width = max(round(status[rating] * scale), 1) if status[rating] else 0
            swatch = PALETTE[rating]
            bar.append((swatch.letter * width, swatch.terminal))
        screen.line(start, *bar)

    replanned = [r for r in trend.actions if r.replanned]
    stuck = [r for r in trend.actions if r.status in (Rating.RED, Rating.AMBER)]
    stuck.sort(key=lambda r: (r.since, natural_key(r.id)))
    # The id column is as wide as the widest id listed (at least 6 cells, at most a third of
    # the screen), so that what follows the ids lines up.
    widest_id = max((cells(visible(r.id)) for r in (*replanned, *stuck)), default=0)
    ids = min(max(widest_id, 6), screen.width // 3)
    screen.blank()
    screen.line((f"Re-planned actions ({len(replanned)})", "bold"))
    for record in replanned:
        screen.paragraph(
            f"re-planned {plural(record.replanned, 'time')}: {' → '.join(record.deadlines)}",
            indent=2 + ids + 1,
            lead=f"  {record.id}",
        )
    screen.blank()
    screen.line((f"Red and amber actions, longest held first (as of {uk_date(as_of)})", "bold"))
    for record in stuck:
        days = (as_of - record.since).days
        held = f"since {record.since.isoformat()} ({plural(days, 'day')})"
        start = f"  {fit(visible(record.id), ids)} {rating_word(record.status):<6} {held}"
        # the title wraps under itself (two lines at most), beside the id, rating and days
        indent = cells(start) + 2
        if screen.width - indent < 20:  # too narrow beside them: the title goes below
            screen.shown_line(start)
            screen.paragraph(record.title, indent=ids + 3, max_lines=2)
        else:
            screen.paragraph(record.title, indent=indent, lead=start, max_lines=2)
    screen.write()


def _point_row(point: Point, *, blank: str = "") -> list[str]:
    """A row of counts; a point whose plan did not load has `blank` for each count."""
    t = point.totals
    counts = [*(str(t.status[r]) for r in Rating), str(t.actions), str(t.overdue)]
    if not point.loaded:
        counts = [blank] * len(counts)
    return [point.revision.date.isoformat(), point.revision.short, *counts, str(point.errors)]


_POINT_HEADER = [
    "date", "commit", *(r.value for r in Rating), "actions", "overdue", "errors", "loaded",
]  # fmt: skip


def trend_markdown(trend: Trend, out: TextIO, color: ColorChoice, as_of: date) -> None:
    header = ["Date", "Commit", *(rating_word(r) for r in Rating), "Actions", "Overdue", "Errors"]
    lines = ["## BRAG totals through history", ""]
    rows = []
    for point in trend.points:
        row = _point_row(point, blank="–")
        if not point.loaded:
            row[-1] = not_loaded(point.errors)
        rows.append(row)
    lines += md_table(header, rows, "ll" + "r" * 8)
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


def trend_json(trend: Trend, out: TextIO, color: ColorChoice, as_of: date) -> None:
    document = {
        "as_of": as_of.isoformat(),
        "points": [
            {
                "commit": p.revision.sha,
                "date": p.revision.date.isoformat(),
                "subject": p.revision.subject,
                "loaded": p.loaded,
                "totals": {
                    **{r.value: p.totals.status[r] for r in Rating},
                    "actions": p.totals.actions,
                    "overdue": p.totals.overdue,
                }
                if p.loaded
                else None,
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


def trend_csv(trend: Trend, out: TextIO, color: ColorChoice, as_of: date) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_POINT_HEADER)
    for point in trend.points:
        writer.writerow([*_point_row(point), "yes" if point.loaded else "no"])
