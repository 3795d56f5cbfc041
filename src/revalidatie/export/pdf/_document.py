"""The handout as fixed slots on A4: first page, rules, phase sections, exercise cards, diary.

Which slot goes on which page is decided beforehand from the plan (``export/layout.py``); here each slot is
filled, and a slot whose content is longer than its room is scaled down to fit, so every page reference
printed in the handout (and in the calendar) is right.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import attrs
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    LayoutError,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from ...errors import ExportError, error_message
from ...i18n import texts_for, word
from ...model.common import Side
from ...model.dose import Intervals, SetsReps
from ...model.exercise import Exercise, Urgency
from ...model.log import Zone
from ...model.plan import Item, Pause, Plan, Role, Session, SessionKind
from ...model.protocol import Stage, Stages
from .. import rules
from ..layout import UPPER_FRACTION, Layout, PhaseDigest, WeekRow, run_doses
from ..text import describe_dose, format_date, run_label, short_dose
from . import _styles as s
from ._styles import Table
from ._vector import figure, qr_code

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 16 * mm
BOTTOM = MARGIN + 5 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN
PADDING = 6
"""reportlab's frame padding on every side."""
ROOM_WIDTH = WIDTH - 2 * PADDING
ROOM_HEIGHT = PAGE_HEIGHT - MARGIN - BOTTOM - 2 * PADDING - 1
"""What one slot of a full page may fill (a point to spare against rounding)."""
GAP = 5 * mm
HALF_HEIGHT = (ROOM_HEIGHT - GAP) / 2
_HEIGHTS = {
    "full": ROOM_HEIGHT,
    "half": HALF_HEIGHT,
    "upper": ROOM_HEIGHT * UPPER_FRACTION - GAP / 2,
    "lower": ROOM_HEIGHT * (1 - UPPER_FRACTION) - GAP / 2,
    "lead": HALF_HEIGHT,
}
"""Height of each kind of slot."""
FIGURE_WIDTH = 38 * mm
FIGURE_HEIGHT = 48 * mm

_SIDE_WORDS = {Side.LEFT: "handout.left", Side.RIGHT: "handout.right", Side.BOTH: "handout.both"}
_ZONE_WORDS = {Zone.GREEN: "handout.zone-green", Zone.AMBER: "handout.zone-amber", Zone.RED: "handout.zone-red"}
_KIND_WORDS = {
    SessionKind.RUN: "handout.kind-run",
    SessionKind.STRENGTH: "handout.kind-strength",
    SessionKind.CROSS_TRAINING: "handout.kind-cross-training",
    SessionKind.CHECK: "handout.kind-check",
}
_ZONE_COLOURS = {
    Zone.GREEN: (s.GREEN, s.GREEN_LIGHT),
    Zone.AMBER: (s.AMBER, s.AMBER_LIGHT),
    Zone.RED: (s.RED, s.RED_LIGHT),
}


def _p(markup: str, style: str = "body") -> Paragraph:
    """A paragraph from markup that is already safe (built with :func:`_styles.esc` for typed text)."""
    return s.Para(markup, s.styles()[style])


def _t(text: str, style: str = "body") -> Flowable:
    """Plain text (typed, catalog or fixed wording) in a style; never read as markup."""
    return s.Text(text, s.styles()[style])


def _lead(label: str, text: str, style: str) -> Flowable:
    """``label:`` in bold, then ``text``; right to left as plain text, which breaks its lines in reading order."""
    if s.is_rtl():
        return _t(f"{label}: {text}", style)
    return _p(f"<b>{s.esc(label)}:</b> {s.esc(text)}", style)


def _bullets(texts: Sequence[str], style: str = "bullet") -> list[Flowable]:
    return [s.Text(text, s.styles()[style], bullet="\u2022") for text in texts]


class Slot(Flowable):
    """A fixed-size part of a page: its content is drawn at the top, scaled down when it does not fit.

    ``scale`` is 1 when the content fits as it is (read after the document is built).
    """

    def __init__(self, content: list[Flowable], height: float) -> None:
        super().__init__()
        self.content = content
        self.width, self.height = ROOM_WIDTH, height
        self.scale = 1.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        placed: list[tuple[Flowable, float, float]] = []
        used = 0.0
        for n, flowable in enumerate(self.content):
            before = flowable.getSpaceBefore() if n else 0.0
            _, height = flowable.wrapOn(canvas, self.width, self.height)
            placed.append((flowable, before, height))
            used += before + height + (flowable.getSpaceAfter() if n < len(self.content) - 1 else 0.0)
        if used <= self.height:
            # It fits: draw what was just measured (a second wrap, as KeepInFrame does, costs as much again).
            top = self.height
            for flowable, before, height in placed:
                top -= before + height
                flowable.drawOn(canvas, 0, top)
                top -= flowable.getSpaceAfter()
            return
        inner = KeepInFrame(self.width, self.height, self.content, mode="shrink", hAlign="LEFT")
        _, height = inner.wrapOn(canvas, self.width, self.height)
        self.scale = 1 / getattr(inner, "_scale", 1.0)
        inner.drawOn(canvas, 0, self.height - height)


