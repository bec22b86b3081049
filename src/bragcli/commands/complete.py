"""Values for shell completion, read from the plan: area ids, leads, action sources.

Completion runs on every Tab press, on plans mid-edit: whatever the plan holds (a YAML error,
a missing folder, a file that cannot be read), these functions return what they can and never
raise or print. Values that hold a control or invisible character are left out: the shell
reads completions one per line and would run or garble them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from bragcli.safetext import has_unsafe

if TYPE_CHECKING:  # cli.py reads PLAN_VALUES on every run: the loader is imported on a Tab
    from bragcli.source.load import LoadedPlan

#: the most values offered: a shell lists them all, and a plan of thousands would flood it
MAX_VALUES = 500


def _loaded(folder: Path | None) -> LoadedPlan | None:
    if folder is None:
        return None
    try:
        from bragcli.source.load import load_plan

        return load_plan(folder)
    except Exception:  # completion never fails: no value is better than a traceback
        return None


def _matching(values: Iterable[str], incomplete: str) -> list[str]:
    seen: dict[str, None] = {}
    wanted = incomplete.casefold()
    for value in values:
        if value and not has_unsafe(value) and value.casefold().startswith(wanted):
            seen.setdefault(value, None)
            if len(seen) >= MAX_VALUES:
                break
    return list(seen)


def area_ids(folder: Path | None, incomplete: str) -> list[str]:
    loaded = _loaded(folder)
    if loaded is None:
        return []
    return _matching((s.area.id for s in (*loaded.areas, *loaded.partial)), incomplete)


def leads(folder: Path | None, incomplete: str) -> list[str]:
    """The roles of plan.yaml, their named holders, and every lead the actions give."""
    loaded = _loaded(folder)
    if loaded is None:
        return []
    values: list[str] = []
    if loaded.plan is not None:
        for role, holder in loaded.plan.roles.items():
            values += [role, holder]
    values += [role for _source, _index, action in loaded.actions() for role in action.lead]
    return _matching(values, incomplete)


def sources(folder: Path | None, incomplete: str) -> list[str]:
    """The sources actions name (`source:`), for a `--source` filter."""
    loaded = _loaded(folder)
    if loaded is None:
        return []
    values = [text for _source, _index, action in loaded.actions() for text in action.source]
    return _matching(values, incomplete)


#: The plan values an option completes, by the option's name: cli.py attaches each to the
#: option of that name where a command has one (a new filter adds its entry here).
PLAN_VALUES: dict[str, Callable[[Path | None, str], list[str]]] = {
    "areas": area_ids,
    "lead": leads,
    "source": sources,
    "sources": sources,
}
