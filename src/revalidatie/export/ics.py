"""The plan as an iCalendar (.ics) file a client imports or subscribes to.

One VEVENT per session, with a UID that stays the same across revisions and a SEQUENCE that grows with every
revision that changes the session, so a subscribed calendar updates in place. Sessions a revision removed stay
in the file as ``STATUS:CANCELLED`` with a higher SEQUENCE, so every client drops them (docs/decisions/0007).

Only the programme goes into the calendar: sessions, exercises, doses and the pain rule. No diagnosis, side,
notes or screening answers; the calendar's name holds the client's first name unless asked otherwise.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import attrs

from .._atomic import write_atomically
from .._version import __version__
from ..errors import InputError, Problem, error_message
from ..i18n import CLIENT_LANGUAGES, texts_for
from ..model.common import Language
from ..model.dose import DoseValue
from ..model.exercise import Category, Laterality
from ..model.plan import Item, Pause, Plan, Role, Session, SessionKind
from ..model.protocol import Phase
from . import rules
from ._ical import (
    DEFAULT_ALARM_MINUTES,
    MAX_ALARM_MINUTES,
    ContentWriter,
    date_stamp,
    escape_text,
    utc_stamp,
    zoned_time,
)
from ._vtimezone import vtimezone
from .layout import layout
from .text import category_label, describe_dose, format_date, run_label

PRODID = f"-//revalidatie//revalidatie {__version__}//EN"
REFRESH = "PT12H"
"""How often subscribed clients should fetch the calendar again (REFRESH-INTERVAL and X-PUBLISHED-TTL)."""
_OPTIONS = "<calendar options>"


def render_ics(
    plan: Plan,
    *,
    language: Language | str | None = None,
    all_day: bool = False,
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES,
    full_name: bool = False,
    page_url: str | None = None,
) -> bytes:
    """The plan as an iCalendar file (RFC 5545), UTF-8 with CRLF line ends and lines folded at 75 octets.

    The same plan always gives the same bytes: UIDs come from the plan and session ids, and DTSTAMP and
    LAST-MODIFIED are the time of the revision in which each session last changed, never the current time.

    Args:
        plan: The plan (any revision).
        language: ``"nl"``, ``"en"``, ``"tr"``, ``"pl"`` or ``"ar"``; defaults to the client's language.
        all_day: Write each session as an all-day event (the time goes into the description) instead of at
            the client's preferred time.
        alarm_minutes: A reminder this many minutes before each session (1 to 10080; 30 unless given); none
            with 0 or ``None``. For all-day events the reminder counts back from the session's planned time.
        full_name: Put the client's full name in the calendar's name instead of the first name only.
        page_url: Address of the client's feed page (their programme online); each event links to it.

    Returns:
        The calendar as bytes.

    Raises:
        InputError: ``language``, ``alarm_minutes`` or ``page_url`` is not valid.

    """
    lang = _language(plan, language)
    _check_alarm(alarm_minutes)
    alarm = alarm_minutes or None
    link = _page_url(page_url)
    words = texts_for(lang)
    zone_name = plan.profile.timezone
    stamps = {note.number: note.at for note in plan.history}
    out = ContentWriter()
    out.begin("VCALENDAR")
    out.line("VERSION", "2.0")
    out.text("PRODID", PRODID)
    out.line("CALSCALE", "GREGORIAN")
    out.line("METHOD", "PUBLISH")
    name = words("calendar.calendar", name=plan.profile.name if full_name else plan.profile.first_name)
    description = _calendar_description(plan, lang)
    out.text("NAME", name)
    out.text("X-WR-CALNAME", name)
    out.text("DESCRIPTION", description)
    out.text("X-WR-CALDESC", description)
    out.line("REFRESH-INTERVAL", REFRESH, value="DURATION")
    out.line("X-PUBLISHED-TTL", REFRESH)

    current = {session.id for session in plan.sessions}
    # A session may be cancelled, planned again and cancelled again: its latest cancellation is the one that
    # counts, and a session that is planned now is not cancelled at all (one UID, one event).
    cancelled: dict[str, tuple[Session, int]] = {}
    for entry in plan.cancelled:
        sid = entry.session.id
        if sid not in current and (sid not in cancelled or cancelled[sid][1] < entry.revision):
            cancelled[sid] = (entry.session, entry.revision)
    events = [(session, session.revision, False) for session in plan.sessions]
    events += [(session, revision, True) for session, revision in cancelled.values()]
    events.sort(key=lambda event: (event[0].date, event[0].start, event[0].id))

    if events and not all_day:
        years = [session.date.year for session, _, _ in events]
        out.extend(vtimezone(zone_name, min(years), max(years)))
    zone = zoneinfo.ZoneInfo(zone_name)
    pain = PainRules(plan, lang)
    cards = layout(plan).card_pages
    for session, revision, is_cancelled in events:
        stamp = stamps.get(revision, plan.revised_at)
        context = _Context(lang, zone, all_day, alarm, pain, cards, link)
        _event(out, plan, session, revision, stamp, is_cancelled, context)
    for pause in plan.pauses:
        _pause_event(out, plan, pause, stamps.get(pause.changed, plan.revised_at), lang, link)
    out.end("VCALENDAR")
    return out.getvalue()


def write_ics(
    plan: Plan,
    path: str | Path,
    *,
    language: Language | str | None = None,
    all_day: bool = False,
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES,
    full_name: bool = False,
    page_url: str | None = None,
) -> Path:
    """Write the plan as an .ics file to ``path`` atomically and return the path.

    Takes the same options as :func:`render_ics`.

    Raises:
        InputError: An option is not valid.
        ExportError: The file cannot be written.

    """
    data = render_ics(
        plan, language=language, all_day=all_day, alarm_minutes=alarm_minutes, full_name=full_name, page_url=page_url
    )
    return write_atomically(Path(path), data)


def _language(plan: Plan, language: Language | str | None) -> str:
    if language is None:
        return plan.profile.language.value
    if isinstance(language, str) and language in CLIENT_LANGUAGES:
        return str(language)
    allowed = ", ".join(repr(code) for code in CLIENT_LANGUAGES)
    raise InputError(
        [Problem(_OPTIONS, "language", error_message("error.language-or-none", allowed=allowed), repr(language))]
    )


def _page_url(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("https", "http") or not parts.netloc or any(c.isspace() for c in url):
        problem = error_message("error.url-scheme-page")
        raise InputError([Problem(_OPTIONS, "page_url", problem, repr(url)[:80])])
    return url


def _check_alarm(alarm_minutes: int | None) -> None:
    if alarm_minutes is None:
        return
    if isinstance(alarm_minutes, bool) or not isinstance(alarm_minutes, int):
        message = error_message("error.alarm-not-whole")
        raise InputError([Problem(_OPTIONS, "alarm_minutes", message, repr(alarm_minutes))])
    if not 0 <= alarm_minutes <= MAX_ALARM_MINUTES:
        raise InputError(
            [
                Problem(
                    _OPTIONS,
                    "alarm_minutes",
                    error_message("error.alarm-range", limit=MAX_ALARM_MINUTES),
                    repr(alarm_minutes),
                )
            ]
        )


def _calendar_description(plan: Plan, lang: str) -> str:
    words = texts_for(lang)
    text = words("calendar.calendar_description", start=format_date(plan.start, lang), end=format_date(plan.end, lang))
    who = _contact(plan, with_phone=False)
    return f"{text} {words('calendar.from', who=who)}" if who else text


def _contact(plan: Plan, *, with_phone: bool) -> str:
    contact = plan.profile.contact
    parts = [contact.clinician, contact.practice]
    if with_phone:
        parts += [contact.phone, contact.email]
    return ", ".join(part for part in parts if part)


def _event(
    out: ContentWriter,
    plan: Plan,
    session: Session,
    revision: int,
    stamp: dt.datetime,
    is_cancelled: bool,
    context: _Context,
) -> None:
    lang, zone, all_day, alarm_minutes = context.lang, context.zone, context.all_day, context.alarm_minutes
    words = texts_for(lang)
    summary = summarise(plan, session, lang)
    if is_cancelled:
        summary = words("calendar.cancelled", summary=summary)
    out.begin("VEVENT")
    out.text("UID", f"{session.id}.{plan.id}@revalidatie")
    out.line("DTSTAMP", utc_stamp(stamp))
    out.line("LAST-MODIFIED", utc_stamp(stamp))
    # SEQUENCE starts at 0 for the first plan (RFC 5545 3.8.7.4) and grows by one for each later revision.
    out.line("SEQUENCE", str(revision - 1))
    out.line("STATUS", "CANCELLED" if is_cancelled else "CONFIRMED")
    if all_day:
        out.line("DTSTART", date_stamp(session.date), value="DATE")
        out.line("DTEND", date_stamp(session.date + dt.timedelta(days=1)), value="DATE")
        out.line("TRANSP", "TRANSPARENT")
    else:
        start = session_start(session.date, session.start, zone)
        # Add the minutes on the UTC time line, so a session across a clock change still lasts as long.
        zoned_time(out, "DTSTART", start, zone)
        zoned_time(out, "DTEND", start + dt.timedelta(minutes=session.minutes), zone)
        out.line("TRANSP", "OPAQUE")
    out.text("SUMMARY", summary)
    cancelled_at = stamp if is_cancelled else None
    lines = _description_lines(plan, session, context, cancelled_at=cancelled_at)
    # Escaped line by line: most lines (exercises, the pain rule, the contact) recur in many events.
    out.line("DESCRIPTION", "\\n".join(map(_escaped, lines)))
    kind = {
        SessionKind.RUN: "calendar.run",
        SessionKind.STRENGTH: "calendar.strength",
        SessionKind.CROSS_TRAINING: "calendar.cross",
        SessionKind.CHECK: "calendar.check",
    }
    out.line("CATEGORIES", ",".join(escape_text(c) for c in (words("calendar.category"), words(kind[session.kind]))))
    out.line("CLASS", "PRIVATE")
    if context.page_url is not None:
        out.text("URL", context.page_url)
    if alarm_minutes is not None and not is_cancelled:
        out.begin("VALARM")
        out.line("ACTION", "DISPLAY")
        out.text("DESCRIPTION", summary)
        out.line("TRIGGER", _trigger(session, alarm_minutes, all_day=all_day))
        out.end("VALARM")
    out.end("VEVENT")


PAUSE_DAYS = 7
"""How many days the event of a pause spans: a banner across the client's week until the physio resumes."""


