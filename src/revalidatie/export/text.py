"""Words shared by every output: dates through Babel, category labels and doses in plain language."""

from __future__ import annotations

import datetime as dt
from functools import cache

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
        text = _describe_block(dose, language)
    else:
        assert isinstance(dose, Distance)
        text = f"{format_number(dose.amount, language)} {dose.unit.value}"
    intensity = describe_intensity(dose.intensity, language)
    text = f"{text}, {intensity}" if intensity else text
    if dose.warm_up:
        text = ("eerst " if language == "nl" else "first ") + _segments(dose.warm_up, language) + "; " + text
    if dose.cool_down:
        text += ("; daarna " if language == "nl" else "; then ") + _segments(dose.cool_down, language)
    return text


def _segments(segments: tuple[Segment, ...], language: str) -> str:
    return ", ".join(
        f"{format_number(s.minutes, language)} min {_pick(_PACE[s.pace], language)}" for s in segments if s.minutes > 0
    )


def _describe_block(dose: Intervals, language: str) -> str:
    parts = " / ".join(
        f"{format_number(s.minutes, language)} min {_pick(_PACE[s.pace], language)}"
        for s in dose.segments
        if s.minutes > 0
    )
    if dose.until_minutes is not None:
        total = format_number(dose.until_minutes, language)
        return (
            f"{parts} afwisselen, {total} min in totaal"
            if language == "nl"
            else f"alternate {parts}, {total} min in all"
        )
    if dose.until_distance is not None:
        amount = f"{format_number(dose.until_distance, language)} {dose.unit.value}"
        return f"{parts} afwisselen tot {amount}" if language == "nl" else f"alternate {parts} until {amount}"
    assert dose.repeats is not None
    return f"{dose.repeats} x ({parts})" if dose.repeats > 1 else parts


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
    if isinstance(load, AddedLoad):
        if load.increase == 0:
            return (
                "met een gewicht dat je net zo vaak kunt tillen"
                if language == "nl"
                else "with a weight you can lift just that often"
            )
        if language == "nl":
            return f"gewicht {load.increase} keer verzwaard (telkens 2-10%)"
        times = "once" if load.increase == 1 else f"{load.increase} times"
        return f"weight raised {times} (2-10% each time)"
    return ""


def describe_intensity(intensity: Intensity | None, language: str) -> str:
    """An intensity target in plain words; empty when there is none."""
    if intensity is None:
        return ""
    if intensity.kind == "rpe":
        low, high = format_number(intensity.low, language), format_number(intensity.high, language)
        span = low if low == high else f"{low}-{high}"
        text = f"inspanning {span} op 10" if language == "nl" else f"effort {span} out of 10"
        return f"{text}, {intensity.words(language)}" if intensity.words is not None else text
    if intensity.kind == "heart-rate":
        return f"{intensity.low}-{intensity.high}% " + (
            "van je maximale hartslag" if language == "nl" else "of your maximum heart rate"
        )
    return _pick(_TALK[intensity.level.value], language)


