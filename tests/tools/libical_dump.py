"""Print the events of .ics files as JSON, as libical (Evolution, GNOME Calendar) reads them.

Runs under the system Python with GObject introspection (python3-gi and gir1.2-ical-3.0), not in the project's
virtual environment, so the test suite starts it as a subprocess:

    /usr/bin/python3 tests/tools/libical_dump.py FILE...
    /usr/bin/python3 tests/tools/libical_dump.py FILE --offsets ZONE START STOP STEP

One line of JSON per file, in order, so a test can check many calendars with one process. With ``--offsets``
(one file only) it also prints the UTC offset of every instant from START to STOP (Unix seconds, every STEP
seconds) twice: from the file's VTIMEZONE named ZONE and from libical's own built-in zone of that name.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402


def _instant(time: Any) -> int | None:
    if time.is_date():
        return None
    zone = time.get_timezone()
    if zone is None and not time.is_utc():
        raise SystemExit(f"libical could not resolve the zone of {time.as_ical_string()} (TZID {time.get_tzid()})")
    return int(time.as_timet_with_zone(zone or ICalGLib.Timezone.get_utc_timezone()))


def _date(time: Any) -> str | None:
    return f"{time.get_year():04d}{time.get_month():02d}{time.get_day():02d}" if time.is_date() else None


def _property(component: Any, kind: Any) -> str | None:
    prop = component.get_first_property(kind)
    return None if prop is None else prop.get_value_as_string()


def _text(component: Any, kind: Any) -> str | None:
    prop = component.get_first_property(kind)
    return None if prop is None else prop.get_value().get_text()


def _children(component: Any, kind: Any) -> list[Any]:
    found = []
    child = component.get_first_component(kind)
    while child is not None:
        found.append(child)
        child = component.get_next_component(kind)
    return found


def _offsets(zone: Any, start: int, stop: int, step: int) -> list[int]:
    utc = ICalGLib.Timezone.get_utc_timezone()
    result = []
    for moment in range(start, stop, step):
        time = ICalGLib.Time.new_from_timet_with_zone(moment, False, utc)
        offset, _daylight = zone.get_utc_offset_of_utc_time(time)
        result.append(int(offset))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--offsets", nargs=4, metavar=("ZONE", "START", "STOP", "STEP"))
    args = parser.parse_args()
    if args.offsets and len(args.files) > 1:
        parser.error("--offsets takes one file")
    for file in args.files:
        json.dump(_dump(file, args.offsets), sys.stdout)
        sys.stdout.write("\n")
    return 0


def _dump(file: str, offsets: list[str] | None) -> dict[str, Any]:
    with open(file, encoding="utf-8", newline="") as stream:
        text = stream.read()
    calendar = ICalGLib.Component.new_from_string(text)
    if calendar is None:
        return {"errors": ["libical could not parse the file"], "events": []}
    # libical reports what it could not parse as X-LIC-ERROR properties inside the component concerned.
    errors = [line for line in calendar.as_ical_string().splitlines() if line.startswith("X-LIC-ERROR")]
    events = []
    for event in _children(calendar, ICalGLib.ComponentKind.VEVENT_COMPONENT):
        start, end = event.get_dtstart(), event.get_dtend()
        events.append(
            {
                "uid": event.get_uid(),
                "sequence": event.get_sequence(),
                "status": _property(event, ICalGLib.PropertyKind.STATUS_PROPERTY),
                "summary": event.get_summary(),
                "description": event.get_description(),
                "url": _property(event, ICalGLib.PropertyKind.URL_PROPERTY),
                "tzid": start.get_tzid(),
                "start": _instant(start),
                "end": _instant(end),
                "start_date": _date(start),
                "end_date": _date(end),
                "alarms": [
                    alarm.get_first_property(ICalGLib.PropertyKind.TRIGGER_PROPERTY)
                    .get_trigger()
                    .get_duration()
                    .as_int()
                    for alarm in _children(event, ICalGLib.ComponentKind.VALARM_COMPONENT)
                ],
            }
        )
    result: dict[str, Any] = {
        "errors": errors,
        "name": _text(calendar, ICalGLib.PropertyKind.NAME_PROPERTY),
        "events": events,
    }
    if offsets:
        zone_name, start, stop, step = offsets[0], *map(int, offsets[1:])
        own = next(
            (
                vtimezone
                for vtimezone in _children(calendar, ICalGLib.ComponentKind.VTIMEZONE_COMPONENT)
                if _property(vtimezone, ICalGLib.PropertyKind.TZID_PROPERTY) == zone_name
            ),
            None,
        )
        if own is None:
            raise SystemExit(f"the file has no VTIMEZONE {zone_name!r}")
        zone = ICalGLib.Timezone.new()
        zone.set_component(own.clone())
        builtin = ICalGLib.Timezone.get_builtin_timezone(zone_name)
        if builtin is None:
            raise SystemExit(f"libical has no built-in zone {zone_name!r}")
        result["offsets"] = {"file": _offsets(zone, start, stop, step), "builtin": _offsets(builtin, start, stop, step)}
    return result


if __name__ == "__main__":
    sys.exit(main())
