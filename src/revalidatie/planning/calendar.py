"""Choosing weekdays: runs spread with rest days between, strength on non-consecutive days, cross-training between.

Weekdays are numbered 0 (Monday) to 6 (Sunday). Gaps are counted around the week, so Sunday and the next
Monday are consecutive days.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations


def cyclic_gaps(days: tuple[int, ...]) -> tuple[int, ...]:
    """Days from each chosen weekday to the next one, wrapping into the next week."""
    if not days:
        return ()
    return tuple((days[(i + 1) % len(days)] - day) % 7 or 7 for i, day in enumerate(days))


@cache
def spread(available: tuple[int, ...], count: int, min_gap: int) -> tuple[int, ...]:
    """Choose up to ``count`` of ``available`` weekdays, at least ``min_gap`` days apart, spread evenly.

    Returns the largest number of days (at most ``count``) that keeps the gap, preferring the choice with
    the widest smallest gap, then the earliest days.
    """
    for size in range(min(count, len(available)), 0, -1):
        best: tuple[int, ...] | None = None
        best_key: tuple[int, tuple[int, ...]] | None = None
        for combo in combinations(available, size):
            smallest = min(cyclic_gaps(combo))
            if smallest < min_gap:
                continue
            key = (-smallest, combo)
            if best_key is None or key < best_key:
                best, best_key = combo, key
        if best is not None:
            return best
    return ()


@cache
def strength_days(available: tuple[int, ...], count: int, run_days: tuple[int, ...]) -> tuple[int, ...]:
    """Choose up to ``count`` non-consecutive weekdays for strength, preferring days without a run."""
    for size in range(min(count, len(available)), 0, -1):
        best: tuple[int, ...] | None = None
        best_key: tuple[int, int, tuple[int, ...]] | None = None
        for combo in combinations(available, size):
            smallest = min(cyclic_gaps(combo))
            if smallest < 2:
                continue
            key = (sum(day in run_days for day in combo), -smallest, combo)
            if best_key is None or key < best_key:
                best, best_key = combo, key
        if best is not None:
            return best
    return ()


@cache
def cross_days(
    available: tuple[int, ...], count: int, run_days: tuple[int, ...], busy_days: tuple[int, ...]
) -> tuple[int, ...]:
    """Choose up to ``count`` weekdays without a run for cross-training.

    Prefers days that are free of other work, then days spread over the week (the widest smallest gap
    between them), then the earliest days.
    """
    free = tuple(day for day in available if day not in run_days)
    size = min(count, len(free))
    if size == 0:
        return ()
    best: tuple[int, ...] = ()
    best_key: tuple[int, int, tuple[int, ...]] | None = None
    for combo in combinations(free, size):
        key = (sum(day in busy_days for day in combo), -min(cyclic_gaps(combo)), combo)
        if best_key is None or key < best_key:
            best, best_key = combo, key
    return best