def _pause_event(out: ContentWriter, plan: Plan, pause: Pause, stamp: dt.datetime, lang: str, link: str | None) -> None:
    """The event of a pause: "contact your physio" across the days from the pause on; cancelled once resumed."""
    words = texts_for(lang)
    actions = {flag.id: flag.action(lang) for flag in plan.red_flags}
    out.begin("VEVENT")
    out.text("UID", f"pause-{pause.revision}.{plan.id}@revalidatie")
    out.line("DTSTAMP", utc_stamp(stamp))
    out.line("LAST-MODIFIED", utc_stamp(stamp))
    out.line("SEQUENCE", str(pause.changed - 1))
    out.line("STATUS", "CANCELLED" if pause.resumed else "CONFIRMED")
    out.line("DTSTART", date_stamp(pause.since), value="DATE")
    out.line("DTEND", date_stamp(pause.since + dt.timedelta(days=PAUSE_DAYS)), value="DATE")
    out.line("TRANSP", "TRANSPARENT")
    out.text("SUMMARY", words("calendar.paused"))
    lines = [words("calendar.paused_note", date=format_date(pause.since, lang)), ""]
    lines += [actions[flag] for flag in pause.flags if flag in actions]
    who = _contact(plan, with_phone=True)
    if who:
        lines += ["", words("calendar.questions", contact=who)]
    out.line("DESCRIPTION", "\\n".join(map(_escaped, lines)))
    out.line("CATEGORIES", escape_text(words("calendar.category")))
    out.line("CLASS", "PRIVATE")
    if link is not None:
        out.text("URL", link)
    out.end("VEVENT")


