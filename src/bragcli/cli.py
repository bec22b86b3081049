"""The `brag` command line: options in, one call to `commands`, exit with its code.

No YAML, date or formatting logic lives here.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from bragcli import __version__
from bragcli.commands import CheckOptions, Exit
from bragcli.problems import BragError

DEFAULT_PLAN = Path("plans")


class DateParam(click.ParamType):  # type: ignore[type-arg]
    """A YYYY-MM-DD date."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(
                f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2023-01-31", param, ctx
            )


DATE = DateParam()


def _version_text() -> str:
    from bragcli.yamlread import LIBYAML

    loader = "C (libyaml)" if LIBYAML else "pure Python (slower: PyYAML was built without libyaml)"
    python = ".".join(map(str, sys.version_info[:3]))
    return f"brag {__version__} (Python {python}, YAML loader: {loader})"


def _as_of_option(func: Any) -> Any:
    return click.option(
        "--as-of",
        type=DATE,
        default=None,
        help="Judge deadlines as on this date (YYYY-MM-DD). Default: today.",
    )(func)


def _max_size_option(func: Any) -> Any:
    return click.option(
        "--max-file-size",
        type=click.FloatRange(min=0, min_open=True),
        default=5.0,
        show_default=True,
        metavar="MB",
        help="Refuse plan files larger than this many megabytes.",
    )(func)


def _today() -> date:
    return date.today()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", message=_version_text())
@click.option("--debug", is_flag=True, hidden=False, help="Show the traceback of internal errors.")
def cli(debug: bool) -> None:
    """bragcli: BRAG status reports from an improvement plan kept as YAML in git.

    A plan is a folder (default: plans/) with plan.yaml and one YAML file per improvement area.
    Ratings: blue = completed, impact to be tested; green = on track; amber = some delay;
    red = stalled or at risk; not-started = not yet due to start.

    \b
    Exit codes: 0 fine, 1 the plan has problems, 2 usage error or unreadable input,
    3 internal error (a bug in bragcli).
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_as_of_option
@click.option(
    "--stale-days",
    type=click.IntRange(min=0),
    default=42,
    show_default=True,
    help="Warn when an action's progress update is older than this many days.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only errors.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per problem (file:line:col: level [code] message); json: for tools.",
)
@_max_size_option
def check(
    paths: tuple[Path, ...],
    as_of: date | None,
    stale_days: int,
    strict: bool,
    fmt: str,
    max_file_size: float,
) -> None:
    """Validate plan folders (default: plans/) and report every problem.

    PATHS are plan folders, or files inside one (then only those files are reported).
    Problems go to stdout, one per line; a summary goes to stderr.
    Exits 0 when there are no errors (warnings allowed unless --strict), 1 when there are,
    2 when a path is missing.
    """
    from bragcli.commands import run_check

    options = CheckOptions(
        as_of=as_of or _today(),
        stale_days=stale_days,
        strict=strict,
        format=fmt,
        max_bytes=int(max_file_size * 1024 * 1024),
    )
    _exit(lambda: run_check(paths or (DEFAULT_PLAN,), options, sys.stdout, sys.stderr))


@cli.command()
@click.argument("kind", type=click.Choice(["area", "plan"]), default="area")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file."
)
def schema(kind: str, output: Path | None) -> None:
    """Print the JSON Schema of an area file (default) or of plan.yaml.

    Editors that speak the YAML language server validate and complete plan files with it.
    """
    from bragcli.schema import schema_text

    text = schema_text(kind)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


def _exit(run: Any) -> None:
    try:
        code = run()
    except BragError as e:
        click.echo(f"brag: {e}", err=True)
        code = Exit.USAGE
    sys.exit(int(code))


def main() -> None:
    """Entry point: run the CLI; turn an unexpected exception into one line and exit code 3."""
    try:
        cli.main(prog_name="brag")
    except Exception as e:
        if "--debug" in sys.argv or os.environ.get("BRAG_DEBUG"):
            raise
        click.echo(
            f"brag: internal error: {type(e).__name__}: {e}\n"
            "This is a bug in bragcli, not in your plan. Please report it to the bragcli "
            "maintainers with the command you ran; add --debug to see the traceback.",
            err=True,
        )
        sys.exit(int(Exit.INTERNAL))
