"""The feed store's port: what the web app, the command line, the static export and batch ask of a store.

Two small :class:`typing.Protocol` classes, in the way httpx's transports are one-method ports: a store
implements them, and nothing that uses a store knows which database is behind it.

- :class:`FeedStorePort` is the whole store, called synchronously: publishing, revising, revoking,
  listing, reading plans back (the command line, batch jobs, scripts and the static export).
- :class:`FeedReader` is the part the web server awaits on every request: the current file of a live
  feed, its validators, and the live entry for the page. A PostgreSQL store answers it over an
  asynchronous connection pool, so a slow query never blocks the event loop; the SQLite store answers it
  from the file directly (a read there takes microseconds and never waits for a writer).

:class:`revalidatie.feed.FeedStore` (SQLite) and :class:`revalidatie.feed.PostgresFeedStore` implement
both, and the same contract test suite runs against each. :func:`revalidatie.feed.open_store` picks one
by the database's location: a file path, or a ``postgresql://`` URL.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol, Self

from ..model.log import SessionLog
from ..model.plan import Plan
from ._records import CheckIn, FeedBody, FeedEntry, FileKind


class FeedReader(Protocol):
    """What the web server reads per request, awaited; every method answers ``None`` for what is not live.

    Raises (every method):
        FeedStoreError: The database cannot be reached or read right now (the server answers 503).
    """

    async def head(self, token: str, kind: FileKind = "ics") -> tuple[str, int] | None:
        """ETag and Last-Modified (epoch seconds) of a live feed's stored file, without the file."""
        ...

    async def body(self, token: str, kind: FileKind = "ics") -> FeedBody | None:
        """The stored file of a live feed's current revision, with its validators."""
        ...

    async def live(self, token: str) -> FeedEntry | None:
        """The live feed with this token."""
        ...

    async def aclose(self) -> None:
        """Release the reader's connections; it opens them again when used afterwards."""
        ...


class FeedStorePort(Protocol):
    """A feed store: published plans, their revisions and rendered files, and their secret tokens.

    Every write is one transaction: all of it is stored, or none of it. Every method raises
    :class:`~revalidatie.errors.FeedStoreError` when the database cannot be reached, read or written,
    with what was wrong and what to do; never an error of the database driver.
    """

    @property
    def location(self) -> str:
        """Where the store is, for messages: the file's path, or the URL without its password."""
        ...

    def publish(self, plan: Plan, *, base_url: str, at: dt.datetime | None = None) -> str:
        """Publish a plan under a new secret token; return its subscription URL.

        Raises:
            InputError: ``base_url`` is not an absolute http(s) address.
            FeedConflict: The plan has a live feed already.

        """
        ...

    def update(self, plan: Plan, *, at: dt.datetime | None = None) -> FeedEntry:
        """Publish a newer revision of a plan with a live feed (matched by ``plan.id``); the URL stays.

        Raises:
            FeedNotFound: No live feed serves a plan with this id.
            FeedConflict: ``plan.revision`` is not newer than the published revision.

        """
        ...

    def revoke(self, token: str) -> FeedEntry:
        """Stop serving a feed (404 from now on); its revisions are kept.

        Raises:
            FeedNotFound: No feed has this token.

        """
        ...

    def report(
        self, token: str, log: SessionLog, *, red_flags: tuple[str, ...] = (), at: dt.datetime | None = None
    ) -> CheckIn:
        """Store the client's report on a session of a live feed, in one transaction; earlier ones are kept.

        Raises:
            FeedNotFound: No live feed has this token.

        """
        ...

    def reports_since(self, token: str, since: dt.datetime) -> int:
        """How many reports the feed with this token received at or after ``since``.

        Every worker and server of the store counts the same reports, so a limit read from it holds for all.
        """
        ...

    def checkins(self, token: str) -> tuple[CheckIn, ...]:
        """Every report on the feed with this token, oldest first, corrections included."""
        ...

    def secret(self) -> bytes:
        """The server's secret for the check-in forms' tokens, drawn on first use and kept in the store."""
        ...

    def get(self, token: str) -> FeedEntry:
        """The feed with this token, live or revoked.

        Raises:
            FeedNotFound: No feed has this token.

        """
        ...

    def find(self, prefix: str) -> FeedEntry:
        """The one feed whose token starts with ``prefix`` (at least 6 characters).

        Raises:
            FeedNotFound: No feed, or more than one, has a token starting with ``prefix``.

        """
        ...

    def entries(self, *, include_revoked: bool = False) -> tuple[FeedEntry, ...]:
        """Every live feed (and the revoked ones when asked), by client name, then token."""
        ...

    def revisions(self, token: str) -> tuple[int, ...]:
        """The numbers of every revision published under ``token``, oldest first."""
        ...

    def plan(self, token: str, revision: int | None = None) -> Plan:
        """The plan published under ``token``: the current revision, or the one asked for."""
        ...

    def body(self, token: str, kind: FileKind = "ics") -> FeedBody | None:
        """The stored file of a live feed's current revision; ``None`` for unknown, revoked or missing."""
        ...

    def head(self, token: str, kind: FileKind = "ics") -> tuple[str, int] | None:
        """ETag and Last-Modified of a live feed's stored file; ``None`` as for :meth:`body`."""
        ...

    def live(self, token: str) -> FeedEntry | None:
        """The live feed with this token, or ``None`` for an unknown or revoked token."""
        ...

    def check(self) -> tuple[str, ...]:
        """The problems the database's own checks find; empty when it is sound."""
        ...

    def reader(self) -> FeedReader:
        """The per-request reads for the web server, to be awaited."""
        ...

    def close(self) -> None:
        """Close the store's connections; it cannot be used afterwards."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...
