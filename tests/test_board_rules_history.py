"""The board's rules played through board cycles in git, as a programme office meets them: a
plan committed at each board, `brag check` run at each one (as of that board), and what the
next board's `brag diff` says of the same change. The misleading cases of the July 2023 plan:
actions rated Not started long past their deadline, and a tracker row added with another
area's id (4.7 under area 10)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from board_cycles import BOARD_DATES, Board, action, area_yaml, plan_yaml
from bragcli.source import parallel
from conftest import Run

AREA_4 = [action(f"4.{n}", deadline="June 2023") for n in range(1, 7)]


def _area_10(*extra: dict[str, object]) -> str:
    return area_yaml("10", [action("10.1", deadline="June 2023"), *extra])


@pytest.fixture
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Board:
    b = Board(tmp_path / "repo")
    late = action("2.1", deadline="February 2023", status="not-started")
    also_late = action("2.2", deadline="February 2023", status="not-started")
    b.cycle(BOARD_DATES["jan"], {
        "plan.yaml": plan_yaml(),
        "02-area.yaml": area_yaml("2", [late, also_late]),
        "04-area.yaml": area_yaml("4", AREA_4),
        "10-area.yaml": _area_10(),
    }, tag="board-jan")  # fmt: skip
    # March: a lead's tracker row "4.7" lands under area 10; 2.1 and 2.2 still not started
    b.cycle(BOARD_DATES["mar"], {
        "10-area.yaml": _area_10(action("4.7", title="Added from a tracker row")),
    }, tag="board-mar")  # fmt: skip
    # May: 2.2 is admitted to be at risk (red); 2.1 is still rated not started
    b.cycle(BOARD_DATES["may"], {
        "02-area.yaml": area_yaml("2", [late, {**also_late, "status": "red"}]),
    }, tag="board-may")  # fmt: skip
    monkeypatch.chdir(b.root)
    return b


def _codes(run: Run, board: Board, when: str) -> dict[str, list[str]]:
    """The warnings `brag check` gives the plan as it stood at the board of `when`."""
    board.git("checkout", "-q", f"board-{when}")
    result = run("check", "plans", "--as-of", BOARD_DATES[when], "--format", "json")
    found: dict[str, list[str]] = {}
    for problem in json.loads(result.stdout)["problems"]:
        found.setdefault(problem["code"], []).append(problem["message"])
    board.git("checkout", "-q", "main")
    return found


def test_not_started_past_its_deadline_is_flagged_from_the_first_board_it_is_late(
    run: Run, board: Board
) -> None:
    assert "overdue-not-started" not in _codes(run, board, "jan")  # due in February
    march = _codes(run, board, "mar")["overdue-not-started"]
    assert [m.split(" is rated")[0] for m in march] == ["action 2.1", "action 2.2"]
    assert "'February 2023' passed 21 days ago" in march[0]
    may = _codes(run, board, "may")["overdue-not-started"]
    assert [m.split(" is rated")[0] for m in may] == ["action 2.1"]  # 2.2 is now honestly red


def test_a_tracker_row_under_the_wrong_area_is_flagged_at_the_board_it_arrives(
    run: Run, board: Board
) -> None:
    assert "id-area-mismatch" not in _codes(run, board, "jan")
    (message,) = _codes(run, board, "mar")["id-area-mismatch"]
    assert "4.7" in message and "area 4" in message


def test_diff_between_the_boards_says_not_started_to_red_is_worse(run: Run, board: Board) -> None:
    result = run("diff", "board-mar", "board-may", "--plan", "plans", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (change,) = [c for c in json.loads(result.stdout)["changes"] if c["kind"] == "status"]
    assert (change["id"], change["from"], change["to"], change["direction"]) == (
        "2.2", "not-started", "red", "worse",
    )  # fmt: skip


def test_blue_without_impact_counts_from_the_board_that_made_it_blue(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key: a blue action's impact is "to be tested". The 90 days run from the commit that
    made it blue, when git knows it; a copy of the plan outside git can only count from the
    action's last update, which is earlier."""
    b = Board(tmp_path / "repo")
    done = action("1.1", status="green", updated="2022-12-01")
    b.cycle(BOARD_DATES["jan"], {"plan.yaml": plan_yaml(), "01-area.yaml": area_yaml("1", [done])})
    b.cycle(BOARD_DATES["mar"], {"01-area.yaml": area_yaml("1", [{**done, "status": "blue"}])})
    monkeypatch.chdir(b.root)

    def warnings(folder: str, as_of: str) -> list[str]:
        result = run("check", folder, "--as-of", as_of, "--format", "json")
        problems = json.loads(result.stdout)["problems"]
        return [p["message"] for p in problems if p["code"] == "blue-without-impact"]

    # May: blue since the March board, 56 days: not yet
    assert warnings("plans", BOARD_DATES["may"]) == []
    # July: 119 days since the March board
    (july,) = warnings("plans", BOARD_DATES["jul"])
    assert "is blue (completed) since 2023-03-21 in git history, 119 days before" in july
    # the same files outside git: counted from the last update, 2022-12-01
    outside = tmp_path / "copy"
    outside.mkdir()
    for path in (b.root / "plans").iterdir():
        (outside / path.name).write_bytes(path.read_bytes())
    (may,) = warnings(str(outside), BOARD_DATES["may"])
    assert "is blue (completed), last updated 2022-12-01, 166 days before" in may


