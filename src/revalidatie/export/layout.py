"""What the handout holds and on which page, decided from the plan alone (no PDF is laid out here).

The handout is made of fixed slots: a first page, a rules page, half-page or full-page phase sections,
exercise cards two to a page, and two small sections (the condition, the diary) in the room that leaves.
Each slot's content is scaled down to fit when it is longer than its slot, so the page of every card follows
from the plan, and the calendar can name a card's page without rendering the handout (decision 0015).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Literal

import attrs

from ..errors import InputError, Problem, error_message
from ..model.dose import DoseValue
from ..model.exercise import Category
from ..model.plan import Item, PhasePlan, Plan, Role, Session, SessionKind

CARDS_PER_PAGE = 2
HALF_PAGE_HEIGHT = 410.0
"""A phase section estimated at most this tall (points) goes on half a page, else on a page of its own.

Half a page holds 348 points; a section a little taller is scaled down to fit (to 0.85 at this bound)."""
UPPER_FRACTION = 0.7
"""Share of a page a phase section keeps when a small section (the condition, a week of diary) takes the rest."""
UPPER_HEIGHT = 505.0
"""A phase section estimated at most this tall leaves room below it for a small section."""
LONG_NOTES = 600
"""Physio's notes longer than this (characters) get a page of their own after the first page."""
WEEKS_PER_SHEET_PAGE = 2
"""Weeks shown day by day on each page of a short sheet."""
_NO_CARD = frozenset({Category.RUN, Category.WALK, Category.CROSS_TRAINING})
"""Running, walking and cross-training are described where they are scheduled; they get no card."""
_OPTIONS = "<handout options>"

Place = Literal["half", "full", "upper", "lower", "lead"]
"""Where a section goes: half a page, a page, the upper part of a page (a small section below it), that lower
part, or the half page before the first phase section."""
Extra = Literal["condition", "diary"]
"""The small sections that fill free room: what the condition is with advice for daily life and bad days, and
the pain diary."""


@attrs.frozen
class Stretch:
    """Programme weeks ``first`` to ``last`` (inclusive): what a short sheet covers."""

    first: int
    last: int


@attrs.frozen
class StrengthLine:
    """One strength exercise of a phase: where its dose starts and ends, and how often.

    Attributes:
        exercise_id: The exercise.
        first: Its first item in the phase (outside lighter weeks where there are others).
        last: Its last such item.
        days: Days a week that hold it, in a typical week.

    """

    exercise_id: str
    first: Item
    last: Item
    days: int


@attrs.frozen
class WeekRow:
    """Consecutive weeks of a phase with the same running and cross-training.

    Attributes:
        first: First programme week.
        last: Last programme week.
        runs: The run items of each run session, in date order.
        cross: The cross-training items, in date order.
        deload: Whether these are lighter weeks.

    """

    first: int
    last: int
    runs: tuple[Item, ...]
    cross: tuple[Item, ...]
    deload: bool


@attrs.frozen
class PhaseDigest:
    """A phase as one section of the handout: weekly pattern, strength doses, running week by week, checks.

    Attributes:
        placed: The phase with its dates.
        pattern: For Monday to Sunday of a typical week, the kinds of session on that day.
        strength: Its strength exercises.
        weeks: Its running and cross-training, by runs of equal weeks.
        checks: Its readiness-check sessions.

    """

    placed: PhasePlan
    pattern: tuple[tuple[SessionKind, ...], ...]
    strength: tuple[StrengthLine, ...]
    weeks: tuple[WeekRow, ...]
    checks: tuple[Session, ...]

    @property
    def height(self) -> float:
        """Its height on the page in points, estimated.

        Headings and the weekly pattern, then about two lines per strength exercise and one to two per row of
        weeks; measured against the laid-out handout of every example.
        """
        return 100 + 24 * len(self.strength) + 16 * len(self.weeks) + 30 * len(self.checks)


