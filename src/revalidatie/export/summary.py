"""The physio's summary: why the plan is as it is, on one or two pages for the practice record.

It says what the plan follows from (client, protocol and its source), why each phase is as long as it is,
every planner warning, where the load caps bind, what is left out for the client's condition or equipment,
and each revision with the logs that caused it. Every fact is read from the plan: the summary is gathered
once (:func:`summary_of`) and written as markdown here or laid out as PDF by ``pdf/_summary.py``, so both
carry the same facts. reportlab is imported only when a PDF is made.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs

from .._atomic import write_atomically
from .._bidi import strip_bidi_controls
from ..errors import InputError, Problem, error_message
from ..i18n import physio_language, texts_for
from ..model.common import LANGUAGES, Language, Side
from ..model.exercise import Equipment, Progression
from ..model.log import Zone
from ..model.plan import AppliedLog, Pause, PhasePlan, Plan, RevisionNote, Session, SessionKind
from ..model.protocol import BuildUp, DaySequence, Maintain, Phase, RecoveryDay, RestDay, Stages, as_stage
from ..planning.caps import RunHistory, effective_caps, half_minutes, reentry
from .text import format_date, format_number, warning_text

__all__ = ["render_summary_markdown", "render_summary_pdf", "summary_of", "write_summary"]

MARKDOWN_SUFFIXES = (".md", ".markdown", ".txt")
"""File name endings :func:`write_summary` writes as markdown (plain text); ``.pdf`` is written as PDF."""

# (Dutch, English), by the place a text is used. The summary is for the physio: short, factual sentences.
_WEEKDAYS = {
    "mon": "summary.weekday-mon",
    "tue": "summary.weekday-tue",
    "wed": "summary.weekday-wed",
    "thu": "summary.weekday-thu",
    "fri": "summary.weekday-fri",
    "sat": "summary.weekday-sat",
    "sun": "summary.weekday-sun",
}
_KIND = {
    SessionKind.RUN: "summary.run",
    SessionKind.STRENGTH: "summary.strength",
    SessionKind.CROSS_TRAINING: "summary.cross-training",
    SessionKind.CHECK: "summary.check-kind",
}
_ZONE = {Zone.GREEN: "summary.green", Zone.AMBER: "summary.amber", Zone.RED: "summary.red"}
_EQUIPMENT = {
    Equipment.POOL: "summary.pool",
    Equipment.BIKE: "summary.bike",
    Equipment.CROSS_TRAINER: "summary.cross-trainer",
}
_SIDE = {Side.LEFT: "summary.left", Side.RIGHT: "summary.right", Side.BOTH: "summary.both"}
_DATE = "d MMM y"
_DAY = "EEE d MMM"


def _w(msgid: str, language: str, **params: object) -> str:
    return texts_for(language)(msgid, **params)


def _plural(msgid: str, n: int, language: str, **params: object) -> str:
    """Like :func:`_w` for a count: the plural form of the language for ``n``."""
    return texts_for(language).plural(msgid, n, n=n, **params)


def _n(value: float, language: str) -> str:
    return format_number(value, language)


# --- what a summary is made of ----------------------------------------------------------------------------------


@attrs.frozen
class Fields:
    """Labelled values, one a line.

    Attributes:
        rows: (label, value) pairs.

    """

    rows: tuple[tuple[str, str], ...]


@attrs.frozen
class Lines:
    """Short sentences, each a paragraph.

    Attributes:
        texts: The sentences.
        muted: Whether they are a legend or note rather than a fact of this plan.
        alert: Whether the physio must act on them (a paused plan): bold, in red on paper.

    """

    texts: tuple[str, ...]
    muted: bool = False
    alert: bool = False


@attrs.frozen
class Grid:
    """A table.

    Attributes:
        header: Column headings.
        rows: The rows, one text per column.
        widths: Relative column widths (the PDF's layout; markdown ignores them).

    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]


@attrs.frozen
class Group:
    """One group of a :class:`Groups` table: a line of its own, then its rows.

    Attributes:
        title: The group's line (a revision).
        rows: Its rows (the logs it applied).
        note: A line after the rows, if any.

    """

    title: str
    rows: tuple[tuple[str, ...], ...] = ()
    note: str = ""


@attrs.frozen
class Groups:
    """A table in groups under one header (the revisions with their logs).

    Attributes:
        header: Column headings.
        groups: The groups, in order.
        widths: Relative column widths.

    """

    header: tuple[str, ...]
    groups: tuple[Group, ...]
    widths: tuple[float, ...]


@attrs.frozen
class WeekReport:
    """What the client reported in one programme week: the last report of each session counts.

    Attributes:
        week: Programme week (1-based).
        start: Its first day.
        due: Sessions of the week that were due: planned before the latest revision's first day, or reported.
        reported: Sessions with a report.
        done: Sessions reported done (partly done counts as done).
        pain_during: The highest pain during a session done; ``None`` when none was done.
        pain_next_morning: The highest next-morning pain reported; ``None`` when none was.
        green: Reports in the green zone.
        amber: Reports in the amber zone.
        red: Reports in the red zone.

    """

    week: int
    start: dt.date
    due: int
    reported: int
    done: int
    pain_during: int | None
    pain_next_morning: int | None
    green: int
    amber: int
    red: int

    @property
    def adherence(self) -> float | None:
        """The share of the due sessions that were done, 0-1; ``None`` for a week without due sessions."""
        return self.done / self.due if self.due else None


@attrs.frozen
class WeekChart:
    """Pain and adherence per week: a chart in the PDF, a table in markdown.

    Attributes:
        weeks: One report per programme week, from the first to the last week with a report.
        header: The table's column headings.
        rows: The table's rows, one per week.
        words: The chart's labels by role (``adherence``, ``pain``, ``week``, ``during``, ``morning``,
            ``green``, ``amber``, ``red``, ``not-done``, ``no-report``).

    """

    weeks: tuple[WeekReport, ...]
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    words: tuple[tuple[str, str], ...]


Block = Fields | Lines | Grid | Groups | WeekChart


