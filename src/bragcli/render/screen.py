"""The terminal, for every view people read there: `brag status`, `actions`, `diff`, `trend`.

Widths are cells, not characters. A terminal shows a CJK character or most emoji in two cells
and a combining accent in none, so every width here is measured with `rich.cells.cell_len`,
and text is cut and padded by cells (`set_cell_size`, `chop_cells`), never with len(): a title
such as "✅ 完成" takes the room it is shown in, and the columns after it stay in line.

Every line fits the screen: tables give up room from their widest columns first, paragraphs
wrap, titles are shortened at a word with an ellipsis, and a line that still would not fit is
cut. The width is COLUMNS when set, else the terminal's, else 100 (CI logs and pipes: wide
enough for the tables, narrow enough to read).

Text reaches the terminal only through `Screen.line` (or `Screen.shown_line` for text that
went through `visible` already), which shows plan text `visible` (control, bidi and invisible
characters escaped, no GitHub workflow command) before adding any style. Plan text is never
parsed as rich markup, so `[bold]` or `[link=...]` in a title shows as written. Styles are rich
style strings; the colours of ratings come from `render.palette`.

A council-wide plan can list thousands of overdue actions, and rich's general-purpose Table
took seconds to lay them out; the grid here takes milliseconds. rich's Console is not used
either: deciding the width and whether to colour is a few lines, and importing it cost more
than the rest of a small `brag status`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from typing import NamedTuple, TextIO

from rich.cells import cell_len, chop_cells

from bragcli.render import ColorChoice
from bragcli.safetext import visible
from bragcli.terminal import colour_on, is_terminal

#: The width when the output is neither a terminal nor given one by COLUMNS.
PIPE_WIDTH = 100
#: The narrowest screen laid out; a narrower COLUMNS is taken as this.
MIN_WIDTH = 20
#: Cells between two table columns (1 where the screen is too narrow for 2).
GAP = 2
#: A table column never gets narrower than this to fit the screen.
MIN_COLUMN = 3
ELLIPSIS = "…"

#: A piece of text and its rich style (None: plain).
Span = tuple[str, str | None]
Cell = str | Span


def cells(text: str) -> int:
    """The cells `text` takes in a terminal (`rich.cells.cell_len`; ASCII at once, as its length:
    the text here has been made `visible`, so it holds no control character)."""
    return len(text) if text.isascii() else cell_len(text)


def screen_width(out: TextIO) -> int:
    """COLUMNS when it is a number; else the terminal's width; else PIPE_WIDTH."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isascii() and columns.isdigit() and len(columns) <= 6:
        return max(int(columns), MIN_WIDTH)
    if is_terminal(out):
        try:
            size = os.get_terminal_size(out.fileno()).columns
        # not a real terminal after all: no descriptor, a closed one, or not a number
        except (AttributeError, ValueError, OSError, TypeError, OverflowError):
            return PIPE_WIDTH
        return max(size, MIN_WIDTH) if size > 0 else PIPE_WIDTH
    return PIPE_WIDTH


@functools.cache
def _style(style: str) -> Callable[[str], str]:
    """What paints text in `style`. rich's styles and colours are imported only for coloured
    output: most output (pipes, CI logs, files) has none, and importing them was a tenth of a
    small `brag status`."""
    from rich.color import ColorSystem
    from rich.style import Style

    # The sixteen standard colours are all bragcli uses: every colour terminal has them.
    return functools.partial(Style.parse(style).render, color_system=ColorSystem.STANDARD)


def paint(text: str, style: str) -> str:
    """`text` (made `visible` already) in a rich style, in the sixteen standard colours every
    colour terminal has: for output that is coloured but not laid out (`brag check`)."""
    return _style(style)(text) if text else text


def fit(text: str, width: int, right: bool = False) -> str:
    """`text` in exactly `width` cells: cut with an ellipsis when longer, padded when shorter
    (on the left when `right`)."""
    if width <= 0:
        return ""
    if text.isascii():  # most cells: one cell a character
        if len(text) <= width:
            return text.rjust(width) if right else text.ljust(width)
        text = text[: width - 1] + ELLIPSIS if width > 1 else ELLIPSIS
        return text.rjust(width) if right else text.ljust(width)
    size = cell_len(text)
    if size > width:
        # The longest start that fits (one cell short where a wide character would straddle)
        head = chop_cells(text, width - 1)[0]
        text = head + ELLIPSIS if width > 1 else ELLIPSIS
        size = cells(head) + 1 if width > 1 else 1
    padding = " " * (width - size)
    return padding + text if right else text + padding


