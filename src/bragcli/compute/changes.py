"""What changed between two versions of a plan (`brag diff`, and "since the last board" in
reports): the one change set. Pure.

Changes are to actions (rating, deadline, lead, progress, baseline, source, became overdue),
to areas (owner, the board's own ratings), to measures (readings added or changed), to the
roles glossary (a role's holder) and to the plan itself (title, version, start)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from bragcli.compute.timing import days_overdue, window_of
from bragcli.deadlines import Quarters
from bragcli.model import Action, Area, Measure, Plan, Rating, natural_key, number_text

#: How much of a reworded title's old wording a change's description quotes (all of it is in
#: `from` of the JSON): a title of thousands of characters must not fill a board's screen.
OLD_TITLE_CHARS = 120


def _cut(text: str) -> str:
    """`text`, cut to OLD_TITLE_CHARS characters with an ellipsis when longer (renderers make
    it safe to show: this is pure text)."""
    return text if len(text) <= OLD_TITLE_CHARS else text[: OLD_TITLE_CHARS - 1] + "…"


#: red < amber < green < blue; not-started is outside this order.
_RANK = {Rating.RED: 0, Rating.AMBER: 1, Rating.GREEN: 2, Rating.BLUE: 3}


class ChangeKind(StrEnum):
    """What changed (the "kind" of `brag diff --format json`; documented in docs/json.md)."""

    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    STATUS = "status"
    IMPACT = "impact"
    DEADLINE = "deadline"
    LEAD = "lead"
    PROGRESS = "progress"
    #: the action's `baseline:` (the deadline first agreed)
    BASELINE = "baseline"
    #: the action's `source:`
    SOURCE = "source"
    #: the action's title, reworded
    TITLE = "title"
    #: not overdue in the old plan at its date, overdue in the new at its date
    BECAME_OVERDUE = "became-overdue"
    #: an area's owner (`lead:`)
    AREA_LEAD = "area-lead"
    #: an area's title, reworded
    AREA_TITLE = "area-title"
    #: the board's own activity rating of an area
    AREA_STATUS = "area-status"
    #: the board's own impact rating of an area
    AREA_IMPACT = "area-impact"
    #: a measure's reading for a period that had none
    READING_ADDED = "reading-added"
    #: a different value for a period that had a reading
    READING_CHANGED = "reading-changed"
    #: who holds a role of the roles glossary (and so leads its actions)
    ROLE_HOLDER = "role-holder"
    #: the plan's title, version or start
    PLAN = "plan"


class Scope(StrEnum):
    """What a change is about: `id` is an action id, an area id, a measure's name, a role,
    or the name of the plan's key (title, version, start)."""

    ACTION = "action"
    AREA = "area"
    MEASURE = "measure"
    ROLE = "role"
    PLAN = "plan"


class Direction(StrEnum):
    """Which way a status or impact rating moved (`rating_direction`)."""

    #: up the order red < amber < green < blue
    BETTER = "better"
    WORSE = "worse"
    #: from not-started to a rating
    STARTED = "started"
    #: from a rating back to not-started
    RESET = "reset"
    #: an impact rating given where there was none
    RATED = "rated"
    #: an impact rating taken away
    UNRATED = "unrated"


