"""The README and the pages of docs/ show real output: every block marked `<!-- brag ARGS -->`
is what that command prints today, and every table marked `<!-- codes: LEVEL -->` is rendered
from the registry of problem codes. Run `python tests/test_readme.py --update` to refresh them
on every page after a change (then read the diff: it is what users will see). A page another
program writes (docs/performance.md, by benchmarks/run.py) is never rewritten.
"""

from __future__ import annotations

import atexit
import os
import re
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from docpages import README, ROOT, all_pages, is_generated, page, refreshable_pages

BLOCK = re.compile(
    r"(?P<head><!-- (?:in (?P<where>the demo history|a scratch folder|the officer's folder): )?"
    r"(?P<command>brag [^\n]*?) -->\n```[a-z]*\n)"
    r"(?P<body>.*?)(?P<tail>```\n)",
    re.DOTALL,
)
#: A table of problem codes, rendered by `bragcli.rules.registry.markdown_table`.
CODES_TABLE = re.compile(
    r"(?P<head><!-- codes: (?P<level>error|warning) -->\n)(?P<body>.*?)"
    r"(?P<tail><!-- end codes -->\n)",
    re.DOTALL,
)
#: reports in the pages are "prepared on" 31 March 2023, whatever the day they are refreshed
README_PREPARED = "1680220800"
_demo: list[Path] = []
_scratch: list[Path] = []
#: the officer's folder of each page: a page's loop writes the plan, and must not change
#: what another page's loop starts from
_office: dict[str, Path] = {}


@atexit.register
def _remove_temporary_folders() -> None:
    """The demo repository and scratch folders live for one run, and are removed after it."""
    for folder in (*_scratch, *(d.parent for d in (*_demo, *_office.values()))):
        shutil.rmtree(folder, ignore_errors=True)


def scratch_folder() -> Path:
    """An empty folder with a copy of examples/tracker.csv, shared by one refresh of the pages."""
    if not _scratch:
        folder = Path(tempfile.mkdtemp(prefix="brag-scratch-"))
        shutil.copy(ROOT / "examples" / "tracker.csv", folder / "tracker.csv")
        _scratch.append(folder)
    return _scratch[0]


def demo_repository() -> Path:
    """The repository examples/demo_history.py builds, made once per run."""
    if not _demo:
        sys.path.insert(0, str(ROOT / "examples"))
        from demo_history import build

        folder = Path(tempfile.mkdtemp(prefix="brag-demo-")) / "demo"
        build(folder)
        _demo.append(folder)
    return _demo[0]


def officer_folder(page: str = "") -> Path:
    """The folder examples/officer_loop.py builds (the plan in git, the tracker a lead sent
    back), made once per run for each page: the blocks of one page run in order in it."""
    if page not in _office:
        sys.path.insert(0, str(ROOT / "examples"))
        from officer_loop import build

        folder = Path(tempfile.mkdtemp(prefix="brag-office-")) / "office"
        build(folder)
        _office[page] = folder
    return _office[page]


def run_block(command: str, where: str | None = None, page: str = "") -> str:
    """Run `brag ARGS [| head -N]` as a user would, from the repository root.

    Git is hidden from the command (GIT_DIR=/dev/null) so that the output does not change
    with every commit; the pages say what a report read from git shows instead. A block
    "in the demo history", "in a scratch folder" or "in the officer's folder" runs there
    instead, on whichever page it is.
    """
    from bragcli.cli import cli

    brag_part, _, pipe = command.partition(" | ")
    args = shlex.split(brag_part)[1:]
    previous = Path.cwd()
    saved = {name: os.environ.pop(name, None) for name in ("COLUMNS", "GIT_DIR")}
    folder = {
        "the demo history": demo_repository,
        "a scratch folder": scratch_folder,
        "the officer's folder": lambda: officer_folder(page),
    }
    os.chdir(folder[where]() if where else ROOT)
    try:
        env = {"GIT_DIR": os.devnull} if where is None else {}
        env["SOURCE_DATE_EPOCH"] = README_PREPARED
        result = CliRunner(env=env).invoke(cli, args, prog_name="brag", terminal_width=88)
    finally:
        os.chdir(previous)
        for name, value in saved.items():
            if value is not None:
                os.environ[name] = value
    output = result.output
    if pipe:
        match = re.fullmatch(r"head -(\d+)", pipe)
        assert match, f"only '| head -N' is supported in output blocks, not {pipe!r}"
        output = "".join(output.splitlines(keepends=True)[: int(match[1])])
    shown = f"$ {command}\n{output}"
    if result.exit_code:
        shown += f"$ echo $?\n{result.exit_code}\n"
    return shown


