"""Terminal fit: every view fits the screen in display cells, long text wraps within its
column instead of being cut to a few characters, and when even wrapping cannot fit, columns
are left out in each view's documented order (never the id, the rating or the deadline).

The sample plan's area titles are whole sentences: at 80 columns they used to read
"Corporate…" and "The suffi…", and area 7's two measures both read
"% of children in care with an…".
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from bragcli.render.screen import Cell, Column, Screen, grid, layout, wrap
from bragcli.safetext import visible
from conftest import SAMPLE_AS_OF, SAMPLE_PLAN, Run
from test_history import Repo

WIDTHS = [80, 100, 120, 160]
_SGR = re.compile("\x1b\\[[0-9;]*m")


@pytest.fixture
def sample_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample plan in git, then two ratings changed: diff and trend have rows to show."""
    repo = Repo(tmp_path / "repo")
    files = {p.name: p.read_text(encoding="utf-8") for p in SAMPLE_PLAN.glob("*.yaml")}
    repo.commit("agreed", "2022-12-01", files)
    changed = files["03-risk-of-harm.yaml"].replace("status: green", "status: red", 1)
    repo.commit("January", "2023-01-10", {"03-risk-of-harm.yaml": changed})
    monkeypatch.chdir(repo.root)
    return repo.plans


def _lines(run: Run, monkeypatch: pytest.MonkeyPatch, width: int, *args: str) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(width))
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


