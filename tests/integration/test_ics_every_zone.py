"""Every IANA time zone, over spans a plan may have: the times four readers take from our calendars.

For each zone there is one calendar with a VTIMEZONE per span and events at the times that are hard to get
right: just before and after each change of offset and in the hour the clocks skip or show twice, the first
and last hours of the span, and a morning each year. The start and end each reader gives
must be the instant zoneinfo gives for the same wall time (RFC 5545 3.3.5: a skipped time is read with the
offset before the gap, a repeated one is the first). ical.js and libical read all the calendars in one process
each, so the whole check takes seconds rather than minutes.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.resources
import io
import itertools
import zoneinfo
from pathlib import Path
from typing import Any

import pytest

from revalidatie.export import _vtimezone
from revalidatie.export._ical import ContentWriter, zoned_time
from revalidatie.export._vtimezone import transitions, vtimezone
from revalidatie.export.ics import session_start

from .calendar_parsers import Times, every_parser_times

# Start years around the edges: before 1970 (negative Unix time) and the first standard times of many zones,
# the 1969/1970 turn, the 2024 rule changes (Asia/Almaty, Asia/Qostanay), a common year, and the 2038 limit
# of 32-bit time. Each span is two years, as a plan that crosses New Year has.
SPANS = ((1900, 1901), (1969, 1970), (2024, 2025), (2027, 2028), (2037, 2038))
MINUTES = 45
ZONES = sorted(zoneinfo.available_timezones())


def _tzif(zone: str) -> bytes:
    """The zone's TZif data from where zoneinfo takes it: the system's database first, then tzdata."""
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / zone
        if path.is_file():
            return path.read_bytes()
    return importlib.resources.files("tzdata.zoneinfo").joinpath(zone).read_bytes()


def _renamed(zone: str, key: str) -> zoneinfo.ZoneInfo:
    # A TZID no reader knows makes every reader use the VTIMEZONE in the file rather than its own zone data,
    # and one per span keeps vobject, which files zones by TZID for the whole process, from mixing them up.
    return zoneinfo.ZoneInfo.from_file(io.BytesIO(_tzif(zone)), key=key)


def _wall_times(zone: str, first: int, last: int) -> list[dt.datetime]:
    # Half an hour either side of each change, read in the offset before it and in the one after: before the
    # change, in the skipped or repeated hour, and after it. Plus the first and last half hour of the span and a
    # summer morning each year, for zones that do not change at all.
    found = {dt.datetime(first, 1, 1, 0, 30), dt.datetime(last, 12, 31, 23, 30)}
    found |= {dt.datetime(year, 7, 1, 9, 0) for year in range(first, last + 1)}
    # The changes the VTIMEZONE writer found, from the scan it has already made (a year either side).
    for change in transitions(zone, first - 1, last + 1):
        for offset in (change.offset_from, change.offset_to):
            for minutes in (-30, 30):
                found.add((change.at + offset + dt.timedelta(minutes=minutes)).replace(second=0))
    return sorted(moment for moment in found if first <= moment.year <= last)


def _calendar(zone: str) -> tuple[bytes, Times]:
    """A calendar with a VTIMEZONE and events for every span, and when each event starts and ends."""
    iana = zoneinfo.ZoneInfo(zone)
    out = ContentWriter()
    out.begin("VCALENDAR")
    out.line("VERSION", "2.0")
    out.line("PRODID", "-//revalidatie//tests//EN")
    expected: Times = {}
    for first, last in SPANS:
        key = f"Test/{first}-{last}/{zone}"
        lines = b"".join(vtimezone(zone, first, last))
        assert lines.count(f"\r\nTZID:{zone}\r\n".encode()) == 1
        out.extend((lines.replace(f"\r\nTZID:{zone}\r\n".encode(), f"\r\nTZID:{key}\r\n".encode()),))
        own = _renamed(zone, key)
        for wall in _wall_times(zone, first, last):
            uid = f"{key}/{wall:%Y%m%dT%H%M}"
            start = session_start(wall.date(), wall.time(), own)
            out.begin("VEVENT")
            out.line("UID", uid)
            out.line("DTSTAMP", "20270101T000000Z")
            zoned_time(out, "DTSTART", start, own)
            zoned_time(out, "DTEND", start + dt.timedelta(minutes=MINUTES), own)
            out.end("VEVENT")
            # What the wall time means, worked out by zoneinfo alone (fold=0: RFC 5545's reading).
            seconds = int(dt.datetime.combine(wall.date(), wall.time(), tzinfo=iana).timestamp())
            expected[uid] = (seconds, seconds + MINUTES * 60)
    out.end("VCALENDAR")
    return out.getvalue(), expected


@pytest.mark.slow
def test_every_zone_reads_back_as_zoneinfo_in_every_reader(tmp_path: Path) -> None:
    built = [_calendar(zone) for zone in ZONES]
    expected = [times for _, times in built]
    assert sum(map(len, expected)) > 4 * len(ZONES) * len(SPANS)
    parsed = every_parser_times([data for data, _ in built], tmp_path)
    for parser, calendars in parsed.items():
        wrong = [
            (uid, got.get(uid), want)
            for got, wanted in zip(calendars, expected, strict=True)
            for uid, want in wanted.items()
            if got.get(uid) != want
        ]
        assert [len(got) for got in calendars] == [len(wanted) for wanted in expected], parser
        assert wrong == [], f"{parser} reads {len(wrong)} times differently from zoneinfo, first {wrong[:5]}"


def _period_ends(zone: str) -> list[tuple[int, int]]:
    """(start, end) in Unix seconds of every period in the zone's transition table that changes state."""
    # The pure-Python zoneinfo of the standard library keeps the table it read; the C one does not show it.
    pure: Any = importlib.import_module("zoneinfo._zoneinfo")
    table = pure.ZoneInfo.no_cache(zone)
    states = [(info.utcoff, info.dstoff, info.tzname) for info in table._ttinfos]
    moments: list[int] = table._trans_utc
    # _ttinfos[i] holds from _trans_utc[i] on; a change is a transition to another state than the one before.
    pairs = zip(moments[1:], itertools.pairwise(states), strict=True)
    changes = [moment for moment, (before, state) in pairs if state != before]
    return list(itertools.pairwise(changes))


def test_no_period_of_any_zone_is_shorter_than_the_scan_step() -> None:
    # The VTIMEZONE writer probes a zone every _STEP seconds and would miss a period shorter than that which
    # returns to the offset before it. The transition tables of the IANA database hold the periods up to each
    # zone's last listed change; later ones follow its POSIX rule, whose periods last for months.
    shortest = min((end - start, zone) for zone in ZONES for start, end in _period_ends(zone))
    assert shortest[0] > _vtimezone._STEP, shortest
