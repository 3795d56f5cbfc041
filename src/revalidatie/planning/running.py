"""One policy per kind of running: what runs a phase holds, how they progress, and when the phase is done.

:func:`policy_for` picks the policy with ``match`` ending in ``assert_never``, so a new running kind in
``model/protocol.py`` makes mypy name this place. Adding a kind = one model class + one policy + docs.

Every policy keeps the continuity rules across phase boundaries: a phase's first run is never shorter than
the last full run before it (unless a deload week or a logged symptom says so), the rest days of the
running before hold across the boundary, and nobody who already runs continuously at a level is sent back
to intervals below it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Protocol, assert_never

import attrs

from ..model.dose import Distance, Duration, Intensity, Intervals, Segment
from ..model.exercise import Exercise
from ..model.log import Zone, worst_zone
from ..model.plan import Item, Role, Session
from ..model.profile import ClientProfile
from ..model.protocol import (
    BuildUp,
    DaySequence,
    Maintain,
    Phase,
    RecoveryDay,
    RestDay,
    RunDoseValue,
    RunningValue,
    Stage,
    Stages,
    SymptomAction,
    SymptomRules,
    as_stage,
)
from . import calendar
from .caps import Reentry, RunHistory, half_minutes
from .progression import estimated_minutes, run_minutes
from .warnings import WarningCode, Warnings

FIRST_RUN_MINUTES = 10
"""A build-up with no recent running to measure against starts here."""
ADDED_RUN_MINUTES = 10
"""A run day added in the build-up starts as a short easy run of this length (or the easy run, if shorter)."""


class DayRole(Enum):
    """What a day of a phase is for, as its running decides."""

    TRAIN = "train"
    REST = "rest"
    """A rest or recovery day: no session at all."""
    RECOVERY = "recovery"
    """A recovery day with cross-training only."""


@attrs.frozen
class PlannedRun:
    """A run session's items with their estimated minutes and minutes at jog or run pace.

    Attributes:
        items: The run item and any drills done during it.
        minutes: Estimated minutes of the whole session part.
        running: Minutes at jog or run pace.
        stage: The walk/run stage (1-based) for table runs, else ``None``.

    """

    items: tuple[Item, ...]
    minutes: float
    running: float
    stage: int | None = None


@attrs.frozen
class RunEnv:
    """What every running policy of one plan reads: the client and the shared, mutable run state.

    Attributes:
        profile: The client.
        exercises: The plan's exercises.
        slow: Whether the condition progresses slowly (one more try per stage).
        reentry: Where running starts again.
        deload_factor: Volume of a deload week.
        history: Runs so far and the caps.
        rest_days: Days on which no session may fall (after symptoms).
        busy_days: Days of this week taken by other work (readiness tests): no run falls on them.
        warnings: The plan's warnings.
        memo: Run items already built, shared by plans on one protocol.
        tables: Each walk/run table's stages in full form with their run minutes, by phase id and pace; shared
            by plans on one protocol.

    """

    profile: ClientProfile
    exercises: Mapping[str, Exercise]
    slow: bool
    reentry: Reentry
    deload_factor: float
    history: RunHistory
    rest_days: set[dt.date]
    busy_days: set[dt.date]
    warnings: Warnings
    memo: dict[tuple[object, ...], PlannedRun]
    tables: dict[tuple[object, ...], tuple[tuple[Stage, ...], tuple[float, ...]]]

    @property
    def pace(self) -> float:
        """The client's easy pace in minutes per kilometre."""
        return self.profile.easy_pace_min_per_km

    def planned(
        self, key: tuple[object, ...], stage: int | None, build: Callable[..., tuple[Item, ...]], *args: object
    ) -> PlannedRun:
        """The run for ``key``, built once per protocol as ``build(*args)`` (``key`` holds all it follows from)."""
        found = self.memo.get(key)
        if found is None:
            items = build(*args)
            run = items[0]  # drills are done during the run: they add no minutes
            minutes = estimated_minutes(run.dose, self.exercises[run.exercise_id].laterality, self.pace)
            running = run_minutes(run.dose, self.pace)
            found = self.memo[key] = PlannedRun(items, minutes, running, stage)
        return found


