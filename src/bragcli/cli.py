"""The `brag` command line: options in, one call to `commands`, exit with its code.

No YAML, date or formatting logic lives here. Every `--format` choice comes from the command's
renderer registry (`render.STATUS_FORMATS` and the others, `problem_formats.REPORTERS`), and
every choice is typed (`render.ColorChoice`, `StatusFormat`, ...) down to the Options.

Streams, the same rule for every command:

- standard output carries the command's result and nothing else: what was asked for and may be
  piped on or redirected to a file (the view of `status`, `actions`, `diff`, `trend`; the
  report; the problems `check` finds; the schema). A command whose result is written to files
  (`report -o`, `schema -o`, `export`, `import`, `init`) writes nothing to standard output.
- standard error carries what is said about the run: "brag CMD: wrote FILE" and the files
  `init` and `import` wrote, summaries ("brag check: 2 warnings (3 files checked)"), warnings,
  and errors ("brag: ...", exit 2). So `brag ... > file` holds exactly the result, and the
  messages stay on the screen. tests/test_streams.py checks this for every command.
"""

from __future__ import annotations

import errno
import io
import math
import os
import select
import sys
import types
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import click
from click.core import ParameterSource

from bragcli import __version__
from bragcli.deadlines import MAX_DAYS, parse_date, parse_days
from bragcli.problems import BragError, Exit
from bragcli.render import (
    ACTIONS_FORMATS,
    DIFF_FORMATS,
    REPORT_FORMATS,
    STATUS_FORMATS,
    TREND_FORMATS,
    CheckFormat,
    ColorChoice,
    DiffFormat,
    ExportFormat,
    Orientation,
    ReportFormat,
    StatusFormat,
    TrendBy,
    TrendFormat,
)
from bragcli.render.problem_formats import REPORTERS

if TYPE_CHECKING:
    from bragcli.model import Rating
    from bragcli.source.readahead import ReadAhead
from bragcli.safetext import excerpt, visible, visible_lines

# bragcli uses no pydantic plugin. Looking for them scans every installed distribution's
# metadata, and merely importing pydantic's plugin loader imports importlib.metadata (with email,
# zipfile, socket...): together a good part of a short command's run time. So the command line
# (never bragcli as a library) disables them, and gives pydantic a loader that finds none,
# before any model is built (pydantic imports its loader then, not when it is imported).
# tests/test_startup.py checks that pydantic asks that loader for nothing but get_plugins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
_NO_PLUGINS = types.SimpleNamespace(get_plugins=tuple)
sys.modules.setdefault("pydantic.plugin._loader", _NO_PLUGINS)  # type: ignore[arg-type]

#: The environment variables that hold a default for every command that has the option (the
#: other options take BRAG_<COMMAND>_<OPTION>, click's auto_envvar_prefix).
ENV_PLAN = "BRAG_PLAN"
ENV_AS_OF = "BRAG_AS_OF"
ENV_COLOR = "BRAG_COLOR"


class DateParam(click.ParamType):  # type: ignore[type-arg]
    """A date, by the one rule of `deadlines.parse_date` (YYYY-MM-DD or day first)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as e:
            self.fail(f"{excerpt(str(value))} {e}", param, ctx)


DATE = DateParam()


def _version_text() -> str:
    from bragcli.source.yamlread import LIBYAML

    loader = "C (libyaml)" if LIBYAML else "pure Python (slower: PyYAML was built without libyaml)"
    python = ".".join(map(str, sys.version_info[:3]))
    return f"brag {__version__} (Python {python}, YAML loader: {loader})"


def _as_of_option(func: Any) -> Any:
    return click.option(
        "--as-of",
        type=DATE,
        default=None,
        envvar=ENV_AS_OF,
        show_envvar=True,
        help="Judge deadlines as on this date, e.g. 2023-01-31. Default: today.",
    )(func)


#: The largest --max-file-size. bragcli reads a plan file whole and builds a model of it, which
#: takes many times the file's size in memory; a file of a gigabyte could not be read on the
#: machines plans are checked on, so a larger limit would be a typo, or a way to switch the
#: guard off, never a real need.
MAX_MEGABYTES = 1024


class MegabytesParam(click.ParamType):  # type: ignore[type-arg]
    """A size in megabytes, above 0 and at most MAX_MEGABYTES (finite: no inf, no nan)."""

    name = "MB"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        try:
            size = float(value)
        except (TypeError, ValueError):
            size = math.nan
        if not 0 < size <= MAX_MEGABYTES:  # false for nan too
            self.fail(
                f"{excerpt(str(value))} is not a size in megabytes above 0 and at most "
                f"{MAX_MEGABYTES}, e.g. 5 or 0.5 (bragcli reads a plan file whole into memory, "
                "so it cannot take a larger one)",
                param,
                ctx,
            )
        return size


class DaysParam(click.ParamType):  # type: ignore[type-arg]
    """A whole number of days from 0 to MAX_DAYS."""

    name = "DAYS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value  # a default, not typed by the user
        try:
            return parse_days(str(value))
        except ValueError as e:
            self.fail(f"{excerpt(str(value))} {e}", param, ctx)


def _max_size_option(func: Any) -> Any:
    return click.option(
        "--max-file-size",
        type=MegabytesParam(),
        default=5.0,
        show_default=True,
        envvar="BRAG_MAX_FILE_SIZE",
        show_envvar=True,
        metavar="MB",
        help=f"Refuse plan files larger than this many megabytes (at most {MAX_MEGABYTES}).",
    )(func)


def _days_option(name: str, default: int | None, help_text: str) -> Callable[[Any], Any]:
    return click.option(
        name,
        type=DaysParam(),
        default=default,
        show_default=default is not None,
        envvar="BRAG_" + name.removeprefix("--").replace("-", "_").upper(),
        show_envvar=True,
        metavar="DAYS",
        help=help_text,
    )


_DUE_WITHIN_OPTION = _days_option(
    "--due-within",
    30,
    f"Count an action as due soon when its deadline ends within DAYS (0 to {MAX_DAYS}).",
)
_STALE_DAYS_OPTION = _days_option(
    "--stale-days",
    None,
    f"Flag an action as stale when its last update is older than DAYS (0 to {MAX_DAYS}). "
    "Default: checks: stale_days in plan.yaml, else 42.",
)
_COLOR_OPTION = click.option(
    "--color",
    "--colour",
    type=click.Choice(get_args(ColorChoice)),
    default="auto",
    show_default=True,
    envvar=ENV_COLOR,
    show_envvar=True,
    help="Colour in the terminal format. auto colours a terminal, unless NO_COLOR is set or "
    "TERM=dumb; FORCE_COLOR colours a pipe too. always and never win over both.",
)


def _rev_option(func: Any) -> Any:
    return click.option(
        "--rev",
        metavar="REV",
        help="Read the plan as it was at this git revision (tag, branch, commit), not the "
        "working tree.",
    )(func)


def _today() -> date:
    return date.today()


class EnvironmentValueError(click.ClickException):
    """A bad value in an environment variable: one line naming the variable (the usage and
    "Try --help" lines of a bad option say nothing about where the value came from)."""

    exit_code = Exit.USAGE

    def __init__(self, variable: str, message: str) -> None:
        super().__init__(f"{variable}: {message.rstrip('.')}; change or unset {variable}")

    def show(self, file: Any = None) -> None:
        click.echo(f"brag: {visible(self.message)}", err=file is None, file=file)


def _environment_variable(ctx: click.Context, param: click.Parameter | None) -> str | None:
    """The environment variable `param`'s value came from, or None when it came from elsewhere."""
    if param is None or param.name is None:
        return None
    if ctx.get_parameter_source(param.name) is not ParameterSource.ENVIRONMENT:
        return None
    names = [param.envvar] if isinstance(param.envvar, str) else list(param.envvar or ())
    for name in names:
        if os.environ.get(name):
            return name
    return f"{ctx.auto_envvar_prefix}_{param.name.upper()}"


