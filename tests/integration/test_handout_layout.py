"""The handout v2: at most 16 pages, every page reference right, rule texts from the protocol, short sheets."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

import revalidatie as rv
from revalidatie._bidi import DROP_BIDI_CONTROLS
from revalidatie.export import rules
from revalidatie.export.layout import layout
from revalidatie.export.pdf import _render
from revalidatie.i18n import CLIENT_LANGUAGES, texts_for
from revalidatie.model.protocol import Stages, SymptomAction

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "profiles").glob("*.toml"))


def _pdftotext() -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        message = "pdftotext is not installed (apt: poppler-utils; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return tool


def _page_texts(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([_pdftotext(), "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
    # Arabic comes back in its joined letter forms, with bidi marks around runs: compare letters as typed.
    text = unicodedata.normalize("NFKC", out.stdout).translate(DROP_BIDI_CONTROLS)
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


_HARAKAT = dict.fromkeys([*range(0x064B, 0x0660), 0x0670])


def _printed(text: str) -> str:
    """``text`` as it comes back from the handout: Arabic without its vowel marks (harakat), as Arabic is
    printed, and, being drawn right to left in visual order, with its brackets' mirrored glyphs."""
    if not any("\u0600" <= ch <= "\u06ff" for ch in text):
        return text
    return text.translate(_HARAKAT).translate(str.maketrans("()", ")("))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("language", CLIENT_LANGUAGES)
def test_every_example_handout_is_short_and_its_page_references_are_right(
    path: Path, language: str, catalog: rv.Catalog, tmp_path: Path
) -> None:
    plan = rv.plan_programme(rv.load_profile(path), catalog)
    where = layout(plan)
    pdf, scales = _render(plan, language, None, None, None)
    pages = _page_texts(pdf, tmp_path)
    assert len(pages) == where.pages <= 16
    assert min(scales) >= 0.75  # nothing printed far below its size to fit its slot
    words = texts_for(language)
    diary = _printed(words("handout.diary-title"))
    # The diary is on the page the first page names, once (its title; the guide says "your pain diary").
    assert [n for n, text in enumerate(pages, start=1) if diary in text] == [where.diary_page]
    ref = words("handout.page-ref", n="").strip()
    seen = 0
    for exercise_id, page in where.card_pages.items():
        name = _printed(plan.exercises[exercise_id].name(language))
        # The card: its title and its own page number, on that page.
        assert f"{name} · {ref} {page}" in pages[page - 1], (exercise_id, page)
        for number, text in enumerate(pages, start=1):
            if number != page and f"{ref} {page}" in text and name in text:
                seen += 1
    assert seen  # the schedule names exercises with their card's page
    for number, text in enumerate(pages, start=1):
        for found in re.findall(rf"(?<!\w){re.escape(ref)} (\d+)\b", text):
            assert 1 <= int(found) <= len(pages), (number, found)
            if int(found) != number:
                assert int(found) in set(where.card_pages.values()), (number, found)


def _with_rules(plan: rv.Plan, **update: object) -> rv.Plan:
    """The plan with every walk/run table's symptom rules changed."""
    import attrs

    phases = []
    for placed in plan.phases:
        running = placed.phase.running
        if isinstance(running, Stages):
            symptoms = running.symptoms.model_copy(update=update)
            phase = placed.phase.model_copy(update={"running": running.model_copy(update={"symptoms": symptoms})})
            placed = attrs.evolve(placed, phase=phase)
        phases.append(placed)
    return attrs.evolve(plan, phases=tuple(phases))


def test_changing_a_protocols_rules_changes_the_handout_and_the_calendar(catalog: rv.Catalog, tmp_path: Path) -> None:
    plan = rv.plan_programme(rv.load_profile(ROOT / "examples" / "profiles" / "itbs.toml"), catalog)
    assert any(isinstance(p.phase.running, Stages) for p in plan.phases)
    before_pdf = " ".join(_page_texts(rv.render_pdf(plan, language="en"), tmp_path))
    before_ics = rv.render_ics(plan, language="en").decode()
    changed = _with_rules(plan, amber=SymptomAction.BACK_ONE_STAGE, red=SymptomAction.STOP)
    after_pdf = " ".join(_page_texts(rv.render_pdf(changed, language="en"), tmp_path))
    after_ics = rv.render_ics(changed, language="en").decode().replace("\r\n ", "")
    stop = "Stop running and contact your physio."
    back = "Go back one stage."
    assert stop not in before_pdf
    assert back not in before_pdf
    assert stop in after_pdf
    assert back in after_pdf
    assert stop not in before_ics.replace("\r\n ", "")
    assert stop in after_ics
    assert back in after_ics


