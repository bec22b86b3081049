"""Hostile spreadsheets for `brag import` (and what export writes for them).

Import must never lose an action, write outside its folder, write through a link, write a file
`brag check` then refuses, or read without bound. Each case asserts the exit code, the message
and what is (or is not) on disk.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from bragcli.load import load_plan
from bragcli.spreadsheet import csv_bytes, import_actions, read_rows, xlsx_bytes
from conftest import SAMPLE_AS_OF, Run

# --- what export writes comes back ------------------------------------------------------------

ESCAPE_TITLES = ["'=x", "''x", "'+1", "=SUM(A1)", '\uff1dHYPERLINK("http://evil")', "'", "-1"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_gives_back_the_same_text(run: Run, tmp_path: Path, suffix: str) -> None:
    """Promise: "'=x" exported and imported again is "'=x" (csv_safe and import agree)."""
    plan = tmp_path / "plans"
    plan.mkdir()
    (plan / "plan.yaml").write_text("title: Plan\norganisation: Council\n")
    actions = "".join(
        f'  - id: "1.{n}"\n    title: {json.dumps(title)}\n    lead: L\n    status: green\n'
        for n, title in enumerate(ESCAPE_TITLES, 1)
    )
    (plan / "01-a.yaml").write_text(f'id: "1"\ntitle: A\nactions:\n{actions}')
    assert [a.title for a in load_plan(plan).areas[0].area.actions] == ESCAPE_TITLES
    sheet = tmp_path / f"out{suffix}"
    assert run("export", plan, "-o", sheet, "--as-of", SAMPLE_AS_OF).exit_code == 0
    imported = import_actions(read_rows(sheet))
    assert imported.problems == []
    assert [a.title for a in imported.areas[0].actions] == ESCAPE_TITLES


def test_fullwidth_formula_signs_are_neutralised_in_csv() -> None:
    """Promise: fullwidth (and small) = + - @ at the start of a cell are made text too."""
    titles = ["\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20SUM(A1)", "\ufe661"]
    data = csv_bytes([["action"], *([t] for t in titles)]).decode("utf-8-sig")
    cells = [row[0] for row in csv.reader(data.splitlines()[1:])]
    assert cells == ["'" + t for t in titles]


def test_nul_and_control_characters_never_pass_raw(tmp_path: Path) -> None:
    """Promise: NUL (and ESC) are written escaped in CSV and in xlsx, never raw or dropped."""
    rows = [["id", "action"], ["1.1", "a\x00b\x1b[2Jc"]]
    data = csv_bytes(rows)
    assert b"\x00" not in data and b"\x1b" not in data
    assert "a\\x00b\\x1b[2Jc" in data.decode("utf-8-sig")
    path = tmp_path / "t.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    assert read_rows(path)[1] == ["1.1", "a\\x00b\\x1b[2Jc"]
