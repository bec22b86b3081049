"""Renderers: one per output format, registered in dicts that also feed `--format` choices.

Entries name a module and a function, imported only when that format is asked for, so that
`--format json` never imports rich.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TextIO

#: format -> "module:function" for `brag status`
STATUS_FORMATS = {
    "terminal": "status_terminal:status_terminal",
    "json": "status_data:status_json",
    "markdown": "status_data:status_markdown",
    "csv": "status_data:status_csv",
}
#: format -> "module:function" for `brag actions`
ACTIONS_FORMATS = {
    "terminal": "status_terminal:actions_terminal",
    "json": "status_data:actions_json",
    "markdown": "status_data:actions_markdown",
    "csv": "status_data:actions_csv",
}

Renderer = Callable[..., None]


def renderer(registry: dict[str, str], name: str) -> Renderer:
    module_name, func = registry[name].split(":")
    module = importlib.import_module(f"bragcli.render.{module_name}")
    found: Renderer = getattr(module, func)
    return found


def render(registry: dict[str, str], name: str, data: Any, out: TextIO, color: str) -> None:
    func = renderer(registry, name)
    if name == "terminal":
        func(data, out, color)
    else:
        func(data, out)
