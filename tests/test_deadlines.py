"""bragcli.deadlines: every accepted form with its exact window, the no-date words, the errors."""

from __future__ import annotations

import pickle
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bragcli import deadlines
from bragcli.deadlines import (
    NO_DATE_WORDS,
    DeadlineError,
    Quarters,
    Window,
    parse_deadline,
)

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def w(start: str, end: str | None = None) -> Window:
    """A window from ISO strings; one day when `end` is left out."""
    return Window(date.fromisoformat(start), date.fromisoformat(end or start))


def cases(*rows: tuple[str, Window]) -> list[object]:
    return [pytest.param(text, expected, id=text) for text, expected in rows]


# Forms that read the same in both quarter modes.
VALID = cases(
    # ISO
    ("2023-03-31", w("2023-03-31")),
    ("2024-02-29", w("2024-02-29")),
    # UK day-first numeric
    ("20/12/2022", w("2022-12-20")),
    ("20/12/22", w("2022-12-20")),
    ("2/12/2022", w("2022-12-02")),
    ("02.12.22", w("2022-12-02")),
    ("20-12-2022", w("2022-12-20")),
    ("1/1/2000", w("2000-01-01")),
    ("31/12/99", w("2099-12-31")),
    ("29/02/2024", w("2024-02-29")),
    # day, month name, year
    ("20 December 2022", w("2022-12-20")),
    ("20 Dec 2022", w("2022-12-20")),
    ("20th December 2022", w("2022-12-20")),
    ("1st Sept 2022", w("2022-09-01")),
    ("2nd Sep 2022", w("2022-09-02")),
    ("3rd September 2022", w("2022-09-03")),
    ("20 Dec 22", w("2022-12-20")),
    ("20th of December 2022", w("2022-12-20")),
    ("20-Dec-2022", w("2022-12-20")),
    ("5 May 2023", w("2023-05-05")),
    # whole month
    ("December 2022", w("2022-12-01", "2022-12-31")),
    ("Dec 2022", w("2022-12-01", "2022-12-31")),
    ("Sept 2022", w("2022-09-01", "2022-09-30")),
    ("Sep 2022", w("2022-09-01", "2022-09-30")),
    ("September 2022", w("2022-09-01", "2022-09-30")),
    ("January 2023", w("2023-01-01", "2023-01-31")),
    ("June 2023", w("2023-06-01", "2023-06-30")),
    ("Jun 2023", w("2023-06-01", "2023-06-30")),
    ("July 2023", w("2023-07-01", "2023-07-31")),
    ("April 2023", w("2023-04-01", "2023-04-30")),
    ("November 2023", w("2023-11-01", "2023-11-30")),
    ("February 2023", w("2023-02-01", "2023-02-28")),
    ("February 2024", w("2024-02-01", "2024-02-29")),
    ("Feb 1900", w("1900-02-01", "1900-02-28")),
    ("Feb 2000", w("2000-02-01", "2000-02-29")),
    # part of a month
    ("End of January 2023", w("2023-01-21", "2023-01-31")),
    ("end January 2023", w("2023-01-21", "2023-01-31")),
    ("end of Jan 2023", w("2023-01-21", "2023-01-31")),
    ("Late March 2023", w("2023-03-21", "2023-03-31")),
    ("End of February 2023", w("2023-02-21", "2023-02-28")),
    ("End of February 2024", w("2024-02-21", "2024-02-29")),
    ("Late April 2023", w("2023-04-21", "2023-04-30")),
    ("the end of March 2023", w("2023-03-21", "2023-03-31")),
    ("Early March 2023", w("2023-03-01", "2023-03-10")),
    ("beginning of March 2023", w("2023-03-01", "2023-03-10")),
    ("start of March 2023", w("2023-03-01", "2023-03-10")),
    ("Mid March 2023", w("2023-03-11", "2023-03-20")),
    ("mid-March 2023", w("2023-03-11", "2023-03-20")),
    ("middle of March 2023", w("2023-03-11", "2023-03-20")),
    # seasons (UK meteorological)
    ("Spring 2023", w("2023-03-01", "2023-05-31")),
    ("Summer 2023", w("2023-06-01", "2023-08-31")),
    ("Autumn 2023", w("2023-09-01", "2023-11-30")),
    ("Fall 2023", w("2023-09-01", "2023-11-30")),
    ("Winter 2023", w("2023-12-01", "2024-02-29")),
    ("Winter 2022", w("2022-12-01", "2023-02-28")),
    ("Winter 2022/23", w("2022-12-01", "2023-02-28")),
    ("Winter 2023/24", w("2023-12-01", "2024-02-29")),
    ("Winter 2022-2023", w("2022-12-01", "2023-02-28")),
    # financial quarters (the year starts on 1 April)
    ("Q1 2023/24", w("2023-04-01", "2023-06-30")),
    ("Q2 2023/24", w("2023-07-01", "2023-09-30")),
    ("Q3 2023/24", w("2023-10-01", "2023-12-31")),
    ("Q4 2023/24", w("2024-01-01", "2024-03-31")),
    ("Q1 23/24", w("2023-04-01", "2023-06-30")),
    ("Q1 2023-24", w("2023-04-01", "2023-06-30")),
    ("Q1 FY2023/24", w("2023-04-01", "2023-06-30")),
    ("Q1 FY 23/24", w("2023-04-01", "2023-06-30")),
    ("2023/24 Q1", w("2023-04-01", "2023-06-30")),
    ("FY2023/24 Q4", w("2024-01-01", "2024-03-31")),
    ("Q4 2099/00", w("2100-01-01", "2100-03-31")),
    # financial years
    ("FY2023/24", w("2023-04-01", "2024-03-31")),
    ("FY 2023/24", w("2023-04-01", "2024-03-31")),
    ("FY23/24", w("2023-04-01", "2024-03-31")),
    ("2023/24", w("2023-04-01", "2024-03-31")),
    ("2023-24", w("2023-04-01", "2024-03-31")),
    ("2023/2024", w("2023-04-01", "2024-03-31")),
    ("1999/00", w("1999-04-01", "2000-03-31")),
    # a bare year
    ("2023", w("2023-01-01", "2023-12-31")),
    ("1900", w("1900-01-01", "1900-12-31")),
    ("2199", w("2199-01-01", "2199-12-31")),
)


