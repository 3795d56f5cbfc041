"""The physio's summary laid out on A4 with the handout's fonts and styles, on at most two pages.

The facts come from ``export/summary.py``; this module only places them. When the revisions would push the
summary past two pages, the latest revisions stay in full and the older ones are put in one line.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, LayoutError, SimpleDocTemplate, Spacer

from ..._bidi import strip_bidi_controls
from ...errors import ExportError, error_message
from ...model.plan import Plan
from ..summary import Fields, Grid, Groups, Lines, Summary, WeekChart, summary_of
from . import _styles as s
from ._week_chart import week_chart

MAX_PAGES = 2
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
FRAME_PADDING = 6
"""The padding platypus puts inside a page's frame, on each side."""
WIDTH = PAGE_WIDTH - 2 * MARGIN - 2 * FRAME_PADDING
MIN_LABEL = 30 * mm
MAX_LABEL = 50 * mm
"""The labels' column is as wide as the widest label, within these."""


def build(plan: Plan, language: str) -> bytes:
    """The summary of ``plan`` in ``language`` as PDF bytes, shortened where needed to fit two pages."""
    data, pages = _render(summary_of(plan, language))
    if pages <= MAX_PAGES:
        return data
    # The most recent revisions that fit in full: fewer in full never makes the summary longer.
    low, high = 1, len(plan.history) - 1
    best: bytes | None = None
    while low <= high:
        middle = (low + high) // 2
        attempt, pages = _render(summary_of(plan, language, full_revisions=middle))
        if pages <= MAX_PAGES:
            best, low = attempt, middle + 1
        else:
            high = middle - 1
    if best is not None:
        return best
    # Even the latest revision alone is too long: its green logs go in one line, then it goes in short too.
    for full in (1, 0):
        data, pages = _render(summary_of(plan, language, full_revisions=full, green_in_short=True))
        if pages <= MAX_PAGES:
            break
    return data


def _text(text: str, style: str) -> Flowable:
    return s.Text(strip_bidi_controls(text), s.styles()[style])


def _fields(block: Fields) -> Flowable:
    style = s.styles()["cell-bold"]
    widest = max((s.width_of(label, style.fontName, style.fontSize) for label, _ in block.rows), default=0.0)
    label_width = min(max(widest + 5 * mm, MIN_LABEL), MAX_LABEL)
    rows = [[_text(label, "cell-bold"), _text(value, "cell")] for label, value in block.rows]
    table = s.Table(rows, colWidths=[label_width, WIDTH - label_width])
    table.setStyle(
        s.table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


_GRID = s.grid_commands(1.5)
"""The style of every table of the summary: a coloured header row, thin rules, tight padding."""


def _grid(block: Grid) -> Flowable:
    total = sum(block.widths)
    widths = [WIDTH * part / total for part in block.widths]
    rows = [[_text(cell, "cell-head") for cell in block.header]]
    rows += [[_text(cell, "cell") for cell in row] for row in block.rows]
    table = s.Table(rows, colWidths=widths, repeatRows=1)
    commands: list[tuple[Any, ...]] = list(_GRID)
    commands += [("BACKGROUND", (0, n), (-1, n), s.ZEBRA) for n in range(2, len(rows), 2)]
    table.setStyle(s.table_style(commands))
    return table


def _groups(block: Groups) -> Flowable:
    """One table under one header: each group's line spans the table, its rows below it."""
    total = sum(block.widths)
    widths = [WIDTH * part / total for part in block.widths]
    columns = len(block.header)
    rows: list[list[Flowable | str]] = [[_text(cell, "cell-head") for cell in block.header]]
    commands: list[tuple[Any, ...]] = list(_GRID)
    for group in block.groups:
        line = len(rows)
        rows.append([_text(group.title, "cell-bold"), *([""] * (columns - 1))])
        commands += [("SPAN", (0, line), (-1, line)), ("BACKGROUND", (0, line), (-1, line), s.ACCENT_LIGHT)]
        rows += [[_text(cell, "cell") for cell in row] for row in group.rows]
        if group.note:
            note = len(rows)
            rows.append([_text(group.note, "muted"), *([""] * (columns - 1))])
            commands.append(("SPAN", (0, note), (-1, note)))
    table = s.Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(s.table_style(commands))
    return table


def _story(summary: Summary) -> list[Flowable]:
    story: list[Flowable] = [_text(summary.title, "summary-title"), _text(summary.subtitle, "muted")]
    for section in summary.sections:
        parts: list[Flowable] = [_text(section.title, "summary-h2")]
        for block in section.blocks:
            if isinstance(block, Fields):
                parts.append(_fields(block))
            elif isinstance(block, Lines):
                style = "muted" if block.muted else "cell-alert" if block.alert else "cell"
                parts += [_text(text, style) for text in block.texts]
                parts.append(Spacer(1, 1 * mm))
            elif isinstance(block, Grid):
                parts += [_grid(block), Spacer(1, 1 * mm)]
            elif isinstance(block, WeekChart):
                parts += [week_chart(block, WIDTH), Spacer(1, 1 * mm)]
            else:
                parts += [_groups(block), Spacer(1, 1 * mm)]
        # A heading stays with the start of what it heads.
        story += [KeepTogether(parts[:2]), *parts[2:]]
    return story


def _render(summary: Summary) -> tuple[bytes, int]:
    """The PDF of ``summary`` and its number of pages."""
    s.register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 3 * mm,
        title=s.printable(strip_bidi_controls(f"{summary.title}: {summary.name}")),
        author=s.printable(strip_bidi_controls(summary.author)),
        subject=s.printable(summary.title),
        creator="revalidatie",
        lang=summary.language,
        invariant=1,
        initialFontName=s.REGULAR,
    )
    pages: list[int] = []
    try:
        doc.build(_story(summary), canvasmaker=_numbered(summary, pages))
    except LayoutError as exc:
        raise ExportError("<summary>", error_message("error.summary-layout", reason=str(exc)[:200])) from None
    return buffer.getvalue(), pages[0]


def _numbered(summary: Summary, pages: list[int]) -> type[Canvas]:
    left_text = s.printable(strip_bidi_controls(summary.footer))

    def footer(canvas: Canvas, page: int, total: int) -> None:
        right = summary.page.format(n=page, total=total)
        canvas.saveState()
        canvas.setStrokeColor(s.RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN + FRAME_PADDING, 12 * mm, PAGE_WIDTH - MARGIN - FRAME_PADDING, 12 * mm)
        canvas.setFillColor(s.MUTED)
        canvas.setFont(s.REGULAR, 7.5)
        room = WIDTH - stringWidth(right, s.REGULAR, 7.5) - 8 * mm
        left = left_text
        while left and s.width_of(left, s.REGULAR, 7.5) > room:
            left = left[:-2] + "\u2026"
        s.draw_string(canvas, MARGIN + FRAME_PADDING, 8 * mm, left, s.REGULAR, 7.5)
        canvas.drawRightString(PAGE_WIDTH - MARGIN - FRAME_PADDING, 8 * mm, right)
        canvas.restoreState()

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
            pages.append(total)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                footer(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas
