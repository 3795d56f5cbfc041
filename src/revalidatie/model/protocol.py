"""Protocols: a rehab programme as data, phase by phase. The format is documented in docs/protocol-format.md."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from ..errors import error_message
from .common import Identifier, Localized, Spec, Text
from .dose import Distance, Dose, Duration, Frequency, Intensity, Intervals, Segment, SetsHold, SetsReps

RunDose = Annotated[Intervals | Duration | Distance, Field(discriminator="kind")]
"""A dose a running session can have: intervals of walk/jog/run, a continuous time, or a distance."""

RunDoseValue = Intervals | Duration | Distance
"""The running dose classes, for annotations and ``match``."""


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
            raise ValueError(error_message("error.deload-every-week"))
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
        add_load: Then keep progressing by the KNGF/ACSM rule: for a client with weights or a gym, external
            load at 3 x 8-12 (add 2-10% when 1-2 reps above the target are possible); without, a slow
            tempo. Off for published tables, which end where the table ends.

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
    add_load: bool = False


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
            raise ValueError(error_message("error.exercise-or-chain"))
        if not self.chain and (self.exercise is None or self.dose is None):
            raise ValueError(error_message("error.exercise-and-dose"))
        weeks = [week for step in self.chain for week in step.weeks]
        if len(weeks) != len(set(weeks)):
            raise ValueError(error_message("error.chain-week-twice", weeks=sorted(weeks)))
        if weeks and sorted(weeks) != list(range(1, max(weeks) + 1)):
            raise ValueError(error_message("error.chain-gaps", weeks=sorted(weeks)))
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
        sessions_per_week: How many sessions a week at least, on days without a run.
        options: Choices in order of preference.
        replace_running: Whether cross-training makes up for the running taken away: the week's
            cross-training minutes are at least the client's weekly running before the complaint less the
            week's planned running, at the same easy effort (more sessions, up to every free day, and
            longer ones, up to ``max_minutes``).
        max_minutes: Longest cross-training session when it replaces running.

    """

    sessions_per_week: Annotated[int, Field(ge=1, le=6)] = 2
    options: Annotated[tuple[CrossOption, ...], Field(min_length=1)]
    replace_running: bool = True
    max_minutes: Annotated[int, Field(ge=10, le=120)] = 60


class SymptomAction(StrEnum):
    """What a running protocol prescribes when a session falls in the amber or red zone."""

    STAY = "stay"
    """Stay in this stage: the session does not count as one of its tries."""
    REPEAT_STAGE = "repeat-stage"
    """Do the stage again from its first try."""
    BACK_ONE_STAGE = "back-one-stage"
    """Go back one stage."""
    REST_THEN_PREVIOUS = "rest-then-previous-stage"
    """Rest ``rest_days`` days, then go back one stage."""
    STOP = "stop-and-contact"
    """Stop running and contact the physio: no more runs are planned until the physio revises the plan."""


class OnSymptoms(StrEnum):
    """The format 1 shorthand for symptom rules; still read, written as :class:`SymptomRules`."""

    REPEAT_STAGE = "repeat-stage"
    REST_THEN_PREVIOUS = "rest-then-previous-stage"


class SymptomRules(Spec):
    """What to do when a run brings symptoms, per traffic-light zone (Silbernagel et al. 2007).

    Attributes:
        amber: Action for an amber session (pain 3-5, or next morning not yet known).
        red: Action for a red session (pain above 5, worse next morning, or swelling).
        rest_days: Days of rest for ``rest-then-previous-stage``.
        back_after_failures: After this many amber or red sessions in one stage, go back one stage
            (omitted: never for amber alone).

    """

    amber: SymptomAction = SymptomAction.STAY
    red: SymptomAction = SymptomAction.REST_THEN_PREVIOUS
    rest_days: Annotated[int, Field(ge=1, le=7)] = 1
    back_after_failures: Annotated[int, Field(ge=1, le=10)] | None = None


_LEGACY_SYMPTOMS = {
    OnSymptoms.REPEAT_STAGE: SymptomRules(amber=SymptomAction.STAY, red=SymptomAction.REST_THEN_PREVIOUS),
    OnSymptoms.REST_THEN_PREVIOUS: SymptomRules(
        amber=SymptomAction.REST_THEN_PREVIOUS, red=SymptomAction.REST_THEN_PREVIOUS
    ),
}
"""What format 1's ``on_symptoms`` values mean as format 2 rules."""


class AdviceTopic(StrEnum):
    """What a piece of general advice is about."""

    WARM_UP = "warm-up"
    SURFACE = "surface"
    FOOTWEAR = "footwear"
    PACING = "pacing"
    GENERAL = "general"


class Advice(Spec):
    """General advice of a protocol or phase that reaches the handout (warm-up, surface, footwear...).

    Attributes:
        topic: What it is about.
        text: The advice in the client's words.

    """

    topic: AdviceTopic = AdviceTopic.GENERAL
    text: Localized


class Drill(Spec):
    """Something done during a run, such as a cadence drill.

    Attributes:
        exercise: Exercise id.
        dose: How long within the run.

    """

    exercise: Identifier
    dose: Duration


