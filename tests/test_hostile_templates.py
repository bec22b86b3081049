"""Hostile report templates: the sandbox holds, and a bad template ends in a clear error.

A template given to `brag report --template` may come from anyone. Each case below is a
template that tries to escape the sandbox (run a command, read a file, change the context)
or to exhaust the machine (time, memory, output). Each must end with exit 2 and one line
`brag: FILE:LINE: ...` naming the template, with no side effect: no new file in the working
folder, and no secret read into the output or the message.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from click.testing import Result

from bragcli.render import appendix as render_report_module
from bragcli.render.appendix_context import CONTEXT_TYPES, report_context
from bragcli.source.load import load_plan
from conftest import SAMPLE_PLAN, Run
from docpages import page

SECRET = "TOPSECRET-7f3a9"
AS_OF = "2023-01-31"
TEMPLATE = "evil.md.j2"


class Arena:
    """A working folder with a plan, secrets, and the hostile template; run from inside it."""

    def __init__(self, folder: Path, run: Run) -> None:
        self.folder = folder
        self.run = run

    def files(self) -> set[str]:
        return {str(p.relative_to(self.folder)) for p in self.folder.rglob("*")}

    def report(self, template: str, *args: str, name: str = TEMPLATE) -> Result:
        (self.folder / name).write_text(template, encoding="utf-8")
        before = self.files()
        result = self.run("report", "plans", "--template", name, "--as-of", AS_OF, *args)
        assert self.files() == before, "the template created or removed a file"
        assert SECRET not in result.stdout + result.stderr, "the template read a secret"
        assert "Traceback" not in result.stderr
        return result


@pytest.fixture
def arena(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> Arena:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(SAMPLE_PLAN, work / "plans")
    (work / "secret.txt").write_text(SECRET, encoding="utf-8")
    (work / ".env").write_text(f"TOKEN={SECRET}\n", encoding="utf-8")
    (work / "secret.j2").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.j2").write_text(SECRET, encoding="utf-8")
    (work / "leak.j2").symlink_to(outside / "secret.j2")
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(work))
    return Arena(work, run)


def refused(result: Result, line: int = 1) -> str:
    """The one-line message of a refused template, checked for its shape."""
    assert result.exit_code == 2, (result.exit_code, result.stdout[:200], result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith(f"brag: {TEMPLATE}:{line}: "), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


# --- sandbox escapes ----------------------------------------------------------------------------

#: The payload of issue 11, exactly: it ran `id` and wrote pwned.txt through pydantic's pickle.
PICKLE_PAYLOAD = (
    "{{ plan.parse_raw(\"cposix\\nsystem\\n(S'id > pwned.txt'\\ntR.\", proto='pickle', "
    "allow_pickle=True) }}"
)

ESCAPES = {
    # pydantic and dataclass methods are gone: the context is plain data
    "pydantic-parse-raw-pickle": PICKLE_PAYLOAD,
    "pydantic-parse-file-reads-a-file": "{{ plan.parse_file('secret.txt') }}",
    "pydantic-model-copy": "{{ plan.model_copy(update={'title': 'x'}) }}",
    "pydantic-json": "{{ plan.json() }}",
    "pydantic-validate-json": "{{ plan.model_validate_json('{}') }}",
    "dataclass-internals-of-an-action": "{{ actions[0].__class__.__replace__ }}",
    "old-descriptor-method": "{{ plan.descriptor('red') }}",
    # Python internals
    "class-mro": "{{ plan.__class__.__mro__ }}",
    "str-subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "date-subclasses": "{{ as_of.__class__.__subclasses__() }}",
    "int-class": "{{ (1).__class__.__base__ }}",
    "namespace-globals": "{{ namespace.__init__.__globals__ }}",
    "range-builtins-open": "{{ range.__globals__['__builtins__']['open']('secret.txt').read() }}",
    "self-globals": "{{ self.__init__.__globals__.__builtins__ }}",
    "self-context": "{{ self._TemplateReference__context.environment }}",
    "loop-globals": "{% for x in [1] %}{{ loop.__class__.__init__.__globals__ }}{% endfor %}",
    "loop-cycle-func": "{% for x in [1] %}{{ loop.cycle.__func__.__globals__ }}{% endfor %}",
    "varargs-mro": "{% macro m() %}{{ varargs.__class__.__mro__ }}{% endmacro %}{{ m(1) }}",
    "macro-func-globals": "{% macro m() %}{% endmacro %}{{ m._func.__globals__ }}",
    "generator-frame": "{{ (areas | map(attribute='area')).gi_frame.f_globals }}",
    "namespace-attrs": "{% set ns = namespace() %}{{ ns._Namespace__attrs }}",
    # jinja2's default globals are gone
    "cycler-os-popen": "{{ cycler.__init__.__globals__.os.popen('id > pwned.txt').read() }}",
    "joiner-os-popen": "{{ joiner.__init__.__globals__.os.popen('touch pwned.txt').read() }}",
    "lipsum-os-popen": "{{ lipsum.__globals__['os'].popen('touch pwned.txt').read() }}",
    "dict-global": "{{ dict(a=1) }}",
    "flask-request": (
        "{{ request.application.__globals__.__builtins__.__import__('os')"
        ".popen('touch pwned.txt').read() }}"
    ),
    "flask-config": "{{ config.items() }}",
    # |attr, str.format and format_map
    "attr-filter-class": "{{ '' | attr('__class__') | attr('__mro__') }}",
    "attr-filter-mapping-method": "{{ (plan | attr('items'))() }}",
    "str-format-on-object": "{{ '{0.__class__.__init__.__globals__}'.format(plan) }}",
    "str-format-map": "{{ '{title}'.format_map(plan) }}",
    "str-format-through-getitem": "{{ ''['format']('{0}', 1) }}",
    "format-filter-on-internals": "{{ '%s' | format(plan.__class__) }}",
    # methods of data: a template cannot call them, so it cannot change the context
    "areas-append": "{{ areas.append(1) }}",
    "roles-clear": "{{ plan.roles.clear() }}",
    "kwargs-update": "{% macro m() %}{{ kwargs.update(a=1) }}{% endmacro %}{{ m(a=2) }}",
    "list-literal-append": "{{ [].append(1) }}",
    "mapping-items-method": "{{ plan.roles.items() }}",
    "date-replace": "{{ as_of.replace(year=1) }}",
    "str-zfill": "{{ 'x'.zfill(5) }}",
    # files outside the template's own templates
    "include-a-text-file": "{% include 'secret.txt' %}",
    "include-a-hidden-file": "{% include '.env' %}",
    "include-a-symlink-out-of-the-folder": "{% include 'leak.j2' %}",
    "include-the-parent-folder": "{% include '../outside/secret.j2' %}",
    "include-an-absolute-path": "{% include '/etc/passwd' %}",
    "include-a-folder": "{% include 'secret.j2' %}",
    "extends-a-text-file": "{% extends 'secret.txt' %}",
    "import-a-hidden-file": "{% import '.env' as m %}",
}


@pytest.mark.parametrize("template", ESCAPES.values(), ids=ESCAPES.keys())
def test_sandbox_escape_is_refused_with_file_and_line(arena: Arena, template: str) -> None:
    """Promise: a template cannot run code, read a file or change the context; exit 2."""
    refused(arena.report(template))


def test_the_issue_payload_names_what_is_missing(arena: Arena) -> None:
    message = refused(arena.report(PICKLE_PAYLOAD))
    assert "no field 'parse_raw' here" in message
    assert not (arena.folder / "pwned.txt").exists()


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ 'x'.zfill(5) }}", "str.zfill is a method, and a template cannot call methods"),
        ("{{ '{0}'.format(1) }}", "str.format is a method"),
        ("{{ range.__globals__ }}", "access to attribute '__globals__'"),
        ("{{ lipsum(3) }}", "'lipsum' is undefined"),
        ("{% include 'secret.txt' %}", "a template can include, import or extend only .j2"),
        ("{% include 'leak.j2' %}", "it leads out of the template's folder"),
    ],
)
def test_refusal_says_why(arena: Arena, template: str, expected: str) -> None:
    assert expected in refused(arena.report(template))


def test_refusal_names_the_line(arena: Arena) -> None:
    template = "# {{ plan.title }}\n\n{% for a in areas %}\n{{ a.area.__class__ }}\n{% endfor %}\n"
    refused(arena.report(template), line=4)


def test_a_template_can_still_do_everything_jinja_offers(arena: Arena) -> None:
    """The sandbox refuses escapes, not features: macros, call blocks, loops, includes."""
    (arena.folder / "parts").mkdir()
    (arena.folder / "parts" / "macros.j2").write_text(
        "{% macro badge(r) %}[{{ r | rating }}]{% endmacro %}", encoding="utf-8"
    )
    (arena.folder / "base.j2").write_text(
        "BASE {% block body %}{% endblock %} END\n", encoding="utf-8"
    )
    template = (
        "{% extends 'base.j2' %}{% import 'parts/macros.j2' as m %}"
        "{% macro wrap() %}<{{ caller() }}>{% endmacro %}"
        "{% block body %}"
        "{% set ns = namespace(n=0) %}"
        "{% for a in areas %}{% set ns.n = ns.n + a.totals.actions %}{% endfor %}"
        "{{ ns.n }} {{ m.badge(ratings[2]) }} "
        "{% call wrap() %}{{ plan.roles | length }}{% endcall %}"
        " {% for r in ratings %}{{ loop.cycle('a', 'b') }}{% endfor %}"
        " {{ range(3) | join(',') }} {{ plan.brag_key['red'] | truncate(12) }}"
        " {{ '%-5s|' | format('ab') }} {{ (plan.roles | items | list)[0][0] }}"
        " {{ actions | selectattr('overdue') | list | length }}"
        " {{ commit is none }} {{ as_of }} {{ {'a': plan.title[:4]} | tojson }}"
        "{% endblock %}"
    )
    result = arena.report(template)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "BASE 62 [Amber] <18> ababa 0,1,2 Activity... ab   | "
        'Chief Executive 8 True 2023-01-31 {"a": "Here"} END\n'
    )


# --- a template's own errors --------------------------------------------------------------------

OWN_ERRORS = {
    "undefined-name": ("{{ nope }}", "'nope' is undefined"),
    "division-by-zero": ("{{ 1/0 }}", "ZeroDivisionError: division by zero"),
    "missing-include": (
        "{% include 'nope.j2' %}",
        "no template 'nope.j2' in the folder of evil.md.j2",
    ),
    "syntax-error": ("{% for a in areas %}", "template syntax error: Unexpected end of template"),
    "unknown-filter": ("{{ plan.title | nope }}", "template syntax error: No filter named 'nope'"),
    "bad-rating-for-a-filter": ("{{ 'purple' | rating }}", "'purple' is not a rating"),
    "self-include": ("{% include 'evil.md.j2' %}", "call themselves too deeply (recursion)"),
}


@pytest.mark.parametrize(("template", "expected"), OWN_ERRORS.values(), ids=OWN_ERRORS.keys())
def test_template_error_is_a_user_error(arena: Arena, template: str, expected: str) -> None:
    """Promise: a template's own mistake is `FILE:LINE: message`, exit 2, never exit 3."""
    assert expected in refused(arena.report(template))