VIEWS = {
    "status": ["status", "--as-of", SAMPLE_AS_OF],
    "actions": ["actions", "--as-of", SAMPLE_AS_OF],
    "diff": ["diff", "HEAD~1", "HEAD"],
    "trend": ["trend", "--as-of", "2023-02-01"],
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("color", ["never", "always"])
def test_every_view_fits_and_has_no_trailing_padding(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    sample_history: Path,
    view: str,
    width: int,
    color: str,
) -> None:
    lines = _lines(run, monkeypatch, width, *VIEWS[view], "--color", color)
    shown = [_SGR.sub("", line) for line in lines]
    assert max(cell_len(line) for line in shown) <= width
    assert not [line for line in shown if line != line.rstrip(" ")]


def test_area_titles_wrap_instead_of_being_cut_to_a_word(
    run: Run, monkeypatch: pytest.MonkeyPatch, sample_history: Path
) -> None:
    lines = _lines(run, monkeypatch, 80, *VIEWS["status"])
    text = "\n".join(lines)
    rollup = text[: text.index("Needs attention")]
    assert "Corporate…" not in rollup and "The suffi…" not in rollup
    first = next(i for i, line in enumerate(lines) if line.startswith("1 "))
    assert "Corporate" in lines[first]
    assert lines[first + 1].split()[0] == "responsibility"  # the title goes on below
    # area 7's two measures used to read the same
    measures = text[text.index("Measures that matter") :]
    assert "health" in measures and "dental check" in measures


def test_continuation_lines_start_under_their_column(
    run: Run, monkeypatch: pytest.MonkeyPatch, sample_history: Path
) -> None:
    lines = _lines(run, monkeypatch, 80, *VIEWS["actions"])
    header = next(line for line in lines if line.startswith("ID "))
    action = cell_len(header[: header.index("Action")])
    lead = cell_len(header[: header.index("Lead")])
    row = next(i for i, line in enumerate(lines) if line.startswith("3.1 "))
    follow = lines[row + 1]
    assert cell_len(follow) - cell_len(follow.lstrip(" ")) == action
    assert lines[row][action:].startswith("Confirm Information")
    assert follow[action:].split()[0] == "Sharing"
    assert lines[row][lead:].startswith("Rachel Gillott")


@pytest.mark.parametrize(
    ("width", "headers"),
    [
        (80, ["ID", "Action", "Lead", "Deadline", "Status", "Flags"]),
        (100, ["ID", "Area", "Action", "Lead", "Deadline", "Status", "Impact", "Flags"]),
        (120, ["ID", "Area", "Action", "Lead", "Deadline", "Due", "Status", "Impact", "Flags"]),
        (40, ["ID", "Action", "Deadline", "Status"]),
    ],
)
def test_actions_leaves_out_columns_in_its_documented_order(
    run: Run, monkeypatch: pytest.MonkeyPatch, sample_history: Path, width: int, headers: list[str]
) -> None:
    """Due first, then Area, Impact, Flags and Lead; never the id, deadline or rating."""
    lines = _lines(run, monkeypatch, width, *VIEWS["actions"])
    header = next(line for line in lines if line.startswith("ID "))
    assert header.split() == headers
    assert max(cell_len(line) for line in lines) <= width


def test_status_keeps_ids_ratings_and_deadlines_on_a_narrow_screen(
    run: Run, monkeypatch: pytest.MonkeyPatch, sample_history: Path
) -> None:
    lines = _lines(run, monkeypatch, 50, *VIEWS["status"])
    assert max(cell_len(line) for line in lines) <= 50
    overdue = lines.index("Overdue (1)")
    assert lines[overdue + 1].split() == ["ID", "Action", "Deadline", "Status"]
    assert lines[overdue + 3].startswith("3.1 ") and lines[overdue + 3].endswith("Red")
    assert "January 2022" in lines[overdue + 3]


def test_check_keeps_one_problem_per_line_whatever_the_width(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    wide = _lines(run, monkeypatch, 200, "check", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF)
    narrow = _lines(run, monkeypatch, 40, "check", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF)
    assert narrow == wide
    assert all(re.match(r"\S+\.yaml:\d+:\d+: (error|warning) \[", line) for line in narrow)


def test_a_column_added_with_a_drop_rank_fits_without_touching_the_others() -> None:
    """The layout is data: a view adds a column (say, an area's owner) and states when it may
    be left out; the rest of the table is unchanged in meaning and still fits."""
    columns = [
        Column("ID"),
        Column("Title", ratio=1, max_lines=2),
        Column("Owner", drop=1),
        Column("Status"),
    ]
    rows = [["1.1", "A long title " * 8, "Director of Children's Services", "Not started"]]
    headers = [[c.header] for c in columns]
    wide = layout(100, columns, headers, rows)
    assert wide.shown == [0, 1, 2, 3]
    narrow = layout(50, columns, headers, rows)
    assert narrow.shown == [0, 1, 3]
    out = io.StringIO()
    screen = Screen(out, "never")
    screen.width = 50
    grid(screen, None, columns, rows)
    screen.write()
    lines = out.getvalue().splitlines()
    assert max(map(cell_len, lines)) <= 50
    assert lines[0].split() == ["ID", "Title", "Status"]
    assert lines[2].endswith("Not started") and lines[3].rstrip().endswith("…")


@pytest.mark.parametrize(
    "text",
    [
        "児童相談所の体制強化と人材育成の計画を策定し、関係機関と連携して実施する",
        "👪 families first 🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠🏠",
        "Cafe\u0301 con lec\u0327he: combining accents, e\u0301 e\u0301 e\u0301 e\u0301",
        "https://example.org/" + "x" * 80,
    ],
)
@pytest.mark.parametrize("width", [7, 10, 13])
def test_wrap_fits_every_line_in_cells_and_keeps_every_character(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_a_character_wider_than_the_line_takes_a_line_of_its_own() -> None:
    """At a width of one cell, a two-cell character cannot fit: it is put on a line alone,
    not cut to nothing again and again (which never ended: run aside, so that this fails)."""
    import threading

    got: list[list[str]] = []
    cases = [("中", 1), ("中文 ab", 1), ("中文 ab", 2)]
    worker = threading.Thread(target=lambda: got.extend(wrap(*c) for c in cases), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert got == [["中"], ["中", "文", "a", "b"], ["中", "文", "ab"]]


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab Z.:\t\n\x1f\u00e9"), max_size=60),
    width=st.integers(min_value=1, max_value=25),
)
def test_ascii_text_wraps_a_line_at_a_time_as_it_does_a_word_at_a_time(
    text: str, width: int
) -> None:
    """The quick wrap of ASCII text (what nearly every plan holds) gives exactly the lines of
    the word-by-word wrap, or leaves the text to it (a word longer than a line)."""
    from bragcli.render.screen import _wrap_ascii, _wrap_words

    quick = _wrap_ascii(text, width) if text.isascii() else None
    slow = _wrap_words(text, width)
    if quick is not None:
        assert quick == slow
    elif text.isascii():
        assert any(len(word) > width for word in text.split())
    assert wrap(text, width) == [visible(line) for line in slow]


@pytest.mark.parametrize("width", [12, 30])
def test_a_table_without_colour_is_its_coloured_lines_without_styles(width: int) -> None:
    """Without colour, a table's rows are made as plain text at once (a status of 10,000
    actions has 18,000 lines): the same text as its styled lines, styles dropped."""
    from bragcli.render.screen import _RowPlan

    columns = [
        Column("ID"),
        Column("Title", ratio=2, max_lines=2),
        Column("Days", right=True),
        Column("Lead", ratio=1),
    ]
    plan = _RowPlan(columns, [4, width, 6, width // 2], 2)
    rows: list[list[Cell]] = [
        ["1.1", "Short", "3 days", ("Lead", "bold")],
        ["1.2", "A title long enough to wrap onto more lines than allowed " * 3, "1", "X Y"],
        ["完成", "✅ 完成 児童相談所の体制強化と人材育成の計画を策定し", "", ("", "dim")],
        ["1.4", "https://example.org/" + "x" * 60, "12345678", "Cafe\u0301 lec\u0327he"],
        ["", "", "", ""],
    ]
    for row in rows:
        styled = plan.lines(row)
        assert plan.text(row) == ["".join(p for p, _ in line).rstrip(" ") for line in styled]


def test_a_wrapped_line_never_starts_a_workflow_command() -> None:
    lines = wrap("note ::error file=x::forged", 8)
    assert not [line for line in lines if line.lstrip().startswith("::")]


def test_the_width_of_a_real_terminal_is_read_from_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without COLUMNS, a view on a terminal takes the terminal's own width (a pseudo-terminal
    set to 57 columns here); a stream that says it is a terminal but has no file descriptor,
    and a terminal that reports no width, get the width of a pipe."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    from bragcli.render.screen import MIN_WIDTH, PIPE_WIDTH, screen_width

    monkeypatch.delenv("COLUMNS", raising=False)
    main, secondary = pty.openpty()
    try:
        with open(secondary, "w", closefd=False) as terminal:
            fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 57, 0, 0))
            assert screen_width(terminal) == 57
            fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 9, 0, 0))
            assert screen_width(terminal) == MIN_WIDTH  # too narrow to lay out: the least
            fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 0, 0, 0, 0))
            assert screen_width(terminal) == PIPE_WIDTH  # no width known
    finally:
        os.close(secondary)
        os.close(main)

    class Pretending(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert screen_width(Pretending()) == PIPE_WIDTH
    assert screen_width(io.StringIO()) == PIPE_WIDTH

    class Odd(Pretending):  # a wrapper whose descriptor is not one
        def __init__(self, fileno: object) -> None:
            super().__init__()
            self.number = fileno

        def fileno(self) -> int:
            return self.number  # type: ignore[return-value]

    for fileno in (None, "3", 2**70, -1, 987654):
        assert screen_width(Odd(fileno)) == PIPE_WIDTH, fileno
