"""The plan format (version 1) as pydantic models. No I/O here.

Every scalar reaches these models as text (see `yamlread`), so the models do all the typing:
ids stay text, dates must be ISO, numbers must look like numbers. Unknown keys are errors
(`extra="forbid"`); keys beginning with ``x-`` are dropped by the reader before they get here.

No `from __future__ import annotations` here: pydantic would evaluate each of the models'
annotations from its text, compiling it, at every start-up (5 million instructions, for every
command). Written as objects, they cost nothing to read.
"""

import functools
import itertools
import math
import re
import typing
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from datetime import date as datetime_date
from enum import StrEnum
from typing import Annotated, Any, Literal, NamedTuple, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_core.core_schema import ErrorType

from bragcli import deadlines
from bragcli.deadlines import (
    MAX_DAYS,
    READING_GRACE_MONTHS,
    LazyPattern,
    ReadingCadence,
    parse_days,
)
from bragcli.safetext import excerpt


class Rating(StrEnum):
    """A BRAG rating. The order of declaration is the display order."""

    # How each rating is shown (word, letter, symbol, colours): bragcli.render.palette.
    BLUE = "blue"
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_STARTED = "not-started"


#: Other spellings people use for "not yet due to start".
NOT_STARTED_SPELLINGS = frozenset(
    {
        "not-started",
        "not started",
        "not_started",
        "not yet due",
        "not yet due to start",
        "not yet started",
        "not-yet-due",
    }
)

DEFAULT_BRAG_KEY: dict[Rating, str] = {
    Rating.BLUE: "Completed; impact to be tested",
    Rating.GREEN: "Started and on track",
    Rating.AMBER: "Started; issues are causing some delay",
    Rating.RED: "Not started, stalled or stopped; at risk",
    Rating.NOT_STARTED: "Not yet due to start",
}


def normalise_rating(value: Any) -> Any:
    """Map 'Amber', ' RED ', 'Not started' and friends onto the enum's values."""
    if isinstance(value, str):
        text = " ".join(value.strip().lower().split())
        if text in NOT_STARTED_SPELLINGS:
            return Rating.NOT_STARTED.value
        return text
    return value


def _rating(value: Any) -> Any:
    """A rating as written, onto the enum's values; text that is none of them is an error that
    quotes it as written and suggests the nearest rating."""
    normalised = normalise_rating(value)
    if isinstance(normalised, str) and normalised and normalised not in _RATING_VALUES:
        raise _problem("unknown_rating", _not_one_of(normalised, list(_RATING_VALUES)))
    return normalised


def _not_one_of(written: str, choices: list[str]) -> str:
    """The rest of "'Amebr' is not one of ...; did you mean 'amber'?"."""
    from bragcli.problems import did_you_mean

    guess = did_you_mean(written, choices)
    hint = f"; did you mean {guess!r}?" if guess else ""
    return f"is not one of {', '.join(choices)}{hint}"


def _choice(*choices: str) -> BeforeValidator:
    """Text that must be one of `choices` in any case: an error suggests the nearest."""

    def check(value: Any) -> Any:
        if not isinstance(value, str):
            return value  # pydantic says what it is
        text = " ".join(value.strip().lower().split())
        if text not in choices:
            raise _problem("invalid_choice", _not_one_of(text, list(choices)))
        return text

    return BeforeValidator(check)


def _as_list(value: Any) -> Any:
    """Let a single text stand for a one-item list (`lead: X` as well as `lead: [X, Y]`)."""
    if isinstance(value, str):
        return [value]
    return value


#: Long lists and mappings are validated this many items at a time, and validation stops
#: once a collection has given MAX_ERRORS errors.
CHUNK = 500
MAX_ERRORS = 200


