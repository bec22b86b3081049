"""A large plan is read on two cores (source/parallel.py): the result must be exactly what one
process reads, whatever happens to the second process.

The size threshold is lowered here so that small plans are split too; the benchmarks measure
what the split saves on a large plan (benchmarks/run.py).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bragcli.problems import Problem
from bragcli.rules.base import Scope
from bragcli.rules.run import RuleChoices, run_checks, while_loading
from bragcli.source import load, parallel
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
def test_both_processes_take_items_and_each_item_is_done_once(
    split_everything: None, tmp_path: Path
) -> None:
    parent = os.getpid()
    log = tmp_path / "done"

    def work(item: int) -> tuple[int, int]:
        with open(log, "a") as out:  # one line an item, from whichever process did it
            out.write(f"{item}\n")
        time.sleep(0.02)
        return item, os.getpid()

    results = parallel.map_in_two(work, list(range(12)), [1] * 12)
    assert [item for item, _ in results] == list(range(12))  # in order
    assert parent in {pid for _, pid in results}
    assert {pid for _, pid in results} - {parent}  # the child did some
    assert sorted(int(line) for line in log.read_text().split()) == list(range(12))


@needs_fork
@pytest.mark.parametrize("slow", ["child", "parent"])
def test_the_slower_process_takes_fewer_items(split_everything: None, slow: str) -> None:
    """The two cores of a shared machine often run at different speeds: the process that is
    done first takes the next item, so the faster one does more."""
    parent = os.getpid()

    def work(item: int) -> int:
        in_parent = os.getpid() == parent
        time.sleep(0.15 if in_parent == (slow == "parent") else 0.005)
        return os.getpid()

    pids = parallel.map_in_two(work, list(range(20)), [1] * 20)
    slow_ones = sum((pid == parent) == (slow == "parent") for pid in pids)
    assert slow_ones <= 3


def test_the_queue_hands_out_the_heaviest_first_and_every_item_once() -> None:
    queue = parallel._Queue([5, 900, 1, 40])
    order: list[int] = []
    try:
        done = queue.take(lambda item: order.append(item) or item * 10, [0, 1, 2, 3])
    finally:
        queue.close()
    assert order == [1, 3, 0, 2]
    assert done == {0: 0, 1: 10, 2: 20, 3: 30}


def test_the_queue_holds_any_number_of_items_in_one_pipe() -> None:
    """Entries are ranges of items, so that the queue fits in a pipe (filled before anyone
    reads it) however many items there are: 100,000 items must not block the writer."""
    queue = parallel._Queue([1] * 100_000)
    try:
        assert len(queue.ranges) <= parallel._Queue.MAX_ENTRIES
        done = queue.take(lambda item: item, list(range(100_000)))
    finally:
        queue.close()
    assert sorted(done) == list(range(100_000))


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


@needs_fork
def test_what_a_child_sent_before_it_failed_is_kept(split_everything: None) -> None:
    """The child sends each result as it has it: those that arrived whole count, and only
    the items it never sent are done again here."""
    parent = os.getpid()
    done_in_child: list[int] = []

    def work(item: int) -> tuple[int, int]:
        if os.getpid() != parent:
            if len(done_in_child) == 3:
                os.kill(os.getpid(), 9)
            done_in_child.append(item)
        time.sleep(0.01)
        return item, os.getpid()

    results = parallel.map_in_two(work, list(range(40)), [1] * 40)
    assert [item for item, _ in results] == list(range(40))
    assert sum(pid != parent for _, pid in results) == 3


@needs_fork
def test_results_larger_than_a_pipe_come_back_whole(split_everything: None) -> None:
    """A child's results (20 MB here) wait in the pipe for this process to read them, between
    its own items and at the end: neither process may wait for the other for ever."""
    parent = os.getpid()

    def work(item: int) -> tuple[int, bytes]:
        return os.getpid(), bytes([item % 251]) * 200_000

    results = parallel.map_in_two(work, list(range(100)), [1] * 100)
    assert [blob for _, blob in results] == [bytes([i % 251]) * 200_000 for i in range(100)]
    assert {pid for pid, _ in results} - {parent}  # the child did some


class _UnreadableHere:
    """A result that pickles in the child but cannot be unpickled in the parent."""

    def __init__(self, item: int) -> None:
        self.item = item

    def __reduce__(self) -> tuple[object, tuple[int, int]]:
        return (_refuse_in, (os.getpid(), self.item))


def _refuse_in(pid: int, item: int) -> _UnreadableHere:
    if os.getpid() != pid:
        raise ValueError("not here")
    return _UnreadableHere(item)


@needs_fork
def test_a_result_that_cannot_be_read_back_is_done_here(split_everything: None) -> None:
    parent = os.getpid()

    def work(item: int) -> tuple[int, object]:
        time.sleep(0.005)
        return os.getpid(), _UnreadableHere(item)

    results = parallel.map_in_two(work, list(range(20)), [1] * 20)
    assert [result.item for _, result in results] == list(range(20))  # type: ignore[attr-defined]
    assert {pid for pid, _ in results} == {parent}


def test_a_frame_cut_short_is_left_out() -> None:
    """What a child wrote before it died may end in part of a frame: that result is not
    taken (its item is done again), and the whole frames before it are."""
    import pickle

    def frame(index: int, value: object) -> bytes:
        data = pickle.dumps(value)
        return index.to_bytes(4, "little") + len(data).to_bytes(8, "little") + data

    streaming: parallel._Streaming[object] = object.__new__(parallel._Streaming)
    streaming._done = {}
    whole = frame(4, "four") + frame(9, ["nine"])
    for cut in (frame(2, "two")[:-1], frame(2, "two")[:7], b""):
        streaming._done.clear()
        streaming._buffer = bytearray(whole + cut)
        streaming._unpack()
        assert streaming._done == {4: "four", 9: ["nine"]}
        assert bytes(streaming._buffer) == cut  # kept, in case the rest is still to come


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


@pytest.mark.parametrize("cores", [1, 2])
@pytest.mark.parametrize("plan_file", ["kept", "broken", "missing"])
def test_rules_run_while_reading_find_what_rules_run_afterwards_find(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cores: int, plan_file: str
) -> None:
    """`brag check` runs the action rules on each file as it is read (on both cores); the
    problems are exactly those of running every rule on the plan once it has loaded: for the
    areas, for what validated of the broken ones, with or without plan.yaml, with the rule that
    reads git history run afterwards on its dates, and with the rules the command line picks."""
    if cores == 2 and not parallel.can_fork():
        pytest.skip("needs fork and two cores")
    folder = _mixed_plan(tmp_path)
    (folder / "11-blue.yaml").write_text(
        'id: "11"\ntitle: Done\nactions:\n  - id: "11.1"\n    title: Finished\n'
        "    lead: Director of Children's Services\n    deadline: March 2023\n"
        "    status: blue\n    updated: 2023-06-01\n",
        encoding="utf-8",
    )
    # an area rated on track over a red action (area-rating-optimistic), owned by a lead the
    # roles do not know (unknown-lead, on the area)
    (folder / "12-rosy.yaml").write_text(
        'id: "12"\ntitle: Rosy\nlead: Nobody We Know\nstatus: green\nactions:\n'
        '  - id: "12.1"\n    title: Stuck\n    lead: Director of Children\'s Services\n'
        "    deadline: March 2023\n    status: red\n    updated: 2023-06-01\n",
        encoding="utf-8",
    )
    if plan_file == "broken":
        (folder / "plan.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    elif plan_file == "missing":
        (folder / "plan.yaml").unlink()
    monkeypatch.setattr(parallel, "MIN_BYTES", 0 if cores == 2 else 10**12)
    as_of = date(2023, 6, 30)
    blue_since = {"11.1": date(2022, 1, 1)}  # blue since long ago, by git history
    for choices in (RuleChoices(), RuleChoices(enable=("missing-updated",), stale_days=7)):
        after = load_plan(folder)
        while_reading = load_plan(folder, area_checks=while_loading(as_of, choices))
        assert after.found_while_loading is None
        assert while_reading.found_while_loading  # the warnings were found while reading
        expected = sorted(run_checks(after, as_of, choices, blue_since), key=Problem.sort_key)
        found = run_checks(while_reading, as_of, choices, blue_since)
        assert sorted(found, key=Problem.sort_key) == expected
        assert len(expected) > 20
    assert any(p.code == "missing-updated" for p in expected)
    if plan_file == "kept":
        assert any(p.code == "blue-without-impact" and "git history" in p.message for p in found)
        # the rules that judge one area at a time were run on each area as it was read
        early = {(p.code, p.message) for p in while_reading.found_while_loading or []}
        for code in ("area-rating-optimistic", "stale-reading"):
            assert any(c == code for c, _ in early), code
        assert any(c == "unknown-lead" and m.startswith("area 12:") for c, m in early)


@pytest.mark.parametrize("cores", [1, 2])
@pytest.mark.parametrize("quarters", ["calendar", "financial"])
def test_deadlines_are_judged_as_each_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cores: int, quarters: str
) -> None:
    """Each area's bad-deadline problems are worked out when its file is read and validated
    (for a large plan, while the other core still reads), with plan.yaml's quarters, not all
    together once every file is in:
    the plan is then put together with them as they were found, and gives the same problems."""
    if cores == 2 and not parallel.can_fork():
        pytest.skip("needs fork and two cores")
    folder = _mixed_plan(tmp_path)
    plan_yaml = folder / "plan.yaml"
    plan_yaml.write_text(
        plan_yaml.read_text(encoding="utf-8").replace("quarters: calendar\n", "")
        + f"quarters: {quarters}\n",
        encoding="utf-8",
    )
    (folder / "13-dates.yaml").write_text(
        'id: "13"\ntitle: Dates\nactions:\n  - id: "13.1"\n    title: When\n'
        "    lead: Director of Children's Services\n    deadline: the 31st of Smarch\n"
        "    baseline: Q5 2023\n    status: green\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(parallel, "MIN_BYTES", 0 if cores == 2 else 10**12)
    put_together = load.assemble
    judged_before: list[bool] = []

    def assemble(*args: object) -> LoadedPlan:
        results = args[3]
        assert isinstance(results, list)
        for result in results:
            source = result if isinstance(result, load.AreaSource) else result.partial
            if source is not None:
                judged_before.append(set(source.deadline_problems) == {quarters})
        return put_together(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(load, "assemble", assemble)
    loaded = load_plan(folder)
    assert len(judged_before) > 10 and all(judged_before)
    bad = [p for p in loaded.problems if p.code == "bad-deadline"]
    assert {(p.path.rsplit("/", 1)[-1], p.line) for p in bad} >= {
        ("13-dates.yaml", 7),
        ("13-dates.yaml", 8),
    }
    monkeypatch.setattr(load, "assemble", put_together)
    assert load_plan(folder).problems == loaded.problems


def test_findings_made_while_reading_are_taken_only_for_the_same_date_and_choices() -> None:
    """What the rules found while the plan was read is reused only by a run of the same rules
    on the same date: asked with other choices or another date, every rule runs again, so a
    rule disabled since is not reported and one enabled since is."""
    folder = ROOT / "plans"
    as_of = date(2023, 6, 30)
    read = load_plan(folder, area_checks=while_loading(as_of, RuleChoices()))
    assert any(p.code == "stale-progress" for p in read.found_while_loading or [])
    for choices, when in (
        (RuleChoices(disable=("stale-progress",)), as_of),
        (RuleChoices(enable=("missing-updated",)), as_of),
        (RuleChoices(stale_days=400), as_of),
        (RuleChoices(), date(2022, 12, 15)),
    ):
        expected = sorted(run_checks(load_plan(folder), when, choices), key=Problem.sort_key)
        found = sorted(run_checks(read, when, choices), key=Problem.sort_key)
        assert found == expected, (choices, when)
    assert not any(
        p.code == "stale-progress"
        for p in run_checks(read, as_of, RuleChoices(disable=("stale-progress",)))
    )


def test_a_rule_that_does_not_say_whether_it_reads_history_runs_with_the_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule module without READS_HISTORY is taken to read git history: it is not run while
    the files are read, but afterwards, when the history is known."""
    import types

    from bragcli.rules import registry
    from bragcli.rules import run as rules_run

    seen: list[object] = []

    def check(ctx: object, action: object, window: object) -> Iterator[tuple[str, str]]:
        seen.append(getattr(ctx, "blue_since", None))
        return iter(())

    seen_by_area_rule: list[object] = []

    def check_areas(ctx: object, areas: object) -> Iterator[tuple[int, tuple[str], str]]:
        seen_by_area_rule.append(getattr(ctx, "blue_since", None))
        return iter(())

    silent = types.SimpleNamespace(
        CODE="stale-progress", LEVEL=registry.RULES[0].LEVEL, PLAN_SETTINGS=(), check=check
    )
    silent_area = types.SimpleNamespace(
        CODE="stale-reading",
        LEVEL=registry.RULES[0].LEVEL,
        SCOPE=Scope.AREA,
        PLAN_SETTINGS=(),
        check_areas=check_areas,
    )
    monkeypatch.setattr(rules_run, "RULES", (silent,))
    monkeypatch.setattr(rules_run, "AREA_RULES", (silent_area,))
    as_of = date(2023, 6, 30)
    loaded = load_plan(ROOT / "plans", area_checks=while_loading(as_of, RuleChoices()))
    assert seen == seen_by_area_rule == []  # not run while reading
    history = {"1.1": date(2022, 1, 1)}
    run_checks(loaded, as_of, RuleChoices(), history)
    assert seen and all(s == history for s in seen)
    assert seen_by_area_rule == [history]


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


@pytest.mark.parametrize("command", ["status", "actions"])
def test_a_status_is_rolled_up_and_laid_out_without_the_cycle_collector(
    run: Run, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """Rolling up 10,000 actions and laying out their rows makes hundreds of thousands of
    short-lived objects and no cycles: the collector is paused while they are made, and on
    again afterwards."""
    import gc

    from bragcli.compute import rollup
    from bragcli.render import screen

    seen: list[bool] = []
    real_build, real_grid = rollup.build_status, screen.grid

    def build(*args: object, **kwargs: object) -> rollup.Status:
        seen.append(gc.isenabled())
        return real_build(*args, **kwargs)  # type: ignore[arg-type]

    def grid(*args: object, **kwargs: object) -> None:
        seen.append(gc.isenabled())
        real_grid(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rollup, "build_status", build)
    monkeypatch.setattr(screen, "grid", grid)
    monkeypatch.setattr("bragcli.render.status_terminal.grid", grid)
    result = run(command, str(ROOT / "plans"), "--as-of", "2022-12-15", "--format", "terminal")
    assert result.exit_code == 0
    assert seen and not any(seen)
    assert gc.isenabled()
