"""`brag report`: the committee appendix through jinja2 templates.

The default templates (Markdown, HTML, text: `render.REPORT_TEMPLATES`) ship inside the
package; `--template PATH` uses the user's own. Every template, default or not, runs in the
sandbox of `render.sandbox`, with StrictUndefined (a typo fails loudly instead of printing
nothing), on the plain read-only context of `render.appendix_context`. HTML templates are
autoescaped; Markdown templates escape with the `md` filters; every printed value has its
control characters shown escaped.

A template's work is bounded three ways:

- output: at most `MAX_TEXT` characters, counted as the template produces them;
- time: `timeout` seconds (`--template-timeout`), then the template stops at the line it was on;
- memory: `MEMORY_LIMIT` bytes above what bragcli already uses.

Where the system can fork (Linux, macOS), the template renders in a forked child process with
its address space limited (RLIMIT_AS, on Linux) and an alarm; the parent reads the result from
a pipe and kills the child if it outlives the time limit by `GRACE` seconds (for work that
cannot be interrupted, such as one long C call). Memory blow-ups that no single check sees
(text doubled by `~` in a loop, a macro's output growing) then end as a clear error instead of
swapping the machine, and the child always ends and is reaped. Without fork (Windows) the
template renders in this process, with the alarm where the platform has one.
"""

from __future__ import annotations

import inspect
import os
import selectors
import signal
import sys
import textwrap  # noqa: F401 (used by the wordwrap filter; imported before any fork)
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, NoReturn, cast

import jinja2
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from bragcli.model import Rating
from bragcli.problems import BragError
from bragcli.render import REPORT_TEMPLATES, ReportFormat
from bragcli.render import wording as fmt
from bragcli.render.palette import PALETTE
from bragcli.render.sandbox import (
    MAX_TEXT,
    FolderLoader,
    Sandbox,
    TemplateFileError,
    TemplateLimitError,
)
from bragcli.safetext import excerpt, visible

#: Seconds a template may run (`--template-timeout`).
DEFAULT_TIMEOUT = 10.0
#: Bytes of memory a template may use beyond what bragcli already holds (where enforced).
MEMORY_LIMIT = 512 * 1024 * 1024
#: Seconds past the time limit after which a template that cannot be interrupted is killed.
GRACE = 2.0

_MB = 1024 * 1024


class TemplateTimeout(TemplateLimitError):
    """The template ran out of time."""


def template_dir() -> Path:
    """The default templates: inside the installed package, or templates/ in a checkout."""
    packaged = Path(__file__).resolve().parent.parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


# --- filters ----------------------------------------------------------------------------------


def _rating_of(value: object) -> Rating | None:
    if value is None:
        return None
    try:
        return Rating(str(value))
    except ValueError:
        names = ", ".join(r.value for r in Rating)
        raise ValueError(f"{excerpt(str(value))} is not a rating (one of {names})") from None


def _rating(value: object) -> str:
    return fmt.rating_word(_rating_of(value)) or "–"


def _symbol(value: object) -> str:
    """A coloured symbol with the word, so the rating never depends on colour alone."""
    rating = _rating_of(value)
    if rating is None:
        return "–"
    return f"{PALETTE[rating].symbol} {fmt.rating_word(rating)}"


def _rating_colour(value: object) -> str:
    """The rating's colour from the palette, for CSS (the HTML report's badges)."""
    rating = _rating_of(value)
    return PALETTE[rating].css if rating is not None else "transparent"


def _rating_ink(value: object) -> str:
    """The colour of text on the rating's colour (black or white), for CSS."""
    rating = _rating_of(value)
    return PALETTE[rating].css_ink if rating is not None else "inherit"


def _rating_class(value: object) -> str:
    rating = _rating_of(value)
    return f"r-{rating.value}" if rating is not None else "r-none"


def _md_lines(notes: list[str]) -> str:
    """Progress notes as bullets inside one Markdown table cell."""
    return "<br>".join(f"• {fmt.md_cell(note)}" for note in notes)


def _md_notes(notes: list[Mapping[str, Any]]) -> str:
    """Dated progress notes as bullets inside one Markdown table cell, new ones marked."""
    return "<br>".join(
        "• "
        + ("**new** " if note["new"] else "")
        + (f"{fmt.uk_date(note['date'])}: " if note["date"] else "")
        + fmt.md_cell(note["text"])
        for note in notes
    )


def _lead(roles: Mapping[str, str]) -> Callable[[list[str]], str]:
    def lead(leads: list[str]) -> str:
        """'Gail Hancock, Service Director (Improvement) / HSCP': holders' names where known."""
        return " / ".join(f"{roles[r]}, {r}" if r in roles else r for r in leads)

    return lead


def _css_string(value: object) -> Markup:
    """Text as a quoted CSS string (for `content:` in @page boxes): every character that is
    not a letter, digit or space is written as a CSS escape, so no text can end the string,
    the rule or the <style> element."""
    text = visible(str(value))
    escaped = "".join(
        c if (c.isascii() and c.isalnum()) or c == " " else f"\\{ord(c):06x}" for c in text
    )
    return Markup(f'"{escaped}"')


