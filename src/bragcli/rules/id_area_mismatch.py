"""id-area-mismatch: an action whose id begins with another area's id, in a plan whose ids are
area-prefixed (`4.7` filed under area 10).

A plan's ids are area-prefixed when more than half of its actions have ids that begin with
their own area's id and a separator (`.`, `-` or `/`: `10.1`, `10-1`), ids compared as
`model.id_key` compares them. In such a plan, an action whose id does not begin with its own
area's id but does begin with another's was most likely filed in the wrong area (a row added
to a tracker under the wrong heading).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bragcli.model import Area, id_key
from bragcli.problems import Level
from bragcli.rules.base import AreaFinding, Context, Scope
from bragcli.safetext import excerpt, shown_id

CODE = "id-area-mismatch"
LEVEL = Level.WARNING
SCOPE = Scope.PLAN
SUMMARY = (
    "In a plan whose action ids begin with their area's id (more than half of them, as "
    "`10.1` in area 10), an action's id begins with another area's id instead (`4.7` in area "
    "10): it was probably filed in the wrong area."
)
FIX = "Move the action to the area its id names, or renumber it."
ENABLED = True
PLAN_SETTINGS: tuple[str, ...] = ()
#: judges the files as they are, not their git history
READS_HISTORY = False

_SEPARATORS = (".", "-", "/")


def check_areas(ctx: Context, areas: Sequence[Area]) -> Iterator[AreaFinding]:
    keys = [id_key(area.id) for area in areas]
    total = prefixed = 0
    # Each action's key is worked out once: the actions whose ids do not begin with their own
    # area's (by area, with their index), to look at once the plan is known to be prefixed.
    strays: list[list[tuple[int, str]]] = []
    for area, own in zip(areas, keys, strict=True):
        found = []
        for index, action in enumerate(area.actions):
            action_key = id_key(action.id)
            if _begins_with(action_key, own):
                prefixed += 1
            else:
                found.append((index, action_key))
        total += len(area.actions)
        strays.append(found)
    if total == 0 or 2 * prefixed <= total:
        return  # ids are not area-prefixed: there is nothing to compare
    by_key = {key: number for number, key in reversed(list(enumerate(keys)))}
    for number, area in enumerate(areas):
        for index, action_key in strays[number]:
            action = area.actions[index]
            other = _area_named(action_key, by_key)
            if other is None:
                continue
            yield (
                number,
                ("actions", index, "id"),
                f"action {shown_id(action.id)} is in area {shown_id(area.id)}, but its id begins "
                f"with area {shown_id(areas[other].id)}'s id ({excerpt(areas[other].title, 40)}); "
                f"move it to that area, or renumber it as {shown_id(area.id)}.N",
            )


def _area_named(action_key: str, by_key: dict[str, int]) -> int | None:
    """The area whose id the action's id begins with, the longest such id first (so that 10.1
    is area 10's, not area 1's); None when none does."""
    for end in range(len(action_key) - 1, 0, -1):
        if action_key[end] in _SEPARATORS and action_key[:end] in by_key:
            return by_key[action_key[:end]]
    return None


def _begins_with(action_key: str, area_key: str) -> bool:
    return action_key.startswith(area_key) and action_key[len(area_key) : len(area_key) + 1] in (
        _SEPARATORS
    )