class BragCommand(click.Command):
    """A command whose options take defaults from the environment, named after the option as
    the user types it: click's auto_envvar_prefix (BRAG_STATUS for `brag status`) and the
    option's long name, e.g. BRAG_STATUS_FORMAT for `brag status --format` (click would use
    the Python name, BRAG_STATUS_FMT). The shared ones (BRAG_PLAN, BRAG_AS_OF, BRAG_COLOR, ...)
    are named on their options. A bad value is one line naming the variable."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from bragcli.commands.complete import PLAN_VALUES

        for param in self.params:
            # Options that filter by a plan value (--area, --lead, --source) complete it from
            # the plan, whichever command declares them (shell completion parses first too).
            if param.name in PLAN_VALUES and param._custom_shell_complete is None:
                param._custom_shell_complete = _complete_from_plan(param.name)
            if (
                isinstance(param, click.Option)
                and param.envvar is None
                and param.allow_from_autoenv
            ):
                flag = next((o for o in param.opts if o.startswith("--")), None)
                if flag is not None and ctx.auto_envvar_prefix:
                    name = flag.removeprefix("--").replace("-", "_").upper()
                    param.envvar = f"{ctx.auto_envvar_prefix}_{name}"
        try:
            return super().parse_args(ctx, args)
        except click.BadParameter as e:
            variable = _environment_variable(ctx, e.param)
            if variable is None:
                raise
            raise EnvironmentValueError(variable, e.message) from e


def _complete_from_plan(name: str) -> Callable[..., list[click.shell_completion.CompletionItem]]:
    """A shell_complete callback giving the plan's values for the option `name` (see
    `commands.complete`); the plan is the one the command would read, as far as it is known
    on the command line so far. Never raises: a broken plan completes nothing."""

    def complete(
        ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[click.shell_completion.CompletionItem]:
        from click.shell_completion import CompletionItem

        from bragcli.commands.complete import PLAN_VALUES
        from bragcli.source.discover import discover

        try:
            # While an option awaits its value, click leaves the positionals unparsed in args.
            positional = ctx.args[0] if "plan_dir" in ctx.params and ctx.args else None
            named = (
                ctx.params.get("plan_dir")
                or positional
                or ctx.params.get("plan_option")
                or os.environ.get(ENV_PLAN)
            )
            folder = Path(named) if named else discover(Path.cwd())
            return [CompletionItem(value) for value in PLAN_VALUES[name](folder, incomplete)]
        except Exception:
            return []

    return complete


class BragGroup(click.Group):
    command_class = BragCommand


def _plan_options(positional: bool) -> Callable[[Any], Any]:
    """`--plan/-p DIR` (and BRAG_PLAN), and the positional PLAN_DIR where the command has one:
    the one way every command that reads a plan names it (see `source.discover`)."""

    def apply(func: Any) -> Any:
        func = click.option(
            "-p",
            "--plan",
            "plan_option",
            metavar="DIR",
            envvar=ENV_PLAN,
            show_envvar=True,
            type=click.Path(path_type=Path),
            help="The plan folder. Default: this folder if it holds plan.yaml, else plans/, "
            "else the same in a parent folder up to the git repository's root.",
        )(func)
        if positional:
            func = click.argument(
                "plan_dir", required=False, default=None, type=click.Path(path_type=Path)
            )(func)
        return func

    return apply


def _from_environment(name: str) -> bool:
    """Whether the current command's parameter `name` took its value from the environment."""
    source = click.get_current_context().get_parameter_source(name)
    return source is ParameterSource.ENVIRONMENT


