"""Hostile plan input in the working tree: what the loader, the model and `brag check` promise.

Each test names the promise it checks. Cases that cannot be a file in the corpus (symbolic
links, files outside the plan, paths named on the command line) are made here at test time;
the others are also in `tests/examples/invalid/` and `tests/examples/valid/`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from bragcli.deadlines import parse_deadline
from bragcli.model import Area, Measure, Plan, Reading
from bragcli.problems import Problem
from bragcli.source import files
from conftest import EXAMPLES, Run

AS_OF = "2023-01-31"
SECRET = "root:$6$s3cr3tHash:19000:0:99999:7:::"
AREA = """\
id: "1"
title: Example area
actions:
  - id: {id}
    title: Do the thing
    lead: Principal Social Worker
    deadline: {deadline}
    status: green
"""
OUTSIDE = (
    "is a symbolic link to a file outside the plan folder; it is not read "
    "(copy the file into the plan folder instead)"
)


def area(id: str = '"1.1"', deadline: str = "March 2023") -> str:
    return AREA.format(id=id, deadline=deadline)


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """plan/ with plan.yaml and one good area; the current folder is its parent."""
    folder = tmp_path / "plan"
    folder.mkdir()
    shutil.copy(EXAMPLES / "plan.yaml", folder / "plan.yaml")
    (folder / "01-area.yaml").write_text(area(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return folder


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the plan folder whose lines look like keys (as /etc/shadow's do)."""
    path = tmp_path / "shadow"
    path.write_text(f"{SECRET}\ndaemon: x\n", encoding="utf-8")
    return path


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every path the working tree source reads, resolved."""
    seen: list[Path] = []
    real = files.file_bytes

    def spy(path: Path, shown: str, max_bytes: int) -> bytes | Problem:
        seen.append(path.resolve())
        return real(path, shown, max_bytes)

    monkeypatch.setattr(files, "file_bytes", spy)
    return seen


def no_secret(result: Result) -> None:
    assert "s3cr3t" not in result.output and "daemon" not in result.output, result.output


# --- symbolic links out of the plan folder ---------------------------------------------------


def test_area_file_linked_outside_the_folder_is_refused_unread(
    run: Run, plan: Path, secret: Path, reads: list[Path]
) -> None:
    """`ln -s /etc/shadow plans/02.yaml`: refused unread, no line of it in any message."""
    (plan / "02.yaml").symlink_to(secret)
    result = run("check", "plan", "--as-of", AS_OF)
    assert result.stdout == f"plan/02.yaml:1:1: error [outside-plan-folder] 02.yaml {OUTSIDE}\n"
    assert result.exit_code == 1
    assert secret.resolve() not in reads
    no_secret(result)


def test_plan_yaml_linked_outside_the_folder_is_refused_unread(
    run: Run, plan: Path, secret: Path, reads: list[Path]
) -> None:
    """plan.yaml that is a link out of the folder is refused the same way as an area file."""
    (plan / "plan.yaml").unlink()
    (plan / "plan.yaml").symlink_to(secret)
    result = run("check", "plan", "--as-of", AS_OF)
    assert f"plan/plan.yaml:1:1: error [outside-plan-folder] plan.yaml {OUTSIDE}\n" in result.stdout
    assert result.exit_code == 1
    assert secret.resolve() not in reads
    no_secret(result)


def test_relative_link_climbing_out_of_the_folder_is_refused(
    run: Run, plan: Path, secret: Path
) -> None:
    """A relative link through `..` is judged by where it ends, not how it is written."""
    (plan / "02.yaml").symlink_to(Path("..") / secret.name)
    result = run("check", "plan", "--as-of", AS_OF)
    assert "[outside-plan-folder]" in result.stdout
    no_secret(result)


def test_link_into_a_sibling_folder_with_a_plan_prefix_is_outside(
    run: Run, plan: Path, tmp_path: Path
) -> None:
    """`plan-other/x.yaml` starts with the folder's name but is not inside it."""
    other = tmp_path / "plan-other"
    other.mkdir()
    (other / "02.yaml").write_text(area('"2.1"').replace('"1"', '"2"', 1), encoding="utf-8")
    (plan / "02.yaml").symlink_to(other / "02.yaml")
    result = run("check", "plan", "--as-of", AS_OF)
    assert "plan/02.yaml:1:1: error [outside-plan-folder]" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_link_to_a_fifo_outside_is_refused_without_opening_it(
    run: Run, plan: Path, tmp_path: Path
) -> None:
    """A link out of the folder to something that would block is refused before any open."""
    os.mkfifo(tmp_path / "pipe")
    (plan / "02.yaml").symlink_to(tmp_path / "pipe")
    result = run("check", "plan", "--as-of", AS_OF)
    assert "plan/02.yaml:1:1: error [outside-plan-folder]" in result.stdout


