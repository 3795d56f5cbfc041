"""Names in any script: Greek, Cyrillic, Arabic, Hebrew and CJK names print in embedded fonts, never as boxes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

import revalidatie as rv
from revalidatie.export.pdf import _styles
from revalidatie.i18n import CLIENT_LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "profiles" / "hip-overload.toml"
NAMES = {
    "greek": "Νίκος Παπαδόπουλος",
    "cyrillic": "Ольга Иванова-Петренко",
    "arabic": "محمد العلي",
    "hebrew": "שרה כהן",
    "cjk": "王小明",
}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt: poppler-utils)")
    return path


def _render(name: str, language: str, catalog: rv.Catalog, tmp_path: Path) -> Path:
    profile = rv.load_profile(PROFILE)
    plan = rv.plan_programme(profile.model_copy(update={"name": name}), catalog)
    path = tmp_path / f"{language}.pdf"
    path.write_bytes(rv.render_pdf(plan, language=language))
    return path


@pytest.mark.parametrize("language", CLIENT_LANGUAGES)
@pytest.mark.parametrize("script", sorted(NAMES))
def test_a_name_in_any_script_comes_back_from_the_pdf(
    script: str, language: str, catalog: rv.Catalog, tmp_path: Path
) -> None:
    if script == "cjk" and _styles.cjk_font_path() is None:
        pytest.skip("no CJK font on this machine (set REVALIDATIE_CJK_FONT)")
    pdf = _render(NAMES[script], language, catalog, tmp_path)
    first = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "\N{REPLACEMENT CHARACTER}" not in first
    # Arabic is drawn in its joined letter forms (presentation forms); compatibility normalisation maps
    # them back to the letters that were typed.
    assert unicodedata.normalize("NFKC", NAMES[script]) in unicodedata.normalize("NFKC", first)
    fonts = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    for row in fonts.splitlines()[2:]:
        assert row.split()[-5] == "yes", f"font not embedded: {row}"
    if script in ("arabic", "hebrew"):
        # The shipped Noto face of the script, embedded beside DejaVu Sans.
        assert f"NotoSans{script.title()}-Bold" in fonts
        assert "DejaVuSans" in fonts


def test_right_to_left_names_are_drawn_from_the_right() -> None:
    # The last word of a right-to-left name is drawn leftmost, each word's letters reversed (UAX #9).
    assert _styles.visual("שרה כהן") == "ןהכ הרש"
    assert _styles.visual("Sara שרה") == "Sara הרש"
    shaped = _styles.printable("محمد")
    assert shaped != "محمد"  # joined forms
    assert unicodedata.normalize("NFKC", shaped) == "محمد"
    assert _styles.visual("abc") == "abc"


def test_without_a_cjk_font_a_cjk_name_warns_and_is_marked() -> None:
    code = (
        "import warnings; warnings.simplefilter('always');"
        "from revalidatie.export.pdf import _styles as s; s.CJK_CANDIDATES = ();"
        "print(repr(s.printable('Li 王')))"
    )
    env = {"REVALIDATIE_CJK_FONT": str(ROOT / "no-such-font.ttf"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == repr("Li \N{REPLACEMENT CHARACTER}")
    assert "MissingFontWarning" in out.stderr
    assert "REVALIDATIE_CJK_FONT" in out.stderr
