"""Deadlines as people write them ("March 2023", "Q1 2023/24", "20/12/2022") -> date windows,
and the one reader of every single date a user gives (`parse_date`: `updated`, dated progress
notes, `start`, `--as-of`, `--since`, imported cells).

Pure: nothing here reads the clock. UK conventions: dates are day-first, seasons are
meteorological (spring is March to May) and the financial year starts on 1 April.

A two-digit year is always 20YY: "31/3/23" is 2023 and "31/3/99" is 2099, never 1999 (plans
look forward, and a fixed rule reads the same text the same way in every year). The window
remembers that its year was written with two digits (`Window.short_year`), so that `brag check`
can warn when such a year lands far from the plan's dates. A date read by `parse_date` from a
two-digit year is a `ShortYearDate` (a `date` that says so), for the same warning.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Literal, NamedTuple

from bragcli.safetext import excerpt

__all__ = [
    "DATE_FORMS",
    "MAX_DAYS",
    "NO_DATE_WORDS",
    "DeadlineError",
    "Quarters",
    "ShortYearDate",
    "Window",
    "months_after",
    "parse_date",
    "parse_days",
    "parse_deadline",
    "parse_period",
]

Quarters = Literal["calendar", "financial"]

#: Deadlines that say "there is no date" (compared in lower case).
NO_DATE_WORDS: frozenset[str] = frozenset(
    {
        "asap",
        "as soon as possible",
        "ongoing",
        "on-going",
        "tbc",
        "tba",
        "tbd",
        "to be confirmed",
        "n/a",
        "not applicable",
    }
)

#: The most days bragcli counts for a window (--due-within, --stale-days, `checks: stale_days`):
#: 100 years. A wider window is a typo, and dates end at 9999-12-31.
MAX_DAYS = 36500


def parse_days(text: str) -> int:
    """A whole number of days from 0 to MAX_DAYS, written in plain digits (`30`).

    Raises ValueError whose message follows the value in a sentence ("is not a whole ...").
    """
    written = text.strip()
    if written.isascii() and written.isdigit() and len(written) <= 9:
        days = int(written)
        if days <= MAX_DAYS:
            return days
    raise ValueError(f"is not a whole number of days from 0 to {MAX_DAYS} (100 years), e.g. 30")


MIN_YEAR = 1900
MAX_YEAR = 2199
_EXAMPLES = 'accepted forms include "March 2023", "20/12/2022" and "Q1 2023/24"'


class _WindowFields(NamedTuple):
    start: date
    end: date  # inclusive
    #: The year was written with two digits ("31/3/99"), and read as 20YY.
    short_year: bool = False


class Window(_WindowFields):
    """The days a deadline covers; an action is overdue from the day after `end`.

    Two windows are equal when they cover the same days, however their year was written."""

    __slots__ = ()

    def __new__(cls, start: date, end: date, short_year: bool = False) -> Window:
        if start > end:
            raise ValueError(f"window starts ({start}) after it ends ({end})")
        return super().__new__(cls, start, end, short_year)

    @classmethod
    def _make(cls, iterable: Iterable[Any]) -> Window:  # type: ignore[override]
        """As `Window(...)`, checked (`_replace` makes its copy here)."""
        return cls(*iterable)

    # Equal to a window of the same days, and to nothing else (not to a plain tuple, which
    # would hash differently); not ordered, as a tuple would be, by short_year too.
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Window) and self.start == other.start and self.end == other.end

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((self.start, self.end))

    def __lt__(self, other: object) -> bool:
        return NotImplemented

    __le__ = __gt__ = __ge__ = __lt__

    def __str__(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


class DeadlineError(ValueError):
    """The text is not a deadline bragcli understands; str(e) is a one-line message for users."""

    def __init__(self, text: str, reason: str = "is not a date bragcli understands") -> None:
        super().__init__(text, reason)
        self.text = text
        self.reason = reason

    def __str__(self) -> str:
        return self.message("deadline")

    def message(self, key: str) -> str:
        """The message for the deadline-like value of `key` ("deadline", "baseline")."""
        return f"{key} {excerpt(self.text, 60)} {self.reason}; {_EXAMPLES}"


# --- patterns, tried in order on the normalised text (single spaces, no "by "/"due ", no ".") ---

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?,?"
)
_YEAR = r"(?P<year>[0-9]{4})"
_YEAR_2_OR_4 = r"(?P<year>[0-9]{4}|[0-9]{2})"
_SECOND_YEAR = r"[/-](?P<year2>[0-9]{4}|[0-9]{2})"
_FY = r"(?:fy ?|financial year )"
_QUARTER = r"q(?P<quarter>[0-9])"
#: The text is lower-cased before it is matched (`_normalised`), so no pattern needs
#: IGNORECASE, which makes each pattern several times dearer to compile.
_FLAGS = re.ASCII


class LazyPattern:
    """A regular expression compiled the first time it is used, not at import: Python
    compiles patterns slowly, and a short command (`brag check` on a small plan) meets only a
    few of the forms a date can take. Compiled once, it is kept."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source, self._flags = source, flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(text)

    def match(self, text: str) -> re.Match[str] | None:
        return self.compiled.match(text)


