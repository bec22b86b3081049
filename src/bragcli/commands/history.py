"""`brag diff` and `brag trend`: the plan between two revisions, and through its history."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO

from bragcli.commands.loading import load_at
from bragcli.problems import BragError, Exit
from bragcli.safetext import display_path, visible
from bragcli.source import parallel

if TYPE_CHECKING:
    from bragcli.compute.trend import PlanAt, Trend, TrendPart
    from bragcli.render import (
        ColorChoice,
        DiffFormat,
        TrendBy,
        TrendFormat,
    )
    from bragcli.source.files import History
    from bragcli.source.git import Repository, Revision
    from bragcli.source.load import Snapshot


class DiffOptions(NamedTuple):
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


class TrendOptions(NamedTuple):
    since: str | None
    by: TrendBy
    format: TrendFormat
    color: ColorChoice
    chart: Path | None
    as_of: date
    max_bytes: int


def run_trend(folder: Path, options: TrendOptions, out: TextIO, err: TextIO) -> Exit:
    from bragcli.render import TREND_FORMATS
    from bragcli.source.git import Repository, notes

    if not folder.is_dir():
        raise BragError(f"{folder}: no such folder")
    revisions: list[Revision] = []
    with Repository(folder) as repo:
        trend = trend_of(
            repo, since=options.since, monthly=options.by == "month",
            max_bytes=options.max_bytes, revisions=revisions,
        )  # fmt: skip
    assert trend is not None  # read to the last commit
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


def trend_of(
    repo: Repository,
    *,
    since: str | None = None,
    until: str | None = None,
    monthly: bool = False,
    max_bytes: int,
    revisions: list[Revision] | None = None,
    commits: History | None = None,
) -> Trend | None:
    """`compute.trend.build_trend` of the plan folder of `repo` through its history (see
    `files.History` for `since`), up to commit `until` (a sha; None: to the last commit);
    None when `until` is not one of those commits. The commits read go to `revisions`.

    A long history is read in stretches side by side, one process for each (`_stretches`):
    each stretch's part of the trend is what reading it alone gives, and the parts, joined
    in order, give what reading the whole history in one go gives (`compute.trend`).
    `commits`: the history of `repo`, already read with the same `since` and `max_bytes`.
    """
    from bragcli.compute.trend import join_parts
    from bragcli.source.files import History
    from bragcli.source.load import frozen_while_reading

    if commits is None:
        commits = History(repo, since=since, max_bytes=max_bytes)
    shown = commits.revisions()
    stop = len(shown)
    if until is not None:
        found = next((i for i, revision in enumerate(shown) if revision.sha == until), None)
        if found is None:
            return None
        stop = found + 1
    if revisions is not None:
        revisions += shown[:stop]
    stretches = _stretches(commits.read_sizes()[:stop], can_fork=_can_fork(repo))
    with frozen_while_reading():
        return join_parts(_read(commits, stretches), monthly=monthly)


def deadline_history(
    folder: Path, rev: str | None, *, max_bytes: int
) -> dict[str, list[str]] | None:
    """Each action's deadlines through the plan's git history, oldest first, one entry per
    move (`compute.trend.ActionRecord.deadlines`, from the one history walk of `brag trend`),
    up to `rev` (None: HEAD). None when the folder is not in git, or `rev` is not a commit
    of HEAD's first-parent history (then its history is not known here)."""
    from bragcli.source.git import Repository

    try:
        repo = Repository(folder)
    except BragError:
        return None
    with repo:
        try:
            stop = repo.resolve(rev).sha if rev is not None else None
        except BragError:
            return None
        trend = trend_of(repo, until=stop, max_bytes=max_bytes)
    if trend is None:
        return None
    return {record.id: record.deadlines for record in trend.actions}


def blue_since(
    folder: Path, *, max_bytes: int, ahead: HistoryAhead | None = None
) -> dict[str, date] | None:
    """Action id -> the date of the commit from which it has been blue without a break, up to
    HEAD (`compute.trend.ActionRecord.since`, from the one history walk of `brag trend`).
    None when the folder is not in git. `ahead`: the folder's log, being read already."""
    from bragcli.model import Rating

    try:
        repo, commits = ahead.result() if ahead is not None else _log(folder, max_bytes)
        with repo:
            if not commits.revisions():
                # No commit holds the plan yet (a new plan, or one in an ignored folder): no
                # action turned blue in git, and the trend's code is not worth importing.
                return {}
            trend = trend_of(repo, max_bytes=max_bytes, commits=commits)
    except BragError:
        return None
    assert trend is not None  # read to the last commit
    return {r.id: r.since for r in trend.actions if r.status is Rating.BLUE}