def test_dangling_link_out_of_the_folder_is_outside_not_unreadable(
    run: Run, plan: Path, tmp_path: Path
) -> None:
    """A link is judged by where it points, as a link stored in git is: a dangling link out
    of the folder is outside-plan-folder too (a dangling link inside stays unreadable)."""
    (plan / "02.yaml").symlink_to(tmp_path / "not-there" / "shadow")
    result = run("check", "plan", "--as-of", AS_OF)
    assert result.stdout == f"plan/02.yaml:1:1: error [outside-plan-folder] 02.yaml {OUTSIDE}\n"


def test_link_that_stays_inside_the_folder_still_loads(run: Run, plan: Path) -> None:
    """Symbolic links inside the plan folder keep working as before."""
    (plan / "shared").mkdir()
    (plan / "shared" / "real.yaml").write_text(
        area('"2.1"').replace('"1"', '"2"', 1), encoding="utf-8"
    )
    (plan / "02.yaml").symlink_to(Path("shared") / "real.yaml")
    result = run("check", "plan", "--as-of", AS_OF, "--strict")
    assert result.stdout == ""
    assert result.exit_code == 0
    assert "2.1" in run("actions", "plan", "--as-of", AS_OF).stdout


def test_plan_folder_reached_through_a_link_still_loads(
    run: Run, plan: Path, tmp_path: Path
) -> None:
    """The folder itself may be a link: files are judged against the folder it resolves to."""
    (tmp_path / "linked").symlink_to(plan)
    result = run("check", "linked", "--as-of", AS_OF, "--strict")
    assert (result.stdout, result.exit_code) == ("", 0)


def test_link_outside_named_explicitly_is_refused_unread(
    run: Run, plan: Path, secret: Path
) -> None:
    """`brag check plans/02.yaml` with 02.yaml a link out: refused, not read."""
    (plan / "02.yaml").symlink_to(secret)
    result = run("check", "plan/02.yaml", "--as-of", AS_OF)
    assert result.stdout == f"plan/02.yaml:1:1: error [outside-plan-folder] 02.yaml {OUTSIDE}\n"
    assert result.exit_code == 1
    no_secret(result)


@pytest.mark.parametrize("command", ["status", "actions", "report", "export"])
def test_reporting_commands_refuse_a_link_outside_without_quoting_it(
    run: Run, plan: Path, secret: Path, command: str, tmp_path: Path
) -> None:
    """Every command that reads the plan refuses the link (exit 1) and prints none of it."""
    (plan / "02.yaml").symlink_to(secret)
    args = ["-o", str(tmp_path / "out.csv")] if command == "export" else []
    result = run(command, "plan", "--as-of", AS_OF, *args)
    assert result.exit_code == 1
    assert "[outside-plan-folder]" in result.stderr
    no_secret(result)


# --- messages quote short, escaped excerpts ------------------------------------------------------

PAYLOAD = "\x1b]0;pwned\x07\x1b[2J\u202e\n::error::forged " + "A" * 10_000