def test_a_plan_not_committed_yet_in_a_repository_counts_from_the_last_update(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new plan folder inside a repository, before its first commit: git has no history of
    it, so blue counts from the last update, as outside git; the history walk's code is not
    even imported (it would cost a large plan's check time for nothing)."""
    b = Board(tmp_path / "repo")
    b.cycle(BOARD_DATES["jan"], {"plan.yaml": plan_yaml(), "01-area.yaml": area_yaml("1", [])})
    new = b.root / "new-plan"
    new.mkdir()
    (new / "plan.yaml").write_text(plan_yaml(), encoding="utf-8")
    done = action("1.1", status="blue", updated="2022-12-01")
    (new / "01-area.yaml").write_text(area_yaml("1", [done]), encoding="utf-8")
    monkeypatch.chdir(b.root)

    result = run("check", "new-plan", "--as-of", BOARD_DATES["may"], "--format", "json")
    (may,) = [
        p["message"]
        for p in json.loads(result.stdout)["problems"]
        if p["code"] == "blue-without-impact"
    ]
    assert "is blue (completed), last updated 2022-12-01, 166 days before" in may

    probe = (
        "import sys; from pathlib import Path\n"
        "from bragcli.commands.history import blue_since\n"
        "print(blue_since(Path('new-plan'), max_bytes=1 << 20), "
        "'bragcli.compute.trend' in sys.modules)\n"
    )
    done_probe = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert done_probe.stdout.split() == ["{}", "False"]


@pytest.fixture
def blue_board(tmp_path: Path) -> Board:
    """A plan whose action 1.1 turned blue at the March board, and no impact rating since (and
    a second area, so that a large plan's check has files to share)."""
    b = Board(tmp_path / "repo")
    done = action("1.1", status="green", updated="2022-12-01")
    b.cycle(BOARD_DATES["jan"], {
        "plan.yaml": plan_yaml(),
        "01-area.yaml": area_yaml("1", [done]),
        "02-area.yaml": area_yaml("2", [action("2.1", deadline="June 2024")]),
    })  # fmt: skip
    b.cycle(BOARD_DATES["mar"], {"01-area.yaml": area_yaml("1", [{**done, "status": "blue"}])})
    return b


def test_the_history_read_beside_the_files_gives_the_same_dates(
    blue_board: Board, tmp_path: Path
) -> None:
    """`brag check` on a large plan begins reading the git log while the files are read
    (`HistoryAhead`): the dates are those of reading it afterwards, in git, in a folder no
    commit holds, and outside git; and no thread is left behind, used or not."""
    import threading

    from bragcli.commands.history import HistoryAhead, blue_since

    uncommitted = blue_board.root / "new-plan"
    shutil.copytree(blue_board.plans, uncommitted)
    outside = tmp_path / "copy"
    shutil.copytree(blue_board.plans, outside)
    expected = {"1.1": date(2023, 3, 21)}
    for folder, dates in ((blue_board.plans, expected), (uncommitted, {}), (outside, None)):
        assert blue_since(folder, max_bytes=1 << 20) == dates
        ahead = HistoryAhead(folder, max_bytes=1 << 20)
        assert blue_since(folder, max_bytes=1 << 20, ahead=ahead) == dates
        ahead.close()
        HistoryAhead(folder, max_bytes=1 << 20).close()  # begun, never used
        assert threading.active_count() == 1


_HISTORY_SPY = """
import sys
from bragcli.commands import history
from bragcli.source import parallel
parallel.MIN_BYTES = 0  # read ahead however small the plan
begun = []
class Spy(history.HistoryAhead):
    def __init__(self, *args, **kwargs):
        begun.append(args)
        super().__init__(*args, **kwargs)
history.HistoryAhead = Spy
sys.argv = ["brag", *sys.argv[1:]]
from bragcli.cli import main
try:
    main()
finally:
    sys.stderr.write(f"begun {len(begun)}\\n")
"""


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
def test_check_of_a_large_plan_reads_the_history_beside_the_files(blue_board: Board) -> None:
    """The same report as a small plan's check, with the date from git history, when the log
    is read beside the files; and not begun when --disable turns the rule off."""
    args = ["check", "plans", "--as-of", BOARD_DATES["jul"], "--format", "json"]
    plain = subprocess.run(
        [sys.executable, "-m", "bragcli", *args], capture_output=True, text=True,
        cwd=blue_board.root, check=False,
    )  # fmt: skip
    spied = subprocess.run(
        [sys.executable, "-c", _HISTORY_SPY, *args], capture_output=True, text=True,
        cwd=blue_board.root, check=False,
    )  # fmt: skip
    assert "begun 1" in spied.stderr, spied.stderr
    assert spied.stdout == plain.stdout
    assert "since 2023-03-21 in git history" in spied.stdout
    off = subprocess.run(
        [sys.executable, "-c", _HISTORY_SPY, *args, "--disable", "blue-without-impact"],
        capture_output=True, text=True, cwd=blue_board.root, check=False,
    )  # fmt: skip
    assert "begun 0" in off.stderr and "blue-without-impact" not in off.stdout
