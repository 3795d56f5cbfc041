"""Dose arithmetic: progression ladders, deload, run minutes and session length estimates."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache

from ..model.dose import (
    BandLoad,
    Distance,
    DoseValue,
    Duration,
    Intervals,
    Pace,
    SetsHold,
    SetsReps,
)
from ..model.exercise import Exercise, Laterality
from ..model.protocol import Prescription, ProgressionRule

Rung = tuple[str, DoseValue]
"""One rung of a prescription's ladder: an exercise id and its dose."""

_MAX_RUNGS = 60  # more steps than any phase can use (52 weeks); ladders are finite, this only bounds work


def ladder(prescription: Prescription, exercises: Mapping[str, Exercise]) -> tuple[Rung, ...]:
    """Every (exercise, dose) the prescription passes through, one rung per progression step.

    A chain gives one rung per phase week as written; a rule starts at the starting dose and applies
    :func:`next_rung` until nothing is left to raise.
    """
    # A ladder depends only on the prescription and the catalog's harder-variant links, so it is computed
    # once per protocol and catalog rather than for every plan.
    links = tuple((exercise_id, exercise.harder) for exercise_id, exercise in exercises.items())
    return _ladder(prescription, links)


@lru_cache(maxsize=2048)
def _ladder(prescription: Prescription, links: tuple[tuple[str, str | None], ...]) -> tuple[Rung, ...]:
    harder = dict(links)
    if prescription.chain:
        by_week = {week: (step.exercise, step.dose) for step in prescription.chain for week in step.weeks}
        return tuple(by_week[week] for week in sorted(by_week))
    assert prescription.exercise is not None
    assert prescription.dose is not None
    rungs: list[Rung] = [(prescription.exercise, prescription.dose)]
    rule = prescription.progression
    if rule is None:
        return tuple(rungs)
    while len(rungs) < _MAX_RUNGS:
        following = next_rung(rungs[-1], rule, prescription.dose, harder)
        if following is None:
            break
        rungs.append(following)
    return tuple(rungs)


def rung_at(rungs: tuple[Rung, ...], step: int, every_weeks: int) -> Rung:
    """The rung for progression step ``step`` (green weeks in the phase), advancing every ``every_weeks``."""
    return rungs[min(step // every_weeks, len(rungs) - 1)]


def next_rung(rung: Rung, rule: ProgressionRule, start: DoseValue, harder: Mapping[str, str | None]) -> Rung | None:
    """The rung after ``rung`` under ``rule``, or ``None`` when the rule has nothing left to raise."""
    exercise_id, dose = rung
    if isinstance(dose, SetsReps) and isinstance(start, SetsReps):
        if rule.reps_step and rule.reps_max is not None and dose.reps < rule.reps_max:
            return exercise_id, dose.model_copy(update={"reps": min(dose.reps + rule.reps_step, rule.reps_max)})
        if rule.sets_step and rule.sets_max is not None and dose.sets < rule.sets_max:
            sets = min(dose.sets + rule.sets_step, rule.sets_max)
            return exercise_id, dose.model_copy(update={"sets": sets, "reps": start.reps})
    if isinstance(dose, SetsHold) and isinstance(start, SetsHold):
        if rule.hold_step_s and rule.hold_max_s is not None and dose.hold_s < rule.hold_max_s:
            hold = min(dose.hold_s + rule.hold_step_s, rule.hold_max_s)
            return exercise_id, dose.model_copy(update={"hold_s": hold})
        if rule.sets_step and rule.sets_max is not None and dose.sets < rule.sets_max:
            sets = min(dose.sets + rule.sets_step, rule.sets_max)
            return exercise_id, dose.model_copy(update={"sets": sets, "hold_s": start.hold_s})
    if rule.band_up and isinstance(dose, SetsReps | SetsHold) and isinstance(dose.load, BandLoad):
        heavier = dose.load.colour.heavier()
        if heavier is not None:
            return exercise_id, start.model_copy(update={"load": BandLoad(colour=heavier)})
    variant = harder[exercise_id]
    if rule.harder and variant is not None:
        return variant, start
    return None


def lighten(dose: DoseValue, factor: float) -> DoseValue:
    """The dose with its volume scaled by ``factor`` for a deload week (never below 1 of anything)."""
    if isinstance(dose, SetsReps):
        return dose.model_copy(update={"reps": max(1, _round(dose.reps * factor))})
    if isinstance(dose, SetsHold):
        return dose.model_copy(update={"hold_s": max(1, _round(dose.hold_s * factor))})
    if isinstance(dose, Duration):
        return dose.model_copy(update={"minutes": float(max(1, math.floor(dose.minutes * factor)))})
    if isinstance(dose, Intervals):
        return dose.model_copy(update={"repeats": max(1, math.floor(dose.repeats * factor))})
    return dose.model_copy(update={"amount": round(dose.amount * factor, 1)})


def _round(value: float) -> int:
    # Half up, so that 7.5 reps become 8 the same way on every platform (round() rounds half to even).
    return math.floor(value + 0.5)


def run_minutes(dose: DoseValue, pace_min_per_km: float) -> float:
    """Minutes at jog or run pace in a running dose (walking does not count as running load)."""
    if isinstance(dose, Intervals):
        return dose.minutes_at(Pace.JOG, Pace.RUN)
    if isinstance(dose, Duration):
        return dose.minutes
    if isinstance(dose, Distance):
        return dose.kilometres * pace_min_per_km
    return 0.0


def estimated_minutes(dose: DoseValue, laterality: Laterality, pace_min_per_km: float) -> float:
    """A rough duration of one dose, for calendar events: about 4 s a rep and 45 s rest between sets."""
    sides = 1 if laterality is Laterality.BOTH else 2
    if isinstance(dose, SetsReps):
        rest = dose.rest_s if dose.rest_s is not None else 45
        return dose.sets * (dose.reps * 4 * sides + rest) / 60
    if isinstance(dose, SetsHold):
        rest = dose.rest_s if dose.rest_s is not None else 10
        return dose.sets * dose.reps * (dose.hold_s + rest) * sides / 60
    if isinstance(dose, Intervals):
        return dose.total_minutes
    if isinstance(dose, Duration):
        return dose.minutes
    return dose.kilometres * pace_min_per_km