@pytest.mark.parametrize(("text", "expected"), VALID)
@pytest.mark.parametrize("quarters", ["calendar", "financial"])
def test_valid_forms(text: str, expected: Window, quarters: Quarters) -> None:
    assert parse_deadline(text, quarters=quarters) == expected


@pytest.mark.parametrize(
    ("text", "quarters", "expected"),
    [
        pytest.param(text, quarters, w(start, end), id=f"{text}-{quarters}")
        for text, quarters, start, end in [
            ("Q1 2023", "calendar", "2023-01-01", "2023-03-31"),
            ("Q2 2023", "calendar", "2023-04-01", "2023-06-30"),
            ("Q3 2023", "calendar", "2023-07-01", "2023-09-30"),
            ("Q4 2023", "calendar", "2023-10-01", "2023-12-31"),
            ("2023 Q1", "calendar", "2023-01-01", "2023-03-31"),
            ("Q1 2023", "financial", "2023-04-01", "2023-06-30"),
            ("Q2 2023", "financial", "2023-07-01", "2023-09-30"),
            ("Q3 2023", "financial", "2023-10-01", "2023-12-31"),
            ("Q4 2023", "financial", "2024-01-01", "2024-03-31"),
            ("2023 Q4", "financial", "2024-01-01", "2024-03-31"),
            ("Q4 2023/24", "calendar", "2024-01-01", "2024-03-31"),
            ("Q4 2023/24", "financial", "2024-01-01", "2024-03-31"),
        ]
    ],
)
def test_quarter_modes(text: str, quarters: Quarters, expected: Window) -> None:
    assert parse_deadline(text, quarters=quarters) == expected


def test_quarters_default_to_calendar() -> None:
    assert parse_deadline("Q1 2023") == w("2023-01-01", "2023-03-31")


@pytest.mark.parametrize(
    "text",
    [
        "March 2023",
        "march 2023",
        "MARCH 2023",
        "  March   2023  ",
        "March\t2023\n",
        "March\u00a02023",
        "by March 2023",
        "By March 2023",
        "due March 2023",
        "Due by March 2023",
        "March 2023.",
        "by March 2023.",
        " BY  march  2023 . ",
        "Mar. 2023",
        "March, 2023",
    ],
    ids=repr,
)
def test_case_spacing_prefix_and_full_stop_are_ignored(text: str) -> None:
    assert parse_deadline(text) == w("2023-03-01", "2023-03-31")


