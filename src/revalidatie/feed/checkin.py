"""Check-ins: the client's reports from the web page, turned into session logs and plan revisions.

A report is a :class:`~revalidatie.model.log.SessionLog`, the same model a TOML log file holds, stored by
the feed store beside the plan (:meth:`~revalidatie.feed.port.FeedStorePort.report`); a later report on
the same session corrects the earlier one, and both are kept. A revision from check-ins is
:func:`revalidatie.revise` over the last report of every session the current plan still has, so the
calendar a client gets from reporting is the one the physio would get from the equivalent TOML file. A
report with red-flag signs pauses the plan (:func:`pause_from_checkin`); the physio resumes it.

This module imports no web framework; the page is in :mod:`._checkin_page`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import zoneinfo

from ..model.log import SessionLog, Zone
from ..model.plan import Plan, Session
from ._records import CheckIn, FeedEntry, latest_logs
from .port import FeedStorePort

__all__ = [
    "checkin_logs",
    "client_today",
    "form_token",
    "pause_from_checkin",
    "pending",
    "red_advice",
    "revise_from_checkins",
    "unread_reports",
    "valid_form_token",
]


def client_today(plan: Plan, now: dt.datetime) -> dt.date:
    """The client's own date at ``now`` (the plan's time zone), the day the page offers sessions up to."""
    try:
        return now.astimezone(zoneinfo.ZoneInfo(plan.profile.timezone)).date()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return now.astimezone(dt.UTC).date()


def checkin_logs(plan: Plan, checkins: tuple[CheckIn, ...], as_of: dt.date) -> tuple[SessionLog, ...]:
    """The logs a revision of ``plan`` as of ``as_of`` reads from the stored reports.

    The last report of each session counts. Reports on sessions the plan no longer has (cancelled by a
    revision since), on or after ``as_of``, or dated another day than their session are kept in the store
    but not read: the same logs :func:`revalidatie.revise` would accept from a TOML file.
    """
    sessions = {session.id: session for session in plan.sessions}
    kept = []
    for log in latest_logs(checkins):
        session = sessions.get(log.session_id)
        if session is not None and session.date < as_of and log.date == session.date:
            kept.append(log)
    return tuple(kept)


def unread_reports(plan: Plan, checkins: tuple[CheckIn, ...], as_of: dt.date) -> int:
    """How many sessions of ``plan`` have a report that a revision as of ``as_of`` does not read: on or after it."""
    sessions = {session.id: session for session in plan.sessions}
    return sum(
        1
        for log in latest_logs(checkins)
        if (session := sessions.get(log.session_id)) is not None and session.date >= as_of
    )


def revise_from_checkins(
    store: FeedStorePort, token: str, *, as_of: dt.date, at: dt.datetime | None = None, resume: bool = False
) -> FeedEntry:
    """Revise a live feed's current plan from every stored report and publish the revision.

    With ``resume``, a paused plan goes on from ``as_of`` (:func:`revalidatie.resume`); the physio does that
    after seeing the client.

    Raises:
        FeedNotFound: No live feed has this token.
        FeedConflict: Another revision was published at the same moment.
        ProfileError: The plan is paused and ``resume`` is not given, or ``resume`` is given and it is not.

    """
    from ..planning.engine import resume as resume_plan
    from ..planning.engine import revise

    plan = store.plan(token)
    logs = checkin_logs(plan, store.checkins(token), as_of)
    step = resume_plan if resume else revise
    revised = step(plan, logs, as_of, revised_at=at, source="check-ins")
    return store.update(revised, at=at)


def pause_from_checkin(
    store: FeedStorePort, token: str, flags: tuple[str, ...], *, as_of: dt.date, at: dt.datetime | None = None
) -> FeedEntry | None:
    """Pause a live feed's plan from ``as_of`` for the red flags a client reported, and publish the revision.

    Returns the new entry, or ``None`` when the plan was paused for these flags already.

    Raises:
        FeedNotFound: No live feed has this token.
        FeedConflict: Another revision was published at the same moment.

    """
    from ..planning.engine import pause

    plan = store.plan(token)
    paused = pause(plan, as_of, flags, paused_at=at, source="check-in")
    return None if paused is plan else store.update(paused, at=at)


def pending(store: FeedStorePort, entry: FeedEntry) -> bool:
    """Whether the feed has reports received since its current revision was published."""
    # At or after: times are whole seconds, and a report in the second of publishing may be newer.
    return any(checkin.received >= entry.updated for checkin in store.checkins(entry.token))


def red_advice(plan: Plan, session: Session, language: str) -> tuple[str, str]:
    """What a red session means and what the client does now, in the words of the handout's rules."""
    from ..export.rules import session_rules, zone_meaning

    rules = session_rules(plan, session, language)
    meaning = zone_meaning(Zone.RED, language)
    return meaning, rules.red if rules is not None else ""


def form_token(secret: bytes, token: str, session_id: str) -> str:
    """The token a check-in form carries: an HMAC of the feed's token and the session, with the server's secret.

    A form posted from another site cannot carry it: it is only on the page the feed's token opens.
    """
    return hmac.new(secret, f"{token}\x00{session_id}".encode(), hashlib.sha256).hexdigest()


def valid_form_token(secret: bytes, token: str, session_id: str, given: str) -> bool:
    """Whether ``given`` is the form token of this feed and session (compared in constant time)."""
    return hmac.compare_digest(form_token(secret, token, session_id), given)
