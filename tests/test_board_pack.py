"""The board pack: `brag report` as a committee prints, publishes and pastes it.

"Since the last board" (--since, --since-tag-prefix) from the same change set as brag diff;
the print layout of the HTML (A4 landscape, page numbers, running header, reflow on a narrow
screen); what each action and area shows (success criteria, source, first agreed deadline,
dated notes, impact evidence, owner, area ratings, measure series); --format pdf and docx.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType

import pytest

from conftest import SAMPLE_AS_OF, SAMPLE_PLAN, Run
from test_history import (
    Repo,
    repo,  # noqa: F401  (the fixture: three board cycles in git)
)

#: 16 December 2022, the "Prepared on" date of every report here
EPOCH = "1671148800"

AREA = """\
id: "1"
title: Corporate responsibility for children in care, a title longer than eighty characters in all
lead: Lead A
status: amber
impact: green
actions:
  - id: "1.1"
    title: Appoint an improvement director
    lead: Lead A
    deadline: March 2023
    baseline: December 2022
    status: green
    impact: amber
    success_criteria: A director in post with a clear mandate
    source: Ofsted ILACS 2022, recommendation 4
    impact_evidence: [Staff survey, Audit findings]
    progress:
      - 2022-11-28: First board held
      - Interviews arranged
measures:
  - name: Caseloads per social worker
    good: range
    target: 16-20
    readings:
      - {period: 2022-10, value: 24}
      - {period: 2022-11, value: 22}
      - {period: 2022-12, value: 19}
"""


def _need_weasyprint() -> None:
    """Skip where WeasyPrint cannot run: not installed, or the Pango library it loads when
    imported is missing (an OSError, which pytest.importorskip does not catch)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as e:
        pytest.skip(f"WeasyPrint cannot run here: {e}")


