"""Protocols: a rehab programme as data, phase by phase. The format is documented in docs/protocol-format.md."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from .common import Identifier, Localized, Spec, Text
from .dose import Distance, Dose, Duration, Frequency, Intensity, Intervals, SetsHold, SetsReps

RunDose = Annotated[Intervals | Duration | Distance, Field(discriminator="kind")]
"""A dose a running stage can have: intervals of walk/jog/run, a continuous time, or a distance."""

Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class Deload(Spec):
    """A lighter week at a fixed rhythm.

    Attributes:
        every_weeks: Every how many programme weeks a deload week falls (4: weeks 4, 8, 12...); 0 turns
            deloads off.
        volume_factor: Volume in a deload week as a fraction of the planned volume (0.75 = 25% less).

    """

    every_weeks: Annotated[int, Field(ge=0, le=12)] = 4
    volume_factor: Annotated[float, Field(ge=0.4, le=0.95, allow_inf_nan=False)] = 0.75

    @model_validator(mode="after")
    def _not_every_week(self) -> Deload:
        if self.every_weeks == 1:
            raise ValueError("every_weeks = 1 would make every week a deload week; use 0 (off) or 2 or more")
        return self


class LoadCaps(Spec):
    """Limits on how fast running may grow.

    Attributes:
        single_run_increase: A run may be at most this fraction longer than the longest run of the
            previous 30 days (0.10, Frandsen et al. 2025).
        weekly_increase: Weekly running minutes may grow at most this fraction over the last full
            (non-deload) week (0.10, the classic rule; configurable, weak evidence).

    """

    single_run_increase: Fraction = 0.10
    weekly_increase: Fraction = 0.10


class ProgressionRule(Spec):
    """How a strength prescription grows from its starting dose, one step every ``every_weeks`` weeks.

    A step raises reps (or hold seconds) until their maximum, then adds sets (starting again at the first
    reps), then moves to the next heavier band, then to the exercise's harder variant. Each part is used
    only when the rule sets it.

    Attributes:
        every_weeks: Weeks between steps.
        reps_step: Reps added per step.
        reps_max: Highest reps before sets go up.
        hold_step_s: Hold seconds added per step.
        hold_max_s: Longest hold before sets go up.
        sets_step: Sets added once reps or holds are at their maximum.
        sets_max: Highest number of sets.
        band_up: Move to the next heavier band once sets are at their maximum.
        harder: Move to the exercise's harder variant (with the starting dose) when nothing else is left.

    """

    every_weeks: Annotated[int, Field(ge=1, le=8)] = 1
    reps_step: Annotated[int, Field(ge=0, le=10)] = 0
    reps_max: Annotated[int, Field(ge=1, le=100)] | None = None
    hold_step_s: Annotated[int, Field(ge=0, le=60)] = 0
    hold_max_s: Annotated[int, Field(ge=1, le=300)] | None = None
    sets_step: Annotated[int, Field(ge=0, le=3)] = 0
    sets_max: Annotated[int, Field(ge=1, le=10)] | None = None
    band_up: bool = False
    harder: bool = False


class ChainStep(Spec):
    """One row of a published week-by-week table: in these weeks of the phase, this exercise at this dose.

    Attributes:
        weeks: Weeks of the phase (1-based) this row covers.
        exercise: Exercise id.
        dose: The dose in those weeks.

    """

    weeks: Annotated[tuple[Annotated[int, Field(ge=1, le=52)], ...], Field(min_length=1)]
    exercise: Identifier
    dose: Dose


class Prescription(Spec):
    """One exercise slot in a phase: a starting dose with a rule, or an explicit week-by-week chain.

    Attributes:
        exercise: Exercise id (rule form).
        dose: Starting dose (rule form).
        progression: How the dose grows (rule form); omitted keeps the dose the same.
        chain: Explicit rows by phase week (chain form); the last row continues if the phase runs longer.
        frequency: How often the client does it, printed on the handout (e.g. twice a day).

    """

    exercise: Identifier | None = None
    dose: Annotated[SetsReps | SetsHold | Duration, Field(discriminator="kind")] | None = None
    progression: ProgressionRule | None = None
    chain: tuple[ChainStep, ...] = ()
    frequency: Frequency | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Prescription:
        rule_form = self.exercise is not None or self.dose is not None or self.progression is not None
        if self.chain and rule_form:
            raise ValueError("give either exercise + dose (+ progression) or chain, not both")
        if not self.chain and (self.exercise is None or self.dose is None):
            raise ValueError("needs exercise and dose, or a chain of week-by-week rows")
        weeks = [week for step in self.chain for week in step.weeks]
        if len(weeks) != len(set(weeks)):
            raise ValueError(f"chain names a week twice: {sorted(weeks)}")
        if weeks and sorted(weeks) != list(range(1, max(weeks) + 1)):
            raise ValueError(f"chain weeks must run 1, 2, 3... without gaps: {sorted(weeks)}")
        return self


class Strength(Spec):
    """The strength part of a phase.

    Attributes:
        sessions_per_week: How many strength sessions a week, or ``"daily"`` for a low-load home
            programme done on every available day (then consecutive days are fine).
        exercises: The prescriptions.

    """

    sessions_per_week: Annotated[int, Field(ge=1, le=6)] | Literal["daily"] = 3
    exercises: Annotated[tuple[Prescription, ...], Field(min_length=1, max_length=16)]


class CrossOption(Spec):
    """A cross-training choice: the planner uses the ones the client has access to, in turn.

    Attributes:
        exercise: Exercise id (a cross-training or walking exercise).
        dose: How long and how hard.

    """

    exercise: Identifier
    dose: Duration


class CrossTraining(Spec):
    """Cross-training that keeps fitness while running is reduced.

    Attributes:
        sessions_per_week: How many sessions a week, on days without a run.
        options: Choices in order of preference.

    """

    sessions_per_week: Annotated[int, Field(ge=1, le=6)] = 2
    options: Annotated[tuple[CrossOption, ...], Field(min_length=1)]


class OnSymptoms(StrEnum):
    """What a walk/run stage protocol prescribes when a session brings symptoms."""

    REPEAT_STAGE = "repeat-stage"
    REST_THEN_PREVIOUS = "rest-then-previous-stage"


class Stages(Spec):
    """A published walk/run table: stages done in order, each at least N times symptom-free.

    Attributes:
        kind: ``"stages"``.
        exercise: Exercise id shown for these sessions.
        sessions_per_week: Run sessions a week.
        min_sessions_per_stage: Each stage is done at least this many times before the next.
        rest_days_between: Days without running between two run sessions.
        recovery_day_every: Every Nth day of the phase is a full recovery day (0: none).
        on_symptoms: What to do when a session brings symptoms.
        intensity: Intensity target for the running parts.
        stages: The stages, easiest first.

    """

    kind: Literal["stages"] = "stages"
    exercise: Identifier = "walk-run"
    sessions_per_week: Annotated[int, Field(ge=1, le=4)] = 3
    min_sessions_per_stage: Annotated[int, Field(ge=1, le=6)] = 2
    rest_days_between: Annotated[int, Field(ge=0, le=2)] = 1
    recovery_day_every: Annotated[int, Field(ge=0, le=14)] = 0
    on_symptoms: OnSymptoms = OnSymptoms.REPEAT_STAGE
    intensity: Intensity | None = None
    stages: Annotated[tuple[RunDose, ...], Field(min_length=1, max_length=60)]

    @model_validator(mode="after")
    def _recovery_rhythm(self) -> Stages:
        if self.recovery_day_every == 1:
            raise ValueError("recovery_day_every = 1 leaves no day to train; use 0 (off) or 2 or more")
        return self


class BuildUp(Spec):
    """Continuous running built up week by week to the client's goal, within the load caps.

    Attributes:
        kind: ``"build-up"``.
        exercise: Exercise id shown for these sessions.
        sessions_per_week: Runs a week; omitted uses the client's runs per week before the injury.
        intensity: Intensity target.

    """

    kind: Literal["build-up"] = "build-up"
    exercise: Identifier = "easy-run"
    sessions_per_week: Annotated[int, Field(ge=1, le=6)] | None = None
    intensity: Intensity | None = None


class Maintain(Spec):
    """Keep running at the re-entry dose while other work leads, if the client runs pain-free now.

    Attributes:
        kind: ``"maintain"``.
        exercise: Exercise id shown for these sessions.
        sessions_per_week: Runs a week.
        intensity: Intensity target.

    """

    kind: Literal["maintain"] = "maintain"
    exercise: Identifier = "easy-run"
    sessions_per_week: Annotated[int, Field(ge=1, le=4)] = 2
    intensity: Intensity | None = None


Running = Annotated[Stages | BuildUp | Maintain, Field(discriminator="kind")]


class ReadinessTest(Spec):
    """A test the client passes (pain-free) before entering or leaving a phase.

    Attributes:
        exercise: Exercise id of the test movement.
        dose: How much of it.
        criterion: What counts as passing; omitted means pain-free and without limping.

    """

    exercise: Identifier
    dose: Dose
    criterion: Localized | None = None


class Phase(Spec):
    """One phase of a protocol.

    Attributes:
        id: Stable id, unique in the protocol.
        name: Name shown to the client.
        goal: What the phase is for.
        min_weeks: Shortest length.
        max_weeks: Longest length; past it the physio reviews.
        entry: Tests passed before the phase starts.
        exit: Tests passed before the next phase.
        strength: Strength work.
        cross_training: Cross-training.
        running: Running work.
        deload: Whether the protocol's deload weeks apply in this phase (off for published tables).

    """

    id: Identifier
    name: Localized
    goal: Localized
    min_weeks: Annotated[int, Field(ge=1, le=26)] = 1
    max_weeks: Annotated[int, Field(ge=1, le=52)]
    entry: tuple[ReadinessTest, ...] = ()
    exit: tuple[ReadinessTest, ...] = ()
    strength: Strength | None = None
    cross_training: CrossTraining | None = None
    running: Running | None = None
    deload: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> Phase:
        if self.min_weeks > self.max_weeks:
            raise ValueError(f"min_weeks ({self.min_weeks}) is above max_weeks ({self.max_weeks})")
        if self.strength is None and self.cross_training is None and self.running is None:
            raise ValueError("a phase needs strength, cross_training or running")
        return self


class Include(Spec):
    """A reference to another protocol whose phases are placed here.

    Attributes:
        include: Id of the protocol to include.

    """

    include: Identifier


def _phase_or_include(value: Any) -> str:
    if isinstance(value, dict):
        return "include" if "include" in value else "phase"
    return "include" if isinstance(value, Include) else "phase"


PhaseEntry = Annotated[
    Annotated[Phase, Tag("phase")] | Annotated[Include, Tag("include")],
    Discriminator(_phase_or_include),
]


class Protocol(Spec):
    """A rehab programme as data: phases in order, with the protocol-wide load rules.

    Attributes:
        id: Stable id.
        name: Name shown to the client.
        summary: One paragraph on what the programme is and where it comes from.
        source: The evidence it follows.
        conditions: Condition ids it is meant for (informative).
        deload: Deload rhythm for phases that allow it.
        caps: Running load caps.
        phases: Phases and included protocols, in order.

    """

    id: Identifier
    name: Localized
    summary: Localized
    source: Text
    conditions: tuple[Identifier, ...] = ()
    deload: Deload = Deload()
    caps: LoadCaps = LoadCaps()
    phases: Annotated[tuple[PhaseEntry, ...], Field(min_length=1, max_length=20)]
