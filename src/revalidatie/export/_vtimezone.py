"""VTIMEZONE components computed from the IANA database (zoneinfo), for any zone.

The transitions are found by scanning the zone over whole years around the plan. Transitions that repeat every
year on the same rule (e.g. "last Sunday of March at 02:00") become one observance with an RRULE; any other
transitions become plain observances with RDATEs; a zone without transitions gets a single STANDARD.

Which rule a transition follows is read from its local date: month, weekday and either its n-th weekday of
the month or "last" (``BYDAY=2SU``, ``BYDAY=-1SU``), plus the wall-clock time of the change.
"""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from functools import cache

import attrs

from ._ical import ContentWriter, escape_text, local_stamp, utc_offset

_STEP = 86_400  # seconds between probes; zones never change twice within a day
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@attrs.frozen
class Transition:
    """One change of a zone's offset, daylight flag or abbreviation.

    Attributes:
        at: The instant of the change (UTC, naive).
        offset_from: UTC offset before.
        offset_to: UTC offset after.
        daylight: Whether the new period is daylight saving time.
        name: Abbreviation of the new period (``CEST``).

    """

    at: dt.datetime
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    daylight: bool
    name: str

    @property
    def local_start(self) -> dt.datetime:
        """Wall time at the change, read in the old offset (what DTSTART of an observance holds)."""
        return self.at + self.offset_from

    def rule_key(self) -> tuple[object, ...]:
        """What must stay equal for transitions to belong to one observance."""
        return (self.daylight, self.offset_from, self.offset_to, self.name)


def _state(zone: zoneinfo.ZoneInfo, seconds: int) -> tuple[dt.timedelta, dt.timedelta, str]:
    local = dt.datetime.fromtimestamp(seconds, zone)
    offset, dst = local.utcoffset(), local.dst()
    assert offset is not None
    return offset, dst or dt.timedelta(0), local.tzname() or ""


def _daylight(dst: dt.timedelta, dst_before: dt.timedelta) -> bool:
    # Europe/Dublin has "negative DST": winter is the saving period and summer (IST) the standard time. Clients
    # expect DAYLIGHT to be the period with the larger offset, so a summer after a negative saving is DAYLIGHT.
    return dst > dt.timedelta(0) or (dst == dt.timedelta(0) and dst_before < dt.timedelta(0))


def transitions(zone_name: str, first_year: int, last_year: int) -> tuple[Transition, ...]:
    """Every transition of ``zone_name`` from 1 January of ``first_year`` to 31 December of ``last_year``."""
    zone = zoneinfo.ZoneInfo(zone_name)
    start = int(dt.datetime(first_year, 1, 1, tzinfo=dt.UTC).timestamp())
    stop = int(dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC).timestamp())
    found = []
    here, state = start, _state(zone, start)
    while here < stop:
        there = min(here + _STEP, stop)
        later = _state(zone, there)
        if later != state:
            low, high = here, there  # state(low) == state, state(high) != state: bisect to the second
            while high - low > 1:
                middle = (low + high) // 2
                if _state(zone, middle) == state:
                    low = middle
                else:
                    high = middle
            after = _state(zone, high)
            found.append(
                Transition(
                    at=dt.datetime.fromtimestamp(high, dt.UTC).replace(tzinfo=None),
                    offset_from=state[0],
                    offset_to=after[0],
                    daylight=_daylight(after[1], state[1]),
                    name=after[2],
                )
            )
            here, state = high, after
        else:
            here = there
    return tuple(found)


