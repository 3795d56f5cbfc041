"""The day/week simulation of a programme that follows the pain-monitoring model.

A simulation walks the phases week by week and day by day. Before ``as_of`` it replays the sessions as they
were, with the client's logs; from ``as_of`` on it plans new sessions, assuming each goes well (green).
Running is left to the phase's policy (``running.py``), strength to ``strength.py``; this module places
the work on days, keeps the shared state and decides when a phase is done.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import attrs

from ..model.dose import Duration
from ..model.exercise import Condition, Exercise, Progression
from ..model.log import SessionLog, Zone, worst_zone
from ..model.plan import Item, PhasePlan, PlanWarning, Role, Session, SessionKind, WeekSummary
from ..model.profile import ClientProfile
from ..model.protocol import LoadCaps, Phase, Protocol, ReadinessTest, Stage
from . import calendar
from .caps import MAX_WEEKS, RunHistory, effective_caps, reentry
from .progression import estimated_minutes, lighten
from .running import DayRole, PlannedRun, RunEnv, RunPolicy, policy_for
from .strength import Ladders, WeekStrength, blocked_until, strength_sets, week_strength
from .warnings import WarningCode, Warnings

_DAYS_OF_WEEK = tuple(dt.timedelta(days=n) for n in range(7))
_ID_SUFFIX = {kind: f"-{kind.value}" for kind in SessionKind}  # a session id is its date and kind
_SECOND = "-2"
_ROLES = {
    (run, strength, cross): frozenset(
        role for role, present in ((Role.RUN, run), (Role.STRENGTH, strength), (Role.CROSS_TRAINING, cross)) if present
    )
    for run in (False, True)
    for strength in (False, True)
    for cross in (False, True)
}
"""The roles of a planned session's items, by whether it holds a run, strength and cross-training."""


@attrs.frozen
class Memo:
    """Items already built, for plans on one protocol with one set of exercises.

    A value depends only on its key, the protocol and the exercises, never on a client, so plans share them:
    a caseload on one catalog builds each strength step and each run length once.
    """

    strength: dict[tuple[object, ...], WeekStrength] = attrs.Factory(dict)
    runs: dict[tuple[object, ...], PlannedRun] = attrs.Factory(dict)
    cross: dict[tuple[object, ...], tuple[Item, float]] = attrs.Factory(dict)
    tables: dict[tuple[object, ...], tuple[tuple[Stage, ...], tuple[float, ...]]] = attrs.Factory(dict)
    days: dict[tuple[int, int, int], tuple[tuple[Item, ...], float, SessionKind | None, frozenset[Role]]] = (
        attrs.Factory(dict)
    )
    weeks: dict[tuple[object, ...], _Week] = attrs.Factory(dict)
    """A week's pattern of run, strength and cross-training days, by all it follows from."""
    """A day's parts put together, by the identities of its run, strength and cross-training parts (all kept
    alive by this memo, so an identity is never reused for another part)."""


@attrs.frozen
class Setting:
    """Everything fixed for one simulation.

    Attributes:
        profile: The client.
        condition: The client's condition.
        protocol: The protocol, includes in place.
        phases: Its phases in order.
        exercises: The plan's exercises.
        ladders: Every strength prescription's ladder.
        memo: Items shared between plans on the protocol.

    """

    profile: ClientProfile
    condition: Condition
    protocol: Protocol
    phases: tuple[Phase, ...]
    exercises: Mapping[str, Exercise]
    ladders: Ladders
    memo: Memo


@attrs.frozen
class Result:
    """What a simulation produces."""

    phases: tuple[PhasePlan, ...]
    weeks: tuple[WeekSummary, ...]
    sessions: tuple[Session, ...]
    warnings: tuple[PlanWarning, ...]


@attrs.frozen
class _Week:
    """Which weekdays carry runs, strength and cross-training in one week."""

    run_days: tuple[int, ...]
    strength_days: tuple[int, ...]
    daily_strength: bool
    cross_days: tuple[int, ...]
    cross_minutes: float
    cross_options: tuple[tuple[str, Duration], ...]
    strength_short: tuple[int, int] | None
    """Strength days that fit and wanted, where fewer fit than the phase asks."""


