"""Fonts, colours and paragraph styles of the handout, and the one way typed text enters reportlab markup."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

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


def printable(text: str) -> str:
    """``text`` with every character the font cannot draw replaced, and control characters turned into spaces."""
    covered = _covered()
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\n\t" or (code < 32 or 0x7F <= code < 0xA0):
            out.append(" ")
        elif code in covered:
            out.append(ch)
        elif 0xFE00 <= code <= 0xFE0F or code in (0x200D, 0x200C):
            # Variation selectors and joiners only shape their neighbour (mostly emoji); nothing to draw.
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