def _week_rules(day: dt.date) -> frozenset[int]:
    """The BYDAY ordinals that pick ``day`` in its month: its n-th weekday, and -1 when it is the last one."""
    rules = {(day.day - 1) // 7 + 1}
    if day.day + 7 > calendar.monthrange(day.year, day.month)[1]:
        rules.add(-1)
    return frozenset(rules)


@attrs.frozen
class _Run:
    """Transitions in consecutive years that one yearly RRULE describes."""

    members: tuple[Transition, ...]
    ordinals: frozenset[int]

    def accepts(self, item: Transition) -> bool:
        last = self.members[-1]
        a, b = last.local_start, item.local_start
        return (
            b.year == a.year + 1
            and (a.month, a.weekday(), a.time()) == (b.month, b.weekday(), b.time())
            and bool(self.ordinals & _week_rules(b.date()))
        )

    def add(self, item: Transition) -> _Run:
        return _Run((*self.members, item), self.ordinals & _week_rules(item.local_start.date()))


def _runs(group: list[Transition]) -> list[_Run]:
    runs: list[_Run] = []
    for item in group:
        if runs and runs[-1].accepts(item):
            runs[-1] = runs[-1].add(item)
        else:
            runs.append(_Run((item,), _week_rules(item.local_start.date())))
    return runs


def _observance(out: ContentWriter, first: Transition, extra: list[str]) -> None:
    kind = "DAYLIGHT" if first.daylight else "STANDARD"
    out.begin(kind)
    out.line("DTSTART", local_stamp(first.local_start))
    for line in extra:
        name, _, value = line.partition(":")
        out.line(name, value)
    out.line("TZOFFSETFROM", utc_offset(first.offset_from))
    out.line("TZOFFSETTO", utc_offset(first.offset_to))
    if first.name:
        out.text("TZNAME", first.name)
    out.end(kind)


@cache
def vtimezone(zone_name: str, first_year: int, last_year: int) -> tuple[bytes, ...]:
    """The folded lines of a VTIMEZONE for ``zone_name`` that is exact from ``first_year`` to ``last_year``.

    The scan reaches a year further on both sides, so the yearly rules are seen at least twice and an event
    near the ends of the plan is covered. A yearly rule still in force at the end of the scan becomes an open
    RRULE, which is how clients expect a zone's current rule; every other transition is listed as a date.
    """
    scan_first, scan_last = first_year - 1, last_year + 1
    found = transitions(zone_name, scan_first, scan_last)
    out = ContentWriter()
    out.begin("VTIMEZONE")
    out.line("TZID", escape_text(zone_name))
    if not found:
        zone = zoneinfo.ZoneInfo(zone_name)
        offset, _, name = _state(zone, int(dt.datetime(first_year, 7, 1, tzinfo=dt.UTC).timestamp()))
        out.begin("STANDARD")
        out.line("DTSTART", "19700101T000000")
        out.line("TZOFFSETFROM", utc_offset(offset))
        out.line("TZOFFSETTO", utc_offset(offset))
        if name:
            out.text("TZNAME", name)
        out.end("STANDARD")
        out.end("VTIMEZONE")
        return tuple(out.getvalue().splitlines(keepends=True))

    groups: dict[tuple[object, ...], list[Transition]] = {}
    for item in found:
        groups.setdefault(item.rule_key(), []).append(item)
    yearly: list[tuple[Transition, list[str]]] = []
    singles: dict[tuple[object, ...], list[Transition]] = {}
    for key, group in groups.items():
        for run in _runs(group):
            first, last = run.members[0], run.members[-1]
            # Only a rule still in force at the end of the scan becomes an RRULE. A rule that stopped earlier
            # is written out as dates: an UNTIL would be compared with local times by some readers and lose
            # the last change.
            if len(run.members) < 2 or last.at.year < scan_last:
                singles.setdefault(key, []).extend(run.members)
                continue
            # Prefer "last Sunday" over "fourth Sunday" when both fit: that is how the rules are written.
            ordinal = -1 if -1 in run.ordinals else min(run.ordinals)
            start = first.local_start
            rule = f"FREQ=YEARLY;BYMONTH={start.month};BYDAY={ordinal}{_WEEKDAYS[start.weekday()]}"
            yearly.append((first, [f"RRULE:{rule}"]))
    for members in singles.values():
        members.sort(key=lambda item: item.at)
        yearly.append((members[0], [f"RDATE:{local_stamp(item.local_start)}" for item in members[1:]]))
    for first, extra in sorted(yearly, key=lambda entry: entry[0].at):
        _observance(out, first, extra)
    out.end("VTIMEZONE")
    return tuple(out.getvalue().splitlines(keepends=True))