@attrs.frozen
class Layout:
    """Every slot of a handout and its page.

    Attributes:
        stretch: The weeks a short sheet covers; ``None`` for the whole programme.
        this_week: The week the first page shows day by day.
        notes_page: The page of the physio's notes when they are too long for the first page, else ``None``.
        week_pages: For a short sheet, the weeks shown on each page after the first (and the notes).
        phases: Each phase section with its page and its slot: ``half``, ``full`` or ``upper`` (a page above the
            diary).
        cards: Exercise ids with a card, in card order.
        card_pages: The page of each card.
        rules_page: Page of the traffic light and the stop-and-call box.
        extras: The page and slot of each small section: ``half`` fills the free lower half of a page (after a
            phase section alone on its page, or after the last card), ``lower`` is below a phase section,
            ``lead`` the half page before the first phase section, ``full`` a page of its own.
        pages: Number of pages.
        phase_ids: The phases it covers.

    """

    stretch: Stretch | None
    this_week: int
    notes_page: int | None
    week_pages: tuple[tuple[int, ...], ...]
    phases: tuple[tuple[PhaseDigest, int, Place], ...]
    cards: tuple[str, ...]
    card_pages: Mapping[str, int]
    rules_page: int
    extras: Mapping[Extra, tuple[int, Place]]
    pages: int
    phase_ids: frozenset[str]

    @property
    def diary_page(self) -> int | None:
        """The page of the pain diary; ``None`` when the client reports online instead."""
        place = self.extras.get("diary")
        return place[0] if place is not None else None

    @property
    def first_week_page(self) -> int:
        """The page of a short sheet's second week (its first is on the first page)."""
        return (self.notes_page or 1) + 1

    def pages_of(self, exercise_ids: Sequence[str]) -> tuple[int, ...]:
        """The card pages of ``exercise_ids`` that have a card, in page order, each once."""
        return tuple(sorted({self.card_pages[i] for i in exercise_ids if i in self.card_pages}))


def has_card(plan: Plan, item: Item) -> bool:
    """Whether ``item``'s exercise gets a card: strength, mobility, tests and drills do; runs and rides do not."""
    exercise = plan.exercises.get(item.exercise_id)
    if exercise is None or item.role in (Role.RUN, Role.CROSS_TRAINING):
        return False
    return item.role is Role.DRILL or exercise.category not in _NO_CARD


def _typical_week(sessions: Sequence[Session], placed: PhasePlan) -> tuple[tuple[SessionKind, ...], ...]:
    """Kinds of session per weekday in the phase's first full week without a check (else its first week)."""
    by_week: dict[int, list[Session]] = {}
    for session in sessions:
        by_week.setdefault(session.week, []).append(session)
    weeks = sorted(by_week)
    full = [w for w in weeks if w > placed.first_week or placed.start.weekday() == 0]
    plain = [w for w in full if all(s.kind is not SessionKind.CHECK for s in by_week[w])]
    chosen = (plain or full or weeks or [placed.first_week])[0]
    days: list[list[SessionKind]] = [[] for _ in range(7)]
    for session in by_week.get(chosen, []):
        kinds = days[session.date.weekday()]
        if session.kind not in kinds:
            kinds.append(session.kind)
    return tuple(tuple(kinds) for kinds in days)


def _strength(sessions: Sequence[Session], week: int) -> tuple[StrengthLine, ...]:
    items: dict[str, list[tuple[Session, Item]]] = {}
    for session in sessions:
        for item in session.items:
            if item.role is Role.STRENGTH:
                items.setdefault(item.exercise_id, []).append((session, item))
    lines = []
    for exercise_id, uses in items.items():
        plain = [item for session, item in uses if not session.deload] or [item for _, item in uses]
        days = {w: len({s.date for s, _ in uses if s.week == w}) for w in {s.week for s, _ in uses}}
        lines.append(StrengthLine(exercise_id, plain[0], plain[-1], days.get(week) or max(days.values())))
    return tuple(lines)


def _week_rows(sessions: Sequence[Session], placed: PhasePlan) -> tuple[WeekRow, ...]:
    rows: list[WeekRow] = []
    for week in range(placed.first_week, placed.first_week + placed.weeks):
        in_week = [s for s in sessions if s.week == week]
        runs = tuple(item for s in in_week for item in s.items if item.role is Role.RUN)
        cross = tuple(item for s in in_week for item in s.items if item.role is Role.CROSS_TRAINING)
        deload = any(s.deload for s in in_week)
        if not runs and not cross:
            continue
        last = rows[-1] if rows else None
        if last is not None and last.last == week - 1 and (last.runs, last.cross, last.deload) == (runs, cross, deload):
            rows[-1] = attrs.evolve(last, last=week)
        else:
            rows.append(WeekRow(week, week, runs, cross, deload))
    return tuple(rows)