@pytest.mark.parametrize(
    ("text", "expected"),
    cases(
        ("by 20/12/2022.", w("2022-12-20")),
        ("DUE 2023-03-31", w("2023-03-31")),
        ("by the end of Feb 2024.", w("2024-02-21", "2024-02-29")),
        ("due q1 fy23/24", w("2023-04-01", "2023-06-30")),
        ("by spring 2023", w("2023-03-01", "2023-05-31")),
    ),
)
def test_prefixes_on_other_forms(text: str, expected: Window) -> None:
    assert parse_deadline(text) == expected


EXPECTED_NO_DATE_WORDS = {
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


def test_no_date_words_are_exported() -> None:
    assert isinstance(NO_DATE_WORDS, frozenset)
    assert set(NO_DATE_WORDS) == EXPECTED_NO_DATE_WORDS


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        " ",
        "\t\n ",
        *sorted(EXPECTED_NO_DATE_WORDS),
        *(word.upper() for word in sorted(EXPECTED_NO_DATE_WORDS)),
        "TBC",
        "Tbc.",
        "  Ongoing  ",
        "On-going",
        "As Soon As Possible",
        "to  be  confirmed",
        "N/A",
        "by TBC",
    ],
    ids=repr,
)
@pytest.mark.parametrize("quarters", ["calendar", "financial"])
def test_no_date_means_none(text: str | None, quarters: Quarters) -> None:
    assert parse_deadline(text, quarters=quarters) is None


INVALID = [
    pytest.param(text, id=repr(text))
    for text in [
        "Marhc 2023",
        "soon",
        "Q5 2023",
        "Q0 2023/24",
        "Q5 2023/24",
        "32/01/2023",
        "31/02/2023",
        "29/02/2023",
        "31/04/2023",
        "00/01/2023",
        "20/13/2022",
        "20/00/2022",
        "2023-02-29",
        "2023-13-01",
        "2023/25",
        "2023/2025",
        "2023-23",
        "FY23/25",
        "Q1 2023/25",
        "Winter 2022/24",
        "Summer 2023/24",
        "March",
        "March 23",
        "End of March",
        "Spring",
        "Q1",
        "FY2023",
        "23/24",
        "12/2022",
        "1899",
        "2200",
        "0000",
        "December 2200",
        "20/12/1899",
        "Q1 1899/00",
        "202",
        "20233",
        "20/12-2022",
        "2023-03",
        "sometime in March 2023",
        "before March 2023",
        "March 2023 or April 2023",
        "TBC March 2023",
        "by",
        "due",
        ".",
        "..",
        "-",
        "March 2023..",
        "\u0662\u0660\u0662\u0663",
    ]
]


@pytest.mark.parametrize("text", INVALID)
@pytest.mark.parametrize("quarters", ["calendar", "financial"])
def test_invalid_raises_with_the_text_quoted(text: str, quarters: Quarters) -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(text, quarters=quarters)
    message = str(caught.value)
    assert repr(text) in message
    assert "\n" not in message
    assert '"March 2023"' in message  # shows accepted forms


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31/02/2023", "February 2023 has 28 days"),
        ("30/02/2024", "February 2024 has 29 days"),
        ("20/13/2022", "month 13"),
        ("Q5 2023", "Q1 to Q4"),
        ("2023/25", "the year after 2023 is 2024"),
        ("1899", "1899"),
        ("Summer 2023/24", "only winter"),
        ("Marhc 2023", "not a date bragcli understands"),
    ],
    ids=lambda value: str(value),
)
def test_error_says_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(DeadlineError, match=fragment):
        parse_deadline(text)


def test_long_text_is_shortened_in_the_message() -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline("x" * 500)
    assert len(str(caught.value)) < 200
    assert caught.value.text == "x" * 500


def test_deadline_error_is_a_value_error_and_pickles() -> None:
    with pytest.raises(ValueError) as caught:
        parse_deadline("soon")
    error = caught.value
    assert isinstance(error, DeadlineError)
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error)


def test_unknown_quarters_mode_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="quarters") as caught:
        parse_deadline("Q1 2023", quarters="fiscal")  # type: ignore[arg-type]
    assert not isinstance(caught.value, DeadlineError)


@pytest.mark.parametrize(
    ("window", "shown"),
    [
        pytest.param(w("2023-03-01", "2023-03-31"), "2023-03-01..2023-03-31", id="range"),
        pytest.param(w("2022-12-20"), "2022-12-20", id="one-day"),
    ],
)
def test_window_str(window: Window, shown: str) -> None:
    assert str(window) == shown


