"""What the engine computes: a dated, periodised plan. Frozen attrs values; exporters read only these."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import attrs

from .dose import DoseValue, Frequency
from .exercise import Condition, Exercise, RedFlag
from .log import Zone
from .profile import ClientProfile
from .protocol import Phase, Protocol


class SessionKind(StrEnum):
    """The main content of a session; a run day may also hold strength work."""

    RUN = "run"
    STRENGTH = "strength"
    CROSS_TRAINING = "cross-training"
    CHECK = "check"
    """Readiness tests before a phase: a dated check whose result decides whether the phase starts."""


class Role(StrEnum):
    """What an item is for within its session."""

    RUN = "run"
    STRENGTH = "strength"
    CROSS_TRAINING = "cross-training"
    DRILL = "drill"
    """Done during the run of the same session (e.g. a cadence drill)."""
    CHECK = "check"
    """A readiness test."""


@attrs.frozen
class Item:
    """One exercise at one dose within a session.

    Attributes:
        exercise_id: Id of the exercise in ``Plan.exercises``.
        dose: How much.
        role: Run, strength or cross-training.
        frequency: How often a day or week, when the protocol says so (e.g. twice a day).

    """

    exercise_id: str
    dose: DoseValue
    role: Role
    frequency: Frequency | None = None


@attrs.frozen
class Session:
    """One training day in the client's calendar.

    Attributes:
        id: Stable id (date and kind); unchanged across revisions while the session exists.
        date: The day.
        start: Local start time in the plan's time zone.
        minutes: Estimated duration.
        kind: The main content.
        phase_id: The phase it belongs to.
        week: Programme week (1-based).
        items: What to do, in order.
        stage: Walk/run stage (1-based) for stage-table runs, else ``None``.
        step: Strength progression step within the phase.
        run_minutes: Minutes at jog or run pace (0 without running).
        deload: Whether it falls in a deload week.
        revision: The revision in which this session last changed.

    """

    id: str
    date: dt.date
    start: dt.time
    minutes: int
    kind: SessionKind
    phase_id: str
    week: int
    items: tuple[Item, ...]
    stage: int | None
    step: int
    run_minutes: float
    deload: bool
    revision: int

    def same_content(self, other: Session) -> bool:
        """Whether ``other`` asks the client to do the same thing at the same time."""
        return attrs.evolve(other, revision=self.revision) == self


@attrs.frozen
class CancelledSession:
    """A session a revision removed; calendars keep it as cancelled so every client drops it.

    Attributes:
        session: The session as it was last planned.
        revision: The revision that removed it.

    """

    session: Session
    revision: int


@attrs.frozen
class PhasePlan:
    """A phase placed on the calendar.

    Attributes:
        phase: The phase from the protocol.
        start: First day.
        end: Last day.
        first_week: Programme week in which it starts.
        weeks: Number of weeks.

    """

    phase: Phase
    start: dt.date
    end: dt.date
    first_week: int
    weeks: int


@attrs.frozen
class WeekSummary:
    """Load of one programme week, for the overview chart.

    Attributes:
        number: Programme week (1-based).
        start: First day.
        phase_id: Phase of the week.
        deload: Whether it is a deload week.
        run_minutes: Minutes at jog or run pace.
        sessions: Number of sessions.
        strength_sets: Total strength sets (a simple volume measure).

    """

    number: int
    start: dt.date
    phase_id: str
    deload: bool
    run_minutes: float
    sessions: int
    strength_sets: int


MAX_REVISION = 2**31 - 1
"""Highest revision a plan may have: the calendar's SEQUENCE (revision - 1) is a 32-bit signed integer."""

WarningValue = str | int | float
"""A warning parameter: an id (phase, exercise), a count, minutes or a percentage."""


@attrs.frozen
class PlanWarning:
    """Something the physio should know about the plan: a stable code with its parameters, no words.

    Whoever shows a warning words it in the reader's language (``revalidatie.export.text.warning_text``).

    Attributes:
        code: Stable code (e.g. ``stage-table-exceeds-cap``); see ``revalidatie.planning.warnings``.
        params: The facts behind it, by name (ids, counts, minutes).
        week: The programme week it concerns, if any.

    """

    code: str
    params: dict[str, WarningValue] = attrs.field(factory=dict)
    week: int | None = None


