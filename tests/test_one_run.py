"""`brag check` reports everything in one run, so that a plan is fixed in one round.

A schema error in one file hides nothing else: not a duplicate id in another file (or in the
same one), not the warnings of the actions that validate, in the same file or in others; a
path that cannot be checked does not stop the others. Of an area file that fails validation,
the actions that validate are checked by the rules and the cross-file checks like any other,
at their own lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bragcli.source.load import load_plan
from bragcli.source.validate import MAX_PROBLEMS
from conftest import EXAMPLES, Run

AS_OF = "2023-01-31"
#: examples/plan.yaml's roles hold "Principal Social Worker"; any other lead is unknown.
LEAD = "Principal Social Worker"


def action(
    id: str, *, status: str = "green", lead: str = LEAD, deadline: str = "March 2023"
) -> str:
    return (
        f'  - id: "{id}"\n    title: Action {id}\n    lead: {lead}\n'
        f"    deadline: {deadline}\n    status: {status}\n"
    )


def area(id: str, *actions: str, extra: str = "") -> str:
    return f'id: "{id}"\ntitle: Area {id}\n{extra}actions:\n' + "".join(actions)


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """plans/ with examples/plan.yaml; the current folder is its parent."""
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "plan.yaml").write_bytes((EXAMPLES / "plan.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    return folder


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def check(run: Run, *paths: str) -> list[str]:
    result = run("check", *paths, "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    return result.stdout.splitlines()


def test_a_schema_error_does_not_hide_a_duplicate_area_id_in_its_own_file(
    run: Run, plan: Path
) -> None:
    """03 reuses area id 2 and has a bad action: both are reported (the duplicate was not)."""
    write(plan, {
        "02-b.yaml": area("2", action("2.1")),
        "03-c.yaml": area("2", action("3.1", status="purple")),
    })  # fmt: skip
    assert check(run, "plans") == [
        "plans/03-c.yaml:1:1: error [duplicate-id] area id '2' is also used by plans/02-b.yaml; "
        "area ids must be unique",
        "plans/03-c.yaml:8:13: error [unknown-rating] action 3.1: status 'purple' is not one of "
        "blue, green, amber, red, not-started",
    ]


def test_a_schema_error_does_not_hide_the_warnings_of_valid_actions(run: Run, plan: Path) -> None:
    """The valid actions of the broken file, and of the other files, are warned about."""
    write(plan, {
        "01-a.yaml": area(
            "1", action("1.1", status="purple"), action("1.2", lead="Nobody"),
            action("1.3", deadline="TBC"),
        ),
        "02-b.yaml": area("2", action("2.1", lead="Nobody")),
    })  # fmt: skip
    assert check(run, "plans") == [
        "plans/01-a.yaml:8:13: error [unknown-rating] action 1.1: status 'purple' is not one of "
        "blue, green, amber, red, not-started",
        "plans/01-a.yaml:11:11: warning [unknown-lead] action 1.2: lead 'Nobody' is not in the "
        "plan's roles; add it to roles in plan.yaml (--lead filters by role and holder, so this "
        "action is easy to miss)",
        "plans/01-a.yaml:17:15: warning [deadline-not-a-date] action 1.3's deadline 'TBC' is not "
        "a date, so it can never be overdue; give a month or a date when one is agreed",
        "plans/02-b.yaml:6:11: warning [unknown-lead] action 2.1: lead 'Nobody' is not in the "
        "plan's roles; add it to roles in plan.yaml (--lead filters by role and holder, so this "
        "action is easy to miss)",
    ]


def test_the_valid_actions_of_a_broken_file_take_part_in_the_checks_across_files(
    run: Run, plan: Path
) -> None:
    """A duplicate action id and a bad deadline in the valid part of a broken file are errors
    found in the same run as the file's schema error."""
    write(plan, {
        "01-a.yaml": area("1", action("1.1"), action("1.2", deadline="Marhc 2023")),
        "02-b.yaml": area("2", action("2.1", status="purple"), action("1.1")),
    })  # fmt: skip
    assert check(run, "plans") == [
        "plans/01-a.yaml:12:15: error [bad-deadline] action 1.2: deadline 'Marhc 2023' is not a "
        'date bragcli understands; accepted forms include "March 2023", "20/12/2022" and '
        '"Q1 2023/24"',
        "plans/02-b.yaml:8:13: error [unknown-rating] action 2.1: status 'purple' is not one of "
        "blue, green, amber, red, not-started",
        "plans/02-b.yaml:9:9: error [duplicate-id] action id '1.1' is also used at "
        "plans/01-a.yaml:4; action ids must be unique across the plan",
    ]


