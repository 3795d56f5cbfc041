"""The rules the client follows, in words, made from the protocol's own rules and the planner's.

Every output that tells a client what to do (the handout's traffic light and rest-day notes, each calendar
event's pain rule) takes its words from here, so they follow the protocol: change a protocol's symptom rules,
tries or rest days, and the handout and the calendar say the new rule. What the planner does with a report
(``planning/simulation.py`` and ``planning/running.py``) is what these texts describe.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..model.exercise import Progression
from ..model.log import AMBER_MAX_PAIN, GREEN_MAX_PAIN, Zone
from ..model.plan import Plan, Role, Session, SessionKind
from ..model.protocol import (
    BuildUp,
    DaySequence,
    Maintain,
    Phase,
    RunningValue,
    Stages,
    SymptomAction,
    SymptomRules,
    as_stage,
)
from ..planning.caps import effective_caps
from .text import format_number

_WORDS: dict[str, tuple[str, str]] = {
    "green-means": (
        "Pijn {low} tot {high} tijdens het trainen, en de ochtend erna niet meer pijn dan ervoor.",
        "Pain {low} to {high} during the session, and no more pain the next morning than before.",
    ),
    "amber-means": (
        "Pijn {low} tot {high} tijdens of na het trainen.",
        "Pain {low} to {high} during or after the session.",
    ),
    "red-means": (
        "Pijn boven de {high}, de ochtend erna meer pijn dan ervoor, of zwelling.",
        "Pain above {high}, more pain the next morning than before, or swelling.",
    ),
    "strength": ("Krachtoefeningen", "Strength exercises"),
    "strength-green": (
        "Ga door: de oefeningen worden volgens plan stap voor stap zwaarder.",
        "Carry on: the exercises get harder step by step as planned.",
    ),
    "strength-amber": (
        "Volgende week dezelfde oefeningen en hoeveelheid, niet zwaarder.",
        "Next week the same exercises and amounts, no heavier.",
    ),
    "strength-red": (
        "Rust de volgende dag. Daarna een stap lichter.",
        "Rest the next day. Then one step lighter.",
    ),
    "stages-green": (
        "De loop telt als een van de {tries} keer van deze stap. Na {tries} groene keren ga je naar de volgende stap.",
        "The run counts as one of this stage's {tries} tries. After {tries} green runs you move to the next stage.",
    ),
    "sequence-green": (
        "Ga door met de volgende loop van het schema.",
        "Go on with the next run of the schedule.",
    ),
    "stay": (
        "Blijf bij deze stap; deze loop telt niet mee.",
        "Stay at this stage; this run does not count.",
    ),
    "repeat-stage": ("Begin deze stap opnieuw.", "Start this stage again."),
    "back-one-stage": ("Ga een stap terug.", "Go back one stage."),
    "rest-then-previous-stage": (
        "Rust {days} en ga dan een stap terug.",
        "Rest {days}, then go back one stage.",
    ),
    "stop-and-contact": (
        "Stop met hardlopen en neem contact op met je fysiotherapeut.",
        "Stop running and contact your physio.",
    ),
    "sequence-stay": ("Doe deze loop de volgende keer opnieuw.", "Do this run again next time."),
    "sequence-back-one-stage": ("Doe de loop van de keer ervoor.", "Do the run from the time before."),
    "sequence-rest-then-previous-stage": (
        "Rust {days} en doe dan de loop van de keer ervoor.",
        "Rest {days}, then do the run from the time before.",
    ),
    "rest-first": ("Rust de volgende dag. {action}", "Rest the next day. {action}"),
    "days": ("een dag|{n} dagen", "a day|{n} days"),
    "build-green": (
        "Volgende week wordt de lange duurloop iets langer: hoogstens {cap}% langer dan je langste loop van "
        "de 30 dagen ervoor.",
        "Next week the long run grows a little: at most {cap}% longer than your longest run of the 30 days before.",
    ),
    "continuous-amber": (
        "Volgende week dezelfde loopjes, niet langer.",
        "Next week the same runs, no longer.",
    ),
    "continuous-red": (
        "Rust de volgende dag. De loopjes daarna zijn {cut}% korter en worden weer langzaam langer.",
        "Rest the next day. The runs after it are {cut}% shorter and slowly grow again.",
    ),
    "maintain-green": ("Ga door met dezelfde loopjes.", "Carry on with the same runs."),
    "rest-between": (
        "Houd tussen twee loopdagen {days} zonder hardlopen.",
        "Keep {days} without running between two run days.",
    ),
    "no-rest-between": (
        "Loopdagen mogen elkaar opvolgen, zoals het schema aangeeft.",
        "Run days may follow each other, as the schedule shows.",
    ),
    "recovery-every": (
        "Elke {n}e dag van deze fase is een hersteldag.",
        "Every {n}th day of this phase is a recovery day.",
    ),
    "sequence-days": (
        "Rust- en hersteldagen staan in het schema; sla ze niet over.",
        "Rest and recovery days are in the schedule; do not skip them.",
    ),
    "failures": (
        "Na {n} oranje of rode loopjes in dezelfde stap ga je een stap terug.",
        "After {n} amber or red runs at the same stage, go back one stage.",
    ),
    "long-last": (
        "De lange duurloop is de laatste loop van de week.",
        "The long run is the last run of the week.",
    ),
    "check": (
        "Lukt een test niet zonder pijn? Dan die week geen hardlopen: ga door met je oefeningen, doe de testen "
        "een week later opnieuw en laat het je fysiotherapeut weten.",
        "A test not pain-free? Then no running that week: carry on with your exercises, do the tests again a "
        "week later and tell your physio.",
    ),
    "cross": (
        "Alternatieve training: rustig tempo. Pijn tijdens of na? Neem een rustiger vorm of korter.",
        "Cross-training: easy effort. Pain during or after? Choose a gentler kind or go shorter.",
    ),
}


def _word(key: str, language: str, **values: object) -> str:
    nl, en = _WORDS[key]
    text = en if language == "en" else nl
    return text.format(**values) if values else text


def _count(n: int, key: str, language: str) -> str:
    one, many = _word(key, language).split("|")
    return (one if n == 1 else many).format(n=n)


@attrs.frozen
class ZoneRules:
    """What to do after a session in each zone, for one kind of work, with the notes that go with it.

    Attributes:
        title: What the rules are for (strength, or a phase's running), in the client's words.
        phase_ids: The phases they apply to, in order.
        green: What happens after a green session.
        amber: After an amber session.
        red: After a red session.
        notes: Rest days, tries and other rules of this work.

    """

    title: str
    phase_ids: tuple[str, ...]
    green: str
    amber: str
    red: str
    notes: tuple[str, ...] = ()

    def action(self, zone: Zone) -> str:
        """The action for ``zone``."""
        return {Zone.GREEN: self.green, Zone.AMBER: self.amber, Zone.RED: self.red}[zone]


def zone_meaning(zone: Zone, language: str) -> str:
    """What puts a session in ``zone``: the thresholds the planner reads logs with."""
    if zone is Zone.GREEN:
        return _word("green-means", language, low=0, high=GREEN_MAX_PAIN)
    if zone is Zone.AMBER:
        return _word("amber-means", language, low=GREEN_MAX_PAIN + 1, high=AMBER_MAX_PAIN)
    return _word("red-means", language, high=AMBER_MAX_PAIN)


def _percent(fraction: float, language: str) -> str:
    return format_number(round(fraction * 100, 1), language)


def _action(action: SymptomAction, rules: SymptomRules, language: str, *, sequence: bool, red: bool) -> str:
    key = action.value
    if sequence and action in (SymptomAction.STAY, SymptomAction.REPEAT_STAGE):
        key = "sequence-stay"
    elif sequence and action in (SymptomAction.BACK_ONE_STAGE, SymptomAction.REST_THEN_PREVIOUS):
        key = f"sequence-{action.value}"
    if action is SymptomAction.REST_THEN_PREVIOUS:
        # A red run always brings a rest day; the rule's own rest days count from that day.
        days = max(rules.rest_days, 1) if red else rules.rest_days
        return _word(key, language, days=_count(days, "days", language))
    text = _word(key, language)
    if red and action is not SymptomAction.STOP:
        return _word("rest-first", language, action=text)
    return text


def _tries(running: Stages) -> tuple[int, int]:
    """The fewest and most tries any stage of the table needs, as the planner counts them."""
    counts = []
    for entry in running.stages:
        stage = as_stage(entry)
        counts.append(stage.min_tries or max(running.min_sessions_per_stage, len(stage.sessions)))
    return min(counts), max(counts)


def _rest_notes(running: Stages | DaySequence, language: str) -> list[str]:
    notes = []
    if isinstance(running, DaySequence):
        notes.append(_word("sequence-days", language))
    elif running.rest_days_between:
        days = _count(running.rest_days_between, "days", language)
        notes.append(_word("rest-between", language, days=days))
    else:
        notes.append(_word("no-rest-between", language))
    if running.recovery_day_every:
        notes.append(_word("recovery-every", language, n=running.recovery_day_every))
    if running.symptoms.back_after_failures is not None:
        notes.append(_word("failures", language, n=running.symptoms.back_after_failures))
    return notes


def _running_rules(plan: Plan, phase: Phase, running: RunningValue, language: str) -> ZoneRules:
    title = phase.name(language)
    if isinstance(running, Stages | DaySequence):
        rules = running.symptoms
        sequence = isinstance(running, DaySequence)
        if isinstance(running, Stages):
            low, high = _tries(running)
            tries = str(low) if low == high else f"{low}-{high}"
            green = _word("stages-green", language, tries=tries)
        else:
            green = _word("sequence-green", language)
        return ZoneRules(
            title,
            (phase.id,),
            green,
            _action(rules.amber, rules, language, sequence=sequence, red=False),
            _action(rules.red, rules, language, sequence=sequence, red=True),
            tuple(_rest_notes(running, language)),
        )
    cut = _percent(1 - plan.protocol.deload.volume_factor, language)
    rest = _word("rest-between", language, days=_count(1, "days", language))
    if isinstance(running, BuildUp):
        slow = plan.condition.progression is Progression.SLOW
        caps = effective_caps(phase.caps or plan.protocol.caps, slow)
        green = _word("build-green", language, cap=_percent(caps.single_run_increase, language))
        notes: tuple[str, ...] = (rest, _word("long-last", language))
    else:
        assert isinstance(running, Maintain)
        green = _word("maintain-green", language)
        notes = (rest,)
    red = _word("continuous-red", language, cut=cut)
    return ZoneRules(title, (phase.id,), green, _word("continuous-amber", language), red, notes)


def zone_rules(plan: Plan, language: str) -> tuple[ZoneRules, ...]:
    """The rules of every kind of work in the plan: strength first, then each phase's running.

    Phases whose running rules read the same share one entry, titled with every phase's name. A phase without
    a run in the plan (a client who does not run yet keeps no runs in a "keep running" phase) has no running
    rules here.
    """
    result: list[ZoneRules] = []
    strength = tuple(placed.phase.id for placed in plan.phases if placed.phase.strength is not None)
    running_phases = {session.phase_id for session in plan.sessions if session.kind is SessionKind.RUN}
    if strength:
        result.append(
            ZoneRules(
                _word("strength", language),
                strength,
                _word("strength-green", language),
                _word("strength-amber", language),
                _word("strength-red", language),
            )
        )
    for placed in plan.phases:
        running = placed.phase.running
        if running is None or placed.phase.id not in running_phases:
            continue
        rules = _running_rules(plan, placed.phase, running, language)
        same = next(
            (
                n
                for n, other in enumerate(result)
                if other.phase_ids != strength
                and (other.green, other.amber, other.red, other.notes)
                == (rules.green, rules.amber, rules.red, rules.notes)
            ),
            None,
        )
        if same is None:
            result.append(rules)
        else:
            other = result[same]
            result[same] = attrs.evolve(
                other, title=f"{other.title}, {rules.title}", phase_ids=(*other.phase_ids, placed.phase.id)
            )
    return tuple(result)


def _phase(plan: Plan, phase_id: str) -> Phase | None:
    for placed in plan.phases:
        if placed.phase.id == phase_id:
            return placed.phase
    # A cancelled session's phase may have left the plan's placed phases; the protocol still names it.
    return next((p for p in plan.protocol.phases if isinstance(p, Phase) and p.id == phase_id), None)


def session_rules(plan: Plan, session: Session, language: str) -> ZoneRules | None:
    """The rules for the main work of ``session``: its phase's running for a run, else strength."""
    phase = _phase(plan, session.phase_id)
    if phase is None:
        return None
    roles = {item.role for item in session.items}
    if session.kind is SessionKind.RUN and phase.running is not None:
        return _running_rules(plan, phase, phase.running, language)
    if Role.STRENGTH in roles:
        return next((rules for rules in zone_rules(plan, language) if phase.id in rules.phase_ids), None)
    return None


def check_rule(language: str) -> str:
    """What happens when a readiness test is not pain-free (the planner's rule for a failed check)."""
    return _word("check", language)


def cross_training_rule(language: str) -> str:
    """How to do cross-training and what to do when it hurts."""
    return _word("cross", language)


def advice(plan: Plan, language: str) -> tuple[str, ...]:
    """The protocol's advice (programme, phases, their running) in order, each text once."""
    texts = [item.text(language) for item in plan.protocol.advice]
    for placed in plan.phases:
        phase = placed.phase
        texts += [item.text(language) for item in phase.advice]
        if phase.running is not None:
            texts += [item.text(language) for item in phase.running.advice]
    return tuple(dict.fromkeys(texts))


def pain_rule_lines(rules: ZoneRules | None, language: str, names: Sequence[str]) -> list[str]:
    """One line per zone, ``names`` being the zones' names: what the zone means and what to do."""
    lines = []
    for zone, name in zip((Zone.GREEN, Zone.AMBER, Zone.RED), names, strict=True):
        meaning = zone_meaning(zone, language)
        lines.append(f"{name}: {meaning} {rules.action(zone)}" if rules is not None else f"{name}: {meaning}")
    return lines
