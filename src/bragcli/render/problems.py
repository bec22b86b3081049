"""Reporters for `brag check`: one per format, registered in `REPORTERS`."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TextIO

from bragcli.problems import Level, Problem

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
    """One line per problem: file:line:col: level [code] message."""
    for problem in problems:
        out.write(f"{problem}\n")


def as_json(problems: Sequence[Problem], files: int, out: TextIO) -> None:
    errors = sum(p.level is Level.ERROR for p in problems)
    document = {
        "problems": [p.as_dict() for p in problems],
        "summary": {"errors": errors, "warnings": len(problems) - errors, "files": files},
    }
    json.dump(document, out, indent=2, ensure_ascii=False)
    out.write("\n")


REPORTERS: dict[str, Reporter] = {"text": text, "json": as_json}