def _with_payload(where: str) -> tuple[str, str]:
    """(file name, text) of a plan file holding PAYLOAD at `where`."""
    quoted = '"' + PAYLOAD.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    action = area()
    cases = {
        "action key": ("01-area.yaml", action + f"    ? {quoted}\n    : x\n"),
        "area key": ("01-area.yaml", action + f"? {quoted}\n: x\n"),
        "status": ("01-area.yaml", action.replace("status: green", f"status: {quoted}")),
        "impact": ("01-area.yaml", action + f"    impact: {quoted}\n"),
        "deadline": ("01-area.yaml", area(deadline=quoted)),
        "updated": ("01-area.yaml", action + f"    updated: {quoted}\n"),
        "lead (a warning)": ("01-area.yaml", action.replace("Principal Social Worker", quoted)),
        "good": (
            "01-area.yaml",
            action + f"measures:\n  - name: M\n    good: {quoted}\n",
        ),
        "target": (
            "01-area.yaml",
            action + f"measures:\n  - name: M\n    good: higher\n    target: {quoted}\n",
        ),
        "reading": (
            "01-area.yaml",
            action
            + f"measures:\n  - name: M\n    readings:\n      - {{period: x, value: {quoted}}}\n",
        ),
        "brag_key rating": (
            "plan.yaml",
            f"title: T\norganisation: O\nbrag_key:\n  ? {quoted}\n  : words\n",
        ),
        "empty role": ("plan.yaml", f"title: T\norganisation: O\nroles:\n  ? {quoted}\n  :\n"),
        "plan key": ("plan.yaml", f"title: T\norganisation: O\n? {quoted}\n: x\n"),
        "start": ("plan.yaml", f"title: T\norganisation: O\nstart: {quoted}\n"),
        "quarters": ("plan.yaml", f"title: T\norganisation: O\nquarters: {quoted}\n"),
    }
    return cases[where]


@pytest.mark.parametrize(
    "where",
    [
        "action key",
        "area key",
        "status",
        "impact",
        "deadline",
        "updated",
        "lead (a warning)",
        "good",
        "target",
        "reading",
        "brag_key rating",
        "empty role",
        "plan key",
        "start",
        "quarters",
    ],
)
def test_messages_quote_only_a_short_escaped_excerpt_of_user_text(
    run: Run, plan: Path, where: str
) -> None:
    """A 10 KB key or value with ESC, BEL, a bidi override and a newline is quoted as a short
    excerpt (40 characters; 100 for a lead, which people need to recognise), escaped: nothing
    reaches the terminal or a CI log raw, and no line starts a workflow command."""
    name, text = _with_payload(where)
    (plan / name).write_text(text, encoding="utf-8")
    result = run("check", "plan", "--as-of", AS_OF)
    assert result.exit_code in (0, 1)
    lines = result.stdout.splitlines()
    assert lines, f"no problem reported for the payload in {where}"
    for line in lines:
        assert len(line) < 400, line[:200]
        assert not any(c in line for c in "\x1b\x07\u202e"), line[:200]
        assert not line.startswith("::"), line[:200]
    assert any("\\x1b]0;pwned\\x07" in line for line in lines), lines
    assert "A" * 100 not in result.stdout


def test_a_ten_kilobyte_key_is_quoted_in_forty_characters(run: Run, plan: Path) -> None:
    """The brief's exact case: a 10 KB key is shown as a 40-character excerpt."""
    (plan / "01-area.yaml").write_text(area() + "? " + "k" * 10_240 + "\n: x\n", encoding="utf-8")
    result = run("check", "plan", "--as-of", AS_OF)
    (line,) = result.stdout.splitlines()
    quoted = line.split("unknown key ", 1)[1].split(";", 1)[0]
    assert quoted == "'" + "k" * 39 + "…'"


# --- look-alike ids ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "named"),
    [
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\u200c", "U+200C ZERO WIDTH NON-JOINER"),
        ("\u200d", "U+200D ZERO WIDTH JOINER"),
        ("\u2060", "U+2060 WORD JOINER"),
        ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("\u00ad", "U+00AD SOFT HYPHEN"),
        ("\u0301", "U+0301 COMBINING ACUTE ACCENT"),
        ("\ufe0f", "U+FE0F VARIATION SELECTOR-16"),
        ("\u00a0", "U+00A0 NO-BREAK SPACE"),
        ("\u3000", "U+3000 IDEOGRAPHIC SPACE"),
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("\x1b", "U+001B ESCAPE"),
        ("\x7f", "U+007F"),
        ("\u3164", "U+3164 HANGUL FILLER"),
        ("\u2800", "U+2800 BRAILLE PATTERN BLANK"),
        ("\U000e0031", "U+E0031 TAG DIGIT ONE"),
        ("\ue000", "U+E000"),
    ],
    ids=lambda v: f"U+{ord(v):04X}" if len(v) == 1 else None,
)
def test_invisible_character_in_an_id_is_a_bad_id_naming_it(
    run: Run, plan: Path, char: str, named: str
) -> None:
    """`1.2` with an invisible, format, control, space or combining character inside is
    refused, with the character named by its code and the id to write instead. (Spaces at
    either end are trimmed from every value, so `1.2` + NBSP is simply `1.2`.)"""
    escaped = char.encode("unicode_escape").decode("ascii")
    (plan / "02.yaml").write_text(
        area(f'"1.{escaped}2"').replace('"1"', '"2"', 1), encoding="utf-8"
    )
    result = run("check", "plan", "--as-of", AS_OF)
    (line,) = result.stdout.splitlines()
    assert line.startswith("plan/02.yaml:4:9: error [bad-id] id '1.")
    assert f" holds {named}" in line
    assert line.endswith("ids must be visible text, so write '1.2'")
    assert result.exit_code == 1