class RunPolicy(Protocol):
    """The running of one phase, as the simulation drives it day by day."""

    has_target: bool
    """Whether the phase ends when its running reaches a target (else after its green weeks)."""
    counts_days: bool
    """Whether :meth:`advance` must see every day (else every day is a training day)."""

    def enter(self, start: dt.date) -> bool:
        """Start the phase on ``start``; ``False`` when the client is past it already (the phase is skipped)."""
        ...

    def week_run_days(self, week_start: dt.date, deload: bool) -> tuple[int, ...]:
        """Begin a week: the weekdays that carry runs this week."""
        ...

    def advance(self, day: dt.date) -> DayRole:
        """Called for every day of the phase, past or future, before anything is planned on it."""
        ...

    def week_minutes(self) -> float:
        """Minutes of running this week is planned to hold (cross-training makes up what is missing)."""
        ...

    def run(self, day: dt.date, deload: bool) -> PlannedRun | None:
        """The run for ``day`` (a run day of the week, not a rest day), or ``None``."""
        ...

    def observe(self, session: Session, zone: Zone | None) -> None:
        """Follow a run session that happened (logged, or projected green)."""
        ...

    def end_week(self) -> None:
        """The week's runs are done."""
        ...

    def finished(self) -> bool:
        """Whether the running has reached what the phase asks."""
        ...

    def end_phase(self, week: int, at_max: bool) -> None:
        """The phase ends after programme week ``week`` (``at_max``: at its maximum length)."""
        ...


def policy_for(phase: Phase, running: RunningValue, env: RunEnv) -> RunPolicy:
    """The policy for a phase's running."""
    match running:
        case Stages():
            return _StagesPolicy(phase, running, env)
        case DaySequence():
            return _DaysPolicy(phase, running, env)
        case BuildUp():
            return _BuildUpPolicy(phase, running, env)
        case Maintain():
            return _MaintainPolicy(phase, running, env)
        case _:
            assert_never(running)


# --- shared pieces ------------------------------------------------------------------------------------------


def _composed(
    dose: RunDoseValue,
    intensity: Intensity | None,
    warm_up: tuple[Segment, ...],
    cool_down: tuple[Segment, ...],
) -> RunDoseValue:
    """The dose with the table's intensity, warm-up and cool-down where the dose leaves them open."""
    update: dict[str, object] = {}
    if intensity is not None and dose.intensity is None:
        update["intensity"] = intensity
    if warm_up and not dose.warm_up:
        update["warm_up"] = warm_up
    if cool_down and not dose.cool_down:
        update["cool_down"] = cool_down
    return dose.model_copy(update=update) if update else dose


def _drills(running: Stages | DaySequence | BuildUp | Maintain) -> tuple[Item, ...]:
    return tuple(Item(drill.exercise, drill.dose, Role.DRILL) for drill in running.drills)


def _table_items(running: Stages | DaySequence, dose: RunDoseValue, pace: float) -> tuple[Item, ...]:
    """A table's run item and the drills done during it; a dose without jogging or running is a walk, no drills."""
    if run_minutes(dose, pace) <= 0:
        return (Item(running.walk_exercise, dose, Role.RUN),)
    return (Item(running.exercise, dose, Role.RUN), *_drills(running))


def _recovery_day(running: Stages | DaySequence, start: dt.date, day: dt.date) -> DayRole | None:
    """The role of ``day`` when it is the table's every-Nth-day recovery day (counted from ``start``), else None."""
    every = running.recovery_day_every
    if every and ((day - start).days + 1) % every == 0:
        return DayRole.RECOVERY if running.recovery == "cross-training" else DayRole.REST
    return None


