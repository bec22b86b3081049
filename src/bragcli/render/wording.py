"""Formatting shared by every renderer: dates, numbers, leads, and safe Markdown and CSV cells."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

from bragcli.model import Measure, Plan, Rating, number_text
from bragcli.render.palette import PALETTE
from bragcli.safetext import visible, visible_lines


def uk_date(value: date | None) -> str:
    """31 January 2023."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def not_loaded(errors: int) -> str:
    """What a commit whose plan did not load shows instead of its counts (`brag trend`)."""
    return f"did not load ({plural(errors, 'error')})" if errors else "did not load"


def rating_word(rating: Rating | None) -> str:
    """The word shown for a rating: 'Blue', 'Not started', or '' when unrated."""
    return PALETTE[rating].word if rating is not None else ""


def number(value: float) -> str:
    """22.0 -> '22', 16.35 -> '16.35', 1e300 -> '1e+300' (`model.number_text`)."""
    return number_text(value)


def with_unit(value: float, measure: Measure) -> str:
    unit = measure.unit or ""
    spacer = " " if unit[:1].isalpha() else ""
    return f"{number(value)}{spacer}{unit}"


def target_text(measure: Measure) -> str:
    """'16-20', '≥ 90%', '≤ 0', or '' without a target."""
    if measure.target is None:
        return ""
    low, high = measure.target_bounds()
    unit = measure.unit or ""
    spacer = " " if unit[:1].isalpha() else ""
    if low is not None and high is not None:
        return f"{number(low)}-{number(high)}{spacer}{unit}"
    if low is not None:
        return f"≥ {number(low)}{spacer}{unit}"
    assert high is not None
    return f"≤ {number(high)}{spacer}{unit}"


def letter_counts(counts: Mapping[Rating, int]) -> str:
    """Ratings as compact letter counts, "G13 A10 N3": letters, never a sign (a "-3" for
    not started reads as minus three). "–" when every count is nought."""
    parts = [f"{PALETTE[r].letter}{counts[r]}" for r in Rating if counts.get(r)]
    return " ".join(parts) if parts else "–"


def overdue_by_rating(status: Mapping[Rating, int], overdue: Mapping[Rating, int]) -> str:
    """Each rating's count with how many of those actions are overdue:
    "Blue 3 · Green 25 (15 overdue) · Amber 10 · Red 0 · Not started 2 (2 overdue)"."""
    parts = []
    for rating in Rating:
        late = f" ({overdue[rating]} overdue)" if overdue.get(rating) else ""
        parts.append(f"{rating_word(rating)} {status[rating]}{late}")
    return " · ".join(parts)


def change_unit(measure: Measure) -> str | None:
    """The unit of a change in the measure: percentage points ("pp") for a measure in "%"
    (77% to 81% is +4 pp, not +4%), else the measure's own unit."""
    unit = (measure.unit or "").strip()
    if unit == "%":
        return "pp"
    return unit or None


def signed(value: float, measure: Measure) -> str:
    """A change in the measure, signed, in `change_unit`: "+4 pp", "−2.5 days", "±0"."""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    unit = change_unit(measure) or ""
    spacer = " " if unit[:1].isalpha() else ""
    return f"{sign}{number(abs(value))}{spacer}{unit}"


def replan_text(baseline: str | None, deadline: str | None, replanned: int | None) -> str:
    """ "first agreed March 2023, now Summer 2023, re-planned 2 times" (or what is known)."""
    parts = []
    if baseline is not None:
        parts.append(f"first agreed {baseline}")
        parts.append(f"now {deadline or 'no deadline'}")
    if replanned is not None:
        parts.append(f"re-planned {plural(replanned, 'time')}" if replanned else "not re-planned")
    return ", ".join(parts) if parts else "first deadline not known"


def reading_text(value: float, period: str, measure: Measure) -> str:
    """ "81% in 2023-05": a reading's value with its unit, and its period."""
    return f"{with_unit(value, measure)} in {period}"


