"""Words shared by every output: dates through Babel, category labels and doses in plain language."""

from __future__ import annotations

import datetime as dt

from ..i18n import texts_for
from ..model.dose import (
    AddedLoad,
    BandLoad,
    Bodyweight,
    Distance,
    DoseValue,
    Duration,
    EffortLoad,
    Intensity,
    Intervals,
    PercentOneRepMax,
    RirLoad,
    RpeLoad,
    Segment,
    SetsHold,
    SetsReps,
)
from ..model.exercise import Category, Laterality
from ..model.plan import Plan, PlanWarning
from ..model.protocol import Phase

_CATEGORY = {
    Category.ISOMETRIC: "dose.category-isometric",
    Category.STRENGTH: "dose.category-strength",
    Category.FUNCTIONAL: "dose.category-functional",
    Category.PLYOMETRIC: "dose.category-plyometric",
    Category.MOBILITY: "dose.category-mobility",
    Category.WALK: "dose.category-walk",
    Category.RUN: "dose.category-run",
    Category.CROSS_TRAINING: "dose.category-cross-training",
}


def category_label(category: Category, language: str) -> str:
    """The category in plain words."""
    return texts_for(language)(_CATEGORY[category])


def format_date(day: dt.date, language: str, style: str = "long") -> str:
    """A date in the client's language, e.g. ``maandag 7 december 2026`` (style ``full``) or ``7 dec. 2026``."""
    return texts_for(language).date(day, style)


def format_number(value: float, language: str) -> str:
    """A number with the decimal sign of the language (``4,5`` in Dutch) and no trailing zeros."""
    return texts_for(language).number(value)


_SIDE = {
    Laterality.BOTH: "",
    Laterality.EACH_SIDE: "dose.each-side",
    Laterality.EACH_DIRECTION: "dose.each-direction",
}
_EFFORT = {"light": "dose.effort-light", "somewhat-hard": "dose.effort-somewhat-hard", "hard": "dose.effort-hard"}
_BAND = {
    "yellow": "dose.band-yellow",
    "red": "dose.band-red",
    "green": "dose.band-green",
    "blue": "dose.band-blue",
    "black": "dose.band-black",
    "silver": "dose.band-silver",
    "gold": "dose.band-gold",
}
_PACE = {"walk": "dose.pace-walk", "jog": "dose.pace-jog", "run": "dose.pace-run"}
_TALK = {
    "full-sentences": "dose.talk-full-sentences",
    "short-sentences": "dose.talk-short-sentences",
    "few-words": "dose.talk-few-words",
}


def _minutes(value: float, language: str) -> str:
    """``30 min`` (``30 dk`` in Turkish)."""
    return texts_for(language)("dose.minutes", n=format_number(value, language))


def describe_dose(dose: DoseValue, language: str, laterality: Laterality = Laterality.BOTH) -> str:
    """The dose in plain words, e.g. ``2 x 10 herhalingen per kant, redelijk zwaar``."""
    t = texts_for(language)
    side = t(_SIDE[laterality]) if _SIDE[laterality] else ""
    if isinstance(dose, SetsReps):
        text = t("dose.reps", sets=dose.sets, reps=dose.reps, side=side)
        extra = [describe_load(dose.load, language)]
        if dose.tempo:
            extra.append(t("dose.tempo", tempo=dose.tempo))
        if dose.rest_s is not None:
            extra.append(t("dose.rest", seconds=dose.rest_s))
        return ", ".join([text, *(part for part in extra if part)])
    if isinstance(dose, SetsHold):
        count = f"{dose.sets} x {dose.reps} x" if dose.reps > 1 else f"{dose.sets} x"
        text = t("dose.hold", count=count, seconds=dose.hold_s, side=side)
        load = describe_load(dose.load, language)
        return f"{text}, {load}" if load else text
    if isinstance(dose, Duration):
        text = _minutes(dose.minutes, language)
    elif isinstance(dose, Intervals):
        text = _describe_block(dose, language)
    else:
        assert isinstance(dose, Distance)
        text = f"{format_number(dose.amount, language)} {dose.unit.value}"
    intensity = describe_intensity(dose.intensity, language)
    text = f"{text}, {intensity}" if intensity else text
    if dose.warm_up:
        text = t("dose.warm-up", segments=_segments(dose.warm_up, language), dose=text)
    if dose.cool_down:
        text = t("dose.cool-down", segments=_segments(dose.cool_down, language), dose=text)
    return text


def _segments(segments: tuple[Segment, ...], language: str) -> str:
    t = texts_for(language)
    return ", ".join(f"{_minutes(s.minutes, language)} {t(_PACE[s.pace])}" for s in segments if s.minutes > 0)


def _describe_block(dose: Intervals, language: str) -> str:
    t = texts_for(language)
    parts = " / ".join(f"{_minutes(s.minutes, language)} {t(_PACE[s.pace])}" for s in dose.segments if s.minutes > 0)
    if dose.until_minutes is not None:
        return t("dose.alternate-minutes", parts=parts, total=format_number(dose.until_minutes, language))
    if dose.until_distance is not None:
        amount = f"{format_number(dose.until_distance, language)} {dose.unit.value}"
        return t("dose.alternate-until", parts=parts, amount=amount)
    assert dose.repeats is not None
    return f"{dose.repeats} x ({parts})" if dose.repeats > 1 else parts