def _sparkline(measure: Mapping[str, Any]) -> Markup:
    """The measure's readings as an inline SVG, labelled with its trend in words."""
    from bragcli.render.sparkline import sparkline

    return sparkline(
        [r["value"] for r in measure["series"]],
        measure["target_low"],
        measure["target_high"],
        label=visible(str(measure["series_text"])),
    )


def _filters(context: Mapping[str, Any]) -> dict[str, Callable[..., Any]]:
    return {
        "md": fmt.md_cell,
        "md_inline": fmt.md_inline,
        "md_lines": _md_lines,
        "md_notes": _md_notes,
        "rating": _rating,
        "rating_symbol": _symbol,
        "rating_class": _rating_class,
        "rating_colour": _rating_colour,
        "rating_ink": _rating_ink,
        "uk_date": fmt.uk_date,
        "lead": _lead(context["plan"]["roles"]),
        "plural": fmt.plural,
        "number": fmt.number,
        "reading": lambda reading: reading["latest_text"],
        "target": lambda measure: measure["target_text"] or "–",
        "change": lambda reading: reading["change_text"] or "–",
        "yes_no": lambda b: {True: "yes", False: "no", None: "–"}[b],
        "short": fmt.short,
        "css_string": _css_string,
        #: a measure's readings in one line: "2021-22: 18%, 2022-10: 22%"
        "readings": lambda measure: ", ".join(
            f"{r['period']}: {r['value_text']}" for r in measure["series"]
        ),
        "sparkline": _sparkline,
    }


# --- rendering --------------------------------------------------------------------------------


