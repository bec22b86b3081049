"""Hostile plan text never reaches a terminal or a CI log raw, and the command line never
crashes on its options or its output streams (issue 11).

Promises checked here:
- plan text (titles, leads, role holders, notes, measure names, units, periods, file names,
  ids) holding ESC sequences, C1 controls, DEL, bidi overrides or isolates is shown escaped by
  every plain-text output of status, actions, check, diff and trend; JSON keeps the data
  exactly but escapes those characters;
- no output line starts with `::` (a GitHub workflow command) or holds `##[` (the legacy form)
  because of plan text; `brag check` prints exactly one problem per line in every format;
- plan text is never read as rich markup;
- out-of-range options are a clear usage error (exit 2), never an internal error;
- standard output that is full, closed or not UTF-8, a closed pipe and Ctrl-C end cleanly.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SAMPLE_AS_OF, SAMPLE_PLAN, Run

#: name -> (text as written in the plan, how a plain-text output shows it)
PAYLOADS: dict[str, tuple[str, str]] = {
    "clear-screen": ("\x1b[2J", "\\x1b[2J"),
    "window-title": ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
    "osc8-link": (
        "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\",
        "\\x1b]8;;https://evil.example/\\x1b\\click me\\x1b]8;;\\x1b\\",
    ),
    "hidden-text": ("\x1b[8mhidden", "\\x1b[8mhidden"),
    "c1-csi": ("\x9b31mred", "\\x9b31mred"),
    "del": ("a\x7fb", "a\\x7fb"),
    "bidi-override": ("\u202e1.2", "\\u202e1.2"),
    "bidi-isolate": ("\u2066x\u2069", "\\u2066x\\u2069"),
    "bidi-embedding": ("\u202ax\u202c", "\\u202ax\\u202c"),
    "newline-command": (
        "2.1\n::error file=README.md,line=1::injected",
        "2.1\\n::error file=README.md,line=1::injected",
    ),
    "leading-command": ("::warning::forged", "\\x3a:warning::forged"),
    "legacy-command": ("##[error]legacy", "##\\x5berror]legacy"),
    "rich-markup": (
        "[bold red]x[/] [link=https://evil.example]y[/link]",
        "[bold red]x[/] [link=https://evil.example]y[/link]",
    ),
}
RAW = [raw for raw, _ in PAYLOADS.values()]
EVERYTHING = " ".join(RAW)
AS_OF = "2023-06-01"

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
_SGR = re.compile("\x1b\\[[0-9;]*m")
_IGNORABLE = re.compile("[\u00ad\u034f\u200c\u200d\ufe00-\ufe0f]")
#: The annotations `brag check --format github` writes itself (properties fully escaped).
_ANNOTATION = re.compile(
    r"::(error|warning) file=[^:,\n]*,line=\d+,col=\d+,title=brag check \[[a-z0-9-]+\]::"
)


def assert_safe(output: str, *, colour: bool = False, annotations: bool = False) -> None:
    """No raw control, bidi or invisible character, and no line GitHub Actions would run as a
    workflow command. With `colour`, ESC may only start an SGR colour sequence; with
    `annotations`, a line may start with brag check's own annotation."""
    text = _SGR.sub("", output) if colour else output
    found = _UNSAFE.findall(text)
    assert not found, f"raw characters reach the output: {sorted(set(found))}"
    for line in text.split("\n"):
        plain = _IGNORABLE.sub("", line)
        assert "##[" not in plain, line
        if plain.lstrip().startswith("::"):
            assert annotations and _ANNOTATION.match(plain), f"forged command: {line!r}"


def _q(text: str) -> str:
    """A YAML double-quoted scalar: JSON's escapes (\\u001b, \\n) are YAML's too."""
    return json.dumps(text)


