"""Reading a large plan's files in a second process begun before the models are imported
(source/readahead.py, parallel.Early): the same results as reading everything here, the child
started before pydantic is imported, and nothing left running when the files are not taken."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from bragcli.rules.run import RuleChoices, run_checks, while_loading
from bragcli.source import parallel, readahead
from bragcli.source.load import LoadedPlan, load_plan
from bragcli.source.yamlread import MAX_FILE_BYTES, Document
from conftest import EXAMPLES, ROOT

needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
AS_OF = date(2023, 6, 30)


@pytest.fixture
def split_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)


def _mixed_plan(tmp_path: Path) -> Path:
    """The sample plan, with every invalid area file of the corpus beside its ten areas."""
    folder = tmp_path / "plan"
    shutil.copytree(ROOT / "plans", folder)
    for path in sorted((EXAMPLES / "invalid").glob("*.yaml")):
        shutil.copy(path, folder / f"zz-{path.name}")
    return folder


def _everything(loaded: LoadedPlan) -> tuple[object, ...]:
    return (
        loaded.problems,
        [(s.path, s.area, s.action_pos, s.area_pos, s.measure_pos) for s in loaded.areas],
        [(s.path, s.area, s.action_pos) for s in loaded.partial],
        loaded.found_while_loading,
        loaded.files,
    )


@needs_fork
@pytest.mark.parametrize("positions", [True, False])
def test_a_plan_read_ahead_gives_what_reading_it_here_gives(
    split_everything: None, tmp_path: Path, positions: bool
) -> None:
    """Every problem (of every broken file of the corpus), every area and where each value
    is, and what the rules found while reading: the same as reading every file here."""
    folder = _mixed_plan(tmp_path)
    checks = while_loading(AS_OF, RuleChoices())
    ahead = readahead.start(folder, max_bytes=MAX_FILE_BYTES, positions=positions)
    assert ahead is not None
    early = load_plan(folder, positions=positions, area_checks=checks, ahead=ahead)
    here = load_plan(folder, positions=positions, area_checks=checks)
    assert _everything(early) == _everything(here)
    assert len(early.problems) > 20 and early.found_while_loading
    assert run_checks(early, AS_OF, RuleChoices()) == run_checks(here, AS_OF, RuleChoices())


@needs_fork
def test_the_child_only_parses_and_this_process_validates(
    split_everything: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child reads (parses) files and sends the documents; the models are made here, so
    the child needs no more than was imported when it was forked."""
    folder = _mixed_plan(tmp_path)
    parent = os.getpid()
    log = tmp_path / "parsed"
    parse = readahead._read

    def logged(*args: object) -> object:
        found = parse(*args)  # type: ignore[arg-type]
        with open(log, "a") as out:
            out.write(f"{os.getpid()} {type(found).__name__}\n")
        time.sleep(0.01)  # so that the child is still at it when this process is ready
        return found

    monkeypatch.setattr(readahead, "_read", logged)
    validated: list[int] = []
    import bragcli.source.load as load

    area_file = load.area_file

    def counted(doc: object, **kwargs: bool) -> object:
        validated.append(os.getpid())
        return area_file(doc, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(load, "area_file", counted)
    ahead = readahead.start(folder, max_bytes=MAX_FILE_BYTES, positions=True)
    assert ahead is not None
    loaded = load_plan(folder, ahead=ahead)
    lines = [line.split() for line in log.read_text().splitlines()]
    in_child = [kind for pid, kind in lines if int(pid) != parent]
    assert in_child and set(in_child) <= {"Document", "Problem"}
    assert "Document" in in_child
    assert set(validated) == {parent}  # every file validated here
    assert len(validated) == len(ahead.names) == loaded.files - 1  # and each once


@needs_fork
def test_files_read_ahead_that_do_not_fit_are_read_again(
    split_everything: None, tmp_path: Path
) -> None:
    """Read with positions when the command wants none (or a file added since): the child is
    stopped and the files are read as usual, with the same result."""
    folder = _mixed_plan(tmp_path)
    ahead = readahead.start(folder, max_bytes=MAX_FILE_BYTES, positions=True)
    assert ahead is not None
    early = load_plan(folder, positions=False, ahead=ahead)
    assert _everything(early) == _everything(load_plan(folder, positions=False))
    assert ahead.early._child is None  # stopped and reaped

    ahead = readahead.start(folder, max_bytes=MAX_FILE_BYTES, positions=True)
    assert ahead is not None
    (folder / "zz-late.yaml").write_text('id: "99"\ntitle: Late\nactions: []\n', "utf-8")
    early = load_plan(folder, ahead=ahead)
    assert "99" in {s.area.id for s in early.areas}
    assert _everything(early) == _everything(load_plan(folder))


@needs_fork
def test_a_read_ahead_not_taken_leaves_no_process(split_everything: None, tmp_path: Path) -> None:
    folder = _mixed_plan(tmp_path)
    ahead = readahead.start(folder, max_bytes=MAX_FILE_BYTES, positions=True)
    assert ahead is not None
    child = ahead.early._child
    assert child is not None and child._pid is not None
    pid = child._pid
    with ahead:
        pass  # the command ended before it read the plan (a usage error, say)
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped
    ahead.cancel()  # and again: nothing to do


def test_no_read_ahead_for_a_small_plan_or_a_missing_folder(tmp_path: Path) -> None:
    assert readahead.start(ROOT / "plans", max_bytes=MAX_FILE_BYTES, positions=True) is None
    assert readahead.start(tmp_path / "nowhere", max_bytes=MAX_FILE_BYTES, positions=True) is None


@needs_fork
@pytest.mark.parametrize("failure", ["raises", "exits"])
def test_items_a_failed_child_did_not_send_are_done_here(
    split_everything: None, failure: str
) -> None:
    parent = os.getpid()

    def first(item: int) -> int:
        if os.getpid() != parent and item == 5:
            if failure == "raises":
                raise RuntimeError("boom")
            os._exit(3)
        time.sleep(0.01)
        return item * 10

    early = parallel.start_early(first, list(range(12)), [1] * 12)
    assert early is not None
    time.sleep(0.05)
    done = early.finish(lambda item: ("here", item), lambda item, sent: ("sent", item, sent))
    assert [d[1] for d in done] == list(range(12))
    assert all(d == ("sent", d[1], d[1] * 10) for d in done if d[0] == "sent")
    assert done[5] == ("here", 5)
    assert any(d[0] == "sent" for d in done)


_SPY = """
import sys
from bragcli.source import parallel
parallel.MIN_BYTES = 0
seen = []
real = parallel.start_early
def spy(*args, **kwargs):
    seen.append("pydantic" in sys.modules)
    return real(*args, **kwargs)
parallel.start_early = spy
sys.argv = ["brag", *sys.argv[1:]]
from bragcli.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write(repr(seen))
"""


@needs_fork
@pytest.mark.parametrize(
    "args",
    [("check", "plans"), ("status", "plans"), ("actions", "--plan", "plans"), ("check",)],
    ids=["check", "status", "actions", "check-found-here"],
)
def test_the_commands_start_reading_before_pydantic_is_imported(args: tuple[str, ...]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _SPY, *args, "--as-of", "2023-01-31"],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    assert ast.literal_eval(done.stderr[done.stderr.rindex("[") :]) == [False]


def test_a_document_comes_back_through_a_pipe_whole() -> None:
    """What the child sends is pickled: a document keeps its data and where each value is."""
    import pickle

    from bragcli.source.yamlread import read_bytes

    doc = read_bytes((ROOT / "plans" / "03-risk-of-harm.yaml").read_bytes(), "x.yaml")
    assert isinstance(doc, Document)
    back = pickle.loads(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
    assert back.data == doc.data
    assert back.locate(("actions", 1, "lead")) == doc.locate(("actions", 1, "lead"))
