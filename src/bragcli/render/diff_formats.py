"""`brag diff` in every format: terminal (for people), Markdown (board papers, pull-request
comments, the GitHub job summary) and JSON (tools). Registered in `render.DIFF_FORMATS`.

The terminal view is laid out in cells on a `render.screen.Screen`, which shows plan text
`visible` (control, bidi and invisible characters escaped, no GitHub workflow command) before
colouring it; better is green and worse red, in the palette's colours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TextIO

from bragcli.compute.changes import Change, ChangeKind, Direction, Scope, Summary
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
    #: the date the newer side was judged at ("became overdue")
    as_of: date | None = None


#: The heading of the changes that belong to no area: the plan's own keys and its roles.
PLAN_HEADING = "The plan and its roles"


def _side(label: str, rev: Revision | None) -> str:
    if rev is None:  # the working tree, or a plan not in git (brag set, import --update)
        return "the working tree" if label == WORKTREE else label
    named = label if label.startswith(rev.sha[:7]) else f"{label} ({rev.short})"
    return f"{named} of {uk_date(rev.date)}"


def diff_terminal(result: DiffResult, out: TextIO, color: ColorChoice = "auto") -> None:
    # The terminal's modules are imported here: the other formats do without rich.
    from bragcli.render.palette import BAD, GOOD
    from bragcli.render.screen import Screen, cells

    def style(change: Change) -> str | None:
        """Better in green, worse (a deadline that slipped, an action now overdue) in red."""
        if change.direction is Direction.BETTER:
            return GOOD
        if change.direction is Direction.WORSE or change.kind is ChangeKind.BECAME_OVERDUE:
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
    if result.as_of is not None:
        screen.paragraph(f"Overdue judged as of {uk_date(result.as_of)} in the newer version.")
    for area, summary in result.by_area.items():
        screen.blank()
        if area:
            title = result.area_titles.get(area, "")
            screen.paragraph(f"Area {area}{': ' + title if title else ''}", "bold", max_lines=2)
        else:
            screen.line((PLAN_HEADING, "bold"))
        screen.paragraph(str(summary), indent=2)
        last = None
        for change in (c for c in result.changes if c.area == area):
            if change.scope is not Scope.ACTION:
                screen.paragraph(change.describe(), style(change), indent=4)
                last = None
                continue
            if change.id != last:
                # the title wraps beside the id (at most two lines): the id column is as wide
                # as the id, up to a third of the screen
                indent = min(cells(visible(change.id)), screen.width // 3) + 4
                screen.paragraph(change.title, indent=indent, lead=f"  {change.id}", max_lines=2)
                last = change.id
            screen.paragraph(change.describe(), style(change), indent=8)
            for note in change.notes:
                screen.paragraph(note, indent=12, lead="          +", max_lines=2)
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
            action = change.id if change.scope is Scope.ACTION else ""
            rows.append([md_cell(change.area or "plan"), md_cell(action),
                         md_cell(short(change.title, 60)), md_cell(detail)])  # fmt: skip
        lines += md_table(["Area", "ID", "Action, area, measure or role", "Change"], rows)
        lines.append("")
        lines += ["| Area | Summary |", "|---|---|"]
        lines += [f"| {md_cell(a or 'plan')} | {s} |" for a, s in result.by_area.items()]
        if result.as_of is not None:
            lines += ["", f"Overdue judged as of {uk_date(result.as_of)} in the newer version."]
    out.write("\n".join(lines) + "\n")


def diff_json(result: DiffResult, out: TextIO, color: ColorChoice = "never") -> None:
    document = {
        "from": result.from_label,
        "to": result.to_label,
        "from_commit": result.from_rev.sha if result.from_rev else None,
        "to_commit": result.to_rev.sha if result.to_rev else None,
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "summary": dict(result.summary.counts),
        "areas": {area: dict(s.counts) for area, s in result.by_area.items()},
        "changes": [c.as_dict() for c in result.changes],
    }
    jsonout.dump(document, out)