class Simulation:
    """One run through the programme; see the module docstring."""

    def __init__(
        self,
        setting: Setting,
        *,
        as_of: dt.date,
        revision: int,
        facts: Mapping[dt.date, tuple[Session, ...]] | None = None,
        logs: Mapping[str, SessionLog] | None = None,
        old_phases: tuple[PhasePlan, ...] = (),
    ) -> None:
        self.setting = setting
        self.as_of = as_of
        self.revision = revision
        self.facts = facts or {}
        self.logs = logs or {}
        self.old_phases = old_phases
        profile = setting.profile
        self.slow = setting.condition.progression is Progression.SLOW
        # Re-entry is the first phase's start, so it keeps that phase's caps.
        first = setting.phases[0] if setting.phases else None
        caps = effective_caps((first.caps if first is not None else None) or setting.protocol.caps, self.slow)
        self.factor = setting.protocol.deload.volume_factor
        self.warnings = Warnings()
        self.history = RunHistory(caps)
        self.rest_days: set[dt.date] = set()
        self.env = RunEnv(
            profile,
            setting.exercises,
            self.slow,
            reentry(profile, caps),
            self.factor,
            self.history,
            self.rest_days,
            set(),
            self.warnings,
            setting.memo.runs,
            setting.memo.tables,
        )
        if profile.pain_now > 2:
            self.warnings.add(WarningCode.PAIN_AT_REST, pain=profile.pain_now)
        self.available = tuple(day.number for day in profile.available_days)
        self.blocked = blocked_until(setting.exercises, setting.condition.id)
        self.lapsing = any(week <= MAX_WEEKS for week in self.blocked.values())
        self.loadable = profile.strength.can_add_load
        self.sessions: list[Session] = []
        self.last_strength: dt.date | None = None
        self.cross_options: dict[str, tuple[tuple[str, Duration], ...]] = {}
        self.available_days = frozenset(self.available)
        # Reset when a phase starts.
        self.policy: RunPolicy | None = None
        self.checks_due: tuple[ReadinessTest, ...] = ()
        self.check_failed = False
        self.step = 0
        self.cross_turn = 0
        self.green_weeks = 0
        # Reset every week.
        self.strength_zone: Zone | None = None
        self.week_zone: Zone | None = None

    # --- the phases ---------------------------------------------------------------------------------------

    def run(self) -> Result:
        """Walk the phases week by week until the last is done (or the plan reaches ``MAX_WEEKS``)."""
        setting = self.setting
        start = setting.profile.start_date
        longest = setting.profile.running.longest_run_last_30_days
        if longest > 0:
            # The profile's longest run counts as yesterday's: it stays in the 30-day window for a month.
            self.history.runs.append((start - dt.timedelta(days=1), longest))
        phase_plans: list[PhasePlan] = []
        weeks: list[WeekSummary] = []
        week, index = 1, 0
        phases = setting.phases
        previous: Phase | None = None
        while index < len(phases) and week <= MAX_WEEKS:
            phase = phases[index]
            phase_start = start + dt.timedelta(weeks=week - 1)
            if not self._start_phase(phase, phase_start) and phase_start >= self.as_of:
                index += 1
                continue
            # Readiness tests before the phase: the one before's exit tests and this one's entry tests. The first
            # phase's were the physio's at intake; a phase that began in the past had its tests then (they are
            # among the sessions replayed).
            tests = (*previous.exit, *phase.entry) if previous is not None else ()
            self.checks_due = tests if phase_start >= self.as_of else ()
            first_week = counted_from = week
            while week <= MAX_WEEKS:
                week_start = start + dt.timedelta(weeks=week - 1)
                deload = self._is_deload(phase, week)
                weeks.append(self._week(phase, week, week_start, deload))
                week += 1
                next_start = week_start + dt.timedelta(days=7)
                if self.check_failed and next_start >= self.as_of:
                    # Tests not passed: the phase starts a week later, with the tests again (and the physio told).
                    self._start_phase(phase, next_start)
                    self.checks_due = tests
                    counted_from = week
                    continue
                # A failed test whose next week is past already: the client went on as planned (the physio was
                # told by the warning).
                self.check_failed = False
                if next_start <= self.as_of:
                    # A week wholly in the past: phases follow the plan as it was.
                    if self._old_phase_id(next_start) != phase.id:
                        break
                elif self._phase_done(phase, week - counted_from, week - 1):
                    break
            phase_plans.append(
                PhasePlan(
                    phase=phase,
                    start=phase_start,
                    end=start + dt.timedelta(weeks=week - 1, days=-1),
                    first_week=first_week,
                    weeks=week - first_week,
                )
            )
            previous = phase
            index = self._next_index(index, start + dt.timedelta(weeks=week - 1))
        if index < len(phases):
            self.warnings.add(WarningCode.PLAN_TOO_LONG, weeks=MAX_WEEKS)
        self._cap_warnings()
        return Result(tuple(phase_plans), tuple(weeks), tuple(self.sessions), self.warnings.all())

    def _start_phase(self, phase: Phase, start: dt.date) -> bool:
        """Reset the phase state; ``False`` when the running policy finds the phase behind the client."""
        self.step = 0
        self.cross_turn = 0
        self.green_weeks = 0
        self.check_failed = False
        self.history.caps = self._caps(phase)
        self.policy = policy_for(phase, phase.running, self.env) if phase.running is not None else None
        return self.policy is None or self.policy.enter(start)

    def _caps(self, phase: Phase) -> LoadCaps:
        """The phase's load caps (its own, else the protocol's), halved for slow conditions."""
        return effective_caps(phase.caps or self.setting.protocol.caps, self.slow)

    def _old_phase_id(self, day: dt.date) -> str | None:
        return next((p.phase.id for p in self.old_phases if p.start <= day <= p.end), None)

    def _next_index(self, index: int, next_start: dt.date) -> int:
        if next_start < self.as_of:
            old = self._old_phase_id(next_start)
            ids = [phase.id for phase in self.setting.phases]
            if old in ids:
                return ids.index(old)
        return index + 1

    def _is_deload(self, phase: Phase, week: int) -> bool:
        every = self.setting.protocol.deload.every_weeks
        return phase.deload and every > 0 and week % every == 0

    def _phase_done(self, phase: Phase, weeks_in_phase: int, week: int) -> bool:
        at_max = weeks_in_phase >= phase.max_weeks
        met = self._criteria_met(phase)
        if at_max or (weeks_in_phase >= phase.min_weeks and met):
            if at_max and not met:
                self.warnings.add(WarningCode.PHASE_MAX, phase=phase.id)
            if self.policy is not None:
                self.policy.end_phase(week, at_max and not met)
            return True
        return False

    def _criteria_met(self, phase: Phase) -> bool:
        if self.policy is not None and self.policy.has_target:
            return self.policy.finished()
        return self.green_weeks >= self._green_weeks_needed(phase)

    def _green_weeks_needed(self, phase: Phase) -> int:
        """Green weeks that finish a phase without a running target; half as many again for slow conditions."""
        if self.slow:
            return min(phase.max_weeks, math.ceil(phase.min_weeks * 1.5))
        return phase.min_weeks

    # --- one week -----------------------------------------------------------------------------------------

    def _plan_week(self, phase: Phase, week_start: dt.date, deload: bool, strength: WeekStrength | None) -> _Week:
        projecting = week_start >= self.as_of
        self.env.busy_days.clear()
        if self.checks_due and projecting:
            # The readiness tests take the week's first training day; the runs fit around it.
            days = (week_start + offset for offset in _DAYS_OF_WEEK)
            check_day = next((d for d in days if d.weekday() in self.available and d not in self.rest_days), None)
            if check_day is not None:
                self.env.busy_days.add(check_day)
        run_days = self.policy.week_run_days(week_start, deload) if self.policy is not None else ()
        running = self.policy.week_minutes() if self.policy is not None else 0.0
        has_strength = strength is not None and bool(strength.items)
        # Weeks repeat their pattern, within a plan and between clients with the same days and equipment: it is
        # worked out once per everything it follows from.
        options = self._cross_options(phase)
        before = self.setting.profile.running.weekly_minutes_before
        key = (phase.id, run_days, running, has_strength, self.available, before, tuple(o for o, _ in options))
        found = self.setting.memo.weeks.get(key)
        if found is None:
            found = self.setting.memo.weeks[key] = self._week_pattern(phase, options, run_days, running, has_strength)
        if found.strength_short:
            fitted, wanted = found.strength_short
            self.warnings.add(WarningCode.STRENGTH_DAYS, phase=phase.id, fitted=fitted, wanted=wanted)
        return found

    def _week_pattern(
        self,
        phase: Phase,
        options: tuple[tuple[str, Duration], ...],
        run_days: tuple[int, ...],
        running: float,
        has_strength: bool,
    ) -> _Week:
        strength_days: tuple[int, ...] = ()
        short: tuple[int, int] | None = None
        if phase.strength is not None and has_strength:
            per_week = phase.strength.sessions_per_week
            if per_week == "daily":
                strength_days = self.available
            else:
                strength_days = calendar.strength_days(self.available, per_week, run_days)
                if len(strength_days) < per_week:
                    short = (len(strength_days), per_week)
        cross_days: tuple[int, ...] = ()
        cross_minutes = 0.0
        if options:
            count, cross_minutes = self._cross_volume(phase, options, run_days, running)
            cross_days = calendar.cross_days(self.available, count, run_days, strength_days)
        daily = phase.strength is not None and phase.strength.sessions_per_week == "daily"
        return _Week(run_days, strength_days, daily, cross_days, cross_minutes, options, short)

    def _cross_volume(
        self, phase: Phase, options: tuple[tuple[str, Duration], ...], run_days: tuple[int, ...], running: float
    ) -> tuple[int, float]:
        """Cross-training sessions and minutes a week: at least the protocol's, more where running is taken away.

        What replaces running is matched by time at the same easy effort; the equivalence is approximate.
        """
        cross = phase.cross_training
        assert cross is not None
        per_session = min(dose.minutes for _, dose in options)
        count = cross.sessions_per_week
        if not cross.replace_running:
            return count, 0.0
        missing = self.setting.profile.running.weekly_minutes_before - running
        if missing <= count * per_session:
            return count, 0.0
        free = sum(day not in run_days for day in self.available)
        count = max(count, min(free, math.ceil(missing / cross.max_minutes)))
        minutes = min(float(cross.max_minutes), 5 * math.ceil(missing / count / 5))
        return count, max(minutes, per_session)

    def _week(self, phase: Phase, week: int, week_start: dt.date, deload: bool) -> WeekSummary:
        """Plan (or replay) one week and return its summary for the overview."""
        self.strength_zone = self.week_zone = None
        first_session = len(self.sessions)
        run_total = planned_run = 0.0
        sets = 0
        strength = self._strength(phase, week, deload) if phase.strength is not None else None
        plan = self._plan_week(phase, week_start, deload, strength)
        advance = self.policy.advance if self.policy is not None and self.policy.counts_days else None
        available = self.available_days
        for offset in _DAYS_OF_WEEK:
            day = week_start + offset
            role = advance(day) if advance is not None else DayRole.TRAIN
            if day < self.as_of:
                for fact in self.facts.get(day, ()):
                    self.sessions.append(fact)
                    if any(item.role is Role.STRENGTH for item in fact.items):
                        self.last_strength = day
                    self._follow_cross_turn(phase, fact)
                    run_total += self._observe(fact)
                    planned_run += fact.run_minutes
                    sets += strength_sets(fact.items)
                continue
            if day.weekday() not in available or day in self.rest_days or role is DayRole.REST:
                continue
            if self.checks_due:
                # The readiness tests take the phase's first training day, on their own.
                self.sessions.append(self._check(phase, week, day, deload))
                self.checks_due = ()
                continue
            for session, session_sets, roles in self._sessions(phase, plan, week, day, deload, strength, role):
                self.sessions.append(session)
                run_total += self._observe(session, roles)
                planned_run += session.run_minutes
                sets += session_sets
        if self.strength_zone is Zone.GREEN and not deload:
            self.step += 1
        elif self.strength_zone is Zone.RED:
            self.step = max(0, self.step - 1)
        if self.policy is not None:
            self.policy.end_week()
        if not deload and run_total > 0:
            self.history.full_weeks.append(run_total)
        if self.week_zone is Zone.GREEN or len(self.sessions) == first_session:
            # A week with nothing to do cannot go wrong; one with sessions needs green logs to count.
            self.green_weeks += 1
        return WeekSummary(
            number=week,
            start=week_start,
            phase_id=phase.id,
            deload=deload,
            run_minutes=float(planned_run),
            sessions=len(self.sessions) - first_session,
            strength_sets=sets,
        )

    def _strength(self, phase: Phase, week: int, deload: bool) -> WeekStrength:
        setting = self.setting
        profile = setting.profile
        # Everything the items follow from: the condition decides what is contraindicated and how fast the
        # rungs go by; the week only matters where a contraindication ends in one.
        key = (
            phase.id,
            self.step,
            deload,
            setting.condition.id,
            profile.easy_pace_min_per_km,
            self.loadable,
            week if self.lapsing else 0,
        )
        found = setting.memo.strength.get(key)
        if found is None:
            found = setting.memo.strength[key] = week_strength(
                phase,
                self.step,
                week,
                deload=deload,
                deload_factor=self.factor,
                slow=self.slow,
                loadable=self.loadable,
                rungs_of=setting.ladders,
                exercises=setting.exercises,
                blocked=self.blocked,
                pace=profile.easy_pace_min_per_km,
            )
        for exercise_id, replacement in found.replaced:
            self.warnings.add(WarningCode.CONTRAINDICATED, week, exercise=exercise_id, replacement=replacement or "")
        if not profile.strength.bands:
            for exercise_id in found.banded:
                self.warnings.add(WarningCode.NEEDS_BAND, week, exercise=exercise_id)
        return found

    def _sessions(
        self,
        phase: Phase,
        plan: _Week,
        week: int,
        day: dt.date,
        deload: bool,
        strength: WeekStrength | None,
        role: DayRole,
    ) -> list[tuple[Session, int, frozenset[Role]]]:
        """The day's sessions, each with its strength sets and the roles of its items."""
        weekday = day.weekday()
        run: PlannedRun | None = None
        if role is DayRole.TRAIN and weekday in plan.run_days and self.policy is not None and not self.check_failed:
            run = self.policy.run(day, deload)
        strength_today = (
            strength is not None
            and role is DayRole.TRAIN
            and weekday in plan.strength_days
            and (plan.daily_strength or self.last_strength != day - dt.timedelta(days=1))
        )
        if strength_today:
            # Never two strength days in a row, also where the week's pattern changes (unless daily).
            self.last_strength = day
        cross = None
        cross_day = (weekday in plan.cross_days or role is DayRole.RECOVERY) and run is None
        if cross_day and plan.cross_options:
            cross = self._cross_item(phase, plan, deload)
        today = strength if strength_today else None
        # The run, strength and cross-training parts are shared objects of the protocol's memo, so a day made
        # of the same parts is put together once.
        key = (id(run), id(today), id(cross))
        parts = self.setting.memo.days.get(key)
        if parts is None:
            parts = self.setting.memo.days[key] = _day_parts(run, today, cross)
        items, minutes, kind, roles = parts
        if kind is None:
            return []
        stage = run.stage if run is not None else None
        running = run.running if run is not None else 0.0
        profile = self.setting.profile
        main = self._session(
            day.isoformat().replace("-", "") + _ID_SUFFIX[kind],
            day,
            profile.preferred_time,
            minutes,
            kind,
            phase,
            week,
            items,
            stage,
            running,
            deload,
        )
        main_sets = strength.sets if strength_today and strength is not None else 0
        if not (strength_today and strength is not None and strength.twice_daily):
            return [(main, main_sets, roles)]
        # Twice a day: the same exercises again in a session of their own, with a diary row of its own.
        morning = self._session(
            day.isoformat().replace("-", "") + _ID_SUFFIX[SessionKind.STRENGTH] + _SECOND,
            day,
            profile.twice_daily_time,
            strength.twice_daily_minutes,
            SessionKind.STRENGTH,
            phase,
            week,
            strength.twice_daily,
            None,
            0.0,
            deload,
        )
        pair = [(morning, strength.twice_daily_sets, _ROLES[(False, True, False)]), (main, main_sets, roles)]
        return pair if profile.twice_daily_time < profile.preferred_time else pair[::-1]

    def _check(self, phase: Phase, week: int, day: dt.date, deload: bool) -> Session:
        """A dated session of readiness tests; projected as passed, revised by its log."""
        items = tuple(Item(test.exercise, test.dose, Role.CHECK) for test in self.checks_due)
        pace = self.setting.profile.easy_pace_min_per_km
        exercises = self.setting.exercises
        minutes = sum(estimated_minutes(i.dose, exercises[i.exercise_id].laterality, pace) for i in items)
        session_id = day.isoformat().replace("-", "") + _ID_SUFFIX[SessionKind.CHECK]
        profile = self.setting.profile
        check = self._session(
            session_id, day, profile.preferred_time, minutes, SessionKind.CHECK, phase, week, items, None, 0.0, deload
        )
        self._observe(check)
        return check

    def _session(
        self,
        session_id: str,
        day: dt.date,
        start: dt.time,
        estimate: float,
        kind: SessionKind,
        phase: Phase,
        week: int,
        items: tuple[Item, ...],
        stage: int | None,
        running: float,
        deload: bool,
    ) -> Session:
        return Session(
            id=session_id,
            date=day,
            start=start,
            minutes=5 * math.ceil(estimate / 5) if estimate > 10 else 10,
            kind=kind,
            phase_id=phase.id,
            week=week,
            items=items,
            stage=stage,
            step=self.step,
            run_minutes=float(running),
            deload=deload,
            revision=self.revision,
        )

    # --- cross-training -----------------------------------------------------------------------------------

    def _cross_options(self, phase: Phase) -> tuple[tuple[str, Duration], ...]:
        """The phase's cross-training options the client has the equipment for, in order."""
        found = self.cross_options.get(phase.id)
        if found is None:
            cross = phase.cross_training
            access = self.setting.profile.cross_training
            exercises = self.setting.exercises

            options = cross.options if cross is not None else ()
            found = tuple((o.exercise, o.dose) for o in options if not access.missing(exercises[o.exercise].equipment))
            self.cross_options[phase.id] = found
        return found

    def _cross_item(self, phase: Phase, plan: _Week, deload: bool) -> tuple[Item, float]:
        options = plan.cross_options
        exercise_id, dose = options[self.cross_turn % len(options)]
        self.cross_turn += 1
        # An item follows from its option, the week's minutes and the deload alone: plans share them.
        key = (phase.id, exercise_id, deload, plan.cross_minutes, self.setting.profile.easy_pace_min_per_km)
        memo = self.setting.memo.cross
        found = memo.get(key)
        if found is None:
            if plan.cross_minutes > dose.minutes:
                dose = dose.model_copy(update={"minutes": plan.cross_minutes})
            item = Item(exercise_id, lighten(dose, self.factor) if deload else dose, Role.CROSS_TRAINING)
            pace = self.setting.profile.easy_pace_min_per_km
            laterality = self.setting.exercises[exercise_id].laterality
            found = memo[key] = (item, estimated_minutes(item.dose, laterality, pace))
        return found

    def _follow_cross_turn(self, phase: Phase, fact: Session) -> None:
        """Continue the cross-training rotation after a session from the past, as the original plan did."""
        options = [exercise_id for exercise_id, _ in self._cross_options(phase)]
        for item in fact.items:
            if item.role is Role.CROSS_TRAINING and item.exercise_id in options:
                self.cross_turn = options.index(item.exercise_id) + 1

    # --- what happened ------------------------------------------------------------------------------------

    def _observe(self, session: Session, roles: frozenset[Role] | None = None) -> float:
        """Update the state from a session: a logged one from the past, or a projected one (green).

        ``roles`` are its items' roles, where the caller knows them. Returns the minutes of running it adds
        to the week.
        """
        zone: Zone | None
        if session.date >= self.as_of:
            done, zone = True, Zone.GREEN
            if self.week_zone is None:
                self.week_zone = zone
        else:
            log = self.logs.get(session.id)
            done = log is None or log.completed
            zone = log.zone if log is not None else None
            self.week_zone = worst_zone(self.week_zone, zone)
            if zone is Zone.RED:
                self.rest_days.add(session.date + dt.timedelta(days=1))
        if roles is None:
            roles = frozenset(item.role for item in session.items)
        if Role.CHECK in roles and session.date < self.as_of:
            log = self.logs.get(session.id)
            if log is not None and not log.passes_check:
                self.check_failed = True
                self.warnings.add(
                    WarningCode.READINESS_NOT_PASSED,
                    session.week,
                    phase=session.phase_id,
                    date=session.date.isoformat(),
                )
            return 0.0
        if Role.STRENGTH in roles:
            self.step = session.step
            self.strength_zone = worst_zone(self.strength_zone, zone)
        if Role.RUN in roles:
            if self.policy is not None:
                self.policy.observe(session, zone)
            self.history.record(session.date, session.run_minutes, done=done, deload=session.deload)
            if done:
                return session.run_minutes
        return 0.0

    def _cap_warnings(self) -> None:
        """Warn where a published walk/run table asks more than the load caps allow."""
        table_phases = {p.id: p for p in self.setting.phases if p.running is not None and p.running.kind in _TABLES}
        exceeded: dict[str, list[int]] = {}
        for session in self.sessions:
            if session.stage is None or session.phase_id not in table_phases:
                continue
            window = self.history.window_max(session.date)
            increase = self._caps(table_phases[session.phase_id]).single_run_increase
            if window > 0 and session.run_minutes > window * (1 + increase) + 1e-9:
                exceeded.setdefault(session.phase_id, []).append(session.week)
        for phase_id, weeks in exceeded.items():
            percent = round(self._caps(table_phases[phase_id]).single_run_increase * 100)
            self.warnings.add(
                WarningCode.STAGE_TABLE_EXCEEDS_CAP,
                weeks[0],
                phase=phase_id,
                count=len(weeks),
                percent=percent,
                first_week=weeks[0],
            )


_TABLES = ("stages", "days")


def _day_parts(
    run: PlannedRun | None, strength: WeekStrength | None, cross: tuple[Item, float] | None
) -> tuple[tuple[Item, ...], float, SessionKind | None, frozenset[Role]]:
    """A day's items, estimated minutes, kind and roles, from its run, strength and cross-training parts."""
    items: list[Item] = []
    estimate = 0.0
    kind: SessionKind | None = None
    if run is not None:
        items.extend(run.items)
        kind = SessionKind.RUN
        estimate += run.minutes
    if strength is not None:
        items.extend(strength.items)
        kind = kind or SessionKind.STRENGTH
        estimate += strength.minutes
    if cross is not None:
        items.append(cross[0])
        kind = kind or SessionKind.CROSS_TRAINING
        estimate += cross[1]
    return tuple(items), estimate, kind, _ROLES[(run is not None, strength is not None, cross is not None)]
