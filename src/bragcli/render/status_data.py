"""`brag status` and `brag actions` as JSON, CSV and Markdown. No rich, no jinja2 here.

Every renderer takes the `--color` choice, as the registries' renderers all do, and has no
use for it."""

from __future__ import annotations

import csv
from typing import Any, TextIO

from bragcli.compute.rollup import ActionView, MeasureView, Status, Totals
from bragcli.model import Rating
from bragcli.render import ColorChoice, jsonout
from bragcli.render.wording import (
    csv_safe,
    lead_text,
    md_cell,
    md_inline,
    md_table,
    plural,
    rating_word,
    signed,
    target_text,
    uk_date,
    with_unit,
)
from bragcli.safetext import visible

# --- JSON -------------------------------------------------------------------------------------


def totals_json(totals: Totals) -> dict[str, Any]:
    result: dict[str, Any] = {r.value: totals.status[r] for r in Rating}
    result.update(actions=totals.actions, overdue=totals.overdue, due_soon=totals.due_soon)
    result["impact"] = {r.value: totals.impact[r] for r in Rating}
    return result


def action_json(view: ActionView, status: Status) -> dict[str, Any]:
    action = view.action
    return {
        "id": action.id,
        "area": view.area.id,
        "title": action.title,
        "lead": list(action.lead),
        "holders": [status.plan.holder(role) for role in action.lead],
        "deadline": action.deadline,
        "due": view.due.isoformat() if view.due else None,
        "status": action.status.value,
        "impact": action.impact.value if action.impact else None,
        "overdue": view.overdue,
        "days_overdue": view.days_overdue,
        "due_soon": view.due_soon,
        "stale": view.stale,
        "updated": action.updated.isoformat() if action.updated else None,
    }


def measure_json(view: MeasureView) -> dict[str, Any]:
    return {
        "area": view.area.id,
        "name": view.measure.name,
        "good": view.measure.good,
        "target": view.measure.target,
        "unit": view.measure.unit,
        "period": view.latest.period,
        "value": view.latest.value,
        "previous": view.previous.value if view.previous else None,
        "change": view.change,
        "trend": view.trend,
        "meets_target": view.meets,
    }


def status_json(status: Status, out: TextIO, color: ColorChoice = "never") -> None:
    plan = status.plan
    document = {
        "plan": {
            "title": plan.title,
            "organisation": plan.organisation,
            "version": plan.version,
        },
        "as_of": status.as_of.isoformat(),
        "due_within": status.due_within,
        "totals": totals_json(status.totals),
        "areas": [
            {"id": s.area.id, "title": s.area.title, "totals": totals_json(s.totals)}
            for s in status.areas
        ],
        "actions": [action_json(v, status) for v in status.actions],
        "measures": [measure_json(m) for m in status.measures],
    }
    jsonout.dump(document, out)


def actions_json(status: Status, out: TextIO, color: ColorChoice = "never") -> None:
    jsonout.dump([action_json(v, status) for v in status.actions], out)


# --- CSV --------------------------------------------------------------------------------------

ROLLUP_COLUMNS = ["area", "title", *(r.value for r in Rating), "actions", "overdue", "due_soon"]
ACTION_COLUMNS = [
    "id", "area", "title", "lead", "holder", "deadline", "due", "status", "impact",
    "overdue", "days_overdue", "due_soon", "stale", "updated",
]  # fmt: skip


def _writer(out: TextIO) -> Any:
    return csv.writer(out, lineterminator="\n")


def _cell(value: str | None) -> str:
    """A CSV cell of plan text: one line, shown `visible`, never a formula."""
    return csv_safe(visible(value or ""))


def status_csv(status: Status, out: TextIO, color: ColorChoice = "never") -> None:
    """The roll-up: one row per area and a total row."""
    writer = _writer(out)
    writer.writerow(ROLLUP_COLUMNS)
    rows = [(s.area.id, s.area.title, s.totals) for s in status.areas]
    rows.append(("total", "", status.totals))
    for area_id, title, totals in rows:
        counts = [totals.status[r] for r in Rating]
        writer.writerow(
            [_cell(area_id), _cell(title), *counts, totals.actions, totals.overdue,
             totals.due_soon]
        )  # fmt: skip


def actions_csv(status: Status, out: TextIO, color: ColorChoice = "never") -> None:
    writer = _writer(out)
    writer.writerow(ACTION_COLUMNS)
    for view in status.actions:
        row = action_json(view, status)
        writer.writerow(
            [
                _cell(row["id"]),
                _cell(row["area"]),
                _cell(row["title"]),
                _cell("; ".join(row["lead"])),
                _cell("; ".join(h or "" for h in row["holders"])),
                _cell(row["deadline"]),
                row["due"] or "",
                row["status"],
                row["impact"] or "",
                "yes" if row["overdue"] else "no",
                row["days_overdue"],
                "yes" if row["due_soon"] else "no",
                "yes" if row["stale"] else "no",
                row["updated"] or "",
            ]
        )


