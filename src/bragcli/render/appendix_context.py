"""What the committee appendix shows, computed once for every template (`brag report`).

The template context is plain, immutable data built for templates: read-only mappings
(`types.MappingProxyType`), tuples, text, numbers, dates, booleans and None. It never holds a
pydantic model, a dataclass or any other object with methods, so a template (which may come
from anyone) can read the plan but cannot reach code that reads files, unpickles data or runs
commands, and cannot change what another part of the template sees. Its shape is a public
contract, documented in docs/templates.md ("The context") and checked by
tests/test_hostile_templates.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from bragcli import __version__
from bragcli.compute.changes import Change
from bragcli.compute.rollup import (
    ActionView,
    Filters,
    MeasureView,
    Totals,
    build_status,
    meets_target,
    view_measures,
)
from bragcli.compute.timing import DEFAULT_DUE_WITHIN
from bragcli.model import Area, Measure, Plan, Rating, Reading
from bragcli.render import wording as fmt
from bragcli.source.git import Commit

#: A read-only mapping of the template context.
Record = Mapping[str, Any]

#: The only types a template context holds (`Record`s are `MappingProxyType`s).
CONTEXT_TYPES = (MappingProxyType, tuple, str, int, float, bool, date, type(None))


def _record(**fields: Any) -> Record:
    return MappingProxyType(fields)


def _plan(plan: Plan) -> Record:
    return _record(
        title=plan.title,
        organisation=plan.organisation,
        version=plan.version,
        start=plan.start,
        quarters=plan.quarters,
        roles=MappingProxyType(dict(plan.roles)),
        #: the plan's own words for each rating, the defaults where it has none
        brag_key=MappingProxyType({r.value: plan.descriptor(r) for r in Rating}),
    )


def _commit(commit: Commit | None) -> Record | None:
    if commit is None:
        return None
    return _record(
        sha=commit.sha,
        short=commit.short,
        #: the first 7 characters of the commit id: the report's reference
        ref=commit.sha[:7],
        date=commit.date,
        #: the commit's date as a date (None where git shows none that reads as one)
        recorded=_day(commit.date),
        dirty=commit.dirty,
    )


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def provenance(commit: Commit | None, prepared: date | None) -> str:
    """Where the report comes from, in plain words and one date style."""
    made = f"Prepared on {fmt.uk_date(prepared)} from" if prepared else "Prepared from"
    if commit is None:
        return (
            f"{made} plan files that are not kept in git, so this version of the plan "
            "cannot be traced later."
        )
    day = _day(commit.date)
    # a date Python cannot hold (10000-01-01) or git cannot show ("an unknown date") as git has it
    when = f"on {fmt.uk_date(day)}" if day else f"in a commit of {commit.date}"
    text = f"{made} the plan as recorded {when} (reference {commit.sha[:7]})."
    if commit.dirty:
        text += (
            " The plan had changes not yet recorded in git, so this report may not match "
            "that recorded version."
        )
    return text


def _totals(totals: Totals) -> Record:
    return _record(
        status=MappingProxyType({r.value: n for r, n in totals.status.items()}),
        impact=MappingProxyType({r.value: n for r, n in totals.impact.items()}),
        actions=totals.actions,
        overdue=totals.overdue,
        due_soon=totals.due_soon,
        impact_rated=totals.impact_rated,
    )


def _area(area: Area) -> Record:
    return _record(
        id=area.id,
        title=area.title,
        #: the area's owner: its lead roles
        lead=tuple(area.lead),
        #: the board's own ratings of the whole area (None where not rated)
        status=area.status.value if area.status is not None else None,
        impact=area.impact.value if area.impact is not None else None,
        #: where the area's actions came from, when every action has the same `source:`
        #: (shown once for the area, not on every action); () when they differ or have none
        source=_common_source(area),
        outcomes=tuple(_record(text=o.text, evidence=tuple(o.evidence)) for o in area.outcomes),
    )


def _common_source(area: Area) -> tuple[str, ...]:
    sources = {tuple(action.source) for action in area.actions}
    if len(sources) != 1 or len(area.actions) < 2:
        return ()
    return sources.pop()


def _reading(reading: Reading | None) -> Record | None:
    if reading is None:
        return None
    return _record(period=reading.period, value=reading.value, source=reading.source)


def _measure(measure: Measure) -> Record:
    low, high = measure.target_bounds()
    series = tuple(
        _record(
            period=r.period,
            value=r.value,
            value_text=fmt.with_unit(r.value, measure),
            meets=meets_target(measure, r.value),
            source=r.source,
        )
        for r in measure.readings
    )
    return _record(
        name=measure.name,
        good=measure.good,
        target=measure.target,
        unit=measure.unit,
        #: "16-20", "≥ 90%", "≤ 0" with the unit; "" without a target
        target_text=fmt.target_text(measure),
        #: the range of values that meets the target (None: unbounded on that side)
        target_low=low,
        target_high=high,
        #: every reading, oldest first
        series=series,
        #: the series in words, e.g. "3 readings, from 18% (2021-22) to 22% (2022-10); ..."
        series_text=_series_text(measure),
    )


def _series_text(measure: Measure) -> str:
    """The readings' trend in words: the text alternative of the sparkline."""
    readings = measure.readings
    if not readings:
        return f"{measure.name}: no reading yet."
    first, last = readings[0], readings[-1]
    said = fmt.with_unit
    if len(readings) == 1:
        text = f"{measure.name}: one reading, {said(last.value, measure)} ({last.period})"
    else:
        if last.value > first.value:
            way = "rose"
        elif last.value < first.value:
            way = "fell"
        else:
            way = "stayed"
        text = (
            f"{measure.name}: {len(readings)} readings; {way} from {said(first.value, measure)} "
            f"({first.period}) to {said(last.value, measure)} ({last.period})"
        )
    target = fmt.target_text(measure)
    if target:
        meets = meets_target(measure, last.value)
        text += f"; target {target}, " + ("met" if meets else "not met") + " by the latest"
    return text + "."