@attrs.frozen
class Section:
    """A titled part of the summary.

    Attributes:
        title: Its heading.
        blocks: What it holds, in order.

    """

    title: str
    blocks: tuple[Block, ...]


@attrs.frozen
class Summary:
    """The physio's summary of a plan, worded in one language, ready to be written as markdown or PDF.

    Attributes:
        language: ``nl`` or ``en``.
        name: The client's name.
        author: Who the summary is from (the clinician or practice), for the PDF's properties.
        title: The heading.
        subtitle: Client, plan and revision.
        footer: The left part of each PDF page's footer.
        page: The page-number pattern (``{n}`` of ``{total}``).
        sections: Client and programme, length, warnings, load caps, what is left out, revisions.

    """

    language: str
    name: str
    author: str
    title: str
    subtitle: str
    footer: str
    page: str
    sections: tuple[Section, ...]


def _language(plan: Plan, language: Language | str | None, where: str) -> str:
    chosen = plan.profile.language.value if language is None else str(getattr(language, "value", language))
    if chosen not in LANGUAGES:
        message = error_message("error.language", allowed=", ".join(LANGUAGES))
        raise InputError([Problem(where, "language", message, repr(language))])
    # The summary is for the physio: a client's Turkish or Polish handout comes with a Dutch summary.
    return physio_language(chosen)


def summary_of(
    plan: Plan,
    language: Language | str | None = None,
    *,
    full_revisions: int | None = None,
    green_in_short: bool = False,
) -> Summary:
    """Gather the physio's summary of ``plan`` in ``language`` (``None``: the profile's).

    Args:
        plan: The plan.
        language: ``nl`` or ``en``.
        full_revisions: Show only this many of the latest revisions in full and the older ones in one line
            (``None``: every revision in full).
        green_in_short: Show the green logs of the revisions in full as one line (for a PDF that must fit).

    Raises:
        InputError: ``language`` is not one of ``nl``, ``en``, ``tr``, ``pl``, ``ar``.

    """
    lang = _language(plan, language, "<summary>")
    profile = plan.profile
    revised = _local_date(plan, plan.revised_at)
    subtitle = _w(
        "summary.subtitle", lang, name=profile.name, id=plan.id, n=plan.revision, date=format_date(revised, lang, _DATE)
    )
    sections = (
        _client(plan, lang),
        _length(plan, lang),
        _warnings(plan, lang),
        _caps(plan, lang),
        _left_out(plan, lang),
        _adherence(plan, lang),
        _revisions(plan, lang, full_revisions, green_in_short),
    )
    footer = " · ".join(
        part for part in (_w("summary.title", lang), profile.name, profile.contact.practice.strip()) if part
    )
    author = profile.contact.clinician.strip() or profile.contact.practice.strip() or "revalidatie"
    page = texts_for(lang)("summary.page")
    return Summary(lang, profile.name, author, _w("summary.title", lang), subtitle, footer, page, sections)


# --- client and programme ---------------------------------------------------------------------------------------


def _client(plan: Plan, lang: str) -> Section:
    profile = plan.profile
    condition = f"{plan.condition.name(lang)}, {_w(_SIDE[profile.side], lang)}"
    if plan.condition.progression is Progression.SLOW:
        condition += f"; {_w('summary.slow', lang)}"
    goal = _w("summary.goal-value", lang, n=profile.goal.long_run_minutes)
    if profile.goal.race is not None and profile.goal.long_run_minutes > profile.goal.run_minutes:
        goal += _w("summary.goal-race", lang, race=profile.goal.race.value)
    if profile.goal.description.strip():
        goal += f": “{profile.goal.description.strip()}”"
    running = profile.running
    rows: list[tuple[str, str]] = [
        (_w("summary.client", lang), profile.name),
        (_w("summary.client-id", lang), plan.id),
        (_w("summary.condition", lang), condition),
        (_w("summary.confirmed-by", lang), profile.confirmed_by.strip() or _w("summary.not-recorded", lang)),
    ]
    flags = {flag.id: flag for flag in plan.red_flags}
    for clearance in profile.screening.clearances:
        flag = flags.get(clearance.flag)
        rows.append(
            (
                _w("summary.cleared", lang),
                _w(
                    "summary.clearance",
                    lang,
                    flag=flag.suspicion(lang) if flag is not None else f"{clearance.flag}.",
                    by=clearance.by,
                    date=format_date(clearance.date, lang, _DATE),
                    note=clearance.note,
                ),
            )
        )
    rows += [
        (
            _w("summary.dates", lang),
            _w(
                "summary.dates-value",
                lang,
                start=format_date(plan.start, lang, _DATE),
                end=format_date(plan.end, lang, _DATE),
                n=len(plan.weeks),
            ),
        ),
        (_w("summary.goal", lang), goal),
        (
            _w("summary.at-start", lang),
            _w(
                "summary.at-start-value",
                lang,
                free=_w("summary.pain-free", lang, n=_n(running.pain_free_minutes, lang))
                if running.pain_free_minutes > 0
                else _w("summary.not-pain-free", lang),
                weekly=_n(running.weekly_minutes_before, lang),
                runs=running.runs_per_week_before,
                longest=_w("summary.longest", lang, n=_n(running.longest_run_last_30_days, lang))
                if running.longest_run_last_30_days > 0
                else _w("summary.no-longest", lang),
                pain=profile.pain_now,
            ),
        ),
        (_w("summary.days", lang), ", ".join(_w(_WEEKDAYS[day.value], lang) for day in profile.available_days)),
        (_w("summary.protocol", lang), f"{plan.protocol.name(lang)} ({plan.protocol.id})"),
        (_w("summary.source", lang), plan.protocol.source),
    ]
    contact = profile.contact
    physio = " · ".join(part for part in (contact.clinician.strip(), contact.practice.strip()) if part)
    if physio:
        rows.append((_w("summary.physio", lang), physio))
    return Section(_w("summary.client-title", lang), (Fields(tuple(rows)),))


# --- why the plan is as long as it is -----------------------------------------------------------------------


