"""`brag report`: Markdown that renders, HTML that is safe, templates (golden appendices:
test_goldens.py)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import SAMPLE_AS_OF, SAMPLE_PLAN, Run


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """The sample plan outside git, so the report has no commit line that changes."""
    folder = tmp_path / "plans"
    shutil.copytree(SAMPLE_PLAN, folder)
    return folder


def report(run: Run, folder: Path, *args: str) -> str:
    result = run("report", folder, "--as-of", SAMPLE_AS_OF, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _tables(markdown: str) -> list[list[int]]:
    """For each table, the number of cells in its header and in each row."""
    tokens = MarkdownIt().enable("table").parse(markdown)
    tables: list[list[int]] = []
    cells = 0
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            cells = 0
        elif token.type in {"th_open", "td_open"}:
            cells += 1
        elif token.type == "tr_close":
            tables[-1].append(cells)
    return tables


def test_every_markdown_table_row_has_the_headers_columns(run: Run, sample_copy: Path) -> None:
    tables = _tables(report(run, sample_copy))
    # key, summary, attention, then per area actions (+ measures), roles
    assert len(tables) >= 3 + 10 + 1
    for widths in tables:
        assert len(set(widths)) == 1, widths


HOSTILE = "Fix | this <script>alert(1)</script>\nnew line # not a heading *bold* [x](javascript:y)"


@pytest.fixture
def hostile_plan(plan_dir: Callable[..., Path]) -> Path:
    quoted = HOSTILE.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    area = (
        f'id: "1"\ntitle: "{quoted}"\nactions:\n'
        f'  - id: "1.1"\n    title: "{quoted}"\n    lead: "<img src=x onerror=alert(1)>"\n'
        f'    deadline: March 2023\n    status: red\n    progress: ["{quoted}", "{{{{ 7*7 }}}}"]\n'
        f'outcomes:\n  - text: "{quoted}"\nmeasures:\n  - name: "{quoted}"\n'
        f"    readings: [{{period: 2022-12, value: 1}}]\n"
    )
    return plan_dir({"01.yaml": area})


def test_markdown_cannot_be_broken_by_user_text(run: Run, hostile_plan: Path) -> None:
    markdown = report(run, hostile_plan)
    for widths in _tables(markdown):
        assert len(set(widths)) == 1, widths
    rendered = MarkdownIt().enable("table").render(markdown)
    assert "<script>" not in rendered and "<img" not in rendered
    assert 'href="javascript:' not in rendered
    assert "<strong>bold" not in rendered and "<em>bold" not in rendered
    assert rendered.count("<h1>") == 1
    assert "{{ 7*7 }}" in rendered and "49" not in markdown  # not evaluated as a template


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.captions: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        self._in_caption = tag == "caption"

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.captions.append(data.strip())
            self._in_caption = False


def test_html_has_semantic_tables(run: Run, sample_copy: Path) -> None:
    page = _Page()
    page.feed(report(run, sample_copy, "--format", "html"))
    assert page.tags.count("table") == page.tags.count("caption") == page.tags.count("thead")
    assert "What each rating means" in page.captions
    assert "Actions of improvement area 10" in page.captions
    assert "Lead roles and the people who hold them" in page.captions
    assert ("scope", "col") in page.attributes and ("lang", "en-GB") in page.attributes


def test_html_user_text_is_inert(run: Run, hostile_plan: Path) -> None:
    html = report(run, hostile_plan, "--format", "html")
    page = _Page()
    page.feed(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert not [name for name, _ in page.attributes if name.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not [
        v for name, v in page.attributes if name in {"href", "src"} and "javascript" in (v or "")
    ]
    assert "{{ 7*7 }}" in html


def test_report_names_the_git_commit(run: Run, sample_copy: Path) -> None:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(sample_copy), *args], capture_output=True, text=True, check=True
        ).stdout.strip()

    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "plan")
    sha = git("rev-parse", "HEAD")
    day = date.fromisoformat(git("log", "-1", "--format=%cs"))
    date_text = f"{day.day} {day:%B %Y}"
    clean = report(run, sample_copy)
    assert f"from the plan as recorded on {date_text} (reference {sha[:7]})." in clean
    assert "not yet recorded" not in clean
    (sample_copy / "02-workforce.yaml").write_text(
        (sample_copy / "02-workforce.yaml").read_text().replace("status: amber", "status: red")
    )
    assert "The plan had changes not yet recorded in git" in report(run, sample_copy)


def test_output_file(run: Run, sample_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "appendix.html"
    result = run("report", sample_copy, "--as-of", SAMPLE_AS_OF, "--format", "html", "-o", target)
    assert result.stdout == ""
    assert result.stderr == f"brag report: wrote {target}\n"
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_custom_template(run: Run, sample_copy: Path, tmp_path: Path) -> None:
    template = tmp_path / "board.md.j2"
    template.write_text(
        "# {{ plan.title }} ({{ as_of | uk_date }})\n"
        "{% for a in areas %}- {{ a.area.id }}: {{ a.totals.status[ratings[3]] }} red\n"
        "{% endfor %}"
    )
    out = report(run, sample_copy, "--template", template)
    assert out.startswith(
        "# Herefordshire Children's Services Improvement Plan (15 December 2022)\n"
    )
    assert "- 3: 1 red\n" in out


def test_template_typo_fails_loudly_with_its_line(
    run: Run, sample_copy: Path, tmp_path: Path
) -> None:
    template = tmp_path / "typo.md.j2"
    template.write_text("# {{ plan.title }}\n\n{{ plan.titel }}\n")
    result = run("report", sample_copy, "--template", template)
    assert result.exit_code == 2
    assert result.stderr == (
        f"brag: {template}:3: no field 'titel' here; did you mean 'title'? (the fields here: "
        "title, organisation, version, start, quarters, roles, brag_key)\n"
    )


def test_template_syntax_error(run: Run, sample_copy: Path, tmp_path: Path) -> None:
    template = tmp_path / "broken.md.j2"
    template.write_text("{% for a in areas %}\n")
    result = run("report", sample_copy, "--template", template)
    assert result.exit_code == 2
    assert "broken.md.j2:1: template syntax error: Unexpected end of template" in result.stderr


@pytest.mark.parametrize(
    "expression",
    [
        "plan.__class__.__mro__",
        "plan.model_config.__class__.__init__.__globals__",
        "as_of.__class__.__subclasses__()",
        "''.__class__.__mro__[1].__subclasses__()",
    ],
)
def test_sandbox_refuses_python_internals(
    run: Run, sample_copy: Path, tmp_path: Path, expression: str
) -> None:
    template = tmp_path / "evil.md.j2"
    template.write_text(f"{{{{ {expression} }}}}\n")
    result = run("report", sample_copy, "--template", template)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"brag: {template}:1: ")
    assert "class" not in result.stdout


def test_missing_template(run: Run, sample_copy: Path, tmp_path: Path) -> None:
    result = run("report", sample_copy, "--template", tmp_path / "nope.j2")
    assert result.exit_code == 2
    assert result.stderr == f"brag: {tmp_path / 'nope.j2'}: no such template file\n"