# Each starts with a digit (`_match` tries them only on text that does) or with a letter.
_ISO = LazyPattern(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})", _FLAGS)
_NUMERIC = LazyPattern(
    r"(?P<day>[0-9]{1,2})(?P<sep>[/.-])(?P<month>[0-9]{1,2})(?P=sep)" + _YEAR_2_OR_4, _FLAGS
)
_DAY_MONTH = LazyPattern(
    r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?(?: of)?[ -]" + _MONTH + "[ -]" + _YEAR_2_OR_4, _FLAGS
)
_PART_MONTH = LazyPattern(
    r"(?:the )?(?P<part>end|late|early|beginning|start|mid|middle)(?: of)?[ -]"
    + _MONTH
    + " "
    + _YEAR,
    _FLAGS,
)
_MONTH_YEAR = LazyPattern(_MONTH + " " + _YEAR, _FLAGS)
_SEASON = LazyPattern(
    r"(?P<season>spring|summer|autumn|fall|winter),? " + _YEAR + f"(?:{_SECOND_YEAR})?", _FLAGS
)
_PAIR = _FY + "?" + _YEAR_2_OR_4 + _SECOND_YEAR
_QUARTER_PAIR = LazyPattern(_QUARTER + " " + _PAIR, _FLAGS)
_PAIR_QUARTER = LazyPattern(_PAIR + " " + _QUARTER, _FLAGS)  # either: "fy" or a digit
_QUARTER_YEAR = LazyPattern(_QUARTER + " " + _YEAR, _FLAGS)
_YEAR_QUARTER = LazyPattern(_YEAR + " " + _QUARTER, _FLAGS)
_FY_PAIR = LazyPattern(_FY + _YEAR_2_OR_4 + _SECOND_YEAR, _FLAGS)
_YEAR_PAIR = LazyPattern(_YEAR + _SECOND_YEAR, _FLAGS)
_BARE_YEAR = LazyPattern(_YEAR, _FLAGS)

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_NUMBERS = {name[:3].lower(): number for number, name in enumerate(_MONTH_NAMES, 1)}
_PARTS = {
    "early": (1, 10),
    "beginning": (1, 10),
    "start": (1, 10),
    "mid": (11, 20),
    "middle": (11, 20),
    "end": (21, 31),
    "late": (21, 31),
}
_SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def parse_deadline(text: str | None, *, quarters: Quarters = "calendar") -> Window | None:
    """The window `text` names, or None when it says there is no date ("TBC", "ongoing", "").

    `quarters` says how a quarter with one year ("Q1 2023") is read: "calendar" (January to
    March 2023) or "financial" (Q1 of 2023/24: April to June 2023). Raises DeadlineError, and
    nothing else, for any other string.
    """
    if text is None:
        return None
    if quarters not in ("calendar", "financial"):
        raise ValueError(f"quarters must be 'calendar' or 'financial', not {quarters!r}")
    return _parse(text, quarters)