@dataclass(frozen=True, slots=True)
class Change:
    """One change to one action. `old`/`new` are display texts (None where absent)."""

    id: str
    area: str
    title: str
    kind: ChangeKind
    old: str | None = None
    new: str | None = None
    #: for status and impact
    direction: Direction | None = None
    #: for deadline: days between the old and new window ends (positive: later)
    slip_days: int | None = None
    #: for progress: the notes that are new
    notes: tuple[str, ...] = ()
    scope: Scope = Scope.ACTION
    #: for role-holder: the actions the role leads (in the new plan)
    actions: tuple[str, ...] = ()
    #: for became-overdue: days overdue at the new plan's date
    days_overdue: int | None = None
    #: for reading-added and reading-changed: the reading's period
    period: str | None = None

    def describe(self) -> str:
        """One line for people, e.g. 'status green → amber (worse)'."""
        described = self._describe_more()
        if described is not None:
            return described
        if self.kind is ChangeKind.ADDED:
            return f"added to area {self.area}"
        if self.kind is ChangeKind.REMOVED:
            return f"removed from area {self.area}"
        if self.kind is ChangeKind.MOVED:
            return f"moved from area {self.old} to area {self.new}"
        if self.kind in _RATED:
            old, new = self.old or "unrated", self.new or "unrated"
            return f"{self.kind} {old} → {new} ({self.direction})"
        if self.kind is ChangeKind.DEADLINE:
            arrow = f"{self.old or 'none'} → {self.new or 'none'}"
            if self.slip_days is None:
                return f"deadline changed: {arrow}"
            if self.slip_days > 0:
                return f"deadline slipped {self.slip_days} days: {arrow}"
            if self.slip_days < 0:
                return f"deadline brought forward {-self.slip_days} days: {arrow}"
            return f"deadline reworded: {arrow}"
        if self.kind is ChangeKind.LEAD:
            return f"lead {self.old} → {self.new}"
        count = len(self.notes)
        return f"{count} new progress note{'s' if count != 1 else ''}"

    def _describe_more(self) -> str | None:
        """The kinds beyond an action's rating, deadline, lead and progress."""
        arrow = f"{self.old or 'none'} → {self.new or 'none'}"
        if self.kind is ChangeKind.BASELINE:
            return f"baseline (deadline first agreed) {arrow}"
        if self.kind is ChangeKind.SOURCE:
            return f"source {arrow}"
        if self.kind is ChangeKind.TITLE:
            return f"title reworded; it was: {_cut(self.old or '')}"
        if self.kind is ChangeKind.AREA_TITLE:
            return f"area title reworded; it was: {_cut(self.old or '')}"
        if self.kind is ChangeKind.BECAME_OVERDUE:
            days = self.days_overdue or 0
            ago = f"{days} day{'s' if days != 1 else ''} ago"
            return f"became overdue: {self.new or 'no deadline'} passed {ago}"
        if self.kind is ChangeKind.AREA_LEAD:
            return f"area owner {arrow}"
        if self.kind in (ChangeKind.AREA_STATUS, ChangeKind.AREA_IMPACT):
            which = "rating" if self.kind is ChangeKind.AREA_STATUS else "impact rating"
            old, new = self.old or "unrated", self.new or "unrated"
            return f"board's {which} of the area {old} → {new} ({self.direction})"
        if self.kind is ChangeKind.READING_ADDED:
            return f"{self.id}: new reading {self.new} for {self.period}"
        if self.kind is ChangeKind.READING_CHANGED:
            return f"{self.id}: reading for {self.period} changed {self.old} → {self.new}"
        if self.kind is ChangeKind.ROLE_HOLDER:
            led = f"; leads {', '.join(self.actions)}" if self.actions else "; leads no action"
            holders = f"{self.old or 'nobody named'} → {self.new or 'nobody named'}"
            return f"{self.id}: held by {holders}{led}"
        if self.kind is ChangeKind.PLAN:
            return f"{self.id} {arrow}"
        return None

    def as_dict(self) -> dict[str, object]:
        result: dict[str, object] = {
            "id": self.id,
            "area": self.area,
            "title": self.title,
            "kind": self.kind,
            "scope": self.scope,
            "from": self.old,
            "to": self.new,
        }
        if self.kind in _RATED:
            result["direction"] = self.direction
        if self.kind is ChangeKind.DEADLINE:
            result["slip_days"] = self.slip_days
        if self.kind is ChangeKind.PROGRESS:
            result["notes"] = list(self.notes)
        if self.kind is ChangeKind.ROLE_HOLDER:
            result["actions"] = list(self.actions)
        if self.kind is ChangeKind.BECAME_OVERDUE:
            result["days_overdue"] = self.days_overdue
        if self.kind in (ChangeKind.READING_ADDED, ChangeKind.READING_CHANGED):
            result["period"] = self.period
        return result


#: the kinds of change that move a rating, and so have a direction
_RATED = frozenset(
    {ChangeKind.STATUS, ChangeKind.IMPACT, ChangeKind.AREA_STATUS, ChangeKind.AREA_IMPACT}
)