class _Tries:
    """Where a client stands in a sequence of stages, and what the symptom rules do to it."""

    def __init__(self, rules: SymptomRules, env: RunEnv) -> None:
        self.rules = rules
        self.env = env
        self.index = 0
        self.count = 0
        self.failures = 0
        self.stopped = False

    def start(self, index: int) -> None:
        self.index, self.count, self.failures, self.stopped = index, 0, 0, False

    def green(self, needed: int) -> None:
        self.count += 1
        if self.count >= needed:
            self.index, self.count, self.failures = self.index + 1, 0, 0

    def symptoms(self, zone: Zone, day: dt.date, phase: Phase, previous: Callable[[int], int]) -> None:
        """Apply the rule for an amber or red session on ``day``; ``previous`` gives the stage before one."""
        action = self.rules.amber if zone is Zone.AMBER else self.rules.red
        self.failures += 1
        match action:
            case SymptomAction.STAY:
                pass
            case SymptomAction.REPEAT_STAGE:
                self.count = 0
            case SymptomAction.BACK_ONE_STAGE:
                self._back(previous)
            case SymptomAction.REST_THEN_PREVIOUS:
                for n in range(1, self.rules.rest_days + 1):
                    self.env.rest_days.add(day + dt.timedelta(days=n))
                self._back(previous)
            case SymptomAction.STOP:
                self.stopped = True
                self.env.warnings.add(WarningCode.SYMPTOMS_STOP, phase=phase.id, date=day.isoformat())
            case _:
                assert_never(action)
        limit = self.rules.back_after_failures
        if limit is not None and self.failures >= limit:
            self._back(previous)

    def _back(self, previous: Callable[[int], int]) -> None:
        self.index, self.count, self.failures = previous(self.index), 0, 0


# --- walk/run tables ---------------------------------------------------------------------------------------


class _StagesPolicy:
    """A published walk/run table: each stage at least N times, rest days between runs, symptom rules."""

    has_target = True

    def __init__(self, phase: Phase, running: Stages, env: RunEnv) -> None:
        self.phase = phase
        self.running = running
        self.env = env
        key = (phase.id, env.pace)
        table = env.tables.get(key)
        if table is None:
            stages = tuple(as_stage(entry) for entry in running.stages)
            minutes = tuple(min(run_minutes(dose, env.pace) for dose in stage.sessions) for stage in stages)
            table = env.tables[key] = (stages, minutes)
        self.stages, self.minutes = table
        self.tries = _Tries(running.symptoms, env)
        self.start = dt.date.min
        self.days = self._days()
        self.counts_days = running.recovery_day_every > 0

    def _days(self) -> tuple[int, ...]:
        available = tuple(day.number for day in self.env.profile.available_days)
        per_week = self.running.sessions_per_week
        if per_week == "daily":
            return available
        days = calendar.spread(available, per_week, self.running.rest_days_between + 1)
        if len(days) < per_week:
            self.env.warnings.add(WarningCode.RUN_DAYS, phase=self.phase.id, fitted=len(days), wanted=per_week)
        return days

    def enter(self, start: dt.date) -> bool:
        self.start = start
        level = self.env.history.last_full_run or self.env.reentry.minutes
        if level > 0 and level >= self.minutes[-1]:
            self.env.warnings.add(WarningCode.PHASE_SKIPPED, phase=self.phase.id, minutes=level)
            return False
        # Nobody goes back to a stage with less running than they do now: the first stage at or above it.
        first = next((n for n, minutes in enumerate(self.minutes) if level > 0 and minutes >= level), 0)
        self.tries.start(first)
        return True

    def week_run_days(self, week_start: dt.date, deload: bool) -> tuple[int, ...]:
        return self.days

    def week_minutes(self) -> float:
        return len(self.days) * self.minutes[min(self.tries.index, len(self.stages) - 1)]

    def advance(self, day: dt.date) -> DayRole:
        return _recovery_day(self.running, self.start, day) or DayRole.TRAIN

    def needed(self, stage: Stage) -> int:
        tries = stage.min_tries if stage.min_tries is not None else self.running.min_sessions_per_stage
        return max(tries, len(stage.sessions)) + (1 if self.env.slow else 0)

    def run(self, day: dt.date, deload: bool) -> PlannedRun | None:
        if self.tries.stopped or not self.env.history.rested(day, self.running.rest_days_between):
            return None
        number = min(self.tries.index, len(self.stages) - 1)
        stage = self.stages[number]
        turn = self.tries.count % len(stage.sessions)
        # The pace turns distances into minutes, so it is part of the key.
        key = ("stage", self.phase.id, number, turn, self.env.pace)
        return self.env.planned(key, number + 1, self._items, stage, turn)

    def _items(self, stage: Stage, turn: int) -> tuple[Item, ...]:
        running = self.running
        dose = _composed(
            stage.sessions[turn],
            stage.intensity or running.intensity,
            stage.warm_up if stage.warm_up is not None else running.warm_up,
            stage.cool_down if stage.cool_down is not None else running.cool_down,
        )
        return _table_items(running, dose, self.env.pace)

    def observe(self, session: Session, zone: Zone | None) -> None:
        if zone is None or session.stage is None:
            return
        number = session.stage - 1
        if number != min(self.tries.index, len(self.stages) - 1):
            self.tries.start(number)  # a run of another stage (the plan as it was) sets where the client is
        if self.tries.index >= len(self.stages):
            if zone is Zone.GREEN:
                return
            # The table was done; a run with symptoms puts the client back on its last stage, one try short,
            # and the symptom rule acts from there.
            self.tries.index, self.tries.count = len(self.stages) - 1, self.needed(self.stages[-1]) - 1
            number = self.tries.index
        if zone is Zone.GREEN:
            self.tries.green(self.needed(self.stages[number]))
        else:
            self.tries.symptoms(zone, session.date, self.phase, lambda index: max(0, index - 1))

    def end_week(self) -> None:
        pass

    def finished(self) -> bool:
        return not self.tries.stopped and self.tries.index >= len(self.stages)

    def end_phase(self, week: int, at_max: bool) -> None:
        pass