def test_an_id_of_only_invisible_characters_suggests_a_real_id(run: Run, plan: Path) -> None:
    (plan / "01-area.yaml").write_text(area('"\\u200b\\u200b"'), encoding="utf-8")
    result = run("check", "plan", "--as-of", AS_OF)
    assert result.stdout.rstrip().endswith("so write an id such as 2.1")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("1.1", "\uff11.\uff11"),  # fullwidth digits
        ("2a", "2A"),  # case
        ("fi.1", "\ufb01.1"),  # the fi ligature
        ("II.1", "\u2161.1"),  # ROMAN NUMERAL TWO
        ("1.2", "1\uff0e2"),  # fullwidth full stop
        ("Straße", "STRASSE"),  # case-folding, not only lower()
    ],
    ids=["fullwidth", "case", "ligature", "roman-numeral", "fullwidth-stop", "casefold"],
)
def test_ids_equal_after_nfkc_and_casefold_are_duplicates(
    run: Run, plan: Path, first: str, second: str
) -> None:
    """Two action ids that read the same are one id: a duplicate naming both places, never
    two rows that look alike in a report."""
    (plan / "01-area.yaml").write_text(area(f'"{first}"'), encoding="utf-8")
    second_area = area(f'"{second}"').replace('"1"', '"2"', 1)
    (plan / "02-area.yaml").write_text(second_area, encoding="utf-8")
    result = run("check", "plan", "--as-of", AS_OF)
    assert result.stdout == (
        f"plan/02-area.yaml:4:9: error [duplicate-id] action id '{second}' reads the same as "
        f"'{first}' at plan/01-area.yaml:4 (ids are compared ignoring case and character "
        "width); action ids must be unique across the plan\n"
    )
    assert result.exit_code == 1
    status = run("status", "plan", "--as-of", AS_OF)
    assert status.exit_code == 1 and status.stdout == ""


def test_area_ids_equal_after_nfkc_are_duplicates(run: Run, plan: Path) -> None:
    (plan / "02-area.yaml").write_text(
        area('"2.1"').replace('"1"', '"\uff11"', 1), encoding="utf-8"
    )
    result = run("check", "plan", "--as-of", AS_OF)
    assert result.stdout == (
        "plan/02-area.yaml:1:1: error [duplicate-id] area id '\uff11' reads the same as '1' in "
        "plan/01-area.yaml (ids are compared ignoring case and character width); area ids "
        "must be unique\n"
    )


# --- numbers: finite, and one rule in readings and targets --------------------------------------


@pytest.mark.parametrize(
    ("good", "target"),
    [
        ("higher", "1e999"),
        ("lower", "-1e999"),
        ("higher", "9" * 400),
        ("range", "1e308-2e308"),
        ("range", "1 to 1e400"),
    ],
    ids=["1e999", "minus-1e999", "400-digits", "range-1e308-2e308", "range-to-1e400"],
)
def test_a_target_too_large_for_a_float_is_an_error_in_check_not_a_crash_later(
    run: Run, plan: Path, good: str, target: str
) -> None:
    """`target: 1e999` used to pass check and then crash status and report (OverflowError):
    it is a bad-number error at load, so every command fails cleanly with exit 1."""
    (plan / "01-area.yaml").write_text(
        area() + f"measures:\n  - name: M\n    good: {good}\n    target: {target}\n",
        encoding="utf-8",
    )
    result = run("check", "plan", "--as-of", AS_OF)
    (line,) = result.stdout.splitlines()
    assert line.startswith("plan/01-area.yaml:12:13: error [bad-number] measure 'M': target ")
    assert "is too large a number" in line
    for command in ("status", "actions", "report"):
        other = run(command, "plan", "--as-of", AS_OF)
        assert other.exit_code == 1, (command, other.output)
        assert "[bad-number]" in other.stderr


