"""Fonts, colours and paragraph styles of the handout, and the one way typed text enters reportlab markup."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, TableStyle
from reportlab.platypus import Table as _ReportlabTable

from ..._bidi import strip_bidi_controls

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


ARABIC = "RevalidatieArabic"
ARABIC_BOLD = "RevalidatieArabic-Bold"
HEBREW = "RevalidatieHebrew"
HEBREW_BOLD = "RevalidatieHebrew-Bold"
CJK = "RevalidatieCJK"
CJK_FONT_ENV = "REVALIDATIE_CJK_FONT"
"""Environment variable with the path of a font (.ttf, .otf or .ttc) for Chinese, Japanese and Korean names."""
CJK_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msyh.ttc",
)
"""System fonts with CJK glyphs looked for at run time when :data:`CJK_FONT_ENV` is not set."""


_RTL: ContextVar[bool] = ContextVar("revalidatie_pdf_rtl", default=False)


@contextmanager
def direction(rtl: bool) -> Iterator[None]:
    """Lay out what is made inside right to left (styles, text, tables); the default is left to right."""
    token = _RTL.set(rtl)
    try:
        yield
    finally:
        _RTL.reset(token)


def is_rtl() -> bool:
    """Whether the document being made is laid out right to left."""
    return _RTL.get()


class MissingFontWarning(UserWarning):
    """A name holds characters no embedded or configured font can draw; they print as U+FFFD."""


@cache
def register_fonts() -> None:
    """Register DejaVu Sans and Noto Sans Arabic/Hebrew (shipped with the package) once per process.

    A CJK font is registered too when one is configured (:data:`CJK_FONT_ENV`) or found on the system.
    """
    faces = (
        (REGULAR, "DejaVuSans.ttf"),
        (BOLD, "DejaVuSans-Bold.ttf"),
        (ITALIC, "DejaVuSans-Oblique.ttf"),
        (ARABIC, "NotoSansArabic-Regular.ttf"),
        (ARABIC_BOLD, "NotoSansArabic-Bold.ttf"),
        (HEBREW, "NotoSansHebrew-Regular.ttf"),
        (HEBREW_BOLD, "NotoSansHebrew-Bold.ttf"),
    )
    for name, file in faces:
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
    for normal, bold in ((ARABIC, ARABIC_BOLD), (HEBREW, HEBREW_BOLD)):
        pdfmetrics.registerFontFamily(normal, normal=normal, bold=bold, italic=normal, boldItalic=bold)
    path = cjk_font_path()
    if path is not None:
        pdfmetrics.registerFont(TTFont(CJK, str(path)))
        pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)


@cache
def cjk_font_path() -> Path | None:
    """The CJK font to use: the one :data:`CJK_FONT_ENV` names, else the first system font found, else None."""
    configured = os.environ.get(CJK_FONT_ENV, "").strip()
    if configured:
        path = Path(configured)
        if not path.is_file():
            warnings.warn(f"{CJK_FONT_ENV}={configured}: no such font file", MissingFontWarning, stacklevel=2)
            return None
        return path
    return next((Path(c) for c in CJK_CANDIDATES if Path(c).is_file()), None)


def _script_face(code: int) -> str | None:
    """The fallback family of a character's script, or None for the main face (Latin, Greek, Cyrillic)."""
    if 0x0600 <= code <= 0x08FF or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return ARABIC
    if 0x0590 <= code <= 0x05FF or 0xFB1D <= code <= 0xFB4F:
        return HEBREW
    if (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    ):
        return CJK
    return None


_BOLD_OF = {ARABIC: ARABIC_BOLD, HEBREW: HEBREW_BOLD, CJK: CJK}


@cache
def _cmap(name: str) -> frozenset[int]:
    register_fonts()
    try:
        return frozenset(pdfmetrics.getFont(name).face.charToGlyph)  # type: ignore[attr-defined]
    except KeyError:  # no CJK font registered
        return frozenset()


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


def _drawable(code: int) -> bool:
    face = _script_face(code)
    if face is None:
        return code in _covered()
    if code in _cmap(face) and code in _cmap(_BOLD_OF[face]):
        return True
    if face == CJK and not _cmap(CJK):
        _warn_cjk()
    return False


@cache
def _warn_cjk() -> None:
    warnings.warn(
        "A name has Chinese, Japanese or Korean characters and no font for them was found; they print as U+FFFD. "
        f"Set {CJK_FONT_ENV} to a font file with CJK glyphs (for example Noto Sans CJK).",
        MissingFontWarning,
        stacklevel=4,
    )