def _length(plan: Plan, lang: str) -> Section:
    blocks: list[Block] = [Lines((_reentry(plan, lang),))]
    rows = []
    for phase_plan in plan.phases:
        last = phase_plan.first_week + phase_plan.weeks - 1
        weeks = (
            _w("summary.week-one", lang, first=phase_plan.first_week)
            if phase_plan.weeks == 1
            else _w("summary.week-span", lang, first=phase_plan.first_week, last=last, n=phase_plan.weeks)
        )
        rows.append((phase_plan.phase.name(lang), weeks, " ".join(_why(plan, phase_plan, lang))))
    blocks.append(
        Grid(
            (_w("summary.phase", lang), _w("summary.weeks", lang), _w("summary.why", lang)),
            tuple(rows),
            (0.22, 0.13, 0.65),
        )
    )
    notes = []
    phases = {p.id: p for p in _protocol_phases(plan)}
    for warning in plan.warnings:
        if warning.code == "phase-skipped" and str(warning.params.get("phase")) in phases:
            phase = phases[str(warning.params["phase"])]
            minutes = _n(float(warning.params.get("minutes", 0)), lang)
            notes.append(
                _w("summary.skipped", lang, phase=_w("summary.quoted", lang, name=phase.name(lang)), minutes=minutes)
            )
    if any(week.deload for week in plan.weeks):
        deload = plan.protocol.deload
        notes.append(
            _w("summary.deload-rule", lang, every=deload.every_weeks, percent=round(deload.volume_factor * 100))
        )
    if any(w.code == "plan-too-long" for w in plan.warnings):
        placed = {p.phase.id for p in plan.phases}
        skipped = {str(w.params.get("phase")) for w in plan.warnings if w.code == "phase-skipped"}
        missing = [p.name(lang) for p in _protocol_phases(plan) if p.id not in placed | skipped]
        if missing:
            names = ", ".join(_w("summary.quoted", lang, name=name) for name in missing)
            notes.append(_w("summary.not-reached", lang, weeks=len(plan.weeks), phases=names))
    if notes:
        blocks.append(Lines(tuple(notes)))
    return Section(_w("summary.length-title", lang, n=len(plan.weeks)), tuple(blocks))


def _protocol_phases(plan: Plan) -> tuple[Phase, ...]:
    return tuple(entry for entry in plan.protocol.phases if isinstance(entry, Phase))


def _reentry(plan: Plan, lang: str) -> str:
    profile = plan.profile
    phases = _protocol_phases(plan)
    slow = plan.condition.progression is Progression.SLOW
    caps = effective_caps((phases[0].caps if phases else None) or plan.protocol.caps, slow)
    start = reentry(profile, caps)
    running = profile.running
    if not start.defined:
        if profile.pain_now > 2:
            return _w("summary.reentry-none-pain", lang, n=profile.pain_now)
        if running.pain_free_minutes <= 0:
            return _w("summary.reentry-none-free", lang)
        return _w("summary.reentry-none-recent", lang)
    if start.minutes < 1:
        return _w("summary.reentry-under-minute", lang)
    limits = {
        "pain-free": _w("summary.limit-pain-free", lang, n=_n(running.pain_free_minutes, lang)),
        "share": _w("summary.limit-share", lang),
        "single-run-cap": _w(
            "summary.limit-single-run-cap",
            lang,
            n=_n(running.longest_run_last_30_days, lang),
            p=_percent(caps.single_run_increase, lang),
        ),
    }
    return _w(
        "summary.reentry",
        lang,
        runs=start.runs,
        minutes=_n(start.minutes, lang),
        weekly=_n(running.weekly_minutes_before, lang),
        before=running.runs_per_week_before,
        limit=limits.get(start.limited_by, ""),
        share=_w("summary.share-half", lang)
        if running.reentry_fraction == 0.5
        else _w("summary.share", lang, p=_percent(running.reentry_fraction, lang)),
    )


def _phase_sessions(plan: Plan, phase_plan: PhasePlan) -> list[Session]:
    last = phase_plan.first_week + phase_plan.weeks - 1
    return [s for s in plan.sessions if s.phase_id == phase_plan.phase.id and phase_plan.first_week <= s.week <= last]


def _why(plan: Plan, phase_plan: PhasePlan, lang: str) -> list[str]:
    """Short sentences on why a phase is as long as it is, from its protocol and its sessions."""
    phase = phase_plan.phase
    sessions = _phase_sessions(plan, phase_plan)
    said: list[str] = []
    checks = [s.date for s in sessions if s.kind is SessionKind.CHECK]
    failed = {
        str(w.params.get("date", ""))
        for w in plan.warnings
        if w.code == "readiness-not-passed" and w.params.get("phase") == phase.id
    }
    delays = 0
    for n, day in enumerate(checks):
        when = format_date(day, lang, _DAY)
        if day.isoformat() not in failed:
            said.append(_w("summary.check" if n == 0 else "summary.check-again", lang, date=when))
        elif n + 1 < len(checks):
            delays += 1
            said.append(_w("summary.check-failed", lang, date=when))
        else:
            said.append(_w("summary.check-failed-past", lang, date=when))
    at_max = any(w.code == "phase-max" and w.params.get("phase") == phase.id for w in plan.warnings)
    runs = [s for s in sessions if s.run_minutes > 0]
    running = phase.running
    slow = plan.condition.progression is Progression.SLOW
    if running is None or isinstance(running, Maintain):
        needed = min(phase.max_weeks, math.ceil(phase.min_weeks * 1.5)) if slow else phase.min_weeks
        if at_max:
            said.append(_w("summary.phase-max", lang, max=phase.max_weeks))
        elif slow and needed != phase.min_weeks:
            said.append(_w("summary.green-weeks-slow", lang, n=needed, min=phase.min_weeks))
        else:
            said.append(_plural("summary.green-weeks", needed, lang))
        extra = phase_plan.weeks - needed - delays
        if extra > 0 and not at_max:
            said.append(_plural("summary.not-green", extra, lang))
        if runs:
            said.append(_maintained(runs, lang))
        else:
            cross = phase.cross_training
            replaced = cross is not None and cross.replace_running and plan.profile.running.weekly_minutes_before > 0
            said.append(_w("summary.no-running-cross" if replaced else "summary.no-running", lang))
    elif isinstance(running, Stages):
        said += _table(plan, phase_plan, running, runs, lang)
        if at_max:
            said.append(_w("summary.phase-max", lang, max=phase.max_weeks))
    elif isinstance(running, DaySequence):
        run_days = sum(1 for day in running.days if not isinstance(day, RestDay | RecoveryDay))
        said.append(_w("summary.days-table", lang, n=len(running.days), runs=run_days))
        if at_max:
            said.append(_w("summary.phase-max", lang, max=phase.max_weeks))
    else:
        said += _build_up(plan, phase_plan, running, runs, lang)
    deloads = [w.number for w in plan.weeks if w.deload and w.phase_id == phase.id and _in(phase_plan, w.number)]
    if deloads:
        said.append(_plural("summary.lighter", len(deloads), lang, weeks=_week_list(deloads)))
    return said


