"""Safety invariants of the planner over thousands of generated clients."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import revalidatie as rv
from revalidatie.export.layout import layout
from revalidatie.model.exercise import Progression
from revalidatie.model.plan import Role
from revalidatie.model.protocol import BuildUp, DaySequence, Maintain, Phase, Stages
from revalidatie.planning.engine import MAX_WEEKS
from revalidatie.planning.running import ADDED_RUN_MINUTES, FIRST_RUN_MINUTES
from tests.strategies import flagged_profiles, log_for, profiles, zones

CATALOG = rv.load_catalog()
MANY = settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EPS = 1e-9


def _plan_or_none(profile: rv.ClientProfile) -> rv.Plan | None:
    """The plan, or None where the profile chose a protocol the client has already finished."""
    try:
        return rv.plan_programme(profile, CATALOG)
    except rv.ProfileError:
        assert profile.protocol is not None
        return None


def _phases(plan: rv.Plan) -> dict[str, Phase]:
    return {p.phase.id: p.phase for p in plan.phases}


def _caps(plan: rv.Plan, phase: Phase) -> tuple[float, float]:
    caps = phase.caps or plan.protocol.caps
    factor = 0.5 if plan.condition.progression is Progression.SLOW else 1.0
    return caps.single_run_increase * factor, caps.weekly_increase * factor


def _runs(plan: rv.Plan) -> Iterator[tuple[dt.date, float]]:
    longest = plan.profile.running.longest_run_last_30_days
    if longest > 0:
        yield plan.start - dt.timedelta(days=1), longest
    for session in plan.sessions:
        if session.run_minutes > 0:
            yield session.date, session.run_minutes


@MANY
@given(profiles())
def test_every_generated_plan_keeps_the_safety_rules(profile: rv.ClientProfile) -> None:
    try:
        plan = rv.plan_programme(profile, CATALOG)
    except rv.ProfileError as exc:
        # Only a chosen protocol the client has already finished may refuse to plan.
        assert profile.protocol is not None
        assert exc.problems[0].field == "protocol"
        return
    phases = _phases(plan)
    available = {day.number for day in profile.available_days}

    # Sessions: in order, on available weekdays, inside the plan, at the preferred time; a second session on
    # a day only for twice-daily exercises, at the morning time.
    assert [(s.date, s.start) for s in plan.sessions] == sorted((s.date, s.start) for s in plan.sessions)
    assert all(s.date.weekday() in available for s in plan.sessions)
    assert all(plan.start <= s.date <= plan.end for s in plan.sessions)
    assert len({s.id for s in plan.sessions}) == len(plan.sessions)
    for session in plan.sessions:
        if session.id.endswith("-2"):
            assert session.start == profile.twice_daily_time
            assert all(i.frequency is not None and i.frequency.times > 1 for i in session.items)
        else:
            assert session.start == profile.preferred_time
    main_days = [s.date for s in plan.sessions if not s.id.endswith("-2")]
    assert len(main_days) == len(set(main_days))

    # Length: no phase beyond its maximum, no plan beyond the sum of maxima or the hard limit.
    assert len(plan.weeks) <= min(MAX_WEEKS, sum(p.max_weeks for p in phases.values()))
    assert all(p.weeks <= p.phase.max_weeks for p in plan.phases)
    assert [w.number for w in plan.weeks] == list(range(1, len(plan.weeks) + 1))

    # Contraindicated exercises are never prescribed.
    for session in plan.sessions:
        for item in session.items:
            assert not plan.exercises[item.exercise_id].forbidden_for(plan.condition.id, session.week), (
                item.exercise_id,
                session.week,
            )

    # Rest days between runs, across phase boundaries too: a table's own rule, one day for continuous runs.
    # Strength never on two days in a row unless daily.
    previous_run: rv.Session | None = None
    previous_strength: rv.Session | None = None
    for session in plan.sessions:
        phase = phases[session.phase_id]
        if session.run_minutes > 0 or session.stage is not None:
            if previous_run is not None:
                running = phase.running
                rest = running.rest_days_between if isinstance(running, Stages) else 1
                if isinstance(running, DaySequence):
                    rest = 0
                assert (session.date - previous_run.date).days > rest, (previous_run.id, session.id)
            previous_run = session
        if any(item.role is Role.STRENGTH for item in session.items) and not session.id.endswith("-2"):
            daily = phase.strength is not None and phase.strength.sessions_per_week == "daily"
            if previous_strength is not None and previous_strength.phase_id == session.phase_id and not daily:
                assert (session.date - previous_strength.date).days >= 2
            previous_strength = session

    # Continuity: the first run of a phase is never shorter than the last full run before it (a deload week
    # excepted); in particular nobody who runs continuously is sent back to intervals with less running.
    last_full = 0.0
    for number, placed in enumerate(plan.phases):
        runs_here = [s for s in plan.sessions if s.phase_id == placed.phase.id and s.run_minutes > 0]
        if runs_here and number > 0 and not runs_here[0].deload and last_full > 0:
            assert runs_here[0].run_minutes >= last_full - EPS, (placed.phase.id, runs_here[0].id, last_full)
        full = [s.run_minutes for s in runs_here if not s.deload]
        if full:
            last_full = full[-1]

    # Re-entry at about half the weekly running before (minutes and runs), unless pain-free minutes or the
    # single-run cap are lower.
    first = plan.phases[0].phase.running
    history = profile.running
    first_week = [s for s in plan.sessions if s.week == 1 and s.run_minutes > 0]
    runs_now = history.pain_free_minutes > 0 and history.longest_run_last_30_days > 0 and profile.pain_now <= 2
    if not runs_now and isinstance(first, BuildUp):
        assert all(s.run_minutes <= FIRST_RUN_MINUTES for s in first_week)
    if runs_now and isinstance(first, Maintain | BuildUp) and first_week and history.weekly_minutes_before > 0:
        total = sum(s.run_minutes for s in first_week)
        wanted = history.weekly_minutes_before * history.reentry_fraction
        first_phase = next(p for p in plan.protocol.phases if isinstance(p, Phase))
        single_cap, _ = _caps(plan, first_phase)  # re-entry keeps the first phase's caps
        limit = min(history.pain_free_minutes, history.longest_run_last_30_days * (1 + single_cap))
        assert total <= wanted + 0.1 * history.weekly_minutes_before + EPS
        # Below the fraction (by more than rounding to half minutes) only where pain-free minutes, the
        # single-run cap or fewer available run days limit it.
        if total < wanted - 0.5 * len(first_week) - EPS:
            runs_wanted = max(1, round(history.runs_per_week_before * history.reentry_fraction + 0.01))
            assert all(s.run_minutes >= limit - 0.5 - EPS for s in first_week) or len(first_week) < runs_wanted
    if profile.pain_now > 2:
        assert not [s for s in plan.sessions if s.run_minutes > 0 and isinstance(phases[s.phase_id].running, Maintain)]

    # Build-up weeks with two runs or more have one long run, the week's last; easy runs are shorter.
    for week in plan.weeks:
        if not isinstance(phases[week.phase_id].running, BuildUp):
            continue
        week_runs = [s for s in plan.sessions if s.week == week.number and s.run_minutes > 0]
        if len(week_runs) >= 2:
            assert week_runs[-1].run_minutes == max(s.run_minutes for s in week_runs)

    # Single-run cap for every generated (non-table) run, against the 30 days before it.
    runs = list(_runs(plan))
    for session in plan.sessions:
        if session.run_minutes <= 0 or session.stage is not None:
            continue
        window = [m for d, m in runs if session.date - dt.timedelta(days=30) <= d < session.date]
        if window:
            single_cap, _ = _caps(plan, phases[session.phase_id])
            assert session.run_minutes <= max(window) * (1 + single_cap) + EPS

    # Weekly cap against the larger of the last two full weeks with running; deload weeks are lighter. A week
    # that adds a run day may exceed the cap by that one short run (docs/decisions/0004).
    every = plan.protocol.deload.every_weeks
    full_weeks: list[tuple[float, int]] = []
    for week in plan.weeks:
        reference, reference_runs = max(full_weeks[-2:], default=(0.0, 0))
        phase = phases[week.phase_id]
        week_runs = [s for s in plan.sessions if s.week == week.number and s.run_minutes > 0]
        assert week.deload == (phase.deload and every > 0 and week.number % every == 0)
        table = isinstance(phase.running, Stages | DaySequence)
        _, weekly_cap = _caps(plan, phase)
        if not table and week.run_minutes > 0 and reference > 0:
            added = ADDED_RUN_MINUTES if len(week_runs) > reference_runs else 0.0
            assert week.run_minutes <= reference * (1 + weekly_cap) + added + EPS
        if week.deload and week.run_minutes > 0 and reference > 0:
            assert week.run_minutes <= reference * plan.protocol.deload.volume_factor + EPS
        if not week.deload and week.run_minutes > 0:
            full_weeks.append((week.run_minutes, len(week_runs)))


@MANY
@given(flagged_profiles())
def test_red_flags_always_stop_planning(profile: rv.ClientProfile) -> None:
    try:
        rv.plan_programme(profile, CATALOG)
    except rv.ReferralRequired as exc:
        flagged = {flag for flag, yes in profile.screening.answers.items() if yes}
        assert {f.flag_id for f in exc.findings} <= flagged
        assert exc.findings
    else:
        raise AssertionError("a plan was made despite a red flag")


@SOME
@given(profiles(), profiles())
def test_a_plan_does_not_depend_on_the_plans_made_before_it(other: rv.ClientProfile, profile: rv.ClientProfile) -> None:
    """Plans on one catalog share the items they build; what one client gets never leaks into the next."""
    fresh = attrs.evolve(CATALOG)  # a copy with nothing derived yet
    try:
        alone = rv.plan_programme(profile, fresh)
    except rv.ProfileError:
        return
    used = attrs.evolve(CATALOG)
    with contextlib.suppress(rv.ProfileError):
        rv.plan_programme(other, used)
    assert rv.plan_to_json(rv.plan_programme(profile, used)) == rv.plan_to_json(alone)


@SOME
@given(profiles())
def test_same_input_gives_the_same_plan(profile: rv.ClientProfile) -> None:
    first, second = _plan_or_none(profile), _plan_or_none(profile)
    if first is None:
        return
    assert first == second
    assert rv.plan_to_json(first) == rv.plan_to_json(second)
    assert rv.plan_from_json(rv.plan_to_json(first)) == first


@SOME
@given(profiles(), st.data())
def test_revise_never_changes_the_past_and_red_never_progresses(profile: rv.ClientProfile, data: st.DataObject) -> None:
    plan = _plan_or_none(profile)
    if plan is None:
        return
    cut = data.draw(st.integers(0, len(plan.sessions)))
    as_of = plan.sessions[cut].date if cut < len(plan.sessions) else plan.end + dt.timedelta(days=1)
    past = [s for s in plan.sessions if s.date < as_of]
    chosen = data.draw(st.lists(zones, min_size=len(past), max_size=len(past)))
    logs = [log for s, z in zip(past, chosen, strict=True) if (log := log_for(s, z)) is not None]
    revised = rv.revise(plan, logs, as_of)

    assert revised.id == plan.id
    assert revised.revision == plan.revision + 1
    kept = [s for s in revised.sessions if s.date < as_of]
    assert [attrs.evolve(s, revision=0) for s in kept] == [attrs.evolve(s, revision=0) for s in past]
    # A session's event names its exercise cards' handout pages: when a card moved, the session (past ones
    # too) takes the new revision; otherwise an unchanged session keeps its revision.
    before, after = layout(plan).card_pages, layout(revised).card_pages
    old = {s.id: s for s in plan.sessions}
    for session in revised.sessions:
        moved = any(before.get(i.exercise_id) != after.get(i.exercise_id) for i in session.items)
        if session.id in old and old[session.id].same_content(session):
            expected = revised.revision if moved else old[session.id].revision
            assert session.revision == expected
        elif session.date >= as_of:
            assert session.revision == revised.revision

    # After a red walk/run session, the next one is at an earlier stage (or stage 1), after a rest day.
    zone_of = {log.session_id: log.zone for log in logs}
    staged = [s for s in past if s.stage is not None and s.id in zone_of]
    future = [s for s in revised.sessions if s.date >= as_of]
    if staged and zone_of[staged[-1].id] is rv.Zone.RED:
        red = staged[-1]
        following = next((s for s in future if s.stage is not None and s.phase_id == red.phase_id), None)
        if following is not None:
            assert following.stage is not None
            assert following.stage <= max(1, red.stage - 1) if red.stage is not None else True
    last_logged = past[-1] if past else None
    if last_logged is not None and zone_of.get(last_logged.id) is rv.Zone.RED:
        next_day = last_logged.date + dt.timedelta(days=1)
        assert all(s.date != next_day for s in future)


@SOME
@given(profiles())
def test_revising_without_news_changes_nothing(profile: rv.ClientProfile) -> None:
    plan = _plan_or_none(profile)
    if plan is None:
        return
    again = rv.revise(plan, [], plan.start)
    assert again.sessions == plan.sessions
    assert again.cancelled == ()
    assert again.history[-1].changed == 0


@SOME
@given(profiles(), st.data())
def test_a_pause_stops_every_session_and_a_resume_goes_on_without_a_jump(
    profile: rv.ClientProfile, data: st.DataObject
) -> None:
    plan = _plan_or_none(profile)
    if plan is None or not plan.red_flags:
        return
    cut = data.draw(st.integers(0, len(plan.sessions) - 1))
    since = plan.sessions[cut].date
    flags = data.draw(st.lists(st.sampled_from([f.id for f in plan.red_flags]), min_size=1, max_size=3))
    paused = rv.pause(plan, since, flags)
    assert paused.paused is not None
    assert paused.paused.flags == tuple(dict.fromkeys(flags))
    assert [s.date for s in paused.sessions] == [s.date for s in plan.sessions if s.date < since]
    with contextlib.suppress(rv.ProfileError):
        rv.revise(paused, [], since + dt.timedelta(days=1))
        raise AssertionError("a paused plan was revised")

    gap = data.draw(st.integers(0, 28))
    again = since + dt.timedelta(days=gap)
    resumed = rv.resume(paused, [], again)
    assert resumed.paused is None
    assert resumed.revision == plan.revision + 2
    assert not [s for s in resumed.sessions if since <= s.date < again]
    before = [s for s in resumed.sessions if s.date < since]
    assert [attrs.evolve(s, revision=0) for s in before] == [attrs.evolve(s, revision=0) for s in paused.sessions]
    # A pause never puts the client ahead: the first run after it is at most one step (the single-run cap) above
    # what the plan without a pause had asked for by that day.
    first_after = next((s for s in resumed.sessions if s.date >= again and s.run_minutes > 0), None)
    if first_after is not None:
        by_then = [s.run_minutes for s in plan.sessions if s.date <= first_after.date and s.run_minutes > 0]
        single, _ = _caps(plan, _phases(resumed)[first_after.phase_id])
        assert first_after.run_minutes <= max(by_then, default=0.0) * (1 + single) + 0.5 + EPS
    events = rv.render_ics(resumed).decode().split("BEGIN:VEVENT")[1:]
    uids = [next(line for line in event.splitlines() if line.startswith("UID:")) for event in events]
    assert len(uids) == len(set(uids))
    assert rv.plan_from_json(rv.plan_to_json(resumed)) == resumed
