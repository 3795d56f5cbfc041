"""The physio's chart of pain and adherence per week: bars for the sessions done, lines for pain, zone counts.

Readable in grey print: the two pain lines differ in dash and marker, not only in colour, and each zone row
is named in words beside its counts. Vector.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.colors import Color

from ..summary import WeekChart, WeekReport
from . import _styles as s

_LEFT = 50.0
_RIGHT = 22.0
_TOP = 26.0
_PLOT = 62.0
_ROW = 9.0
_BAR = colors.HexColor("#a9d3d7")
"""The adherence bars: a light tint of the accent, so the pain lines over them stay clear in grey too."""
_MORNING = s.MUTED
_OUTLINE = colors.HexColor("#7fbcc2")


def _rect(x: float, y: float, width: float, height: float, fill: Color, stroke: Color | None = None) -> Rect:
    rect = Rect(x, y, width, height)
    rect.fillColor = fill
    rect.strokeColor = stroke
    rect.strokeWidth = 0.6 if stroke is not None else 0
    return rect


def _text(
    x: float,
    y: float,
    text: str,
    size: float,
    colour: Color,
    anchor: Literal["start", "middle", "end"] = "start",
    bold: bool = False,
) -> String:
    line, font = s.label(text, s.BOLD if bold else s.REGULAR)
    return String(x, y, line, fontName=font, fontSize=size, fillColor=colour, textAnchor=anchor)


def _marker(x: float, y: float, morning: bool) -> Circle | Rect:
    """A filled dot for pain during, a hollow square for the next morning."""
    if morning:
        return _rect(x - 2.2, y - 2.2, 4.4, 4.4, colors.white, _MORNING)
    dot = Circle(x, y, 2.3)
    dot.fillColor = s.INK
    dot.strokeColor = None
    return dot


def week_chart(block: WeekChart, width: float) -> Drawing:
    """The chart of ``block``'s weeks, ``width`` points wide."""
    words = dict(block.words)
    weeks = block.weeks
    rows: tuple[tuple[str, Color, Callable[[WeekReport], int]], ...] = (
        ("green", s.GREEN, lambda week: week.green),
        ("amber", s.AMBER, lambda week: week.amber),
        ("red", s.RED, lambda week: week.red),
        ("not-done", s.MUTED, lambda week: week.reported - week.done),
        ("no-report", s.MUTED, lambda week: week.due - week.reported),
    )
    base = 4 + _ROW * (len(rows) + 1) + 6
    height = base + _PLOT + _TOP
    drawing = Drawing(width, height, initialFontName=s.REGULAR)
    plot_width = width - _LEFT - _RIGHT
    slot = plot_width / max(len(weeks), 1)
    bar = min(slot * 0.6, 26.0)

    # Legend across the top: what the bars and the two lines are, smaller where the words are long.
    texts = (words["adherence"], words["during"], words["morning"])
    size = 7.0
    while size > 5.5 and 13 + 2 * (14 + 18) + sum(s.width_of(text, s.REGULAR, size) for text in texts) > width - _LEFT:
        size -= 0.5
    y = height - 9
    x = _LEFT
    drawing.add(_rect(x, y - 1, 10, 7, _BAR))
    drawing.add(_text(x + 13, y, texts[0], size, s.INK))
    x += 13 + s.width_of(texts[0], s.REGULAR, size) + 14
    drawing.add(Line(x, y + 2.5, x + 14, y + 2.5, strokeColor=s.INK, strokeWidth=1.2))
    drawing.add(_marker(x + 7, y + 2.5, False))
    drawing.add(_text(x + 18, y, texts[1], size, s.INK))
    x += 18 + s.width_of(texts[1], s.REGULAR, size) + 14
    drawing.add(Line(x, y + 2.5, x + 14, y + 2.5, strokeColor=_MORNING, strokeWidth=1, strokeDashArray=[2.5, 1.5]))
    drawing.add(_marker(x + 7, y + 2.5, True))
    drawing.add(_text(x + 18, y, texts[2], size, s.INK))

    # Axes: sessions done in % of those due on the left, pain 0-10 on the right; 100 % and pain 10 share a line.
    drawing.add(_text(_LEFT - 4, base + _PLOT + 5, "%", 6.5, s.MUTED, "end"))
    drawing.add(_text(width - _RIGHT + 4, base + _PLOT + 5, words["pain"], 6.5, s.MUTED, "end"))
    for fraction in (0.0, 0.5, 1.0):
        y = base + fraction * _PLOT
        drawing.add(Line(_LEFT, y, _LEFT + plot_width, y, strokeColor=s.RULE, strokeWidth=0.4))
        drawing.add(_text(_LEFT - 4, y - 2.3, str(round(fraction * 100)), 6.5, s.MUTED, "end"))
        drawing.add(_text(width - _RIGHT + 4, y - 2.3, str(round(fraction * 10)), 6.5, s.MUTED))

    def centre(index: int) -> float:
        return _LEFT + index * slot + slot / 2

    for index, week in enumerate(weeks):
        share = week.adherence
        if week.due:
            # The outline of 100 %: a week with sessions due and none done shows as an empty box, not as
            # a week without sessions.
            outline = _rect(centre(index) - bar / 2, base, bar, _PLOT, colors.white, _OUTLINE)
            outline.fillColor = None
            drawing.add(outline)
        if share is not None and share > 0:
            drawing.add(_rect(centre(index) - bar / 2, base, bar, share * _PLOT, _BAR))
        if week.due and slot >= 13:
            label = f"{week.done}/{week.due}"
            top = base + (share or 0.0) * _PLOT
            drawing.add(_text(centre(index), min(top, base + _PLOT - 8) + 2, label, 5.5, s.MUTED, "middle"))

    for morning in (False, True):
        values = [week.pain_next_morning if morning else week.pain_during for week in weeks]
        run: list[float] = []
        runs = []
        for index, value in enumerate(values):
            if value is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run += [centre(index), base + value / 10 * _PLOT]
        if run:
            runs.append(run)
        for points in runs:
            if len(points) >= 4:
                line = PolyLine(points, strokeColor=_MORNING if morning else s.INK, strokeWidth=1 if morning else 1.2)
                if morning:
                    line.strokeDashArray = [2.5, 1.5]
                drawing.add(line)
            for n in range(0, len(points), 2):
                drawing.add(_marker(points[n], points[n + 1], morning))

    # Week numbers under the plot, every week when they fit.
    step = 1 if slot >= 12 else 2 if slot >= 6 else 4
    y = base - 10
    drawing.add(_text(_LEFT - 4, y, words["week"], 6.5, s.MUTED, "end"))
    for index, week in enumerate(weeks):
        if index % step == 0:
            drawing.add(_text(centre(index), y, str(week.week), 6.5, s.INK, "middle"))

    # One row per zone, named in words: the number of reports of the week in that zone, on its colour; then
    # the sessions reported as not done and those due without a report, so the two never read as one.
    for row, (role, colour, count_of) in enumerate(rows):
        y = base - 10 - _ROW * (row + 1)
        drawing.add(_text(_LEFT - 4, y, words[role], 6.5, colour, "end", bold=True))
        for index, week in enumerate(weeks):
            count = count_of(week)
            if count:
                side = min(slot * 0.8, 12.0)
                drawing.add(_rect(centre(index) - side / 2, y - 2, side, 7.5, colour))
                drawing.add(_text(centre(index), y, str(count), 6, colors.white, "middle", bold=True))
    return drawing
