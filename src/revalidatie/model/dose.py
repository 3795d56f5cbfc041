"""Doses: how much of an exercise, how hard and how often.

Every dose kind is a frozen pydantic model with a ``kind`` tag, because physios write doses in protocol
files; the engine derives new doses from them with :meth:`pydantic.BaseModel.model_copy`. See
docs/decisions/0002-doses-are-pydantic-values.md.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..errors import error_message
from .common import Localized, Spec

# Reps, sets and seconds are bounded to what a home programme can sensibly ask, so that a typo such as
# 150 sets is caught when the file is read, not discovered on the client's handout.
Sets = Annotated[int, Field(ge=1, le=10)]
Reps = Annotated[int, Field(ge=1, le=100)]
RestSeconds = Annotated[int, Field(ge=0, le=600)]
Minutes = Annotated[float, Field(gt=0, le=600, allow_inf_nan=False)]


class Effort(StrEnum):
    """Perceived effort in words, as the LEAP trial prescribed it."""

    LIGHT = "light"
    SOMEWHAT_HARD = "somewhat-hard"
    HARD = "hard"


class BandColour(StrEnum):
    """Resistance band colours from lightest to heaviest (the common TheraBand order)."""

    YELLOW = "yellow"
    RED = "red"
    GREEN = "green"
    BLUE = "blue"
    BLACK = "black"
    SILVER = "silver"
    GOLD = "gold"

    def heavier(self) -> BandColour | None:
        """Return the next heavier colour, or ``None`` for the heaviest band."""
        order = tuple(BandColour)
        position = order.index(self)
        return order[position + 1] if position + 1 < len(order) else None


class Pace(StrEnum):
    """Pace of a running segment."""

    WALK = "walk"
    JOG = "jog"
    RUN = "run"


class DistanceUnit(StrEnum):
    """Unit of a distance dose."""

    KM = "km"
    MI = "mi"


KM_PER_MILE = 1.609344


# --- load: how heavy a set is --------------------------------------------------------------------------


class Bodyweight(Spec):
    """No added load."""

    kind: Literal["bodyweight"] = "bodyweight"


class EffortLoad(Spec):
    """Load chosen so the set feels light, somewhat hard or hard.

    Attributes:
        level: The effort the set should feel like.

    """

    kind: Literal["effort"] = "effort"
    level: Effort


class RpeLoad(Spec):
    """Load at a rating of perceived exertion on the 0-10 scale.

    Attributes:
        value: The target rating, 0 (nothing) to 10 (maximal).

    """

    kind: Literal["rpe"] = "rpe"
    value: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)]


class RirLoad(Spec):
    """Load that leaves a number of repetitions in reserve.

    Attributes:
        value: Repetitions the client could still do at the end of the set.

    """

    kind: Literal["rir"] = "rir"
    value: Annotated[int, Field(ge=0, le=10)]


class PercentOneRepMax(Spec):
    """Load as a percentage of the one-repetition maximum.

    Attributes:
        value: Percentage of 1RM, 30 to 100.

    """

    kind: Literal["percent-1rm"] = "percent-1rm"
    value: Annotated[int, Field(ge=30, le=100)]


class AddedLoad(Spec):
    """External load (dumbbells, a kettlebell, a machine or a loaded backpack), raised by the KNGF/ACSM rule.

    The load is chosen so that the prescribed reps are hard but possible (about two reps in reserve); when the
    client manages one or two reps more than the target in the last set, the load goes up 2-10%.

    Attributes:
        increase: How many times the load has gone up since the added load started (0: the first weight).

    """

    kind: Literal["added"] = "added"
    increase: Annotated[int, Field(ge=0, le=50)] = 0


class BandLoad(Spec):
    """Load from a resistance band of a given colour.

    Attributes:
        colour: The band colour.

    """

    kind: Literal["band"] = "band"
    colour: BandColour


Load = Annotated[
    Bodyweight | EffortLoad | RpeLoad | RirLoad | PercentOneRepMax | BandLoad | AddedLoad,
    Field(discriminator="kind"),
]


# --- intensity: how hard continuous work is ------------------------------------------------------------


class RpeRange(Spec):
    """A target range of perceived exertion on the 0-10 scale, with the words a published table gives it.

    Attributes:
        low: Lowest rating in the range.
        high: Highest rating in the range.
        words: How the table names that effort (e.g. "hard" for 6/10), shown beside the numbers.

    """

    kind: Literal["rpe"] = "rpe"
    low: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)]
    high: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)]
    words: Localized | None = None

    @model_validator(mode="after")
    def _ordered(self) -> RpeRange:
        if self.low > self.high:
            raise ValueError(error_message("error.low-above-high", low=self.low, high=self.high))
        return self


class HeartRateRange(Spec):
    """A target range as a percentage of maximal heart rate.

    Attributes:
        low: Lowest percentage of HRmax.
        high: Highest percentage of HRmax.

    """

    kind: Literal["heart-rate"] = "heart-rate"
    low: Annotated[int, Field(ge=40, le=100)]
    high: Annotated[int, Field(ge=40, le=100)]

    @model_validator(mode="after")
    def _ordered(self) -> HeartRateRange:
        if self.low > self.high:
            raise ValueError(error_message("error.low-above-high", low=self.low, high=self.high))
        return self


class TalkLevel(StrEnum):
    """How much a client can still say while moving: the talk test."""

    FULL_SENTENCES = "full-sentences"
    SHORT_SENTENCES = "short-sentences"
    FEW_WORDS = "few-words"


class TalkTest(Spec):
    """Intensity by the talk test.

    Attributes:
        level: How much the client should still be able to say.

    """

    kind: Literal["talk-test"] = "talk-test"
    level: TalkLevel


Intensity = Annotated[RpeRange | HeartRateRange | TalkTest, Field(discriminator="kind")]


# --- doses ----------------------------------------------------------------------------------------------


class SetsReps(Spec):
    """Sets of repetitions.

    Attributes:
        sets: Number of sets.
        reps: Repetitions per set (per side or direction when the exercise says so).
        load: How heavy each repetition is.
        tempo: Optional tempo such as ``"3-1-3"`` (seconds down, pause, up).
        rest_s: Rest between sets in seconds, if prescribed.

    """

    kind: Literal["reps"] = "reps"
    sets: Sets
    reps: Reps
    load: Load = Bodyweight()
    tempo: Annotated[str, Field(pattern=r"^\d{1,2}(-\d{1,2}){1,3}$")] | None = None
    rest_s: RestSeconds | None = None


class SetsHold(Spec):
    """Sets of static holds.

    Attributes:
        sets: Number of sets.
        reps: Holds per set.
        hold_s: Seconds per hold.
        load: How hard each hold is.
        rest_s: Rest between holds or sets in seconds, if prescribed.

    """

    kind: Literal["hold"] = "hold"
    sets: Sets
    reps: Annotated[int, Field(ge=1, le=20)] = 1
    hold_s: Annotated[int, Field(ge=1, le=300)]
    load: Load = Bodyweight()
    rest_s: RestSeconds | None = None


class Segment(Spec):
    """One part of an interval block.

    Attributes:
        pace: Walk, jog or run.
        minutes: How long.

    """

    pace: Pace
    minutes: Annotated[float, Field(ge=0, le=180, allow_inf_nan=False)]


class Duration(Spec):
    """Continuous work for a time.

    Attributes:
        minutes: How long (the main set, without warm-up and cool-down).
        intensity: How hard, if prescribed.
        warm_up: Segments before the main set (e.g. a brisk five-minute walk).
        cool_down: Segments after the main set.

    """

    kind: Literal["duration"] = "duration"
    minutes: Minutes
    intensity: Intensity | None = None
    warm_up: tuple[Segment, ...] = ()
    cool_down: tuple[Segment, ...] = ()


class Intervals(Spec):
    """A block of segments repeated: a fixed number of times, or until a session total of time or distance.

    ``repeats = 4`` with ``[walk 4, jog 1]`` is 4 x (4 min walk / 1 min jog); ``until_minutes = 20`` with
    ``[run 1, walk 1.5]`` alternates for 20 minutes in all (the last block ends where the total is reached);
    ``until_distance = 3`` repeats the block until 3 km (or miles) are covered. A single segment sequence
    such as "walk 10, jog 15, walk 5" is one block with ``repeats = 1``.

    Attributes:
        repeats: How many times the block is done.
        until_minutes: Repeat the block until the main set lasts this many minutes.
        until_distance: Repeat the block until this distance is covered, in ``unit``.
        unit: Unit of ``until_distance``.
        segments: The block, in order.
        intensity: How hard the jog or run segments are, if prescribed.
        warm_up: Segments before the main set.
        cool_down: Segments after the main set.

    """

    kind: Literal["intervals"] = "intervals"
    repeats: Annotated[int, Field(ge=1, le=50)] | None = None
    until_minutes: Annotated[float, Field(gt=0, le=300, allow_inf_nan=False)] | None = None
    until_distance: Annotated[float, Field(gt=0, le=50, allow_inf_nan=False)] | None = None
    unit: DistanceUnit = DistanceUnit.KM
    segments: Annotated[tuple[Segment, ...], Field(min_length=1, max_length=20)]
    intensity: Intensity | None = None
    warm_up: tuple[Segment, ...] = ()
    cool_down: tuple[Segment, ...] = ()

    @model_validator(mode="after")
    def _one_length(self) -> Intervals:
        if sum(segment.minutes for segment in self.segments) <= 0:
            raise ValueError(error_message("error.segments-zero"))
        given = [name for name in ("repeats", "until_minutes", "until_distance") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(error_message("error.intervals-one-end", given=", ".join(given) or "-"))
        return self

    @property
    def block_minutes(self) -> float:
        """Minutes of one block."""
        return sum(s.minutes for s in self.segments)


class Distance(Spec):
    """A distance to cover.

    Attributes:
        amount: How far, in ``unit``.
        unit: Kilometres or miles.
        intensity: How hard, if prescribed.
        warm_up: Segments before the main set.
        cool_down: Segments after the main set.

    """

    kind: Literal["distance"] = "distance"
    amount: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
    unit: DistanceUnit = DistanceUnit.KM
    intensity: Intensity | None = None
    warm_up: tuple[Segment, ...] = ()
    cool_down: tuple[Segment, ...] = ()

    @property
    def kilometres(self) -> float:
        """The distance in kilometres."""
        return kilometres(self.amount, self.unit)


def kilometres(amount: float, unit: DistanceUnit) -> float:
    """``amount`` of ``unit`` in kilometres."""
    return amount * KM_PER_MILE if unit is DistanceUnit.MI else amount


Dose = Annotated[SetsReps | SetsHold | Duration | Intervals | Distance, Field(discriminator="kind")]
"""Any dose kind, told apart by its ``kind`` field."""

DoseValue = SetsReps | SetsHold | Duration | Intervals | Distance
"""The union of dose classes, for type annotations and ``isinstance`` checks."""


class Period(StrEnum):
    """The period a frequency counts in."""

    DAY = "day"
    WEEK = "week"


class Frequency(Spec):
    """How often: ``times`` per day or per week.

    Attributes:
        times: How many times.
        per: Per day or per week.

    """

    times: Annotated[int, Field(ge=1, le=7)]
    per: Period = Period.WEEK
