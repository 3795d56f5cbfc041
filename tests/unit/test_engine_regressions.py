"""Planner behaviours that once were wrong; each test is named for what broke."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import attrs
import pytest

import revalidatie as rv
from revalidatie.model.plan import Role
from revalidatie.planning import calendar
from revalidatie.planning.progression import ladder
from tests.strategies import log_for

EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
BIKE = {"bike": True}


def _profile(catalog: rv.Catalog, condition: str, **extra: Any) -> rv.ClientProfile:
    data: dict[str, Any] = {
        "name": "Test Client",
        "condition": condition,
        "side": "right",
        "confirmed_by": "Dr. Bakker",
        "start_date": "2027-01-04",
        "available_days": EVERY_DAY,
        "screening": {"answers": dict.fromkeys(catalog.red_flags, False)},
        **extra,
    }
    return rv.parse_profile(data)


@pytest.fixture(scope="module")
def shapes(data_dir_module: Path) -> rv.Catalog:
    return rv.load_catalog(data_dir_module / "catalogs" / "phase-shapes")


@pytest.fixture(scope="module")
def data_dir_module() -> Path:
    return Path(__file__).parent.parent / "data"


def _runs(plan: rv.Plan, phase_id: str) -> list[rv.Session]:
    return [s for s in plan.sessions if s.phase_id == phase_id and s.run_minutes > 0]


def test_the_last_walk_run_stage_ends_the_table_instead_of_starting_over(catalog: rv.Catalog) -> None:
    profile = _profile(catalog, "hip-overload", protocol="walk-run-20")
    plan = rv.plan_programme(profile, catalog)
    final = [s for s in plan.sessions if s.stage == 19]
    second = final[1]
    # Runs of the last stage after its second green run only fill the rest of that week; the phase then ends.
    assert all(s.week == second.week for s in final[2:])
    walk_run = next(p for p in plan.phases if p.phase.id == "walk-run")
    assert walk_run.end == plan.start + dt.timedelta(weeks=second.week, days=-1)


def test_a_build_up_that_starts_in_a_deload_week_still_runs(shapes: rv.Catalog) -> None:
    running = {
        "pain_free_minutes": 20,
        "longest_run_last_30_days": 20,
        "weekly_minutes_before": 80,
        "runs_per_week_before": 2,
    }
    profile = _profile(shapes, "hip-overload", protocol="strength-then-build-up", running=running)
    plan = rv.plan_programme(profile, shapes)
    week_4 = [s for s in plan.sessions if s.week == 4]
    assert all(s.deload for s in week_4)
    assert any(s.run_minutes > 0 for s in week_4)


def test_a_short_build_up_keeps_growing_below_ten_minutes(catalog: rv.Catalog) -> None:
    running = {
        "pain_free_minutes": 6,
        "longest_run_last_30_days": 6,
        "weekly_minutes_before": 24,
        "runs_per_week_before": 2,
    }
    profile = _profile(catalog, "hip-overload", protocol="build-up", running=running, goal={"run_minutes": 9})
    plan = rv.plan_programme(profile, catalog)
    runs = [s for s in _runs(plan, "build-up") if not s.deload]
    long_runs = [max(s.run_minutes for s in runs if s.week == week) for week in sorted({s.week for s in runs})]
    assert long_runs[0] < 9
    assert long_runs[-1] == 9
    assert long_runs == sorted(long_runs)
    assert not any(w.code.startswith("phase-max") for w in plan.warnings)


def test_a_build_up_after_walk_run_keeps_run_length_and_rest_days(catalog: rv.Catalog) -> None:
    # Before: the weekly allowance was spread over more run days, so runs got shorter at the phase change and
    # two of them fell on consecutive days.
    profile = _profile(
        catalog,
        "itbs",
        available_days=["mon", "wed", "fri", "sat", "sun"],
        running={"runs_per_week_before": 4, "weekly_minutes_before": 200},
    )
    plan = rv.plan_programme(profile, catalog)
    walk_run = _runs(plan, "walk-run")
    build_up = _runs(plan, "build-up")
    assert build_up[0].run_minutes >= walk_run[-1].run_minutes
    runs = [*walk_run, *build_up]
    assert all((b.date - a.date).days >= 2 for a, b in itertools.pairwise(runs))
    weekly = [w for w in plan.weeks if w.phase_id == "build-up"]
    assert max(w.run_minutes for w in weekly) > weekly[0].run_minutes


@pytest.mark.parametrize("example", ["gluteal-tendinopathy", "itbs", "hip-overload"])
def test_an_all_green_revision_changes_nothing_ahead(catalog: rv.Catalog, example: str) -> None:
    # Cross-training rotation, strength steps and stages replayed from green logs match the projection.
    profile = rv.load_profile(Path(__file__).parents[2] / "examples" / "profiles" / f"{example}.toml")
    plan = rv.plan_programme(profile, catalog)
    as_of = plan.start + dt.timedelta(weeks=5, days=2)
    logs = [log for s in plan.sessions if s.date < as_of if (log := log_for(s, "green")) is not None]
    revised = rv.revise(plan, logs, as_of)
    assert revised.sessions == plan.sessions
    assert revised.history[-1].changed == 0


def test_slow_conditions_stay_longer_in_phases_without_running(shapes: rv.Catalog) -> None:
    standard = rv.plan_programme(
        _profile(shapes, "hip-overload", protocol="cross-training-only", cross_training=BIKE), shapes
    )
    slow = rv.plan_programme(
        _profile(shapes, "labral-tear", protocol="cross-training-only", cross_training=BIKE), shapes
    )
    assert standard.phases[0].weeks == 2
    assert slow.phases[0].weeks == 3


def test_a_cross_training_phase_ends_when_its_weeks_are_green(shapes: rv.Catalog) -> None:
    plan = rv.plan_programme(
        _profile(shapes, "hip-overload", protocol="cross-training-only", cross_training=BIKE), shapes
    )
    assert plan.phases[0].weeks == 2
    assert not plan.warnings


def test_one_red_run_in_a_maintain_phase_does_not_shorten_every_later_run(catalog: rv.Catalog) -> None:
    running = {
        "pain_free_minutes": 20,
        "longest_run_last_30_days": 20,
        "weekly_minutes_before": 80,
        "runs_per_week_before": 2,
    }
    plan = rv.plan_programme(_profile(catalog, "hip-overload", running=running), catalog)
    # The strength phase keeps running at the re-entry level for several weeks.
    maintain = [s for s in plan.sessions if s.run_minutes > 0 and s.phase_id == "strength" and not s.deload]
    level = max(s.run_minutes for s in maintain)
    red_run = maintain[0]
    log = log_for(red_run, "red")
    assert log is not None
    revised = rv.revise(plan, [log], red_run.date + dt.timedelta(days=1))
    later = [s for s in revised.sessions if s.date > red_run.date and s.phase_id == "strength" and s.run_minutes]
    lowest = min(s.run_minutes for s in later)
    assert lowest < level
    # It climbs back within the caps instead of staying down for the rest of the phase.
    assert lowest < later[-1].run_minutes <= level


def test_an_amber_run_and_strength_day_on_rest_then_previous_keeps_the_strength_step(shapes: rv.Catalog) -> None:
    # Under "rest a day, then the previous stage" an amber stage run counts as red; the strength that day stays amber.
    profile = _profile(shapes, "hip-overload", protocol="rest-then-previous", available_days=["mon", "wed", "fri"])
    plan = rv.plan_programme(profile, shapes)
    both = [s for s in plan.sessions if s.stage is not None and any(i.role is Role.STRENGTH for i in s.items)]
    amber = next(s for s in both if s.step > 0 and s.stage is not None and s.stage > 1)
    log = log_for(amber, "amber")
    assert log is not None
    revised = rv.revise(plan, [log], amber.date + dt.timedelta(days=1))
    after = [s for s in revised.sessions if s.date > amber.date]
    assert all(s.date != amber.date + dt.timedelta(days=1) for s in after)  # the rest day
    assert amber.stage is not None
    assert next(s for s in after if s.stage is not None).stage == amber.stage - 1  # the previous stage
    assert min(s.step for s in after) >= amber.step  # strength held, not stepped back


def test_logs_on_or_after_the_revision_day_are_an_error(catalog: rv.Catalog) -> None:
    plan = rv.plan_programme(_profile(catalog, "hip-overload"), catalog)
    future = plan.sessions[5]
    log = log_for(future, "green")
    assert log is not None
    with pytest.raises(rv.ProfileError, match="on or after the revision day"):
        rv.revise(plan, [log], future.date)


def test_a_harder_variant_dosed_another_way_starts_at_its_own_dose(catalog: rv.Catalog) -> None:
    functional = next(p for p in catalog.phases("hip-overload") if p.id == "functional")
    assert functional.strength is not None
    side_plank = next(rx for rx in functional.strength.exercises if rx.exercise == "side-plank")
    rungs = ladder(side_plank, catalog.exercises)
    kinds = {exercise_id: type(dose) for exercise_id, dose in rungs}
    assert kinds["side-plank"] is rv.SetsHold
    assert kinds["side-plank-abduction"] is rv.SetsReps


def test_cross_training_days_are_spread_over_the_week() -> None:
    assert calendar.cross_days((0, 1, 2, 3, 4, 5, 6), 2, (0, 3), ()) == (1, 4)


def test_plans_sharing_a_catalog_keep_their_own_contraindications(catalog: rv.Catalog) -> None:
    """Strength items are shared between plans on one protocol; the condition is part of what they follow from.

    Two conditions with contraindications ending in the same week differ only in which exercise they rule
    out, so nothing but the condition tells their items apart.
    """
    from types import MappingProxyType

    import attrs

    from revalidatie.model.common import Localized
    from revalidatie.model.exercise import Contraindication

    reason = Localized(nl="Nog niet.", en="Not yet.")
    twin = catalog.conditions["hip-overload"].model_copy(update={"id": "hip-overload-twin", "aliases": ()})
    exercises = dict(catalog.exercises)
    for exercise_id, condition in (("clamshell", "hip-overload-twin"), ("bridge-double-leg", "hip-overload")):
        rule = Contraindication(condition=condition, allowed_from_week=30, reason=reason)
        exercises[exercise_id] = exercises[exercise_id].model_copy(update={"contraindications": (rule,)})
    conditions = {**catalog.conditions, twin.id: twin}

    def fresh() -> rv.Catalog:
        return attrs.evolve(catalog, exercises=MappingProxyType(exercises), conditions=MappingProxyType(conditions))

    def strength_ids(plan: rv.Plan) -> set[str]:
        return {i.exercise_id for s in plan.sessions for i in s.items if i.role is Role.STRENGTH}

    hip = _profile(catalog, "hip-overload")
    twin_client = _profile(catalog, "hip-overload-twin", protocol="hip-overload")
    alone = rv.plan_programme(twin_client, fresh())
    assert "clamshell" not in strength_ids(alone)
    assert "bridge-double-leg" in strength_ids(alone)
    shared = fresh()
    assert "bridge-double-leg" not in strength_ids(rv.plan_programme(hip, shared))
    after = rv.plan_programme(twin_client, shared)
    assert rv.plan_to_json(after) == rv.plan_to_json(alone)


def test_readiness_tests_are_a_dated_check_before_the_walk_run_phase(catalog: rv.Catalog) -> None:
    # Before: the tests were printed as prose and never scheduled.
    profile = rv.load_profile(Path(__file__).parents[2] / "examples" / "profiles" / "itbs.toml")
    plan = rv.plan_programme(profile, catalog)
    walk_run = next(p for p in plan.phases if p.phase.id == "walk-run")
    checks = [s for s in plan.sessions if s.kind is rv.SessionKind.CHECK and s.phase_id == "walk-run"]
    assert len(checks) == 1
    check = checks[0]
    assert walk_run.start <= check.date < walk_run.start + dt.timedelta(days=7)
    assert {i.exercise_id for i in check.items} == {t.exercise for t in walk_run.phase.entry}
    first_run = next(s for s in plan.sessions if s.phase_id == "walk-run" and s.stage is not None)
    assert check.date < first_run.date


def test_a_failed_readiness_test_starts_the_phase_a_week_later_and_tells_the_physio(catalog: rv.Catalog) -> None:
    profile = rv.load_profile(Path(__file__).parents[2] / "examples" / "profiles" / "itbs.toml")
    plan = rv.plan_programme(profile, catalog)
    check = next(s for s in plan.sessions if s.kind is rv.SessionKind.CHECK and s.phase_id == "walk-run")
    logs = [log for s in plan.sessions if s.date < check.date if (log := log_for(s, "green")) is not None]
    failed = log_for(check, "amber")
    assert failed is not None
    revised = rv.revise(plan, [*logs, failed], check.date + dt.timedelta(days=1))
    week_after = check.date + dt.timedelta(days=7)
    runs = [s for s in revised.sessions if s.phase_id == "walk-run" and s.stage is not None]
    assert runs[0].date >= week_after - dt.timedelta(days=week_after.weekday())  # no run in the week of the failure
    again = [s for s in revised.sessions if s.kind is rv.SessionKind.CHECK and s.date > check.date]
    assert again
    assert again[0].date < runs[0].date
    warning = next(w for w in revised.warnings if w.code == "readiness-not-passed")
    assert warning.params == {"phase": "walk-run", "date": check.date.isoformat()}
    old = next(p for p in plan.phases if p.phase.id == "walk-run")
    new = next(p for p in revised.phases if p.phase.id == "walk-run")
    assert new.weeks == old.weeks + 1


def test_a_log_dated_another_day_than_its_session_is_an_error(catalog: rv.Catalog) -> None:
    # Before: a log dated after --as-of, or on another day than its session, was accepted as it stood.
    plan = rv.plan_programme(_profile(catalog, "hip-overload"), catalog)
    session = plan.sessions[0]
    as_of = session.date + dt.timedelta(days=3)
    late = rv.SessionLog(session_id=session.id, date=as_of + dt.timedelta(days=1))
    with pytest.raises(rv.ProfileError) as info:
        rv.revise(plan, [late], as_of, source="logs.toml")
    (problem,) = info.value.problems
    assert (problem.source, problem.field) == ("logs.toml", "log[1].date")
    assert session.date.isoformat() in problem.message


def test_a_plan_at_the_last_revision_cannot_be_revised(catalog: rv.Catalog) -> None:
    plan = rv.plan_programme(_profile(catalog, "hip-overload"), catalog)
    last = attrs.evolve(plan, revision=2**31 - 1)
    with pytest.raises(rv.ProfileError, match="last a plan can have"):
        rv.revise(last, [], plan.start)
