"""Reading client profiles from TOML and JSON, and the screening and catalog checks before planning."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import revalidatie as rv
from revalidatie.planning.screening import require_clear, screen


def load_error(path: Path) -> rv.ProfileError:
    with pytest.raises(rv.ProfileError) as info:
        rv.load_profile(path)
    return info.value


def only_problem(error: rv.InputError) -> rv.Problem:
    assert len(error.problems) == 1, error.problems
    return error.problems[0]


# --- valid files ---


@pytest.mark.parametrize("name", ["full.toml", "full.json"])
def test_full_profile_reads_every_field(profiles_dir: Path, name: str) -> None:
    profile = rv.load_profile(profiles_dir / name)
    assert profile.name == "Anna de Vries"
    assert profile.client_id == "anna-de-vries-2026"
    assert profile.language is rv.Language.EN
    assert profile.condition == "labral-tear"
    assert profile.side is rv.Side.LEFT
    assert profile.confirmed_by == "Dr. P. Bakker, sports physician"
    assert profile.protocol == "hip-overload"
    assert profile.start_date == dt.date(2026, 3, 2)
    assert profile.timezone == "Europe/Brussels"
    assert profile.available_days == (rv.Weekday.MON, rv.Weekday.WED, rv.Weekday.FRI, rv.Weekday.SAT)
    assert profile.preferred_time == dt.time(7, 30)
    assert profile.easy_pace_min_per_km == 6.5
    assert profile.notes == "Bring your running shoes to the next appointment."
    assert profile.running.pain_free_minutes == 10
    assert profile.running.weekly_minutes_before == 150
    assert profile.running.runs_per_week_before == 3
    assert profile.running.longest_run_last_30_days == 20
    assert profile.running.typical_run_before == 50
    assert profile.goal.run_minutes == 45
    assert profile.goal.description == "The Dam tot Damloop in September"
    assert (profile.cross_training.pool, profile.cross_training.cross_trainer, profile.cross_training.bike) == (
        True,
        False,
        True,
    )
    assert len(profile.screening.answers) == 11
    assert profile.screening.answers["night-pain"] is True
    assert sum(profile.screening.answers.values()) == 1
    (clearance,) = profile.screening.clearances
    assert clearance.flag == "night-pain"
    assert clearance.by == "Dr. P. Bakker"
    assert clearance.date == dt.date(2026, 2, 20)
    assert clearance.note.startswith("MRI shows a labral tear")
    assert profile.contact.clinician == "Jan Jansen"
    assert profile.contact.practice == "Fysio Centrum"
    assert profile.contact.phone == "+31 20 123 4567"
    assert profile.contact.email == "jan@fysiocentrum.example"
    assert profile.first_name == "Anna"


def test_full_profile_sets_every_field(full_data: dict[str, Any]) -> None:
    # The full fixture must stay full: a field added to ClientProfile belongs in the fixture too.
    assert set(full_data) == set(rv.ClientProfile.model_fields)


def test_toml_and_json_give_the_same_profile(profiles_dir: Path) -> None:
    assert rv.load_profile(profiles_dir / "full.toml") == rv.load_profile(profiles_dir / "full.json")


@pytest.mark.parametrize("name", ["bom.toml", "bom.json"])
def test_utf8_with_byte_order_mark_loads(profiles_dir: Path, name: str) -> None:
    assert (profiles_dir / name).read_bytes().startswith(b"\xef\xbb\xbf")
    assert rv.load_profile(profiles_dir / name) == rv.load_profile(profiles_dir / "full.toml")


def test_load_profile_accepts_a_string_path(profiles_dir: Path) -> None:
    assert rv.load_profile(str(profiles_dir / "full.toml")).name == "Anna de Vries"


def test_parse_profile_takes_already_parsed_data(full_data: dict[str, Any], profiles_dir: Path) -> None:
    assert rv.parse_profile(full_data) == rv.load_profile(profiles_dir / "full.toml")


def test_defaults_of_a_minimal_profile() -> None:
    profile = rv.parse_profile(
        {"name": "Bo", "condition": "itbs", "side": "right", "start_date": "2026-01-05", "available_days": ["di", "do"]}
    )
    assert profile.language is rv.Language.NL
    assert profile.timezone == "Europe/Amsterdam"
    assert profile.preferred_time == dt.time(18, 0)
    assert profile.client_id is None
    assert profile.protocol is None
    assert profile.screening.answers == {}


# --- weekdays ---


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("maandag", rv.Weekday.MON),
        ("ma", rv.Weekday.MON),
        ("monday", rv.Weekday.MON),
        ("mon", rv.Weekday.MON),
        ("Maandag", rv.Weekday.MON),
        (" MONDAY ", rv.Weekday.MON),
        ("dinsdag", rv.Weekday.TUE),
        ("wo", rv.Weekday.WED),
        ("thursday", rv.Weekday.THU),
        ("vr", rv.Weekday.FRI),
        ("zaterdag", rv.Weekday.SAT),
        ("zo", rv.Weekday.SUN),
        ("sunday", rv.Weekday.SUN),
    ],
)
def test_weekday_names_in_dutch_and_english(full_data: dict[str, Any], written: str, day: rv.Weekday) -> None:
    # Paired with a day that no alias of `day` can be, so the pair is always two different days.
    other = "wednesday" if day is not rv.Weekday.WED else "friday"
    profile = rv.parse_profile({**full_data, "available_days": [written, other]})
    assert day in profile.available_days
    assert len(profile.available_days) == 2


def test_weekday_aliases_file_sorts_days_monday_first(profiles_dir: Path) -> None:
    profile = rv.load_profile(profiles_dir / "weekday-aliases.toml")
    assert profile.available_days == (
        rv.Weekday.MON,
        rv.Weekday.TUE,
        rv.Weekday.WED,
        rv.Weekday.THU,
        rv.Weekday.SUN,
    )
    assert [day.number for day in profile.available_days] == [0, 1, 2, 3, 6]


@pytest.mark.parametrize("written", ["mondag", "lundi", "m", "", "1"])
def test_unknown_weekday_names_the_list_item(full_data: dict[str, Any], written: str) -> None:
    with pytest.raises(rv.ProfileError) as info:
        rv.parse_profile({**full_data, "available_days": ["di", written, "vr"]}, "client.toml")
    problem = only_problem(info.value)
    assert problem.field == "available_days[2]"
    assert problem.value == repr(written)


# --- broken files ---


def test_bad_time_zone(profiles_dir: Path) -> None:
    problem = only_problem(load_error(profiles_dir / "bad-timezone.toml"))
    assert problem.source == str(profiles_dir / "bad-timezone.toml")
    assert problem.field == "timezone"
    assert "'Europe/Amsterdm' is not an IANA time zone" in problem.message
    assert problem.value == "'Europe/Amsterdm'"


def test_empty_name(profiles_dir: Path) -> None:
    problem = only_problem(load_error(profiles_dir / "empty-name.toml"))
    assert problem.source == str(profiles_dir / "empty-name.toml")
    assert problem.field == "name"
    assert problem.value == "'   '"


def test_name_with_newline(profiles_dir: Path) -> None:
    problem = only_problem(load_error(profiles_dir / "name-newline.toml"))
    assert problem.field == "name"
    assert problem.message == "must be one line without control characters or line breaks"
    assert problem.value == repr("Anna\nde Vries")


@pytest.mark.parametrize("separator", ["\u0085", "\u2028", "\u2029", "\x7f", "\x1b"])
def test_name_with_a_unicode_line_break_or_control_character(full_data: dict[str, Any], separator: str) -> None:
    with pytest.raises(rv.ProfileError) as info:
        rv.parse_profile({**full_data, "name": f"Anna{separator}de Vries"}, "client.toml")
    assert only_problem(info.value).field == "name"


@pytest.mark.parametrize("zone", ["localtime", "posixrules", "Factory", "right/UTC", "posix/Europe/Amsterdam"])
def test_machine_specific_time_zone_names_are_refused(full_data: dict[str, Any], zone: str) -> None:
    with pytest.raises(rv.ProfileError) as info:
        rv.parse_profile({**full_data, "timezone": zone}, "client.toml")
    assert only_problem(info.value).field == "timezone"


def test_a_huge_integer_is_reported_not_crashed_on(tmp_path: Path) -> None:
    path = tmp_path / "client.toml"
    path.write_text("name = 0x" + "f" * 5000 + "\n", encoding="utf-8")
    problems = load_error(path).problems
    name = next(p for p in problems if p.field == "name")
    assert name.value == "<an integer of 20000 bits>"


def test_a_key_with_a_line_break_stays_on_one_line_in_the_message(full_data: dict[str, Any]) -> None:
    with pytest.raises(rv.ProfileError) as info:
        rv.parse_profile({**full_data, "goal": {"run_minutes": 30, "bad\nkey": 1}}, "client.toml")
    problem = only_problem(info.value)
    assert problem.field == 'goal."bad\\nkey"'
    assert "\n" not in str(problem)


def test_duplicate_weekday_shows_the_days_as_written(profiles_dir: Path) -> None:
    problem = only_problem(load_error(profiles_dir / "duplicate-weekday.toml"))
    assert problem.source == str(profiles_dir / "duplicate-weekday.toml")
    assert problem.field == "available_days"
    assert problem.message == "names a weekday twice"
    assert problem.value == "['maandag', 'wo', 'monday']"


def test_negative_minutes(profiles_dir: Path) -> None:
    problem = only_problem(load_error(profiles_dir / "negative-minutes.toml"))
    assert problem.field == "running.pain_free_minutes"
    assert "greater than or equal to 0" in problem.message
    assert problem.value == "-5"


def test_unknown_field(profiles_dir: Path) -> None:
    problem = only_problem(load_error(profiles_dir / "unknown-field.toml"))
    assert problem.source == str(profiles_dir / "unknown-field.toml")
    assert problem.field == "goal.run_minute"
    assert "not a known field; check the spelling" in problem.message
    assert problem.value == "45"


def test_wrong_type(profiles_dir: Path) -> None:
    problem = only_problem(load_error(profiles_dir / "wrong-type.toml"))
    assert problem.field == "goal.run_minutes"
    assert "valid integer" in problem.message
    assert problem.value == "'three quarters of an hour'"


def test_json_with_a_duplicate_key(profiles_dir: Path) -> None:
    problem = only_problem(load_error(profiles_dir / "duplicate-key.json"))
    assert problem.source == str(profiles_dir / "duplicate-key.json")
    assert problem.field == ""
    assert problem.message == "is not valid JSON: key 'name' appears twice in one object"


def test_json_with_a_duplicate_key_in_a_nested_object(tmp_path: Path) -> None:
    path = tmp_path / "client.json"
    path.write_text('{"running": {"pain_free_minutes": 1, "pain_free_minutes": 2}}', encoding="utf-8")
    assert "key 'pain_free_minutes' appears twice" in only_problem(load_error(path)).message


def test_unknown_suffix(profiles_dir: Path) -> None:
    problem = only_problem(load_error(profiles_dir / "profile.yaml"))
    assert problem.source == str(profiles_dir / "profile.yaml")
    assert "unknown file type; use a .toml or .json file" in problem.message
    assert problem.value == ".yaml"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nobody.toml"
    problem = only_problem(load_error(path))
    assert problem.source == str(path)
    assert problem.message == "file not found; check the path"


def test_folder_instead_of_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "client.toml"
    folder.mkdir()
    problem = only_problem(load_error(folder))
    assert problem.source == str(folder)
    assert problem.message == "is a folder; give the path of a file"


def test_invalid_utf8_names_the_byte_offset(profiles_dir: Path) -> None:
    path = profiles_dir / "latin1.toml"
    problem = only_problem(load_error(path))
    assert problem.source == str(path)
    offset = path.read_bytes().index(b"\xeb")
    assert problem.message == f"is not UTF-8 text (bad byte at offset {offset}); save the file as UTF-8"


def test_invalid_toml_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "client.toml"
    path.write_text('name = "Anna"\nside = left\n', encoding="utf-8")
    problem = only_problem(load_error(path))
    assert problem.message.startswith("is not valid TOML")
    assert "line 2" in problem.message


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "client.json"
    path.write_text('{\n  "name": "Anna",\n  "side": left\n}', encoding="utf-8")
    problem = only_problem(load_error(path))
    assert problem.message == "is not valid JSON: Expecting value at line 3, column 11"


def test_json_array_at_the_top(tmp_path: Path) -> None:
    path = tmp_path / "client.json"
    path.write_text("[1, 2]", encoding="utf-8")
    assert only_problem(load_error(path)).message == "must hold a table of fields at the top, not a list"


def test_several_wrong_fields_are_all_reported(full_data: dict[str, Any]) -> None:
    data = {**full_data, "side": "middle", "goal": {"run_minutes": 1000}, "easy_pace_min_per_km": "fast"}
    del data["start_date"]
    with pytest.raises(rv.ProfileError) as info:
        rv.parse_profile(data, "client.toml")
    by_field = {p.field: p for p in info.value.problems}
    assert set(by_field) == {"side", "goal.run_minutes", "easy_pace_min_per_km", "start_date"}
    assert by_field["side"].value == "'middle'"
    assert by_field["goal.run_minutes"].value == "1000"
    assert by_field["start_date"].message == "is required but missing"
    assert by_field["start_date"].value is None
    assert {p.source for p in info.value.problems} == {"client.toml"}


def test_running_history_must_be_consistent(full_data: dict[str, Any]) -> None:
    data = copy.deepcopy(full_data)
    data["running"]["runs_per_week_before"] = 0
    with pytest.raises(rv.ProfileError) as info:
        rv.parse_profile(data)
    problem = only_problem(info.value)
    assert "runs_per_week_before is 0 but weekly_minutes_before is above 0" in problem.message


def test_preferred_time_with_an_offset_is_refused(full_data: dict[str, Any]) -> None:
    with pytest.raises(rv.ProfileError) as info:
        rv.parse_profile({**full_data, "preferred_time": "07:30:00+02:00"})
    problem = only_problem(info.value)
    assert problem.field == "preferred_time"
    assert "without offset" in problem.message


def test_profile_error_is_a_value_error(profiles_dir: Path) -> None:
    error = load_error(profiles_dir / "wrong-type.toml")
    assert isinstance(error, ValueError)
    assert isinstance(error, rv.RevalidatieError)
    assert error.kind == "profile"


# --- error messages ---


def test_one_problem_is_one_readable_line(profiles_dir: Path) -> None:
    path = profiles_dir / "negative-minutes.toml"
    assert str(load_error(path)) == (
        f"{path}: running.pain_free_minutes: Input should be greater than or equal to 0 (got -5)"
    )


def test_several_problems_are_one_line_each(full_data: dict[str, Any]) -> None:
    data = {**full_data, "side": "middle", "timezone": "Mars/Olympus", "nmae": "x"}
    with pytest.raises(rv.ProfileError) as info:
        rv.parse_profile(data, "client.toml")
    lines = str(info.value).splitlines()
    assert lines[0] == "3 problems:"
    assert len(lines) == 1 + len(info.value.problems) == 4
    assert sorted(line.split(": ")[1] for line in lines[1:]) == ["nmae", "side", "timezone"]
    assert all(line.startswith("  client.toml: ") for line in lines[1:])


def test_long_values_are_shortened_in_messages(full_data: dict[str, Any]) -> None:
    with pytest.raises(rv.ProfileError) as info:
        rv.parse_profile({**full_data, "side": "x" * 500}, "client.toml")
    value = only_problem(info.value).value
    assert value is not None
    assert len(value) == 80
    assert value.endswith("...")
    assert "\n" not in str(info.value)


# --- screening and catalog checks, through plan_programme ---


def plan(data: dict[str, Any], catalog: rv.Catalog) -> rv.Plan:
    return rv.plan_programme(rv.parse_profile(data), catalog, source="client.toml")


def test_full_profile_with_cleared_urgent_flag_is_planned(full_data: dict[str, Any], catalog: rv.Catalog) -> None:
    made = plan(full_data, catalog)
    assert made.sessions
    assert made.condition.id == "labral-tear"
    result = screen(rv.parse_profile(full_data), catalog)
    assert result.clear
    ((finding, clearance),) = result.cleared
    assert finding.flag_id == "night-pain"
    assert finding.urgency == "urgent"
    assert clearance.by == "Dr. P. Bakker"


def test_unanswered_red_flag_question(full_data: dict[str, Any], catalog: rv.Catalog) -> None:
    del full_data["screening"]["answers"]["limping"]
    with pytest.raises(rv.ProfileError) as info:
        plan(full_data, catalog)
    problem = only_problem(info.value)
    assert problem.source == "client.toml"
    assert problem.field == "screening.answers.limping"
    assert "is not answered" in problem.message


def test_no_screening_at_all_lists_every_question(full_data: dict[str, Any], catalog: rv.Catalog) -> None:
    del full_data["screening"]
    with pytest.raises(rv.ProfileError) as info:
        plan(full_data, catalog)
    assert [p.field for p in info.value.problems] == [f"screening.answers.{flag}" for flag in catalog.red_flags]


def test_unknown_answer_id(full_data: dict[str, Any], catalog: rv.Catalog) -> None:
    full_data["screening"]["answers"]["made-up-flag"] = False
    with pytest.raises(rv.ProfileError) as info:
        plan(full_data, catalog)
    problem = only_problem(info.value)
    assert problem.field == "screening.answers.made-up-flag"
    assert "not a red flag in the catalog" in problem.message


def test_clearance_for_unknown_flag(full_data: dict[str, Any], catalog: rv.Catalog) -> None:
    full_data["screening"]["clearances"][0]["flag"] = "made-up-flag"
    with pytest.raises(rv.ProfileError) as info:
        screen(rv.parse_profile(full_data), catalog, source="client.toml")
    problem = only_problem(info.value)
    assert problem.field == "screening.clearances[1].flag"
    assert problem.value == "'made-up-flag'"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_urgent_flag_answered_yes_requires_referral(
    full_data: dict[str, Any], catalog: rv.Catalog, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVALIDATIE_LANG", language)  # the header is the interface's, the findings the client's
    full_data["language"] = language
    full_data["screening"]["clearances"] = []
    with pytest.raises(rv.ReferralRequired) as info:
        plan(full_data, catalog)
    error = info.value
    flag = catalog.red_flags["night-pain"]
    (finding,) = error.findings
    assert finding.flag_id == "night-pain"
    assert finding.urgency == "urgent"
    assert finding.question == flag.question(language)
    assert finding.suspicion == flag.suspicion(language)
    assert finding.action == flag.action(language)
    assert error.client == "Anna de Vries"
    assert error.language == language
    header = {
        "nl": "Geen programma voor Anna de Vries: verwijzing nodig (1):",
        "en": "No programme for Anna de Vries: referral required (1):",
    }[language]
    assert str(error).splitlines() == [header, f"  [urgent] {finding.question} -> {finding.action}"]


def test_referral_texts_really_differ_by_language(full_data: dict[str, Any], catalog: rv.Catalog) -> None:
    full_data["screening"]["clearances"] = []
    texts = {}
    for language in ("nl", "en"):
        with pytest.raises(rv.ReferralRequired) as info:
            plan({**full_data, "language": language}, catalog)
        texts[language] = info.value.findings[0].action
    assert texts["nl"].startswith("Stop met het programma")
    assert texts["en"].startswith("Stop the programme")


def test_emergency_flag_with_clearance_still_requires_referral(full_data: dict[str, Any], catalog: rv.Catalog) -> None:
    full_data["screening"]["answers"]["cannot-bear-weight"] = True
    full_data["screening"]["clearances"].append(
        {"flag": "cannot-bear-weight", "by": "Dr. P. Bakker", "date": "2026-02-21", "note": "Says it is fine."}
    )
    with pytest.raises(rv.ReferralRequired) as info:
        plan(full_data, catalog)
    # The cleared urgent flag passes; the emergency flag does not, clearance or not.
    assert [(f.flag_id, f.urgency) for f in info.value.findings] == [("cannot-bear-weight", "emergency")]
    assert "[emergency]" in str(info.value)


def test_every_flag_answered_yes_lists_every_flag_once(full_data: dict[str, Any], catalog: rv.Catalog) -> None:
    full_data["screening"]["answers"] = dict.fromkeys(catalog.red_flags, True)
    full_data["screening"]["clearances"] = []
    with pytest.raises(rv.ReferralRequired) as info:
        require_clear(rv.parse_profile(full_data), catalog)
    assert [f.flag_id for f in info.value.findings] == list(catalog.red_flags)
    assert len(str(info.value).splitlines()) == 1 + len(catalog.red_flags)


def test_require_clear_returns_the_screening_result(full_data: dict[str, Any], catalog: rv.Catalog) -> None:
    result = require_clear(rv.parse_profile(full_data), catalog)
    assert result.findings == ()
    assert [finding.flag_id for finding, _ in result.cleared] == ["night-pain"]


def test_unknown_condition_lists_the_known_ids(full_data: dict[str, Any], catalog: rv.Catalog) -> None:
    full_data["condition"] = "tennis-elbow"
    with pytest.raises(rv.ProfileError) as info:
        plan(full_data, catalog)
    problem = only_problem(info.value)
    assert problem.source == "client.toml"
    assert problem.field == "condition"
    assert problem.value == "'tennis-elbow'"
    for condition_id in catalog.conditions:
        assert condition_id in problem.message


def test_condition_alias_is_planned_as_its_condition(full_data: dict[str, Any], catalog: rv.Catalog) -> None:
    full_data["condition"] = "gtps"
    assert plan(full_data, catalog).condition.id == "gluteal-tendinopathy"


@pytest.mark.parametrize("condition", ["labral-tear", "labrum-tear", "hip-osteoarthritis"])
def test_confirmation_required_without_confirmed_by(
    full_data: dict[str, Any], catalog: rv.Catalog, condition: str
) -> None:
    full_data["condition"] = condition
    full_data["confirmed_by"] = "   "
    with pytest.raises(rv.ProfileError) as info:
        plan(full_data, catalog)
    problem = only_problem(info.value)
    assert problem.field == "confirmed_by"
    assert "is required for" in problem.message
    found = catalog.find_condition(condition)
    assert found is not None
    assert f"is required for {found.id}:" in problem.message


def test_unknown_protocol_lists_the_known_ids(full_data: dict[str, Any], catalog: rv.Catalog) -> None:
    full_data["protocol"] = "no-such-protocol"
    with pytest.raises(rv.ProfileError) as info:
        plan(full_data, catalog)
    problem = only_problem(info.value)
    assert problem.field == "protocol"
    assert all(protocol_id in problem.message for protocol_id in catalog.protocols)


def test_unknown_condition_is_reported_before_screening(full_data: dict[str, Any], catalog: rv.Catalog) -> None:
    # Both wrong: the condition is the more basic mistake and is reported first.
    full_data["condition"] = "tennis-elbow"
    full_data["screening"]["answers"]["cannot-bear-weight"] = True
    with pytest.raises(rv.ProfileError) as info:
        plan(full_data, catalog)
    assert only_problem(info.value).field == "condition"


def test_the_models_own_checks_speak_the_interface_language(
    full_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVALIDATIE_LANG", "nl")
    with pytest.raises(rv.ProfileError) as info:
        rv.parse_profile({**full_data, "timezone": "Mars/Olympus"}, "client.toml")
    (problem,) = info.value.problems
    assert str(problem) == (
        "client.toml: timezone: 'Mars/Olympus' is geen IANA-tijdzone; gebruik een naam zoals 'Europe/Amsterdam' "
        "of 'Europe/Brussels' (gegeven: 'Mars/Olympus')"
    )
