"""The handout as a reportlab platypus story: cover, how-to, overview, weeks, exercise cards, diary, calendar."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    LayoutError,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from ...errors import ExportError
from ...model.exercise import Exercise, Urgency
from ...model.plan import Item, Plan, Role, Session, SessionKind
from ...model.protocol import Stage, Stages
from ..text import describe_dose, format_date
from . import _styles as s
from ._chart import load_chart
from ._styles import Table
from ._vector import figure, qr_code
from ._words import word

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN
FIGURE_WIDTH = 40 * mm
"""Width of the illustration slot at the left of an exercise card."""
FIGURE_HEIGHT = 52 * mm
"""Height of the exercise drawing in that slot: start above end."""


def _table_style(commands: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A table style whose plain-string cells use the embedded font too (reportlab would pick Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), s.REGULAR), *commands])


def _p(markup: str, style: str = "body") -> Paragraph:
    """A paragraph from markup that is already safe (built with :func:`_styles.esc` for typed text)."""
    return s.Para(markup, s.styles()[style])


def _t(text: str, style: str = "body") -> Flowable:
    """Plain text (typed, catalog or fixed wording) in a style; never read as markup."""
    return s.Text(text, s.styles()[style])


def _bullets(texts: Sequence[str], style: str = "bullet") -> list[Flowable]:
    return [s.Text(text, s.styles()[style], bullet="\u2022") for text in texts]


class _Footer:
    """Draws the footer: practice and client on the left, "page x of y" on the right."""

    def __init__(self, left: str, page_words: tuple[str, str]) -> None:
        self.left = s.printable(left)
        self.page_words = page_words

    def draw(self, canvas: Canvas, page: int, total: int) -> None:
        pattern = self.page_words[0]
        right = pattern.format(n=page, total=total)
        canvas.saveState()
        canvas.setStrokeColor(s.RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, 13 * mm, PAGE_WIDTH - MARGIN, 13 * mm)
        canvas.setFillColor(s.MUTED)
        canvas.setFont(s.REGULAR, 7.5)
        room = WIDTH - stringWidth(right, s.REGULAR, 7.5) - 8 * mm
        left = self.left
        # A very long practice or client name is cut with an ellipsis rather than running into the page number.
        while left and stringWidth(left, s.REGULAR, 7.5) > room:
            left = left[:-2] + "\u2026"
        canvas.drawString(MARGIN, 9 * mm, left)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 9 * mm, right)
        canvas.restoreState()


def _canvas_maker(footer: _Footer) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Keeps every page until the end, so each footer can say how many pages there are."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's page reset, missing from its stubs

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                footer.draw(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


# --- helpers ------------------------------------------------------------------------------------------------


def _frequency(item: Item, language: str) -> str:
    if item.frequency is None:
        return ""
    key = "per-day" if item.frequency.per.value == "day" else "per-week"
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


def _phase_name(plan: Plan, phase_id: str, language: str) -> str:
    for placed in plan.phases:
        if placed.phase.id == phase_id:
            return placed.phase.name(language)
    return phase_id


def _grid(data: list[list[Any]], widths: Sequence[float], extra: Sequence[tuple[Any, ...]] = (), **kw: Any) -> Table:
    """A table with a coloured header row that repeats on every page it spans."""
    table = Table(data, colWidths=list(widths), repeatRows=1, **kw)
    table.setStyle(
        _table_style(
            [
                ("BACKGROUND", (0, 0), (-1, 0), s.ACCENT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, s.RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                *extra,
            ]
        )
    )
    return table


def _box(flowables: list[Flowable], border: colors.Color, fill: colors.Color) -> Table:
    """Flowables in a framed, tinted box, one row per flowable so a long box can continue on the next page."""
    # splitInRow lets even one very long paragraph (typed notes) continue on the next page.
    table = Table([[f] for f in flowables], colWidths=[WIDTH], splitInRow=1)
    table.setStyle(
        _table_style(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, border),
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("LEFTPADDING", (0, 0), (-1, -1), 9),
                ("RIGHTPADDING", (0, 0), (-1, -1), 9),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        )
    )
    return table


# --- 1. cover -------------------------------------------------------------------------------------------------


def _cover(plan: Plan, language: str) -> list[Flowable]:
    profile = plan.profile
    story: list[Flowable] = [
        Spacer(1, 6 * mm),
        _t(word("doc-title", language), "subtitle"),
        _t(profile.name, "title"),
        _t(f"{plan.condition.name(language)} ({word(profile.side.value, language)})", "subtitle"),
    ]
    rows = [
        (word("condition", language), plan.condition.name(language)),
        (word("side", language), word(profile.side.value, language)),
        (word("start", language), format_date(plan.start, language, "full")),
        (word("end", language), format_date(plan.end, language, "full")),
        (word("length", language), word("weeks", language, n=len(plan.weeks))),
        (word("protocol", language), plan.protocol.name(language)),
        (
            word("goal", language),
            "; ".join(
                part
                for part in (profile.goal.description, word("goal-run", language, n=profile.goal.run_minutes))
                if part
            ),
        ),
    ]
    info = Table(
        [[_t(label, "label"), _t(value, "value")] for label, value in rows], colWidths=[42 * mm, WIDTH - 42 * mm]
    )
    info.setStyle(
        _table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, s.RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story += [info, Spacer(1, 6 * mm), _t(word("cover-intro", language)), Spacer(1, 4 * mm)]
    story += [_t(word("what-is-it", language), "h3"), _t(plan.condition.description(language))]
    if profile.confirmed_by:
        story.append(_t(word("confirmed-by", language, who=profile.confirmed_by), "muted"))
    contact = _contact_lines(plan, language)
    if contact:
        story += [Spacer(1, 4 * mm), _box([_t(word("contact", language), "h3"), *contact], s.ACCENT, s.ACCENT_LIGHT)]
    if profile.notes.strip():
        story += [
            Spacer(1, 4 * mm),
            _box(
                [_t(word("notes", language), "h3"), *[_t(line) for line in profile.notes.strip().splitlines()]],
                s.RULE,
                s.ZEBRA,
            ),
        ]
    if plan.revision > 1:
        stamp = format_date(plan.revised_at.date(), language, "long")
        story += [Spacer(1, 3 * mm), _t(word("revision", language, n=plan.revision, date=stamp), "muted")]
    return story


def _contact_lines(plan: Plan, language: str) -> list[Flowable]:
    contact = plan.profile.contact
    pairs = [
        ("clinician", contact.clinician),
        ("practice", contact.practice),
        ("phone", contact.phone),
        ("email", contact.email),
    ]
    return [_p(f"<b>{s.esc(word(key, language))}:</b> {s.esc(value)}") for key, value in pairs if value.strip()]


# --- 2. how to use ----------------------------------------------------------------------------------------------


def _how_to(plan: Plan, language: str) -> list[Flowable]:
    story: list[Flowable] = [_t(word("how-title", language), "h1"), _t(word("how-intro", language))]
    zones = [
        ("zone-green", s.GREEN, s.GREEN_LIGHT),
        ("zone-amber", s.AMBER, s.AMBER_LIGHT),
        ("zone-red", s.RED, s.RED_LIGHT),
    ]
    light = Table(
        [
            [_p(f'<font color="white">{s.esc(word(key, language))}</font>', "zone"), _t(word(f"{key}-text", language))]
            for key, _, _ in zones
        ],
        colWidths=[38 * mm, WIDTH - 38 * mm],
    )
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ("LEFTPADDING", (1, 0), (1, -1), 9),
        ("LINEBELOW", (0, 0), (-1, -2), 2, colors.white),
    ]
    for row, (_, strong, pale) in enumerate(zones):
        commands += [("BACKGROUND", (0, row), (0, row), strong), ("BACKGROUND", (1, row), (1, row), pale)]
    light.setStyle(_table_style(commands))
    story += [Spacer(1, 2 * mm), light, Spacer(1, 4 * mm)]
    story += [
        _box([_t(word("morning-title", language), "h3"), _t(word("morning-text", language))], s.ACCENT, s.ACCENT_LIGHT),
        _t(word("bad-day-title", language), "h2"),
        *_bullets(word("bad-day", language).split("|")),
    ]
    advice = plan.condition.advice(language)
    if advice:
        story += [_t(word("advice", language), "h2"), *_bullets(advice)]
    running_advice = _protocol_advice(plan, language)
    if running_advice:
        story += [_t(word("protocol-advice", language), "h2"), *_bullets(running_advice)]
    story += [CondPageBreak(70 * mm), Spacer(1, 4 * mm), *_stop_and_call(plan, language)]
    return story


def _protocol_advice(plan: Plan, language: str) -> list[str]:
    """The protocol's general advice (programme, phases, their running) in order, each text once."""
    texts = [advice.text(language) for advice in plan.protocol.advice]
    for placed in plan.phases:
        phase = placed.phase
        texts += [advice.text(language) for advice in phase.advice]
        if phase.running is not None:
            texts += [advice.text(language) for advice in phase.running.advice]
    return list(dict.fromkeys(texts))