def _reading_accepts(text: str) -> bool:
    try:
        Reading.model_validate({"period": "2023-01", "value": text})
    except ValueError:
        return False
    return True


def _target_accepts(text: str) -> bool:
    try:
        Measure.model_validate({"name": "M", "good": "higher", "target": text})
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("41", True),
        ("-2.5", True),
        ("+7", True),
        (".5", True),
        ("5.", True),
        ("1e3", True),
        ("2.5E-2", True),
        (" 12 ", True),
        ("1_000", False),
        ("1,000", False),
        ("12%", False),
        ("inf", False),
        ("-Infinity", False),
        ("nan", False),
        ("0x10", False),
        ("\u0661\u0662", False),  # Arabic-Indic digits
        ("\uff11\uff12", False),  # fullwidth digits
        ("1e", False),
        ("1e999", False),
        ("9" * 400, False),
    ],
)
def test_one_rule_for_numbers_in_readings_and_targets(text: str, accepted: bool) -> None:
    """A number is plain decimal and finite, the same in a reading and in a target:
    `1_000` is no longer accepted as a reading while refused as a target."""
    assert _reading_accepts(text) is accepted
    assert _target_accepts(text) is accepted


def test_underscored_reading_is_a_bad_number_saying_what_to_write(run: Run, plan: Path) -> None:
    (plan / "01-area.yaml").write_text(
        area() + "measures:\n  - name: M\n    readings:\n      - {period: 2023-01, value: 1_000}\n",
        encoding="utf-8",
    )
    result = run("check", "plan", "--as-of", AS_OF)
    assert result.stdout == (
        "plan/01-area.yaml:12:34: error [bad-number] measure 'M': value '1_000' is not a number; "
        "write plain digits, such as 41, -2.5 or 1e6 (no units, commas or underscores)\n"
    )


# --- dates: one rule (deadlines.parse_date), a day and nothing else ---------------------------


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("2023-01-01", True),
        ("2023-01-01T00:00:00", False),
        ("2023-01-01T10:00:00", False),
        ("2023-01-01 00:00", False),
        ("2023-01-01T00:00:00Z", False),
        ("1672531200", False),
        ("20230101", False),
        ("2023-1-1", True),
        ("01/01/2023", True),
        ("2023-02-29", False),
        ("31/02/23", False),
        ("00/00/00", False),
        ("1 Jan 2023 10:00", False),
    ],
)
def test_one_rule_for_dates_in_updated_and_start(text: str, accepted: bool) -> None:
    """`updated` and `start` take a day (ISO or day first): a datetime at midnight is refused
    like any other time (it used to pass while T10:00:00 failed), and so is a timestamp."""

    def takes(validate: Callable[[], object]) -> bool:
        try:
            validate()
        except ValueError:
            return False
        return True

    action = {"id": "1.1", "title": "t", "lead": "l", "status": "green", "updated": text}
    assert takes(lambda: Area.model_validate({"id": "1", "title": "t", "actions": [action]})) is (
        accepted
    )
    assert takes(
        lambda: Plan.model_validate({"title": "t", "organisation": "o", "start": text})
    ) is (accepted)


# --- two-digit years -------------------------------------------------------------------------


def test_two_digit_year_is_20yy_and_remembered() -> None:
    """The century rule, documented in deadlines: 99 is 2099, never 1999."""
    window = parse_deadline("31/3/99")
    assert window is not None and window.end.isoformat() == "2099-03-31" and window.short_year
    four = parse_deadline("31/3/2099")
    assert four is not None and not four.short_year and four == window


def test_two_digit_year_far_from_the_plan_start_is_a_warning(run: Run, plan: Path) -> None:
    """`31/3/99` is read as 2099 with a warning saying so, not silently."""
    (plan / "01-area.yaml").write_text(area(deadline="31/3/99"), encoding="utf-8")
    result = run("check", "plan", "--as-of", AS_OF)
    assert result.stdout == (
        "plan/01-area.yaml:7:15: warning [two-digit-year] action 1.1: deadline '31/3/99' is "
        "read as 2099 (a two-digit year means 20YY), over 10 years from the plan's start "
        "(2022-07-01); write the year in full\n"
    )
    assert result.exit_code == 0
    assert run("check", "plan", "--as-of", AS_OF, "--strict").exit_code == 1