def _plan_folder(
    argument: Path | None, option: Path | None, argument_name: str = "PLAN_DIR"
) -> Path:
    """The plan folder the command reads, said on stderr when it was found in a parent folder.

    Called inside a command's run, so that a conflict is a one-line error (exit 2). Found
    once a run (and said once), however often it is asked for."""
    from bragcli.source.discover import choose_plan

    found: dict[tuple[Path | None, Path | None, str], Path]
    found = click.get_current_context().meta.setdefault("bragcli.plan_folders", {})
    key = (argument, option, argument_name)
    if key in found:
        return found[key]
    from_env = _from_environment("plan_option")
    chosen = choose_plan(argument, option, from_env, Path.cwd(), argument_name=argument_name)
    if chosen.announce:
        click.echo(f"brag: using the plan in {visible(str(chosen.path))}", err=True)
    found[key] = chosen.path
    return chosen.path


def _read_ahead(
    folder: Callable[[], Path | None], max_file_size: float, *, positions: bool
) -> ReadAhead | None:
    """Begin reading a large plan's area files in a second process now, before the models are
    imported (`source.readahead`): None when the plan is small, or its folder is not known
    yet (`folder` raising BragError: the command then says why, in its run)."""
    try:
        found = folder()
    except BragError:
        return None
    if found is None:
        return None
    from bragcli.source.readahead import start

    return start(found, max_bytes=int(max_file_size * 1024 * 1024), positions=positions)


@click.group(
    cls=BragGroup,
    context_settings={
        "help_option_names": ["-h", "--help"],
        "max_content_width": 100,
        "auto_envvar_prefix": "BRAG",
    },
)
@click.version_option(__version__, "-V", "--version", message=_version_text())
@click.option("--debug", is_flag=True, hidden=False, help="Show the traceback of internal errors.")
def cli(debug: bool) -> None:
    """bragcli: BRAG status reports from an improvement plan kept as YAML in git.

    A plan is a folder with plan.yaml and one YAML file per improvement area, named with
    --plan DIR or BRAG_PLAN, else found from the current folder (this one or plans/ in it,
    up to the git repository's root).
    Ratings: blue = completed, impact to be tested; green = on track; amber = some delay;
    red = stalled or at risk; not-started = not yet due to start.

    \b
    Exit codes: 0 fine, 1 the plan has problems, 2 usage error or unreadable input
    (or standard output cannot be written), 3 internal error (a bug in bragcli),
    130 interrupted (Ctrl-C), 141 standard output closed early (e.g. by `| head`).
    """


class WarningCodeParam(click.ParamType):  # type: ignore[type-arg]
    """The code of one of brag check's warnings (errors cannot be turned off)."""

    name = "CODE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from bragcli.rules.registry import not_a_warning

        code = str(value)
        reason = not_a_warning(code)
        if reason is not None:
            self.fail(f"{excerpt(code)} {reason}", param, ctx)
        return code


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_plan_options(positional=False)
@_as_of_option
@_days_option(
    "--stale-days", None,
    f"Warn when an action's last progress update is older than DAYS (0 to {MAX_DAYS}). "
    "Default: checks: stale_days in plan.yaml, else 42.",
)  # fmt: skip
@click.option(
    "--disable",
    multiple=True,
    type=WarningCodeParam(),
    help="Do not report this warning (repeatable), whatever plan.yaml's checks: say. Errors "
    "cannot be disabled.",
)
@click.option(
    "--enable",
    multiple=True,
    type=WarningCodeParam(),
    help="Report this warning (repeatable), also when plan.yaml's checks: disable it or it is "
    "off by default.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only errors.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(REPORTERS)),
    default=None,
    help="text: one line per problem (file:line:col: level [code] message); json: for "
    "tools; github: GitHub Actions annotations and then the text. Default: github when "
    "GITHUB_ACTIONS is set, else text.",
)
@_COLOR_OPTION
@click.option(
    "--stdin-filename",
    metavar="PATH",
    help="With PATH -, the name of the file standard input stands for, in messages (as "
    "editors lint an unsaved buffer); when it is in a plan folder, it is checked against "
    "that plan.",
)
@_max_size_option
def check(
    paths: tuple[Path, ...],
    plan_option: Path | None,
    color: ColorChoice,
    stdin_filename: str | None,
    as_of: date | None,
    stale_days: int | None,
    disable: tuple[str, ...],
    enable: tuple[str, ...],
    strict: bool,
    fmt: CheckFormat | None,
    max_file_size: float,
) -> None:
    """Validate plan folders and report every problem.

    PATHS are plan folders, or files inside one (then only those files are reported), or
    - for one plan file read from standard input: it is checked against the plan named by
    --plan, BRAG_PLAN, --stdin-filename's folder or discovery (its plan.yaml, the other
    areas' ids), or on its own when there is none. Problems go to stdout, one per line; a
    summary goes to stderr.
    Exits 0 when there are no errors (warnings allowed unless --strict), 1 when there are,
    2 when a path is missing or is not a plan file (hidden, or not .yaml).

    \b
    Examples:
      brag check                             the plan found here (plans/)
      brag check plans/03-risk-of-harm.yaml --strict
      brag check - --stdin-filename plans/03-risk-of-harm.yaml < edited.yaml
    """

    def one_folder() -> Path | None:
        if "-" in map(str, paths) or stdin_filename is not None:
            return None
        if not paths:
            return _plan_folder(None, plan_option)
        return paths[0] if len(paths) == 1 and paths[0].is_dir() else None

    ahead = _read_ahead(one_folder, max_file_size, positions=True)  # before what follows
    from bragcli.commands.check import CheckOptions, run_check
    from bragcli.rules.run import RuleChoices

    default: CheckFormat = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"

    def run() -> Exit:
        options = CheckOptions(
            as_of=as_of or _today(),
            strict=strict,
            format=fmt or default,
            max_bytes=int(max_file_size * 1024 * 1024),
            rules=RuleChoices(disable=disable, enable=enable, stale_days=stale_days),
            color=color,
        )
        if "-" in map(str, paths) or stdin_filename is not None:
            return run_stdin(options)
        targets: tuple[Path, ...] = paths
        if not paths:
            targets = (_plan_folder(None, plan_option),)
        elif plan_option is not None and not _from_environment("plan_option"):
            from bragcli.source.discover import refuse_paths_outside

            refuse_paths_outside(paths, plan_option)
        return run_check(targets, options, sys.stdout, sys.stderr, ahead=ahead)

    def run_stdin(options: CheckOptions) -> Exit:
        from bragcli.commands.check import run_check_stdin
        from bragcli.source.discover import plan_for_stdin

        if [str(p) for p in paths] != ["-"]:
            raise BragError(
                "standard input is checked on its own: give - as the only path, e.g. "
                "brag check - --stdin-filename plans/03-area.yaml < file.yaml"
                if "-" in map(str, paths)
                else "--stdin-filename names standard input: give - as the path, e.g. "
                "brag check - --stdin-filename plans/03-area.yaml < file.yaml"
            )
        if sys.stdin is None or sys.stdin.isatty():
            raise BragError(
                "brag check - reads a plan file from standard input, which is a terminal; "
                "pipe or redirect the file in, e.g. brag check - < plans/03-area.yaml"
            )
        folder = plan_for_stdin(plan_option, stdin_filename, Path.cwd())
        stream = sys.stdin.buffer
        return run_check_stdin(stream, stdin_filename, folder, options, sys.stdout, sys.stderr)

    try:
        _exit(run)
    finally:
        if ahead is not None:
            ahead.cancel()


