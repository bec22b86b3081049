"""`brag check` end to end: output streams, formats, exit codes, paths."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_AS_OF, SAMPLE_PLAN, Run

GOLDEN = Path(__file__).parent / "golden"

AREA = """\
id: "1"
title: Example area
actions:
  - id: "1.1"
    title: Do the thing
    lead: Principal Social Worker
    deadline: {deadline}
    status: {status}
"""


def test_sample_plan_reports_exactly_the_sources_oddities(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = run("check", "plans", "--as-of", SAMPLE_AS_OF)
    assert result.stdout == (GOLDEN / "check-sample.txt").read_text(encoding="utf-8")
    assert result.stderr == "brag check: 17 warnings (11 files checked)\n"
    assert result.exit_code == 0
    codes = {line.split("[")[1].split("]")[0] for line in result.stdout.splitlines()}
    assert codes == {"unknown-lead", "deadline-before-start", "deadline-not-a-date"}


def test_default_path_is_plans(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert (
        run("check", "--as-of", SAMPLE_AS_OF).stdout
        == run("check", "plans", "--as-of", SAMPLE_AS_OF).stdout
    )


def test_strict_fails_on_warnings(run: Run) -> None:
    result = run("check", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, "--strict")
    assert result.exit_code == 1


def test_clean_plan_exits_zero_and_says_so(run: Run, plan_dir: Callable[..., Path]) -> None:
    folder = plan_dir({"01.yaml": AREA.format(deadline="March 2023", status="green")})
    result = run("check", folder, "--as-of", "2023-01-31", "--strict")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "brag check: no problems (2 files checked)\n"


def test_errors_exit_one(run: Run, plan_dir: Callable[..., Path]) -> None:
    folder = plan_dir({"01.yaml": AREA.format(deadline="March 2023", status="purple")})
    result = run("check", folder, "--as-of", "2023-01-31")
    assert result.exit_code == 1
    assert "[unknown-rating] action 1.1: status 'purple'" in result.stdout
    assert result.stderr.endswith("1 error (2 files checked)\n")


def test_as_of_changes_what_is_overdue(run: Run, plan_dir: Callable[..., Path]) -> None:
    folder = plan_dir({"01.yaml": AREA.format(deadline="March 2023", status="green")})
    assert run("check", folder, "--as-of", "2023-03-31").stdout == ""
    late = run("check", folder, "--as-of", "2023-04-01").stdout
    assert (
        "[overdue-green] action 1.1 is rated green but its deadline 'March 2023' passed 1 day"
        in late
    )


def test_stale_days_option(run: Run, plan_dir: Callable[..., Path]) -> None:
    area = AREA.format(deadline="March 2023", status="green") + "    updated: 2023-01-01\n"
    folder = plan_dir({"01.yaml": area})
    assert run("check", folder, "--as-of", "2023-01-31").stdout == ""
    assert (
        "[stale-progress]"
        in run("check", folder, "--as-of", "2023-01-31", "--stale-days", "20").stdout
    )


def test_json_format(run: Run, plan_dir: Callable[..., Path]) -> None:
    folder = plan_dir({"01.yaml": AREA.format(deadline="TBC", status="green")})
    result = run("check", folder, "--as-of", "2023-01-31", "--format", "json")
    document = json.loads(result.stdout)
    assert document["summary"] == {"errors": 0, "warnings": 1, "files": 2}
    (problem,) = document["problems"]
    assert problem["code"] == "deadline-not-a-date"
    assert (problem["line"], problem["col"], problem["level"]) == (7, 15, "warning")
    assert problem["path"].endswith("01.yaml")


def test_one_broken_file_does_not_hide_the_others(run: Run, plan_dir: Callable[..., Path]) -> None:
    folder = plan_dir(
        {
            "01.yaml": "id: '1'\ntitle: [unclosed\n",
            "02.yaml": AREA.replace('"1"', '"2"')
            .replace("1.1", "2.1")
            .format(deadline="March 2023", status="bleu"),
        }
    )
    out = run("check", folder, "--as-of", "2023-01-31").stdout
    assert "01.yaml:3:1: error [yaml-syntax]" in out
    assert "02.yaml:8:13: error [unknown-rating]" in out


def test_a_file_argument_narrows_the_report(run: Run, plan_dir: Callable[..., Path]) -> None:
    folder = plan_dir(
        {
            "01.yaml": AREA.format(deadline="TBC", status="green"),
            "02.yaml": AREA.replace('"1"', '"2"')
            .replace("1.1", "1.1")
            .format(deadline="TBC", status="green"),
        }
    )
    out = run("check", folder / "02.yaml", "--as-of", "2023-01-31").stdout.splitlines()
    assert len(out) == 2
    assert all(line.startswith(str(folder / "02.yaml:")) for line in out)
    assert "02.yaml:4:9: error [duplicate-id] action id '1.1' is also used at" in out[0]


def test_missing_path_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    result = run("check", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"brag: {tmp_path / 'nowhere'}: no such folder\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "31/02/2023"], "'31/02/2023' is not a real date: February 2023 has 28 days"),
        (["--format", "xml"], "'xml' is not one of"),
        (["--stale-days", "-1"], "'-1' is not a whole number of days from 0 to 36500"),
    ],
)
def test_bad_options_exit_two(run: Run, args: list[str], message: str) -> None:
    result = run("check", SAMPLE_PLAN, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_max_file_size_option(run: Run, plan_dir: Callable[..., Path]) -> None:
    folder = plan_dir({"01.yaml": AREA.format(deadline="March 2023", status="green")})
    result = run("check", folder, "--as-of", "2023-01-31", "--max-file-size", "0.0001")
    assert "[file-too-large]" in result.stdout
    assert result.exit_code == 1


def test_github_format_annotates_and_still_prints_the_report(
    run: Run, plan_dir: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    area = AREA.format(deadline="March 2023", status="purple").replace(
        "Do the thing", "Fix 100%, then go"
    )
    folder = plan_dir({"a,b:c.yaml": area})
    monkeypatch.chdir(folder)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")  # chosen automatically under GitHub Actions
    out = run("check", ".", "--as-of", "2023-01-31").stdout.splitlines()
    assert out == [
        "::error file=a%2Cb%3Ac.yaml,line=8,col=13,title=brag check [unknown-rating]::"
        "action 1.1: status 'purple' is not one of blue, green, amber, red, not-started",
        "a,b:c.yaml:8:13: error [unknown-rating] action 1.1: status 'purple' is not one of "
        "blue, green, amber, red, not-started",
    ]
    assert run("check", ".", "--format", "text").stdout.startswith("a,b:c.yaml:8:13")


def test_github_escapes_newlines_and_percent_in_messages() -> None:
    from bragcli.problems import error
    from bragcli.render.problem_formats import github

    buffer = io.StringIO()
    github([error("p.yaml", 1, 2, "x", "50% done\nnext, line")], 1, buffer)
    assert buffer.getvalue().splitlines()[0] == (
        "::error file=p.yaml,line=1,col=2,title=brag check [x]::50%25 done%0Anext, line"
    )


def test_step_summary(run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run("check", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF)
    text = summary.read_text()
    assert text.startswith("earlier step\n### brag check\n\n17 warnings (11 files checked)\n")
    assert text.count("| warning | unknown-lead |") == 15