@functools.lru_cache(maxsize=4096)
def _parse(text: str, quarters: Quarters) -> Window | None:
    found = _match(text, quarters)
    if found is None:
        return None
    window, m = found
    if len(m["year"]) == 2:
        return window._replace(short_year=True)
    return window


def _match(text: str, quarters: Quarters) -> tuple[Window, re.Match[str]] | None:
    """The window and the match that found it (None for no date); raises DeadlineError."""
    s = _normalised(text)
    if not s:
        return None
    s = s.removesuffix(".").rstrip().removeprefix("due ").removeprefix("by ")
    if s in NO_DATE_WORDS:
        return None
    if not s.isascii():  # every form is ASCII once spaces are single: no pattern can match
        raise DeadlineError(text)
    # A pattern that starts with a digit cannot match text that does not, and the other way
    # round: the patterns that cannot match are not tried (nor compiled). The order is kept.
    digit = s[:1].isdigit()
    word = not digit

    if digit and (m := _ISO.fullmatch(s)):
        return _day(text, _year(text, m["year"]), int(m["month"]), int(m["day"])), m
    if digit and (m := _NUMERIC.fullmatch(s) or _DAY_MONTH.fullmatch(s)):
        return _day(text, _year(text, m["year"]), _month(m["month"]), int(m["day"])), m
    if word and (m := _PART_MONTH.fullmatch(s)):
        year, month = _year(text, m["year"]), _month(m["month"])
        first, last = _PARTS[m["part"].lower()]
        last = min(last, days_in_month(year, month))
        return Window(date(year, month, first), date(year, month, last)), m
    if word and (m := _MONTH_YEAR.fullmatch(s)):
        return _months(_year(text, m["year"]), _month(m["month"]), 1), m
    if word and (m := _SEASON.fullmatch(s)):
        season, year = m["season"].lower(), _year(text, m["year"])
        if m["year2"] is not None:
            if season != "winter":
                raise DeadlineError(text, "spans two years, but only winter does")
            _check_next_year(text, year, m["year2"])
        return _months(year, _SEASON_MONTHS[season], 3), m
    if m := (word and _QUARTER_PAIR.fullmatch(s)) or _PAIR_QUARTER.fullmatch(s):
        quarter, year = _quarter(text, m["quarter"]), _year(text, m["year"])
        _check_next_year(text, year, m["year2"])
        return _months(year, 1 + 3 * quarter, 3), m  # financial Q1 starts in April
    if m := _QUARTER_YEAR.fullmatch(s) if word else _YEAR_QUARTER.fullmatch(s):
        quarter, year = _quarter(text, m["quarter"]), _year(text, m["year"])
        first_month = 1 + 3 * quarter if quarters == "financial" else 3 * quarter - 2
        return _months(year, first_month, 3), m
    if m := _FY_PAIR.fullmatch(s) if word else _YEAR_PAIR.fullmatch(s):
        year = _year(text, m["year"])
        _check_next_year(text, year, m["year2"])
        return _months(year, 4, 12), m
    if digit and (m := _BARE_YEAR.fullmatch(s)):
        return _months(_year(text, m["year"]), 1, 12), m
    raise DeadlineError(text)


def _normalised(text: str) -> str:
    """`text` as the patterns read it: white space single, in lower case."""
    return " ".join(text.split()).lower()


def _year(text: str, digits: str) -> int:
    """A written year: two digits mean 20YY (see the module's note); four must be in
    MIN_YEAR..MAX_YEAR."""
    if len(digits) == 2:
        return 2000 + int(digits)
    year = int(digits)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DeadlineError(text, f"has the year {year}, outside {MIN_YEAR} to {MAX_YEAR}")
    return year


