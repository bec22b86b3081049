"""The YAML reader: text stays text, dangerous YAML is refused, bad files become problems."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from bragcli.problems import Problem
from bragcli.source.files import read_file
from bragcli.source.yamlread import Document, read_bytes


def data(text: str | bytes) -> object:
    raw = text.encode() if isinstance(text, str) else text
    doc = read_bytes(raw, "t.yaml")
    assert isinstance(doc, Document), doc
    return doc.data


def problem(text: str | bytes) -> Problem:
    raw = text.encode() if isinstance(text, str) else text
    found = read_bytes(raw, "t.yaml")
    assert isinstance(found, Problem), found
    return found


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("id: 1.10", "1.10"),
        ("id: 010", "010"),
        ("id: 1e3", "1e3"),
        ("id: NO", "NO"),
        ("id: on", "on"),
        ("id: 2022-11-24", "2022-11-24"),
        ("id: '1.10'", "1.10"),
        ("id: 0x1F", "0x1F"),
        ("id: .inf", ".inf"),
    ],
)
def test_scalars_stay_text(yaml_text: str, expected: str) -> None:
    assert data(yaml_text) == {"id": expected}


@pytest.mark.parametrize("value", ["", "~", "null", "NULL"])
def test_plain_empty_and_null_are_none(value: str) -> None:
    assert data(f"a: {value}") == {"a": None}


def test_quoted_empty_and_quoted_null_stay_text() -> None:
    assert data("a: ''\nb: 'null'") == {"a": "", "b": "null"}


def test_x_keys_are_dropped_everywhere() -> None:
    assert data("a: 1\nx-a: 2\nb:\n  - c: 3\n    x-d: 4") == {"a": "1", "b": [{"c": "3"}]}


def test_bom_and_crlf_read_like_plain_files() -> None:
    assert data(b"\xef\xbb\xbfa: 1\r\nb: two words\r\n") == {"a": "1", "b": "two words"}


def test_duplicate_key_names_both_lines() -> None:
    found = problem("a: 1\nb:\n  c: 1\n  c: 2\n")
    assert (found.line, found.col, found.code) == (4, 3, "duplicate-key")
    assert "first at line 3" in found.message


def test_billion_laughs_is_refused_before_expansion() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(9))}]" for i in range(1, 30)]
    found = problem("\n".join(lines))
    assert (found.line, found.code) == (1, "alias")


def test_text_with_asterisks_and_ampersands_is_not_an_anchor() -> None:
    assert data("a: '**bold** & more'\nb: Fostering, Adoption & Placements") == {
        "a": "**bold** & more",
        "b": "Fostering, Adoption & Placements",
    }


@pytest.mark.parametrize(
    ("yaml_text", "code"),
    [
        ("a: !!int 3", "tag"),
        ("a: !custom x", "tag"),
        ("? [a, b]\n: c", "bad-key"),
        ("a: 1\n...\n---\nb: 2", "multi-document"),
        ("a: 'open", "yaml-syntax"),
        ("a: [1, 2", "yaml-syntax"),
        ("a: b: c", "yaml-syntax"),
        ("a: @x", "yaml-syntax"),
        ("a: \x07", "yaml-syntax"),
        ("a:\n" + "  " * 3 + "[" * 40 + "]" * 40, "too-deep"),
    ],
)
def test_refused_yaml_has_a_code(yaml_text: str, code: str) -> None:
    assert problem(yaml_text).code == code


def test_syntax_error_hint_for_unquoted_colon() -> None:
    found = problem("title: Review: the plan\n")
    assert found.message.endswith("text containing ': ' must be put in quotes")
    assert (found.line, found.col) == (1, 14)


def test_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (6 * 1024 * 1024) + b"\n")
    found = read_file(big, "big.yaml")
    assert isinstance(found, Problem)
    assert found.code == "file-too-large"
    assert "6.0 MB" in found.message and "--max-file-size" in found.message


def test_a_folder_named_like_a_yaml_file(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").mkdir()
    found = read_file(tmp_path / "x.yaml", "x.yaml")
    assert isinstance(found, Problem) and found.code == "unreadable"


def test_symlink_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    os.symlink(loop, loop)
    found = read_file(loop, "loop.yaml")
    assert isinstance(found, Problem) and found.code == "unreadable"
    assert "symbolic links" in found.message.lower()


def test_file_without_read_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root in CI, where chmod 0 does not stop a read: simulate the refusal.
    locked = tmp_path / "locked.yaml"
    locked.write_text("a: 1\n")

    def refuse(self: Path) -> bytes:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    found = read_file(locked, "locked.yaml")
    assert isinstance(found, Problem) and found.code == "unreadable"
    assert found.message == "cannot be read: Permission denied"