def _in(phase_plan: PhasePlan, week: int) -> bool:
    return phase_plan.first_week <= week < phase_plan.first_week + phase_plan.weeks


def _maintained(runs: list[Session], lang: str) -> str:
    per_week = Counter(s.week for s in runs if not s.deload)
    minutes = [s.run_minutes for s in runs if not s.deload] or [s.run_minutes for s in runs]
    counts = list(per_week.values()) or [len(runs)]
    return _w("summary.maintain", lang, runs=_span(counts, lang), minutes=_span(minutes, lang))


def _table(plan: Plan, phase_plan: PhasePlan, running: Stages, runs: list[Session], lang: str) -> list[str]:
    slow = plan.condition.progression is Progression.SLOW
    stages = [as_stage(entry) for entry in running.stages]
    tries = [
        max(stage.min_tries if stage.min_tries is not None else running.min_sessions_per_stage, len(stage.sessions))
        + (1 if slow else 0)
        for stage in stages
    ]
    said = [
        _w(
            "summary.stages",
            lang,
            n=len(stages),
            tries=_span(tries, lang),
            slow=_w("summary.stages-slow", lang) if slow else "",
        )
    ]
    staged = [s for s in runs if s.stage is not None]
    if staged:
        first = staged[0]
        start = _w("summary.stage-start", lang, stage=first.stage, minutes=_n(first.run_minutes, lang))
        before = _last_full_run(plan, phase_plan.start)
        if first.stage is not None and first.stage > 1 and before > 0:
            start += _w("summary.stage-level", lang, level=_n(before, lang))
        said.append(start + ".")
        per_week = running.sessions_per_week
        if len(staged) == 1:
            said.append(_w("summary.stage-runs-one", lang))
        else:
            said.append(
                _w("summary.stage-runs", lang, runs=len(staged), per_week=per_week if per_week != "daily" else 7)
            )
        # The phase ends with its week: runs of the last stage after its tries, in the phase's last week,
        # finish that week; other runs beyond the table's tries are repeats after symptoms.
        last_week = phase_plan.first_week + phase_plan.weeks - 1
        final = [s for s in staged if s.stage == len(stages)]
        finishing = sum(1 for s in final[tries[-1] :] if s.week == last_week)
        repeats = len(staged) - sum(tries[(first.stage or 1) - 1 :]) - finishing
        if repeats > 0:
            said.append(_plural("summary.stage-more", repeats, lang))
        if finishing:
            said.append(_plural("summary.stage-finish", finishing, lang))
    return said


def _last_full_run(plan: Plan, before: dt.date) -> float:
    """Minutes of the last run outside a deload week before ``before``, or the re-entry level."""
    for session in reversed(plan.sessions):
        if session.date < before and session.run_minutes > 0 and not session.deload:
            return session.run_minutes
    return 0.0


def _build_up(plan: Plan, phase_plan: PhasePlan, running: BuildUp, runs: list[Session], lang: str) -> list[str]:
    """Why a build-up is as long as it is: where its long run starts and ends, and what each week did.

    A week grows when its long run is longer than every long run before it (from the last full week before the
    phase on); a week that only has more runs adds a run day; a lighter week is counted apart.
    """
    phase = phase_plan.phase
    slow = plan.condition.progression is Progression.SLOW
    caps = effective_caps(phase.caps or plan.protocol.caps, slow)
    goal = float(plan.profile.goal.long_run_minutes)
    if not runs:
        return [_w("summary.no-running", lang)]
    deload = {w.number for w in plan.weeks if w.deload}
    longs: dict[int, float] = {}
    counts: Counter[int] = Counter()
    for session in plan.sessions:
        if session.run_minutes > 0 and session.week not in deload:
            longs[session.week] = max(longs.get(session.week, 0.0), session.run_minutes)
            counts[session.week] += 1
    before = [week for week in longs if week < phase_plan.first_week]
    longest = longs[max(before)] if before else None
    most_runs = counts[max(before)] if before else 0
    first = longest
    grows = holds = added = 0
    entry_week = False
    for week in range(phase_plan.first_week, phase_plan.first_week + phase_plan.weeks):
        if week not in longs:
            continue
        long, count = longs[week], counts[week]
        if longest is None:
            entry_week, first = True, long
        elif long > longest + 1e-9:
            grows += 1
        elif count > most_runs:
            added += 1
        elif long < goal:
            holds += 1
        longest = long if longest is None else max(longest, long)
        most_runs = max(most_runs, count)
    last = max(s.run_minutes for s in runs if s.week == max(s.week for s in runs))
    said = [
        _plural(
            "summary.build-up",
            grows,
            lang,
            first=_n(first if first is not None else last, lang),
            last=_n(last, lang),
            goal=_n(goal, lang),
            p=_percent(caps.single_run_increase, lang),
        )
    ]
    if entry_week:
        said.append(_w("summary.build-up-entry", lang))
    if holds:
        said.append(_plural("summary.build-up-holds", holds, lang))
    if added:
        said.append(_plural("summary.build-up-added", added, lang))
    if any(w.code == "goal-not-reached" and w.params.get("phase") == phase.id for w in plan.warnings):
        said.append(_w("summary.build-up-short", lang, max=phase.max_weeks))
    else:
        said.append(_w("summary.build-up-goal", lang))
    return said


