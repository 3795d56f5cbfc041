"""Every hypothesis strategy of the test suite (convention: strategies live here and nowhere else)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

import revalidatie as rv

_CATALOG = rv.load_catalog()
RED_FLAGS = tuple(_CATALOG.red_flags)
URGENT_FLAGS = tuple(f.id for f in _CATALOG.red_flags.values() if f.urgency is rv.Urgency.URGENT)
EMERGENCY_FLAGS = tuple(f.id for f in _CATALOG.red_flags.values() if f.urgency is rv.Urgency.EMERGENCY)
CONDITIONS = tuple(_CATALOG.conditions)
PROTOCOLS = tuple(_CATALOG.protocols)
WEEKDAYS = tuple(rv.Weekday)

names = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "M", "Zs", "Pd"]), min_size=1, max_size=60
).filter(lambda s: s.strip() != "")


@st.composite
def running_histories(draw: st.DrawFn) -> dict[str, Any]:
    runs_per_week = draw(st.integers(0, 7))
    weekly = 0.0 if runs_per_week == 0 else draw(st.floats(0, 400, allow_nan=False))
    return {
        "pain_free_minutes": draw(st.floats(0, 90, allow_nan=False)),
        "weekly_minutes_before": weekly,
        "runs_per_week_before": runs_per_week,
        "longest_run_last_30_days": draw(st.one_of(st.just(0.0), st.floats(0, 150, allow_nan=False))),
    }


@st.composite
def profiles(draw: st.DrawFn, *, clear: bool = True, condition: str | None = None) -> rv.ClientProfile:
    """Valid client profiles; with ``clear`` every red-flag answer is "no" (or an urgent flag is cleared)."""
    chosen = condition or draw(st.sampled_from(CONDITIONS))
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=2, max_size=7, unique=True))
    answers = {flag: False for flag in RED_FLAGS}
    clearances = []
    if clear and draw(st.booleans()):
        flag = draw(st.sampled_from(URGENT_FLAGS))
        answers[flag] = True
        clearances.append({"flag": flag, "by": "J. de Vries", "date": "2026-11-01", "note": "Assessed, no fracture."})
    data = {
        "name": draw(names),
        "condition": chosen,
        "side": draw(st.sampled_from(["left", "right", "both"])),
        "confirmed_by": "Dr. Bakker",
        "start_date": draw(st.dates(dt.date(2025, 1, 1), dt.date(2030, 12, 31))),
        "language": draw(st.sampled_from(["nl", "en"])),
        "timezone": draw(st.sampled_from(["Europe/Amsterdam", "Europe/Brussels", "America/New_York", "UTC"])),
        "available_days": [d.value for d in days],
        "preferred_time": draw(st.times()).replace(microsecond=0, tzinfo=None).isoformat(),
        "running": draw(running_histories()),
        "goal": {"run_minutes": draw(st.integers(5, 120))},
        "cross_training": {"pool": draw(st.booleans()), "cross_trainer": draw(st.booleans()), "bike": draw(st.booleans())},
        "screening": {"answers": answers, "clearances": clearances},
    }
    if draw(st.booleans()):
        data["protocol"] = draw(st.sampled_from(PROTOCOLS))
    return rv.parse_profile(data)


@st.composite
def flagged_profiles(draw: st.DrawFn) -> rv.ClientProfile:
    """Profiles with at least one red flag that stops planning (emergency, or urgent without clearance)."""
    profile = draw(profiles())
    answers = {flag: False for flag in RED_FLAGS}
    flagged = draw(st.lists(st.sampled_from(RED_FLAGS), min_size=1, unique=True))
    for flag in flagged:
        answers[flag] = True
    # An emergency flag may even carry a "clearance": it must still stop planning.
    clearances = [
        {"flag": flag, "by": "X", "date": "2026-11-01", "note": "n"} for flag in flagged if flag in EMERGENCY_FLAGS
    ]
    if not any(flag in EMERGENCY_FLAGS for flag in flagged):
        clearances = []
    screening = {"answers": answers, "clearances": clearances}
    return rv.parse_profile({**profile.model_dump(mode="json"), "screening": screening})


zones = st.sampled_from(["green", "amber", "red", "missed", "unlogged"])


def log_for(session: rv.Session, zone: str) -> rv.SessionLog | None:
    """A session log that falls in ``zone`` (``None`` for an unlogged session)."""
    if zone == "unlogged":
        return None
    if zone == "missed":
        return rv.SessionLog(session_id=session.id, date=session.date, completed=False)
    during, morning, swelling = {"green": (1, 0, False), "amber": (4, 0, False), "red": (7, 3, True)}[zone]
    return rv.SessionLog(
        session_id=session.id, date=session.date, pain_during=during, pain_next_morning=morning, swelling=swelling
    )
