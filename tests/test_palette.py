"""One palette: every output shows a rating in the colours of `render.palette`, and no other
module or template holds a colour of its own for a rating.

Before the palette, five copies disagreed: the chart drew "not started" in #d1d5db while the
HTML report and the xlsx export filled it with #e5e7eb, and the trend bars were a different
blue from the status view's.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from rich.color import ColorSystem, ColorType
from rich.errors import StyleSyntaxError
from rich.style import Style

from bragcli.model import Rating
from bragcli.render.palette import BLACK, PALETTE, WHITE, Swatch
from conftest import ROOT, SAMPLE_AS_OF, SAMPLE_PLAN, Run
from test_history import Repo

SOURCE = ROOT / "src" / "bragcli"
PALETTE_FILE = SOURCE / "render" / "palette.py"
TEMPLATES = ROOT / "templates"
HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
#: an xlsx (aRGB) or bare RGB colour as openpyxl takes it, e.g. "FF1D4ED8", "1D4ED8"
BARE_HEX = re.compile(r"(?:FF)?[0-9A-F]{6}")


def strings(path: Path) -> list[tuple[int, str]]:
    """Every string constant of a module (f-string pieces too), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def modules() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.py") if p != PALETTE_FILE)


def terminal_colour(text: str) -> bool:
    """Whether `text` is a rich style that sets a colour (bragcli's styles are rich's)."""
    try:
        style = Style.parse(text)
    except StyleSyntaxError:
        return False
    colours = [c for c in (style.color, style.bgcolor) if c is not None]
    return any(c.type is not ColorType.DEFAULT for c in colours)


def test_no_module_holds_a_hex_colour_but_the_palette() -> None:
    found = [
        (path.relative_to(ROOT).as_posix(), line, text)
        for path in modules()
        for line, text in strings(path)
        # (all digits is a number such as git's file mode 100644, not an xlsx colour)
        if HEX.search(text) or (BARE_HEX.fullmatch(text) and not text.isdigit())
    ]
    assert found == []


def test_no_module_names_a_terminal_colour_but_the_palette() -> None:
    """A rating's own name ("red") as data is allowed; as a style it would be a colour."""
    names = {r.value for r in Rating}
    found = [
        (path.relative_to(ROOT).as_posix(), line, text)
        for path in modules()
        for line, text in strings(path)
        if len(text) < 60 and text not in names and terminal_colour(text)
    ]
    assert found == []


def test_no_module_colours_text_with_click() -> None:
    """click.style(fg=...) would be a second, unchecked way to colour a terminal."""
    found = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg in {"fg", "bg"}:
                found.append((path.relative_to(ROOT).as_posix(), node.lineno))
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"style", "secho"}
                and isinstance(node.value, ast.Name)
                and node.value.id == "click"
            ):
                found.append((path.relative_to(ROOT).as_posix(), node.lineno))
    assert found == []


