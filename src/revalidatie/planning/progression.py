"""Dose arithmetic: progression ladders, deload, run minutes and session length estimates."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from typing import NamedTuple

import attrs

from ..model.dose import (
    AddedLoad,
    BandLoad,
    DoseValue,
    Duration,
    Intervals,
    Pace,
    Segment,
    SetsHold,
    SetsReps,
    kilometres,
)
from ..model.exercise import Exercise, Laterality
from ..model.protocol import Prescription, ProgressionRule

Rung = tuple[str, DoseValue]
"""One rung of a prescription's ladder: an exercise id and its dose."""

_MAX_RUNGS = 60  # more steps than any phase can use (52 weeks); ladders are finite, this only bounds work
WALK_PACE_MIN_PER_KM = 10.0
"""Brisk walking, 6 km/h: turns the walking of a distance-limited interval session into minutes."""
_LOADED_REPS = (8, 10, 12)  # KNGF/ACSM: 8-12 reps near 60-80% 1RM; the load goes up after the top
_LOADED_REST_S = 90  # heavier sets need longer rest than the 30-60 s of light ones
_LIGHT_REST_S = 45
_SLOW_TEMPO = "3-1-3"


class _Variant(NamedTuple):
    """The harder variant of an exercise and the dose it starts at, if it names one."""

    exercise: str
    start_dose: DoseValue | None


def _variant(harder: str | None, exercises: Mapping[str, Exercise]) -> _Variant | None:
    # A plan carries only the exercises its ladders reach, so a variant beyond them is left out.
    if harder is None or harder not in exercises:
        return None
    return _Variant(harder, exercises[harder].start_dose)


@attrs.frozen(cache_hash=True)
class Links:
    """Harder-variant links of a set of exercises (see :func:`harder_links`); hashed once, as a cache key.

    Attributes:
        pairs: Exercise id and its harder variant, for every exercise.

    """

    pairs: tuple[tuple[str, _Variant | None], ...]


def ladder(
    prescription: Prescription,
    exercises: Mapping[str, Exercise],
    links: Links | None = None,
    *,
    loadable: bool = False,
) -> tuple[Rung, ...]:
    """Every (exercise, dose) the prescription passes through, one rung per progression step.

    A chain gives one rung per phase week as written; a rule starts at the starting dose and applies
    :func:`next_rung` until nothing is left to raise, then, where the rule says ``add_load``, goes on with
    external load (``loadable``: the client has weights) or a slow tempo. Pass ``links`` (from
    :func:`harder_links`) when building many ladders over the same exercises.
    """
    # A ladder depends only on the prescription, the harder-variant links and whether load can be added, so
    # it is computed once per protocol and catalog rather than for every plan.
    return _ladder(prescription, links if links is not None else harder_links(exercises), loadable)


def harder_links(exercises: Mapping[str, Exercise]) -> Links:
    """Each exercise's harder variant (and the dose it starts at), in a hashable form."""
    return Links(
        tuple((exercise_id, _variant(exercise.harder, exercises)) for exercise_id, exercise in exercises.items())
    )


@lru_cache(maxsize=2048)
def _ladder(prescription: Prescription, links: Links, loadable: bool = False) -> tuple[Rung, ...]:
    harder = dict(links.pairs)
    if prescription.chain:
        by_week = {week: (step.exercise, step.dose) for step in prescription.chain for week in step.weeks}
        return tuple(by_week[week] for week in sorted(by_week))
    assert prescription.exercise is not None
    assert prescription.dose is not None
    rungs: list[Rung] = [(prescription.exercise, prescription.dose)]
    rule = prescription.progression
    if rule is None:
        return tuple(rungs)
    base: DoseValue = prescription.dose  # the dose the current exercise started at
    while len(rungs) < _MAX_RUNGS:
        following = next_rung(rungs[-1], rule, base, harder)
        if following is None:
            break
        if following[0] != rungs[-1][0]:
            base = following[1]
        rungs.append(following)
    if rule.add_load:
        rungs.extend(_loading_rungs(rungs[-1], loadable, _MAX_RUNGS - len(rungs)))
    return tuple(rungs)


def _loading_rungs(last: Rung, loadable: bool, room: int) -> list[Rung]:
    """What comes after body weight: the KNGF/ACSM loading rule, or a slow tempo without weights.

    With weights, 3 sets of 8, 10, then 12 reps at a load that is hard but possible, then 8 reps at a
    2-10% heavier load, and so on. Without, the same reps once at a slow tempo; then the dose holds.
    """
    exercise_id, dose = last
    if not isinstance(dose, SetsReps) or isinstance(dose.load, BandLoad):
        return []
    if not loadable:
        if dose.tempo is not None:
            return []
        return [(exercise_id, dose.model_copy(update={"tempo": _SLOW_TEMPO}))]
    sets = max(dose.sets, 3)
    rungs: list[Rung] = []
    increase = 0
    while len(rungs) < room:
        for reps in _LOADED_REPS:
            loaded = SetsReps(sets=sets, reps=reps, load=AddedLoad(increase=increase), rest_s=_LOADED_REST_S)
            rungs.append((exercise_id, loaded))
        increase += 1
    return rungs[:room]


def with_rest(dose: DoseValue) -> DoseValue:
    """The dose with the rest between sets written out where the protocol leaves it open (30-60 s, 90 s loaded)."""
    if isinstance(dose, SetsReps) and dose.rest_s is None and dose.sets > 1:
        rest = _LOADED_REST_S if isinstance(dose.load, AddedLoad) else _LIGHT_REST_S
        return dose.model_copy(update={"rest_s": rest})
    return dose


