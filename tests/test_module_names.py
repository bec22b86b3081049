"""Names say what a module is and never collide: no two modules of the package share a base
name (`report.py` beside `render/report.py`, `history.py` beside `render/history.py` did),
so a name in a traceback, an import or a review points at one module."""

from __future__ import annotations

from collections import defaultdict

from conftest import ROOT

PACKAGE = ROOT / "src" / "bragcli"
#: names every package has, and the one entry point
SHARED = {"__init__", "__main__"}


def test_no_two_modules_share_a_base_name() -> None:
    by_name: dict[str, list[str]] = defaultdict(list)
    for path in PACKAGE.rglob("*.py"):
        by_name[path.stem].append(path.relative_to(PACKAGE).as_posix())
    assert len(by_name) > 20
    shared = {name: sorted(paths) for name, paths in by_name.items() if len(paths) > 1}
    assert {name: paths for name, paths in shared.items() if name not in SHARED} == {}


def test_no_module_shares_a_name_with_a_package() -> None:
    """`commands.py` beside a `commands/` package would be one name for two things."""
    packages = {path.parent.name for path in PACKAGE.rglob("__init__.py")} - {"bragcli"}
    modules = {path.stem for path in PACKAGE.rglob("*.py")} - SHARED
    assert packages & modules == set()
