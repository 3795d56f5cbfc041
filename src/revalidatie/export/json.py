"""Plans as JSON.

``plan_to_json`` and ``plan_from_json`` round-trip every field, so a plan can be stored and revised later.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cattrs
from pydantic import BaseModel, TypeAdapter, ValidationError

from .._atomic import write_atomically
from .._documents import read_file, validation_problems
from ..errors import Problem, ProfileError, show_value
from ..model.dose import Dose, DoseValue
from ..model.plan import Plan

FORMAT = "revalidatie-plan"
VERSION = 1
MAX_REVISION = 2**31 - 1
"""Highest revision a plan file may have: the calendar's SEQUENCE (revision - 1) is a 32-bit signed integer."""
MAX_PLAN_BYTES = 64 * 1024 * 1024
"""Largest plan file read (64 MiB); a year-long plan is well under 2 MiB."""

_DOSE = TypeAdapter[DoseValue](Dose)
_DATA = TypeAdapter[Any](Any)


def _converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, BaseModel),
        lambda model: model.model_dump(mode="json"),
    )
    converter.register_structure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, BaseModel),
        lambda data, cls: cls.model_validate(data),
    )
    converter.register_unstructure_hook(DoseValue, lambda dose: dose.model_dump(mode="json"))
    converter.register_structure_hook(DoseValue, lambda data, _: _DOSE.validate_python(data))
    for kind in (dt.date, dt.time, dt.datetime):
        converter.register_unstructure_hook(kind, lambda value: value.isoformat())
    converter.register_structure_hook(dt.date, lambda value, _: dt.date.fromisoformat(value))
    converter.register_structure_hook(dt.time, lambda value, _: dt.time.fromisoformat(value))
    converter.register_structure_hook(dt.datetime, lambda value, _: dt.datetime.fromisoformat(value))
    return converter


_CONVERTER = _converter()


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON-ready data, with a format tag and version."""
    return {"format": FORMAT, "version": VERSION, "plan": _CONVERTER.unstructure(plan)}


def render_json(plan: Plan) -> bytes:
    """The plan as UTF-8 JSON bytes, indented, keys in field order: the same plan always gives the same bytes."""
    # pydantic's encoder: the standard library's pure-Python indenting encoder took ten times as long.
    return _DATA.dump_json(plan_to_dict(plan), indent=1)


def plan_to_json(plan: Plan) -> str:
    """The plan as a JSON string."""
    return render_json(plan).decode("utf-8")


def plan_from_json(text: str | bytes, *, source: str = "<plan>") -> Plan:
    """Read a plan written by :func:`plan_to_json`.

    Raises:
        ProfileError: The text is not a plan of a version this library reads.

    """
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise ProfileError([Problem(source, "", f"is not valid JSON ({exc})")]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ProfileError([Problem(source, "format", f"is not a plan file; expected format {FORMAT!r}")])
    if data.get("version") != VERSION:
        raise ProfileError(
            [
                Problem(
                    source,
                    "version",
                    f"is not a plan version this library reads ({VERSION})",
                    repr(data.get("version")),
                )
            ]
        )
    try:
        plan = _CONVERTER.structure(data.get("plan"), Plan)
    except ValidationError as exc:
        raise ProfileError(validation_problems(exc, source, "plan")) from None
    except (cattrs.BaseValidationError, KeyError, TypeError, ValueError) as exc:
        raise ProfileError(
            [Problem(source, "plan", f"is damaged or incomplete ({type(exc).__name__}: {exc})")]
        ) from None
    problems = list(_revision_problems(plan, source))
    if problems:
        raise ProfileError(problems)
    return plan


def read_plan(path: str | Path) -> Plan:
    """Read a plan file written by :func:`write_json`.

    Raises:
        ProfileError: The file is missing, not a regular file, larger than :data:`MAX_PLAN_BYTES`, or not a
            plan this library reads.

    """
    path = Path(path)
    return plan_from_json(read_file(path, MAX_PLAN_BYTES, ProfileError), source=str(path))


def _revision_problems(plan: Plan, source: str) -> Iterator[Problem]:
    """Revision numbers that a calendar cannot carry or that do not follow one another."""
    revision = plan.revision
    if not 1 <= revision <= MAX_REVISION:
        yield Problem(
            source,
            "plan.revision",
            f"must be a whole number from 1 to {MAX_REVISION}; the file is damaged",
            repr(revision),
        )
        return
    numbers = [note.number for note in plan.history]
    if len(numbers) != revision or any(number != n for n, number in enumerate(numbers, start=1)):
        yield Problem(
            source,
            "plan.history",
            f"must number the revisions 1, 2, ... up to the plan's revision {revision}; the file is damaged",
            show_value(numbers),
        )
    for n, session in enumerate(plan.sessions, start=1):
        if not 1 <= session.revision <= revision:
            yield Problem(
                source,
                f"plan.sessions[{n}].revision",
                f"must be from 1 to the plan's revision {revision}; the file is damaged",
                repr(session.revision),
            )
    for n, cancelled in enumerate(plan.cancelled, start=1):
        if not 1 <= cancelled.revision <= revision:
            yield Problem(
                source,
                f"plan.cancelled[{n}].revision",
                f"must be from 1 to the plan's revision {revision}; the file is damaged",
                repr(cancelled.revision),
            )


def write_json(plan: Plan, path: str | Path) -> Path:
    """Write the plan as JSON to ``path`` atomically and return the path."""
    return write_atomically(Path(path), render_json(plan))
