"""diff, trend and --rev against real git repositories built in a temporary folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Run

PLAN = "title: Test plan\norganisation: Test Council\nroles:\n  Lead A: Ann\n  Lead B: Bob\n"


def area(area_id: str, actions: list[dict[str, str]]) -> str:
    lines = [f'id: "{area_id}"', f"title: Area {area_id}", "actions:"]
    for a in actions:
        lines.append(f'  - id: "{a["id"]}"')
        lines.append(f"    title: Action {a['id']}")
        lines.append(f"    lead: {a.get('lead', 'Lead A')}")
        lines.append(f"    deadline: {a.get('deadline', 'March 2023')}")
        lines.append(f"    status: {a.get('status', 'green')}")
        if "impact" in a:
            lines.append(f"    impact: {a['impact']}")
        if "progress" in a:
            lines.append("    progress:")
            lines += [f"      - {note}" for note in a["progress"].split("|")]
    return "\n".join(lines) + "\n"


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.plans = root / "plans"
        self.plans.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, when: str = "2023-01-10") -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
            "GIT_AUTHOR_DATE": f"{when}T12:00:00", "GIT_COMMITTER_DATE": f"{when}T12:00:00",
        }  # fmt: skip
        return subprocess.run(
            ["git", "-C", str(self.root), *args], env=env, capture_output=True, text=True,
            check=True,
        ).stdout  # fmt: skip

    def write(self, files: dict[str, str | None]) -> None:
        for name, text in files.items():
            if text is None:
                (self.plans / name).unlink()
            else:
                (self.plans / name).write_text(text, encoding="utf-8")

    def commit(self, message: str, when: str, files: dict[str, str | None]) -> None:
        self.write(files)
        self.git("add", "-A")
        self.git("commit", "-qm", message, when=when)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """Three board cycles: January (tagged), February (changes and a rename), March."""
    r = Repo(tmp_path / "repo")
    r.commit("January board", "2023-01-10", {
        "plan.yaml": PLAN,
        "01-first.yaml": area("1", [{"id": "1.1"}, {"id": "1.2", "status": "amber"}]),
        "02-second.yaml": area("2", [
            {"id": "2.1", "status": "red"}, {"id": "2.2"}, {"id": "2.3", "progress": "Started"},
        ]),
    })  # fmt: skip
    r.git("tag", "board-2023-01")
    (r.root / "notes.txt").write_text("not the plan\n")
    r.git("add", "-A")
    r.git("commit", "-qm", "Unrelated file", when="2023-01-20")
    r.commit("February board", "2023-02-14", {
        "01-first.yaml": area("1", [
            {"id": "1.1", "status": "amber", "deadline": "June 2023"},
            {"id": "1.2", "status": "green", "impact": "green"},
            {"id": "2.2"},
        ]),
        "02-second.yaml": None,
        "02-renamed.yaml": area("2", [
            {"id": "2.1", "status": "red", "lead": "Lead B"},
            {"id": "2.3", "progress": "Started|Workshop held"},
            {"id": "2.4", "status": "not-started"},
        ]),
    })  # fmt: skip
    r.commit("March board", "2023-03-14", {
        "01-first.yaml": area("1", [
            {"id": "1.1", "status": "amber", "deadline": "September 2023"},
            {"id": "1.2", "status": "green", "impact": "green"},
            {"id": "2.2", "status": "blue", "impact": "amber"},
        ]),
    })  # fmt: skip
    monkeypatch.chdir(r.root)
    return r


def changes(run: Run, *args: str) -> list[dict[str, object]]:
    result = run("diff", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["changes"]  # type: ignore[no-any-return]


def test_diff_between_two_tags_reports_every_kind(run: Run, repo: Repo) -> None:
    repo.git("tag", "board-2023-02", "HEAD~1")
    found = {(c["id"], c["kind"]): c for c in changes(run, "board-2023-01", "board-2023-02")}
    assert set(found) == {
        ("1.1", "status"), ("1.1", "deadline"), ("1.2", "status"), ("1.2", "impact"),
        ("2.2", "moved"), ("2.1", "lead"), ("2.3", "progress"), ("2.4", "added"),
    }  # fmt: skip
    assert found[("1.1", "status")] | {"title": ""} == {
        "id": "1.1", "area": "1", "title": "", "kind": "status", "scope": "action",
        "from": "green", "to": "amber", "direction": "worse",
    }  # fmt: skip
    assert found[("1.1", "deadline")]["slip_days"] == 91  # 31 March -> 30 June
    assert found[("1.2", "status")]["direction"] == "better"
    assert found[("1.2", "impact")]["direction"] == "rated"
    assert (found[("2.2", "moved")]["from"], found[("2.2", "moved")]["to"]) == ("2", "1")
    assert found[("2.3", "progress")]["notes"] == ["Workshop held"]
    # The renamed file is not reported as actions removed and added again.
    assert not [k for k in found if k[1] == "removed"]


def test_diff_text_says_what_slipped(run: Run, repo: Repo) -> None:
    out = run("diff", "board-2023-01", "HEAD", "--color", "never").stdout
    assert out.startswith("Changes from board-2023-01 (")
    assert "of 10 January 2023 to HEAD (" in out
    assert "deadline slipped 183 days: March 2023 → September 2023" in out
    assert out.splitlines()[1:3] == [  # wrapped at the width of a pipe, 100 cells
        "Overall: 2 improved, 1 worsened, 2 impact rated, 1 deadline slipped, 1 added, 1 moved, "
        "1 lead",
        "         changed, 1 with new progress",
    ]
    assert "  2.2  Action 2.2\n        moved from area 2 to area 1\n" in out


def test_diff_defaults_to_head_against_the_working_tree(run: Run, repo: Repo) -> None:
    # Judged as of HEAD's date: the working tree is otherwise judged today, when every
    # action of 2023 has become overdue since.
    assert changes(run, "--as-of", "2023-03-14") == []
    text = (repo.plans / "01-first.yaml").read_text().replace("September 2023", "TBC")
    repo.write({"01-first.yaml": text})
    (change,) = changes(run, "--as-of", "2023-03-14")
    assert (change["kind"], change["from"], change["to"], change["slip_days"]) == (
        "deadline", "September 2023", "TBC", None
    )  # fmt: skip
    one_rev = run("diff", "board-2023-01", "--format", "json")
    assert json.loads(one_rev.stdout)["to"] == "WORKTREE"


def test_diff_markdown_and_step_summary(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = run("diff", "board-2023-01", "HEAD", "--format", "markdown").stdout
    assert out.startswith("## Plan changes: board-2023-01")
    assert "| 1 | 1.1 | Action 1.1 | status green → amber (worse) |" in out
    assert summary.read_text() == out + "\n"


def test_diff_of_a_broken_revision_lists_its_errors(run: Run, repo: Repo) -> None:
    repo.commit("Broken", "2023-03-20", {"01-first.yaml": "id: '1'\ntitle: [\n"})
    result = run("diff", "HEAD~1", "HEAD")
    assert result.exit_code == 1
    assert "HEAD:plans/01-first.yaml:3:1: error [yaml-syntax]" in result.stderr


def test_bad_revision(run: Run, repo: Repo) -> None:
    result = run("diff", "board-1999")
    assert result.exit_code == 2
    assert "'board-1999' is not a commit" in result.stderr


def test_trend_has_one_point_per_commit_touching_the_plan(run: Run, repo: Repo) -> None:
    document = json.loads(run("trend", "--format", "json", "--as-of", "2023-04-01").stdout)
    points = document["points"]
    assert [p["date"] for p in points] == ["2023-01-10", "2023-02-14", "2023-03-14"]
    assert [p["totals"]["actions"] for p in points] == [5, 6, 6]
    assert [p["totals"]["red"] for p in points] == [1, 1, 1]
    assert [p["totals"]["blue"] for p in points] == [0, 0, 1]
    actions = {a["id"]: a for a in document["actions"]}
    assert actions["1.1"]["replanned"] == 2
    assert actions["1.1"]["deadlines"] == ["March 2023", "June 2023", "September 2023"]
    assert (actions["1.1"]["status"], actions["1.1"]["since"]) == ("amber", "2023-02-14")
    assert (actions["2.1"]["since"], actions["2.1"]["days_held"]) == ("2023-01-10", 81)


def test_trend_by_month_and_since(run: Run, repo: Repo) -> None:
    repo.commit("Late March fix", "2023-03-28", {
        "01-first.yaml": (repo.plans / "01-first.yaml").read_text().replace("amber", "red"),
    })  # fmt: skip
    monthly = json.loads(run("trend", "--by", "month", "--format", "json").stdout)["points"]
    assert [p["date"] for p in monthly] == ["2023-01-10", "2023-02-14", "2023-03-28"]
    since_tag = json.loads(run("trend", "--since", "board-2023-01", "--format", "json").stdout)
    assert [p["date"] for p in since_tag["points"]] == ["2023-02-14", "2023-03-14", "2023-03-28"]
    since_date = json.loads(run("trend", "--since", "2023-03-01", "--format", "json").stdout)
    assert [p["date"] for p in since_date["points"]] == ["2023-03-14", "2023-03-28"]
    assert since_date["points"][0]["totals"]["actions"] == 6  # the state carried into the range


def test_trend_terminal_and_chart(run: Run, repo: Repo, tmp_path: Path) -> None:
    chart = tmp_path / "trend.svg"
    result = run("trend", "--as-of", "2023-04-01", "--color", "never", "--chart", chart)
    assert "2023-03-14" in result.stdout and "Re-planned actions (1)" in result.stdout
    assert "1.1    re-planned 2 times: March 2023 → June 2023 → September 2023" in result.stdout
    svg = chart.read_text()
    assert svg.startswith("<svg") and '<title id="t">BRAG ratings through history' in svg
    assert "2023-03-14: 1 blue, 2 green, 1 amber, 1 red, 1 not started" in svg
    assert result.stderr == f"brag trend: wrote {chart}\n"


def test_status_and_report_at_a_revision(run: Run, repo: Repo) -> None:
    then = json.loads(
        run("status", "--rev", "board-2023-01", "--as-of", "2023-01-31", "--format", "json").stdout
    )
    assert then["totals"]["actions"] == 5 and then["totals"]["blue"] == 0
    sha = repo.git("rev-parse", "board-2023-01").strip()
    report = run("report", "--rev", "board-2023-01", "--as-of", "2023-01-31").stdout
    assert f"from the plan as recorded on 10 January 2023 (reference {sha[:7]})." in report


def test_history_commands_outside_git_say_so(
    run: Run, plan_dir: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "nogit" / "plans"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(PLAN)
    (folder / "01.yaml").write_text(area("1", [{"id": "1.1"}]))
    monkeypatch.chdir(tmp_path / "nogit")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for args in (["diff"], ["trend"], ["status", "--rev", "HEAD"], ["report", "--rev", "HEAD"]):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "plans is not in a git repository" in result.stderr, args


def test_png_chart_without_matplotlib_says_how_to_get_it(
    run: Run, repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    result = run("trend", "--chart", tmp_path / "trend.png")
    assert result.exit_code == 2
    assert "a PNG chart needs matplotlib: pip install 'bragcli[chart]'" in result.stderr
    assert not (tmp_path / "trend.png").exists()


def test_chart_format_from_its_suffix(run: Run, repo: Repo, tmp_path: Path) -> None:
    result = run("trend", "--chart", tmp_path / "trend.pdf")
    assert result.exit_code == 2
    assert "a chart is written as .svg or .png" in result.stderr


def test_png_chart(run: Run, repo: Repo, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    chart = tmp_path / "trend.png"
    assert run("trend", "--chart", chart).exit_code == 0
    assert chart.read_bytes().startswith(b"\x89PNG")