def rating_direction(old: Rating | None, new: Rating | None) -> Direction:
    if old is None:
        return Direction.RATED
    if new is None:
        return Direction.UNRATED
    if old is Rating.NOT_STARTED:
        # Red is "not started, stalled or stopped; at risk": from not started, that is worse
        return Direction.WORSE if new is Rating.RED else Direction.STARTED
    if new is Rating.NOT_STARTED:
        return Direction.RESET
    return Direction.BETTER if _RANK[new] > _RANK[old] else Direction.WORSE


def _index(areas: Sequence[Area]) -> dict[str, tuple[str, Action]]:
    return {action.id: (area.id, action) for area in areas for action in area.actions}


def diff_plans(
    old_plan: Plan,
    old_areas: Sequence[Area],
    new_plan: Plan,
    new_areas: Sequence[Area],
    *,
    old_as_of: date | None = None,
    new_as_of: date | None = None,
) -> list[Change]:
    """Every change from the old plan and its areas to the new: the plan's own keys and its
    roles' holders first, then each area's, its actions' (in natural id order) and its
    measures'.

    With both dates, an action overdue at `new_as_of` that was not at `old_as_of` (or did
    not exist) has also "became overdue" (the dates of the two commits, or --as-of).
    """
    changes = _plan_changes(old_plan, new_plan, new_areas)
    changes += _role_changes(old_plan, new_plan, new_areas)
    changes += _area_changes(old_areas, new_areas)
    changes += _action_changes_all(old_plan, old_areas, new_plan, new_areas)
    if old_as_of is not None and new_as_of is not None:
        changes += _became_overdue(old_plan, old_areas, old_as_of, new_plan, new_areas, new_as_of)
    changes += _measure_changes(old_areas, new_areas)
    areas = {area.id: i for i, area in enumerate(new_areas)}
    # the plan's own first; then by area: the area's own, its actions by id, its measures
    changes.sort(
        key=lambda c: (
            c.scope not in (Scope.PLAN, Scope.ROLE),
            areas.get(c.area, len(areas)),
            natural_key(c.area),
            _SCOPE_ORDER[c.scope],
            natural_key(c.id) if c.scope is Scope.ACTION else (),
            _KIND_ORDER[c.kind],
        )
    )
    return changes


_KIND_ORDER = {kind: i for i, kind in enumerate(ChangeKind)}
_SCOPE_ORDER = {Scope.PLAN: 0, Scope.ROLE: 1, Scope.AREA: 2, Scope.ACTION: 3, Scope.MEASURE: 4}


def _plan_changes(old: Plan, new: Plan, new_areas: Sequence[Area]) -> list[Change]:
    found = []
    for key in ("title", "version", "start"):
        a, b = getattr(old, key), getattr(new, key)
        if a != b:
            found.append(
                Change(key, "", key, ChangeKind.PLAN, old=_text(a), new=_text(b), scope=Scope.PLAN)
            )
    return found


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _role_changes(old: Plan, new: Plan, new_areas: Sequence[Area]) -> list[Change]:
    """A role whose holder changed (or was named, or no longer is), with the actions it
    leads in the new plan: they have a new lead, although no action's file changed."""
    found = []
    for role in sorted(old.roles.keys() | new.roles.keys(), key=str.casefold):
        holder_before, holder_after = old.holder(role), new.holder(role)
        if holder_before == holder_after:
            continue
        led = tuple(
            action.id for area in new_areas for action in area.actions if role in action.lead
        )
        found.append(
            Change(role, "", role, ChangeKind.ROLE_HOLDER, old=holder_before, new=holder_after,
                   scope=Scope.ROLE, actions=led)
        )  # fmt: skip
    return found


def _area_changes(old_areas: Sequence[Area], new_areas: Sequence[Area]) -> list[Change]:
    before = {area.id: area for area in old_areas}
    found = []
    for b in new_areas:
        a = before.get(b.id)
        if a is None:
            continue
        if a.title != b.title:
            found.append(
                Change(b.id, b.id, b.title, ChangeKind.AREA_TITLE, old=a.title, new=b.title,
                       scope=Scope.AREA)
            )  # fmt: skip
        if a.lead != b.lead:
            found.append(
                Change(b.id, b.id, b.title, ChangeKind.AREA_LEAD, old=" / ".join(a.lead) or None,
                       new=" / ".join(b.lead) or None, scope=Scope.AREA)
            )  # fmt: skip
        for kind, old, new in (
            (ChangeKind.AREA_STATUS, a.status, b.status),
            (ChangeKind.AREA_IMPACT, a.impact, b.impact),
        ):
            if old is not new:
                found.append(
                    Change(b.id, b.id, b.title, kind, old=old.value if old else None,
                           new=new.value if new else None, scope=Scope.AREA,
                           direction=rating_direction(old, new))
                )  # fmt: skip
    return found