def test_error_in_an_included_template_names_the_include_line(arena: Arena) -> None:
    (arena.folder / "part.j2").write_bytes(b"ok\n\xff\xfe\n")
    message = refused(arena.report("line 1\n{% include 'part.j2' %}\n"), line=2)
    assert "part.j2: not UTF-8 text (byte 0xff at offset 3)" in message
    (arena.folder / "part.j2").write_text("ok\n{% if %}\n", encoding="utf-8")
    result = arena.report("line 1\n{% include 'part.j2' %}\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("brag: part.j2:2: template syntax error: ")


def test_template_that_is_not_utf8_is_a_user_error(arena: Arena) -> None:
    (arena.folder / "latin1.md.j2").write_bytes("# {{ plan.title }} café\n".encode("latin-1"))
    result = arena.run("report", "plans", "--template", "latin1.md.j2", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr == (
        "brag: latin1.md.j2: not UTF-8 text (byte 0xe9 at offset 22); save the template as UTF-8\n"
    )


def test_template_path_that_is_a_folder_or_missing(arena: Arena) -> None:
    for path in ("secret.j2", "missing.j2"):
        result = arena.run("report", "plans", "--template", path, "--as-of", AS_OF)
        assert result.exit_code == 2
        assert path in result.stderr


def test_template_that_is_a_fifo_is_refused_without_reading(arena: Arena) -> None:
    os.mkfifo(arena.folder / "fifo.j2")
    result = arena.run("report", "plans", "--template", "fifo.j2", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr == "brag: fifo.j2: not a regular file\n"


def test_the_templates_page_shows_the_real_typo_message(arena: Arena, tmp_path: Path) -> None:
    (shown,) = re.findall(r"^brag: board\.md\.j2:3: .*$", page("templates.md"), re.M)
    (arena.folder / "board.md.j2").write_text(
        "# {{ plan.title }}\n\n{{ plan.titel }}\n", encoding="utf-8"
    )
    result = arena.run("report", "plans", "--template", "board.md.j2", "--as-of", AS_OF)
    assert result.stderr == shown + "\n"


# --- denial of service --------------------------------------------------------------------------

DOS = {
    "range-of-a-billion": ("{{ range(10**9) | list | length }}", "Range too big"),
    "text-times-ten-billion": ("{{ 'x' * 10**10 }}", "a text of 10,000,000,000 characters"),
    "list-times-ten-billion": ("{{ ([0] * 10**10) | length }}", "a list of 10,000,000,000 items"),
    "center-ten-billion": ("{{ 'x' | center(10**10) }}", "center: a width of 10,000,000,000"),
    "zfill-ten-billion": ("{{ 'x'.zfill(10**10) }}", "str.zfill is a method"),
    "indent-a-billion": ("{{ 'x' | indent(10**9) }}", "indent: a width of 1,000,000,000"),
    "indent-many-lines": (
        "{{ ('\\n' * 10**6) | indent(1000) }}",
        "a text of 1,001,001,000 characters",
    ),
    "format-huge-width": (
        "{{ '%*s' | format(10**9, 'x') }}",
        "width or precision of 1,000,000,000",
    ),
    "percent-huge-precision": ("{{ '%.999999999f' % 1.5 }}", "width or precision of 999,999,999"),
    "replace-growth": (
        "{% set ns = namespace(s='x' * 1000) %}{% for i in range(40) %}"
        "{% set ns.s = ns.s | replace('x', 'xx') %}{% endfor %}{{ ns.s | length }}",
        "over the limit of 52,428,800",
    ),
    "join-growth": ("{{ ([1] * 10**6) | join('x' * 1000) }}", "a text of 999,999,001 characters"),
    "wordwrap-wrapstring": ("{{ 'a b' | wordwrap(1, wrapstring='y' * 10**6) }}", "wrapstring"),
    "power-tower": ("{{ 9 ** (9 ** 9) }}", "this power would make a number of over 100,000 bits"),
    "repeated-squaring": (
        "{% set ns = namespace(x=3) %}{% for i in range(40) %}"
        "{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x }}",
        "this multiplication would make a number",
    ),
    "round-to-a-billion-digits": ("{{ 1 | round(-10**9) }}", "round: a precision of"),
    "batch-padding": ("{{ [1] | batch(10**9, 'x') | list }}", "batch: a count of 1,000,000,000"),
    "slice-count": ("{{ [1] | slice(10**9) | list }}", "slice: a count of 1,000,000,000"),
    "sum-of-lists": ("{{ [[1]] | sum(start=[]) }}", "sum adds numbers"),
    "recursive-macro": (
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
        "call themselves too deeply (recursion)",
    ),
    "recursive-loop": (
        "{% for x in [1] recursive %}{{ loop([x]) }}{% endfor %}",
        "call themselves too deeply (recursion)",
    ),
    "output-over-50-mb": (
        "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}",
        "the report would be over 50 MB",
    ),
    "doubling-by-concatenation": (
        "{% set ns = namespace(s='x') %}{% for i in range(60) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
        "MB of memory and was stopped",
    ),
}


@pytest.mark.parametrize(("template", "expected"), DOS.values(), ids=DOS.keys())
def test_denial_of_service_ends_in_a_clear_error(
    arena: Arena, template: str, expected: str
) -> None:
    """Promise: a template's work is bounded; it ends with `FILE:LINE:` and exit 2, no hang.

    The time limit is far off, so that each case is stopped by its own bound (size, count,
    memory), whatever the machine's load; a bound that failed would end in the time limit's
    message instead, and fail here."""
    message = refused(arena.report(template, "--template-timeout", "300"))
    assert expected in message


def test_nested_loops_that_would_run_for_ever_stop_at_the_time_limit(arena: Arena) -> None:
    """Promise: --template-timeout stops a template at the line it is on (here after 1 s)."""
    template = (
        "# {{ plan.title }}\n"
        "{% for i in range(100000) %}{% for j in range(100000) %}{% for k in range(100000) %}\n"
        "{{ i }}{% endfor %}{% endfor %}{% endfor %}\n"
    )
    started = time.monotonic()
    result = arena.report(template, "--template-timeout", "1")
    elapsed = time.monotonic() - started
    message = refused(result, line=3)
    assert "the template ran for more than 1 s and was stopped" in message
    assert "--template-timeout" in message
    assert elapsed < 60  # stopped, not run to the end (a busy machine starts Python slowly)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_template_stuck_beyond_the_alarm_is_killed_and_reaped(
    arena: Arena, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: even work no alarm can interrupt ends; the renderer is killed, no zombie left."""

    def stuck(self: object) -> str:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(60)
        return ""

    monkeypatch.setattr(render_report_module._Job, "run", stuck)
    started = time.monotonic()
    result = arena.report("{{ plan.title }}", "--template-timeout", "0.5")
    assert time.monotonic() - started < 0.5 + render_report_module.GRACE + 3
    assert result.exit_code == 2
    assert result.stderr.startswith(f"brag: {TEMPLATE}: the template ran for more than 0.5 s")
    assert _zombie_children() == []


def _zombie_children() -> list[int]:
    zombies = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] == "Z" and int(fields[1]) == os.getpid():
            zombies.append(int(stat_file.parent.name))
    return zombies


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="memory limit is Linux-only")
@pytest.mark.parametrize(
    "template",
    [
        "{{ 'x' * 10**10 }}",
        "{% set ns = namespace(s='x') %}{% for i in range(60) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
    ],
    ids=["text-times-ten-billion", "doubling-by-concatenation"],
)
def test_hostile_template_never_takes_a_gigabyte(tmp_path: Path, template: str) -> None:
    """Promise: no template makes bragcli use gigabytes of memory (peak RSS, brag + renderer)."""
    (tmp_path / TEMPLATE).write_text(template, encoding="utf-8")
    measure = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=60)\n"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.stderr.write(r.stderr)\n"
    )
    brag = [sys.executable, "-m", "bragcli", "report", str(SAMPLE_PLAN), "--as-of", AS_OF]
    done = subprocess.run(
        [sys.executable, "-c", measure, *brag, "--template", TEMPLATE, "--template-timeout", "5"],
        capture_output=True,
        text=True,
        timeout=90,
        cwd=tmp_path,
    )
    code, peak_kb = map(int, done.stdout.split())
    assert code == 2, done.stderr
    assert done.stderr.startswith(f"brag: {TEMPLATE}:1: "), done.stderr
    assert peak_kb < 1024 * 1024, f"peak {peak_kb // 1024} MB"


# --- terminal escapes and NUL in the output -----------------------------------------------------

HOSTILE_TEXT = (
    "\x1b[2J clear \x1b]0;title\x07 \x1b[8mhidden\x1b[0m "
    "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ nul\x00 c1\x85 rlo\u202e del\x7f"
)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def escape_plan(plan_dir: Callable[..., Path]) -> Path:
    quoted = HOSTILE_TEXT.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    area = (
        f'id: "1"\ntitle: "Area {quoted}"\nactions:\n'
        f'  - id: "1.1"\n    title: "Act {quoted}"\n    lead: "Lead {quoted}"\n'
        f'    deadline: March 2023\n    status: red\n    progress: ["note {quoted}"]\n'
        f'outcomes:\n  - text: "Outcome {quoted}"\n'
    )
    return plan_dir({"01.yaml": area})


@pytest.mark.parametrize("fmt", ["markdown", "text", "html"])
def test_report_never_prints_control_characters_raw(run: Run, escape_plan: Path, fmt: str) -> None:
    """Promise: ESC, NUL, C1, DEL and bidi characters of plan text never reach the output raw."""
    result = run("report", escape_plan, "--as-of", AS_OF, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert not UNSAFE.findall(result.stdout)
    # Markdown escapes the backslash of an escape once more (`\\x1b` renders as `\x1b`).
    shown = result.stdout.replace("\\\\", "\\") if fmt == "markdown" else result.stdout
    assert "\\x1b" in shown and "nul\\x00" in shown
    assert "rlo\\u202e" in shown


def test_custom_template_output_is_escaped_too(run: Run, escape_plan: Path, tmp_path: Path) -> None:
    """Also in a user's template, and for control characters the template makes itself."""
    template = tmp_path / "raw.html.j2"
    template.write_text(
        "{{ areas[0].area.title | safe }}|{{ '%c' | format(27) }}[2J|{{ actions[0].action.title }}",
        encoding="utf-8",
    )
    result = run("report", escape_plan, "--as-of", AS_OF, "--template", template)
    assert result.exit_code == 0, result.stderr
    assert not UNSAFE.findall(result.stdout)
    assert "|\\x1b[2J|" in result.stdout


# --- the context is plain, read-only data -------------------------------------------------------


def _walk(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    yield path, value
    if isinstance(value, MappingProxyType):
        for key, item in value.items():
            assert isinstance(key, str), f"{path}: key {key!r} is not text"
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}[{i}]")


def test_every_value_in_the_context_is_plain_immutable_data() -> None:
    """Promise: the template context holds only read-only mappings, tuples, text, numbers,
    dates, booleans and None: no model, dataclass or object with methods to call."""
    loaded = load_plan(SAMPLE_PLAN)
    assert loaded.plan is not None
    from bragcli.source.git import Commit

    context = report_context(
        loaded.plan,
        [s.area for s in loaded.areas],
        date(2023, 1, 31),
        Commit(sha="0" * 40, date="2023-01-30", dirty=True),
    )
    seen = dict(_walk(context, "context"))
    assert len(seen) > 2000  # the walk reached every action and measure
    for path, value in seen.items():
        assert type(value) in CONTEXT_TYPES, f"{path} is a {type(value).__name__}"
    assert any(p.endswith(".reading.latest.value") for p in seen)
    assert any(p.endswith(".commit.dirty") for p in seen)
    assert isinstance(context, MappingProxyType)
    with pytest.raises(TypeError):
        context["plan"]["roles"]["x"] = "y"  # type: ignore[index]
