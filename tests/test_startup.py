"""What `brag check` loads before it reads a file. It runs in pre-commit and CI on every plan
edit, so its start-up is most of its run time (docs/performance.md): it must not load what it
does not use. Timing is the benchmarks' job (benchmarks/run.py); these tests hold the causes."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pydantic
import pytest

from conftest import ROOT, SAMPLE_AS_OF

_LOADED = (
    "import sys\n"
    "sys.argv = ['brag'] + sys.argv[1:]\n"
    "from bragcli.cli import main\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.stderr.write(repr(sorted(sys.modules)))\n"
)


def _modules_after(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _LOADED, *args], capture_output=True, text=True, cwd=ROOT,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return set(ast.literal_eval(done.stderr[done.stderr.index("[") :]))


def test_check_loads_no_renderer_and_no_package_metadata() -> None:
    loaded = _modules_after("check", "plans", "--as-of", SAMPLE_AS_OF)
    assert "bragcli.model" in loaded  # it did validate the plan
    unused = {
        "jinja2", "rich", "json",  # report, terminal views, --format json
        "bragcli.compute.trend", "bragcli.render.appendix", "bragcli.source.git",
        # the totals: the rules share only compute.timing's judgements with status
        "bragcli.compute.rollup",
        # pydantic's plugin search: importlib.metadata, email, zipfile... (none is used)
        "importlib.metadata", "email", "zipfile",
        # a small plan is read in one process: nothing is forked, pickled or signalled
        "signal", "pickle",
    }  # fmt: skip
    assert unused & loaded == set()


def test_status_in_a_pipe_loads_no_colours_json_or_csv() -> None:
    """`brag status` piped (a CI log, a file) shows no colour and writes no JSON or CSV: rich's
    styles and colours, json, csv and shutil (with its compression modules) cost a tenth of
    the run, so they are imported only where used."""
    loaded = _modules_after("status", "plans", "--as-of", SAMPLE_AS_OF, "--format", "terminal")
    assert "bragcli.render.status_terminal" in loaded  # it did lay the status out
    unused = {
        "rich.style", "rich.color", "pickle", "json", "csv", "shutil", "bz2", "lzma",
        "difflib", "bragcli.render.jsonout",
    }  # fmt: skip
    assert unused & loaded == set()


def test_check_compiles_no_pattern_of_characters_beyond_latin_1() -> None:
    """Python's regex compiler takes millions of instructions for a class of characters beyond
    Latin-1 (the invisible and bidi characters safetext escapes): such patterns are compiled on
    first use, and checking a plain plan uses none."""
    script = (
        "import re, yaml, click\n"
        "from pydantic import BaseModel\n"
        "floor = set(re._cache)\n"  # what the libraries compile themselves
        + _LOADED.replace(
            "sys.stderr.write(repr(sorted(sys.modules)))",
            "sys.stderr.write(repr(sorted(repr(k[1]) for k in set(re._cache) - floor\n"
            "    if isinstance(k[1], str) and max(k[1], default='a') > '\\xff')))",
        )
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "check", "plans", "--as-of", SAMPLE_AS_OF],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert ast.literal_eval(done.stderr[done.stderr.index("[") :]) == []


def test_pydantic_asks_its_plugin_loader_only_for_get_plugins() -> None:
    """The command line gives pydantic a plugin loader that finds none (cli.py). That holds
    only while pydantic imports nothing else from it: a pydantic upgrade that does fails here,
    not at a user's prompt."""
    asked = set()
    for path in Path(pydantic.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("_loader"):
                asked |= {alias.name for alias in node.names}
    assert asked == {"get_plugins"}


def test_the_models_are_built_without_parsing_a_builtin_signature() -> None:
    """pydantic reads each default factory's signature; a builtin's (`list`, `dict`) is parsed
    from text by the tokenizer, eleven times at each start-up until the defaults were made plain
    functions (model._no_items, _no_entries)."""
    import inspect

    from bragcli import model

    factories = {
        field.default_factory
        for cls in vars(model).values()
        if isinstance(cls, type) and issubclass(cls, pydantic.BaseModel)
        for field in cls.model_fields.values()
        if field.default_factory is not None
    }
    assert factories
    assert not [f for f in factories if inspect.isbuiltin(f) or f in (list, dict)]


_FROZEN_DATACLASSES = "import dataclasses\n" + _LOADED.replace(
    "sys.stderr.write(repr(sorted(sys.modules)))",
    "sys.stderr.write(repr(sorted(\n"
    "    f'{name}.{k}' for name, m in list(sys.modules.items()) if name.startswith('bragcli')\n"
    "    for k, v in vars(m).items() if isinstance(v, type) and v.__module__ == name\n"
    "    and dataclasses.is_dataclass(v) and v.__dataclass_params__.frozen)))",
)


@pytest.mark.parametrize(
    "args",
    [
        ("check", "plans", "--as-of", SAMPLE_AS_OF),
        ("status", "plans", "--as-of", SAMPLE_AS_OF, "--format", "terminal"),
        ("status", "plans", "--as-of", SAMPLE_AS_OF, "--format", "json"),
    ],
    ids=["check", "status", "status-json"],
)
def test_check_and_status_define_their_records_as_named_tuples(args: tuple[str, ...]) -> None:
    """Python makes a frozen dataclass by compiling six methods from source text, at every
    start-up: 4.2 million instructions for one of five fields, against 0.7 million for a
    NamedTuple (measured with valgrind). The twenty records that check and status defined
    that way were a tenth of their start-up; the immutable ones on their path are
    NamedTuples now, and this keeps a new one from slipping back."""
    done = subprocess.run(
        [sys.executable, "-c", _FROZEN_DATACLASSES, *args], capture_output=True, text=True,
        cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert ast.literal_eval(done.stderr[done.stderr.rindex("[") :]) == []


def test_the_models_annotations_are_objects_not_text() -> None:
    """pydantic compiles an annotation written as text (`from __future__ import annotations`)
    to read it, for every field of every model, at every start-up."""
    from bragcli import model

    written = {
        f"{cls.__name__}.{name}"
        for cls in vars(model).values()
        if isinstance(cls, type) and issubclass(cls, pydantic.BaseModel)
        for name, annotation in cls.__annotations__.items()
        if isinstance(annotation, str)
    }
    assert written == set()
