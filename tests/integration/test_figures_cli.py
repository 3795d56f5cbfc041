"""The command line writes exercise figures and reports catalog warnings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import revalidatie as rv
from revalidatie.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


def test_catalog_show_svg_writes_a_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "figures" / "bridge.svg"
    assert main(["catalog", "show", "bridge-double-leg", "--lang", "en", "--svg", str(target)]) == 0
    captured = capsys.readouterr()
    assert "Double-leg bridge" in captured.out
    root = ET.parse(target).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    first = target.read_bytes()
    assert main(["catalog", "show", "bridge-double-leg", "--lang", "en", "--svg", str(target)]) == 0
    assert target.read_bytes() == first
    # Written atomically: no temporary files stay behind.
    assert sorted(p.name for p in target.parent.iterdir()) == ["bridge.svg"]


def test_catalog_show_svg_for_something_that_is_not_an_exercise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "itbs.svg"
    assert main(["catalog", "show", "itbs", "--svg", str(target)]) == 1
    assert "only exercises have a figure" in capsys.readouterr().err
    assert not target.exists()


def test_catalog_show_svg_for_a_practice_exercise_without_figure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = DATA / "catalogs" / "practice-without-figure"
    target = tmp_path / "own.svg"
    assert main(["--catalog", str(folder), "catalog", "show", "no-picture-practice", "--svg", str(target)]) == 1
    assert "has no figure" in capsys.readouterr().err
    assert not target.exists()


def test_catalog_list_prints_warnings_for_a_practice_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    folder = DATA / "catalogs" / "practice-without-figure"
    assert main(["--catalog", str(folder), "catalog", "list"]) == 0
    captured = capsys.readouterr()
    assert "warning:" in captured.err
    assert "exercise[no-picture-practice].figure" in captured.err
    bundled = len(rv.load_catalog().exercises)
    assert f"{bundled + 1} exercises" in captured.out  # the bundled ones and the practice's own
    assert main(["catalog", "list"]) == 0
    assert "warning:" not in capsys.readouterr().err


def test_invalid_pose_fails_with_file_field_and_value(capsys: pytest.CaptureFixture[str]) -> None:
    folder = DATA / "catalogs" / "pose-knee-hyperextended"
    assert main(["--catalog", str(folder), "catalog", "list"]) == 1
    err = capsys.readouterr().err
    assert "bad-knee.toml: exercise[bad-knee].figure.start.left.knee" in err
    assert "(got -25)" in err


def test_handout_exercise_cards_carry_the_figures(
    catalog: rv.Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from revalidatie.export.pdf import _document

    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        message = "pdftotext is not installed (apt: poppler-utils; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    plan = rv.plan_programme(rv.load_profile(ROOT / "examples" / "profiles" / "itbs.toml"), catalog)
    from revalidatie.export.layout import layout

    cards = _document._card_exercises(plan, layout(plan))
    one_leg = [e for e in cards if e.figure is not None and e.figure.working is not None]
    assert one_leg, "the ITBS programme has single-leg exercises"
    legend = "working leg" if plan.profile.language.value == "en" else "werkbeen"

    def legends() -> int:
        pdf = rv.write_pdf(plan, tmp_path / "handout.pdf")
        out = subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
        return out.stdout.count(legend)

    with_figures = legends()
    # The same words occur in exercise texts; without figures only those remain.
    monkeypatch.setattr(_document, "_figure", lambda exercise, language: None)
    assert with_figures - legends() == len(one_leg)


def test_handout_card_figure_slot(catalog: rv.Catalog) -> None:
    from revalidatie.export.pdf._document import FIGURE_HEIGHT, FIGURE_WIDTH, _figure

    art = _figure(catalog.exercises["clamshell"], "nl")
    assert art is not None
    assert art.wrap(FIGURE_WIDTH, 1000) == (art.width, FIGURE_HEIGHT)
    assert art.width <= FIGURE_WIDTH
    assert _figure(catalog.exercises["clamshell"].model_copy(update={"figure": None}), "nl") is None


@pytest.mark.slow
def test_contact_sheet_draws_every_bundled_exercise(catalog: rv.Catalog, tmp_path: Path) -> None:
    for tool in ("pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            message = f"{tool} is not installed (apt: poppler-utils; .ci/run installs it)"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
    script = ROOT / "docs" / "figures" / "make_contact_sheet.py"
    done = subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path), "--lang", "en", "--png-dpi", "30"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "contact-sheet.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # Every exercise id is printed under its figure.
    missing = [exercise_id for exercise_id in catalog.exercises if exercise_id not in text]
    assert missing == []
    pages = text.count("\f")
    assert pages >= 2
    assert len(list(tmp_path.glob("contact-sheet-*.png"))) == pages


def test_check_prints_catalog_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    folder = DATA / "catalogs" / "practice-without-figure"
    profile = ROOT / "examples" / "profiles" / "itbs.toml"
    assert main(["--catalog", str(folder), "check", str(profile)]) == 0
    captured = capsys.readouterr()
    assert "warning:" in captured.err
    assert "exercise[no-picture-practice].figure" in captured.err
    assert "warning:" not in captured.out