@attrs.frozen
class AppliedLog:
    """What one session log told a revision, as the planner read it: the record of why the plan changed.

    Attributes:
        session_id: The session logged.
        date: Its day.
        kind: The session's kind (a run, strength, a readiness check...).
        completed: Whether it was done.
        pain_before: Pain at rest before it (the baseline), 0-10.
        pain_during: Pain during it, 0-10.
        pain_next_morning: Pain the next morning, 0-10; ``None`` when not known.
        swelling: Swelling or more stiffness afterwards.
        zone: The traffic-light zone the planner derived; ``None`` when the session was not done.
        check_passed: For a readiness check, whether its tests counted as passed; ``None`` for other sessions.

    """

    session_id: str
    date: dt.date
    kind: SessionKind
    completed: bool
    pain_before: int
    pain_during: int
    pain_next_morning: int | None
    swelling: bool
    zone: Zone | None
    check_passed: bool | None = None


@attrs.frozen
class RevisionNote:
    """One revision in the plan's history.

    Attributes:
        number: Revision number (1 is the first plan).
        at: When it was made (UTC).
        as_of: First day it could change.
        changed: Sessions added or changed.
        cancelled: Sessions removed.
        logs: The session logs the revision applied, in the plan's session order (none for the first plan);
            ``None`` where they were not recorded (plan files written before revisions kept them).

    """

    number: int
    at: dt.datetime
    as_of: dt.date
    changed: int
    cancelled: int
    logs: tuple[AppliedLog, ...] | None = None


@attrs.frozen
class Pause:
    """A stop of the whole plan: the client reported red-flag signs and sees the physio before going on.

    While a plan is paused it has no sessions from ``since`` on; the calendar shows one event that tells the
    client to contact the physio, and the plan goes on only when the physio resumes it.

    Attributes:
        revision: The revision that paused the plan (it names the pause's calendar event).
        since: The first day without sessions.
        flags: Ids of the red flags the client reported, in the order reported.
        changed: The last revision that changed the pause: the one that paused, added flags or resumed it.
        resumed: Whether the physio has resumed the plan since.

    """

    revision: int
    since: dt.date
    flags: tuple[str, ...]
    changed: int
    resumed: bool = False


@attrs.frozen
class Plan:
    """A client's programme: phases, weeks and sessions on real dates, plus all text the exports need.

    Attributes:
        id: Stable plan id (from the client id, or name and start date).
        profile: The client profile it was made from.
        condition: The client's condition.
        protocol: The protocol followed.
        exercises: Every exercise the plan may prescribe, by id.
        red_flags: The red flags the client should watch for.
        phases: Phases with dates.
        weeks: Weekly load summary.
        sessions: Sessions in date order.
        cancelled: Sessions removed by revisions.
        warnings: Things to know.
        revision: Current revision number (1 for a new plan).
        revised_at: When the current revision was made (UTC).
        history: Every revision so far.
        pauses: Every pause of the plan, the current one last (see :attr:`paused`).

    """

    id: str
    profile: ClientProfile
    condition: Condition
    protocol: Protocol
    exercises: dict[str, Exercise]
    red_flags: tuple[RedFlag, ...]
    phases: tuple[PhasePlan, ...]
    weeks: tuple[WeekSummary, ...]
    sessions: tuple[Session, ...]
    cancelled: tuple[CancelledSession, ...]
    warnings: tuple[PlanWarning, ...]
    revision: int
    revised_at: dt.datetime
    history: tuple[RevisionNote, ...]
    pauses: tuple[Pause, ...] = ()

    @property
    def paused(self) -> Pause | None:
        """The pause the plan is in, or ``None`` when it is going on."""
        last = self.pauses[-1] if self.pauses else None
        return last if last is not None and not last.resumed else None

    @property
    def start(self) -> dt.date:
        """First day of the programme."""
        return self.profile.start_date

    @property
    def end(self) -> dt.date:
        """Last day of the programme."""
        return self.phases[-1].end
