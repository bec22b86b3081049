"""brag status and brag actions tell a board straight, with the plan played through the
boards of January, March, May and July 2023 in git (tests/board_cycles.py):

overdue counts per rating, impact counts that cannot be read as numbers, area owners and the
board's own ratings, measures with their previous reading and unit, stale and missing
readings, --lead matching area owners and saying what it may miss, --source, and baselines
with re-plan counts from history."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from board_cycles import INTERIM, SCRUTINY, Board, play_2023
from conftest import Run

JULY = "2023-07-18"


@pytest.fixture
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Board:
    b = play_2023(Board(tmp_path / "repo"))
    monkeypatch.chdir(b.root)
    return b


def as_json(run: Run, command: str, *args: str) -> Any:
    result = run(command, "plans", "--as-of", JULY, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def text(run: Run, command: str, *args: str) -> str:
    result = run(command, "plans", "--as-of", JULY, "--color", "never", *args)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


# --- totals -----------------------------------------------------------------------------------


def test_totals_say_how_many_of_each_rating_are_overdue(run: Run, board: Board) -> None:
    totals = as_json(run, "status")["totals"]
    assert totals["green"] == 4
    assert totals["overdue_by_status"] == {
        "blue": 0, "green": 1, "amber": 0, "red": 1, "not-started": 0,
    }  # fmt: skip
    assert sum(totals["overdue_by_status"].values()) == totals["overdue"] == 2
    assert "Green 4 (1 overdue)" in text(run, "status")


def test_a_not_started_action_past_its_deadline_counts_as_overdue(run: Run, board: Board) -> None:
    """In March, 1.2 was Not started and its deadline (March 2023) not yet passed; as of the
    May board it had been overdue for 46 days while still Not started."""
    board.git("checkout", "-q", "board-2023-03")
    totals = as_json(run, "status", "--as-of", "2023-05-16")["totals"]
    assert totals["overdue_by_status"]["not-started"] == 1
    assert "Not started 1 (1 overdue)" in text(run, "status", "--as-of", "2023-05-16")


def test_impact_counts_use_letters_not_a_minus_sign(run: Run, board: Board) -> None:
    out = text(run, "status")
    rollup = out.split("Needs attention")[0]
    area_1 = next(line for line in rollup.splitlines() if line.startswith("1 "))
    assert area_1.split()[-1] == "N1"  # impact: one action rated Not started
    assert " -" not in rollup.replace(" – ", "")
    assert "N not started" in rollup  # the key under the table


# --- area owners and the board's own ratings ---------------------------------------------------


def test_status_shows_area_owners_and_the_boards_ratings(run: Run, board: Board) -> None:
    document = as_json(run, "status")
    first, second = document["areas"]
    assert first["lead"] == ["Service Director (Improvement)"]
    assert first["holders"] == ["Gail Hancock"]
    assert (first["status"], first["impact"]) == ("green", "amber")
    assert first["totals"]["red"] == 1  # the board says green beside a red action
    assert (second["holders"], second["status"]) == ([INTERIM], None)


def test_area_owner_row_reads_beside_the_counts(run: Run, board: Board) -> None:
    out = text(run, "status")
    row = next(line for line in out.splitlines() if "Gail Hancock" in line)
    assert "Green    Amber    G2 A1 R1" in row
    assert row.rstrip().endswith("2")


def test_actions_carry_their_areas_owner_and_ratings(run: Run, board: Board) -> None:
    rows = {a["id"]: a for a in as_json(run, "actions")}
    assert rows["1.3"]["area_lead"] == ["Service Director (Improvement)"]
    assert (rows["1.3"]["area_status"], rows["1.3"]["area_impact"]) == ("green", "amber")
    assert rows["2.1"]["area_lead"] == ["Head of Quality Assurance"]
    assert "Gail Hancock, Service Director (Improvement)" in text(run, "actions")


# --- measures ---------------------------------------------------------------------------------


def measures(run: Run) -> dict[str, Any]:
    return {m["name"]: m for m in as_json(run, "status")["measures"]}


def test_a_change_in_percent_is_in_percentage_points_with_the_previous_reading(
    run: Run, board: Board
) -> None:
    on_time = measures(run)["Assessments completed on time"]
    assert (on_time["value"], on_time["period"]) == (81, "2023-05")
    assert (on_time["previous"], on_time["previous_period"]) == (77, "2021-22")
    assert (on_time["change"], on_time["change_unit"]) == (4, "pp")
    out = text(run, "status")
    assert "81% in 2023-05 · before: 77% in 2021-22 · +4 pp, better" in out
    assert "+4%" not in out


def test_an_old_reading_is_flagged_stale(run: Run, board: Board) -> None:
    found = measures(run)
    assert found["Re-referrals"]["stale"] is True  # December 2022, monthly: 3 months' grace
    assert found["Assessments completed on time"]["stale"] is False
    assert "22% in 2022-12 · stale" in text(run, "status")
    # In March the December figure was still current.
    march = {m["name"]: m for m in as_json(run, "status", "--as-of", "2023-03-21")["measures"]}
    assert march["Re-referrals"]["stale"] is False


def test_a_measure_with_no_readings_is_shown_as_no_data_yet(run: Run, board: Board) -> None:
    carers = measures(run)["Foster carers recruited"]
    assert carers["has_data"] is False and carers["value"] is None
    out = text(run, "status")
    assert "No data yet (1)" in out
    assert "Foster carers recruited" in out
    md = run("status", "plans", "--as-of", JULY, "--format", "markdown").stdout
    assert "| 2 | Foster carers recruited | no data yet |" in md


# --- --lead and --source ----------------------------------------------------------------------


def test_lead_matches_the_area_owner_and_says_what_it_may_miss(run: Run, board: Board) -> None:
    document = as_json(run, "actions", "--lead", "hancock")
    # Gail Hancock owns area 1: all its actions, although none is led by her role.
    assert [a["id"] for a in document] == ["1.1", "1.2", "1.3", "1.4"]
    status = as_json(run, "status", "--lead", "hancock")
    # 2.2 is led by "Service Director Improvement", not in the roles glossary.
    assert status["filters"]["lead_not_in_roles"] == ["2.2"]
    out = text(run, "actions", "--lead", "hancock")
    assert "1 other action may be missed" in out
    assert "not in the roles glossary" in out
    assert out.rstrip().endswith("4 actions") or "4 actions" in out
    # the board paper says it too
    md = run("status", "plans", "--as-of", JULY, "--lead", "hancock", "--format", "markdown")
    assert "**Note:** 1 other action may be missed: its lead is not in the roles glossary" in (
        md.stdout
    )
    assert ": 2.2\n" in md.stdout


def test_lead_without_misses_says_nothing_of_them(run: Run, board: Board) -> None:
    status = as_json(run, "status", "--lead", "Service Director Improvement")
    assert [a["id"] for a in status["actions"]] == ["1.4", "2.2"]
    assert status["filters"]["lead_not_in_roles"] == []
    assert "may be missed" not in text(run, "status", "--lead", "Service Director Improvement")
    md = run("status", "plans", "--as-of", JULY, "--lead", "Service Director Improvement",
             "--format", "markdown").stdout  # fmt: skip
    assert "may be missed" not in md


def test_source_filter_is_a_substring_in_any_case(run: Run, board: Board) -> None:
    document = as_json(run, "status", "--source", "SCRUTINY")
    assert [a["id"] for a in document["actions"]] == ["1.1"]
    assert document["actions"][0]["source"] == [SCRUTINY]
    assert document["totals"]["actions"] == 1
    assert document["filters"]["source"] == "SCRUTINY"
    assert [a["id"] for a in as_json(run, "actions", "--source", "ofsted")] == ["1.2"]
    assert "Showing only source matching 'SCRUTINY'" in text(run, "status", "--source", "SCRUTINY")


def test_a_hostile_source_filter_is_shown_escaped(run: Run, board: Board) -> None:
    out = text(run, "status", "--source", "\x1b[31mred\nline")
    assert "\x1b" not in out
    assert "No actions" in out or "Showing only source matching" in out


# --- baselines and re-plans --------------------------------------------------------------------


def test_actions_json_carries_baseline_deadline_and_re_plans(run: Run, board: Board) -> None:
    rows = {a["id"]: a for a in as_json(run, "actions")}
    # 1.3: March 2023 in January, May 2023 in March, Summer 2023 since May.
    assert (rows["1.3"]["baseline"], rows["1.3"]["deadline"]) == ("March 2023", "Summer 2023")
    assert rows["1.3"]["replanned"] == 2
    # 1.1 was given `baseline: February 2023` in May: a move made before it was in git.
    assert (rows["1.1"]["baseline"], rows["1.1"]["replanned"]) == ("February 2023", 1)
    assert (rows["1.4"]["baseline"], rows["1.4"]["replanned"]) == ("December 2023", 0)


def test_show_replans_says_first_agreed_now_and_how_often(run: Run, board: Board) -> None:
    for command in ("status", "actions"):
        out = text(run, command, "--show-replans")
        assert "1.3 first agreed March 2023, now Summer 2023, re-planned 2 times" in out
        assert "1.4 first agreed" not in out
    assert "first agreed" not in text(run, "status")


def test_re_plans_at_an_earlier_board(run: Run, board: Board) -> None:
    rows = {a["id"]: a for a in as_json(run, "actions", "--rev", "board-2023-03")}
    assert (rows["1.3"]["baseline"], rows["1.3"]["deadline"]) == ("March 2023", "May 2023")
    assert rows["1.3"]["replanned"] == 1


def test_a_move_in_the_working_tree_counts_too(run: Run, board: Board) -> None:
    area = board.plans / "01-leadership.yaml"
    area.write_text(area.read_text().replace("Summer 2023", "Autumn 2023"), encoding="utf-8")
    rows = {a["id"]: a for a in as_json(run, "actions")}
    assert (rows["1.3"]["deadline"], rows["1.3"]["replanned"]) == ("Autumn 2023", 3)


def test_without_git_the_count_is_not_known(run: Run, board: Board, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(board.plans, copy / "plans")
    result = run("actions", str(copy / "plans"), "--as-of", JULY, "--format", "json")
    rows = {a["id"]: a for a in json.loads(result.stdout)}
    assert (rows["1.3"]["baseline"], rows["1.3"]["replanned"]) == (None, None)
    assert (rows["1.1"]["baseline"], rows["1.1"]["replanned"]) == ("February 2023", None)
    out = run(
        "status", str(copy / "plans"), "--as-of", JULY, "--show-replans", "--color", "never"
    ).stdout
    assert "1.1 first agreed February 2023, now March 2023" in out
    assert "(no git history), so re-plans are not counted" in " ".join(out.split())


# --- at 80 columns ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["status", "actions"])
def test_the_new_views_fit_80_columns(
    run: Run, board: Board, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = text(run, command, "--show-replans", "--lead", "hancock")
    assert max(cell_len(line) for line in out.splitlines()) <= 80


# --- CSV --------------------------------------------------------------------------------------


def test_csv_carries_overdue_per_rating_owners_sources_and_re_plans(run: Run, board: Board) -> None:
    import csv
    import io

    out = run("status", "plans", "--as-of", JULY, "--format", "csv").stdout
    rows = {r["area"]: r for r in csv.DictReader(io.StringIO(out))}
    assert (rows["total"]["overdue_green"], rows["total"]["overdue_red"]) == ("1", "1")
    assert rows["1"]["area_lead"] == "Service Director (Improvement)"
    assert (rows["1"]["area_status"], rows["1"]["area_impact"]) == ("green", "amber")
    out = run("actions", "plans", "--as-of", JULY, "--format", "csv", "--show-replans").stdout
    actions = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert actions["1.1"]["source"] == SCRUTINY
    assert (actions["1.3"]["baseline"], actions["1.3"]["replanned"]) == ("March 2023", "2")
    # Without --show-replans, history is not read: the count is not known.
    out = run("actions", "plans", "--as-of", JULY, "--format", "csv").stdout
    assert next(csv.DictReader(io.StringIO(out)))["replanned"] == ""


def test_a_formula_in_a_source_stays_text_in_csv(run: Run, board: Board) -> None:
    import csv
    import io

    area = board.plans / "01-leadership.yaml"
    area.write_text(area.read_text().replace(SCRUTINY, "=SUM(1+1)"), encoding="utf-8")
    out = run("actions", "plans", "--as-of", JULY, "--format", "csv").stdout
    first = next(csv.DictReader(io.StringIO(out)))
    assert first["source"].startswith("'=")


def test_hostile_area_owner_and_holder_are_shown_escaped(
    run: Run, plan_dir: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = (
        "title: T\norganisation: O\nroles:\n"
        '  "Owner\\e]8;;http://x\\e\\\\": "Eve\\e[2J\\nMallory"\n'
    )
    area = (
        'id: "1"\ntitle: Area\nlead: "Owner\\e]8;;http://x\\e\\\\"\nstatus: green\n'
        "actions:\n"
        '  - {id: "1.1", title: A, lead: "Owner\\e]8;;http://x\\e\\\\", deadline: March 2023,'
        " status: green}\n"
    )
    folder = plan_dir({"01.yaml": area}, plan=plan)
    monkeypatch.setenv("COLUMNS", "80")
    for command in ("status", "actions"):
        result = run(command, str(folder), "--as-of", JULY, "--color", "never", "--lead", "eve")
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout
        assert "Eve\\x1b[2J" in result.stdout
        assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80
    document = as_json_at(run, folder)
    assert document["areas"][0]["holders"] == ["Eve\x1b[2J\nMallory"]


def as_json_at(run: Run, folder: Path) -> Any:
    result = run("status", str(folder), "--as-of", JULY, "--format", "json")
    assert "\x1b" not in result.stdout  # escaped as \u001b in JSON
    return json.loads(result.stdout)