class _Footer:
    """Draws the footer: practice, client and version on the left, "page x of y" on the right."""

    def __init__(self, left: str, pattern: str, total: int) -> None:
        self.left = s.printable(left)
        self.pattern = pattern
        self.total = total
        self.rtl = s.is_rtl()

    def __call__(self, canvas: Canvas, doc: Any) -> None:
        right = s.printable(self.pattern.format(n=canvas.getPageNumber(), total=self.total))
        canvas.saveState()
        canvas.setStrokeColor(s.RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, 13 * mm, PAGE_WIDTH - MARGIN, 13 * mm)
        canvas.setFillColor(s.MUTED)
        canvas.setFont(s.REGULAR, 7.5)
        room = WIDTH - s.width_of(right, s.REGULAR, 7.5) - 8 * mm
        left = self.left
        # A very long practice or client name is cut with an ellipsis rather than running into the page number.
        while left and s.width_of(left, s.REGULAR, 7.5) > room:
            left = left[:-2] + "\u2026"
        if self.rtl:  # mirrored: the page number on the left, the rest from the right
            s.draw_string(canvas, PAGE_WIDTH - MARGIN, 9 * mm, left, s.REGULAR, 7.5, right=True)
            s.draw_string(canvas, MARGIN, 9 * mm, right, s.REGULAR, 7.5)
        else:
            s.draw_string(canvas, MARGIN, 9 * mm, left, s.REGULAR, 7.5)
            canvas.drawRightString(PAGE_WIDTH - MARGIN, 9 * mm, right)
        canvas.restoreState()


# --- helpers ------------------------------------------------------------------------------------------------


def _frequency(item: Item, language: str) -> str:
    if item.frequency is None:
        return ""
    key = "handout.per-day" if item.frequency.per.value == "day" else "handout.per-week"
    return word(key, language, n=item.frequency.times)


def _dose(plan: Plan, item: Item, language: str) -> str:
    exercise = plan.exercises.get(item.exercise_id)
    laterality = exercise.laterality if exercise is not None else None
    text = (
        describe_dose(item.dose, language, laterality) if laterality is not None else describe_dose(item.dose, language)
    )
    often = _frequency(item, language)
    return f"{text} \u00b7 {often}" if often else text


def _name(plan: Plan, exercise_id: str, language: str) -> str:
    exercise = plan.exercises.get(exercise_id)
    return exercise.name(language) if exercise is not None else exercise_id


def _pages(pages: Sequence[int], language: str, *, capital: bool = False) -> str:
    """``p. 7`` or ``pp. 7-9`` (``Page``/``Pages`` with ``capital``); empty for no pages."""
    if not pages:
        return ""
    one, many = ("handout.page-word", "handout.pages-word") if capital else ("handout.page-ref", "handout.pages-ref")
    if len(pages) == 1:
        return word(one, language, n=pages[0])
    return word(many, language, a=min(pages), b=max(pages))


def _ref(layout: Layout, exercise_id: str, language: str) -> str:
    return _pages(layout.pages_of([exercise_id]), language)


def _grid(data: list[list[Any]], widths: Sequence[float], extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    """A table with a coloured header row."""
    table = Table(data, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(s.table_style([*s.grid_commands(2), *extra]))
    return table


def _box(flowables: list[Flowable], border: colors.Color, fill: colors.Color) -> Table:
    """Flowables in a framed, tinted box."""
    table = Table([[f] for f in flowables], colWidths=[ROOM_WIDTH], hAlign="LEFT")
    table.setStyle(
        s.table_style(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, border),
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
            ]
        )
    )
    return table


def _stage_name(plan: Plan, session: Session, language: str) -> str:
    """The table's own label of the session's stage, else "stage N"."""
    assert session.stage is not None
    phase = next((p.phase for p in plan.phases if p.phase.id == session.phase_id), None)
    running = phase.running if phase is not None else None
    if isinstance(running, Stages) and session.stage <= len(running.stages):
        stage = running.stages[session.stage - 1]
        if isinstance(stage, Stage) and stage.label is not None:
            return stage.label(language)
    return word("handout.stage", language, n=session.stage)


def _week_dates(plan: Plan, week: int, language: str) -> str:
    summary = plan.weeks[week - 1]
    end = min(summary.start + dt.timedelta(days=6), plan.end)
    return f"{format_date(summary.start, language, 'd MMM')} \u2013 {format_date(end, language, 'd MMM yyyy')}"


def _phase_name(plan: Plan, phase_id: str, language: str) -> str:
    for placed in plan.phases:
        if placed.phase.id == phase_id:
            return placed.phase.name(language)
    return phase_id


# --- one week, day by day -------------------------------------------------------------------------------------


def _strength_sets(sessions: Sequence[Session]) -> list[tuple[tuple[Item, ...], list[Session]]]:
    """The week's sets of strength items that come on two or more sessions, each with its sessions."""
    sets: dict[tuple[Item, ...], list[Session]] = {}
    for session in sessions:
        items = tuple(i for i in session.items if i.role is Role.STRENGTH)
        if items:
            sets.setdefault(items, []).append(session)
    return [(items, uses) for items, uses in sets.items() if len(uses) >= 2]


def _days(sessions: Sequence[Session], language: str) -> str:
    days = list(dict.fromkeys(format_date(session.date, language, "EEE") for session in sessions))
    return ", ".join(days)


