"""The jinja2 environment every report template runs in: it can read its data and print it.

A template may come from anyone, so it runs in jinja2's `ImmutableSandboxedEnvironment`, tightened:

- it can call only our filters and tests, its own macros (and `caller`, blocks, `super()`,
  `loop(...)`, `loop.cycle`, `loop.changed`) and the globals `range` and `namespace`; any other
  callable (`str.format`, a mapping's `items`, a date's `replace`, ...) is refused where it is
  looked up and again where it is called;
- a mapping of the context shows only its keys: `plan.items` is the key "items", never a method;
- the globals `dict`, `lipsum`, `cycler` and `joiner` are gone;
- work that grows text or numbers is bounded: `*`, `**`, `+` and `%` check the size of their
  result before computing it, and the filters that take a width or a count (`center`, `indent`,
  `format`, `wordwrap`, `replace`, `join`, `batch`, `slice`, `round`) refuse sizes over the limit;
- `{% include %}`, `{% import %}` and `{% extends %}` read only `.j2`, `.jinja` and `.jinja2`
  files inside the template's own folder (not hidden, no symlink out of it, at most 1 MB, UTF-8);
- every printed value passes through `safetext.visible_lines`, so control, bidi and invisible
  characters of plan text reach no terminal or file raw (HTML is escaped as well).

Time, memory and the size of the whole output are bounded by the caller (`render.report`).
"""

from __future__ import annotations

import difflib
import re
import stat
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType, MethodType
from typing import Any

import jinja2
from jinja2 import filters as jf
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.nodes import EvalContext
from jinja2.runtime import BlockReference, Context, LoopContext, Macro, Undefined
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment, safe_range
from jinja2.utils import Namespace
from markupsafe import Markup

from bragcli.safetext import excerpt, visible, visible_lines

#: The most characters one value, or the whole output, may have (50 MB of ASCII).
MAX_TEXT = 50 * 1024 * 1024
#: The most items a list or tuple built by a template may have.
MAX_ITEMS = 1_000_000
#: The widest padding, indent or field width (`center`, `indent`, `format`'s `%*s`).
MAX_WIDTH = 1_000
#: The most bits an integer a template computes may have (about 30,000 digits).
MAX_INT_BITS = 100_000
#: The largest template file (the main template and every include).
MAX_TEMPLATE_BYTES = 1024 * 1024
#: What an included, imported or extended template's name must end with.
INCLUDE_SUFFIXES = (".j2", ".jinja", ".jinja2")


class TemplateLimitError(jinja2.TemplateRuntimeError):
    """The template asked for more than a limit allows (size, width, count, time)."""


class TemplateFileError(jinja2.TemplateError):
    """A template file that cannot be used (refused, not UTF-8, too large, not a file)."""


def _size(n: int) -> str:
    return f"{n:,}"


# --- bounded operators ------------------------------------------------------------------------


def _check_sequence(length: int, what: object) -> None:
    if isinstance(what, str):
        if length > MAX_TEXT:
            raise TemplateLimitError(
                f"this would make a text of {_size(length)} characters, over the limit of "
                f"{_size(MAX_TEXT)}"
            )
    elif length > MAX_ITEMS:
        raise TemplateLimitError(
            f"this would make a list of {_size(length)} items, over the limit of {_size(MAX_ITEMS)}"
        )


