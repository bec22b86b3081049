"""Problems are values: every finding about a plan is a `Problem` with a 1-based position."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum, StrEnum
from typing import NamedTuple

from bragcli.safetext import visible


class Exit(IntEnum):
    """Exit codes, documented in docs/commands.md ("Exit codes") and in `brag --help`."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    INTERNAL = 3


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Problem(NamedTuple):
    """One finding: where it is, how bad it is, a stable code and a message for people."""

    path: str
    line: int
    col: int
    level: Level
    code: str
    message: str

    def __str__(self) -> str:
        """One line, plan text escaped (`safetext.visible`): a file name or message holding a
        newline, an ESC sequence or `::error` cannot break the line, style a terminal or forge
        a GitHub workflow command."""
        return visible(
            f"{self.path}:{self.line}:{self.col}: {self.level} [{self.code}] {self.message}"
        )

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.code)

    def as_dict(self) -> dict[str, str | int]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "level": str(self.level),
            "code": self.code,
            "message": self.message,
        }


def error(path: str, line: int, col: int, code: str, message: str) -> Problem:
    return Problem(path, line, col, Level.ERROR, code, message)


def warning(path: str, line: int, col: int, code: str, message: str) -> Problem:
    return Problem(path, line, col, Level.WARNING, code, message)


class BragError(Exception):
    """A failure the user can act on (missing folder, not a git repository, ...).

    The CLI prints the message and exits 2; library code raises it instead of exiting.
    """


def did_you_mean(written: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice nearest to `written` (compared in lower case, on its first 100 characters),
    or None when none is near: for "did you mean ...?" in messages."""
    options = list(choices)
    key = " ".join(written.strip().lower().split())[:100]
    import difflib  # only when something is misspelt

    guess = difflib.get_close_matches(key, options, n=1, cutoff=cutoff)
    return guess[0] if guess else None