# --- Markdown ---------------------------------------------------------------------------------

_COUNT_HEADER = [rating_word(r) for r in Rating]


def _impact_text(totals: Totals) -> str:
    rated = [f"{totals.impact[r]} {rating_word(r).lower()}" for r in Rating if totals.impact[r]]
    return ", ".join(rated) if rated else "–"


def _heading(status: Status) -> list[str]:
    plan = status.plan
    facts = [plan.organisation]
    if plan.version:
        facts.append(f"version {plan.version}")
    facts.append(f"as of {uk_date(status.as_of)}")
    return [f"# {md_inline(plan.title)}", "", md_inline(" · ".join(facts)), ""]


def _attention_rows(views: list[ActionView], status: Status) -> list[list[str]]:
    return [
        [
            md_cell(v.action.id),
            md_cell(v.action.title),
            md_cell(lead_text(status.plan, v.action.lead)),
            md_cell(v.action.deadline or "none"),
            plural(v.days_overdue, "day") if v.overdue else uk_date(v.due),
            rating_word(v.action.status),
        ]
        for v in views
    ]


def status_markdown(status: Status, out: TextIO, color: ColorChoice = "never") -> None:
    lines = _heading(status)
    lines += ["## Activity by improvement area", ""]
    header = ["Area", "Title", *_COUNT_HEADER, "Actions", "Overdue", f"Due ≤{status.due_within}d",
              "Impact rated"]  # fmt: skip
    rows = [
        [md_cell(s.area.id), md_cell(s.area.title), *(str(s.totals.status[r]) for r in Rating),
         str(s.totals.actions), str(s.totals.overdue), str(s.totals.due_soon),
         _impact_text(s.totals)]
        for s in status.areas
    ]  # fmt: skip
    t = status.totals
    rows.append(
        ["**Total**", "", *(f"**{t.status[r]}**" for r in Rating), f"**{t.actions}**",
         f"**{t.overdue}**", f"**{t.due_soon}**", _impact_text(t)]
    )  # fmt: skip
    lines += md_table(header, rows, "ll" + "r" * 8 + "l")
    attention = [
        ("Overdue", status.overdue, "Overdue by"),
        ("Red, not yet overdue", status.red, "Due"),
        (f"Due within {status.due_within} days", status.due_soon, "Due"),
    ]
    lines += ["", "## Needs attention", ""]
    for title, views, when in attention:
        lines += [f"### {title} ({len(views)})", ""]
        if views:
            header = ["ID", "Action", "Lead", "Deadline", when, "Status"]
            lines += md_table(header, _attention_rows(views, status))
        else:
            lines.append("None.")
        lines.append("")
    if status.measures:
        lines += ["## Measures that matter", ""]
        header = ["Area", "Measure", "Latest", "Period", "Target", "Meets target", "Change"]
        lines += md_table(header, [_measure_row(m) for m in status.measures])
        lines.append("")
    out.write("\n".join(lines).rstrip("\n") + "\n")


def _measure_row(view: MeasureView) -> list[str]:
    meets = {True: "yes", False: "no", None: "–"}[view.meets]
    change = "–"
    if view.change is not None:
        change = signed(view.change, view.measure) + (f" ({view.trend})" if view.trend else "")
    return [
        md_cell(view.area.id),
        md_cell(view.measure.name),
        md_cell(with_unit(view.latest.value, view.measure)),
        md_cell(view.latest.period),
        md_cell(target_text(view.measure) or "–"),
        meets,
        md_cell(change),
    ]


def actions_markdown(status: Status, out: TextIO, color: ColorChoice = "never") -> None:
    lines = _heading(status)
    header = ["ID", "Area", "Action", "Lead", "Deadline", "Due", "Status", "Impact", "Flags"]
    rows = [
        [
            md_cell(v.action.id),
            md_cell(v.area.id),
            md_cell(v.action.title),
            md_cell(lead_text(status.plan, v.action.lead)),
            md_cell(v.action.deadline or "none"),
            v.due.isoformat() if v.due else "–",
            rating_word(v.action.status),
            rating_word(v.action.impact) or "–",
            ", ".join(flags(v)) or "–",
        ]
        for v in status.actions
    ]
    lines += md_table(header, rows)
    out.write("\n".join(lines) + "\n")


def flags(view: ActionView, *, short: bool = False) -> list[str]:
    """Words for what needs a look: overdue (with days), due soon, stale."""
    result = []
    if view.overdue:
        days = f"{view.days_overdue}d" if short else plural(view.days_overdue, "day")
        result.append(f"overdue {days}")
    if view.due_soon:
        result.append("due soon")
    if view.stale:
        result.append("stale")
    return result
