"""VTIMEZONE components computed from the IANA database (zoneinfo), for any zone and any year.

The transitions are found by scanning the zone over whole years around the plan. Transitions that repeat every
year on the same rule (e.g. "last Sunday of March at 02:00") become one observance with an RRULE; any other
transitions become observances that list every onset as an RDATE, the first one too (ical.js ignores a DTSTART
that no RRULE or RDATE repeats). When the scan finds no transition before the plan's first year, the offset in
force at the start of the scan becomes an observance of its own, so no event comes before the first onset:
readers disagree about such times (ical.js takes UTC, vobject the first STANDARD's offset).

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

# Seconds between probes. Two changes of a zone are never less than four days apart (the shortest in the IANA
# database: Africa/Freetown, 1 to 5 September 1939), so a probe every two days sees every period.
_STEP = 2 * 86_400
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Instants are seconds since 1970 worked out with datetime arithmetic rather than timestamp() and
# fromtimestamp(), which are limited to the platform's time_t (Windows refuses any moment before 1970).
_EPOCH = dt.datetime(1970, 1, 1)  # naive, UTC


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


def _seconds(year: int) -> int:
    """1 January of ``year`` at midnight UTC, in seconds since 1970."""
    return (dt.datetime(year, 1, 1) - _EPOCH) // dt.timedelta(seconds=1)


def _moment(seconds: int) -> dt.datetime:
    """Seconds since 1970 as a naive UTC datetime."""
    return _EPOCH + dt.timedelta(seconds=seconds)


def _state(zone: zoneinfo.ZoneInfo, seconds: int, epoch: dt.datetime) -> tuple[dt.timedelta, dt.timedelta, str]:
    """Offset, saving and abbreviation of ``zone`` at ``seconds``; ``epoch`` is 1970 in ``zone``'s clothes.

    fromutc on the UTC wall time attached to the zone is about twice as fast as astimezone, and the scan makes
    hundreds of probes per zone.
    """
    local = zone.fromutc(epoch + dt.timedelta(seconds=seconds))
    offset, dst = zone.utcoffset(local), zone.dst(local)
    assert offset is not None
    return offset, dst or dt.timedelta(0), zone.tzname(local) or ""


def _daylight(dst: dt.timedelta, dst_before: dt.timedelta) -> bool:
    # Europe/Dublin has "negative DST": winter is the saving period and summer (IST) the standard time. Clients
    # expect DAYLIGHT to be the period with the larger offset, so a summer after a negative saving is DAYLIGHT.
    return dst > dt.timedelta(0) or (dst == dt.timedelta(0) and dst_before < dt.timedelta(0))


@cache
def transitions(zone_name: str, first_year: int, last_year: int) -> tuple[Transition, ...]:
    """Every transition of ``zone_name`` from 1 January of ``first_year`` to 31 December of ``last_year``."""
    zone = zoneinfo.ZoneInfo(zone_name)
    epoch = _EPOCH.replace(tzinfo=zone)
    start, stop = _seconds(first_year), _seconds(last_year + 1)
    found = []
    here, state = start, _state(zone, start, epoch)
    while here < stop:
        there = min(here + _STEP, stop)
        later = _state(zone, there, epoch)
        if later != state:
            low, high = here, there  # state(low) == state, state(high) != state: bisect to the second
            while high - low > 1:
                middle = (low + high) // 2
                if _state(zone, middle, epoch) == state:
                    low = middle
                else:
                    high = middle
            after = _state(zone, high, epoch)
            found.append(
                Transition(
                    at=_moment(high),
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


def _in_force(zone: zoneinfo.ZoneInfo, seconds: int) -> Transition:
    """The offset in force at ``seconds`` as an observance whose onset is that instant (no change of offset)."""
    offset, dst, name = _state(zone, seconds, _EPOCH.replace(tzinfo=zone))
    return Transition(
        at=_moment(seconds), offset_from=offset, offset_to=offset, daylight=dst > dt.timedelta(0), name=name
    )


@cache
def vtimezone(zone_name: str, first_year: int, last_year: int) -> tuple[bytes, ...]:
    """The folded lines of a VTIMEZONE for ``zone_name`` that is exact from ``first_year`` to ``last_year``.

    The scan reaches a year further on both sides, so the yearly rules are seen at least twice and an event
    near the ends of the plan is covered. A yearly rule still in force at the end of the scan becomes an open
    RRULE, which is how clients expect a zone's current rule; every other transition is listed as a date.
    Any year works, also before 1970 and after 2038.
    """
    scan_first, scan_last = first_year - 1, last_year + 1
    found = transitions(zone_name, scan_first, scan_last)
    out = ContentWriter()
    out.begin("VTIMEZONE")
    out.line("TZID", escape_text(zone_name))
    observances: list[tuple[Transition, list[str]]] = []
    # A zone with a yearly rule changes in the year before the plan, and that change is the first onset. Any
    # other zone (no change at all, or a change only within the plan, as Asia/Almaty from +06 to +05 on 1 March
    # 2024) starts with the offset in force when the scan begins, a year before the plan.
    if not found or found[0].at >= dt.datetime(first_year, 1, 1) - dt.timedelta(days=1):
        observances.append((_in_force(zoneinfo.ZoneInfo(zone_name), _seconds(scan_first)), []))

    groups: dict[tuple[object, ...], list[Transition]] = {}
    for item in found:
        groups.setdefault(item.rule_key(), []).append(item)
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
            observances.append((first, [f"RRULE:{rule}"]))
    for members in singles.values():
        members.sort(key=lambda item: item.at)
        # The first onset is an RDATE as well as the DTSTART: RFC 5545 counts the DTSTART as an onset in any
        # case (and a repeated one once), but ical.js only takes the onsets its RRULE and RDATEs give. A single
        # onset needs no RDATE: every reader takes the DTSTART of an observance without RRULE or RDATE.
        dates = [f"RDATE:{local_stamp(item.local_start)}" for item in members] if len(members) > 1 else []
        observances.append((members[0], dates))
    for first, extra in sorted(observances, key=lambda entry: entry[0].at):
        _observance(out, first, extra)
    out.end("VTIMEZONE")
    return tuple(out.getvalue().splitlines(keepends=True))