def _week(plan: Plan, layout: Layout, week: int, language: str, *, heading: str = "h2") -> list[Flowable]:
    """A week day by day: what to do each day with its dose and card page; repeated strength work once."""
    sessions = [session for session in plan.sessions if session.week == week]
    title = f"{word('handout.week-heading', language, n=week)} \u00b7 {_week_dates(plan, week, language)}"
    phase = _phase_name(plan, plan.weeks[week - 1].phase_id, language)
    if plan.weeks[week - 1].deload:
        phase += f" \u00b7 {word('handout.deload-week', language)}"
    story: list[Flowable] = [_t(title, heading), _t(phase, "muted"), Spacer(1, 1.5 * mm)]
    if not sessions:
        return [*story, _t(word("handout.no-sessions", language))]
    shared = _strength_sets(sessions)
    letters = {items: chr(ord("A") + n) for n, (items, _) in enumerate(shared)}
    head = [
        _t(word(key, language), "cell-head")
        for key in ("handout.col-day", "handout.col-what", "handout.col-dose", "handout.col-page")
    ]
    data: list[list[Any]] = [head]
    extra: list[tuple[Any, ...]] = []
    days: dict[dt.date, list[Session]] = {}
    for session in sessions:
        days.setdefault(session.date, []).append(session)
    for number, (date, on_day) in enumerate(days.items()):
        first = len(data)
        rows: list[tuple[str, str, str]] = []
        for n, session in enumerate(on_day):
            # A later session of the day (the second of twice-daily exercises) goes under the same day, timed.
            when = f"{session.start.strftime('%H:%M')}: " if n else ""
            strength = tuple(i for i in session.items if i.role is Role.STRENGTH)
            only_strength = all(i.role is Role.STRENGTH for i in session.items)
            if strength in letters and n and only_strength and rows and rows[0][1] == "":
                # "Strength exercises A (below) · 19:15: B": the day's second set on the same line.
                rows[0] = (f"{rows[0][0]} \u00b7 {when}{letters[strength]}", "", "")
                continue
            if strength in letters:
                rows.append((when + word("handout.strength-row", language, letter=letters[strength]), "", ""))
                when = ""
            for item in session.items:
                if item.role is Role.STRENGTH and strength in letters:
                    continue
                name = _name(plan, item.exercise_id, language)
                if item.role is Role.RUN and session.stage is not None:
                    name = f"{name} ({_stage_name(plan, session, language)})"
                elif item.role is Role.CHECK:
                    name = f"{word('handout.kind-check', language)}: {name}"
                rows.append((when + name, _dose(plan, item, language), _ref(layout, item.exercise_id, language)))
                when = ""
        day = format_date(date, language, "EEE d MMM")
        for index, (what, dose, ref) in enumerate(rows or [("", "", "")]):
            data.append(
                [
                    _t(day, "cell-bold") if index == 0 else "",
                    _t(what, "cell"),
                    _t(dose, "cell"),
                    _t(ref, "cell"),
                ]
            )
        last = len(data) - 1
        if last > first:
            extra.append(("SPAN", (0, first), (0, last)))
        if number % 2:
            extra.append(("BACKGROUND", (0, first), (-1, last), s.ZEBRA))
        extra.append(("LINEBELOW", (0, last), (-1, last), 0.8, s.MUTED))
        if any(session.kind is SessionKind.RUN for session in on_day):
            extra.append(("LINEBEFORE", (0, first), (0, last), 2.5, s.ACCENT))
    story.append(_grid(data, [24 * mm, 74 * mm, ROOM_WIDTH - 110 * mm, 12 * mm], extra))
    for items, uses in shared:
        title = word("handout.strength-days", language, letter=letters[items], days=_days(uses, language))
        story += [Spacer(1, 2 * mm), _strength_table(plan, layout, items, title, language)]
    return story


