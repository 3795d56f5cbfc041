"""Every hypothesis strategy of the test suite (convention: strategies live here and nowhere else)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from hypothesis import strategies as st

import revalidatie as rv

_CATALOG = rv.load_catalog()
RED_FLAGS = tuple(_CATALOG.red_flags)
URGENT_FLAGS = tuple(f.id for f in _CATALOG.red_flags.values() if f.urgency is rv.Urgency.URGENT)
EMERGENCY_FLAGS = tuple(f.id for f in _CATALOG.red_flags.values() if f.urgency is rv.Urgency.EMERGENCY)
CONDITIONS = tuple(_CATALOG.conditions)
PROTOCOLS = tuple(_CATALOG.protocols)
WEEKDAYS = tuple(rv.Weekday)

names = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "M", "Zs", "Pd"]), min_size=1, max_size=60
).filter(lambda s: s.strip() != "")


@st.composite
def running_histories(draw: st.DrawFn) -> dict[str, Any]:
    runs_per_week = draw(st.integers(0, 7))
    weekly = 0.0 if runs_per_week == 0 else draw(st.floats(0, 400, allow_nan=False))
    return {
        "pain_free_minutes": draw(st.floats(0, 90, allow_nan=False)),
        "weekly_minutes_before": weekly,
        "runs_per_week_before": runs_per_week,
        "longest_run_last_30_days": draw(st.one_of(st.just(0.0), st.floats(0, 150, allow_nan=False))),
        "reentry_fraction": draw(st.sampled_from([0.5, 0.5, 0.3, 0.8])),
    }


@st.composite
def profiles(draw: st.DrawFn, *, clear: bool = True, condition: str | None = None) -> rv.ClientProfile:
    """Valid client profiles; with ``clear`` every red-flag answer is "no" (or an urgent flag is cleared)."""
    chosen = condition or draw(st.sampled_from(CONDITIONS))
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=2, max_size=7, unique=True))
    answers = dict.fromkeys(RED_FLAGS, False)
    clearances = []
    if clear and draw(st.booleans()):
        flag = draw(st.sampled_from(URGENT_FLAGS))
        answers[flag] = True
        clearances.append({"flag": flag, "by": "J. de Vries", "date": "2026-11-01", "note": "Assessed, no fracture."})
    data = {
        "name": draw(names),
        "condition": chosen,
        "side": draw(st.sampled_from(["left", "right", "both"])),
        "confirmed_by": "Dr. Bakker",
        "start_date": draw(st.dates(dt.date(2025, 1, 1), dt.date(2030, 12, 31))),
        "language": draw(st.sampled_from(["nl", "en"])),
        "timezone": draw(st.sampled_from(["Europe/Amsterdam", "Europe/Brussels", "America/New_York", "UTC"])),
        "available_days": [d.value for d in days],
        "preferred_time": draw(st.times()).replace(microsecond=0, tzinfo=None).isoformat(),
        "running": draw(running_histories()),
        "goal": {
            "run_minutes": draw(st.integers(5, 120)),
            "race": draw(st.sampled_from([None, None, "5k", "10k", "half-marathon", "marathon"])),
        },
        "strength": {"gym": draw(st.booleans()), "weights": draw(st.booleans()), "bands": draw(st.booleans())},
        "pain_now": draw(st.sampled_from([0, 0, 0, 1, 2, 4])),
        "second_session_time": draw(st.sampled_from([None, "07:00:00", "21:30:00"])),
        "easy_pace_min_per_km": draw(st.sampled_from([4.5, 7.0, 9.5])),
        "cross_training": {
            "pool": draw(st.booleans()),
            "cross_trainer": draw(st.booleans()),
            "bike": draw(st.booleans()),
        },
        "screening": {"answers": answers, "clearances": clearances},
    }
    if draw(st.booleans()):
        data["protocol"] = draw(st.sampled_from(PROTOCOLS))
    return rv.parse_profile(data)


@st.composite
def flagged_profiles(draw: st.DrawFn) -> rv.ClientProfile:
    """Profiles with at least one red flag that stops planning (emergency, or urgent without clearance)."""
    profile = draw(profiles())
    answers = dict.fromkeys(RED_FLAGS, False)
    flagged = draw(st.lists(st.sampled_from(RED_FLAGS), min_size=1, unique=True))
    for flag in flagged:
        answers[flag] = True
    # An emergency flag may even carry a "clearance": it must still stop planning.
    clearances = [
        {"flag": flag, "by": "X", "date": "2026-11-01", "note": "n"} for flag in flagged if flag in EMERGENCY_FLAGS
    ]
    if not any(flag in EMERGENCY_FLAGS for flag in flagged):
        clearances = []
    screening = {"answers": answers, "clearances": clearances}
    return rv.parse_profile({**profile.model_dump(mode="json"), "screening": screening})


zones = st.sampled_from(["green", "amber", "red", "missed", "unlogged"])


def log_for(session: rv.Session, zone: str) -> rv.SessionLog | None:
    """A session log that falls in ``zone`` (``None`` for an unlogged session)."""
    if zone == "unlogged":
        return None
    if zone == "missed":
        return rv.SessionLog(session_id=session.id, date=session.date, completed=False)
    during, morning, swelling = {"green": (1, 0, False), "amber": (4, 0, False), "red": (7, 3, True)}[zone]
    return rv.SessionLog(
        session_id=session.id, date=session.date, pain_during=during, pain_next_morning=morning, swelling=swelling
    )


# --- loader fuzzing ---

_FUZZ_ROOT_MODELS: tuple[type[Any], ...] = (rv.ClientProfile, rv.SessionLog, rv.Exercise, rv.Condition, rv.RedFlag)


def _field_names() -> tuple[str, ...]:
    """Every field name of the models people write, so fuzzed documents often reach the validators."""
    from pydantic import BaseModel

    names: set[str] = {"exercise", "condition", "red_flag", "log", "format", "version", "plan", "include"}
    seen: set[type[BaseModel]] = set()
    pending: list[type[BaseModel]] = [*_FUZZ_ROOT_MODELS, rv.Protocol, rv.Phase]
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        names.update(model.model_fields)
        pending.extend(model.__subclasses__())
        for info in model.model_fields.values():
            for arg in _type_args(info.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    pending.append(arg)
    return tuple(sorted(names))


def _type_args(annotation: object) -> list[object]:
    import typing

    found: list[object] = [annotation]
    for arg in typing.get_args(annotation):
        found.extend(_type_args(arg))
    return found


FIELD_NAMES = _field_names()
EXERCISES = tuple(_CATALOG.exercises)

# Strings a person really writes in these files: ids, weekday names, dates, dose kinds, zones.
_REALISTIC_STRINGS = (
    *RED_FLAGS,
    *CONDITIONS,
    *PROTOCOLS,
    *EXERCISES[:10],
    *(day.value for day in WEEKDAYS),
    "maandag",
    "ma",
    "monday",
    "2026-03-02",
    "07:30",
    "2026-03-02T07:30:00Z",
    "reps",
    "hold",
    "duration",
    "distance",
    "intervals",
    "stages",
    "build-up",
    "maintain",
    "nl",
    "en",
    "left",
    "Europe/Amsterdam",
    "revalidatie-plan",
    "",
    " ",
)

# Text without lone surrogates, so every generated document can be written to a file as UTF-8.
fuzz_text = st.text(st.characters(codec="utf-8"), max_size=20)
fuzz_keys = st.one_of(st.sampled_from(FIELD_NAMES), fuzz_text)
fuzz_strings = st.one_of(st.sampled_from(_REALISTIC_STRINGS), fuzz_text)

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), fuzz_strings)
"""Anything ``json.dumps`` writes as a scalar, NaN and infinities included (Python's json reads them)."""

json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(fuzz_keys, inner, max_size=4)),
    max_leaves=16,
)
json_documents = st.dictionaries(fuzz_keys, json_values, max_size=6)
"""Top-level JSON objects of arbitrary shape, with keys that are often real field names."""

