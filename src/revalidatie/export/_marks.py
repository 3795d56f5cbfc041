"""Vector marks in page points: what an exercise figure or a QR code is made of, for PDF and SVG alike.

A figure is computed once as marks; ``to_drawing`` turns marks into a reportlab Drawing (for SVG and for
callers who place the drawing themselves), ``pdf_operators`` into PDF path operators that a handout writes
straight into its page. The second way skips reportlab's shape renderer, which spent more time on a handout's
two dozen figures than on all its text.

Imported only when something is drawn, so ``import revalidatie`` never loads reportlab.
"""

from __future__ import annotations

from typing import Literal

import attrs
from reportlab.graphics.shapes import Circle, Drawing, Polygon, PolyLine, String
from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import fp_str

Point = tuple[float, float]

# Control-point distance of a cubic Bézier quarter circle, as a fraction of the radius.
_KAPPA = 0.5522847498
_DASH = {False: "[] 0", True: "[3 2] 0"}


@attrs.frozen
class Path:
    """A polyline or polygon; ``cap`` and ``join`` are PDF's codes (0 butt/mitre, 1 round)."""

    points: tuple[Point, ...]
    stroke: Color | None
    width: float
    fill: Color | None = None
    closed: bool = False
    dashed: bool = False
    cap: Literal[0, 1] = 0
    join: Literal[0, 1] = 0


@attrs.frozen
class Disc:
    """A circle, filled and/or outlined."""

    centre: Point
    radius: float
    fill: Color | None
    stroke: Color | None = None
    width: float = 0.0


@attrs.frozen
class Label:
    """A line of text; its font is the caller's, so that a PDF embeds the one it registered."""

    at: Point
    text: str
    size: float
    colour: Color


Mark = Path | Disc | Label


@attrs.frozen
class Marks:
    """Marks on a ``width`` x ``height`` point canvas, origin bottom left, painted in order."""

    width: float
    height: float
    items: tuple[Mark, ...]

    @property
    def labels(self) -> tuple[Label, ...]:
        return tuple(item for item in self.items if isinstance(item, Label))


def to_drawing(marks: Marks, font: str) -> Drawing:
    """The marks as a reportlab Drawing, with labels in ``font``."""
    # reportlab starts every drawing in its default font; a PDF that embeds all its fonts needs its own here.
    drawing = Drawing(marks.width, marks.height, initialFontName=font)
    for item in marks.items:
        if isinstance(item, Label):
            drawing.add(String(*item.at, item.text, fontName=font, fontSize=item.size, fillColor=item.colour))
        elif isinstance(item, Disc):
            drawing.add(
                Circle(
                    *item.centre,
                    item.radius,
                    fillColor=item.fill,
                    strokeColor=item.stroke,
                    strokeWidth=item.width if item.stroke is not None else 0,
                )
            )
        else:
            flat = [v for point in item.points for v in point]
            shape = (Polygon if item.closed else PolyLine)(
                flat,
                fillColor=item.fill,
                strokeColor=item.stroke,
                strokeWidth=item.width if item.stroke is not None else 0,
                strokeLineCap=item.cap,
                strokeLineJoin=item.join,
            )
            if item.dashed:
                shape.strokeDashArray = [3.0, 2.0]
            drawing.add(shape)
    return drawing


def pdf_operators(marks: Marks) -> str:
    """PDF content-stream operators that paint the marks (labels excepted), inside one ``q`` ... ``Q``.

    The graphics state is saved and restored around them, so the canvas that receives them keeps its own idea
    of colour, line width and dash.
    """
    ops = ["q"]
    for item in marks.items:
        if isinstance(item, Label):
            continue
        if item.fill is not None:
            ops.append(f"{_rgb(item.fill)} rg")
        if item.stroke is not None:
            # Every stroke sets its own width, caps, joins and dash: nothing carries over from the mark before.
            cap, join, dashed = (0, 0, False) if isinstance(item, Disc) else (item.cap, item.join, item.dashed)
            ops.append(f"{_rgb(item.stroke)} RG {fp_str(item.width)} w {cap} J {join} j {_DASH[dashed]} d")
        if isinstance(item, Disc):
            ops.append(_circle(item.centre, item.radius))
        else:
            first, *rest = item.points
            segments = [f"{fp_str(*first)} m", *(f"{fp_str(*p)} l" for p in rest)]
            ops.append(" ".join([*segments, "h"] if item.closed else segments))
        ops.append(_paint(item.fill is not None, item.stroke is not None))
    ops.append("Q")
    return "\n".join(ops)


def _rgb(colour: Color) -> str:
    return str(fp_str(colour.red, colour.green, colour.blue))


def _circle(centre: Point, radius: float) -> str:
    x, y = centre
    r, k = radius, radius * _KAPPA
    return " ".join(
        [
            f"{fp_str(x + r, y)} m",
            f"{fp_str(x + r, y + k, x + k, y + r, x, y + r)} c",
            f"{fp_str(x - k, y + r, x - r, y + k, x - r, y)} c",
            f"{fp_str(x - r, y - k, x - k, y - r, x, y - r)} c",
            f"{fp_str(x + k, y - r, x + r, y - k, x + r, y)} c h",
        ]
    )


def _paint(fill: bool, stroke: bool) -> str:
    if fill and stroke:
        return "B"
    return "f" if fill else ("S" if stroke else "n")