# --- warnings -------------------------------------------------------------------------------------------------


def _warnings(plan: Plan, lang: str) -> Section:
    # A paused plan waits for the physio: that comes before every planner warning.
    paused: tuple[Block, ...] = ()
    if plan.paused is not None:
        line = _w("summary.paused", lang, date=format_date(plan.paused.since, lang, _DATE), flags=_flags(plan, lang))
        paused = (Lines((line,), alert=True),)
    if not plan.warnings:
        return Section(_w("summary.warnings-title", lang), (*paused, Lines((_w("summary.no-warnings", lang),))))
    ordered = sorted(plan.warnings, key=lambda w: w.week if w.week is not None else 0)
    rows = tuple((str(w.week) if w.week is not None else "\u2013", warning_text(w, plan, lang)) for w in ordered)
    return Section(
        _w("summary.warnings-title", lang),
        (*paused, Grid((_w("summary.week", lang), _w("summary.warning", lang)), rows, (0.08, 0.92))),
    )


def _flags(plan: Plan, lang: str, pause: Pause | None = None) -> str:
    """The red flags of ``pause`` (the current one by default), each as its question."""
    pause = pause or plan.paused
    questions = {flag.id: flag.question(lang) for flag in plan.red_flags}
    return "; ".join(questions.get(flag, flag) for flag in (pause.flags if pause else ()))


# --- load caps --------------------------------------------------------------------------------------------------


@attrs.define
class CapUse:
    """Where one phase's runs and weeks met or passed its caps.

    Attributes:
        at_run: The programme week of each run as long as the single-run cap allows.
        above_run: The programme week of each run longer than the single-run cap allows.
        at_week: Weeks whose running is as much as the weekly cap allows (within half a minute).
        above_week: Weeks with more running than the weekly cap allows.
        runs: The phase's runs.

    """

    at_run: list[int] = attrs.Factory(list)
    above_run: list[int] = attrs.Factory(list)
    at_week: list[int] = attrs.Factory(list)
    above_week: list[int] = attrs.Factory(list)
    runs: int = 0


def cap_use(plan: Plan) -> dict[str, CapUse]:
    """Per phase with running: the programme weeks of runs and weeks at or above the caps that apply there.

    The runs are measured as the planner measures them: against the longest run of the 30 days before (the
    profile's longest recent run counting as the day before the start), and each week against the larger of
    the last two full weeks with running, with the caps of the run's phase, halved for slow conditions.
    """
    slow = plan.condition.progression is Progression.SLOW
    caps_of = {p.phase.id: effective_caps(p.phase.caps or plan.protocol.caps, slow) for p in plan.phases}
    missed = {log.session_id for note in plan.history for log in note.logs or () if not log.completed}
    history = RunHistory(plan.protocol.caps)  # only its runs are used: each run is measured with its phase's caps
    longest = plan.profile.running.longest_run_last_30_days
    if longest > 0:
        history.runs.append((plan.start - dt.timedelta(days=1), longest))
    use: dict[str, CapUse] = {}
    done_by_week: defaultdict[int, float] = defaultdict(float)
    for session in plan.sessions:
        if session.run_minutes <= 0 or session.phase_id not in caps_of:
            continue
        found = use.setdefault(session.phase_id, CapUse())
        found.runs += 1
        window = history.window_max(session.date)
        if window > 0:
            limit = window * (1 + caps_of[session.phase_id].single_run_increase)
            if session.run_minutes > limit + 1e-9:
                found.above_run.append(session.week)
            elif session.run_minutes > window + 1e-9 and session.run_minutes >= half_minutes(limit) - 1e-9:
                found.at_run.append(session.week)
        done = session.id not in missed
        history.record(session.date, session.run_minutes, done=done, deload=session.deload)
        if done:
            done_by_week[session.week] += session.run_minutes
    full_weeks: list[float] = []
    for week in plan.weeks:
        reference = max(full_weeks[-2:], default=0.0)
        found_week = use.get(week.phase_id)
        if found_week is not None and reference > 0 and not week.deload and week.run_minutes > 0:
            limit = reference * (1 + caps_of[week.phase_id].weekly_increase)
            if week.run_minutes > limit + 1e-9:
                found_week.above_week.append(week.number)
            elif week.run_minutes > reference + 1e-9 and limit - week.run_minutes < 0.5 + 1e-9:
                found_week.at_week.append(week.number)
        if not week.deload and done_by_week[week.number] > 0:
            full_weeks.append(done_by_week[week.number])
    return use


def _caps(plan: Plan, lang: str) -> Section:
    slow = plan.condition.progression is Progression.SLOW
    protocol_caps = effective_caps(plan.protocol.caps, slow)
    use = cap_use(plan)
    if not use:
        return Section(_w("summary.caps-title", lang), (Lines((_w("summary.no-runs", lang),)),))
    longest = plan.profile.running.longest_run_last_30_days
    lines = [
        _w("summary.caps-single", lang, p=_percent(protocol_caps.single_run_increase, lang))
        + " "
        + (
            _w("summary.caps-recent", lang, longest=_n(longest, lang))
            if longest > 0
            else _w("summary.caps-no-recent", lang)
        ),
        _w("summary.caps-weekly", lang, p=_percent(protocol_caps.weekly_increase, lang)),
    ]
    if slow:
        lines.append(_w("summary.caps-halved", lang, condition=plan.condition.name(lang)))
    rows = []
    quiet = []
    for phase_plan in plan.phases:
        phase = phase_plan.phase
        found = use.get(phase.id)
        if found is None:
            continue
        caps = effective_caps(phase.caps or plan.protocol.caps, slow)
        limits = f"{_percent(caps.single_run_increase, lang)}% / {_percent(caps.weekly_increase, lang)}%"
        if isinstance(phase.running, Stages | DaySequence):
            # A published table is followed as published: the caps never shorten it, they only show where it
            # asks more.
            single = _as_published(found.above_run, lang)
            weekly = _as_published(found.above_week, lang)
        elif caps == protocol_caps and not (found.at_run or found.above_run or found.at_week or found.above_week):
            quiet.append(_w("summary.quoted", lang, name=phase.name(lang)))
            continue
        else:
            single = _bound(found.at_run, found.above_run, lang)
            weekly = _bound(found.at_week, found.above_week, lang)
        rows.append((phase.name(lang), limits, single, weekly))
    blocks: list[Block] = [Lines(tuple(lines))]
    if rows:
        header = (
            _w("summary.phase", lang),
            _w("summary.caps", lang),
            _w("summary.single-runs", lang),
            _w("summary.weeks", lang),
        )
        blocks.append(Grid(header, tuple(rows), (0.22, 0.14, 0.32, 0.32)))
    notes = []
    if quiet:
        notes.append(_w("summary.caps-quiet", lang, phases=", ".join(quiet)))
    notes.append(_w("summary.caps-note", lang))
    blocks.append(Lines(tuple(notes), muted=True))
    return Section(_w("summary.caps-title", lang), tuple(blocks))


