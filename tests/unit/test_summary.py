"""The physio's summary (markdown and the facts behind it): every part is read from the plan."""

from __future__ import annotations

import datetime as dt
import re
import stat
from pathlib import Path
from typing import Any

import attrs
import pytest

import revalidatie as rv
from revalidatie.export.summary import Groups, Lines, cap_use, summary_of
from revalidatie.model.exercise import Equipment
from revalidatie.model.protocol import LoadCaps
from revalidatie.planning.caps import reentry
from tests.strategies import log_for

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples" / "profiles"
LOGS = ROOT / "examples" / "logs" / "gluteal-tendinopathy-week-3.toml"


@pytest.fixture(scope="module")
def plans(catalog: rv.Catalog) -> dict[str, rv.Plan]:
    """Every example client's plan, and Şule's revised with the example logs."""
    found = {path.stem: rv.plan_programme(rv.load_profile(path), catalog) for path in sorted(EXAMPLES.glob("*.toml"))}
    found["gluteal-tendinopathy-revised"] = rv.revise(
        found["gluteal-tendinopathy"], rv.load_session_logs(LOGS), dt.date(2027, 1, 25)
    )
    return found


@pytest.fixture(scope="module")
def failed_check(plans: dict[str, rv.Plan]) -> rv.Plan:
    """Oliver's plan revised after readiness tests he did not pass."""
    plan = plans["itbs"]
    check = next(s for s in plan.sessions if s.kind is rv.SessionKind.CHECK and s.phase_id == "walk-run")
    zone = {check.id: "amber"}
    logs = [log for s in plan.sessions if s.date <= check.date if (log := log_for(s, zone.get(s.id, "green")))]
    return rv.revise(plan, logs, check.date + dt.timedelta(days=1))


def _md(plan: rv.Plan, language: str = "en") -> str:
    return rv.render_summary_markdown(plan, language=language)


def _rows(markdown: str, first_cell: str) -> list[list[str]]:
    """The cells of every table row of ``markdown`` whose first cell is ``first_cell``."""
    return [
        [cell.strip() for cell in line.strip("|").split(" | ")]
        for line in markdown.splitlines()
        if line.startswith(f"| {first_cell} |")
    ]


# --- client and protocol ---------------------------------------------------------------------------------------


def test_the_client_protocol_and_its_source_come_from_the_plan(plans: dict[str, rv.Plan]) -> None:
    plan = plans["gluteal-tendinopathy"]
    text = _md(plan)
    profile = plan.profile
    for fact in (
        profile.name,
        plan.id,
        plan.condition.name("en"),
        plan.protocol.name("en"),
        plan.protocol.id,
        plan.protocol.source,
        profile.goal.description,
        "4 Jan 2027 \u2013 9 May 2027, 18 weeks",
        "runs 20 min pain-free; before the complaint 150 min a week in 3 runs",
        "Mon, Tue, Wed, Thu, Sat, Sun",
    ):
        assert fact in text, fact
    assert "- **Goal:** 35 min of easy running without a break" in text


def test_a_cleared_red_flag_is_in_the_record_with_who_cleared_it(plans: dict[str, rv.Plan]) -> None:
    plan = plans["cleared-urgent-flag"]
    (clearance,) = plan.profile.screening.clearances
    text = _md(plan, "nl")
    assert f"Vrijgegeven door {clearance.by}, 21 dec 2026: {clearance.note}" in text


def test_the_language_is_the_profiles_unless_asked_and_must_be_dutch_or_english(plans: dict[str, rv.Plan]) -> None:
    plan = plans["gluteal-tendinopathy"]
    assert plan.profile.language.value == "nl"
    assert _md(plan, "nl") == rv.render_summary_markdown(plan)
    assert rv.render_summary_markdown(plan).startswith("# Samenvatting voor de fysiotherapeut\n")
    assert _md(plan, "en").startswith("# Physio's summary\n")
    assert rv.render_summary_markdown(plan, language=rv.Language.EN) == _md(plan, "en")
    for render in (rv.render_summary_markdown, rv.render_summary_pdf):
        with pytest.raises(rv.InputError) as info:
            render(plan, language="fr")
        (problem,) = info.value.problems
        assert (problem.field, problem.value) == ("language", "'fr'")


# --- why the plan is as long as it is --------------------------------------------------------------------------


