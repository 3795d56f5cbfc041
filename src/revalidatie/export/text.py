"""Words shared by every output: dates through Babel, category labels and doses in plain language."""

from __future__ import annotations

import datetime as dt
from functools import cache

from ..model.dose import (
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
    SetsHold,
    SetsReps,
)
from ..model.exercise import Category, Laterality

_LOCALES = {"nl": "nl_NL", "en": "en_GB"}

_CATEGORY = {
    Category.ISOMETRIC: ("aanspannen zonder bewegen", "isometric"),
    Category.STRENGTH: ("kracht", "strength"),
    Category.FUNCTIONAL: ("op één been / functioneel", "single-leg / functional"),
    Category.PLYOMETRIC: ("springen", "hopping and bounding"),
    Category.MOBILITY: ("beweeglijkheid", "mobility"),
    Category.WALK: ("wandelen", "walking"),
    Category.RUN: ("hardlopen", "running"),
    Category.CROSS_TRAINING: ("alternatieve training", "cross-training"),
}


def category_label(category: Category, language: str) -> str:
    """The category in plain words."""
    nl, en = _CATEGORY[category]
    return en if language == "en" else nl


def format_date(day: dt.date, language: str, style: str = "long") -> str:
    """A date in the client's language, e.g. ``maandag 7 december 2026`` (style ``full``) or ``7 dec. 2026``."""
    return _format_date(day, language, style)


@cache
def _format_date(day: dt.date, language: str, style: str) -> str:
    from babel.dates import format_date as babel_format_date

    return babel_format_date(day, format=style, locale=_LOCALES.get(language, "nl_NL"))


def format_number(value: float, language: str) -> str:
    """A number with the decimal sign of the language (``4,5`` in Dutch) and no trailing zeros."""
    text = f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return text.replace(".", ",") if language == "nl" else text


_SIDE = {
    Laterality.BOTH: ("", ""),
    Laterality.EACH_SIDE: (" per kant", " each side"),
    Laterality.EACH_DIRECTION: (" per richting", " each way"),
}
_EFFORT = {"light": ("licht", "light"), "somewhat-hard": ("redelijk zwaar", "somewhat hard"), "hard": ("zwaar", "hard")}
_BAND = {
    "yellow": ("geel", "yellow"),
    "red": ("rood", "red"),
    "green": ("groen", "green"),
    "blue": ("blauw", "blue"),
    "black": ("zwart", "black"),
    "silver": ("zilver", "silver"),
    "gold": ("goud", "gold"),
}
_PACE = {"walk": ("wandelen", "walk"), "jog": ("joggen", "jog"), "run": ("hardlopen", "run")}
_TALK = {
    "full-sentences": ("je kunt hele zinnen praten", "you can talk in full sentences"),
    "short-sentences": ("je kunt korte zinnen praten", "you can talk in short sentences"),
    "few-words": ("je kunt nog een paar woorden zeggen", "you can say a few words"),
}


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


def describe_dose(dose: DoseValue, language: str, laterality: Laterality = Laterality.BOTH) -> str:
    """The dose in plain words, e.g. ``2 x 10 herhalingen per kant, redelijk zwaar``."""
    side = _pick(_SIDE[laterality], language)
    if isinstance(dose, SetsReps):
        reps = "herhalingen" if language == "nl" else "reps"
        text = f"{dose.sets} x {dose.reps} {reps}{side}"
        extra = [describe_load(dose.load, language)]
        if dose.tempo:
            extra.append(f"tempo {dose.tempo}")
        if dose.rest_s is not None:
            extra.append(f"{dose.rest_s} s rust" if language == "nl" else f"{dose.rest_s} s rest")
        return ", ".join([text, *(part for part in extra if part)])
    if isinstance(dose, SetsHold):
        hold = "vasthouden" if language == "nl" else "hold"
        count = f"{dose.sets} x {dose.reps} x" if dose.reps > 1 else f"{dose.sets} x"
        text = f"{count} {dose.hold_s} s {hold}{side}"
        load = describe_load(dose.load, language)
        return f"{text}, {load}" if load else text
    if isinstance(dose, Duration):
        text = f"{format_number(dose.minutes, language)} min"
    elif isinstance(dose, Intervals):
        parts = " / ".join(
            f"{format_number(s.minutes, language)} min {_pick(_PACE[s.pace], language)}"
            for s in dose.segments
            if s.minutes > 0
        )
        text = f"{dose.repeats} x ({parts})" if dose.repeats > 1 else parts
    else:
        assert isinstance(dose, Distance)
        text = f"{format_number(dose.amount, language)} {dose.unit.value}"
    intensity = describe_intensity(dose.intensity, language)
    return f"{text}, {intensity}" if intensity else text


def describe_load(load: object, language: str) -> str:
    """The load of a set in plain words; empty for bodyweight."""
    if isinstance(load, Bodyweight):
        return ""
    if isinstance(load, EffortLoad):
        return _pick(_EFFORT[load.level.value], language)
    if isinstance(load, BandLoad):
        colour = _pick(_BAND[load.colour.value], language)
        return f"{colour} elastiek" if language == "nl" else f"{colour} band"
    if isinstance(load, RpeLoad):
        return f"RPE {format_number(load.value, language)}"
    if isinstance(load, RirLoad):
        return f"{load.value} herhalingen over" if language == "nl" else f"{load.value} reps in reserve"
    if isinstance(load, PercentOneRepMax):
        return f"{load.value}% 1RM"
    return ""


def describe_intensity(intensity: Intensity | None, language: str) -> str:
    """An intensity target in plain words; empty when there is none."""
    if intensity is None:
        return ""
    if intensity.kind == "rpe":
        low, high = format_number(intensity.low, language), format_number(intensity.high, language)
        span = low if low == high else f"{low}-{high}"
        return f"inspanning {span} op 10" if language == "nl" else f"effort {span} out of 10"
    if intensity.kind == "heart-rate":
        return f"{intensity.low}-{intensity.high}% " + (
            "van je maximale hartslag" if language == "nl" else "of your maximum heart rate"
        )
    return _pick(_TALK[intensity.level.value], language)