def _strength_table(plan: Plan, layout: Layout, items: Sequence[Item], title: str, language: str) -> Table:
    data: list[list[Any]] = [[_t(title, "cell-head"), "", ""]]
    for item in items:
        data.append(
            [
                _t(_name(plan, item.exercise_id, language), "cell"),
                _t(_dose(plan, item, language), "cell"),
                _t(_ref(layout, item.exercise_id, language), "cell"),
            ]
        )
    return _grid(
        data,
        [74 * mm, ROOM_WIDTH - 86 * mm, 12 * mm],
        extra=[("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 1), (-1, -1), s.AMBER_LIGHT)],
    )


# --- 1. first page --------------------------------------------------------------------------------------------


def _first_page(plan: Plan, layout: Layout, language: str, links: Links) -> list[Flowable]:
    profile = plan.profile
    stamp = format_date(plan.revised_at.date(), language, "long")
    side = word(_SIDE_WORDS[profile.side], language)
    lines = [
        f"{plan.condition.name(language)} ({side}) \u00b7 {plan.protocol.name(language)}",
        f"{format_date(plan.start, language, 'd MMMM yyyy')} \u2013 {format_date(plan.end, language, 'd MMMM yyyy')}"
        f" \u00b7 {texts_for(language).plural('handout.weeks', len(plan.weeks), n=len(plan.weeks))}",
        word("handout.version", language, n=plan.revision, date=stamp),
    ]
    goal = [profile.goal.description, word("handout.goal-run", language, n=profile.goal.run_minutes)]
    lines.insert(2, f"{word('handout.goal', language)}: {'; '.join(part for part in goal if part)}")
    story: list[Flowable] = [_t(word("handout.doc-title", language), "muted"), _t(profile.name, "title")]
    story += [_t(line, "body") for line in lines]
    contact = _contact_line(plan, language)
    if contact:
        story.append(_t(contact, "muted"))
    story.append(Spacer(1, 3 * mm))
    if plan.paused is not None:
        story += [_paused(plan, plan.paused, language), Spacer(1, 3 * mm)]
    if layout.stretch is None:
        heading = word("handout.this-week", language, n=layout.this_week)
        story += [_t(heading, "h1"), *_week(plan, layout, layout.this_week, language, heading="h3")]
    else:
        first, last = layout.stretch.first, layout.stretch.last
        heading = (
            word("handout.sheet-week", language, a=first)
            if first == last
            else word("handout.sheet-weeks", language, a=first, b=last)
        )
        story += [_t(heading, "h1"), *_week(plan, layout, first, language, heading="h3")]
    advice = rules.advice(plan, language)
    if advice:
        story += [Spacer(1, 2 * mm), _t(word("handout.protocol-advice", language), "h2"), *_bullets(advice, "step")]
    story += [
        Spacer(1, 3 * mm),
        _t(word("handout.read-title", language), "h2"),
        *_bullets(_reading_guide(layout, language)),
    ]
    if profile.notes.strip() and layout.notes_page is None:
        story += [Spacer(1, 3 * mm), _notes(plan, language)]
    elif layout.notes_page is not None:
        story += [Spacer(1, 3 * mm), _t(word("handout.notes-page", language, page=layout.notes_page), "h3")]
    if links.checkin is not None:
        story += [Spacer(1, 3 * mm), _checkin(links.checkin, links.subscription, language)]
    elif links.subscription is not None:
        story += [Spacer(1, 3 * mm), _subscription(links.subscription, language)]
    return story


def _paused(plan: Plan, pause: Pause, language: str) -> Table:
    """The box that says the programme is stopped, why, and whom to call: the first thing on the first page."""
    actions = {flag.id: flag.action(language) for flag in plan.red_flags}
    rows: list[Flowable] = [
        _p(f"\u26a0 {s.esc(word('calendar.paused', language))}", "alert-title"),
        _t(word("calendar.paused_note", language, date=format_date(pause.since, language, "long")), "cell"),
        *(_t(actions[flag], "cell-bold") for flag in pause.flags if flag in actions),
    ]
    return _box(rows, s.RED, s.RED_LIGHT)


def _notes(plan: Plan, language: str) -> Table:
    lines = plan.profile.notes.strip().splitlines()
    return _box([_t(word("handout.notes", language), "h3"), *[_t(line) for line in lines]], s.RULE, s.ZEBRA)


def _contact_line(plan: Plan, language: str) -> str:
    contact = plan.profile.contact
    parts = [contact.clinician, contact.practice, contact.phone, contact.email]
    who = " \u00b7 ".join(part for part in parts if part.strip())
    return f"{word('handout.contact', language)}: {who}" if who else ""


def _reading_guide(layout: Layout, language: str) -> list[str]:
    guide = []
    if layout.week_pages:
        pages = [layout.first_week_page + n for n in range(len(layout.week_pages))]
        guide.append(word("handout.read-weeks", language, pages=_pages(pages, language, capital=True)))
    guide.append(word("handout.read-rules", language, pages=_pages([layout.rules_page], language, capital=True)))
    if layout.phases:
        pages = sorted({page for _, page, _ in layout.phases})
        guide.append(word("handout.read-phases", language, pages=_pages(pages, language, capital=True)))
    if layout.cards:
        pages = sorted(set(layout.card_pages.values()))
        guide.append(word("handout.read-cards", language, pages=_pages(pages, language, capital=True)))
    if "condition" in layout.extras:
        page = layout.extras["condition"][0]
        guide.append(word("handout.read-condition", language, pages=_pages([page], language, capital=True)))
    if layout.diary_page is not None:
        guide.append(word("handout.read-diary", language, pages=_pages([layout.diary_page], language, capital=True)))
    else:
        guide.append(word("handout.read-checkin", language))
    guide.append(word("handout.read-calendar", language))
    return guide


def _subscription(url: str, language: str) -> Table:
    text: list[Flowable] = [
        _t(word("handout.calendar-short", language), "body"),
        _p(f'<font name="{s.BOLD}">{s.esc(url)}</font>', "small"),
        *_bullets([word(key, language) for key in ("handout.iphone", "handout.android", "handout.outlook")], "step"),
    ]
    return _qr_box(url, text)


def _checkin(url: str, subscription: str | None, language: str) -> Table:
    """The QR code of the check-in page, where the client reports each session and finds the calendar."""
    text: list[Flowable] = [_t(word("handout.checkin-short", language), "body")]
    if subscription is not None:
        text += [
            _t(word("handout.checkin-calendar", language), "small"),
            _p(f'<font name="{s.BOLD}">{s.esc(subscription)}</font>', "small"),
        ]
    return _qr_box(url, text)


def _qr_box(url: str, text: list[Flowable]) -> Table:
    size = 30 * mm
    table = Table([[qr_code(url, size), text]], colWidths=[size + 6 * mm, ROOM_WIDTH - size - 6 * mm])
    table.setStyle(
        s.table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.8, s.ACCENT),
                ("BACKGROUND", (0, 0), (-1, -1), s.ACCENT_LIGHT),
            ]
        )
    )
    return table


# --- 2. rules ---------------------------------------------------------------------------------------------------


