"""The calendar export, read back by four independent parsers: ical.js, libical, vobject and icalendar."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import attrs
import pytest
import vobject

import revalidatie as rv
from revalidatie.cli import main
from revalidatie.model.common import Localized

from .calendar_parsers import Event, every_parser, ical_js, libical

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AS_OF = dt.date(2027, 1, 25)


@pytest.fixture(scope="module")
def first(catalog: rv.Catalog) -> rv.Plan:
    return rv.plan_programme(rv.load_profile(EXAMPLES / "profiles" / "gluteal-tendinopathy.toml"), catalog)


@pytest.fixture(scope="module")
def revised(first: rv.Plan) -> rv.Plan:
    logs = rv.load_session_logs(EXAMPLES / "logs" / "gluteal-tendinopathy-week-3.toml")
    return rv.revise(first, logs, as_of=AS_OF)


def _expected(plan: rv.Plan, *, all_day: bool = False) -> dict[str, tuple[object, object]]:
    """UID -> (start, end) worked out from the plan with zoneinfo, not from the calendar."""
    zone = zoneinfo.ZoneInfo(plan.profile.timezone)
    sessions = list(plan.sessions) + [c.session for c in plan.cancelled]
    expected: dict[str, tuple[object, object]] = {}
    for session in sessions:
        uid = f"{session.id}.{plan.id}@revalidatie"
        if all_day:
            day = session.date.strftime("%Y%m%d")
            expected[uid] = (day, (session.date + dt.timedelta(days=1)).strftime("%Y%m%d"))
        else:
            start = int(dt.datetime.combine(session.date, session.start, tzinfo=zone).timestamp())
            expected[uid] = (start, start + session.minutes * 60)
    return expected


def _times(event: Event, *, all_day: bool) -> tuple[object, object]:
    return (event["start_date"], event["end_date"]) if all_day else (event["start"], event["end"])


def _assert_agree(data: bytes, plan: rv.Plan, folder: Path, *, all_day: bool = False) -> dict[str, list[Event]]:
    parsed = every_parser(data, folder)
    expected = _expected(plan, all_day=all_day)
    for parser, events in parsed.items():
        assert len(events) == len(expected), parser
        assert {event["uid"]: _times(event, all_day=all_day) for event in events} == expected, parser
    reference = parsed["icalendar"]
    for parser, events in parsed.items():
        for event, other in zip(events, reference, strict=True):
            for key in ("uid", "sequence", "status", "summary", "description", "url", "alarms"):
                assert event[key] == other[key], (parser, key, event["uid"])
    return parsed


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"all_day": True},
        {"alarm_minutes": 90},
        {"all_day": True, "alarm_minutes": 45},
        {"language": "en", "alarm_minutes": 0},
        {"page_url": "https://feeds.example.nl/feeds/abc"},
    ],
    ids=["timed", "all-day", "alarm", "all-day-alarm", "english-no-alarm", "page-link"],
)
def test_every_parser_reads_the_same_events(
    first: rv.Plan, revised: rv.Plan, tmp_path: Path, options: dict[str, object]
) -> None:
    for plan in (first, revised):
        data = rv.render_ics(plan, **options)  # type: ignore[arg-type]
        parsed = _assert_agree(data, plan, tmp_path, all_day=bool(options.get("all_day")))
        alarm = options.get("alarm_minutes", 30)  # a reminder half an hour before unless asked otherwise; 0: none
        # An all-day event starts at midnight: its reminder counts back from the planned time of day (07:15, or
        # 19:15 for the second session of a twice-daily day).
        assert {s.start for s in plan.sessions} == {dt.time(7, 15), dt.time(19, 15)}
        starts = {s.id: s.start for s in (*plan.sessions, *(c.session for c in plan.cancelled))}
        for event in parsed["ical.js"]:
            start = next(time for session_id, time in starts.items() if event["uid"].startswith(session_id + "."))
            first_second = start.hour * 3600 + start.minute * 60 if options.get("all_day") else 0
            wanted = [] if not alarm or event["status"] == "CANCELLED" else [first_second - 60 * int(str(alarm))]
            assert event["alarms"] == wanted
            assert event["url"] == options.get("page_url")  # every event links to the client's feed page


def _on_days(plan: rv.Plan, zone: str, days: list[dt.date], start: dt.time) -> rv.Plan:
    """The plan moved to ``zone`` with its first sessions moved onto ``days`` at ``start``."""
    sessions = tuple(
        attrs.evolve(session, id=f"{day:%Y%m%d}-{session.kind.value}", date=day, start=start)
        for session, day in zip(plan.sessions, days, strict=False)
    )
    return attrs.evolve(
        plan, profile=plan.profile.model_copy(update={"timezone": zone}), sessions=sessions, cancelled=()
    )


def _renamed(data: bytes, zone: str, tag: str = "") -> bytes:
    # A TZID no client knows forces every parser to use the VTIMEZONE in the file rather than its own zone data.
    # One name per zone (and tag): vobject keeps every VTIMEZONE it has seen in a process-wide table by TZID.
    own = f"Test/Own-{zone.replace('/', '-')}{tag}".encode()
    return data.replace(f"TZID:{zone}".encode(), b"TZID:" + own).replace(
        f"TZID={zone}:".encode(), b"TZID=" + own + b":"
    )


def test_amsterdam_change_days_are_utc_7_and_8(first: rv.Plan, tmp_path: Path) -> None:
    days = [dt.date(2027, 3, 28), dt.date(2027, 10, 31)]
    plan = _on_days(first, "Europe/Amsterdam", days, dt.time(9, 0))
    data = rv.render_ics(plan)
    wanted = [dt.datetime(2027, 3, 28, 7, 0, tzinfo=dt.UTC), dt.datetime(2027, 10, 31, 8, 0, tzinfo=dt.UTC)]
    for variant in (data, _renamed(data, "Europe/Amsterdam")):
        for parser, events in every_parser(variant, tmp_path).items():
            if parser == "icalendar" and variant is not data:
                continue  # icalendar reads an unknown TZID as a custom zone only from 7.x onwards; covered above
            starts = [dt.datetime.fromtimestamp(event["start"], dt.UTC) for event in events]
            assert starts == wanted, parser


@pytest.mark.parametrize(
    ("zone", "days"),
    [
        ("America/New_York", [dt.date(2027, 3, 14), dt.date(2027, 11, 7), dt.date(2027, 7, 1)]),
        ("Australia/Sydney", [dt.date(2027, 4, 4), dt.date(2027, 10, 3), dt.date(2027, 7, 1)]),
        ("Asia/Kolkata", [dt.date(2027, 3, 28), dt.date(2027, 10, 31)]),
    ],
)
def test_other_zones_on_their_change_days(first: rv.Plan, tmp_path: Path, zone: str, days: list[dt.date]) -> None:
    plan = _on_days(first, zone, days, dt.time(9, 0))
    data = rv.render_ics(plan)
    expected = _expected(plan)
    for variant in (data, _renamed(data, zone)):
        parsed = every_parser(variant, tmp_path)
        for parser in ("ical.js", "libical", "vobject"):
            assert {e["uid"]: (e["start"], e["end"]) for e in parsed[parser]} == expected, (parser, zone)


def _at_moments(plan: rv.Plan, zone: str, moments: list[dt.datetime], minutes: int = 45) -> rv.Plan:
    """The plan moved to ``zone`` with one session at each wall time in ``moments``."""
    sessions = tuple(
        attrs.evolve(session, id=f"{moment:%Y%m%dT%H%M}", date=moment.date(), start=moment.time(), minutes=minutes)
        for session, moment in zip(plan.sessions, moments, strict=False)
    )
    assert len(sessions) == len(moments)
    return attrs.evolve(
        plan, profile=plan.profile.model_copy(update={"timezone": zone}), sessions=sessions, cancelled=()
    )


D = dt.datetime
PINNED = {
    # +06 until midnight on 1 March 2024, then +05; came out at +05 in January and February. 23:30 on 29 February
    # happens twice (at +06, then at +05): the first counts.
    "almaty-2024": ("Asia/Almaty", [D(2024, 1, 15, 9), D(2024, 2, 29, 23, 30), D(2024, 3, 1, 9), D(2024, 6, 3, 18)]),
    "qostanay-2024": ("Asia/Qostanay", [D(2024, 1, 15, 9), D(2024, 2, 29, 23, 30), D(2024, 3, 1, 9)]),
    # +01 with Ramadan at +00; ical.js put the events an hour off. 02:30 on 7 February happens twice, 02:30 on
    # 14 March not at all.
    "casablanca-2027": (
        "Africa/Casablanca",
        [D(2027, 1, 10, 9), D(2027, 2, 7, 2, 30), D(2027, 2, 20, 9), D(2027, 3, 14, 2, 30), D(2027, 3, 20, 9)],
    ),
    # Plans starting in 1900 got a VTIMEZONE from 1970; Amsterdam then kept local mean time, +00:19:32.
    "amsterdam-1900": ("Europe/Amsterdam", [D(1900, 1, 8, 9), D(1900, 12, 31, 23, 30), D(1901, 6, 3, 18)]),
    "new-york-1900": ("America/New_York", [D(1900, 1, 8, 9), D(1900, 7, 2, 18, 30)]),
    # 02:30 on 28 March 2027 does not exist (03:30 CEST), 02:30 on 31 October exists twice (the first counts);
    # a session at 01:50 that day ends in the repeated hour.
    "amsterdam-2027-gap-and-repeat": (
        "Europe/Amsterdam",
        [D(2027, 3, 28, 2, 30), D(2027, 10, 31, 2, 30), D(2027, 10, 31, 1, 50)],
    ),
}


@pytest.mark.parametrize(("zone", "moments"), PINNED.values(), ids=PINNED.keys())
def test_zones_that_were_read_wrongly_are_read_as_zoneinfo(
    first: rv.Plan, tmp_path: Path, zone: str, moments: list[dt.datetime]
) -> None:
    plan = _at_moments(first, zone, moments)
    data = rv.render_ics(plan)
    expected = _expected(plan)
    tag = f"-{moments[0]:%Y%m%d}"
    for parser, events in every_parser(_renamed(data, zone, tag), tmp_path).items():
        assert {e["uid"]: (e["start"], e["end"]) for e in events} == expected, parser
    # With the real TZID too, except for vobject: it keeps the first VTIMEZONE of a name it saw in the process.
    for parser, events in [
        ("ical.js", ical_js(data, tmp_path)["events"]),
        ("libical", libical(data, tmp_path)["events"]),
    ]:
        assert {e["uid"]: (e["start"], e["end"]) for e in events} == expected, parser


def test_readers_disagree_on_a_wall_time_the_clocks_show_twice(first: rv.Plan, tmp_path: Path) -> None:
    # Why such a time is written in UTC: as a wall time with TZID, ical.js and libical take the second 02:30
    # (CET), where RFC 5545, vobject and icalendar take the first (CEST).
    data = rv.render_ics(_at_moments(first, "Europe/Amsterdam", [D(2027, 10, 31, 2, 30)]))
    assert b"\r\nDTSTART:20271031T003000Z\r\n" in data
    local = data.replace(b"DTSTART:20271031T003000Z", b"DTSTART;TZID=Europe/Amsterdam:20271031T023000")
    parsed = every_parser(_renamed(local, "Europe/Amsterdam", "-twice"), tmp_path)
    first_time = int(D(2027, 10, 31, 0, 30, tzinfo=dt.UTC).timestamp())
    second_time = first_time + 3600
    assert {parser: events[0]["start"] for parser, events in parsed.items()} == {
        "ical.js": second_time,
        "libical": second_time,
        "vobject": first_time,
        "icalendar": first_time,
    }


@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "America/New_York", "Australia/Sydney", "Asia/Kolkata"])
def test_vtimezone_matches_libical_builtin_zone(first: rv.Plan, tmp_path: Path, zone: str) -> None:
    plan = _on_days(first, zone, [dt.date(2027, 1, 4), dt.date(2027, 12, 27)], dt.time(9, 0))
    start = int(dt.datetime(2027, 1, 1, tzinfo=dt.UTC).timestamp())
    stop = int(dt.datetime(2028, 1, 1, tzinfo=dt.UTC).timestamp())
    # Every hour of the year, 17 minutes past so no instant sits exactly on a transition.
    offsets = libical(rv.render_ics(plan), tmp_path, offsets=(zone, start + 17 * 60, stop, 3600))["offsets"]
    assert offsets["file"] == offsets["builtin"]
    assert len(set(offsets["file"])) == (1 if zone == "Asia/Kolkata" else 2)


def test_revision_keeps_uids_and_cancels_with_a_higher_sequence(
    first: rv.Plan, revised: rv.Plan, tmp_path: Path
) -> None:
    before = {e["uid"]: e for e in ical_js(rv.render_ics(first), tmp_path)["events"]}
    parsed = _assert_agree(rv.render_ics(revised), revised, tmp_path)
    after = {e["uid"]: e for e in parsed["libical"]}
    assert revised.cancelled, "the example logs should cancel sessions"
    # Every event the client's calendar already has is still in the file: as it was, updated or cancelled.
    assert set(before) <= set(after)
    cancelled = {f"{c.session.id}.{revised.id}@revalidatie" for c in revised.cancelled}
    assert {uid for uid, e in after.items() if e["status"] == "CANCELLED"} == cancelled
    revisions = {f"{x.id}.{revised.id}@revalidatie": x.revision for x in revised.sessions}
    revisions |= {f"{c.session.id}.{revised.id}@revalidatie": c.revision for c in revised.cancelled}
    seen = ("summary", "description", "start", "end", "status")
    for uid, event in after.items():
        assert event["sequence"] == revisions[uid] - 1, uid  # the first plan publishes SEQUENCE 0
        old = before.get(uid)
        if uid in cancelled:
            assert old is not None
            assert event["sequence"] > old["sequence"]
            assert event["summary"] == "Vervallen: " + old["summary"]
        elif old is not None and event["sequence"] == old["sequence"]:
            # Not touched by the revision: the client sees exactly the same event.
            assert [event[key] for key in seen] == [old[key] for key in seen], uid
        elif old is not None:
            assert event["sequence"] > old["sequence"], uid
    text = rv.render_ics(revised).decode()
    stamp = revised.history[-1].at.strftime("%Y%m%dT%H%M%SZ")
    first_stamp = first.history[0].at.strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTAMP:{stamp}" in text
    assert f"DTSTAMP:{first_stamp}" in text  # sessions before the revision keep their stamp


NASTY = 'Ève "de" Vries;, \\ 🏃\u200d♀️ END:VEVENT'
NASTY_BREAKS = "Fysio\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\nEND:VCALENDAR\rX;Y,Z"


def test_injected_text_never_adds_or_breaks_events(first: rv.Plan, tmp_path: Path) -> None:
    exercises = {
        key: exercise.model_copy(update={"name": Localized.model_construct(nl=NASTY_BREAKS + key, en=key)})
        for key, exercise in first.exercises.items()
    }
    profile = first.profile.model_copy(
        update={
            "name": NASTY,
            "contact": first.profile.contact.model_copy(update={"clinician": NASTY_BREAKS, "practice": NASTY}),
        }
    )
    plan = attrs.evolve(first, profile=profile, exercises=exercises)
    data = rv.render_ics(plan, full_name=True)
    parsed = _assert_agree(data, plan, tmp_path)
    assert data.count(b"\r\nBEGIN:VEVENT\r\n") == len(plan.sessions)
    assert data.count(b"\r\nEND:VEVENT\r\n") == len(plan.sessions)
    # ical.js and icalendar hand RFC 7986 NAME over unparsed, so read the calendar's name with libical and vobject.
    assert libical(data, tmp_path)["name"] == f"Revalidatieschema {NASTY}"
    calendar = vobject.readOne(data.decode())
    assert (
        calendar.contents["name"][0].value == calendar.contents["x-wr-calname"][0].value == f"Revalidatieschema {NASTY}"
    )
    for event in parsed["ical.js"]:
        assert "Fysio\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil\nEND:VCALENDAR\nX;Y,Z" in event["description"]
        assert not event["uid"].startswith("evil")


def test_bidi_controls_in_a_name_do_not_reorder_what_readers_show(first: rv.Plan, tmp_path: Path) -> None:
    # A RIGHT-TO-LEFT OVERRIDE in "Ann\u202eevil" would show all text after it reversed, up to the end of the line.
    controls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    contact = first.profile.contact.model_copy(update={"practice": f"Ann\u202eevil{controls}"})
    profile = first.profile.model_copy(update={"name": "Ann\u202eevil", "contact": contact})
    plan = attrs.evolve(first, profile=profile)
    data = rv.render_ics(plan)
    parsed = _assert_agree(data, plan, tmp_path)
    assert libical(data, tmp_path)["name"] == "Revalidatieschema Annevil"
    assert vobject.readOne(data.decode()).contents["x-wr-calname"][0].value == "Revalidatieschema Annevil"
    for parser, events in parsed.items():
        for event in events:
            assert not any(ch in event["description"] for ch in controls), parser
            assert (
                f"Vragen? {first.profile.contact.clinician}, Annevil, {first.profile.contact.phone}"
                in (event["description"])
            ), parser


def test_same_plan_same_bytes_also_after_json(first: rv.Plan, revised: rv.Plan) -> None:
    for plan in (first, revised):
        data = rv.render_ics(plan, alarm_minutes=15)
        assert rv.render_ics(plan, alarm_minutes=15) == data
        assert rv.render_ics(rv.plan_from_json(rv.plan_to_json(plan)), alarm_minutes=15) == data


def test_cli_plan_writes_the_calendar(catalog: rv.Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = EXAMPLES / "profiles" / "itbs.toml"
    assert main(["plan", str(profile), "--out", str(tmp_path), "--all-day", "--alarm", "45", "--lang", "en"]) == 0
    written = [Path(line) for line in capsys.readouterr().out.splitlines() if line.endswith(".ics")]
    assert len(written) == 1
    data = written[0].read_bytes()
    plan = rv.plan_programme(rv.load_profile(profile), catalog)
    assert data == rv.render_ics(plan, all_day=True, alarm_minutes=45, language="en")
    assert re.search(rb"\r\nDTSTART;VALUE=DATE:\d{8}\r\n", data)
    assert plan.profile.preferred_time == dt.time(18, 30)
    assert b"TRIGGER:PT1065M\r\n" in data  # 18:30 less 45 minutes, counted from the all-day event's midnight
    assert main(["plan", str(profile), "--out", str(tmp_path), "--alarm", "-5"]) == 2


def test_cli_revise_updates_the_calendar(revised: rv.Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = EXAMPLES / "profiles" / "gluteal-tendinopathy.toml"
    logs = EXAMPLES / "logs" / "gluteal-tendinopathy-week-3.toml"
    assert main(["plan", str(profile), "--out", str(tmp_path)]) == 0
    plan_file = next(tmp_path.glob("*.json"))
    first_calendar = plan_file.with_suffix(".ics").read_bytes()
    capsys.readouterr()
    assert main(["revise", str(plan_file), str(logs), "--as-of", AS_OF.isoformat(), "--alarm", "20"]) == 0
    assert str(plan_file.with_suffix(".ics")) in capsys.readouterr().out
    calendar = plan_file.with_suffix(".ics").read_bytes()
    assert calendar != first_calendar
    assert calendar == rv.render_ics(revised, alarm_minutes=20)
    assert calendar.count(b"STATUS:CANCELLED") == len(revised.cancelled) > 0


def test_every_parser_reads_a_pause_and_its_end_alike(first: rv.Plan, tmp_path: Path) -> None:
    since = AS_OF
    paused = rv.pause(first, since, [first.red_flags[0].id])
    resumed = rv.resume(paused, [], since + dt.timedelta(days=5))
    uid = f"pause-2.{first.id}@revalidatie"
    seen = []
    for plan, status, sequence in ((paused, "CONFIRMED", 1), (resumed, "CANCELLED", 2)):
        parsed = every_parser(rv.render_ics(plan, language="en"), tmp_path)
        for parser, events in parsed.items():
            (stop,) = [e for e in events if e["uid"] == uid]
            assert (stop["start_date"], stop["end_date"]) == ("20270125", "20270201"), parser
            assert (stop["status"], stop["sequence"]) == (status, sequence), parser
            assert stop["summary"] == "Programme paused: contact your physio", parser
            assert stop["alarms"] == [], parser
            planned = [e for e in events if e["status"] == "CONFIRMED" and e["uid"] != uid]
            seen.append((parser, status, len(planned)))
    # While paused nothing is planned from the pause day on; after the resume the programme is back.
    counts = {status: {n for _, s, n in seen if s == status} for status in ("CONFIRMED", "CANCELLED")}
    assert len(counts["CONFIRMED"]) == len(counts["CANCELLED"]) == 1  # every parser counts alike
    assert counts["CANCELLED"].pop() > counts["CONFIRMED"].pop() == len(paused.sessions)
