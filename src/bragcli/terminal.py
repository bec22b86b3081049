"""The terminal a command writes to: whether a stream is one, and whether to colour it.

Light on purpose (no rich): `brag check` asks it on every run, and loads rich only to colour.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from bragcli.render import ColorChoice


def is_terminal(stream: TextIO) -> bool:
    """Whether `stream` is a terminal (False for a closed or unusual stream)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def colour_on(out: TextIO, choice: ColorChoice) -> bool:
    """Whether to colour, the same rule in every view.

    --color always and never decide, whatever the environment says (https://no-color.org: a
    user's explicit choice wins over NO_COLOR). auto: no colour when NO_COLOR is set to
    anything; colour when FORCE_COLOR is (https://force-color.org; a CI log or `less -R`);
    else no colour when TERM says the terminal cannot show it (dumb); else colour a terminal.
    """
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") in {"dumb", "unknown"}:
        return False
    return is_terminal(out)