@cli.command()
@click.argument("kind", type=click.Choice(["area", "plan"]), default="area")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (- for standard output).",
)
def schema(kind: str, output: Path | None) -> None:
    """Print the JSON Schema of an area file (default) or of plan.yaml.

    Editors that speak the YAML language server validate and complete plan files with it.

    \b
    Examples:
      brag schema > schemas/area.schema.json
      brag schema plan -o schemas/plan.schema.json
    """
    from bragcli.schema import schema_text

    text = schema_text(kind)
    if output is None:
        click.echo(text, nl=False)
        return

    def run() -> Exit:
        from bragcli.outputs import write_result

        hint = f"choose a file outside the plan folder, e.g. -o schemas/{kind}.schema.json"
        if write_result(output, text.encode("utf-8"), sys.stdout, hint=hint):
            click.echo(f"brag schema: wrote {output}", err=True)
        return Exit.OK

    _exit(run)


def _view_options(formats: Iterable[StatusFormat]) -> Callable[[Any], Any]:
    """The options of `status` and `actions`, with --format from the command's registry."""
    decorators: list[Callable[[Any], Any]] = [
        _plan_options(positional=True),
        _as_of_option,
        click.option(
            "--area",
            "areas",
            multiple=True,
            metavar="ID",
            help="Only this improvement area (repeat for more).",
        ),
        click.option(
            "--lead",
            metavar="TEXT",
            help="Only actions whose lead role or named holder contains TEXT (any case), and "
            "the actions of areas whose owner does.",
        ),
        click.option(
            "--status",
            "statuses",
            multiple=True,
            type=RATING,
            metavar="RATING",
            help="Only actions with this rating: blue, green, amber, red, not-started "
            "(repeatable).",
        ),
        click.option("--overdue", is_flag=True, help="Only overdue actions."),
        click.option(
            "--source",
            metavar="TEXT",
            help="Only actions whose source contains TEXT (any case), e.g. 'scrutiny'.",
        ),
        click.option(
            "--show-replans",
            is_flag=True,
            help="List actions re-planned since first agreed (baseline: or git history).",
        ),
        _DUE_WITHIN_OPTION,
        _STALE_DAYS_OPTION,
        click.option(
            "--format",
            "fmt",
            type=click.Choice(list(formats)),
            default="terminal",
            show_default=True,
            help="terminal for people; json, csv or markdown for tools and papers.",
        ),
        _COLOR_OPTION,
        _max_size_option,
        _rev_option,
    ]

    def apply(func: Any) -> Any:
        for decorator in reversed(decorators):
            func = decorator(func)
        return func

    return apply


class RatingParam(click.ParamType):  # type: ignore[type-arg]
    """A BRAG rating, any case."""

    name = "RATING"

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[click.shell_completion.CompletionItem]:
        from click.shell_completion import CompletionItem

        from bragcli.model import Rating

        wanted = incomplete.lower()
        return [CompletionItem(r.value) for r in Rating if r.value.startswith(wanted)]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from bragcli.model import Rating, normalise_rating

        try:
            return Rating(normalise_rating(value))
        except ValueError:
            choices = ", ".join(r.value for r in Rating)
            self.fail(f"{value!r} is not a rating; use one of {choices}", param, ctx)


RATING = RatingParam()


def _view(per_action: bool, help_text: str) -> Callable[..., None]:
    """The callback of `status` (the roll-up) or `actions` (one row per action): the same
    options, one view each."""

    def view(
        plan_dir: Path | None,
        plan_option: Path | None,
        as_of: date | None,
        areas: tuple[str, ...],
        lead: str | None,
        statuses: tuple[Rating, ...],
        overdue: bool,
        source: str | None,
        show_replans: bool,
        due_within: int,
        stale_days: int,
        fmt: StatusFormat,
        color: ColorChoice,
        max_file_size: float,
        rev: str | None,
    ) -> None:
        ahead = (  # before what follows
            _read_ahead(lambda: _plan_folder(plan_dir, plan_option), max_file_size, positions=False)
            if rev is None
            else None
        )
        from bragcli.commands.views import StatusOptions, run_status
        from bragcli.compute.rollup import Filters

        options = StatusOptions(
            as_of=as_of or _today(),
            filters=Filters(
                areas=areas,
                lead=lead or None,
                statuses=statuses,
                overdue_only=overdue,
                source=source or None,
            ),
            due_within=due_within,
            stale_days=stale_days,
            format=fmt,
            color=color,
            max_bytes=int(max_file_size * 1024 * 1024),
            rev=rev,
            show_replans=show_replans,
        )
        try:
            _exit(
                lambda: run_status(
                    _plan_folder(plan_dir, plan_option),
                    options,
                    sys.stdout,
                    sys.stderr,
                    per_action=per_action,
                    ahead=ahead,
                )
            )
        finally:
            if ahead is not None:
                ahead.cancel()

    view.__doc__ = help_text
    return view


