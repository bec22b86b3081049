"""`brag diff` in every format: terminal (for people), Markdown (board papers, pull-request
comments, the GitHub job summary) and JSON (tools). Registered in `render.DIFF_FORMATS`.

The terminal view is laid out in cells on a `render.screen.Screen`, which shows plan text
`visible` (control, bidi and invisible characters escaped, no GitHub workflow command) before
colouring it; better is green and worse red, in the palette's colours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from bragcli.compute.changes import Change, ChangeKind, Direction, Summary
from bragcli.render import ColorChoice, jsonout
from bragcli.render.wording import md_cell, md_inline, md_table, short, uk_date
from bragcli.safetext import visible
from bragcli.source.git import WORKTREE, Revision

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
    if rev is None:  # the working tree, or a plan not in git (brag set, import --update)
        return "the working tree" if label == WORKTREE else label
    named = label if label.startswith(rev.sha[:7]) else f"{label} ({rev.short})"
    return f"{named} of {uk_date(rev.date)}"


def diff_terminal(result: DiffResult, out: TextIO, color: ColorChoice = "auto") -> None:
    # The terminal's modules are imported here: the other formats do without rich.
    from bragcli.render.palette import BAD, GOOD
    from bragcli.render.screen import Screen, cells, shorten

    def style(change: Change) -> str | None:
        """Better in green, worse (and a deadline that slipped) in red."""
        if change.direction is Direction.BETTER:
            return GOOD
        if change.direction is Direction.WORSE:
            return BAD
        if change.kind is ChangeKind.DEADLINE and change.slip_days and change.slip_days > 0:
            return BAD
        return None

    screen = Screen(out, color)
    old, new = _side(result.from_label, result.from_rev), _side(result.to_label, result.to_rev)
    heading = f"Changes from {old} to {new}"
    if cells(visible(heading)) <= screen.width:
        screen.line((heading, "bold"))
    else:  # "to" under "from"
        screen.paragraph(f"Changes from {old}", "bold")
        screen.paragraph(f"to {new}", "bold", indent=len("Changes "))
    screen.paragraph(str(result.summary), lead="Overall:", indent=len("Overall: "))
    for area, summary in result.by_area.items():
        screen.blank()
        heading = f"Area {visible(area)}"
        room = screen.width - cells(heading) - 2
        title = shorten(visible(result.area_titles.get(area, "")), min(60, room))
        screen.shown_line((f"{heading}{': ' + title if title else ''}", "bold"))
        screen.paragraph(str(summary), indent=2)
        last = None
        for change in (c for c in result.changes if c.area == area):
            if change.id != last:
                action = f"  {visible(change.id)}  "
                room = screen.width - cells(action)
                screen.shown_line(action + shorten(visible(change.title), min(70, room)))
                last = change.id
            screen.paragraph(change.describe(), style(change), indent=8)
            for note in change.notes:
                room = min(90, screen.width - 12)
                screen.shown_line("          + " + shorten(visible(note), room))
    screen.write()


def diff_markdown(result: DiffResult, out: TextIO, color: ColorChoice = "never") -> None:
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


def diff_json(result: DiffResult, out: TextIO, color: ColorChoice = "never") -> None:
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
