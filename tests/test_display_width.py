"""Every terminal view fits the screen and keeps its columns in line, measured in cells.

A terminal shows a CJK character or most emoji in two cells and a combining accent in none.
Before the grid measured in cells, a title such as "✅ 完成" pushed the rest of its row three
columns to the right. Each view is run at 80, 100 and 120 columns (COLUMNS, as a terminal
sets it) on a plan whose ids, titles, leads and notes hold CJK, emoji and combining
characters, and every line is measured with rich.cells.cell_len, as the terminal shows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import Run
from test_history import Repo

WIDTHS = [80, 100, 120, 160]
#: How each rating word starts (a narrow screen cuts "Not started" to "Not start…")
WORDS = ("Blue", "Green", "Amber", "Red", "Not st")
AS_OF = "2023-04-01"
_SGR = re.compile("\x1b\\[[0-9;]*m")

PLAN = """\
title: 改善計画 — Plan de mejora
organisation: Ayuntamiento de Cádiz 市役所
start: 2022-07-01
roles:
  Director de Servicios: José Pérez
  児童福祉課長: 山田 太郎
"""

#: (id, title, lead, deadline, status, notes): wide, zero-width and plain text side by side
ACTIONS = [
    ("1.1", "✅ 完成", "児童福祉課長", "March 2023", "red", ["会議を開催した 🎉"]),
    ("1.2", "Plain ASCII title that is long enough to be cut in a narrow terminal window",
     "Director de Servicios", "January 2023", "amber", []),
    ("1.3", "Cafe\u0301 con lec\u0327he: combining accents, e\u0301 e\u0301 e\u0301 e\u0301",
     "Director de Servicios", "June 2023", "green", []),
    ("完成-4", "児童相談所の体制強化と人材育成の計画を策定し、関係機関と連携して実施する",
     "児童福祉課長", "December 2022", "amber", ["🎉🎉🎉 " * 20]),
    ("1.5", "👪 families first 🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠", "児童福祉課長",
     "March 2023", "not-started", []),
    ("1.6", "Ωμέγα ελληνικά", "Director de Servicios", "February 2023", "blue", []),
]  # fmt: skip


def area_yaml(actions: list[tuple[str, str, str, str, str, list[str]]], title: str) -> str:
    lines = ['id: "1"', f'title: "{title}"', "actions:"]
    for action_id, action_title, lead, deadline, status, notes in actions:
        lines += [
            f'  - id: "{action_id}"',
            f'    title: "{action_title}"',
            f'    lead: "{lead}"',
            f"    deadline: {deadline}",
            f"    status: {status}",
            "    impact: green",
        ]
        if notes:
            lines.append("    progress:")
            lines += [f'      - "{note}"' for note in notes]
    lines += [
        "measures:",
        '  - name: "子どもの割合 ✅ — a measure with a long name that has to be cut somewhere"',
        "    good: higher",
        '    target: "75"',
        '    unit: "%"',
        "    readings:",
        "      - {period: 2022-12, value: 41}",
        "      - {period: 2023-03, value: 52}",
    ]
    return "\n".join(lines) + "\n"


AREA_TITLE = "子どもの安全 ✅ Seguridad de la infancia, e\u0301"


@pytest.fixture
def wide_plan(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (folder / "01-area.yaml").write_text(area_yaml(ACTIONS, AREA_TITLE), encoding="utf-8")
    return folder


@pytest.fixture
def wide_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two commits of the plan: in the second, every action changes rating and deadline."""
    repo = Repo(tmp_path / "repo")
    before = [(i, t, lead, "May 2022", "green", []) for i, t, lead, _d, _s, _n in ACTIONS]
    repo.commit("January", "2023-01-10",
                {"plan.yaml": PLAN, "01-area.yaml": area_yaml(before, AREA_TITLE)})  # fmt: skip
    repo.commit("March", "2023-03-10", {"01-area.yaml": area_yaml(ACTIONS, AREA_TITLE)})
    monkeypatch.chdir(repo.root)
    return repo.plans


def view(run: Run, monkeypatch: pytest.MonkeyPatch, width: int, *args: str | Path) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(width))
    result = run(*args, "--color", "never")
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def assert_fits(lines: list[str], width: int) -> None:
    too_wide = [(cell_len(line), line) for line in lines if cell_len(line) > width]
    assert not too_wide, f"lines wider than {width} cells: {too_wide}"


def offset_of(line: str, cells: int) -> str | None:
    """What `line` shows from cell `cells` on; None when a character straddles that cell."""
    used = 0
    for i, char in enumerate(line):
        if used == cells:
            return line[i:]
        used += cell_len(char)
        if used > cells:
            return None
    return "" if used == cells else None


def header_cell(lines: list[str], header: str) -> tuple[int, int]:
    """The header line's index and the cell where `header` starts in it."""
    for index, line in enumerate(lines):
        match = re.search(rf"(?<!\S){re.escape(header)}(?!\S)", line)
        if match:
            return index, cell_len(line[: match.start()])
    raise AssertionError(f"no header {header!r} in {lines}")