_STATUS_HELP = """The board-meeting view of a plan.

    \b
    Shows, at the --as-of date:
      - BRAG counts of activity per improvement area and in total, with overdue,
        due soon and impact ratings;
      - what needs attention: overdue actions, red actions, actions due soon;
      - measures that matter: latest reading, target, and change since the
        previous one.

    Filters (--area, --lead, --status, --overdue, --source) apply to the totals too.

    \b
    Examples:
      brag status                            the plan found here, as of today
      brag status --plan plans --as-of 2022-12-15
      brag status --area 3 --overdue --format markdown > overdue.md
    """
_ACTIONS_HELP = """One row per action, for drilling in.

    Columns: id, area, title, lead (with the named holder), deadline as written, due date,
    status, impact and flags (overdue, due soon, stale). Takes the same filters as status.

    \b
    Examples:
      brag actions --status red --status amber
      brag actions --lead "Rachel Gillott" --as-of 2022-12-15
      brag actions --format csv > actions.csv
    """
status = cli.command("status")(_view_options(STATUS_FORMATS)(_view(False, _STATUS_HELP)))
actions = cli.command("actions")(_view_options(ACTIONS_FORMATS)(_view(True, _ACTIONS_HELP)))


def _not_nan(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """FloatRange lets nan through (every comparison with nan is false): refuse it here."""
    if value != value:
        raise click.BadParameter("nan is not a number", ctx, param)
    return value


@cli.command()
@_plan_options(positional=True)
@_as_of_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(REPORT_FORMATS)),
    default="markdown",
    show_default=True,
    help="markdown for GitHub, pandoc or a paper; html for a standalone page that prints to "
    "A4; text for an email; pdf (needs bragcli[pdf]) and docx for Word (needs bragcli[docx]) "
    "are written with -o FILE.",
)
@click.option(
    "--since",
    "since",
    metavar="REV",
    help="Start with 'Since the last board': what changed from the plan at REV (a tag, branch "
    "or commit of the last board) to this report, as brag diff shows it.",
)
@click.option(
    "--since-tag-prefix",
    metavar="PREFIX",
    help="As --since, from the newest tag that starts with PREFIX (e.g. board-) before the "
    "report's commit.",
)
@click.option(
    "--orientation",
    type=click.Choice(get_args(Orientation)),
    default="landscape",
    show_default=True,
    help="The printed A4 page of the html, pdf and docx report.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output (- is standard output).",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Use your own jinja2 template (run in a sandbox) instead of the default for --format.",
)
@click.option(
    "--template-timeout",
    type=click.FloatRange(min=0, min_open=True, max=3600),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    callback=_not_nan,
    help="Stop any template, yours or the default, that runs longer than this. A template's "
    "output is limited to 50 MB.",
)
@click.option(
    "--source",
    metavar="TEXT",
    help="Only actions whose source contains TEXT (any case), e.g. 'scrutiny': the appendix "
    "a committee asks for on its own recommendations.",
)
@_DUE_WITHIN_OPTION
@_max_size_option
@_rev_option
def report(
    plan_dir: Path | None,
    plan_option: Path | None,
    as_of: date | None,
    fmt: ReportFormat,
    output: Path | None,
    template: Path | None,
    template_timeout: float,
    due_within: int,
    max_file_size: float,
    rev: str | None,
    since: str | None,
    since_tag_prefix: str | None,
    orientation: Orientation,
    source: str | None,
) -> None:
    """The committee appendix of a plan, ready to publish.

    \b
    Contains the BRAG key in the plan's own words, a summary per improvement
    area, the overdue and red actions, one section per area (its owner and
    ratings; actions with leads, deadlines, ratings, success criteria, source and
    dated progress notes; expected outcomes; measures against target) and the
    glossary of roles. With --since, it starts with what changed since the last
    board. It says in plain words which recorded version of the plan it was
    prepared from.

    \b
    Examples:
      brag report --as-of 2022-12-15 -o appendix.md
      brag report --since-tag-prefix board- --format pdf -o appendix.pdf
      brag report --rev board-2023-03 --format text -o - | less
    """
    from bragcli.commands.report import ReportOptions, run_report

    options = ReportOptions(
        as_of=as_of or _today(),
        format=fmt,
        output=output,
        template=template,
        due_within=due_within,
        max_bytes=int(max_file_size * 1024 * 1024),
        rev=rev,
        template_timeout=template_timeout,
        since=since,
        since_tag_prefix=since_tag_prefix,
        orientation=orientation,
        source=source,
    )
    _exit(lambda: run_report(_plan_folder(plan_dir, plan_option), options, sys.stdout, sys.stderr))


