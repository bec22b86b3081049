"""Golden files: the exact output of a few commands on the sample plan, in tests/golden/.

Every golden file is listed in GOLDENS with the command that makes it, and one command
regenerates them all:

    python tests/test_goldens.py --update

Then read `git diff tests/golden/`: it is what users will see, and the commit that changes a
golden says why. The tests below fail when a golden differs from today's output, when a file
in tests/golden/ is not listed here, and when an output loses the structure it must have
(each golden is also checked for what it must contain, so a regenerated golden is not taken
on trust).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
AS_OF = "2022-12-15"  # the sample plan is a snapshot of December 2022
#: Where a golden's command runs: the repository root (paths in the output are relative to
#: it), or a copy of the sample plan outside git (a report read from git names the commit).
IN_ROOT, OUTSIDE_GIT = "root", "copy"

#: golden file -> (where, the command's arguments after `brag`)
GOLDENS: dict[str, tuple[str, list[str]]] = {
    "status-sample.txt": (IN_ROOT, ["status", "plans", "--as-of", AS_OF, "--color", "never"]),
    "status-sample.md": (IN_ROOT, ["status", "plans", "--as-of", AS_OF, "--format", "markdown"]),
    "actions-area-3.txt": (
        IN_ROOT,
        ["actions", "plans", "--as-of", AS_OF, "--area", "3", "--color", "never"],
    ),
    "check-sample.txt": (IN_ROOT, ["check", "plans", "--as-of", AS_OF]),
    "report-sample.md": (OUTSIDE_GIT, ["report", "plans", "--as-of", AS_OF]),
    "report-sample.html": (OUTSIDE_GIT, ["report", "plans", "--as-of", AS_OF, "--format", "html"]),
    "report-sample.txt": (OUTSIDE_GIT, ["report", "plans", "--as-of", AS_OF, "--format", "text"]),
}

#: As in a CI log: not a terminal, no COLUMNS (100 columns), no colour, not GitHub Actions;
#: reports "prepared on" 16 December 2022 (SOURCE_DATE_EPOCH), whatever the day of the run.
ENVIRONMENT = {"COLUMNS": None, "NO_COLOR": None, "GITHUB_ACTIONS": None,
               "GITHUB_STEP_SUMMARY": None, "TERM": None,
               "SOURCE_DATE_EPOCH": "1671148800"}  # fmt: skip


@contextmanager
def _folder(where: str) -> Iterator[Path]:
    if where == IN_ROOT:
        yield ROOT
        return
    scratch = Path(tempfile.mkdtemp(prefix="brag-golden-"))
    try:
        shutil.copytree(ROOT / "plans", scratch / "plans")
        yield scratch
    finally:
        shutil.rmtree(scratch)


def produce(name: str) -> str:
    """What the command of golden `name` prints today."""
    from bragcli.cli import cli

    where, args = GOLDENS[name]
    previous = Path.cwd()
    with _folder(where) as folder:
        os.chdir(folder)
        try:
            result = CliRunner(env=ENVIRONMENT).invoke(cli, args, catch_exceptions=False)
        finally:
            os.chdir(previous)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def update() -> list[str]:
    """Write every golden file; the names of those that changed."""
    changed = []
    for name in GOLDENS:
        text = produce(name)
        path = GOLDEN / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(name)
    return changed


# --- the goldens are today's output ------------------------------------------------------------


def test_every_golden_file_is_listed() -> None:
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(GOLDENS)


@pytest.mark.parametrize("name", list(GOLDENS))
def test_golden_is_todays_output(name: str) -> None:
    assert produce(name) == (GOLDEN / name).read_text(encoding="utf-8"), (
        f"{name} is stale: run python tests/test_goldens.py --update, read the diff, and say "
        "in the commit why it changed"
    )


# --- and each golden has the structure it must have ---------------------------------------------


def sample_json(*args: str) -> dict[str, object]:
    from bragcli.cli import cli

    previous = Path.cwd()
    os.chdir(ROOT)
    try:
        result = CliRunner(env=ENVIRONMENT).invoke(
            cli, ["status", "plans", "--as-of", AS_OF, "--format", "json", *args]
        )
    finally:
        os.chdir(previous)
    document: dict[str, object] = json.loads(result.stdout)
    return document


def totals() -> list[int]:
    counts = sample_json()["totals"]
    assert isinstance(counts, dict)
    return [counts[k] for k in ("blue", "green", "amber", "red", "not-started", "actions")]


def table_shapes(markdown: str) -> list[list[int]]:
    """For each Markdown table, the number of cells of its header and of each row."""
    from test_report import _tables

    return _tables(markdown)


def test_status_text_totals_match_the_json_and_fit_a_ci_log() -> None:
    text = produce("status-sample.txt")
    assert "\x1b" not in text
    assert max(cell_len(line) for line in text.splitlines()) <= 100
    total = next(line for line in text.splitlines() if line.startswith("Total "))
    assert [int(n) for n in total.split()[1:7]] == totals()


def test_status_markdown_tables_are_whole_and_total_right() -> None:
    markdown = produce("status-sample.md")
    shapes = table_shapes(markdown)
    assert len(shapes) >= 3 and all(len(set(rows)) == 1 for rows in shapes)
    total = next(line for line in markdown.splitlines() if line.startswith("| **Total**"))
    assert [int(c.strip(" *")) for c in total.split("|")[3:9]] == totals()


def test_actions_text_has_one_row_per_action_of_the_area() -> None:
    text = produce("actions-area-3.txt")
    actions = sample_json("--area", "3")["actions"]
    assert isinstance(actions, list)
    ids = [a["id"] for a in actions]
    rows = [line.split()[0] for line in text.splitlines() if re.match(r"3\.\d+ ", line)]
    assert rows == ids
    assert text.splitlines()[-1] == f"{len(ids)} actions"


def test_check_lines_are_positioned_problems() -> None:
    lines = produce("check-sample.txt").splitlines()
    pattern = r"plans/[\w-]+\.yaml:\d+:\d+: warning \[[a-z-]+\] .+"
    assert len(lines) == 17 and all(re.fullmatch(pattern, line) for line in lines)


def test_markdown_report_has_every_area_and_whole_tables() -> None:
    markdown = produce("report-sample.md")
    assert len(re.findall(r"^## \d+\. ", markdown, re.M)) == 10
    assert all(len(set(rows)) == 1 for rows in table_shapes(markdown))


class _Tags(HTMLParser):
    VOID = frozenset({"meta", "br", "hr", "img", "link", "input", "col"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.sections = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)
        labelled = dict(attrs).get("aria-labelledby") or ""
        if tag == "section" and labelled.startswith("area-"):
            self.sections += 1

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag


def test_html_report_is_well_formed_with_a_section_per_area() -> None:
    page = _Tags()
    page.feed(produce("report-sample.html"))
    page.close()
    assert page.open == [] and page.sections == 10


def test_text_report_names_every_action() -> None:
    text = produce("report-sample.txt")
    actions = sample_json()["actions"]
    assert isinstance(actions, list)
    missing = [
        a["id"] for a in actions if not re.search(rf"(?<![\d.]){re.escape(a['id'])}\b", text)
    ]
    assert missing == []


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_goldens.py --update")
    names = update()
    print("\n".join(f"updated tests/golden/{n}" for n in names) or "every golden is up to date")
