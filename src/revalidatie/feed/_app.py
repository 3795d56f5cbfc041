"""The subscription web app (Starlette): calendars, handouts and pages straight from the feed store.

Every response is built from what publishing stored, so a request costs one indexed SELECT; a conditional
request that matches costs one SELECT of two small columns and sends no body.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ._page import CONTENT_SECURITY_POLICY, render_page
from .store import FeedStore, FileKind, etag_of

FEED_MAX_AGE_S = 300  # calendar apps poll every few hours anyway; five minutes keeps a revision fresh enough
PAGE_MAX_AGE_S = 60

_SECURITY = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-robots-tag": "noindex, nofollow",
    "cross-origin-resource-policy": "same-origin",
}
_NOT_FOUND_BODY = b"Not Found\n"
_NOT_FOUND_HEADERS = {
    **_SECURITY,
    "cache-control": "no-store",
    "content-type": "text/plain; charset=utf-8",
    "content-length": str(len(_NOT_FOUND_BODY)),
}
_MEDIA = {
    "ics": "text/calendar; charset=utf-8",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def _not_found(head: bool = False) -> Response:
    # Unknown, revoked and malformed tokens and every other missing path share these exact bytes, so a
    # response says nothing about whether a token ever existed.
    return Response(b"" if head else _NOT_FOUND_BODY, status_code=404, headers=_NOT_FOUND_HEADERS)


async def _not_found_handler(request: Request, exc: Exception) -> Response:
    return _not_found(request.method == "HEAD")


def _matches(request: Request, etag: str, last_modified: int) -> bool:
    """Whether the client's copy is current (RFC 9110 section 13.1: If-None-Match wins over If-Modified-Since)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since is not None:
        try:
            since = email.utils.parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError):
            return False
        return since.tzinfo is not None and last_modified <= since.timestamp()
    return False


def _respond(
    request: Request, content: bytes | None, etag: str, last_modified: int, media: str, max_age: int
) -> Response:
    # RFC 9110 8.8.2.1: never announce a modification time later than now. Plans made ahead are stamped with
    # their first day, so the stored time can lie in the future; it is still what If-Modified-Since compares.
    shown = min(last_modified, int(time.time()))
    headers: dict[str, str] = {
        **_SECURITY,
        "etag": etag,
        "last-modified": email.utils.formatdate(shown, usegmt=True),
        "cache-control": f"private, max-age={max_age}, no-transform",
    }
    if content is None:
        return Response(b"", status_code=304, headers=headers)
    headers["content-type"] = media
    headers["content-length"] = str(len(content))
    return Response(b"" if request.method == "HEAD" else content, headers=headers)


def create_app(store: FeedStore) -> Starlette:
    """The web app serving the store's live feeds.

    Routes (GET and HEAD):
        ``/feeds/{token}.ics``: the calendar; ``/feeds/{token}.pdf``: the handout; ``/feeds/{token}``: a
        page with subscribe links in the client's language; ``/healthz``: ``ok`` for load balancers.

    Everything else, and every unknown or revoked token, gets the same 404.
    """

    async def feed(request: Request) -> Response:
        name: str = request.path_params["name"]
        token, dot, suffix = name.partition(".")
        if dot and suffix in ("ics", "pdf"):
            kind: FileKind = "ics" if suffix == "ics" else "pdf"
            conditional = "if-none-match" in request.headers or "if-modified-since" in request.headers
            if conditional:
                tag = store.head(token, kind)
                if tag is None:
                    return _not_found(request.method == "HEAD")
                if _matches(request, *tag):
                    return _respond(request, None, *tag, _MEDIA[kind], FEED_MAX_AGE_S)
            body = store.body(token, kind)
            if body is None:
                return _not_found(request.method == "HEAD")
            return _respond(request, body.content, body.etag, body.last_modified, _MEDIA[kind], FEED_MAX_AGE_S)
        if dot:
            return _not_found(request.method == "HEAD")
        entry = store.live(token)
        if entry is None:
            return _not_found(request.method == "HEAD")
        page = render_page(entry, has_pdf=store.head(token, "pdf") is not None)
        modified = int(entry.updated.timestamp())
        etag = etag_of(page)
        if _matches(request, etag, modified):
            return _respond(request, None, etag, modified, _MEDIA["html"], PAGE_MAX_AGE_S)
        return _respond(request, page, etag, modified, _MEDIA["html"], PAGE_MAX_AGE_S)

    async def health(request: Request) -> Response:
        return Response(b"ok\n", headers={**_SECURITY, "cache-control": "no-store", "content-type": "text/plain"})

    handlers: Mapping[int | type[Exception], object] = {404: _not_found_handler}
    return Starlette(
        routes=[
            Route("/feeds/{name:str}", feed, methods=["GET", "HEAD"]),
            Route("/healthz", health, methods=["GET", "HEAD"]),
        ],
        exception_handlers=handlers,  # type: ignore[arg-type]
    )


def run_server(store: FeedStore, *, host: str, port: int, access_log: bool = False) -> None:
    """Serve ``create_app(store)`` with uvicorn until interrupted (Ctrl+C or SIGTERM)."""
    import uvicorn

    uvicorn.run(
        create_app(store),
        host=host,
        port=port,
        # Access logs would write every secret token to the log; they are off unless asked for.
        access_log=access_log,
        log_level="info" if access_log else "warning",
        server_header=False,
        proxy_headers=False,
    )