def describe_load(load: object, language: str) -> str:
    """The load of a set in plain words; empty for bodyweight."""
    t = texts_for(language)
    if isinstance(load, Bodyweight):
        return ""
    if isinstance(load, EffortLoad):
        return t(_EFFORT[load.level.value])
    if isinstance(load, BandLoad):
        return t("dose.band", colour=t(_BAND[load.colour.value]))
    if isinstance(load, RpeLoad):
        return f"RPE {format_number(load.value, language)}"
    if isinstance(load, RirLoad):
        return t("dose.in-reserve", n=load.value)
    if isinstance(load, PercentOneRepMax):
        return f"{load.value}% 1RM"
    if isinstance(load, AddedLoad):
        if load.increase == 0:
            return t("dose.same-weight")
        return t.plural("dose.weight-raised", load.increase, n=load.increase)
    return ""


def describe_intensity(intensity: Intensity | None, language: str) -> str:
    """An intensity target in plain words; empty when there is none."""
    if intensity is None:
        return ""
    t = texts_for(language)
    if intensity.kind == "rpe":
        low, high = format_number(intensity.low, language), format_number(intensity.high, language)
        text = t("dose.effort", span=low if low == high else f"{low}-{high}")
        return f"{text}, {intensity.words(language)}" if intensity.words is not None else text
    if intensity.kind == "heart-rate":
        return t("dose.heart-rate", low=intensity.low, high=intensity.high)
    return t(_TALK[intensity.level.value])


# Planner warnings are codes with parameters (planning/warnings.py); these are their words. Each template
# may use the warning's parameters and ``{phase_name}``, ``{exercise_name}``, ``{replacement_name}``.
_WARNINGS = {
    "phase-skipped": "warning.phase-skipped",
    "phase-max": "warning.phase-max",
    "run-days": "warning.run-days",
    "strength-days": "warning.strength-days",
    "contraindicated": "warning.contraindicated",
    "no-recent-running": "warning.no-recent-running",
    "build-up-stalled": "warning.build-up-stalled",
    "stage-table-exceeds-cap": "warning.stage-table-exceeds-cap",
    "goal-not-reached": "warning.goal-not-reached",
    "plan-too-long": "warning.plan-too-long",
    "pain-at-rest": "warning.pain-at-rest",
    "symptoms-stop": "warning.symptoms-stop",
    "readiness-not-passed": "warning.readiness-not-passed",
    "needs-band": "warning.needs-band",
    "added-run-day": "warning.added-run-day",
}


def warning_text(warning: PlanWarning, plan: Plan, language: str) -> str:
    """A planner warning in plain words, with phase and exercise names from the plan."""
    if warning.code == "worded":
        # From a version 1 plan file: the words it was written with.
        return str(warning.params.get(language, warning.params.get("code", "")))
    template = _WARNINGS.get(warning.code)
    if template is None:
        # A plan from a newer library, or a practice's own code: the code and its facts, not nothing.
        facts = ", ".join(f"{name}={value}" for name, value in warning.params.items())
        return f"{warning.code} ({facts})" if facts else warning.code
    params: dict[str, object] = {
        name: format_number(value, language) if isinstance(value, float) else value
        for name, value in warning.params.items()
    }
    phases = {p.id: p for p in plan.protocol.phases if isinstance(p, Phase)}
    phase = phases.get(str(warning.params.get("phase", "")))
    params["phase_name"] = phase.name(language) if phase is not None else warning.params.get("phase", "")
    for field in ("exercise", "replacement"):
        exercise = plan.exercises.get(str(warning.params.get(field, "")))
        if exercise is not None:
            params[f"{field}_name"] = exercise.name(language)
        else:
            params[f"{field}_name"] = texts_for(language)("warning.nothing")
    return texts_for(language)(template, **params)


def short_dose(dose: DoseValue, language: str) -> str:
    """A dose in the fewest characters, for a phone's calendar title: ``4x(4.5/0.5)``, ``30 min``, ``3x10``.

    Interval blocks give each segment's minutes in order; the full words are in the event's description.
    """
    if isinstance(dose, SetsReps):
        return f"{dose.sets}x{dose.reps}"
    if isinstance(dose, SetsHold):
        return f"{dose.sets}x{dose.hold_s} s"
    if isinstance(dose, Duration):
        return _minutes(dose.minutes, language)
    if isinstance(dose, Distance):
        return f"{format_number(dose.amount, language)} {dose.unit.value}"
    block = "/".join(format_number(s.minutes, language) for s in dose.segments if s.minutes > 0)
    if dose.until_minutes is not None:
        return f"({block}) {_minutes(dose.until_minutes, language)}"
    if dose.until_distance is not None:
        return f"({block}) {format_number(dose.until_distance, language)} {dose.unit.value}"
    assert dose.repeats is not None
    return f"{dose.repeats}x({block})" if dose.repeats > 1 else f"({block})"


def run_label(name: str, dose: DoseValue, language: str) -> str:
    """A run or cross-training session in a few words: ``Walk/jog 4x(4/1)``, ``Easy run 20 min``.

    A walk/run block is called that whatever its exercise is named (a phone's title has room for little);
    other doses keep their exercise's name.
    """
    label = texts_for(language)("dose.walk-jog") if isinstance(dose, Intervals) else name
    return f"{label} {short_dose(dose, language)}"
