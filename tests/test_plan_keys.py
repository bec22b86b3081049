"""The keys a board reads, as the model holds them: an area's owner and the board's own area
ratings; an action's source, first agreed deadline and impact evidence; dated progress notes.
Every key is optional, so plans written before them stay valid (the corpus and the sample plan
check that); here, what each key becomes, and that bragcli writes them back as it read them."""

from __future__ import annotations

from datetime import date

import pytest

from bragcli.model import Area, Note, Rating
from bragcli.sheets.yamlwrite import area_yaml
from bragcli.source.load import area_result
from bragcli.source.yamlread import read_bytes
from conftest import EXAMPLES, Run

BOARD_KEYS = EXAMPLES / "valid" / "board-keys.yaml"


def _area(text: bytes, name: str = "01-area.yaml") -> Area:
    result = area_result(read_bytes(text, name))
    assert not isinstance(result, list), [str(p) for p in result]
    return result.area


def test_board_keys_become_values() -> None:
    area = _area(BOARD_KEYS.read_bytes())
    assert area.lead == ["Director of Children's Services"]
    assert (area.status, area.impact) == (Rating.AMBER, Rating.NOT_STARTED)
    first, second = area.actions
    assert first.baseline == "March 2023" and first.deadline == "Summer 2023"
    assert first.source == [
        "Scrutiny committee, 13 December 2022, recommendation 2",
        "Ofsted ILACS 2022, recommendation 4",
    ]
    assert first.impact_evidence == ["Re-referrals down from 25% to 19% (Q4 2022-23)"]
    assert first.progress == [
        Note(text="Engagement event held", date=date(2023, 1, 31)),
        Note(text="Update: the board met, and agreed the plan"),
        Note(text="A note without a date"),
    ]
    assert first.notes_text[1] == "Update: the board met, and agreed the plan"
    assert second.source == ["Partnership board"] and second.impact_evidence == []
    assert second.baseline is None and second.progress == []


def test_a_plan_without_the_keys_has_empty_values() -> None:
    area = _area(b'id: "1"\ntitle: T\nactions:\n  - {id: "1.1", title: A, lead: L, status: red}\n')
    assert (area.lead, area.status, area.impact) == ([], None, None)
    action = area.actions[0]
    assert (action.source, action.baseline, action.impact_evidence) == ([], None, [])


def test_a_dated_note_is_written_with_its_date() -> None:
    assert Note(text="Held", date=date(2023, 1, 31)).written == "2023-01-31: Held"
    assert Note(text="Plain: with a colon").written == "Plain: with a colon"


def test_bragcli_writes_the_keys_back_as_it_read_them() -> None:
    area = _area(BOARD_KEYS.read_bytes())
    written = area_yaml(area)
    assert _area(written.encode()) == area
    # a note with ': ' in it is quoted, a dated note keeps the DATE: text form
    assert "- 2023-01-31: Engagement event held\n" in written
    assert "- 'Update: the board met, and agreed the plan'\n" in written


@pytest.mark.parametrize(
    ("note", "says"),
    [
        ("Update: the board met", "reads as a key, 'Update', because of the ': ' after it"),
        ("31/13/2023: a month that does not exist", "has the date '31/13/2023', which"),
        ('"2023-01-31": "\\e[2Jcleared"', None),  # an escape sequence is only ever text
    ],
)
def test_note_mapping_messages_name_the_note(
    note: str, says: str | None, plan_dir: object, run: Run
) -> None:
    area = (
        'id: "1"\ntitle: T\nactions:\n  - id: "1.1"\n    title: A\n    lead: Principal Social '
        f"Worker\n    deadline: March 2023\n    status: green\n    progress:\n      - {note}\n"
    )
    folder = plan_dir({"01-a.yaml": area})  # type: ignore[operator]
    result = run("check", folder, "--as-of", "2023-01-31")
    if says is None:
        assert result.exit_code == 0, result.stdout
        assert "\x1b" not in result.stdout
        loaded = _area(area.encode())
        assert loaded.actions[0].progress[0].text == "\x1b[2Jcleared"
        return
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith(
        f"{folder}/01-a.yaml:10:9: error [bad-note] action 1.1: progress note 1 "
    )
    assert says in line
