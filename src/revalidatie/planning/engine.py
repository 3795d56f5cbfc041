"""The planner's entry points: plan a programme, and revise it with the client's logs.

:func:`plan_programme` runs the simulation (``simulation.py``) from the start date assuming every future
session goes well (green). :func:`revise` keeps the sessions before ``as_of`` as they were, replays them with
the client's logs to find where the client really is, and runs the simulation on from there; sessions that
come out the same keep their id and revision. Progress needs evidence: a week moves the programme on only
when its logged (or, in the projection, planned) sessions are green.

:func:`pause` stops a plan when the client reports red-flag signs: every session from the pause on is
cancelled, and :func:`revise` refuses the plan until the physio, having seen the client, calls
:func:`resume`, which plans on from the sessions done before the pause.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from zoneinfo import ZoneInfo

import attrs

from .._naming import plan_id
from ..catalog import Catalog
from ..errors import Problem, ProfileError, error_message
from ..model.exercise import Exercise
from ..model.log import SessionLog
from ..model.plan import (
    MAX_REVISION,
    AppliedLog,
    CancelledSession,
    Pause,
    Plan,
    RevisionNote,
    Session,
    SessionKind,
)
from ..model.profile import ClientProfile
from ..model.protocol import Phase, Protocol
from .caps import MAX_WEEKS
from .screening import require_clear, resolve
from .simulation import Memo, Setting, Simulation
from .strength import Ladders

__all__ = ["MAX_WEEKS", "pause", "plan_programme", "resume", "revise"]


@attrs.frozen
class _Prepared:
    """What every plan on a protocol shares: the protocol with its includes in place, ladders, exercises."""

    protocol: Protocol
    ladders: Ladders
    exercises: Mapping[str, Exercise]
    memo: Memo


# The planner's own cache: per catalog (while it lives) and protocol. A catalog never changes once loaded
# (its mappings are read-only), so what is derived from it stays true, and a caseload derives it once.
_PREPARED: weakref.WeakKeyDictionary[Catalog, dict[str, _Prepared]] = weakref.WeakKeyDictionary()


def _prepared(catalog: Catalog, protocol: Protocol) -> _Prepared:
    per_catalog = _PREPARED.setdefault(catalog, {})
    found = per_catalog.get(protocol.id)
    if found is None:
        phases = catalog.phases(protocol.id)
        # The plan carries the protocol with included protocols put in place, so revise() needs no catalog.
        protocol = protocol.model_copy(update={"phases": phases})
        rungs = Ladders(phases, catalog.exercises)
        exercises = MappingProxyType(_reachable_exercises(phases, catalog.exercises, rungs))
        found = per_catalog[protocol.id] = _Prepared(protocol, rungs, exercises, Memo())
    return found


def _reachable_exercises(
    phases: Iterable[Phase], exercises: Mapping[str, Exercise], rungs: Ladders
) -> dict[str, Exercise]:
    """Every exercise the phases name, with the variants reachable along their ladders."""
    wanted: set[str] = rungs.exercise_ids()
    for phase in phases:
        wanted.update(test.exercise for test in (*phase.entry, *phase.exit))
        if phase.cross_training is not None:
            wanted.update(option.exercise for option in phase.cross_training.options)
        running = phase.running
        if running is not None:
            wanted.add(running.exercise)
            wanted.update(drill.exercise for drill in running.drills)
            if running.kind in ("stages", "days"):
                wanted.add(running.walk_exercise)
            if running.kind == "build-up":
                wanted.add(running.long_run_exercise)
    for exercise_id in list(wanted):
        easier = exercises[exercise_id].easier
        while easier is not None and easier not in wanted:
            wanted.add(easier)
            easier = exercises[easier].easier
    return {exercise_id: exercises[exercise_id] for exercise_id in sorted(wanted)}


def _phases(protocol: Protocol) -> tuple[Phase, ...]:
    return tuple(entry for entry in protocol.phases if isinstance(entry, Phase))


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
    prepared = _prepared(catalog, protocol)
    protocol, exercises = prepared.protocol, prepared.exercises
    at = _utc(issued_at) if issued_at is not None else _midnight_utc(profile.start_date, profile.timezone)
    setting = Setting(profile, condition, protocol, _phases(protocol), exercises, prepared.ladders, prepared.memo)
    result = Simulation(setting, as_of=profile.start_date, revision=1).run()
    if not result.phases:
        raise ProfileError(
            [
                Problem(
                    source,
                    "protocol",
                    error_message("error.plan-nothing-to-do", protocol=repr(protocol.id)),
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
        history=(RevisionNote(number=1, at=at, as_of=profile.start_date, changed=len(sessions), cancelled=0, logs=()),),
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

    Green sessions (pain 0-2, back to baseline next morning) let the programme progress; amber and red
    follow the running protocol's symptom rules (by default amber holds the stage, red rests a day and
    steps back one stage). Sessions before ``as_of`` never change; future sessions that stay the same keep
    their id and revision.

    Args:
        plan: The current plan.
        logs: The client's reports; each names a session of ``plan``, on that session's day.
        as_of: First day that may change (usually today).
        revised_at: When the revision is made; defaults to midnight of ``as_of`` in the client's zone.
        source: Name of the logs' file, for error messages.

    Raises:
        ProfileError: The plan is paused (see :func:`resume`); a log names a session the plan does not have,
            a session on or after ``as_of``, is dated another day than its session, or two logs name the
            same session.

    """
    if plan.paused is not None:
        raise ProfileError([_paused_problem(plan, plan.paused, source)])
    outcomes = _checked_logs(plan, tuple(logs), as_of, source)
    _check_revision_room(plan, source)
    number = plan.revision + 1
    at = _utc(revised_at) if revised_at is not None else _midnight_utc(as_of, plan.profile.timezone)
    phases = _phases(plan.protocol)
    setting = Setting(
        plan.profile, plan.condition, plan.protocol, phases, plan.exercises, Ladders(phases, plan.exercises), Memo()
    )
    facts: dict[dt.date, tuple[Session, ...]] = {}
    for session in plan.sessions:
        if session.date < as_of:
            facts[session.date] = (*facts.get(session.date, ()), session)
    result = Simulation(setting, as_of=as_of, revision=number, facts=facts, logs=outcomes, old_phases=plan.phases).run()
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
    revised = attrs.evolve(
        plan,
        phases=result.phases,
        weeks=result.weeks,
        sessions=tuple(sessions),
        cancelled=cancelled,
        warnings=result.warnings,
        revision=number,
        revised_at=at,
    )
    revised, moved = _with_moved_cards(plan, revised)
    note = RevisionNote(number, at, as_of, changed + moved, len(old_future), _applied(plan, outcomes))
    return attrs.evolve(revised, history=(*plan.history, note))