class Stage(Spec):
    """One stage of a walk/run table in full: its runs, label, intensity and note.

    A stage may hold different sessions, done in turn (a week whose first, second and third runs differ).

    Attributes:
        label: Name of the stage as the table gives it (e.g. "Week 5").
        sessions: The stage's runs, done in this order and then again from the first.
        intensity: Intensity target of this stage (overrides the table's).
        note: A note for the client about this stage.
        min_tries: Times the stage is done before the next (overrides the table's); omitted means the table's
            value, and at least once each of the stage's sessions.
        warm_up: Segments before each run of this stage (overrides the table's).
        cool_down: Segments after each run of this stage (overrides the table's).

    """

    label: Localized | None = None
    sessions: Annotated[tuple[RunDose, ...], Field(min_length=1, max_length=7)]
    intensity: Intensity | None = None
    note: Localized | None = None
    min_tries: Annotated[int, Field(ge=1, le=12)] | None = None
    warm_up: tuple[Segment, ...] | None = None
    cool_down: tuple[Segment, ...] | None = None


def _stage_or_dose(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("kind", "stage"))
    return str(getattr(value, "kind", "stage"))


StageEntry = Annotated[
    Annotated[Stage, Tag("stage")]
    | Annotated[Intervals, Tag("intervals")]
    | Annotated[Duration, Tag("duration")]
    | Annotated[Distance, Tag("distance")],
    Discriminator(_stage_or_dose),
]
"""A stage: a full :class:`Stage`, or just its one run dose (the short form of format 1)."""


def as_stage(entry: Stage | RunDoseValue) -> Stage:
    """The full form of a stage entry."""
    return entry if isinstance(entry, Stage) else Stage(sessions=(entry,))


class _Running(Spec):
    """What every kind of running shares."""

    exercise: Identifier = "easy-run"
    intensity: Intensity | None = None
    drills: tuple[Drill, ...] = ()
    advice: tuple[Advice, ...] = ()


class Stages(_Running):
    """A published walk/run table: stages done in order, each at least N times symptom-free.

    Attributes:
        kind: ``"stages"``.
        exercise: Exercise id shown for these sessions.
        walk_exercise: Exercise id shown for a stage with walking only (it is a walk, not a run).
        sessions_per_week: Run sessions a week (up to 7), or ``"daily"``.
        min_sessions_per_stage: Each stage is done at least this many times before the next.
        rest_days_between: Days without running between two run sessions (0: consecutive days are fine).
        recovery_day_every: Every Nth day of the phase, counted from its first day, is a recovery day (0: none).
        recovery: What a recovery day holds: rest, or cross-training where the phase has it.
        symptoms: What to do on amber and red sessions.
        on_symptoms: Format 1's shorthand for ``symptoms``, still read: ``repeat-stage`` (amber stays, red
            rests a day and goes back a stage) or ``rest-then-previous-stage`` (amber and red alike).
        intensity: Intensity target for the running parts.
        warm_up: Segments before every run (e.g. a brisk five-minute walk).
        cool_down: Segments after every run.
        drills: Drills done during the runs.
        advice: General advice for these runs (surface, footwear...).
        stages: The stages, easiest first.

    """

    kind: Literal["stages"] = "stages"
    exercise: Identifier = "walk-run"
    walk_exercise: Identifier = "brisk-walk"
    sessions_per_week: Annotated[int, Field(ge=1, le=7)] | Literal["daily"] = 3
    min_sessions_per_stage: Annotated[int, Field(ge=1, le=12)] = 2
    rest_days_between: Annotated[int, Field(ge=0, le=2)] = 1
    recovery_day_every: Annotated[int, Field(ge=0, le=14)] = 0
    recovery: Literal["rest", "cross-training"] = "rest"
    symptoms: SymptomRules = SymptomRules()
    on_symptoms: OnSymptoms | None = None
    warm_up: tuple[Segment, ...] = ()
    cool_down: tuple[Segment, ...] = ()
    stages: Annotated[tuple[StageEntry, ...], Field(min_length=1, max_length=60)]

    @model_validator(mode="after")
    def _rhythm(self) -> Stages:
        if self.on_symptoms is not None:
            if "symptoms" in self.model_fields_set:
                raise ValueError(error_message("error.symptoms-both"))
            return self.model_copy(update={"symptoms": _LEGACY_SYMPTOMS[self.on_symptoms], "on_symptoms": None})
        if self.recovery_day_every == 1:
            raise ValueError(error_message("error.recovery-every-day"))
        per_week = 7 if self.sessions_per_week == "daily" else self.sessions_per_week
        if per_week * (self.rest_days_between + 1) > 7:
            raise ValueError(
                error_message(
                    "error.sessions-do-not-fit",
                    sessions=self.sessions_per_week,
                    rest=self.rest_days_between,
                    fit=7 // (self.rest_days_between + 1),
                )
            )
        return self


class RestDay(Spec):
    """A day of rest inside a day-by-day sequence.

    Attributes:
        kind: ``"rest"``.
        note: What the client may do (e.g. a walk).

    """

    kind: Literal["rest"] = "rest"
    note: Localized | None = None


