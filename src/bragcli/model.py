"""The plan format (version 1) as pydantic models. No I/O here.

Every scalar reaches these models as text (see `yamlread`), so the models do all the typing:
ids stay text, dates must be ISO, numbers must look like numbers. Unknown keys are errors
(`extra="forbid"`); keys beginning with ``x-`` are dropped by the reader before they get here.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator


class Rating(StrEnum):
    """A BRAG rating. The order of declaration is the display order."""

    BLUE = "blue"
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_STARTED = "not-started"

    @property
    def letter(self) -> str:
        return _LETTERS[self]

    @property
    def label(self) -> str:
        return "not started" if self is Rating.NOT_STARTED else self.value


_LETTERS = {
    Rating.BLUE: "B",
    Rating.GREEN: "G",
    Rating.AMBER: "A",
    Rating.RED: "R",
    Rating.NOT_STARTED: "-",
}

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


def _as_list(value: Any) -> Any:
    """Let a single text stand for a one-item list (`lead: X` as well as `lead: [X, Y]`)."""
    if isinstance(value, str):
        return [value]
    return value


def _none_as_empty(value: Any) -> Any:
    """An optional list written as a bare key (`actions:`) is an empty list."""
    return [] if value is None else value


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


RatingField = Annotated[Rating, BeforeValidator(normalise_rating)]
Text = Annotated[str, Field(min_length=1)]
Id = Annotated[str, Field(min_length=1, pattern=r"^\S+$")]
TextList = Annotated[list[Text], BeforeValidator(_as_list, json_schema_input_type=str | list[str])]


class _Model(BaseModel):
    # Stripping in pydantic-core (Rust) rather than in a Python validator: it runs for every
    # text of every action.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Plan(_Model):
    """`plan.yaml`: the plan itself."""

    title: Text
    organisation: Text
    version: Text | None = None
    start: date | None = Field(
        default=None, description="When the plan starts; a deadline ending before it is suspicious."
    )
    quarters: Annotated[Literal["calendar", "financial"], BeforeValidator(_lower)] = Field(
        default="calendar",
        description='How "Q1 2023" is read: calendar or financial (April) quarters.',
    )
    roles: dict[Text, Text] = Field(
        default_factory=dict, description="Lead role -> the person who holds it."
    )
    brag_key: dict[RatingField, Text] = Field(
        default_factory=dict, description="The plan's own words for each rating."
    )

    def holder(self, role: str) -> str | None:
        return self.roles.get(role)

    def descriptor(self, rating: Rating) -> str:
        return self.brag_key.get(rating, DEFAULT_BRAG_KEY[rating])


class Action(_Model):
    """One numbered action of an improvement area."""

    id: Id
    title: Text
    lead: Annotated[
        list[Text],
        BeforeValidator(_as_list, json_schema_input_type=str | list[str]),
        Field(min_length=1),
    ] = Field(description="The lead role, or a list of roles for a joint lead.")
    deadline: str | None = Field(
        default=None, description='As written: "March 2023", "Spring 2023", "20/12/2022", "TBC".'
    )
    status: RatingField = Field(description="The activity rating.")
    impact: RatingField | None = Field(default=None, description="The impact rating, if rated.")
    updated: date | None = Field(default=None, description="Date of the last progress update.")
    success_criteria: Text | None = None
    progress: TextList = Field(default_factory=list, description="Progress notes, oldest first.")


class Outcome(_Model):
    """An expected outcome ("how we will know")."""

    text: Text
    evidence: TextList = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _bare_text(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data


_NUMBER = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*(?:-|\u2013|to)\s*({_NUMBER})\s*$")
_SINGLE = re.compile(rf"^\s*({_NUMBER})\s*$")


class Reading(_Model):
    """One value of a measure for a period."""

    period: Text = Field(description="YYYY-MM for a month, or e.g. 2021-22 for a year.")
    value: Annotated[float, Field(allow_inf_nan=False)]
    source: Text | None = None


class Measure(_Model):
    """A measure that matters, with its direction and target."""

    name: Text
    good: Annotated[Literal["higher", "lower", "range"] | None, BeforeValidator(_lower)] = None
    target: str | None = Field(
        default=None, description='A number for higher/lower; "LOW-HIGH" for range.'
    )
    unit: str | None = None
    readings: Annotated[list[Reading], BeforeValidator(_none_as_empty)] = Field(
        default_factory=list, description="Oldest first."
    )

    @model_validator(mode="after")
    def _target_fits_direction(self) -> Measure:
        if self.target is None:
            return self
        if self.good is None:
            raise ValueError("a target needs a direction: add `good: higher`, `lower` or `range`")
        if self.good == "range":
            m = _RANGE.match(self.target)
            if not m or float(m.group(1)) > float(m.group(2)):
                raise ValueError(
                    f"target {self.target!r} is not a range; write it as LOW-HIGH, e.g. 16-20"
                )
        elif not _SINGLE.match(self.target):
            raise ValueError(f"target {self.target!r} is not a number")
        return self

    def target_bounds(self) -> tuple[float | None, float | None]:
        """(low, high) that a value must lie within to meet the target; None is unbounded."""
        if self.target is None or self.good is None:
            return (None, None)
        if self.good == "range":
            m = _RANGE.match(self.target)
            assert m is not None  # checked by the validator
            return (float(m.group(1)), float(m.group(2)))
        value = float(self.target)
        return (value, None) if self.good == "higher" else (None, value)


class Area(_Model):
    """An improvement area: one YAML file."""

    id: Id
    title: Text
    actions: Annotated[list[Action], BeforeValidator(_none_as_empty)] = Field(default_factory=list)
    outcomes: Annotated[list[Outcome], BeforeValidator(_none_as_empty)] = Field(
        default_factory=list
    )
    measures: Annotated[list[Measure], BeforeValidator(_none_as_empty)] = Field(
        default_factory=list
    )


def natural_key(identifier: str) -> tuple[tuple[int, int | str], ...]:
    """Sort "1.2" before "1.10" and "2" before "10"."""
    parts = re.split(r"([0-9]+)", identifier)
    return tuple((0, int(p)) if p.isascii() and p.isdigit() else (1, p) for p in parts if p)
