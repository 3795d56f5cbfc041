"""Reading TOML and JSON documents, and turning pydantic errors into Problems with readable field paths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

import revalidatie as rv
from revalidatie._documents import parse_document, read_document, validate, validation_problems
from revalidatie.errors import show_value
from revalidatie.model.exercise import Exercise
from revalidatie.model.protocol import Protocol

EXERCISE: dict[str, Any] = {
    "id": "side-step",
    "name": {"nl": "Zijstap", "en": "Side step"},
    "purpose": {"nl": "Sterker.", "en": "Stronger."},
    "steps": {"nl": ["Een.", "Twee.", "Drie."], "en": ["One.", "Two.", "Three."]},
    "cues": {"nl": ["Rechtop."], "en": ["Upright."]},
    "mistakes": {"nl": ["Slepen."], "en": ["Dragging."]},
    "category": "strength",
    "source": "Practice",
}


def problems_for(model: type[BaseModel], data: object, prefix: str = "") -> list[rv.Problem]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return validation_problems(info.value, "file.toml", prefix)


def exercise_with(**changes: Any) -> dict[str, Any]:
    data = {key: (dict(value) if isinstance(value, dict) else value) for key, value in EXERCISE.items()}
    data.update(changes)
    return data


# --- validation_problems: field paths ---


def test_the_valid_exercise_fixture_is_valid() -> None:
    # The other tests change one thing in it; it must be valid to start with.
    assert Exercise.model_validate(EXERCISE).id == "side-step"


def test_list_index_is_shown_one_based_after_the_prefix() -> None:
    steps = {"nl": ["Een.", "Twee.", "   "], "en": ["One.", "Two.", "Three."]}
    (problem,) = problems_for(Exercise, exercise_with(steps=steps), "exercise[2]")
    assert problem.field == "exercise[2].steps.nl[3]"
    assert problem.source == "file.toml"
    assert problem.value == "'   '"


def test_prefix_with_an_id_is_kept_as_written() -> None:
    (problem,) = problems_for(Exercise, exercise_with(category="cardio"), "exercise[side-step]")
    assert problem.field == "exercise[side-step].category"
    assert problem.value == "'cardio'"


def test_without_prefix_the_path_starts_at_the_field() -> None:
    (problem,) = problems_for(Exercise, exercise_with(category="cardio"))
    assert problem.field == "category"


def test_list_at_the_top_is_shown_as_a_bare_index() -> None:
    with pytest.raises(ValidationError) as info:
        TypeAdapter(list[int]).validate_python([1, 2, "three"])
    (problem,) = validation_problems(info.value, "file.json")
    assert problem.field == "[3]"
    assert problem.value == "'three'"


def test_nested_lists_show_every_index() -> None:
    with pytest.raises(ValidationError) as info:
        TypeAdapter(dict[str, list[list[int]]]).validate_python({"grid": [[1], [2, "x"]]})
    (problem,) = validation_problems(info.value, "file.json", "table")
    assert problem.field == "table.grid[2][2]"


def test_dict_keys_are_path_parts() -> None:
    with pytest.raises(ValidationError) as info:
        TypeAdapter(dict[str, dict[str, bool]]).validate_python({"answers": {"night-pain": "maybe"}})
    (problem,) = validation_problems(info.value, "client.toml", "screening")
    assert problem.field == "screening.answers.night-pain"
    assert problem.value == "'maybe'"


def test_deep_protocol_path_names_the_kind_after_the_list_position() -> None:
    # As docs/protocol-format.md describes: the kind the value was read as follows the list position.
    protocol: dict[str, Any] = {
        "id": "fuzz-protocol",
        "name": {"nl": "P", "en": "P"},
        "summary": {"nl": "S", "en": "S"},
        "source": "Practice",
        "phases": [
            {"include": "walk-run-20"},
            {
                "id": "run",
                "name": {"nl": "R", "en": "R"},
                "goal": {"nl": "G", "en": "G"},
                "max_weeks": 4,
                "running": {
                    "kind": "stages",
                    "stages": [
                        {"kind": "duration", "minutes": 10},
                        {"kind": "intervals", "repeats": 2, "segments": [{"pace": "sprint", "minutes": 1}]},
                    ],
                },
            },
        ],
    }
    problems = problems_for(Protocol, protocol)
    paces = [p for p in problems if p.field.endswith(".pace")]
    assert [p.field for p in paces] == ["phases[2].phase.running.stages.stages[2].intervals.segments[1].pace"]
    assert paces[0].value == "'sprint'"


# --- validation_problems: messages and values ---


def test_missing_field_has_no_value() -> None:
    data = exercise_with()
    del data["source"]
    (problem,) = problems_for(Exercise, data, "exercise[side-step]")
    assert problem.field == "exercise[side-step].source"
    assert problem.message == "is required but missing"
    assert problem.value is None


def test_unknown_field_suggests_checking_the_spelling() -> None:
    (problem,) = problems_for(Exercise, exercise_with(soruce="typo"), "exercise[side-step]")
    assert problem.field == "exercise[side-step].soruce"
    assert problem.message == "is not a known field; check the spelling (see `revalidatie catalog schema`)"
    assert problem.value == "'typo'"


def test_custom_validator_message_loses_pydantics_prefix() -> None:
    (problem,) = problems_for(Exercise, exercise_with(harder="side-step"), "exercise[side-step]")
    assert problem.field == "exercise[side-step]"
    assert problem.message == "exercise 'side-step' names itself as its easier or harder variant"
    assert not problem.message.startswith("Value error")


def test_translation_with_a_different_number_of_items_names_the_english_list() -> None:
    steps = {"nl": ["Een.", "Twee."], "en": ["One."]}
    (problem,) = problems_for(Exercise, exercise_with(steps=steps), "exercise[1]")
    assert problem.field == "exercise[1].steps.en"
    assert problem.message == "has 1 items but nl has 2; translate every item"


def test_every_wrong_field_is_a_problem_in_input_order() -> None:
    data = exercise_with(category="cardio", laterality="sideways", id="Side Step")
    problems = problems_for(Exercise, data, "exercise[3]")
    assert [p.field for p in problems] == ["exercise[3].id", "exercise[3].category", "exercise[3].laterality"]


def test_long_values_are_cut_to_eighty_characters() -> None:
    (problem,) = problems_for(Exercise, exercise_with(category="c" * 1000))
    assert problem.value is not None
    assert len(problem.value) == 80
    assert problem.value == repr("c" * 1000)[:77] + "..."


@pytest.mark.parametrize(
    ("value", "shown"),
    [("x", "'x'"), (5, "5"), (None, "None"), ([1, 2], "[1, 2]"), ("a\nb", "'a\\nb'"), (dt.date(2026, 1, 2), None)],
)
def test_show_value_is_a_single_line_repr(value: object, shown: str | None) -> None:
    assert show_value(value) == (shown if shown is not None else repr(value))
    assert "\n" not in show_value(value)


# --- validate ---


class _Point(BaseModel):
    model_config = ConfigDict(extra="forbid")
    x: int
    y: int = 0


def test_validate_returns_the_model() -> None:
    assert validate(_Point, {"x": 3}, "point.toml", "", rv.ProfileError) == _Point(x=3, y=0)


@pytest.mark.parametrize("error", [rv.ProfileError, rv.CatalogError])
def test_validate_raises_the_error_type_it_is_given(error: type[rv.InputError]) -> None:
    with pytest.raises(error) as info:
        validate(_Point, {"x": "three", "z": 1}, "point.toml", "point[1]", error)
    assert type(info.value) is error
    assert [(p.source, p.field, p.value) for p in info.value.problems] == [
        ("point.toml", "point[1].x", "'three'"),
        ("point.toml", "point[1].z", "1"),
    ]


class _Bottomless(BaseModel):
    x: int

    @model_validator(mode="after")
    def _recurse(self) -> _Bottomless:
        raise RecursionError


def test_validate_reports_too_deep_data_instead_of_crashing() -> None:
    with pytest.raises(rv.CatalogError) as info:
        validate(_Bottomless, {"x": 1}, "deep.toml", "exercise[2]", rv.CatalogError)
    (problem,) = info.value.problems
    assert (problem.source, problem.field) == ("deep.toml", "exercise[2]")
    assert problem.message == "is nested too deeply to validate"


# --- parse_document ---


def test_parse_toml_keeps_toml_dates_and_times() -> None:
    data = parse_document("start = 2026-03-02\nat = 07:30:00\nn = 1.5\n", "toml", "a.toml", rv.ProfileError)
    assert data == {"start": dt.date(2026, 3, 2), "at": dt.time(7, 30), "n": 1.5}


def test_parse_json() -> None:
    assert parse_document('{"a": [1, {"b": null}]}', "json", "a.json", rv.ProfileError) == {"a": [1, {"b": None}]}


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        pytest.param("a = ", "toml", "is not valid TOML: Invalid value (at end of document)", id="toml-no-value"),
        pytest.param("a = 1\na = 2", "toml", "is not valid TOML: Cannot overwrite a value", id="toml-key-twice"),
        pytest.param('{"a": 1,}', "json", "is not valid JSON: ", id="json-trailing-comma"),
        pytest.param('{"a": 1, "a": 2}', "json", "is not valid JSON: key 'a' appears twice", id="json-key-twice"),
        pytest.param(
            '{"x": {"a": 1, "a": 2}}', "json", "is not valid JSON: key 'a' appears twice", id="json-nested-twice"
        ),
        pytest.param("[1]", "json", "must hold a table of fields at the top, not a list", id="json-list"),
        pytest.param('"text"', "json", "must hold a table of fields at the top, not a str", id="json-string"),
        pytest.param("3", "json", "must hold a table of fields at the top, not a int", id="json-number"),
        pytest.param("", "json", "is not valid JSON: Expecting value at line 1, column 1", id="json-empty"),
        pytest.param("[" * 100_000, "json", "is nested too deeply to read; flatten", id="json-deep"),
        pytest.param("a = " + "[" * 100_000, "toml", "is nested too deeply to read; flatten", id="toml-deep"),
    ],
)
def test_parse_errors_name_the_source_and_what_is_wrong(text: str, fmt: str, message: str) -> None:
    # Parser wording after the first words differs between Python versions; the start is ours.
    with pytest.raises(rv.CatalogError) as info:
        parse_document(text, fmt, "source.txt", rv.CatalogError)
    (problem,) = info.value.problems
    assert (problem.source, problem.field) == ("source.txt", "")
    assert problem.message.startswith(message)


def test_json_number_too_long_to_convert_is_a_problem_not_a_crash() -> None:
    with pytest.raises(rv.ProfileError) as info:
        parse_document('{"a": ' + "1" * 5000 + "}", "json", "big.json", rv.ProfileError)
    (problem,) = info.value.problems
    assert problem.message.startswith("is not valid JSON: Exceeds the limit (4300 digits)")


def test_empty_toml_is_an_empty_table() -> None:
    assert parse_document("# only a comment\n", "toml", "a.toml", rv.ProfileError) == {}


# --- read_document ---


@pytest.mark.parametrize(("name", "content"), [("a.TOML", "x = 1"), ("a.Json", '{"x": 1}'), ("a.toml", "x = 1")])
def test_suffix_decides_the_format_in_any_case(tmp_path: Path, name: str, content: str) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    assert read_document(tmp_path / name, rv.ProfileError) == {"x": 1}


def test_json_content_in_a_toml_file_is_read_as_toml(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('{"x": 1}', encoding="utf-8")
    with pytest.raises(rv.ProfileError) as info:
        read_document(tmp_path / "a.toml", rv.ProfileError)
    assert info.value.problems[0].message.startswith("is not valid TOML")


def test_file_without_suffix(tmp_path: Path) -> None:
    (tmp_path / "client").write_text("x = 1", encoding="utf-8")
    with pytest.raises(rv.ProfileError) as info:
        read_document(tmp_path / "client", rv.ProfileError)
    (problem,) = info.value.problems
    assert problem.message == "unknown file type; use a .toml or .json file"
    assert problem.value is None


def test_unreadable_path_is_a_problem(tmp_path: Path) -> None:
    # A file used as a folder: the operating system refuses with an OSError that is neither case above.
    (tmp_path / "file.toml").write_text("x = 1", encoding="utf-8")
    path = tmp_path / "file.toml" / "inner.toml"
    with pytest.raises(rv.CatalogError) as info:
        read_document(path, rv.CatalogError)
    (problem,) = info.value.problems
    assert problem.source == str(path)
    assert problem.message == "cannot be read (Not a directory)"


def test_byte_order_mark_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b'\xef\xbb\xbf{"x": "\xc3\xab"}')
    assert read_document(tmp_path / "a.json", rv.ProfileError) == {"x": "ë"}


def test_utf16_file_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text("x = 1", encoding="utf-16")
    with pytest.raises(rv.ProfileError) as info:
        read_document(tmp_path / "a.toml", rv.ProfileError)
    assert info.value.problems[0].message == "is not UTF-8 text (bad byte at offset 0); save the file as UTF-8"


# --- Problem and InputError text ---


def test_problem_text_with_and_without_field_and_value() -> None:
    assert str(rv.Problem("a.toml", "name", "is wrong", "'x'")) == "a.toml: name: is wrong (got 'x')"
    assert str(rv.Problem("a.toml", "", "is not UTF-8")) == "a.toml: is not UTF-8"


def test_input_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        rv.ProfileError([])


# --- pydantic's errors in the interface language ---


class _Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: int = Field(default=1, ge=1, le=10)
    ratio: float = Field(default=0.5, gt=0, lt=1)
    flag: bool = False
    name: str = Field(default="ab", min_length=2, max_length=5)
    items: list[int] = Field(default=[1], min_length=1, max_length=2)
    side: Literal["left", "right"] = "left"
    day: dt.date = dt.date(2027, 1, 4)


@pytest.mark.parametrize(
    ("data", "english", "dutch"),
    [
        ({"count": 0}, "Input should be greater than or equal to 1", "moet groter dan of gelijk aan 1 zijn"),
        ({"count": 11}, "Input should be less than or equal to 10", "moet kleiner dan of gelijk aan 10 zijn"),
        ({"count": "veel"}, "Input should be a valid integer", "moet een geheel getal zijn"),
        ({"ratio": 0}, "Input should be greater than 0", "moet groter dan 0 zijn"),
        ({"ratio": 1}, "Input should be less than 1", "moet kleiner dan 1 zijn"),
        ({"ratio": "half"}, "Input should be a valid number", "moet een getal zijn"),
        ({"flag": "misschien"}, "Input should be a valid boolean (true or false)", "moet true of false zijn"),
        ({"name": "a"}, "String should have at least 2 characters", "moet minstens 2 tekens hebben"),
        ({"name": "abcdef"}, "String should have at most 5 characters", "mag hoogstens 5 tekens hebben"),
        ({"items": []}, "should have at least 1 item, not 0", "moet minstens 1 element hebben, niet 0"),
        ({"items": [1, 2, 3]}, "should have at most 2 items, not 3", "mag hoogstens 2 elementen hebben, niet 3"),
        ({"side": "middle"}, "Input should be 'left' or 'right'", "moet een van deze zijn: 'left' of 'right'"),
        ({"day": "4 januari"}, "Input should be a valid date in the format YYYY-MM-DD", "moet een geldige datum zijn"),
        ({"colour": "red"}, "is not a known field", "is geen bekend veld"),
    ],
)
def test_pydantics_common_errors_are_worded_in_the_interface_language(
    monkeypatch: pytest.MonkeyPatch, data: dict[str, object], english: str, dutch: str
) -> None:
    (problem,) = problems_for(_Sample, data)
    assert problem.message.startswith(english)
    monkeypatch.setenv("REVALIDATIE_LANG", "nl")
    (problem,) = problems_for(_Sample, data)
    assert problem.message.startswith(dutch)
    assert problem.field == next(iter(data))


class _Timed(BaseModel):
    wait: dt.timedelta


def test_an_error_type_without_a_message_keeps_pydantics_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVALIDATIE_LANG", "nl")
    (problem,) = problems_for(_Timed, {"wait": "soon"})
    assert problem.message.startswith("Input should be a valid timedelta")
