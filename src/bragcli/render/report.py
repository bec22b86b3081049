"""`brag report`: the committee appendix through jinja2 templates.

The default templates (Markdown, HTML, text) ship inside the package. A user's own template
(`--template PATH`) runs in jinja2's sandbox, so it cannot reach Python internals. Every
template runs with StrictUndefined: a typo in a template fails loudly instead of printing
nothing. HTML templates are autoescaped; Markdown templates escape with the `md` filters.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from bragcli.model import Plan, Rating
from bragcli.problems import BragError
from bragcli.render import text as fmt

DEFAULT_TEMPLATES = {
    "markdown": "report.md.j2",
    "html": "report.html.j2",
    "text": "report.txt.j2",
}

SYMBOLS = {
    Rating.BLUE: "🔵",
    Rating.GREEN: "🟢",
    Rating.AMBER: "🟠",
    Rating.RED: "🔴",
    Rating.NOT_STARTED: "⚪",
}


def template_dir() -> Path:
    """The default templates: inside the installed package, or templates/ in a checkout."""
    packaged = Path(__file__).resolve().parent.parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


def _autoescape(name: str | None) -> bool:
    return bool(name) and str(name).removesuffix(".j2").endswith((".html", ".htm", ".xml"))


def _rating(rating: Rating | None) -> str:
    return fmt.rating_word(rating) or "–"


def _symbol(rating: Rating | None) -> str:
    """A coloured symbol with the word, so the rating never depends on colour alone."""
    if rating is None:
        return "–"
    return f"{SYMBOLS[rating]} {fmt.rating_word(rating)}"


def _md_lines(notes: list[str]) -> str:
    """Progress notes as bullets inside one Markdown table cell."""
    return "<br>".join(f"• {fmt.md_cell(note)}" for note in notes)


def _filters(plan: Plan) -> dict[str, Any]:
    return {
        "md": fmt.md_cell,
        "md_inline": fmt.md_inline,
        "md_lines": _md_lines,
        "rating": _rating,
        "rating_symbol": _symbol,
        "rating_class": lambda r: f"r-{r.value}" if r is not None else "r-none",
        "uk_date": fmt.uk_date,
        "lead": lambda leads: fmt.lead_text(plan, leads),
        "plural": fmt.plural,
        "number": fmt.number,
        "reading": lambda v: fmt.with_unit(v.latest.value, v.measure),
        "target": lambda m: fmt.target_text(m) or "–",
        "change": lambda v: fmt.signed(v.change, v.measure) if v.change is not None else "–",
        "yes_no": lambda b: {True: "yes", False: "no", None: "–"}[b],
        "short": fmt.short,
    }


def _environment(template: Path | None) -> tuple[jinja2.Environment, str]:
    options: dict[str, Any] = {
        "undefined": jinja2.StrictUndefined,
        "autoescape": _autoescape,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    if template is None:
        return jinja2.Environment(loader=jinja2.FileSystemLoader(template_dir()), **options), ""
    if not template.is_file():
        raise BragError(f"{template}: no such template file")
    loader = jinja2.FileSystemLoader(template.resolve().parent)
    return SandboxedEnvironment(loader=loader, **options), template.name


def render_report(context: dict[str, Any], fmt_name: str, template: Path | None = None) -> str:
    """Render the report with the default template for `fmt_name`, or with `template`."""
    env, name = _environment(template)
    name = name or DEFAULT_TEMPLATES[fmt_name]
    env.filters.update(_filters(context["plan"]))
    env.globals["escape_html"] = html.escape
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as e:
        raise BragError(
            f"{e.filename or name}:{e.lineno}: template syntax error: {e.message}"
        ) from e
    except jinja2.exceptions.SecurityError as e:
        raise BragError(f"{name}: the template tried something unsafe and was stopped: {e}") from e
    except jinja2.UndefinedError as e:
        raise BragError(f"{name}:{_template_line(e, name)}: {e.message}") from e


def _template_line(error: BaseException, name: str) -> str:
    """The line of the template where rendering failed (jinja2 rewrites tracebacks to it)."""
    line = "?"
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(name):
            line = str(tb.tb_lineno)
        tb = tb.tb_next
    return line