@pytest.mark.parametrize("deadline", ["31/3/23", "31/3/2099", "March 2099", "Q1 32/33"])
def test_near_or_four_digit_years_give_no_two_digit_year_warning(
    run: Run, plan: Path, deadline: str
) -> None:
    (plan / "01-area.yaml").write_text(area(deadline=f'"{deadline}"'), encoding="utf-8")
    result = run("check", "plan", "--as-of", AS_OF)
    assert "two-digit-year" not in result.stdout


def test_two_digit_year_without_a_plan_start_is_judged_from_the_as_of_date(
    run: Run, plan: Path
) -> None:
    (plan / "plan.yaml").write_text("title: T\norganisation: O\n", encoding="utf-8")
    (plan / "01-area.yaml").write_text(area(deadline="1/1/45"), encoding="utf-8")
    result = run("check", "plan", "--as-of", AS_OF)
    assert "over 10 years from the as-of date (2023-01-31)" in result.stdout


# --- brag check on files named explicitly ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("plan/.draft.yaml", "not a plan file: hidden"),
        ("plan/x.yml.bak", "not a plan file: not a .yaml file"),
        ("README.md", "not a plan file: not a .yaml file"),
        ("passwd", "not a plan file: not a .yaml file"),
        ("plan/notes.txt", "not a plan file: not a .yaml file"),
    ],
)
def test_a_named_file_that_is_not_a_plan_file_is_refused_not_passed(
    run: Run, plan: Path, name: str, reason: str
) -> None:
    """`brag check plans/.draft.yaml` (or README.md, /etc/passwd) used to say "no problems
    (1 file checked)" without parsing it: it is refused with a reason, exit 2."""
    Path(name).write_text("id: [unclosed\nroot:x:0:0\n", encoding="utf-8")
    result = run("check", name, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"brag: {name}: {reason}")
    assert "no problems" not in result.output
    assert result.stdout == ""


def test_a_named_yaml_file_is_parsed_and_its_problems_reported(run: Run, plan: Path) -> None:
    (plan / "02.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = run("check", "plan/02.yaml", "--as-of", AS_OF)
    assert result.stdout.startswith("plan/02.yaml:2:1: error [yaml-syntax]")
    assert result.stderr == "brag check: 1 error (1 file checked)\n"
    assert result.exit_code == 1


def test_a_named_plan_yaml_is_checked_as_plan_yaml(run: Run, plan: Path) -> None:
    (plan / "plan.yaml").write_text("title: T\norganisaton: O\n", encoding="utf-8")
    result = run("check", "plan/plan.yaml", "--as-of", AS_OF)
    assert "plan/plan.yaml:2:1: error [unknown-key] unknown key 'organisaton'" in result.stdout
    assert result.exit_code == 1


def test_a_named_yaml_file_outside_any_plan_is_checked_as_an_area(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .yaml file in a folder that is not a plan is still parsed: never a false pass."""
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / "area.yaml").write_text("title: no id\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("check", "loose/area.yaml", "--as-of", AS_OF)
    assert result.stdout == "loose/area.yaml:1:1: error [missing-key] missing required key 'id'\n"
    assert result.exit_code == 1


def test_a_missing_path_does_not_stop_the_others_being_checked(run: Run, plan: Path) -> None:
    """`brag check plans nowhere` reports `nowhere` as missing AND checks `plans` (exit 2)."""
    (plan / "01-area.yaml").write_text(area(deadline="TBC"), encoding="utf-8")
    result = run("check", "plan", "nowhere", "nowhere.yaml", "--as-of", AS_OF)
    assert result.stdout.startswith("plan/01-area.yaml:7:15: warning [deadline-not-a-date]")
    assert result.stderr == (
        "brag: nowhere: no such folder\n"
        "brag: nowhere.yaml: no such file\n"
        "brag check: 1 warning (2 files checked)\n"
    )
    assert result.exit_code == 2


def test_a_refused_path_before_a_good_one_still_fails_the_run(run: Run, plan: Path) -> None:
    """Exit 2 wins over a clean plan: a wrong path in CI must not pass unnoticed."""
    Path("README.md").write_text("# hi\n", encoding="utf-8")
    result = run("check", "README.md", "plan", "--as-of", AS_OF)
    assert result.stderr.endswith("brag check: no problems (2 files checked)\n")
    assert result.exit_code == 2
