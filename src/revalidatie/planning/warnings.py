"""Planner warnings: stable codes with parameters. The planner states facts; whoever shows them words them."""

from __future__ import annotations

from enum import StrEnum

from ..model.plan import PlanWarning, WarningValue


class WarningCode(StrEnum):
    """Every warning the planner gives, with the parameters each one carries."""

    PHASE_SKIPPED = "phase-skipped"
    """``phase``: a walk/run table left out because the client already runs ``minutes`` (its last stage)."""
    PHASE_MAX = "phase-max"
    """``phase`` reached its maximum length before its criteria were met."""
    RUN_DAYS = "run-days"
    """``phase``: only ``fitted`` of ``wanted`` run days fit the client's days with the rest days between."""
    STRENGTH_DAYS = "strength-days"
    """``phase``: only ``fitted`` of ``wanted`` strength days fit without two days in a row."""
    CONTRAINDICATED = "contraindicated"
    """``exercise`` does not suit the condition; ``replacement`` is given instead (empty: left out)."""
    NO_RECENT_RUNNING = "no-recent-running"
    """No run in the last 30 days: the build-up starts at ``minutes``."""
    BUILD_UP_STALLED = "build-up-stalled"
    """A run of ``minutes`` cannot grow within the single-run cap of ``percent``."""
    STAGE_TABLE_EXCEEDS_CAP = "stage-table-exceeds-cap"
    """``phase`` follows its published table although ``count`` runs are more than ``percent`` longer than the
    longest run of the 30 days before (first in ``first_week``)."""
    GOAL_NOT_REACHED = "goal-not-reached"
    """``phase`` ends at its maximum with a long run of ``reached`` minutes against a goal of ``goal``; at the
    same rate the goal is reached in programme week ``projected_week``."""
    PLAN_TOO_LONG = "plan-too-long"
    """The programme stops after ``weeks`` weeks, the longest plan made."""
    PAIN_AT_REST = "pain-at-rest"
    """Pain at rest of ``pain`` out of 10 today: no running at re-entry; running starts with a table or build-up."""
    SYMPTOMS_STOP = "symptoms-stop"
    """``phase``: the protocol says stop running and contact the physio after a run with symptoms on ``date``."""
    READINESS_NOT_PASSED = "readiness-not-passed"
    """``phase``: the readiness tests of ``date`` were not passed; the phase starts a week later, tests again."""
    WORDED = "worded"
    """A warning read from a version 1 plan file: its words as written (``nl``, ``en``) and its old ``code``."""
    ADDED_RUN_DAY = "added-run-day"
    """``phase``: a run day is added as a short run of ``minutes`` (first in the warning's week); such a week may
    exceed the weekly cap by it (docs/decisions/0004)."""
    NEEDS_BAND = "needs-band"
    """``exercise`` is done with a resistance band the profile says the client does not have."""


class Warnings:
    """The warnings of one plan, in the order first given; the same code and parameters count once."""

    def __init__(self) -> None:
        self._found: dict[tuple[object, ...], PlanWarning] = {}

    def add(self, code: WarningCode, week: int | None = None, **params: WarningValue) -> None:
        """Record a warning, unless the same one is recorded already."""
        key = (code, *sorted(params.items()))
        if key not in self._found:
            self._found[key] = PlanWarning(code=code.value, params=params, week=week)

    def all(self) -> tuple[PlanWarning, ...]:
        """Every warning, in the order first given."""
        return tuple(self._found.values())