def _as_published(above: list[int], lang: str) -> str:
    if above:
        return (
            _w("summary.as-published", lang)
            + "; "
            + _w("summary.above-cap", lang, n=len(above), weeks=_week_list(above))
        )
    return _w("summary.as-published", lang) + "; " + _w("summary.none-above", lang)


def _bound(at: list[int], above: list[int], lang: str) -> str:
    parts = []
    if at:
        parts.append(_w("summary.at-cap", lang, n=len(at), weeks=_week_list(at)))
    if above:
        parts.append(_w("summary.above-cap", lang, n=len(above), weeks=_week_list(above)))
    return "; ".join(parts) or _w("summary.below-cap", lang)


# --- contraindications and what is left out --------------------------------------------------------------------


def _left_out(plan: Plan, lang: str) -> Section:
    condition = plan.condition.id
    first_week: dict[str, int] = {}
    for session in plan.sessions:
        for item in session.items:
            first_week.setdefault(item.exercise_id, session.week)
    replaced: dict[str, str | None] = {}
    for warning in plan.warnings:
        if warning.code == "contraindicated":
            exercise = plan.exercises.get(str(warning.params.get("replacement", "")))
            replaced[str(warning.params.get("exercise"))] = exercise.name(lang) if exercise is not None else None
    rows = []
    for exercise in plan.exercises.values():
        weeks = [c.allowed_from_week for c in exercise.contraindications if c.condition == condition]
        if not weeks:
            continue
        never = None in weeks
        rule = (
            _w("summary.never", lang)
            if never
            else _w("summary.not-before", lang, week=max(w for w in weeks if w is not None))
        )
        given = exercise.id in first_week
        shown = _w("summary.from-week", lang, week=first_week[exercise.id]) if given else _w("summary.not-given", lang)
        if exercise.id in replaced:
            name = replaced[exercise.id]
            shown += _w("summary.replaced", lang, name=name) if name is not None else _w("summary.dropped", lang)
        rows.append((exercise.name(lang), rule, shown))
    blocks: list[Block] = []
    if rows:
        header = (_w("summary.exercise", lang), _w("summary.contraindication", lang), _w("summary.in-plan", lang))
        blocks.append(Grid(header, tuple(rows), (0.36, 0.26, 0.38)))
    lines = list(_equipment(plan, lang))
    if lines:
        blocks.append(Lines(tuple(lines)))
    if not blocks:
        blocks.append(Lines((_w("summary.nothing-left-out", lang),)))
    return Section(_w("summary.left-out-title", lang), tuple(blocks))


def _equipment(plan: Plan, lang: str) -> Iterable[str]:
    """What the client's equipment takes out of the plan or changes in it."""
    profile = plan.profile
    seen: set[str] = set()
    for phase_plan in plan.phases:
        cross = phase_plan.phase.cross_training
        for option in cross.options if cross is not None else ():
            exercise = plan.exercises.get(option.exercise)
            if exercise is None or exercise.id in seen:
                continue
            missing = profile.cross_training.missing(exercise.equipment)
            if missing:
                seen.add(exercise.id)
                equipment = ", ".join(_w(_EQUIPMENT[item], lang) for item in missing)
                yield _w("summary.no-equipment", lang, name=exercise.name(lang), equipment=equipment)
    banded = {str(w.params.get("exercise")) for w in plan.warnings if w.code == "needs-band"}
    if banded:
        yield _w("summary.no-bands", lang, n=len(banded))
    adds_load = any(
        rx.progression is not None and rx.progression.add_load
        for phase_plan in plan.phases
        if phase_plan.phase.strength is not None
        for rx in phase_plan.phase.strength.exercises
    )
    if adds_load and not profile.strength.can_add_load:
        yield _w("summary.no-load", lang)


# --- pain and adherence per week -------------------------------------------------------------------------------


def week_reports(plan: Plan) -> tuple[WeekReport, ...]:
    """Per programme week up to the last one with a report: sessions due, reported and done, pain and zones.

    The last report of each session counts (a correction replaces what came before). A session is due when
    it lies before the first day of the latest revision that applied reports (so it was past when that
    revision was made) or when it was reported.
    """
    latest: dict[str, AppliedLog] = {}
    as_of: dt.date | None = None
    for note in plan.history:
        if note.logs:
            as_of = note.as_of if as_of is None else max(as_of, note.as_of)
            latest.update((log.session_id, log) for log in note.logs)
    if not latest or not plan.weeks or as_of is None:
        return ()

    def week_of(day: dt.date) -> int:
        number = plan.weeks[0].number
        for week in plan.weeks:
            if week.start <= day:
                number = week.number
        return number

    by_week: dict[int, list[AppliedLog]] = defaultdict(list)
    for log in latest.values():
        by_week[week_of(log.date)].append(log)
    due: Counter[int] = Counter()
    planned = {session.id for session in plan.sessions}
    for session in plan.sessions:
        if session.date < as_of or session.id in latest:
            due[week_of(session.date)] += 1
    for log in latest.values():
        if log.session_id not in planned:  # reported, then cancelled by a later revision: it was due all the same
            due[week_of(log.date)] += 1
    last = max(by_week)
    reports = []
    for week in plan.weeks:
        if week.number > last:
            break
        logs = by_week.get(week.number, [])
        done = [log for log in logs if log.completed]
        mornings = [log.pain_next_morning for log in done if log.pain_next_morning is not None]
        zones = Counter(log.zone for log in logs)
        reports.append(
            WeekReport(
                week=week.number,
                start=week.start,
                due=due[week.number],
                reported=len(logs),
                done=len(done),
                pain_during=max((log.pain_during for log in done), default=None),
                pain_next_morning=max(mornings, default=None),
                green=zones[Zone.GREEN],
                amber=zones[Zone.AMBER],
                red=zones[Zone.RED],
            )
        )
    return tuple(reports)


