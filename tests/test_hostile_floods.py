"""A file of thousands of errors is checked in bounded time and memory, and says there is more.

pydantic reports every bad item of a list and holds about 400 bytes for each error: a 5 MB
area file of two million bad items (`progress: [{}, {}, ...]`) took 2.4 to 4.3 GB and 40 s.
Long lists and mappings are now validated in chunks that stop after `model.MAX_ERRORS`
errors, and a file shows at most `load.MAX_PROBLEMS` problems and one `too-many-errors` line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bragcli.model import CHUNK, Area, Plan
from bragcli.source.validate import MAX_PROBLEMS
from bragcli.source.yamlread import MAX_FILE_BYTES
from conftest import brag_peak_memory

AS_OF = "2023-01-31"
PLAN = "title: Floods\norganisation: Tests\n"
_ACTION = (
    'id: "1"\ntitle: Flood\nactions:\n  - id: "1.1"\n    title: t\n    lead: L\n    status: red\n'
)


def _at_the_cap(head: str, item: str, tail: str = "]\n") -> bytes:
    count = (MAX_FILE_BYTES - len(head) - len(tail)) // (len(item) + 1)
    return (head + ",".join([item] * count) + tail).encode()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(_at_the_cap(_ACTION + "    progress: [", "{}"), id="bad-progress-notes"),
        pytest.param(_at_the_cap('id: "1"\ntitle: Flood\nactions: [', "a"), id="bad-actions"),
        pytest.param(_at_the_cap('id: "1"\ntitle: Flood\nactions: [', "{}"), id="empty-actions"),
        pytest.param(
            _at_the_cap('id: "1"\ntitle: F\nmeasures: [{name: m, readings: [', "{}", "]}]\n"),
            id="bad-readings",
        ),
    ],
)
def test_a_file_of_millions_of_errors_is_checked_in_bounded_memory(
    tmp_path: Path, content: bytes
) -> None:
    """Promise: a file at the 5 MB cap whose every item is wrong peaks under 300 MB, shows at
    most MAX_PROBLEMS problems, and says there is more."""
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "plan.yaml").write_text(PLAN)
    (folder / "01.yaml").write_bytes(content)
    assert len(content) <= MAX_FILE_BYTES
    peak, returncode, stdout = brag_peak_memory("check", str(folder), "--as-of", AS_OF)
    lines = stdout.splitlines()
    assert returncode == 1
    assert peak < 300 * 1_000_000, f"peak {peak / 1e6:.0f} MB"
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[0].endswith(
        "error [too-many-errors] has more errors than are shown; fix these and check again"
    )
    assert all(":" in line and "error [" in line for line in lines)


def test_long_valid_lists_and_mappings_validate_whole() -> None:
    """Chunked validation is invisible on valid data: every item comes through, in order."""
    count = CHUNK * 2 + 7
    actions = [{"id": f"1.{i}", "title": "t", "lead": "L", "status": "red"} for i in range(count)]
    area = Area.model_validate({"id": "1", "title": "t", "actions": actions})
    assert [a.id for a in area.actions] == [f"1.{i}" for i in range(count)]
    roles = {f"Role {i}": f"Holder {i}" for i in range(count)}
    plan = Plan.model_validate({"title": "t", "organisation": "o", "roles": roles})
    assert list(plan.roles.items()) == list(roles.items())


@pytest.mark.parametrize("count", [CHUNK + 1, CHUNK * 2, CHUNK * 2 + 1])
def test_chunk_edges_lose_and_repeat_nothing(count: int) -> None:
    """A list or mapping just over, or an exact multiple of, the chunk comes through whole."""
    notes = [f"note {i}" for i in range(count)]
    action = {"id": "1.1", "title": "t", "lead": "L", "status": "red", "progress": notes}
    area = Area.model_validate({"id": "1", "title": "t", "actions": [action]})
    assert area.actions[0].notes_text == tuple(notes)
    roles = {f"Role {i}": f"Holder {i}" for i in range(count)}
    plan = Plan.model_validate({"title": "t", "organisation": "o", "roles": roles})
    assert list(plan.roles.items()) == list(roles.items())


def test_an_error_late_in_a_long_list_points_at_its_own_item() -> None:
    """An error after the first chunk keeps its true index (and so its true line)."""
    count = CHUNK * 2 + 7
    actions = [{"id": f"1.{i}", "title": "t", "lead": "L", "status": "red"} for i in range(count)]
    actions[CHUNK + 3]["status"] = "purpel"
    with pytest.raises(ValidationError) as caught:
        Area.model_validate({"id": "1", "title": "t", "actions": actions})
    assert [e["loc"] for e in caught.value.errors()] == [("actions", CHUNK + 3, "status")]