def digest(plan: Plan, placed: PhasePlan, stretch: Stretch | None = None) -> PhaseDigest:
    """The handout section of one placed phase (its weeks within ``stretch``, when given)."""
    sessions = [
        s
        for s in plan.sessions
        if s.phase_id == placed.phase.id and (stretch is None or stretch.first <= s.week <= stretch.last)
    ]
    pattern = _typical_week(sessions, placed)
    week = next((s.week for s in sessions if s.week > placed.first_week), placed.first_week)
    checks = tuple(s for s in sessions if s.kind is SessionKind.CHECK)
    return PhaseDigest(placed, pattern, _strength(sessions, week), _week_rows(sessions, placed), checks)


def current_week(plan: Plan) -> int:
    """The week the client is in when this revision is made: the first week of a new plan."""
    if plan.revision == 1 or not plan.history:
        return 1
    return week_of(plan, plan.history[-1].as_of)


def week_of(plan: Plan, day: dt.date) -> int:
    """The programme week holding ``day``, kept within the programme."""
    weeks = plan.weeks
    if not weeks or day < weeks[0].start:
        return 1
    for summary in weeks:
        if summary.start <= day < summary.start + dt.timedelta(days=7):
            return summary.number
    return weeks[-1].number


def stretch_of(plan: Plan, *, weeks: str | tuple[int, int] | None = None, phase: int | None = None) -> Stretch | None:
    """The stretch a sheet covers: ``weeks`` ("5-6", "7" or a pair) or ``phase`` (1-based); else ``None``.

    Raises:
        InputError: Both are given, or a week or phase the plan does not have.

    """
    last_week = len(plan.weeks)
    if weeks is not None and phase is not None:
        raise InputError([Problem(_OPTIONS, "weeks", error_message("error.weeks-and-phase"), repr(weeks))])
    if phase is not None:
        if isinstance(phase, bool) or not isinstance(phase, int) or not 1 <= phase <= len(plan.phases):
            raise InputError(
                [Problem(_OPTIONS, "phase", error_message("error.phase-number", last=len(plan.phases)), repr(phase))]
            )
        placed = plan.phases[phase - 1]
        return Stretch(placed.first_week, placed.first_week + placed.weeks - 1)
    if weeks is None:
        return None
    pair = _week_pair(weeks)
    if pair is None or not 1 <= pair[0] <= pair[1] <= last_week:
        problem = error_message("error.weeks-range", last=last_week)
        raise InputError([Problem(_OPTIONS, "weeks", problem, repr(weeks))])
    return Stretch(*pair)


def _week_pair(weeks: str | tuple[int, int]) -> tuple[int, int] | None:
    if isinstance(weeks, tuple):
        if len(weeks) == 2 and all(isinstance(w, int) and not isinstance(w, bool) for w in weeks):
            return weeks
        return None
    if not isinstance(weeks, str):
        return None
    first, _, last = weeks.strip().partition("-")
    if not first.strip().isdigit() or (last and not last.strip().isdigit()):
        return None
    return int(first), int(last or first)


def _cards(plan: Plan, sessions: Sequence[Session]) -> tuple[str, ...]:
    ids: dict[str, None] = {}
    for session in sessions:
        for item in session.items:
            if has_card(plan, item):
                ids.setdefault(item.exercise_id)
    return tuple(ids)


Placed = list[tuple["PhaseDigest | None", int, Place]]
"""Sections with their page and place; ``None`` is the small section that leads the phases."""


def _place(sections: Sequence[PhaseDigest], page: int, lead: bool) -> tuple[Placed, int]:
    """Phase sections on pages from ``page``, two half sections to a page, and the next free page.

    ``lead`` puts a half section (``None``) before the first.
    """
    placed: Placed = []
    half_open = False
    items: list[PhaseDigest | None] = [None, *sections] if lead else list(sections)
    for section in items:
        full = section is not None and section.height > HALF_PAGE_HEIGHT
        if half_open and not full:
            placed.append((section, page, "half" if section is not None else "lead"))
            half_open = False
            page += 1
            continue
        if half_open:
            page += 1
        placed.append((section, page, "full" if full else ("half" if section is not None else "lead")))
        half_open = not full
        if full:
            page += 1
    return placed, page + 1 if half_open else page