def _adherence(plan: Plan, lang: str) -> Section:
    title = _w("summary.adherence-title", lang)
    weeks = week_reports(plan)
    if not weeks:
        return Section(title, (Lines((_w("summary.adherence-none", lang),)),))
    dash = "\u2013"
    header = tuple(
        _w(key, lang)[:1].upper() + _w(key, lang)[1:]  # the zones' names are lower case in running text
        for key in (
            "summary.week",
            "summary.adherence-from",
            "summary.adherence-due",
            "summary.adherence-reported",
            "summary.done",
            "summary.adherence-share",
            "summary.adherence-during",
            "summary.adherence-morning",
            "summary.green",
            "summary.amber",
            "summary.red",
        )
    )
    rows = tuple(
        (
            str(week.week),
            format_date(week.start, lang, _DAY),
            str(week.due),
            str(week.reported),
            str(week.done),
            _w("summary.adherence-percent", lang, p=round(week.adherence * 100))
            if week.adherence is not None
            else dash,
            str(week.pain_during) if week.pain_during is not None else dash,
            str(week.pain_next_morning) if week.pain_next_morning is not None else dash,
            str(week.green),
            str(week.amber),
            str(week.red),
        )
        for week in weeks
    )
    words = (
        ("adherence", _w("summary.chart-adherence", lang)),
        ("pain", _w("summary.chart-pain", lang)),
        ("week", _w("summary.week", lang)),
        ("during", _w("summary.chart-during", lang)),
        ("morning", _w("summary.chart-morning", lang)),
        ("green", _w("summary.green", lang)),
        ("amber", _w("summary.amber", lang)),
        ("red", _w("summary.red", lang)),
        ("not-done", _w("summary.chart-not-done", lang)),
        ("no-report", _w("summary.chart-no-report", lang)),
    )
    note = Lines((_w("summary.adherence-note", lang),), muted=True)
    return Section(title, (WeekChart(weeks, header, rows, words), note))


# --- revisions -------------------------------------------------------------------------------------------------


def _revisions(plan: Plan, lang: str, full: int | None, green_in_short: bool) -> Section:
    notes = plan.history
    shown = notes if full is None else notes[len(notes) - max(full, 0) :]
    older = notes[: len(notes) - len(shown)]
    blocks: list[Block] = []
    if any(note.logs for note in notes):
        blocks.append(Lines((_w("summary.zones", lang),), muted=True))
    if older:
        blocks.append(Lines((_older(plan, older, lang),)))
    groups = []
    for note in shown:
        logs = note.logs or ()
        greens = [log for log in logs if log.zone is Zone.GREEN and log.check_passed is not False]
        if green_in_short:
            logs = tuple(log for log in logs if log not in greens)
        after = _w("summary.green-in-short", lang, n=len(greens)) if green_in_short and greens else ""
        groups.append(Group(_revision_line(plan, note, lang), tuple(_log_row(log, lang) for log in logs), after))
    if groups and not any(group.rows or group.note for group in groups):
        blocks.append(Lines(tuple(group.title for group in groups)))
    elif groups:
        header = tuple(
            _w(key, lang)
            for key in (
                "summary.session",
                "summary.day",
                "summary.kind",
                "summary.done",
                "summary.pain",
                "summary.swelling",
                "summary.zone",
            )
        )
        blocks.append(Groups(header, tuple(groups), (39, 21, 25, 15, 26, 17, 31)))
    return Section(_w("summary.revisions-title", lang), tuple(blocks))


def _revision_line(plan: Plan, note: RevisionNote, lang: str) -> str:
    made = _local_date(plan, note.at)
    date = format_date(made, lang, _DATE)
    if note.number == 1:
        return _w("summary.first-plan", lang, date=date, n=note.changed)
    for pause in plan.pauses:
        if pause.revision == note.number:
            since = format_date(pause.since, lang, _DATE)
            return _w("summary.paused-at", lang, n=note.number, date=date, since=since, flags=_flags(plan, lang, pause))
    resumed = next((p for p in plan.pauses if p.resumed and p.changed == note.number), None)
    line = _w(
        "summary.revision" if note.as_of == made else "summary.revision-as-of",
        lang,
        n=note.number,
        date=date,
        as_of=format_date(note.as_of, lang, _DATE),
        changed=note.changed,
        cancelled=note.cancelled,
        logs=_count_logs(note.logs, lang),
    )
    if resumed is not None:
        line += " " + _w("summary.resumed", lang, since=format_date(resumed.since, lang, _DATE))
    return line


def _count_logs(logs: tuple[AppliedLog, ...] | None, lang: str) -> str:
    if logs is None:
        return _w("summary.logs-unknown", lang)
    if not logs:
        return _w("summary.logs-none", lang)
    return _w("summary.logs-one", lang) if len(logs) == 1 else _w("summary.logs-n", lang, n=len(logs))


def _log_row(log: AppliedLog, lang: str) -> tuple[str, ...]:
    if log.completed:
        morning = str(log.pain_next_morning) if log.pain_next_morning is not None else "\u2013"
        pain = f"{log.pain_before} · {log.pain_during} · {morning}"
    else:
        pain = "\u2013"
    zone = _w(_ZONE[log.zone], lang) if log.zone is not None else "\u2013"
    if log.check_passed is not None:
        zone += _w("summary.passed", lang) if log.check_passed else _w("summary.not-passed", lang)
    return (
        log.session_id,
        format_date(log.date, lang, _DAY),
        _w(_KIND[log.kind], lang),
        _w("summary.yes", lang) if log.completed else _w("summary.no", lang),
        pain,
        _w("summary.yes", lang) if log.swelling else "",
        zone,
    )