@pytest.fixture(autouse=True)
def _prepared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def report(run: Run, folder: Path, *args: str | Path, as_of: str = SAMPLE_AS_OF) -> str:
    result = run("report", folder, "--as-of", as_of, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture
def keyed(plan_dir: Callable[..., Path]) -> Path:
    plan = "title: Test plan\norganisation: Test Council\nroles:\n  Lead A: Ann Smith\n"
    return plan_dir({"01-area.yaml": AREA}, plan=plan)


# --- the print layout ----------------------------------------------------------------------------


def test_html_prints_a4_landscape_with_page_numbers_and_a_running_header(
    run: Run, keyed: Path
) -> None:
    html = report(run, keyed, "--format", "html")
    page = html[html.index("@page") : html.index("@media print")]
    assert "size: A4 landscape;" in page
    assert '"Page " counter(page) " of " counter(pages)' in page
    assert "@top-left" in page and "@top-right" in page  # the running header
    portrait = report(run, keyed, "--format", "html", "--orientation", "portrait")
    assert "size: A4 portrait;" in portrait


def test_print_rules_keep_rows_whole_repeat_headers_and_fix_table_widths(
    run: Run, keyed: Path
) -> None:
    html = report(run, keyed, "--format", "html")
    css = html[html.index("<style>") : html.index("</style>")]
    printed = css[css.index("@media print") :]
    assert "tr, li { break-inside: avoid; }" in printed
    assert "thead { display: table-header-group; }" in printed
    assert "table-layout: fixed" in css  # a table never grows past the printable width
    # one type scale: table text is sized from the body text (em), never from the root (rem)
    assert not re.search(r"font-size:\s*[.\d]+rem", css.replace("font-size: 1rem", ""))


class _Cells(HTMLParser):
    """Every cell of every reflowing table: (tag, its data-label or None)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.cells: list[tuple[str, str | None]] = []
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and "reflow" in (found.get("class") or ""):
            self.depth += 1
        elif tag == "thead":
            self.in_head = True
        elif tag in {"td"} and self.depth and not self.in_head:
            self.cells.append((tag, found.get("data-label")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1
        elif tag == "thead":
            self.in_head = False


def test_every_cell_is_labelled_for_the_narrow_screen(run: Run) -> None:
    html = report(run, SAMPLE_PLAN, "--format", "html")
    assert "@media screen and (max-width: 40em)" in html
    cells = _Cells()
    cells.feed(html)
    assert len(cells.cells) > 400
    assert [c for c in cells.cells if not c[1]] == []


# --- what the report says ------------------------------------------------------------------------


def test_provenance_is_plain_words_in_one_date_style(run: Run, tmp_path: Path) -> None:
    copy = tmp_path / "plans"
    shutil.copytree(SAMPLE_PLAN, copy)
    for fmt in ("markdown", "html", "text"):
        text = report(run, copy, "--format", fmt)
        head = text[: text.index("BRAG")]
        assert "Prepared on 16 December 2022 from plan files that are not kept in git" in " ".join(
            head.split()
        )
        assert not re.search(r"\b\d{4}-\d\d-\d\d\b", re.sub(r'datetime="[^"]*"', "", head))


def test_area_titles_are_never_cut(run: Run, keyed: Path) -> None:
    title = "Corporate responsibility for children in care, a title longer than eighty characters"
    for fmt in ("markdown", "html", "text"):
        text = " ".join(report(run, keyed, "--format", fmt).split())
        summary = text[text.index("Summary") if "Summary" in text else 0 :]
        assert "…" not in summary
    html = report(run, keyed, "--format", "html")
    assert f'<th scope="row">1. {title} in all</th>' in html


@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_each_action_shows_criteria_source_baseline_evidence_and_dated_notes(
    run: Run, keyed: Path, fmt: str
) -> None:
    text = " ".join(re.sub(r"<[^>]*>", "", report(run, keyed, "--format", fmt)).split())
    for expected in (
        "Success criteria",
        "A director in post with a clear mandate",
        "Ofsted ILACS 2022, recommendation 4",
        "First agreed: December 2022",
        "Staff survey; Audit findings",
        "28 November 2022: First board held",
        "Interviews arranged",
        "Area owner",
        "Ann Smith, Lead A",
        "Board's rating of the area",
    ):
        assert expected in text, (fmt, expected)
    assert "2022-11-28" not in text.replace('datetime="2022-11-28"', "")
    # without --since no note is marked new
    assert not {'class="new"', "**new**", "[new]"} & {
        m for m in re.findall(r'class="new"|\*\*new\*\*|\[new\]', text)
    }


def test_measure_series_is_a_table_with_a_sparkline_that_says_the_trend(
    run: Run, keyed: Path
) -> None:
    html = report(run, keyed, "--format", "html")
    for reading in ("2022-10: 24", "2022-11: 22", "2022-12: 19"):
        assert reading in html
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    label = root.get("aria-label") or ""
    assert "3 readings; fell from 24 (2022-10) to 19 (2022-12)" in label
    assert "target 16-20, met by the latest" in label


@pytest.mark.parametrize(
    "values",
    [
        [float("nan"), 1.0, 2.0],
        [1e308, -1e308, 5.0],
        [float("inf"), float("-inf")],
        [True, "7", None, 3, 4],
    ],
)
def test_sparkline_stays_valid_and_small_whatever_the_values(values: list[object]) -> None:
    from bragcli.render.sparkline import sparkline

    svg = str(sparkline(values, float("nan"), 1e309, label='a "label" <b>&'))
    if svg:
        root = ET.fromstring(svg)
        assert root.get("aria-label") == 'a "label" <b>&'
        assert "nan" not in svg.lower() and "inf" not in svg.lower()
        assert len(svg) < 2000


# --- since the last board ------------------------------------------------------------------------


def test_no_since_section_without_since(run: Run, repo: Repo) -> None:  # noqa: F811
    for fmt in ("markdown", "html", "text"):
        assert "ince the last board" not in report(run, repo.plans, "--format", fmt)
        assert "SINCE THE LAST BOARD" not in report(run, repo.plans, "--format", fmt)


def test_since_section_holds_every_change_brag_diff_shows(run: Run, repo: Repo) -> None:  # noqa: F811
    result = run("diff", "board-2023-01", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.stderr
    diff = json.loads(result.stdout)["changes"]
    assert diff
    md = report(run, repo.plans, "--since", "board-2023-01", as_of="2023-03-15")
    section = md[md.index("## Since the last board (10 January 2023)") : md.index("## BRAG key")]
    from bragcli.compute.changes import Change, ChangeKind, Direction

    for c in diff:
        change = Change(
            c["id"], c["area"], c["title"], ChangeKind(c["kind"]), c["from"], c["to"],
            Direction(c["direction"]) if c.get("direction") else None,
            c.get("slip_days"), tuple(c.get("notes", ())),
        )  # fmt: skip
        assert f"| {c['id']} | {c['area']} | {c['title']} | {change.describe()}" in section
    assert "### Rating changes" in section
    assert "### Deadlines re-planned" in section
    assert "### New actions" in section
    assert "### New progress notes" in section


def test_notes_new_since_the_board_are_marked(run: Run, repo: Repo) -> None:  # noqa: F811
    md = report(run, repo.plans, "--since", "board-2023-01", as_of="2023-03-15")
    row = next(line for line in md.splitlines() if line.startswith("| 2.3 | Action 2.3 |"))
    assert "• Started" in row and "• **new** Workshop held" in row
    assert "**new**" not in report(run, repo.plans, as_of="2023-03-15")


def test_since_tag_prefix_takes_the_newest_tag_before_the_report(run: Run, repo: Repo) -> None:  # noqa: F811
    repo.git("tag", "board-2023-03")  # on HEAD: the report's own commit is not "the last board"
    md = report(run, repo.plans, "--since-tag-prefix", "board-", as_of="2023-03-15")
    assert "## Since the last board (10 January 2023)" in md
    assert "board-2023-01" in md


def test_became_overdue_is_listed(run: Run, repo: Repo) -> None:  # noqa: F811
    html = report(
        run, repo.plans, "--format", "html", "--since", "board-2023-01", as_of="2023-04-20"
    )
    assert "Became overdue (" in html


def test_since_context_is_plain_immutable_data(repo: Repo) -> None:  # noqa: F811
    from bragcli.compute.changes import diff_plans
    from bragcli.render.appendix_context import CONTEXT_TYPES, SinceBoard, report_context
    from bragcli.source.load import load_plan, plan_at

    now = load_plan(repo.plans, max_bytes=1 << 20)
    then, revision = plan_at(repo.plans, "board-2023-01", max_bytes=1 << 20)
    assert now.plan and then.plan
    since = SinceBoard(
        "board-2023-01", revision.sha[:7], revision.date, then.plan,
        [s.area for s in then.areas],
        diff_plans(then.plan, [s.area for s in then.areas], now.plan, [s.area for s in now.areas]),
    )  # fmt: skip
    context = report_context(
        now.plan, [s.area for s in now.areas], date(2023, 3, 15), None, since=since
    )
    seen = 0

    def walk(value: object) -> None:
        nonlocal seen
        seen += 1
        assert type(value) in CONTEXT_TYPES, type(value)
        if isinstance(value, Mapping):
            assert isinstance(value, MappingProxyType)
            for item in value.values():
                walk(item)
        elif isinstance(value, tuple):
            for item in value:
                walk(item)

    walk(context)
    assert context["since"]["count"] > 0 and seen > 100


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--since", "--output=x"], "is not a revision"),
        (["--since", "\x1b[31mboard"], "is not a commit"),
        (["--since", "board-2023-01", "--since-tag-prefix", "board-"], "not both"),
        (["--since-tag-prefix", "board-*"], "no tag starting with 'board-*'"),
        (["--since-tag-prefix", "board-[0-9]"], "no tag starting with"),
        (["--since-tag-prefix", "\x1b]0;pwned\x07"], "no tag starting with"),
    ],
)
def test_hostile_since_is_refused_in_one_clear_line(
    run: Run,
    repo: Repo,  # noqa: F811
    args: list[str],
    said: str,
) -> None:
    result = run("report", repo.plans, "--as-of", "2023-03-15", *args)
    assert result.exit_code == 2
    assert said in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (repo.root / "x").exists()


def test_since_outside_git_says_so(run: Run, keyed: Path) -> None:
    result = run("report", keyed, "--as-of", SAMPLE_AS_OF, "--since", "HEAD~1")
    assert result.exit_code == 2
    assert "not in a git repository" in result.stderr


# --- hostile text in the new places --------------------------------------------------------------


def test_hostile_notes_and_titles_cannot_leave_their_element(
    run: Run, plan_dir: Callable[..., Path]
) -> None:
    evil = '"; } </style><script>alert(1)</script> \\" '
    plan = f"title: '{evil}'\norganisation: Test Council\n"
    area = AREA.replace("Interviews arranged", "'</script><img src=x onerror=alert(1)>'")
    folder = plan_dir({"01-area.yaml": area}, plan=plan)
    html = report(run, folder, "--format", "html")
    assert html.count("</style>") == 1
    assert "<script>" not in html and "<img" not in html
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    page = html[html.index("@page") : html.index("@media print")]
    top_left = re.search(r"@top-left \{ content: (\"[^\"]*\");", page)
    assert top_left and "<" not in top_left.group(1) and "\\00003c" in top_left.group(1)


def test_prepared_date_from_a_bad_source_date_epoch_is_refused(
    run: Run, keyed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for bad in ("yesterday", "1e9", "99999999999999999999", "-5", "1\n2", "\uff11\uff12\uff13"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", bad)
        result = run("report", keyed, "--as-of", SAMPLE_AS_OF)
        assert result.exit_code == 2, bad
        assert result.stderr.startswith("brag: SOURCE_DATE_EPOCH=")
        assert "\n" not in result.stderr.strip()


# --- PDF -----------------------------------------------------------------------------------------


def _pdf_pages(data: bytes) -> list[tuple[float, float, str]]:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [
        (float(p.mediabox.width), float(p.mediabox.height), p.extract_text() or "")
        for p in reader.pages
    ]


def test_pdf_of_the_sample_is_landscape_numbered_and_at_most_25_pages(
    run: Run, tmp_path: Path
) -> None:
    _need_weasyprint()
    target = tmp_path / "appendix.pdf"
    result = run("report", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, "--format", "pdf", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"brag report: wrote {target}\n" and result.stdout == ""
    pages = _pdf_pages(target.read_bytes())
    assert 10 <= len(pages) <= 25
    assert all(width > height for width, height, _ in pages)  # landscape
    for number, (_, _, text) in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Herefordshire Children's Services Improvement Plan" in text
    text = " ".join(t for _, _, t in pages)
    from bragcli.source.load import load_plan

    ids = [a.id for s in load_plan(SAMPLE_PLAN, max_bytes=1 << 20).areas for a in s.area.actions]
    assert len(ids) == 62
    assert [i for i in ids if not re.search(rf"(?<![\d.]){re.escape(i)}(?![\d])", text)] == []


def test_pdf_portrait_and_a_custom_html_template(run: Run, keyed: Path, tmp_path: Path) -> None:
    _need_weasyprint()
    target = tmp_path / "a.pdf"
    result = run(
        "report", keyed, "--as-of", SAMPLE_AS_OF, "--format", "pdf", "-o", target,
        "--orientation", "portrait",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert all(w < h for w, h, _ in _pdf_pages(target.read_bytes()))
    template = tmp_path / "mine.html.j2"
    template.write_text("<html><body><h1>{{ plan.title }} for the board</h1></body></html>")
    result = run(
        "report", keyed, "--as-of", SAMPLE_AS_OF, "--format", "pdf", "-o", target,
        "--template", template,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Test plan for the board" in _pdf_pages(target.read_bytes())[0][2]


def test_pdf_template_cannot_read_local_files(run: Run, keyed: Path, tmp_path: Path) -> None:
    _need_weasyprint()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    template = tmp_path / "leak.html.j2"
    template.write_text(
        f'<html><head><link rel="attachment" href="file://{secret}">'
        f'<link rel="stylesheet" href="file://{secret}"></head>'
        f'<body><img src="file://{secret}" alt="x"><p>hello</p></body></html>'
    )
    target = tmp_path / "leak.pdf"
    result = run(
        "report", keyed, "--as-of", SAMPLE_AS_OF, "--format", "pdf", "-o", target,
        "--template", template,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(target.read_bytes()))
    assert dict(reader.attachments) == {}  # WeasyPrint's own fetcher would attach the file
    assert "TOP-SECRET-VALUE" not in "".join(p.extract_text() or "" for p in reader.pages)
    assert "hello" in reader.pages[0].extract_text()


@pytest.mark.parametrize(
    ("fmt", "module", "extra"), [("pdf", "weasyprint", "pdf"), ("docx", "docx", "docx")]
)
def test_missing_extra_is_one_clear_line(
    run: Run, keyed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    fmt: str, module: str, extra: str,
) -> None:  # fmt: skip
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    result = run("report", keyed, "--as-of", SAMPLE_AS_OF, "--format", fmt, "-o", tmp_path / "r")
    assert result.exit_code == 2
    assert f"pip install 'bragcli[{extra}]'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_binary_formats_need_an_output_file(run: Run, keyed: Path, fmt: str) -> None:
    result = run("report", keyed, "--as-of", SAMPLE_AS_OF, "--format", fmt)
    assert result.exit_code == 2
    assert f"-o report.{fmt}" in result.stderr
    assert result.stdout == ""


# --- Word ----------------------------------------------------------------------------------------


def _docx(run: Run, folder: Path, target: Path, *args: str) -> object:
    docx = pytest.importorskip("docx")
    result = run("report", folder, "--as-of", SAMPLE_AS_OF, "--format", "docx", "-o", target, *args)
    assert result.exit_code == 0, result.stderr
    return docx.Document(str(target))


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_word_document_has_headings_landscape_page_numbers_and_worded_shaded_ratings(
    run: Run, tmp_path: Path
) -> None:
    doc = _docx(run, SAMPLE_PLAN, tmp_path / "a.docx")
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]  # type: ignore[attr-defined]
    assert headings[:3] == ["BRAG key", "Summary by improvement area", "Overdue and red actions"]
    assert sum(1 for h in headings if re.match(r"\d+\. ", h)) == 10
    assert "Glossary of roles" in headings
    section = doc.sections[0]  # type: ignore[attr-defined]
    assert section.page_width > section.page_height
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    tables = doc.tables  # type: ignore[attr-defined]
    assert len(tables) >= 13
    for table in tables:
        header = table.rows[0]._tr
        assert header.find(f"{W}trPr/{W}tblHeader") is not None
    key = tables[0]
    words = [row.cells[0].text for row in key.rows[1:]]
    assert words == ["Blue", "Green", "Amber", "Red", "Not started"]
    fills = [row.cells[0]._tc.find(f"{W}tcPr/{W}shd").get(f"{W}fill") for row in key.rows[1:]]
    assert fills == ["1D4ED8", "166534", "FBBF24", "B91C1C", "E5E7EB"]
    text = "\n".join(c.text for t in tables for row in t.rows for c in row.cells)
    from bragcli.source.load import load_plan

    for s in load_plan(SAMPLE_PLAN, max_bytes=1 << 20).areas:
        for action in s.area.actions:
            assert action.title in text


def test_word_document_portrait_and_control_characters(
    run: Run, plan_dir: Callable[..., Path], tmp_path: Path
) -> None:
    area = AREA.replace("Interviews arranged", '"Bell\\x07 and \\x1b[31mred\\x0c done"')
    folder = plan_dir({"01-area.yaml": area})
    doc = _docx(run, folder, tmp_path / "b.docx", "--orientation", "portrait")
    section = doc.sections[0]  # type: ignore[attr-defined]
    assert section.page_width < section.page_height
    text = "\n".join(
        c.text
        for t in doc.tables
        for row in t.rows
        for c in row.cells  # type: ignore[attr-defined]
    )
    assert "Bell\\x07 and \\x1b[31mred\\x0c done" in text
    assert "\x07" not in text and "\x1b" not in text


def test_docx_takes_no_template(run: Run, keyed: Path, tmp_path: Path) -> None:
    template = tmp_path / "t.j2"
    template.write_text("x")
    result = run(
        "report", keyed, "--as-of", SAMPLE_AS_OF, "--format", "docx", "-o", tmp_path / "r.docx",
        "--template", template,
    )  # fmt: skip
    assert result.exit_code == 2
    assert "leave out --template" in result.stderr


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_word_document_opens_in_libreoffice_on_few_pages(run: Run, tmp_path: Path) -> None:
    _docx(run, SAMPLE_PLAN, tmp_path / "a.docx")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(tmp_path / "a.docx")],
        capture_output=True, check=True, timeout=240,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    pages = _pdf_pages((tmp_path / "a.pdf").read_bytes())
    assert 10 <= len(pages) <= 25
    assert all(w > h for w, h, _ in pages)


def test_first_agreed_deadline_and_replans_come_from_git_history(run: Run, repo: Repo) -> None:  # noqa: F811
    # 1.1: March 2023 (January) -> June 2023 (February) -> September 2023 (March)
    md = report(run, repo.plans, as_of="2023-03-15")
    row = next(line for line in md.splitlines() if line.startswith("| 1.1 | Action 1.1 |"))
    assert "September 2023<br>First agreed: March 2023 (re-planned 2 times)" in row
    row = next(line for line in md.splitlines() if line.startswith("| 1.2 | Action 1.2 |"))
    assert "First agreed" not in row
    older = report(run, repo.plans, "--rev", "board-2023-01", as_of="2023-03-15")
    assert "First agreed" not in older


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_binary_report_is_never_written_into_the_plan_or_onto_a_folder(
    run: Run, keyed: Path, tmp_path: Path, fmt: str
) -> None:
    _need_weasyprint() if fmt == "pdf" else pytest.importorskip("docx")
    before = sorted(p.name for p in keyed.iterdir())
    result = run("report", keyed, "--as-of", SAMPLE_AS_OF, "--format", fmt, "-o", keyed / "r")
    assert result.exit_code == 2
    assert "plan folder" in result.stderr
    assert sorted(p.name for p in keyed.iterdir()) == before
    folder = tmp_path / "a-folder"
    folder.mkdir()
    result = run("report", keyed, "--as-of", SAMPLE_AS_OF, "--format", fmt, "-o", folder)
    assert result.exit_code == 2
    assert "is a directory" in result.stderr
    link = tmp_path / "link.docx"
    link.symlink_to(keyed / "01-area.yaml")
    result = run("report", keyed, "--as-of", SAMPLE_AS_OF, "--format", fmt, "-o", link)
    assert result.exit_code == 2
    assert (keyed / "01-area.yaml").read_text(encoding="utf-8") == AREA


def test_a_measure_with_a_series_gets_a_table_of_its_readings_in_every_format(
    run: Run, keyed: Path, tmp_path: Path
) -> None:
    """Each reading of a series on its own row (period, value, whether it meets the target):
    the issue's "each measure's series as a table". One reading needs no table of its own."""
    html = report(run, keyed, "--format", "html")
    table = html[html.index('<table class="reflow series">') :]
    table = table[: table.index("</table>")]
    assert "<caption>Readings of Caseloads per social worker (target: 16-20)</caption>" in table
    rows = [row for row in table.split("<tr>")[2:]]
    assert len(rows) == 3
    assert ">2022-10</td>" in rows[0] and ">24</td>" in rows[0] and ">no</td>" in rows[0]
    assert ">2022-12</td>" in rows[2] and ">19</td>" in rows[2] and ">yes</td>" in rows[2]
    md = report(run, keyed, "--format", "markdown")
    assert "| Period | Value | Meets target | Source |" in md
    assert "| 2022-11 | 22 | no | – |" in md
    text = report(run, keyed, "--format", "text")
    assert "Period          Value       Meets target" in text
    assert "2022-12         19          yes" in text
    # the sample plan's measures have one reading each: no series table
    sample = report(run, SAMPLE_PLAN, "--format", "html")
    assert 'class="reflow series"' not in sample


def test_word_has_the_series_table_too(run: Run, keyed: Path, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    out = tmp_path / "r.docx"
    result = run("report", keyed, "--as-of", SAMPLE_AS_OF, "--format", "docx", "-o", out)
    assert result.exit_code == 0, result.stderr
    tables = docx.Document(str(out)).tables
    series = [t for t in tables if t.rows[0].cells[0].text == "Period"]
    assert len(series) == 1
    assert [c.text for c in series[0].rows[3].cells] == ["2022-12", "19", "yes", "–"]