def rows_under(lines: list[str], start: int) -> Iterator[str]:
    """The first line of each table row below the header line `start`: after its rule, up to
    a blank line. A row's other lines (its wrapped titles and leads) start with white space."""
    index = start + 1
    assert set(lines[index]) == {"─"}, lines[index]
    for line in lines[index + 1 :]:
        if not line or re.fullmatch(r"\d+ actions?", line):
            return
        if not line.startswith(" "):
            yield line


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", ["status", "actions"])
def test_status_and_actions_fit_the_width(
    run: Run, monkeypatch: pytest.MonkeyPatch, wide_plan: Path, command: str, width: int
) -> None:
    lines = view(run, monkeypatch, width, command, wide_plan, "--as-of", AS_OF)
    assert len(lines) > 10
    assert_fits(lines, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_actions_status_column_lines_up_on_every_row(
    run: Run, monkeypatch: pytest.MonkeyPatch, wide_plan: Path, width: int
) -> None:
    lines = view(run, monkeypatch, width, "actions", wide_plan, "--as-of", AS_OF)
    header, cell = header_cell(lines, "Status")
    rows = list(rows_under(lines, header))
    assert len(rows) == len(ACTIONS)
    for row in rows:
        shown = offset_of(row, cell)
        assert shown is not None and shown.startswith(WORDS), (cell, row)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_status_view_columns_line_up_on_every_row(
    run: Run, monkeypatch: pytest.MonkeyPatch, wide_plan: Path, width: int
) -> None:
    lines = view(run, monkeypatch, width, "status", wide_plan, "--as-of", AS_OF)
    # Overdue at 1 April: all but June's 1.3 and February's blue 1.6; each row's rating sits
    # under "Status".
    header, cell = header_cell(lines, "Status")
    rows = list(rows_under(lines, header))
    assert len(rows) == 4
    for row in rows:
        shown = offset_of(row, cell)
        assert shown is not None and shown.startswith(WORDS), (cell, row)
    # The roll-up: the area's counts end where the Total column's header ends.
    header, cell = header_cell(lines, "Total")
    (row,) = rows_under(lines, header)
    shown = offset_of(row, cell)
    assert shown is not None and shown.startswith("    6"), (cell, row)


def test_a_wide_title_no_longer_shifts_its_row(
    run: Run, monkeypatch: pytest.MonkeyPatch, wide_plan: Path
) -> None:
    """The bug: "✅ 完成" (5 characters, 7 cells) pushed its row's later columns 2 cells right."""
    lines = view(run, monkeypatch, 120, "actions", wide_plan, "--as-of", AS_OF)
    _header, deadline = header_cell(lines, "Deadline")
    row = next(line for line in lines if "✅ 完成" in line)
    plain = next(line for line in lines if line.startswith("1.6 "))
    assert cell_len(row[: row.index("March 2023")]) == deadline
    assert cell_len(row[: row.index("Red")]) == cell_len(plain[: plain.index("Blue")])


@pytest.mark.parametrize("width", WIDTHS)
def test_diff_fits_the_width(
    run: Run, monkeypatch: pytest.MonkeyPatch, wide_history: Path, width: int
) -> None:
    lines = view(run, monkeypatch, width, "diff", "HEAD~1", "HEAD")
    assert any("✅ 完成" in line for line in lines)
    assert any("完成-4" in line for line in lines)
    assert_fits(lines, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_trend_fits_the_width_and_its_ratings_line_up(
    run: Run, monkeypatch: pytest.MonkeyPatch, wide_history: Path, width: int
) -> None:
    lines = view(run, monkeypatch, width, "trend", "--as-of", AS_OF)
    assert_fits(lines, width)
    heading = next(i for i, line in enumerate(lines) if line.startswith("Red and amber actions"))
    # each action's first line (its title wraps onto lines indented past the rating)
    rows = [row for row in lines[heading + 1 :] if re.match(r"  \S", row)]
    assert {row.split()[0] for row in rows} == {"1.1", "1.2", "完成-4"}
    cells = set()
    for row in rows:
        word = next(w for w in ("Amber", "Red") if f" {w} " in row)
        cells.add(cell_len(row[: row.index(f" {word} ") + 1]))
    assert len(cells) == 1, rows


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", ["status", "actions", "diff", "trend"])
def test_colour_adds_no_width(
    run: Run, monkeypatch: pytest.MonkeyPatch, wide_history: Path, command: str, width: int
) -> None:
    """In colour the same lines, styled: what the terminal shows is as wide as without."""
    args = {"status": [wide_history, "--as-of", AS_OF], "actions": [wide_history, "--as-of", AS_OF],
            "diff": ["HEAD~1", "HEAD"], "trend": ["--as-of", AS_OF]}[command]  # fmt: skip
    monkeypatch.setenv("COLUMNS", str(width))
    coloured = run(command, *args, "--color", "always").stdout
    assert "\x1b[" in coloured
    plain = run(command, *args, "--color", "never").stdout
    shown = [_SGR.sub("", line).rstrip(" ") for line in coloured.splitlines()]
    assert shown == plain.splitlines()
    assert_fits(shown, width)
