"""Hostile output paths: no command writes over a plan file, and none crashes on a bad path.

Every case asserts the exit code, the message a user reads, and that each plan file is
unchanged, byte for byte and in its modification time.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bragcli import outputs
from bragcli.model import Area, Plan
from conftest import SAMPLE_AS_OF, SAMPLE_PLAN, Run

Snapshot = dict[str, tuple[bytes, int]]


def snapshot(folder: Path) -> Snapshot:
    """Every file under `folder` (links not followed): its bytes and modification time."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding a copy of the sample plan in plans/; the current folder."""
    shutil.copytree(SAMPLE_PLAN, tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def git_repo(root: Path) -> None:
    """Commit what is in `root` (a copy of the sample plan) as one commit."""
    when = "2023-01-10T12:00:00"
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}  # fmt: skip
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "plan"]):
        subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True)


# --- outputs onto plan files ------------------------------------------------------------------

IN_PLAN_FOLDER = "is inside the plan folder plans: bragcli never writes output there"

#: (case, command line, what the message must say)
ONTO_PLAN_FILES: list[tuple[str, list[str], str]] = [
    ("report-over-plan-yaml", ["report", "plans", "-o", "plans/plan.yaml"], IN_PLAN_FOLDER),
    ("report-new-file-in-plan-folder", ["report", "plans", "-o", "plans/report.md"],
     IN_PLAN_FOLDER),
    ("report-html-over-area", ["report", "plans", "--format", "html", "-o",
                               "plans/01-leadership-and-governance.yaml"], IN_PLAN_FOLDER),
    ("report-dotdot-back-in", ["report", "plans", "-o", "elsewhere/../plans/plan.yaml"],
     IN_PLAN_FOLDER),
    ("export-over-area", ["export", "plans", "-o", "plans/01-area.yaml"], IN_PLAN_FOLDER),
    ("export-xlsx-into-plan-folder", ["export", "plans", "-o", "plans/actions.xlsx"],
     IN_PLAN_FOLDER),
    ("schema-over-plan-yaml", ["schema", "-o", "plans/plan.yaml"],
     "is in a plan folder (plans holds plan.yaml)"),
    ("schema-plan-over-area", ["schema", "plan", "-o", "plans/02-workforce.yaml"],
     "is in a plan folder (plans holds plan.yaml)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "message"),
    [case[1:] for case in ONTO_PLAN_FILES],
    ids=[case[0] for case in ONTO_PLAN_FILES],
)
def test_no_output_is_written_into_the_plan_folder(
    run: Run, work: Path, argv: list[str], message: str
) -> None:
    """Promise: an output never replaces a plan file or lands in the plan folder."""
    before = snapshot(work / "plans")
    result = run(*argv, *(["--as-of", SAMPLE_AS_OF] if argv[0] in {"report", "export"} else []))
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "choose a file outside the plan folder, e.g. -o " in result.stderr
    assert snapshot(work / "plans") == before


def test_a_symbolic_link_into_the_plan_folder_is_not_followed(run: Run, work: Path) -> None:
    """Promise: -o through a link that resolves into the plan folder is refused."""
    before = snapshot(work / "plans")
    (work / "out.md").symlink_to("plans/plan.yaml")
    (work / "linked").symlink_to("plans")
    for target in ("out.md", "linked/report.md"):
        result = run("report", "plans", "-o", target, "--as-of", SAMPLE_AS_OF)
        assert result.exit_code == 2, target
        assert "leads into the plan folder plans through a symbolic link" in result.stderr
    assert snapshot(work / "plans") == before
    assert not (work / "plans" / "report.md").exists()


def test_a_dangling_link_into_the_plan_folder_is_refused(run: Run, work: Path) -> None:
    """Promise: a link to a file not yet in the plan folder does not create it there."""
    (work / "out.csv").symlink_to("plans/new-area.yaml")
    result = run("export", "plans", "-o", "out.csv", "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 2
    assert "leads into the plan folder plans" in result.stderr
    assert not (work / "plans" / "new-area.yaml").exists()


def test_a_plan_file_outside_the_plan_folder_is_not_replaced(run: Run, work: Path) -> None:
    """Promise: an existing file that reads as a plan file (a copy, another plan) is kept."""
    backup = work / "backup"
    backup.mkdir()
    area = backup / "02-workforce.yaml"
    shutil.copy(work / "plans" / "02-workforce.yaml", area)
    plan_copy = backup / "old-plan.yml"
    shutil.copy(work / "plans" / "plan.yaml", plan_copy)
    before = snapshot(backup)
    for target, kind in ((area, "an area file"), (plan_copy, "plan.yaml")):
        result = run("report", "plans", "-o", target, "--as-of", SAMPLE_AS_OF)
        assert result.exit_code == 2
        assert f"reads as a plan file ({kind}): bragcli never writes over a plan file" in (
            result.stderr
        )
        assert "choose a file that is not a plan file, e.g. -o report.md" in result.stderr
    assert snapshot(backup) == before


def test_another_plan_folder_is_refused_too(run: Run, work: Path) -> None:
    """Promise: a folder holding plan.yaml is a plan folder, whichever plan is reported."""
    shutil.copytree(work / "plans", work / "other")
    before = snapshot(work / "other")
    result = run("report", "plans", "-o", "other/report.md", "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 2
    assert "is in a plan folder (other holds plan.yaml)" in result.stderr
    assert snapshot(work / "other") == before


def test_an_output_that_is_not_a_plan_file_is_replaced(run: Run, work: Path) -> None:
    """Promise kept: an existing non-plan output is replaced as before, whole, mode kept."""
    old = work / "report.md"
    old.write_text("# last month's report\n")
    old.chmod(0o640)
    schema = work / "area.schema.json"
    schema.write_text("{}\n")
    result = run("report", "plans", "-o", "report.md", "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 0, result.output
    assert old.read_text().startswith("# ") and "last month" not in old.read_text()
    assert old.stat().st_mode & 0o777 == 0o640
    assert run("schema", "-o", "area.schema.json").exit_code == 0
    assert schema.read_text().startswith("{\n")
    assert sorted(p.name for p in work.iterdir()) == ["area.schema.json", "plans", "report.md"]


def test_a_link_to_an_ordinary_output_is_followed_and_kept(run: Run, work: Path) -> None:
    """Promise kept: -o a link to a file outside the plan folder replaces that file."""
    (work / "out").mkdir()
    (work / "latest.md").symlink_to("out/report.md")
    result = run("report", "plans", "-o", "latest.md", "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 0, result.output
    assert (work / "latest.md").is_symlink()
    assert (work / "out" / "report.md").read_text().startswith("# ")


def test_step_summary_naming_a_plan_file_is_not_written(
    run: Run, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: GITHUB_STEP_SUMMARY=plans/plan.yaml warns and leaves plan.yaml alone; check
    still exits by its findings."""
    before = snapshot(work / "plans")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", "plans/plan.yaml")
    result = run("check", "plans", "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 0
    assert (
        "brag check: warning: the job summary was not written: plans/plan.yaml is inside the "
        "plan folder plans"
    ) in result.stderr
    assert "point GITHUB_STEP_SUMMARY at a file outside the plan folder" in result.stderr
    assert snapshot(work / "plans") == before


def test_step_summary_in_diff_naming_a_plan_file(
    run: Run, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: brag diff under GitHub Actions never appends to a plan file either."""
    git_repo(work)
    before = snapshot(work / "plans")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(work / "plans" / "02-workforce.yaml"))
    result = run("diff", "--plan", "plans")
    assert result.exit_code == 0, result.output
    assert "brag diff: warning: the job summary was not written:" in result.stderr
    assert snapshot(work / "plans") == before


# --- crashes writing an output ----------------------------------------------------------------


def _folder(work: Path) -> str:
    return str(work)


#: (case, GITHUB_STEP_SUMMARY, what the warning says)
BAD_SUMMARIES: list[tuple[str, Callable[[Path], str], str]] = [
    ("a-folder", _folder, "it is a folder, not a file"),
    ("a-missing-folder", lambda w: str(w / "missing" / "summary.md"),
     "folder missing does not exist"),
    ("a-file-as-folder", lambda w: str(w / "plans" / "plan.yaml" / "summary.md"),
     "is inside the plan folder"),
]  # fmt: skip
if Path("/dev/full").exists():
    BAD_SUMMARIES.append(("dev-full", lambda w: "/dev/full", "no space left on the device"))


@pytest.mark.parametrize(
    ("summary", "message"),
    [case[1:] for case in BAD_SUMMARIES],
    ids=[case[0] for case in BAD_SUMMARIES],
)
@pytest.mark.parametrize(("plan", "code"), [("clean", 0), ("broken", 1)])
def test_an_unwritable_step_summary_only_warns(
    run: Run,
    work: Path,
    monkeypatch: pytest.MonkeyPatch,
    summary: Callable[[Path], str],
    message: str,
    plan: str,
    code: int,
) -> None:
    """Promise: check exits 0/1 by its findings and warns once when the summary fails."""
    if plan == "broken":
        (work / "plans" / "99-broken.yaml").write_text("id: '99'\ntitle: [\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", summary(work))
    result = run("check", "plans", "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == code, result.output
    warnings = [line for line in result.stderr.splitlines() if "job summary" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("brag check: warning: the job summary was not written: ")
    assert message in warnings[0]


#: (case, command line, what the message says)
BAD_TARGETS: list[tuple[str, list[str], str]] = [
    ("schema-missing-folder", ["schema", "-o", "/nonexistent/x.json"],
     "cannot write /nonexistent/x.json: folder /nonexistent does not exist; create it first"),
    ("report-missing-folder", ["report", "plans", "-o", "no/such/report.md"],
     "cannot write no/such/report.md: folder no/such does not exist"),
    ("export-under-a-file", ["export", "plans", "-o", "plans/plan.yaml/x.csv"],
     "is inside the plan folder"),
    ("report-under-a-file", ["report", "plans", "-o", "notes.txt/report.md"],
     "notes.txt is not a folder"),
    ("report-proc", ["report", "plans", "-o", "/proc/x"],
     "cannot write /proc/x: files cannot be created in /proc"),
    ("import-dev-null", ["import", "tracker.csv", "-o", "/dev/null", "--organisation", "C"],
     "/dev/null is not a folder: give -o the folder to write the plan into"),
    ("import-proc", ["import", "tracker.csv", "-o", "/proc/x", "--organisation", "C"],
     "cannot create the folder /proc/x"),
    ("import-under-a-file",
     ["import", "tracker.csv", "-o", "notes.txt/plans", "--organisation", "C"],
     "cannot create the folder notes.txt/plans: notes.txt is not a folder"),
]  # fmt: skip
if Path("/dev/full").exists():
    BAD_TARGETS.append(
        ("report-dev-full", ["report", "plans", "-o", "/dev/full"],
         "cannot write /dev/full: no space left on the device")
    )  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "message"), [case[1:] for case in BAD_TARGETS], ids=[case[0] for case in BAD_TARGETS]
)
def test_a_path_that_cannot_be_written_is_a_clear_message(
    run: Run, work: Path, argv: list[str], message: str
) -> None:
    """Promise: a bad output path is one line and exit 2, never an internal error (exit 3)."""
    (work / "notes.txt").write_text("mine\n")
    (work / "tracker.csv").write_text("id,action,lead,status\n1.1,Do it,Lead,green\n")
    before = snapshot(work)
    extra = ["--as-of", SAMPLE_AS_OF] if argv[0] in {"report", "export"} else []
    result = run(*argv, *extra)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(work) == before


def test_trend_chart_into_a_missing_folder(run: Run, work: Path) -> None:
    """Promise: trend --chart /nonexistent/x.svg is a clear message, exit 2."""
    git_repo(work)
    result = run("trend", "--plan", "plans", "--chart", "/nonexistent/x.svg", "--as-of",
                 "2023-02-01")  # fmt: skip
    assert result.exit_code == 2
    assert "brag: cannot write /nonexistent/x.svg: folder /nonexistent does not exist" in (
        result.stderr
    )


def test_trend_chart_into_the_plan_folder(run: Run, work: Path) -> None:
    """Promise: trend --chart never writes into the plan folder."""
    git_repo(work)
    before = snapshot(work / "plans")
    result = run("trend", "--plan", "plans", "--chart", "plans/trend.svg", "--as-of",
                 "2023-02-01")  # fmt: skip
    assert result.exit_code == 2
    assert "e.g. --chart trend.svg" in result.stderr
    assert snapshot(work / "plans") == before


def test_a_pipe_nobody_reads_is_refused_not_waited_on(run: Run, work: Path) -> None:
    """Promise: -o a FIFO with no reader ends at once with a message (no hang)."""
    os.mkfifo(work / "fifo")
    result = run("report", "plans", "-o", "fifo", "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 2
    assert "cannot write fifo: it is a pipe that nothing reads" in result.stderr


def test_dev_stdout_into_a_pipe_is_written(work: Path) -> None:
    """Promise: -o /dev/stdout works when stdout is a pipe (its link names no real file)."""
    done = subprocess.run(
        [sys.executable, "-m", "bragcli", "report", "plans", "-o", "/dev/stdout", "--as-of",
         SAMPLE_AS_OF],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# ")
    assert done.stderr == "brag report: wrote /dev/stdout\n"


def test_a_read_only_folder(run: Run, work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Promise: a folder that cannot be written to is a message, exit 2 (simulated, so that
    it holds for root too)."""
    real_open = os.open

    def refuse(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode)

    monkeypatch.setattr(outputs.os, "open", refuse)
    (work / "out").mkdir()
    result = run("export", "plans", "-o", "out/actions.csv", "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 2
    assert "cannot write out/actions.csv: permission denied in out; choose a folder you can " in (
        result.stderr
    )
    assert list((work / "out").iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_folder_for_real(run: Run, work: Path) -> None:
    """Promise: as above, with the file system's own permissions."""
    (work / "out").mkdir()
    (work / "out").chmod(0o555)
    try:
        result = run("schema", "-o", "out/area.schema.json")
    finally:
        (work / "out").chmod(0o755)
    assert result.exit_code == 2
    assert "permission denied in out" in result.stderr


def test_a_failed_write_leaves_the_old_file_whole(
    run: Run, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: writing is atomic: a full disk mid-write keeps the old output and leaves no
    temporary file."""
    old = work / "area.schema.json"
    old.write_text('{"the schema": "the editors have"}\n')

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    # (schema, not report: the report renders in a child process that also writes to a pipe)
    monkeypatch.setattr(outputs.os, "write", full)
    result = run("schema", "-o", "area.schema.json")
    assert result.exit_code == 2
    assert "cannot write area.schema.json: no space left on the device" in result.stderr
    assert old.read_text() == '{"the schema": "the editors have"}\n'
    assert sorted(p.name for p in work.iterdir()) == ["area.schema.json", "plans"]


def test_plan_file_keys_match_the_models() -> None:
    """The keys that make an existing file a plan file are the models' own."""
    assert frozenset(Plan.model_fields) == outputs.PLAN_KEYS
    assert frozenset(Area.model_fields) == outputs.AREA_KEYS
    assert outputs.plan_file_kind({"title": "Notes"}) == "plan.yaml"
    assert outputs.plan_file_kind({"$schema": "x", "title": "Area", "type": "object"}) is None
    assert outputs.plan_file_kind({"id": "2", "title": "Workforce"}) == "an area file"
    assert outputs.plan_file_kind(["actions"]) is None


# --- brag init --------------------------------------------------------------------------------


def test_init_force_never_adds_the_example_area_beside_real_ones(run: Run, tmp_path: Path) -> None:
    """Promise: init --force into an existing plan adds no area whose ids would clash."""
    shutil.copytree(SAMPLE_PLAN, tmp_path / "plans")
    before = snapshot(tmp_path / "plans")
    result = run("init", tmp_path, "--force")
    assert result.exit_code == 0, result.output
    assert f"skipped {tmp_path / 'plans/01-example-area.yaml'} (plans/ already has area " in (
        result.stderr
    )
    assert not (tmp_path / "plans" / "01-example-area.yaml").exists()
    assert snapshot(tmp_path / "plans") == before
    assert (tmp_path / "schemas" / "area.schema.json").exists()
    checked = run("check", tmp_path / "plans", "--as-of", SAMPLE_AS_OF)
    assert checked.exit_code == 0
    assert "duplicate-id" not in checked.stdout


def test_init_never_writes_through_a_dangling_link(run: Run, tmp_path: Path) -> None:
    """Promise: a dangling link where init would write is kept, not followed."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plan.yaml").symlink_to(tmp_path / "outside.yaml")
    result = run("init", tmp_path, "--force")
    assert result.exit_code == 0, result.output
    assert "(it exists; not overwritten)" in result.stderr
    assert not (tmp_path / "outside.yaml").exists()