def lead_text(plan: Plan, leads: Iterable[str]) -> str:
    """'Gail Hancock, Service Director (Improvement) / HSCP': the holder's name where known."""
    parts = []
    for role in leads:
        holder = plan.holder(role)
        parts.append(f"{holder}, {role}" if holder else role)
    return " / ".join(parts)


def short(text: str, width: int) -> str:
    """Cut `text` to `width` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0] if " " in text[: width - 1] else text[: width - 1]
    return cut.rstrip(",;:.") + "…"


# --- Markdown -------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]|<>#!~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")  # only an & that would start an entity
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])(\s)")


def md_inline(text: str) -> str:
    """Text that renders as itself in Markdown: no emphasis, links, HTML or headings from it.

    Line breaks become spaces; other control, bidi and invisible characters are shown escaped
    (`safetext.visible`), as is anything GitHub Actions would run as a workflow command.
    """
    escaped = _MD_INLINE.sub(r"\\\1", visible(" ".join(text.split())))
    escaped = _ENTITY.sub("&amp;", escaped)
    return _LINE_START.sub(r"\1\\\2\3", escaped)


def md_cell(text: str) -> str:
    """A table cell: as md_inline, and line breaks never end the row."""
    return md_inline(text.replace("\r", " ").replace("\n", " "))


def md_table(header: list[str], rows: Iterable[list[str]], align: str = "") -> list[str]:
    """A pipe table. `align` is one letter per column: l, r or c (default l)."""
    marks = {"l": "---", "r": "--:", "c": ":-:"}
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(marks[a] for a in align.ljust(len(header), "l")) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


# --- CSV --------------------------------------------------------------------------------------

#: Cell starts a spreadsheet runs as a formula: = + - @, tab and CR (OWASP), and the fullwidth
#: and small forms of = + - @, which spreadsheets in East Asian locales read as the ASCII ones.
FORMULA_START = (
    "=", "+", "-", "@", "\t", "\r",
    "\uff1d", "\uff0b", "\uff0d", "\uff20",  # fullwidth = + - @
    "\ufe66", "\ufe62", "\ufe63", "\ufe6b",  # small = + - @
)  # fmt: skip


def csv_unescape(text: str) -> str:
    """Undo `csv_safe`'s apostrophe: "'=x" -> "=x", "''x" -> "'x"; other text is unchanged.

    The importer reads cells through this, so whatever csv_safe wrote comes back as it was.
    """
    if len(text) > 1 and text[0] == "'" and (text[1] == "'" or text[1:].startswith(FORMULA_START)):
        return text[1:]
    return text


def apostrophe_safe(text: str) -> str:
    """Text that `csv_unescape` gives back unchanged: "'=x" -> "''=x" (xlsx cells need only
    this; their formulas are turned off by the cell type)."""
    return "'" + text if csv_unescape(text) != text else text


def csv_safe(value: object) -> str:
    """A cell a spreadsheet shows as text, exactly reversed by `csv_unescape`.

    Control characters (NUL, ESC, ...) and bidi or invisible characters are shown escaped
    (`\\x00`); a cell starting like a formula (see FORMULA_START) gets a leading apostrophe, and
    so does one that starts with an apostrophe the importer would take for that escape.
    """
    text = visible_lines("" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_START) else apostrophe_safe(text)


def missed_by_lead(ids: list[str]) -> str:
    """What `--lead` may have missed, in words: the actions whose lead is not in the roles
    glossary, so that only the role as written could be matched, not its holder's name."""
    shown = ", ".join(visible(i) for i in ids[:12]) + (", …" if len(ids) > 12 else "")
    their = "its" if len(ids) == 1 else "their"
    return (
        f"{plural(len(ids), 'other action')} may be missed: {their} lead is not in the roles "
        f"glossary of plan.yaml, so --lead could match only the role as written: {shown}"
    )
