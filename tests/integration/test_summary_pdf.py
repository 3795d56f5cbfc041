"""The physio's summary as PDF, read back with poppler: the markdown's facts, on at most two A4 pages."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import revalidatie as rv
from tests.strategies import log_for

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "profiles"
LOGS = ROOT / "examples" / "logs" / "gluteal-tendinopathy-week-3.toml"


def _tool(name: str) -> str:
    """Path of an external checker; missing is a failure in CI and a skip on a developer's machine."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (apt: poppler-utils; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def _run(*args: str | Path) -> str:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{args[0]} failed: {result.stderr}{result.stdout}"
    return result.stdout


def _read(pdf: bytes, folder: Path) -> tuple[str, int]:
    """The PDF's text with every run of whitespace made one space, and its number of pages."""
    path = folder / "summary.pdf"
    path.write_bytes(pdf)
    text = re.sub(r"\s+", " ", _run(_tool("pdftotext"), "-enc", "UTF-8", path, "-"))
    info = _run(_tool("pdfinfo"), path)
    pages = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert pages is not None
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.MULTILINE), info
    return text, int(pages.group(1))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _example_plans(catalog: rv.Catalog) -> dict[str, rv.Plan]:
    plans = {}
    for path in sorted(EXAMPLES.glob("*.toml")):
        plans[path.stem] = rv.plan_programme(rv.load_profile(path), catalog)  # the cleared red flag plans too
    plans["gluteal-tendinopathy-revised"] = rv.revise(
        plans["gluteal-tendinopathy"], rv.load_session_logs(LOGS), dt.date(2027, 1, 25)
    )
    return plans


@pytest.fixture(scope="module")
def example_plans(catalog: rv.Catalog) -> dict[str, rv.Plan]:
    return _example_plans(catalog)


def test_the_examples_include_the_cleared_red_flag(example_plans: dict[str, rv.Plan]) -> None:
    assert example_plans["cleared-urgent-flag"].profile.screening.clearances
    assert len(example_plans) == 7


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_example_fits_two_pages_with_the_facts_of_the_markdown(
    example_plans: dict[str, rv.Plan], language: str, tmp_path: Path
) -> None:
    logged = 0
    for name, plan in example_plans.items():
        text, pages = _read(rv.render_summary_pdf(plan, language=language), tmp_path)
        markdown = _flat(rv.render_summary_markdown(plan, language=language))
        assert 1 <= pages <= 2, name
        for warning in plan.warnings:
            words = rv.warning_text(warning, plan, language)
            assert words in text, (name, words)
            assert words in markdown, (name, words)
        for note in plan.history:
            for log in note.logs or ():
                assert log.session_id in text, (name, log.session_id)
                assert log.session_id in markdown, (name, log.session_id)
                logged += 1
        for fact in (plan.profile.name, plan.protocol.source, f"{len(plan.weeks)} "):
            assert fact in text, (name, fact)
        for phase_plan in plan.phases:
            assert phase_plan.phase.name(language) in text, (name, phase_plan.phase.id)
        assert f" 1 {'van' if language == 'nl' else 'of'} {pages}" in text  # the footer's page numbers
    assert logged == 6


def test_the_same_plan_gives_the_same_bytes(example_plans: dict[str, rv.Plan]) -> None:
    plan = example_plans["gluteal-tendinopathy-revised"]
    assert rv.render_summary_pdf(plan) == rv.render_summary_pdf(plan)
    assert rv.render_summary_pdf(plan).startswith(b"%PDF-")


def _weekly_revisions(plan: rv.Plan, weeks: int) -> rv.Plan:
    """``plan`` revised every week for ``weeks`` weeks, with a log for every session (now and then not green)."""
    zones = itertools.cycle(["green", "green", "amber", "green", "missed", "green", "red", "green"])
    day = plan.start
    for _ in range(weeks):
        following = day + dt.timedelta(days=7)
        logs = [log for s in plan.sessions if day <= s.date < following if (log := log_for(s, next(zones)))]
        plan = rv.revise(plan, logs, following)
        day = following
    return plan


def test_a_long_history_keeps_the_latest_revisions_in_full_and_the_older_in_one_line(
    example_plans: dict[str, rv.Plan], tmp_path: Path
) -> None:
    plan = _weekly_revisions(example_plans["itbs"], 30)
    text, pages = _read(rv.render_summary_pdf(plan, language="en"), tmp_path)
    assert pages == 2
    markdown = rv.render_summary_markdown(plan, language="en")
    match = re.search(r"Revisions 1\u2013(\d+) \(11 Jan 2027 \u2013 [^)]*\) in short: (\d+) logs", text)
    assert match is not None, "no line for the older revisions"
    last_in_short = int(match.group(1))
    assert 2 <= last_in_short < plan.revision
    in_short = plan.history[:last_in_short]
    assert int(match.group(2)) == sum(len(note.logs or ()) for note in in_short)
    for note in plan.history[last_in_short:]:
        assert f"Revision {note.number}, " in text
        for log in note.logs or ():
            assert log.session_id in text
    for note in plan.history:
        for log in note.logs or ():
            assert log.session_id in markdown  # the text version keeps them all
    older = [log.session_id for note in in_short for log in note.logs or ()]
    assert older
    assert not any(session_id in text for session_id in older)
    for warning in plan.warnings:
        assert rv.warning_text(warning, plan, "en") in text


def test_one_revision_with_too_many_logs_for_two_pages_puts_its_green_logs_in_one_line(
    example_plans: dict[str, rv.Plan], tmp_path: Path
) -> None:
    plan = example_plans["itbs"]
    as_of = plan.start + dt.timedelta(weeks=30)
    zones = itertools.cycle(["green"] * 9 + ["amber"])
    logs = [log for s in plan.sessions if s.date < as_of if (log := log_for(s, next(zones)))]
    revised = rv.revise(plan, logs, as_of)
    text, pages = _read(rv.render_summary_pdf(revised, language="en"), tmp_path)
    assert pages <= 2
    note = revised.history[-1]
    assert note.logs is not None
    greens = [log for log in note.logs if log.zone is rv.Zone.GREEN]
    others = [log for log in note.logs if log.zone is not rv.Zone.GREEN]
    assert len(others) >= 10
    assert f"And {len(greens)} green logs; in full in the text version of this summary." in text
    for other in others:
        assert other.session_id in text
    assert greens[0].session_id not in text
    assert f"Revision 2, {as_of.day} " in text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_weekly_chart_of_pain_and_adherence_is_drawn_only_once_something_was_reported(
    example_plans: dict[str, rv.Plan], language: str, tmp_path: Path
) -> None:
    words = {
        "nl": (
            "Sessies gedaan, % van gepland (staven; gedaan/gepland erboven)",
            "Hoogste pijn ochtend erna",
            "geen melding",
        ),
        "en": ("Sessions done, % of due (bars; done/due above)", "Highest pain next morning", "no report"),
    }[language]
    none = {
        "nl": "Er is nog geen sessie gemeld, dus er is geen grafiek van pijn en therapietrouw.",
        "en": "No session has been reported yet, so there is no chart of pain and adherence.",
    }[language]
    text, _ = _read(rv.render_summary_pdf(example_plans["gluteal-tendinopathy-revised"], language=language), tmp_path)
    for label in words:
        assert label in text
    assert none not in text
    text, _ = _read(rv.render_summary_pdf(example_plans["gluteal-tendinopathy"], language=language), tmp_path)
    for label in words:
        assert label not in text
    assert none in text
