"""Exercises, conditions and red flags: the catalog's vocabulary."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from ..errors import error_message
from .common import Identifier, Localized, LocalizedList, Spec, Text
from .dose import Dose
from .pose import Figure


class Category(StrEnum):
    """What kind of exercise it is; the planner places exercises by category."""

    ISOMETRIC = "isometric"
    STRENGTH = "strength"
    FUNCTIONAL = "functional"
    PLYOMETRIC = "plyometric"
    MOBILITY = "mobility"
    WALK = "walk"
    RUN = "run"
    CROSS_TRAINING = "cross-training"


class Laterality(StrEnum):
    """How the dose applies to the body's sides."""

    BOTH = "both"
    """Both legs work together; the dose is the whole exercise."""
    EACH_SIDE = "each-side"
    """The dose is done on the left and on the right."""
    EACH_DIRECTION = "each-direction"
    """The dose is done moving one way and then the other (sidestepping)."""


class Equipment(StrEnum):
    """What the client needs at hand."""

    MAT = "mat"
    BAND = "band"
    STEP = "step"
    CHAIR = "chair"
    WALL = "wall"
    WEIGHTS = "weights"
    POOL = "pool"
    FLOAT_BELT = "float-belt"
    BIKE = "bike"
    CROSS_TRAINER = "cross-trainer"
    METRONOME = "metronome"


class Contraindication(Spec):
    """A reason not to prescribe an exercise for a condition, for part or all of the programme.

    Attributes:
        condition: Id of the condition it applies to.
        allowed_from_week: First programme week (1-based) in which the exercise may be given; omitted
            means never during the programme.
        reason: Why, in words a client understands.

    """

    condition: Identifier
    allowed_from_week: Annotated[int, Field(ge=2, le=52)] | None = None
    reason: Localized

    def forbids(self, condition: str, week: int) -> bool:
        """Whether this rules the exercise out for ``condition`` in programme week ``week``."""
        if condition != self.condition:
            return False
        return self.allowed_from_week is None or week < self.allowed_from_week


class Exercise(Spec):
    """One exercise with its instructions in Dutch and English.

    Attributes:
        id: Stable id used by protocols, plans and calendars.
        name: Short name.
        purpose: Why the client does it, in one or two sentences.
        steps: Numbered instructions.
        cues: Short reminders while doing it.
        mistakes: Common mistakes to avoid.
        category: Kind of exercise.
        laterality: Whether the dose is per side or direction.
        muscles: Target muscles (Latin or common anatomical names).
        equipment: What is needed.
        contraindications: Conditions (and weeks) for which it must not be prescribed.
        easier: Id of the easier variant on its ladder, if any.
        harder: Id of the harder variant on its ladder, if any.
        start_dose: The dose a progression rule starts this exercise at when it climbs to it from its easier
            variant (needed where holds turn into repetitions); without it the easier variant's starting dose
            carries over.
        source: The evidence or protocol it comes from.
        figure: How the exercise is drawn (start and end pose); required in the bundled catalog.

    """

    id: Identifier
    name: Localized
    purpose: Localized
    steps: LocalizedList
    cues: LocalizedList
    mistakes: LocalizedList
    category: Category
    laterality: Laterality = Laterality.BOTH
    muscles: Annotated[tuple[Text, ...], Field(max_length=12)] = ()
    equipment: tuple[Equipment, ...] = ()
    contraindications: tuple[Contraindication, ...] = ()
    easier: Identifier | None = None
    harder: Identifier | None = None
    start_dose: Dose | None = None
    source: Text
    figure: Figure | None = None

    @model_validator(mode="after")
    def _ladder_not_self(self) -> Exercise:
        if self.id in (self.easier, self.harder):
            raise ValueError(error_message("error.exercise-names-itself", id=repr(self.id)))
        return self

    def forbidden_for(self, condition: str, week: int) -> bool:
        """Whether any contraindication rules this exercise out for ``condition`` in ``week``."""
        return any(c.forbids(condition, week) for c in self.contraindications)


class Progression(StrEnum):
    """How quickly a condition's programme may progress."""

    STANDARD = "standard"
    SLOW = "slow"


class Condition(Spec):
    """A diagnosis the library plans for.

    Attributes:
        id: Stable id, used in client profiles.
        aliases: Other ids a profile may use for it (e.g. ``gtps``, ``trochanteric-bursitis``).
        name: Plain-language name for the client.
        description: What it is, in a few sentences for the client.
        advice: Things to do or avoid in daily life.
        default_protocol: Id of the protocol planned unless the profile names another.
        requires_confirmation: True when a physio must confirm the diagnosis before a plan is made.
        progression: ``slow`` stretches every progression step for conditions that need it.

    """

    id: Identifier
    aliases: tuple[Identifier, ...] = ()
    name: Localized
    description: Localized
    advice: LocalizedList
    default_protocol: Identifier
    requires_confirmation: bool = False
    progression: Progression = Progression.STANDARD


class Urgency(StrEnum):
    """How soon a red flag must be seen by a doctor."""

    EMERGENCY = "emergency"
    """Same day: emergency department or out-of-hours GP. A clinician can never clear it in the tool."""
    URGENT = "urgent"
    """Within days: GP or physio review. A clinician may record a clearance."""


class RedFlag(Spec):
    """A screening question whose "yes" stops the programme.

    Attributes:
        id: Stable id, the key in a profile's screening answers.
        urgency: Emergency or urgent.
        question: The question, asked of the client.
        suspicion: What a "yes" may point to.
        action: What the client must do.

    """

    id: Identifier
    urgency: Urgency
    question: Localized
    suspicion: Localized
    action: Localized
