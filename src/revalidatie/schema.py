"""JSON Schemas of every file a person writes, for editors and for `revalidatie catalog schema`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, create_model

from .model.exercise import Condition, Exercise, RedFlag
from .model.log import SessionLogs
from .model.profile import ClientProfile
from .model.protocol import Protocol


def _array_file(name: str, key: str, model: type[BaseModel]) -> type[BaseModel]:
    fields: Any = {key: (list[model], ...)}  # type: ignore[valid-type]
    return create_model(name, **fields)


def schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each file kind, keyed by kind."""
    return {
        "exercises": _array_file("ExerciseFile", "exercise", Exercise).model_json_schema(),
        "conditions": _array_file("ConditionFile", "condition", Condition).model_json_schema(),
        "red-flags": _array_file("RedFlagFile", "red_flag", RedFlag).model_json_schema(),
        "protocol": Protocol.model_json_schema(),
        "profile": ClientProfile.model_json_schema(),
        "logs": SessionLogs.model_json_schema(),
    }
