"""Render every bundled exercise figure onto one contact sheet (PDF, and PNG pages through pdftoppm).

Usage: python docs/figures/make_contact_sheet.py [--out DIR] [--lang nl|en] [--columns N] [--png-dpi N]
       [--handout-size]

Writes DIR/contact-sheet.pdf and DIR/contact-sheet-N.png (one PNG per page; needs pdftoppm from
poppler-utils). Look at the PNG pages after changing a pose: every figure must read as its exercise.
With --handout-size every figure is drawn at the size of the exercise card's figure slot (the columns then
follow from it), the size at which a band, an arrow or a hold mark must still be seen.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

import revalidatie as rv
from revalidatie._atomic import write_atomically
from revalidatie.export.figures import exercise_drawing


def contact_sheet(out: Path, language: str, columns: int, *, handout_size: bool = False) -> Path:
    """Write the contact sheet PDF into ``out`` and return its path."""
    catalog = rv.load_catalog()
    exercises = sorted(catalog.exercises.values(), key=lambda e: (e.category, e.id))
    page_w, page_h = A4
    margin = 28.0
    if handout_size:
        from revalidatie.export.pdf._document import FIGURE_HEIGHT, FIGURE_WIDTH

        # The card's figure slot less its cell padding, as the handout draws it.
        cell_w, cell_h = FIGURE_WIDTH - 16 + 8, FIGURE_HEIGHT + 26
        columns = int((page_w - 2 * margin) // cell_w)
    else:
        cell_w = (page_w - 2 * margin) / columns
        cell_h = cell_w * 0.5 + 26
    rows = int((page_h - 2 * margin) // cell_h)
    pdf = out / "contact-sheet.pdf"
    temporary = out / ".contact-sheet.pdf.tmp"
    canvas = Canvas(str(temporary), pagesize=A4, invariant=True)
    canvas.setTitle("revalidatie exercise figures")
    for index, exercise in enumerate(exercises):
        slot = index % (columns * rows)
        if index and slot == 0:
            canvas.showPage()
        col, row = slot % columns, slot // columns
        x = margin + col * cell_w
        y = page_h - margin - (row + 1) * cell_h
        drawing = exercise_drawing(exercise, width=cell_w - 8, height=cell_h - 26, language=language)
        renderPDF.draw(drawing, canvas, x + 4, y + 22)
        canvas.setStrokeColorRGB(0.85, 0.87, 0.9)
        canvas.rect(x + 2, y + 2, cell_w - 4, cell_h - 4)
        name, size = exercise.name(language), 8.5
        # Long names shrink to fit their cell rather than run into the next one, and are cut short when that
        # is not enough (narrow handout-size cells).
        while size > 5 and stringWidth(name, "Helvetica-Bold", size) > cell_w - 16:
            size -= 0.5
        while len(name) > 4 and stringWidth(name, "Helvetica-Bold", size) > cell_w - 16:
            name = name[:-2].rstrip() + "…"
        canvas.setFont("Helvetica-Bold", size)
        canvas.drawString(x + 8, y + 12, name)
        # The id is printed whole (it is what to look up), smaller when the cell is narrow.
        id_size = 7.0
        while id_size > 4.5 and stringWidth(exercise.id, "Helvetica", id_size) > cell_w - 16:
            id_size -= 0.5
        canvas.setFont("Helvetica", id_size)
        canvas.drawString(x + 8, y + 4, exercise.id)
    canvas.save()
    write_atomically(pdf, temporary.read_bytes())
    temporary.unlink()
    return pdf


def main() -> int:
    """Parse the arguments, write the PDF and its PNG pages; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out/figures"))
    parser.add_argument("--lang", choices=["nl", "en"], default="en")
    parser.add_argument("--columns", type=int, default=3)
    parser.add_argument("--png-dpi", type=int, default=110)
    parser.add_argument("--handout-size", action="store_true", help="draw each figure at the handout's slot size")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    pdf = contact_sheet(args.out, args.lang, args.columns, handout_size=args.handout_size)
    print(pdf)
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found (apt install poppler-utils); PNG pages skipped", file=sys.stderr)
        return 1
    subprocess.run(["pdftoppm", "-png", "-r", str(args.png_dpi), str(pdf), str(args.out / "contact-sheet")], check=True)
    for png in sorted(args.out.glob("contact-sheet-*.png")):
        print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
