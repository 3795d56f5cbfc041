"""The bundled protocols reproduce the published tables in CLINICAL.md number for number."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

import revalidatie as rv
from revalidatie.model.plan import Role

WALK_JOG = [
    (4.5, 0.5),
    (4.5, 0.5),
    (4, 1),
    (4, 1),
    (3.5, 1.5),
    (3.5, 1.5),
    (3, 2),
    (3, 2),
    (2.5, 2.5),
    (2.5, 2.5),
    (2, 3),
    (2, 3),
    (1.5, 3.5),
    (1.5, 3.5),
    (1, 4),
    (1, 4),
    (0.5, 4.5),
    (0.5, 4.5),
    (0, 5),
]


def _profile(catalog: rv.Catalog, condition: str, protocol: str | None = None, **extra: Any) -> rv.ClientProfile:
    data: dict[str, Any] = {
        "name": "Test Client",
        "condition": condition,
        "side": "right",
        "start_date": "2027-01-04",
        "available_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "screening": {"answers": dict.fromkeys(catalog.red_flags, False)},
        **extra,
    }
    if protocol:
        data["protocol"] = protocol
    return rv.parse_profile(data)


def _doses(plan: rv.Plan, week: int) -> dict[str, tuple[object, ...]]:
    """Strength doses of a week: exercise id -> (sets, reps or hold seconds, load kind/value)."""
    # The day's main session; a twice-daily morning session repeats a part of it.
    session = next(
        s
        for s in plan.sessions
        if s.week == week and any(i.role is Role.STRENGTH for i in s.items) and not s.id.endswith("-2")
    )
    result: dict[str, tuple[object, ...]] = {}
    for item in session.items:
        if item.role is Role.STRENGTH:
            dose = item.dose
            assert isinstance(dose, rv.SetsReps | rv.SetsHold)
            amount = dose.reps if isinstance(dose, rv.SetsReps) else dose.hold_s
            result[item.exercise_id] = (dose.sets, amount, dose.load.model_dump(mode="json").get("colour"))
    return result


def test_walk_run_table_has_19_stages_of_four_five_minute_blocks(catalog: rv.Catalog) -> None:
    plan = rv.plan_programme(_profile(catalog, "hip-overload", "walk-run-20"), catalog)
    staged = [s for s in plan.sessions if s.stage is not None]
    seen: list[tuple[float, float]] = []
    for session in staged:
        dose = session.items[0].dose
        assert isinstance(dose, rv.Intervals)
        assert dose.repeats == 4
        walk, jog = (seg.minutes for seg in dose.segments)
        assert walk + jog == 5
        seen.append((walk, jog))
    # Every stage twice, in order: the generated sessions are the published table.
    assert seen[: 2 * len(WALK_JOG)] == [pair for pair in WALK_JOG for _ in range(2)]
    # A rest day between runs and three runs a week.
    gaps = {(b.date - a.date).days for a, b in itertools.pairwise(staged)}
    assert min(gaps) >= 2


def test_leap_weeks_follow_table_3(catalog: rv.Catalog) -> None:
    plan = rv.plan_programme(_profile(catalog, "gluteal-tendinopathy"), catalog)
    week1, week2 = _doses(plan, 1), _doses(plan, 2)
    assert week1["bridge-double-leg"] == (1, 10, None)
    assert week1["abduction-static-supine"][:2] == (1, 10)
    assert week1["abduction-static-standing"][:2] == (1, 15)
    assert week1["sidestepping"] == (1, 10, None)
    assert week2["bridge-offset"] == (1, 5, None)
    assert week2["squat-offset"] == (1, 5, None)
    assert week2["sidestepping"] == (1, 15, None)
    # Weeks 3-8: two sets, reps rising 5 -> 10, one a week.
    for week, reps in zip(range(3, 9), range(5, 11), strict=True):
        doses = _doses(plan, week)
        assert doses["bridge-offset"][:2] == (2, reps)
        assert doses["squat-single-leg-biased"][:2] == (2, reps)
        assert doses["band-sideslide"][:2] == (2, reps)
    # Daily home programme, twice-daily activations: a morning session of their own each day.
    week_1 = [s for s in plan.sessions if s.week == 1]
    assert len({s.date for s in week_1}) == 7
    mornings = [s for s in week_1 if s.id.endswith("-2")]
    assert len(mornings) == 7
    main = next(s for s in week_1 if s.date == mornings[0].date and not s.id.endswith("-2"))
    twice = {i.exercise_id for i in main.items if i.frequency is not None and i.frequency.times == 2}
    assert twice
    assert {i.exercise_id for i in mornings[0].items} == twice
    first = plan.sessions[0]
    frequency = next(i.frequency for i in first.items if i.exercise_id == "glute-activation")
    assert frequency == rv.Frequency(times=2, per="day")


MCKAY = {
    1: {"side-plank-modified": (2, 30), "side-lying-abduction": (2, 10), "hip-hike": (3, 10), "bridge-banded": (3, 10)},
    2: {"side-plank-modified": (2, 40), "side-lying-abduction": (3, 10), "hip-hike": (3, 20), "bridge-banded": (3, 15)},
    3: {"clamshell": (2, 10), "monster-walk": (2, 15), "squat-single-leg": (2, 10), "cook-hip-lift": (2, 10)},
    4: {"clamshell": (3, 15), "monster-walk": (3, 15), "squat-single-leg": (3, 12), "cook-hip-lift": (3, 10)},
    5: {
        "side-plank": (2, 15),
        "monster-walk-shoulder-er": (2, 15),
        "terminal-knee-extension-abduction": (2, 12),
        "bridge-march": (2, 10),
    },
    6: {
        "side-plank": (3, 20),
        "monster-walk-shoulder-er": (3, 15),
        "terminal-knee-extension-abduction": (3, 12),
        "bridge-march": (3, 12),
    },
    7: {
        "side-plank-abduction": (2, 10),
        "monster-walk-shoulder-er": (2, 15),
        "skater": (2, 15),
        "hip-thrust-double-leg": (2, 12),
    },
    8: {
        "side-plank-abduction": (3, 10),
        "monster-walk-shoulder-er": (3, 15),
        "skater": (3, 15),
        "hip-thrust-double-leg": (3, 15),
    },
}


@pytest.mark.parametrize("week", sorted(MCKAY))
def test_mckay_itbs_chains_week_by_week(catalog: rv.Catalog, week: int) -> None:
    plan = rv.plan_programme(_profile(catalog, "itbs"), catalog)
    doses = {ex: dose[:2] for ex, dose in _doses(plan, week).items()}
    assert doses == MCKAY[week]
    strength_days = [s for s in plan.sessions if s.week == week and any(i.role is Role.STRENGTH for i in s.items)]
    assert len(strength_days) == 3


def test_return_starts_at_about_half_the_previous_weekly_running(catalog: rv.Catalog) -> None:
    running = {
        "pain_free_minutes": 40,
        "weekly_minutes_before": 150,
        "runs_per_week_before": 3,
        "longest_run_last_30_days": 40,
    }
    plan = rv.plan_programme(_profile(catalog, "itbs", running=running), catalog)
    first_week = [s for s in plan.sessions if s.week == 1 and s.run_minutes > 0]
    # Half of 150 minutes in three runs: two runs (1.5 rounded up) of 37.5 minutes, within the pain-free 40.
    assert [s.run_minutes for s in first_week] == [37.5, 37.5]
    assert first_week[0].date == dt.date(2027, 1, 4)


def test_return_is_limited_by_pain_free_minutes(catalog: rv.Catalog) -> None:
    running = {
        "pain_free_minutes": 30,
        "weekly_minutes_before": 150,
        "runs_per_week_before": 3,
        "longest_run_last_30_days": 30,
    }
    plan = rv.plan_programme(_profile(catalog, "itbs", running=running), catalog)
    first_week = [s for s in plan.sessions if s.week == 1 and s.run_minutes > 0]
    assert [s.run_minutes for s in first_week] == [30, 30]


def test_deload_every_fourth_week_is_a_quarter_lighter(catalog: rv.Catalog) -> None:
    running = {
        "pain_free_minutes": 20,
        "weekly_minutes_before": 120,
        "runs_per_week_before": 3,
        "longest_run_last_30_days": 20,
    }
    plan = rv.plan_programme(
        _profile(catalog, "hip-overload", "build-up", running=running, goal={"run_minutes": 60}), catalog
    )
    deloads = [w for w in plan.weeks if w.deload]
    assert [w.number for w in deloads][:2] == [4, 8]
    week3, week4 = plan.weeks[2], plan.weeks[3]
    assert week4.run_minutes <= 0.75 * week3.run_minutes


# NHS Couch to 5K (CLINICAL.md): per week, its runs in order as (repeats or "until N min", segments).
RUN, WALK = "run", "walk"
C25K: dict[int, list[tuple[str, float, list[tuple[str, float]]]]] = {
    1: [("until", 20, [(RUN, 1), (WALK, 1.5)])],
    2: [("until", 20, [(RUN, 1.5), (WALK, 2)])],
    3: [("repeats", 2, [(RUN, 1.5), (WALK, 1.5), (RUN, 3), (WALK, 3)])],
    4: [("repeats", 1, [(RUN, 3), (WALK, 1.5), (RUN, 5), (WALK, 2.5), (RUN, 3), (WALK, 1.5), (RUN, 5)])],
    5: [
        ("repeats", 1, [(RUN, 5), (WALK, 3), (RUN, 5), (WALK, 3), (RUN, 5)]),
        ("repeats", 1, [(RUN, 8), (WALK, 5), (RUN, 8)]),
        ("repeats", 1, [(RUN, 20)]),
    ],
    6: [
        ("repeats", 1, [(RUN, 5), (WALK, 3), (RUN, 8), (WALK, 3), (RUN, 5)]),
        ("repeats", 1, [(RUN, 10), (WALK, 3), (RUN, 10)]),
        ("repeats", 1, [(RUN, 25)]),
    ],
    7: [("repeats", 1, [(RUN, 25)])],
    8: [("repeats", 1, [(RUN, 28)])],
    9: [("repeats", 1, [(RUN, 30)])],
}
# Minutes of running in each week's runs, counted by hand: week 1 is 8 blocks of 2.5 minutes; week 2 is 5
# blocks of 3.5 minutes and then 1.5 minutes run and 1 minute walk to reach 20.
C25K_RUN_MINUTES = {1: [8], 2: [9], 3: [9], 4: [16], 5: [15, 16, 20], 6: [18, 20, 25], 7: [25], 8: [28], 9: [30]}


def test_couch_to_5k_follows_the_nhs_table_run_by_run(catalog: rv.Catalog) -> None:
    plan = rv.plan_programme(_profile(catalog, "hip-overload", "couch-to-5k"), catalog)
    runs = [s for s in plan.sessions if s.stage is not None]
    expected = [(week, n % len(C25K[week])) for week in range(1, 10) for n in range(3)]
    assert [s.stage for s in runs] == [week for week, _ in expected]
    for session, (week, turn) in zip(runs, expected, strict=True):
        dose = session.items[0].dose
        assert isinstance(dose, rv.Intervals)
        how, amount, segments = C25K[week][turn]
        assert [(s.pace.value, s.minutes) for s in dose.warm_up] == [(WALK, 5)]  # the brisk warm-up walk
        assert [(s.pace.value, s.minutes) for s in dose.segments] == segments
        assert (dose.repeats if how == "repeats" else dose.until_minutes) == amount
        assert session.run_minutes == C25K_RUN_MINUTES[week][turn]
    # Three runs a week with a rest day between, nine weeks.
    assert all((b.date - a.date).days >= 2 for a, b in itertools.pairwise(runs))
    assert len(plan.weeks) == 9
    assert plan.protocol.source.startswith("NHS Couch to 5K")


def test_couch_to_5k_weeks_carry_their_labels(catalog: rv.Catalog) -> None:
    plan = rv.plan_programme(_profile(catalog, "hip-overload", "couch-to-5k"), catalog)
    running = plan.phases[0].phase.running
    assert running is not None
    assert running.kind == "stages"
    labels = [stage.label.en for stage in running.stages if isinstance(stage, rv.Stage) and stage.label]
    assert labels == [f"Week {n}" for n in range(1, 10)]