def _is_int(value: object) -> bool:
    return isinstance(value, int)


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse `left OPERATOR right` when its result would be too large to compute."""
    ints = _is_int(left) and _is_int(right)
    if operator == "*":
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and _is_int(n):
                _check_sequence(len(seq) * max(n, 0), seq)
        if ints and abs(left).bit_length() + abs(right).bit_length() > MAX_INT_BITS:
            raise TemplateLimitError(
                f"this multiplication would make a number of over {_size(MAX_INT_BITS)} bits"
            )
    elif operator == "**":
        if (
            ints
            and right > 0
            and abs(left) > 1
            and (abs(left).bit_length() - 1) * right > MAX_INT_BITS
        ):
            raise TemplateLimitError(
                f"this power would make a number of over {_size(MAX_INT_BITS)} bits"
            )
    elif operator == "+":
        texts = isinstance(left, str) and isinstance(right, str)
        sequences = isinstance(left, (list, tuple)) and isinstance(right, (list, tuple))
        if texts or sequences:
            _check_sequence(len(left) + len(right), left)
    elif operator == "%" and isinstance(left, str):
        check_format(left, right)


_FORMAT_SPEC = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[-#0 +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?"
    r"[hlL]?(?P<conv>.?)",
    re.DOTALL,
)


def check_format(fmt: str, args: Any) -> None:
    """Refuse a printf-style format (`%` or the `format` filter) that would print too much."""
    positional = args if isinstance(args, tuple) else (args,)
    index = 0
    total = len(fmt)
    for spec in _FORMAT_SPEC.finditer(fmt):
        if spec["conv"] == "%":
            continue
        for part in ("width", "precision"):
            given = spec[part]
            if not given:
                continue
            if given == "*":
                star = positional[index] if index < len(positional) else 0
                index += 1
                n = abs(star) if isinstance(star, int) else 0
            else:
                n = int(given) if len(given) <= 18 else 10**18
            if n > MAX_WIDTH:
                raise TemplateLimitError(
                    f"a format width or precision of {_size(n)} is over the limit of "
                    f"{_size(MAX_WIDTH)}"
                )
            total += n
        if spec["key"] is not None and isinstance(args, Mapping):
            value = args.get(spec["key"], "")
        elif index < len(positional):
            value = positional[index]
            index += 1
        else:
            value = ""
        total += len(value) if isinstance(value, str) else 64
        if total > MAX_TEXT:
            _check_sequence(total, fmt)


# --- bounded filters --------------------------------------------------------------------------


def _width(name: str, width: object) -> None:
    n = len(width) if isinstance(width, str) else width
    if isinstance(n, int) and n > MAX_WIDTH:
        raise TemplateLimitError(
            f"{name}: a width of {_size(n)} is over the limit of {_size(MAX_WIDTH)}"
        )


def _count(name: str, count: object) -> None:
    if isinstance(count, int) and count > MAX_RANGE:
        raise TemplateLimitError(
            f"{name}: a count of {_size(count)} is over the limit of {_size(MAX_RANGE)}"
        )


def _center(value: Any, width: int = 80) -> str:
    _width("center", width)
    return jf.do_center(value, width)


def _indent(s: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    _width("indent", width)
    text = str(s)
    step = len(width) if isinstance(width, str) else width
    if isinstance(step, int):
        _check_sequence(len(text) + (text.count("\n") + 1) * max(step, 0), text)
    return jf.do_indent(s, width, first, blank)


@jinja2.pass_environment
def _wordwrap(
    environment: jinja2.Environment,
    s: str,
    width: int = 79,
    break_long_words: bool = True,
    wrapstring: str | None = None,
    break_on_hyphens: bool = True,
) -> str:
    text = str(s)
    joiner = environment.newline_sequence if wrapstring is None else str(wrapstring)
    _width("wordwrap: wrapstring", joiner)
    if isinstance(width, int) and width > 0:
        breaks = 2 * len(text) // width + text.count("\n") + 1
        _check_sequence(len(text) + breaks * len(joiner), text)
    return jf.do_wordwrap(environment, s, width, break_long_words, wrapstring, break_on_hyphens)


@jinja2.pass_eval_context
def _replace(eval_ctx: EvalContext, s: str, old: str, new: str, count: int | None = None) -> str:
    text, old_text, new_text = str(s), str(old), str(new)
    times = text.count(old_text) if old_text else len(text) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    _check_sequence(len(text) + times * (len(new_text) - len(old_text)), text)
    return jf.do_replace(eval_ctx, s, old, new, count)


def _format(value: str, *args: Any, **kwargs: Any) -> str:
    check_format(str(value), kwargs or args)
    return jf.do_format(value, *args, **kwargs)


@jinja2.pass_eval_context
def _join(
    eval_ctx: EvalContext, value: Iterable[Any], d: str = "", attribute: str | int | None = None
) -> str:
    items = list(value)
    if attribute is not None:
        items = list(map(jf.make_attrgetter(eval_ctx.environment, attribute), items))
    if len(items) > MAX_ITEMS:
        _check_sequence(len(items), items)
    total = max(len(items) - 1, 0) * len(str(d))
    for item in items:
        total += len(item) if isinstance(item, str) else len(str(item))
        if total > MAX_TEXT:
            _check_sequence(total, "")
    return jf.sync_do_join(eval_ctx, items, d)


def _batch(value: Iterable[Any], linecount: int, fill_with: Any = None) -> Any:
    _count("batch", linecount)
    return jf.do_batch(value, linecount, fill_with)


def _slice(value: Iterable[Any], slices: int, fill_with: Any = None) -> Any:
    _count("slice", slices)
    return jf.do_slice(value, slices, fill_with)


def _round(value: float, precision: int = 0, method: str = "common") -> float:
    if isinstance(precision, int) and abs(precision) > MAX_WIDTH:
        raise TemplateLimitError(f"round: a precision of {_size(precision)} is out of range")
    return jf.do_round(value, precision, method)  # type: ignore[arg-type]


@jinja2.pass_environment
def _sum(
    environment: jinja2.Environment,
    iterable: Iterable[Any],
    attribute: str | int | None = None,
    start: Any = 0,
) -> Any:
    if not isinstance(start, (int, float)):
        raise TemplateLimitError("sum adds numbers; its start must be a number")
    return jf.sync_do_sum(environment, iterable, attribute, start)


@jinja2.pass_environment
def _attr(environment: jinja2.Environment, obj: Any, name: str) -> Any:
    return environment.getattr(obj, str(name))


BOUNDED_FILTERS: dict[str, Callable[..., Any]] = {
    "attr": _attr,
    "batch": _batch,
    "center": _center,
    "format": _format,
    "indent": _indent,
    "join": _join,
    "replace": _replace,
    "round": _round,
    "slice": _slice,
    "sum": _sum,
    "wordwrap": _wordwrap,
}


def _json_default(value: Any) -> Any:
    """`tojson` of the context: read-only mappings as objects, dates as YYYY-MM-DD."""
    if isinstance(value, MappingProxyType):
        return dict(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


# --- the loader -------------------------------------------------------------------------------


class FolderLoader(jinja2.BaseLoader):
    """The main template, and the templates it includes from its own folder."""

    def __init__(self, folder: Path, main: str, shown: Path | None = None) -> None:
        self.root = folder.resolve()
        self.main = main
        #: how to show the folder in messages (as the user wrote it)
        self.shown = shown if shown is not None else Path()
        #: file name of each template read -> how to show it in messages
        self.files: dict[str, str] = {}

    def show(self, name: str) -> str:
        return visible(str(self.shown.joinpath(*split_template_path(name))))

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses '..'
        if not pieces:
            raise jinja2.TemplateNotFound(template)
        path = self.root.joinpath(*pieces)
        shown = visible(str(self.shown.joinpath(*pieces)))
        hidden = any(p.startswith(".") for p in pieces)
        if template != self.main and (hidden or not pieces[-1].endswith(INCLUDE_SUFFIXES)):
            raise TemplateFileError(
                f"cannot read {excerpt(template)}: a template can include, import or "
                f"extend only {', '.join(INCLUDE_SUFFIXES)} files in its own folder "
                "that are not hidden"
            )
        try:
            resolved = path.resolve(strict=True)
            info = resolved.stat()
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(template) from None
        except (OSError, RuntimeError) as e:
            raise TemplateFileError(f"{shown}: cannot read: {e}") from None
        if template != self.main and not resolved.is_relative_to(self.root):
            raise TemplateFileError(
                f"cannot read {excerpt(template)}: it leads out of the template's folder"
            )
        if stat.S_ISDIR(info.st_mode):
            raise TemplateFileError(f"{shown}: is a folder, not a template file")
        if not stat.S_ISREG(info.st_mode):
            raise TemplateFileError(f"{shown}: not a regular file")
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise TemplateFileError(
                f"{shown}: the template is {_size(info.st_size)} bytes; the limit is "
                f"{_size(MAX_TEMPLATE_BYTES)}"
            )
        try:
            with resolved.open("rb") as f:
                data = f.read(MAX_TEMPLATE_BYTES + 1)
        except OSError as e:
            raise TemplateFileError(f"{shown}: cannot read: {e.strerror or e}") from None
        if len(data) > MAX_TEMPLATE_BYTES:
            raise TemplateFileError(f"{shown}: the template is over {_size(MAX_TEMPLATE_BYTES)}")
        try:
            source = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise TemplateFileError(
                f"{shown}: not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}); "
                "save the template as UTF-8"
            ) from None
        filename = str(path)
        self.files[filename] = shown
        return source, filename, lambda: True


# --- the environment --------------------------------------------------------------------------


def _autoescape(name: str | None) -> bool:
    return bool(name) and str(name).removesuffix(".j2").endswith((".html", ".htm", ".xml"))


def _describe(obj: Any) -> str:
    """A short name for a callable in an error message: 'str.format', 'range'."""
    if isinstance(obj, MethodType) or hasattr(obj, "__self__"):
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "?")
        if owner is not None and not isinstance(owner, type):
            return f"{type(owner).__name__}.{name}"
    return str(getattr(obj, "__qualname__", None) or type(obj).__name__)


class Sandbox(ImmutableSandboxedEnvironment):
    """The environment of every report template (see the module's docstring)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, loader: FolderLoader) -> None:
        super().__init__(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            autoescape=_autoescape,
            finalize=self._finalize,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
        )
        self.globals.clear()
        self.globals.update(range=safe_range, namespace=Namespace)
        self._callable_globals: tuple[object, ...] = (safe_range, Namespace)
        self.filters.update(BOUNDED_FILTERS)
        self.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": _json_default}

    # What a template may call.

    def is_safe_callable(self, obj: Any) -> bool:
        if isinstance(obj, (Macro, BlockReference, LoopContext)):
            return True
        if any(obj is allowed for allowed in self._callable_globals):
            return True
        return (
            isinstance(obj, MethodType)
            and isinstance(obj.__self__, LoopContext)
            and obj.__name__ in {"cycle", "changed"}
        )

    def call(
        __self,
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if isinstance(__obj, Undefined):
            return __context.call(__obj, *args, **kwargs)  # raises its own message
        if not __self.is_safe_callable(__obj):
            raise SecurityError(
                f"a template cannot call {_describe(__obj)}: it can call only filters, "
                "tests, its own macros, range() and namespace()"
            )
        result = __context.call(__obj, *args, **kwargs)
        if isinstance(result, str) and len(result) > MAX_TEXT:
            _check_sequence(len(result), result)
        return result

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    # What a template may look up.

    def _vetted(self, obj: Any, name: Any, value: Any) -> Any:
        if isinstance(value, Undefined) or not callable(value) or self.is_safe_callable(value):
            return value
        return self.undefined(
            f"{type(obj).__name__}.{name} is a method, and a template cannot call methods; "
            "use a filter instead (see docs/templates.md, 'What a template can and cannot do')",
            obj=obj,
            name=str(name),
            exc=SecurityError,
        )

    def _missing(self, obj: Mapping[Any, Any], name: Any) -> Undefined:
        keys = [str(k) for k in obj]
        close = difflib.get_close_matches(str(name), keys, n=1) if isinstance(name, str) else []
        shown = ", ".join(visible(k) for k in keys[:12]) + (", …" if len(keys) > 12 else "")
        hint = f"no field {excerpt(str(name))} here"
        if close:
            hint += f"; did you mean {excerpt(close[0])}?"
        hint += f" (the fields here: {shown})" if keys else " (this mapping is empty)"
        return self.undefined(hint, obj=obj, name=str(name))

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Undefined):
            obj._fail_with_undefined_error()  # its own message: what was missing, and where
        if isinstance(obj, Mapping):
            return self.getitem(obj, attribute)
        return self._vetted(obj, attribute, super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, Undefined):
            obj._fail_with_undefined_error()
        if isinstance(obj, Mapping):
            try:
                value = obj[argument]
            except (KeyError, TypeError):
                return self._missing(obj, argument)
            return self._vetted(obj, argument, value)
        return self._vetted(obj, argument, super().getitem(obj, argument))

    # What a template prints.

    def _finalize(self, value: Any) -> Any:
        """Every printed value: no control, bidi or invisible character passes raw."""
        text = value if isinstance(value, str) else str(value)
        if len(text) > MAX_TEXT:
            _check_sequence(len(text), text)
        shown = visible_lines(text)
        return Markup(shown) if isinstance(value, Markup) else shown