@cli.command()
@click.argument("revs", nargs=-1, metavar="[REV_A] [REV_B]")
@_plan_options(positional=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(DIFF_FORMATS)),
    default="terminal",
    show_default=True,
    help="markdown pastes into a board paper or a pull-request comment; json is for tools.",
)
@_COLOR_OPTION
@_max_size_option
@click.option(
    "--as-of",
    type=DATE,
    default=None,
    envvar=ENV_AS_OF,
    show_envvar=True,
    help="Judge which actions became overdue in the newer version as on this date, e.g. "
    "2023-07-18. Default: its commit's date (today for the working tree).",
)
def diff(
    revs: tuple[str, ...],
    plan_option: Path | None,
    fmt: DiffFormat,
    color: ColorChoice,
    max_file_size: float,
    as_of: date | None,
) -> None:
    """What changed in the plan, action by action, between two versions in git.

    \b
    Like git diff:
      brag diff                 HEAD against the working tree
      brag diff REV             REV against the working tree (REV: a tag such as
                                board-2023-03, a branch, a commit)
      brag diff REV_A REV_B     REV_A against REV_B

    Reports rating changes (better or worse: red < amber < green < blue; not started to
    red is worse), deadline changes with the slip in days, actions added, removed or moved
    between areas, lead, baseline and source changes, new progress notes, actions that
    became overdue (judged at each side's commit date, or --as-of for the newer side),
    area owners and the board's area ratings, measure readings added or changed, role
    holders changed (with the actions they lead) and the plan's title, version and start,
    with a summary per area. Under GitHub Actions it also appends the Markdown report to
    the job summary.

    \b
    Examples:
      brag diff board-2023-01          the last board's tag against the plan now
      brag diff HEAD~1 HEAD --plan plans --format markdown
    """
    from bragcli.commands.history import DiffOptions, run_diff

    options = DiffOptions(
        format=fmt,
        color=color,
        max_bytes=int(max_file_size * 1024 * 1024),
        as_of=as_of,
        today=_today(),
    )

    def run() -> Exit:
        from bragcli.source.discover import refuse_plan_as_revision

        refuse_plan_as_revision(revs)
        return run_diff(_plan_folder(None, plan_option), revs, options, sys.stdout, sys.stderr)

    _exit(run)


@cli.command()
@_plan_options(positional=True)
@click.option(
    "--since",
    metavar="DATE|REV",
    help="Only commits from this date on (2023-03-01, 01/03/2023, 1 March 2023) or after "
    "this revision (a tag, branch or commit).",
)
@click.option(
    "--by",
    type=click.Choice(get_args(TrendBy)),
    default="commit",
    show_default=True,
    help="One point per commit that touched the plan, or the last commit of each month.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(TREND_FORMATS)),
    default="terminal",
    show_default=True,
    help="terminal shows a table and a chart; the others are for papers and tools.",
)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.svg|FILE.png",
    help="Also write a stacked bar chart (PNG needs: pip install 'bragcli[chart]').",
)
@_as_of_option
@_COLOR_OPTION
@_max_size_option
def trend(
    plan_dir: Path | None,
    plan_option: Path | None,
    since: str | None,
    by: TrendBy,
    fmt: TrendFormat,
    chart: Path | None,
    as_of: date | None,
    color: ColorChoice,
    max_file_size: float,
) -> None:
    """BRAG totals through the plan's git history, and how often each action was re-planned.

    Each point is the plan at one commit, judged as of that commit's date. Below the table:
    actions whose deadline moved (and how often), and how long each action has held its
    current rating (as of --as-of, default today).

    \b
    Examples:
      brag trend --by month --since 2023-01-01
      brag trend plans --chart trend.svg
      brag trend --format csv > trend.csv
    """
    from bragcli.commands.history import TrendOptions, run_trend

    options = TrendOptions(
        since=since,
        by=by,
        format=fmt,
        color=color,
        chart=chart,
        as_of=as_of or _today(),
        max_bytes=int(max_file_size * 1024 * 1024),
    )
    _exit(lambda: run_trend(_plan_folder(plan_dir, plan_option), options, sys.stdout, sys.stderr))


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    allow_from_autoenv=False,
    help="Add the missing files to a folder that is not empty. Existing files are never "
    "overwritten, and the example area is not added beside existing area files.",
)
def init(directory: Path, force: bool) -> None:
    """Start a new plan repository in DIRECTORY.

    \b
    Writes:
      plans/plan.yaml               the plan, with every field explained
      plans/01-example-area.yaml    one improvement area to copy
      schemas/*.schema.json         for editors (the files' modelines point here)
      README.md                     how plan owners edit and check the plan
      .github/workflows/improvement-plan.yml   checks on every pull request
      .pre-commit-config.yaml       checks before every commit

    \b
    Examples:
      brag init improvement-plan
      brag init . --force                    add what is missing to this folder
    """
    from bragcli.scaffold import create

    def run() -> Exit:
        created = create(directory, force=force)
        # The files are the result; what was written is said on standard error.
        for name in created.written:
            click.echo(f"created {directory / name}", err=True)
        for name in created.kept:
            click.echo(f"kept    {directory / name} (it exists; not overwritten)", err=True)
        for name, reason in created.skipped:
            click.echo(f"skipped {directory / name} ({reason})", err=True)
        click.echo(
            f"\nNext: edit {directory / 'plans'}/*.yaml, then run `brag check` and "
            f"`brag status` in {directory}.",
            err=True,
        )
        return Exit.OK

    _exit(run)


def _update_options(func: Any) -> Any:
    """What a command that changes the plan in place shares: --dry-run, the change set's
    format (that of brag diff), and the day brag check judges the result as of."""
    for option in reversed(
        [
            click.option("--dry-run", is_flag=True, help="Print what would change; write nothing."),
            click.option(
                "--format",
                "fmt",
                type=click.Choice(list(DIFF_FORMATS)),
                default="terminal",
                show_default=True,
                help="How the change set is printed (as brag diff prints it).",
            ),
            _COLOR_OPTION,
            _as_of_option,
        ]
    ):
        func = option(func)
    return func


