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

import pytest

TESTS = Path(__file__).resolve().parent.parent
JS = TESTS / "js"
LIBICAL_DUMP = TESTS / "tools" / "libical_dump.py"
SYSTEM_PYTHON = Path("/usr/bin/python3")

Event = dict[str, Any]
"""uid, sequence, status, summary, description, start and end (Unix seconds, None for dates), start_date and
end_date (``YYYYMMDD``, None for times), alarms (TRIGGER offsets in seconds)."""


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


def ical_js(data: bytes, folder: Path) -> dict[str, Any]:
    """The calendar as ical.js reads it (``events`` plus calendar properties)."""
    require(_ical_js_available(), "node with tests/js/node_modules (npm ci --prefix tests/js)")
    node = shutil.which("node")
    assert node is not None
    result = subprocess.run(
        [node, str(JS / "parse_ics.mjs"), str(_write(data, folder))], capture_output=True, check=False, text=True
    )
    assert result.returncode == 0, f"ical.js failed: {result.stderr}"
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def libical(data: bytes, folder: Path, offsets: tuple[str, int, int, int] | None = None) -> dict[str, Any]:
    """The calendar as libical reads it; with ``offsets`` also a zone's UTC offsets, from the file and built in."""
    require(_libical_available(), "libical for the system Python (apt: gir1.2-ical-3.0 python3-gi)")
    command = [str(SYSTEM_PYTHON), str(LIBICAL_DUMP), str(_write(data, folder))]
    if offsets is not None:
        command += ["--offsets", *map(str, offsets)]
    result = subprocess.run(command, capture_output=True, check=False, text=True)
    assert result.returncode == 0, f"libical failed: {result.stderr}"
    parsed: dict[str, Any] = json.loads(result.stdout)
    assert parsed["errors"] == [], f"libical reported errors: {parsed['errors']}"
    return parsed


def _instant(value: dt.date | dt.datetime) -> tuple[int | None, str | None]:
    if isinstance(value, dt.datetime):
        assert value.tzinfo is not None, f"floating time {value}"
        return int(value.timestamp()), None
    return None, value.strftime("%Y%m%d")


def vobject_events(data: bytes) -> list[Event]:
    """The events as vobject reads them (its own VTIMEZONE handling, on dateutil)."""
    import vobject

    calendar = vobject.readOne(data.decode("utf-8"))
    events = []
    for event in calendar.contents.get("vevent", []):
        start, start_date = _instant(event.dtstart.value)
        end, end_date = _instant(event.dtend.value)
        events.append(
            {
                "uid": event.uid.value,
                "sequence": int(event.sequence.value),
                "status": event.status.value,
                "summary": event.summary.value,
                "description": event.description.value,
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