def pause(
    plan: Plan,
    as_of: dt.date,
    flags: Iterable[str],
    *,
    paused_at: dt.datetime | None = None,
    source: str = "<pause>",
) -> Plan:
    """Stop the plan because the client reported red-flag signs; the next revision of the same plan.

    Every session on or after ``as_of`` is cancelled, so the calendar keeps only the sessions before the
    pause and one event that tells the client to contact the physio. A plan that is already paused keeps
    its pause day and gains the flags it did not have; when every flag is known already, ``plan`` is
    returned unchanged. Go on with :func:`resume` once the physio has seen the client.

    Args:
        plan: The current plan.
        as_of: The first day without sessions (usually the client's today); a plan already paused keeps its day.
        flags: Ids of the plan's red flags the client reported (``plan.red_flags``).
        paused_at: When; defaults to midnight of ``as_of`` in the client's zone.
        source: Where the flags come from, for error messages.

    Raises:
        ProfileError: No flag is given, or a flag is not one of the plan's red flags.

    """
    reported = tuple(dict.fromkeys(flags))
    known = {flag.id for flag in plan.red_flags}
    choose = error_message("error.pause-unknown-flag", known=", ".join(sorted(known)))
    problems = [
        Problem(source, f"flags[{n}]", choose, repr(f)) for n, f in enumerate(reported, start=1) if f not in known
    ]
    if not reported:
        problems.append(Problem(source, "flags", error_message("error.pause-no-flag")))
    if problems:
        raise ProfileError(problems)
    current = plan.paused
    if current is not None and set(reported) <= set(current.flags):
        return plan
    _check_revision_room(plan, source)
    number = plan.revision + 1
    at = _utc(paused_at) if paused_at is not None else _midnight_utc(as_of, plan.profile.timezone)
    kept: tuple[Session, ...]
    gone: tuple[Session, ...]
    if current is not None:
        added = tuple(flag for flag in reported if flag not in current.flags)
        pauses = (*plan.pauses[:-1], attrs.evolve(current, flags=current.flags + added, changed=number))
        kept, gone = plan.sessions, ()
        as_of = current.since
    else:
        pauses = (*plan.pauses, Pause(revision=number, since=as_of, flags=reported, changed=number))
        kept = tuple(s for s in plan.sessions if s.date < as_of)
        gone = tuple(s for s in plan.sessions if s.date >= as_of)
    stopped = attrs.evolve(
        plan,
        sessions=kept,
        cancelled=plan.cancelled + tuple(CancelledSession(s, number) for s in gone),
        revision=number,
        revised_at=at,
        pauses=pauses,
    )
    stopped, moved = _with_moved_cards(plan, stopped)
    note = RevisionNote(number, at, as_of, moved, len(gone), ())
    return attrs.evolve(stopped, history=(*plan.history, note))


