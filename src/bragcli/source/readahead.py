"""Reading a large plan's area files in a second process, begun before the rest of bragcli is
imported.

A command that reads a plan (`brag check`, `brag status`...) imports pydantic and builds the
models before it reads a file: a tenth of a second of one core, while the other waits for the
files to be shared out (`parallel.map_in_two`). For a large plan in the working tree, `start`
forks a child at once, which reads (parses) the area files it takes from the queue; this
process imports what it needs meanwhile, then takes the files that are left and validates
what the child read (`Loader`, through `parallel.Early`). The results are those of reading
every file here: the child only parses, and everything it sends is validated here.

Nothing here imports the models: that is the point of it (tests/test_parallel_read.py checks
that the child is started before pydantic is imported).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from bragcli.problems import BragError, Problem
from bragcli.source import parallel
from bragcli.source.files import PLAN_FILE_NAMES, WorkTree, document
from bragcli.source.yamlread import Document


class ReadAhead:
    """The area files of `folder` being read in a child (see the module): `Loader` takes them
    when it reads the same files in the same way, and `cancel`s them otherwise."""

    def __init__(
        self,
        folder: Path,
        max_bytes: int,
        positions: bool,
        names: list[str],
        early: parallel.Early[str],
    ) -> None:
        self.folder, self.max_bytes, self.positions = folder, max_bytes, positions
        self.names = names
        self.early = early

    def fits(self, source: WorkTree, names: list[str], positions: bool) -> bool:
        """Whether these are the files `source` has (`names`, listed again) read as wanted."""
        return (
            source.folder == self.folder
            and source.max_bytes == self.max_bytes
            and positions == self.positions
            and names == self.names
        )

    def cancel(self) -> None:
        """Stop the child; the files are read in the usual way (idempotent)."""
        self.early.cancel()

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *_: object) -> None:
        self.cancel()


def start(folder: Path, *, max_bytes: int, positions: bool) -> ReadAhead | None:
    """Start reading the area files of the plan in `folder`; None when the plan is too small
    to share (`parallel.MIN_BYTES`), the folder cannot be listed (the command then says so in
    its own words), or no process can be forked."""
    source = WorkTree(folder, max_bytes=max_bytes)
    try:
        names = [name for name in source.names() if name not in PLAN_FILE_NAMES]
    except BragError:
        return None
    early = parallel.start_early(partial(_read, source, positions), names, source.sizes(names))
    return None if early is None else ReadAhead(folder, max_bytes, positions, names, early)


def _read(source: WorkTree, positions: bool, name: str) -> Document | Problem:
    shown = source.shown(name)
    return document(source.open(name, shown), shown, positions=positions)
