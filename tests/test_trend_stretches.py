"""A long history is read in stretches side by side, one process each (`brag trend` over
1,000 commits on two cores). Whatever the cuts, the trend is the one that reading the whole
history in one go gives: every point, and every action's rating, since-date and re-plans,
across commits that did not load, actions that moved between areas or went and came back,
ratings that flipped on the boundary, and a child process that failed or was killed.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import signal
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from board_cycles import Board, action, area_yaml, plan_yaml
from bragcli.commands import history as reading
from bragcli.commands.history import deadline_history, plans_at, trend_of
from bragcli.compute.trend import CommitInfo, PlanAt, Trend, build_trend, join_parts, trend_part
from bragcli.model import Area, Plan, Rating
from bragcli.problems import BragError
from bragcli.source import parallel
from bragcli.source.files import History
from bragcli.source.git import Repository
from bragcli.source.load import history
from conftest import Run

RATINGS = [r.value for r in Rating]
DEADLINES = ["March 2023", "Q1 2023", "Summer 2023", None]


def same(a: Trend, b: Trend) -> None:
    assert a.points == b.points
    assert a.actions == b.actions


# --- 1. joining parts, as pure compute -----------------------------------------------------------


@st.composite
def commits(draw: st.DrawFn) -> list[PlanAt]:
    """One to eight commits of two areas sharing the action ids 1..4 (an action is in one
    area, the other or neither: it moves, goes and comes back), some not loaded, some on the
    same day; an area that did not change is the same object, as the loader hands it over."""
    when = date(2023, 1, 2)
    made: list[PlanAt] = []
    previous: dict[str, tuple[Any, Area]] = {}
    for number in range(draw(st.integers(1, 8))):
        when += timedelta(days=draw(st.sampled_from([0, 0, 1, 20, 45])))
        commit = CommitInfo(f"{number:040x}", when, f"commit {number}")
        if draw(st.integers(0, 5)) == 0:
            made.append(PlanAt(commit, None, [], draw(st.integers(1, 3))))
            continue
        homes = {i: draw(st.sampled_from(["A", "B", None])) for i in ("1", "2", "3", "4")}
        areas = []
        for area_id in ("A", "B"):
            rows = tuple(
                (i, draw(st.sampled_from(RATINGS)), draw(st.sampled_from(DEADLINES)))
                for i, home in homes.items()
                if home == area_id
            )
            kept = previous.get(area_id)
            if kept is not None and kept[0] == rows and draw(st.booleans()):
                areas.append(kept[1])
                continue
            area = Area.model_validate({
                "id": area_id, "title": f"Area {area_id}",
                "actions": [
                    {"id": i, "title": f"Action {i}", "lead": "L", "status": s}
                    | ({"deadline": d} if d else {})
                    for i, s, d in rows
                ],
            })  # fmt: skip
            previous[area_id] = (rows, area)
            areas.append(area)
        quarters = draw(st.sampled_from(["calendar", "financial"]))
        plan = Plan.model_validate({"title": "T", "organisation": "O", "quarters": quarters})
        made.append(PlanAt(commit, plan, areas, 0))
    return made


@settings(max_examples=300, deadline=None, database=None)
@given(commits(), st.data())
def test_parts_joined_give_the_trend_of_the_whole_history(
    history_: list[PlanAt], data: st.DataObject
) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(history_)), max_size=3)))
    bounds = [0, *cuts, len(history_)]
    stretches = [history_[a:b] for a, b in itertools.pairwise(bounds)]
    for monthly in (False, True):
        whole = build_trend(history_, monthly=monthly)
        joined = join_parts([trend_part(s) for s in stretches], monthly=monthly)
        same(joined, whole)


def test_a_rating_that_flips_on_the_boundary_starts_its_since_there() -> None:
    """The later stretch sees 1.1 as red from its first commit; joined, red holds since that
    commit (not since the earlier stretch's amber began), and the move of its deadline on
    the boundary is one re-plan."""
    plan = Plan.model_validate({"title": "T", "organisation": "O"})

    def at(day: int, status: str, deadline: str) -> PlanAt:
        area = Area.model_validate({"id": "1", "title": "A", "actions": [
            {"id": "1.1", "title": "X", "lead": "L", "status": status, "deadline": deadline},
        ]})  # fmt: skip
        return PlanAt(CommitInfo(f"{day:040x}", date(2023, 1, day), "c"), plan, [area], 0)

    commits_ = [at(2, "amber", "March 2023"), at(3, "amber", "March 2023"),
                at(4, "red", "June 2023"), at(5, "red", "June 2023")]  # fmt: skip
    joined = join_parts([trend_part(commits_[:2]), trend_part(commits_[2:])])
    (record,) = joined.actions
    assert (record.status, record.since) == (Rating.RED, date(2023, 1, 4))
    assert (record.replanned, record.deadlines) == (1, ["March 2023", "June 2023"])
    same(joined, build_trend(commits_))


# --- 2. the stretches of a real history -----------------------------------------------------------


def test_a_short_history_is_read_in_one_stretch() -> None:
    assert reading._stretches([5_000] * 40, can_fork=True) == [(0, 40)]


def test_without_fork_a_long_history_is_read_in_one_stretch() -> None:
    assert reading._stretches([250_000] * 1000, can_fork=False) == [(0, 1000)]


def test_stretches_cover_every_commit_once_and_read_about_as_much(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parallel, "usable_cores", lambda: 2)
    sizes = [250_000] + [25_000] * 999
    first, second = reading._stretches(sizes, can_fork=True)
    assert first[0] == 0 and first[1] == second[0] and second[1] == 1000
    # The second stretch reads the whole plan again at its first commit.
    read = (sum(sizes[slice(*first)]), 250_000 + sum(sizes[second[0] + 1 : second[1]]))
    assert abs(read[0] - read[1]) <= 2 * 25_000  # within two commits


def test_no_more_stretches_than_cores_or_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "usable_cores", lambda: 64)
    found = reading._stretches([250_000] + [25_000] * 999, can_fork=True)
    assert len(found) == reading.MAX_STRETCHES
    assert [b for b, _ in found[1:]] == [s for _, s in found[:-1]]


@pytest.fixture
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Board:
    """Eleven board cycles: ratings and deadlines move, plan.yaml switches to financial
    quarters, an action moves to another area, an area goes and comes back, one commit does
    not load (a reused id) and one holds an area over the size cap."""
    b = Board(tmp_path / "repo")
    one = [action("1.1", status="amber"), action("1.2", deadline="Q1 2023")]
    two = [action("2.1", status="red", deadline="Q4 2022")]
    b.cycle("2023-01-17", {"plan.yaml": plan_yaml(), "01-one.yaml": area_yaml("1", one),
                           "02-two.yaml": area_yaml("2", two)})  # fmt: skip
    b.cycle("2023-02-14", {"01-one.yaml": area_yaml("1", [action("1.1", status="red"), one[1]])})
    b.cycle("2023-02-14", {"plan.yaml": plan_yaml(quarters="financial")})
    b.cycle("2023-03-21", {"01-one.yaml": area_yaml("1", [action("1.1", status="red")]),
                           "02-two.yaml": area_yaml("2", [*two, one[1]])})  # fmt: skip
    b.cycle("2023-04-12", {"02-two.yaml": area_yaml("2", [*two, one[1], action("2.1")])})
    b.cycle("2023-05-16", {"02-two.yaml": None})
    b.cycle("2023-06-20", {"02-two.yaml": area_yaml("2", [*two, action("1.2", status="blue")])})
    b.cycle("2023-07-18", {"03-big.yaml": 'id: "3"\ntitle: Big\nx-pad: ' + "x" * 3000 + "\n"})
    moved = area_yaml("1", [action("1.1", deadline="Q3 2023")])
    b.cycle("2023-08-15", {"03-big.yaml": None, "01-one.yaml": moved})
    b.cycle("2023-09-19", {"01-one.yaml": area_yaml("1", [action("1.1", status="blue")])})
    monkeypatch.chdir(b.root)
    return b


MAX_BYTES = 2000  # the big area's blob is over it: an error at that commit, never read


def test_every_cut_of_a_real_history_gives_the_trend_read_in_one_go(
    board: Board, forked: list[int]
) -> None:
    whole = build_trend(plans_at(history(board.plans, max_bytes=MAX_BYTES), []))
    assert [p.loaded for p in whole.points].count(False) == 2  # the reused id, the big area
    count = len(whole.points)
    for cut in range(count + 1):
        for stretches in ([(0, cut), (cut, count)], [(0, cut // 2), (cut // 2, cut),
                                                     (cut, count)]):  # fmt: skip
            with Repository(board.plans) as repo:
                parts = reading._read(History(repo, max_bytes=MAX_BYTES), stretches)
            same(join_parts(parts), whole)
    assert len(forked) == 3 * (count + 1)  # every stretch but the last, read by a child


def test_a_repository_whose_git_is_started_is_read_without_children(
    board: Board, forked: list[int]
) -> None:
    """A child must never share the parent's git process (they would read each other's
    answers): once one is running, every stretch is read here."""
    whole = build_trend(plans_at(history(board.plans, max_bytes=MAX_BYTES), []))
    with Repository(board.plans) as repo:
        commits_ = History(repo, max_bytes=MAX_BYTES)
        same(join_parts(reading._read(commits_, [(0, 3), (3, 10)])), whole)
        assert repo.running and len(forked) == 1
        same(join_parts(reading._read(commits_, [(0, 5), (5, 10)])), whole)
        assert len(forked) == 1


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Any history is read in as many stretches as it has commits, up to four; the ids of
    the child processes forked go to the list."""
    monkeypatch.setattr(parallel, "usable_cores", lambda: 4)
    monkeypatch.setattr(reading, "MIN_STRETCH_BYTES", 1)
    pids: list[int] = []
    start = parallel._Child.__init__

    def child(self: parallel._Child, *args: Any) -> None:
        start(self, *args)
        assert self._pid is not None
        pids.append(self._pid)

    monkeypatch.setattr(parallel._Child, "__init__", child)
    return pids


