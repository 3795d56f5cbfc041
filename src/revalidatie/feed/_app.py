"""The subscription web app (Starlette): calendars, handouts and pages straight from the feed store.

Every response is built from what publishing stored, so a request costs one indexed SELECT; a conditional
request that matches costs one SELECT of two small columns and sends no body. The feed route is a plain
ASGI endpoint with its header lists prepared once: calendar apps poll often, and this path is the load.

The app awaits the store's :class:`~revalidatie.feed.port.FeedReader`, whichever database is behind it. When
the database cannot be reached, feed requests get ``503 Service Unavailable`` with ``Retry-After`` (never a
500), and the next request after the database is back is answered as usual.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import functools
import logging
import re
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import attrs
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from ..errors import FeedStoreError, RevalidatieError
from ..model.log import Zone
from ._checkin_page import CONTENT_SECURITY_POLICY as CHECKIN_POLICY
from ._checkin_page import MAX_FORM_BYTES, Outcome, log_from_form, offered, render_checkin
from ._page import CONTENT_SECURITY_POLICY, render_page
from ._records import FileKind, etag_of

if TYPE_CHECKING:
    from ..model.plan import Plan
    from ._limits import Limits
    from ._records import FeedEntry
    from .port import FeedReader, FeedStorePort

FEED_MAX_AGE_S = 300  # calendar apps poll every few hours anyway; five minutes keeps a revision fresh enough
PAGE_MAX_AGE_S = 60

Headers = list[tuple[bytes, bytes]]

_SECURITY: Headers = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-frame-options", b"DENY"),
    (b"x-robots-tag", b"noindex, nofollow"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
_NOT_FOUND_BODY = b"Not Found\n"
_NOT_FOUND_HEADERS: Headers = [
    *_SECURITY,
    (b"cache-control", b"no-store"),
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"content-length", str(len(_NOT_FOUND_BODY)).encode("ascii")),
]
_UNAVAILABLE_BODY = b"Service Unavailable\n"
RETRY_AFTER_S = 5
_UNAVAILABLE_HEADERS: Headers = [
    *_SECURITY,
    (b"cache-control", b"no-store"),
    (b"retry-after", str(RETRY_AFTER_S).encode("ascii")),
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"content-length", str(len(_UNAVAILABLE_BODY)).encode("ascii")),
]
_MEDIA = {
    "ics": b"text/calendar; charset=utf-8",
    "pdf": b"application/pdf",
    "html": b"text/html; charset=utf-8",
}
_CACHE = {
    max_age: f"private, max-age={max_age}, no-transform".encode("ascii") for max_age in (FEED_MAX_AGE_S, PAGE_MAX_AGE_S)
}


# An entity-tag, weak or strong (RFC 9110 8.8.3); what lies between list members is ignored.
_ENTITY_TAG = re.compile(r'(?:W/)?("[\x21\x23-\x7e\x80-\xff]*")')


def _http_date(text: str) -> int | None:
    """Seconds since the epoch of an HTTP-date (RFC 9110 5.6.7, all three forms); ``None`` if it is none."""
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None  # absurd years such as 99999999999 overflow inside the parser
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)  # the asctime form, and "-0000": GMT
    elif moment.utcoffset() != dt.timedelta(0):
        return None  # an HTTP-date is always GMT
    return int(moment.timestamp())


def _matches(if_none_match: str | None, if_modified_since: str | None, etag: str, last_modified: int) -> bool:
    """Whether the client's copy is the current one, so that 304 is the right answer.

    Only an exact match of a validator counts (RFC 9110 13.1.2, 13.1.3, 13.2.2). If-None-Match, when
    present, decides alone, by weak comparison. If-Modified-Since counts only without it, and only when its
    date is exactly the current Last-Modified: every revision's Last-Modified is later than the previous
    one, so an equal date names this revision, while a later date may come from a client whose clock runs
    fast and says nothing about which revision it holds. A date that is not an HTTP-date is ignored.
    """
    if if_none_match is not None:
        if if_none_match == etag:
            return True  # what nearly every poll sends: the one tag it was given
        if if_none_match.strip() == "*":
            return True
        return etag in _ENTITY_TAG.findall(if_none_match)
    if if_modified_since is not None:
        return _http_date(if_modified_since) == last_modified
    return False


_DATES: dict[int, bytes] = {}


def _http_date_bytes(seconds: int) -> bytes:
    """The HTTP-date of ``seconds``, formatted once per distinct time (feeds' times repeat on every poll)."""
    shown = _DATES.get(seconds)
    if shown is None:
        if len(_DATES) > 4096:
            _DATES.clear()
        shown = _DATES[seconds] = email.utils.formatdate(seconds, usegmt=True).encode("ascii")
    return shown


_VALIDATORS: dict[tuple[str, int, int], Headers] = {}


def _validators(etag: str, last_modified: int, max_age: int) -> Headers:
    """The headers of a 304 (and the start of a 200's); the same list for the same revision, built once.

    The list is shared: callers that add to it copy it first.
    """
    # RFC 9110 8.8.2.1: never announce a modification time later than now (a publication time given
    # explicitly, or a clock set back since, can lie ahead); If-Modified-Since still compares the stored time.
    shown = min(last_modified, int(time.time()))
    key = (etag, shown, max_age)
    headers = _VALIDATORS.get(key)
    if headers is None:
        if len(_VALIDATORS) > 4096:
            _VALIDATORS.clear()
        headers = _VALIDATORS[key] = [
            *_SECURITY,
            (b"etag", etag.encode("ascii")),
            (b"last-modified", _http_date_bytes(shown)),
            (b"cache-control", _CACHE[max_age]),
        ]
    return headers


def _conditions(headers: Sequence[tuple[bytes, bytes]]) -> tuple[str | None, str | None]:
    """If-None-Match (its fields joined, as a list header's are) and If-Modified-Since of a request.

    If-Modified-Since given more than once is not a valid date and is ignored (RFC 9110 13.1.3).
    """
    tags: list[str] = []
    dates: list[str] = []
    for key, value in headers:
        if key == b"if-none-match":
            tags.append(value.decode("latin-1"))
        elif key == b"if-modified-since":
            dates.append(value.decode("latin-1"))
    return (", ".join(tags) if tags else None), (dates[0] if len(dates) == 1 else None)


async def _send(send: Send, status: int, headers: Sequence[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _not_found(send: Send, head: bool) -> None:
    # Unknown, revoked and malformed tokens and every other missing path share these exact bytes, so a
    # response says nothing about whether a token ever existed.
    await _send(send, 404, _NOT_FOUND_HEADERS, b"" if head else _NOT_FOUND_BODY)


class _NotFound(Response):
    """The one 404 as a Starlette response, for paths no route matches."""

    def __init__(self, head: bool) -> None:
        super().__init__(b"" if head else _NOT_FOUND_BODY, status_code=404)
        self.raw_headers = list(_NOT_FOUND_HEADERS)


async def _not_found_handler(request: Request, exc: Exception) -> Response:
    return _NotFound(request.method == "HEAD")


async def _unavailable(send: Send, head: bool) -> None:
    # The database is out of reach for now (restarting, failing over): the client should try again soon.
    await _send(send, 503, _UNAVAILABLE_HEADERS, b"" if head else _UNAVAILABLE_BODY)


class _FeedEndpoint:
    """``/feeds/{token}.ics``, ``/feeds/{token}.pdf`` and ``/feeds/{token}`` as a plain ASGI app."""

    def __init__(self, reader: FeedReader) -> None:
        self._store = reader

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.serve(scope, send, scope["path_params"]["name"])

    async def serve(self, scope: Scope, send: Send, name: str) -> None:
        """Answer a GET or HEAD of ``/feeds/{name}``; 503 when the store cannot be read right now."""
        try:
            await self._answer(scope, send, name)
        except FeedStoreError:
            await _unavailable(send, scope["method"] == "HEAD")

    async def _answer(self, scope: Scope, send: Send, name: str) -> None:
        head = scope["method"] == "HEAD"
        if_none_match, if_modified_since = _conditions(scope["headers"])
        token, dot, suffix = name.partition(".")
        if not dot:
            await self._page(send, token, head, if_none_match, if_modified_since)
            return
        if suffix not in ("ics", "pdf"):
            await _not_found(send, head)
            return
        kind: FileKind = "ics" if suffix == "ics" else "pdf"
        if if_none_match is not None or if_modified_since is not None:
            tag = await self._store.head(token, kind)
            if tag is None:
                await _not_found(send, head)
                return
            if _matches(if_none_match, if_modified_since, *tag):
                await _send(send, 304, _validators(*tag, FEED_MAX_AGE_S), b"")
                return
        body = await self._store.body(token, kind)
        if body is None:
            await _not_found(send, head)
            return
        headers = [
            *_validators(body.etag, body.last_modified, FEED_MAX_AGE_S),
            (b"content-type", _MEDIA[kind]),
            (b"content-length", str(len(body.content)).encode("ascii")),
        ]
        await _send(send, 200, headers, b"" if head else body.content)

    async def _page(
        self, send: Send, token: str, head: bool, if_none_match: str | None, if_modified_since: str | None
    ) -> None:
        entry = await self._store.live(token)
        if entry is None:
            await _not_found(send, head)
            return
        page = render_page(entry, has_pdf=await self._store.head(token, "pdf") is not None)
        modified = int(entry.updated.timestamp())
        etag = etag_of(page)
        headers = _validators(etag, modified, PAGE_MAX_AGE_S)
        if _matches(if_none_match, if_modified_since, etag, modified):
            await _send(send, 304, headers, b"")
            return
        headers = [
            *headers,
            (b"content-type", _MEDIA["html"]),
            (b"content-length", str(len(page)).encode("ascii")),
        ]
        await _send(send, 200, headers, b"" if head else page)


_METHOD_NOT_ALLOWED_BODY = b"Method Not Allowed\n"
_METHOD_NOT_ALLOWED_HEADERS: Headers = [
    *_SECURITY,
    (b"allow", b"GET, HEAD"),
    (b"cache-control", b"no-store"),
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"content-length", str(len(_METHOD_NOT_ALLOWED_BODY)).encode("ascii")),
]


def _with_security(send: Send) -> Send:
    """``send``, adding the security headers to a response that lacks them (Starlette's own 405, say)."""

    async def secured(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            present = {name.lower() for name, _ in headers}
            headers.extend(pair for pair in _SECURITY if pair[0] not in present)
            if b"cache-control" not in present:
                headers.append((b"cache-control", b"no-store"))
            message = {**message, "headers": headers}
        await send(message)

    return secured


class _FeedApp(Starlette):
    """Starlette, with the polled feed paths answered before the middleware stack and the router.

    Those paths need neither (their endpoint builds complete responses and raises nothing it would catch),
    and calendar apps polling them are nearly all of the load; every other path goes through Starlette.
    Every method but GET and HEAD on a feed path gets one 405, and no path is ever redirected: a redirect
    would be built from the request's Host header, which the client chooses.
    """

    def __init__(
        self,
        feeds: _FeedEndpoint,
        routes: Sequence[Route],
        reader: FeedReader,
        daily: Callable[[], object] | None = None,
    ) -> None:
        @asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            task = asyncio.create_task(_every_day(daily)) if daily is not None else None
            yield
            if task is not None:
                task.cancel()
            await reader.aclose()

        super().__init__(routes=list(routes), exception_handlers={404: _not_found_handler}, lifespan=lifespan)
        self.router.redirect_slashes = False
        self._feeds = feeds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if path.startswith("/feeds/"):
            if scope["method"] not in ("GET", "HEAD"):
                await _send(send, 405, _METHOD_NOT_ALLOWED_HEADERS, _METHOD_NOT_ALLOWED_BODY)
                return
            name = path[7:]
            if name and "/" not in name:
                await self._feeds.serve(scope, send, name)
                return
        await super().__call__(scope, receive, _with_security(send))


_CHECKIN_LOG = logging.getLogger("revalidatie.feed.checkin")
REPORTS_PER_HOUR = 30
"""Reports a feed's check-in page takes per hour, counted in the store over every worker; more get 429."""
REPORT_WINDOW_S = 3600
"""The window of :data:`REPORTS_PER_HOUR`, also the 429's ``Retry-After``."""


class _CheckIns:
    """``/checkin/{token}``: the client's check-in page (GET) and their reports (POST).

    A report is stored in one transaction before the answer; a red one revises the calendar at once. The
    store's synchronous port runs in Starlette's thread pool, so a write never blocks the event loop.
    """

    def __init__(self, store: FeedStorePort) -> None:
        self._store = store
        self._plans: dict[tuple[str, int], Plan] = {}
        self._secret: bytes | None = None

    def _plan(self, entry: FeedEntry) -> Plan:
        # Reading a plan back costs tens of milliseconds; a revision never changes once stored.
        key = (entry.token, entry.revision)
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) >= 256:
                self._plans.clear()
            plan = self._plans[key] = self._store.plan(entry.token, entry.revision)
        return plan

    def _form_secret(self) -> bytes:
        if self._secret is None:
            self._secret = self._store.secret()
        return self._secret

    def _limited(self, token: str) -> bool:
        # Counted from the store, not in memory: every worker and server of the store counts the same
        # reports, and a restart forgets none.
        since = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=REPORT_WINDOW_S)
        return self._store.reports_since(token, since) >= REPORTS_PER_HOUR

    async def endpoint(self, request: Request) -> Response:
        """Answer one request of the check-in page."""
        token = request.path_params["token"]
        try:
            if request.method == "POST":
                return await self._post(request, token)
            return await run_in_threadpool(self._page, token, None, 200, request.method == "HEAD")
        except FeedStoreError:
            return _html_error(503, _UNAVAILABLE_BODY, [(b"retry-after", str(RETRY_AFTER_S).encode("ascii"))])

    def _page(self, token: str, outcome: Outcome | None, status: int, head: bool = False) -> Response:
        from .checkin import client_today

        entry = self._store.live(token)
        if entry is None:
            return _NotFound(head)
        plan = self._plan(entry)
        page = render_checkin(
            token=token,
            client=entry.client,
            plan=plan,
            checkins=self._store.checkins(token),
            today=client_today(plan, dt.datetime.now(dt.UTC)),
            secret=self._form_secret(),
            outcome=outcome,
        )
        response = Response(b"" if head else page, status_code=status, media_type="text/html; charset=utf-8")
        response.raw_headers.extend(_CHECKIN_HEADERS)
        if head:
            response.headers["content-length"] = str(len(page))
        return response

    async def _post(self, request: Request, token: str) -> Response:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_FORM_BYTES:
                return _html_error(413, b"Content Too Large\n")
        if await run_in_threadpool(self._limited, token):
            return _html_error(429, b"Too Many Requests\n", [(b"retry-after", str(REPORT_WINDOW_S).encode("ascii"))])
        return await run_in_threadpool(self._report, token, body)

    def _report(self, token: str, body: bytes) -> Response:
        import pydantic

        from .checkin import client_today, pause_from_checkin, red_advice, revise_from_checkins, valid_form_token

        entry = self._store.live(token)
        if entry is None:
            return _NotFound(False)
        try:
            form = urllib.parse.parse_qs(body.decode("utf-8"), max_num_fields=64, strict_parsing=False)
        except (UnicodeDecodeError, ValueError):
            return self._page(token, Outcome(bad=True), 400)
        plan = self._plan(entry)
        today = client_today(plan, dt.datetime.now(dt.UTC))
        session_id = (form.get("session") or [""])[0]
        session = next((s for s in offered(plan, today) if s.id == session_id), None)
        csrf = (form.get("csrf") or [""])[0]
        if session is None or not valid_form_token(self._form_secret(), token, session_id, csrf):
            _CHECKIN_LOG.warning("check-in refused: feed %s..., bad form token or session", token[:8])
            return self._page(token, Outcome(bad=True), 403)
        try:
            log, flags = log_from_form(form, session)
        except (pydantic.ValidationError, KeyError):
            return self._page(token, Outcome(bad=True), 400)
        known = {flag.id: flag for flag in plan.red_flags}
        flags = tuple(dict.fromkeys(flag for flag in flags if flag in known))
        stored = self._store.report(token, log, red_flags=flags)
        _CHECKIN_LOG.info(
            "check-in %d stored: feed %s..., session %s, zone %s, red flags %d",
            stored.id,
            token[:8],
            log.session_id,
            log.zone.value if log.zone else "not done",
            len(flags),
        )
        language = plan.profile.language.value
        advice: tuple[str, ...] = ()
        revised = False
        if flags:
            # Red-flag signs stop the plan from the client's next day without a reported session.
            try:
                pause_from_checkin(self._store, token, flags, as_of=max(today, session.date + dt.timedelta(days=1)))
                _CHECKIN_LOG.warning("feed %s... paused: red flags %s reported", token[:8], ",".join(flags))
            except RevalidatieError as exc:
                _CHECKIN_LOG.error("feed %s...: pausing after reported red flags failed: %s", token[:8], exc)
        elif log.zone is Zone.RED and plan.paused is None:
            advice = red_advice(plan, session, language)
            try:
                revise_from_checkins(self._store, token, as_of=max(today, session.date) + dt.timedelta(days=1))
                revised = True
                _CHECKIN_LOG.info("feed %s... revised from check-ins after a red report", token[:8])
            except RevalidatieError as exc:
                _CHECKIN_LOG.error("feed %s...: revision after a red report failed: %s", token[:8], exc)
        alerts = tuple(known[flag].action(language) for flag in flags)
        return self._page(token, Outcome(zone=log.zone, advice=advice, revised=revised, alerts=alerts), 200)


def _html_error(status: int, body: bytes, extra: Headers | None = None) -> Response:
    response = Response(body, status_code=status, media_type="text/plain; charset=utf-8")
    response.raw_headers.extend([*_CHECKIN_HEADERS, *(extra or [])])
    return response


_CHECKIN_HEADERS: Headers = [
    (b"content-security-policy", CHECKIN_POLICY.encode("ascii")),
    (b"cache-control", b"no-store"),
]


AUTO_REVISE_INTERVAL_S = 24 * 3600


async def _every_day(job: Callable[[], object]) -> None:
    """Run ``job`` in a thread now and then once a day, until cancelled; a failure is logged, not fatal."""
    while True:
        try:
            await run_in_threadpool(job)
        except Exception:
            _CHECKIN_LOG.exception("the daily revision from check-ins failed")
        await asyncio.sleep(AUTO_REVISE_INTERVAL_S)


def revise_pending(store: FeedStorePort) -> int:
    """Revise every live feed with reports received since its revision, as of the client's today.

    What ``serve --auto-revise`` runs once a day; returns how many feeds were revised.
    """
    from .checkin import client_today, pending, revise_from_checkins

    revised = 0
    for entry in store.entries():
        # The physio resumes a paused plan, after seeing the client.
        if entry.paused or not pending(store, entry):
            continue
        try:
            today = client_today(store.plan(entry.token), dt.datetime.now(dt.UTC))
            revise_from_checkins(store, entry.token, as_of=today)
        except RevalidatieError as exc:
            _CHECKIN_LOG.error("feed %s...: daily revision from check-ins failed: %s", entry.token[:8], exc)
            continue
        revised += 1
        _CHECKIN_LOG.info("feed %s... revised from check-ins (daily)", entry.token[:8])
    return revised


def create_app(store: FeedStorePort, *, auto_revise: bool = False) -> Starlette:
    """The web app serving the store's live feeds, read through ``store.reader()``.

    Routes (GET and HEAD):
        ``/feeds/{token}.ics``: the calendar; ``/feeds/{token}.pdf``: the handout; ``/feeds/{token}``: a
        page with subscribe links in the client's language; ``/checkin/{token}``: the client's check-in
        page (GET, and POST of a report); ``/healthz``: ``ok`` for load balancers.

    With ``auto_revise``, every feed with new check-ins is revised at start and then once a day
    (:func:`revise_pending`).

    Everything else, and every unknown or revoked token, gets the same 404.
    """

    async def health(request: Request) -> Response:
        response = Response(b"ok\n", media_type="text/plain")
        response.raw_headers.extend([*_SECURITY, (b"cache-control", b"no-store")])
        return response

    reader = store.reader()
    feeds = _FeedEndpoint(reader)
    return _FeedApp(
        feeds,
        [
            Route("/feeds/{name:str}", feeds, methods=["GET", "HEAD"]),
            Route("/checkin/{token:str}", _CheckIns(store).endpoint, methods=["GET", "HEAD", "POST"]),
            Route("/healthz", health, methods=["GET", "HEAD"]),
        ],
        reader,
        functools.partial(revise_pending, store) if auto_revise else None,
    )


def _descriptors_for(connections: int) -> int:
    """Raise this process's open-file limit so ``connections`` fit; return how many connections fit."""
    try:
        import resource
    except ImportError:  # not on Unix: the system's own limit applies
        return connections
    spare = 64  # the database, its -wal and -shm, the listening socket, logs, imports
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + spare
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return connections if soft == resource.RLIM_INFINITY else max(1, min(connections, soft - spare))


def _server_options(limits: Limits | None, access_log: bool) -> tuple[Limits, dict[str, object]]:
    """The limits (the connection limit fitted to the open-file limit) and uvicorn's settings for them."""
    from ._limits import Limits

    limits = limits or Limits()
    limits = attrs.evolve(limits, max_connections=_descriptors_for(limits.max_connections))
    options: dict[str, object] = {
        "ws": "none",  # nothing here speaks WebSocket; an Upgrade header is ignored
        "timeout_keep_alive": limits.keep_alive_s,
        "backlog": limits.backlog,
        # Access logs would write every secret token to the log; they are off unless asked for.
        "access_log": access_log,
        "log_level": "info" if access_log else "warning",
        "server_header": False,
        "proxy_headers": False,
    }
    return limits, options


def run_server(
    store: FeedStorePort,
    *,
    host: str,
    port: int,
    access_log: bool = False,
    limits: Limits | None = None,
    auto_revise: bool = False,
) -> None:
    """Serve ``create_app(store)`` with uvicorn in this process until interrupted (Ctrl+C or SIGTERM).

    Args:
        store: The feed store to serve.
        host: Address to listen on.
        port: Port to listen on.
        access_log: Whether to log every request (the log then holds the secret tokens).
        limits: Request and connection limits; the documented defaults when not given.
        auto_revise: Whether to revise feeds with new check-ins at start and once a day.

    """
    import uvicorn

    from ._limits import guarded_protocol

    limits, options = _server_options(limits, access_log)
    app = create_app(store, auto_revise=auto_revise)
    uvicorn.run(app, host=host, port=port, http=guarded_protocol(limits, _SECURITY), **options)  # type: ignore[arg-type]


def run_workers(
    location: str,
    *,
    host: str,
    port: int,
    workers: int,
    access_log: bool = False,
    limits: Limits | None = None,
) -> None:
    """Serve the store at ``location`` from ``workers`` processes sharing one listening socket.

    uvicorn's supervisor starts the workers and starts a new one when one dies. Each worker builds its own
    app and store connections from the import-string factory :func:`revalidatie.feed._workers.app`; the
    database's location and the limits reach it through the environment (``REVALIDATIE_DB`` and
    ``REVALIDATIE_SERVER_LIMITS``), as they would under any process manager.

    Args:
        location: The database: a SQLite file's path or a ``postgresql://`` URL.
        host: Address to listen on.
        port: Port to listen on.
        workers: Number of worker processes (2 or more; one worker is :func:`run_server`).
        access_log: Whether to log every request (the log then holds the secret tokens).
        limits: Request and connection limits, per worker; the documented defaults when not given.

    """
    import json
    import os

    import uvicorn

    from ._workers import DB_ENVIRONMENT, LIMITS_ENVIRONMENT

    limits, options = _server_options(limits, access_log)
    os.environ[DB_ENVIRONMENT] = location
    os.environ[LIMITS_ENVIRONMENT] = json.dumps(attrs.asdict(limits))
    uvicorn.run(
        "revalidatie.feed._workers:app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        http="revalidatie.feed._workers:WorkerProtocol",
        **options,  # type: ignore[arg-type]
    )
