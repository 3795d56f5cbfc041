"""The PDF handout, checked with independent tools: qpdf, poppler (pdftotext, pdffonts, pdfinfo, pdftoppm), zbar."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import revalidatie as rv
from revalidatie.cli import main
from revalidatie.export.layout import layout
from revalidatie.export.text import format_date
from revalidatie.i18n import word

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "profiles"
URL = "https://feeds.example/c/sebnem-lukasz-2027.ics?token=a1b2&lang=nl"


def _tool(name: str) -> str:
    """Path of an external checker; missing is a failure in CI and a skip on a developer's machine."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (apt: poppler-utils, qpdf, zbar-tools; .ci/run installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def _run(*args: str | Path) -> str:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{args[0]} failed: {result.stderr}{result.stdout}"
    return result.stdout


def _text(pdf: Path) -> str:
    return _run(_tool("pdftotext"), "-enc", "UTF-8", pdf, "-")


def _flat(text: str) -> str:
    """Text with every run of whitespace made one space, so wrapped lines compare as typed."""
    return re.sub(r"\s+", " ", text)


def _pages(pdf: Path) -> int:
    info = _run(_tool("pdfinfo"), pdf)
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def special_plan(catalog: rv.Catalog) -> rv.Plan:
    profile = rv.load_profile(ROOT / "tests" / "data" / "profiles" / "handout-special.toml")
    return rv.plan_programme(profile, catalog)