def _measure_view(view: MeasureView, measure: Record) -> Record:
    return _record(
        measure=measure,
        latest=_reading(view.latest),
        previous=_reading(view.previous),
        meets=view.meets,
        change=view.change,
        trend=view.trend.value if view.trend is not None else None,
        #: the latest value with its unit, e.g. "22%"
        latest_text=fmt.with_unit(view.latest.value, view.measure),
        #: the change with its sign and unit, e.g. "+2%"; "" with a single reading
        change_text=fmt.signed(view.change, view.measure) if view.change is not None else "",
    )


@dataclass(frozen=True, slots=True)
class SinceBoard:
    """What the report's "Since the last board" section is built from (`--since REV`)."""

    #: the revision as the user gave it, or the tag found by --since-tag-prefix
    rev: str
    short: str
    #: the date of that revision's commit
    date: date
    #: the plan then, and its areas
    plan: Plan
    areas: Sequence[Area]
    #: `compute.changes.diff_plans` from then to now: the same change set as `brag diff`
    changes: Sequence[Change]


def _plain(value: object) -> object:
    """A change's field as template data: text for enums, tuples for lists."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): _plain(v) for k, v in value.items()})
    if value is None or isinstance(value, CONTEXT_TYPES):
        return value
    return str(value)


#: The fields every change of "Since the last board" has (a template can use each on any
#: change); a kind of change may add its own.
_CHANGE_FIELDS: dict[str, object] = {
    "id": None, "area": None, "title": None, "kind": None, "text": "", "from": None,
    "to": None, "direction": None, "slip_days": None, "notes": (),
}  # fmt: skip

#: Headings of the "Since the last board" groups, in the order shown; a kind of change not
#: named here is shown after these, under its own name.
SINCE_HEADINGS: dict[str, str] = {
    "status": "Rating changes",
    "impact": "Impact rating changes",
    "became-overdue": "Became overdue",
    "deadline": "Deadlines re-planned",
    "added": "New actions",
    "removed": "Removed actions",
    "moved": "Moved actions",
    "progress": "New progress notes",
    "reading-added": "New measure readings",
    "reading-changed": "Measure readings changed",
    "role-holder": "Role holders changed",
    "lead": "Leads changed",
    "area-lead": "Area owners changed",
    "area-title": "Area titles reworded",
    "area-status": "Area ratings changed",
    "area-impact": "Area impact ratings changed",
    "baseline": "First agreed deadlines changed",
    "source": "Sources changed",
    "title": "Action titles reworded",
    "plan": "Plan details changed",
}


def _since(since: SinceBoard) -> Record:
    groups: dict[str, list[Record]] = {}
    for change in since.changes:
        fields = dict(_CHANGE_FIELDS)
        fields.update({str(k): _plain(v) for k, v in change.as_dict().items()})
        kind = str(fields["kind"] or "other")
        fields["text"] = change.describe()
        groups.setdefault(kind, []).append(MappingProxyType(fields))
    order = [k for k in SINCE_HEADINGS if k in groups] + sorted(
        k for k in groups if k not in SINCE_HEADINGS
    )
    return _record(
        rev=since.rev,
        short=since.short,
        date=since.date,
        count=sum(len(g) for g in groups.values()),
        groups=tuple(
            _record(
                kind=k,
                heading=SINCE_HEADINGS.get(k, k.replace("-", " ").replace("_", " ").capitalize()),
                changes=tuple(groups[k]),
            )
            for k in order
        ),
    )


def _new_notes(since: SinceBoard | None) -> dict[str, frozenset[str] | None]:
    """Action id -> its notes (as written) that are new since the last board; None for an
    action added since then (all its notes are new)."""
    if since is None:
        return {}
    found: dict[str, frozenset[str] | None] = {}
    for change in since.changes:
        if change.kind == "added":
            found[change.id] = None
        elif change.kind == "progress":
            found[change.id] = frozenset(change.notes)
    return found


class _Builder:
    """Builds each area and action record once, so the context shares them (and stays small)."""

    def __init__(
        self,
        new_notes: Mapping[str, frozenset[str] | None] | None = None,
    ) -> None:
        self._areas: dict[int, Record] = {}
        self._actions: dict[int, Record] = {}
        self._new = new_notes or {}

    def area(self, area: Area) -> Record:
        key = id(area)
        if key not in self._areas:
            self._areas[key] = _area(area)
        return self._areas[key]

    def action(self, view: ActionView) -> Record:
        key = id(view)
        if key not in self._actions:
            a = view.action
            baseline = view.baseline
            self._actions[key] = _record(
                action=_record(
                    id=a.id,
                    title=a.title,
                    lead=tuple(a.lead),
                    deadline=a.deadline,
                    status=a.status.value,
                    impact=a.impact.value if a.impact is not None else None,
                    updated=a.updated,
                    success_criteria=a.success_criteria,
                    progress=tuple(note.written for note in a.progress),
                    #: each note with its date (None where undated) and whether it is new
                    #: since the last board (always False without --since)
                    notes=tuple(
                        _record(text=n.text, date=n.date, new=self._is_new(a.id, n.written))
                        for n in a.progress
                    ),
                    source=tuple(a.source),
                    #: the deadline first agreed: `baseline` where the plan records it, else
                    #: the action's first deadline in git history (None without either)
                    baseline=baseline,
                    #: True when the deadline now differs from the one first agreed
                    replanned=baseline is not None and baseline != (a.deadline or "none"),
                    #: how often the deadline moved since first agreed (`rollup.replanning`;
                    #: 0 when the plan is not in git)
                    replans=view.replanned or 0,
                    impact_evidence=tuple(a.impact_evidence),
                ),
                area=self.area(view.area),
                due=view.due,
                overdue=view.overdue,
                days_overdue=view.days_overdue,
                days_left=view.days_left,
                due_soon=view.due_soon,
                stale=view.stale,
            )
        return self._actions[key]

    def _is_new(self, action_id: str, written: str) -> bool:
        if action_id not in self._new:
            return False
        new = self._new[action_id]
        return new is None or written in new

    def actions(self, views: list[ActionView]) -> tuple[Record, ...]:
        return tuple(self.action(v) for v in views)


def report_context(
    plan: Plan,
    areas: list[Area],
    as_of: date,
    commit: Commit | None,
    *,
    due_within: int = DEFAULT_DUE_WITHIN,
    since: SinceBoard | None = None,
    prepared: date | None = None,
    orientation: str = "landscape",
    deadline_history: Mapping[str, Sequence[str]] | None = None,
    source: str | None = None,
) -> Record:
    """The template context documented in docs/templates.md, as plain read-only data."""
    status = build_status(
        plan, areas, as_of, due_within=due_within, deadline_history=deadline_history,
        filters=Filters(source=source),
    )  # fmt: skip
    readings = {(v.area.id, v.measure.name): v for v in view_measures(areas)}
    build = _Builder(_new_notes(since))

    def measure_rows(area: Area) -> tuple[Record, ...]:
        rows = []
        for m in area.measures:
            measure = _measure(m)
            view = readings.get((area.id, m.name))
            reading = _measure_view(view, measure) if view is not None else None
            rows.append(_record(measure=measure, reading=reading))
        return tuple(rows)

    area_reports = tuple(
        _record(
            area=build.area(summary.area),
            totals=_totals(summary.totals),
            actions=build.actions([v for v in status.actions if v.area is summary.area]),
            measures=measure_rows(summary.area),
        )
        for summary in status.areas
    )
    return _record(
        plan=_plan(plan),
        as_of=as_of,
        #: the day the report was made (SOURCE_DATE_EPOCH where set, for reproducible output)
        prepared=prepared,
        #: the printed page: A4, "landscape" (default) or "portrait" (--orientation)
        page=_record(size="A4", orientation=orientation),
        #: "Since the last board" (--since REV); None without --since
        since=_since(since) if since is not None else None,
        commit=_commit(commit),
        #: "Prepared on 25 November 2026 from the plan as recorded on ... (reference 6451b89)."
        provenance=provenance(commit, prepared),
        #: --source TEXT: the report shows only the actions whose source contains it (None:
        #: every action)
        source_filter=source,
        generator=f"bragcli {__version__}",
        ratings=tuple(r.value for r in Rating),
        totals=_totals(status.totals),
        areas=area_reports,
        actions=build.actions(status.actions),
        overdue=build.actions(status.overdue),
        red=build.actions([v for v in status.actions if v.action.status is Rating.RED]),
        #: overdue actions (longest first), then red actions that are not overdue
        attention=build.actions(status.overdue + status.red),
        due_soon=build.actions(status.due_soon),
        due_within=due_within,
    )