def _check_next_year(text: str, year: int, digits: str) -> None:
    """`digits` (two or four of them) must name the year after `year`, as in 2023/24."""
    after = year + 1
    if int(digits) != (after % 100 if len(digits) == 2 else after):
        raise DeadlineError(text, f"is not two years in a row: the year after {year} is {after}")


def _month(name_or_number: str) -> int:
    if name_or_number.isdigit():
        return int(name_or_number)  # range-checked in _day
    return _MONTH_NUMBERS[name_or_number[:3].lower()]


def _quarter(text: str, digit: str) -> int:
    quarter = int(digit)
    if not 1 <= quarter <= 4:
        raise DeadlineError(text, f"has Q{quarter}, but quarters are Q1 to Q4")
    return quarter


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """The days in `month` (1 to 12) of `year`, in the Gregorian calendar for any year, as
    `calendar.monthrange` gives them (importing calendar, and locale with it, took longer
    than the rest of reading a deadline at start-up)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1 to 12")
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def _day(text: str, year: int, month: int, day: int) -> Window:
    if not 1 <= month <= 12:
        raise DeadlineError(text, f"has month {month}, but months run from 1 to 12")
    last = days_in_month(year, month)
    if not 1 <= day <= last:
        name = _MONTH_NAMES[month - 1]
        raise DeadlineError(text, f"is not a real date: {name} {year} has {last} days")
    one = date(year, month, day)
    return Window(one, one)


def _months(year: int, month: int, count: int) -> Window:
    """From the 1st of `month` (past 12 runs into the next year) to the end of `count` months."""
    first_year, first_month = divmod(year * 12 + month - 1, 12)
    last_year, last_month = divmod(year * 12 + month - 1 + count - 1, 12)
    last_day = days_in_month(last_year, last_month + 1)
    return Window(date(first_year, first_month + 1, 1), date(last_year, last_month + 1, last_day))


# --- single dates --------------------------------------------------------------------------

#: How to write a date, for messages: every form `parse_date` reads.
DATE_FORMS = "write it as YYYY-MM-DD (2023-01-31) or day first (31/01/2023, 31 January 2023)"

_PLAIN_ISO = LazyPattern(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_TIME_AFTER = LazyPattern(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[Tt ][0-9]", re.ASCII)


class ShortYearDate(date):
    """A date whose year was written with two digits ("31/01/23"), read as 20YY.

    It is equal to, and hashes as, the plain date; `brag check` uses the type alone to warn
    when such a year lands far from the plan's dates (two-digit-year).
    """

    __slots__ = ()


def parse_date(text: str) -> date:
    """The one day `text` names: ISO `2023-01-31`, or UK day-first `31/01/2023`, `31/01/23`,
    `31.01.2023`, `31 January 2023`, `31 Jan 2023` (`31st of January 2023` too). A two-digit
    year is 20YY, as for deadlines, and gives a `ShortYearDate`.

    Raises ValueError whose message follows the value in a sentence ("is not a date; ...").
    """
    if len(text) == 10 and _PLAIN_ISO.fullmatch(text):  # nearly every date: read at once
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # a day that does not exist: said below, in the words of every other form
    s = _normalised(text)
    m = _ISO.fullmatch(s) or _NUMERIC.fullmatch(s) or _DAY_MONTH.fullmatch(s)
    if m is None:
        if _TIME_AFTER.match(s):
            raise ValueError("is not a date: it has a time too; write the day alone, as YYYY-MM-DD")
        raise ValueError(f"is not a date; {DATE_FORMS}")
    digits = m["year"]
    # A four-digit year may be any a date can have (an --as-of of 9999-12-31 is fine): the
    # deadline's range MIN_YEAR..MAX_YEAR guards windows, not single days.
    year = 2000 + int(digits) if len(digits) == 2 else int(digits)
    if year < 1:
        raise ValueError(f"has the year {digits}, which no calendar has; {DATE_FORMS}")
    try:
        day = _day(text, year, _month(m["month"]), int(m["day"])).start
    except DeadlineError as e:
        raise ValueError(f"{e.reason}; {DATE_FORMS}") from None
    if len(m["year"]) == 2:
        return ShortYearDate(day.year, day.month, day.day)
    return day


# --- the periods of measures' readings ---------------------------------------------------------

_YEAR_MONTH = LazyPattern(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})", re.ASCII)


def parse_period(text: str, *, quarters: Quarters = "calendar") -> Window | None:
    """The days a reading's period covers: `2023-01` (a month), or any form of a deadline
    (`March 2023`, `Q3 2022/23`, `2021-22`, `2022`, a day). YYYY-NN is a month unless NN is
    the next year's last two digits (`2021-22`: the financial year April 2021 to March 2022).
    None when the period is not a date ("TBC", "Baseline"): a period is free text, and only
    judged when it names dates."""
    s = text.strip()
    m = _YEAR_MONTH.fullmatch(s)
    if m and int(m["month"]) != (int(m["year"]) + 1) % 100:  # 2021-22: a year, not a month
        month = int(m["month"])
        if not 1 <= month <= 12:
            return None
        try:
            return _months(_year(text, m["year"]), month, 1)
        except DeadlineError:
            return None
    try:
        return parse_deadline(s, quarters=quarters)
    except DeadlineError:
        return None


def months_after(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 January
    and 1 month: 28 February); date.max when that is past year 9999."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    if year > date.max.year:
        return date.max
    last = days_in_month(year, month + 1)
    return date(year, month + 1, min(day.day, last))


#: How a reading's period is read, by the length of the window it names.
ReadingCadence = Literal["month", "quarter", "year"]

#: How many months after the end of its period a measure's latest reading is still current, by
#: default (`checks: stale_reading_months` changes it): a monthly figure for 3 months, a
#: quarterly one for 6, an annual one for 18. Older, it is stale: `brag status` flags it and
#: the `stale-reading` rule warns, both through `ReadingPeriod.stale`.
READING_GRACE_MONTHS: dict[ReadingCadence, int] = {"month": 3, "quarter": 6, "year": 18}


class ReadingPeriod(NamedTuple):
    """The days a reading's period covers, and whether it is a month, a quarter or a year."""

    window: Window
    cadence: ReadingCadence

    def current_until(self, grace: Mapping[ReadingCadence, int] = READING_GRACE_MONTHS) -> date:
        """The last day the reading counts as current: its period's end plus the grace."""
        return months_after(self.window.end, grace[self.cadence])

    def stale(
        self, as_of: date, grace: Mapping[ReadingCadence, int] = READING_GRACE_MONTHS
    ) -> bool:
        return as_of > self.current_until(grace)


def reading_period(text: str, *, quarters: Quarters = "calendar") -> ReadingPeriod | None:
    """The period a reading is for (`parse_period`) and its cadence, by its length: up to a
    month is monthly, up to a quarter quarterly, anything longer a year. None when `text`
    names no date bragcli understands."""
    window = parse_period(text, quarters=quarters)
    if window is None:
        return None
    days = (window.end - window.start).days + 1
    cadence: ReadingCadence = "month" if days <= 31 else "quarter" if days <= 92 else "year"
    return ReadingPeriod(window, cadence)


def reading_is_stale(
    period: str,
    as_of: date,
    *,
    quarters: Quarters = "calendar",
    grace: Mapping[ReadingCadence, int] = READING_GRACE_MONTHS,
) -> bool | None:
    """Whether a reading for `period` is stale at `as_of`; None when the period is not a date."""
    found = reading_period(period, quarters=quarters)
    return None if found is None else found.stale(as_of, grace)
