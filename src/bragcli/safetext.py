"""Plan text made safe to show: no control, bidi or invisible characters reach a terminal or log.

Plan files are edited by many hands. A title holding ESC sequences could clear a board member's
terminal, set its title or hide text; a newline in an id could start a forged GitHub workflow
command (`::error ...`) in a CI log; a right-to-left override could make `1.2` read as `2.1`.
Every renderer that writes plain text (terminal, text, Markdown, CSV, problems) passes plan text
through `visible()` (one line) or `visible_lines()` (newlines kept); error messages quote plan
values through `excerpt()`, which is also short, so no file's content is ever dumped into a log.

Escapes are written the way Python writes them (`\\x1b`, `\\u202e`), so they are readable and
cannot themselves be interpreted by a terminal.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from pathlib import Path

# C0 controls, DEL, C1 controls; bidi embeddings, overrides and isolates; line and paragraph
# separators; zero-width and other invisible format characters that make look-alike text.
# Zero-width (non-)joiners stay: emoji sequences and some scripts need them to display right.
_INVISIBLE = "\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb"

# GitHub Actions runs a line of a job's log as a workflow command when it starts with `::`
# (after white space) or holds the legacy `##[` anywhere (characters that .NET may ignore when
# it compares text can sit between); the first `:` or the `[` is shown escaped instead.
_IGNORABLE = "\u00ad\u034f\u200c\u200d\ufe00-\ufe0f"

_IGNORABLE_GONE = dict.fromkeys([0xAD, 0x34F, 0x200C, 0x200D, *range(0xFE00, 0xFE10)])

#: For formats with escapes of their own (JSON): the characters beyond C0 that `visible`
#: escapes, as a regex class body.
INVISIBLE = _INVISIBLE

# The patterns are compiled when first used: a class of characters beyond Latin-1 takes
# Python's regex compiler a few million instructions, six of them a tenth of `brag check`'s
# start-up, and most runs need none of them (`visible` has a fast path for plain text).


@functools.cache
def _unsafe() -> re.Pattern[str]:
    return re.compile(f"[\x00-\x1f{_INVISIBLE}]")


@functools.cache
def _unsafe_keep_lines() -> re.Pattern[str]:
    return re.compile(f"[\x00-\x08\x0b-\x1f{_INVISIBLE}]")  # keeps tab and newline


@functools.cache
def _command_start() -> re.Pattern[str]:
    return re.compile(f"^([\\s{_IGNORABLE}]*):(?=[{_IGNORABLE}]*:)")


@functools.cache
def _command_line_start() -> re.Pattern[str]:
    return re.compile(f"^((?:[^\\S\\n]|[{_IGNORABLE}])*):(?=[{_IGNORABLE}]*:)", re.MULTILINE)


@functools.cache
def legacy_command() -> re.Pattern[str]:
    """`##[`, the legacy workflow command, with ignorable characters between (group 1: `##`)."""
    return re.compile(f"(#[{_IGNORABLE}]*#[{_IGNORABLE}]*)\\[")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    if char == "\t":
        return "\\t"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """One line of text with every control, bidi and invisible character shown escaped.

    Newlines and tabs are escaped too: use this wherever one value must stay on one line
    (a table cell, a problem message, an annotation). Text that GitHub Actions would run as a
    workflow command (`::` at the start, `##[` anywhere) is defused the same way.
    """
    if text.isprintable():  # the common case, and quick: no control or format character
        return _defuse(text, _command_start) if ":" in text or "#" in text else text
    return _defuse(_unsafe().sub(_escape, text), _command_start)


def visible_lines(text: str) -> str:
    """As `visible`, but newlines (and tabs) are kept: for multi-line text such as a report."""
    return _defuse(_unsafe_keep_lines().sub(_escape, text), _command_line_start)


def _defuse(shown: str, command_start: Callable[[], re.Pattern[str]]) -> str:
    """No workflow command in `shown`: `::` opening a line becomes `\\x3a:`, `##[` `##\\x5b`."""
    if ":" in shown and "::" in _without_ignorable(shown):
        shown = command_start().sub(r"\1\\x3a", shown)
    if "#" in shown and "##" in _without_ignorable(shown):
        shown = legacy_command().sub(r"\1\\x5b", shown)
    return shown


def _without_ignorable(text: str) -> str:
    """`text` without the characters a workflow command may hold between its `:`s or `#`s (a
    quick test before a pattern is compiled: most text has no `::` or `##` even so)."""
    return text.translate(_IGNORABLE_GONE) if not text.isascii() else text


def has_unsafe(text: str) -> bool:
    """True when `visible(text)` would change it (so the text holds an unsafe character)."""
    return visible(text) != text


def excerpt(text: str, limit: int = 40) -> str:
    """A short, escaped, quoted excerpt of a user's value for an error message."""
    shown = visible(text)
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f"'{shown}'"


def shown_id(identifier: str) -> str:
    """An id as messages show it: escaped and, if very long, cut short (ids are checked to be
    visible text, but an id of ten thousand characters is still an id)."""
    return excerpt(identifier)[1:-1]


#: What XML 1.0 cannot hold at all (python-docx raises on it): lone surrogates and U+FFFE/FFFF.
_NOT_XML = "[\ud800-\udfff\ufffe\uffff]"


def document_text(text: str) -> str:
    """`visible(text)` that an XML document (Word's) can also hold: every control, bidi and
    invisible character shown escaped, and the few characters XML refuses as well."""
    return re.sub(_NOT_XML, _escape, visible(text))


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder where possible.

    Symbolic links are not followed: a link is named by its own name (and a link loop or a
    dangling link is reported, not followed into an error).
    """
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(os.path.abspath(Path.cwd())))
    except ValueError:
        return str(path)