class RecoveryDay(Spec):
    """A recovery day inside a day-by-day sequence: rest, or cross-training where the phase has it.

    Attributes:
        kind: ``"recovery"``.
        activity: ``"rest"`` or ``"cross-training"``.

    """

    kind: Literal["recovery"] = "recovery"
    activity: Literal["rest", "cross-training"] = "cross-training"


DayEntry = Annotated[Intervals | Duration | Distance | RestDay | RecoveryDay, Field(discriminator="kind")]
"""One day of a day-by-day sequence: a run dose, a rest day or a recovery day."""


class DaySequence(_Running):
    """A programme written day by day: each entry is one calendar day, run, rest or recovery.

    Runs fall on consecutive days where the sequence says so. A run waits for the client's next available
    day; rest and recovery entries pass with their day. Each run entry is a stage of its own: a green run
    moves on to the next entry, amber and red follow ``symptoms``.

    Attributes:
        kind: ``"days"``.
        exercise: Exercise id shown for these sessions.
        walk_exercise: Exercise id shown for a day with walking only.
        recovery_day_every: Every Nth day of the sequence, counted from its first day, is a recovery day
            (0: none); it comes on top of the sequence's own rest entries.
        recovery: What such a recovery day holds.
        symptoms: What to do on amber and red runs.
        warm_up: Segments before every run.
        cool_down: Segments after every run.
        days: The sequence, first day first.

    """

    kind: Literal["days"] = "days"
    exercise: Identifier = "walk-run"
    walk_exercise: Identifier = "brisk-walk"
    recovery_day_every: Annotated[int, Field(ge=0, le=14)] = 0
    recovery: Literal["rest", "cross-training"] = "rest"
    symptoms: SymptomRules = SymptomRules()
    warm_up: tuple[Segment, ...] = ()
    cool_down: tuple[Segment, ...] = ()
    days: Annotated[tuple[DayEntry, ...], Field(min_length=1, max_length=120)]

    @model_validator(mode="after")
    def _has_runs(self) -> DaySequence:
        if self.recovery_day_every == 1:
            raise ValueError(error_message("error.recovery-every-day"))
        if not any(isinstance(day, Intervals | Duration | Distance) for day in self.days):
            raise ValueError(error_message("error.sequence-no-run"))
        return self


class BuildUp(_Running):
    """Continuous running built up week by week to the client's goal, within the load caps.

    Each week has one long run, which grows by the single-run cap towards the goal's long run, and easy
    runs, shorter than the long run, whose number grows towards the client's runs a week before the
    complaint as the weekly cap allows.

    Attributes:
        kind: ``"build-up"``.
        exercise: Exercise id shown for these sessions.
        long_run_exercise: Exercise id shown for the weekly long run.
        sessions_per_week: Runs a week; omitted uses the client's runs per week before the complaint.
        easy_fraction: Length of an easy run as a fraction of the long run.
        intensity: Intensity target.
        drills: Drills done during the runs (the long run included).
        advice: General advice for these runs.

    """

    kind: Literal["build-up"] = "build-up"
    long_run_exercise: Identifier = "long-run"
    sessions_per_week: Annotated[int, Field(ge=1, le=6)] | None = None
    easy_fraction: Annotated[float, Field(ge=0.4, le=1.0, allow_inf_nan=False)] = 0.7


class Maintain(_Running):
    """Keep running at the re-entry dose while other work leads, if the client runs pain-free now.

    Attributes:
        kind: ``"maintain"``.
        exercise: Exercise id shown for these sessions.
        sessions_per_week: Most runs a week; the re-entry may give fewer (about half the runs before).
        intensity: Intensity target.
        drills: Drills done during the runs.
        advice: General advice for these runs.

    """

    kind: Literal["maintain"] = "maintain"
    sessions_per_week: Annotated[int, Field(ge=1, le=4)] = 2


Running = Annotated[Stages | DaySequence | BuildUp | Maintain, Field(discriminator="kind")]
"""Every kind of running a phase can have; the planner has one policy per kind (planning/running.py)."""

RunningValue = Stages | DaySequence | BuildUp | Maintain
"""The running classes, for annotations and ``match``."""


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
        caps: Load caps of this phase, instead of the protocol's; written on the phase, they travel with it
            into every protocol that includes it.
        advice: General advice for this phase that reaches the handout.

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
    caps: LoadCaps | None = None
    advice: tuple[Advice, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Phase:
        if self.min_weeks > self.max_weeks:
            raise ValueError(error_message("error.min-above-max", min=self.min_weeks, max=self.max_weeks))
        if self.strength is None and self.cross_training is None and self.running is None:
            raise ValueError(error_message("error.phase-empty"))
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
        advice: General advice for the whole programme (warm-up, surface, footwear...).
        phases: Phases and included protocols, in order.

    """

    id: Identifier
    name: Localized
    summary: Localized
    source: Text
    conditions: tuple[Identifier, ...] = ()
    deload: Deload = Deload()
    caps: LoadCaps = LoadCaps()
    advice: tuple[Advice, ...] = ()
    phases: Annotated[tuple[PhaseEntry, ...], Field(min_length=1, max_length=20)]