def pad(text: str, width: int) -> str:
    """`text` padded to at least `width` cells (never cut), like f"{text:<{width}}"."""
    return text + " " * max(width - cells(text), 0)


def shorten(text: str, width: int) -> str:
    """One line of at most `width` cells, cut at a word with an ellipsis when longer: what
    `wording.short` does in characters for documents, in cells for the terminal."""
    text = " ".join(text.split())
    if cells(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    head = text[: width - 1] if text.isascii() else chop_cells(text, width - 1)[0]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(",;:.") + ELLIPSIS


def wrap(text: str, width: int) -> list[str]:
    """Words of `text` in lines of at most `width` cells. A word longer than a line is broken:
    its start fills what is left of the current line (a long URL or code wastes no room).

    Every line is passed through `visible` again: a wrapped line starts a screen line after
    white space, where `::word::` would be a GitHub workflow command in a CI log."""
    width = max(width, 1)
    lines = _wrap_ascii(text, width) if text.isascii() else None
    if lines is None:
        lines = _wrap_words(text, width)
    return [visible(piece) for piece in lines]


def _wrap_words(text: str, width: int) -> list[str]:
    """`wrap`'s lines, before `visible`, worked out word by word."""
    measure = len if text.isascii() else cell_len  # each word is measured once
    lines: list[str] = []
    line: list[str] = []  # the words of the line being filled
    size = -1  # its cells, less the space before its first word
    for word in text.split():
        length = measure(word)
        if size + 1 + length <= width:
            line.append(word)
            size += 1 + length
            continue
        if length > width:
            room = width - size - 1 if line else width
            if line and room >= MIN_COLUMN:  # the long word's start fills this line
                piece = chop_cells(word, room)[0]
                line.append(piece)
                word = word[len(piece) :]
            if line:
                lines.append(" ".join(line))
            while cells(word) > width:
                # a character wider than the whole line (width 1) takes a line of its own
                piece = chop_cells(word, width)[0] or word[0]
                lines.append(piece)
                word = word[len(piece) :]
            if not word:  # its last piece was a character wider than the line
                line, size = [], -1
                continue
            length = cells(word)
        elif line:
            lines.append(" ".join(line))
        line = [word]
        size = length
    if line or not lines:
        lines.append(" ".join(line))
    return lines


def _wrap_ascii(text: str, width: int) -> list[str] | None:
    """`_wrap_words` for ASCII text whose words all fit a line (None for any other), a line
    at a time, not a word at a time: a status of 10,000 actions wraps some 18,000 cells.

    The same lines as word by word: each is the longest run of whole words, one space
    between them, that fits `width`, so it ends at the last space within `width` + 1."""
    joined = " ".join(text.split())
    lines = []
    start, end = 0, len(joined)
    while end - start > width:
        cut = joined.rfind(" ", start, start + width + 1)
        if cut <= start:  # a word longer than the line: broken, word by word
            return None
        lines.append(joined[start:cut])
        start = cut + 1
    lines.append(joined[start:])
    return lines


def _cut(parts: list[Span], width: int) -> list[Span]:
    """The spans that fit in `width` cells, the last one cut with an ellipsis."""
    kept: list[Span] = []
    room = width
    for piece, style in parts:
        size = cells(piece)
        if size > room:
            kept.append((fit(piece, room), style))
            break
        kept.append((piece, style))
        room -= size
    return kept


def _can_encode(out: TextIO, text: str) -> bool:
    try:
        text.encode(getattr(out, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


class Screen:
    """Lines of styled text, at most `width` cells each, written out at the end."""

    def __init__(self, out: TextIO, color: ColorChoice) -> None:
        self.out = out
        self.width = screen_width(out)
        self.colour = colour_on(out, color)
        self.lines: list[str] = []
        #: the rule under table headers: a line where the output can show one (not ASCII)
        self.rule = "─" if _can_encode(out, "─") else "-"

    def _paint(self, text: str, style: str | None) -> str:
        if not style or not self.colour or not text:
            return text
        return _style(style)(text)

    def line(self, *spans: Span | str) -> None:
        """One line of spans; each span's text is shown `visible` before it is styled."""
        self.shown_line(*(_visible(s) for s in spans))

    def shown_line(self, *spans: Span | str) -> None:
        """As `line`, for spans whose text has been made `visible` already (table cells).

        A line wider than the screen is cut, with an ellipsis, where it reaches the edge."""
        parts = [(s, None) if isinstance(s, str) else s for s in spans]
        if cells("".join(piece for piece, _style in parts)) > self.width:
            parts = _cut(parts, self.width)
        self.fitted_line(*parts)

    def fitted_line(self, *parts: Span) -> None:
        """As `shown_line`, for spans known to fit the width (a table's rows): not measured."""
        if self.colour:
            kept = list(parts)
            while kept and not kept[-1][0].rstrip(" "):  # no trailing padding, coloured or not
                kept.pop()
            if kept:
                kept[-1] = (kept[-1][0].rstrip(" "), kept[-1][1])
            self.lines.append("".join([self._paint(piece, style) for piece, style in kept]))
        else:
            self.lines.append("".join([piece for piece, _style in parts]).rstrip(" "))

    def paragraph(
        self,
        text: str,
        style: str | None = None,
        *,
        indent: int = 0,
        lead: str = "",
        max_lines: int = 0,
    ) -> None:
        """`text` wrapped to the screen, its lines indented `indent` cells; `lead` (an id, say)
        stands in the first line's indent, cut to fit it. Both are shown `visible`. With
        `max_lines`, the last line ends at a word with an ellipsis when there is more."""
        first = fit(visible(lead), indent - 1) + " " if lead else " " * indent
        room = self.width - indent
        pieces = wrap(visible(text), room)
        if max_lines and len(pieces) > max_lines:
            pieces = [*pieces[: max_lines - 1], shorten(" ".join(pieces[max_lines - 1 :]), room)]
        for i, piece in enumerate(pieces):
            self.shown_line(first if i == 0 else " " * indent, (piece, style))

    def blank(self) -> None:
        self.lines.append("")

    def write(self) -> None:
        self.out.write("\n".join(self.lines) + "\n")


class Column(NamedTuple):
    """One column of a `grid`: what it shows is data, so a view adds a column by adding one.

    Flexible columns (`ratio` > 0: titles, leads, measure names) share the width left over and
    wrap their text onto more lines within the column; a fixed column is as wide as its widest
    cell (at most `max_width`, beyond which it wraps when `wrap`, else is cut with an ellipsis).
    When even wrapping cannot fit the screen, columns with a `drop` rank are left out, the
    highest rank first: each view documents its order, and never drops an id, a rating or a
    deadline (they have no rank).
    """

    header: str  # may hold a line break: a header on two lines
    right: bool = False
    #: 0 for a column as wide as its widest cell; >0 for a share of the width left over
    ratio: int = 0
    header_style: str | None = None
    #: a fixed column never wider than this (longer cells wrap when `wrap`, else are cut)
    max_width: int = 0
    #: long cells wrap within the column (flexible columns always do)
    wrap: bool = False
    #: 0: always shown; otherwise left out on a narrow screen, the highest rank first
    drop: int = 0
    #: a wrapping cell takes at most this many lines (0: as many as it needs); the last one
    #: ends at a word with an ellipsis when there is more
    max_lines: int = 0
    #: a wrapping column is left at least this wide before columns are dropped (0: WRAP_MIN)
    min_width: int = 0

    @property
    def wraps(self) -> bool:
        return self.wrap or self.ratio > 0


#: A wrapping column is not made narrower than this (or than its widest cell) before columns
#: are dropped: narrower, a title breaks into a word a line.
WRAP_MIN = 14
#: ... and not narrower than this when nothing is left to drop.
WRAP_LEAST = 6


def _text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell[0]


def _visible(cell: Cell) -> Cell:
    """The cell as `Screen.line` shows it: `grid` measures and cuts cells as shown."""
    return visible(cell) if isinstance(cell, str) else (visible(cell[0]), cell[1])


class Layout(NamedTuple):
    #: the columns shown, by their index in the table's columns
    shown: list[int]
    #: the width of each column shown, in cells
    widths: list[int]
    gap: int


def layout(
    width: int,
    columns: Sequence[Column],
    headers: Sequence[Sequence[str]],
    rows: Sequence[Sequence[Cell]],
) -> Layout:
    """The columns to show and their widths in cells, and the gap between them, to fit `width`.

    A fixed column is as wide as its widest cell or header line (at most `max_width`); the
    flexible columns share what is left by their ratios. A table too wide for the screen
    closes its gaps to one cell; then leaves out columns by their `drop` rank, highest first,
    as long as its wrapping columns would be narrower than WRAP_MIN; then lets its wrapping
    columns shrink to WRAP_LEAST; and then takes cells from its widest columns first, down to
    MIN_COLUMN (cells cut with an ellipsis: the last resort, on a screen of a few dozen cells).
    """
    natural = []
    for i, column in enumerate(columns):
        texts = [_text(row[i]) for row in rows]
        widest_cell = max((len(t) if t.isascii() else cell_len(t) for t in texts), default=0)
        longest = max(widest_cell, *(cells(h) for h in headers[i]))
        natural.append(min(longest, column.max_width) if column.max_width else longest)
    droppable = sorted((i for i, c in enumerate(columns) if c.drop), key=lambda i: -columns[i].drop)
    shown = list(range(len(columns)))
    while True:
        for gap in (GAP, 1):
            widths = _share(width, gap, columns, natural, shown, WRAP_MIN)
            if sum(widths) + gap * (len(shown) - 1) <= width:
                return Layout(shown, widths, gap)
        if not droppable:
            break
        shown.remove(droppable.pop(0))
    gap = 1
    widths = _share(width, gap, columns, natural, shown, WRAP_LEAST)
    budget = width - gap * (len(shown) - 1)
    level = max(widths)
    while level > MIN_COLUMN and sum(min(w, level) for w in widths) > budget:
        level -= 1
    return Layout(shown, [min(w, level) for w in widths], gap)


def _share(
    width: int,
    gap: int,
    columns: Sequence[Column],
    natural: list[int],
    shown: list[int],
    least: int,
) -> list[int]:
    """The widths of the `shown` columns, the flexible ones given their share of the room the
    others leave (each at least `least`, or its natural width when that is less)."""
    widths = {i: natural[i] for i in shown}
    flexible = [i for i in shown if columns[i].ratio]
    if flexible:
        room = width - gap * (len(shown) - 1)
        left = room - sum(w for i, w in widths.items() if i not in flexible)
        # each its least first, then what is left by ratio, none beyond its natural width
        for i in flexible:
            # before columns are dropped, a column asks for its own least width
            wanted = (columns[i].min_width or least) if least == WRAP_MIN else least
            widths[i] = min(wanted, natural[i])
        left -= sum(widths[i] for i in flexible)
        while left > 0:
            wanting = [i for i in flexible if widths[i] < natural[i]]
            if not wanting:
                break
            shares = sum(columns[i].ratio for i in wanting)
            given = 0
            for i in wanting:
                more = min(natural[i] - widths[i], left * columns[i].ratio // shares)
                widths[i] += more
                given += more
            if not given:  # fewer cells left than columns wanting them: one each in turn
                widths[wanting[0]] += 1
                given = 1
            left -= given
    return [widths[i] for i in shown]


def grid(
    screen: Screen,
    title: str | None,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    footer: Sequence[Cell] | None = None,
) -> None:
    """A table: a bold title, headers, a rule, the rows and an optional footer row.

    Cells of wrapping columns take as many lines as their text needs; the other cells of the
    row stand on its first line."""
    rows = [[_visible(cell) for cell in row] for row in rows]
    footer = [_visible(cell) for cell in footer] if footer else None
    all_headers = [c.header.split("\n") for c in columns]
    fitted = layout(screen.width, columns, all_headers, [*rows, *([footer] if footer else [])])
    shown, widths, gap = fitted.shown, fitted.widths, fitted.gap
    kept = [columns[i] for i in shown]
    headers = [all_headers[i] for i in shown]
    if title:
        screen.line((title, "bold"))
    depth = max(len(h) for h in headers)
    for level in range(depth):
        spans: list[Span | str] = []
        for i, column in enumerate(kept):
            lines = [""] * (depth - len(headers[i])) + headers[i]
            header = fit(lines[level], widths[i], column.right)
            spans.append((header, column.header_style or "bold"))
            spans.append(" " * gap)
        screen.line(*spans[:-1])
    total = sum(widths) + gap * (len(kept) - 1)
    screen.line(screen.rule * min(screen.width, total))
    # The rows fit the screen when their columns do (layout made sure of that where it can).
    add = screen.fitted_line if total <= screen.width else screen.shown_line
    plan = _RowPlan(kept, widths, gap)
    if not screen.colour and total <= screen.width:  # lines of plain text, without spans
        screen.lines.extend(line for row in rows for line in plan.text([row[i] for i in shown]))
    else:
        for row in rows:
            for line in plan.lines([row[i] for i in shown]):
                add(*line)
    if footer:
        screen.blank()
        for line in plan.lines([footer[i] for i in shown]):
            add(*line)


class _RowPlan:
    """How the rows of one table become screen lines, worked out once for all its rows: a
    table of 10,000 actions has thousands of rows."""

    def __init__(self, columns: Sequence[Column], widths: list[int], gap: int) -> None:
        self.columns = [
            (width, column.wraps, column.max_lines, column.right)
            for column, width in zip(columns, widths, strict=True)
        ]
        self.space: Span = (" " * gap, None)
        #: what `wrap` gave for each (text, width, max_lines): a column of leads or deadlines
        #: repeats a few texts over thousands of rows
        self._wrapped: dict[tuple[str, int, int], list[str]] = {}

    def lines(self, row: Sequence[Cell]) -> list[list[Span]]:
        """The screen lines of one row: a wrapping cell's text on as many lines as it needs."""
        texts, height = self._pieces(row)
        space = self.space
        lines = []
        for k in range(height):
            spans: list[Span] = []
            add = spans.append
            for (pieces, style), (width, _wraps, _max_lines, right) in zip(
                texts, self.columns, strict=True
            ):
                piece = pieces[k] if k < len(pieces) else ""
                add((fit(piece, width, right), style if piece else None))
                add(space)
            spans.pop()
            lines.append(spans)
        return lines

    def text(self, row: Sequence[Cell]) -> list[str]:
        """`lines` as plain text, without styles: what `Screen.fitted_line` makes of them
        when there is no colour."""
        texts, height = self._pieces(row)
        space = self.space[0]
        columns = self.columns
        return [
            space.join(
                [
                    fit(pieces[k] if k < len(pieces) else "", c[0], c[3])
                    for (pieces, _), c in zip(texts, columns, strict=True)
                ]
            ).rstrip(" ")
            for k in range(height)
        ]

    def _pieces(self, row: Sequence[Cell]) -> tuple[list[tuple[list[str], str | None]], int]:
        """Each cell's lines and style, and the row's height in lines."""
        texts: list[tuple[list[str], str | None]] = []
        height = 1
        for cell, (width, wraps, max_lines, _right) in zip(row, self.columns, strict=True):
            text, style = (cell, None) if isinstance(cell, str) else cell
            if wraps and cells(text) > width:
                pieces = self._wrap(text, width, max_lines)
                if len(pieces) > height:
                    height = len(pieces)
            else:
                pieces = [text]
            texts.append((pieces, style))
        return texts, height

    def _wrap(self, text: str, width: int, max_lines: int) -> list[str]:
        key = (text, width, max_lines)
        pieces = self._wrapped.get(key)
        if pieces is None:
            pieces = wrap(text, width)
            if max_lines and len(pieces) > max_lines:
                rest = " ".join(pieces[max_lines - 1 :])
                pieces = [*pieces[: max_lines - 1], shorten(rest, width)]
            self._wrapped[key] = pieces
        return pieces
