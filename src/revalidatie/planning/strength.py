"""Strength work: each prescription's ladder, the week's rung, contraindications, rest between sets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from ..model.dose import BandLoad, Period, SetsHold, SetsReps
from ..model.exercise import Exercise
from ..model.plan import Item, Role
from ..model.protocol import Phase
from .caps import MAX_WEEKS
from .progression import Links, Rung, estimated_minutes, harder_links, ladder, lighten, rung_index, with_rest


class Ladders:
    """Each strength prescription's ladder, by phase id, position and whether load can be added.

    A ladder is built when first asked for: most plans need only one of the two loading variants.
    """

    def __init__(self, phases: Iterable[Phase], exercises: Mapping[str, Exercise]) -> None:
        self._prescriptions = {
            (phase.id, n): rx
            for phase in phases
            if phase.strength is not None
            for n, rx in enumerate(phase.strength.exercises)
        }
        self._exercises = exercises
        self._links: Links = harder_links(exercises)
        self._built: dict[tuple[str, int, bool], tuple[Rung, ...]] = {}

    def __getitem__(self, key: tuple[str, int, bool]) -> tuple[Rung, ...]:
        found = self._built.get(key)
        if found is None:
            phase_id, n, loadable = key
            prescription = self._prescriptions[(phase_id, n)]
            found = self._built[key] = ladder(prescription, self._exercises, self._links, loadable=loadable)
        return found

    def exercise_ids(self) -> set[str]:
        """Every exercise a ladder passes through (load adds none: it keeps the exercise)."""
        return {exercise_id for key in self._prescriptions for exercise_id, _ in self[(*key, False)]}


def blocked_until(exercises: Mapping[str, Exercise], condition: str) -> dict[str, int]:
    """First programme week each exercise contraindicated for ``condition`` may be given (past the plan: never)."""
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


@attrs.frozen
class WeekStrength:
    """A week's strength items with their estimates.

    Attributes:
        items: Every strength item, in protocol order.
        minutes: Estimated minutes of all of them.
        sets: Their sets (the overview chart's measure of strength volume).
        twice_daily: The items the protocol asks for twice a day, done again in a morning session.
        twice_daily_minutes: Estimated minutes of those.
        twice_daily_sets: Their sets.
        replaced: Each contraindicated exercise with what replaced it (``None``: left out).
        banded: The exercises done with a resistance band.

    """

    items: tuple[Item, ...]
    minutes: float
    sets: int
    twice_daily: tuple[Item, ...]
    twice_daily_minutes: float
    twice_daily_sets: int
    replaced: tuple[tuple[str, str | None], ...]
    banded: tuple[str, ...]


def week_strength(
    phase: Phase,
    step: int,
    week: int,
    *,
    deload: bool,
    deload_factor: float,
    slow: bool,
    loadable: bool,
    rungs_of: Ladders,
    exercises: Mapping[str, Exercise],
    blocked: Mapping[str, int],
    pace: float,
) -> WeekStrength:
    """The strength items of progression ``step`` of ``phase`` in programme ``week``."""
    assert phase.strength is not None
    items: list[Item] = []
    replaced: list[tuple[str, str | None]] = []
    for n, rx in enumerate(phase.strength.exercises):
        every = (rx.progression.every_weeks if rx.progression is not None else 1) * (2 if slow else 1)
        rungs = rungs_of[(phase.id, n, loadable)]
        exercise_id, dose = rungs[rung_index(rungs, step, every)]
        allowed = _allowed(exercise_id, week, exercises, blocked)
        if allowed != exercise_id:
            replaced.append((exercise_id, allowed))
        if allowed is not None:
            dose = with_rest(lighten(dose, deload_factor) if deload else dose)
            items.append(Item(allowed, dose, Role.STRENGTH, rx.frequency))
    twice = tuple(
        i for i in items if i.frequency is not None and i.frequency.per is Period.DAY and i.frequency.times > 1
    )
    return WeekStrength(
        tuple(items),
        _minutes(items, exercises, pace),
        strength_sets(items),
        twice,
        _minutes(twice, exercises, pace),
        strength_sets(twice),
        tuple(replaced),
        tuple(i.exercise_id for i in items if isinstance(getattr(i.dose, "load", None), BandLoad)),
    )


def _minutes(items: Iterable[Item], exercises: Mapping[str, Exercise], pace: float) -> float:
    return sum(estimated_minutes(i.dose, exercises[i.exercise_id].laterality, pace) for i in items)


def _allowed(exercise_id: str, week: int, exercises: Mapping[str, Exercise], blocked: Mapping[str, int]) -> str | None:
    """The exercise, or its nearest easier variant, that is not contraindicated in ``week``."""
    current: str | None = exercise_id
    while current is not None and blocked.get(current, 0) > week:
        current = exercises[current].easier
    return current


def strength_sets(items: Iterable[Item]) -> int:
    """Sets of strength work in ``items``: the overview chart's measure of strength volume."""
    return sum(
        item.dose.sets for item in items if item.role is Role.STRENGTH and isinstance(item.dose, SetsReps | SetsHold)
    )
