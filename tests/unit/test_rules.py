"""The rule texts the handout and the calendar share, made from a protocol's own rules."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import revalidatie as rv
from revalidatie.export import rules
from revalidatie.model.exercise import Progression
from revalidatie.model.log import AMBER_MAX_PAIN, GREEN_MAX_PAIN, Zone
from revalidatie.model.protocol import BuildUp, Stages, SymptomAction, SymptomRules

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def itbs(catalog: rv.Catalog) -> rv.Plan:
    return rv.plan_programme(rv.load_profile(ROOT / "examples" / "profiles" / "itbs.toml"), catalog)


def _with_table_rules(plan: rv.Plan, **changes: object) -> tuple[rv.Plan, str]:
    placed = next(p for p in plan.phases if isinstance(p.phase.running, Stages))
    running = placed.phase.running
    assert isinstance(running, Stages)
    changed = running.model_copy(update=changes)
    phase = placed.phase.model_copy(update={"running": changed})
    phases = tuple(attrs.evolve(p, phase=phase) if p is placed else p for p in plan.phases)
    return attrs.evolve(plan, phases=phases), phase.name("en")


def _table(plan: rv.Plan, title: str) -> rules.ZoneRules:
    return next(r for r in rules.zone_rules(plan, "en") if r.title == title)


def test_zone_meanings_use_the_thresholds_the_logs_are_read_with() -> None:
    assert f"0 to {GREEN_MAX_PAIN}" in rules.zone_meaning(Zone.GREEN, "en")
    assert f"{GREEN_MAX_PAIN + 1} to {AMBER_MAX_PAIN}" in rules.zone_meaning(Zone.AMBER, "en")
    assert f"above {AMBER_MAX_PAIN}" in rules.zone_meaning(Zone.RED, "en")
    assert "zwelling" in rules.zone_meaning(Zone.RED, "nl")


@pytest.mark.parametrize(
    ("amber", "red", "rest_days", "amber_text", "red_text"),
    [
        (
            "stay",
            "rest-then-previous-stage",
            1,
            "Stay at this stage; this run does not count.",
            "Rest a day, then go back one stage.",
        ),
        ("repeat-stage", "back-one-stage", 1, "Start this stage again.", "Rest the next day. Go back one stage."),
        ("back-one-stage", "stop-and-contact", 1, "Go back one stage.", "Stop running and contact your physio."),
        (
            "rest-then-previous-stage",
            "rest-then-previous-stage",
            3,
            "Rest 3 days, then go back one stage.",
            "Rest 3 days, then go back one stage.",
        ),
    ],
)
def test_every_symptom_action_has_its_own_words(
    itbs: rv.Plan, amber: str, red: str, rest_days: int, amber_text: str, red_text: str
) -> None:
    symptoms = SymptomRules(amber=SymptomAction(amber), red=SymptomAction(red), rest_days=rest_days)
    plan, title = _with_table_rules(itbs, symptoms=symptoms)
    table = _table(plan, title)
    assert table.amber == amber_text
    assert table.red == red_text


def test_tries_rest_days_and_repeated_failures_come_from_the_table(itbs: rv.Plan) -> None:
    plan, title = _with_table_rules(
        itbs,
        min_sessions_per_stage=3,
        rest_days_between=2,
        sessions_per_week=2,
        symptoms=SymptomRules(back_after_failures=2),
    )
    table = _table(plan, title)
    assert "3 tries" in table.green
    assert "Keep 2 days without running between two run days." in table.notes
    assert "After 2 amber or red runs at the same stage, go back one stage." in table.notes


def test_the_build_up_cap_is_halved_for_a_slow_condition(itbs: rv.Plan) -> None:
    title = next(p.phase.name("en") for p in itbs.phases if isinstance(p.phase.running, BuildUp))
    assert "at most 10% longer" in _table(itbs, title).green
    slow = attrs.evolve(itbs, condition=itbs.condition.model_copy(update={"progression": Progression.SLOW}))
    assert "at most 5% longer" in _table(slow, title).green


def test_a_sessions_rules_are_those_of_its_own_work(itbs: rv.Plan) -> None:
    run = next(s for s in itbs.sessions if s.kind is rv.SessionKind.RUN and s.stage is not None)
    strength = next(s for s in itbs.sessions if s.kind is rv.SessionKind.STRENGTH)
    run_rules = rules.session_rules(itbs, run, "en")
    strength_rules = rules.session_rules(itbs, strength, "en")
    assert run_rules is not None
    assert strength_rules is not None
    assert "tries" in run_rules.green
    assert strength_rules.red == "Rest the next day. Then one step lighter."
