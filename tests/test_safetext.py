"""Plan text shown safely: no control, bidi or invisible character reaches a terminal or log."""

from __future__ import annotations

import pytest

from bragcli.safetext import excerpt, has_unsafe, visible, visible_lines


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),  # clear screen
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),  # set the window title
        (
            "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
            "\\x1b]8;;http://x\\x1b\\link\\x1b]8;;\\x1b\\",
        ),
        ("\x1b[8mhidden", "\\x1b[8mhidden"),
        ("\x9b2J", "\\x9b2J"),  # C1 CSI
        ("a\x7fb", "a\\x7fb"),
        ("1.1\u200b", "1.1\\u200b"),
        ("\u202e1.2", "\\u202e1.2"),
        ("\u2066x\u2069", "\\u2066x\\u2069"),
        ("2.1\n::error file=README.md::x", "2.1\\n::error file=README.md::x"),
        ("a\rb", "a\\rb"),
        ("nul\x00", "nul\\x00"),
        ("plain text, £ and – and 完成 ✅", "plain text, £ and – and 完成 ✅"),
        ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),  # joiners in emoji are kept
    ],
)
def test_visible_escapes_every_unsafe_character(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert has_unsafe(raw) is (raw != shown)
    assert not has_unsafe(visible(raw))


def test_visible_lines_keeps_newlines_and_tabs_only() -> None:
    assert visible_lines("a\tb\nc\x1b[31m\r\n") == "a\tb\nc\\x1b[31m\\r\n"


def test_excerpt_is_short_quoted_and_escaped() -> None:
    secret = "root:$6$abcdefghijklmnop:19000:0:99999:7:::" * 10
    shown = excerpt(secret)
    assert len(shown) <= 42
    assert shown.startswith("'root:") and shown.endswith("…'")
    assert excerpt("a\x1bb") == "'a\\x1bb'"
