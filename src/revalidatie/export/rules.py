"""The rules the client follows, in words, made from the protocol's own rules and the planner's.

Every output that tells a client what to do (the handout's traffic light and rest-day notes, each calendar
event's pain rule) takes its words from here, so they follow the protocol: change a protocol's symptom rules,
tries or rest days, and the handout and the calendar say the new rule. What the planner does with a report
(``planning/simulation.py`` and ``planning/running.py``) is what these texts describe.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..i18n import texts_for
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

_ACTION = {
    SymptomAction.STAY: "rules.stay",
    SymptomAction.REPEAT_STAGE: "rules.repeat-stage",
    SymptomAction.BACK_ONE_STAGE: "rules.back-one-stage",
    SymptomAction.REST_THEN_PREVIOUS: "rules.rest-then-previous-stage",
    SymptomAction.STOP: "rules.stop-and-contact",
}
# A day-by-day schedule has no stages to stay at or go back to: the same actions in its own words.
_SEQUENCE_ACTION = {
    SymptomAction.STAY: "rules.sequence-stay",
    SymptomAction.REPEAT_STAGE: "rules.sequence-stay",
    SymptomAction.BACK_ONE_STAGE: "rules.sequence-back-one-stage",
    SymptomAction.REST_THEN_PREVIOUS: "rules.sequence-rest-then-previous-stage",
}


def _word(msgid: str, language: str, **values: object) -> str:
    return texts_for(language)(msgid, **values)


def _days(n: int, language: str) -> str:
    return texts_for(language).plural("rules.days", n, n=n)


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
        return _word("rules.green-means", language, low=0, high=GREEN_MAX_PAIN)
    if zone is Zone.AMBER:
        return _word("rules.amber-means", language, low=GREEN_MAX_PAIN + 1, high=AMBER_MAX_PAIN)
    return _word("rules.red-means", language, high=AMBER_MAX_PAIN)


def _percent(fraction: float, language: str) -> str:
    return format_number(round(fraction * 100, 1), language)


def _action(action: SymptomAction, rules: SymptomRules, language: str, *, sequence: bool, red: bool) -> str:
    key = _SEQUENCE_ACTION.get(action, _ACTION[action]) if sequence else _ACTION[action]
    if action is SymptomAction.REST_THEN_PREVIOUS:
        # A red run always brings a rest day; the rule's own rest days count from that day.
        days = max(rules.rest_days, 1) if red else rules.rest_days
        return _word(key, language, days=_days(days, language))
    text = _word(key, language)
    if red and action is not SymptomAction.STOP:
        return _word("rules.rest-first", language, action=text)
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
        notes.append(_word("rules.sequence-days", language))
    elif running.rest_days_between:
        days = _days(running.rest_days_between, language)
        notes.append(_word("rules.rest-between", language, days=days))
    else:
        notes.append(_word("rules.no-rest-between", language))
    if running.recovery_day_every:
        notes.append(_word("rules.recovery-every", language, n=running.recovery_day_every))
    if running.symptoms.back_after_failures is not None:
        notes.append(_word("rules.failures", language, n=running.symptoms.back_after_failures))
    return notes


def _running_rules(plan: Plan, phase: Phase, running: RunningValue, language: str) -> ZoneRules:
    title = phase.name(language)
    if isinstance(running, Stages | DaySequence):
        rules = running.symptoms
        sequence = isinstance(running, DaySequence)
        if isinstance(running, Stages):
            low, high = _tries(running)
            tries = str(low) if low == high else f"{low}-{high}"
            green = _word("rules.stages-green", language, tries=tries)
        else:
            green = _word("rules.sequence-green", language)
        return ZoneRules(
            title,
            (phase.id,),
            green,
            _action(rules.amber, rules, language, sequence=sequence, red=False),
            _action(rules.red, rules, language, sequence=sequence, red=True),
            tuple(_rest_notes(running, language)),
        )
    cut = _percent(1 - plan.protocol.deload.volume_factor, language)
    rest = _word("rules.rest-between", language, days=_days(1, language))
    if isinstance(running, BuildUp):
        slow = plan.condition.progression is Progression.SLOW
        caps = effective_caps(phase.caps or plan.protocol.caps, slow)
        green = _word("rules.build-green", language, cap=_percent(caps.single_run_increase, language))
        notes: tuple[str, ...] = (rest, _word("rules.long-last", language))
    else:
        assert isinstance(running, Maintain)
        green = _word("rules.maintain-green", language)
        notes = (rest,)
    red = _word("rules.continuous-red", language, cut=cut)
    return ZoneRules(title, (phase.id,), green, _word("rules.continuous-amber", language), red, notes)


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
                _word("rules.strength", language),
                strength,
                _word("rules.strength-green", language),
                _word("rules.strength-amber", language),
                _word("rules.strength-red", language),
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
    return _word("rules.check", language)


def cross_training_rule(language: str) -> str:
    """How to do cross-training and what to do when it hurts."""
    return _word("rules.cross", language)


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
