"""The one table of what a rating looks like: its word, letter, symbol and colours.

Every output reads a rating's looks from `PALETTE`: the terminal views (rich styles), the
HTML report (through the `rating_colour` and `rating_ink` template filters), the trend chart
(SVG and PNG) and the xlsx export (cell fills). A rating has one colour on paper and screen,
`colour`, written as each medium wants it (`css`, `xlsx`); a terminal has only sixteen named
colours, so the terminal colour is its own column.

Colour is never the only sign of a rating: every output also shows the word or the letter.

Imports nothing heavy (no rich, no jinja2), so `brag export` and the HTML report can use it.
"""

from __future__ import annotations

from typing import NamedTuple

from bragcli.model import Rating

#: White and black, as the chart draws its background and outlines, and as text on a fill.
WHITE = "#ffffff"
BLACK = "#000000"
#: The light grey of table header rows (the Word report; the HTML report's `--head`).
HEADER_FILL = "#eef0f3"


class Swatch(NamedTuple):
    """How one rating is shown."""

    #: the word, capitalised as it starts a table cell: "Blue", "Not started"
    word: str
    #: one letter, for stacked bars and compact counts ("G2 A1 N3"): never a sign such as
    #: "-", which a reader takes for minus ("N3", not "-3")
    letter: str
    #: a coloured symbol for reports, always printed beside the word
    symbol: str
    #: a rich colour name (one of the sixteen every terminal has)
    terminal: str
    #: the fill colour on paper and screen, "#rrggbb"
    colour: str
    #: the text colour on that fill, chosen for contrast: WHITE or BLACK
    ink: str

    @property
    def terminal_style(self) -> str:
        """The rich style of the rating's word in a terminal: bold, in its colour."""
        return f"bold {self.terminal}"

    @property
    def css(self) -> str:
        """`colour` as CSS writes it shortest: "#1d4ed8", "#fff"."""
        return css(self.colour)

    @property
    def css_ink(self) -> str:
        return css(self.ink)

    @property
    def xlsx(self) -> str:
        """`colour` as an xlsx (aRGB) colour: "FF1D4ED8"."""
        return xlsx(self.colour)

    @property
    def xlsx_ink(self) -> str:
        return xlsx(self.ink)


PALETTE: dict[Rating, Swatch] = {
    Rating.BLUE: Swatch("Blue", "B", "🔵", "bright_blue", "#1d4ed8", WHITE),
    Rating.GREEN: Swatch("Green", "G", "🟢", "green", "#166534", WHITE),
    Rating.AMBER: Swatch("Amber", "A", "🟠", "yellow", "#fbbf24", BLACK),
    Rating.RED: Swatch("Red", "R", "🔴", "red", "#b91c1c", WHITE),
    Rating.NOT_STARTED: Swatch("Not started", "N", "⚪", "bright_black", "#e5e7eb", BLACK),
}

#: Terminal styles for news that is not itself a rating, in the colours of the ratings that
#: mean the same: better, met or on time as green; worse, missed or overdue as red.
GOOD = PALETTE[Rating.GREEN].terminal
BAD = PALETTE[Rating.RED].terminal
GOOD_BOLD = PALETTE[Rating.GREEN].terminal_style
BAD_BOLD = PALETTE[Rating.RED].terminal_style


def css(colour: str) -> str:
    """ "#rrggbb" as CSS writes it shortest: "#ffffff" -> "#fff"; "#1d4ed8" stays."""
    digits = colour[1:]
    if all(digits[i] == digits[i + 1] for i in range(0, 6, 2)):
        return "#" + digits[::2]
    return colour


def xlsx(colour: str) -> str:
    """ "#rrggbb" as an opaque aRGB colour for openpyxl: "FFRRGGBB"."""
    return "FF" + colour[1:].upper()