# Planner warnings are codes with parameters (planning/warnings.py); these are their words. Each template
# may use the warning's parameters and ``{phase_name}``, ``{exercise_name}``, ``{replacement_name}``.
_WARNINGS: dict[str, tuple[str, str]] = {
    "phase-skipped": (
        "Fase '{phase_name}' is overgeslagen: de cliënt loopt al {minutes} minuten aan één stuk, zoveel als de "
        "laatste stap ervan.",
        "Phase '{phase_name}' is skipped: the client already runs {minutes} minutes without a break, as much as "
        "its last stage.",
    ),
    "phase-max": (
        "Fase '{phase_name}' bereikte haar maximale duur voordat alle stappen klaar waren; "
        "bespreek hoe het verder gaat.",
        "Phase '{phase_name}' reached its maximum length before every step was done; review how to go on.",
    ),
    "run-days": (
        "Fase '{phase_name}': {fitted} van de {wanted} loopdagen passen in de beschikbare dagen.",
        "Phase '{phase_name}': {fitted} of {wanted} run days fit the available days.",
    ),
    "strength-days": (
        "Fase '{phase_name}': {fitted} van de {wanted} krachtdagen passen zonder twee dagen achter elkaar.",
        "Phase '{phase_name}': {fitted} of {wanted} strength days fit without two days in a row.",
    ),
    "contraindicated": (
        "'{exercise_name}' past nog niet bij deze klacht; in de plaats: {replacement_name}.",
        "'{exercise_name}' does not suit this condition yet; instead: {replacement_name}.",
    ),
    "no-recent-running": (
        "De cliënt heeft de laatste 30 dagen niet gelopen; de opbouw begint met {minutes} minuten.",
        "The client has not run in the last 30 days; the build-up starts at {minutes} minutes.",
    ),
    "build-up-stalled": (
        "Een loop van {minutes} minuten kan binnen de grens van {percent}% per keer niet langer worden; "
        "overweeg het wandel/hardloopschema.",
        "A run of {minutes} minutes cannot grow within the {percent}% single-run cap; consider the walk/run table.",
    ),
    "stage-table-exceeds-cap": (
        "Fase '{phase_name}' volgt het gepubliceerde schema: {count} keer is een loop meer dan {percent}% langer "
        "dan de langste loop van de 30 dagen ervoor (eerst in week {first_week}).",
        "Phase '{phase_name}' follows the published table: {count} times a run is more than {percent}% longer "
        "than the longest run of the 30 days before (first in week {first_week}).",
    ),
    "goal-not-reached": (
        "Fase '{phase_name}' eindigt op haar maximum met een lange duurloop van {reached} minuten; het doel is "
        "{goal} minuten. In dit tempo is het doel bereikt in week {projected_week}.",
        "Phase '{phase_name}' ends at its maximum with a long run of {reached} minutes against a goal of {goal}; "
        "at this rate the goal is reached in week {projected_week}.",
    ),
    "plan-too-long": (
        "Het programma stopt na {weeks} weken; bespreek het vervolg.",
        "The programme stops after {weeks} weeks; discuss what comes next.",
    ),
    "pain-at-rest": (
        "Pijn in rust van {pain}/10: het hardlopen begint pas met het wandel/hardloopschema of de opbouw; "
        "beoordeel de cliënt voor die tijd opnieuw.",
        "Pain at rest of {pain}/10: running starts only with the walk/run table or the build-up; review the "
        "client before then.",
    ),
    "symptoms-stop": (
        "Fase '{phase_name}': na klachten op {date} zegt het protocol stoppen met lopen en contact opnemen.",
        "Phase '{phase_name}': after symptoms on {date} the protocol says stop running and contact the physio.",
    ),
    "readiness-not-passed": (
        "Fase '{phase_name}': de testen van {date} zijn niet gehaald; de fase begint een week later met nieuwe testen.",
        "Phase '{phase_name}': the tests of {date} were not passed; the phase starts a week later, tests again.",
    ),
    "needs-band": (
        "'{exercise_name}' gaat met een weerstandselastiek en de cliënt heeft er geen: geef er een mee.",
        "'{exercise_name}' is done with a resistance band and the client has none: give them one.",
    ),
    "added-run-day": (
        "Fase '{phase_name}': er komt een loopdag bij als korte loop van {minutes} minuten; die week mag de "
        "weekgrens met die loop overschrijden.",
        "Phase '{phase_name}': a run day is added as a short run of {minutes} minutes; that week may exceed the "
        "weekly cap by it.",
    ),
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
            params[f"{field}_name"] = "niets (vervalt)" if language == "nl" else "nothing (left out)"
    return _pick(template, language).format(**params)


def short_dose(dose: DoseValue, language: str) -> str:
    """A dose in the fewest characters, for a phone's calendar title: ``4x(4.5/0.5)``, ``30 min``, ``3x10``.

    Interval blocks give each segment's minutes in order; the full words are in the event's description.
    """
    if isinstance(dose, SetsReps):
        return f"{dose.sets}x{dose.reps}"
    if isinstance(dose, SetsHold):
        return f"{dose.sets}x{dose.hold_s} s"
    if isinstance(dose, Duration):
        return f"{format_number(dose.minutes, language)} min"
    if isinstance(dose, Distance):
        return f"{format_number(dose.amount, language)} {dose.unit.value}"
    block = "/".join(format_number(s.minutes, language) for s in dose.segments if s.minutes > 0)
    if dose.until_minutes is not None:
        return f"({block}) {format_number(dose.until_minutes, language)} min"
    if dose.until_distance is not None:
        return f"({block}) {format_number(dose.until_distance, language)} {dose.unit.value}"
    assert dose.repeats is not None
    return f"{dose.repeats}x({block})" if dose.repeats > 1 else f"({block})"


_INTERVALS = ("Wandelen/joggen", "Walk/jog")


def run_label(name: str, dose: DoseValue, language: str) -> str:
    """A run or cross-training session in a few words: ``Walk/jog 4x(4/1)``, ``Easy run 20 min``.

    A walk/run block is called that whatever its exercise is named (a phone's title has room for little);
    other doses keep their exercise's name.
    """
    label = _pick(_INTERVALS, language) if isinstance(dose, Intervals) else name
    return f"{label} {short_dose(dose, language)}"