def render_report(
    context: Mapping[str, Any],
    fmt_name: ReportFormat,
    template: Path | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """Render the report with the default template for `fmt_name`, or with `template`.

    Raises BragError (exit 2) for any fault of a user's template and for a template of any
    kind that goes over a limit.
    """
    if template is None:
        loader = FolderLoader(template_dir(), REPORT_TEMPLATES[fmt_name])
        shown = loader.main
    else:
        shown = visible(str(template))
        if template.is_dir():
            raise BragError(f"{shown}: is a folder, not a template file")
        if not template.exists():
            raise BragError(f"{shown}: no such template file")
        loader = FolderLoader(template.parent, template.name, shown=template.parent)
    job = _Job(context, loader, shown, user=template is not None, timeout=timeout)
    return _confined(job)


class _Job:
    """One rendering, run in a child process or in this one."""

    def __init__(
        self,
        context: Mapping[str, Any],
        loader: FolderLoader,
        shown: str,
        *,
        user: bool,
        timeout: float,
    ) -> None:
        self.context = context
        self.loader = loader
        self.shown = shown
        self.user = user
        self.timeout = timeout

    def run(self) -> str:
        """The report text; BragError for the user's faults; other exceptions are bugs."""
        env = Sandbox(self.loader)
        env.filters.update(_filters(self.context))
        try:
            with _alarm(self.timeout, self.shown):
                return _generate(env.get_template(self.loader.main), self.context)
        except (TemplateLimitError, MemoryError, RecursionError, TemplateFileError) as e:
            if not self.user and isinstance(e, (RecursionError, TemplateFileError)):
                raise
            raise BragError(self._message(e)) from None
        except Exception as e:
            if not self.user:
                raise
            raise BragError(self._message(e)) from None

    def _message(self, error: BaseException) -> str:
        """`FILE:LINE: what went wrong`, on one line, with nothing raw from the plan."""
        where = self._where(error)
        if isinstance(error, TemplateTimeout):
            text = (
                f"the template ran for more than {self.timeout:g} s and was stopped; "
                "a slow template can be given longer with --template-timeout SECONDS"
            )
        elif isinstance(error, TemplateLimitError):
            text = f"{error.message}; the template was stopped"
        elif isinstance(error, MemoryError):
            text = (
                f"the template needed more than {MEMORY_LIMIT // _MB} MB of memory and was stopped"
            )
        elif isinstance(error, RecursionError):
            text = "macros, blocks or loops call themselves too deeply (recursion)"
        elif isinstance(error, jinja2.TemplateNotFound):
            text = f"no template {excerpt(str(error.name))} in the folder of {self.shown}"
        elif isinstance(error, jinja2.TemplateSyntaxError):
            text = f"template syntax error: {error.message}"
        elif isinstance(error, SecurityError):
            text = f"refused: {error.message}"
        elif isinstance(error, jinja2.TemplateError):
            text = str(error.message)
        else:
            text = f"{type(error).__name__}: {error}"
        text = visible(text)
        if len(text) > 400:
            text = text[:399] + "…"
        if where:
            return f"{where}: {text}"
        if isinstance(error, TemplateFileError):
            return text  # names its file
        return f"{self.shown}: {text}"

    def _where(self, error: BaseException) -> str | None:
        """`FILE:LINE` of the template line where `error` happened, if it is known."""
        files = self.loader.files
        if isinstance(error, jinja2.TemplateSyntaxError) and error.filename in files:
            return f"{files[error.filename]}:{error.lineno}"
        where = None
        tb: TracebackType | None = error.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename in files:
                where = f"{files[filename]}:{tb.tb_lineno}"
            tb = tb.tb_next
        return where


def _generate(template: jinja2.Template, context: Mapping[str, Any]) -> str:
    """Render, counting the output as it comes; stop the template where it goes over."""
    parts: list[str] = []
    size = 0
    stream = cast(Generator[str, None, None], template.generate(context))
    try:
        for chunk in stream:
            size += len(chunk)
            if size > MAX_TEXT:
                raise TemplateLimitError(
                    f"the report would be over {MAX_TEXT // _MB} MB, the most a template may write"
                )
            parts.append(chunk)
    except TemplateLimitError as error:
        if inspect.getgeneratorstate(stream) == inspect.GEN_SUSPENDED:
            # Raised here, between two pieces of output (the output limit, or the alarm):
            # raise it in the template instead, so that its traceback has the template's line.
            stream.throw(error)
        raise
    return "".join(parts)


@contextmanager
def _alarm(seconds: float, shown: str) -> Iterator[None]:
    """Raise TemplateTimeout in the template after `seconds` (main thread, POSIX only)."""
    main = threading.current_thread() is threading.main_thread()
    if not hasattr(signal, "setitimer") or not main:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TemplateTimeout(f"{shown}: out of time")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- the child process ------------------------------------------------------------------------

_OK, _USER_ERROR, _BUG = b"K", b"E", b"I"
_OUT_OF_MEMORY = _USER_ERROR + b"the template needed too much memory and was stopped"


def _confined(job: _Job) -> str:
    """`job.run()` in a forked child with limited memory and time; in this process without fork."""
    if not hasattr(os, "fork"):
        return job.run()
    read_end, write_end = os.pipe()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns when forking with threads running. The child only renders
            # (it takes no lock another thread could hold) and always ends with os._exit.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:  # no process left to fork (a process limit): render here instead
        os.close(read_end)
        os.close(write_end)
        return job.run()
    if pid == 0:
        os.close(read_end)
        _child(job, write_end)
    os.close(write_end)
    reaped = False
    try:
        data = _collect(read_end, job.timeout + GRACE)
        if data is None:
            raise BragError(
                f"{job.shown}: the template ran for more than {job.timeout:g} s and was "
                "stopped; a slow template can be given longer with --template-timeout SECONDS"
            )
        _, status = os.waitpid(pid, 0)
        reaped = True
    finally:
        os.close(read_end)
        if not reaped:
            _kill(pid)
    kind, body = data[:1], data[1:].decode("utf-8", "replace")
    if kind == _OK:
        return body
    if kind == _USER_ERROR:
        raise BragError(body)
    if kind == _BUG:
        message, _, trace = body.partition("\n")
        error = RuntimeError(f"while rendering the report: {message}")
        error.add_note(trace)
        raise error
    ended = (
        f"signal {os.WTERMSIG(status)}"
        if os.WIFSIGNALED(status)
        else f"exit status {os.waitstatus_to_exitcode(status)}"
    )
    if job.user:
        raise BragError(
            f"{job.shown}: the template stopped the renderer ({ended}); it may have needed "
            "too much memory"
        )
    raise RuntimeError(f"the report renderer stopped ({ended})")


def _child(job: _Job, write_end: int) -> NoReturn:
    """Render in the forked child, send the result through the pipe, and end."""
    code = 70
    try:
        _limit_memory()
        try:
            frame = _OK + job.run().encode("utf-8", "backslashreplace")
        except BragError as e:
            frame = _USER_ERROR + str(e).encode("utf-8", "backslashreplace")
        except MemoryError:
            frame = _OUT_OF_MEMORY
        except Exception as e:  # a bug in bragcli: the parent reports it as one
            trace = "".join(traceback.format_exception(e))
            frame = _BUG + f"{type(e).__name__}: {e}\n{trace}".encode("utf-8", "replace")
        _write_all(write_end, frame)
        code = 0
    except MemoryError:
        try:
            _write_all(write_end, _OUT_OF_MEMORY)
            code = 0
        except BaseException:
            pass
    except BaseException:
        pass
    finally:
        os._exit(code)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _collect(fd: int, seconds: float) -> bytes | None:
    """Everything the child writes until it closes the pipe; None when time runs out."""
    deadline = time.monotonic() + seconds
    cap = 4 * MAX_TEXT + _MB
    chunks: list[bytes] = []
    size = 0
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if not selector.select(remaining):
                continue
            chunk = os.read(fd, _MB)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > cap:
                raise RuntimeError("the report renderer wrote more than it may")
            chunks.append(chunk)


def _kill(pid: int) -> None:
    """Stop the child if it still runs, and reap it, so no zombie is left."""
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _limit_memory() -> None:
    """Limit the child's address space to what it has now plus MEMORY_LIMIT (Linux)."""
    if not sys.platform.startswith("linux"):
        return  # macOS does not enforce RLIMIT_AS; Windows has no fork
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            pages = int(f.read().split()[0])
        now = pages * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = now + MEMORY_LIMIT
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):
        pass