def test_each_phase_has_its_weeks_and_reasons(plans: dict[str, rv.Plan]) -> None:
    text = _md(plans["gluteal-tendinopathy"])
    assert "Re-entry: 2 \u00d7 20 min a week, about half the running before (150 min a week in 3 runs)" in text
    assert "limited by the 20 pain-free minutes." in text
    (build_up,) = _rows(text, "Build-up to your goal")[:1]
    assert build_up[1] == "9\u201318 (10)"
    assert "Long run from 20 to 35 min (goal 35 min), at most 10% longer a week" in build_up[2]
    assert "7 weeks of growth. 1 week adds a run day." in build_up[2]
    assert "2 lighter weeks (wk 12, 16)" in build_up[2]
    assert "Skipped: 'Return to running'; the client already runs 20 min, its last stage." in text
    (walk_run,) = _rows(_md(plans["itbs"]), "Return to running")[:1]
    assert walk_run[1] == "9\u201321 (13)"
    assert "Walk/run table: 19 stages, each 2 times without symptoms. Starts at stage 1 (2 min running)." in walk_run[2]
    assert "38 runs, 3 a week." in walk_run[2]
    (walk_run,) = _rows(_md(plans["hip-overload"]), "Return to running")[:1]
    assert "Starts at stage 15 (16 min running), the first with at least the 15 min run before." in walk_run[2]


def test_a_slow_condition_says_so_where_it_makes_the_plan_longer(plans: dict[str, rv.Plan]) -> None:
    text = _md(plans["hip-osteoarthritis"])
    assert "Ends after 5 green weeks: its minimum of 3, half as long again for a slow condition." in text
    assert "each 3 times without symptoms (one more for a slow condition)" in text
    assert "Both caps halved: Hip osteoarthritis progresses slowly." in text
    assert "| Build-up to your goal | 5% / 7.5% |" in text


_BUILD_UP_WEEKS = (
    r"(\d+) weeks? of growth",
    r"(\d+) weeks? adds? a run day",
    r"(\d+) weeks? without growth",
    r"(\d+) lighter weeks?",
)
_GREEN_WEEKS = (r"Ends after (\d+) green weeks?", r"(\d+) weeks? longer")  # lighter weeks are green weeks too


@pytest.mark.parametrize(
    "name", ["gluteal-tendinopathy", "gluteal-tendinopathy-revised", "hip-overload", "itbs", "labral-tear"]
)
def test_the_reasons_account_for_every_week_of_a_phase_without_a_table(plans: dict[str, rv.Plan], name: str) -> None:
    plan = plans[name]
    text = _md(plan)
    checked = 0
    for phase_plan in plan.phases:
        running = phase_plan.phase.running
        if running is not None and running.kind in ("stages", "days"):
            continue  # a table's length is its runs
        (row,) = _rows(text, phase_plan.phase.name("en"))[:1]
        patterns = _BUILD_UP_WEEKS if running is not None and running.kind == "build-up" else _GREEN_WEEKS
        weeks = sum(int(n) for pattern in patterns for n in re.findall(pattern, row[2]))
        weeks += "The first week stays at the entry level." in row[2]
        weeks += row[2].count("the phase starts a week later")
        assert weeks == phase_plan.weeks, (phase_plan.phase.id, row[2])
        checked += 1
    assert checked >= 2


def test_a_failed_readiness_check_explains_the_week_it_adds(failed_check: rv.Plan) -> None:
    text = _md(failed_check)
    (row,) = _rows(text, "Return to running")[:1]
    assert row[1] == "9\u201322 (14)"
    assert row[2].startswith("Tests of Mon 8 Mar not passed: the phase starts a week later. Tests again on Mon 15 Mar.")
    assert "20270308-check | Mon 8 Mar | readiness tests | yes | 0 \u00b7 4 \u00b7 0 |   | amber, not passed |" in text


def test_logs_that_lengthen_a_phase_are_named_as_the_reason(plans: dict[str, rv.Plan]) -> None:
    (row,) = _rows(_md(plans["gluteal-tendinopathy-revised"]), "Weeks 3 to 8: graduated loading")[:1]
    assert row[1] == "3\u20139 (7)"
    assert "Ends after 6 green weeks, its minimum. 1 week longer: not every week was green in the logs." in row[2]


