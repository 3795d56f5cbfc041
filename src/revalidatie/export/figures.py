"""Exercise figures drawn from the pose data in the catalog: a reportlab Drawing, or SVG text.

Every figure shares one style: thick round-capped limbs, a head circle, the far side lighter than the near
side, the working leg in colour, start and end side by side with an arrow between them. reportlab is imported
only when a figure is drawn.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from .._atomic import write_atomically
from ..errors import CatalogError, Problem, error_message
from ..i18n import texts_for
from ..model.common import Language
from ..model.exercise import Exercise
from ..model.pose import Figure

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

    from ._marks import Marks


DEFAULT_WIDTH = 360.0
DEFAULT_HEIGHT = 160.0


def _figure_of(exercise: Exercise) -> Figure:
    if exercise.figure is None:
        raise CatalogError([Problem(f"exercise {exercise.id}", "figure", error_message("error.figure-missing"))])
    return exercise.figure


def exercise_drawing(
    exercise: Exercise,
    *,
    width: float = DEFAULT_WIDTH,
    height: float = DEFAULT_HEIGHT,
    language: Language | str = Language.NL,
    font: str = "Helvetica",
) -> Drawing:
    """Draw an exercise's figure as a reportlab Drawing (vector), to place in a PDF or render to SVG.

    Args:
        exercise: The exercise; it must have a ``figure``.
        width: Width of the drawing in points.
        height: Height of the drawing in points.
        language: Language of the few words in the picture (``nl``, ``en``, ``tr``, ``pl`` or ``ar``).
        font: A reportlab font name for those words; a PDF that embeds its fonts passes its registered one.

    Raises:
        CatalogError: When the exercise has no figure.
        ValueError: When ``width`` or ``height`` is too small to draw in.

    """
    from ._marks import to_drawing

    return to_drawing(exercise_marks(exercise, width, height, Language(language).value), font)


def exercise_marks(exercise: Exercise, width: float, height: float, language: str) -> Marks:
    """The figure's marks at ``width`` x ``height`` points, with its few words in ``language``.

    Raises:
        CatalogError: When the exercise has no figure.
        ValueError: When ``width`` or ``height`` is too small to draw in.

    """
    figure = _figure_of(exercise)
    if width < 40 or height < 30:
        raise ValueError(f"a figure needs at least 40 x 30 points (got {width:g} x {height:g})")
    from ._figure_drawing import figure_marks

    return figure_marks(exercise, figure, float(width), float(height), language)


def exercise_svg(
    exercise: Exercise,
    *,
    language: Language | str = Language.NL,
    width: float = DEFAULT_WIDTH,
    height: float = DEFAULT_HEIGHT,
) -> str:
    """Return an exercise's figure as SVG text: valid XML, the same bytes for the same exercise.

    Raises:
        CatalogError: When the exercise has no figure.

    """
    from reportlab.graphics import renderSVG

    drawing = exercise_drawing(exercise, width=width, height=height, language=language)
    text: str = renderSVG.drawToString(drawing)
    # reportlab writes an absent fill or stroke as "None", which is not valid CSS: viewers then fall back to
    # the SVG default (a black fill), so open polylines such as arrow heads would be filled in.
    text = text.replace(": None;", ": none;")
    # Its title and description are placeholders; screen readers and browsers show ours instead.
    lang = Language(language).value
    description = texts_for(lang)(
        "handout.figure-start-end" if exercise.figure is not None and exercise.figure.end else "handout.figure-hold"
    )
    text = text.replace("<title>...</title>", f"<title>{escape(exercise.name(lang))}</title>", 1)
    return text.replace("<desc>...</desc>", f"<desc>{escape(description)}</desc>", 1)


def write_exercise_svg(exercise: Exercise, path: str | Path, *, language: Language | str = Language.NL) -> Path:
    """Write an exercise's figure as an SVG file, atomically; return the path written.

    Raises:
        CatalogError: When the exercise has no figure.
        ExportError: When the file cannot be written.

    """
    return write_atomically(Path(path), exercise_svg(exercise, language=language).encode("utf-8"))
