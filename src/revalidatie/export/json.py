"""Plans as JSON.

``plan_to_json`` and ``plan_from_json`` round-trip every field, so a plan can be stored and revised later.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import cattrs
from pydantic import BaseModel, TypeAdapter, ValidationError

from .._atomic import write_atomically
from .._documents import validation_problems
from ..errors import Problem, ProfileError
from ..model.dose import Dose, DoseValue
from ..model.plan import Plan, WarningValue

FORMAT = "revalidatie-plan"
VERSION = 2
"""Version 2: warnings are codes with parameters (version 1 carried their words); version 1 still reads."""
_READS = (1, 2)

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
    converter.register_structure_hook(dt.date, lambda value, _: dt.date.fromisoformat(value))
    converter.register_structure_hook(dt.time, lambda value, _: dt.time.fromisoformat(value))
    converter.register_structure_hook(dt.datetime, lambda value, _: dt.datetime.fromisoformat(value))
    return converter


def _warning_value(value: object, _: object) -> WarningValue:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TypeError(f"a warning parameter is a text or a number, not {value!r}")
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
        raise ProfileError([Problem(source, "", f"is not valid JSON ({exc})")]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ProfileError([Problem(source, "format", f"is not a plan file; expected format {FORMAT!r}")])
    version = data.get("version")
    if version not in _READS:
        raise ProfileError(
            [
                Problem(
                    source,
                    "version",
                    f"is not a plan version this library reads ({', '.join(map(str, _READS))}); a newer plan needs a "
                    "newer revalidatie",
                    repr(version),
                )
            ]
        )
    try:
        return _CONVERTER.structure(_upgraded(data.get("plan"), version), Plan)
    except ValidationError as exc:
        raise ProfileError(validation_problems(exc, source, "plan")) from None
    except (cattrs.BaseValidationError, KeyError, TypeError, ValueError) as exc:
        raise ProfileError(
            [Problem(source, "plan", f"is damaged or incomplete ({type(exc).__name__}: {exc})")]
        ) from None


def write_json(plan: Plan, path: str | Path) -> Path:
    """Write the plan as JSON to ``path`` atomically and return the path."""
    return write_atomically(Path(path), render_json(plan))
