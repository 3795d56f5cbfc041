"""Building blocks shared by every file kind: languages, localised text, ids and weekdays."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from ..errors import error_message

LANGUAGES = ("nl", "en", "tr", "pl", "ar")
"""Languages a client's handout and calendar can be written in (:class:`Language`)."""
FALLBACK_LANGUAGE = "en"
"""The language a catalog text falls back to when it has no translation into the language asked for."""

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=2, max_length=64),
]
"""A stable id: lowercase letters and digits in words joined by hyphens, e.g. ``bridge-single-leg``."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
"""A non-empty piece of text a person wrote."""


EARLIEST_DATE = dt.date(2000, 1, 1)
"""The earliest start, log or clearance date a person may write."""
LATEST_DATE = dt.date(2099, 12, 31)
"""The latest start, log or clearance date a person may write."""


def _in_range(day: dt.date) -> dt.date:
    # The model reads no clock, so the range is fixed; it catches typos such as 1027 or 2207 for 2027, and keeps
    # every date the planner adds weeks to far from the ends of what Python's dates can hold.
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(
            error_message("error.date-range", earliest=EARLIEST_DATE.isoformat(), latest=LATEST_DATE.isoformat())
        )
    return day


Day = Annotated[dt.date, AfterValidator(_in_range)]
"""A calendar date a person wrote, from 2000-01-01 to 2099-12-31 (:data:`EARLIEST_DATE`, :data:`LATEST_DATE`)."""


def _real_bool(value: object) -> object:
    # pydantic would read "no" as False and "yes", 1 or "on" as True; an answer must be written as one.
    if not isinstance(value, bool):
        raise ValueError(error_message("error.bool-unquoted"))
    return value


Flag = Annotated[bool, BeforeValidator(_real_bool)]
"""A yes/no answer a person wrote: only ``true`` or ``false``, never a string or number standing for one."""


class Spec(BaseModel):
    """Base of every model a person writes: immutable, and unknown fields are an error (typos surface)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Language(StrEnum):
    """Language of the texts a client receives."""

    NL = "nl"
    EN = "en"
    TR = "tr"
    PL = "pl"
    AR = "ar"


class Localized(Spec):
    """One text in Dutch and English (both required), and optionally in Turkish, Polish and Arabic.

    A language without its own text falls back to English (:data:`FALLBACK_LANGUAGE`); :meth:`has` tells
    whether a text has its own translation, so a catalog can report what still needs translating.

    Attributes:
        nl: The Dutch text.
        en: The English text.
        tr: The Turkish text, if translated.
        pl: The Polish text, if translated.
        ar: The Arabic text, if translated.

    """

    nl: Text
    en: Text
    tr: Text | None = None
    pl: Text | None = None
    ar: Text | None = None

    def __call__(self, language: Language | str) -> str:
        """Return the text in ``language``, or in English when it has no translation into it."""
        text: str | None = getattr(self, str(language), None) if str(language) in _OPTIONAL else None
        if text is not None:
            return text
        return self.nl if language == "nl" else self.en

    def has(self, language: Language | str) -> bool:
        """Whether the text has its own translation into ``language``."""
        return str(language) in ("nl", "en") or (
            str(language) in _OPTIONAL and getattr(self, str(language)) is not None
        )


_Items = Annotated[tuple[Text, ...], Field(min_length=1, max_length=20)]


class LocalizedList(Spec):
    """A list of texts (steps, cues) in Dutch and English, and optionally Turkish, Polish and Arabic.

    Every language given has as many items as the Dutch list; a language not given falls back to English.

    Attributes:
        nl: The Dutch items.
        en: The English items.
        tr: The Turkish items, if translated.
        pl: The Polish items, if translated.
        ar: The Arabic items, if translated.

    """

    nl: _Items
    en: _Items
    tr: _Items | None = None
    pl: _Items | None = None
    ar: _Items | None = None

    def __call__(self, language: Language | str) -> tuple[str, ...]:
        """Return the items in ``language``, or in English when it has no translation into it."""
        items: tuple[str, ...] | None = getattr(self, str(language), None) if str(language) in _OPTIONAL else None
        if items is not None:
            return items
        return self.nl if language == "nl" else self.en

    def has(self, language: Language | str) -> bool:
        """Whether the list has its own translation into ``language``."""
        return str(language) in ("nl", "en") or (
            str(language) in _OPTIONAL and getattr(self, str(language)) is not None
        )

    @field_validator("en", "tr", "pl", "ar")
    @classmethod
    def _same_length(cls, items: tuple[str, ...] | None, info: ValidationInfo) -> tuple[str, ...] | None:
        nl = info.data.get("nl")
        if items is not None and nl is not None and len(nl) != len(items):
            raise ValueError(error_message("error.list-items", n=len(items), nl=len(nl)))
        return items


_OPTIONAL = ("tr", "pl", "ar")


class Weekday(StrEnum):
    """A day of the week, Monday first (as in ISO 8601 and the Dutch calendar)."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        """0 for Monday up to 6 for Sunday, as :meth:`datetime.date.weekday` counts."""
        return _WEEKDAY_ORDER.index(self)


_WEEKDAY_ORDER = tuple(Weekday)


class Side(StrEnum):
    """The side of the complaint."""

    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
