"""Session logs: what the client reports after a session, the input to revision."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from .common import Day, Flag, Spec

PainScore = Annotated[int, Field(ge=0, le=10)]

GREEN_MAX_PAIN = 2
"""Highest pain (0-10) during a session that is still green."""
AMBER_MAX_PAIN = 5
"""Highest pain during a session that is amber; above it the session is red."""


class Zone(StrEnum):
    """The pain-monitoring traffic light (Silbernagel et al. 2007)."""

    GREEN = "green"
    """Pain 0-2 and back to baseline the next morning: progress."""
    AMBER = "amber"
    """Pain 3-5, or the next morning unknown: repeat the stage."""
    RED = "red"
    """Pain above 5, next-morning pain above baseline, or swelling: step back and rest a day."""


_ZONE_ORDER = {Zone.GREEN: 0, Zone.AMBER: 1, Zone.RED: 2}


def worst_zone(current: Zone | None, new: Zone | None) -> Zone | None:
    """The worse of two zones; ``None`` (not known) gives way to any zone."""
    if new is None:
        return current
    if current is None:
        return new
    return current if _ZONE_ORDER[current] >= _ZONE_ORDER[new] else new


class SessionLog(Spec):
    """The client's report on one session.

    Attributes:
        session_id: Id of the session in the plan.
        date: The day it was done (or missed).
        completed: Whether the session was done.
        pain_during: Pain during the session, 0-10.
        pain_next_morning: Pain the next morning, 0-10; omitted when not yet known.
        pain_before: Pain at rest before the session (the baseline); omitted means 0.
        swelling: Swelling or more stiffness afterwards.
        note: The client's own words.

    """

    session_id: Annotated[str, Field(min_length=1, max_length=80)]
    date: Day
    completed: Flag = True
    pain_during: PainScore = 0
    pain_next_morning: PainScore | None = None
    pain_before: PainScore = 0
    swelling: Flag = False
    note: Annotated[str, Field(max_length=2000)] = ""

    @property
    def zone(self) -> Zone | None:
        """The traffic-light zone of a completed session, or ``None`` when it was not done."""
        if not self.completed:
            return None
        next_morning_worse = self.pain_next_morning is not None and self.pain_next_morning > self.pain_before
        if self.pain_during > AMBER_MAX_PAIN or next_morning_worse or self.swelling:
            return Zone.RED
        if self.pain_during > GREEN_MAX_PAIN or self.pain_next_morning is None:
            return Zone.AMBER
        return Zone.GREEN

    @property
    def passes_check(self) -> bool:
        """Whether this log, of a readiness check, counts as passed: done, and green."""
        return self.completed and self.zone is Zone.GREEN


class SessionLogs(Spec):
    """A file of session logs.

    Attributes:
        log: The logs, in any order.

    """

    log: tuple[SessionLog, ...] = ()
