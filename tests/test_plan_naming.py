"""One way to name the plan: `--plan/-p DIR` on every command that reads one, the positional
as a synonym where it exists, BRAG_PLAN, and discovery from the current folder up to the git
repository's root (said on stderr when found in a parent folder).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_AS_OF, SAMPLE_PLAN, Run
from test_history import Repo

READERS = ["status", "actions", "report", "trend"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """A git repository holding the sample plan in plans/, committed once."""
    monkeypatch.delenv("BRAG_PLAN", raising=False)
    r = Repo(tmp_path / "repo")
    shutil.rmtree(r.plans)
    shutil.copytree(SAMPLE_PLAN, r.plans)
    r.git("add", "-A")
    r.git("commit", "-qm", "plan", when="2022-12-01")
    return r


def _args(command: str) -> list[str]:
    return [command] if command == "trend" else [command, "--as-of", SAMPLE_AS_OF]


@pytest.mark.parametrize("command", READERS)
def test_plan_option_positional_and_short_option_read_the_same_plan(
    run: Run, repo: Repo, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo.root)
    named = run(*_args(command), "plans")
    assert named.exit_code == 0, named.stderr
    for option in ("--plan", "-p"):
        by_option = run(*_args(command), option, "plans")
        assert (by_option.exit_code, by_option.stdout) == (0, named.stdout)
    same = run(*_args(command), "plans", "--plan", "./plans")
    assert (same.exit_code, same.stdout) == (0, named.stdout)


@pytest.mark.parametrize("command", ["diff", "check", "export"])
def test_the_other_readers_take_plan_too(
    run: Run, repo: Repo, command: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # nothing to discover here: the option is what names it
    extra = {"diff": [], "check": ["--as-of", SAMPLE_AS_OF], "export": ["-o", "out.csv"]}
    result = run(command, "-p", repo.plans, *extra[command])
    assert result.exit_code == 0, result.stderr
    assert "no plan folder" not in result.stderr


@pytest.mark.parametrize("command", ["status", "report", "export", "trend"])
def test_two_different_plans_on_the_command_line_are_refused(
    run: Run, repo: Repo, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo.root)
    result = run(
        command, "plans", "--plan", "elsewhere", *(["-o", "x.csv"] * (command == "export"))
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "brag: the plan folder is given twice, as PLAN_DIR plans and --plan elsewhere; give it "
        "once, e.g. --plan elsewhere\n"
    )
    assert not (repo.root / "x.csv").exists()


def test_brag_plan_names_the_plan_and_the_command_line_wins(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRAG_PLAN", str(repo.plans))
    from_env = run("status", "--as-of", SAMPLE_AS_OF)
    assert from_env.exit_code == 0 and "Herefordshire" in from_env.stdout
    assert from_env.stderr == ""  # named by the user: nothing to announce
    other = tmp_path / "other"
    shutil.copytree(SAMPLE_PLAN, other)
    (other / "plan.yaml").write_text(
        (SAMPLE_PLAN / "plan.yaml").read_text().replace("Herefordshire Children", "Other Children")
    )
    positional = run("status", other, "--as-of", SAMPLE_AS_OF)
    assert positional.exit_code == 0 and "Other Children" in positional.stdout
    assert run("status", "--plan", other, "--as-of", SAMPLE_AS_OF).stdout == positional.stdout


def test_discovery_in_the_plan_folder_itself(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run inside plans/: it used to say "brag: plans: no such folder"."""
    monkeypatch.chdir(repo.plans)
    result = run("status", "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 0 and result.stderr == ""
    assert "Herefordshire" in result.stdout
    checked = run("check", "--as-of", SAMPLE_AS_OF)
    assert checked.exit_code == 0
    # files are named from where it runs
    assert checked.stdout and all(
        re.match(r"\d\d-[a-z-]+\.yaml:\d+:", line) for line in checked.stdout.splitlines()
    )


def test_discovery_from_a_subfolder_says_which_plan_it_used(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = repo.root / "docs" / "board"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    result = run("actions", "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 0
    assert result.stderr == "brag: using the plan in ../../plans\n"
    checked = run("check", "--as-of", SAMPLE_AS_OF)
    assert all(line.startswith("../../plans/") for line in checked.stdout.splitlines())
    assert checked.stderr.startswith("brag: using the plan in ../../plans\n")


def test_discovery_stops_at_the_repository_root(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan above the repository is not this repository's plan."""
    monkeypatch.delenv("BRAG_PLAN", raising=False)
    shutil.copytree(SAMPLE_PLAN, tmp_path / "plans")
    inner = Repo(tmp_path / "project")  # a git repository below the folder holding plans/
    monkeypatch.chdir(inner.root)
    shutil.rmtree(inner.plans)
    result = run("status", "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "brag: no plan folder here: no plan.yaml in this folder or in plans/ (nor in a parent "
        "folder up to the git repository's root); name it with --plan DIR or set BRAG_PLAN\n"
    )


def test_diff_says_a_plan_folder_is_not_a_revision(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`brag diff plans` used to take plans for a revision."""
    monkeypatch.chdir(repo.root)
    result = run("diff", "plans")
    assert result.exit_code == 2
    assert result.stderr == (
        "brag: plans is a plan folder, and diff's arguments are git revisions; name the folder "
        "with --plan: brag diff --plan plans [REV_A] [REV_B] (for a branch of that name, "
        "write heads/plans)\n"
    )
    assert run("diff", "HEAD", "-p", "plans").exit_code == 0


def test_check_refuses_a_path_outside_the_plan_named_by_plan(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(repo.root)
    inside = run("check", "--plan", "plans", "plans/03-risk-of-harm.yaml", "--as-of", SAMPLE_AS_OF)
    assert inside.exit_code == 0 and inside.stdout.startswith("plans/03-risk-of-harm.yaml:")
    outside = run("check", "--plan", "plans", str(tmp_path), "--as-of", SAMPLE_AS_OF)
    assert outside.exit_code == 2
    assert outside.stderr.startswith(f"brag: {tmp_path} is not in the plan folder --plan plans;")


def test_import_writes_to_the_folder_named_by_plan(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    sheet = tmp_path / "tracker.csv"
    sheet.write_text("area,id,action,lead,deadline,status\n1,1.1,Do it,Director,March 2023,green\n")
    result = run("import", sheet, "-p", "newplan", "--title", "T", "--organisation", "O")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "newplan" / "plan.yaml").is_file()


@pytest.mark.parametrize(
    "hostile",
    [
        "plans\x1b[2J",
        "plans\n::error::x",
        "pl\u0430ns",
        "9" * 5000,
    ],  # ESC, newline, Cyrillic a, huge
)
def test_a_hostile_brag_plan_is_one_escaped_line(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch, hostile: str
) -> None:
    monkeypatch.chdir(repo.root)
    monkeypatch.setenv("BRAG_PLAN", hostile)
    result = run("status", "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("brag: ")
    assert "\x1b" not in result.stderr


def test_brag_plan_naming_a_file_or_a_symlink(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRAG_PLAN", str(repo.plans / "plan.yaml"))  # a file where a folder goes
    as_file = run("status", "--as-of", SAMPLE_AS_OF)
    assert as_file.exit_code == 2 and as_file.stderr.count("\n") == 1
    link = tmp_path / "link"
    link.symlink_to(repo.plans, target_is_directory=True)
    monkeypatch.setenv("BRAG_PLAN", str(link))
    via_link = run("status", "--as-of", SAMPLE_AS_OF)
    assert via_link.exit_code == 0 and "Herefordshire" in via_link.stdout