def trend_text(run: Run, *args: str) -> str:
    result = run("trend", "--as-of", "2023-09-30",
                 "--max-file-size", str(MAX_BYTES / 1024 / 1024), *args)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return result.stdout


VIEWS = [
    ("--format", f, "--by", by) for f in ("json", "terminal", "csv") for by in ("commit", "month")
]


def test_brag_trend_prints_the_same_read_in_stretches(
    run: Run, board: Board, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = {view: trend_text(run, *view) for view in VIEWS}
    pids: list[int] = []
    with monkeypatch.context() as patched:
        patched.setattr(parallel, "usable_cores", lambda: 4)
        patched.setattr(reading, "MIN_STRETCH_BYTES", 1)
        start = parallel._Child.__init__

        def child(self: parallel._Child, *args: Any) -> None:
            start(self, *args)
            pids.append(self._pid or 0)

        patched.setattr(parallel._Child, "__init__", child)
        stretched = {view: trend_text(run, *view) for view in VIEWS}
    assert len(pids) >= len(VIEWS)  # each run had a child at least
    assert stretched == alone
    document = json.loads(stretched["--format", "json", "--by", "commit"])
    assert [p["loaded"] for p in document["points"]].count(False) == 2
    assert "did not load (1 error)" in stretched["--format", "terminal", "--by", "commit"]


def _fails_in_child(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    parent, read = os.getpid(), reading._part

    def part(commits_: History, start: int, stop: int) -> Any:
        if os.getpid() != parent:
            if how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            raise RuntimeError("a child that fails")
        return read(commits_, start, stop)

    monkeypatch.setattr(reading, "_part", part)


@pytest.mark.parametrize("how", ["raise", "kill"])
def test_a_child_that_fails_or_is_killed_leaves_its_stretch_to_the_parent(
    board: Board, forked: list[int], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    whole = build_trend(plans_at(history(board.plans, max_bytes=MAX_BYTES), []))
    _fails_in_child(monkeypatch, how)
    with Repository(board.plans) as repo:
        trend = trend_of(repo, max_bytes=MAX_BYTES)
    assert forked and trend is not None
    same(trend, whole)
    for pid in forked:  # every child was waited for
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_when_no_process_can_be_forked_the_parent_reads_every_stretch(
    board: Board, forked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = build_trend(plans_at(history(board.plans, max_bytes=MAX_BYTES), []))
    opened = len(os.listdir("/proc/self/fd"))

    tried: list[int] = []

    def fork() -> int:
        tried.append(1)
        raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", fork)
    with Repository(board.plans) as repo:
        trend = trend_of(repo, max_bytes=MAX_BYTES)
    assert trend is not None and tried and forked == []
    same(trend, whole)
    assert len(os.listdir("/proc/self/fd")) == opened  # no pipe left open


def test_when_the_parent_stops_its_children_are_stopped(
    board: Board, forked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()

    def part(commits_: History, start: int, stop: int) -> Any:
        if os.getpid() != parent:
            signal.pause()  # a child that would never end
        raise BragError("git failed")

    monkeypatch.setattr(reading, "_part", part)
    with Repository(board.plans) as repo, pytest.raises(BragError, match="git failed"):
        trend_of(repo, max_bytes=MAX_BYTES)
    assert forked
    for pid in forked:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_deadlines_up_to_a_commit_in_a_later_stretch(board: Board, forked: list[int]) -> None:
    shas = board.git("log", "--format=%H", "--reverse").split()
    expected = {
        sha: build_trend(
            plans_at(_upto(history(board.plans, max_bytes=MAX_BYTES), sha), [])
        ).actions
        for sha in shas
    }
    for sha, actions in expected.items():
        found = deadline_history(board.plans, sha, max_bytes=MAX_BYTES)
        assert found == {r.id: r.deadlines for r in actions}
    assert forked
    # A commit that is not in the plan's history: its deadlines are not known here.
    board.git("checkout", "-q", "-b", "side", shas[2])
    (board.plans / "01-one.yaml").write_text(area_yaml("1", [action("1.1")]), encoding="utf-8")
    board.git("commit", "-q", "-am", "side")
    side = board.git("rev-parse", "HEAD").strip()
    board.git("checkout", "-q", "main")
    assert deadline_history(board.plans, side, max_bytes=MAX_BYTES) is None


def _upto(snapshots: Any, sha: str) -> Any:
    for snapshot in snapshots:
        yield snapshot
        if snapshot.revision.sha == sha:
            return


def test_since_reads_only_the_later_commits_in_stretches(
    run: Run, board: Board, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = trend_text(run, "--format", "json", "--since", "2023-03-01")
    monkeypatch.setattr(parallel, "usable_cores", lambda: 4)
    monkeypatch.setattr(reading, "MIN_STRETCH_BYTES", 1)
    assert trend_text(run, "--format", "json", "--since", "2023-03-01") == alone
    assert json.loads(alone)["points"][0]["date"] == "2023-03-21"
