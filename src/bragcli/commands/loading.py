"""How a reporting command gets its plan: from the working tree or a revision, and
what it prints when the plan has errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bragcli.safetext import display_path
from bragcli.source.load import LoadedPlan, load_plan

if TYPE_CHECKING:
    from bragcli.source.git import Revision
    from bragcli.source.readahead import ReadAhead


def load_at(
    folder: Path, rev: str | None, err: TextIO, *, max_bytes: int, ahead: ReadAhead | None = None
) -> tuple[LoadedPlan | None, Revision | None]:
    """The plan in the working tree (rev None) or at a revision, through the one pipeline of
    `source.load`. The plan is None when it has errors: they are printed on `err`, for a
    command that reports on a plan (brag check lists everything, warnings too).

    A report needs the plan's data, not where each value is in its file: the plan is read
    without positions (a fifth less time for a large plan), and read again with them only
    when it has errors to point at. `ahead`: its area files being read already, without
    positions (`source.readahead`)."""
    revision = None
    if rev is None:
        loaded = load_plan(folder, max_bytes=max_bytes, positions=False, ahead=ahead)
        if loaded.errors or loaded.plan is None:
            loaded = load_plan(folder, max_bytes=max_bytes)
    else:
        from bragcli.source.git import notes
        from bragcli.source.load import plan_at

        loaded, revision = plan_at(folder, rev, max_bytes=max_bytes, positions=False)
        if loaded.errors or loaded.plan is None:  # the same commit, even if `rev` moved
            loaded, _ = plan_at(folder, revision.sha, max_bytes=max_bytes, label=rev)
        err.write(notes([revision]))
    errors = loaded.errors
    if errors or loaded.plan is None:
        for problem in errors:
            err.write(f"{problem}\n")
        err.write(
            f"brag: {display_path(folder)} has {len(errors)} error{'s' if len(errors) != 1 else ''}"
            "; fix them first (brag check lists them)\n"
        )
        return None, revision
    return loaded, revision