@pytest.fixture(scope="module")
def special_pdf(special_plan: rv.Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "special.pdf"
    assert rv.write_pdf(special_plan, path, subscription_url=URL) == path
    return path


def test_structure_is_valid(special_pdf: Path) -> None:
    _run(_tool("qpdf"), "--check", special_pdf)


def test_every_font_is_embedded(special_pdf: Path) -> None:
    rows = _run(_tool("pdffonts"), special_pdf).splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        # Columns: name, type, encoding, emb, sub, uni, object, id; the name never has spaces.
        fields = row.split()
        assert fields[-5] == "yes", f"font not embedded: {row}"
        assert fields[-3] == "yes", f"font without a Unicode map (text cannot be copied): {row}"
        assert "DejaVuSans" in fields[0]


def test_names_with_special_letters_and_every_week_are_in_the_text(special_plan: rv.Plan, special_pdf: Path) -> None:
    text = _flat(_text(special_pdf))
    assert "Şebnem Łukasz-Győző Ïnés" in text
    assert "ğ \u0131 İ ł ź ő ë é" in text
    assert "Zoë & Ðorđe" in text
    for placed in special_plan.phases:  # every phase's dates, on its section
        assert format_date(placed.start, "nl", "d MMM") in text, placed.phase.id
    assert format_date(special_plan.start, "nl", "d MMMM yyyy") in text  # "4 januari 2027"
    assert "Pagina 1 van " in text
    assert f"Pagina {_pages(special_pdf)} van {_pages(special_pdf)}" in text


def test_typed_markup_is_printed_literally(special_pdf: Path) -> None:
    text = _flat(_text(special_pdf))
    assert "Neem <b>niet vet</b> mee & kom op tijd." in text
    assert '<img src="/etc/passwd"/> hoort hier als tekst.' in text
    assert "<font size=80>groot</font> blijft klein." in text
    assert "Jürgen <i>Ødegård</i>" in text
    assert "Fysio & Co <b>Zuid</b>" in text


def test_a_character_without_glyph_is_marked_not_boxed(special_pdf: Path) -> None:
    text = _text(special_pdf)
    assert "Goed gedaan \N{REPLACEMENT CHARACTER} ğ \u0131" in text
    assert "\N{FLEXED BICEPS}" not in text


def test_qr_code_decodes_to_the_subscription_url(special_pdf: Path, tmp_path: Path) -> None:
    # The subscription box is on the first page: subscribing is the first thing to do.
    _run(_tool("pdftoppm"), "-r", "150", "-png", "-f", "1", "-l", "1", special_pdf, tmp_path / "page")
    image = next(tmp_path.glob("page*.png"))
    assert _run(_tool("zbarimg"), "--raw", "-q", image).strip() == URL
    text = _flat(_text(special_pdf))
    assert URL in text.replace(" ", "") or URL in text
    for device in ("iPhone", "Android", "Outlook"):
        assert device in text


def test_a_check_in_client_scans_to_the_check_in_page_and_has_no_paper_diary(
    special_plan: rv.Plan, tmp_path: Path
) -> None:
    checkin = "https://feeds.example/checkin/a1b2c3d4e5f6"
    pdf = rv.write_pdf(special_plan, tmp_path / "checkin.pdf", subscription_url=URL, checkin_url=checkin)
    _run(_tool("pdftoppm"), "-r", "150", "-png", "-f", "1", "-l", "1", pdf, tmp_path / "page")
    image = next(tmp_path.glob("page*.png"))
    assert _run(_tool("zbarimg"), "--raw", "-q", image).strip() == checkin
    text = _flat(_text(pdf))
    assert "geen pijndagboek op papier" in text
    assert URL in text.replace(" ", "")  # the calendar's address, for adding it by hand
    paper = _flat(_text(rv.write_pdf(special_plan, tmp_path / "paper.pdf", subscription_url=URL)))
    diary_title = word("handout.diary-title", "nl")
    assert diary_title in paper
    assert diary_title not in text
    # The cards keep their pages, so a calendar event's "card on p. N" is right in either booklet.
    assert layout(special_plan, diary=False).card_pages == layout(special_plan).card_pages


def test_metadata_and_document_language(special_pdf: Path) -> None:
    info = _run(_tool("pdfinfo"), special_pdf)
    assert "Title:" in info
    assert "Şebnem Łukasz-Győző Ïnés" in info
    assert re.search(r"^Author:\s+Jürgen <i>Ødegård</i>", info, re.MULTILINE)
    assert re.search(r"^Subject:\s+Revalidatie", info, re.MULTILINE)
    assert b"/Lang (nl)" in special_pdf.read_bytes()


def test_same_plan_gives_the_same_bytes_across_processes(special_plan: rv.Plan, special_pdf: Path) -> None:
    assert rv.render_pdf(special_plan, subscription_url=URL) == special_pdf.read_bytes()
    code = (
        "import sys, revalidatie as rv; "
        f"p = rv.plan_programme(rv.load_profile({str(ROOT / 'tests/data/profiles/handout-special.toml')!r}), "
        "rv.load_catalog()); "
        f"sys.stdout.buffer.write(rv.render_pdf(p, subscription_url={URL!r}))"
    )
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    assert fresh == special_pdf.read_bytes()


def test_english_and_dutch(special_plan: rv.Plan, tmp_path: Path) -> None:
    english = tmp_path / "en.pdf"
    rv.write_pdf(special_plan, english, language="en")
    text = _flat(_text(english))
    assert "How to read this booklet" in text
    assert "Stop and call" in text
    assert "Page 1 of" in text
    assert format_date(special_plan.start, "en", "d MMMM yyyy") in text  # "4 January 2027"
    assert "Zo lees je dit boekje" not in text
    assert b"/Lang (en)" in english.read_bytes()
    dutch = tmp_path / "nl.pdf"
    rv.write_pdf(special_plan, dutch, language=rv.Language.NL)
    assert "Zo lees je dit boekje" in _flat(_text(dutch))
    # No QR page without a subscription address.
    assert "iPhone" not in _text(dutch)


def test_long_programme_and_long_text(catalog: rv.Catalog, tmp_path: Path) -> None:
    profile = rv.load_profile(EXAMPLES / "gluteal-tendinopathy.toml")
    words = " ".join(f"woord{n}" for n in range(600))
    long_name = "Ö" + "x" * 198 + "Z"
    goal = profile.goal.model_copy(update={"run_minutes": 60})  # a long build-up: half a year in all
    profile = profile.model_copy(update={"name": long_name, "notes": words + " EINDE-VAN-DE-NOTITIE", "goal": goal})
    plan = rv.plan_programme(profile, catalog)
    assert len(plan.weeks) >= 26
    pdf = tmp_path / "long.pdf"
    rv.write_pdf(plan, pdf)
    _run(_tool("qpdf"), "--check", pdf)
    text = _text(pdf)
    squeezed = re.sub(r"\s+", "", text)
    assert long_name in squeezed
    assert "EINDE-VAN-DE-NOTITIE" in text
    assert all(f"woord{n} " in _flat(text) for n in range(0, 600, 37))
    pages = text.split("\f")
    assert "EINDE-VAN-DE-NOTITIE" in pages[1]  # long notes have a page of their own, named on the first
    assert "Notities van je fysiotherapeut: blz. 2" in _flat(pages[0])
    for placed in plan.phases:
        assert placed.phase.name("nl") in _flat(text)
    assert len(pages) - 1 == layout(plan).pages


def test_catalog_text_is_escaped_too(special_plan: rv.Plan, tmp_path: Path) -> None:
    exercise_id = special_plan.sessions[0].items[0].exercise_id
    original = special_plan.exercises[exercise_id]
    markup = rv.Localized(nl='<b>Brug</b> & <img src="x.png"/>', en="<font size=80>Bridge</font> & co")
    steps = original.steps.model_copy(update={"nl": ("<para>stap</para> & meer", *original.steps.nl[1:])})
    changed = original.model_copy(update={"name": markup, "steps": steps})
    plan = attrs.evolve(special_plan, exercises={**special_plan.exercises, exercise_id: changed})
    pdf = tmp_path / "catalog.pdf"
    pdf.write_bytes(rv.render_pdf(plan))
    text = _flat(_text(pdf))
    assert '<b>Brug</b> & <img src="x.png"/>' in text
    assert "<para>stap</para> & meer" in text


def test_bad_options_are_clear_errors(special_plan: rv.Plan, tmp_path: Path) -> None:
    with pytest.raises(rv.InputError, match="language"):
        rv.render_pdf(special_plan, language="de")
    for url in (
        "",
        "feeds.example/no-scheme",
        "https://has space.example/x",
        "ftp://x.example/a",
        "https://" + "a" * 2000,
    ):
        with pytest.raises(rv.InputError, match="subscription_url"):
            rv.render_pdf(special_plan, subscription_url=url)
    folder = tmp_path / "a-folder.pdf"
    folder.mkdir()
    with pytest.raises(rv.ExportError):
        rv.write_pdf(special_plan, folder)
    assert [p.name for p in tmp_path.iterdir()] == ["a-folder.pdf"]  # no temporary file left behind


def test_cli_plan_writes_the_handout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["plan", str(EXAMPLES / "itbs.toml"), "--out", str(out), "--subscription-url", URL])
    assert code == 0
    printed = capsys.readouterr().out
    pdfs = [path for path in out.glob("*.pdf") if not path.name.endswith(".summary.pdf")]
    assert len(pdfs) == 1
    assert pdfs[0].with_suffix(".json").exists()
    assert pdfs[0].with_suffix(".summary.pdf").exists()  # the physio's summary beside the handout
    assert str(pdfs[0]) in printed
    _run(_tool("qpdf"), "--check", pdfs[0])
    assert "Stop and call" in _flat(_text(pdfs[0]))  # the itbs example client reads English
    assert main(["plan", str(EXAMPLES / "itbs.toml"), "--out", str(out), "--subscription-url", "nope"]) == 1
    assert "subscription_url" in capsys.readouterr().err