def test_window_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="after it ends"):
        Window(date(2023, 3, 2), date(2023, 3, 1))


def test_window_is_frozen_and_hashable() -> None:
    window = w("2023-03-01", "2023-03-31")
    with pytest.raises(AttributeError):
        window.start = date(2023, 1, 1)  # type: ignore[misc]
    assert len({window, w("2023-03-01", "2023-03-31")}) == 1


def test_results_are_cached() -> None:
    assert parse_deadline("Late May 2023") is parse_deadline("Late May 2023")


def test_never_reads_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoClock(date):
        @classmethod
        def today(cls) -> NoClock:
            raise AssertionError("deadlines must not read the clock")

    monkeypatch.setattr(deadlines, "date", NoClock)
    deadlines._parse.cache_clear()
    try:
        for text in ("March 2023", "20/12/2022", "Q1 2023", "Winter 2023", "2023/24", "TBC"):
            parse_deadline(text)
            parse_deadline(text, quarters="financial")
    finally:
        deadlines._parse.cache_clear()


# --- properties ---

QUARTER_MODES = st.sampled_from(["calendar", "financial"])


def check_contract(text: str, quarters: Quarters) -> None:
    """None, a well-formed Window, or a one-line DeadlineError quoting the text; nothing else."""
    try:
        result = parse_deadline(text, quarters=quarters)
    except DeadlineError as e:
        assert "\n" not in str(e)
        assert e.text == text
        return
    assert result is None or (isinstance(result, Window) and result.start <= result.end)


@settings(database=None, max_examples=500, deadline=None)
@given(st.text(), QUARTER_MODES)
def test_any_text_gives_none_a_window_or_deadline_error(text: str, quarters: Quarters) -> None:
    check_contract(text, quarters)


NEAR_MISS_TOKENS = [
    *"0123456789/-.,qQ ",
    "00",
    "02",
    "13",
    "29",
    "31",
    "99",
    "1899",
    "1900",
    "2023",
    "2024",
    "2199",
    "2200",
    "q1",
    "Q4",
    "Q5",
    "fy",
    "FY ",
    "by ",
    "due ",
    "the ",
    "end of ",
    "mid-",
    "early ",
    "th",
    "st",
    "jan",
    "Feb",
    "march",
    "sept",
    "Dec",
    "winter",
    "Spring",
    "tbc",
    "n/a",
    "\u00a0",
    "\u0663",
]


@settings(database=None, max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(NEAR_MISS_TOKENS), max_size=8).map("".join), QUARTER_MODES)
def test_near_miss_text_gives_none_a_window_or_deadline_error(
    text: str, quarters: Quarters
) -> None:
    check_contract(text, quarters)


DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))


@settings(database=None, deadline=None)
@given(DATES)
def test_dates_round_trip_to_one_day(day: date) -> None:
    one = Window(day, day)
    assert parse_deadline(f"{day.day:02d}/{day.month:02d}/{day.year:04d}") == one
    assert parse_deadline(day.isoformat()) == one
    assert parse_deadline(f"{day.day} {MONTHS[day.month - 1]} {day.year}") == one
    assert parse_deadline(str(one)) == one