def session_start(day: dt.date, time: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The instant (UTC) a session at wall time ``time`` on ``day`` starts, as RFC 5545 3.3.5 reads local times.

    A time the clocks skip (02:30 on 28 March 2027 in Europe/Amsterdam) is taken with the offset before the
    gap: 02:30 CET, which is 03:30 CEST. A time that occurs twice (02:30 on 31 October 2027) is the first
    occurrence, 02:30 CEST. This is what zoneinfo gives for ``fold=0``.
    """
    return dt.datetime.combine(day, time, tzinfo=zone).astimezone(dt.UTC)


def _trigger(session: Session, alarm_minutes: int, *, all_day: bool) -> str:
    """TRIGGER of the reminder: before the start, or for an all-day event before the session's planned time."""
    # An all-day event starts at midnight; counting from there keeps the reminder at, say, 18:30 for a session
    # planned at 19:00 instead of waking the client the night before.
    minutes = session.start.hour * 60 + session.start.minute - alarm_minutes if all_day else -alarm_minutes
    return f"PT{minutes}M" if minutes >= 0 else f"-PT{-minutes}M"


# Pure functions of hashable values, called for every event with the same few arguments: cached, so a server
# rendering many calendars does the wording once.
_escaped = lru_cache(maxsize=4096)(escape_text)


@lru_cache(maxsize=4096)
def _dose_text(dose: DoseValue, lang: str, laterality: Laterality = Laterality.BOTH) -> str:
    return describe_dose(dose, lang, laterality)


def summarise(plan: Plan, session: Session, lang: str) -> str:
    """A title short enough for a phone: ``Walk-run 4x(4/1)``, ``Strength (6)``, ``Cycling 30 min``.

    The full doses are in the description; a run or cross-training session with strength work says how many
    strength exercises come with it.
    """
    words = texts_for(lang)
    runs = [item for item in session.items if item.role is Role.RUN]
    strength = [item for item in session.items if item.role is Role.STRENGTH]
    cross = [item for item in session.items if item.role is Role.CROSS_TRAINING]
    parts = [_short_item(plan, item, lang) for item in (runs if session.kind is SessionKind.RUN else [])]
    if session.kind is SessionKind.CHECK:
        tests = [item for item in session.items if item.role is Role.CHECK]
        parts.append(words("calendar.check_short", n=len(tests)))
    parts += [_short_item(plan, item, lang) for item in cross]
    if strength:
        parts.append(words("calendar.strength_short", n=len(strength)))
    if not parts:
        parts.append(
            words(
                {SessionKind.RUN: "calendar.run", SessionKind.STRENGTH: "calendar.strength"}.get(
                    session.kind, "calendar.cross"
                )
            )
        )
    return " + ".join(parts)


def _short_item(plan: Plan, item: Item, lang: str) -> str:
    return run_label(plan.exercises[item.exercise_id].name(lang), item.dose, lang)


def _item_line(plan: Plan, item: Item, lang: str, cards: Mapping[str, int]) -> str:
    exercise = plan.exercises[item.exercise_id]
    text = f"- {exercise.name(lang)}: {_dose_text(item.dose, lang, exercise.laterality)}"
    if item.frequency is not None:
        how_often = texts_for(lang)(
            "calendar.per-day" if item.frequency.per.value == "day" else "calendar.per-week", n=item.frequency.times
        )
        text += f" ({how_often})"
    page = cards.get(item.exercise_id)
    if page is not None:
        text += " \u00b7 " + texts_for(lang)("calendar.card", n=page)
    return text


class PainRules:
    """The pain rule lines of each phase's runs and strength work, worded once per calendar."""

    def __init__(self, plan: Plan, lang: str) -> None:
        self.plan = plan
        self.lang = lang
        self.lines: dict[tuple[str, bool], list[str]] = {}

    def __call__(self, session: Session) -> list[str]:
        """The lines for ``session``: the heading, then each zone's meaning and action."""
        key = (session.phase_id, session.kind is SessionKind.RUN)
        lines = self.lines.get(key)
        if lines is None:
            words = texts_for(self.lang)
            names = (words("calendar.green"), words("calendar.amber"), words("calendar.red"))
            found = rules.session_rules(self.plan, session, self.lang)
            lines = self.lines[key] = [words("calendar.pain"), *rules.pain_rule_lines(found, self.lang, names)]
        return lines


@attrs.frozen
class _Context:
    """What every event of one calendar shares."""

    lang: str
    zone: zoneinfo.ZoneInfo
    all_day: bool
    alarm_minutes: int | None
    pain: PainRules
    cards: Mapping[str, int]
    """The handout page of each exercise card."""
    page_url: str | None


def _description_lines(
    plan: Plan, session: Session, context: _Context, *, cancelled_at: dt.datetime | None
) -> list[str]:
    """The event's description line by line: phase, week, exercises with doses and card pages, pain rule."""
    lang, all_day = context.lang, context.all_day
    # A cancelled session is not in the handout any more; a planned one names its cards' pages.
    cards: Mapping[str, int] = {} if cancelled_at is not None else context.cards
    words = texts_for(lang)
    lines = []
    if cancelled_at is not None:
        local_day = cancelled_at.astimezone(zoneinfo.ZoneInfo(plan.profile.timezone)).date()
        lines += [words("calendar.cancelled_note", date=format_date(local_day, lang)), ""]
    # A cancelled session's phase may have left the plan's placed phases; the protocol still names it.
    phases = [placed.phase for placed in plan.phases] + [p for p in plan.protocol.phases if isinstance(p, Phase)]
    phase = next((candidate for candidate in phases if candidate.id == session.phase_id), None)
    # Only what belongs to the session itself goes in (not, say, the plan's length), so a revision that leaves a
    # session alone leaves its event byte for byte alone, matching its unchanged SEQUENCE.
    week = words("calendar.week", week=session.week)
    lines.append(f"{phase.name(lang)} ({week})" if phase is not None else week.capitalize())
    if all_day:
        # The time the clocks show: 03:30 for a session at 02:30 on the night the clocks skip that hour.
        zone = zoneinfo.ZoneInfo(plan.profile.timezone)
        start = session_start(session.date, session.start, zone).astimezone(zone)
        lines.append(words("calendar.start", time=start.strftime("%H:%M")))
    lines.append(words("calendar.duration", minutes=session.minutes))
    if session.stage is not None:
        lines.append(words("calendar.stage", stage=session.stage))
    if session.deload:
        lines.append(words("calendar.deload"))
    titles = {
        Role.CHECK: words("calendar.check"),
        Role.RUN: words("calendar.run"),
        Role.DRILL: words("calendar.drill"),
        Role.STRENGTH: words("calendar.strength"),
        Role.CROSS_TRAINING: category_label(Category.CROSS_TRAINING, lang).capitalize(),
    }
    for role, title in titles.items():
        items = [item for item in session.items if item.role is role]
        if items:
            lines += ["", title, *(_item_line(plan, item, lang, cards) for item in items)]
    if session.kind is SessionKind.CHECK:
        lines += ["", rules.check_rule(lang)]
    # The pain rule of this session's own work, in the words the handout uses: both come from the protocol.
    lines += ["", *context.pain(session)]
    contact = _contact(plan, with_phone=True)
    if contact:
        lines += ["", words("calendar.questions", contact=contact)]
    if context.page_url is not None:
        lines += ["", words("calendar.online", url=context.page_url)]
    return lines
