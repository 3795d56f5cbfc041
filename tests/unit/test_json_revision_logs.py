"""A revision keeps a record of the logs it applied, and plan JSON carries it; files without it still read."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import revalidatie as rv
from revalidatie.model.plan import AppliedLog
from tests.strategies import log_for

ROOT = Path(__file__).parents[2]
AS_OF = dt.date(2027, 1, 25)


@pytest.fixture(scope="module")
def plan(catalog: rv.Catalog) -> rv.Plan:
    return rv.plan_programme(rv.load_profile(ROOT / "examples" / "profiles" / "gluteal-tendinopathy.toml"), catalog)


@pytest.fixture(scope="module")
def revised(plan: rv.Plan) -> rv.Plan:
    logs = rv.load_session_logs(ROOT / "examples" / "logs" / "gluteal-tendinopathy-week-3.toml")
    return rv.revise(plan, logs, AS_OF)


def test_a_revision_records_each_log_with_the_zone_the_planner_derived(revised: rv.Plan) -> None:
    note = revised.history[-1]
    assert note.logs is not None
    rows = [(log.session_id, log.kind.value, log.completed, log.zone) for log in note.logs]
    assert rows == [
        ("20270118-run", "run", True, rv.Zone.GREEN),
        ("20270119-strength", "strength", True, rv.Zone.GREEN),
        ("20270120-strength", "strength", True, rv.Zone.AMBER),
        ("20270121-run", "run", True, rv.Zone.RED),
        ("20270123-strength", "strength", True, rv.Zone.AMBER),  # next morning not known
        ("20270124-strength", "strength", False, None),  # not done: no zone
    ]
    red = note.logs[3]
    assert (red.pain_before, red.pain_during, red.pain_next_morning, red.swelling) == (1, 6, 3, False)
    assert note.logs[4].pain_next_morning is None
    assert all(log.check_passed is None for log in note.logs)  # none of them is a readiness check
    assert revised.history[0].logs == ()


def test_logs_are_recorded_in_session_order_whatever_order_they_come_in(plan: rv.Plan, revised: rv.Plan) -> None:
    logs = rv.load_session_logs(ROOT / "examples" / "logs" / "gluteal-tendinopathy-week-3.toml")
    backwards = rv.revise(plan, tuple(reversed(logs)), AS_OF)
    assert backwards.history[-1].logs == revised.history[-1].logs
    assert rv.revise(plan, [], AS_OF).history[-1].logs == ()  # none applied, and that is recorded
    assert backwards.sessions == revised.sessions


def test_a_readiness_check_records_whether_it_was_passed(catalog: rv.Catalog) -> None:
    plan = rv.plan_programme(rv.load_profile(ROOT / "examples" / "profiles" / "itbs.toml"), catalog)
    check = next(s for s in plan.sessions if s.kind is rv.SessionKind.CHECK)
    before = [s for s in plan.sessions if s.date < check.date]
    for zone, passed in (("green", True), ("amber", False), ("missed", False)):
        logs = [log for s in (*before[-2:], check) if (log := log_for(s, "green" if s != check else zone))]
        revised = rv.revise(plan, logs, check.date + dt.timedelta(days=1))
        recorded = {log.session_id: log for log in revised.history[-1].logs or ()}
        assert recorded[check.id].kind is rv.SessionKind.CHECK
        assert recorded[check.id].check_passed is passed, zone
        assert recorded[before[-1].id].check_passed is None


def test_the_record_round_trips_through_plan_json(revised: rv.Plan) -> None:
    data = json.loads(rv.plan_to_json(revised))
    assert data["version"] == 3
    written = data["plan"]["history"][1]["logs"][3]
    assert written == {
        "session_id": "20270121-run",
        "date": "2027-01-21",
        "kind": "run",
        "completed": True,
        "pain_before": 1,
        "pain_during": 6,
        "pain_next_morning": 3,
        "swelling": False,
        "zone": "red",
        "check_passed": None,
    }
    assert rv.plan_from_json(rv.plan_to_json(revised)) == revised


def _without_logs(data: dict[str, Any]) -> dict[str, Any]:
    """The plan as a version 2 file written before revisions kept their logs: no logs, no pauses."""
    for note in data["plan"]["history"]:
        del note["logs"]
    del data["plan"]["pauses"]
    data["version"] = 2
    return data


def test_a_version_2_file_written_before_revisions_kept_their_logs_still_reads(revised: rv.Plan) -> None:
    data = _without_logs(json.loads(rv.plan_to_json(revised)))
    old = rv.plan_from_json(json.dumps(data))
    assert [note.logs for note in old.history] == [None, None]  # not recorded
    assert [(n.number, n.changed, n.cancelled) for n in old.history] == [
        (n.number, n.changed, n.cancelled) for n in revised.history
    ]
    assert old.sessions == revised.sessions


def test_a_version_1_file_still_reads_without_logs(revised: rv.Plan) -> None:
    data = _without_logs(json.loads(rv.plan_to_json(revised)))
    data["version"] = 1
    # Version 1 warnings carried their words.
    data["plan"]["warnings"] = [
        {"code": "phase-skipped", "message": {"nl": "Fase overgeslagen.", "en": "Phase skipped."}, "week": None}
    ]
    old = rv.plan_from_json(json.dumps(data))
    assert old.history[-1].logs is None
    assert rv.warning_text(old.warnings[0], old, "en") == "Phase skipped."


def test_a_damaged_log_record_names_its_field(revised: rv.Plan) -> None:
    data = json.loads(rv.plan_to_json(revised))
    data["plan"]["history"][1]["logs"][0]["completed"] = "yes"
    with pytest.raises(rv.ProfileError) as info:
        rv.plan_from_json(json.dumps(data), source="client.json")
    (problem,) = info.value.problems
    assert problem.field == "plan.history[2].logs[1].completed"


def test_an_applied_log_is_frozen(revised: rv.Plan) -> None:
    log = (revised.history[-1].logs or ())[0]
    assert isinstance(log, AppliedLog)
    with pytest.raises(AttributeError):
        log.zone = None  # type: ignore[misc]