# --- warnings --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_warning_is_worded_with_its_week(plans: dict[str, rv.Plan], language: str) -> None:
    seen = 0
    for plan in (*plans.values(),):
        text = rv.render_summary_markdown(plan, language=language)
        for warning in plan.warnings:
            week = str(warning.week) if warning.week is not None else "\u2013"
            assert f"| {week} | {rv.warning_text(warning, plan, language)} |" in text
            seen += 1
    assert seen >= 8


# --- load caps ------------------------------------------------------------------------------------------------


def test_the_caps_find_the_runs_the_planner_warns_about(plans: dict[str, rv.Plan]) -> None:
    warned = 0
    for plan in plans.values():
        use = cap_use(plan)
        for warning in plan.warnings:
            if warning.code == "stage-table-exceeds-cap":
                above = use[str(warning.params["phase"])].above_run
                assert len(above) == warning.params["count"]
                assert above[0] == warning.params["first_week"]
                warned += 1
    assert warned >= 4


def test_a_build_up_never_passes_the_single_run_cap_and_is_held_by_it(plans: dict[str, rv.Plan]) -> None:
    for name in ("gluteal-tendinopathy", "hip-overload", "itbs", "hip-osteoarthritis"):
        use = cap_use(plans[name])["build-up"]
        assert use.above_run == [], name
        assert len(use.at_run) >= 5, name
    text = _md(plans["gluteal-tendinopathy"])
    assert (
        "| Build-up to your goal | 10% / 15% | 6 at the cap (wk 9, 11, 13\u201315, 17) "
        "| 1 at the cap (wk 11); 1 above (wk 10) |"  # above: the week that adds a run day
    ) in text
    quiet = "'Week 1: getting started', 'Week 2: early loading', 'Weeks 3 to 8: graduated loading'"
    assert f"Never at a cap: {quiet}." in text


def test_a_published_table_is_shown_as_published_not_as_held_by_the_caps(plans: dict[str, rv.Plan]) -> None:
    (row,) = _rows(_md(plans["itbs"]), "Return to running")[1:]
    assert row[2] == "table as published; 9 above (wk 10, 12\u201314, 16\u201318, 20\u201321)"
    assert "at the cap" not in row[2] + row[3]


# --- contraindications and what is left out --------------------------------------------------------------------


def test_contraindications_of_the_condition_show_when_the_plan_gives_the_exercise(plans: dict[str, rv.Plan]) -> None:
    text = _md(plans["gluteal-tendinopathy"])
    assert "| Side plank with hip abduction | not before week 5 | from week 9 |" in text
    for plan in plans.values():
        for exercise in plan.exercises.values():
            for contraindication in exercise.contraindications:
                if contraindication.condition != plan.condition.id:
                    continue
                weeks = [s.week for s in plan.sessions if any(i.exercise_id == exercise.id for i in s.items)]
                allowed = contraindication.allowed_from_week
                assert all(allowed is not None and week >= allowed for week in weeks), exercise.id
                assert exercise.name("en") in _md(plan)


def test_missing_equipment_is_what_leaves_exercises_out(catalog: rv.Catalog, full_data: dict[str, Any]) -> None:
    data = {
        **full_data,
        "cross_training": {"pool": False, "bike": True},
        "strength": {"gym": True, "weights": True, "bands": False},
    }
    plan = rv.plan_programme(rv.parse_profile(data), catalog)
    text = _md(plan)
    assert "Cross-trainer: left out, the client has no cross-trainer." in text
    banded = {w.params["exercise"] for w in plan.warnings if w.code == "needs-band"}
    assert banded
    assert f"No resistance bands: {len(banded)} band exercises stay in the plan (see the warnings)." in text
    assert "No gym or weights" not in text  # this client has both
    without = rv.plan_programme(rv.parse_profile({**data, "strength": {"gym": False, "weights": False}}), catalog)
    assert "No gym or weights: strength goes on with a slow tempo, not with added load." in _md(without)


def test_cross_training_access_names_what_is_missing() -> None:
    access = rv.CrossTrainingAccess(pool=True, bike=False, cross_trainer=False)
    assert access.missing([Equipment.POOL, Equipment.BIKE, Equipment.MAT, Equipment.CROSS_TRAINER]) == (
        Equipment.BIKE,
        Equipment.CROSS_TRAINER,
    )
    assert access.missing([Equipment.POOL, Equipment.FLOAT_BELT]) == ()


