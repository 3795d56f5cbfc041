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
from ..errors import Problem, ProfileError, error_message, show_value
from ..model.dose import Dose, DoseValue
from ..model.plan import MAX_REVISION, Plan, WarningValue

FORMAT = "revalidatie-plan"
VERSION = 3
"""Version 3: a plan may hold pauses. Version 2: warnings are codes with parameters (version 1 carried their
words). Versions 1 and 2 still read; a library that reads only those refuses a version 3 file instead of
dropping its pauses."""
_READS = (1, 2, 3)
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
    converter.register_structure_hook(WarningValue, _warning_value)
    for kind in (dt.date, dt.time, dt.datetime):
        converter.register_unstructure_hook(kind, lambda value: value.isoformat())
    # cattrs would turn true, "3" or 3.9 into a count (1, 3, 3) and "no" into true: a plan file holds them as written.
    converter.register_structure_hook(int, lambda value, _: _whole_number(value))
    converter.register_structure_hook(bool, lambda value, _: _yes_or_no(value))
    converter.register_structure_hook(dt.date, lambda value, _: dt.date.fromisoformat(value))
    converter.register_structure_hook(dt.time, lambda value, _: dt.time.fromisoformat(value))
    converter.register_structure_hook(dt.datetime, lambda value, _: dt.datetime.fromisoformat(value))
    return converter


class _NotAsWritten(TypeError):
    def __init__(self, message: str, value: object) -> None:
        self.message = message
        self.value = show_value(value)
        super().__init__(f"{message} (got {self.value})")


def _whole_number(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _NotAsWritten(error_message("error.plan-file-not-whole-number"), value)
    return value


def _yes_or_no(value: object) -> bool:
    if not isinstance(value, bool):
        raise _NotAsWritten(error_message("error.plan-file-not-bool"), value)
    return value


def _warning_value(value: object, _: object) -> WarningValue:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _NotAsWritten(error_message("error.plan-file-not-text"), value)
    return value


_CONVERTER = _converter()


def _upgraded(data: Any, version: object) -> Any:
    """Plan data of an older version in today's shape."""
    if version == 1 and isinstance(data, dict):
        # Version 1 warnings carried their words; they keep them, under a code that shows them as written.
        warnings = data.get("warnings")
        if isinstance(warnings, list):
            data = {
                **data,
                "warnings": [
                    {
                        "code": "worded",
                        "params": {"code": w.get("code"), **(w.get("message") or {})},
                        "week": w.get("week"),
                    }
                    if isinstance(w, dict)
                    else w
                    for w in warnings
                ],
            }
    return data


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
        raise ProfileError([Problem(source, "", error_message("error.plan-file-not-json", detail=str(exc)))]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ProfileError([Problem(source, "format", error_message("error.plan-file-format", format=repr(FORMAT)))])
    version = data.get("version")
    if version not in _READS:
        raise ProfileError(
            [
                Problem(
                    source,
                    "version",
                    error_message("error.plan-file-version", versions=", ".join(map(str, _READS))),
                    repr(version),
                )
            ]
        )
    try:
        plan = _CONVERTER.structure(_upgraded(data.get("plan"), version), Plan)
    except ValidationError as exc:
        raise ProfileError(validation_problems(exc, source, "plan")) from None
    except cattrs.BaseValidationError as exc:
        raise ProfileError(list(_structure_problems(exc, source, "plan"))) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise ProfileError([Problem(source, "plan", _damaged(exc))]) from None
    problems = [*_revision_problems(plan, source), *_pause_problems(plan, source)]
    if problems:
        raise ProfileError(problems)
    return plan


def _structure_problems(exc: BaseException, source: str, path: str) -> Iterator[Problem]:
    """One Problem per wrong field, with a path such as ``plan.sessions[3].minutes`` (counted from 1)."""
    if isinstance(exc, ValidationError):
        yield from validation_problems(exc, source, path)
    elif isinstance(exc, cattrs.IterableValidationError | cattrs.ClassValidationError):
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            if isinstance(note, cattrs.AttributeValidationNote):
                where = f"{path}.{note.name}"
            else:
                where = f"{path}[{note.index + 1 if isinstance(note.index, int) else note.index}]"
            yield from _structure_problems(inner, source, where)
        for inner in without:
            yield from _structure_problems(inner, source, path)
    elif isinstance(exc, _NotAsWritten):
        yield Problem(source, path, exc.message, exc.value)
    else:
        yield Problem(source, path, _damaged(exc))


def _damaged(exc: BaseException) -> str:
    return error_message("error.plan-file-damaged", reason=f"{type(exc).__name__}: {exc}")


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
            error_message("error.plan-file-revision", last=MAX_REVISION),
            repr(revision),
        )
        return
    numbers = [note.number for note in plan.history]
    if len(numbers) != revision or any(number != n for n, number in enumerate(numbers, start=1)):
        yield Problem(
            source,
            "plan.history",
            error_message("error.plan-file-history", revision=revision),
            show_value(numbers),
        )
    revisions: tuple[tuple[str, tuple[int, ...]], ...] = (
        ("sessions", tuple(s.revision for s in plan.sessions)),
        ("cancelled", tuple(c.revision for c in plan.cancelled)),
        ("pauses", tuple(p.changed for p in plan.pauses)),
    )
    for field, numbers_of in revisions:
        for n, number in enumerate(numbers_of, start=1):
            if not 1 <= number <= revision:
                yield Problem(
                    source,
                    f"plan.{field}[{n}].revision",
                    error_message("error.plan-file-session-revision", revision=revision),
                    repr(number),
                )


def _pause_problems(plan: Plan, source: str) -> Iterator[Problem]:
    """Pauses out of order: only the last may still hold, and each changed on or after it began."""
    for n, pause in enumerate(plan.pauses, start=1):
        if not 1 <= pause.revision <= pause.changed:
            yield Problem(
                source,
                f"plan.pauses[{n}].revision",
                error_message("error.plan-file-pause-revision"),
                repr(pause.revision),
            )
        if not pause.resumed and n < len(plan.pauses):
            yield Problem(source, f"plan.pauses[{n}].resumed", error_message("error.plan-file-pause-resumed"))


def write_json(plan: Plan, path: str | Path) -> Path:
    """Write the plan as JSON to ``path`` atomically and return the path."""
    return write_atomically(Path(path), render_json(plan))