def test_templates_colour_ratings_only_through_the_palette() -> None:
    """A template may name the page's own neutrals (in `:root`, and black and white); a
    rating's colour comes from the `rating_colour` and `rating_ink` filters."""
    neutral = {"#000", "#fff", "#000000", "#ffffff"}
    found = []
    for path in sorted(TEMPLATES.glob("*.j2")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for colour in HEX.findall(line):
                if colour.lower() not in neutral and not line.lstrip().startswith(":root"):
                    found.append((path.name, number, colour))
    assert found == []
    for swatch in PALETTE.values():  # so black and white can never be a rating's colour
        assert swatch.colour not in {BLACK, WHITE}


def contrast(one: str, two: str) -> float:
    """The WCAG 2 contrast ratio of two "#rrggbb" colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_palette_tells_every_rating_apart() -> None:
    assert list(PALETTE) == list(Rating)
    for field in ("word", "letter", "symbol", "terminal", "colour"):
        values = [getattr(swatch, field) for swatch in PALETTE.values()]
        assert len(set(values)) == len(values), field
    for swatch in PALETTE.values():
        assert len(swatch.letter) == 1
        assert re.fullmatch(r"#[0-9a-f]{6}", swatch.colour), swatch
        assert swatch.ink in {BLACK, WHITE}
        # the word on its badge, cell or bar segment is readable (WCAG AA for normal text)
        assert contrast(swatch.colour, swatch.ink) >= 4.5, swatch
        assert terminal_colour(swatch.terminal)


def ansi(style: str) -> str:
    """The escape sequence that starts text in `style`."""
    return Style.parse(style).render("x", color_system=ColorSystem.STANDARD).split("x")[0]


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    shutil.copytree(SAMPLE_PLAN, folder)
    return folder


def test_the_status_view_colours_each_rating_from_the_palette(run: Run) -> None:
    out = run("actions", SAMPLE_PLAN, "--as-of", SAMPLE_AS_OF, "--color", "always").stdout
    for swatch in PALETTE.values():
        assert ansi(swatch.terminal_style) + swatch.word in out, swatch.word


def test_the_html_report_colours_each_rating_from_the_palette(run: Run, sample_copy: Path) -> None:
    html = run("report", sample_copy, "--as-of", SAMPLE_AS_OF, "--format", "html").stdout
    for rating, swatch in PALETTE.items():
        rule = f".r-{rating.value} {{ background: {swatch.css}; color: {swatch.css_ink}; }}"
        assert rule in html
        assert f'class="rating r-{rating.value}">{swatch.word}<' in html
    assert f".overdue {{ color: {PALETTE[Rating.RED].css};" in html


def test_the_markdown_report_shows_each_rating_with_its_symbol(run: Run, sample_copy: Path) -> None:
    markdown = run("report", sample_copy, "--as-of", SAMPLE_AS_OF).stdout
    for swatch in PALETTE.values():
        assert f"{swatch.symbol} {swatch.word}" in markdown


def test_the_xlsx_export_fills_each_rating_from_the_palette(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "actions.xlsx"
    assert run("export", SAMPLE_PLAN, "-o", target, "--as-of", SAMPLE_AS_OF).exit_code == 0
    sheet = openpyxl.load_workbook(target).active
    status = [c.value for c in sheet[1]].index("status")
    fills = {}
    for row in sheet.iter_rows(min_row=2):
        cell = row[status]
        fills[cell.value] = (cell.fill.fgColor.rgb, cell.font.color.rgb)
    assert fills == {r.value: (s.xlsx, s.xlsx_ink) for r, s in PALETTE.items()}


def test_trend_bars_chart_and_diff_use_the_palette(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    action = '  - {{id: "{0}", title: A{0}, lead: L, deadline: March 2023, status: {1}}}\n'

    def area(statuses: list[str]) -> str:
        rows = "".join(action.format(i, s) for i, s in enumerate(statuses, 1))
        return f'id: "1"\ntitle: Area\nactions:\n{rows}'

    repo = Repo(tmp_path / "repo")
    plan = "title: T\norganisation: C\n"
    repo.commit("one", "2023-01-10", {"plan.yaml": plan, "01.yaml": area(["green"] * 3)})
    repo.commit("two", "2023-02-10", {"01.yaml": area(["blue", "amber", "red", "not-started"])})
    monkeypatch.chdir(repo.root)

    trend = run("trend", "--as-of", "2023-03-01", "--color", "always").stdout
    for swatch in PALETTE.values():
        assert ansi(swatch.terminal) + swatch.letter in trend, swatch.word
    chart = tmp_path / "trend.svg"
    assert run("trend", "--as-of", "2023-03-01", "--chart", chart).exit_code == 0
    svg = chart.read_text(encoding="utf-8")
    for swatch in PALETTE.values():
        # bar segments and a legend key in the rating's colour
        assert svg.count(f'fill="{swatch.colour}"') >= 2, swatch.word
    diff = run("diff", "HEAD~1", "HEAD", "--color", "always").stdout
    assert ansi(PALETTE[Rating.GREEN].terminal) + "status green → blue (better)" in diff
    assert ansi(PALETTE[Rating.RED].terminal) + "status green → amber (worse)" in diff


def test_swatch_colours_in_each_medium() -> None:
    swatch = Swatch("Word", "W", "*", "red", "#1d4ed8", WHITE)
    assert (swatch.css, swatch.css_ink, swatch.xlsx, swatch.xlsx_ink) == (
        "#1d4ed8", "#fff", "FF1D4ED8", "FFFFFFFF"
    )  # fmt: skip
