"""A plan paused by red-flag signs: no sessions from the pause on, a calendar that says so, and a resume."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import icalendar
import pytest

import revalidatie as rv
from revalidatie.cli import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "profiles" / "hip-overload.toml"


@pytest.fixture(scope="module")
def plan(catalog: rv.Catalog) -> rv.Plan:
    return rv.plan_programme(rv.load_profile(EXAMPLE), catalog)


def pause_day(plan: rv.Plan) -> dt.date:
    return plan.start + dt.timedelta(days=20)


def test_a_pause_cancels_every_session_from_its_day_and_keeps_the_ones_before(plan: rv.Plan) -> None:
    since = pause_day(plan)
    flag = plan.red_flags[0].id
    paused = rv.pause(plan, since, [flag])
    assert paused.revision == plan.revision + 1
    assert paused.paused == rv.Pause(revision=2, since=since, flags=(flag,), changed=2)
    assert paused.sessions == tuple(s for s in plan.sessions if s.date < since)
    gone = [c.session for c in paused.cancelled if c.revision == paused.revision]
    assert gone == [s for s in plan.sessions if s.date >= since]
    assert paused.history[-1].cancelled == len(gone) > 0


def test_a_paused_plan_is_not_revised_and_a_new_flag_is_added_to_its_pause(plan: rv.Plan) -> None:
    since = pause_day(plan)
    first, second = plan.red_flags[0].id, plan.red_flags[1].id
    paused = rv.pause(plan, since, [first])
    with pytest.raises(rv.ProfileError, match="is paused since") as caught:
        rv.revise(paused, [], since + dt.timedelta(days=3))
    assert "--resume" in str(caught.value)
    assert rv.pause(paused, since + dt.timedelta(days=1), [first]) is paused
    more = rv.pause(paused, since + dt.timedelta(days=1), [second, first])
    assert more.paused is not None
    assert (more.paused.since, more.paused.flags, more.paused.changed) == (since, (first, second), 3)
    assert more.sessions == paused.sessions


def test_flags_the_plan_does_not_have_or_none_are_refused(plan: rv.Plan) -> None:
    with pytest.raises(rv.ProfileError, match=r"flags\[2\]: is not a red flag of this plan.*'nachtpijn'"):
        rv.pause(plan, pause_day(plan), [plan.red_flags[0].id, "nachtpijn"])
    with pytest.raises(rv.ProfileError, match="name at least one red flag"):
        rv.pause(plan, pause_day(plan), [])


def test_resume_plans_on_from_the_sessions_before_the_pause(plan: rv.Plan) -> None:
    since = pause_day(plan)
    paused = rv.pause(plan, since, [plan.red_flags[0].id])
    with pytest.raises(rv.ProfileError, match="is not paused"):
        rv.resume(plan, [], since)
    with pytest.raises(rv.ProfileError, match="before the pause began"):
        rv.resume(paused, [], since - dt.timedelta(days=1))
    again = since + dt.timedelta(days=7)
    resumed = rv.resume(paused, [], again)
    assert resumed.paused is None
    assert resumed.pauses == (rv.Pause(revision=2, since=since, flags=paused.pauses[0].flags, changed=3, resumed=True),)
    assert [s for s in resumed.sessions if s.date < since] == list(paused.sessions)
    assert not [s for s in resumed.sessions if since <= s.date < again]
    assert [s for s in resumed.sessions if s.date >= again], "the plan goes on after the resume"
    # It is an ordinary plan again: revise works, and the pause stays in its history.
    assert rv.revise(resumed, [], again + dt.timedelta(days=7)).pauses == resumed.pauses


def test_the_plan_file_keeps_the_pause(plan: rv.Plan) -> None:
    paused = rv.pause(plan, pause_day(plan), [plan.red_flags[0].id])
    assert rv.plan_from_json(rv.plan_to_json(paused)) == paused
    resumed = rv.resume(paused, [], pause_day(plan) + dt.timedelta(days=3))
    assert rv.plan_from_json(rv.plan_to_json(resumed)) == resumed


def test_a_damaged_pause_in_a_plan_file_is_refused(plan: rv.Plan) -> None:
    paused = rv.pause(plan, pause_day(plan), [plan.red_flags[0].id])
    text = rv.plan_to_json(paused).replace('"changed": 2,\n    "resumed": false', '"changed": 9,\n    "resumed": false')
    assert '"changed": 9' in text
    with pytest.raises(rv.ProfileError, match=r"plan.pauses\[1\].revision: must be from 1 to the plan's revision 2"):
        rv.plan_from_json(text, source="plan.json")


def test_the_calendar_shows_the_pause_and_cancels_it_on_resume(plan: rv.Plan) -> None:
    since = pause_day(plan)
    flag = plan.red_flags[0]
    paused = rv.pause(plan, since, [flag.id])
    events = list(icalendar.Calendar.from_ical(rv.render_ics(paused, language="en")).walk("VEVENT"))
    stops = [e for e in events if str(e["UID"]).startswith("pause-")]
    assert len(stops) == 1
    stop = stops[0]
    assert str(stop["SUMMARY"]) == "Programme paused: contact your physio"
    assert (stop.decoded("DTSTART"), stop.decoded("DTEND")) == (since, since + dt.timedelta(days=7))
    assert (str(stop["STATUS"]), int(str(stop["SEQUENCE"]))) == ("CONFIRMED", 1)
    assert flag.action("en") in str(stop["DESCRIPTION"])
    assert all(
        str(e["STATUS"]) == "CANCELLED" for e in events if e is not stop and e.decoded("DTSTART").date() >= since
    )

    resumed = rv.resume(paused, [], since + dt.timedelta(days=3))
    events = list(icalendar.Calendar.from_ical(rv.render_ics(resumed, language="en")).walk("VEVENT"))
    stop = next(e for e in events if str(e["UID"]).startswith("pause-"))
    assert (str(stop["STATUS"]), int(str(stop["SEQUENCE"]))) == ("CANCELLED", 2)
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))


def test_the_handout_of_a_paused_plan_says_so_first(plan: rv.Plan, tmp_path: Path) -> None:
    paused = rv.pause(plan, pause_day(plan), [plan.red_flags[0].id])
    path = rv.write_pdf(paused, tmp_path / "paused.pdf", language="en")
    first = subprocess.run(["pdftotext", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Programme paused: contact your physio" in " ".join(first.split())
    assert plan.red_flags[0].action("en").split()[0] in first
    # Every phase from the pause on says it is paused instead of showing a week that will not come.
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    later = [placed for placed in paused.phases if placed.end >= pause_day(plan)]
    assert later
    assert text.count("this part is planned again when your physiotherapist starts the programme again") == len(later)


def test_revise_resume_on_the_command_line(plan: rv.Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    since = pause_day(plan)
    plan_path = tmp_path / "client.json"
    rv.write_json(rv.pause(plan, since, [plan.red_flags[0].id]), plan_path)
    logs = tmp_path / "logs.toml"
    logs.write_text("log = []\n")
    day = (since + dt.timedelta(days=2)).isoformat()
    assert main(["revise", str(plan_path), str(logs), "--as-of", day]) != 0
    assert "is paused since" in capsys.readouterr().err
    assert main(["revise", str(plan_path), str(logs), "--as-of", day, "--resume"]) == 0
    assert rv.plan_from_json(plan_path.read_text()).paused is None


def test_the_physios_summary_puts_the_pause_first_and_in_the_revisions(plan: rv.Plan) -> None:
    since = pause_day(plan)
    flag = plan.red_flags[0]
    paused = rv.pause(plan, since, [flag.id])
    text = rv.render_summary_markdown(paused, language="en")
    warnings = text.split("## Planner warnings", 1)[1].split("##", 1)[0]
    day = f"{since.day} {since:%b %Y}"
    expected = f"Plan paused since {day}: the client reported red flags ({flag.question('en')})"
    assert warnings.strip().startswith(f"**{expected}")  # bold: the physio must act on it
    assert f"Revision 2, {day}: paused from {day}" in text
    resumed = rv.render_summary_markdown(rv.resume(paused, [], since + dt.timedelta(days=3)), language="en")
    assert "Plan paused since" not in resumed
    assert f"Resumed after the pause from {day}." in resumed