class _DaysPolicy:
    """A day-by-day sequence: runs on consecutive days where it says so, rest and recovery entries between."""

    has_target = True

    def __init__(self, phase: Phase, running: DaySequence, env: RunEnv) -> None:
        self.phase = phase
        self.running = running
        self.env = env
        self.tries = _Tries(running.symptoms, env)
        self.start = dt.date.min
        self.available = tuple(day.number for day in env.profile.available_days)
        self.counts_days = True

    def enter(self, start: dt.date) -> bool:
        self.start = start
        self.tries.start(0)
        return True

    def week_run_days(self, week_start: dt.date, deload: bool) -> tuple[int, ...]:
        return self.available

    def week_minutes(self) -> float:
        upcoming = self.running.days[self.tries.index : self.tries.index + 7]
        return sum(run_minutes(day, self.env.pace) for day in upcoming if not isinstance(day, RestDay | RecoveryDay))

    def advance(self, day: dt.date) -> DayRole:
        running = self.running
        recovery = _recovery_day(running, self.start, day)
        if recovery is not None:
            return recovery
        if self.tries.index >= len(running.days):
            return DayRole.TRAIN
        entry = running.days[self.tries.index]
        if isinstance(entry, RestDay):
            self.tries.index += 1
            return DayRole.REST
        if isinstance(entry, RecoveryDay):
            self.tries.index += 1
            return DayRole.RECOVERY if entry.activity == "cross-training" else DayRole.REST
        return DayRole.TRAIN

    def run(self, day: dt.date, deload: bool) -> PlannedRun | None:
        days = self.running.days
        if self.tries.stopped or self.tries.index >= len(days):
            return None
        number = self.tries.index
        entry = days[number]
        if isinstance(entry, RestDay | RecoveryDay):
            return None
        key = ("day", self.phase.id, number, self.env.pace)
        return self.env.planned(key, number + 1, self._items, entry)

    def _items(self, entry: RunDoseValue) -> tuple[Item, ...]:
        running = self.running
        dose = _composed(entry, running.intensity, running.warm_up, running.cool_down)
        return _table_items(running, dose, self.env.pace)

    def _previous_run(self, index: int) -> int:
        days = self.running.days
        for n in range(index - 1, -1, -1):
            if isinstance(days[n], Intervals | Duration | Distance):
                return n
        return index if index < len(days) and isinstance(days[index], Intervals | Duration | Distance) else 0

    def observe(self, session: Session, zone: Zone | None) -> None:
        if zone is None or session.stage is None:
            return
        self.tries.index = session.stage - 1
        if zone is Zone.GREEN:
            self.tries.green(1)
        else:
            self.tries.symptoms(zone, session.date, self.phase, self._previous_run)

    def end_week(self) -> None:
        pass

    def finished(self) -> bool:
        days = self.running.days
        left = days[self.tries.index :] if self.tries.index < len(days) else ()
        return not self.tries.stopped and all(isinstance(day, RestDay | RecoveryDay) for day in left)

    def end_phase(self, week: int, at_max: bool) -> None:
        pass