def resume(
    plan: Plan,
    logs: Iterable[SessionLog],
    as_of: dt.date,
    *,
    revised_at: dt.datetime | None = None,
    source: str = "<logs>",
) -> Plan:
    """Go on with a paused plan from ``as_of``, once the physio has seen the client; the next revision.

    The plan is revised as :func:`revise` does, from the sessions done before the pause and ``logs``; the days
    of the pause count as rest. When the findings change the programme, make a new plan from the profile
    instead.

    Raises:
        ProfileError: The plan is not paused, ``as_of`` is before the pause, or a log is not valid (as
            :func:`revise`).

    """
    current = plan.paused
    if current is None:
        raise ProfileError([Problem(source, "plan", error_message("error.resume-not-paused"), repr(plan.id))])
    if as_of < current.since:
        raise ProfileError(
            [
                Problem(
                    source,
                    "as_of",
                    error_message("error.resume-before-pause", since=current.since.isoformat()),
                    as_of.isoformat(),
                )
            ]
        )
    _check_revision_room(plan, source)
    ended = attrs.evolve(current, resumed=True, changed=plan.revision + 1)
    return revise(
        attrs.evolve(plan, pauses=(*plan.pauses[:-1], ended)), logs, as_of, revised_at=revised_at, source=source
    )


def _paused_problem(plan: Plan, current: Pause, source: str) -> Problem:
    reported = ", ".join(current.flags)
    return Problem(
        source,
        "plan",
        error_message("error.plan-paused", since=current.since.isoformat(), flags=reported),
        repr(plan.id),
    )


def _check_revision_room(plan: Plan, source: str) -> None:
    if plan.revision >= MAX_REVISION:
        raise ProfileError(
            [
                Problem(
                    source,
                    "revision",
                    error_message("error.revise-last-revision", last=MAX_REVISION),
                    str(plan.revision),
                )
            ]
        )


def _applied(plan: Plan, logs: Mapping[str, SessionLog]) -> tuple[AppliedLog, ...]:
    """A record of each log a revision applied, in the plan's session order, as the planner read it."""
    return tuple(
        AppliedLog(
            session_id=session.id,
            date=session.date,
            kind=session.kind,
            completed=log.completed,
            pain_before=log.pain_before,
            pain_during=log.pain_during,
            pain_next_morning=log.pain_next_morning,
            swelling=log.swelling,
            zone=log.zone,
            check_passed=log.passes_check if session.kind is SessionKind.CHECK else None,
        )
        for session in plan.sessions
        if (log := logs.get(session.id)) is not None
    )


def _with_moved_cards(old: Plan, new: Plan) -> tuple[Plan, int]:
    """``new`` with every unchanged session whose exercise cards moved to another handout page changed too.

    A calendar event names the handout page of each exercise card; when a revision moves a card, the events
    that name it change, so they take the new revision (and their SEQUENCE grows with it). Returns the plan
    and how many sessions changed only for that.
    """
    from ..export.layout import layout  # the handout's pages follow from the plan alone

    before, after = layout(old).card_pages, layout(new).card_pages
    if before == after:
        return new, 0
    moved = 0
    sessions = []
    for session in new.sessions:
        if session.revision != new.revision and any(
            before.get(item.exercise_id) != after.get(item.exercise_id) for item in session.items
        ):
            session = attrs.evolve(session, revision=new.revision)
            moved += 1
        sessions.append(session)
    return attrs.evolve(new, sessions=tuple(sessions)), moved


def _checked_logs(plan: Plan, logs: tuple[SessionLog, ...], as_of: dt.date, source: str) -> dict[str, SessionLog]:
    by_id = {s.id: s for s in plan.sessions}
    problems = []
    outcomes: dict[str, SessionLog] = {}
    for n, log in enumerate(logs, start=1):
        session = by_id.get(log.session_id)
        field = f"log[{n}]"
        if session is None:
            problems.append(
                Problem(source, f"{field}.session_id", error_message("error.log-unknown-session"), repr(log.session_id))
            )
        elif session.date >= as_of:
            problems.append(
                Problem(
                    source,
                    f"{field}.session_id",
                    error_message("error.log-after-revision-day", day=as_of.isoformat()),
                    repr(log.session_id),
                )
            )
        elif log.date != session.date:
            problems.append(
                Problem(
                    source,
                    f"{field}.date",
                    error_message("error.log-wrong-day", session=repr(log.session_id), day=session.date.isoformat()),
                    log.date.isoformat(),
                )
            )
        elif log.session_id in outcomes:
            problems.append(
                Problem(source, f"{field}.session_id", error_message("error.log-twice"), repr(log.session_id))
            )
        else:
            outcomes[log.session_id] = log
    if problems:
        raise ProfileError(problems)
    return outcomes


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("give an aware datetime (with a time zone) for the revision time")
    return moment.astimezone(dt.UTC)


def _midnight_utc(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)
