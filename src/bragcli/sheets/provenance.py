"""Where a tracker came from: the git revision the plan was read at and the time of the export,
so that `brag import --update` can compare the sheet with the plan as it was then (the base
of its three-way comparison, `sheets.merge`).

An .xlsx export records them in its hidden About sheet. A CSV has one sheet, so it records
them in its first row, one cell, which Excel and LibreOffice keep when the sheet is saved as
CSV again (they pad it with commas to the width of the sheet); on one line:

    # bragcli export | version 0.1.0 | revision 1a2b3c4d... |
      exported 2023-03-31T10:00:00Z | do not edit this row

The parts are separated by " | ", never by ";" or ",": a spreadsheet that reads CSV with
that separator (";" in many European locales) would split the row into cells, and ";" would
win import's delimiter sniffing.

What comes back is hostile until checked (`checked`): the revision must be 4 to 40 hex digits
(64 in a SHA-256 repository), so it is never taken as a git option or a revision expression
(`HEAD~1`, `--output=x`); the time must be a time with its offset and not in the future; a
row holding a control character or a line break, an export row that is not the sheet's first
row, and two export rows are ignored with a warning (`locate`). Whatever is ignored leaves
the sheet without a base: it is compared with the plan as it is now, and the import says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bragcli.safetext import excerpt, has_unsafe
from bragcli.sheets.read import column_name

if TYPE_CHECKING:
    from pathlib import Path

    from bragcli.source.git import Revision

#: The first cell of a CSV export's first row starts with this (compared without case).
MARKER = "# bragcli export"
#: The last part of the export row, for the person who opens the sheet.
DO_NOT_EDIT = "do not edit this row"
#: The rows of the About sheet (hidden) of an .xlsx export.
ABOUT_VERSION = "bragcli version"
ABOUT_REVISION = "git revision"
ABOUT_CHANGED = "plan changed since that commit"
ABOUT_EXPORTED = "exported at"
#: A commit id as git writes it, or its abbreviation: nothing else is ever given to git.
_REVISION = re.compile(r"[0-9a-f]{4,40}|[0-9a-f]{64}", re.ASCII)
_DIRTY = " with uncommitted changes"
#: How far ahead of this computer's clock an export time may be (another computer's clock).
CLOCK_SKEW = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an exported sheet came from."""

    #: the commit the plan was read at ("" when the plan was not in git)
    revision: str
    #: the plan folder had changes not committed, so the commit is not what was exported
    changed: bool
    #: when the export was made (UTC)
    exported: datetime
    #: the bragcli that made it ("" when not said)
    version: str = ""

    @property
    def short(self) -> str:
        return self.revision[:12]


def current(folder: Path, revision: Revision | None, now: datetime) -> Provenance:
    """The provenance of an export made `now` from the plan in `folder` (read at `revision`,
    or from the working tree when None)."""
    from bragcli import __version__
    from bragcli.source.git import commit_of

    if revision is not None:
        sha, changed = revision.sha, False
    else:
        commit = commit_of(folder)
        sha, changed = (commit.sha, commit.dirty) if commit else ("", False)
    return Provenance(sha, changed, now.astimezone(UTC).replace(microsecond=0), __version__)


