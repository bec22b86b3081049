"""The same bytes give the same problems and the same status, from the working tree and from git.

Every case of the example corpus (tests/examples/valid and invalid: single files, checked beside
examples/plan.yaml, and whole folders) is copied into one git repository, each in its own
folder, and committed once. Each case is then read from the working tree and from `--rev HEAD`:
the problems (load-time errors and the rules' warnings) must be the same but for the "HEAD:"
before each path, and `brag status --format json` must print the same and exit the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from bragcli.problems import Problem
from bragcli.rules.run import RuleChoices, run_checks
from bragcli.source.load import LoadedPlan, load_plan, plan_at
from conftest import EXAMPLES, Run

AS_OF = "2023-01-31"
INVALID = EXAMPLES / "invalid"
VALID = EXAMPLES / "valid"


def _cases() -> dict[str, Path]:
    """Each case's folder name in the repository -> the file or folder it is made from."""
    cases: dict[str, Path] = {}
    for kind, corpus in (("invalid", INVALID), ("valid", VALID)):
        for path in sorted(corpus.iterdir()):
            if path.is_dir() or path.suffix == ".yaml":
                cases[f"{kind}-{path.stem if path.is_file() else path.name}"] = path
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One repository holding every case in cases/NAME/, committed once."""
    root = tmp_path_factory.mktemp("parity")
    for name, source in CASES.items():
        folder = root / "cases" / name
        if source.is_dir():
            shutil.copytree(source, folder, symlinks=True)
        else:
            folder.mkdir(parents=True)
            shutil.copy(EXAMPLES / "plan.yaml", folder / "plan.yaml")
            shutil.copy(source, folder / source.name)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": "2023-01-10T12:00:00", "GIT_COMMITTER_DATE": "2023-01-10T12:00:00",
    }  # fmt: skip
    for args in (
        ["init", "-q", "-b", "main"],
        ["config", "core.autocrlf", "false"],  # the bytes as they are: CRLF cases stay CRLF
        ["add", "-A"],
        ["commit", "-qm", "The corpus"],
    ):
        subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True)
    return root


def _lines(problems: list[Problem], rev: str = "") -> list[str]:
    """The problems as printed; from git, with the revision taken off every path shown (a
    message can name another file too: "is also used by HEAD:cases/...")."""
    lines = [str(p) for p in problems]
    if rev:
        assert all(line.startswith(f"{rev}:") for line in lines), lines
        lines = [line.replace(f"{rev}:", "") for line in lines]
    return sorted(lines)


def _everything(loaded: LoadedPlan) -> list[Problem]:
    """What `brag check` reports for a folder: the load's problems and the rules' warnings."""
    return loaded.problems + run_checks(loaded, date.fromisoformat(AS_OF), RuleChoices())


def test_the_corpus_is_all_there() -> None:
    """Every case is in the repository: a corpus that could not be found compares nothing."""
    assert len([n for n in CASES if n.startswith("invalid-")]) > 100
    assert len([n for n in CASES if n.startswith("valid-")]) >= 15
    assert "invalid-plan-yaml-and-yml" in CASES


@pytest.mark.parametrize("name", CASES)
def test_the_same_problems_from_the_work_tree_and_from_git(
    name: str, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    folder = Path("cases") / name
    from_tree = _everything(load_plan(folder))
    loaded, _revision = plan_at(folder, "HEAD")
    from_git = _everything(loaded)
    assert _lines(from_git, "HEAD") == _lines(from_tree)
    if name.startswith("invalid-"):
        assert any(p.level.value == "error" for p in from_tree), "an invalid case must fail"
    else:
        assert from_tree == []


@pytest.mark.parametrize("name", CASES)
def test_the_same_status_from_the_work_tree_and_from_git(
    name: str, repo: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    folder = f"cases/{name}"
    from_tree = run("status", folder, "--as-of", AS_OF, "--format", "json")
    from_git = run("status", folder, "--rev", "HEAD", "--as-of", AS_OF, "--format", "json")
    assert from_git.exit_code == from_tree.exit_code == (1 if name.startswith("invalid-") else 0)
    assert from_git.stdout == from_tree.stdout
    assert from_git.stderr.replace("HEAD:cases/", "cases/") == from_tree.stderr


def test_plan_yaml_beside_plan_yml_fails_from_git_as_from_the_work_tree(
    repo: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bug this pipeline fixes: `--rev HEAD` read plan.yaml and said nothing of plan.yml."""
    monkeypatch.chdir(repo)
    result = run("status", "cases/invalid-plan-yaml-and-yml", "--rev", "HEAD", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "HEAD:cases/invalid-plan-yaml-and-yml/plan.yml:1:1: error [duplicate-plan-file] both "
        "plan.yaml and plan.yml are here; bragcli reads plan.yaml only, so merge them and "
        "delete plan.yml\n"
    )


def test_a_folder_named_like_a_plan_file_and_a_folder_without_one_read_the_same_from_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git lists no folders, only their files: a folder named 02.yaml is still reported as
    one, and a plan folder that holds no plan file gives the same problems as on disk."""
    (tmp_path / "plans" / "02.yaml").mkdir(parents=True)
    (tmp_path / "plans" / "02.yaml" / "notes.txt").write_text("a folder\n")
    shutil.copy(EXAMPLES / "valid" / "full-area.yaml", tmp_path / "plans" / "01.yaml")
    shutil.copy(EXAMPLES / "plan.yaml", tmp_path / "plans" / "plan.yaml")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "README.md").write_text("no plan here\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "Plans"]):
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)
    monkeypatch.chdir(tmp_path)
    for folder, codes in (("plans", ["unreadable"]), ("empty", ["no-areas", "no-plan-file"])):
        from_tree = load_plan(Path(folder)).problems
        loaded, _revision = plan_at(Path(folder), "HEAD")
        assert _lines(loaded.problems, "HEAD") == _lines(from_tree)
        assert sorted(p.code for p in from_tree) == codes