def _stop_and_call(plan: Plan, language: str) -> list[Flowable]:
    rows: list[Flowable] = [
        _p(f"\u26a0 {s.esc(word('stop-title', language))}", "alert-title"),
        _t(word("stop-intro", language)),
    ]
    for urgency, key in ((Urgency.EMERGENCY, "emergency"), (Urgency.URGENT, "urgent")):
        flags = [flag for flag in plan.red_flags if flag.urgency == urgency]
        if not flags:
            continue
        rows.append(_t(word(key, language), "h3"))
        for flag in flags:
            rows.append(
                s.Para(
                    f"<b>{s.esc(flag.question(language))}</b><br/>{s.esc(flag.action(language))}",
                    s.styles()["bullet"],
                    bulletText="\u25a0",
                )
            )
    contact = plan.profile.contact
    who = ", ".join(part for part in (contact.clinician, contact.practice, contact.phone) if part.strip())
    if who:
        rows.append(_p(f"<b>{s.esc(word('call', language, who=who))}</b>"))
    return [_box(rows, s.RED, s.RED_LIGHT)]


# --- 3. overview ------------------------------------------------------------------------------------------------


def _overview(plan: Plan, language: str) -> list[Flowable]:
    story: list[Flowable] = [_t(word("overview-title", language), "h1")]
    head = [_t(word(key, language), "cell-head") for key in ("phase", "dates", "phase-goal")]
    data: list[list[Any]] = [head]
    for placed in plan.phases:
        last = placed.first_week + placed.weeks - 1
        weeks = (
            word("week-one", language, a=placed.first_week)
            if placed.weeks == 1
            else word("week-range", language, a=placed.first_week, b=last)
        )
        goal: list[Flowable] = [_t(placed.phase.goal(language), "cell")]
        for key, tests in (("tests-entry", placed.phase.entry), ("tests-exit", placed.phase.exit)):
            for test in tests:
                criterion = test.criterion(language) if test.criterion else word("test-default", language)
                goal.append(
                    _p(
                        f"<b>{s.esc(word(key, language))}:</b> {s.esc(_name(plan, test.exercise, language))}, "
                        f"{s.esc(describe_dose(test.dose, language))} ({s.esc(criterion)})",
                        "cell",
                    )
                )
        data.append(
            [
                _t(placed.phase.name(language), "cell-bold"),
                [
                    _t(
                        f"{format_date(placed.start, language, 'd MMM yyyy')} \u2013 "
                        f"{format_date(placed.end, language, 'd MMM yyyy')}",
                        "cell",
                    ),
                    _t(weeks, "small"),
                ],
                goal,
            ]
        )
    story.append(_grid(data, [42 * mm, 44 * mm, WIDTH - 86 * mm]))
    story += [
        Spacer(1, 5 * mm),
        KeepTogether(
            [
                _t(word("chart-title", language), "h2"),
                _t(word("chart-intro", language), "muted"),
                load_chart(plan, language, WIDTH),
            ]
        ),
    ]
    # Planner warnings are for the physio (the command line and the plan JSON carry them), not the client.
    return story


