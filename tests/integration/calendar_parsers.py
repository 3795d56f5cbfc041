"""Independent iCalendar parsers, each reduced to the same plain view of the events, for the calendar tests.

Four readers that share no code with our writer nor with each other's parsing: Mozilla's ical.js (node),
libical (through GObject introspection in the system Python), vobject and icalendar. A missing tool skips the
test on a developer's machine but fails it in CI (``CI`` set), so CI can never pass without checking.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import attrs
import pytest

TESTS = Path(__file__).resolve().parent.parent
JS = TESTS / "js"
LIBICAL_DUMP = TESTS / "tools" / "libical_dump.py"
SYSTEM_PYTHON = Path("/usr/bin/python3")

Event = dict[str, Any]
"""uid, sequence, status, summary, description, url (None without), start and end (Unix seconds, None for
dates), start_date and end_date (``YYYYMMDD``, None for times), alarms (TRIGGER offsets in seconds)."""


def require(available: bool, what: str) -> None:
    """Skip (on a developer's machine) or fail (in CI) when a checking tool is missing."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI; .ci/run should have installed it")
    pytest.skip(f"{what} is not installed")


@functools.cache
def _libical_available() -> bool:
    if not SYSTEM_PYTHON.exists():
        return False
    probe = "import gi; gi.require_version('ICalGLib', '3.0'); from gi.repository import ICalGLib"
    return subprocess.run([str(SYSTEM_PYTHON), "-c", probe], capture_output=True, check=False).returncode == 0


def _ical_js_available() -> bool:
    return shutil.which("node") is not None and (JS / "node_modules" / "ical.js").is_dir()


def _write(data: bytes, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"calendar-{hashlib.sha256(data).hexdigest()[:16]}.ics"
    path.write_bytes(data)
    return path


@attrs.frozen
class _Running:
    """A reader started on some calendars, writing one line of JSON per calendar to a file."""

    what: str
    process: subprocess.Popen[bytes]
    output: Path
    errors: Path
    count: int

    def result(self) -> list[dict[str, Any]]:
        code = self.process.wait()
        assert code == 0, f"{self.what} failed: {self.errors.read_text()}"
        parsed: list[dict[str, Any]] = [json.loads(line) for line in self.output.read_text().splitlines()]
        assert len(parsed) == self.count, self.what
        return parsed


def _start(what: str, command: list[str], folder: Path, count: int) -> _Running:
    # Output goes to files rather than pipes, so the reader can run on while the test does other work.
    name = hashlib.sha256("\0".join(command).encode()).hexdigest()[:16]
    output, errors = folder / f"{name}.jsonl", folder / f"{name}.err"
    with output.open("wb") as out, errors.open("wb") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err)
    return _Running(what, process, output, errors, count)


def _start_ical_js(calendars: list[bytes], folder: Path) -> _Running:
    require(_ical_js_available(), "node with tests/js/node_modules (npm ci --prefix tests/js)")
    node = shutil.which("node")
    assert node is not None
    files = [str(_write(data, folder)) for data in calendars]
    return _start("ical.js", [node, str(JS / "parse_ics.mjs"), *files], folder, len(calendars))


def _start_libical(calendars: list[bytes], folder: Path, offsets: tuple[str, int, int, int] | None = None) -> _Running:
    require(_libical_available(), "libical for the system Python (apt: gir1.2-ical-3.0 python3-gi)")
    command = [str(SYSTEM_PYTHON), str(LIBICAL_DUMP), *(str(_write(data, folder)) for data in calendars)]
    if offsets is not None:
        command += ["--offsets", *map(str, offsets)]
    return _start("libical", command, folder, len(calendars))


def _libical_result(running: _Running) -> list[dict[str, Any]]:
    parsed = running.result()
    for calendar in parsed:
        assert calendar["errors"] == [], f"libical reported errors: {calendar['errors']}"
    return parsed


def ical_js(data: bytes, folder: Path) -> dict[str, Any]:
    """The calendar as ical.js reads it (``events`` plus calendar properties)."""
    return ical_js_many([data], folder)[0]


def ical_js_many(calendars: list[bytes], folder: Path) -> list[dict[str, Any]]:
    """Each calendar as ical.js reads it, all in one node process."""
    return _start_ical_js(calendars, folder).result()


def libical(data: bytes, folder: Path, offsets: tuple[str, int, int, int] | None = None) -> dict[str, Any]:
    """The calendar as libical reads it; with ``offsets`` also a zone's UTC offsets, from the file and built in."""
    return _libical_result(_start_libical([data], folder, offsets))[0]


def libical_many(calendars: list[bytes], folder: Path) -> list[dict[str, Any]]:
    """Each calendar as libical reads it, all in one process; parse errors libical reports fail the test."""
    return _libical_result(_start_libical(calendars, folder))


def _instant(value: dt.date | dt.datetime) -> tuple[int | None, str | None]:
    if isinstance(value, dt.datetime):
        assert value.tzinfo is not None, f"floating time {value}"
        return int(value.timestamp()), None
    return None, value.strftime("%Y%m%d")


def vobject_events(data: bytes) -> list[Event]:
    """The events as vobject reads them (its own VTIMEZONE handling, on dateutil)."""
    import vobject

    calendar = vobject.readOne(data.decode("utf-8"))
    zones = _vobject_zones(calendar)
    events = []
    for event in calendar.contents.get("vevent", []):
        start, start_date = _instant(_vobject_value(event.dtstart, zones))
        end, end_date = _instant(_vobject_value(event.dtend, zones))
        events.append(
            {
                "uid": event.uid.value,
                "sequence": int(event.sequence.value),
                "status": event.status.value,
                "summary": event.summary.value,
                "description": event.description.value,
                "url": event.url.value if "url" in event.contents else None,
                "start": start,
                "end": end,
                "start_date": start_date,
                "end_date": end_date,
                "alarms": [int(alarm.trigger.value.total_seconds()) for alarm in event.contents.get("valarm", [])],
            }
        )
    return events


def icalendar_events(data: bytes) -> list[Event]:
    """The events as the icalendar package reads them; parse errors it collects fail the test."""
    import icalendar

    calendar = icalendar.Calendar.from_ical(data)
    for component in calendar.walk():
        assert not component.errors, f"icalendar reported errors in {component.name}: {component.errors}"
    events = []
    for event in calendar.walk("VEVENT"):
        start, start_date = _instant(event.decoded("DTSTART"))
        end, end_date = _instant(event.decoded("DTEND"))
        events.append(
            {
                "uid": str(event["UID"]),
                "sequence": int(event.decoded("SEQUENCE")),
                "status": str(event["STATUS"]),
                "summary": str(event["SUMMARY"]),
                "description": str(event["DESCRIPTION"]),
                "url": str(event["URL"]) if "URL" in event else None,
                "start": start,
                "end": end,
                "start_date": start_date,
                "end_date": end_date,
                "alarms": [int(alarm.decoded("TRIGGER").total_seconds()) for alarm in event.walk("VALARM")],
            }
        )
    return events


def every_parser(data: bytes, folder: Path) -> dict[str, list[Event]]:
    """The events as each of the four parsers reads them, by parser name."""
    return {
        "ical.js": ical_js(data, folder)["events"],
        "libical": libical(data, folder)["events"],
        "vobject": vobject_events(data),
        "icalendar": icalendar_events(data),
    }


Times = dict[str, tuple[int | None, int | None]]
"""UID -> (start, end) in Unix seconds, for calendars whose events need carry nothing but their times."""


def _times(events: list[Event]) -> Times:
    return {event["uid"]: (event["start"], event["end"]) for event in events}


def _vobject_zones(calendar: Any) -> dict[str, dt.tzinfo]:
    # vobject files each VTIMEZONE under its TZID, except one that looks like UTC from 2000 to 2020 (a zone of
    # 1969 at +00:00, or one whose first onset is in 2036): it leaves times in such a zone floating. Their zone
    # is still read from the file, through the same dateutil reader vobject uses for the others.
    return {str(vtimezone.tzid.value): vtimezone.gettzinfo() for vtimezone in calendar.contents.get("vtimezone", [])}


def _vobject_value(prop: Any, zones: dict[str, dt.tzinfo]) -> dt.date | dt.datetime:
    value = prop.value
    tzid = prop.params.get("X-VOBJ-ORIGINAL-TZID")  # where vobject keeps the TZID of a time it left floating
    if isinstance(value, dt.datetime) and value.tzinfo is None and tzid:
        value = value.replace(tzinfo=zones[tzid[0]])
    assert isinstance(value, dt.date)
    return value


def vobject_times(data: bytes) -> Times:
    """The start and end of every event as vobject reads them."""
    import vobject

    calendar = vobject.readOne(data.decode("utf-8"))
    zones = _vobject_zones(calendar)
    return {
        event.uid.value: (
            _instant(_vobject_value(event.dtstart, zones))[0],
            _instant(_vobject_value(event.dtend, zones))[0],
        )
        for event in calendar.contents.get("vevent", [])
    }


def icalendar_times(data: bytes) -> Times:
    """The start and end of every event as the icalendar package reads them."""
    import icalendar

    calendar = icalendar.Calendar.from_ical(data)
    for component in calendar.walk():
        assert not component.errors, f"icalendar reported errors in {component.name}: {component.errors}"
    return {
        str(event["UID"]): (_instant(event.decoded("DTSTART"))[0], _instant(event.decoded("DTEND"))[0])
        for event in calendar.walk("VEVENT")
    }


def every_parser_times(calendars: list[bytes], folder: Path) -> dict[str, list[Times]]:
    """The start and end of every event of each calendar as each of the four parsers reads them, by parser name.

    ical.js and libical read all the calendars in one process each, while vobject and icalendar read them here.
    """
    folder.mkdir(parents=True, exist_ok=True)
    ical_js_running, libical_running = _start_ical_js(calendars, folder), _start_libical(calendars, folder)
    read_here = {
        "vobject": [vobject_times(data) for data in calendars],
        "icalendar": [icalendar_times(data) for data in calendars],
    }
    return {
        "ical.js": [_times(calendar["events"]) for calendar in ical_js_running.result()],
        "libical": [_times(calendar["events"]) for calendar in _libical_result(libical_running)],
        **read_here,
    }