def rung_index(rungs: tuple[Rung, ...], step: int, every_weeks: int) -> int:
    """Which rung progression step ``step`` (green weeks in the phase) is on, advancing every ``every_weeks``."""
    return min(step // every_weeks, len(rungs) - 1)


def next_rung(
    rung: Rung, rule: ProgressionRule, start: DoseValue, harder: Mapping[str, _Variant | None]
) -> Rung | None:
    """The rung after ``rung`` under ``rule``, or ``None`` when the rule has nothing left to raise.

    ``start`` is the dose the current exercise started at: raising sets resets the reps (or hold) to it.
    A harder variant starts at its own starting dose when it has one, else at ``start``.
    """
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
        return variant.exercise, variant.start_dose if variant.start_dose is not None else start
    return None


def lighten(dose: DoseValue, factor: float) -> DoseValue:
    """The dose with its volume scaled by ``factor`` for a deload week (never below 1 of anything)."""
    if isinstance(dose, SetsReps) and isinstance(dose.load, AddedLoad):
        # A weight is chosen for its reps ("one you can lift just that often"): a lighter week drops sets.
        return dose.model_copy(update={"sets": max(1, _round(dose.sets * factor))})
    if isinstance(dose, SetsReps):
        return dose.model_copy(update={"reps": max(1, _round(dose.reps * factor))})
    if isinstance(dose, SetsHold):
        return dose.model_copy(update={"hold_s": max(1, _round(dose.hold_s * factor))})
    if isinstance(dose, Duration):
        return dose.model_copy(update={"minutes": float(max(1, math.floor(dose.minutes * factor)))})
    if isinstance(dose, Intervals):
        if dose.repeats is not None:
            return dose.model_copy(update={"repeats": max(1, math.floor(dose.repeats * factor))})
        if dose.until_minutes is not None:
            return dose.model_copy(update={"until_minutes": float(max(1, math.floor(dose.until_minutes * factor)))})
        assert dose.until_distance is not None
        return dose.model_copy(update={"until_distance": max(0.1, round(dose.until_distance * factor, 1))})
    return dose.model_copy(update={"amount": max(0.1, round(dose.amount * factor, 1))})


def _round(value: float) -> int:
    # Half up, so that 7.5 reps become 8 the same way on every platform (round() rounds half to even).
    return math.floor(value + 0.5)


_RUNNING = (Pace.JOG, Pace.RUN)


def _segment_pace(pace: Pace, pace_min_per_km: float) -> float:
    return WALK_PACE_MIN_PER_KM if pace is Pace.WALK else pace_min_per_km


def main_set(dose: Intervals, pace_min_per_km: float) -> tuple[tuple[Segment, ...], int, tuple[Segment, ...]]:
    """The main set as whole blocks and a last partial block: (block, full blocks, partial block)."""
    block = dose.segments
    if dose.repeats is not None:
        return block, dose.repeats, ()
    if dose.until_minutes is not None:
        per_block = dose.block_minutes
        left = dose.until_minutes
        cost = [s.minutes for s in block]
    else:
        assert dose.until_distance is not None
        cost = [s.minutes / _segment_pace(s.pace, pace_min_per_km) for s in block]  # km per segment
        per_block = sum(cost)
        left = kilometres(dose.until_distance, dose.unit)
    full = math.floor(left / per_block + 1e-9) if per_block > 0 else 0
    left -= full * per_block
    partial: list[Segment] = []
    for segment, amount in zip(block, cost, strict=True):
        if left <= 1e-9:
            break
        share = min(1.0, left / amount) if amount > 0 else 1.0
        partial.append(segment.model_copy(update={"minutes": round(segment.minutes * share, 2)}))
        left -= amount * share
    return block, full, tuple(partial)


def _minutes(segments: tuple[Segment, ...], paces: tuple[Pace, ...] | None) -> float:
    return sum(s.minutes for s in segments if paces is None or s.pace in paces)


def run_minutes(dose: DoseValue, pace_min_per_km: float) -> float:
    """Minutes at jog or run pace in a running dose, warm-up and cool-down included (walking is not load)."""
    return _dose_minutes(dose, pace_min_per_km, _RUNNING)


def _dose_minutes(dose: DoseValue, pace_min_per_km: float, paces: tuple[Pace, ...] | None) -> float:
    if isinstance(dose, SetsReps | SetsHold):
        return 0.0
    around = _minutes(dose.warm_up, paces) + _minutes(dose.cool_down, paces)
    if isinstance(dose, Intervals):
        block, full, partial = main_set(dose, pace_min_per_km)
        return around + full * _minutes(block, paces) + _minutes(partial, paces)
    if isinstance(dose, Duration):
        return around + dose.minutes
    return around + dose.kilometres * pace_min_per_km


def total_minutes(dose: DoseValue, pace_min_per_km: float) -> float:
    """Minutes of a running or continuous dose from the first warm-up step to the end of the cool-down."""
    return _dose_minutes(dose, pace_min_per_km, None)


def estimated_minutes(dose: DoseValue, laterality: Laterality, pace_min_per_km: float) -> float:
    """A rough duration of one dose, for calendar events: about 4 s a rep and 45 s rest between sets."""
    sides = 1 if laterality is Laterality.BOTH else 2
    if isinstance(dose, SetsReps):
        rest = dose.rest_s if dose.rest_s is not None else 45
        return dose.sets * (dose.reps * 4 * sides + rest) / 60
    if isinstance(dose, SetsHold):
        rest = dose.rest_s if dose.rest_s is not None else 10
        return dose.sets * dose.reps * (dose.hold_s + rest) * sides / 60
    return total_minutes(dose, pace_min_per_km)