def _rules_page(plan: Plan, layout: Layout, language: str) -> list[Flowable]:
    story: list[Flowable] = [
        _t(word("handout.light-title", language), "h1"),
        _t(word("handout.how-intro", language), "cell"),
    ]
    zones = (Zone.GREEN, Zone.AMBER, Zone.RED)
    meaning = Table(
        [
            [
                _p(f'<font color="white">{s.esc(word(_ZONE_WORDS[zone], language))}</font>', "zone"),
                _t(rules.zone_meaning(zone, language), "cell"),
            ]
            for zone in zones
        ],
        colWidths=[26 * mm, ROOM_WIDTH - 26 * mm],
    )
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -2), 2, colors.white),
    ]
    for row, zone in enumerate(zones):
        strong, pale = _ZONE_COLOURS[zone]
        commands += [("BACKGROUND", (0, row), (0, row), strong), ("BACKGROUND", (1, row), (1, row), pale)]
    meaning.setStyle(s.table_style(commands))
    story += [Spacer(1, 2 * mm), meaning, Spacer(1, 2 * mm), _t(word("handout.morning-text", language), "small")]
    groups = [group for group in rules.zone_rules(plan, language) if _phases_in(layout, group.phase_ids)]
    if groups:
        story += [Spacer(1, 2 * mm), _actions_table(groups, language)]
    notes = [rules.check_rule(language)] if any(s.kind is SessionKind.CHECK for s in plan.sessions) else []
    if any(item.role is Role.CROSS_TRAINING for session in plan.sessions for item in session.items):
        notes.append(rules.cross_training_rule(language))
    if notes:
        story += [Spacer(1, 1 * mm), *_bullets(notes, "step")]
    story += [Spacer(1, 3 * mm), _stop_and_call(plan, language)]
    return story


def _phases_in(layout: Layout, phase_ids: Sequence[str]) -> bool:
    """Whether the handout covers one of ``phase_ids`` (a short sheet covers only its stretch's phases)."""
    return bool(set(phase_ids) & layout.phase_ids)


def _actions_table(groups: Sequence[rules.ZoneRules], language: str) -> Table:
    zones = (Zone.GREEN, Zone.AMBER, Zone.RED)
    column = (ROOM_WIDTH - 34 * mm) / 3
    head: list[Any] = [""] + [
        _p(f'<font color="white">{s.esc(word(_ZONE_WORDS[zone], language))}</font>', "zone") for zone in zones
    ]
    data: list[list[Any]] = [head]
    for group in groups:
        what: list[Flowable] = [_t(group.title, "cell-bold")]
        what += [_t(note, "small") for note in group.notes]
        data.append([what, *(_t(group.action(zone), "cell") for zone in zones)])
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, s.RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for col, zone in enumerate(zones, start=1):
        strong, pale = _ZONE_COLOURS[zone]
        commands += [("BACKGROUND", (col, 0), (col, 0), strong), ("BACKGROUND", (col, 1), (col, -1), pale)]
    table = Table(data, colWidths=[34 * mm, column, column, column])
    table.setStyle(s.table_style(commands))
    return table


