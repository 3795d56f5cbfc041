"""Pieces of the PDF handout that can be checked without rendering a whole document."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

import revalidatie as rv
from revalidatie.export.pdf import _styles
from revalidatie.model.plan import Role


def test_latin_letters_are_drawn_and_missing_glyphs_are_marked() -> None:
    letters = "Şş Ğğ ıİ Łł Źź Őő Ëë Éé Øø Ðđ Ææ Ññ Çç Ąą Žž Ťť Ůů ß Ωω Жж"
    assert _styles.printable(letters) == letters
    face = pdfmetrics.getFont(_styles.BOLD).face  # type: ignore[attr-defined]
    assert all(ord(ch) in face.charToGlyph for ch in letters if not ch.isspace())
    assert _styles.printable("ok \N{FLEXED BICEPS}\N{EMOJI MODIFIER FITZPATRICK TYPE-4} \ue000") == "ok \ufffd \ufffd"
    # A CJK letter is drawn in the CJK font when one is found, else marked (tests/integration/test_scripts.py).
    assert _styles.printable("中") == ("中" if _styles.cjk_font_path() is not None else "\ufffd")
    assert _styles.printable("a\tb\nc\x00d") == "a b c d"


def test_escape_makes_markup_literal() -> None:
    assert _styles.esc('<b>x</b> & <img src="/etc/passwd"/>') == (
        '&lt;b&gt;x&lt;/b&gt; &amp; &lt;img src="/etc/passwd"/&gt;'
    )


def test_an_exercise_card_has_its_figure_and_page(catalog: rv.Catalog) -> None:
    from revalidatie.export.layout import layout
    from revalidatie.export.pdf import _document

    profile = rv.load_profile(Path(__file__).resolve().parents[2] / "examples" / "profiles" / "hip-overload.toml")
    plan = rv.plan_programme(profile, catalog)
    where = layout(plan)
    exercise = _document._card_exercises(plan, where)[0]
    card = _document._card(plan, where, exercise, "en")[0]
    assert isinstance(card, _styles.Table)
    cells = card._cellvalues
    assert exercise.figure is not None
    assert not isinstance(cells[1][0], list)  # the figure slot holds the drawing, the text is beside it
    assert cells[0][0].text.endswith(f"p. {where.card_pages[exercise.id]}")


def test_a_card_dose_range_ends_at_the_last_full_week_not_a_deload(catalog: rv.Catalog) -> None:
    from revalidatie.export.layout import layout
    from revalidatie.export.pdf import _document

    profile = rv.load_profile(Path(__file__).resolve().parents[2] / "examples" / "profiles" / "hip-overload.toml")
    plan = rv.plan_programme(profile.model_copy(update={"start_date": dt.date(2027, 1, 4)}), catalog)
    where = layout(plan)
    checked = 0
    for placed in plan.phases:
        sessions = [s for s in plan.sessions if s.phase_id == placed.phase.id]
        if not sessions[-1].deload:
            continue
        full_weeks = [s for s in sessions if not s.deload]
        for item in sessions[-1].items:
            exercise = plan.exercises[item.exercise_id]
            if item.role is not Role.STRENGTH:
                continue
            last_full = [
                i for s in full_weeks for i in s.items if i.exercise_id == exercise.id and i.role is Role.STRENGTH
            ]
            if not last_full or last_full[-1].dose == item.dose:
                continue
            ranges = dict(_document._doses(plan, where, exercise, "en"))
            text = ranges[placed.phase.name("en")]
            assert text.endswith(_document._dose(plan, last_full[-1], "en")), text
            assert not text.endswith(_document._dose(plan, item, "en")), text
            checked += 1
    assert checked  # the example plan has a phase that ends in a lighter deload week


def test_plain_text_breaks_lines_like_a_paragraph_and_loses_no_word() -> None:
    from reportlab.platypus import Paragraph

    style = _styles.styles()["bullet"]
    text = "Houd je bekken stil en til je knie langzaam op, " * 6 + "https://feeds.example/" + "x" * 120
    ours = _styles.Text(text, style, bullet="\u2022")
    reference = Paragraph(_styles.esc(text), style, bulletText="\u2022")
    for width in (120.0, 240.0, 400.0):
        _, height = ours.wrap(width, 1000)
        reference.wrap(width, 1000)
        words = [word for line, _ in ours.lines for word in line.split()]
        assert "".join(words) == "".join(text.split())
        assert all(natural <= width for _, natural in ours.lines)  # a long word is cut, never overflows
        # Up to the long address, the lines are Paragraph's; Paragraph then fills the line with its start.
        theirs = [" ".join(line[1]) for line in reference.blPara.lines]  # type: ignore[attr-defined]
        plain = theirs[: next(n for n, line in enumerate(theirs) if "ht" in line.split()[-1])]
        assert plain == [line for line, _ in ours.lines][: len(plain)]
        assert len(plain) > 2
        assert height == len(ours.lines) * style.leading


def test_plain_text_splits_across_pages_without_losing_lines() -> None:
    style = _styles.styles()["body"]
    text = " ".join(f"woord{n}" for n in range(300))
    whole = _styles.Text(text, style)
    _, height = whole.wrap(200, 10_000)
    first, rest = whole.split(200, height / 3)
    assert isinstance(first, _styles.Text)
    assert isinstance(rest, _styles.Text)
    first.wrap(200, 10_000)
    rest.wrap(200, 10_000)
    assert first.height <= height / 3
    assert [line for line, _ in first.lines + rest.lines] == [line for line, _ in whole.lines]
    assert whole.split(200, style.leading / 2) == []  # not even one line fits