def _free_spots(placed: Placed) -> list[tuple[int, Place]]:
    """Room for a small section among the phase pages, in page order: (page, place)."""
    spots: list[tuple[int, Place]] = []
    for section, page, place in placed:
        alone = place in ("half", "lead") and sum(1 for _, other, _ in placed if other == page) == 1
        if alone:
            spots.append((page, "half"))
        elif place == "full" and section is not None and section.height <= UPPER_HEIGHT:
            spots.append((page, "lower"))
    return spots


def layout(plan: Plan, stretch: Stretch | None = None, *, diary: bool = True) -> Layout:
    """Where everything of the handout (or of the short sheet for ``stretch``) goes.

    The small sections (what the condition is, the diary) take free room first: the lower half of a page with
    one phase section, the lower part of a page under a phase section that leaves room, the lower half of
    the last card page; the condition's section, when there is no such room among the phases, goes before
    them. A short sheet has no condition section. Without ``diary`` (a client who reports each session on the
    check-in page) there is no paper diary; the cards are on the same pages either way.
    """
    this_week = current_week(plan) if stretch is None else stretch.first
    week_pages: tuple[tuple[int, ...], ...] = ()
    placed: Placed = []
    extras: dict[Extra, tuple[int, Place]] = {}
    spots: list[tuple[int, Place]] = []
    notes_page = 2 if len(plan.profile.notes.strip()) > LONG_NOTES else None
    after_front = (notes_page or 1) + 1
    if stretch is None:
        sessions: Sequence[Session] = plan.sessions
        rules_page = after_front
        sections = [digest(plan, placed_phase) for placed_phase in plan.phases]
        placed, page = _place(sections, rules_page + 1, lead=False)
        spots = _free_spots(placed)
        if not spots:
            placed, page = _place(sections, rules_page + 1, lead=True)
            extras["condition"] = (placed[0][1], "lead")
            spots = _free_spots(placed)  # a leading section alone on its page leaves the lower half free
        else:
            extras["condition"] = spots.pop(0)
    else:
        sessions = [s for s in plan.sessions if stretch.first <= s.week <= stretch.last]
        later = list(range(stretch.first + 1, stretch.last + 1))
        week_pages = tuple(
            tuple(later[n : n + WEEKS_PER_SHEET_PAGE]) for n in range(0, len(later), WEEKS_PER_SHEET_PAGE)
        )
        rules_page = after_front + len(week_pages)
        page = rules_page + 1
    cards = _cards(plan, sessions)
    card_pages = {exercise_id: page + n // CARDS_PER_PAGE for n, exercise_id in enumerate(cards)}
    page += -(-len(cards) // CARDS_PER_PAGE)
    if len(cards) % CARDS_PER_PAGE:
        spots.append((page - 1, "half"))
    if not diary:
        pages = page - 1
    elif spots:
        extras["diary"] = spots[0]
        pages = page - 1
    else:
        extras["diary"] = (page, "full")
        pages = page
    taken = set(extras.values())
    phases: tuple[tuple[PhaseDigest, int, Place], ...] = tuple(
        (section, phase_page, "upper" if place == "full" and (phase_page, "lower") in taken else place)
        for section, phase_page, place in placed
        if section is not None
    )
    return Layout(
        stretch=stretch,
        this_week=this_week,
        notes_page=notes_page,
        week_pages=week_pages,
        phases=phases,
        cards=cards,
        card_pages=card_pages,
        rules_page=rules_page,
        extras=extras,
        pages=pages,
        phase_ids=frozenset(session.phase_id for session in sessions),
    )


def run_doses(row: WeekRow) -> list[tuple[DoseValue, str, int]]:
    """The distinct runs of a row with how often each comes, in order: (dose, exercise id, count)."""
    counts: dict[tuple[DoseValue, str], int] = {}
    for item in row.runs:
        key = (item.dose, item.exercise_id)
        counts[key] = counts.get(key, 0) + 1
    return [(dose, exercise_id, n) for (dose, exercise_id), n in counts.items()]