def _action_changes_all(
    old_plan: Plan, old_areas: Sequence[Area], new_plan: Plan, new_areas: Sequence[Area]
) -> list[Change]:
    before, after = _index(old_areas), _index(new_areas)
    changes: list[Change] = []
    for action_id in sorted(before.keys() | after.keys(), key=natural_key):
        if action_id not in before:
            area, action = after[action_id]
            changes.append(
                Change(action_id, area, action.title, ChangeKind.ADDED, new=action.status.value)
            )
        elif action_id not in after:
            area, action = before[action_id]
            changes.append(
                Change(action_id, area, action.title, ChangeKind.REMOVED, old=action.status.value)
            )
        else:
            changes += _action_changes(
                before[action_id], after[action_id], old_plan.quarters, new_plan.quarters
            )
    return changes


def _action_changes(
    before: tuple[str, Action], after: tuple[str, Action], old_q: Quarters, new_q: Quarters
) -> list[Change]:
    (old_area, a), (area, b) = before, after
    found: list[Change] = []

    def change(kind: ChangeKind, **details: Any) -> None:
        found.append(Change(b.id, area, b.title, kind, **details))

    if old_area != area:
        change(ChangeKind.MOVED, old=old_area, new=area)
    if a.status is not b.status:
        change(
            ChangeKind.STATUS, old=a.status.value, new=b.status.value,
            direction=rating_direction(a.status, b.status),
        )  # fmt: skip
    if a.impact is not b.impact:
        change(
            ChangeKind.IMPACT,
            old=a.impact.value if a.impact else None,
            new=b.impact.value if b.impact else None,
            direction=rating_direction(a.impact, b.impact),
        )
    if (a.deadline or "") != (b.deadline or ""):
        old_window, new_window = window_of(a, old_q), window_of(b, new_q)
        slip = (new_window.end - old_window.end).days if old_window and new_window else None
        change(ChangeKind.DEADLINE, old=a.deadline, new=b.deadline, slip_days=slip)
    if a.lead != b.lead:
        change(ChangeKind.LEAD, old=" / ".join(a.lead), new=" / ".join(b.lead))
    seen = {note.written for note in a.progress}
    added_notes = tuple(note.written for note in b.progress if note.written not in seen)
    if added_notes:
        change(ChangeKind.PROGRESS, notes=added_notes)
    if a.baseline != b.baseline:
        change(ChangeKind.BASELINE, old=a.baseline, new=b.baseline)
    if a.source != b.source:
        change(ChangeKind.SOURCE, old="; ".join(a.source) or None, new="; ".join(b.source) or None)
    if a.title != b.title:
        change(ChangeKind.TITLE, old=a.title, new=b.title)
    return found


def _became_overdue(
    old_plan: Plan,
    old_areas: Sequence[Area],
    old_as_of: date,
    new_plan: Plan,
    new_areas: Sequence[Area],
    new_as_of: date,
) -> list[Change]:
    """Actions overdue at `new_as_of` that were not overdue (or not there) at `old_as_of`."""
    before = _index(old_areas)
    found = []
    for area in new_areas:
        for action in area.actions:
            late = days_overdue(window_of(action, new_plan.quarters), action.status, new_as_of)
            if not late:
                continue
            if action.id in before:
                _, was = before[action.id]
                if days_overdue(window_of(was, old_plan.quarters), was.status, old_as_of):
                    continue
            found.append(
                Change(action.id, area.id, action.title, ChangeKind.BECAME_OVERDUE,
                       new=action.deadline, days_overdue=late)
            )  # fmt: skip
    return found