_toml_scalars = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(),
    fuzz_strings,
    st.dates(),
    st.times(),
    st.datetimes(timezones=st.sampled_from([None, dt.UTC, dt.timezone(dt.timedelta(hours=2))])),
)
toml_values = st.recursive(
    _toml_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(fuzz_keys, inner, max_size=4)),
    max_leaves=16,
)
toml_documents = st.dictionaries(fuzz_keys, toml_values, max_size=6)
"""Top-level TOML tables (what ``tomli_w.dumps`` accepts), including dates, times and nested arrays of tables."""

catalog_documents = st.fixed_dictionaries(
    {},
    optional={
        kind: st.lists(st.dictionaries(fuzz_keys, toml_values, max_size=8), max_size=3)
        for kind in ("exercise", "condition", "red_flag")
    },
)
"""Catalog files with the right top-level tables but arbitrary entries, to reach entry validation."""

lenient_text = st.binary(max_size=200).map(lambda raw: raw.decode("utf-8", errors="replace"))
"""Arbitrary bytes read as text the way a forgiving editor would."""


@st.composite
def nested_documents(draw: st.DrawFn, *, fmt: str) -> str:
    """A document whose one field holds arrays nested ``depth`` deep, around the interpreter's recursion limit."""
    depth = draw(st.one_of(st.integers(1, 50), st.integers(400, 1200), st.just(100_000)))
    key = draw(st.sampled_from(["name", "log", "exercise", "plan", "phases"]))
    if fmt == "json":
        return f'{{"format": "revalidatie-plan", "version": 1, "{key}": {"[" * depth}{"]" * depth}}}'
    return f"{key} = {'[' * depth}{']' * depth}\n"


