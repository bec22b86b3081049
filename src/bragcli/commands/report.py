"""`brag report`: the committee appendix, through a template."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from bragcli.commands.loading import load_at
from bragcli.problems import BragError, Exit
from bragcli.safetext import excerpt

if TYPE_CHECKING:
    from bragcli.render import Orientation, ReportFormat
    from bragcli.render.appendix_context import Record, SinceBoard
    from bragcli.source.git import Commit
    from bragcli.source.load import LoadedPlan


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
    #: --since REV: the revision of the last board
    since: str | None = None
    #: --since-tag-prefix PREFIX: the last board is the newest tag with this prefix
    since_tag_prefix: str | None = None
    orientation: Orientation = "landscape"
    #: the day the report is made (the "Prepared on" date); today when None
    prepared: date | None = None
    #: --source TEXT: only the actions whose source contains it
    source: str | None = None


#: formats written as bytes, never to a terminal
BINARY_FORMATS = frozenset({"pdf", "docx"})
SUFFIXES = {"html": "html", "text": "txt", "markdown": "md", "pdf": "pdf", "docx": "docx"}


def prepared_date(environ: dict[str, str] | os._Environ[str] = os.environ) -> date:
    """Today, or the day of SOURCE_DATE_EPOCH where it is set (for reproducible reports)."""
    return prepared_time(environ).date() if environ.get("SOURCE_DATE_EPOCH") else date.today()


def prepared_time(environ: dict[str, str] | os._Environ[str] = os.environ) -> datetime:
    """Now (UTC), or the time of SOURCE_DATE_EPOCH where it is set (for reproducible output:
    reports, and the export time a spreadsheet records)."""
    text = environ.get("SOURCE_DATE_EPOCH")
    if text is None or text == "":
        return datetime.now(UTC)
    if not (text.isascii() and text.isdigit()) or len(text) > 11:
        raise BragError(
            f"SOURCE_DATE_EPOCH={excerpt(text)} is not a time; set it to whole seconds since "
            "1970 (e.g. 1669075200), or unset it"
        )
    return datetime.fromtimestamp(int(text), UTC)


def run_report(folder: Path, options: ReportOptions, out: TextIO, err: TextIO) -> Exit:
    """`brag report`: the committee appendix through a template, to stdout or a file."""
    from bragcli.render.appendix_context import report_context
    from bragcli.source.git import Commit, commit_of

    if options.format in BINARY_FORMATS and options.output is None:
        raise BragError(
            f"--format {options.format} writes a file: add -o FILE, e.g. -o report."
            f"{SUFFIXES[options.format]}"
        )
    if options.format == "docx" and options.template is not None:
        raise BragError(
            "--template works with markdown, html, text and pdf (which prints an HTML "
            "template); the Word document is built without one: leave out --template"
        )
    if options.since is not None and options.since_tag_prefix is not None:
        raise BragError("give --since REV or --since-tag-prefix PREFIX, not both")
    loaded, revision = load_at(folder, options.rev, err, max_bytes=options.max_bytes)
    if loaded is None:
        return Exit.FINDINGS
    assert loaded.plan is not None
    commit = commit_of(folder)
    if revision is not None:
        commit = Commit(sha=revision.sha, date=revision.date.isoformat(), dirty=False)
    since = _since_board(folder, options, commit, loaded, err)
    if since is False:
        return Exit.FINDINGS
    deadlines = None
    if commit is not None:
        from bragcli.commands.history import deadline_history

        deadlines = deadline_history(folder, options.rev, max_bytes=options.max_bytes)
    context = report_context(
        loaded.plan,
        [s.area for s in loaded.areas],
        options.as_of,
        commit,
        due_within=options.due_within,
        since=since,
        prepared=options.prepared or prepared_date(),
        orientation=options.orientation,
        deadline_history=deadlines,
        source=options.source,
    )
    _write(folder, options, context, out, err)
    return Exit.OK


def _write(folder: Path, options: ReportOptions, context: Record, out: TextIO, err: TextIO) -> None:
    from bragcli.render.appendix import render_report

    suffix = SUFFIXES[options.format]
    hint = f"choose a file outside the plan folder, e.g. -o report.{suffix}"
    if options.format in BINARY_FORMATS:
        from bragcli.outputs import write_result

        assert options.output is not None
        if options.format == "pdf":
            from bragcli.render.pdf import html_to_pdf

            html = render_report(
                context, "html", options.template, timeout=options.template_timeout
            )
            data = html_to_pdf(html)
        else:
            from bragcli.render.word import report_docx

            data = report_docx(context)
        if write_result(options.output, data, out, [folder], hint=hint, binary=options.format):
            err.write(f"brag report: wrote {options.output}\n")
        return
    text = render_report(
        context, options.format, options.template, timeout=options.template_timeout
    )
    if options.output is None:
        out.write(text)
    else:
        from bragcli.outputs import write_result

        if write_result(options.output, text.encode("utf-8"), out, [folder], hint=hint):
            err.write(f"brag report: wrote {options.output}\n")


def _since_board(
    folder: Path, options: ReportOptions, commit: Commit | None, loaded: LoadedPlan, err: TextIO
) -> SinceBoard | Literal[False] | None:
    """The plan at the last board and the changes since (None without --since; False when
    that plan has errors, which are then printed)."""
    if options.since is None and options.since_tag_prefix is None:
        return None
    from bragcli.compute.changes import diff_plans
    from bragcli.render.appendix_context import SinceBoard
    from bragcli.source.git import Repository, revision_text

    assert loaded.plan is not None
    rev = options.since
    if options.since_tag_prefix is not None:
        prefix = options.since_tag_prefix
        with Repository(folder) as repo:
            head = commit.sha if commit is not None else repo.resolve("HEAD").sha
            rev = repo.latest_tag(prefix, head)
        if rev is None:
            raise BragError(
                f"no tag starting with {excerpt(prefix)} comes before the report's commit; "
                f"tag the board's commit (git tag {excerpt(prefix)}2023-01) or give --since REV"
            )
    assert rev is not None
    then, then_at = load_at(folder, rev, err, max_bytes=options.max_bytes)
    if then is None or then_at is None:
        if then_at is not None:
            err.write(f"brag report: the plan at {revision_text(rev)} (--since) has errors\n")
        return False
    assert then.plan is not None
    changes = diff_plans(
        then.plan, [s.area for s in then.areas], loaded.plan, [s.area for s in loaded.areas],
        old_as_of=then_at.date, new_as_of=options.as_of,
    )  # fmt: skip
    return SinceBoard(
        rev=rev,
        short=then_at.sha[:7],
        date=then_at.date,
        plan=then.plan,
        areas=[s.area for s in then.areas],
        changes=changes,
    )