def test_rest_day_text_follows_the_table(catalog: rv.Catalog) -> None:
    plan = rv.plan_programme(rv.load_profile(ROOT / "examples" / "profiles" / "itbs.toml"), catalog)
    walk_run = next(p for p in plan.phases if isinstance(p.phase.running, Stages))
    title = walk_run.phase.name("en")
    notes = next(r.notes for r in rules.zone_rules(plan, "en") if r.title == title)
    assert "Keep a day without running between two run days." in notes
    running = walk_run.phase.running
    assert isinstance(running, Stages)
    daily = running.model_copy(update={"rest_days_between": 0, "sessions_per_week": 3})
    import attrs

    placed = attrs.evolve(walk_run, phase=walk_run.phase.model_copy(update={"running": daily}))
    other = attrs.evolve(plan, phases=tuple(placed if p is walk_run else p for p in plan.phases))
    notes = next(r.notes for r in rules.zone_rules(other, "en") if r.title == title)
    assert "Run days may follow each other, as the schedule shows." in notes
    assert "Keep a day without running between two run days." not in notes


def test_a_sheet_for_two_weeks_holds_their_days_and_only_their_cards(catalog: rv.Catalog, tmp_path: Path) -> None:
    plan = rv.plan_programme(rv.load_profile(ROOT / "examples" / "profiles" / "hip-overload.toml"), catalog)
    sheet = rv.render_pdf(plan, language="en", weeks="5-6")
    pages = _page_texts(sheet, tmp_path)
    where = layout(plan, rv.export.layout.Stretch(5, 6))
    assert len(pages) == where.pages < layout(plan).pages
    assert "Weeks 5 to 6" in pages[0]
    used = {i.exercise_id for s in plan.sessions if 5 <= s.week <= 6 for i in s.items}
    assert set(where.cards) <= used
    assert where.cards
    with pytest.raises(rv.InputError, match="weeks"):
        rv.render_pdf(plan, weeks="0-99")
    with pytest.raises(rv.InputError, match="phase"):
        rv.render_pdf(plan, phase=len(plan.phases) + 1)
    phase_sheet = _page_texts(rv.render_pdf(plan, language="en", phase=2), tmp_path)
    second = plan.phases[1]
    assert f"Week {second.first_week}" in phase_sheet[0]


def test_the_handout_says_its_revision(catalog: rv.Catalog, tmp_path: Path) -> None:
    plan = rv.plan_programme(rv.load_profile(ROOT / "examples" / "profiles" / "gluteal-tendinopathy.toml"), catalog)
    logs = rv.load_session_logs(ROOT / "examples" / "logs" / "gluteal-tendinopathy-week-3.toml")
    import datetime as dt

    revised = rv.revise(plan, logs, as_of=dt.date(2027, 1, 25))
    first = _page_texts(rv.render_pdf(revised, language="en"), tmp_path)[0]
    assert f"Version {revised.revision} of" in first
    assert f"This week: week {rv.export.layout.current_week(revised)}" in first


def test_revise_writes_a_handout_of_the_new_revision(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from revalidatie.cli import cli

    runner = CliRunner()
    done = runner.invoke(cli, ["plan", str(EXAMPLES[1]), "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    (plan_json,) = tmp_path.glob("*.json")
    logs = ROOT / "examples" / "logs" / "gluteal-tendinopathy-week-3.toml"
    done = runner.invoke(cli, ["revise", str(plan_json), str(logs), "--as-of", "2027-01-25"])
    assert done.exit_code == 0, done.output
    revised = rv.plan_from_json(plan_json.read_text())
    assert revised.revision == 2
    first = _page_texts(plan_json.with_suffix(".pdf").read_bytes(), tmp_path)[0]
    assert "Versie 2 van" in first


def test_the_handout_command_prints_a_sheet_and_refuses_weeks_the_plan_lacks(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from revalidatie.cli import cli

    runner = CliRunner()
    assert runner.invoke(cli, ["plan", str(EXAMPLES[1]), "--out", str(tmp_path)]).exit_code == 0
    (plan_json,) = tmp_path.glob("*.json")
    sheet = tmp_path / "sheet.pdf"
    done = runner.invoke(cli, ["handout", str(plan_json), "--weeks", "2-3", "--out", str(sheet)])
    assert done.exit_code == 0, done.output
    assert "Week 2 tot 3" in _page_texts(sheet.read_bytes(), tmp_path)[0]
    done = runner.invoke(cli, ["handout", str(plan_json), "--weeks", "0-99", "--out", str(tmp_path / "x.pdf")])
    assert done.exit_code != 0
    assert isinstance(done.exception, rv.InputError)  # main() prints it as an error with the field and value
    assert "weeks" in str(done.exception)
    assert not (tmp_path / "x.pdf").exists()
