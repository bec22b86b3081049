"""`brag status` and `brag actions` as JSON, CSV and Markdown. No rich, no jinja2 here.

Every renderer takes the `--color` choice, as the registries' renderers all do, and has no
use for it."""

from __future__ import annotations

from typing import Any, TextIO

from bragcli.compute.rollup import ActionView, MeasureView, Status, Totals
from bragcli.model import Area, Measure, Plan, Rating
from bragcli.render import ColorChoice
from bragcli.render.wording import (
    change_unit,
    csv_safe,
    lead_text,
    letter_counts,
    md_cell,
    md_inline,
    md_table,
    missed_by_lead,
    overdue_by_rating,
    plural,
    rating_word,
    reading_text,
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
    result["overdue_by_status"] = {r.value: totals.overdue_by_status[r] for r in Rating}
    result["impact"] = {r.value: totals.impact[r] for r in Rating}
    return result


def _rating(rating: Rating | None) -> str | None:
    return rating.value if rating is not None else None


def area_json(area: Area, plan: Plan) -> dict[str, Any]:
    """An area's own keys: its owner (`lead`, with the holders) and the board's ratings."""
    return {
        "id": area.id,
        "title": area.title,
        "lead": list(area.lead),
        "holders": [plan.holder(role) for role in area.lead],
        "status": _rating(area.status),
        "impact": _rating(area.impact),
    }


def action_json(view: ActionView, status: Status) -> dict[str, Any]:
    action = view.action
    return {
        "id": action.id,
        "area": view.area.id,
        "title": action.title,
        "lead": list(action.lead),
        "holders": [status.plan.holder(role) for role in action.lead],
        "area_lead": list(view.area.lead),
        "area_status": _rating(view.area.status),
        "area_impact": _rating(view.area.impact),
        "source": list(action.source),
        "deadline": action.deadline,
        "due": view.due.isoformat() if view.due else None,
        "baseline": view.baseline,
        "replanned": view.replanned,
        "status": action.status.value,
        "impact": _rating(action.impact),
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
        "has_data": True,
        "period": view.latest.period,
        "value": view.latest.value,
        "stale": view.stale,
        "previous": view.previous.value if view.previous else None,
        "previous_period": view.previous.period if view.previous else None,
        "change": view.change,
        "change_unit": change_unit(view.measure),
        "trend": view.trend,
        "meets_target": view.meets,
    }


def unread_measure_json(area: Area, measure: Measure) -> dict[str, Any]:
    """A measure with no reading yet: the keys of `measure_json`, with no values."""
    return {
        "area": area.id,
        "name": measure.name,
        "good": measure.good,
        "target": measure.target,
        "unit": measure.unit,
        "has_data": False,
        **dict.fromkeys(("period", "value", "stale", "previous", "previous_period", "change")),
        "change_unit": change_unit(measure),
        **dict.fromkeys(("trend", "meets_target")),
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
        "filters": filters_json(status),
        "totals": totals_json(status.totals),
        "areas": [
            {**area_json(s.area, plan), "totals": totals_json(s.totals)} for s in status.areas
        ],
        "actions": [action_json(v, status) for v in status.actions],
        "measures": [
            *(measure_json(m) for m in status.measures),
            *(unread_measure_json(area, m) for area, m in status.unread_measures),
        ],
    }
    from bragcli.render import jsonout  # not for the terminal view, which uses `flags`

    jsonout.dump(document, out)


def filters_json(status: Status) -> dict[str, Any]:
    """The filters applied, and the actions `--lead` may have missed: left out, with a lead
    role that is not in the roles glossary (so its holder's name could not be matched)."""
    f = status.filters
    return {
        "areas": list(f.areas),
        "lead": f.lead,
        "statuses": [r.value for r in f.statuses],
        "overdue": f.overdue_only,
        "source": f.source,
        "lead_not_in_roles": [v.action.id for v in status.missed_by_lead],
    }


def actions_json(status: Status, out: TextIO, color: ColorChoice = "never") -> None:
    from bragcli.render import jsonout

    jsonout.dump([action_json(v, status) for v in status.actions], out)


# --- CSV --------------------------------------------------------------------------------------

ROLLUP_COLUMNS = [
    "area", "title", *(r.value for r in Rating), "actions", "overdue", "due_soon",
    *(f"overdue_{r.value}" for r in Rating), "area_lead", "area_status", "area_impact",
]  # fmt: skip
ACTION_COLUMNS = [
    "id", "area", "title", "lead", "holder", "deadline", "due", "status", "impact",
    "overdue", "days_overdue", "due_soon", "stale", "updated", "source", "baseline",
    "replanned", "area_lead",
]  # fmt: skip


def _writer(out: TextIO) -> Any:
    import csv  # not for the terminal view, which uses `flags`

    return csv.writer(out, lineterminator="\n")


def _cell(value: str | None) -> str:
    """A CSV cell of plan text: one line, shown `visible`, never a formula."""
    return csv_safe(visible(value or ""))


def status_csv(status: Status, out: TextIO, color: ColorChoice = "never") -> None:
    """The roll-up: one row per area and a total row."""
    writer = _writer(out)
    writer.writerow(ROLLUP_COLUMNS)
    rows: list[tuple[str, str, Totals, Area | None]] = [
        (s.area.id, s.area.title, s.totals, s.area) for s in status.areas
    ]
    rows.append(("total", "", status.totals, None))
    for area_id, title, totals, area in rows:
        counts = [totals.status[r] for r in Rating]
        late = [totals.overdue_by_status[r] for r in Rating]
        own = ["", "", ""]
        if area is not None:
            own = [_cell("; ".join(area.lead)), _rating(area.status) or "",
                   _rating(area.impact) or ""]  # fmt: skip
        writer.writerow(
            [_cell(area_id), _cell(title), *counts, totals.actions, totals.overdue,
             totals.due_soon, *late, *own]
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
                _cell("; ".join(row["source"])),
                _cell(row["baseline"]),
                "" if row["replanned"] is None else row["replanned"],
                _cell("; ".join(row["area_lead"])),
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
    lines += ["", f"All actions: {overdue_by_rating(t.status, t.overdue_by_status)}"]
    if status.missed_by_lead:
        note = missed_by_lead([v.action.id for v in status.missed_by_lead])
        lines += ["", f"**Note:** {md_cell(note)}"]
    lines += _owners_markdown(status)
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
    if status.measures or status.unread_measures:
        lines += ["## Measures that matter", ""]
        header = ["Area", "Measure", "Latest", "Period", "Previous", "Target", "Meets target",
                  "Change"]  # fmt: skip
        rows = [_measure_row(m) for m in status.measures]
        rows += [
            [md_cell(area.id), md_cell(m.name), "no data yet", "–", "–",
             md_cell(target_text(m) or "–"), "–", "–"]
            for area, m in status.unread_measures
        ]  # fmt: skip
        lines += md_table(header, rows)
        lines.append("")
    out.write("\n".join(lines).rstrip("\n") + "\n")


def _owners_markdown(status: Status) -> list[str]:
    """Each area's owner and the board's own ratings, beside the counts of its actions."""
    if not any(s.area.lead or s.area.status or s.area.impact for s in status.areas):
        return []
    header = ["Area", "Owner", "Board's rating", "Board's impact", "Actions (counted)", "Overdue"]
    rows = [
        [md_cell(s.area.id), md_cell(lead_text(status.plan, s.area.lead) or "–"),
         rating_word(s.area.status) or "–", rating_word(s.area.impact) or "–",
         letter_counts(s.totals.status), str(s.totals.overdue)]
        for s in status.areas
    ]  # fmt: skip
    return ["", "## Area owners and the board's own ratings", "", *md_table(header, rows)]


def _measure_row(view: MeasureView) -> list[str]:
    meets = {True: "yes", False: "no", None: "–"}[view.meets]
    change = "–"
    if view.change is not None:
        change = signed(view.change, view.measure) + (f" ({view.trend})" if view.trend else "")
    previous = "–"
    if view.previous is not None:
        previous = reading_text(view.previous.value, view.previous.period, view.measure)
    period = view.latest.period + (" (stale)" if view.stale else "")
    return [
        md_cell(view.area.id),
        md_cell(view.measure.name),
        md_cell(with_unit(view.latest.value, view.measure)),
        md_cell(period),
        md_cell(previous),
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