def write_plan(folder: Path, payloads: list[str] = RAW, *, revision: int = 1) -> Path:
    """A valid plan whose every text field holds hostile text: one action per payload.

    Revision 2 changes ratings, deadlines, leads and notes, adds and removes an action, so
    that `brag diff` shows every kind of change.
    """
    folder.mkdir(parents=True, exist_ok=True)
    roles = "".join(f"  {_q('Lead ' + p)}: {_q('Holder ' + p)}\n" for p in payloads)
    roles += f"  {_q('::error::role')}: {_q('::error::holder')}\n  Lead x: Someone\n"
    (folder / "plan.yaml").write_text(
        f"title: {_q('Plan ' + ' '.join(payloads))}\n"
        f"organisation: {_q('::error::organisation ' + ' '.join(payloads))}\n"
        f"version: {_q(payloads[0])}\n"
        f"roles:\n{roles}",
        encoding="utf-8",
    )
    ratings = ["red", "amber", "green"]
    deadlines = ["March 2023", "June 2023", "TBC"]
    actions = []
    for i, text in enumerate(payloads, 1):
        if revision == 2 and i == 1:
            continue  # removed
        lead = "::error::role" if revision == 2 and i % 2 else f"Lead {text}"
        notes = [text] + ([f"new {text}"] if revision == 2 else [])
        actions.append(
            f"  - id: {_q(f'1.{i}')}\n"
            f"    title: {_q(text)}\n"
            f"    lead: {_q(lead)}\n"
            f"    deadline: {_q(deadlines[(i + revision - 1) % 3])}\n"
            f"    status: {ratings[(i + revision - 1) % 3]}\n"
            f"    updated: 2023-01-01\n"
            f"    success_criteria: {_q(text)}\n"
            f"    progress: [{', '.join(map(_q, notes))}]\n"
        )
    if revision == 2:
        actions.append(
            f"  - {{id: '1.99', title: {_q(EVERYTHING)}, lead: Lead x, deadline: June 2023, "
            "status: red}\n"
        )
    measures = "".join(
        f"  - name: {_q(text)}\n"
        f"    good: higher\n"
        f"    target: '10'\n"
        f"    unit: {_q(text)}\n"
        f"    readings:\n"
        f"      - {{period: {_q(text)}, value: 5, source: {_q(text)}}}\n"
        f"      - {{period: '2023-02', value: {5 + revision}}}\n"
        for text in payloads
    )
    (folder / "01-area.yaml").write_text(
        f"id: '1'\ntitle: {_q(' '.join(payloads))}\nactions:\n{''.join(actions)}"
        f"outcomes:\n  - text: {_q(payloads[-1])}\n    evidence: [{_q(payloads[0])}]\n"
        f"measures:\n{measures}",
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def hostile_plan(tmp_path: Path) -> Path:
    return write_plan(tmp_path / "plans")


# --- status and actions -------------------------------------------------------------------


@pytest.mark.parametrize("command", ["status", "actions"])
@pytest.mark.parametrize("fmt", ["terminal", "markdown", "csv", "json"])
def test_status_and_actions_show_hostile_plan_text_escaped(
    run: Run, hostile_plan: Path, command: str, fmt: str
) -> None:
    """Every format of status and actions: no raw control/bidi character, no forged command."""
    result = run(command, hostile_plan, "--as-of", AS_OF, "--format", fmt, "--color", "never")
    assert result.exit_code == 0, result.stderr
    assert_safe(result.stdout)
    assert_safe(result.stderr)
    if fmt == "json":  # the data is kept exactly
        document = json.loads(result.stdout)
        titles = {a["title"] for a in (document if command == "actions" else document["actions"])}
        assert set(RAW[1:]) & titles
    else:  # shown, escaped, not dropped (Markdown escapes the backslash and the bracket)
        assert ("\\\\x1b\\[2J" if fmt == "markdown" else "\\x1b[2J") in result.stdout


@pytest.mark.parametrize("command", ["status", "actions"])
def test_colour_codes_in_the_terminal_are_only_brags_own(
    run: Run, hostile_plan: Path, command: str
) -> None:
    """With --color always, every ESC in the output starts one of our SGR colour codes."""
    result = run(command, hostile_plan, "--as-of", AS_OF, "--color", "always")
    assert result.exit_code == 0, result.stderr
    assert "\x1b[" in result.stdout
    assert_safe(result.stdout, colour=True)


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_each_payload_is_shown_as_python_writes_it(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Each hostile text is visible to the reader, escaped the way Python writes it, in the
    terminal view (wide, so nothing is cut) and in the per-action CSV."""
    raw, shown = PAYLOADS[name]
    plan = write_plan(tmp_path / "plans", [raw])
    monkeypatch.setenv("COLUMNS", "400")
    terminal = run("actions", plan, "--as-of", AS_OF, "--color", "never")
    assert terminal.exit_code == 0, terminal.stderr
    assert_safe(terminal.stdout)
    row = next(line for line in terminal.stdout.splitlines() if line.startswith("1.1 "))
    assert shown in row  # the title cell
    csv_out = run("actions", plan, "--as-of", AS_OF, "--format", "csv").stdout
    assert_safe(csv_out)
    assert shown in csv_out.splitlines()[1]


def test_rich_markup_in_plan_text_is_shown_as_written_even_in_colour(
    run: Run, tmp_path: Path
) -> None:
    """`[bold red]` or `[link=...]` in a title is text, not rich markup: no style, no link."""
    plan = write_plan(tmp_path / "plans", ["[bold red]x[/] [link=https://evil.example]y[/link]"])
    out = run("actions", plan, "--as-of", AS_OF, "--color", "always").stdout
    row = next(line for line in out.splitlines() if _SGR.sub("", line).startswith("1.1 "))
    assert "[bold red]x[/] [link=https://evil.example]y[/link]"[:20] in row
    assert "\x1b]8" not in out and "\x1b[1;31m" not in row


def test_json_escapes_c1_bidi_and_legacy_commands_but_keeps_the_data(
    run: Run, hostile_plan: Path
) -> None:
    """JSON output holds the exact plan text, yet no raw C1, DEL or bidi character and no
    `##[`: they are written as \\u escapes."""
    out = run("status", hostile_plan, "--as-of", AS_OF, "--format", "json").stdout
    assert_safe(out)
    for raw in ("\u009b", "\u202e", "\u2066", "\u007f"):
        assert f"\\u{ord(raw):04x}" in out
    assert "##\\u005berror]legacy" in out
    document = json.loads(out)
    assert document["plan"]["title"] == "Plan " + EVERYTHING


# --- check ----------------------------------------------------------------------------------


@pytest.fixture
def broken_plan(tmp_path: Path) -> Path:
    """A plan whose problems quote hostile text, in a file whose name holds ESC and a newline."""
    folder = write_plan(tmp_path / "plans", RAW[:3])
    actions = "".join(
        f"  - {{id: '2.{i}', title: T, lead: Lead x, deadline: {_q(raw)}, status: green}}\n"
        for i, raw in enumerate(RAW, 1)
    )
    name = "02-\x1b[2J\n::error file=x::name.yaml"
    (folder / name).write_text(f"id: '2'\ntitle: Area 2\nactions:\n{actions}", encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_check_prints_one_escaped_line_per_problem(run: Run, broken_plan: Path, fmt: str) -> None:
    """Every format of check: one line per problem (two with github: the annotation and the
    plain line), nothing raw, and no line starting with `::` that brag did not write."""
    problems = json.loads(run("check", broken_plan, "--as-of", AS_OF, "--format", "json").stdout)[
        "problems"
    ]
    assert len([p for p in problems if p["code"] == "bad-deadline"]) == len(RAW)
    result = run("check", broken_plan, "--as-of", AS_OF, "--format", fmt)
    assert result.exit_code == 1
    assert_safe(result.stdout, annotations=fmt == "github")
    assert_safe(result.stderr)
    lines = result.stdout.splitlines()
    if fmt == "json":
        assert len([line for line in lines if line.startswith('    {"path": ')]) == len(problems)
    else:
        plain = [line for line in lines if not line.startswith("::")]
        assert len(plain) == len(problems)
        assert all(re.match(r".+:\d+:\d+: (error|warning) \[[a-z0-9-]+\] ", x) for x in plain)
        if fmt == "github":
            assert len(lines) == 2 * len(problems)
    if fmt != "json":
        assert "02-\\x1b[2J\\n::error file=x::name.yaml:" in result.stdout


def test_forged_workflow_command_in_an_id_stays_inside_its_line_under_github_actions(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's case: an id holding a newline and `::error ...` is escaped in the annotation
    and in the plain report that follows it, so GitHub runs no command of the plan's."""
    folder = write_plan(tmp_path / "plans", RAW[:1])
    forged = "2.1\n::error file=README.md,line=1::injected"
    (folder / "02.yaml").write_text(
        f"id: '2'\ntitle: T\nactions:\n  - {{id: {_q(forged)}, title: 'Fix 100%\\r', "
        "lead: Lead x, deadline: March 2023, status: purple}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GITHUB_ACTIONS", "true")  # github format chosen automatically
    result = run("check", folder, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert_safe(result.stdout, annotations=True)
    assert not any(line.startswith("::error file=README.md") for line in result.stdout.split("\n"))
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations and all("\n" not in a and "\r" not in a for a in annotations)


def test_annotation_data_is_escaped_the_github_way() -> None:
    """`%`, CR and LF in annotation data are %25, %0D and %0A (GitHub's rules); `:` and `,`
    in properties are %3A and %2C; any other control character is shown escaped."""
    import io

    from bragcli.problems import error
    from bragcli.render.problem_formats import github

    buffer = io.StringIO()
    github([error("a,b:\x1b.yaml", 1, 2, "x", "100%\r\nnext\x1b[2J")], 1, buffer)
    annotation, plain = buffer.getvalue().splitlines()
    assert annotation == (
        "::error file=a%2Cb%3A\\x1b.yaml,line=1,col=2,title=brag check [x]::"
        "100%25\\r%0Anext\\x1b[2J"
    )
    assert plain == "a,b:\\x1b.yaml:1:2: error [x] 100%\\r\\nnext\\x1b[2J"


@pytest.mark.parametrize("name", ["clear-screen", "leading-command", "legacy-command",
                                  "bidi-override"])  # fmt: skip
def test_hostile_ids_are_escaped_or_refused_never_raw(run: Run, tmp_path: Path, name: str) -> None:
    """An id holding hostile text (no white space, so it is a well-formed id) is shown escaped
    wherever it appears, or refused with an escaped message: never raw."""
    raw, _shown = PAYLOADS[name]
    folder = write_plan(tmp_path / "plans", RAW[:1])
    (folder / "02.yaml").write_text(
        f"id: {_q(raw)}\ntitle: T\nactions:\n  - {{id: {_q(raw)}, title: T, lead: Lead x, "
        "deadline: June 2023, status: amber}\n",
        encoding="utf-8",
    )
    for args in (("check",), ("status", "--color", "never"), ("actions", "--format", "csv"),
                 ("actions", "--format", "markdown")):  # fmt: skip
        result = run(*args, folder, "--as-of", AS_OF)
        assert result.exit_code in (0, 1), result.stderr
        assert_safe(result.stdout)
        assert_safe(result.stderr)


def test_an_error_naming_a_hostile_folder_is_one_escaped_line(run: Run) -> None:
    """A missing folder named with ESC and a newline is named escaped, on one line."""
    result = run("diff", "--plan", "/nonexistent/\x1b[2J\n::error::x")
    assert result.exit_code == 2
    assert result.stderr == "brag: /nonexistent/\\x1b[2J\\n::error::x: no such folder\n"


# --- diff and trend -------------------------------------------------------------------------


def _git(root: Path, *args: str, when: str = "2023-01-10") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": f"{when}T12:00:00", "GIT_COMMITTER_DATE": f"{when}T12:00:00",
    }  # fmt: skip
    subprocess.run(["git", "-C", str(root), *args], env=env, capture_output=True, check=True)


@pytest.fixture(scope="module")
def hostile_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository whose plan went through two hostile versions; commit subjects hostile."""
    root = tmp_path_factory.mktemp("history")
    _git(root, "init", "-q", "-b", "main")
    for revision, when in ((1, "2023-01-10"), (2, "2023-02-14")):
        write_plan(root / "plans", revision=revision)
        _git(root, "add", "-A")
        _git(root, "commit", "-qm", f"Board {revision} {EVERYTHING}", when=when)
    return root / "plans"


@pytest.mark.parametrize(
    "args",
    [
        ("diff", "HEAD~1", "HEAD", "--format", "terminal"),
        ("diff", "HEAD~1", "HEAD", "--format", "markdown"),
        ("diff", "HEAD~1", "HEAD", "--format", "json"),
        ("trend", "--format", "terminal"),
        ("trend", "--format", "markdown"),
        ("trend", "--format", "json"),
        ("trend", "--format", "csv"),
    ],
    ids=lambda args: "-".join(a for a in args if not a.startswith(("HEAD", "--"))),
)
def test_diff_and_trend_show_hostile_plan_text_escaped(
    run: Run, hostile_history: Path, args: tuple[str, ...]
) -> None:
    """Every format of diff and trend: nothing raw, no forged command; text is shown."""
    extra = ("--as-of", AS_OF) if args[0] == "trend" else ()
    result = run(*args, "--plan", hostile_history, "--color", "never", *extra)
    assert result.exit_code == 0, result.stderr
    assert_safe(result.stdout)
    assert_safe(result.stderr)
    if args[0] == "diff" and "terminal" in args:
        assert "\\x1b[2J" in result.stdout and "+ new \\x1b]0;pwned\\x07" in result.stdout
    if args[0] == "diff" and "markdown" in args:
        assert "\\\\x1b\\[2J" in result.stdout


def test_diff_in_colour_adds_only_its_own_colour_codes(run: Run, hostile_history: Path) -> None:
    result = run("diff", "HEAD~1", "HEAD", "--plan", hostile_history, "--color", "always")
    assert result.exit_code == 0, result.stderr
    assert_safe(result.stdout, colour=True)


# --- options that used to crash -------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("status", "--max-file-size", "inf"), "'inf' is not a size in megabytes above 0 and "
                                               "at most 1024"),
        (("status", "--max-file-size", "nan"), "'nan' is not a size in megabytes"),
        (("check", "--max-file-size", "-1"), "'-1' is not a size in megabytes"),
        (("report", "--max-file-size", "1e400"), "'1e400' is not a size in megabytes"),
        (("actions", "--max-file-size", "123456789012345678901"), "at most 1024"),
        (("status", "--due-within", "3000000"), "'3000000' is not a whole number of days from "
                                                "0 to 36500"),
        (("report", "--due-within", "123456789012345678901"), "from 0 to 36500"),
        (("check", "--stale-days", "123456789012345678901"), "from 0 to 36500"),
        (("actions", "--stale-days", "3000000"), "from 0 to 36500"),
        (("status", "--due-within", "1e3"), "'1e3' is not a whole number of days"),
    ],
    ids=lambda v: "-".join(v) if isinstance(v, tuple) else "",
)  # fmt: skip
def test_out_of_range_option_is_a_clear_usage_error(
    run: Run, args: tuple[str, ...], message: str
) -> None:
    """Sizes that are not finite or above 1024 MB, and day counts beyond 100 years, are usage
    errors naming the option (exit 2), not internal errors (exit 3)."""
    result = run(*args, SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 2
    assert f"Invalid value for '{args[1]}'" in result.stderr
    assert message in result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("command", ["status", "actions", "report"])
def test_as_of_at_the_end_of_the_calendar_with_the_widest_window_is_not_a_crash(
    run: Run, command: str
) -> None:
    """`--as-of 9999-12-31` with --due-within at its maximum is judged, not an overflow."""
    result = run(command, SAMPLE_PLAN, "--as-of", "9999-12-31", "--due-within", "36500")
    assert result.exit_code == 0, result.stderr
    assert "31 December 9999" in result.stdout


# --- standard output and signals (real processes) -----------------------------------------


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PYTHONIO"))}
    env.pop("COLUMNS", None)
    return {**env, **extra}


def brag(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "bragcli", *map(str, args)]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_standard_output_is_one_line_and_exit_2() -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            brag("status", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF), stdout=full,
            stderr=subprocess.PIPE, text=True, env=_env(), check=False,
        )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == "brag: cannot write to standard output: No space left on device\n"


def test_closed_standard_output_is_one_line_and_exit_2() -> None:
    command = " ".join(brag("actions", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF)) + " >&-"
    result = subprocess.run(
        ["sh", "-c", command], capture_output=True, text=True, env=_env(), check=False
    )
    assert result.returncode == 2
    assert result.stderr.startswith("brag: cannot write to standard output: ")
    assert len(result.stderr.splitlines()) == 1


def test_closed_pipe_ends_quietly_like_sigpipe(tmp_path: Path) -> None:
    """`brag actions | head -c 10` on output far bigger than a pipe holds: exit 141, nothing
    on standard error (no traceback, no 'Exception ignored')."""
    plan = write_plan(tmp_path / "plans", ["\x1b[2J"])
    many = "".join(
        f"  - {{id: '3.{i}', title: Action {i} {'y' * 200}, lead: Lead x, deadline: June 2023,"
        " status: green}\n"
        for i in range(1000)
    )
    (plan / "03.yaml").write_text(f"id: '3'\ntitle: Many\nactions:\n{many}", encoding="utf-8")
    with subprocess.Popen(
        brag("actions", plan, "--as-of", AS_OF, "--format", "csv"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
    ) as process:  # fmt: skip
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(10) == b"id,area,ti"
        process.stdout.close()
        assert process.wait(timeout=120) == 141
        assert process.stderr.read() == b""


@pytest.mark.parametrize(
    "env",
    [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "PYTHONUTF8": "0", "LANG": "C"}],
    ids=["PYTHONIOENCODING=ascii", "LC_ALL=C"],
)
def test_ascii_standard_output_gets_replacements_not_a_crash(env: dict[str, str]) -> None:
    """Characters ASCII lacks are written as backslash escapes; the table's rule is '-';
    JSON stays exact, valid JSON (its non-ASCII characters become \\u escapes)."""
    terminal = subprocess.run(
        brag("status", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF), capture_output=True,
        env=_env(**env), check=False,
    )  # fmt: skip
    assert terminal.returncode == 0, terminal.stderr
    text = terminal.stdout.decode("ascii")
    assert "Herefordshire Council \\xb7 version 0.04" in text
    assert "\n" + "-" * 50 in text
    as_json = subprocess.run(
        brag("status", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, "--format", "json"),
        capture_output=True, env=_env(**env), check=False,
    )  # fmt: skip
    utf8 = subprocess.run(
        brag("status", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, "--format", "json"),
        capture_output=True, env=_env(PYTHONIOENCODING="utf-8"), check=False,
    )  # fmt: skip
    assert as_json.returncode == 0 and as_json.stdout.isascii()
    assert not utf8.stdout.isascii()  # the sample plan has non-ASCII text to escape
    assert json.loads(as_json.stdout) == json.loads(utf8.stdout)


def test_ctrl_c_exits_130_without_a_traceback(tmp_path: Path) -> None:
    """SIGINT while brag waits on git: exit 130, one line, no traceback.

    A stand-in `git` first on PATH creates a marker file and then sleeps, so the signal is sent
    only once brag is running a command (not while Python starts), whatever the machine's speed.
    """
    fake = tmp_path / "bin"
    fake.mkdir()
    marker = tmp_path / "git-started"
    (fake / "git").write_text(f'#!/bin/sh\n: > "{marker}"\nexec sleep 60\n')
    (fake / "git").chmod(0o755)
    env = _env(PATH=f"{fake}{os.pathsep}{os.environ['PATH']}")
    process = subprocess.Popen(
        brag("diff", "--plan", SAMPLE_PLAN), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=env, text=True,
        # a shell may start background jobs with SIGINT ignored: give brag the default back
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "brag never ran git"
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130
    assert err.strip() == "brag: interrupted"
    assert "Traceback" not in err and out == ""