@cli.command("set")
@click.argument("ids", nargs=-1, metavar="ID...")
@_plan_options(positional=False)
@click.option("--status", type=RATING, allow_from_autoenv=False, help="The new activity rating.")
@click.option("--impact", type=RATING, allow_from_autoenv=False, help="The new impact rating.")
@click.option(
    "--deadline",
    metavar="TEXT",
    allow_from_autoenv=False,
    help='The new deadline, e.g. "June 2023".',
)
@click.option(
    "--lead",
    metavar="ROLE",
    multiple=True,
    allow_from_autoenv=False,
    help="The new lead role (repeat for a joint lead).",
)
@click.option(
    "--note",
    metavar="TEXT",
    multiple=True,
    allow_from_autoenv=False,
    help="A progress note to add (repeatable).",
)
@click.option(
    "--note-date",
    type=DATE,
    allow_from_autoenv=False,
    help="The date of the notes given with --note.",
)
@click.option(
    "--updated",
    type=DATE,
    allow_from_autoenv=False,
    help="The date of the last progress update.",
)
@_update_options
def set_(
    ids: tuple[str, ...],
    plan_option: Path | None,
    status: Rating | None,
    impact: Rating | None,
    deadline: str | None,
    lead: tuple[str, ...],
    note: tuple[str, ...],
    note_date: date | None,
    updated: date | None,
    dry_run: bool,
    fmt: DiffFormat,
    color: ColorChoice,
    as_of: date | None,
) -> None:
    """Change actions in their area files: ratings, deadline, lead, notes.

    \b
    Examples:
      brag set 2.1 2.3 --status green --updated 2023-03-14
      brag set 4.2 --note "Audit done" --note-date 2023-03-10
      brag set 3.1 --deadline "June 2023" --dry-run

    Only the values that change are rewritten: comments, quoting, key order and
    blank lines stay as they were. The changed plan is checked first and nothing is
    written if brag check would report a new problem (as of --as-of). The change set
    is printed as brag diff prints it; --dry-run writes nothing.
    """
    from bragcli.commands.update import SetOptions, UpdateOptions, run_set

    update = UpdateOptions(dry_run, fmt, color, as_of or _today(), "set")

    def run() -> Exit:
        folder = _plan_folder(None, plan_option)
        options = SetOptions(
            folder, status, impact, deadline, lead, note, note_date, updated, update
        )
        return run_set(ids, options, sys.stdout, sys.stderr)

    _exit(run)


@cli.command("import")
@click.argument("source", metavar="FILE.csv|FILE.xlsx", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "-p",
    "--plan",
    "output",
    type=click.Path(file_okay=False, path_type=Path),
    help="The plan folder to write (one area file per area, and plan.yaml if missing); with "
    "--update, the plan folder to change (default: plans). BRAG_PLAN is not used: name the "
    "folder to write.",
)
@click.option("--title", help="The plan's title for a new plan.yaml (default: from the file name).")
@click.option("--organisation", help="The organisation for a new plan.yaml.")
@click.option("--partial", is_flag=True, help="Write the rows that import even when others cannot.")
@click.option(
    "--force",
    is_flag=True,
    allow_from_autoenv=False,
    help="Replace area files of the same name.",
)
@click.option(
    "--update",
    is_flag=True,
    allow_from_autoenv=False,
    help="Change the existing plan in place: only the values the sheet changed.",
)
@click.option(
    "--remove-missing",
    is_flag=True,
    allow_from_autoenv=False,
    help="With --update: remove actions the sheet lacks.",
)
@click.option(
    "--theirs",
    "side",
    flag_value="theirs",
    allow_from_autoenv=False,
    help="With --update: on a conflict, take the sheet's value.",
)
@click.option(
    "--ours",
    "side",
    flag_value="ours",
    allow_from_autoenv=False,
    help="With --update: on a conflict, keep the plan's value.",
)
@_update_options
def import_(
    source: Path,
    output: Path | None,
    title: str | None,
    organisation: str | None,
    partial: bool,
    force: bool,
    update: bool,
    remove_missing: bool,
    side: str | None,
    dry_run: bool,
    fmt: DiffFormat,
    color: ColorChoice,
    as_of: date | None,
) -> None:
    """Turn a tracker spreadsheet (one row per action) into a plan folder, or
    update a plan from it (--update).

    \b
    Columns, matched in any case, with common names:
      area (improvement area), area title, id (ref, action no), action (title,
      description), lead (owner, responsible), deadline (by when, due date, target
      date), status (BRAG, RAG, rating), impact, progress (update, commentary; one
      note per line in the cell, "2023-01-31: text" for a dated note), updated
      (last updated), success criteria, baseline, source, impact evidence.
    Area cells left blank below a filled one belong to the same area; a row with
    only progress text continues the action above it.

    \b
    With --update, rows are matched to actions by id (and a workbook's Areas
    sheet to areas) and only the values that changed are rewritten in the area
    files (comments and layout stay); notes are added, never removed; new ids
    are added to their area; an action the sheet lacks is reported (removed with
    --remove-missing). When the sheet came from an older revision (brag export
    records it: in the About sheet of an xlsx, in the first row of a CSV) and
    the plan changed the same value, that action is a conflict and is left alone
    unless --theirs or --ours. The change set prints as brag diff prints it;
    --dry-run writes nothing; nothing is written if brag check would report a
    new problem.

    Every row that cannot be imported is reported with its row number, and then
    nothing is written unless --partial. Existing files are kept unless --force.
    xlsx needs: pip install 'bragcli[excel]'.

    \b
    Examples:
      brag import tracker.csv -o plans --title "Improvement plan"
      brag import tracker.xlsx --plan plans --partial
    """
    from bragcli.commands.import_export import ImportOptions, run_import
    from bragcli.commands.update import UpdateOptions

    if update:
        if force or title or organisation:
            raise click.UsageError("--update changes the plan in place: leave out --force, "
                                   "--title and --organisation")  # fmt: skip
        changes = UpdateOptions(dry_run, fmt, color, as_of or _today(), "import")
        folder = output if output is not None else _plan_folder(None, None)
    else:
        given = [name for name, on in (("--remove-missing", remove_missing),
                 ("--theirs/--ours", side), ("--dry-run", dry_run)) if on]  # fmt: skip
        if given:
            raise click.UsageError(f"{given[0]} goes with --update")
        if output is None:
            raise click.UsageError("give -o FOLDER for the new plan, or --update to change one")
        changes, folder = None, output
    options = ImportOptions(
        folder, title, organisation, partial, force, changes, remove_missing,
        "theirs" if side == "theirs" else "ours" if side == "ours" else "ask",
    )  # fmt: skip
    _exit(lambda: run_import(source, options, sys.stdout, sys.stderr))


