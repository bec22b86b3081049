"""Reporters for `brag check`: one per format, registered in `REPORTERS`, which also feeds
`brag check --format`. Light to import: cli.py reads `REPORTERS` on every run."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TextIO

from bragcli.problems import Level, Problem
from bragcli.render import CheckFormat
from bragcli.safetext import visible_lines

Reporter = Callable[[Sequence[Problem], int, TextIO], None]


def summary(problems: Sequence[Problem], files: int) -> str:
    errors = sum(p.level is Level.ERROR for p in problems)
    warnings = len(problems) - errors
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    if not problems:
        return f"no problems ({checked})"
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return f"{', '.join(parts)} ({checked})"


def text(problems: Sequence[Problem], files: int, out: TextIO) -> None:
    """One line per problem: file:line:col: level [code] message (escaped: see Problem)."""
    for problem in problems:
        out.write(f"{problem}\n")


def coloured_text(problems: Sequence[Problem], files: int, out: TextIO) -> None:
    """`text` in colour (`brag check --color`): the place in bold, the level in its rating's
    colour (error red, warning amber); the line's text is the same, one problem a line."""
    from bragcli.model import Rating
    from bragcli.render.palette import BAD_BOLD, PALETTE
    from bragcli.render.screen import paint
    from bragcli.safetext import visible

    styles = {Level.ERROR: BAD_BOLD, Level.WARNING: PALETTE[Rating.AMBER].terminal_style}
    for problem in problems:
        line = str(problem)
        place = visible(f"{problem.path}:{problem.line}:{problem.col}:")
        level = f" {problem.level} "
        if not line.startswith(place + level):  # never expected: then plain, not wrong
            out.write(f"{line}\n")
            continue
        rest = line[len(place) + len(level) :]
        word = paint(str(problem.level), styles[problem.level])
        out.write(f"{paint(place, 'bold')} {word} {rest}\n")


def as_json(problems: Sequence[Problem], files: int, out: TextIO) -> None:
    errors = sum(p.level is Level.ERROR for p in problems)
    document = {
        "problems": [p.as_dict() for p in problems],
        "summary": {"errors": errors, "warnings": len(problems) - errors, "files": files},
    }
    from bragcli.render import jsonout  # json only when asked for: check runs on every commit

    jsonout.dump(document, out)


def _escape_data(value: str) -> str:
    """GitHub's escaping of a workflow command's data (`%`, CR, LF), after every other
    control character is shown escaped (`visible_lines`): an ESC cannot reach the log."""
    return visible_lines(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(problems: Sequence[Problem], files: int, out: TextIO) -> None:
    """GitHub Actions annotations, then the full plain report.

    GitHub shows only the first annotations of a step (10 errors and 10 warnings), so the
    plain lines that follow are the complete record.
    """
    for p in problems:
        kind = "error" if p.level is Level.ERROR else "warning"
        props = ",".join(
            f"{key}={_escape_property(value)}"
            for key, value in (
                ("file", p.path),
                ("line", str(p.line)),
                ("col", str(p.col)),
                ("title", f"brag check [{p.code}]"),
            )
        )
        out.write(f"::{kind} {props}::{_escape_data(p.message)}\n")
    text(problems, files, out)


def markdown_summary(problems: Sequence[Problem], files: int, limit: int = 200) -> str:
    """The job summary for GitHub Actions: the count, then a table of problems."""
    from bragcli.render.wording import md_cell

    lines = ["### brag check", "", summary(problems, files), ""]
    if problems:
        lines += ["| Where | Level | Code | Message |", "|---|---|---|---|"]
        for p in problems[:limit]:
            where = md_cell(f"{p.path}:{p.line}:{p.col}")
            lines.append(f"| {where} | {p.level} | {p.code} | {md_cell(p.message)} |")
        if len(problems) > limit:
            lines += ["", f"… and {len(problems) - limit} more: see the job log."]
    return "\n".join(lines) + "\n"


#: format -> reporter; its keys are `render.CheckFormat`'s (tests/test_format_registry.py)
REPORTERS: dict[CheckFormat, Reporter] = {"text": text, "json": as_json, "github": github}
