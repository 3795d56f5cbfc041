"""The weekly-load chart: running minutes and strength sets per week, lighter (deload) weeks shaded. Vector."""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.colors import Color

from ...i18n import texts_for, word
from ...model.plan import Plan
from . import _styles as s

_LEFT = 34.0
_RIGHT = 6.0
_PANEL = 78.0
_GAP = 30.0
_BOTTOM = 22.0
_TOP = 22.0


def _rect(x: float, y: float, width: float, height: float, fill: Color) -> Rect:
    """A filled rectangle without an outline."""
    rect = Rect(x, y, width, height)
    rect.fillColor = fill
    rect.strokeColor = None
    rect.strokeWidth = 0
    return rect


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value``: 10, 20, 25, 50, 100..."""
    if value <= 0:
        return 10.0
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= factor * magnitude:
            return float(factor * magnitude)
    return float(10 * magnitude)


def load_chart(plan: Plan, language: str, width: float) -> Drawing:
    """Two bar panels over the programme's weeks: running minutes above, strength sets below."""
    weeks = plan.weeks
    height = _BOTTOM + 2 * _PANEL + _GAP + _TOP
    drawing = Drawing(width, height, initialFontName=s.REGULAR)
    plot_width = width - _LEFT - _RIGHT
    slot = plot_width / max(len(weeks), 1)
    bar = slot * 0.62
    panels = (
        (_BOTTOM + _PANEL + _GAP, word("handout.chart-run", language), [w.run_minutes for w in weeks], s.ACCENT),
        (_BOTTOM, word("handout.chart-sets", language), [float(w.strength_sets) for w in weeks], s.AMBER),
    )
    # Deload weeks are shaded across both panels so the lighter week reads as one column.
    for index, week in enumerate(weeks):
        if week.deload:
            x = _LEFT + index * slot
            drawing.add(_rect(x, _BOTTOM, slot, 2 * _PANEL + _GAP, s.DELOAD_LIGHT))
    for base, title, values, colour in panels:
        top = _nice_max(max(values, default=0.0))
        text, font = s.label(title, s.BOLD)
        drawing.add(String(_LEFT, base + _PANEL + 6, text, fontName=font, fontSize=8, fillColor=s.INK))
        for fraction in (0.0, 0.5, 1.0):
            y = base + fraction * _PANEL
            drawing.add(Line(_LEFT, y, _LEFT + plot_width, y, strokeColor=s.RULE, strokeWidth=0.4))
            label = texts_for(language).number(top * fraction)
            drawing.add(
                String(_LEFT - 4, y - 2.5, label, fontName=s.REGULAR, fontSize=6.5, fillColor=s.MUTED, textAnchor="end")
            )
        for index, (week, value) in enumerate(zip(weeks, values, strict=True)):
            if value <= 0:
                continue
            x = _LEFT + index * slot + (slot - bar) / 2
            fill = s.DELOAD if week.deload else colour
            drawing.add(_rect(x, base, bar, value / top * _PANEL, fill))
    # Week numbers: every week when they fit, else every second or fourth.
    step = 1 if slot >= 14 else 2 if slot >= 7 else 4
    for index, week in enumerate(weeks):
        if week.number % step == 0 or week.number == 1:
            x = _LEFT + index * slot + slot / 2
            drawing.add(
                String(
                    x,
                    _BOTTOM - 9,
                    str(week.number),
                    fontName=s.REGULAR,
                    fontSize=6.5,
                    fillColor=s.MUTED,
                    textAnchor="middle",
                )
            )
    text, font = s.label(word("handout.chart-week", language), s.REGULAR)
    drawing.add(String(_LEFT, 3, text, fontName=font, fontSize=6.5, fillColor=s.MUTED))
    # Phase boundaries: a thin line where a new phase starts.
    first_weeks = {placed.first_week for placed in plan.phases[1:]}
    for index, week in enumerate(weeks):
        if week.number in first_weeks:
            x = _LEFT + index * slot
            drawing.add(
                Line(
                    x,
                    _BOTTOM,
                    x,
                    _BOTTOM + 2 * _PANEL + _GAP,
                    strokeColor=s.MUTED,
                    strokeWidth=0.6,
                    strokeDashArray=[2, 2],
                )
            )
    legend_x = width - _RIGHT - 90
    legend_y = height - 12
    drawing.add(_rect(legend_x, legend_y - 1, 9, 8, s.DELOAD))
    drawing.add(
        String(
            legend_x + 13,
            legend_y,
            *s.label(word("handout.chart-deload", language), s.REGULAR)[:1],
            fontName=s.label(word("handout.chart-deload", language), s.REGULAR)[1],
            fontSize=7.5,
            fillColor=s.INK,
        )
    )
    return drawing
