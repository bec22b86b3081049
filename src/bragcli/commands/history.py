"""`brag diff` and `brag trend`: the plan between two revisions, and through its history."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bragcli.commands.loading import load_at
from bragcli.problems import BragError, Exit
from bragcli.safetext import display_path, visible

if TYPE_CHECKING:
    from bragcli.compute.trend import PlanAt
    from bragcli.render import (
        ColorChoice,
        DiffFormat,
        TrendBy,
        TrendFormat,
    )
    from bragcli.source.git import Revision
    from bragcli.source.load import Snapshot


@dataclass(frozen=True, slots=True)
class DiffOptions:
    format: DiffFormat
    color: ColorChoice
    max_bytes: int
    #: the date the new side is judged at (for "became overdue"); None: its commit's date,
    #: or `today` for the working tree
    as_of: date | None = None
    today: date | None = None


def run_diff(
    folder: Path, revs: Sequence[str], options: DiffOptions, out: TextIO, err: TextIO
) -> Exit:
    """`brag diff`: no revision = HEAD vs working tree; one = REV vs working tree; two = A vs B."""
    import io

    from bragcli.compute.changes import diff_plans, summarise
    from bragcli.render import DIFF_FORMATS
    from bragcli.render.diff_formats import DiffResult, diff_markdown
    from bragcli.source.git import WORKTREE, Repository

    if len(revs) > 2:
        raise BragError("give at most two revisions: brag diff [REV_A] [REV_B]")
    if not folder.is_dir():
        raise BragError(f"{folder}: no such folder")
    Repository(folder).close()  # says clearly when the folder is not in git
    old_rev = revs[0] if revs else "HEAD"
    new_rev = revs[1] if len(revs) == 2 else None
    old, old_at = load_at(folder, old_rev, err, max_bytes=options.max_bytes)
    new, new_at = load_at(folder, new_rev, err, max_bytes=options.max_bytes)
    if old is None or new is None:
        return Exit.FINDINGS
    assert old.plan is not None and new.plan is not None
    new_as_of = options.as_of or (new_at.date if new_at else options.today)
    changes = diff_plans(
        old.plan, [s.area for s in old.areas], new.plan, [s.area for s in new.areas],
        old_as_of=old_at.date if old_at else None, new_as_of=new_as_of,
    )  # fmt: skip
    overall, by_area = summarise(changes)
    titles = {s.area.id: s.area.title for s in (*old.areas, *new.areas)}
    result = DiffResult(
        old_rev, new_rev or WORKTREE, old_at, new_at, changes, overall, by_area, titles,
        new_as_of,
    )  # fmt: skip
    DIFF_FORMATS[options.format](result, out, options.color)
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        buffer = io.StringIO()
        diff_markdown(result, buffer)
        from bragcli.outputs import append_step_summary

        append_step_summary(buffer.getvalue(), err, [folder], "diff")
    return Exit.OK


@dataclass(frozen=True, slots=True)
class TrendOptions:
    since: str | None
    by: TrendBy
    format: TrendFormat
    color: ColorChoice
    chart: Path | None
    as_of: date
    max_bytes: int


def run_trend(folder: Path, options: TrendOptions, out: TextIO, err: TextIO) -> Exit:
    from bragcli.compute.trend import build_trend
    from bragcli.render import TREND_FORMATS
    from bragcli.source.git import notes
    from bragcli.source.load import history

    if not folder.is_dir():
        raise BragError(f"{folder}: no such folder")
    revisions: list[Revision] = []
    snapshots = history(folder, since=options.since, max_bytes=options.max_bytes)
    trend = build_trend(plans_at(snapshots, revisions), monthly=options.by == "month")
    TREND_FORMATS[options.format](trend, out, options.color, options.as_of)
    shown = {point.revision.sha for point in trend.points}
    err.write(notes(r for r in revisions if r.sha in shown))
    if options.since is not None and not trend.points:
        err.write(
            f"brag trend: no commit touched {visible(display_path(folder))} since "
            f"{visible(options.since)}\n"
        )
    if options.chart is not None:
        from bragcli.render.chart import write_chart

        title = "BRAG ratings through history"
        write_chart(trend, options.chart, title, [folder])
        err.write(f"brag trend: wrote {options.chart}\n")
    return Exit.OK


def plans_at(snapshots: Iterable[Snapshot], revisions: list[Revision]) -> Iterator[PlanAt]:
    """The plan at each commit as compute takes it; each commit's Revision goes to
    `revisions` (for the notes on dates that git holds differently)."""
    from bragcli.compute.trend import CommitInfo, PlanAt

    for snapshot in snapshots:
        revision, loaded = snapshot.revision, snapshot.plan
        revisions.append(revision)
        yield PlanAt(
            CommitInfo(revision.sha, revision.date, revision.subject),
            loaded.plan,
            [source.area for source in loaded.areas],
            len(loaded.errors),
        )


def deadline_history(
    folder: Path, rev: str | None, *, max_bytes: int
) -> dict[str, list[str]] | None:
    """Each action's deadlines through the plan's git history, oldest first, one entry per
    move (`compute.trend.ActionRecord.deadlines`, from the one history walk of `brag trend`),
    up to `rev` (None: HEAD). None when the folder is not in git, or `rev` is not a commit
    of HEAD's first-parent history (then its history is not known here)."""
    from bragcli.compute.trend import build_trend
    from bragcli.source.git import Repository
    from bragcli.source.load import history

    try:
        with Repository(folder) as repo:
            stop = repo.resolve(rev).sha if rev is not None else None
    except BragError:
        return None
    reached = stop is None

    def upto(snapshots: Iterable[Snapshot]) -> Iterator[Snapshot]:
        nonlocal reached
        for snapshot in snapshots:
            yield snapshot
            if snapshot.revision.sha == stop:
                reached = True
                return

    trend = build_trend(plans_at(upto(history(folder, max_bytes=max_bytes)), []))
    if not reached:
        return None
    return {record.id: record.deadlines for record in trend.actions}


def blue_since(folder: Path, *, max_bytes: int) -> dict[str, date] | None:
    """Action id -> the date of the commit from which it has been blue without a break, up to
    HEAD (`compute.trend.ActionRecord.since`, from the one history walk of `brag trend`).
    None when the folder is not in git."""
    from bragcli.compute.trend import build_trend
    from bragcli.model import Rating
    from bragcli.source.git import Repository
    from bragcli.source.load import history

    try:
        Repository(folder).close()
        trend = build_trend(plans_at(history(folder, max_bytes=max_bytes), []))
    except BragError:
        return None
    return {r.id: r.since for r in trend.actions if r.status is Rating.BLUE}
