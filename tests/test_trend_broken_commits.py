"""brag trend: a commit whose plan does not load is shown as such, and never feeds re-plan
counts or how long an action has held its rating ("re-planned 3 times" for one move)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from board_cycles import Board, action, area_yaml, plan_yaml
from conftest import Run


@pytest.fixture
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Board:
    """January: 1.1 due March. March: moved once to Summer 2023. April: a broken commit (a
    new row reused the id 1.1, with another deadline). May and July: fixed, 1.1 still Summer."""
    b = Board(tmp_path / "repo")
    b.cycle("2023-01-17", {
        "plan.yaml": plan_yaml(),
        "01-quality.yaml": area_yaml("1", [action("1.1", status="amber"), action("1.2")]),
    })  # fmt: skip
    b.cycle("2023-03-21", {
        "01-quality.yaml": area_yaml("1", [
            action("1.1", status="amber", deadline="Summer 2023"), action("1.2"),
        ]),
    })  # fmt: skip
    b.cycle("2023-04-12", {
        "01-quality.yaml": area_yaml("1", [
            action("1.1", status="amber", deadline="Summer 2023"), action("1.2"),
            action("1.1", title="A new row", status="red", deadline="Winter 2023"),
        ]),
    })  # fmt: skip
    for when in ("2023-05-16", "2023-07-18"):
        b.cycle(when, {
            "01-quality.yaml": area_yaml("1", [
                action("1.1", status="amber", deadline="Summer 2023", updated=when),
                action("1.2"),
            ]),
        })  # fmt: skip
    monkeypatch.chdir(b.root)
    return b


def trend_json(run: Run) -> dict[str, object]:
    result = run("trend", "--format", "json", "--as-of", "2023-07-18")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_a_broken_commit_does_not_count_as_re_plans(run: Run, board: Board) -> None:
    found = {a["id"]: a for a in trend_json(run)["actions"]}  # type: ignore[attr-defined]
    assert found["1.1"]["replanned"] == 1
    assert found["1.1"]["deadlines"] == ["March 2023", "Summer 2023"]
    # Amber since January: the broken commit's red row never reset how long it was held.
    assert found["1.1"]["since"] == "2023-01-17"


def test_a_broken_commit_is_marked_not_loaded_in_json(run: Run, board: Board) -> None:
    points = trend_json(run)["points"]
    assert [p["loaded"] for p in points] == [True, True, False, True, True]  # type: ignore[index]
    broken = points[2]  # type: ignore[index]
    assert broken["date"] == "2023-04-12" and broken["errors"] >= 1
    assert broken["totals"] is None  # no counts: its partial counts would read as a dip


def test_a_broken_commit_is_marked_in_the_table(run: Run, board: Board) -> None:
    out = run("trend", "--as-of", "2023-07-18", "--color", "never").stdout
    row = next(line for line in out.splitlines() if line.startswith("2023-04-12"))
    assert "did not load" in row
    assert "1 error" in row
    assert "re-planned 1 time: March 2023 → Summer 2023" in out


def test_a_broken_commit_is_a_marked_gap_in_the_chart(run: Run, board: Board) -> None:
    result = run("trend", "--as-of", "2023-07-18", "--chart", "trend.svg")
    assert result.exit_code == 0, result.stderr
    svg = (board.root / "trend.svg").read_text(encoding="utf-8")
    assert "2023-04-12: did not load" in svg
    # The desc for screen readers says so too, rather than counting nothing.
    assert "2023-04-12: did not load (1 error)" in svg
    # Four bars of two actions each: no bar for the broken commit.
    assert svg.count('<rect x="') - 5 == 4 * 2  # five legend swatches


def test_markdown_and_csv_mark_the_broken_commit(run: Run, board: Board) -> None:
    md = run("trend", "--as-of", "2023-07-18", "--format", "markdown").stdout
    row = next(line for line in md.splitlines() if "2023-04-12" in line)
    assert "did not load" in row
    csv = run("trend", "--as-of", "2023-07-18", "--format", "csv").stdout.splitlines()
    assert csv[0].endswith(",errors,loaded")
    assert csv[3].endswith(",no") and csv[4].endswith(",yes")