@lru_cache(maxsize=8192)
def printable(text: str) -> str:
    """``text`` with every character no font can draw replaced, and control characters turned into spaces.

    Arabic is shaped here (each letter in its joined form), so widths are measured on what is drawn; the
    right-to-left order is made per line when it is drawn (:func:`visual`).
    """
    if text.isascii() and text.isprintable():
        return text
    covered = _covered()
    out = []
    arabic = False
    for ch in text:
        code = ord(ch)
        if ch in "\n\t" or (code < 32 or 0x7F <= code < 0xA0):
            out.append(" ")
        elif code in covered and _script_face(code) is None:
            out.append(ch)
        elif 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF or code in (0x200C, 0x200D):
            # Variation selectors, skin tones and joiners only shape their neighbour (mostly an emoji).
            continue
        elif _drawable(code):
            arabic = arabic or _script_face(code) == ARABIC
            out.append(ch)
        else:
            out.append(REPLACEMENT)
    result = "".join(out)
    return _shape(result) if arabic else result


def _shape(text: str) -> str:
    import arabic_reshaper

    return str(arabic_reshaper.reshape(text))


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds right-to-left letters (Hebrew or Arabic)."""
    return not text.isascii() and any(_script_face(ord(ch)) in (ARABIC, HEBREW) for ch in text)


@lru_cache(maxsize=8192)
def visual(line: str) -> str:
    """One line in the order it is drawn: right-to-left runs reversed by the Unicode bidi algorithm (UAX #9)."""
    if not has_rtl(line):
        return line
    # The algorithm module, not the package's get_display: it also mirrors brackets (rule L4), so "(A)"
    # inside Arabic is drawn as ")A(" read from the right.
    from bidi.algorithm import get_display

    return str(get_display(line))


@lru_cache(maxsize=1 << 14)
def runs(text: str, font: str) -> tuple[tuple[str, str], ...]:
    """``text`` cut into ``(font name, part)`` runs: Arabic, Hebrew and CJK letters in their own face."""
    if text.isascii():
        return ((font, text),)
    bold = font == BOLD
    out: list[tuple[str, str]] = []
    for ch in text:
        code = ord(ch)
        face = _script_face(code)
        name = font if face is None else (_BOLD_OF[face] if bold else face)
        if out and out[-1][0] != name and face is None and not ch.isalpha() and code in _cmap(out[-1][0]):
            # A space, digit or mark of punctuation stays in the face of the run it is in: an Arabic line is
            # then a few runs instead of one per word, and drawing it costs a few text operators.
            name = out[-1][0]
        if out and out[-1][0] == name:
            out[-1] = (name, out[-1][1] + ch)
        else:
            out.append((name, ch))
    return tuple(out)


def label(text: str, font: str) -> tuple[str, str]:
    """A short label for a drawing (one string, one font): drawable, in drawing order, in its script's face."""
    line = visual(printable(text))
    faces = [name for name, _ in runs(line, font) if name != font]
    return line, faces[0] if faces else font


def draw_string(canvas: Any, x: float, y: float, text: str, font: str, size: float, *, right: bool = False) -> None:
    """Draw one line of printable text at ``(x, y)`` (its right end there with ``right``), face by face."""
    line = visual(text)
    if right:
        x -= width_of(line, font, size)
    for name, part in runs(line, font):
        canvas.setFont(name, size)
        canvas.drawString(x, y, part)
        x += float(stringWidth(part, name, size))


def esc(text: str) -> str:
    """Typed or catalog text made safe for markup: drawable, ``<``, ``>`` and ``&`` literal, no bidi controls.

    Arabic, Hebrew and CJK letters are put in their own face (a ``<font>`` tag); right-to-left text is put in
    drawing order, which is right for the short texts (names, single lines) that markup carries.
    """
    text = printable(strip_bidi_controls(text))
    if text.isascii():
        return escape(text)
    parts = []
    for name, part in runs(visual(text), REGULAR):
        parts.append(escape(part) if name == REGULAR else f'<font name="{name}">{escape(part)}</font>')
    return "".join(parts)


def esc_lines(text: str) -> str:
    """Like :func:`esc`, keeping the line breaks a person typed."""
    return "<br/>".join(esc(line) for line in text.strip().splitlines())


def table_style(commands: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A table style whose plain-string cells use the embedded font too (reportlab would pick Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), *commands])


def grid_commands(padding: float) -> tuple[tuple[Any, ...], ...]:
    """The style of a grid, in the handout and the summary alike: a coloured header row, thin rules below rows."""
    return (
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    )


