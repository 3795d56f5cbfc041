"""The planner: a day-by-day simulation of the programme that follows the pain-monitoring model.

:func:`plan_programme` runs the simulation from the start date assuming every future session goes well
(green). :func:`revise` keeps the sessions before ``as_of`` as they were, replays them with the client's
logs to find where the client really is, and runs the simulation on from there. Progress needs evidence:
a week moves the programme on only when its logged (or, in the projection, planned) sessions are green.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from zoneinfo import ZoneInfo

import attrs

from .._naming import plan_id
from ..catalog import Catalog
from ..errors import Problem, ProfileError
from ..model.common import Localized
from ..model.dose import DoseValue, Duration, SetsHold, SetsReps
from ..model.exercise import Condition, Equipment, Exercise, Progression
from ..model.log import SessionLog, Zone
from ..model.plan import (
    CancelledSession,
    Item,
    PhasePlan,
    Plan,
    PlanWarning,
    RevisionNote,
    Role,
    Session,
    SessionKind,
    WeekSummary,
)
from ..model.profile import ClientProfile
from ..model.protocol import BuildUp, LoadCaps, Maintain, OnSymptoms, Phase, Protocol, Stages
from . import calendar
from .progression import Rung, estimated_minutes, harder_links, ladder, lighten, run_minutes, rung_index
from .screening import require_clear, resolve

MAX_WEEKS = 104
"""No plan runs longer than two years, whatever the phases allow."""

_WINDOW = dt.timedelta(days=30)
_DAYS_OF_WEEK = tuple(dt.timedelta(days=n) for n in range(7))
_FIRST_RUN_MINUTES = 10  # a build-up with no recent running to measure against starts here
_ACCESS = {Equipment.POOL: "pool", Equipment.BIKE: "bike", Equipment.CROSS_TRAINER: "cross_trainer"}
_ZONE_ORDER = {Zone.GREEN: 0, Zone.AMBER: 1, Zone.RED: 2}
_ID_SUFFIX = {kind: f"-{kind.value}" for kind in SessionKind}  # a session id is its date and kind


def plan_programme(
    profile: ClientProfile, catalog: Catalog, *, issued_at: dt.datetime | None = None, source: str = "<profile>"
) -> Plan:
    """Turn a client profile into a dated, periodised programme.

    Args:
        profile: The client.
        catalog: Exercises, conditions, red flags and protocols.
        issued_at: When the plan is made (stored as the revision time); defaults to midnight of the start
            date in the client's time zone, so the same profile always gives the same plan.
        source: Name of the profile's file, for error messages.

    Raises:
        ReferralRequired: A red flag was answered "yes" and not cleared.
        ProfileError: The profile does not fit the catalog (unknown condition, unanswered screening...).

    """
    condition, protocol = resolve(profile, catalog, source=source)
    require_clear(profile, catalog, source=source)
    prepared = catalog.derived(("planning", protocol.id), lambda: _prepared(catalog, protocol))
    protocol, exercises = prepared.protocol, prepared.exercises
    phases = tuple(entry for entry in protocol.phases if isinstance(entry, Phase))
    at = _utc(issued_at) if issued_at is not None else _midnight_utc(profile.start_date, profile.timezone)
    context = _Context.build(profile, condition, protocol, phases, exercises, prepared.ladders, prepared.memo)
    result = _Simulation(context, as_of=profile.start_date, revision=1).run()
    if not result.phases:
        raise ProfileError(
            [
                Problem(
                    source,
                    "protocol",
                    f"leaves nothing to do: every phase of {protocol.id!r} is behind the client already "
                    "(they run its last stage pain-free); choose a later protocol such as 'build-up'",
                    repr(protocol.id),
                )
            ]
        )
    sessions = result.sessions
    return Plan(
        id=plan_id(profile),
        profile=profile,
        condition=condition,
        protocol=protocol,
        exercises=dict(exercises),  # the plan's own: a caller may change it without touching other plans
        red_flags=tuple(catalog.red_flags.values()),
        phases=result.phases,
        weeks=result.weeks,
        sessions=sessions,
        cancelled=(),
        warnings=result.warnings,
        revision=1,
        revised_at=at,
        history=(RevisionNote(number=1, at=at, as_of=profile.start_date, changed=len(sessions), cancelled=0),),
    )


def revise(
    plan: Plan,
    logs: Iterable[SessionLog],
    as_of: dt.date,
    *,
    revised_at: dt.datetime | None = None,
    source: str = "<logs>",
) -> Plan:
    """Adapt a plan to the client's session logs, returning the next revision of the same plan.

    Green sessions (pain 0-2, back to baseline next morning) let the programme progress; amber (3-5, or
    the next morning not yet known) repeats the stage; red (above 5, next-morning pain above baseline, or
    swelling) steps back one stage and makes the next day a rest day. Sessions before ``as_of`` never
    change; future sessions that stay the same keep their id and revision.

    Args:
        plan: The current plan.
        logs: The client's reports; each names a session of ``plan``.
        as_of: First day that may change (usually today).
        revised_at: When the revision is made; defaults to midnight of ``as_of`` in the client's zone.
        source: Name of the logs' file, for error messages.

    Raises:
        ProfileError: A log names a session the plan does not have, or two logs name the same session.

    """
    logs = tuple(logs)
    by_id = {s.id: s for s in plan.sessions}
    problems = []
    outcomes: dict[str, SessionLog] = {}
    for n, log in enumerate(logs, start=1):
        if log.session_id not in by_id:
            problems.append(
                Problem(source, f"log[{n}].session_id", "is not a session of this plan", repr(log.session_id))
            )
        elif by_id[log.session_id].date >= as_of:
            problems.append(
                Problem(
                    source,
                    f"log[{n}].session_id",
                    f"is a session on or after the revision day {as_of.isoformat()}; revise as of a later day "
                    "or leave this log out",
                    repr(log.session_id),
                )
            )
        elif log.session_id in outcomes:
            problems.append(
                Problem(
                    source, f"log[{n}].session_id", "is logged twice; keep one log per session", repr(log.session_id)
                )
            )
        else:
            outcomes[log.session_id] = log
    if problems:
        raise ProfileError(problems)
    number = plan.revision + 1
    at = _utc(revised_at) if revised_at is not None else _midnight_utc(as_of, plan.profile.timezone)
    phases = tuple(entry for entry in plan.protocol.phases if isinstance(entry, Phase))
    ladders = _ladders(phases, plan.exercises)
    context = _Context.build(plan.profile, plan.condition, plan.protocol, phases, plan.exercises, ladders, _Memo())
    facts = {s.date: s for s in plan.sessions if s.date < as_of}
    result = _Simulation(
        context, as_of=as_of, revision=number, facts=facts, logs=outcomes, old_phases=plan.phases
    ).run()
    old_future = {s.id: s for s in plan.sessions if s.date >= as_of}
    sessions = []
    changed = 0
    for session in result.sessions:
        old = old_future.pop(session.id, None) if session.date >= as_of else None
        if old is not None and old.same_content(session):
            sessions.append(old)
        else:
            sessions.append(session)
            changed += session.date >= as_of
    cancelled = plan.cancelled + tuple(CancelledSession(s, number) for s in old_future.values())
    return attrs.evolve(
        plan,
        phases=result.phases,
        weeks=result.weeks,
        sessions=tuple(sessions),
        cancelled=cancelled,
        warnings=result.warnings,
        revision=number,
        revised_at=at,
        history=(*plan.history, RevisionNote(number, at, as_of, changed, len(old_future))),
    )


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("give an aware datetime (with a time zone) for the revision time")
    return moment.astimezone(dt.UTC)


def _midnight_utc(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)


Ladders = Mapping[tuple[str, int], tuple[Rung, ...]]
"""The ladder of each strength prescription, by phase id and position."""


_Strength = tuple[tuple[Item, ...], float, int, tuple[tuple[str, str | None], ...]]
"""A week's strength items, their estimated minutes and sets, and each contraindicated exercise with what
replaced it."""


@attrs.frozen
class _Memo:
    """Items already built, with their estimates, for plans on one protocol with one set of exercises.

    A value depends only on its key, the protocol and the exercises, never on a client, so plans share them:
    a caseload on one catalog builds each strength step and each run length once.
    """

    strength: dict[tuple[object, ...], _Strength] = attrs.Factory(dict)
    runs: dict[tuple[object, ...], _Planned] = attrs.Factory(dict)


@attrs.frozen
class _Prepared:
    """What every plan on a protocol shares: the protocol with its includes in place, ladders, exercises."""

    protocol: Protocol
    ladders: Ladders
    exercises: Mapping[str, Exercise]
    memo: _Memo


def _prepared(catalog: Catalog, protocol: Protocol) -> _Prepared:
    phases = catalog.phases(protocol.id)
    # The plan carries the protocol with included protocols put in place, so revise() needs no catalog.
    protocol = protocol.model_copy(update={"phases": phases})
    ladders = _ladders(phases, catalog.exercises)
    exercises = MappingProxyType(_reachable_exercises(phases, catalog.exercises, ladders))
    return _Prepared(protocol, ladders, exercises, _Memo())


def _ladders(phases: Iterable[Phase], exercises: Mapping[str, Exercise]) -> Ladders:
    links = harder_links(exercises)
    return {
        (phase.id, n): ladder(rx, exercises, links)
        for phase in phases
        if phase.strength is not None
        for n, rx in enumerate(phase.strength.exercises)
    }


def _reachable_exercises(
    phases: Iterable[Phase], exercises: Mapping[str, Exercise], ladders: Ladders
) -> dict[str, Exercise]:
    """Every exercise the phases name, with the variants reachable along their ladders."""
    wanted: set[str] = {exercise_id for rungs in ladders.values() for exercise_id, _ in rungs}
    for phase in phases:
        wanted.update(test.exercise for test in (*phase.entry, *phase.exit))
        if phase.cross_training is not None:
            wanted.update(option.exercise for option in phase.cross_training.options)
        if phase.running is not None:
            wanted.add(phase.running.exercise)
    for exercise_id in list(wanted):
        easier = exercises[exercise_id].easier
        while easier is not None and easier not in wanted:
            wanted.add(easier)
            easier = exercises[easier].easier
    return {exercise_id: exercises[exercise_id] for exercise_id in sorted(wanted)}


@attrs.frozen
class _Context:
    """Everything fixed for one simulation, computed once."""

    profile: ClientProfile
    condition: Condition
    protocol: Protocol
    phases: tuple[Phase, ...]
    exercises: Mapping[str, Exercise]
    caps: LoadCaps
    slow: bool
    available: tuple[int, ...]
    reentry: float
    ladders: Ladders
    memo: _Memo
    blocked_until: Mapping[str, int]
    """First programme week each contraindicated exercise may be given (past ``MAX_WEEKS``: never)."""
    lapsing: bool
    """Whether a contraindication ends during the programme, so that the week decides what is allowed."""

    @classmethod
    def build(
        cls,
        profile: ClientProfile,
        condition: Condition,
        protocol: Protocol,
        phases: tuple[Phase, ...],
        exercises: Mapping[str, Exercise],
        ladders: Ladders,
        memo: _Memo,
    ) -> _Context:
        slow = condition.progression is Progression.SLOW
        caps = protocol.caps
        if slow:
            caps = LoadCaps(single_run_increase=caps.single_run_increase / 2, weekly_increase=caps.weekly_increase / 2)
        blocked = _blocked_until(exercises, condition.id)
        return cls(
            profile,
            condition,
            protocol,
            phases,
            exercises,
            caps,
            slow,
            tuple(day.number for day in profile.available_days),
            _reentry(profile, caps),
            ladders,
            memo,
            blocked,
            any(week <= MAX_WEEKS for week in blocked.values()),
        )


def _blocked_until(exercises: Mapping[str, Exercise], condition: str) -> dict[str, int]:
    blocked = {}
    for exercise in exercises.values():
        weeks = [
            MAX_WEEKS + 1 if c.allowed_from_week is None else c.allowed_from_week
            for c in exercise.contraindications
            if c.condition == condition
        ]
        if weeks:
            blocked[exercise.id] = max(weeks)
    return blocked


def _reentry(profile: ClientProfile, caps: LoadCaps) -> float:
    """Minutes of a first run back.

    About half the previous run, no more than the client runs pain-free now, and within the single-run cap
    of the last 30 days. Zero when the client has not run in the last 30 days.
    """
    history = profile.running
    if history.pain_free_minutes <= 0 or history.longest_run_last_30_days <= 0:
        return 0.0
    half = history.typical_run_before / 2 if history.typical_run_before > 0 else history.pain_free_minutes
    limit = history.longest_run_last_30_days * (1 + caps.single_run_increase)
    # Rounded down so the cap holds; under one minute is no run (the walk/run table starts).
    minutes = _half_minutes(min(history.pain_free_minutes, half, limit))
    return minutes if minutes >= 1 else 0.0


@attrs.frozen
class _Template:
    """Which weekdays carry runs, strength and cross-training in a phase (``days``: any of them)."""

    run_days: tuple[int, ...]
    strength_days: tuple[int, ...]
    cross_days: tuple[int, ...]
    cross_options: tuple[tuple[str, Duration], ...]
    days: frozenset[int]


@attrs.frozen
class _Planned:
    """An item with its estimated minutes and its minutes at jog or run pace."""

    item: Item
    minutes: float
    running: float = 0.0


@attrs.define
class _Result:
    phases: tuple[PhasePlan, ...]
    weeks: tuple[WeekSummary, ...]
    sessions: tuple[Session, ...]
    warnings: tuple[PlanWarning, ...]


@attrs.define
class _Simulation:
    """Mutable state of one run through the programme; see the module docstring."""

    context: _Context
    as_of: dt.date
    revision: int
    facts: Mapping[dt.date, Session] = attrs.Factory(dict)
    logs: Mapping[str, SessionLog] = attrs.Factory(dict)
    old_phases: tuple[PhasePlan, ...] = ()
    sessions: list[Session] = attrs.Factory(list)
    warnings: dict[str, PlanWarning] = attrs.Factory(dict)
    runs: list[tuple[dt.date, float]] = attrs.Factory(list)
    rest_days: set[dt.date] = attrs.Factory(set)
    last_run_day: dt.date | None = None
    # Cross-training turns depend on the client's equipment, so their items are remembered per simulation.
    cross_memo: dict[tuple[object, ...], _Planned] = attrs.Factory(dict)
    reference_week: float = 0.0
    # Reset when a phase starts.
    phase_start: dt.date = dt.date.min
    step: int = 0
    stage: int = 0
    stage_count: int = 0
    run_level: float = 0.0
    run_levels: list[float] = attrs.Factory(list)
    cross_turn: int = 0
    green_weeks: int = 0
    # Reset every week.
    strength_zone: Zone | None = None
    run_zone: Zone | None = None
    week_zone: Zone | None = None
    last_run_zone: Zone | None = Zone.GREEN

    def run(self) -> _Result:
        ctx = self.context
        start = ctx.profile.start_date
        longest = ctx.profile.running.longest_run_last_30_days
        if longest > 0:
            # The profile's longest run counts as yesterday's: it stays in the 30-day window for a month.
            self.runs.append((start - dt.timedelta(days=1), longest))
        phase_plans: list[PhasePlan] = []
        weeks: list[WeekSummary] = []
        week, index = 1, 0
        while index < len(ctx.phases) and week <= MAX_WEEKS:
            phase = ctx.phases[index]
            phase_start = start + dt.timedelta(weeks=week - 1)
            self._start_phase(phase, phase_start)
            if phase_start >= self.as_of and self._already_past(phase):
                index += 1
                continue
            template = self._template(phase)
            first_week = week
            while week <= MAX_WEEKS:
                week_start = start + dt.timedelta(weeks=week - 1)
                deload = self._is_deload(phase, week)
                weeks.append(self._week(phase, template, week, week_start, deload))
                week += 1
                next_start = week_start + dt.timedelta(days=7)
                if next_start <= self.as_of:
                    # A week wholly in the past: phases follow the plan as it was.
                    if self._old_phase_id(next_start) != phase.id:
                        break
                elif self._phase_done(phase, week - first_week):
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
            index = self._next_index(index, start + dt.timedelta(weeks=week - 1))
        if index < len(ctx.phases):
            self._warn(
                "plan-too-long",
                None,
                Localized(
                    nl=f"Het programma stopt na {MAX_WEEKS} weken; bespreek het vervolg met je fysiotherapeut.",
                    en=f"The programme stops after {MAX_WEEKS} weeks; discuss what comes next with your physio.",
                ),
            )
        self._cap_warnings()
        return _Result(tuple(phase_plans), tuple(weeks), tuple(self.sessions), tuple(self.warnings.values()))

    def _old_phase_id(self, day: dt.date) -> str | None:
        return next((p.phase.id for p in self.old_phases if p.start <= day <= p.end), None)

    def _next_index(self, index: int, next_start: dt.date) -> int:
        if next_start < self.as_of:
            old = self._old_phase_id(next_start)
            ids = [phase.id for phase in self.context.phases]
            if old in ids:
                return ids.index(old)
        return index + 1

    def _is_deload(self, phase: Phase, week: int) -> bool:
        every = self.context.protocol.deload.every_weeks
        return phase.deload and every > 0 and week % every == 0

    # --- phases -------------------------------------------------------------------------------------------

    def _start_phase(self, phase: Phase, start: dt.date) -> None:
        self.phase_start = start
        self.step = 0
        self.stage_count = 0
        self.cross_turn = 0
        self.green_weeks = 0
        self.run_levels = []
        if isinstance(phase.running, Stages):
            self.stage = self._entry_stage(phase.running)
        if isinstance(phase.running, Maintain):
            self.run_level = self.context.reentry
        if isinstance(phase.running, BuildUp):
            self.run_level = 0.0

    def _current_level(self) -> float:
        """Minutes the client runs now: the longest of the plan's last three runs, or re-entry before any."""
        planned = [minutes for day, minutes in self.runs if day >= self.context.profile.start_date]
        return max(planned[-3:]) if planned else self.context.reentry

    def _entry_stage(self, stages: Stages) -> int:
        """The last stage whose running fits what the client runs now; stage 1 for a client not running."""
        level = self._current_level()
        pace = self.context.profile.easy_pace_min_per_km
        fitting = [n for n, dose in enumerate(stages.stages) if 0 < run_minutes(dose, pace) <= level]
        return fitting[-1] if fitting else 0

    def _already_past(self, phase: Phase) -> bool:
        """Whether a walk/run table can be skipped because the client already runs its last stage."""
        if not isinstance(phase.running, Stages):
            return False
        level = self._current_level()
        final = run_minutes(phase.running.stages[-1], self.context.profile.easy_pace_min_per_km)
        if level <= 0 or level < final:
            return False
        self._warn(
            f"phase-skipped-{phase.id}",
            None,
            Localized(
                nl=f"Fase '{phase.name.nl}' is overgeslagen: je loopt al {level:g} minuten pijnvrij.",
                en=f"Phase '{phase.name.en}' is skipped: you already run {level:g} minutes pain-free.",
            ),
        )
        return True

    def _phase_done(self, phase: Phase, weeks_in_phase: int) -> bool:
        if weeks_in_phase >= phase.max_weeks:
            if not self._criteria_met(phase):
                self._warn(
                    f"phase-max-{phase.id}",
                    None,
                    Localized(
                        nl=f"Fase '{phase.name.nl}' heeft haar maximale duur bereikt voordat alle stappen klaar waren; "
                        "bespreek met je fysiotherapeut hoe je verder gaat.",
                        en=f"Phase '{phase.name.en}' reached its maximum length before every step was done; "
                        "discuss with your physio how to go on.",
                    ),
                )
            return True
        return weeks_in_phase >= phase.min_weeks and self._criteria_met(phase)

    def _criteria_met(self, phase: Phase) -> bool:
        running = phase.running
        if isinstance(running, Stages):
            return self.stage >= len(running.stages)
        if isinstance(running, BuildUp):
            return self.run_level >= self.context.profile.goal.run_minutes and self.last_run_zone is Zone.GREEN
        return self.green_weeks >= self._green_weeks_needed(phase)

    def _green_weeks_needed(self, phase: Phase) -> int:
        """Green weeks that finish a phase without a running target; half as many again for slow conditions."""
        if self.context.slow:
            return min(phase.max_weeks, math.ceil(phase.min_weeks * 1.5))
        return phase.min_weeks

    def _template(self, phase: Phase) -> _Template:
        ctx = self.context
        available = ctx.available
        run_days: tuple[int, ...] = ()
        running = phase.running
        if running is not None:
            wanted = running.sessions_per_week or ctx.profile.running.runs_per_week_before or 3
            gap = running.rest_days_between + 1 if isinstance(running, Stages) else 1
            run_days = calendar.spread(available, wanted, gap)
            if len(run_days) < wanted:
                self._warn(
                    f"run-days-{phase.id}",
                    None,
                    Localized(
                        nl=f"Fase '{phase.name.nl}': {len(run_days)} van de {wanted} loopdagen passen in je dagen.",
                        en=f"Phase '{phase.name.en}': {len(run_days)} of {wanted} run days fit your available days.",
                    ),
                )
        strength_days: tuple[int, ...] = ()
        if phase.strength is not None:
            per_week = phase.strength.sessions_per_week
            if per_week == "daily":
                strength_days = available
            else:
                strength_days = calendar.strength_days(available, per_week, run_days)
                if len(strength_days) < per_week:
                    self._warn(
                        f"strength-days-{phase.id}",
                        None,
                        Localized(
                            nl=f"Fase '{phase.name.nl}': {len(strength_days)} van de {per_week} krachtdagen passen "
                            "zonder twee dagen achter elkaar.",
                            en=f"Phase '{phase.name.en}': {len(strength_days)} of {per_week} strength days fit "
                            "without two days in a row.",
                        ),
                    )
        cross_days: tuple[int, ...] = ()
        options: tuple[tuple[str, Duration], ...] = ()
        if phase.cross_training is not None:
            options = tuple(
                (o.exercise, o.dose)
                for o in phase.cross_training.options
                if self._has_access(ctx.exercises[o.exercise])
            )
            if options:
                cross_days = calendar.cross_days(
                    available, phase.cross_training.sessions_per_week, run_days, strength_days
                )
        return _Template(
            run_days, strength_days, cross_days, options, frozenset((*run_days, *strength_days, *cross_days))
        )

    def _has_access(self, exercise: Exercise) -> bool:
        access = self.context.profile.cross_training
        return all(getattr(access, _ACCESS[item]) for item in exercise.equipment if item in _ACCESS)

    # --- one week -----------------------------------------------------------------------------------------

    def _week(self, phase: Phase, template: _Template, week: int, week_start: dt.date, deload: bool) -> WeekSummary:
        """Plan (or replay) one week and return its summary for the overview."""
        self.strength_zone = None
        self.run_zone = None
        self.week_zone = None
        first_session = len(self.sessions)
        run_total = planned_run = 0.0
        sets = 0
        strength, strength_minutes, strength_sets = (
            self._strength_items(phase, week, deload) if template.strength_days else ((), 0.0, 0)
        )
        self._start_run_week(phase, template, week_start, deload)
        for offset in _DAYS_OF_WEEK:
            day = week_start + offset
            if day < self.as_of:
                fact = self.facts.get(day)
                if fact is not None:
                    self.sessions.append(fact)
                    self._follow_cross_turn(template, fact)
                    run_total += self._observe(phase, fact)
                    planned_run += fact.run_minutes
                    sets += _strength_sets(fact.items)
                continue
            weekday = day.weekday()
            if weekday not in template.days:
                continue
            session = self._session(phase, template, week, day, deload, strength, strength_minutes)
            if session is not None:
                self.sessions.append(session)
                run_total += self._observe(phase, session)
                planned_run += session.run_minutes
                if weekday in template.strength_days:  # where _session adds the week's strength items
                    sets += strength_sets
        if self.strength_zone is Zone.GREEN and not deload:
            self.step += 1
        elif self.strength_zone is Zone.RED:
            self.step = max(0, self.step - 1)
        self.last_run_zone = self.run_zone
        if self.week_zone is Zone.GREEN or len(self.sessions) == first_session:
            # A week with nothing to do cannot go wrong; one with sessions needs green logs to count.
            self.green_weeks += 1
        if not deload and run_total > 0:
            self.reference_week = run_total
        return WeekSummary(
            number=week,
            start=week_start,
            phase_id=phase.id,
            deload=deload,
            run_minutes=float(planned_run),
            sessions=len(self.sessions) - first_session,
            strength_sets=sets,
        )

    def _follow_cross_turn(self, template: _Template, fact: Session) -> None:
        """Continue the cross-training rotation after a session from the past, as the original plan did."""
        options = [exercise_id for exercise_id, _ in template.cross_options]
        for item in fact.items:
            if item.role is Role.CROSS_TRAINING and item.exercise_id in options:
                self.cross_turn = options.index(item.exercise_id) + 1

    def _session(
        self,
        phase: Phase,
        template: _Template,
        week: int,
        day: dt.date,
        deload: bool,
        strength: tuple[Item, ...],
        strength_minutes: float,
    ) -> Session | None:
        if day in self.rest_days or self._recovery_day(phase, day):
            return None
        weekday = day.weekday()
        items: list[Item] = []
        stage: int | None = None
        estimate = running = 0.0
        kind: SessionKind | None = None
        if weekday in template.run_days:
            run, stage = self._run_item(phase, day, deload)
            if run is not None:
                items.append(run.item)
                kind = SessionKind.RUN
                running = run.running
                estimate += run.minutes
        if weekday in template.strength_days and strength:
            items.extend(strength)
            kind = kind or SessionKind.STRENGTH
            estimate += strength_minutes
        if weekday in template.cross_days and kind is not SessionKind.RUN:
            cross = self._cross_item(phase, template, self.cross_turn % len(template.cross_options), deload)
            self.cross_turn += 1
            items.append(cross.item)
            kind = kind or SessionKind.CROSS_TRAINING
            estimate += cross.minutes
        if kind is None:
            return None
        return Session(
            id=day.isoformat().replace("-", "") + _ID_SUFFIX[kind],
            date=day,
            start=self.context.profile.preferred_time,
            minutes=max(10, 5 * math.ceil(estimate / 5)),
            kind=kind,
            phase_id=phase.id,
            week=week,
            items=tuple(items),
            stage=stage,
            step=self.step,
            run_minutes=float(running),
            deload=deload,
            revision=self.revision,
        )

    def _planned(self, item: Item) -> _Planned:
        pace = self.context.profile.easy_pace_min_per_km
        laterality = self.context.exercises[item.exercise_id].laterality
        running = run_minutes(item.dose, pace) if item.role is Role.RUN else 0.0
        return _Planned(item, estimated_minutes(item.dose, laterality, pace), float(running))

    def _cross_item(self, phase: Phase, template: _Template, turn: int, deload: bool) -> _Planned:
        key = (phase.id, turn, deload)
        planned = self.cross_memo.get(key)
        if planned is None:
            exercise_id, dose = template.cross_options[turn]
            item = Item(exercise_id, lighten(dose, self._factor) if deload else dose, Role.CROSS_TRAINING)
            planned = self.cross_memo[key] = self._planned(item)
        return planned

    @property
    def _factor(self) -> float:
        return self.context.protocol.deload.volume_factor

    def _recovery_day(self, phase: Phase, day: dt.date) -> bool:
        running = phase.running
        if not isinstance(running, Stages) or running.recovery_day_every == 0:
            return False
        return ((day - self.phase_start).days + 1) % running.recovery_day_every == 0

    def _run_item(self, phase: Phase, day: dt.date, deload: bool) -> tuple[_Planned | None, int | None]:
        running = phase.running
        if isinstance(running, Stages):
            last_run = self.last_run_day
            if last_run is not None and (day - last_run).days <= running.rest_days_between:
                return None, None
            number = min(self.stage, len(running.stages) - 1)
            runs = self.context.memo.runs
            # The pace turns distances into minutes, so it is part of the key.
            key: tuple[object, ...] = ("stage", phase.id, number, self.context.profile.easy_pace_min_per_km)
            planned = runs.get(key)
            if planned is None:
                item = Item(running.exercise, _stage_dose(running, number), Role.RUN)
                planned = runs[key] = self._planned(item)
            return planned, number + 1
        # The level as it stands today: a red run earlier in the week has already lowered it.
        minutes = _half_minutes(self.run_level * self._factor) if deload else self.run_level
        if running is None or minutes < 1:
            return None, None
        runs = self.context.memo.runs
        key = ("run", running.exercise, minutes, running.intensity)
        planned = runs.get(key)
        if planned is None:
            item = Item(running.exercise, Duration(minutes=minutes, intensity=running.intensity), Role.RUN)
            planned = runs[key] = self._planned(item)
        return planned, None

    def _strength_items(self, phase: Phase, week: int, deload: bool) -> tuple[tuple[Item, ...], float, int]:
        """The week's strength items, their estimated minutes, and their sets."""
        ctx = self.context
        # Everything the items follow from: the condition decides what is contraindicated and how fast the
        # rungs go by; the week only matters where a contraindication ends in one.
        key = (
            phase.id,
            self.step,
            deload,
            ctx.condition.id,
            ctx.profile.easy_pace_min_per_km,
            week if ctx.lapsing else 0,
        )
        memo = ctx.memo.strength.get(key)
        if memo is None:
            memo = ctx.memo.strength[key] = self._build_strength(phase, week, deload)
        items, minutes, sets, replaced = memo
        for exercise_id, replacement in replaced:
            self._warn_replaced(exercise_id, replacement, week)
        return items, minutes, sets

    def _build_strength(self, phase: Phase, week: int, deload: bool) -> _Strength:
        assert phase.strength is not None
        ctx = self.context
        planned = []
        replaced = []
        for n, rx in enumerate(phase.strength.exercises):
            every = (rx.progression.every_weeks if rx.progression is not None else 1) * (2 if ctx.slow else 1)
            rungs = ctx.ladders[(phase.id, n)]
            exercise_id, dose = rungs[rung_index(rungs, self.step, every)]
            allowed = self._allowed(exercise_id, week)
            if allowed != exercise_id:
                replaced.append((exercise_id, allowed))
            if allowed is not None:
                lightened = lighten(dose, self._factor) if deload else dose
                planned.append(self._planned(Item(allowed, lightened, Role.STRENGTH, rx.frequency)))
        items = tuple(p.item for p in planned)
        return items, sum(p.minutes for p in planned), _strength_sets(items), tuple(replaced)

    def _allowed(self, exercise_id: str, week: int) -> str | None:
        """The exercise, or its nearest easier variant, that is not contraindicated in ``week``."""
        blocked = self.context.blocked_until
        exercises = self.context.exercises
        current: str | None = exercise_id
        while current is not None and blocked.get(current, 0) > week:
            current = exercises[current].easier
        return current

    def _warn_replaced(self, exercise_id: str, replacement_id: str | None, week: int) -> None:
        exercises = self.context.exercises
        name = exercises[exercise_id].name
        replacement = exercises[replacement_id].name if replacement_id is not None else None
        self._warn(
            f"contraindicated-{exercise_id}",
            week,
            Localized(
                nl=f"'{name.nl}' past nog niet bij je klacht; "
                + (f"je doet '{replacement.nl}' in de plaats." if replacement else "deze oefening vervalt."),
                en=f"'{name.en}' does not suit your condition yet; "
                + (f"you do '{replacement.en}' instead." if replacement else "this exercise is left out."),
            ),
        )

    def _start_run_week(self, phase: Phase, template: _Template, week_start: dt.date, deload: bool) -> None:
        """Set the level of the continuous runs for a week of a build-up or maintain phase."""
        running = phase.running
        if not isinstance(running, BuildUp | Maintain):
            return
        if week_start >= self.as_of:
            if isinstance(running, BuildUp) and self.run_level <= 0:
                self.run_level = self._first_build_up_level(week_start)
            elif not deload and self.last_run_zone is Zone.GREEN:
                if isinstance(running, BuildUp):
                    goal = self.context.profile.goal.run_minutes
                    grown = self._grown(self.run_level, week_start, goal)
                    if grown <= self.run_level < goal:
                        self._warn_stalled()
                else:
                    # Maintain climbs back to its level after a setback, within the caps.
                    grown = self._grown(self.context.reentry, week_start, self.context.reentry)
                self.run_level = max(self.run_level, grown)
            self.run_level = self._within_weekly_cap(self.run_level, len(template.run_days), deload)
            self.run_levels.append(self.run_level)

    def _within_weekly_cap(self, level: float, runs: int, deload: bool) -> float:
        """``level``, shortened where needed so that the week's runs together stay within the weekly cap.

        The allowance is spread evenly over the week's runs: a week with more run days than the reference
        week gets shorter runs, not a bigger week. A deload week fits into the reference week itself before
        it is lightened, so it stays lighter than the weeks around it.
        """
        if self.reference_week <= 0 or runs <= 0:
            return level
        allowed = self.reference_week * (1 if deload else 1 + self.context.caps.weekly_increase)
        return min(level, _half_minutes(allowed / runs))

    def _first_build_up_level(self, day: dt.date) -> float:
        window = self._window_max(self.phase_start)
        if window > 0:
            return self._grown(window, day, float(self.context.profile.goal.run_minutes))
        self._warn(
            "no-recent-running",
            None,
            Localized(
                nl=f"Je hebt de laatste 30 dagen niet gelopen; de opbouw begint met {_FIRST_RUN_MINUTES} minuten.",
                en=f"You have not run in the last 30 days; the build-up starts at {_FIRST_RUN_MINUTES} minutes.",
            ),
        )
        return float(min(_FIRST_RUN_MINUTES, self.context.profile.goal.run_minutes))

    def _grown(self, level: float, day: dt.date, goal: float) -> float:
        """``level`` raised by the single-run cap, within the goal and the longest run of the last 30 days."""
        limit = min(goal, level * (1 + self.context.caps.single_run_increase))
        window = self._window_max(day)
        if window > 0:
            limit = min(limit, window * (1 + self.context.caps.single_run_increase))
        return _half_minutes(limit)

    def _warn_stalled(self) -> None:
        percent = round(self.context.caps.single_run_increase * 100)
        self._warn(
            "build-up-stalled",
            None,
            Localized(
                nl=f"Je loopt nu {self.run_level:g} minuten: zo'n korte loop kan binnen de grens van {percent}% "
                "per keer niet langer worden. Begin met het wandel/hardloopschema.",
                en=f"You run {self.run_level:g} minutes now: a run this short cannot grow within the {percent}% "
                "limit per run. Start with the walk/run table instead.",
            ),
        )

    def _window_max(self, day: dt.date) -> float:
        # Runs are recorded in date order, so the window is one slice.
        first = bisect.bisect_left(self.runs, (day - _WINDOW,))
        last = bisect.bisect_left(self.runs, (day,), lo=first)
        return max((minutes for _, minutes in self.runs[first:last]), default=0.0)

    # --- what happened ------------------------------------------------------------------------------------

    def _observe(self, phase: Phase, session: Session) -> float:
        """Update the state from a session: a logged one from the past, or a projected one (green).

        Returns the minutes of running it adds to the week.
        """
        if session.date < self.as_of:
            log = self.logs.get(session.id)
            done = log is None or log.completed
            zone = log.zone if log is not None else None
        else:
            done, zone = True, Zone.GREEN
        running = phase.running
        self.week_zone = _worst(self.week_zone, zone)
        staged = session.stage is not None and isinstance(running, Stages)
        # "Rest a day, then the previous stage" treats an amber stage run as red; other work keeps its zone.
        run_zone = zone
        if staged and isinstance(running, Stages) and running.on_symptoms is OnSymptoms.REST_THEN_PREVIOUS:
            run_zone = Zone.RED if zone is Zone.AMBER else zone
        if run_zone is Zone.RED:
            self.rest_days.add(session.date + dt.timedelta(days=1))
        roles = {item.role for item in session.items}
        if Role.STRENGTH in roles:
            self.step = session.step
            self.strength_zone = _worst(self.strength_zone, zone)
        if session.stage is not None and isinstance(running, Stages):
            self._observe_stage(running, session.stage - 1, run_zone)
        elif Role.RUN in roles:
            if not session.deload:
                self.run_level = session.run_minutes
            self.run_zone = _worst(self.run_zone, zone)
            if zone is Zone.RED:
                lower = [level for level in self.run_levels if level < self.run_level]
                self.run_level = lower[-1] if lower else _half_minutes(self.run_level * self._factor)
        if session.run_minutes > 0:
            self.last_run_day = session.date
        if done and session.run_minutes > 0:
            self.runs.append((session.date, session.run_minutes))
            return session.run_minutes
        return 0.0

    def _observe_stage(self, stages: Stages, stage: int, zone: Zone | None) -> None:
        needed = stages.min_sessions_per_stage + (1 if self.context.slow else 0)
        if zone is None:
            return
        if zone is Zone.RED:
            self.stage, self.stage_count = max(0, stage - 1), 0
            return
        last = len(stages.stages) - 1
        if stage != min(self.stage, last):
            self.stage, self.stage_count = stage, 0
        elif self.stage > last:
            # The table is done; more runs of its last stage keep it done while green, amber asks one more.
            if zone is Zone.AMBER:
                self.stage, self.stage_count = last, needed - 1
            return
        if zone is Zone.GREEN:
            self.stage_count += 1
            if self.stage_count >= needed:
                self.stage, self.stage_count = self.stage + 1, 0

    # --- reporting ----------------------------------------------------------------------------------------

    def _warn(self, key: str, week: int | None, message: Localized) -> None:
        if key not in self.warnings:
            self.warnings[key] = PlanWarning(code=key, message=message, week=week)

    def _cap_warnings(self) -> None:
        """Warn where a published walk/run table asks more than the load caps allow."""
        caps = self.context.caps
        stage_phases = {p.id: p for p in self.context.phases if isinstance(p.running, Stages)}
        exceeded: dict[str, list[int]] = {}
        for session in self.sessions:
            if session.stage is None or session.phase_id not in stage_phases:
                continue
            window = self._window_max(session.date)
            if window > 0 and session.run_minutes > window * (1 + caps.single_run_increase) + 1e-9:
                exceeded.setdefault(session.phase_id, []).append(session.week)
        for phase_id, weeks in exceeded.items():
            phase = stage_phases[phase_id]
            percent = round(caps.single_run_increase * 100)
            self._warn(
                f"stage-table-exceeds-cap-{phase_id}",
                weeks[0],
                Localized(
                    nl=f"Fase '{phase.name.nl}' volgt het gepubliceerde schema: {len(weeks)} keer is een loop meer dan "
                    f"{percent}% langer dan de langste loop van de 30 dagen ervoor (eerst in week {weeks[0]}). "
                    "Let extra goed op je klachten.",
                    en=f"Phase '{phase.name.en}' follows the published table: {len(weeks)} times a run is more than "
                    f"{percent}% longer than the longest run of the 30 days before (first in week {weeks[0]}). "
                    "Watch your symptoms closely.",
                ),
            )


def _stage_dose(stages: Stages, number: int) -> DoseValue:
    """A stage's dose, with the table's intensity target unless the stage sets its own."""
    dose = stages.stages[number]
    if stages.intensity is not None and dose.intensity is None:
        return dose.model_copy(update={"intensity": stages.intensity})
    return dose


def _strength_sets(items: Iterable[Item]) -> int:
    """Sets of strength work in ``items``: the overview chart's measure of strength volume."""
    return sum(
        item.dose.sets for item in items if item.role is Role.STRENGTH and isinstance(item.dose, SetsReps | SetsHold)
    )


def _half_minutes(minutes: float) -> float:
    """Rounded down to half a minute: runs stay easy to time and never round past a cap."""
    return math.floor(minutes * 2 + 1e-9) / 2


def _worst(current: Zone | None, new: Zone | None) -> Zone | None:
    if new is None:
        return current
    if current is None:
        return new
    return current if _ZONE_ORDER[current] >= _ZONE_ORDER[new] else new
