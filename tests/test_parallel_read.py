"""A large plan is read on two cores (source/parallel.py): the result must be exactly what one
process reads, whatever happens to the second process.

The size threshold is lowered here so that small plans are split too; the benchmarks measure
what the split saves on a large plan (benchmarks/run.py).
"""

from __future__ import annotations

import os
import shutil
import threading
from datetime import date
from pathlib import Path

import pytest

from bragcli.problems import Problem
from bragcli.rules.run import RuleChoices, run_checks
from bragcli.source import parallel
from bragcli.source.load import LoadedPlan, load_plan
from conftest import EXAMPLES, ROOT, Run

needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
INVALID = EXAMPLES / "invalid"


@pytest.fixture
def split_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)


def _problems(loaded: LoadedPlan) -> list[Problem]:
    return loaded.problems + run_checks(loaded, date(2023, 1, 31), RuleChoices())


def _mixed_plan(tmp_path: Path) -> Path:
    """The sample plan, with every invalid area file of the corpus beside its ten areas."""
    folder = tmp_path / "plan"
    shutil.copytree(ROOT / "plans", folder)
    for path in sorted(INVALID.glob("*.yaml")):
        shutil.copy(path, folder / f"zz-{path.name}")
    return folder


@needs_fork
def test_the_child_really_reads_half_of_the_items(split_everything: None) -> None:
    parent = os.getpid()
    pids = parallel.map_in_two(lambda item: (item, os.getpid()), list(range(10)), [1] * 10)
    assert [item for item, _ in pids] == list(range(10))  # in order
    assert {pid for _, pid in pids[:5]} == {parent}
    assert {pid for _, pid in pids[5:]} != {parent}  # the second half came from the child


@needs_fork
def test_the_halves_weigh_about_the_same(split_everything: None) -> None:
    parent = os.getpid()
    weights = [900, 10, 10, 10, 10, 10, 10, 10, 10, 10]  # one big file, nine small ones
    pids = parallel.map_in_two(lambda item: os.getpid(), list(range(10)), weights)
    assert pids[0] == parent and set(pids[1:]) != {parent}


@needs_fork
@pytest.mark.parametrize("failure", ["raises", "exits", "killed"])
def test_a_child_that_fails_costs_time_not_results(split_everything: None, failure: str) -> None:
    parent = os.getpid()

    def work(item: int) -> tuple[int, int]:
        if os.getpid() != parent:
            if failure == "raises":
                raise RuntimeError("lost")
            if failure == "exits":
                os._exit(0)  # gone before writing: an empty pipe, and exit status 0
            os.kill(os.getpid(), 9)
        return item, os.getpid()

    assert parallel.map_in_two(work, list(range(6)), [1] * 6) == [(i, parent) for i in range(6)]


def test_small_plans_and_busy_processes_are_read_in_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parent = os.getpid()
    pids = parallel.map_in_two(lambda item: os.getpid(), [1, 2, 3], [100, 100, 100])
    assert set(pids) == {parent}  # far under MIN_BYTES
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel.can_fork() is False  # forking a threaded process is not safe
        assert set(parallel.map_in_two(lambda item: os.getpid(), [1, 2], [1, 1])) == {parent}
    finally:
        stop.set()
        thread.join()


@needs_fork
def test_a_plan_read_on_two_cores_gives_what_one_process_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _mixed_plan(tmp_path)
    with monkeypatch.context() as one_process:
        one_process.setattr(parallel, "can_fork", lambda: False)
        alone = load_plan(folder)
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    split = load_plan(folder)
    assert len(_problems(alone)) > 30  # the invalid files' errors, and the rules' warnings
    assert _problems(split) == _problems(alone)
    assert [s.area for s in split.areas] == [s.area for s in alone.areas]
    assert [s.action_pos for s in split.areas] == [s.action_pos for s in alone.areas]
    assert [s.area for s in split.partial] == [s.area for s in alone.partial]


@needs_fork
def test_status_json_is_the_same_on_two_cores(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("status", str(ROOT / "plans"), "--as-of", "2022-12-15", "--format", "json")
    with monkeypatch.context() as one_process:
        one_process.setattr(parallel, "can_fork", lambda: False)
        alone = run(*args)
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    split = run(*args)
    assert alone.exit_code == split.exit_code == 0
    assert split.stdout == alone.stdout


def test_a_plan_read_is_kept_out_of_the_cycle_collectors_way() -> None:
    """What one load reads lives until the command ends: frozen (gc.freeze), the next full
    collection does not scan it all for cycles it does not have. A history's plans are dropped
    one by one, so they are not frozen."""
    import gc

    from bragcli.source.load import Loader, paused_gc

    gc.unfreeze()
    load_plan(ROOT / "plans")
    assert gc.get_freeze_count() > 0  # everything alive once the plan was read
    gc.unfreeze()
    assert Loader(kept=False).kept is False
    with paused_gc(freeze=False):
        pass
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_reading_a_history_keeps_a_plan_read_before_frozen() -> None:
    """`brag check` reads the plan (frozen), then may read its history (blue-without-impact):
    the history's own freezing must not hand the plan back to the collector."""
    import gc

    from bragcli.source.load import frozen_while_reading

    gc.unfreeze()
    with frozen_while_reading():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0  # nothing was frozen before: all handed back
    load_plan(ROOT / "plans")
    with frozen_while_reading():
        pass
    assert gc.get_freeze_count() > 0
    gc.unfreeze()