# --- continuous running ------------------------------------------------------------------------------------


class _Continuous:
    """What build-up and maintain share: runs of set lengths, with a rest day between where the days allow."""

    def __init__(self, phase: Phase, running: BuildUp | Maintain, env: RunEnv) -> None:
        self.phase = phase
        self.running = running
        self.env = env
        self.counts_days = False
        available = tuple(day.number for day in env.profile.available_days)
        # A rest day between two runs, as the handout says: fewer runs where the client's days do not allow it.
        self.pattern = calendar.spread(available, self._most_runs(env), 2)
        self.lengths: list[float] = []
        """The week's runs outside a deload, as they stand."""
        self.week_lengths: list[float] = []
        """This week's runs still to place, in order."""
        self.week_has_long = False
        """Whether this week's last run is longer than the others: its long run."""
        self.zone: Zone | None = Zone.GREEN
        self.week_zone: Zone | None = None
        self.red = False

    def _days(self, count: int, week_start: dt.date) -> tuple[int, ...]:
        """``count`` run days from the phase's pattern.

        Any subset of the pattern keeps a rest day between runs, also from one week into the next while the
        number of runs changes; a day too close to the last run before the week (another phase's) is left out.
        """
        last = self.env.history.last_run_day
        if not self.env.busy_days and (last is None or (week_start - last).days > 1):
            return calendar.spread(self.pattern, count, 2)  # every day of the pattern is free: the usual week
        free = []
        for day in self.pattern:
            date = week_start + dt.timedelta(days=(day - week_start.weekday()) % 7)
            if date not in self.env.busy_days and (last is None or (date - last).days > 1):
                free.append(day)
        return calendar.spread(tuple(free), count, 2)

    def _place(self, lengths: list[float], week_start: dt.date, deload: bool) -> tuple[int, ...]:
        """Set this week's runs in order and return their weekdays.

        Where fewer days fit this week (a run just before it, a test day), the shortest runs give way.
        """
        days = self._days(len(lengths), week_start)
        kept = sorted(lengths)[len(lengths) - len(days) :]
        factor = 1.0
        if deload and sum(kept) > 0:
            # A deload week is a quarter (or the protocol's share) lighter than the week before, whatever it grew from.
            limit = self.env.history.weekly_limit(True, self.env.deload_factor)
            factor = min(self.env.deload_factor, limit / sum(kept))
        ordered = _week_order(kept)
        self.week_lengths = [half_minutes(length * factor) for length in ordered] if factor != 1.0 else ordered
        self.week_has_long = len(kept) > 1 and max(kept) > min(kept)
        return days

    def _within_weekly_cap(self, level: float, runs: int) -> list[float]:
        """``runs`` runs of ``level`` minutes, fewer where they would pass the weekly cap (never fewer than one)."""
        limit = self.env.history.weekly_limit(False, 1.0)
        while runs > 1 and runs * level > limit + 1e-9:
            runs -= 1
        return [level] * runs

    def _most_runs(self, env: RunEnv) -> int:
        return self.running.sessions_per_week or env.profile.running.runs_per_week_before or 3

    def advance(self, day: dt.date) -> DayRole:
        return DayRole.TRAIN

    def week_minutes(self) -> float:
        return sum(self.week_lengths)

    def run(self, day: dt.date, deload: bool) -> PlannedRun | None:
        if not self.week_lengths:
            return None
        if not self.env.history.rested(day, 1):
            # The rest day after the run before holds (across a phase boundary too): the shortest run still to
            # come gives way, the week's longest stays.
            if len(self.week_lengths) > 1:
                self.week_lengths.remove(min(self.week_lengths[:-1]))
            return None
        minutes = self.week_lengths.pop(0)
        if minutes < 1:
            return None  # under a minute is no run
        exercise = self._exercise(long=not self.week_lengths and self.week_has_long)
        # Within one protocol the phase decides the intensity and drills; no model is hashed on this hot path.
        key = ("run", self.phase.id, exercise, minutes)
        return self.env.planned(key, None, self._items, exercise, minutes)

    def _items(self, exercise: str, minutes: float) -> tuple[Item, ...]:
        running = self.running
        return (Item(exercise, Duration(minutes=minutes, intensity=running.intensity), Role.RUN), *_drills(running))

    def _exercise(self, *, long: bool) -> str:
        return self.running.exercise

    def observe(self, session: Session, zone: Zone | None) -> None:
        self.week_zone = worst_zone(self.week_zone, zone)
        if zone is Zone.RED and not self.red:
            # A red run lowers every later run at once, by the deload factor; they climb back within the caps.
            self.red = True
            factor = self.env.deload_factor
            self.lengths = [half_minutes(length * factor) for length in self.lengths]
            self.week_lengths = [min(length, max(self.lengths)) for length in self.week_lengths]

    def end_week(self) -> None:
        # Progress needs evidence: a week whose runs were not logged green (or had none) does not move it on.
        self.zone = self.week_zone
        self.week_zone = None
        self.red = False

    def end_phase(self, week: int, at_max: bool) -> None:
        pass


