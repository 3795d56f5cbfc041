"""Fonts, colours and paragraph styles of the handout, and the one way typed text enters reportlab markup."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = "RevalidatieSans"
BOLD = "RevalidatieSans-Bold"
ITALIC = "RevalidatieSans-Oblique"

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
ACCENT = colors.HexColor("#0b6e79")
ACCENT_LIGHT = colors.HexColor("#e3f2f3")
RULE = colors.HexColor("#c5ccd3")
ZEBRA = colors.HexColor("#f5f7f9")
GREEN = colors.HexColor("#2e7d32")
GREEN_LIGHT = colors.HexColor("#e6f4e7")
AMBER = colors.HexColor("#b26a00")
AMBER_LIGHT = colors.HexColor("#fff3dc")
RED = colors.HexColor("#b3261e")
RED_LIGHT = colors.HexColor("#fdeceb")
DELOAD = colors.HexColor("#7b61a8")
DELOAD_LIGHT = colors.HexColor("#efeaf7")

# Shown instead of a character the embedded font has no glyph for (an emoji in a typed note, say): an
# honest mark that something was there, where the font's empty .notdef box would look like a printing fault.
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


@cache
def register_fonts() -> None:
    """Register DejaVu Sans (shipped with the package) once per process under names of our own."""
    for name, file in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf"), (ITALIC, "DejaVuSans-Oblique.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)


@cache
def _covered() -> frozenset[int]:
    register_fonts()
    covered: set[int] = set()
    for name in (REGULAR, BOLD, ITALIC):
        font = pdfmetrics.getFont(name)
        covered.update(font.face.charToGlyph)  # type: ignore[attr-defined]
    # Only characters every face can draw count, so bold and italic text never falls back to a box either.
    for name in (REGULAR, BOLD, ITALIC):
        covered.intersection_update(pdfmetrics.getFont(name).face.charToGlyph)  # type: ignore[attr-defined]
    return frozenset(covered)


@lru_cache(maxsize=8192)
def printable(text: str) -> str:
    """``text`` with every character the font cannot draw replaced, and control characters turned into spaces."""
    if text.isascii() and text.isprintable():
        return text
    covered = _covered()
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\n\t" or (code < 32 or 0x7F <= code < 0xA0):
            out.append(" ")
        elif code in covered:
            out.append(ch)
        elif 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF or code in (0x200C, 0x200D):
            # Variation selectors, skin tones and joiners only shape their neighbour (mostly an emoji).
            continue
        else:
            out.append(REPLACEMENT)
    return "".join(out)


def esc(text: str) -> str:
    """Typed or catalog text made safe for Paragraph markup: drawable, and ``<``, ``>`` and ``&`` literal."""
    return escape(printable(text))


def esc_lines(text: str) -> str:
    """Like :func:`esc`, keeping the line breaks a person typed."""
    return "<br/>".join(esc(line) for line in text.strip().splitlines())


def _style(name: str, **kwargs: Any) -> ParagraphStyle:
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=9.5, leading=12.5, textColor=INK, bulletFontName=REGULAR)
    return ParagraphStyle(name, parent=base, **kwargs)


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles, by name."""
    register_fonts()
    return {
        "body": _style("body", spaceAfter=4),
        "small": _style("small", fontSize=8, leading=10),
        "muted": _style("muted", fontSize=8.5, leading=11, textColor=MUTED),
        "cell": _style("cell", fontSize=8.5, leading=10.5),
        "cell-bold": _style("cell-bold", fontName=BOLD, fontSize=8.5, leading=10.5),
        "cell-head": _style("cell-head", fontName=BOLD, fontSize=8.5, leading=10.5, textColor=colors.white),
        "title": _style("title", fontName=BOLD, fontSize=24, leading=29, textColor=ACCENT, spaceAfter=6),
        "subtitle": _style("subtitle", fontSize=13, leading=17, textColor=MUTED, spaceAfter=14),
        "h1": _style("h1", fontName=BOLD, fontSize=16, leading=20, textColor=ACCENT, spaceBefore=4, spaceAfter=8),
        "h2": _style("h2", fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=5),
        "h3": _style("h3", fontName=BOLD, fontSize=10, leading=13, spaceBefore=4, spaceAfter=3),
        "label": _style("label", fontName=BOLD, fontSize=8, leading=10, textColor=MUTED),
        "value": _style("value", fontSize=10.5, leading=13.5),
        "bullet": _style("bullet", leftIndent=12, bulletIndent=2, spaceAfter=2),
        "step": _style("step", fontSize=9, leading=11.5, leftIndent=14, bulletIndent=0, spaceAfter=1.5),
        "card-title": _style("card-title", fontName=BOLD, fontSize=11.5, leading=14, textColor=ACCENT),
        "alert-title": _style("alert-title", fontName=BOLD, fontSize=12, leading=15, textColor=RED, spaceAfter=4),
        "zone": _style("zone", fontName=BOLD, fontSize=10, leading=12.5, alignment=TA_CENTER),
        "center": _style("center", alignment=TA_CENTER),
        "footer": _style("footer", fontSize=7.5, leading=9, textColor=MUTED),
    }


class Para(Paragraph):
    """A Paragraph that remembers its line breaks per width.

    Tables and KeepTogether wrap the same cell several times at the same width (to measure, to split, to
    draw); breaking the lines once per width makes a long handout render several times faster.
    """

    _KEPT = ("width", "height", "blPara", "_wrapWidths")

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        state = self.__dict__
        memo: dict[float, tuple[tuple[float, float], dict[str, Any]]] = state.setdefault("_memo", {})
        hit = memo.get(availWidth)
        if hit is None:
            size = super().wrap(availWidth, availHeight)
            hit = memo[availWidth] = (size, {name: state[name] for name in self._KEPT})
        state.update(hit[1])
        return hit[0]


class Text(Flowable):
    """Plain text in a paragraph style: one cheap line when it fits, else a wrapped, escaped Paragraph.

    Most table cells (dates, weekdays, doses) fit on one line; drawing those directly instead of through the
    Paragraph markup parser and line breaker makes a handout several times faster. Text never counts as
    markup here, so typed ``<b>`` or ``&`` is printed as it is.
    """

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = printable(text)
        self.style = style
        self._para: Paragraph | None = None
        self._avail = 0.0
        self._natural = -1.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        self._avail = availWidth
        style = self.style
        if self._natural < 0:
            self._natural = stringWidth(self.text, style.fontName, style.fontSize)
        if self._natural <= availWidth:
            self._para = None
            self.width, self.height = availWidth, style.leading
            return self.width, self.height
        if self._para is None:
            self._para = Para(escape(self.text), style)
        self.width, self.height = self._para.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 - reportlab's names
        if self._para is None:
            self._para = Para(escape(self.text), self.style)
        return list(self._para.split(availWidth, availHeight))

    def draw(self) -> None:
        if self._para is not None:
            self._para.drawOn(self.canv, 0, 0)
            return
        style = self.style
        canvas = self.canv
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        baseline = self.height - style.fontSize
        if style.alignment == TA_CENTER:
            canvas.drawCentredString(self._avail / 2, baseline, self.text)
        else:
            canvas.drawString(0, baseline, self.text)