def _log(folder: Path, max_bytes: int) -> tuple[Repository, History]:
    """The repository of `folder` and its plan folder's history, with every commit listed
    (`History.revisions`); BragError when the folder is not in git."""
    from bragcli.source.files import History
    from bragcli.source.git import Repository

    repo = Repository(folder)
    try:
        commits = History(repo, max_bytes=max_bytes)
        commits.revisions()
    except BaseException:
        repo.close()
        raise
    return repo, commits


class HistoryAhead:
    """`blue_since`'s first git work on `folder` (finding its repository, the log of the plan
    folder, the first tree) begun in a thread while a large plan's files are read: git runs
    in processes of its own, so the thread mostly waits, and the answer is ready when the
    plan has loaded instead of being asked for then. Used by `brag check`, which reads the
    history only for blue-without-impact; `close()` when done, whether it was used or not.

    The thread starts no process that outlives it, and a process is forked only once it has
    ended (`parallel.can_fork` counts threads), so the history walk can still be read on two
    cores."""

    def __init__(self, folder: Path, *, max_bytes: int) -> None:
        import threading

        self._found: tuple[Repository, History] | BaseException | None = None
        self._taken = False
        self._thread = threading.Thread(
            target=self._read, args=(folder, max_bytes), name="brag-history", daemon=True
        )
        self._thread.start()

    def _read(self, folder: Path, max_bytes: int) -> None:
        try:
            self._found = _log(folder, max_bytes)
        except BaseException as e:  # handed to the caller of result(), in the main thread
            self._found = e

    def result(self) -> tuple[Repository, History]:
        """The repository (the caller closes it) and the history; raises what reading them
        raised (BragError when the folder is not in git)."""
        self._thread.join()
        found = self._found
        self._taken = True
        if isinstance(found, BaseException):
            raise found
        assert found is not None
        return found

    def close(self) -> None:
        """Wait for the thread; close the repository unless `result()` handed it over."""
        self._thread.join()
        if not self._taken and isinstance(self._found, tuple):
            self._found[0].close()
        self._taken = True


# --- a long history, read in stretches side by side -------------------------------------------

#: The most processes a history is read in (this one included).
MAX_STRETCHES = 4
#: Bytes of plan files a stretch reads, at least, besides the whole plan it reads at its first
#: commit: starting a process and reading that plan again must be worth it.
MIN_STRETCH_BYTES = 1_000_000


def _stretches(sizes: Sequence[int], *, can_fork: bool) -> list[tuple[int, int]]:
    """(start, stop) of each stretch of the commits whose read sizes (`History.read_sizes`)
    are `sizes`, as many as help (one when reading side by side would not: a short history,
    one core, no fork), each about as long to read as the others."""
    if not sizes:
        return [(0, 0)]
    whole = sizes[0]  # what a stretch reads at its first commit: about the whole plan
    total = sum(sizes)
    count = min(MAX_STRETCHES, parallel.usable_cores(), total // (whole + MIN_STRETCH_BYTES))
    if count < 2 or not can_fork:
        return [(0, len(sizes))]
    share = (total + (count - 1) * whole) / count
    bounds: list[tuple[int, int]] = []
    start = read = 0
    for index, size in enumerate(sizes):
        read += whole if index == start else size
        if read >= share and len(bounds) < count - 1 and index + 1 < len(sizes):
            bounds.append((start, index + 1))
            start, read = index + 1, 0
    bounds.append((start, len(sizes)))
    return bounds


def _read(commits: History, stretches: list[tuple[int, int]]) -> list[TrendPart]:
    """The trend part of each stretch of `commits`: the last read in this process, each
    other in a process forked from it, side by side (or all here when it cannot fork)."""
    tasks = [functools.partial(_part, commits, start, stop) for start, stop in stretches]
    if len(tasks) < 2 or not _can_fork(commits.repo):
        return [task() for task in tasks]
    return parallel.side_by_side(tasks, child_exit=commits.repo.close)


def _part(commits: History, start: int, stop: int) -> TrendPart:
    from bragcli.compute.trend import trend_part
    from bragcli.source.load import snapshots

    return trend_part(plans_at(snapshots(commits, start, stop), []))


def _can_fork(repo: Repository) -> bool:
    """Whether this process can fork safely (`parallel.can_fork`), with no git process of
    `repo` started yet: a child must never share one (they would read each other's answers)."""
    return parallel.can_fork() and not repo.running
