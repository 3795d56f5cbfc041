"""What every feed store holds and returns, whatever database it keeps it in: entries, bodies, tokens, URLs.

The store implementations (SQLite in :mod:`.store`, PostgreSQL in :mod:`._postgres`) share these, so a feed
looks the same to the web app, the command line and the static export wherever it is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Literal
from urllib.parse import urlsplit

import attrs

from ..errors import FeedConflict, InputError, Problem, error_message
from ..model.log import SessionLog
from ..model.plan import Plan

TOKEN_BYTES = 32  # 256 bits of randomness; token_urlsafe makes 43 URL-safe characters of them
SECRET_BYTES = 32  # the server's key for the check-in forms' tokens
MIN_PREFIX = 6  # shortest token prefix the CLI accepts, so a typo cannot match some other client's feed

FileKind = Literal["ics", "pdf"]


def new_token() -> str:
    """A fresh token that does not start with "-".

    The CLI takes a token (or its start) as an argument; one starting with "-" would be read as an option.
    """
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if not token.startswith("-"):
            return token


@attrs.frozen
class FeedEntry:
    """One published feed as the store holds it.

    Attributes:
        token: The secret token in the feed's URL.
        url: The subscription URL, ``{base_url}/feeds/{token}.ics``.
        base_url: The address the feed was published under, without a trailing slash.
        plan_id: Id of the plan it serves.
        client: The client's name.
        language: Language of the client's texts (a client language: ``nl``, ``en``, ``tr``, ``pl`` or ``ar``).
        timezone: IANA time zone of the client's calendar.
        first_day: First day of the programme.
        last_day: Last day of the programme (of the current revision).
        revision: The plan revision it serves now.
        updated: Last-Modified of the current revision (UTC, whole seconds); it never moves backwards.
        revoked: Whether the feed was revoked (it is then no longer served).
        paused: Whether the plan it serves now is paused after red-flag signs (:attr:`Plan.paused`).

    """

    token: str
    url: str
    base_url: str
    plan_id: str
    client: str
    language: str
    timezone: str
    first_day: dt.date
    last_day: dt.date
    revision: int
    updated: dt.datetime
    revoked: bool
    paused: bool = False

    @property
    def page_url(self) -> str:
        """The address of the feed's web page with the subscribe links."""
        return f"{self.base_url}/feeds/{self.token}"

    @property
    def checkin_url(self) -> str:
        """The address of the client's check-in page, linked from every calendar event."""
        return checkin_url(self.base_url, self.token)

    @property
    def pdf_url(self) -> str:
        """The address of the PDF handout of the current revision."""
        return f"{self.base_url}/feeds/{self.token}.pdf"


@attrs.frozen
class FeedBody:
    """A stored file of a feed's current revision, ready to serve.

    Attributes:
        content: The bytes.
        etag: Strong entity tag: the quoted sha256 of ``content`` in hex.
        last_modified: Seconds since the epoch (UTC) of the revision's Last-Modified.

    """

    content: bytes
    etag: str
    last_modified: int


def feed_url(base_url: str, token: str) -> str:
    """The subscription URL of ``token`` under ``base_url``."""
    return f"{base_url}/feeds/{token}.ics"


def checkin_url(base_url: str, token: str) -> str:
    """The check-in page of ``token`` under ``base_url``."""
    return f"{base_url}/checkin/{token}"


@attrs.frozen
class CheckIn:
    """One report of the client on one session, as the store keeps it: a later report corrects an earlier.

    Attributes:
        id: The report's number in the store; later reports have higher numbers.
        token: The feed it was reported on.
        log: The report, the same model as a TOML session log.
        red_flags: Ids of the plan's red flags the client said they have (empty for none).
        received: When the store received it (UTC).

    """

    id: int
    token: str
    log: SessionLog
    red_flags: tuple[str, ...]
    received: dt.datetime


def checkin_of(token: str, number: int, log_json: str, red_flags: str, received: int) -> CheckIn:
    """A stored report read back; the same model validates it as validated it on the way in."""
    return CheckIn(
        number,
        token,
        SessionLog.model_validate_json(log_json),
        tuple(flag for flag in red_flags.split(",") if flag),
        dt.datetime.fromtimestamp(received, dt.UTC),
    )


def latest_logs(checkins: tuple[CheckIn, ...]) -> tuple[SessionLog, ...]:
    """The last report of each session (a correction replaces what it corrects), in report order."""
    latest: dict[str, CheckIn] = {}
    for checkin in sorted(checkins, key=lambda c: c.id):
        latest.pop(checkin.log.session_id, None)
        latest[checkin.log.session_id] = checkin
    return tuple(c.log for c in latest.values())


def etag_of(content: bytes) -> str:
    """The strong ETag of ``content``: its sha256 in hex, quoted as HTTP requires."""
    return f'"{hashlib.sha256(content).hexdigest()}"'


def normalize_base_url(base_url: str) -> str:
    """Check that ``base_url`` is an absolute http(s) address without query or fragment; drop a final slash.

    Raises:
        InputError: It is not such an address.

    """
    text = base_url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or any(ch.isspace() or ord(ch) < 0x21 for ch in text)
    ):
        raise InputError(
            [
                Problem(
                    "base_url",
                    "",
                    error_message("error.feed-base-url"),
                    repr(base_url),
                )
            ]
        )
    return text.rstrip("/")


def epoch(moment: dt.datetime) -> int:
    """Whole seconds since the epoch of ``moment`` (a naive time is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp())


def next_modified(at: dt.datetime | None, previous: int | None) -> int:
    """Last-Modified of a new revision: ``at`` (or now), and strictly later than the previous revision's.

    Strictly later, so If-Modified-Since never hides a change, even when a clock was set back.
    """
    moment = epoch(at or dt.datetime.now(dt.UTC))
    return moment if previous is None else max(moment, previous + 1)


def describe(plan: Plan) -> tuple[str, str, str, dt.date, dt.date, bool]:
    """What the feeds table keeps of a plan for listing and the web page: client, language, zone, dates, pause."""
    profile = plan.profile
    return profile.name, profile.language.value, profile.timezone, plan.start, plan.end, plan.paused is not None


def published_already(plan_id: str, token: str) -> str:
    """The words of the conflict when a plan with a live feed is published again."""
    return error_message("error.feed-published-already", plan=repr(plan_id), token=token[:8])


def refuse_stale(entry: FeedEntry, plan: Plan) -> None:
    """Refuse ``plan`` as the next revision of ``entry`` unless its revision number is higher.

    Raises:
        FeedConflict: ``plan.revision`` is not newer than the published revision.

    """
    if plan.revision <= entry.revision:
        raise FeedConflict(
            error_message("error.feed-not-newer", plan=repr(plan.id), revision=plan.revision, published=entry.revision)
        )
