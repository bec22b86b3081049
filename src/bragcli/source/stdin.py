"""`brag check -`: one plan file read from standard input, checked in its plan's company.

Editors lint a buffer before it is saved, as linters let them (`--stdin-filename`): the text
on standard input stands for the file named by `--stdin-filename`. When that file belongs to
the plan folder being checked, the text takes its place (so its ids are not duplicates of the
saved copy's); otherwise it is added to the folder's files. With no plan folder, the file is
read on its own. Either way it goes through the one loading pipeline (`source.load`), so the
same bytes give the same problems as the saved file would.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from bragcli.problems import Problem
from bragcli.safetext import visible
from bragcli.source.files import File, WorkTree, too_large

#: How standard input is named in messages when --stdin-filename is not given.
STDIN_NAME = "<stdin>"
#: The name standard input has among a folder's files when it is not one of them: no file
#: can have it (NUL is not allowed in a file name).
_EXTRA = "\0stdin"


def read_stdin(stream: BinaryIO, shown: str, max_bytes: int) -> bytes | Problem:
    """At most `max_bytes` of `stream`: a longer input is refused without reading it all."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        size = len(data)
        while chunk := stream.read(1 << 20):  # drain (a writer is not left blocked)
            size += len(chunk)
        return too_large(shown, size, max_bytes)
    return data


class StdinSource:
    """A plan folder's files (none when `tree` is None) with standard input's text among them."""

    def __init__(self, tree: WorkTree | None, stdin_name: str | None, data: bytes | Problem):
        self.tree = tree
        self.data = data
        #: the name shown in messages: --stdin-filename as typed (made visible), or <stdin>
        self.stdin_shown = visible(stdin_name) if stdin_name else STDIN_NAME
        self.name = _EXTRA
        if stdin_name:
            own = os.path.basename(stdin_name)
            folder = os.path.abspath(os.path.dirname(stdin_name) or ".")
            if tree is None or folder == os.path.abspath(tree.folder):
                self.name = own or _EXTRA

    @property
    def folder(self) -> Path:
        return self.tree.folder if self.tree is not None else Path(".")

    def names(self) -> list[str]:
        names = self.tree.names() if self.tree is not None else []
        return names if self.name in names else sorted([*names, self.name])

    def shown(self, name: str) -> str:
        if name == self.name:
            return self.stdin_shown
        if self.tree is None:  # alone: plan.yaml's problems are not reported
            return name
        return self.tree.shown(name)

    def open(self, name: str, shown: str) -> File | Problem:
        if name == self.name:
            data = self.data
            return File(None, lambda: data)
        assert self.tree is not None
        return self.tree.open(name, shown)
