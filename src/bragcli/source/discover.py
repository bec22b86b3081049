"""Which plan folder a command reads: named, from BRAG_PLAN, or discovered.

Every command that reads a plan takes its folder the same way, in this order:

1. the folder named on the command line, as `--plan/-p DIR` or as the positional argument
   where the command has one (both may be given only when they name the same folder);
2. `BRAG_PLAN` in the environment;
3. discovery: the current folder when it holds plan.yaml, else `plans/` in it when that holds
   plan.yaml, else the same in each parent folder up to the git repository's root (the folder
   holding `.git`). Outside a git repository only the current folder is looked at, so a plan
   is never picked up from an unrelated folder far above. When none holds plan.yaml, a
   `plans/` folder in the current folder is still taken, so that loading it says what it
   lacks.

The caller says which folder was used when it was found in a parent folder, since the user
did not name it and may not expect it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import NamedTuple

from bragcli.problems import BragError
from bragcli.safetext import visible
from bragcli.source.files import PLAN_FILE_NAMES

#: The folder looked for beside plan.yaml's own: `brag init` writes the plan there.
PLANS_FOLDER = "plans"


class PlanFrom(Enum):
    """How the plan folder was chosen."""

    COMMAND_LINE = "command line"
    ENVIRONMENT = "BRAG_PLAN"
    HERE = "current folder"
    PARENT = "parent folder"


class PlanFolder(NamedTuple):
    path: Path
    source: PlanFrom

    @property
    def announce(self) -> bool:
        """Whether to say which folder was used (found in a parent: the user did not name it)."""
        return self.source is PlanFrom.PARENT


def holds_plan(folder: Path) -> bool:
    """Whether `folder` is a folder holding plan.yaml (or plan.yml) as a regular file."""
    try:
        return folder.is_dir() and any((folder / name).is_file() for name in PLAN_FILE_NAMES)
    except OSError:  # a name too long, a loop of links, a folder we may not read
        return False


def _repository_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return None


def discover(cwd: Path) -> Path | None:
    """The plan folder found from `cwd` (see the module's docstring), or None.

    The result is relative to `cwd` (".", "plans", "../plans"), as the user would type it,
    so that file names in messages read from where the command was run.
    """
    start = Path(os.path.abspath(cwd))
    root = _repository_root(start)
    above = [] if root is None else list(start.parents[: len(start.parents) - len(root.parents)])
    for folder in (start, *above):
        for candidate in (folder, folder / PLANS_FOLDER):
            if holds_plan(candidate):
                return Path(os.path.relpath(candidate, start))
    if (start / PLANS_FOLDER).is_dir():  # no plan.yaml in it: loading it says what is missing
        return Path(PLANS_FOLDER)
    return None


def choose_plan(
    argument: Path | None,
    option: Path | None,
    option_from_environment: bool,
    cwd: Path,
    *,
    argument_name: str = "PLAN_DIR",
) -> PlanFolder:
    """The plan folder of a command given its positional `argument` and `--plan` `option`
    (which came from BRAG_PLAN when `option_from_environment`).

    Raises BragError when the two are both on the command line and name different folders,
    or when nothing is named and discovery finds no plan.
    """
    if (
        argument is not None
        and option is not None
        and not option_from_environment
        and os.path.abspath(argument) != os.path.abspath(option)
    ):
        raise BragError(
            f"the plan folder is given twice, as {argument_name} {visible(str(argument))} "
            f"and --plan {visible(str(option))}; give it once, e.g. --plan "
            f"{visible(str(option))}"
        )
    if argument is not None:
        return PlanFolder(argument, PlanFrom.COMMAND_LINE)
    if option is not None:
        source = PlanFrom.ENVIRONMENT if option_from_environment else PlanFrom.COMMAND_LINE
        return PlanFolder(option, source)
    found = discover(cwd)
    if found is None:
        raise BragError(
            "no plan folder here: no plan.yaml in this folder or in plans/ (nor in a parent "
            "folder up to the git repository's root); name it with --plan DIR or set BRAG_PLAN"
        )
    source = PlanFrom.HERE if found.parts[:1] != ("..",) else PlanFrom.PARENT
    return PlanFolder(found, source)


def refuse_paths_outside(paths: Sequence[Path], plan: Path) -> None:
    """`brag check PATHS --plan DIR`: each path must be the plan folder or a file in it (or
    `-`, standard input, checked against it); anything else names a second plan."""
    folder = os.path.abspath(plan)
    for path in paths:
        if str(path) == "-":
            continue
        absolute = os.path.abspath(path)
        if absolute != folder and os.path.dirname(absolute) != folder:
            raise BragError(
                f"{visible(str(path))} is not in the plan folder --plan {visible(str(plan))}; "
                "check another plan without --plan, e.g. brag check "
                f"{visible(str(path))}"
            )


def refuse_plan_as_revision(revisions: Sequence[str]) -> None:
    """`brag diff plans`: a revision that names a plan folder is the plan given in the wrong
    place (the positional arguments of diff are revisions, as in git diff)."""
    for revision in revisions:
        if holds_plan(Path(revision)):
            shown = visible(revision)
            raise BragError(
                f"{shown} is a plan folder, and diff's arguments are git revisions; name the "
                f"folder with --plan: brag diff --plan {shown} [REV_A] [REV_B] (for a branch "
                f"of that name, write heads/{shown})"
            )


def plan_for_stdin(option: Path | None, stdin_name: str | None, cwd: Path) -> Path | None:
    """The plan that `brag check -` checks standard input against: --plan (or BRAG_PLAN);
    else the folder of --stdin-filename when it holds plan.yaml (an editor names the file it
    lints); else discovery from `cwd`; None when there is none (the file is read alone)."""
    if option is not None:
        return option
    if stdin_name:
        folder = Path(os.path.dirname(stdin_name) or ".")
        if holds_plan(folder):
            return folder
    return discover(cwd)
