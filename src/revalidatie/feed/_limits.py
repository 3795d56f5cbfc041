"""Request limits for the feed server, enforced in the HTTP protocol before the app sees a request.

uvicorn's httptools protocol (the fast one) has no limit on the size or number of request headers, no
deadline for a request's headers to arrive and no cap on a request body it reads for the app; it stops
reading only when the app falls behind. :class:`GuardedProtocol` adds them, answering as HTTP says
(431, 408, 413, 503) with the app's security headers and closing the connection, so a hostile client
holds neither memory nor a connection for long. The server's own settings (keep-alive timeout, listen
backlog) are passed to uvicorn by :func:`revalidatie.feed._app.run_server`.
"""

from __future__ import annotations

import asyncio
import email.utils
from collections.abc import Sequence
from typing import Any, ClassVar

import attrs
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState


@attrs.frozen
class Limits:
    """What one request and the whole server may take; the defaults are documented in docs/feeds.md.

    Attributes:
        max_head_bytes: Request line plus headers, in bytes (431 beyond it).
        max_headers: Number of header fields (431 beyond it).
        head_timeout_s: Seconds from a connection's first byte (or from its opening) until the request's
            headers are complete; a slower client is answered 408 and disconnected.
        max_body_bytes: A request body, in bytes (413 beyond it, whether announced by Content-Length or
            sent in chunks).
        max_connections: Open connections; one more is answered 503 and closed at once.
        keep_alive_s: Seconds an idle keep-alive connection stays open between requests.
        backlog: Connections the kernel queues before the server accepts them.

    """

    max_head_bytes: int = 16 * 1024
    max_headers: int = 100
    head_timeout_s: float = 10.0
    max_body_bytes: int = 16 * 1024
    max_connections: int = 1000
    keep_alive_s: int = 5
    backlog: int = 1024


Headers = Sequence[tuple[bytes, bytes]]


# RFC 9110's reason phrases (Python's table still has 413's old one).
_PHRASES = {
    400: "Bad Request",
    408: "Request Timeout",
    413: "Content Too Large",
    414: "URI Too Long",
    431: "Request Header Fields Too Large",
    503: "Service Unavailable",
}


def _response(status: int, headers: Headers) -> bytes:
    """A complete response that closes the connection: status, security headers, a one-line body."""
    phrase = _PHRASES[status]
    body = f"{phrase}\n".encode("ascii")
    lines = [f"HTTP/1.1 {status} {phrase}".encode("ascii")]
    lines.append(b"date: " + email.utils.formatdate(usegmt=True).encode("ascii"))
    lines.extend(name + b": " + value for name, value in headers)
    lines.append(b"cache-control: no-store")
    lines.append(b"content-type: text/plain; charset=utf-8")
    lines.append(b"content-length: " + str(len(body)).encode("ascii"))
    lines.append(b"connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with :class:`Limits` on every connection and request.

    Use :func:`guarded_protocol` to get the class for a set of limits (uvicorn creates the protocol
    objects itself, with its own arguments).
    """

    limits: ClassVar[Limits] = Limits()
    security_headers: ClassVar[Headers] = ()

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._head_timer: asyncio.TimerHandle | None = None
        # From the opening of the connection, or the end of the previous message, until the headers are in.
        self._in_head = True
        self._head_bytes = 0
        self._header_count = 0
        self._body_bytes = 0
        self._refused = False

    # --- refusing -----------------------------------------------------------------------------------------

    def _refuse(self, status: int) -> None:
        """Answer ``status`` (unless the app has begun its answer) and close; the rest is not parsed."""
        if self._refused:
            return
        self._refused = True
        self._cancel_head_timer()
        cycle = self.cycle
        started = cycle is not None and not cycle.response_complete and cycle.response_started
        if cycle is not None and not cycle.response_complete:
            # The app, if it runs, writes nothing more and sees the client as gone.
            cycle.disconnected = True
            cycle.message_event.set()
        if not self.transport.is_closing():
            if not started:
                self.transport.write(_response(status, self.security_headers))
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        """What the parser cannot read (an unknown method, a broken line) gets 400 with the same headers."""
        self._refuse(400)

    def _head_timeout(self) -> None:
        self._head_timer = None
        self._refuse(408)

    def _arm_head_timer(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.limits.head_timeout_s, self._head_timeout)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    # --- the connection -----------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            self._refuse(503)
            return
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if self._in_head:
            # Counted before parsing: httptools keeps a header that has not ended in memory, unseen by the
            # callbacks below. A chunk that also holds the body is counted whole, hence the check after.
            self._head_bytes += len(data)
        super().data_received(data)
        if self._in_head and not self._refused and self._head_bytes > self.limits.max_head_bytes:
            self._refuse(431)

    # --- parser callbacks ---------------------------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        # Idle time between requests is the keep-alive timeout's; the head's deadline runs from its first byte.
        self._arm_head_timer()

    def on_url(self, url: bytes) -> None:
        if self._refused:
            return
        super().on_url(url)
        if len(self.url) > self.limits.max_head_bytes:
            self._refuse(414)

    def on_header(self, name: bytes, value: bytes) -> None:
        if self._refused:
            return
        self._header_count += 1
        if self._header_count > self.limits.max_headers:
            self._refuse(431)
            return
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self._refused:
            return
        self._in_head = False
        self._cancel_head_timer()
        size = len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers)
        if size > self.limits.max_head_bytes:
            self._refuse(431)
            return
        length = self._content_length()
        if length is None:
            self._refuse(400)
            return
        if length > self.limits.max_body_bytes:
            self._refuse(413)
            return
        super().on_headers_complete()

    def _content_length(self) -> int | None:
        """The announced body length (0 without one); ``None`` when it is not a number."""
        for name, value in self.headers:
            if name == b"content-length":
                text = value.strip()
                return int(text) if text.isdigit() else None
        return 0

    def on_body(self, body: bytes) -> None:
        if self._refused:
            return
        self._body_bytes += len(body)
        if self._body_bytes > self.limits.max_body_bytes:
            self._refuse(413)
            return
        super().on_body(body)

    def on_message_complete(self) -> None:
        if self._refused:
            return
        self._in_head = True
        self._head_bytes = self._header_count = self._body_bytes = 0
        super().on_message_complete()


def guarded_protocol(limits: Limits, security_headers: Headers) -> type[GuardedProtocol]:
    """The protocol class uvicorn should use for ``limits``; refusals carry ``security_headers``."""
    return type("FeedProtocol", (GuardedProtocol,), {"limits": limits, "security_headers": tuple(security_headers)})