def _style(name: str, **kwargs: Any) -> ParagraphStyle:
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=9.5, leading=12.5, textColor=INK, bulletFontName=REGULAR)
    return ParagraphStyle(name, parent=base, **kwargs)


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles, by name; right-aligned ones inside :func:`direction` ``(True)``."""
    return _styles_for(_RTL.get())


@cache
def _styles_for(rtl: bool) -> dict[str, ParagraphStyle]:
    found = _styles()
    if not rtl:
        return found
    return {
        name: ParagraphStyle(f"{name}-rtl", parent=style, alignment=TA_RIGHT) if style.alignment == TA_LEFT else style
        for name, style in found.items()
    }


@cache
def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    return {
        "body": _style("body", spaceAfter=4),
        "small": _style("small", fontSize=8, leading=10),
        "muted": _style("muted", fontSize=8.5, leading=11, textColor=MUTED),
        "cell": _style("cell", fontSize=8.5, leading=10.5),
        "cell-bold": _style("cell-bold", fontName=BOLD, fontSize=8.5, leading=10.5),
        "cell-alert": _style("cell-alert", fontName=BOLD, fontSize=8.5, leading=10.5, textColor=RED),
        "cell-head": _style("cell-head", fontName=BOLD, fontSize=8.5, leading=10.5, textColor=colors.white),
        "title": _style("title", fontName=BOLD, fontSize=24, leading=29, textColor=ACCENT, spaceAfter=6),
        "subtitle": _style("subtitle", fontSize=13, leading=17, textColor=MUTED, spaceAfter=14),
        "h1": _style("h1", fontName=BOLD, fontSize=16, leading=20, textColor=ACCENT, spaceBefore=4, spaceAfter=8),
        "h2": _style("h2", fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=5),
        "h3": _style("h3", fontName=BOLD, fontSize=10, leading=13, spaceBefore=4, spaceAfter=3),
        "label": _style("label", fontName=BOLD, fontSize=8, leading=10, textColor=MUTED),
        "value": _style("value", fontSize=10.5, leading=13.5),
        "bullet": _style("bullet", leftIndent=12, bulletIndent=2, spaceAfter=2),
        "flag": _style("flag", fontSize=7.8, leading=9.6, leftIndent=9, bulletIndent=0, spaceAfter=1.5),
        "flag-bold": _style("flag-bold", fontName=BOLD, fontSize=7.8, leading=9.6, leftIndent=9, bulletIndent=0),
        "step": _style("step", fontSize=9, leading=11.5, leftIndent=14, bulletIndent=0, spaceAfter=1.5),
        "card-title": _style("card-title", fontName=BOLD, fontSize=11.5, leading=14, textColor=ACCENT),
        "alert-title": _style("alert-title", fontName=BOLD, fontSize=12, leading=15, textColor=RED, spaceAfter=4),
        "zone": _style("zone", fontName=BOLD, fontSize=10, leading=12.5, alignment=TA_CENTER),
        "center": _style("center", alignment=TA_CENTER),
        "footer": _style("footer", fontSize=7.5, leading=9, textColor=MUTED),
        # The physio's summary: a denser page than the handout.
        "summary-title": _style("summary-title", fontName=BOLD, fontSize=15, leading=18, textColor=ACCENT),
        "summary-h2": _style(
            "summary-h2", fontName=BOLD, fontSize=10.5, leading=13, textColor=ACCENT, spaceBefore=7, spaceAfter=3
        ),
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


class Table(_ReportlabTable):
    """A Table that lays itself out once per width.

    A KeepTogether measures its tables and the frame measures them again to place them; a card's inner tables
    are measured once more for each measuring of the card. Layout is a function of the width alone once every
    row has been measured (reportlab stops measuring a long table at the bottom of the page), so a second
    measuring at the same width keeps the first one's result.
    """

    _laid_out: tuple[float, tuple[float, float]] | None = None
    """The width of the last complete layout, and the size it gave."""
    _ncols: int
    _cellvalues: list[list[Any]]
    _mirrored = False
    """Made right to left: columns in reverse order, and every style command's columns with them."""

    def __init__(self, data: Any, colWidths: Any = None, *args: Any, **kwargs: Any) -> None:  # noqa: N803
        if _RTL.get():
            self._mirrored = True
            data = [list(reversed(row)) for row in data]
            colWidths = list(reversed(colWidths)) if colWidths is not None else None  # noqa: N806
            if kwargs.get("hAlign", "CENTER") == "LEFT":
                kwargs["hAlign"] = "RIGHT"
        super().__init__(data, colWidths, *args, **kwargs)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        if self._laid_out is not None and self._laid_out[0] == availWidth:
            return self._laid_out[1]
        size = super().wrap(availWidth, availHeight)
        # reportlab stops measuring rows once they pass availHeight; a table that fits was measured whole.
        self._laid_out = (availWidth, size) if size[1] <= availHeight else None
        return size

    def setStyle(self, tblstyle: Any) -> None:  # noqa: N802 - reportlab's names
        self._laid_out = None
        super().setStyle(self._mirror(tblstyle) if self._mirrored else tblstyle)

    def _mirror(self, tblstyle: Any) -> TableStyle:
        commands = tblstyle.getCommands() if hasattr(tblstyle, "getCommands") else list(tblstyle)
        columns = self._ncols
        # A cell's content stands against its right edge (where a left-to-right cell has it at the left);
        # the table's own ALIGN commands come after and still decide.
        mirrored: list[tuple[Any, ...]] = [("ALIGN", (0, 0), (-1, -1), "RIGHT")]
        for command in commands:
            name, *rest = command
            if len(rest) >= 2 and isinstance(rest[0], tuple) and isinstance(rest[1], tuple):
                (c0, r0), (c1, r1) = rest[0], rest[1]
                a, b = (c0 if c0 >= 0 else columns + c0), (c1 if c1 >= 0 else columns + c1)
                rest[0], rest[1] = (columns - 1 - b, r0), (columns - 1 - a, r1)
            name = _MIRRORED_COMMAND.get(name, name)
            if name == "SPAN":
                # A spanned cell shows its first cell's content; mirrored, that content sits in the last one.
                (first, row), (last, _) = rest[0], rest[1]
                if first != last:
                    cells = self._cellvalues[row]
                    cells[first], cells[last] = cells[last], cells[first]
            if name == "ALIGN" and len(rest) >= 3:
                rest[2] = {"LEFT": "RIGHT", "RIGHT": "LEFT"}.get(rest[2], rest[2])
            mirrored.append((name, *rest))
        return TableStyle(mirrored)


