"""Renderers: one registry per command, mapping each output format to what renders it.

The registries feed the commands' `--format` choices (cli.py builds each `click.Choice` from
one), so a new format is one entry here plus its name in the command's format type, which
mypy holds to the registry's keys (and tests/test_format_registry.py to the choices).

Entries name a module of this package and a function, imported only when that format is
asked for, so that `--format json` never imports rich and `brag check` never imports jinja2.
This module itself imports nothing heavy: cli.py reads it on every run.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Generic, Literal, TextIO, TypeAlias, TypeVar

if TYPE_CHECKING:
    from bragcli.compute.rollup import Status
    from bragcli.compute.trend import Trend
    from bragcli.render.diff_formats import DiffResult

#: --color: "auto" colours a terminal unless NO_COLOR is set (or TERM is dumb); "always" and
#: "never" override it. The same type in every command that has the option.
ColorChoice: TypeAlias = Literal["auto", "always", "never"]
StatusFormat: TypeAlias = Literal["terminal", "json", "markdown", "csv"]
DiffFormat: TypeAlias = Literal["terminal", "markdown", "json"]
TrendFormat: TypeAlias = Literal["terminal", "markdown", "json", "csv"]
#: pdf is the HTML template (the default or --template) printed by WeasyPrint (`bragcli[pdf]`);
#: docx is built by python-docx (`bragcli[docx]`) from the same template context
ReportFormat: TypeAlias = Literal["markdown", "html", "text", "pdf", "docx"]
#: `brag report --orientation`: the printed A4 page of the html, pdf and docx report
Orientation: TypeAlias = Literal["landscape", "portrait"]
#: `brag check`'s formats: its registry is `problem_formats.REPORTERS` (light enough to import
#: on every run, and `brag check` needs it at once)
CheckFormat: TypeAlias = Literal["text", "json", "github"]
#: `brag export`'s formats, written by `sheets.exporter.csv_bytes` and `.xlsx_bytes`
ExportFormat: TypeAlias = Literal["csv", "xlsx"]
#: `brag trend --by`: a point per commit, or for the last commit of each month
TrendBy: TypeAlias = Literal["commit", "month"]

StatusRenderer: TypeAlias = Callable[["Status", TextIO, ColorChoice], None]
DiffRenderer: TypeAlias = Callable[["DiffResult", TextIO, ColorChoice], None]
TrendRenderer: TypeAlias = Callable[["Trend", TextIO, ColorChoice, date], None]

Name = TypeVar("Name", bound=str)
Renderer = TypeVar("Renderer")


class Registry(Generic[Name, Renderer]):
    """Format name -> renderer, each given as "module:function" and imported when looked up.

    Iterating gives the names in their order, for `click.Choice`.
    """

    def __init__(self, entries: Mapping[Name, str]) -> None:
        self.entries = dict(entries)

    def __iter__(self) -> Iterator[Name]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, name: Name) -> Renderer:
        module_name, function = self.entries[name].split(":")
        module = importlib.import_module(f"{__name__}.{module_name}")
        found: Renderer = getattr(module, function)
        return found


#: `brag status`
STATUS_FORMATS: Registry[StatusFormat, StatusRenderer] = Registry(
    {
        "terminal": "status_terminal:status_terminal",
        "json": "status_data:status_json",
        "markdown": "status_data:status_markdown",
        "csv": "status_data:status_csv",
    }
)
#: `brag actions`
ACTIONS_FORMATS: Registry[StatusFormat, StatusRenderer] = Registry(
    {
        "terminal": "status_terminal:actions_terminal",
        "json": "status_data:actions_json",
        "markdown": "status_data:actions_markdown",
        "csv": "status_data:actions_csv",
    }
)
#: `brag diff`
DIFF_FORMATS: Registry[DiffFormat, DiffRenderer] = Registry(
    {
        "terminal": "diff_formats:diff_terminal",
        "markdown": "diff_formats:diff_markdown",
        "json": "diff_formats:diff_json",
    }
)
#: `brag trend`
TREND_FORMATS: Registry[TrendFormat, TrendRenderer] = Registry(
    {
        "terminal": "trend_formats:trend_terminal",
        "markdown": "trend_formats:trend_markdown",
        "json": "trend_formats:trend_json",
        "csv": "trend_formats:trend_csv",
    }
)
#: `brag report`: the default template of each format (in templates/, run by `appendix`)
REPORT_TEMPLATES: dict[ReportFormat, str] = {
    "markdown": "report.md.j2",
    "html": "report.html.j2",
    "text": "report.txt.j2",
    "pdf": "report.html.j2",
}
#: `brag report --format`: the template formats, then the Word document (no template)
REPORT_FORMATS: tuple[ReportFormat, ...] = (*REPORT_TEMPLATES, "docx")
