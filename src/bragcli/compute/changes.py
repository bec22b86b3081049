"""What changed between two versions of a plan, action by action (`brag diff`). Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bragcli.compute.rollup import window_of
from bragcli.deadlines import Quarters
from bragcli.model import Action, Area, Plan, Rating, natural_key

#: red < amber < green < blue; not-started is outside this order.
_RANK = {Rating.RED: 0, Rating.AMBER: 1, Rating.GREEN: 2, Rating.BLUE: 3}


class ChangeKind(StrEnum):
    """What changed about an action (the "kind" of `brag diff --format json`)."""

    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    STATUS = "status"
    IMPACT = "impact"
    DEADLINE = "deadline"
    LEAD = "lead"
    PROGRESS = "progress"


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

    def describe(self) -> str:
        """One line for people, e.g. 'status green → amber (worse)'."""
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

    def as_dict(self) -> dict[str, object]:
        result: dict[str, object] = {
            "id": self.id,
            "area": self.area,
            "title": self.title,
            "kind": self.kind,
            "from": self.old,
            "to": self.new,
        }
        if self.kind in _RATED:
            result["direction"] = self.direction
        if self.kind is ChangeKind.DEADLINE:
            result["slip_days"] = self.slip_days
        if self.kind is ChangeKind.PROGRESS:
            result["notes"] = list(self.notes)
        return result


#: the kinds of change that move a rating, and so have a direction
_RATED = frozenset({ChangeKind.STATUS, ChangeKind.IMPACT})


def rating_direction(old: Rating | None, new: Rating | None) -> Direction:
    if old is None:
        return Direction.RATED
    if new is None:
        return Direction.UNRATED
    if old is Rating.NOT_STARTED:
        return Direction.STARTED
    if new is Rating.NOT_STARTED:
        return Direction.RESET
    return Direction.BETTER if _RANK[new] > _RANK[old] else Direction.WORSE


def _index(areas: Sequence[Area]) -> dict[str, tuple[str, Action]]:
    return {action.id: (area.id, action) for area in areas for action in area.actions}


def diff_plans(
    old_plan: Plan, old_areas: Sequence[Area], new_plan: Plan, new_areas: Sequence[Area]
) -> list[Change]:
    """Every change from the old plan and its areas to the new, in natural action-id order."""
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
    return found


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
        else:
            self.counts[change.kind.value] += 1

    def __str__(self) -> str:
        order = [
            "improved", "worsened", "status started", "status reset", "impact better",
            "impact worse", "impact rated", "impact started", "impact reset", "impact unrated",
            "deadline slipped", "deadline changed", "added", "removed", "moved", "lead changed",
            "with new progress",
        ]  # fmt: skip
        parts = [f"{self.counts[k]} {k}" for k in order if self.counts[k]]
        return ", ".join(parts) if parts else "no changes"


def summarise(changes: Iterable[Change]) -> tuple[Summary, dict[str, Summary]]:
    """The overall summary and one per area (keyed by area id, natural order)."""
    overall = Summary()
    by_area: dict[str, Summary] = {}
    for change in changes:
        overall.add(change)
        by_area.setdefault(change.area, Summary()).add(change)
    ordered = {k: by_area[k] for k in sorted(by_area, key=natural_key)}
    return overall, ordered
