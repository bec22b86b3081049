"""What changed between two versions of a plan, action by action (`brag diff`). Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bragcli.compute.rollup import window_of
from bragcli.deadlines import Quarters
from bragcli.model import Action, Rating, natural_key
from bragcli.source.load import LoadedPlan

#: red < amber < green < blue; not-started is outside this order.
_RANK = {Rating.RED: 0, Rating.AMBER: 1, Rating.GREEN: 2, Rating.BLUE: 3}


@dataclass(frozen=True, slots=True)
class Change:
    """One change to one action. `old`/`new` are display texts (None where absent)."""

    id: str
    area: str
    title: str
    kind: str
    old: str | None = None
    new: str | None = None
    #: for status and impact: better, worse, started, reset, rated, unrated
    direction: str | None = None
    #: for deadline: days between the old and new window ends (positive: later)
    slip_days: int | None = None
    #: for progress: the notes that are new
    notes: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line for people, e.g. 'status green → amber (worse)'."""
        if self.kind == "added":
            return f"added to area {self.area}"
        if self.kind == "removed":
            return f"removed from area {self.area}"
        if self.kind == "moved":
            return f"moved from area {self.old} to area {self.new}"
        if self.kind in {"status", "impact"}:
            old, new = self.old or "unrated", self.new or "unrated"
            return f"{self.kind} {old} → {new} ({self.direction})"
        if self.kind == "deadline":
            arrow = f"{self.old or 'none'} → {self.new or 'none'}"
            if self.slip_days is None:
                return f"deadline changed: {arrow}"
            if self.slip_days > 0:
                return f"deadline slipped {self.slip_days} days: {arrow}"
            if self.slip_days < 0:
                return f"deadline brought forward {-self.slip_days} days: {arrow}"
            return f"deadline reworded: {arrow}"
        if self.kind == "lead":
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
        if self.kind in {"status", "impact"}:
            result["direction"] = self.direction
        if self.kind == "deadline":
            result["slip_days"] = self.slip_days
        if self.kind == "progress":
            result["notes"] = list(self.notes)
        return result


def rating_direction(old: Rating | None, new: Rating | None) -> str:
    if old is None:
        return "rated"
    if new is None:
        return "unrated"
    if old is Rating.NOT_STARTED:
        return "started"
    if new is Rating.NOT_STARTED:
        return "reset"
    return "better" if _RANK[new] > _RANK[old] else "worse"


def _index(plan: LoadedPlan) -> dict[str, tuple[str, Action]]:
    return {action.id: (source.area.id, action) for source, _i, action in plan.actions()}


def diff_plans(old: LoadedPlan, new: LoadedPlan) -> list[Change]:
    """Every change from `old` to `new`, in natural action-id order."""
    assert old.plan is not None and new.plan is not None
    before, after = _index(old), _index(new)
    changes: list[Change] = []
    for action_id in sorted(before.keys() | after.keys(), key=natural_key):
        if action_id not in before:
            area, action = after[action_id]
            changes.append(Change(action_id, area, action.title, "added", new=action.status.value))
        elif action_id not in after:
            area, action = before[action_id]
            changes.append(
                Change(action_id, area, action.title, "removed", old=action.status.value)
            )
        else:
            changes += _action_changes(
                before[action_id], after[action_id], old.plan.quarters, new.plan.quarters
            )
    return changes


def _action_changes(
    before: tuple[str, Action], after: tuple[str, Action], old_q: Quarters, new_q: Quarters
) -> list[Change]:
    (old_area, a), (area, b) = before, after
    found: list[Change] = []

    def change(kind: str, **details: Any) -> None:
        found.append(Change(b.id, area, b.title, kind, **details))

    if old_area != area:
        change("moved", old=old_area, new=area)
    if a.status is not b.status:
        change(
            "status", old=a.status.value, new=b.status.value,
            direction=rating_direction(a.status, b.status),
        )  # fmt: skip
    if a.impact is not b.impact:
        change(
            "impact",
            old=a.impact.value if a.impact else None,
            new=b.impact.value if b.impact else None,
            direction=rating_direction(a.impact, b.impact),
        )
    if (a.deadline or "") != (b.deadline or ""):
        old_window, new_window = window_of(a, old_q), window_of(b, new_q)
        slip = (new_window.end - old_window.end).days if old_window and new_window else None
        change("deadline", old=a.deadline, new=b.deadline, slip_days=slip)
    if a.lead != b.lead:
        change("lead", old=" / ".join(a.lead), new=" / ".join(b.lead))
    seen = set(a.progress)
    added_notes = tuple(note for note in b.progress if note not in seen)
    if added_notes:
        change("progress", notes=added_notes)
    return found


@dataclass(slots=True)
class Summary:
    """Counts of what changed: improved, worsened, slipped, added, removed, moved, ..."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, change: Change) -> None:
        if change.kind == "status":
            key = {"better": "improved", "worse": "worsened"}.get(change.direction or "")
            self.counts[key or f"status {change.direction}"] += 1
        elif change.kind == "impact":
            self.counts[f"impact {change.direction}"] += 1
        elif change.kind == "deadline":
            slipped = change.slip_days is not None and change.slip_days > 0
            self.counts["deadline slipped" if slipped else "deadline changed"] += 1
        elif change.kind == "lead":
            self.counts["lead changed"] += 1
        elif change.kind == "progress":
            self.counts["with new progress"] += 1
        else:
            self.counts[change.kind] += 1

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