# --- 4. week by week -------------------------------------------------------------------------------------------


def _week_block(sessions: Sequence[Session]) -> tuple[Item, ...]:
    """The strength items every strength day of the week shares, when there are at least two such days."""
    sets = [tuple(i for i in session.items if i.role == Role.STRENGTH) for session in sessions]
    sets = [items for items in sets if items]
    if len(sets) >= 2 and all(items == sets[0] for items in sets):
        return sets[0]
    return ()


def _weeks(plan: Plan, language: str) -> list[Flowable]:
    story: list[Flowable] = [_t(word("weeks-title", language), "h1"), _t(word("weeks-intro", language))]
    by_week: dict[int, list[Session]] = {}
    for session in plan.sessions:
        by_week.setdefault(session.week, []).append(session)
    for week in plan.weeks:
        sessions = by_week.get(week.number, [])
        end = min(week.start + dt.timedelta(days=6), plan.end)
        title = (
            f"<b>{s.esc(word('week-heading', language, n=week.number))}</b> \u00b7 "
            f"{s.esc(format_date(week.start, language, 'long'))} \u2013 {s.esc(format_date(end, language, 'long'))}"
        )
        if week.deload:
            colour = "#" + s.DELOAD.hexval()[2:]
            title += f' <font color="{colour}">\u25cf {s.esc(word("deload-week", language))}</font>'
        heading = [
            _p(title, "h2"),
            _t(_phase_name(plan, week.phase_id, language), "muted"),
            Spacer(1, 2 * mm),
        ]
        block = _week_block(sessions)
        parts: list[Flowable] = []
        if block:
            parts.append(_block_table(plan, block, language))
            parts.append(Spacer(1, 2 * mm))
        parts.append(_week_table(plan, sessions, block, language))
        # A week stays on one page when it fits; a longer week breaks inside its table, header repeated.
        story.append(KeepTogether([*heading, *parts]))
        story.append(Spacer(1, 4 * mm))
    return story