@pytest.mark.parametrize(
    ("running", "limited_by", "minutes"),
    [
        ({"pain_free_minutes": 20, "weekly_minutes_before": 150, "longest_run_last_30_days": 25}, "pain-free", 20),
        ({"pain_free_minutes": 60, "weekly_minutes_before": 150, "longest_run_last_30_days": 40}, "share", 37.5),
        ({"pain_free_minutes": 60, "weekly_minutes_before": 150, "longest_run_last_30_days": 20}, "single-run-cap", 22),
    ],
)
def test_the_reentry_says_what_limits_it(
    full_data: dict[str, Any], running: dict[str, float], limited_by: str, minutes: float
) -> None:
    profile = rv.parse_profile({**full_data, "pain_now": 0, "running": {**running, "runs_per_week_before": 3}})
    found = reentry(profile, LoadCaps())
    assert (found.limited_by, found.minutes, found.runs) == (limited_by, minutes, 2)


# --- pain and adherence per week -----------------------------------------------------------------------------


def _week_table(markdown: str) -> list[list[str]]:
    """The rows of the markdown's table of pain and adherence per week (after its header)."""
    part = markdown.split("## Pain and adherence per week", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in part.splitlines() if line.startswith("| ")]
    assert lines[0].startswith("| Week | From | Due | Reported | Done | Done % |"), lines[0]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[1:]]


def test_the_weekly_table_counts_the_last_report_of_each_session(plans: dict[str, rv.Plan]) -> None:
    plan = plans["itbs"]
    first = [s for s in plan.sessions if s.week == 1]
    second = [s for s in plan.sessions if s.week == 2]
    assert len(first) == 4
    assert len(second) == 4
    week_2, week_3 = plan.weeks[1].start, plan.weeks[2].start

    def log(session: rv.Session, **values: Any) -> rv.SessionLog:
        return rv.SessionLog(session_id=session.id, date=session.date, **values)

    # Week 1: three done (green, amber, next morning unknown), one not done.
    revised = rv.revise(
        plan,
        [
            log(first[0], pain_during=1, pain_next_morning=0),
            log(first[1], pain_during=4, pain_next_morning=0),
            log(first[2], pain_during=2),
            log(first[3], completed=False),
        ],
        week_2,
    )
    markdown = _md(revised)
    # Week 1 only: 3 of 4 done; highest pain 4 during, 0 the next morning; 1 green, 2 amber (4, and unknown).
    assert _week_table(markdown) == [["1", "Mon 11 Jan", "4", "4", "3", "75%", "4", "0", "1", "2", "0"]]
    # Week 2: two of four reported, one red (pain 7, worse the next morning); the missed session of week 1 is
    # corrected to done with pain 3 during and 2 the next morning: a red report, and it now counts as done.
    revised = rv.revise(
        revised,
        [
            log(first[3], pain_during=3, pain_next_morning=2),
            log(second[0], pain_during=7, pain_next_morning=3),
            log(second[1], pain_during=0, pain_next_morning=0),
        ],
        week_3,
    )
    rows = _week_table(_md(revised))
    assert rows == [
        ["1", "Mon 11 Jan", "4", "4", "4", "100%", "4", "2", "1", "2", "1"],
        ["2", "Mon 18 Jan", "4", "2", "2", "50%", "7", "3", "1", "0", "1"],
    ]
    dutch = rv.render_summary_markdown(revised, language="nl")
    assert "## Pijn en therapietrouw per week" in dutch
    assert "| 1 | ma 11 jan | 4 | 4 | 4 | 100% | 4 | 2 | 1 | 2 | 1 |" in dutch


def test_without_reports_there_is_one_line_and_no_table(plans: dict[str, rv.Plan]) -> None:
    markdown = _md(plans["itbs"])
    part = markdown.split("## Pain and adherence per week", 1)[1].split("\n## ", 1)[0]
    assert part.strip() == "No session has been reported yet, so there is no chart of pain and adherence."


# --- revisions -------------------------------------------------------------------------------------------------


