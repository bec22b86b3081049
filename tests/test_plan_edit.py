"""`brag set` and the in-place editor (`planedit`): only the changed values move; every other
byte of every file stays, and nothing is written when the change would add a problem."""

from __future__ import annotations

import difflib
import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bragcli.model import Action, Note
from bragcli.planedit import AreaEdit, scalar_text
from bragcli.source.load import area_result
from bragcli.source.yamlread import Document, read_bytes
from conftest import EXAMPLES, SAMPLE_PLAN, Run

EDIT_PLAN = EXAMPLES / "edit"
AS_OF = "2023-01-10"
#: a role of the plan's glossary (tests/examples/edit/plan.yaml)
_A_ROLE = "Head of Service"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "plan"
    shutil.copytree(EDIT_PLAN, target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def changed_lines(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
    """(lines removed, lines added), with their line endings."""
    old = before.decode("utf-8-sig").splitlines(keepends=True)
    new = after.decode("utf-8-sig").splitlines(keepends=True)
    removed, added = [], []
    for line in difflib.ndiff(old, new):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def test_set_changes_only_the_changed_values(run: Run, folder: Path) -> None:
    before = snapshot(folder)
    result = run(
        "set", "1.1", "--plan", folder, "--status", "amber", "--impact", "green",
        "--deadline", "May 2023", "--note", "Board agreed # the plan", "--note-date",
        "2023-01-09", "--updated", "2023-01-09", "--as-of", AS_OF,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    after = snapshot(folder)
    assert {n for n in after if after[n] != before[n]} == {"01-comments.yaml"}
    removed, added = changed_lines(before["01-comments.yaml"], after["01-comments.yaml"])
    assert removed == [
        "    deadline: 'April 2023'   # single-quoted\n",
        "    status: green # the rating\n",
        "    updated: 2022-12-01\n",
    ]
    assert added == [
        "    deadline: 'May 2023'   # single-quoted\n",
        "    status: amber # the rating\n",
        "    impact: green\n",
        "    updated: 2023-01-09\n",
        '      - 2023-01-09: "Board agreed # the plan"\n',
    ]
    # the change set, as brag diff prints it
    assert "status green → amber (worse)" in result.stdout
    assert "+ 2023-01-09: Board agreed # the plan" in result.stdout
    assert f"wrote {folder / '01-comments.yaml'}" in result.stderr
    assert run("check", folder, "--as-of", AS_OF).exit_code == 0


def test_set_several_ids_and_a_windows_file(run: Run, folder: Path) -> None:
    before = snapshot(folder)
    result = run(
        "set", "1.2", "2.1", "--plan", folder, "--status", "green", "--lead",
        "Principal Social Worker", "--note", "Done", "--as-of", AS_OF,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    after = snapshot(folder)
    assert after["02-bom-crlf.yaml"].startswith(b'\xef\xbb\xbfid: "2"\r\n')
    assert b"\n" not in after["02-bom-crlf.yaml"].replace(b"\r\n", b"")
    removed, added = changed_lines(before["02-bom-crlf.yaml"], after["02-bom-crlf.yaml"])
    assert removed == ["    lead: Head of Service\r\n"]
    assert added == ["    lead: Principal Social Worker\r\n", "      - Done\r\n"]
    removed, added = changed_lines(before["01-comments.yaml"], after["01-comments.yaml"])
    assert removed == [  # the first lead stays, with its comment; the second goes
        "      - Head of Service\n",
        "    status: amber\n",
        "    progress: []   # an empty flow list\n",
    ]
    assert added == [
        "    status: green\n",
        "    progress: [Done]   # an empty flow list\n",
    ]
    assert after["plan.yaml"] == before["plan.yaml"]
    assert after["03-untouched.yaml"] == before["03-untouched.yaml"]


def test_dry_run_prints_the_change_set_and_writes_nothing(run: Run, folder: Path) -> None:
    before = snapshot(folder)
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    result = run(
        "set", "1.3", "--plan", folder, "--status", "green", "--dry-run", "--format", "json",
        "--as-of", AS_OF,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["changes"] == [
        {
            "id": "1.3", "area": "1", "title": "An action with nothing optional",
            "kind": "status", "scope": "action", "from": "not-started", "to": "green",
            "direction": "started",
        }
    ]  # fmt: skip
    assert "nothing written (--dry-run)" in result.stderr
    assert snapshot(folder) == before
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == stamps


def test_a_change_that_adds_a_warning_writes_nothing(run: Run, folder: Path) -> None:
    before = snapshot(folder)
    result = run("set", "1.1", "--plan", folder, "--lead", "Head of Nowhere", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "[unknown-lead]" in result.stderr
    assert "nothing written" in result.stderr
    assert snapshot(folder) == before
    # with a lead from the roles glossary, it is written
    result = run("set", "1.1", "--plan", folder, "--lead", _A_ROLE, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output


def test_a_value_already_there_changes_nothing(run: Run, folder: Path) -> None:
    before = snapshot(folder)
    result = run("set", "1.1", "--plan", folder, "--status", "Green", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "nothing to change" in result.stderr
    assert snapshot(folder) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1.9", "--status", "red"], "no action '1.9'"),
        (["l.1", "--status", "red"], "did you mean '1.1'?"),
        (["1.1", "--status", "purple"], "'purple' is not a rating"),
        (["1.1"], "nothing to change"),
        (["1.1", "--note", "a\x1b[31mred"], "a control character"),
        (["1.1", "--lead", "Two\nlines"], "line break"),
        (["1.1", "--note", "   "], "--note is empty"),
        (["1.1", "--note-date", "2023-01-01", "--status", "red"], "give --note TEXT too"),
        (["1.1", "--updated", "31/13/2023"], "months run from 1 to 12"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    run: Run, folder: Path, args: list[str], message: str
) -> None:
    before = snapshot(folder)
    result = run("set", *args, "--plan", folder, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert "\x1b" not in result.stderr
    assert snapshot(folder) == before


def test_fullwidth_digits_name_the_same_action(run: Run, folder: Path) -> None:
    result = run("set", "\uff11.\uff11", "--plan", folder, "--status", "amber", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "status: amber # the rating" in (folder / "01-comments.yaml").read_text()


@pytest.mark.parametrize("inside", [True, False], ids=["link-inside", "link-outside"])
def test_a_symlinked_area_file_is_never_written(
    run: Run, tmp_path: Path, folder: Path, inside: bool
) -> None:
    store = folder / "store" if inside else tmp_path / "store"
    store.mkdir()
    target = store / "01-comments.yaml"
    shutil.move(folder / "01-comments.yaml", target)
    os.symlink(target, folder / "01-comments.yaml")
    kept = target.read_bytes()
    result = run("set", "1.1", "--plan", folder, "--status", "amber", "--as-of", AS_OF)
    if inside:  # it loads, but is not written through
        assert result.exit_code == 2
        assert "is a symbolic link: bragcli never writes a plan file through a link" in (
            result.stderr
        )
    else:  # a link out of the plan folder is not even read
        assert result.exit_code == 1
    assert target.read_bytes() == kept
    assert (folder / "01-comments.yaml").is_symlink()


def test_a_huge_note_is_written_and_reads_back(run: Run, folder: Path) -> None:
    note = "word " * 20_000
    result = run("set", "1.3", "--plan", folder, "--note", note, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    doc = read_bytes((folder / "01-comments.yaml").read_bytes(), "x")
    assert isinstance(doc, Document)
    assert doc.data["actions"][2]["progress"] == [note.strip()]


def test_a_plan_with_errors_is_not_changed(run: Run, folder: Path) -> None:
    (folder / "04-broken.yaml").write_text("id: '4'\ntitle: x\nactions:\n  - id: 4.1\n")
    before = snapshot(folder)
    result = run("set", "1.1", "--plan", folder, "--status", "amber", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "fix them first" in result.stderr
    assert snapshot(folder) == before


def test_the_sample_plan_board_decisions(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    shutil.copytree(SAMPLE_PLAN, folder)
    before = snapshot(folder)
    result = run(
        "set", "2.1", "2.3", "--plan", folder, "--status", "amber", "--as-of", "2022-12-15"
    )
    assert result.exit_code == 0, result.output
    after = snapshot(folder)
    assert [n for n in after if after[n] != before[n]] == ["02-workforce.yaml"]
    removed, added = changed_lines(before["02-workforce.yaml"], after["02-workforce.yaml"])
    assert removed == ["    status: green\n"] * 2
    assert added == ["    status: amber\n"] * 2
    assert "2 worsened" in result.stdout


# --- the editor on its own ---------------------------------------------------------------------


def _edit(path: Path) -> AreaEdit:
    raw = path.read_bytes()
    loaded = area_result(read_bytes(raw, str(path)))
    assert not isinstance(loaded, list)
    return AreaEdit(raw, str(path), loaded.area)


VALID = sorted(p for p in (EXAMPLES / "valid").glob("*.yaml") if "flow-style" not in p.name)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_valid_example_takes_every_kind_of_change(path: Path) -> None:
    edit = _edit(path)
    for action in edit.area.actions:
        edit.set_value(action.id, "status", "red" if action.status.value != "red" else "green")
        edit.set_value(action.id, "updated", date(2024, 1, 1))
        edit.set_value(action.id, "title", action.title + " 'quoted' \"twice\" é")
        edit.set_value(action.id, "lead", [*action.lead, "Extra: role"])
        edit.add_notes(action.id, [Note(text="- a note"), Note(text="b", date=date(2024, 1, 2))])
    edit.add_action(Action(id="99.1", title="Added", lead=["X"], status="red"))  # type: ignore[arg-type]
    edit.finish()  # raises unless the result reads back as the changed area


def test_an_action_is_removed_with_its_lines_only() -> None:
    edit = _edit(EDIT_PLAN / "01-comments.yaml")
    edit.remove_action("1.2")
    before = (EDIT_PLAN / "01-comments.yaml").read_bytes()
    removed, added = changed_lines(before, edit.finish())
    assert added == []
    assert removed[0] == '  - id: "1.2"\n'
    assert removed[-1] == "    progress: []   # an empty flow list\n"
    assert "  # between items, after a blank line\n" not in removed


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1).filter(lambda t: t.strip() == t and t), st.booleans())
def test_any_text_is_written_so_it_reads_back(text: str, flow: bool) -> None:
    written = scalar_text(text, flow=flow)
    doc = read_bytes(f"k: {'[' if flow else ''}{written}{']' if flow else ''}\n".encode(), "x")
    assert isinstance(doc, Document)
    assert doc.data == {"k": [text] if flow else text}


SAMPLE_IDS = sorted({a.id for p in SAMPLE_PLAN.glob("[0-9]*.yaml") for a in _edit(p).area.actions})


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(SAMPLE_IDS),
            st.sampled_from(["status", "impact", "deadline", "updated", "note"]),
        ),
        min_size=1,
        max_size=6,
        unique_by=lambda t: t,
    )
)
def test_random_changes_to_the_sample_plan_move_only_their_lines(
    changes: list[tuple[str, str]],
) -> None:
    """Every line of every area file stays, but for lines of the changed keys (and the new
    lines of added keys and notes)."""
    values = {"status": "amber", "impact": "red", "deadline": "June 2025",
              "updated": date(2023, 1, 31)}  # fmt: skip
    for path in sorted(SAMPLE_PLAN.glob("[0-9]*.yaml")):
        edit = _edit(path)
        ids = {a.id for a in edit.area.actions}
        keys = set()
        for action_id, key in changes:
            if action_id not in ids:
                continue
            if key == "note":
                edit.add_notes(action_id, [Note(text="Checked", date=date(2023, 1, 31))])
            else:
                edit.set_value(action_id, key, values[key])
                keys.add(key)
        after = edit.finish()
        removed, added = changed_lines(path.read_bytes(), after)
        for line in removed:
            assert line.split(":")[0].strip() in keys, line
        for line in added:
            assert line.split(":")[0].strip() in keys | {"- 2023-01-31"}, line