def _block_table(plan: Plan, block: Sequence[Item], language: str) -> Table:
    data: list[list[Any]] = [[_t(word("block", language), "cell-head"), ""]]
    for item in block:
        data.append([_t(_name(plan, item.exercise_id, language), "cell"), _t(_dose(plan, item, language), "cell")])
    return _grid(
        data,
        [70 * mm, WIDTH - 70 * mm],
        extra=[
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), s.AMBER),
            ("BACKGROUND", (0, 1), (-1, -1), s.AMBER_LIGHT),
        ],
    )


def _stage_name(plan: Plan, session: Session, language: str) -> str:
    """The table's own label of the session's stage, else "stage N"."""
    assert session.stage is not None
    phase = next((p.phase for p in plan.phases if p.phase.id == session.phase_id), None)
    running = phase.running if phase is not None else None
    if isinstance(running, Stages) and session.stage <= len(running.stages):
        stage = running.stages[session.stage - 1]
        if isinstance(stage, Stage) and stage.label is not None:
            return stage.label(language)
    return word("stage", language, n=session.stage)


def _kind(session: Session, language: str) -> str:
    return word(f"kind-{session.kind.value}", language)


def _week_table(plan: Plan, sessions: Sequence[Session], block: Sequence[Item], language: str) -> Table:
    head = [_t(word(key, language), "cell-head") for key in ("col-date", "col-day", "col-kind", "col-what", "col-dose")]
    data: list[list[Any]] = [head]
    extra: list[tuple[Any, ...]] = []
    for number, session in enumerate(sessions):
        rows: list[tuple[str, str]] = []
        block_done = False
        for item in session.items:
            if block and item.role == Role.STRENGTH:
                if not block_done:
                    rows.append((word("block-row", language, n=len(block)), word("block-dose", language)))
                    block_done = True
                continue
            name = _name(plan, item.exercise_id, language)
            if item.role == Role.RUN and session.stage is not None:
                name = f"{name} ({_stage_name(plan, session, language)})"
            rows.append((name, _dose(plan, item, language)))
        first = len(data)
        kind_cell = [
            _t(_kind(session, language), "cell-bold"),
            _t(word("minutes", language, n=session.minutes), "small"),
        ]
        for index, (what, dose) in enumerate(rows or [("", "")]):
            data.append(
                [
                    _t(format_date(session.date, language, "d MMM"), "cell-bold") if index == 0 else "",
                    _t(format_date(session.date, language, "EEEE"), "cell") if index == 0 else "",
                    kind_cell if index == 0 else "",
                    _t(what, "cell"),
                    _t(dose, "cell"),
                ]
            )
        last = len(data) - 1
        if last > first:
            extra += [("SPAN", (col, first), (col, last)) for col in range(3)]
        if number % 2:
            extra.append(("BACKGROUND", (0, first), (-1, last), s.ZEBRA))
        extra.append(("LINEBELOW", (0, last), (-1, last), 0.8, s.MUTED))
        if session.kind == SessionKind.RUN:
            extra.append(("LINEBEFORE", (0, first), (0, last), 2.5, s.ACCENT))
    return _grid(data, [17 * mm, 21 * mm, 29 * mm, 58 * mm, WIDTH - 125 * mm], extra=extra)


# --- 5. exercise cards ------------------------------------------------------------------------------------------


