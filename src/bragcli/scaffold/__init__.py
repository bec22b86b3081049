"""`brag init`: a new plan repository, ready to edit, check and report on.

The files are kept here as they are written, so what a plan owner gets is easy to review.
Nothing existing is ever overwritten.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from bragcli.problems import BragError
from bragcli.schema import schema_text
from bragcli.source.files import PLAN_FILE_NAMES, YAML_SUFFIXES

HERE = Path(__file__).resolve().parent

#: target path inside the new repository -> file here (or a generated schema)
FILES = {
    "plans/plan.yaml": "plan.yaml",
    "plans/01-example-area.yaml": "01-example-area.yaml",
    "schemas/area.schema.json": "schema:area",
    "schemas/plan.schema.json": "schema:plan",
    "README.md": "README.md",
    ".github/workflows/improvement-plan.yml": "improvement-plan.yml",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
}


#: The example area: written only into a plans/ folder with no area file of its own, where its
#: ids (1, 1.1, ...) cannot collide with real ones.
EXAMPLE_AREA = "plans/01-example-area.yaml"


@dataclass
class Created:
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    #: (name, why it was not written)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _content(source: str) -> str:
    if source.startswith("schema:"):
        return schema_text(source.removeprefix("schema:"))
    return (HERE / source).read_text(encoding="utf-8")


def create(target: Path, *, force: bool = False) -> Created:
    """Write the new plan repository into `target`.

    Refuses a folder that already has files in it unless `force`; even then, a file that
    exists is kept as it is and reported.
    """
    if os.path.lexists(target) and not target.is_dir():
        raise BragError(f"{target} exists and is not a folder")
    if target.is_dir() and _entries(target) and not force:
        raise BragError(
            f"{target} is not empty; give an empty or new folder, or --force to add only the "
            "files that are missing (existing files are never overwritten)"
        )
    result = Created()
    plans = target / "plans"
    has_areas = plans.is_dir() and any(
        name.lower().endswith(YAML_SUFFIXES)
        and name not in PLAN_FILE_NAMES
        and not name.startswith(".")
        for name in _entries(plans)
    )
    for name, source in FILES.items():
        path = target / name
        if os.path.lexists(path):  # a link, even a dangling one, is never written through
            result.kept.append(name)
            continue
        if name == EXAMPLE_AREA and has_areas:
            result.skipped.append((name, "plans/ already has area files; its ids would clash"))
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as out:  # "x": never replace a file
                out.write(_content(source))
        except OSError as e:
            raise BragError(f"{path}: cannot write: {e.strerror or e}") from e
        result.written.append(name)
    return result


def _entries(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError as e:
        raise BragError(f"{folder}: cannot be read: {e.strerror or e}") from e
