"""`brag status` and `brag actions`: the roll-up and the list of actions."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO

from bragcli.commands.loading import load_at
from bragcli.problems import BragError, Exit
from bragcli.safetext import display_path, excerpt

if TYPE_CHECKING:
    from bragcli.compute.rollup import Filters
    from bragcli.render import (
        ColorChoice,
        StatusFormat,
    )
    from bragcli.source.readahead import ReadAhead


class StatusOptions(NamedTuple):
    as_of: date
    filters: Filters
    due_within: int
    #: None: plan.yaml's checks: stale_days
    stale_days: int | None
    format: StatusFormat
    color: ColorChoice
    max_bytes: int
    rev: str | None = None
    #: list the actions re-planned since first agreed (--show-replans)
    show_replans: bool = False


def run_status(
    folder: Path,
    options: StatusOptions,
    out: TextIO,
    err: TextIO,
    *,
    per_action: bool = False,
    ahead: ReadAhead | None = None,
) -> Exit:
    """`brag status` (the roll-up) or, with per_action, `brag actions` (one row per action).
    `ahead`: the plan's area files, being read already (`source.readahead`)."""
    from bragcli.compute.rollup import build_status
    from bragcli.render import ACTIONS_FORMATS, STATUS_FORMATS
    from bragcli.source.load import paused_gc

    # The renderer is imported now: while a large plan's files are read ahead in the other
    # process (`source.readahead`), not after, when this process alone is at work.
    render = (ACTIONS_FORMATS if per_action else STATUS_FORMATS)[options.format]
    loaded, _revision = load_at(folder, options.rev, err, max_bytes=options.max_bytes, ahead=ahead)
    if loaded is None:
        return Exit.FINDINGS
    assert loaded.plan is not None
    known = {s.area.id for s in loaded.areas}
    unknown = [a for a in options.filters.areas if a not in known]
    if unknown:
        raise BragError(
            f"no improvement area with id {', '.join(map(excerpt, unknown))} in "
            f"{display_path(folder)}; the areas are {', '.join(s.area.id for s in loaded.areas)}"
        )
    deadlines = None
    if options.show_replans or (per_action and options.format == "json"):
        # The first agreed deadline and the count of re-plans come from git history (when
        # the plan is in git); `brag actions --format json` always carries them.
        from bragcli.commands.history import deadline_history

        deadlines = deadline_history(folder, options.rev, max_bytes=options.max_bytes)
    # Rolling up and laying out make no reference cycles, only many short-lived objects: the
    # cycle collector would scan them for nothing (at 10,000 actions, 3% of the time).
    with paused_gc():
        status = build_status(
            loaded.plan,
            [s.area for s in loaded.areas],
            options.as_of,
            filters=options.filters,
            due_within=options.due_within,
            stale_days=options.stale_days,
            deadline_history=deadlines,
            show_replans=options.show_replans,
        )
        render(status, out, options.color)
    return Exit.OK