def test_each_revision_lists_the_logs_that_caused_it(plans: dict[str, rv.Plan]) -> None:
    text = _md(plans["gluteal-tendinopathy-revised"])
    assert "Revision 1, 4 Jan 2027: the first plan, 120 sessions." in text
    assert "Revision 2, 25 Jan 2027: 96 sessions new or changed, 8 cancelled; 6 logs." in text
    assert "| 20270121-run | Thu 21 Jan | run | yes | 1 \u00b7 6 \u00b7 3 |   | red |" in text
    assert "| 20270123-strength | Sat 23 Jan | strength | yes | 2 \u00b7 2 \u00b7 \u2013 |   | amber |" in text
    assert "| 20270124-strength | Sun 24 Jan | strength | no | \u2013 |   | \u2013 |" in text
    assert "Zone as the planner reads a log:" in text
    assert "Zone as the planner reads a log:" not in _md(plans["itbs"])  # no logs, no legend


def test_a_revision_from_an_older_file_says_its_logs_were_not_recorded(plans: dict[str, rv.Plan]) -> None:
    plan = plans["gluteal-tendinopathy-revised"]
    old = attrs.evolve(plan, history=tuple(attrs.evolve(note, logs=None) for note in plan.history))
    text = _md(old)
    assert "Revision 2, 25 Jan 2027: 96 sessions new or changed, 8 cancelled; logs not recorded" in text
    assert "20270121-run" not in text


def test_older_revisions_can_be_given_in_one_line(plans: dict[str, rv.Plan]) -> None:
    plan = plans["gluteal-tendinopathy-revised"]
    week = [s for s in plan.sessions if dt.date(2027, 1, 25) <= s.date < dt.date(2027, 2, 1)]
    later = rv.revise(plan, [log for s in week if (log := log_for(s, "green"))], dt.date(2027, 2, 1))
    revisions = summary_of(later, "en", full_revisions=1).sections[-1]
    lines = [text for block in revisions.blocks if isinstance(block, Lines) for text in block.texts]
    assert (
        "Revisions 1\u20132 (4 Jan 2027 \u2013 25 Jan 2027) in short: 6 logs (2 green, 2 amber, 1 red, 1 not done), "
        "216 sessions new or changed, 8 cancelled. In full in the text version of this summary."
    ) in lines
    (groups,) = [block for block in revisions.blocks if isinstance(block, Groups)]
    (group,) = groups.groups
    assert group.title.startswith(f"Revision 3, 1 Feb 2027: {later.history[-1].changed} sessions new or changed, ")
    assert [row[0] for row in group.rows] == [s.id for s in week]
    everything = _md(later)
    assert "20270121-run" in everything  # the markdown keeps every revision in full
    assert "Revision 2, 25 Jan 2027" in everything


def test_revisions_without_logs_need_no_table(plans: dict[str, rv.Plan]) -> None:
    revisions = summary_of(plans["itbs"], "en").sections[-1]
    assert revisions.blocks == (Lines(("Revision 1, 11 Jan 2027: the first plan, 136 sessions.",)),)


# --- markdown and files ---------------------------------------------------------------------------------------


def test_typed_text_cannot_break_the_markdown(catalog: rv.Catalog, full_data: dict[str, Any]) -> None:
    name = "Ann | *Bold* <b>x</b> \u202eevil"
    plan = rv.plan_programme(rv.parse_profile({**full_data, "name": name}), catalog)
    text = _md(plan)
    assert "- **Client:** Ann \\| \\*Bold\\* \\<b\\>x\\</b\\> evil" in text
    assert "\u202e" not in text


def test_write_summary_writes_markdown_or_pdf_by_the_ending(plans: dict[str, rv.Plan], tmp_path: Path) -> None:
    plan = plans["itbs"]
    for name in ("summary.md", "summary.TXT", "summary.markdown"):
        path = rv.write_summary(plan, tmp_path / "out" / name, language="nl")
        assert path.read_text(encoding="utf-8") == rv.render_summary_markdown(plan, language="nl")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pdf = rv.write_summary(plan, tmp_path / "summary.pdf")
    assert pdf.read_bytes() == rv.render_summary_pdf(plan)
    with pytest.raises(rv.InputError) as info:
        rv.write_summary(plan, tmp_path / "summary.docx")
    assert info.value.problems[0].field == "path"
    assert not (tmp_path / "summary.docx").exists()
    with pytest.raises(rv.InputError):
        rv.write_summary(plan, tmp_path / "bad.md", language="de")
    assert not (tmp_path / "bad.md").exists()