def _stop_and_call(plan: Plan, language: str) -> Table:
    rows: list[Flowable] = [
        _p(f"\u26a0 {s.esc(word('handout.stop-title', language))}", "alert-title"),
        _t(word("handout.stop-intro", language), "cell"),
    ]
    columns: list[list[Flowable]] = []
    for urgency, key in ((Urgency.EMERGENCY, "handout.emergency"), (Urgency.URGENT, "handout.urgent")):
        flags = [flag for flag in plan.red_flags if flag.urgency == urgency]
        if not flags:
            continue
        column: list[Flowable] = [_t(word(key, language), "cell-bold")]
        for flag in flags:
            if s.is_rtl():  # the question and the action as text that breaks its lines right to left
                column.append(s.Text(flag.question(language), s.styles()["flag-bold"], bullet="\u25a0"))
                column.append(s.Text(flag.action(language), s.styles()["flag"]))
                continue
            column.append(
                s.Para(
                    f"<b>{s.esc(flag.question(language))}</b> {s.esc(flag.action(language))}",
                    s.styles()["flag"],
                    bulletText="\u25a0",
                )
            )
        columns.append(column)
    if columns:
        half = (ROOM_WIDTH - 16) / 2
        table = Table([columns], colWidths=[half] * len(columns))
        table.setStyle(s.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        rows.append(table)
    contact = plan.profile.contact
    who = ", ".join(part for part in (contact.clinician, contact.practice, contact.phone) if part.strip())
    if who:
        call = word("handout.call", language, who=who)
        rows.append(_t(call, "cell-bold") if s.is_rtl() else _p(f"<b>{s.esc(call)}</b>"))
    return _box(rows, s.RED, s.RED_LIGHT)


def _condition(plan: Plan, language: str) -> list[Flowable]:
    """What the condition is, what to do and avoid in daily life, and what to do on a bad day."""
    story: list[Flowable] = [
        _t(word("handout.what-is-it", language), "h2"),
        _t(plan.condition.description(language), "cell"),
    ]
    daily = plan.condition.advice(language)
    if daily:
        story += [_t(word("handout.advice", language), "h3"), *_bullets(daily, "step")]
    story += [
        _t(word("handout.bad-day-title", language), "h3"),
        *_bullets(word("handout.bad-day", language).split("|"), "step"),
    ]
    return story


# --- 3. phases --------------------------------------------------------------------------------------------------


def _kind_short(kinds: Sequence[SessionKind], language: str) -> str:
    if not kinds:
        return word("handout.rest-day", language)
    return " + ".join(word(_KIND_WORDS[kind], language) for kind in kinds)


def _phase_section(plan: Plan, layout: Layout, section: PhaseDigest, language: str) -> list[Flowable]:
    placed = section.placed
    number = plan.phases.index(placed) + 1
    last = placed.first_week + placed.weeks - 1
    weeks = (
        word("handout.week-one", language, a=placed.first_week)
        if placed.weeks == 1
        else word("handout.week-range", language, a=placed.first_week, b=last)
    )
    dates = f"{format_date(placed.start, language, 'd MMM')} \u2013 {format_date(placed.end, language, 'd MMM yyyy')}"
    heading = word("handout.phase-heading", language, n=number, name=placed.phase.name(language))
    story: list[Flowable] = [
        _t(heading, "h3"),
        _t(f"{weeks} \u00b7 {dates} \u00b7 {placed.phase.goal(language)}", "small"),
        Spacer(1, 1.5 * mm),
    ]
    pause = plan.paused
    if pause is not None and placed.end >= pause.since:
        since = format_date(max(pause.since, placed.start), language, "d MMMM")
        story += [_t(word("handout.phase-paused", language, date=since), "cell-alert"), Spacer(1, 1.5 * mm)]
        if not any(section.pattern):
            return story  # nothing of it is planned until the physio resumes the programme
    names = [format_date(dt.date(2024, 1, 1) + dt.timedelta(days=n), language, "EEE") for n in range(7)]
    days = " \u00b7 ".join(
        f"{name} {_kind_short(kinds, language).lower()}" for name, kinds in zip(names, section.pattern, strict=True)
    )
    story += [_lead(word("handout.pattern", language), days, "small"), Spacer(1, 1.5 * mm)]
    if section.strength:
        head = [
            _t(word(key, language), "cell-head")
            for key in (
                "handout.col-exercise",
                "handout.col-start",
                "handout.col-end",
                "handout.col-often",
                "handout.col-page",
            )
        ]
        data: list[list[Any]] = [head]
        for line in section.strength:
            end = word("handout.same", language) if line.last == line.first else _brief(plan, line.last, language)
            data.append(
                [
                    _t(_name(plan, line.exercise_id, language), "small"),
                    _t(_brief(plan, line.first, language), "small"),
                    _t(end, "small"),
                    _t(_often(line.days, language), "small"),
                    _t(_ref(layout, line.exercise_id, language), "small"),
                ]
            )
        story += [
            _t(word("handout.strength-grows", language), "label"),
            _grid(data, [48 * mm, 46 * mm, 46 * mm, ROOM_WIDTH - 152 * mm, 12 * mm]),
            Spacer(1, 1.5 * mm),
        ]
    if section.weeks:
        head = [
            _t(word(key, language), "cell-head")
            for key in ("handout.col-week", "handout.col-running", "handout.col-cross")
        ]
        data = [head]
        extra: list[tuple[Any, ...]] = []
        for row in section.weeks:
            weeks_text = str(row.first) if row.first == row.last else f"{row.first}-{row.last}"
            if row.deload:
                weeks_text += f" ({word('handout.deload-week', language)})"
                extra.append(("BACKGROUND", (0, len(data)), (-1, len(data)), s.DELOAD_LIGHT))
            data.append(
                [
                    _t(weeks_text, "small"),
                    _t(_runs(plan, row, language), "small"),
                    _t(_cross(plan, row, language), "small"),
                ]
            )
        story += [
            _t(word("handout.running-grows", language), "label"),
            _grid(data, [22 * mm, 94 * mm, ROOM_WIDTH - 116 * mm], extra),
        ]
        block = next(
            (item.dose for row in section.weeks for item in row.runs if isinstance(item.dose, Intervals)), None
        )
        if block is not None:
            # How to read the short form, with the section's first walk/run block as the example.
            key = f"{short_dose(block, language)} = {describe_dose(block, language)}"
            story.append(_t(word("handout.block-key", language, example=key), "small"))
    for check in section.checks:
        tests = [item for item in check.items if item.role is Role.CHECK]
        date = format_date(check.date, language, "EEEE d MMMM")
        parts = [
            f"{_name(plan, item.exercise_id, language)} ({_ref(layout, item.exercise_id, language)})"
            if _ref(layout, item.exercise_id, language)
            else _name(plan, item.exercise_id, language)
            for item in tests
        ]
        story += [
            Spacer(1, 1.5 * mm),
            _t(word("handout.check-line", language, date=date), "cell-bold"),
            _t(", ".join(parts), "small"),
        ]
    return story


def _brief(plan: Plan, item: Item, language: str) -> str:
    """The dose without rest and tempo (the card has them): what grows over a phase."""
    dose = item.dose
    if isinstance(dose, SetsReps):
        dose = dose.model_copy(update={"rest_s": None, "tempo": None})
    return _dose(plan, attrs.evolve(item, dose=dose), language)


def _often(days: int, language: str) -> str:
    if days >= 7:
        return word("handout.every-day", language)
    return texts_for(language).plural("handout.days-week", days, n=days)


def _runs(plan: Plan, row: WeekRow, language: str) -> str:
    if not row.runs:
        return word("handout.no-running", language)
    parts = []
    for dose, exercise_id, count in run_doses(row):
        parts.append(f"{count} x {run_label(_name(plan, exercise_id, language), dose, language)}")
    return " \u00b7 ".join(parts)


def _cross(plan: Plan, row: WeekRow, language: str) -> str:
    """The week's cross-training by length: ``3 x 60 min (cycling, swimming)``."""
    by_dose: dict[str, list[str]] = {}
    for item in row.cross:
        by_dose.setdefault(short_dose(item.dose, language), []).append(_name(plan, item.exercise_id, language))
    parts = []
    for dose, names in by_dose.items():
        kinds = ", ".join(dict.fromkeys(name.lower() if n else name for n, name in enumerate(names)))
        parts.append(f"{len(names)} x {dose} ({kinds})")
    return " \u00b7 ".join(parts)


# --- 4. exercise cards ------------------------------------------------------------------------------------------


def _doses(plan: Plan, layout: Layout, exercise: Exercise, language: str) -> list[tuple[str, str]]:
    """Per phase, the training dose of the exercise (one, or where it starts and ends); tests apart, dated."""
    result: list[tuple[str, str]] = []
    stretch = layout.stretch
    sessions = [s for s in plan.sessions if stretch is None or stretch.first <= s.week <= stretch.last]
    for placed in plan.phases:
        training: list[str] = []
        tests: list[tuple[dt.date, str]] = []
        in_phase = [s for s in sessions if s.phase_id == placed.phase.id]
        plain = [s for s in in_phase if not s.deload] or in_phase
        for session in plain:
            for item in session.items:
                if item.exercise_id != exercise.id:
                    continue
                text = _dose(plan, item, language)
                if item.role is Role.CHECK:
                    tests.append((session.date, text))
                elif text not in training:
                    training.append(text)
        if len(training) == 1:
            result.append((placed.phase.name(language), training[0]))
        elif training:
            result.append(
                (placed.phase.name(language), word("handout.dose-from-to", language, a=training[0], b=training[-1]))
            )
        for date, text in tests:
            result.append((word("handout.as-test-on", language, date=format_date(date, language, "d MMM")), text))
    return result


def _figure(exercise: Exercise, language: str) -> Flowable | None:
    """The exercise's figure for the card's figure slot, or ``None`` for an exercise without a figure."""
    if exercise.figure is None:
        return None
    # The slot is a narrow column; its cell padding (6 points a side) comes off the width.
    return figure(exercise, FIGURE_WIDTH - 12, FIGURE_HEIGHT, language)


def _card_exercises(plan: Plan, layout: Layout) -> list[Exercise]:
    """The exercises with a card, in card order."""
    return [plan.exercises[exercise_id] for exercise_id in layout.cards]


def _card(plan: Plan, layout: Layout, exercise: Exercise, language: str) -> list[Flowable]:
    styles = s.styles()
    top: list[Flowable] = [_lead(word("handout.purpose", language), exercise.purpose(language), "cell")]
    top.append(_t(word("handout.steps", language), "h3"))
    top += [s.Text(step, styles["step"], bullet=f"{n}.") for n, step in enumerate(exercise.steps(language), start=1)]
    half = (ROOM_WIDTH - 2) / 2
    tips: list[Flowable] = [_t(word("handout.cues", language), "h3"), *_bullets(exercise.cues(language), "step")]
    mistakes: list[Flowable] = [
        _t(word("handout.mistakes", language), "h3"),
        *_bullets(exercise.mistakes(language), "step"),
    ]
    lists = Table([[tips, mistakes]], colWidths=[half, half])
    lists.setStyle(s.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    art = _figure(exercise, language)
    title = f"{exercise.name(language)}  \u00b7  {_ref(layout, exercise.id, language)}"
    rows: list[list[Any]] = [
        [_t(title, "card-title"), ""],
        [art if art is not None else top, top if art is not None else ""],
        [lists, ""],
    ]
    doses = _doses(plan, layout, exercise, language)
    if doses:
        dose_rows = [[_t(label, "cell-bold"), _t(text, "cell")] for label, text in doses]
        dose_table = Table(dose_rows, colWidths=[48 * mm, ROOM_WIDTH - 48 * mm - 16])
        dose_table.setStyle(
            s.table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.3, s.RULE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            )
        )
        rows.append([[_t(word("handout.your-amount", language), "h3"), dose_table], ""])
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 0.8, s.RULE),
        ("BACKGROUND", (0, 0), (-1, 0), s.ACCENT_LIGHT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 1), (-1, -1), 1.5),
        ("SPAN", (0, 0), (-1, 0)),
        ("SPAN", (0, 2), (-1, 2)),
    ]
    if doses:
        commands += [("SPAN", (0, 3), (-1, 3)), ("BACKGROUND", (0, 3), (-1, 3), s.ZEBRA)]
    if art is None:
        commands.append(("SPAN", (0, 1), (-1, 1)))
    card = Table(rows, colWidths=[FIGURE_WIDTH, ROOM_WIDTH - FIGURE_WIDTH])
    card.setStyle(s.table_style(commands))
    return [card]


