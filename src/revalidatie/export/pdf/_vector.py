"""Vector art in the handout: exercise figures and the QR code, painted from marks as PDF path operators."""

from __future__ import annotations

import itertools
from functools import lru_cache

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib import colors
from reportlab.platypus import Flowable

from ...model.exercise import Exercise
from .._marks import Marks, Path, pdf_operators
from ..figures import exercise_marks
from . import _styles as s

# Modules of light margin a QR reader needs around the code.
_QR_QUIET_ZONE = 4


class Vector(Flowable):
    """A fixed-size picture: its marks' operators written as they are, its labels through the canvas."""

    def __init__(self, marks: Marks, operators: str) -> None:
        super().__init__()
        self.marks = marks
        self.operators = operators
        self.width, self.height = marks.width, marks.height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.addLiteral(self.operators)
        for label in self.marks.labels:
            # Text goes through the canvas so that the embedded font gets its glyphs.
            canvas.setFont(s.REGULAR, label.size)
            canvas.setFillColor(label.colour)
            if label.text.isascii():
                canvas.drawString(*label.at, label.text)
            else:  # a translated word in another script (the working-leg legend in Arabic)
                s.draw_string(canvas, *label.at, s.printable(label.text), s.REGULAR, label.size)


def figure(exercise: Exercise, width: float, height: float, language: str) -> Vector:
    """The exercise's figure, at ``width`` x ``height`` points."""
    marks, operators = _figure_art(exercise, width, height, language)
    return Vector(marks, operators)


@lru_cache(maxsize=256)
def _figure_art(exercise: Exercise, width: float, height: float, language: str) -> tuple[Marks, str]:
    marks = exercise_marks(exercise, width, height, language)
    return marks, pdf_operators(marks)


def qr_code(text: str, size: float) -> Vector:
    """A QR code (error correction level M) for ``text``, ``size`` points square, quiet zone included."""
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    count = len(code.modules)
    module = size / (count + 2 * _QR_QUIET_ZONE)
    runs: list[Path] = []
    for row, cells in enumerate(code.modules):
        top = size - (row + _QR_QUIET_ZONE) * module
        column = 0
        # One rectangle per run of dark modules in a row.
        for dark, group in itertools.groupby(bool(cell) for cell in cells):
            length = sum(1 for _ in group)
            if dark:
                x0 = (column + _QR_QUIET_ZONE) * module
                x1 = x0 + length * module
                corners = ((x0, top - module), (x1, top - module), (x1, top), (x0, top))
                runs.append(Path(corners, None, 0.0, fill=colors.black, closed=True))
            column += length
    marks = Marks(size, size, tuple(runs))
    return Vector(marks, pdf_operators(marks))