def test_handout_figures_paint_the_same_pixels_as_their_drawings(catalog: rv.Catalog, tmp_path: Path) -> None:
    """The handout writes figures as PDF operators; reportlab's own renderer of the same marks is the reference."""
    from PIL import Image, ImageChops
    from reportlab.graphics import renderPDF
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from revalidatie.export._marks import to_drawing
    from revalidatie.export.pdf import _styles, _vector

    _styles.register_fonts()
    width, height, columns = 80.0, 100.0, 7
    exercises = [e for e in catalog.exercises.values() if e.figure is not None]
    assert len(exercises) > 40

    def page(path: Path, vector: bool) -> Path:
        canvas = Canvas(str(path), pagesize=A4, invariant=True)
        for index, exercise in enumerate(exercises):
            x, y = (index % columns) * width + 10, A4[1] - (index // columns + 1) * height - 10
            art = _vector.figure(exercise, width, height, "en")
            if vector:
                art.drawOn(canvas, x, y)
            else:
                renderPDF.draw(to_drawing(art.marks, _styles.REGULAR), canvas, x, y)
        qr = _vector.qr_code(URL, 90)
        if vector:
            qr.drawOn(canvas, 10, 10)
        else:
            renderPDF.draw(to_drawing(qr.marks, _styles.REGULAR), canvas, 10, 10)
        canvas.save()
        _run(_tool("pdftoppm"), "-r", "100", "-png", "-singlefile", path, path.with_suffix(""))
        return path.with_suffix(".png")

    ours = Image.open(page(tmp_path / "operators.pdf", vector=True)).convert("L")
    reference = Image.open(page(tmp_path / "drawing.pdf", vector=False)).convert("L")
    assert ours.size == reference.size
    inked = sum(1 for value in reference.tobytes() if value < 200)
    differing = sum(1 for value in ImageChops.difference(ours, reference).tobytes() if value > 64)
    assert inked > 20_000  # the page really shows the figures
    assert differing < inked / 1000, f"{differing} of {inked} inked pixels differ"


def test_the_protocols_advice_and_stage_labels_reach_the_handout(catalog: rv.Catalog, tmp_path: Path) -> None:
    # Format 2: general advice and a table's own stage names are part of the protocol and print on the handout.
    profile = rv.parse_profile(
        {
            "name": "Test Client",
            "language": "en",
            "condition": "hip-overload",
            "side": "left",
            "protocol": "couch-to-5k",
            "start_date": "2027-01-04",
            "available_days": ["mon", "wed", "fri"],
            "screening": {"answers": dict.fromkeys(catalog.red_flags, False)},
        }
    )
    plan = rv.plan_programme(profile, catalog)
    pdf = rv.write_pdf(plan, tmp_path / "c25k.pdf")
    text = _flat(_text(pdf))
    assert "For your runs" in text
    for advice in plan.protocol.advice:
        assert _flat(advice.text("en")) in text
    assert "(Week 1)" in text  # this week's runs by their stage's label, not "stage 1"
    assert "(stage 1)" not in text
