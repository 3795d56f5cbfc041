"""The client profile a physio writes: who the client is, what hurts, and what they can do now."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zoneinfo
from collections.abc import Iterable
from enum import StrEnum
from functools import cache
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from ..errors import error_message
from .common import Day, Flag, Identifier, Language, Side, Spec, Text, Weekday
from .exercise import Equipment

_DAY_NAMES = {
    Weekday.MON: ("monday", "maandag", "ma"),
    Weekday.TUE: ("tuesday", "dinsdag", "di"),
    Weekday.WED: ("wednesday", "woensdag", "wo"),
    Weekday.THU: ("thursday", "donderdag", "do"),
    Weekday.FRI: ("friday", "vrijdag", "vr"),
    Weekday.SAT: ("saturday", "zaterdag", "za"),
    Weekday.SUN: ("sunday", "zondag", "zo"),
}
# Physios write weekdays in Dutch or English, short or long; all map to the three-letter English ids.
_DAY_ALIASES = {alias: day.value for day, aliases in _DAY_NAMES.items() for alias in aliases}

_LINE_BREAKING = frozenset({"Cc", "Zl", "Zp"})  # control characters (incl. DEL and NEL), line and paragraph separators


@cache
def _time_zones() -> frozenset[str]:
    # The IANA names tzdata ships, without the aliases of the machine's own zone and the legacy trees.
    names = zoneinfo.available_timezones()
    return frozenset(
        name
        for name in names
        if name not in {"Factory", "localtime", "posixrules"} and not name.startswith(("posix/", "right/"))
    )


ShortText = Annotated[str, Field(min_length=1, max_length=200)]
PlanMinutes = Annotated[float, Field(ge=0, le=600, allow_inf_nan=False)]


class RunningHistory(Spec):
    """Running now and before the complaint.

    Attributes:
        pain_free_minutes: Longest continuous run the client can do pain-free now (0 if none).
        weekly_minutes_before: Weekly running minutes before the complaint.
        runs_per_week_before: Runs a week before the complaint.
        longest_run_last_30_days: Longest run in the last 30 days, in minutes (0 if none); the load cap
            counts from it.
        reentry_fraction: Share of the weekly running before the complaint (minutes and runs) that the
            return starts at, where pain-free minutes and the single-run cap allow (0.5: about half, the
            expert advice).

    """

    pain_free_minutes: PlanMinutes = 0
    weekly_minutes_before: PlanMinutes = 0
    runs_per_week_before: Annotated[int, Field(ge=0, le=14)] = 3
    longest_run_last_30_days: PlanMinutes = 0
    reentry_fraction: Annotated[float, Field(ge=0.2, le=1.0, allow_inf_nan=False)] = 0.5

    @property
    def typical_run_before(self) -> float:
        """Minutes of a typical run before the complaint."""
        if self.runs_per_week_before == 0:
            return 0.0
        return self.weekly_minutes_before / self.runs_per_week_before


class Race(StrEnum):
    """A goal race; it sets the long run the build-up works towards."""

    FIVE_K = "5k"
    TEN_K = "10k"
    HALF_MARATHON = "half-marathon"
    MARATHON = "marathon"


RACE_LONG_RUN = {Race.FIVE_K: 40, Race.TEN_K: 65, Race.HALF_MARATHON: 100, Race.MARATHON: 150}
"""Long run (minutes) a recreational runner builds to for each race: 5 km 35-45, 10 km 60-75, half
marathon 90-120 (CLINICAL.md); a marathon 2.5 hours."""


class Goal(Spec):
    """What the client is working towards.

    Attributes:
        run_minutes: Continuous easy run to reach, in minutes.
        race: A goal race; its long run (``RACE_LONG_RUN``) is the goal when it is longer than ``run_minutes``.
        description: The goal in the client's words (e.g. "the Dam tot Damloop in September").

    """

    run_minutes: Annotated[int, Field(ge=5, le=240)] = 30
    race: Race | None = None
    description: Annotated[str, Field(max_length=300)] = ""

    @property
    def long_run_minutes(self) -> int:
        """The long run the build-up works towards."""
        if self.race is None:
            return self.run_minutes
        return max(self.run_minutes, RACE_LONG_RUN[self.race])


class CrossTrainingAccess(Spec):
    """Where the client can cross-train.

    Attributes:
        pool: Access to a swimming pool (aqua jogging, swimming).
        cross_trainer: Access to a cross-trainer.
        bike: Access to a bike or home trainer.

    """

    pool: Flag = False
    cross_trainer: Flag = False
    bike: Flag = False

    def missing(self, equipment: Iterable[Equipment]) -> tuple[Equipment, ...]:
        """The pool, bike or cross-trainer among ``equipment`` that the client has no access to."""
        return tuple(item for item in equipment if item in _ACCESS and not getattr(self, _ACCESS[item]))


_ACCESS = {Equipment.POOL: "pool", Equipment.BIKE: "bike", Equipment.CROSS_TRAINER: "cross_trainer"}
"""The equipment a client may lack for cross-training, with the field of :class:`CrossTrainingAccess` that says."""


class StrengthAccess(Spec):
    """What the client has for strength work; it decides how strength keeps progressing.

    Attributes:
        gym: Access to a gym (machines, free weights).
        weights: Dumbbells, a kettlebell or a backpack to load at home.
        bands: Resistance bands; without, the physio is warned of every band exercise in the plan.

    """

    gym: Flag = False
    weights: Flag = False
    bands: Flag = True

    @property
    def can_add_load(self) -> bool:
        """Whether external load can be added once body weight is no longer enough."""
        return self.gym or self.weights


class Clearance(Spec):
    """A clinician's record that an urgent red flag has been assessed and planning may go ahead.

    Attributes:
        flag: Id of the red flag.
        by: Who assessed it.
        date: When.
        note: What was found.

    """

    flag: Identifier
    by: ShortText
    date: Day
    note: Text


class Screening(Spec):
    """Red-flag screening: an answer to every question in the catalog, plus any clearances.

    Attributes:
        answers: ``True`` where the client answered yes, keyed by red-flag id; only ``true`` or ``false``.
        clearances: Clinician clearances for urgent flags answered yes.

    """

    answers: dict[Identifier, Flag] = Field(default_factory=dict)
    clearances: tuple[Clearance, ...] = ()


class Contact(Spec):
    """The clinician and practice, printed on the handout.

    Attributes:
        clinician: The physio's name.
        practice: The practice's name.
        phone: Phone number.
        email: E-mail address.

    """

    clinician: Annotated[str, Field(max_length=200)] = ""
    practice: Annotated[str, Field(max_length=200)] = ""
    phone: Annotated[str, Field(max_length=40)] = ""
    email: Annotated[str, Field(max_length=200)] = ""


class ClientProfile(Spec):
    """Everything the planner needs to know about one client.

    Attributes:
        name: The client's name as it appears on the handout.
        client_id: Stable id for the client's plan and calendar; derived from name and start date when
            omitted. Set it when the name may change.
        language: Language of the handout and calendar.
        condition: Condition id (or alias) from the catalog.
        side: Side of the complaint.
        confirmed_by: Clinician who confirmed the diagnosis; required for conditions that need it.
        protocol: Protocol id to use instead of the condition's default.
        start_date: First day of the programme, from 2000-01-01 to 2099-12-31.
        timezone: IANA time zone of the client's calendar.
        available_days: Weekdays the client can train.
        preferred_time: Time of day sessions start.
        easy_pace_min_per_km: The client's easy running pace, to turn distances into minutes.
        running: Running now and before.
        goal: The goal.
        cross_training: Cross-training access.
        strength: Strength equipment.
        pain_now: Pain at rest today, 0-10 (the baseline the pain-monitoring model compares with).
        second_session_time: Time of the second session on days a protocol asks for exercises twice a day;
            omitted, twelve hours from ``preferred_time``, kept between 07:00 and 21:00.
        screening: Red-flag answers and clearances.
        contact: Clinician and practice.
        notes: Free notes for the client, printed on the handout.

    """

    name: ShortText
    client_id: Identifier | None = None
    language: Language = Language.NL
    condition: Identifier
    side: Side
    confirmed_by: Annotated[str, Field(max_length=200)] = ""
    protocol: Identifier | None = None
    start_date: Day
    timezone: str = "Europe/Amsterdam"
    available_days: Annotated[tuple[Weekday, ...], Field(min_length=2, max_length=7)]
    preferred_time: dt.time = dt.time(18, 0)
    easy_pace_min_per_km: Annotated[float, Field(ge=3, le=15, allow_inf_nan=False)] = 7.0
    running: RunningHistory = RunningHistory()
    goal: Goal = Goal()
    cross_training: CrossTrainingAccess = CrossTrainingAccess()
    strength: StrengthAccess = StrengthAccess()
    pain_now: Annotated[int, Field(ge=0, le=10)] = 0
    second_session_time: dt.time | None = None
    screening: Screening = Screening()
    contact: Contact = Contact()
    notes: Annotated[str, Field(max_length=4000)] = ""

    @field_validator("name")
    @classmethod
    def _printable_name(cls, name: str) -> str:
        name = name.strip()
        if not name:
            raise ValueError(error_message("error.name-empty"))
        if any(unicodedata.category(ch) in _LINE_BREAKING for ch in name):
            raise ValueError(error_message("error.name-one-line"))
        return name

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        if zone not in _time_zones():
            raise ValueError(error_message("error.timezone", zone=repr(zone)))
        return zone

    @field_validator("available_days", mode="before")
    @classmethod
    def _day_names(cls, days: object) -> object:
        if isinstance(days, list | tuple):
            return tuple(_DAY_ALIASES.get(day.strip().lower(), day) if isinstance(day, str) else day for day in days)
        return days

    @field_validator("available_days")
    @classmethod
    def _distinct_days(cls, days: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        if len(set(days)) != len(days):
            raise ValueError(error_message("error.weekday-twice"))
        return tuple(sorted(days, key=lambda day: day.number))

    @field_validator("preferred_time", "second_session_time")
    @classmethod
    def _naive_time(cls, value: dt.time | None) -> dt.time | None:
        if value is not None and value.tzinfo is not None:
            raise ValueError(error_message("error.time-offset"))
        return value

    @model_validator(mode="after")
    def _history_consistent(self) -> ClientProfile:
        running = self.running
        if running.weekly_minutes_before > 0 and running.runs_per_week_before == 0:
            raise ValueError(error_message("error.runs-before"))
        return self

    @property
    def twice_daily_time(self) -> dt.time:
        """When the second session of a twice-daily day starts: as set, or about twelve hours from the first."""
        if self.second_session_time is not None:
            return self.second_session_time
        later = (dt.datetime.combine(dt.date(2000, 1, 1), self.preferred_time) + dt.timedelta(hours=12)).time()
        return min(max(later, dt.time(7, 0)), dt.time(21, 0))

    @property
    def first_name(self) -> str:
        """The first word of the name, used where privacy asks for less."""
        return self.name.split()[0]