def _measure_changes(old_areas: Sequence[Area], new_areas: Sequence[Area]) -> list[Change]:
    """Readings added (a period with none before) or changed (another value), per measure
    (matched by area and name); a measure that is new has every reading added."""
    before = {(area.id, measure.name): measure for area in old_areas for measure in area.measures}
    found = []
    for area in new_areas:
        for measure in area.measures:
            old = before.get((area.id, measure.name))
            was = {r.period: r.value for r in old.readings} if old else {}
            for reading in measure.readings:
                value = _value(reading.value, measure)
                if reading.period not in was:
                    kind, previous = ChangeKind.READING_ADDED, None
                elif was[reading.period] != reading.value:
                    kind, previous = (
                        ChangeKind.READING_CHANGED,
                        _value(was[reading.period], measure),
                    )
                else:
                    continue
                found.append(
                    Change(measure.name, area.id, measure.name, kind, old=previous, new=value,
                           scope=Scope.MEASURE, period=reading.period)
                )  # fmt: skip
    return found


def _value(value: float, measure: Measure) -> str:
    """A reading as text, with its unit: "81%", "22 days"."""
    unit = measure.unit or ""
    return f"{number_text(value)}{' ' if unit[:1].isalpha() else ''}{unit}"


@dataclass(slots=True)
class Summary:
    """Counts of what changed: improved, worsened, slipped, added, removed, moved, ..."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, change: Change) -> None:
        if change.kind is ChangeKind.STATUS:
            moved = {Direction.BETTER: "improved", Direction.WORSE: "worsened"}
            key = moved.get(change.direction) if change.direction else None
            self.counts[key or f"status {change.direction}"] += 1
        elif change.kind is ChangeKind.IMPACT:
            self.counts[f"impact {change.direction}"] += 1
        elif change.kind is ChangeKind.DEADLINE:
            slipped = change.slip_days is not None and change.slip_days > 0
            self.counts["deadline slipped" if slipped else "deadline changed"] += 1
        elif change.kind is ChangeKind.LEAD:
            self.counts["lead changed"] += 1
        elif change.kind is ChangeKind.PROGRESS:
            self.counts["with new progress"] += 1
        elif change.kind in _SUMMARY_WORDS:
            self.counts[_SUMMARY_WORDS[change.kind]] += 1
        else:
            self.counts[change.kind.value] += 1

    def __str__(self) -> str:
        order = [
            "improved", "worsened", "status started", "status reset", "impact better",
            "impact worse", "impact rated", "impact started", "impact reset", "impact unrated",
            "deadline slipped", "deadline changed", "became overdue", "added", "removed",
            "moved", "lead changed", "with new progress", "baseline changed", "source changed",
            "title reworded", "area owner changed", "area title reworded", "area rating changed",
            "area impact changed",
            "reading added", "reading changed", "role holder changed", "plan details changed",
        ]  # fmt: skip
        parts = [f"{self.counts[k]} {k}" for k in order if self.counts[k]]
        return ", ".join(parts) if parts else "no changes"


#: How the summary counts the kinds that are not an action's rating, deadline or progress.
_SUMMARY_WORDS = {
    ChangeKind.BECAME_OVERDUE: "became overdue",
    ChangeKind.BASELINE: "baseline changed",
    ChangeKind.SOURCE: "source changed",
    ChangeKind.TITLE: "title reworded",
    ChangeKind.AREA_TITLE: "area title reworded",
    ChangeKind.AREA_LEAD: "area owner changed",
    ChangeKind.AREA_STATUS: "area rating changed",
    ChangeKind.AREA_IMPACT: "area impact changed",
    ChangeKind.READING_ADDED: "reading added",
    ChangeKind.READING_CHANGED: "reading changed",
    ChangeKind.ROLE_HOLDER: "role holder changed",
    ChangeKind.PLAN: "plan details changed",
}


def summarise(changes: Iterable[Change]) -> tuple[Summary, dict[str, Summary]]:
    """The overall summary and one per area (keyed by area id, natural order)."""
    overall = Summary()
    by_area: dict[str, Summary] = {}
    for change in changes:
        overall.add(change)
        by_area.setdefault(change.area, Summary()).add(change)
    ordered = {k: by_area[k] for k in sorted(by_area, key=natural_key)}
    return overall, ordered