def _doses_by_phase(plan: Plan, exercise: Exercise, language: str) -> list[tuple[str, str]]:
    """Per phase, the dose of the exercise in words: one dose, or where it starts and ends.

    Deload weeks are left out: a lighter week at the end of a phase is not where the client got to.
    """
    result: list[tuple[str, str]] = []
    for placed in plan.phases:
        sessions = [
            session
            for session in plan.sessions
            if session.phase_id == placed.phase.id and any(item.exercise_id == exercise.id for item in session.items)
        ]
        seen: list[str] = []
        for session in [session for session in sessions if not session.deload] or sessions:
            for item in session.items:
                if item.exercise_id == exercise.id:
                    text = _dose(plan, item, language)
                    if text not in seen:
                        seen.append(text)
        tests = [t for t in (*placed.phase.entry, *placed.phase.exit) if t.exercise == exercise.id]
        for test in tests:
            seen.append(f"{describe_dose(test.dose, language, exercise.laterality)} ({word('as-test', language)})")
        if len(seen) == 1:
            result.append((placed.phase.name(language), seen[0]))
        elif seen:
            result.append((placed.phase.name(language), word("dose-from-to", language, a=seen[0], b=seen[-1])))
    return result


def _card_exercises(plan: Plan) -> list[Exercise]:
    """The exercises the client meets, in the order they first appear: sessions first, then readiness tests."""
    ids: list[str] = []
    for session in plan.sessions:
        for item in session.items:
            if item.exercise_id not in ids:
                ids.append(item.exercise_id)
    for placed in plan.phases:
        for test in (*placed.phase.entry, *placed.phase.exit):
            if test.exercise not in ids:
                ids.append(test.exercise)
    return [plan.exercises[i] for i in ids if i in plan.exercises]


def _exercise_card(
    exercise: Exercise,
    language: str,
    doses: Sequence[tuple[str, str]],
    figure: Flowable | None = None,
) -> Flowable:
    """One exercise on a framed card that never splits across pages.

    Args:
        exercise: The exercise.
        language: ``nl`` or ``en``.
        doses: (phase name, dose in words) for every phase that prescribes it.
        figure: An illustration for the slot at the card's top left (at most ``FIGURE_WIDTH`` wide); ``None``
            gives the text the full width.

    """
    styles = s.styles()
    top: list[Flowable] = [_p(f"<b>{s.esc(word('purpose', language))}:</b> {s.esc(exercise.purpose(language))}")]
    top.append(_t(word("steps", language), "h3"))
    steps = enumerate(exercise.steps(language), start=1)
    top += [s.Text(step, styles["step"], bullet=f"{number}.") for number, step in steps]
    tips: list[Flowable] = [_t(word("cues", language), "h3"), *_bullets(exercise.cues(language), "step")]
    mistakes: list[Flowable] = [_t(word("mistakes", language), "h3"), *_bullets(exercise.mistakes(language), "step")]
    half = (WIDTH - 2) / 2
    lists = Table([[tips, mistakes]], colWidths=[half, half])
    lists.setStyle(_table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    rows: list[list[Any]] = [
        [_t(exercise.name(language), "card-title"), ""],
        [figure if figure is not None else top, top if figure is not None else ""],
        [lists, ""],
    ]
    if doses:
        dose_rows = [[_t(phase, "cell-bold"), _t(dose, "cell")] for phase, dose in doses]
        dose_table = Table(dose_rows, colWidths=[50 * mm, WIDTH - 50 * mm - 16])
        dose_table.setStyle(
            _table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.3, s.RULE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        rows.append([[_t(word("dose-per-phase", language), "h3"), dose_table], ""])
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 0.8, s.RULE),
        ("BACKGROUND", (0, 0), (-1, 0), s.ACCENT_LIGHT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 1), (-1, -1), 2),
        ("SPAN", (0, 0), (-1, 0)),
        ("SPAN", (0, 2), (-1, 2)),
    ]
    if doses:
        commands += [("SPAN", (0, 3), (-1, 3)), ("BACKGROUND", (0, 3), (-1, 3), s.ZEBRA)]
    if figure is None:
        commands.append(("SPAN", (0, 1), (-1, 1)))
    # Two columns either way, so the rows keep one shape; without a figure the second row spans both.
    card = Table(rows, colWidths=[FIGURE_WIDTH, WIDTH - FIGURE_WIDTH])
    card.setStyle(_table_style(commands))
    return KeepTogether([card, Spacer(1, 5 * mm)])