def _older(plan: Plan, notes: Sequence[RevisionNote], lang: str) -> str:
    logs = [log for note in notes for log in note.logs or ()]
    zones = Counter(log.zone for log in logs)
    first, last = notes[0].number, notes[-1].number
    revisions = (
        _w("summary.older-one", lang, n=first)
        if first == last
        else _w("summary.older-many", lang, first=first, last=last)
    )
    return _w(
        "summary.older",
        lang,
        revisions=revisions,
        first=format_date(_local_date(plan, notes[0].at), lang, _DATE),
        last=format_date(_local_date(plan, notes[-1].at), lang, _DATE),
        logs=_count_logs(tuple(logs), lang),
        green=zones[Zone.GREEN],
        amber=zones[Zone.AMBER],
        red=zones[Zone.RED],
        missed=zones[None],
        changed=sum(note.changed for note in notes),
        cancelled=sum(note.cancelled for note in notes),
    )


# --- small helpers ------------------------------------------------------------------------------------------


def _local_date(plan: Plan, moment: dt.datetime) -> dt.date:
    return moment.astimezone(ZoneInfo(plan.profile.timezone)).date()


def _percent(fraction: float, language: str) -> str:
    return format_number(round(fraction * 100, 1), language)


def _span(values: Sequence[float], lang: str) -> str:
    low, high = min(values), max(values)
    return _n(low, lang) if low == high else f"{_n(low, lang)}\u2013{_n(high, lang)}"


def _week_list(weeks: Iterable[int]) -> str:
    """Programme weeks as ``wk 3-6, 9`` with an en dash (each week once, runs of weeks as a range)."""
    ordered = sorted(set(weeks))
    parts: list[str] = []
    start = previous = ordered[0]
    for week in [*ordered[1:], None]:
        if week is not None and week == previous + 1:
            previous = week
            continue
        parts.append(str(start) if start == previous else f"{start}\u2013{previous}")
        if week is not None:
            start = previous = week
    return "wk " + ", ".join(parts)


# --- markdown ---------------------------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|#"})


def _md(text: str) -> str:
    """Text from the plan made literal in markdown: one line, no bidi controls, markup characters escaped."""
    return " ".join(strip_bidi_controls(text).split()).translate(_MARKDOWN_SPECIAL)


def markdown(summary: Summary) -> str:
    """The summary as markdown (readable as plain text too)."""
    out = [f"# {_md(summary.title)}", "", _md(summary.subtitle)]
    for section in summary.sections:
        out += ["", f"## {_md(section.title)}"]
        for block in section.blocks:
            out.append("")
            if isinstance(block, Fields):
                out += [f"- **{_md(label)}:** {_md(value)}" for label, value in block.rows]
            elif isinstance(block, Lines):
                for n, text in enumerate(block.texts):
                    if n:
                        out.append("")
                    out.append(f"_{_md(text)}_" if block.muted else f"**{_md(text)}**" if block.alert else _md(text))
            elif isinstance(block, Grid | WeekChart):
                out += _md_table(block.header, block.rows)
            else:
                for n, group in enumerate(block.groups):
                    if n:
                        out.append("")
                    out.append(_md(group.title))
                    if group.rows:
                        out += ["", *_md_table(block.header, group.rows)]
                    if group.note:
                        out += ["", _md(group.note)]
    return "\n".join(out) + "\n"


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md(cell) for cell in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(_md(cell) or " " for cell in row) + " |" for row in rows]


# --- the public functions ---------------------------------------------------------------------------------------


def render_summary_markdown(plan: Plan, *, language: Language | str | None = None) -> str:
    """The physio's summary of ``plan`` as markdown (plain text) for the practice record.

    It holds the client and protocol with its source, why each phase is as long as it is, every planner
    warning with its week, where the load caps bind, the contraindications and equipment that leave
    exercises out, and every revision with the logs that caused it. Unlike the PDF it is never shortened.

    Args:
        plan: The plan.
        language: ``nl`` or ``en``; ``None`` uses the language of the client's profile (Dutch for a
            Turkish, Polish or Arabic client; ``tr``, ``pl`` and ``ar`` give Dutch too).

    Raises:
        InputError: ``language`` is not one of ``nl``, ``en``, ``tr``, ``pl``, ``ar``.

    """
    return markdown(summary_of(plan, _language(plan, language, "<render_summary_markdown>")))


def render_summary_pdf(plan: Plan, *, language: Language | str | None = None) -> bytes:
    """The physio's summary of ``plan`` as PDF bytes: the facts of the markdown, on at most two A4 pages.

    When the revisions would not fit, the latest are shown in full and the older ones in one line (the
    markdown keeps them all).

    Args:
        plan: The plan.
        language: ``nl`` or ``en``; ``None`` uses the language of the client's profile (Dutch for a
            Turkish, Polish or Arabic client; ``tr``, ``pl`` and ``ar`` give Dutch too).

    Returns:
        The PDF; the same plan and language always give the same bytes.

    Raises:
        InputError: ``language`` is not one of ``nl``, ``en``, ``tr``, ``pl``, ``ar``.

    """
    chosen = _language(plan, language, "<render_summary_pdf>")
    from .pdf._summary import build

    return build(plan, chosen)


def write_summary(plan: Plan, path: str | Path, *, language: Language | str | None = None) -> Path:
    """Write the physio's summary to ``path`` atomically, as PDF (``.pdf``) or markdown (``.md``, ``.txt``).

    Raises:
        InputError: ``language`` is not ``nl`` or ``en``, or the path ends in neither.
        ExportError: The file cannot be written.

    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        data = render_summary_pdf(plan, language=language)
    elif suffix in MARKDOWN_SUFFIXES:
        data = render_summary_markdown(plan, language=language).encode("utf-8")
    else:
        endings = ", ".join((".pdf", *MARKDOWN_SUFFIXES))
        message = error_message("error.summary-path", endings=endings)
        raise InputError([Problem("<write_summary>", "path", message, repr(path.name))])
    return write_atomically(path, data)