def refreshed(text: str, page: str = "") -> str:
    from bragcli.problems import Level
    from bragcli.rules.registry import markdown_table

    text = BLOCK.sub(
        lambda m: m["head"] + run_block(m["command"], m["where"], page) + m["tail"], text
    )
    return CODES_TABLE.sub(
        lambda m: m["head"] + markdown_table(Level(m["level"])) + m["tail"], text
    )


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", refreshable_pages(), ids=_name)
def test_page_output_is_real(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text == refreshed(text, _name(path)), (
        f"{_name(path)}: output is stale: run python tests/test_readme.py --update"
    )


def test_the_readme_and_the_reference_show_real_output() -> None:
    """The landing page has its tour, and the reference its examples and codes, all generated."""
    readme = README.read_text(encoding="utf-8")
    assert BLOCK.search(readme), "README has no generated blocks"
    # the officer's loop, end to end: export, a lead's edits back with a dry run, the real
    # run, and what git then shows
    loop = [m["command"] for m in BLOCK.finditer(readme) if m["where"] == "the officer's folder"]
    assert [c.split(" --as-of")[0] for c in loop] == [
        "brag export plans -o tracker.xlsx",
        "brag import tracker-edited.xlsx --update --dry-run",
        "brag import tracker-edited.xlsx --update",
        "brag diff",
    ]
    for name in ("commands.md", "history.md", "report.md", "spreadsheets.md"):
        assert BLOCK.search(page(name)), f"docs/{name} has no generated blocks"
    assert len(CODES_TABLE.findall(page("rules.md"))) == 2


def test_update_never_rewrites_a_generated_page() -> None:
    """docs/performance.md is benchmarks/run.py's: --update refreshes every other page only."""
    performance = ROOT / "docs" / "performance.md"
    assert is_generated(performance)
    assert performance not in refreshable_pages()
    assert set(all_pages()) - set(refreshable_pages()) == {performance}


def test_no_page_shows_the_day_it_was_refreshed() -> None:
    """Every example is pinned (--as-of, two revisions, SOURCE_DATE_EPOCH), so it reads the same
    whatever the day: a `brag diff` without --as-of once showed "as of" the day of the refresh,
    and went stale the day after."""
    from datetime import date

    today = date.today()
    shown = (today.isoformat(), f"{today.day} {today:%B %Y}", f"{today:%d/%m/%Y}")
    for path in refreshable_pages():
        text = path.read_text(encoding="utf-8")
        assert not any(day in text for day in shown), f"{_name(path)} shows today's date"


def test_ci_runs_the_readme_test_command() -> None:
    text = README.read_text(encoding="utf-8")
    quick_start = text[
        text.index("## Quick start") : text.index("## ", text.index("## Quick start") + 3)
    ]
    readme_commands = re.findall(r"^(python3 -m venv \.venv && .*)$", quick_start, re.M)
    assert len(readme_commands) == 2, readme_commands
    install_and_status, tests = readme_commands
    assert "pip install ." in install_and_status and "brag status" in install_and_status
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()


def test_the_template_example_renders(tmp_path: Path) -> None:
    from bragcli.cli import cli

    (example,) = re.findall(r"```jinja\n(.*?)```", page("templates.md"), re.S)
    template = tmp_path / "board.md.j2"
    template.write_text(example, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["report", str(ROOT / "plans"), "--template", str(template), "--as-of", "2022-12-15"]
    )
    assert result.exit_code == 0, result.output
    assert "| 3. The timely and robust identification and… | 1 | 1 |\n" in result.output


def update() -> None:
    """Refresh every page's output blocks and tables of codes, and say which pages changed."""
    for path in refreshable_pages():
        text = path.read_text(encoding="utf-8")
        new = refreshed(text, _name(path))
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"wrote {_name(path)}", file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        update()
    else:
        sys.exit("usage: python tests/test_readme.py --update")


def test_safety_section_names_tests_that_exist() -> None:
    section = page("safety.md")
    assert section.startswith("# Safety\n"), "docs/safety.md lost its title"
    assert "](docs/safety.md)" in README.read_text(encoding="utf-8"), "README lost its link"
    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    names = set(re.findall(r"(?<![\w/])(test_\w+)(?!\.py)", section))
    assert len(names) >= 15
    for name in names:
        assert f"def {name}(" in sources, name
    for path in re.findall(r"`(tests/[\w/.-]+?)(?:::|`)", section):
        assert list(ROOT.glob(path.replace("*", "?*"))), path
