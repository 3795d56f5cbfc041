"""iCalendar content lines (RFC 5545 section 3.1): escaping, parameters, folding on UTF-8 octets, date-times.

A small writer of our own rather than a general library: the calendar has a fixed shape, every byte of it is
under test, and a 16-week plan must render in a few milliseconds (see docs/decisions/0007).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from .._bidi import BIDI_CONTROLS, DROP_BIDI_CONTROLS

MAX_ALARM_MINUTES = 7 * 24 * 60
"""The earliest reminder: a week before the session."""
DEFAULT_ALARM_MINUTES = 30
"""A reminder half an hour before each session unless asked otherwise; 0 (or ``None``) gives none."""

LINE_OCTETS = 75
"""RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break."""

# Line breaks and control characters other than CR and LF are rare; they take the slow path through a table.
# Every line break a reader might honour (including the Unicode ones Python's str.splitlines splits on) becomes
# "\n"; other control characters, which RFC 5545 3.3.11 does not allow in TEXT (HTAB aside), are dropped, and
# so are bidirectional controls, which would reorder the text around a name (docs/calendar.md).
_RARE = re.compile(rf"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f\x85\u2028\u2029{BIDI_CONTROLS}]")
_RARE_TABLE: dict[int, str | None] = dict.fromkeys([*range(0, 9), *range(14, 28), 31, 127])
_RARE_TABLE.update(DROP_BIDI_CONTROLS)
_RARE_TABLE.update(dict.fromkeys(map(ord, "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), "\n"))
_PARAM_UNSAFE = re.compile(r'[\x00-\x08\x0a-\x1f\x7f"]')
_MINUTE = dt.timedelta(minutes=1)


def escape_text(value: str) -> str:
    r"""Escape a TEXT value: backslash, semicolon and comma get a backslash, line breaks become ``\n``.

    Control characters and bidirectional controls are dropped.
    """
    # CRLF is one line break; it is joined first, so that a lone CR next to a removed or translated character
    # stays a line break of its own.
    value = value.replace("\r\n", "\n")
    if _RARE.search(value):
        value = value.translate(_RARE_TABLE)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "\n").replace("\n", "\\n")


def param_value(value: str) -> str:
    """A parameter value, quoted when it holds ``:``, ``;`` or ``,``; characters a parameter cannot hold go."""
    value = _PARAM_UNSAFE.sub("", value)
    return f'"{value}"' if any(ch in value for ch in ":;,") else value


def fold(line: str) -> bytes:
    """One content line as UTF-8 bytes, folded so no physical line exceeds 75 octets.

    A fold never falls inside a multi-byte UTF-8 character: the cut moves back to the character's first byte.
    Continuation lines start with one space, which counts towards their 75 octets.
    """
    data = line.encode("utf-8")
    if len(data) <= LINE_OCTETS:
        return data + b"\r\n"
    parts = []
    start, width = 0, LINE_OCTETS
    while len(data) - start > width:
        cut = start + width
        # 0b10xxxxxx is a continuation byte: back off to the start of the character.
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        parts.append(data[start:cut])
        start, width = cut, LINE_OCTETS - 1
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def utc_stamp(moment: dt.datetime) -> str:
    """A DATE-TIME in UTC form (``20270103T230000Z``); a naive moment is taken to be UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{local_stamp(moment)}Z"


def local_stamp(moment: dt.datetime) -> str:
    """A DATE-TIME as local wall time without zone (``20270104T071500``), for use with TZID."""
    # Formatted by hand: strftime is slow, and pads years below 1000 differently per platform.
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"
    )


def date_stamp(day: dt.date) -> str:
    """A DATE value (``20270104``)."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def utc_offset(offset: dt.timedelta) -> str:
    """A UTC-OFFSET value: ``+0100``, ``-0430``, ``+0530``; seconds only when there are any."""
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


class ContentWriter:
    """Collects content lines and returns the folded calendar as bytes with CRLF line ends."""

    __slots__ = ("_chunks",)

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def line(self, name: str, value: str, /, **params: str) -> None:
        """Add ``NAME;PARAM=value:VALUE``; ``value`` must already be escaped for its type."""
        head = name
        for key, param in params.items():
            head += f";{key.replace('_', '-').upper()}={param_value(param)}"
        self._chunks.append(fold(f"{head}:{value}"))

    def text(self, name: str, value: str, /, **params: str) -> None:
        """Add a TEXT property, escaping ``value``."""
        self.line(name, escape_text(value), **params)

    def begin(self, component: str) -> None:
        """Open a component."""
        self._chunks.append(f"BEGIN:{component}\r\n".encode("ascii"))

    def end(self, component: str) -> None:
        """Close a component."""
        self._chunks.append(f"END:{component}\r\n".encode("ascii"))

    def extend(self, lines: tuple[bytes, ...]) -> None:
        """Add lines that are folded already (a cached VTIMEZONE)."""
        self._chunks.extend(lines)

    def getvalue(self) -> bytes:
        """The calendar so far."""
        return b"".join(self._chunks)


def zoned_time(out: ContentWriter, name: str, moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> None:
    """Write ``moment`` (aware) as the wall time that really shows on the clocks of ``zone``, with TZID.

    Two kinds of wall time are written in UTC instead, the one form every reader takes the same way:

    - a time that occurs twice, in the hour the clocks go back: the file cannot say which of the two is
      meant, and readers choose differently (ical.js and libical the second, vobject and icalendar the first);
    - a time in an offset with seconds, such as local mean time before a zone took standard time
      (Europe/Amsterdam +00:19:32 until 1937): ical.js drops the seconds of every UTC offset.
    """
    local = moment.astimezone(zone)
    offset = local.utcoffset()
    twice = local.replace(fold=1 - local.fold).utcoffset() != offset
    if twice or offset is None or offset % _MINUTE:
        out.line(name, utc_stamp(moment))
    else:
        out.line(name, local_stamp(local), tzid=zone.key)