# --- 5. diary ---------------------------------------------------------------------------------------------------


def _diary(language: str, *, weeks: int) -> list[Flowable]:
    story: list[Flowable] = [
        _t(word("handout.diary-title", language), "h1"),
        _t(word("handout.diary-intro", language), "cell"),
    ]
    head = [
        _t(word(key, language), "cell-head")
        for key in (
            "handout.col-day",
            "handout.col-session",
            "handout.col-done",
            "handout.col-during",
            "handout.col-morning",
            "handout.col-note",
        )
    ]
    widths = [22 * mm, 40 * mm, 14 * mm, 24 * mm, 26 * mm, ROOM_WIDTH - 126 * mm]
    for _ in range(weeks):
        data: list[list[Any]] = [[_t(word("handout.diary-week", language), "cell-bold"), "", "", "", "", ""], head]
        data += [["", "", _t("\u2610", "center"), "", "", ""] for _ in range(7)]
        extra = [
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), colors.white),
            ("BACKGROUND", (0, 1), (-1, 1), s.ACCENT),
            ("ROWBACKGROUNDS", (0, 2), (-1, -1), [colors.white, s.ZEBRA]),
            ("LINEBEFORE", (1, 1), (-1, -1), 0.4, s.RULE),
            ("TOPPADDING", (0, 2), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 2), (-1, -1), 2.5),
        ]
        story += [Spacer(1, 2 * mm), _grid(data, widths, extra)]
    return story