class _MaintainPolicy(_Continuous):
    """Keep running at the re-entry dose (about half the weekly running before) while other work leads."""

    has_target = False

    def __init__(self, phase: Phase, running: Maintain, env: RunEnv) -> None:
        super().__init__(phase, running, env)
        self.maintain = running
        self.level = 0.0

    def enter(self, start: dt.date) -> bool:
        env = self.env
        self.level = env.history.last_full_run or env.reentry.minutes
        runs = min(self.maintain.sessions_per_week, env.reentry.runs or self.maintain.sessions_per_week)
        runs = max(
            runs, min(self.maintain.sessions_per_week, env.history.runs_in_week_before(start, env.profile.start_date))
        )
        self.lengths = self._within_weekly_cap(self.level, runs) if self.level >= 1 else []
        return True

    def week_run_days(self, week_start: dt.date, deload: bool) -> tuple[int, ...]:
        if self.zone is Zone.GREEN and self.lengths:
            # After a setback the runs climb back to the level, within the single-run cap.
            limit = self.env.history.single_run_limit(week_start)
            self.lengths = [min(self.level, max(length, half_minutes(limit))) for length in self.lengths]
        return self._place(self.lengths, week_start, deload)

    def finished(self) -> bool:
        return True


class _BuildUpPolicy(_Continuous):
    """Continuous running to the goal: a weekly long run grown by the single-run cap, easy runs, a weekly cap."""

    has_target = True

    def __init__(self, phase: Phase, running: BuildUp, env: RunEnv) -> None:
        super().__init__(phase, running, env)
        self.build = running
        self.goal = float(env.profile.goal.long_run_minutes)
        wanted = self._most_runs(env)
        self.wanted = len(self.pattern)
        if self.wanted < wanted:
            env.warnings.add(WarningCode.RUN_DAYS, phase=phase.id, fitted=self.wanted, wanted=wanted)
        self.entry = 0.0
        self.fresh = True
        """Whether the phase starts the client's running anew: its first week then stays where the client is."""
        self.first_week = True

    def enter(self, start: dt.date) -> bool:
        env = self.env
        level = env.history.last_full_run
        if level <= 0 and env.reentry.defined:
            level = env.reentry.minutes  # where the client runs now: under a minute stalls, with a warning
            if level < 1:
                env.warnings.add(WarningCode.BUILD_UP_STALLED, minutes=level, percent=_percent(env.history))
        elif level <= 0:
            # Nothing pain-free to start from: a short first run, within the single-run cap of recent runs.
            window = env.history.window_max(start)
            level = float(min(FIRST_RUN_MINUTES, self.goal))
            if window > 0:
                level = min(level, half_minutes(window * (1 + env.history.caps.single_run_increase)))
            else:
                env.warnings.add(WarningCode.NO_RECENT_RUNNING, minutes=level)
        recent = env.history.runs_in_week_before(start, env.profile.start_date)
        runs = max(1, min(self.wanted, recent or env.reentry.runs or 2))
        self.entry = level
        self.lengths = self._within_weekly_cap(level, runs)
        # A level the client ran in the week before grows at once; a new start is run as it is for a week.
        self.fresh = recent == 0
        self.first_week = True
        return True

    @property
    def long(self) -> float:
        return max(self.lengths) if self.lengths else 0.0

    def _exercise(self, *, long: bool) -> str:
        return self.build.long_run_exercise if long else self.running.exercise

    def week_run_days(self, week_start: dt.date, deload: bool) -> tuple[int, ...]:
        if not deload and self.zone is Zone.GREEN and not self.first_week:
            self._progress(week_start)
        elif not deload and self.zone is Zone.GREEN and not self.fresh:
            # The phase's first week keeps the client's run days; a level run the week before grows at once.
            self._progress(week_start, add=False)
        self.first_week = self.fresh = False
        return self._place(self.lengths, week_start, deload)

    def _progress(self, week_start: dt.date, *, add: bool = True) -> None:
        """One week's progression: add a run day while fewer than wanted, else grow the runs within the caps."""
        history = self.env.history
        before = list(self.lengths)
        if not before:
            return
        if add and len(before) < self.wanted:
            easy = min(before)
            added = min(easy, float(ADDED_RUN_MINUTES))
            self.lengths = [*before, added]
            week = (week_start - self.env.profile.start_date).days // 7 + 1
            self.env.warnings.add(WarningCode.ADDED_RUN_DAY, week, phase=self.phase.id, minutes=added)
            return
        single = history.single_run_limit(week_start)
        old_long = max(before)
        long = half_minutes(min(self.goal, old_long * (1 + history.caps.single_run_increase), single))
        long = max(long, old_long)
        if long <= old_long < self.goal:
            self.env.warnings.add(WarningCode.BUILD_UP_STALLED, minutes=old_long, percent=_percent(history))
        easy_target = half_minutes(min(long, max(self.entry, self.build.easy_fraction * long)))
        others = sorted(before, reverse=True)[1:]
        grown_others = [max(length, half_minutes(min(easy_target, single))) for length in others]
        allowed = min(history.weekly_limit(False, 1.0), sum(before) * (1 + history.caps.weekly_increase))
        # The weekly cap trims the easy runs' growth first, then the long run's; nothing drops below last week.
        for n in range(len(grown_others) - 1, -1, -1):
            excess = long + sum(grown_others) - allowed
            if excess <= 0:
                break
            grown_others[n] = max(others[n], half_minutes(grown_others[n] - excess))
        excess = long + sum(grown_others) - allowed
        if excess > 0:
            long = max(old_long, half_minutes(long - excess))
        self.lengths = [*grown_others, long]

    def finished(self) -> bool:
        return self.long >= self.goal and self.zone is Zone.GREEN

    def end_phase(self, week: int, at_max: bool) -> None:
        if not at_max or self.long >= self.goal:
            return
        growth = 1 + self.env.history.caps.single_run_increase
        weeks = math.ceil(math.log(self.goal / max(self.long, 1.0)) / math.log(growth)) if growth > 1 else 0
        weeks = math.ceil(weeks * 4 / 3)  # about one lighter week in four
        self.env.warnings.add(
            WarningCode.GOAL_NOT_REACHED,
            week,
            phase=self.phase.id,
            goal=self.goal,
            reached=self.long,
            projected_week=week + weeks,
        )


def _week_order(lengths: list[float]) -> list[float]:
    """A week's runs in the order they are run: an easy run first, shorter ones next, the longest last."""
    ordered = sorted(lengths)
    return [ordered[-2], *ordered[:-2], ordered[-1]] if len(ordered) >= 3 else ordered


def _percent(history: RunHistory) -> int:
    return round(history.caps.single_run_increase * 100)
