"""Fuzzing every loader: whatever a person or a damaged file feeds in, only a RevalidatieError may come out.

Every loader is fed arbitrary text, arbitrary bytes, arbitrary JSON and TOML structures, pathologically deep
nesting, and valid documents with one field damaged. Files are written into a fresh
``tempfile.TemporaryDirectory()`` per example, because the function-scoped ``tmp_path`` fixture is shared by
every example hypothesis runs.
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, event, example, given, note, settings
from hypothesis import strategies as st

import revalidatie as rv
from revalidatie._documents import parse_document
from revalidatie.catalog import load_catalog_folders
from tests.strategies import (
    FieldPath,
    catalog_documents,
    dotted,
    json_documents,
    json_values,
    lenient_text,
    mutated_plans,
    mutated_profiles,
    nested_documents,
    python_values,
    toml_documents,
)

# Pathological nesting: far past the recursion limit, in every bracket kind the two formats have.
DEEP = 100_000
DEEP_CASES = {
    "json-open-arrays": "[" * DEEP,
    "json-open-objects": "{" + '"a":[' * DEEP,
    "json-closed-arrays-in-a-field": '{"name": ' + "[" * DEEP + "]" * DEEP + "}",
    "json-closed-arrays": "[" * DEEP + "]" * DEEP,
    "toml-open-arrays": "a = " + "[" * DEEP,
    "toml-open-inline-tables": "a = " + "{b = " * DEEP,
    "toml-closed-arrays": "a = " + "[" * DEEP + "]" * DEEP,
    "toml-table-headers": "[" * DEEP,
}
DEEP_JSON = tuple(text for name, text in DEEP_CASES.items() if name.startswith("json"))
DEEP_TOML = tuple(text for name, text in DEEP_CASES.items() if name.startswith("toml"))

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_SLOW = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_revalidatie_errors(load: Callable[[], object]) -> rv.RevalidatieError | None:
    """Run ``load``; return the RevalidatieError it raised, or ``None``. Anything else propagates and fails."""
    try:
        load()
    except rv.RevalidatieError as exc:
        # The error must be usable: a message, and (for input errors) problems that render to text.
        assert str(exc)
        if isinstance(exc, rv.InputError):
            assert exc.problems
            assert all(str(problem) for problem in exc.problems)
        return exc
    return None


@contextmanager
def file_with(name: str, content: str | bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        yield path


def feed_every_loader(name: str, content: str | bytes) -> None:
    """Give ``content`` as a file called ``name`` to each file loader, and to a catalog folder holding it."""
    with file_with(name, content) as path:
        only_revalidatie_errors(lambda: rv.load_profile(path))
        only_revalidatie_errors(lambda: rv.load_session_logs(path))
        only_revalidatie_errors(lambda: load_catalog_folders([path.parent]))
    with file_with(f"protocols/{name}", content) as path:
        only_revalidatie_errors(lambda: load_catalog_folders([path.parent.parent]))


def to_toml(document: dict[str, Any]) -> str:
    return tomli_w.dumps(document)


def to_json(document: object) -> str:
    return json.dumps(document)


# --- arbitrary text and bytes ---


@FUZZ
@given(text=st.text())
@example(text="")
@example(text="\ufeff")
@example(text="\x00")
@example(text="name = 0x" + "f" * 100)
@example(text="[exercise]\nid = 1")
@example(text="exercise = 5")
@example(text="[[exercise]]\n[[exercise]]")
@example(text="1" * 5000)
@example(text='{"a": ' + "1" * 5000 + "}")
@example(text="NaN")
@example(text='{"plan": NaN, "format": "revalidatie-plan", "version": 1}')
def test_parse_document_raises_only_revalidatie_errors_for_any_text(text: str) -> None:
    for fmt in ("toml", "json"):
        try:
            data = parse_document(text, fmt, "fuzz.txt", rv.ProfileError)
        except rv.ProfileError as exc:
            assert [p.source for p in exc.problems] == ["fuzz.txt"]
        else:
            assert isinstance(data, dict)


@pytest.mark.parametrize("text", list(DEEP_CASES.values()), ids=list(DEEP_CASES))
@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_parse_document_survives_nesting_far_past_the_recursion_limit(text: str, fmt: str) -> None:
    error = only_revalidatie_errors(lambda: parse_document(text, fmt, "deep", rv.CatalogError))
    # None of these is a valid document of either format, so every one must be reported.
    assert isinstance(error, rv.CatalogError)
    assert error.problems[0].source == "deep"


@FUZZ
@given(text=st.one_of(st.text(st.characters(codec="utf-8")), lenient_text))
@example(text=DEEP_JSON[0])
@example(text=DEEP_JSON[2])
@example(text=DEEP_TOML[0])
@example(text=DEEP_TOML[1])
@example(text="exercise = [1, 2]")
@example(text='[[exercise]]\nid = "x"\nnmae = 1')
@example(text='[[red_flag]]\nid = "rf"\nurgency = "soon"')
def test_file_loaders_raise_only_revalidatie_errors_for_any_text(text: str) -> None:
    feed_every_loader("fuzz.toml", text)
    feed_every_loader("fuzz.json", text)


@FUZZ
@given(raw=st.binary(max_size=300))
@example(raw=b"\xff\xfe\x00\x00")
@example(raw=b"\xef\xbb\xbf")
@example(raw=b"\xef\xbb\xbf{}")
@example(raw=b"name = \xe9")
@example(raw=b"\x00" * 10)
def test_file_loaders_raise_only_revalidatie_errors_for_any_bytes(raw: bytes) -> None:
    feed_every_loader("fuzz.toml", raw)
    feed_every_loader("fuzz.json", raw)


@FUZZ
@given(content=st.one_of(st.text(), st.binary(max_size=300)))
@example(content=DEEP_JSON[0])
@example(content=DEEP_JSON[3])
@example(content=b"\xff\xfe")
@example(content='{"format": "revalidatie-plan", "version": 1}')
@example(content='{"format": "revalidatie-plan", "version": 1, "plan": null}')
@example(content='{"format": "revalidatie-plan", "version": 1, "plan": []}')
@example(content='{"format": "revalidatie-plan", "version": 1, "plan": {"id": ' + "[" * 5000 + "]" * 5000 + "}}")
def test_plan_from_json_raises_only_revalidatie_errors_for_any_input(content: str | bytes) -> None:
    error = only_revalidatie_errors(lambda: rv.plan_from_json(content, source="fuzz.json"))
    # No random text is a plan, so it must be rejected (and as a ProfileError naming the source).
    assert isinstance(error, rv.ProfileError)
    assert {p.source for p in error.problems} == {"fuzz.json"}


@FUZZ
@given(fmt=st.sampled_from(["json", "toml"]), data=st.data())
def test_nesting_around_the_recursion_limit_is_reported_not_crashed(fmt: str, data: st.DataObject) -> None:
    text = data.draw(nested_documents(fmt=fmt))
    note(f"{len(text)} characters")
    feed_every_loader(f"deep.{fmt}", text)
    only_revalidatie_errors(lambda: parse_document(text, fmt, "deep", rv.ProfileError))
    if fmt == "json":
        only_revalidatie_errors(lambda: rv.plan_from_json(text))


# --- arbitrary structures, serialised ---


@FUZZ
@given(document=json_documents)
@example(document={"name": [[[[[[[[[[]]]]]]]]]]})
@example(document={"exercise": {"id": "x"}})
@example(document={"log": [None]})
@example(document={"available_days": ["maandag", "maandag"]})
@example(document={"timezone": "../../etc/passwd"})
@example(document={"easy_pace_min_per_km": math.inf})
def test_json_structures_raise_only_revalidatie_errors(document: dict[str, Any]) -> None:
    text = to_json(document)
    feed_every_loader("fuzz.json", text)
    only_revalidatie_errors(lambda: rv.parse_profile(document, "fuzz"))
    only_revalidatie_errors(lambda: rv.plan_from_json(text))
    only_revalidatie_errors(
        lambda: rv.plan_from_json(to_json({"format": "revalidatie-plan", "version": 1, **document}))
    )


@FUZZ
@given(document=toml_documents)
@example(document={"exercise": [{"id": "fuzz-one", "name": {"nl": "x"}}]})
@example(document={"phases": [{"include": "walk-run-20"}], "id": "fuzz-protocol"})
@example(document={"preferred_time": "07:30:00+02:00"})
def test_toml_structures_raise_only_revalidatie_errors(document: dict[str, Any]) -> None:
    text = to_toml(document)
    feed_every_loader("fuzz.toml", text)
    only_revalidatie_errors(lambda: rv.parse_profile(document, "fuzz"))


@FUZZ
@given(document=catalog_documents)
def test_catalog_shaped_documents_raise_only_catalog_errors(document: dict[str, Any]) -> None:
    with file_with("exercises/fuzz.toml", to_toml(document)) as path:
        error = only_revalidatie_errors(lambda: load_catalog_folders([path.parent.parent]))
    if error is not None:
        assert isinstance(error, rv.CatalogError)
        # Problems point into the generated file (or, for links, at an entry it defines).
        assert {p.source for p in error.problems} == {str(path)}


# --- almost valid documents: one field damaged ---


def names_field(problem: rv.Problem, path: FieldPath) -> bool:
    """Whether ``problem`` points at the field at ``path``, at something inside it, or at its list or table."""
    field = dotted(path)
    if problem.field == field or problem.field.startswith((f"{field}.", f"{field}[")):
        return True
    if problem.field and field.startswith((f"{problem.field}.", f"{problem.field}[")):
        return True
    # A check across fields (e.g. runs per week against weekly minutes) is reported on the whole profile,
    # with the fields it compares named in the message.
    leaf = next(part for part in reversed(path) if isinstance(part, str))
    return problem.field == "" and leaf in problem.message


@FUZZ_SLOW
@given(mutation=mutated_profiles(values=python_values))
def test_profile_with_one_bad_field_names_that_field(mutation: tuple[dict[str, Any], FieldPath]) -> None:
    data, path = mutation
    note(f"changed {dotted(path)} to {_value_at(data, path)!r}")
    error = only_revalidatie_errors(lambda: rv.parse_profile(data, "client.toml"))
    event("rejected" if error else "still valid")
    if error is None:
        return
    assert isinstance(error, rv.ProfileError)
    assert {p.source for p in error.problems} == {"client.toml"}
    assert any(names_field(p, path) for p in error.problems), error.problems


@FUZZ_SLOW
@given(mutation=mutated_profiles(values=json_values), fmt=st.sampled_from(["json", "toml"]))
def test_profile_file_with_one_bad_field_names_that_field_and_the_file(
    mutation: tuple[dict[str, Any], FieldPath], fmt: str
) -> None:
    data, path = mutation
    if fmt == "toml":
        if _value_at(data, path) is None:
            return  # TOML has no null, so this damage cannot be written as TOML
        data = _without_none(data)
    note(f"changed {dotted(path)} to {_value_at(data, path)!r}")
    with file_with(f"client.{fmt}", to_toml(data) if fmt == "toml" else to_json(data)) as file:
        error = only_revalidatie_errors(lambda: rv.load_profile(file))
        event("rejected" if error else "still valid")
        if error is None:
            return
        assert isinstance(error, rv.ProfileError)
        assert {p.source for p in error.problems} == {str(file)}
        assert any(names_field(p, path) for p in error.problems), error.problems


@FUZZ_SLOW
@given(mutation=mutated_plans())
def test_plan_file_with_one_bad_field_raises_only_profile_errors(mutation: tuple[dict[str, Any], FieldPath]) -> None:
    data, path = mutation
    note(f"changed {dotted(path)} to {_value_at(data, path)!r}")
    error = only_revalidatie_errors(lambda: rv.plan_from_json(to_json(data), source="plan.json"))
    event("rejected" if error else "still valid")
    if error is not None:
        assert isinstance(error, rv.ProfileError)
        assert {p.source for p in error.problems} == {"plan.json"}


def _value_at(data: Any, path: FieldPath) -> object:
    for part in path:
        data = data[part]
    return data


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value if v is not None]
    return value
