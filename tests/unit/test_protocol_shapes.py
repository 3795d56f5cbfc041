"""Protocol format 2: every table shape the format can hold gives the sessions the table says, number for number.

The test protocols are in tests/data/catalogs/format-v2/protocols; each test spells out the table it encodes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest

import revalidatie as rv
from revalidatie.model.plan import Role
from revalidatie.model.protocol import Stages
from tests.strategies import log_for

EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
START = dt.date(2027, 1, 4)  # a Monday


@pytest.fixture(scope="module")
def shapes() -> rv.Catalog:
    return rv.load_catalog(Path(__file__).parents[1] / "data" / "catalogs" / "format-v2")


def _plan(catalog: rv.Catalog, protocol: str, **extra: Any) -> rv.Plan:
    data: dict[str, Any] = {
        "name": "Test Client",
        "condition": "hip-overload",
        "side": "right",
        "start_date": START.isoformat(),
        "available_days": EVERY_DAY,
        "protocol": protocol,
        "screening": {"answers": dict.fromkeys(catalog.red_flags, False)},
        **extra,
    }
    return rv.plan_programme(rv.parse_profile(data), catalog)


def _day(n: int) -> dt.date:
    return START + dt.timedelta(days=n - 1)


def _runs(plan: rv.Plan) -> list[rv.Session]:
    return [s for s in plan.sessions if any(i.role is Role.RUN for i in s.items)]


def test_until_distance_table(shapes: rv.Catalog) -> None:
    plan = _plan(shapes, "until-distance")
    runs = _runs(plan)
    # Two runs a week with two rest days between: Mondays and Thursdays.
    assert [s.date for s in runs] == [_day(n) for n in (1, 4, 8, 11, 15, 18, 22, 25)]
    assert [s.stage for s in runs] == [1, 1, 2, 2, 3, 3, 3, 3]  # stage 3 asks four tries of its two runs

    walk = runs[0].items[0]
    assert walk.exercise_id == "brisk-walk"  # a walking-only stage is a walk, not a run
    assert runs[0].run_minutes == 0
    assert isinstance(walk.dose, rv.Intervals)
    assert walk.dose.cool_down == ()  # the stage leaves out the table's cool-down
    assert walk.dose.intensity is not None
    assert walk.dose.intensity.kind == "talk-test"

    until = runs[2].items[0]
    assert until.exercise_id == "walk-run"
    assert isinstance(until.dose, rv.Intervals)
    assert until.dose.until_distance == 3
    assert [(s.pace.value, s.minutes) for s in until.dose.cool_down] == [("walk", 5)]
    intensity = until.dose.intensity
    assert intensity is not None
    assert intensity.kind == "rpe"
    assert (intensity.low, intensity.high, intensity.words and intensity.words.en) == (6, 6, "hard")
    # At 7 min/km running and 10 min/km walking a 4-minute block covers 0.5071 km: five blocks, then 1.5 min
    # walk and 2.2 min run to reach 3 km. Running: 5 x 2.5 + 2.2 minutes.
    assert runs[2].run_minutes == pytest.approx(14.7)

    # Stage 3 alternates its two runs: walk 10 / jog 15 / walk 5, and 2 miles (3.22 km at 7 min/km).
    kinds = [type(s.items[0].dose).__name__ for s in runs[4:]]
    assert kinds == ["Intervals", "Distance", "Intervals", "Distance"]
    assert [s.run_minutes for s in runs[4:]] == pytest.approx([15, 2 * 1.609344 * 7] * 2)


def test_until_distance_depends_on_the_pace(shapes: rv.Catalog) -> None:
    slow = _runs(_plan(shapes, "until-distance", easy_pace_min_per_km=9.5))[2]
    fast = _runs(_plan(shapes, "until-distance", easy_pace_min_per_km=4.5))[2]
    assert slow.run_minutes > fast.run_minutes


def test_day_sequence_table(shapes: rv.Catalog) -> None:
    plan = _plan(shapes, "day-sequence")
    by_date = {s.date: s for s in plan.sessions}
    # Day 1-2 run A, day 3 rest, day 4 run B, day 5 recovery (every fifth day), day 6 the sequence's recovery
    # entry (cross-training), day 7 run B, day 8 run C (15 min); day 10 is a recovery day again.
    runs = _runs(plan)
    assert [s.date for s in runs] == [_day(n) for n in (1, 2, 4, 7, 8)]
    assert [s.run_minutes for s in runs] == [5, 5, 10, 10, 15]
    assert [s.stage for s in runs] == [1, 2, 4, 6, 7]
    assert _day(3) not in by_date
    for day in (5, 6, 10):
        session = by_date[_day(day)]
        assert session.kind is rv.SessionKind.CROSS_TRAINING
        assert [i.exercise_id for i in session.items] == ["brisk-walk"]
    assert [p.weeks for p in plan.phases] == [2]


def test_daily_stages_run_on_consecutive_days(shapes: rv.Catalog) -> None:
    plan = _plan(shapes, "symptom-rules")
    runs = _runs(plan)
    assert [s.date for s in runs[:8]] == [_day(n) for n in range(1, 9)]
    assert [s.stage for s in runs[:8]] == [1, 1, 2, 2, 3, 3, 4, 4]


def _revised(plan: rv.Plan, zones: dict[int, str], as_of_day: int) -> list[rv.Session]:
    sessions = {s.date: s for s in plan.sessions}
    logs = [log for day, zone in zones.items() if (log := log_for(sessions[_day(day)], zone)) is not None]
    for day in range(1, as_of_day):
        if day not in zones:
            green = log_for(sessions[_day(day)], "green")
            assert green is not None
            logs.append(green)
    revised = rv.revise(plan, logs, _day(as_of_day))
    return [s for s in _runs(revised) if s.date >= _day(as_of_day)]


def test_amber_repeats_the_stage_from_its_first_try(shapes: rv.Catalog) -> None:
    plan = _plan(shapes, "symptom-rules")
    # Day 3 is stage 2's first try; amber starts it over: two more tries of stage 2.
    future = _revised(plan, {3: "amber"}, 4)
    assert [(s.date, s.stage) for s in future[:3]] == [(_day(4), 2), (_day(5), 2), (_day(6), 3)]


def test_two_failures_in_a_stage_go_back_a_stage(shapes: rv.Catalog) -> None:
    plan = _plan(shapes, "symptom-rules")
    future = _revised(plan, {3: "amber", 4: "amber"}, 5)
    assert [(s.date, s.stage) for s in future[:3]] == [(_day(5), 1), (_day(6), 1), (_day(7), 2)]


def test_red_rests_the_protocols_days_then_goes_back_a_stage(shapes: rv.Catalog) -> None:
    plan = _plan(shapes, "symptom-rules")
    future = _revised(plan, {3: "red"}, 4)
    # Two rest days (days 4 and 5), then stage 1 again.
    assert future[0].date == _day(6)
    assert future[0].stage == 1


def test_red_stops_running_and_tells_the_physio(shapes: rv.Catalog) -> None:
    plan = _plan(shapes, "stop-and-contact")
    first = _runs(plan)[0]
    future = _revised(plan, {1: "red"}, 2)
    assert future == []
    revised = rv.revise(plan, [log for log in [log_for(first, "red")] if log is not None], _day(2))
    assert any(s.date >= _day(2) and s.kind is rv.SessionKind.STRENGTH for s in revised.sessions)
    codes = {w.code: w for w in revised.warnings}
    assert codes["symptoms-stop"].params == {"phase": "stop-on-red", "date": first.date.isoformat()}
    assert "contact the physio" in rv.warning_text(codes["symptoms-stop"], revised, "en")


def test_protocol_and_stage_texts_are_kept_for_the_handout(shapes: rv.Catalog) -> None:
    plan = _plan(shapes, "until-distance")
    assert [a.text.en for a in plan.protocol.advice] == ["Run on a flat track."]
    running = plan.phases[0].phase.running
    assert isinstance(running, Stages)
    first = running.stages[0]
    assert isinstance(first, rv.Stage)
    assert first.note is not None
    assert first.note.en == "Walking only."


def test_rest_days_hold_between_all_runs(shapes: rv.Catalog) -> None:
    runs = _runs(_plan(shapes, "until-distance"))
    assert all((b.date - a.date).days >= 3 for a, b in itertools.pairwise(runs))
