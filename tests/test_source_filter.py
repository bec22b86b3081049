"""`--source TEXT` on report and export, as on status and actions: only the actions whose
`source:` contains TEXT, in any case. A committee asks what became of its own
recommendations; the clerk gives it the appendix of just those."""

from __future__ import annotations

import csv
import io

from conftest import SAMPLE_AS_OF, SAMPLE_PLAN, Run

AREA_3 = "Ofsted ILACS inspection, July 2022, area for improvement 3"


def _ids(text: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0].startswith("# bragcli export")  # the export row, then the header
    return [row[2] for row in rows[2:]]


def test_export_keeps_only_the_actions_of_that_source(run: Run) -> None:
    every = run("export", SAMPLE_PLAN, "-o", "-", "--as-of", SAMPLE_AS_OF)
    some = run(
        "export", SAMPLE_PLAN, "-o", "-", "--as-of", SAMPLE_AS_OF, "--source", "IMPROVEMENT 3"
    )
    assert some.exit_code == 0, some.stderr
    assert len(_ids(every.stdout)) == 62
    assert _ids(some.stdout) == ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8"]
    _export_row, header, *rows = csv.reader(io.StringIO(some.stdout.lstrip("\ufeff")))
    assert {row[header.index("source")] for row in rows} == {AREA_3}


def test_report_says_it_is_filtered_and_shows_only_those_actions(run: Run) -> None:
    md = run("report", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, "--source", "improvement 3")
    assert md.exit_code == 0, md.stderr
    assert "**Only the actions whose source contains “improvement 3”.**" in md.stdout
    assert "| 3.1 |" in md.stdout and "| 1.1 |" not in md.stdout
    whole = run("report", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF).stdout
    assert "Only the actions whose source" not in whole and "| 1.1 |" in whole


def test_a_hostile_source_filter_is_shown_escaped(run: Run) -> None:
    text = run(
        "report", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, "--format", "text",
        "--source", "\x1b]0;pwned\x07",
    ).stdout  # fmt: skip
    assert "\x1b" not in text and "\\x1b]0;pwned\\x07" in text
    html = run(
        "report", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, "--format", "html",
        "--source", "<script>alert(1)</script>",
    ).stdout  # fmt: skip
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