def test_an_error_outside_the_actions_leaves_every_action_checked(run: Run, plan: Path) -> None:
    """An unknown key and a bad measure at the top of the file hide no action's warning."""
    write(plan, {
        "01-a.yaml": area("1", action("1.1", lead="Nobody"), extra="colour: red\nmeasures: text\n")
    })  # fmt: skip
    lines = check(run, "plans")
    assert [line.split(" [")[1].split("]")[0] for line in lines] == [
        "unknown-key", "wrong-type", "unknown-lead",
    ]  # fmt: skip
    assert lines[2].startswith("plans/01-a.yaml:8:11: warning [unknown-lead] action 1.1:")


def test_an_invalid_area_id_hides_neither_its_actions_nor_other_duplicates(
    run: Run, plan: Path
) -> None:
    """The area's own id is not compared when it is invalid; its actions still are."""
    write(plan, {
        "01-a.yaml": area("1 a", action("2.1")),
        "02-b.yaml": area("2", action("2.1")),
    })  # fmt: skip
    codes = [line.split(": ", 1)[1].split(" [")[1].split("]")[0] for line in check(run, "plans")]
    assert codes == ["bad-id", "duplicate-id"]


def test_what_validated_of_a_broken_file_is_kept_for_the_checks_only(plan: Path) -> None:
    """A plan with errors is not reported on: the broken file's valid actions are in `partial`
    (for the checks), never among the areas a report or a trend counts."""
    write(plan, {
        "01-a.yaml": area("1", action("1.1", status="purple"), action("1.2")),
        "02-b.yaml": area("2", action("2.1")),
    })  # fmt: skip
    loaded = load_plan(plan)
    assert [s.area.id for s in loaded.areas] == ["2"]
    assert [(s.area.id, [a.id for a in s.area.actions]) for s in loaded.partial] == [("1", ["1.2"])]
    assert [a.id for _, _, a in loaded.actions()] == ["2.1", "1.2"]


def test_a_file_with_more_errors_than_are_shown_keeps_nothing_for_the_rules(
    run: Run, plan: Path
) -> None:
    """Past MAX_PROBLEMS the file's errors are not all known, so neither is what is valid: the
    output stays at MAX_PROBLEMS errors and the line saying there is more."""
    bad = [action(f"1.{i}", status="purple") for i in range(MAX_PROBLEMS + 50)]
    write(plan, {"01-a.yaml": area("1", *bad, action("1.999", lead="Nobody"))})
    lines = check(run, "plans")
    assert len(lines) == MAX_PROBLEMS + 1
    assert "too-many-errors" in lines[0]
    assert not any("warning" in line for line in lines)


def test_a_missing_path_does_not_stop_a_broken_plan_being_checked(run: Run, plan: Path) -> None:
    """`brag check plans nowhere`: plans' problems, all of them, and nowhere said missing."""
    write(plan, {"01-a.yaml": area("1", action("1.1", status="purple"), action("1.2", lead="X"))})
    result = run("check", "plans", "nowhere", "--as-of", AS_OF)
    assert [line.split(" [")[1].split("]")[0] for line in result.stdout.splitlines()] == [
        "unknown-rating", "unknown-lead",
    ]  # fmt: skip
    assert result.stderr == (
        "brag: nowhere: no such folder\nbrag check: 1 error, 1 warning (2 files checked)\n"
    )
    assert result.exit_code == 2


def test_every_plan_given_is_checked(run: Run, plan: Path, tmp_path: Path) -> None:
    """Two plan folders, both broken, and a missing one between them: all reported in one run."""
    other = tmp_path / "other"
    other.mkdir()
    write(plan, {"01-a.yaml": area("1", action("1.1", status="purple"))})
    write(other, {"plan.yaml": "title: T\n", "01-a.yaml": area("1", action("1.1", status="x"))})
    result = run("check", "plans", "nowhere", "other", "--as-of", AS_OF)
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "plans/01-a.yaml", "other/01-a.yaml", "other/plan.yaml",
    ]  # fmt: skip
    assert "brag: nowhere: no such folder\n" in result.stderr
    assert result.exit_code == 2
