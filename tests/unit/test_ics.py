"""The calendar export's text: properties, folding, titles, descriptions, privacy, options and time zones."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import attrs
import pytest

import revalidatie as rv
from revalidatie._bidi import strip_bidi_controls
from revalidatie.export._ical import escape_text, fold
from revalidatie.export._vtimezone import vtimezone
from revalidatie.export.layout import layout
from revalidatie.model.dose import Bodyweight, EffortLoad, Intervals, Pace, Segment
from revalidatie.model.plan import Item, Role

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def plan(catalog: rv.Catalog) -> rv.Plan:
    return rv.plan_programme(rv.load_profile(EXAMPLES / "profiles" / "gluteal-tendinopathy.toml"), catalog)


def _unfold(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def _events(data: bytes) -> list[list[str]]:
    """Each event's own lines (its reminder's lines left out)."""
    events: list[list[str]] = []
    current: list[str] | None = None
    in_alarm = False
    for line in _unfold(data):
        if line in ("BEGIN:VALARM", "END:VALARM"):
            in_alarm = line == "BEGIN:VALARM"
            continue
        if in_alarm:
            continue
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return events


def _value(lines: list[str], name: str) -> str:
    found = [line.split(":", 1)[1] for line in lines if re.match(rf"{name}[;:]", line)]
    assert len(found) == 1, (name, found)
    return found[0]


def test_calendar_properties_are_written_exactly(plan: rv.Plan) -> None:
    lines = _unfold(rv.render_ics(plan))
    assert lines[:5] == ["BEGIN:VCALENDAR", "VERSION:2.0", lines[2], "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    assert lines[2].startswith("PRODID:-//revalidatie//")
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in lines
    assert "X-PUBLISHED-TTL:PT12H" in lines
    assert "NAME:Revalidatieschema Şule" in lines
    assert "X-WR-CALNAME:Revalidatieschema Şule" in lines
    assert any(line.startswith("X-WR-CALDESC:Je oefenprogramma van 4 januari 2027") for line in lines)
    assert not any(line.startswith("X-WR-TIMEZONE") for line in lines)
    assert lines[-1] == "END:VCALENDAR"


def test_lines_fold_at_75_octets_without_splitting_characters(plan: rv.Plan) -> None:
    profile = plan.profile.model_copy(update={"name": "Ærøskøbing-Ğüçlü 🏃‍♀️🏃‍♂️ " + "é" * 80})
    data = rv.render_ics(attrs.evolve(plan, profile=profile), full_name=True)
    assert data.endswith(b"\r\n")
    bare = data.replace(b"\r\n", b"")
    assert b"\n" not in bare
    assert b"\r" not in bare
    physical = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in physical) == 75  # long lines do get folded, right at the limit or below
    for line in physical:
        assert len(line) <= 75
        line.decode("utf-8")  # a fold inside a multi-byte character would make a line undecodable


def test_fold_backs_off_to_the_start_of_a_character() -> None:
    for prefix in range(8):
        line = "SUMMARY:" + "x" * prefix + "€" * 40 + "𝄞" * 20
        folded = fold(line)
        parts = folded.split(b"\r\n")[:-1]
        assert all(len(part) <= 75 for part in parts)
        assert all(part.startswith(b" ") for part in parts[1:])
        assert b"".join([parts[0], *(part[1:] for part in parts[1:])]).decode("utf-8") == line
    assert fold("SUMMARY:short") == b"SUMMARY:short\r\n"


def test_no_floating_times(plan: rv.Plan) -> None:
    for options in ({}, {"all_day": True}):
        for event in _events(rv.render_ics(plan, **options)):  # type: ignore[arg-type]
            for line in event:
                if re.match(r"(DTSTART|DTEND|DTSTAMP|LAST-MODIFIED)[;:]", line):
                    in_zone = re.match(r"DT(START|END);TZID=Europe/Amsterdam:\d{8}T\d{6}$", line)
                    assert in_zone or re.search(r";VALUE=DATE:\d{8}$", line) or line.endswith("Z"), line


def test_first_plan_stamps_and_sequence(plan: rv.Plan) -> None:
    events = _events(rv.render_ics(plan))
    assert len(events) == len(plan.sessions)
    stamp = plan.history[0].at.strftime("%Y%m%dT%H%M%SZ")
    uids = set()
    for event, session in zip(events, plan.sessions, strict=True):
        assert _value(event, "UID") == f"{session.id}.{plan.id}@revalidatie"
        assert _value(event, "SEQUENCE") == "0"
        assert _value(event, "DTSTAMP") == _value(event, "LAST-MODIFIED") == stamp
        assert _value(event, "STATUS") == "CONFIRMED"
        uids.add(_value(event, "UID"))
    assert len(uids) == len(events)


def test_all_day_events_end_the_next_day(plan: rv.Plan) -> None:
    event = _events(rv.render_ics(plan, all_day=True))[0]
    assert "DTSTART;VALUE=DATE:20270104" in event
    assert "DTEND;VALUE=DATE:20270105" in event
    assert "Begin: 07:15 uur" in _value(event, "DESCRIPTION")


def _session_with(plan: rv.Plan, kind: rv.SessionKind, items: tuple[Item, ...]) -> rv.Plan:
    session = attrs.evolve(plan.sessions[0], kind=kind, items=items)
    return attrs.evolve(plan, sessions=(session,))


def test_titles_are_short_and_in_the_client_language(plan: rv.Plan) -> None:
    walk_run = Intervals(
        kind="intervals",
        repeats=4,
        segments=(Segment(pace=Pace.WALK, minutes=4), Segment(pace=Pace.JOG, minutes=1)),
    )
    run = _session_with(plan, rv.SessionKind.RUN, (Item("walk-run", walk_run, Role.RUN),))
    assert _value(_events(rv.render_ics(run))[0], "SUMMARY") == "Wandelen/joggen 4x(4/1)"
    assert _value(_events(rv.render_ics(run, language="en"))[0], "SUMMARY") == "Walk/jog 4x(4/1)"

    strength_items = tuple(item for session in plan.sessions for item in session.items if item.role is Role.STRENGTH)
    six = tuple({item.exercise_id: item for item in strength_items}.values())[:6]
    assert len(six) == 6
    strength = _session_with(plan, rv.SessionKind.STRENGTH, six)
    assert _value(_events(rv.render_ics(strength))[0], "SUMMARY") == "Kracht (6)"
    assert _value(_events(rv.render_ics(strength, language="en"))[0], "SUMMARY") == "Strength (6)"

    cycling = rv.Duration(kind="duration", minutes=30)
    cross = _session_with(plan, rv.SessionKind.CROSS_TRAINING, (Item("cycling", cycling, Role.CROSS_TRAINING),))
    assert "cycling" in plan.exercises
    assert _value(_events(rv.render_ics(cross))[0], "SUMMARY") == "Fietsen 30 min"
    assert _value(_events(rv.render_ics(cross, language="en"))[0], "SUMMARY") == "Cycling 30 min"
    every = {rv.export.ics.summarise(plan, session, "nl") for session in plan.sessions}
    assert max(map(len, every)) <= 45  # two lines of a phone's day view at most


def test_description_lists_every_exercise_with_its_dose_and_the_pain_rule(plan: rv.Plan) -> None:
    reps = rv.SetsReps(kind="reps", sets=3, reps=12, load=EffortLoad(kind="effort", level="hard"))
    hold = rv.SetsHold(kind="hold", sets=4, hold_s=45, load=Bodyweight(kind="bodyweight"))
    items = (
        Item("bridge-single-leg", reps, Role.STRENGTH),
        Item("side-plank", hold, Role.STRENGTH, rv.Frequency(times=2, per="day")),
    )
    assert {"bridge-single-leg", "side-plank"} <= set(plan.exercises)
    single = _session_with(plan, rv.SessionKind.STRENGTH, items)
    description = _value(_events(rv.render_ics(single))[0], "DESCRIPTION").replace("\\n", "\n").replace("\\,", ",")
    bridge, plank = plan.exercises["bridge-single-leg"].name("nl"), plan.exercises["side-plank"].name("nl")
    pages = layout(single).card_pages
    card = "kaart op blz. {} van je boekje"
    assert (
        f"- {bridge}: 3 x 12 herhalingen per kant, zwaar · {card.format(pages['bridge-single-leg'])}\n" in description
    )
    assert (
        f"- {plank}: 4 x 45 s vasthouden per kant (2 x per dag) · {card.format(pages['side-plank'])}\n" in description
    )
    assert "Groen: Pijn 0 tot 2 tijdens het trainen" in description  # the rule comes from the protocol's rules
    assert "Rood: Pijn boven de 5" in description
    assert "Rust de volgende dag. Daarna een stap lichter." in description
    assert "volgende ochtend voelt telt het zwaarst" in description
    english = _value(_events(rv.render_ics(single, language="en"))[0], "DESCRIPTION").replace("\\,", ",")
    assert "Green: Pain 0 to 2 during the session" in english
    assert "the next morning counts most" in english


def test_privacy_first_name_only_and_no_health_detail(plan: rv.Plan) -> None:
    profile = plan.profile.model_copy(
        update={"notes": "MRI: partial tear of gluteus medius", "goal": rv.ClientProfile.model_fields["goal"].default}
    )
    text = rv.render_ics(attrs.evolve(plan, profile=profile)).decode().replace("\r\n ", "")
    assert "Şule" in text
    assert plan.profile.name.split()[1] not in text  # the surname
    assert "MRI" not in text
    assert plan.condition.name("nl") not in text
    assert plan.protocol.name("nl") not in text
    full = rv.render_ics(plan, full_name=True).decode().replace("\r\n ", "")
    assert f"NAME:Revalidatieschema {plan.profile.name}\r\n" in full


def test_bad_options_raise_a_clear_error(plan: rv.Plan) -> None:
    with pytest.raises(rv.InputError, match="language: must be one of 'nl', 'en'"):
        rv.render_ics(plan, language="de")
    with pytest.raises(rv.InputError, match="alarm_minutes: must be between 0 and 10080"):
        rv.render_ics(plan, alarm_minutes=-5)
    with pytest.raises(rv.InputError, match="alarm_minutes: must be a whole number"):
        rv.render_ics(plan, alarm_minutes=1.5)  # type: ignore[arg-type]


def test_write_ics_is_atomic_and_reports_unwritable_paths(plan: rv.Plan, tmp_path: Path) -> None:
    target = tmp_path / "deep" / "client.ics"
    assert rv.write_ics(plan, target, alarm_minutes=10) == target
    assert target.read_bytes() == rv.render_ics(plan, alarm_minutes=10)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(rv.ExportError, match="cannot create the file"):
        rv.write_ics(plan, blocker / "client.ics")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _vtimezone(zone: str, year: int = 2027) -> list[str]:
    return b"".join(vtimezone(zone, year, year)).decode().split("\r\n")[:-1]


def _observances(lines: list[str]) -> list[tuple[str, ...]]:
    found, current = [], []
    for line in lines:
        if line in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"):
            current = [line[6:]]
        elif line in ("END:STANDARD", "END:DAYLIGHT"):
            found.append(tuple(current))
        else:
            current.append(line)
    return found


def test_vtimezone_amsterdam_switches_at_two_and_three_local() -> None:
    assert _observances(_vtimezone("Europe/Amsterdam")) == [
        (
            "DAYLIGHT",
            "DTSTART:20260329T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200",
            "TZNAME:CEST",
        ),
        (
            "STANDARD",
            "DTSTART:20261025T030000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "TZNAME:CET",
        ),
    ]


def test_vtimezone_rules_of_other_zones() -> None:
    new_york = _observances(_vtimezone("America/New_York"))
    assert [obs[:3] for obs in new_york] == [
        ("DAYLIGHT", "DTSTART:20260308T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"),
        ("STANDARD", "DTSTART:20261101T020000", "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"),
    ]
    sydney = _observances(_vtimezone("Australia/Sydney"))
    assert [obs[:5] for obs in sydney] == [
        (
            "STANDARD",
            "DTSTART:20260405T030000",
            "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU",
            "TZOFFSETFROM:+1100",
            "TZOFFSETTO:+1000",
        ),
        (
            "DAYLIGHT",
            "DTSTART:20261004T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU",
            "TZOFFSETFROM:+1000",
            "TZOFFSETTO:+1100",
        ),
    ]
    assert _observances(_vtimezone("Asia/Kolkata")) == [
        ("STANDARD", "DTSTART:20260101T053000", "TZOFFSETFROM:+0530", "TZOFFSETTO:+0530", "TZNAME:IST")
    ]


def test_vtimezone_irregular_zone_lists_its_dates() -> None:
    # Morocco leaves summer time for Ramadan, which moves through the solar year: no yearly rule fits.
    lines = _vtimezone("Africa/Casablanca")
    assert not any(line.startswith("RRULE") for line in lines)
    assert "RDATE:20270207T030000" in lines
    assert "RDATE:20270314T020000" in lines


def test_vtimezone_negative_dst_marks_summer_as_daylight() -> None:
    observances = _observances(_vtimezone("Europe/Dublin"))
    assert [(obs[0], obs[-1]) for obs in observances] == [("DAYLIGHT", "TZNAME:IST"), ("STANDARD", "TZNAME:GMT")]


@pytest.mark.parametrize("zone", ["Asia/Almaty", "Asia/Qostanay"])
def test_vtimezone_rule_change_within_the_plan_keeps_the_offset_before_it(zone: str) -> None:
    # Both zones went from +06 to +05 at midnight on 1 March 2024. Without an observance for +06 before that,
    # readers took January and February at +05.
    assert _observances(_vtimezone(zone, 2024)) == [
        ("STANDARD", "DTSTART:20230101T060000", "TZOFFSETFROM:+0600", "TZOFFSETTO:+0600", "TZNAME:+06"),
        ("STANDARD", "DTSTART:20240301T000000", "TZOFFSETFROM:+0600", "TZOFFSETTO:+0500", "TZNAME:+05"),
    ]


def test_vtimezone_irregular_zone_lists_its_first_onset_as_an_rdate_too() -> None:
    # ical.js takes the onsets of an observance with RDATEs from the RDATEs alone: without the first one it
    # placed Casablanca's events an hour off.
    observances = [obs for obs in _observances(_vtimezone("Africa/Casablanca")) if obs[2].startswith("RDATE")]
    assert len(observances) == 2
    for observance in observances:
        start = observance[1].removeprefix("DTSTART:")
        assert observance[2] == f"RDATE:{start}"
        assert all(line.startswith("RDATE:") for line in observance[2:-3])


def test_vtimezone_for_1900_starts_before_the_plan_not_in_1970() -> None:
    assert _observances(_vtimezone("Europe/Amsterdam", 1900)) == [
        ("STANDARD", "DTSTART:18990101T001932", "TZOFFSETFROM:+001932", "TZOFFSETTO:+001932", "TZNAME:AMT")
    ]
    assert _observances(_vtimezone("America/New_York", 1900)) == [
        ("STANDARD", "DTSTART:18981231T190000", "TZOFFSETFROM:-0500", "TZOFFSETTO:-0500", "TZNAME:EST")
    ]


def _at(plan: rv.Plan, zone: str, day: dt.date, start: dt.time, minutes: int = 45) -> rv.Plan:
    session = attrs.evolve(plan.sessions[0], date=day, start=start, minutes=minutes)
    profile = plan.profile.model_copy(update={"timezone": zone})
    return attrs.evolve(plan, profile=profile, sessions=(session,), cancelled=())


def _times(plan: rv.Plan) -> tuple[str, str]:
    event = _events(rv.render_ics(plan))[0]
    found = [line for line in event if re.match(r"DT(START|END)[;:]", line)]
    assert len(found) == 2
    return found[0], found[1]


def test_time_the_clocks_skip_is_written_as_the_time_they_show(plan: rv.Plan) -> None:
    # 02:30 does not exist on 28 March 2027 in Amsterdam; RFC 5545 reads it with the offset before the gap,
    # 02:30 CET, which the clocks show as 03:30 CEST.
    gap = _at(plan, "Europe/Amsterdam", dt.date(2027, 3, 28), dt.time(2, 30))
    assert _times(gap) == (
        "DTSTART;TZID=Europe/Amsterdam:20270328T033000",
        "DTEND;TZID=Europe/Amsterdam:20270328T041500",
    )
    assert "Begin: 03:30 uur" in _value(_events(rv.render_ics(gap, all_day=True))[0], "DESCRIPTION")


def test_time_the_clocks_show_twice_is_the_first_and_written_in_utc(plan: rv.Plan) -> None:
    # 02:30 on 31 October 2027 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET): the first counts.
    # The end, 45 minutes later, is 02:15 CET, also a wall time that occurs twice.
    twice = _at(plan, "Europe/Amsterdam", dt.date(2027, 10, 31), dt.time(2, 30))
    assert _times(twice) == ("DTSTART:20271031T003000Z", "DTEND:20271031T011500Z")
    ends_in_the_repeated_hour = _at(plan, "Europe/Amsterdam", dt.date(2027, 10, 31), dt.time(1, 50))
    assert _times(ends_in_the_repeated_hour) == (
        "DTSTART;TZID=Europe/Amsterdam:20271031T015000",
        "DTEND:20271031T003500Z",
    )
    after = _at(plan, "Europe/Amsterdam", dt.date(2027, 10, 31), dt.time(3, 0))
    assert _times(after) == (
        "DTSTART;TZID=Europe/Amsterdam:20271031T030000",
        "DTEND;TZID=Europe/Amsterdam:20271031T034500",
    )


def test_time_in_an_offset_with_seconds_is_written_in_utc(plan: rv.Plan) -> None:
    # Amsterdam kept local mean time, +00:19:32, until 1937; ical.js reads offsets without their seconds.
    old = _at(plan, "Europe/Amsterdam", dt.date(1900, 1, 8), dt.time(9, 0))
    assert _times(old) == ("DTSTART:19000108T084028Z", "DTEND:19000108T092528Z")
    new_york = _at(plan, "America/New_York", dt.date(1900, 1, 8), dt.time(9, 0))
    assert _times(new_york) == (
        "DTSTART;TZID=America/New_York:19000108T090000",
        "DTEND;TZID=America/New_York:19000108T094500",
    )


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_bidi_controls_in_names_and_contact_never_reach_the_calendar(plan: rv.Plan) -> None:
    # "Ann" + RIGHT-TO-LEFT OVERRIDE + "evil" showed the rest of the calendar's name, and of the contact line
    # after a practice named so, reversed.
    contact = plan.profile.contact.model_copy(update={"clinician": "Ann\u202eevil", "practice": f"Fysio{BIDI}Oost"})
    profile = plan.profile.model_copy(update={"name": "Ann\u202eevil de Vries", "contact": contact})
    data = rv.render_ics(attrs.evolve(plan, profile=profile), full_name=True)
    text = data.decode()
    assert not any(ch in text for ch in BIDI)
    lines = _unfold(data)
    assert "NAME:Revalidatieschema Annevil de Vries" in lines
    assert "X-WR-CALNAME:Revalidatieschema Annevil de Vries" in lines
    assert any(line.startswith("DESCRIPTION:") and "Van Annevil\\, FysioOost." in line for line in lines)
    description = _value(_events(data)[0], "DESCRIPTION")
    assert "Vragen? Annevil\\, FysioOost\\, " in description


def test_bidi_controls_go_but_right_to_left_letters_stay() -> None:
    name = "\u0633\u0627\u0631\u0629 \u05e9\u05e8\u05d4"  # Arabic and Hebrew names need no controls to show
    assert strip_bidi_controls(f"\u2067{name}\u2069\u200f") == name
    assert escape_text(f"Ann\u202eevil, {name}\u061c") == f"Annevil\\, {name}"