def _figure(exercise: Exercise, language: str) -> Flowable | None:
    """The exercise's figure for the card's figure slot, or ``None`` for an exercise without a figure."""
    if exercise.figure is None:
        return None
    # The slot is a narrow column; its cell padding (8 points a side) comes off the width.
    return figure(exercise, FIGURE_WIDTH - 16, FIGURE_HEIGHT, language)


def _cards(plan: Plan, language: str) -> list[Flowable]:
    story: list[Flowable] = [_t(word("cards-title", language), "h1"), _t(word("cards-intro", language))]
    for exercise in _card_exercises(plan):
        doses = _doses_by_phase(plan, exercise, language)
        story.append(_exercise_card(exercise, language, doses, figure=_figure(exercise, language)))
    return story


# --- 6. diary ---------------------------------------------------------------------------------------------------


def _diary(plan: Plan, language: str) -> list[Flowable]:
    story: list[Flowable] = [_t(word("diary-title", language), "h1"), _t(word("diary-intro", language))]
    head = [
        _t(word(key, language), "cell-head")
        for key in ("col-date", "col-session", "col-done", "col-during", "col-morning", "col-note")
    ]
    data: list[list[Any]] = [head]
    for session in plan.sessions:
        data.append(
            [
                _t(format_date(session.date, language, "EEE d MMM"), "cell"),
                _t(f"{word('week-heading', language, n=session.week)}: {_kind(session, language)}", "cell"),
                _t("\u2610", "center"),
                "",
                "",
                "",
            ]
        )
    widths = [22 * mm, 44 * mm, 16 * mm, 22 * mm, 25 * mm, WIDTH - 129 * mm]
    extra = [
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, s.ZEBRA]),
        ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
        ("LINEBEFORE", (1, 0), (-1, -1), 0.4, s.RULE),
        ("TOPPADDING", (0, 1), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
    ]
    story.append(_grid(data, widths, extra=extra))
    return story


# --- 7. calendar subscription ----------------------------------------------------------------------------------


def _calendar(url: str, language: str) -> list[Flowable]:
    size = 48 * mm
    text: list[Flowable] = [
        _t(word("calendar-intro", language)),
        Spacer(1, 2 * mm),
        _p(f'<font name="{s.BOLD}">{s.esc(url)}</font>'),
        Spacer(1, 2 * mm),
        *_bullets([word(key, language) for key in ("iphone", "android", "outlook")]),
    ]
    table = Table([[qr_code(url, size), text]], colWidths=[size + 8 * mm, WIDTH - size - 8 * mm])
    table.setStyle(_table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    return [KeepTogether([_t(word("calendar-title", language), "h1"), table])]


# --- the document ---------------------------------------------------------------------------------------------


def build(plan: Plan, language: str, subscription_url: str | None) -> bytes:
    """Lay out the handout for ``plan`` in ``language`` and return the PDF bytes."""
    s.register_fonts()
    profile = plan.profile
    contact = profile.contact
    buffer = io.BytesIO()
    title = f"{word('doc-title', language)}: {profile.name}"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=s.printable(title),
        author=s.printable(contact.clinician or contact.practice or "revalidatie"),
        subject=s.printable(f"{word('subject', language)}: {plan.condition.name(language)}"),
        creator="revalidatie",
        lang=language,
        invariant=1,
        initialFontName=s.REGULAR,
    )
    story: list[Flowable] = [*_cover(plan, language), PageBreak(), *_how_to(plan, language), PageBreak()]
    story += [*_overview(plan, language), PageBreak(), *_weeks(plan, language), PageBreak()]
    story += [*_cards(plan, language), PageBreak(), *_diary(plan, language)]
    if subscription_url is not None:
        story += [PageBreak(), *_calendar(subscription_url, language)]
    footer_left = " \u00b7 ".join(part for part in (contact.practice.strip(), profile.name) if part)
    footer = _Footer(footer_left, (word("page", language), ""))
    try:
        doc.build(story, canvasmaker=_canvas_maker(footer))
    except LayoutError as exc:
        # Only text far beyond what the input models allow gets here; say which part did not fit.
        raise ExportError("<pdf>", f"the handout cannot be laid out on A4 ({str(exc)[:200]})") from None
    return buffer.getvalue()