@cli.command()
@_plan_options(positional=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(get_args(ExportFormat)),
    default=None,
    help="Default: from the output file's suffix.",
)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write; - for standard output (csv, or xlsx when redirected).",
)  # fmt: skip
@click.option(
    "--source",
    metavar="TEXT",
    help="Only actions whose source contains TEXT (any case), e.g. 'scrutiny'.",
)
@_as_of_option
@_max_size_option
@_rev_option
def export(
    plan_dir: Path | None,
    plan_option: Path | None,
    fmt: ExportFormat | None,
    output: Path,
    source: str | None,
    as_of: date | None,
    max_file_size: float,
    rev: str | None,
) -> None:
    """Write the plan as a spreadsheet, one row per action.

    The same columns brag import reads, plus the due date and whether the action is
    overdue at --as-of. In xlsx, ratings are words and cell colours, the header row is
    frozen and filters are on, and the other sheets carry the rest of the plan. A CSV
    starts with one row naming the git revision and the time of the export: leave it
    in, brag import --update finds conflicts with it. Cells that a spreadsheet would
    run as formulas are written as text. xlsx needs: pip install 'bragcli[excel]'.

    \b
    Examples:
      brag export -o actions.xlsx --as-of 2022-12-15
      brag export --plan plans -o - | head
      brag export --rev board-2023-01 -o january.csv
    """
    from bragcli.commands.import_export import ExportOptions, run_export

    chosen: ExportFormat = fmt or ("xlsx" if output.suffix.lower() == ".xlsx" else "csv")
    options = ExportOptions(
        format=chosen,
        output=output,
        as_of=as_of or _today(),
        max_bytes=int(max_file_size * 1024 * 1024),
        rev=rev,
        source=source,
    )
    _exit(lambda: run_export(_plan_folder(plan_dir, plan_option), options, sys.stdout, sys.stderr))


def _exit(run: Any) -> None:
    try:
        code = run()
    except BragError as e:
        click.echo(f"brag: {visible(str(e))}", err=True)
        code = Exit.USAGE
    sys.exit(int(code))


#: Exit codes for an interrupted run (128 + the signal's number, as a shell reports it).
INTERRUPTED = 130  # SIGINT, Ctrl-C
OUTPUT_CLOSED = 141  # SIGPIPE: the reader of standard output went away (`brag status | head`)


class StdoutError(Exception):
    """Standard output cannot be written: closed, full, or a pipe whose reader went away."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.errno = error.errno


class _StdoutRaw(io.RawIOBase):
    """File descriptor 1 (None when it was closed at start-up).

    Every write to standard output, whichever text layer made it, ends here, so a failure is
    known to be standard output's and not, say, a plan file's; after one failure the rest of
    the output is dropped, so that Python's own flush at exit has nothing left to fail on.
    """

    def __init__(self, fd: int | None) -> None:
        super().__init__()
        self._fd = fd
        self.failed = False

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._fd is not None and os.isatty(self._fd)

    def fileno(self) -> int:
        if self._fd is None:
            raise io.UnsupportedOperation("standard output is closed")
        return self._fd

    def write(self, data: Any) -> int:
        if self.failed:
            return len(data)
        try:
            if self._fd is None:
                raise OSError(errno.EBADF, "standard output is closed")
            while True:
                try:
                    return os.write(self._fd, data)
                except BlockingIOError:  # a non-blocking descriptor shared with another program
                    select.select([], [self._fd], [])
        except OSError as e:
            self.failed = True
            raise StdoutError(e) from e


def _prepare_streams() -> None:
    """Standard output that never fails on a character its encoding lacks (it is written as a
    backslash escape) and whose write errors are recognised; standard error always present."""
    if sys.stderr is None:  # closed: diagnostics are lost, the exit code still tells
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    stdout = sys.stdout
    if stdout is not None and stdout is not sys.__stdout__:
        return  # replaced by whoever called main(): leave it to them
    encoding, line_buffering, write_through, fd = "utf-8", False, False, None
    if stdout is not None:
        try:
            fd = stdout.fileno()
        except (OSError, ValueError):
            return
        stdout.flush()
        encoding, line_buffering = stdout.encoding, stdout.line_buffering
        write_through = getattr(stdout, "write_through", False)  # python -u
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(_StdoutRaw(fd)),
        encoding=encoding,
        errors="backslashreplace",
        line_buffering=line_buffering,
        write_through=write_through,
    )


def _invoke() -> int:
    """Run the CLI; the exit code it asks for, click's usage errors shown (escaped)."""
    try:
        result = cli.main(prog_name="brag", standalone_mode=False)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except click.ClickException as e:
        shown = io.StringIO()
        e.show(file=shown)
        click.echo(visible_lines(shown.getvalue()), err=True, nl=False)
        return e.exit_code
    return result if isinstance(result, int) else 0


def main() -> None:
    """Entry point: run the CLI and exit with its code, and never show a traceback.

    Ctrl-C exits 130 and a closed pipe 141, quietly; standard output that cannot be written
    (full, closed) is one line and exit 2; an unexpected exception is one line and exit 3.
    """
    _prepare_streams()
    try:
        code = _invoke()
        sys.stdout.flush()
    except (KeyboardInterrupt, click.Abort):
        click.echo("brag: interrupted", err=True)
        code = INTERRUPTED
    except StdoutError as e:
        if e.errno == errno.EPIPE:
            code = OUTPUT_CLOSED
        else:
            click.echo(f"brag: cannot write to standard output: {e}", err=True)
            code = Exit.USAGE
    except Exception as e:
        if "--debug" in sys.argv or os.environ.get("BRAG_DEBUG"):
            raise
        click.echo(
            f"brag: internal error: {type(e).__name__}: {visible(str(e))}\n"
            "This is a bug in bragcli, not in your plan. Please report it to the bragcli "
            "maintainers with the command you ran; add --debug to see the traceback.",
            err=True,
        )
        code = Exit.INTERNAL
    sys.exit(int(code))