_MIRRORED_COMMAND = {
    "LEFTPADDING": "RIGHTPADDING",
    "RIGHTPADDING": "LEFTPADDING",
    "LINEBEFORE": "LINEAFTER",
    "LINEAFTER": "LINEBEFORE",
}


class Text(Flowable):
    """Plain text in a paragraph style, with an optional bullet, broken into lines by its own line breaker.

    Most handout text is plain: dates, doses, steps, cues. Measuring words with reportlab's C ``stringWidth``
    and drawing the lines directly skips the Paragraph markup parser and line breaker, which made a handout
    several times slower. Lines break greedily at spaces, as Paragraph breaks them; a word longer than a line
    is cut. Text never counts as markup here, so typed ``<b>`` or ``&`` is printed as it is.
    """

    def __init__(self, text: str, style: ParagraphStyle, bullet: str | None = None) -> None:
        super().__init__()
        self.text = " ".join(printable(text).split())
        self.style = style
        self.bullet = bullet
        self.lines: tuple[Line, ...] = ()
        self._memo: dict[float, tuple[Line, ...]] = {}
        self.rtl = _RTL.get()

    def _indent(self) -> float:
        """Where the first line starts: the left indent, or after the bullet when that is wider."""
        style = self.style
        if self.bullet is None:
            return float(style.leftIndent)
        bullet_end = style.bulletIndent + width_of(self.bullet, style.bulletFontName, style.bulletFontSize)
        # The gap Paragraph leaves after a bullet.
        return float(max(style.leftIndent, bullet_end + style.bulletFontSize * 0.6))

    def _lines(self, width: float) -> tuple[Line, ...]:
        lines = self._memo.get(width)
        if lines is None:
            style = self.style
            first = width - self._indent() - style.rightIndent
            natural = width_of(self.text, style.fontName, style.fontSize)
            if natural <= first:
                lines = ((self.text, natural),)  # most cells: one line, measured once
            else:
                lines = _break_lines(self.text.split(" "), style, first, width - style.leftIndent - style.rightIndent)
            self._memo[width] = lines
        return lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        self.lines = self._lines(availWidth)
        self.width, self.height = availWidth, len(self.lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 - reportlab's names
        lines = self._lines(availWidth)
        fit = int(availHeight // self.style.leading)
        if fit < 1 or fit >= len(lines):
            return []
        # The part on the next page has no bullet and starts at the left indent, like Paragraph's second lines.
        return [self._part(lines[:fit], availWidth, self.bullet), self._part(lines[fit:], availWidth, None)]

    def _part(self, lines: tuple[Line, ...], width: float, bullet: str | None) -> Text:
        part = Text(" ".join(text for text, _ in lines), self.style, bullet)
        part._memo[width] = lines
        return part

    def draw(self) -> None:
        style = self.style
        canvas = self.canv
        baseline = self.height - style.fontSize
        if self.bullet is not None:
            canvas.setFont(style.bulletFontName, style.bulletFontSize)
            canvas.setFillColor(getattr(style, "bulletColor", style.textColor))
            if self.rtl:
                # Right to left the bullet stands at the right, as far in as it stands from the left otherwise.
                bullet_width = width_of(self.bullet, style.bulletFontName, style.bulletFontSize)
                canvas.drawString(self.width - style.bulletIndent - bullet_width, baseline, self.bullet)
            else:
                canvas.drawString(style.bulletIndent, baseline, self.bullet)
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        # One text object for all lines: a text object per line (drawString) costs more than the text itself.
        text = canvas.beginText()
        centred = style.alignment == TA_CENTER
        for number, (line, natural) in enumerate(self.lines):
            left = self._indent() if number == 0 else style.leftIndent
            room = self.width - left - style.rightIndent
            if self.rtl:
                # Mirrored: the indent is on the right, and each line ends at it.
                start = (self.width - natural) / 2 if centred else self.width - left - min(natural, room)
                if natural > room and " " in line:
                    text.setWordSpace((room - natural) / line.count(" "))
                text.setTextOrigin(start, baseline)
                _text_out(text, line, style)
                text.setWordSpace(0)
            elif natural > room and " " in line:
                # A line the breaker let shrink: close its spaces up, as Paragraph does.
                text.setTextOrigin(left, baseline)
                text.setWordSpace((room - natural) / line.count(" "))
                _text_out(text, line, style)
                text.setWordSpace(0)
            elif line:
                text.setTextOrigin(left + (room - natural) / 2 if centred else left, baseline)
                _text_out(text, line, style)
            baseline -= style.leading
        canvas.drawText(text)


def _text_out(text: Any, line: str, style: ParagraphStyle) -> None:
    if line.isascii():
        text.textOut(line)
        return
    parts = runs(visual(line), style.fontName)
    for name, part in parts:
        text.setFont(name, style.fontSize)
        text.textOut(part)
    if len(parts) > 1 or parts[0][0] != style.fontName:
        text.setFont(style.fontName, style.fontSize)


Line = tuple[str, float]
"""A line of text and its width in points."""


@lru_cache(maxsize=1 << 16)
def width_of(text: str, font: str, size: float) -> float:
    """Width of ``text`` in points; remembered, because a handout measures the same words again and again."""
    if text.isascii():
        return float(stringWidth(text, font, size))
    return float(sum(stringWidth(part, name, size) for name, part in runs(text, font)))


def _break_lines(words: list[str], style: ParagraphStyle, first: float, rest: float) -> tuple[Line, ...]:
    """Greedy line breaking of ``words``: the first line ``first`` points wide, the others ``rest``.

    Like Paragraph, a line may take one more word when its spaces can shrink by ``style.spaceShrinkage``.
    """
    font, size = style.fontName, style.fontSize
    space = width_of(" ", font, size)
    shrink = style.spaceShrinkage * space
    lines: list[Line] = []
    current: list[str] = []
    used = 0.0
    for word in words:
        width = width_of(word, font, size)
        room = first if not lines else rest
        if current and used + space + width <= room + shrink * len(current):
            current.append(word)
            used += space + width
            continue
        if current:
            lines.append((" ".join(current), used))
            room = rest
        while width > room and len(word) > 1:
            # A word wider than a line (a long address, say) is cut where the line ends.
            cut = _longest_prefix(word, font, size, room)
            lines.append((word[:cut], width_of(word[:cut], font, size)))
            word = word[cut:]
            width = width_of(word, font, size)
            room = rest
        current, used = [word], width
    if current or not lines:
        lines.append((" ".join(current), used))
    return tuple(lines)


def _longest_prefix(word: str, font: str, size: float, room: float) -> int:
    """Length of the longest start of ``word`` that fits in ``room`` points (at least one character)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(word[:middle], font, size) <= room:
            low = middle
        else:
            high = middle - 1
    return low