@settings(database=None, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_two_digit_years_are_this_century(day: date) -> None:
    assert parse_deadline(f"{day.day}/{day.month}/{day.year % 100:02d}") == Window(day, day)


def test_a_window_is_equal_by_its_days_however_its_year_was_written() -> None:
    """`short_year` is remembered (for the two-digit-year warning) but is not part of what a
    window is: ==, != and hash agree, and a copy made by pickle (a file read on the second
    core comes back pickled) keeps it."""
    short, long = parse_deadline("31/3/23"), parse_deadline("31/3/2023")
    assert short is not None and long is not None
    assert short.short_year and not long.short_year
    assert short == long and (short != long) is False and hash(short) == hash(long)
    assert short != Window(short.start, short.end + timedelta(days=1))
    assert len({short, long}) == 1
    copy = pickle.loads(pickle.dumps(short))
    assert copy == short and copy.short_year and type(copy) is Window
    with pytest.raises(ValueError, match="after it ends"):
        Window(short.end, short.start - timedelta(days=1))
    with pytest.raises(AttributeError):
        short.start = long.start  # type: ignore[misc]
    # Not a plain tuple: equal to windows only, unordered (by short_year or anything else),
    # and a copy with another start is checked like a new window.
    assert short != tuple(short) and tuple(short) != short
    with pytest.raises(TypeError):
        _ = short < long
    with pytest.raises(TypeError):
        sorted([long, short])
    with pytest.raises(ValueError, match="after it ends"):
        short._replace(start=short.end + timedelta(days=1))


@settings(database=None, deadline=None)
@given(st.integers(1900, 2199), st.integers(1, 12))
def test_month_windows_cover_the_whole_month(year: int, month: int) -> None:
    window = parse_deadline(f"{MONTHS[month - 1]} {year}")
    assert window is not None
    assert window.start == date(year, month, 1)
    after = window.end + timedelta(days=1)
    assert after.day == 1
    assert (after.year * 12 + after.month) - (year * 12 + month) == 1


def test_days_in_month_is_the_calendars_for_every_month_of_every_year() -> None:
    """bragcli counts the days of a month itself (importing calendar cost start-up time):
    the count must be the calendar's for every month of every year a date can have, and for
    the years beyond, and a month that is not 1 to 12 is an error, not a guess."""
    import calendar

    from bragcli.deadlines import days_in_month

    for year in [*range(1, 10_000), 10_000, 0, -400]:
        for month in range(1, 13):
            assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
    for month in (0, 13, -1):
        with pytest.raises(ValueError):
            days_in_month(2024, month)


# --- the patterns: compiled when first needed, and tried only where they can match ----------

#: Which patterns start with a digit, which with a letter (`_match` tries each only on text
#: that starts so); _PAIR_QUARTER may start with either ("fy 2022/23 q1", "2022/23 q1").
_STARTS_WITH_DIGIT = ("_ISO", "_NUMERIC", "_DAY_MONTH", "_YEAR_QUARTER", "_YEAR_PAIR", "_BARE_YEAR")
_STARTS_WITH_LETTER = (
    "_PART_MONTH",
    "_MONTH_YEAR",
    "_SEASON",
    "_QUARTER_PAIR",
    "_QUARTER_YEAR",
    "_FY_PAIR",
)

_PIECES = st.sampled_from(
    ["2023", "23", "1", "12", "31st", "q1", "q4", "fy", "fy ", "financial year ", "march", "mar",
     "sept", "spring", "winter", "end", "the ", "of", " ", "-", "/", ".", ",", "2022/23", "2022-23"]
)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=6).map("".join))
def test_a_pattern_matches_only_text_that_starts_as_it_does(text: str) -> None:
    """What `_match` relies on to skip patterns: none of the digit-first patterns matches text
    starting with a letter, and the other way round; so skipping them changes no result."""
    for name in _STARTS_WITH_DIGIT:
        if getattr(deadlines, name).fullmatch(text):
            assert text[0].isdigit(), (name, text)
    for name in _STARTS_WITH_LETTER:
        if getattr(deadlines, name).fullmatch(text):
            assert text[0].isalpha(), (name, text)


def test_every_deadline_pattern_is_sorted_by_how_it_starts() -> None:
    patterns = {k for k, v in vars(deadlines).items() if isinstance(v, deadlines.LazyPattern)}
    sorted_ = {*_STARTS_WITH_DIGIT, *_STARTS_WITH_LETTER, "_PAIR_QUARTER"}
    # the other three are not tried by _match
    assert patterns - sorted_ == {"_PLAIN_ISO", "_TIME_AFTER", "_YEAR_MONTH"}


def test_no_pattern_is_compiled_at_import() -> None:
    """Python compiles a pattern slowly; importing the modules (every command does) compiles
    none of them, and a month-and-year deadline compiles no pattern for dates that start with
    a digit."""
    import subprocess
    import sys

    code = (
        "from bragcli import deadlines, model\n"
        "def compiled():\n"
        "    return sorted(f'{m.__name__}.{k}' for m in (deadlines, model)\n"
        "                  for k, v in vars(m).items()\n"
        "                  if isinstance(v, deadlines.LazyPattern) and v._compiled is not None)\n"
        "print(compiled())\n"
        "deadlines.parse_deadline('March 2023')\n"
        "print(compiled())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    at_import, after = done.stdout.splitlines()
    assert at_import == "[]"
    assert after == "['bragcli.deadlines._MONTH_YEAR', 'bragcli.deadlines._PART_MONTH']"
