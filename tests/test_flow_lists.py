"""Area files that write their lists in flow style (`actions: [{...}, {...}]`, `progress: [a,
b]`) take added and removed actions and added notes like block lists do: the item goes in
(or out) in the list's own layout, and every other byte stays."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from pathlib import Path

import pytest

from bragcli.model import Action, Note
from bragcli.planedit import AreaEdit, EditRefused
from bragcli.source.load import area_result
from bragcli.source.yamlread import read_bytes
from conftest import EXAMPLES, Run
from test_plan_edit import changed_lines

AS_OF = "2023-01-10"
ONE_A_LINE = """\
id: "4"
title: Flow actions, one a line
actions: [
  {id: "4.1", title: First, lead: Head of Service, deadline: May 2023, status: green},  # first
  # a comment between items
  {id: "4.2", title: Second, lead: Head of Service, deadline: May 2023, status: amber},
  {id: "4.3", title: Third, lead: Head of Service, deadline: May 2023, status: red}   # last
]
outcomes: []
"""
ON_ONE_LINE = (
    'id: "4"\ntitle: Flow actions on one line\nactions: [{id: "4.1", title: First, lead: L, '
    'status: green}, {id: "4.2", title: Second, lead: L, status: red}]  # all\n'
)


def edit_of(text: str) -> AreaEdit:
    raw = text.encode()
    loaded = area_result(read_bytes(raw, "04-flow.yaml"))
    assert not isinstance(loaded, list), loaded
    return AreaEdit(raw, "04-flow.yaml", loaded.area)


NEW = Action(id="4.9", title="Added: with a colon", lead=["Head of Service"], status="red")  # type: ignore[arg-type]


def test_an_action_goes_in_on_a_line_of_its_own() -> None:
    edit = edit_of(ONE_A_LINE)
    edit.add_action(NEW)
    removed, added = changed_lines(ONE_A_LINE.encode(), edit.finish())
    assert removed == [
        '  {id: "4.3", title: Third, lead: Head of Service, deadline: May 2023, status: red}   '
        "# last\n"
    ]
    assert added == [
        '  {id: "4.3", title: Third, lead: Head of Service, deadline: May 2023, status: red},   '
        "# last\n",
        "  {id: \"4.9\", title: 'Added: with a colon', lead: Head of Service, status: red}\n",
    ]


FIRST = '  {id: "4.1", title: First, lead: Head of Service, deadline: May 2023, status: green},'
SECOND = '  {id: "4.2", title: Second, lead: Head of Service, deadline: May 2023, status: amber},'
THIRD = '  {id: "4.3", title: Third, lead: Head of Service, deadline: May 2023, status: red}'
BETWEEN = "  # a comment between items"


@pytest.mark.parametrize(
    ("ids", "items"),
    [
        (["4.1"], [BETWEEN, SECOND, THIRD + "   # last"]),
        (["4.2"], [FIRST + "  # first", BETWEEN, THIRD + "   # last"]),  # its comment stays
        (["4.3"], [FIRST + "  # first", BETWEEN, SECOND[:-1]]),  # the comma before it goes
        (["4.1", "4.2"], [THIRD + "   # last"]),  # the comment between the two goes with them
        (["4.2", "4.3"], [FIRST[:-1] + "  # first", BETWEEN]),
    ],
)
def test_actions_go_out_with_their_lines(ids: list[str], items: list[str]) -> None:
    edit = edit_of(ONE_A_LINE)
    for action_id in ids:
        edit.remove_action(action_id)
    lines = ONE_A_LINE.splitlines()
    assert edit.finish().decode().splitlines() == [*lines[:3], *items, *lines[-2:]]


def test_removed_and_added_together() -> None:
    edit = edit_of(ONE_A_LINE)
    edit.remove_action("4.3")
    edit.add_action(NEW)
    after = edit.finish().decode()
    assert "4.3" not in after
    assert after.splitlines()[5:8] == [
        '  {id: "4.2", title: Second, lead: Head of Service, deadline: May 2023, status: amber},',
        "  {id: \"4.9\", title: 'Added: with a colon', lead: Head of Service, status: red},",
        "]",
    ]
    every = edit_of(ONE_A_LINE)
    for action_id in ("4.1", "4.2", "4.3"):
        every.remove_action(action_id)
    every.add_action(NEW)
    assert 'actions: [\n  {id: "4.9"' in every.finish().decode()


def test_a_list_on_one_line() -> None:
    edit = edit_of(ON_ONE_LINE)
    edit.add_action(NEW)
    edit.remove_action("4.1")
    assert edit.finish().decode().splitlines()[2] == (
        'actions: [{id: "4.2", title: Second, lead: L, status: red}, {id: "4.9", title: '
        "'Added: with a colon', lead: Head of Service, status: red}]  # all"
    )
    gone = edit_of(ON_ONE_LINE)
    gone.remove_action("4.1")
    gone.remove_action("4.2")
    assert gone.finish().decode().splitlines()[2] == "actions: []  # all"


def test_a_file_in_flow_style_throughout_takes_every_kind_of_change() -> None:
    path = EXAMPLES / "valid" / "flow-style.yaml"
    raw = path.read_bytes()
    loaded = area_result(read_bytes(raw, str(path)))
    assert not isinstance(loaded, list)
    edit = AreaEdit(raw, str(path), loaded.area)
    for action in loaded.area.actions[1:]:  # 12.1 is removed
        edit.set_value(action.id, "status", "red")
        edit.set_value(action.id, "updated", date(2024, 1, 1))
        edit.set_value(action.id, "lead", [*action.lead, "Extra: role"])
        edit.add_notes(action.id, [Note(text="- a note"), Note(text="b", date=date(2024, 1, 2))])
    edit.remove_action("12.1")
    edit.add_action(NEW.model_copy(update={"id": "12.9"}))
    edit.set_area_value("status", "amber")
    after = edit.finish().decode()  # raises unless it reads back as the changed area
    assert after.count("\n") == raw.decode().count("\n") - 1  # 12.1's two lines out, 12.9 in
    assert 'progress: [First, "Second: quoted", "- a note", {2024-01-02: b}]' in after


def test_a_note_goes_into_a_flow_progress_list_in_its_layout() -> None:
    text = (
        'id: "4"\ntitle: T\nactions:\n  - id: "4.1"\n    title: A\n    lead: L\n'
        "    status: green\n    progress: [\n      First,\n      Second,   # trailing comma\n"
        "    ]\n"
    )
    edit = edit_of(text)
    edit.add_notes("4.1", [Note(text="Third: dated", date=date(2023, 1, 9))])
    removed, added = changed_lines(text.encode(), edit.finish())
    assert removed == []
    assert added == ['      {2023-01-09: "Third: dated"},\n']


def test_a_progress_that_is_one_text_is_refused_naming_its_line() -> None:
    text = 'id: "4"\ntitle: T\nactions:\n  - id: "4.1"\n    title: A\n    lead: L\n' + (
        "    status: green\n    progress: One text\n"
    )
    edit = edit_of(text)
    with pytest.raises(EditRefused, match=r"04-flow.yaml:8: the progress of action '4.1' is one "
                                          r"text, not a list; write it as a list"):  # fmt: skip
        edit.add_notes("4.1", [Note(text="More")])


def test_import_update_adds_and_removes_in_a_flow_list(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    shutil.copytree(EXAMPLES / "edit", folder)
    (folder / "04-flow.yaml").write_text(ONE_A_LINE, encoding="utf-8")
    exported = run("export", folder, "-o", "-", "--as-of", AS_OF)
    rows = list(csv.reader(io.StringIO(exported.stdout.lstrip("\ufeff"), newline="")))
    rows = [rows[0], *(row for row in rows[1:] if row[2] != "4.2")]  # the lead deletes 4.2
    rows.append(["4", "", "4.4", "Fourth, new", "Head of Service", "May 2023", "not started"])
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    sheet = tmp_path / "tracker.csv"
    sheet.write_text(buffer.getvalue(), encoding="utf-8")
    before = (folder / "04-flow.yaml").read_bytes()
    result = run("import", sheet, "--update", "-o", folder, "--remove-missing", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "4.4: added to area 4" in result.stderr
    assert "4.2: removed from area 4" in result.stderr
    written = [line for line in result.stderr.splitlines() if line.startswith("wrote ")]
    assert written == [f"wrote {folder / '04-flow.yaml'}"]
    removed, added = changed_lines(before, (folder / "04-flow.yaml").read_bytes())
    assert removed == [SECOND + "\n", THIRD + "   # last\n"]
    assert added == [
        THIRD + ",   # last\n",
        "  {id: \"4.4\", title: 'Fourth, new', lead: Head of Service, deadline: May 2023, status: "
        "not-started}\n",
    ]