# --- the document ---------------------------------------------------------------------------------------------


_DIARY_WEEKS = {"full": 4, "half": 2, "lower": 1}
"""Weeks of diary grid that fit each kind of slot."""


def _page_slots(plan: Plan, layout: Layout, language: str, links: Links) -> dict[int, list[Slot]]:
    """Every slot on the page the layout gave it, in order down the page."""
    pages: dict[int, list[Slot]] = {1: [Slot(_first_page(plan, layout, language, links), ROOM_HEIGHT)]}
    if layout.notes_page is not None:
        pages[layout.notes_page] = [Slot([_notes(plan, language)], ROOM_HEIGHT)]
    for n, weeks in enumerate(layout.week_pages):
        pages[layout.first_week_page + n] = [
            Slot(_week(plan, layout, week, language, heading="h2"), HALF_HEIGHT) for week in weeks
        ]
    pages[layout.rules_page] = [Slot(_rules_page(plan, layout, language), ROOM_HEIGHT)]
    for section, page, place in layout.phases:
        pages.setdefault(page, []).append(Slot(_phase_section(plan, layout, section, language), _HEIGHTS[place]))
    for exercise in _card_exercises(plan, layout):
        card = Slot(_card(plan, layout, exercise, language), HALF_HEIGHT)
        pages.setdefault(layout.card_pages[exercise.id], []).append(card)
    for extra, (page, where) in layout.extras.items():
        height = _HEIGHTS[where]
        content = _condition(plan, language) if extra == "condition" else _diary(language, weeks=_DIARY_WEEKS[where])
        on_page = pages.setdefault(page, [])
        # Before the first phase section ("lead"), else below what is on the page.
        on_page.insert(0 if where == "lead" else len(on_page), Slot(content, height))
    return pages


def _slots(plan: Plan, layout: Layout, language: str, links: Links) -> list[Flowable]:
    """The story: each page's slots with a gap between them and a page break after each page."""
    pages = _page_slots(plan, layout, language, links)
    assert sorted(pages) == list(range(1, layout.pages + 1)), "the layout leaves no page empty"
    story: list[Flowable] = []
    for number in sorted(pages):
        for n, slot in enumerate(pages[number]):
            if n:
                story.append(Spacer(1, GAP))
            story.append(slot)
        if number < layout.pages:
            story.append(PageBreak())
    return story


@attrs.frozen
class Links:
    """The client's addresses a handout prints.

    Attributes:
        subscription: The calendar feed: a QR code and subscription steps when there is no check-in page.
        checkin: The check-in page: the QR code leads there, and the booklet has no paper pain diary.

    """

    subscription: str | None = None
    checkin: str | None = None


def build(plan: Plan, layout: Layout, language: str, links: Links) -> tuple[bytes, list[float]]:
    """Lay out the handout for ``plan`` and return the PDF bytes and each slot's scale (1: fits as it is).

    A right-to-left language (Arabic) is laid out mirrored: text right-aligned, table columns and the footer
    in reverse order.
    """
    with s.direction(texts_for(language).rtl):
        return _build(plan, layout, language, links)


def _build(plan: Plan, layout: Layout, language: str, links: Links) -> tuple[bytes, list[float]]:
    s.register_fonts()
    profile = plan.profile
    contact = profile.contact
    buffer = io.BytesIO()
    title = f"{word('handout.doc-title', language)}: {profile.name}"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=BOTTOM,
        title=s.printable(title),
        author=s.printable(contact.clinician or contact.practice or "revalidatie"),
        subject=s.printable(f"{word('handout.subject', language)}: {plan.condition.name(language)}"),
        creator="revalidatie",
        lang=language,
        invariant=1,
        initialFontName=s.REGULAR,
    )
    story = _slots(plan, layout, language, links)
    slots = [flowable for flowable in story if isinstance(flowable, Slot)]  # building empties the story
    stamp = word(
        "handout.version", language, n=plan.revision, date=format_date(plan.revised_at.date(), language, "d MMM yyyy")
    )
    footer_left = " \u00b7 ".join(part for part in (contact.practice.strip(), profile.name, stamp) if part)
    footer = _Footer(footer_left, word("handout.page", language), layout.pages)
    try:
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    except LayoutError as exc:
        # Only text far beyond what the input models allow gets here; say which part did not fit.
        raise ExportError("<pdf>", error_message("error.handout-layout", reason=str(exc)[:200])) from None
    return buffer.getvalue(), [slot.scale for slot in slots]