def _bounded(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Validate a long list or mapping in chunks, and stop after MAX_ERRORS errors.

    pydantic reports every bad item and holds about 400 bytes for each error: a 5 MB file of
    two million bad items (`progress: [{}, {}, ...]`) took over 2 GB. A plan with hundreds of
    errors in one list is fixed a few at a time anyway; the loader says how many were left
    unchecked. Short collections (nearly all) go straight to pydantic.
    """
    pieces: Iterator[Any]
    if isinstance(value, list) and len(value) > CHUNK:
        # One piece at a time: a copy of the whole list, cut up, would be as large as the list
        # (21 MB for the 2.6 million notes of a file at the size cap).
        pieces = (value[start : start + CHUNK] for start in range(0, len(value), CHUNK))
    elif isinstance(value, dict) and len(value) > CHUNK:
        entries = iter(value.items())
        pieces = iter(lambda: dict(itertools.islice(entries, CHUNK)), {})
    else:
        return handler(value)
    result: Any = [] if isinstance(value, list) else {}
    errors: list[InitErrorDetails] = []
    for number, piece in enumerate(pieces):
        try:
            validated = handler(piece)
        except ValidationError as exc:
            offset = number * CHUNK if isinstance(value, list) else 0
            for err in exc.errors(include_url=False):
                loc = tuple(err["loc"])
                if offset and loc and isinstance(loc[0], int):
                    loc = (loc[0] + offset, *loc[1:])
                errors.append(_error_details(err, loc))
            if len(errors) >= MAX_ERRORS:
                errors.append(
                    InitErrorDetails(
                        type=PydanticCustomError(
                            "too_many_errors",
                            "stopped after {count} errors in this list; fix them and check again",
                            {"count": len(errors)},
                        ),
                        loc=(),
                        input=None,
                    )
                )
                break
            continue
        if isinstance(result, list):
            result.extend(validated)
        else:
            result.update(validated)
    if errors:
        raise ValidationError.from_exception_data("collection", errors)
    return result


def _error_details(err: Any, loc: tuple[Any, ...]) -> InitErrorDetails:
    """An error from `exc.errors()` as pydantic takes it back (custom types kept as such)."""
    ctx = err.get("ctx")
    if err["type"] in _BUILT_IN_ERRORS:
        details = InitErrorDetails(type=err["type"], loc=loc, input=err.get("input"))
        if ctx:
            details["ctx"] = ctx
        return details
    template = err["msg"].replace("{", "{{").replace("}", "}}")
    return InitErrorDetails(
        type=PydanticCustomError(err["type"], template), loc=loc, input=err.get("input")
    )


_BUILT_IN_ERRORS = frozenset(typing.get_args(ErrorType))


def _none_as_empty(value: Any) -> Any:
    """An optional list written as a bare key (`actions:`) is an empty list."""
    return [] if value is None else value


def _problem(kind: str, reason: str) -> PydanticCustomError:
    """A validation error whose message is `reason`, the rest of a sentence that starts with
    the value ("'1_000' " + "is not a number; ..."): the loader and the spreadsheet importer
    quote the value themselves, as a short escaped excerpt. The loader maps `kind` to a code."""
    return PydanticCustomError(kind, "{reason}", {"reason": reason})


# --- ids: visible text, compared as people read them -------------------------------------------

#: Letters and symbols that are drawn as blank space, although they are not spaces.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def id_character_problem(char: str) -> str | None:
    """Why `char` may not be in an id (None when it may).

    Ids are compared and shown as text; a character a reader cannot see (a zero-width space,
    a bidi control, ESC), a space, or a combining mark would let two ids look the same and be
    different, or make one id look like another. Control (Cc), format (Cf), private-use and
    unassigned (Co, Cn, Cs) characters, spaces and separators (Zs, Zl, Zp), combining marks
    (Mn, Me) and letters drawn blank (Hangul fillers, the blank Braille pattern) are refused.
    """
    category = unicodedata.category(char)
    if category == "Cc":
        return "a control character"
    if category == "Cf":
        return "an invisible formatting character"
    if category[0] == "C":
        return "a private-use or unassigned character"
    if category[0] == "Z":
        return "a space"
    if category in ("Mn", "Me"):
        return "a combining mark"
    if char in _BLANK_GLYPHS:
        return "a character that shows as blank"
    return None


_CONTROL_NAMES = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x1b": "ESCAPE"}


def _char_name(char: str) -> str:
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"


def _visible_id(value: str) -> str:
    """An id is visible text without spaces: ids that look alike must be alike."""
    if value.isascii() and value.isprintable() and " " not in value:
        return value  # nearly every id: nothing to look at character by character
    if " " in value:
        # The error type pydantic's own pattern check used, so that every reader of errors
        # (the loader, the spreadsheet importer) words it as before.
        raise _problem("string_pattern_mismatch", "must be one word, without spaces")
    for char in value:
        why = id_character_problem(char)
        if why is not None:
            kept = "".join(c for c in value if id_character_problem(c) is None)
            hint = f"write {excerpt(kept)}" if kept else "write an id such as 2.1"
            raise _problem(
                "bad_id",
                f"holds {_char_name(char)}, {why}; ids must be visible text, so {hint}",
            )
    return value


def id_key(identifier: str) -> str:
    """What two ids are compared by: NFKC-normalised and case-folded.

    NFKC makes `1.1` written in fullwidth digits (U+FF11) and `1.1` one id (and compatibility
    forms such as the `ﬁ` ligature or superscript digits their plain letters); case-folding
    makes `2A` and `2a` one id: people read ids aloud and type them into `--area`, and an area
    id becomes a file name (`brag import`), one file for both cases on macOS and Windows.
    """
    if identifier.isascii():
        return identifier.lower()  # the same, faster: NFKC leaves ASCII alone
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", identifier).casefold())


# --- numbers and dates: one rule each, wherever they are read ---------------------------------

_NUMBER = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_PLAIN_NUMBER = LazyPattern(_NUMBER, re.ASCII)
_RANGE = LazyPattern(rf"^\s*({_NUMBER})\s*(?:-|\u2013|to)\s*({_NUMBER})\s*$")
_NUMBER_HINT = "write plain digits, such as 41, -2.5 or 1e6 (no units, commas or underscores)"


_WITH_UNIT = LazyPattern(rf"^\s*({_NUMBER})\s*(%|[^\W\d_][^\d]*)\s*$")
_RANGE_WITH_UNIT = LazyPattern(rf"^\s*({_NUMBER})\s*%?\s*(?:-|\u2013|to)\s*({_NUMBER})\s*(\S.*)?$")


def parse_number(text: str) -> float:
    """The number `text` writes: plain decimal digits with an optional sign, point and
    exponent (`41`, `-2.5`, `.5`, `1e6`), finite as a float. No underscores (`1_000`),
    thousands commas, units, `inf` or `nan`. Raises ValueError whose message follows the
    value in a sentence ("is not a number; ...")."""
    written = text.strip()
    if not _PLAIN_NUMBER.fullmatch(written):
        raise ValueError(f"is not a number; {_NUMBER_HINT}")
    value = float(written)
    if not math.isfinite(value):
        raise ValueError("is too large a number (the limit is about 1.8e308); check the digits")
    return value


def number_text(value: float) -> str:
    """A number as people read it: 22.0 -> '22', 16.35 -> '16.35', 1e300 -> '1e+300' (a
    whole number of more than 15 digits is written with an exponent, never 301 digits)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def _number(value: Any) -> Any:
    """A reading's value: text by the rule of `parse_number`, or a finite number. A range
    (`45-50%`) or a number with its unit (`41%`) is told what to write instead."""
    if isinstance(value, str):
        try:
            return parse_number(value)
        except ValueError as e:
            raise _problem("bad_number", _reading_hint(value) or str(e)) from e
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise _problem("bad_number", "is not a finite number")
        return number
    return value  # neither text nor a number: pydantic says what it is


def _reading_hint(text: str) -> str | None:
    """What to write instead of a reading that is a range or carries its unit (None: neither)."""
    if m := _RANGE_WITH_UNIT.match(text):
        return (
            f"is a range, but a reading is one number: give one, such as {m.group(1)}, and put "
            'the unit on the measure (unit: "%")'
        )
    if m := _WITH_UNIT.match(text):
        unit = m.group(2).strip()
        shown = '"%"' if unit == "%" else excerpt(unit, 20)
        return (
            f"has its unit in it; write value: {m.group(1)} and put the unit on the measure "
            f"(unit: {shown})"
        )
    return None


def parse_date(text: str) -> date:
    """A date as users write it, by the one rule of `deadlines.parse_date` (ISO or UK
    day-first). Raises ValueError whose message follows the value ("is not a date; ...")."""
    return deadlines.parse_date(text)


def _date(value: Any) -> Any:
    if isinstance(value, datetime):
        raise _problem("bad_date", "is not a date: it has a time too; give the day alone")
    if isinstance(value, str):
        try:
            return parse_date(value)
        except ValueError as e:
            raise _problem("bad_date", str(e)) from e
    return value


_RATING_VALUES = tuple(r.value for r in Rating)


def _no_items() -> list[Any]:
    """An empty list, as a default. (Not `default_factory=list`: pydantic reads a factory's
    signature, and a builtin's signature is parsed from text, at a cost at every start-up.)"""
    return []


def _no_entries() -> dict[Any, Any]:
    """An empty mapping, as a default (see `_no_items`)."""
    return {}


RatingField = Annotated[Rating, BeforeValidator(_rating)]
Text = Annotated[str, Field(min_length=1)]
#: Checked by `_visible_id`; the schema's pattern tells editors the simplest part of the rule.
Id = Annotated[
    str, Field(min_length=1, json_schema_extra={"pattern": r"^\S+$"}), AfterValidator(_visible_id)
]
Date = Annotated[date, BeforeValidator(_date)]
Number = Annotated[float, BeforeValidator(_number)]
Bounded = WrapValidator(_bounded)
TextList = Annotated[
    list[Text], BeforeValidator(_as_list, json_schema_input_type=Text | list[Text]), Bounded
]


class _Model(BaseModel):
    # Stripping in pydantic-core (Rust) rather than in a Python validator: it runs for every
    # text of every action.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


#: Days after an action's last progress update before it counts as stale (`checks: stale_days`,
#: `--stale-days`).
DEFAULT_STALE_DAYS = 42


def _days(value: Any) -> Any:
    """A number of days: text by the rule of `deadlines.parse_days`, or a whole number."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        try:
            return parse_days(value)
        except ValueError as e:
            raise _problem("bad_number", str(e)) from e
    return value  # neither text nor a number: pydantic says what it is


def _warning_code(code: str) -> str:
    """An item of `checks: disable` or `enable`: the code of one of brag check's warnings."""
    from bragcli.rules.registry import not_a_warning

    reason = not_a_warning(code)
    if reason is not None:
        raise _problem("unknown_code", f"{excerpt(code)} {reason}")
    return code


def _warning_codes_schema(schema: dict[str, Any]) -> None:
    """Editors complete and check the codes: the schema lists them (read when it is made)."""
    from bragcli.rules.registry import WARNING_CODES

    schema["enum"] = list(WARNING_CODES)


#: Checked against the registry of brag check's rules; the schema lists the codes for editors.
WarningCode = Annotated[
    str, AfterValidator(_warning_code), Field(json_schema_extra=_warning_codes_schema)
]
WarningCodes = Annotated[
    list[WarningCode],
    BeforeValidator(_none_as_empty),
    BeforeValidator(_as_list, json_schema_input_type=WarningCode | list[WarningCode]),
]


def _empty_mapping(value: Any) -> Any:
    """`checks:` written as a bare key is an empty mapping."""
    return {} if value is None else value


#: Days an action may be blue (completed) without an impact rating (`checks: impact_days`).
DEFAULT_IMPACT_DAYS = 90
#: The most months a stale-reading grace may be: 100 years.
MAX_MONTHS = 1200


def _months(value: Any) -> Any:
    """A whole number of months from 0 to MAX_MONTHS, as digits or a whole number."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        written = value.strip()
        if written.isascii() and written.isdigit() and int(written[:9]) <= MAX_MONTHS:
            return int(written)
        raise _problem(
            "bad_number",
            f"is not a whole number of months from 0 to {MAX_MONTHS} (100 years), e.g. 3",
        )
    return value  # pydantic says what it is


Months = Annotated[int, BeforeValidator(_months, json_schema_input_type=int | str)]


class StaleReadingMonths(_Model):
    """`checks: stale_reading_months`: how old a measure's latest reading may be, in months
    after the end of its period, before stale-reading warns. The measure's kind is its latest
    period's length: a month (`2023-01`), a quarter (`Q1 2023/24`), or longer (`2021-22`)."""

    monthly: Months = Field(
        default=READING_GRACE_MONTHS["month"], description="A reading for one month."
    )
    quarterly: Months = Field(
        default=READING_GRACE_MONTHS["quarter"], description="A reading for a quarter."
    )
    annual: Months = Field(
        default=READING_GRACE_MONTHS["year"], description="A reading for a year (or longer)."
    )

    def by_cadence(self) -> dict[ReadingCadence, int]:
        """The months of grace by the cadence of `deadlines.reading_period`."""
        return {"month": self.monthly, "quarter": self.quarterly, "year": self.annual}


class Checks(_Model):
    """`checks:` in plan.yaml: which warnings `brag check` reports, and their settings.

    The command line wins: `--disable`, `--enable` and `--stale-days` override these.
    """

    disable: WarningCodes = Field(
        default_factory=_no_items,
        description="Warnings this plan has accepted: brag check does not report them. "
        "Errors cannot be disabled.",
    )
    enable: WarningCodes = Field(
        default_factory=_no_items,
        description="Warnings that are off by default, to report too.",
    )
    stale_days: Annotated[int, BeforeValidator(_days)] = Field(
        default=DEFAULT_STALE_DAYS,
        ge=0,
        le=MAX_DAYS,
        description="stale-progress: days after the last progress update before an action is "
        "stale (also for brag status and brag actions).",
    )

    impact_days: Annotated[int, BeforeValidator(_days)] = Field(
        default=DEFAULT_IMPACT_DAYS,
        ge=0,
        le=MAX_DAYS,
        description="blue-without-impact: days an action may be blue (completed) without an "
        "impact rating, counted from the commit that made it blue (git), else its last update.",
    )
    stale_reading_months: Annotated[StaleReadingMonths, BeforeValidator(_empty_mapping)] = Field(
        default_factory=StaleReadingMonths,
        description="stale-reading: months after the end of a measure's latest period before "
        "the reading is stale, by the period's length (monthly, quarterly, annual).",
    )

    @model_validator(mode="after")
    def _not_both(self) -> Self:
        both = [code for code in self.disable if code in self.enable]
        if both:
            raise ValueError(
                f"{', '.join(map(excerpt, both))} is both in disable and in enable; keep one"
            )
        return self


class Plan(_Model):
    """`plan.yaml`: the plan itself."""

    title: Text
    organisation: Text
    version: Text | None = None
    start: Date | None = Field(
        default=None, description="When the plan starts; a deadline ending before it is suspicious."
    )
    quarters: Annotated[Literal["calendar", "financial"], _choice("calendar", "financial")] = Field(
        default="calendar",
        description='How "Q1 2023" is read: calendar or financial (April) quarters.',
    )
    roles: Annotated[dict[Text, Text], Bounded] = Field(
        default_factory=_no_entries, description="Lead role -> the person who holds it."
    )
    brag_key: Annotated[dict[RatingField, Text], Bounded] = Field(
        default_factory=_no_entries, description="The plan's own words for each rating."
    )
    checks: Annotated[Checks, BeforeValidator(_empty_mapping)] = Field(
        default_factory=Checks,
        description="Which warnings brag check reports, and their settings: disable, enable, "
        "stale_days, impact_days, stale_reading_months.",
    )

    def holder(self, role: str) -> str | None:
        return self.roles.get(role)

    def descriptor(self, rating: Rating) -> str:
        return self.brag_key.get(rating, DEFAULT_BRAG_KEY[rating])


class Note(NamedTuple):
    """One progress note: its text and, when written as `DATE: text`, its date.

    A plain tuple, not a model: a plan may hold millions of notes (an area file at the size
    cap), and an undated note with the same text as another is the same object (`_undated`),
    so notes cost no more memory than the texts they hold."""

    text: str
    date: datetime_date | None = None

    @property
    def written(self) -> str:
        """The note as one line of text: "2023-01-31: text" when it is dated."""
        return f"{self.date.isoformat()}: {self.text}" if self.date else self.text


#: A key that was meant as a date: digits with - / or . between them.
_DATE_LIKE = LazyPattern(r"[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}", re.ASCII)


@functools.lru_cache(maxsize=1024)
def _undated(text: str) -> Note:
    return Note(text)


def parse_note(value: Any) -> Note:
    """A progress note as written: text, or a one-key mapping `2023-01-31: the note`.
    Raises a pydantic error (a ValueError) whose message follows the note in a sentence.

    A mapping whose key is no date is nearly always a note with an unquoted `: ` in it, which
    YAML reads as a key: say so, and how to quote it."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise PydanticCustomError("string_too_short", "is empty")
        return _undated(text)
    if not isinstance(value, dict):
        raise PydanticCustomError("string_type", "Input should be a valid string")
    if len(value) != 1:
        raise _problem(
            "bad_note",
            f"has {len(value)} keys; a dated note has one, its date, then the note, as in  "
            "- 2023-01-31: Engagement event held",
        )
    ((key, text),) = value.items()
    try:
        day = parse_date(str(key))
    except ValueError as e:
        if _DATE_LIKE.fullmatch(str(key)):
            raise _problem("bad_note", f"has the date {excerpt(str(key))}, which {e}") from None
        raise _problem(
            "bad_note",
            f"reads as a key, {excerpt(str(key))}, because of the ': ' after it; put the "
            "whole note in quotes, or start it with its date (2023-01-31: ...)",
        ) from None
    if not isinstance(text, str) or not text.strip():
        raise _problem(
            "bad_note",
            "has a date but no text; write the note after it, as in  - 2023-01-31: Board met",
        )
    return Note(text.strip(), day)


NoteField = Annotated[
    Note,
    PlainValidator(
        parse_note,
        json_schema_input_type=str | Annotated[dict[str, str], Field(min_length=1, max_length=1)],
    ),
]


class Action(_Model):
    """One numbered action of an improvement area."""

    id: Id
    title: Text
    lead: Annotated[
        list[Text],
        BeforeValidator(_as_list, json_schema_input_type=Text | list[Text]),
        Field(min_length=1),
        Bounded,
    ] = Field(description="The lead role, or a list of roles for a joint lead.")
    deadline: str | None = Field(
        default=None, description='As written: "March 2023", "Spring 2023", "20/12/2022", "TBC".'
    )
    status: RatingField = Field(description="The activity rating.")
    impact: RatingField | None = Field(default=None, description="The impact rating, if rated.")
    updated: Date | None = Field(default=None, description="Date of the last progress update.")
    success_criteria: Text | None = None
    progress: Annotated[list[NoteField], BeforeValidator(_as_list), Bounded] = Field(
        default_factory=_no_items,
        description="Progress notes, oldest first: text, or a one-key mapping from the note's "
        "date to its text (2023-01-31: Engagement event held).",
    )
    source: TextList = Field(
        default_factory=_no_items,
        description='Where the action came from (text or a list), e.g. "Scrutiny committee, '
        '13 December 2022, recommendation 2" or "Ofsted ILACS 2022, recommendation 4".',
    )
    baseline: str | None = Field(
        default=None,
        description="The deadline first agreed, in the same forms as deadline. Without it, the "
        "first deadline the action had in git history.",
    )
    impact_evidence: TextList = Field(
        default_factory=_no_items,
        description='What shows the difference the action made (text or a list): "the so what?"',
    )

    @property
    def last_update(self) -> date | None:
        """When progress was last reported: the newest of `updated` and the dated notes."""
        dates = [note.date for note in self.progress if note.date is not None]
        if self.updated is not None:
            dates.append(self.updated)
        return max(dates) if dates else None

    @property
    def notes_text(self) -> tuple[str, ...]:
        """The progress notes' texts, oldest first."""
        return tuple(note.text for note in self.progress)


class Outcome(_Model):
    """An expected outcome ("how we will know")."""

    text: Text
    evidence: TextList = Field(default_factory=_no_items)

    @model_validator(mode="before")
    @classmethod
    def _bare_text(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data


class Reading(_Model):
    """One value of a measure for a period."""

    period: Text = Field(
        description="YYYY-MM for a month, 2021-22 for a financial year, or any form of a "
        "deadline (Q3 2022/23, March 2023, 31/03/2023)."
    )
    value: Number
    source: Text | None = None

    @field_validator("period")
    @classmethod
    def _a_date_is_a_real_day(cls, period: str) -> str:
        """A period written as a day (31/03/2023) is read by the one date parser, so that a
        day that does not exist (31/02/23) is an error, not a period that is never judged."""
        if _DATE_LIKE.fullmatch(period):
            try:
                parse_date(period)
            except ValueError as e:
                raise _problem("bad_date", str(e)) from e
        return period


class Measure(_Model):
    """A measure that matters, with its direction and target."""

    name: Text
    good: Annotated[
        Literal["higher", "lower", "range"] | None, _choice("higher", "lower", "range")
    ] = None
    target: str | None = Field(
        default=None, description='A number for higher/lower; "LOW-HIGH" for range.'
    )
    unit: str | None = None
    readings: Annotated[list[Reading], BeforeValidator(_none_as_empty), Bounded] = Field(
        default_factory=_no_items, description="Oldest first."
    )

    @field_validator("target")
    @classmethod
    def _target_is_numbers(cls, target: str | None) -> str | None:
        """A target is one number or LOW-HIGH, each by the rule of `parse_number`."""
        if target is None:
            return None
        m = _RANGE.match(target)
        try:
            for part in (m.group(1), m.group(2)) if m else (target,):
                parse_number(part)
        except ValueError as e:
            reason = f"has {excerpt(part)}, which {e}" if m else str(e)
            raise _problem("bad_number", reason) from e
        return target

    @model_validator(mode="after")
    def _target_fits_direction(self) -> Self:
        if self.target is None:
            return self
        if self.good is None:
            raise ValueError("a target needs a direction: add `good: higher`, `lower` or `range`")
        m = _RANGE.match(self.target)
        if self.good == "range":
            if not m or parse_number(m.group(1)) > parse_number(m.group(2)):
                raise ValueError(
                    f"target {excerpt(self.target)} is not a range; write it as LOW-HIGH, "
                    "e.g. 16-20"
                )
        elif m:
            raise ValueError(
                f"target {excerpt(self.target)} is a range, but good: {self.good} needs one "
                "number; write good: range for a range"
            )
        return self

    def target_bounds(self) -> tuple[float | None, float | None]:
        """(low, high) that a value must lie within to meet the target; None is unbounded."""
        if self.target is None or self.good is None:
            return (None, None)
        if self.good == "range":
            m = _RANGE.match(self.target)
            assert m is not None  # checked by the validator
            return (parse_number(m.group(1)), parse_number(m.group(2)))
        value = parse_number(self.target)
        return (value, None) if self.good == "higher" else (None, value)


class Area(_Model):
    """An improvement area: one YAML file."""

    id: Id
    title: Text
    lead: Annotated[
        list[Text],
        BeforeValidator(_none_as_empty),
        BeforeValidator(_as_list, json_schema_input_type=Text | list[Text]),
        Bounded,
    ] = Field(
        default_factory=_no_items,
        description="The area's owner: the senior responsible officer's role, or a list of roles.",
    )
    status: RatingField | None = Field(
        default=None,
        description="The board's own activity rating of the whole area, beside the counts of its "
        "actions.",
    )
    impact: RatingField | None = Field(
        default=None, description="The board's own impact rating of the whole area."
    )
    actions: Annotated[list[Action], BeforeValidator(_none_as_empty), Bounded] = Field(
        default_factory=_no_items
    )
    outcomes: Annotated[list[Outcome], BeforeValidator(_none_as_empty), Bounded] = Field(
        default_factory=_no_items
    )
    measures: Annotated[list[Measure], BeforeValidator(_none_as_empty), Bounded] = Field(
        default_factory=_no_items
    )


def natural_key(identifier: str) -> tuple[tuple[int, int | str], ...]:
    """Sort "1.2" before "1.10" and "2" before "10"."""
    parts = re.split(r"([0-9]+)", identifier)
    return tuple((0, int(p)) if p.isascii() and p.isdigit() else (1, p) for p in parts if p)
