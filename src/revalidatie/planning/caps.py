"""Load caps and the running history they are measured against (docs/decisions/0004-load-caps.md).

The single-run cap (no run more than 10% longer than the longest run of the previous 30 days, Frandsen et
al. 2025) is the main limiter; the weekly cap is a secondary, configurable one. Re-entry starts at about half
of the previous weekly running, limited by pain-free minutes and the single-run cap.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from typing import Literal

import attrs

from ..model.profile import ClientProfile
from ..model.protocol import LoadCaps

WINDOW = dt.timedelta(days=30)
MAX_WEEKS = 104
"""No plan runs longer than two years, whatever the phases allow."""


def half_minutes(minutes: float) -> float:
    """Rounded down to half a minute: runs stay easy to time and never round past a cap."""
    return math.floor(minutes * 2 + 1e-9) / 2


def effective_caps(caps: LoadCaps, slow: bool) -> LoadCaps:
    """``caps`` (a phase's or the protocol's), halved for conditions that progress slowly."""
    if not slow:
        return caps
    return LoadCaps(single_run_increase=caps.single_run_increase / 2, weekly_increase=caps.weekly_increase / 2)


@attrs.frozen
class Reentry:
    """Where running starts again: about half the weekly running before, in minutes and in runs.

    Attributes:
        minutes: Minutes of each run (0: no run).
        runs: Runs a week.
        defined: Whether the client runs now (pain-free minutes, a run in the last 30 days, no amber pain at
            rest), so that the re-entry rule applies; ``minutes`` may still be under a minute.
        limited_by: What set ``minutes`` where the rule applies: ``pain-free`` (the minutes the client runs
            pain-free now), ``share`` (the fraction of the weekly running before, over the runs) or
            ``single-run-cap`` (the longest run of the last 30 days plus the cap); empty where it does not.

    """

    minutes: float
    runs: int
    defined: bool = False
    limited_by: Literal["pain-free", "share", "single-run-cap", ""] = ""


def reentry(profile: ClientProfile, caps: LoadCaps) -> Reentry:
    """The re-entry dose of ``profile`` (see :class:`Reentry`).

    Runs: the fraction (about half) of the runs a week before, at least one. Each run: that fraction of the
    weekly minutes spread over those runs, no longer than the client runs pain-free now and within the
    single-run cap of the last 30 days. Nothing when the client has not run in the last 30 days or has pain at
    rest in the amber zone.
    """
    history = profile.running
    if history.pain_free_minutes <= 0 or history.longest_run_last_30_days <= 0 or profile.pain_now > 2:
        return Reentry(0.0, 0, defined=False)
    fraction = history.reentry_fraction
    runs = max(1, math.floor(history.runs_per_week_before * fraction + 0.5))
    share = history.weekly_minutes_before * fraction / runs if history.weekly_minutes_before > 0 else math.inf
    limit = history.longest_run_last_30_days * (1 + caps.single_run_increase)
    bounds: dict[Literal["pain-free", "share", "single-run-cap"], float] = {
        "pain-free": history.pain_free_minutes,
        "share": share,
        "single-run-cap": limit,
    }
    limited_by = min(bounds, key=bounds.__getitem__)  # the first of equal bounds: pain-free before the others
    minutes = half_minutes(bounds[limited_by])
    if minutes < 1:
        return Reentry(0.0, 0, defined=True, limited_by=limited_by)
    return Reentry(minutes, runs, defined=True, limited_by=limited_by)


@attrs.define
class RunHistory:
    """Every run done or planned so far, in date order, with what the caps need from it.

    Attributes:
        runs: (day, minutes at jog or run pace) of each run, in date order.
        last_run_day: Day of the last run session, done or not.
        last_full_run: Minutes of the last run outside a deload week (what continuity is measured against).
        full_weeks: Running minutes of each week with running outside a deload, in order; the weekly cap's
            reference is the larger of the last two, so one thin week (a test day, a run left out for a rest
            day) does not lower it.
        caps: The caps in force.

    """

    caps: LoadCaps
    runs: list[tuple[dt.date, float]] = attrs.Factory(list)
    last_run_day: dt.date | None = None
    last_full_run: float = 0.0
    full_weeks: list[float] = attrs.Factory(list)

    @property
    def reference_week(self) -> float:
        """The weekly cap's reference: the larger of the last two full weeks' running (0 before any)."""
        return max(self.full_weeks[-2:], default=0.0)

    def weekly_limit(self, deload: bool, factor: float) -> float:
        """Most running minutes a week may hold: the weekly cap over the reference week, or the deload share of it."""
        if self.reference_week <= 0:
            return math.inf
        return self.reference_week * (factor if deload else 1 + self.caps.weekly_increase)

    def record(self, day: dt.date, minutes: float, *, done: bool, deload: bool) -> None:
        """Add a run session (``done``: it happened, or is projected to)."""
        self.last_run_day = day
        if done and minutes > 0:
            self.runs.append((day, minutes))
            if not deload:
                self.last_full_run = minutes

    def window_max(self, day: dt.date) -> float:
        """The longest run of the 30 days before ``day``."""
        first = bisect.bisect_left(self.runs, (day - WINDOW,))
        last = bisect.bisect_left(self.runs, (day,), lo=first)
        return max((minutes for _, minutes in self.runs[first:last]), default=0.0)

    def single_run_limit(self, day: dt.date) -> float:
        """The longest run the single-run cap allows on ``day`` (infinite without runs in the window)."""
        window = self.window_max(day)
        return window * (1 + self.caps.single_run_increase) if window > 0 else math.inf

    def rested(self, day: dt.date, rest_days: int) -> bool:
        """Whether at least ``rest_days`` days without a run lie between the last run and ``day``."""
        return self.last_run_day is None or (day - self.last_run_day).days > rest_days

    def runs_in_week_before(self, day: dt.date, since: dt.date) -> int:
        """Runs of the plan (from ``since``, its first day) in the seven days before ``day``."""
        first = bisect.bisect_left(self.runs, (max(since, day - dt.timedelta(days=7)),))
        last = bisect.bisect_left(self.runs, (day,), lo=first)
        return last - first
