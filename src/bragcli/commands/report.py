"""`brag report`: the committee appendix, through a template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bragcli.commands.loading import load_at
from bragcli.problems import Exit

if TYPE_CHECKING:
    from bragcli.render import (
        ReportFormat,
    )


@dataclass(frozen=True, slots=True)
class ReportOptions:
    as_of: date
    format: ReportFormat
    output: Path | None
    template: Path | None
    due_within: int
    max_bytes: int
    rev: str | None = None
    #: seconds a template may run (--template-timeout)
    template_timeout: float = 10.0


def run_report(folder: Path, options: ReportOptions, out: TextIO, err: TextIO) -> Exit:
    """`brag report`: the committee appendix through a template, to stdout or a file."""
    from bragcli.render.appendix import render_report
    from bragcli.render.appendix_context import report_context
    from bragcli.source.git import Commit, commit_of

    loaded, revision = load_at(folder, options.rev, err, max_bytes=options.max_bytes)
    if loaded is None:
        return Exit.FINDINGS
    assert loaded.plan is not None
    commit = commit_of(folder)
    if revision is not None:
        commit = Commit(sha=revision.sha, date=revision.date.isoformat(), dirty=False)
    context = report_context(
        loaded.plan,
        [s.area for s in loaded.areas],
        options.as_of,
        commit,
        due_within=options.due_within,
    )
    text = render_report(
        context, options.format, options.template, timeout=options.template_timeout
    )
    if options.output is None:
        out.write(text)
    else:
        from bragcli.outputs import write_result

        suffix = {"html": "html", "text": "txt"}.get(options.format, "md")
        hint = f"choose a file outside the plan folder, e.g. -o report.{suffix}"
        if write_result(options.output, text.encode("utf-8"), out, [folder], hint=hint):
            err.write(f"brag report: wrote {options.output}\n")
    return Exit.OK