def _time_text(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def about_entries(provenance: Provenance) -> dict[str, str]:
    """The About sheet's rows: name -> value."""
    return {
        ABOUT_VERSION: provenance.version,
        ABOUT_REVISION: provenance.revision,
        ABOUT_CHANGED: ("yes" if provenance.changed else "no") if provenance.revision else "",
        ABOUT_EXPORTED: _time_text(provenance.exported),
    }


def export_row(provenance: Provenance) -> str:
    """The one cell of a CSV export's first row."""
    revision = (provenance.revision + (_DIRTY if provenance.changed else "")) or "none"
    parts = [MARKER, f"version {provenance.version}", f"revision {revision}",
             f"exported {_time_text(provenance.exported)}", DO_NOT_EDIT]  # fmt: skip
    return " | ".join(parts)


def is_export_row(row: Sequence[str]) -> bool:
    """Whether the row's first cell is an export row's (whatever else it holds)."""
    return bool(row) and row[0].strip().casefold().startswith(MARKER)


@dataclass(frozen=True, slots=True)
class Located:
    """The sheet's rows with every export row blanked (so row numbers stay as the
    spreadsheet shows them), the one export row that may be used, and why others are not."""

    rows: list[list[str]]
    #: (row number, its first cell)
    found: tuple[int, str] | None
    warnings: list[str]


def locate(rows: Sequence[list[str]]) -> Located:
    """Find the export row: the first row of the sheet (blank rows above it aside), alone."""
    numbers = [n for n, row in enumerate(rows, 1) if is_export_row(row)]
    if not numbers:
        return Located(list(rows), None, [])
    kept = [[] if n in numbers else row for n, row in enumerate(rows, 1)]
    first = next(n for n, row in enumerate(rows, 1) if any(cell.strip() for cell in row))
    if len(numbers) > 1:
        listed = ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
        return Located(kept, None, [
            f"rows {listed} are each bragcli's export row (the sheet was pasted together?); "
            "none is used and none is imported"
        ])  # fmt: skip
    (number,) = numbers
    if number != first:
        return Located(kept, None, [
            f"row {number} is bragcli's export row, which belongs first, above the header; "
            "it is not used and not imported"
        ])  # fmt: skip
    row = rows[number - 1]
    filled = [i for i, cell in enumerate(row) if i and cell.strip()]
    if filled:
        return Located(kept, None, [
            f"row {number}, bragcli's export row, has other cells filled in (from column "
            f"{column_name(filled[0])}); it is not used and not imported"
        ])  # fmt: skip
    return Located(kept, (number, row[0].strip()), [])


def parse_export_row(text: str, now: datetime) -> Provenance:
    """The provenance an export row records; ValueError saying what is wrong."""
    if "\n" in text or "\r" in text:
        raise ValueError("it holds a line break")
    if has_unsafe(text):
        raise ValueError("it holds a control or invisible character")
    head, *parts = (part.strip() for part in text.split("|"))
    if head.casefold() != MARKER:
        raise ValueError(f"it starts {excerpt(head)}, not {MARKER!r}")
    values: dict[str, str] = {}
    for part in parts:
        name, _, value = part.partition(" ")
        if part.casefold() == DO_NOT_EDIT:
            continue
        if name not in {"version", "revision", "exported"}:
            raise ValueError(f"{excerpt(part)} is not a part of it")
        if name in values:
            raise ValueError(f"it gives the {name} twice")
        values[name] = value.strip()
    for name in ("revision", "exported"):
        if name not in values:
            raise ValueError(f"it has no {name}")
    revision, dirty = values["revision"], values["revision"].endswith(_DIRTY)
    revision = revision.removesuffix(_DIRTY) if dirty else revision
    return checked("" if revision == "none" else revision, dirty, values["exported"],
                   values.get("version", ""), now)  # fmt: skip


def parse_about(about: Mapping[str, str], now: datetime) -> Provenance:
    """The provenance an About sheet records; ValueError saying what is wrong."""
    for name, value in about.items():
        if has_unsafe(value):
            raise ValueError(f"its {name} holds a control character, a line break or the like")
    changed = about.get(ABOUT_CHANGED, "")
    if changed not in {"yes", "no", ""}:
        raise ValueError(f"{ABOUT_CHANGED} is {excerpt(changed)}, not yes or no")
    return checked(about.get(ABOUT_REVISION, ""), changed == "yes",
                   about.get(ABOUT_EXPORTED, ""), about.get(ABOUT_VERSION, ""), now)  # fmt: skip


def checked(revision: str, changed: bool, exported: str, version: str, now: datetime) -> Provenance:
    """A provenance from text read back, or ValueError: the revision a commit id (or ""), the
    time a time with its offset, not more than `CLOCK_SKEW` after `now`."""
    if revision and not _REVISION.fullmatch(revision.lower()):
        raise ValueError(
            f"its revision {excerpt(revision)} is not a commit id (4 to 40 hex digits)"
        )
    try:
        when = datetime.fromisoformat(exported)
    except ValueError:
        raise ValueError(
            f"its export time {excerpt(exported)} is not a time such as 2023-03-31T10:00:00Z"
        ) from None
    if when.tzinfo is None:
        raise ValueError(f"its export time {excerpt(exported)} has no offset from UTC (Z)")
    if when > now + CLOCK_SKEW:
        raise ValueError(f"its export time {excerpt(exported)} is in the future")
    return Provenance(revision.lower(), changed, when.astimezone(UTC), version[:40])
