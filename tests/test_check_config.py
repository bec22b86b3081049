"""Choosing the warnings: `checks:` in plan.yaml, `brag check --disable/--enable/--stale-days`,
which wins, what cannot be turned off, hostile values for all of them; and `brag check`
reporting everything it can in one run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, SAMPLE_AS_OF, SAMPLE_PLAN, Run

AS_OF = "2023-01-31"
PLAN = (EXAMPLES / "plan.yaml").read_text(encoding="utf-8")
#: One action with three warnings: unknown-lead (8:11), deadline-not-a-date (9:15) and
#: stale-progress (11:14, 61 days old).
AREA = """\
id: "1"
title: Example area
actions:
  - id: "1.1"
    title: Do the thing
    lead:
      - Principal Social Worker
      - Nobody we know
    deadline: TBC
    status: green
    updated: 2022-12-01
"""
ALL_THREE = {"unknown-lead", "deadline-not-a-date", "stale-progress"}

MakePlan = Callable[..., Path]


def codes(stdout: str) -> set[str]:
    return {line.split("[", 1)[1].split("]", 1)[0] for line in stdout.splitlines()}


def check(run: Run, folder: Path, *args: str) -> tuple[int, str, str]:
    result = run("check", folder, "--as-of", AS_OF, *args)
    return result.exit_code, result.stdout, result.stderr


def with_checks(section: str) -> str:
    return PLAN + section


# --- plan.yaml's checks: --------------------------------------------------------------------


def test_without_checks_every_warning_on_by_default_is_reported(
    run: Run, plan_dir: MakePlan
) -> None:
    assert codes(check(run, plan_dir({"01.yaml": AREA}))[1]) == ALL_THREE


def test_a_plan_can_silence_a_warning_it_has_accepted_and_pass_strict(
    run: Run, plan_dir: MakePlan
) -> None:
    section = "checks:\n  disable: [unknown-lead, deadline-not-a-date]\n  stale_days: 90\n"
    folder = plan_dir({"01.yaml": AREA}, plan=with_checks(section))
    assert check(run, folder, "--strict") == (0, "", "brag check: no problems (2 files checked)\n")


def test_a_single_code_may_be_written_without_a_list(run: Run, plan_dir: MakePlan) -> None:
    folder = plan_dir({"01.yaml": AREA}, plan=with_checks("checks:\n  disable: unknown-lead\n"))
    assert codes(check(run, folder)[1]) == ALL_THREE - {"unknown-lead"}


def test_an_empty_checks_section_changes_nothing(run: Run, plan_dir: MakePlan) -> None:
    for section in ("checks:\n", "checks: {}\n", "checks:\n  disable:\n  enable: []\n"):
        folder = plan_dir({"01.yaml": AREA}, plan=with_checks(section))
        assert codes(check(run, folder)[1]) == ALL_THREE, section


def test_enable_turns_on_a_warning_that_is_off_by_default(run: Run, plan_dir: MakePlan) -> None:
    area = AREA.replace("    updated: 2022-12-01\n", "")
    folder = plan_dir({"01.yaml": area})
    assert "missing-updated" not in codes(check(run, folder)[1])
    folder = plan_dir({"01.yaml": area}, plan=with_checks("checks:\n  enable: [missing-updated]\n"))
    _, out, _ = check(run, folder)
    assert "01.yaml:10:13: warning [missing-updated] action 1.1 is green but has no updated " in out


def test_stale_days_in_the_plan_is_used_and_the_option_wins(run: Run, plan_dir: MakePlan) -> None:
    folder = plan_dir({"01.yaml": AREA}, plan=with_checks("checks:\n  stale_days: 61\n"))
    assert "stale-progress" not in codes(check(run, folder)[1])  # 61 days old: not over 61
    _, out, _ = check(run, folder, "--stale-days", "60")
    assert "(over 60); ask the lead for an update" in out
    folder = plan_dir({"01.yaml": AREA}, plan=with_checks("checks:\n  stale_days: 60\n"))
    assert "(over 60)" in check(run, folder)[1]
    assert "stale-progress" not in codes(check(run, folder, "--stale-days", "61")[1])


# --- the command line wins ------------------------------------------------------------------


def test_disable_and_enable_on_the_command_line(run: Run, plan_dir: MakePlan) -> None:
    folder = plan_dir({"01.yaml": AREA})
    _, out, _ = check(run, folder, "--disable", "unknown-lead", "--disable", "stale-progress")
    assert codes(out) == {"deadline-not-a-date"}
    assert check(run, folder, "--disable", "deadline-not-a-date", "--strict")[0] == 1
    quiet = ("--disable", "unknown-lead", "--disable", "stale-progress")
    assert check(run, folder, *quiet, "--disable", "deadline-not-a-date", "--strict")[0] == 0


def test_the_command_line_wins_over_plan_yaml(run: Run, plan_dir: MakePlan) -> None:
    section = "checks:\n  disable: [unknown-lead]\n  enable: [missing-updated]\n"
    area = AREA.replace("    updated: 2022-12-01\n", "")
    folder = plan_dir({"01.yaml": area}, plan=with_checks(section))
    assert codes(check(run, folder)[1]) == {"deadline-not-a-date", "missing-updated"}
    _, out, _ = check(run, folder, "--enable", "unknown-lead", "--disable", "missing-updated")
    assert codes(out) == {"deadline-not-a-date", "unknown-lead"}


def test_each_folder_follows_its_own_plan_yaml(
    run: Run, plan_dir: MakePlan, tmp_path: Path
) -> None:
    quiet = plan_dir({"01.yaml": AREA}, plan=with_checks("checks:\n  disable: [unknown-lead]\n"))
    loud = tmp_path / "loud"
    loud.mkdir()
    (loud / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (loud / "01.yaml").write_text(AREA, encoding="utf-8")
    _, out, _ = check(run, quiet, str(loud))
    lead_lines = [line for line in out.splitlines() if "[unknown-lead]" in line]
    assert len(lead_lines) == 1 and lead_lines[0].startswith(str(loud))


def test_json_output_reflects_the_choice(run: Run, plan_dir: MakePlan) -> None:
    folder = plan_dir({"01.yaml": AREA})
    _, out, _ = check(run, folder, "--disable", "unknown-lead", "--format", "json")
    summary = json.loads(out)["summary"]
    assert summary == {"errors": 0, "warnings": 2, "files": 2}


# --- errors cannot be turned off, and unknown codes are refused -----------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--disable", "unknwn-lead"),
            "Invalid value for '--disable': 'unknwn-lead' is not a warning of brag check; "
            "did you mean 'unknown-lead'?",
        ),
        (
            ("--disable", "bad-id"),
            "Invalid value for '--disable': 'bad-id' is an error, and errors are always "
            "reported: only warnings can be disabled or enabled (fix what it reports instead)",
        ),
        (("--enable", "yaml-syntax"), "'yaml-syntax' is an error, and errors are always"),
        (
            ("--disable", "all"),
            "'all' is not a warning of brag check; the warnings are deadline-not-a-date, "
            "deadline-before-start, two-digit-year, unknown-lead, overdue-green, "
            "overdue-not-started, blue-without-impact, impact-unevidenced, stale-progress, "
            "missing-updated, area-rating-optimistic, stale-reading, id-area-mismatch",
        ),
        (("--disable", ""), "Invalid value for '--disable': '' is not a warning"),
        (("--stale-days", "1e3"), "'1e3' is not a whole number of days from 0 to 36500"),
    ],
)
def test_a_code_that_is_not_a_warning_is_a_usage_error(
    run: Run, args: tuple[str, ...], message: str
) -> None:
    result = run("check", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert message in result.stderr


def test_a_hostile_code_on_the_command_line_is_escaped(run: Run) -> None:
    result = run("check", SAMPLE_PLAN, "--disable", "unknown-lead\n::error::pwned\x1b]0;x\x07")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\n::error" not in result.stderr
    assert "'unknown-lead\\n::error::pwned\\x1b]0;x\\x07' is not a warning" in result.stderr
    huge = run("check", SAMPLE_PLAN, "--enable", "x" * 100_000)
    assert huge.exit_code == 2 and len(huge.stderr) < 1000


def test_the_same_code_enabled_and_disabled_on_the_command_line_is_refused(run: Run) -> None:
    result = run("check", SAMPLE_PLAN, "--disable", "unknown-lead", "--enable", "unknown-lead")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "brag: --disable and --enable both name 'unknown-lead'; give one\n"


# --- hostile checks: in plan.yaml -----------------------------------------------------------

PLAN_LINES = len(PLAN.splitlines())


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        (
            "checks:\n  disable: [unknown-lead, unknwn-lead]\n",
            "+1:27: error [invalid-value] item 2: 'unknwn-lead' is not a warning of brag check; "
            "did you mean 'unknown-lead'?",
        ),
        (
            "checks:\n  disable:\n    - bad-id\n",
            "+2:7: error [invalid-value] item 1: 'bad-id' is an error, and errors are always "
            "reported: only warnings can be disabled or enabled (fix what it reports instead)",
        ),
        (
            "checks:\n  disable: all\n",
            "+1:12: error [invalid-value] item 1: 'all' is not a warning of brag check; the "
            "warnings are deadline-not-a-date, deadline-before-start, two-digit-year, "
            "unknown-lead, overdue-green, overdue-not-started, blue-without-impact, "
            "impact-unevidenced, stale-progress, missing-updated, area-rating-optimistic, "
            "stale-reading, id-area-mismatch",
        ),
        (
            'checks:\n  enable: ["unknown\\nlead\\e[2J"]\n',
            "+1:12: error [invalid-value] item 1: 'unknown\\nlead\\x1b[2J' is not a warning of "
            "brag check; did you mean 'unknown-lead'?",
        ),
        (
            "checks:\n  disable: [unknown-lead]\n  enable: [unknown-lead]\n",
            "+1:3: error [invalid-value] checks: 'unknown-lead' is both in disable and in "
            "enable; keep one",
        ),
        (
            "checks: [unknown-lead]\n",
            "+0:9: error [wrong-type] 'checks' should be a mapping of keys, not a list",
        ),
        (
            "checks: unknown-lead\n",
            "+0:9: error [wrong-type] 'checks' should be a mapping of keys, not the text "
            "'unknown-lead'",
        ),
        (
            "checks:\n  stale-days: 60\n",
            "+1:3: error [unknown-key] unknown key 'stale-days'; did you mean 'stale_days'?",
        ),
        (
            "checks:\n  stale_days: 99999999999999999999999999\n",
            "+1:15: error [bad-number] stale_days '99999999999999999999999999' is not a whole "
            "number of days from 0 to 36500 (100 years), e.g. 30",
        ),
        (
            "checks:\n  stale_days: 36501\n",
            "+1:15: error [bad-number] stale_days '36501' is not a whole number of days",
        ),
        (
            "checks:\n  stale_days: -1\n",
            "+1:15: error [bad-number] stale_days '-1' is not a whole number of days",
        ),
        (
            "checks:\n  stale_days: 6.5\n",
            "+1:15: error [bad-number] stale_days '6.5' is not a whole number of days",
        ),
        (
            "checks:\n  stale_days: [60]\n",
            "+1:15: error [bad-number] stale_days a list is not a number",
        ),
        (
            "checks:\n  disable: [{unknown-lead: yes}]\n",
            "+1:13: error [wrong-type] item 1 should be text, not a mapping",
        ),
    ],
    ids=lambda v: v.splitlines()[-1][:40] if isinstance(v, str) else "",
)
def test_hostile_checks_in_plan_yaml_are_positioned_errors(
    run: Run, plan_dir: MakePlan, section: str, expected: str
) -> None:
    """Every bad value under checks: is an error at its line and column (lines counted from
    the `checks:` line, written here as +N), escaped, on one line; never a crash."""
    folder = plan_dir({"01.yaml": AREA}, plan=with_checks(section))
    code, out, err = check(run, folder)
    offset, rest = expected[1:].split(":", 1)
    line = f"{folder / 'plan.yaml'}:{PLAN_LINES + 1 + int(offset)}:{rest}"
    assert any(shown.startswith(line) for shown in out.splitlines()), out
    assert code == 1 and "internal error" not in err
    assert "\x1b" not in out


def test_a_valid_stale_days_at_the_limits(run: Run, plan_dir: MakePlan) -> None:
    for days, stale in (("0", True), ("36500", False), ('"61"', False)):
        folder = plan_dir({"01.yaml": AREA}, plan=with_checks(f"checks:\n  stale_days: {days}\n"))
        code, out, _ = check(run, folder)
        assert code == 0 and ("stale-progress" in codes(out)) is stale, days


# --- brag status and brag actions use checks: stale_days too --------------------------------


def _stale_flags(run: Run, folder: Path, *args: str) -> list[bool]:
    result = run("actions", folder, "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return [row["stale"] for row in json.loads(result.stdout)]


def test_actions_and_status_honour_stale_days_from_plan_yaml(run: Run, plan_dir: MakePlan) -> None:
    default = plan_dir({"01.yaml": AREA})
    assert _stale_flags(run, default) == [True]  # 61 days > 42
    folder = plan_dir({"01.yaml": AREA}, plan=with_checks("checks:\n  stale_days: 90\n"))
    assert _stale_flags(run, folder) == [False]
    assert _stale_flags(run, folder, "--stale-days", "30") == [True]
    status = run("status", folder, "--as-of", AS_OF, "--format", "json")
    assert [a["stale"] for a in json.loads(status.stdout)["actions"]] == [False]


# --- everything in one run ------------------------------------------------------------------


def test_a_broken_file_does_not_hide_another_files_warnings(run: Run, plan_dir: MakePlan) -> None:
    broken = "id: '2'\ntitle: Broken\nactions:\n  - id: '2.1'\n    title: [unclosed\n"
    folder = plan_dir({"01.yaml": AREA, "02.yaml": broken})
    code, out, err = check(run, folder)
    assert code == 1
    assert codes(out) == ALL_THREE | {"yaml-syntax"}
    assert err == "brag check: 1 error, 3 warnings (3 files checked)\n"


def test_an_invalid_action_file_does_not_hide_another_files_warnings(
    run: Run, plan_dir: MakePlan
) -> None:
    invalid = AREA.replace('"1"', '"2"').replace("1.1", "2.1").replace("green", "purple")
    folder = plan_dir({"01.yaml": AREA, "02.yaml": invalid})
    _, out, _ = check(run, folder)
    assert codes(out) == ALL_THREE | {"unknown-rating"}


def test_a_broken_plan_yaml_still_lets_the_rules_that_need_none_of_it_run(
    run: Run, plan_dir: MakePlan
) -> None:
    """plan.yaml's roles are unknown, so unknown-lead cannot be judged; the rest can."""
    folder = plan_dir({"01.yaml": AREA}, plan=PLAN.replace("organisation:", "organization:"))
    code, out, _ = check(run, folder)
    assert code == 1
    assert codes(out) == {"missing-key", "unknown-key", "deadline-not-a-date", "stale-progress"}
    # With checks: unreadable, the command line still chooses.
    _, out, _ = check(run, folder, "--disable", "stale-progress", "--stale-days", "10")
    assert codes(out) == {"missing-key", "unknown-key", "deadline-not-a-date"}


def test_a_broken_checks_section_leaves_the_defaults(run: Run, plan_dir: MakePlan) -> None:
    folder = plan_dir(
        {"01.yaml": AREA}, plan=with_checks("checks:\n  disable: [deadline-not-a-dat]\n")
    )
    code, out, _ = check(run, folder)
    assert code == 1
    assert codes(out) == {"invalid-value", "deadline-not-a-date", "stale-progress"}