# Python values of many types for mutating a single profile field (parse_profile takes Python objects).
python_values = st.one_of(
    json_values,
    *(
        st.from_type(kind)
        for kind in (bytes, dt.date, dt.time, dt.datetime, dt.timedelta, complex, list[int], dict[str, bool])
    ),
)

FieldPath = tuple[str | int, ...]


def leaf_paths(data: object, prefix: FieldPath = ()) -> list[FieldPath]:
    """Every path (keys and list indexes) to a leaf or an empty container in ``data``."""
    if isinstance(data, dict) and data:
        return [path for key, value in data.items() for path in leaf_paths(value, (*prefix, key))]
    if isinstance(data, list) and data:
        return [path for index, value in enumerate(data) for path in leaf_paths(value, (*prefix, index))]
    return [prefix]


def dotted(path: FieldPath) -> str:
    """The field path as errors show it: dots between names, list indexes 1-based in brackets."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def set_path(data: Any, path: FieldPath, value: object) -> None:
    """Replace the value at ``path`` inside ``data`` (in place)."""
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _mutable_paths(data: object) -> list[FieldPath]:
    leaves = leaf_paths(data)
    # Whole tables and lists too, not only their leaves.
    containers = sorted({leaf[:n] for leaf in leaves for n in range(1, len(leaf))}, key=str)
    return [*leaves, *containers]


@st.composite
def mutated_profiles(
    draw: st.DrawFn, values: st.SearchStrategy[object] = json_values
) -> tuple[dict[str, Any], FieldPath]:
    """A valid profile as plain data with one field (leaf, table or list item) replaced by a value from ``values``.

    Returns the data and the path of the replaced field.
    """
    data = draw(profiles()).model_dump(mode="json")
    path = draw(st.sampled_from(_mutable_paths(data)))
    set_path(data, path, draw(values))
    return data, path


_PLAN_JSON: list[str] = []
_PLAN_PATHS: list[FieldPath] = []


def plan_json() -> str:
    """A real plan as JSON (made once, on first use), the starting point for damaged plan files."""
    if _PLAN_JSON:
        return _PLAN_JSON[0]
    profile = rv.parse_profile(
        {
            "name": "Fuzz Client",
            "condition": "gluteal-tendinopathy",
            "side": "right",
            "start_date": "2026-03-02",
            "available_days": ["mon", "wed", "fri", "sat"],
            "running": {"pain_free_minutes": 5, "weekly_minutes_before": 90, "runs_per_week_before": 3},
            "screening": {"answers": dict.fromkeys(RED_FLAGS, False)},
        }
    )
    _PLAN_JSON.append(rv.plan_to_json(rv.plan_programme(profile, _CATALOG)))
    return _PLAN_JSON[0]


@st.composite
def mutated_plans(draw: st.DrawFn, values: st.SearchStrategy[object] = json_values) -> tuple[dict[str, Any], FieldPath]:
    """A real plan file's data with one field (leaf, table or list item) replaced by a value from ``values``."""
    import json

    data = json.loads(plan_json())
    if not _PLAN_PATHS:
        _PLAN_PATHS.extend(_mutable_paths(data))
    path = draw(st.sampled_from(_PLAN_PATHS))
    set_path(data, path, draw(values))
    return data, path


# --- calendar export ----------------------------------------------------------------------------------------

# Bidirectional controls (U+202E and the like) are drawn often, not only by chance among all of Unicode.
calendar_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"),
    ),
    max_size=400,
)
"""Any text a person might type into a name or a catalog, including line breaks, controls, bidi controls, emoji."""

time_zones = st.sampled_from(sorted(zoneinfo.available_timezones()))
"""Every IANA zone the installed time-zone database knows."""


# --- check-ins ---


@st.composite
def checkin_reports(draw: st.DrawFn, sessions: tuple[rv.Session, ...]) -> list[rv.SessionLog]:
    """A client's reports in the order sent: any sessions (cancelled ones too), with corrections."""
    reports = []
    for _ in range(draw(st.integers(0, 12))):
        session = draw(st.sampled_from(sessions))
        log = log_for(session, draw(zones.filter(lambda zone: zone != "unlogged")))
        assert log is not None
        if draw(st.booleans()):  # the next morning, or a typo put right
            log = log.model_copy(update={"pain_next_morning": draw(st.none() | st.integers(0, 10))})
        reports.append(log)
    return reports
