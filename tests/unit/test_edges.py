"""Dates, yes/no answers and revision numbers at the edges of what a file may hold."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import revalidatie as rv
from revalidatie.model.plan import MAX_REVISION


@pytest.fixture(scope="module")
def plan_data(catalog: rv.Catalog) -> dict[str, Any]:
    profile = rv.load_profile(Path(__file__).parents[2] / "examples" / "profiles" / "itbs.toml")
    plan = rv.plan_programme(profile, catalog)
    data: dict[str, Any] = json.loads(rv.plan_to_json(plan))
    return data


def only_problem(error: rv.InputError) -> rv.Problem:
    assert len(error.problems) == 1, error.problems
    return error.problems[0]


# --- start dates ---


@pytest.mark.parametrize(("year", "written"), [(1, "0001"), (1850, "1850"), (2300, "2300"), (9999, "9999")])
def test_a_start_date_outside_2000_to_2099_names_field_and_value(profiles_dir: Path, year: int, written: str) -> None:
    path = profiles_dir / f"start-year-{year}.toml"
    with pytest.raises(rv.ProfileError) as info:
        rv.load_profile(path)
    problem = only_problem(info.value)
    assert problem.field == "start_date"
    assert problem.value == f"datetime.date({year}, 3, 2)"
    assert str(problem) == (
        f"{path}: start_date: must be a date from 2000-01-01 to 2099-12-31; check the year "
        f"(got datetime.date({year}, 3, 2))"
    )
    assert written in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("day", ["2000-01-01", "2099-12-31"])
def test_start_dates_at_the_ends_of_the_range_are_planned_and_exported(
    full_data: dict[str, Any], catalog: rv.Catalog, day: str
) -> None:
    profile = rv.parse_profile({**full_data, "start_date": day})
    plan = rv.plan_programme(profile, catalog)
    assert plan.start.isoformat() == day
    assert rv.render_ics(plan).startswith(b"BEGIN:VCALENDAR")
    assert rv.plan_from_json(rv.plan_to_json(plan)) == plan


def test_a_clearance_date_has_the_same_range(full_data: dict[str, Any]) -> None:
    data = copy.deepcopy(full_data)
    data["screening"]["clearances"][0]["date"] = "1026-02-20"
    with pytest.raises(rv.ProfileError) as info:
        rv.parse_profile(data)
    problem = only_problem(info.value)
    assert (problem.field, problem.message) == (
        "screening.clearances[1].date",
        "must be a date from 2000-01-01 to 2099-12-31; check the year",
    )


def test_a_log_date_has_the_same_range(tmp_path: Path) -> None:
    path = tmp_path / "logs.toml"
    path.write_text('[[log]]\nsession_id = "20270118-run"\ndate = 2207-01-18\n', encoding="utf-8")
    with pytest.raises(rv.ProfileError) as info:
        rv.load_session_logs(path)
    assert str(only_problem(info.value)) == (
        f"{path}: log[1].date: must be a date from 2000-01-01 to 2099-12-31; check the year "
        "(got datetime.date(2207, 1, 18))"
    )


# --- yes/no answers ---


def test_a_screening_answer_written_as_no_is_refused(profiles_dir: Path) -> None:
    path = profiles_dir / "screening-answer-no.toml"
    with pytest.raises(rv.ProfileError) as info:
        rv.load_profile(path)
    assert str(only_problem(info.value)) == (
        f"{path}: screening.answers.cauda-equina: must be true or false, written without quotes (got 'no')"
    )


@pytest.mark.parametrize("answer", ["no", "yes", "false", "true", "0", "1", 0, 1, 0.0, None, "off"])
def test_screening_answers_must_be_true_or_false(full_data: dict[str, Any], answer: object) -> None:
    data = copy.deepcopy(full_data)
    data["screening"]["answers"]["night-pain"] = answer
    with pytest.raises(rv.ProfileError) as info:
        rv.parse_profile(data)
    problem = only_problem(info.value)
    assert (problem.field, problem.message) == (
        "screening.answers.night-pain",
        "must be true or false, written without quotes",
    )


def test_other_yes_no_fields_must_be_true_or_false(full_data: dict[str, Any]) -> None:
    with pytest.raises(rv.ProfileError) as info:
        rv.parse_profile({**full_data, "cross_training": {"pool": "yes"}})
    assert only_problem(info.value).field == "cross_training.pool"
    with pytest.raises(ValidationError, match="must be true or false"):
        rv.SessionLog.model_validate({"session_id": "20270118-run", "date": "2027-01-18", "swelling": "no"})
    with pytest.raises(ValidationError, match="must be true or false"):
        rv.SessionLog.model_validate({"session_id": "20270118-run", "date": "2027-01-18", "completed": 0})


def test_true_and_false_are_still_answers(full_data: dict[str, Any]) -> None:
    profile = rv.parse_profile(full_data)
    assert profile.screening.answers["night-pain"] is True
    assert profile.screening.answers["cauda-equina"] is False


# --- revision numbers in plan files ---


@pytest.mark.parametrize("revision", [-1, 0, 10**30, MAX_REVISION + 1])
def test_a_plan_revision_outside_1_to_2_31_is_refused(plan_data: dict[str, Any], revision: int) -> None:
    data = copy.deepcopy(plan_data)
    data["plan"]["revision"] = revision
    with pytest.raises(rv.ProfileError) as info:
        rv.plan_from_json(json.dumps(data), source="client.json")
    problem = only_problem(info.value)
    assert problem.field == "plan.revision"
    assert problem.message == "must be a whole number from 1 to 2147483647; the file is damaged"
    assert problem.value == repr(revision)


@pytest.mark.parametrize("revision", [True, "2", 1.9])
def test_a_plan_revision_that_is_not_a_whole_number_is_refused(plan_data: dict[str, Any], revision: object) -> None:
    data = copy.deepcopy(plan_data)
    data["plan"]["revision"] = revision
    with pytest.raises(rv.ProfileError) as info:
        rv.plan_from_json(json.dumps(data), source="client.json")
    assert str(only_problem(info.value)) == (
        f"client.json: plan.revision: must be a whole number; the file is damaged (got {revision!r})"
    )


def test_wrong_fields_deep_in_a_plan_file_are_named(plan_data: dict[str, Any]) -> None:
    data = copy.deepcopy(plan_data)
    data["plan"]["weeks"][0]["deload"] = "no"
    data["plan"]["profile"]["start_date"] = "0001-01-04"
    del data["plan"]["sessions"][2]["id"]
    with pytest.raises(rv.ProfileError) as info:
        rv.plan_from_json(json.dumps(data), source="client.json")
    assert [str(problem) for problem in info.value.problems] == [
        "client.json: plan.profile.start_date: must be a date from 2000-01-01 to 2099-12-31; check the year "
        "(got '0001-01-04')",
        "client.json: plan.weeks[1].deload: must be true or false; the file is damaged (got 'no')",
        "client.json: plan.sessions[3].id: is damaged or incomplete (KeyError: 'id')",
    ]


def test_a_plan_history_that_does_not_end_at_the_revision_is_refused(plan_data: dict[str, Any]) -> None:
    data = copy.deepcopy(plan_data)
    data["plan"]["revision"] = 2  # the history has revision 1 only
    with pytest.raises(rv.ProfileError) as info:
        rv.plan_from_json(json.dumps(data), source="client.json")
    problems = info.value.problems
    assert problems[0].field == "plan.history"
    assert problems[0].message == "must number the revisions 1, 2, ... up to the plan's revision 2; the file is damaged"
    assert problems[0].value == "[1]"


def test_a_plan_history_with_a_repeated_number_is_refused(plan_data: dict[str, Any]) -> None:
    data = copy.deepcopy(plan_data)
    data["plan"]["history"] = [data["plan"]["history"][0]] * 2
    data["plan"]["revision"] = 2
    with pytest.raises(rv.ProfileError) as info:
        rv.plan_from_json(json.dumps(data), source="client.json")
    assert only_problem(info.value).value == "[1, 1]"


def test_a_session_revision_above_the_plan_revision_is_refused(plan_data: dict[str, Any]) -> None:
    data = copy.deepcopy(plan_data)
    data["plan"]["sessions"][3]["revision"] = 5
    with pytest.raises(rv.ProfileError) as info:
        rv.plan_from_json(json.dumps(data), source="client.json")
    problem = only_problem(info.value)
    assert (problem.field, problem.value) == ("plan.sessions[4].revision", "5")


def test_a_revised_plan_reads_back(plan_data: dict[str, Any], catalog: rv.Catalog) -> None:
    plan = rv.plan_from_json(json.dumps(plan_data))
    revised = rv.revise(plan, [], as_of=plan.start)
    assert rv.plan_from_json(rv.plan_to_json(revised)).revision == 2
