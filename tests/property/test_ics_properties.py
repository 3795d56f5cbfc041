"""Properties of the calendar writer over any text and any IANA time zone."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import icalendar
import vobject
from hypothesis import example, given, settings
from hypothesis import strategies as st

from revalidatie.export._ical import escape_text, fold
from revalidatie.export._vtimezone import vtimezone
from tests.strategies import calendar_text, time_zones


@given(calendar_text)
def test_folded_lines_stay_within_75_octets_and_unfold_to_the_line(text: str) -> None:
    line = "DESCRIPTION:" + escape_text(text)
    folded = fold(line)
    parts = folded.split(b"\r\n")
    assert parts[-1] == b""
    for part in parts[:-1]:
        assert len(part) <= 75
        part.decode("utf-8")
    assert b"".join([parts[0], *(part[1:] for part in parts[1:-1])]).decode("utf-8") == line


def _as_typed(text: str) -> str:
    """What a reader should get back: one kind of line break, no control characters, no bidi controls."""
    text = re.sub(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]", "\n", text)
    return re.sub(r"[\x00-\x08\x0e-\x1b\x1f\x7f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)


@given(calendar_text)
@example("\r\x85")  # CR then NEL: two line breaks, not one CRLF
@example("\r\x00\n")
@example("Ann\u202eevil\u2066 \u2069\u200f, 06\u061c")  # bidi controls are dropped, the text keeps its order
@example("\r\u202e\n")  # a dropped control between CR and LF leaves two line breaks, as other controls do
def test_escaped_text_reads_back_as_typed(text: str) -> None:
    event = "\r\n".join(["BEGIN:VEVENT", "UID:x", "DTSTAMP:20270101T000000Z"]).encode() + b"\r\n"
    event += fold("SUMMARY:" + escape_text(text)) + b"END:VEVENT\r\n"
    calendar = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + event + b"END:VCALENDAR\r\n"
    events = icalendar.Calendar.from_ical(calendar).walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == _as_typed(text)


@settings(max_examples=40, deadline=None)
@given(time_zones, st.integers(1890, 2040), st.lists(st.integers(0, 366 * 86_400 - 1), min_size=20, max_size=20))
@example("Asia/Almaty", 2024, [0, 59 * 86_400])  # +06 in January and February, before the change to +05
@example("Europe/Amsterdam", 1900, [0, 200 * 86_400])  # local mean time, +00:19:32
def test_vtimezone_gives_the_offsets_of_the_zone(zone: str, year: int, seconds: list[int]) -> None:
    # vobject builds its time zone from our VTIMEZONE alone (through dateutil), independently of zoneinfo.
    own_name = f"Test/Zone-{zone.replace('/', '-')}-{year}"  # vobject keeps zones by TZID for the whole process
    lines = b"".join(vtimezone(zone, year, year)).decode().replace(f"TZID:{zone}", f"TZID:{own_name}")
    calendar = vobject.readOne("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + lines + "END:VCALENDAR\r\n")
    own = calendar.vtimezone.gettzinfo()
    iana = zoneinfo.ZoneInfo(zone)
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    for offset in seconds:
        moment = start + dt.timedelta(seconds=offset)
        expected = moment.astimezone(iana).utcoffset()
        assert moment.astimezone(own).utcoffset() == expected, (zone, moment)
