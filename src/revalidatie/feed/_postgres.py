"""The PostgreSQL feed store, for a practice group: several physios, locations and server processes.

It keeps what the SQLite store keeps, in the same two tables, and answers the same port
(:class:`~revalidatie.feed.port.FeedStorePort`; the contract tests run against both). Writes and reads of
the command line and scripts go through a connection pool (psycopg 3); the web server's per-request reads go
through an asynchronous pool of their own (:meth:`PostgresFeedStore.reader`), so every worker process
awaits the database instead of blocking its event loop.

Concurrency is the database's: a revision locks its feed's row (``SELECT ... FOR UPDATE``), so two physios
revising one plan at once get one revision and one clear conflict; two publishing the same plan at once
meet the unique index of live plans. Errors are told apart by SQLSTATE (psycopg's exception classes), never
by message text.

psycopg is imported only here, and only when a ``postgresql://`` store is opened: it comes with the
``postgres`` extra (``pip install 'revalidatie[postgres]'``).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import FeedConflict, FeedError, FeedNotFound, FeedStoreError, ProfileError, error_message
from ..export.json import plan_from_json, plan_to_json
from ..model.log import SessionLog
from ..model.plan import Plan
from ._records import (
    MIN_PREFIX,
    SECRET_BYTES,
    CheckIn,
    FeedBody,
    FeedEntry,
    FileKind,
    checkin_of,
    describe,
    epoch,
    etag_of,
    feed_url,
    new_token,
    next_modified,
    normalize_base_url,
    published_already,
    refuse_stale,
)
from .migrations import migrations, statements
from .store import render_outputs

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import AsyncConnectionPool, ConnectionPool

    from .port import FeedReader

_MIGRATIONS = migrations("postgresql")
SCHEMA_VERSION = len(_MIGRATIONS)
# Taken for the length of a migration, so server workers starting together migrate one after the other.
_MIGRATION_LOCK = 0x52764664
CONNECT_TIMEOUT_S = 5
"""How long opening one connection may take before the database counts as unreachable."""
POOL_TIMEOUT_S = 10.0
"""How long a command waits for a pooled connection (while the database is down, say) before it fails."""
READ_TIMEOUT_S = 2.0
"""How long a web request waits for a connection before the server answers 503 instead."""
CHANNEL = "revalidatie_feeds"
"""The notification channel: every write sends the feed's token on it when it commits."""
CACHE_TTL_S = 5.0
"""Longest a server worker answers a conditional request from its own copy of a feed's validators."""
CACHE_ENTRIES = 10_000


_ENTRY = (
    "SELECT token, base_url, plan_id, client, language, timezone, first_day, last_day, revision, last_modified,"
    " revoked, paused FROM feeds"
)
_CURRENT = (
    " FROM feeds AS f JOIN revisions AS r ON r.token = f.token AND r.revision = f.revision"
    " WHERE f.token = %s AND NOT f.revoked"
)
_HEAD = {kind: f"SELECT r.{kind}_etag, r.last_modified{_CURRENT}" for kind in ("ics", "pdf")}
_BODY = {kind: f"SELECT r.{kind}, r.{kind}_etag, r.last_modified{_CURRENT}" for kind in ("ics", "pdf")}


def redact(location: str) -> str:
    """``location`` with any password replaced by ``***``, fit for messages and logs."""
    try:
        parts = urlsplit(location)
        if parts.password is not None:
            host = parts.netloc.rpartition("@")[2]
            user = parts.username or ""
            parts = parts._replace(netloc=f"{user}:***@{host}")
        shown = urlunsplit(parts)
    except ValueError:  # not even a URL: the password may still be in it
        shown = re.sub(r"(://[^:/@\[]*:)[^@]*@", r"\1***@", location)
    return re.sub(r"(password=)[^&\s]*", r"\1***", shown, flags=re.IGNORECASE)


def _words(exc: BaseException) -> str:
    """The driver's message on one line (libpq spreads its messages over several)."""
    return " ".join(str(exc).split()) or type(exc).__name__


def _notify(connection: psycopg.Connection[tuple[Any, ...]], token: str) -> None:
    """Tell every server worker, when this transaction commits, that the feed ``token`` changed."""
    connection.execute("SELECT pg_notify(%s, %s)", (CHANNEL, token))


def _entry(row: tuple[Any, ...]) -> FeedEntry:
    token, base, plan_id, client, language, timezone, first_day, last_day, revision, modified, revoked, paused = row
    return FeedEntry(
        token=token,
        url=feed_url(base, token),
        base_url=base,
        plan_id=plan_id,
        client=client,
        language=language,
        timezone=timezone,
        first_day=first_day,
        last_day=last_day,
        revision=revision,
        updated=dt.datetime.fromtimestamp(modified, dt.UTC),
        revoked=bool(revoked),
        paused=bool(paused),
    )


class PostgresFeedStore:
    """Published plans, their revision history and their secret tokens, in a PostgreSQL database.

    Example:
        >>> store = PostgresFeedStore("postgresql://revalidatie@db.example.nl/feeds")  # doctest: +SKIP
        >>> url = store.publish(plan, base_url="https://feeds.example.nl")  # doctest: +SKIP

    Args:
        url: ``postgresql://user@host:port/database`` (libpq's URL; ``?sslmode=verify-full`` and the
            like work as in psql). Give the password through ``PGPASSWORD`` or ``~/.pgpass`` rather than in
            the URL, which command lines and process lists show.
        handouts: Whether publishing also renders and stores the PDF handout.
        pool_size: Most connections the store opens at once.
        connect: Whether to connect (and migrate) now, so that an unreachable database is an error here.
            A server worker passes false: its parent checked the database, and a worker started again
            while the database is away must come up and answer 503 rather than fail.

    The database must exist; the store creates its tables, or migrates them to this version's schema, on
    opening (one process at a time, under an advisory lock). Several processes on several machines may use
    one database at once.

    Raises:
        FeedStoreError: psycopg is not installed, the URL is not a PostgreSQL URL, the database cannot be
            reached or logged into, holds another program's tables, or has a newer schema.

    """

    def __init__(self, url: str, *, handouts: bool = True, pool_size: int = 4, connect: bool = True) -> None:
        self._url = url
        self._shown = redact(url)
        self._handouts = handouts
        self._pool_size = pool_size
        try:
            import psycopg
            import psycopg.conninfo
            from psycopg_pool import ConnectionPool
        except ImportError:
            raise FeedStoreError(self._shown, error_message("error.postgres-not-installed")) from None
        try:
            psycopg.conninfo.conninfo_to_dict(url)
        except psycopg.Error as exc:
            reason = _words(exc).replace(url, self._shown)
            raise FeedStoreError(self._shown, error_message("error.postgres-url", reason=reason)) from None
        self._settings: dict[str, Any] = {
            "autocommit": True,  # reads need no transaction; writes open one explicitly
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "revalidatie",
        }
        # One connection first, so an unreachable server or a wrong password says so in its own words (a
        # pool would only time out), and the schema is in place before anything else runs.
        if connect:
            with self._errors(), psycopg.connect(url, **self._settings) as connection:
                self._migrate(connection)
        self._pool: ConnectionPool[psycopg.Connection[tuple[Any, ...]]] = ConnectionPool(
            url,
            kwargs=self._settings,
            min_size=1,
            max_size=pool_size,
            timeout=POOL_TIMEOUT_S,
            # A pooled connection is checked before use, so a command after a database restart gets a
            # fresh one instead of the broken one.
            check=ConnectionPool.check_connection,
            reconnect_timeout=3600,
            open=False,
            name="revalidatie-feeds",
        )
        self._pool.open(wait=False)

    # --- opening and errors ---------------------------------------------------------------------------------

    def _migrate(self, connection: psycopg.Connection[tuple[Any, ...]]) -> None:
        with connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            known = connection.execute("SELECT to_regclass('revalidatie_schema') IS NOT NULL").fetchone()
            if not (known and known[0]):
                taken = connection.execute("SELECT to_regclass('feeds') IS NOT NULL").fetchone()
                if taken and taken[0]:
                    raise FeedStoreError(
                        self._shown,
                        error_message("error.postgres-foreign"),
                    )
                connection.execute(
                    "CREATE TABLE revalidatie_schema (version integer PRIMARY KEY,"
                    " applied_at timestamptz NOT NULL DEFAULT now())"
                )
            row = connection.execute("SELECT coalesce(max(version), 0) FROM revalidatie_schema").fetchone()
            current = int(row[0]) if row else 0
            if current > SCHEMA_VERSION:
                raise FeedStoreError(
                    self._shown,
                    error_message("error.store-newer", schema=current, reads=SCHEMA_VERSION),
                )
            for version, script in _MIGRATIONS:
                if version > current:
                    for statement in statements(script):
                        connection.execute(statement.encode("utf-8"))
                    connection.execute("INSERT INTO revalidatie_schema (version) VALUES (%s)", (version,))

    def _error(self, exc: BaseException) -> FeedError:
        """What a driver or pool error means for the user, and what to do about it."""
        import psycopg.errors
        from psycopg_pool import PoolTimeout

        if isinstance(exc, PoolTimeout):
            return FeedStoreError(self._shown, error_message("error.postgres-timeout", reason=_words(exc)))
        if isinstance(exc, psycopg.errors.InsufficientPrivilege):
            return FeedStoreError(self._shown, error_message("error.postgres-privilege", reason=_words(exc)))
        if isinstance(exc, psycopg.errors.ReadOnlySqlTransaction):
            return FeedStoreError(self._shown, error_message("error.postgres-read-only", reason=_words(exc)))
        if isinstance(exc, psycopg.OperationalError):
            return FeedStoreError(self._shown, error_message("error.postgres-unreachable", reason=_words(exc)))
        sqlstate = getattr(exc, "sqlstate", None) or type(exc).__name__
        return FeedStoreError(self._shown, error_message("error.store-other", reason=f"{sqlstate}: {_words(exc)}"))

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        import psycopg

        try:
            yield
        except psycopg.Error as exc:
            raise self._error(exc) from None

    @contextlib.contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
        with self._errors(), self._pool.connection() as connection:
            yield connection

    @property
    def location(self) -> str:
        """The database's URL, without its password."""
        return self._shown

    def reader(self) -> FeedReader:
        """The web server's per-request reads, over an asynchronous pool of their own."""
        return _PostgresReader(self._url, self._shown, self._settings, self._pool_size, self._error)

    def close(self) -> None:
        """Close the pool's connections; the store cannot be used afterwards."""
        self._pool.close()

    def __enter__(self) -> PostgresFeedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ------------------------------------------------------------------------------------------

    def publish(self, plan: Plan, *, base_url: str, at: dt.datetime | None = None) -> str:
        """Publish a plan under a new secret token and return its subscription URL.

        Raises:
            InputError: ``base_url`` is not an absolute http(s) address.
            FeedConflict: The plan is published already; revise it with :meth:`update` or revoke it first.
            FeedStoreError: The database cannot be written.

        """
        import psycopg.errors

        base = normalize_base_url(base_url)
        self._refuse_live(plan.id)
        plan_json = plan_to_json(plan)
        for _ in range(3):
            token = new_token()
            url = feed_url(base, token)
            ics, pdf = render_outputs(plan, url, self._handouts)
            modified = next_modified(at, None)
            with self._connection() as connection:
                try:
                    with connection.transaction():
                        connection.execute(
                            "INSERT INTO feeds (token, plan_id, client, language, timezone, first_day, last_day,"
                            " paused, base_url, revision, last_modified)"
                            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                            (token, plan.id, *describe(plan), base, plan.revision, modified),
                        )
                        self._insert_revision(connection, token, plan, plan_json, ics, pdf, modified)
                        _notify(connection, token)
                except psycopg.errors.UniqueViolation as exc:
                    if exc.diag.constraint_name == "feeds_pkey":
                        continue  # 2**-256: a repeated token is never expected, but must never share a feed
                    # Another physio published the same plan a moment ago.
                    self._refuse_live(plan.id)
                    raise FeedConflict(error_message("error.feed-published-meanwhile", plan=repr(plan.id))) from None
            return url
        raise FeedError(error_message("error.feed-no-token"))

    def update(self, plan: Plan, *, at: dt.datetime | None = None) -> FeedEntry:
        """Publish a new revision of a plan that is published already (matched by ``plan.id``).

        Raises:
            FeedNotFound: No live feed serves a plan with this id.
            FeedConflict: ``plan.revision`` is not newer than the published revision.
            FeedStoreError: The database cannot be written.

        """
        entry = self._live(plan.id)
        refuse_stale(entry, plan)
        plan_json = plan_to_json(plan)
        ics, pdf = render_outputs(plan, entry.url, self._handouts)
        with self._connection() as connection, connection.transaction():
            # The row lock makes concurrent revisions of one plan wait for each other: the later one sees
            # the earlier one's revision and is refused as stale, never stored beside it.
            row = connection.execute(f"{_ENTRY} WHERE plan_id = %s AND NOT revoked FOR UPDATE", (plan.id,)).fetchone()
            if row is None:
                raise FeedNotFound(plan.id, "plan", error_message("error.feed-publish-first"))
            entry = _entry(row)
            refuse_stale(entry, plan)
            modified = next_modified(at, int(entry.updated.timestamp()))
            self._insert_revision(connection, entry.token, plan, plan_json, ics, pdf, modified)
            connection.execute(
                "UPDATE feeds SET revision = %s, last_modified = %s, client = %s, language = %s, timezone = %s,"
                " first_day = %s, last_day = %s, paused = %s WHERE token = %s",
                (plan.revision, modified, *describe(plan), entry.token),
            )
            _notify(connection, entry.token)
        return self.get(entry.token)

    def revoke(self, token: str) -> FeedEntry:
        """Stop serving a feed: its URL answers 404 from now on. The stored revisions are kept.

        Raises:
            FeedNotFound: No feed has this token.

        """
        with self._connection() as connection, connection.transaction():
            if connection.execute("UPDATE feeds SET revoked = true WHERE token = %s", (token,)).rowcount == 0:
                raise FeedNotFound(token)
            _notify(connection, token)
        return self.get(token)

    def report(
        self, token: str, log: SessionLog, *, red_flags: tuple[str, ...] = (), at: dt.datetime | None = None
    ) -> CheckIn:
        """Store the client's report on one session of a live feed, in one transaction; earlier ones stay.

        Raises:
            FeedNotFound: No live feed has this token (a revoked feed takes no reports).
            FeedStoreError: The database cannot be written.

        """
        received = epoch(at or dt.datetime.now(dt.UTC))
        with self._connection() as connection, connection.transaction():
            # The share lock keeps a revocation from passing a report that is being stored.
            if (
                connection.execute(
                    "SELECT 1 FROM feeds WHERE token = %s AND NOT revoked FOR SHARE", (token,)
                ).fetchone()
                is None
            ):
                raise FeedNotFound(token)
            row = connection.execute(
                "INSERT INTO checkins (token, session_id, log_json, red_flags, received) VALUES (%s, %s, %s, %s, %s)"
                " RETURNING id",
                (token, log.session_id, log.model_dump_json(), ",".join(red_flags), received),
            ).fetchone()
        assert row is not None
        return CheckIn(int(row[0]), token, log, red_flags, dt.datetime.fromtimestamp(received, dt.UTC))

    def reports_since(self, token: str, since: dt.datetime) -> int:
        """How many reports the feed with this token received at or after ``since``, whichever server took them."""
        with self._connection() as connection:
            row = connection.execute(
                "SELECT count(*) FROM checkins WHERE token = %s AND received >= %s", (token, epoch(since))
            ).fetchone()
        assert row is not None
        return int(row[0])

    def checkins(self, token: str) -> tuple[CheckIn, ...]:
        """Every report on the feed with this token (live or revoked), oldest first, corrections included."""
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT id, log_json, red_flags, received FROM checkins WHERE token = %s ORDER BY id", (token,)
            ).fetchall()
        return tuple(checkin_of(token, int(row[0]), row[1], row[2], int(row[3])) for row in rows)

    def secret(self) -> bytes:
        """The server's secret for form tokens, drawn on first use and kept in the database."""
        import os

        with self._connection() as connection, connection.transaction():
            connection.execute(
                "INSERT INTO secrets (name, value) VALUES ('forms', %s) ON CONFLICT (name) DO NOTHING",
                (os.urandom(SECRET_BYTES),),
            )
            row = connection.execute("SELECT value FROM secrets WHERE name = 'forms'").fetchone()
        assert row is not None
        return bytes(row[0])

    @staticmethod
    def _insert_revision(
        connection: psycopg.Connection[tuple[Any, ...]],
        token: str,
        plan: Plan,
        plan_json: str,
        ics: bytes,
        pdf: bytes | None,
        modified: int,
    ) -> None:
        connection.execute(
            "INSERT INTO revisions (token, revision, plan_json, ics, ics_etag, pdf, pdf_etag, last_modified)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (token, plan.revision, plan_json, ics, etag_of(ics), pdf, None if pdf is None else etag_of(pdf), modified),
        )

    def _refuse_live(self, plan_id: str) -> None:
        with self._connection() as connection:
            row = connection.execute(
                "SELECT token FROM feeds WHERE plan_id = %s AND NOT revoked", (plan_id,)
            ).fetchone()
        if row is not None:
            raise FeedConflict(published_already(plan_id, row[0]))

    # --- reading ------------------------------------------------------------------------------------------

    def _one(self, query: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        with self._connection() as connection:
            return connection.execute(query, params, binary=True).fetchone()

    def _live(self, plan_id: str) -> FeedEntry:
        row = self._one(f"{_ENTRY} WHERE plan_id = %s AND NOT revoked", (plan_id,))
        if row is None:
            raise FeedNotFound(plan_id, "plan", error_message("error.feed-publish-first"))
        return _entry(row)

    def get(self, token: str) -> FeedEntry:
        """The feed with this token, live or revoked.

        Raises:
            FeedNotFound: No feed has this token.

        """
        row = self._one(f"{_ENTRY} WHERE token = %s", (token,))
        if row is None:
            raise FeedNotFound(token)
        return _entry(row)

    def find(self, prefix: str) -> FeedEntry:
        """The one feed whose token starts with ``prefix`` (at least 6 characters), live or revoked.

        Raises:
            FeedNotFound: No feed, or more than one, has a token starting with ``prefix``.

        """
        if len(prefix) < MIN_PREFIX:
            raise FeedNotFound(prefix, "token prefix", error_message("error.feed-prefix-too-short", n=MIN_PREFIX))
        with self._connection() as connection:
            # left() instead of LIKE: tokens contain "_", which LIKE would treat as a wildcard.
            rows = connection.execute(f"{_ENTRY} WHERE left(token, %s) = %s LIMIT 2", (len(prefix), prefix)).fetchall()
        if len(rows) != 1:
            hint = error_message("error.feed-see-list" if not rows else "error.feed-prefix-ambiguous")
            raise FeedNotFound(prefix, "token prefix", hint)
        return _entry(rows[0])

    def entries(self, *, include_revoked: bool = False) -> tuple[FeedEntry, ...]:
        """Every live feed (and the revoked ones when asked), by client name, then token."""
        where = "" if include_revoked else " WHERE NOT revoked"
        with self._connection() as connection:
            # Byte order ("C"), as SQLite sorts, whatever collation the database was created with.
            rows = connection.execute(f'{_ENTRY}{where} ORDER BY client COLLATE "C", token COLLATE "C"').fetchall()
        return tuple(_entry(row) for row in rows)

    def revisions(self, token: str) -> tuple[int, ...]:
        """The numbers of every revision published under ``token``, oldest first.

        Raises:
            FeedNotFound: No feed has this token.

        """
        self.get(token)
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT revision FROM revisions WHERE token = %s ORDER BY revision", (token,)
            ).fetchall()
        return tuple(row[0] for row in rows)

    def plan(self, token: str, revision: int | None = None) -> Plan:
        """The plan published under ``token``: the current revision, or the one asked for.

        Raises:
            FeedNotFound: No feed has this token, or it has no such revision.
            FeedStoreError: The stored plan cannot be read back (the database was altered by hand).

        """
        entry = self.get(token)
        number = entry.revision if revision is None else revision
        row = self._one("SELECT plan_json FROM revisions WHERE token = %s AND revision = %s", (token, number))
        if row is None:
            raise FeedNotFound(f"{token[:8]}... #{number}", "revision", error_message("error.feed-see-revisions"))
        try:
            return plan_from_json(row[0], source=f"{self._shown} (revision {number})")
        except ProfileError as exc:
            raise FeedStoreError(self._shown, error_message("error.feed-plan-damaged", reason=str(exc))) from None

    def body(self, token: str, kind: FileKind = "ics") -> FeedBody | None:
        """The stored calendar (or PDF handout) of a live feed's current revision; ``None`` when there is none."""
        row = self._one(_BODY[kind], (token,))
        if row is None or row[0] is None:
            return None
        return FeedBody(content=bytes(row[0]), etag=row[1], last_modified=row[2])

    def head(self, token: str, kind: FileKind = "ics") -> tuple[str, int] | None:
        """ETag and Last-Modified (epoch seconds) of a live feed's stored file, without the file; else ``None``."""
        row = self._one(_HEAD[kind], (token,))
        if row is None or row[0] is None:
            return None
        return row[0], row[1]

    def live(self, token: str) -> FeedEntry | None:
        """The live feed with this token, or ``None`` for an unknown or revoked token."""
        row = self._one(f"{_ENTRY} WHERE token = %s AND NOT revoked", (token,))
        return None if row is None else _entry(row)

    # --- maintenance --------------------------------------------------------------------------------------

    def check(self) -> tuple[str, ...]:
        """Check what the constraints cannot: every feed's current revision is stored and carries its files."""
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT f.token FROM feeds AS f LEFT JOIN revisions AS r"
                " ON r.token = f.token AND r.revision = f.revision WHERE r.token IS NULL OR r.ics IS NULL"
            ).fetchall()
        return tuple(f"feed {row[0][:8]}...: its current revision is missing" for row in rows)


class _PostgresReader:
    """The server's per-request reads over an asynchronous pool, opened on first use in the event loop.

    A request that finds the database unreachable waits at most :data:`READ_TIMEOUT_S` for a connection and
    fails with :class:`FeedStoreError` (the server answers 503); the pool keeps reconnecting in the
    background and the server recovers by itself when the database is back.

    Conditional requests, nearly all of a feed server's load, are answered from the worker's own copy of each
    live feed's validators (ETag, Last-Modified) while that copy can be trusted: a connection of its own
    listens on :data:`CHANNEL`, on which every publish, revision and revocation names its feed as it commits,
    and the worker drops that feed's copy when told. While the listening connection is down the copy is
    not used at all; and no copy is older than :data:`CACHE_TTL_S`, whatever happens to the notifications.
    A query that was running when a notification came in is not kept, so a worker's view of a feed never
    goes back to an older revision.
    """

    def __init__(self, url: str, shown: str, settings: dict[str, Any], size: int, error: Any) -> None:
        self._url = url
        self._shown = shown
        self._settings = settings
        self._size = size
        self._error = error
        self._pool: AsyncConnectionPool[psycopg.AsyncConnection[tuple[Any, ...]]] | None = None
        self._opening = asyncio.Lock()
        self._checking: asyncio.Task[None] | None = None
        self._cache: dict[tuple[str, FileKind], tuple[tuple[str, int], float]] = {}
        self._generation = 0  # moves on every notification and every change of the listener's state
        self._listening = False
        self._listener: asyncio.Task[None] | None = None

    async def _open(self) -> AsyncConnectionPool[psycopg.AsyncConnection[tuple[Any, ...]]]:
        from psycopg_pool import AsyncConnectionPool

        async with self._opening:
            if self._pool is None:
                pool: AsyncConnectionPool[psycopg.AsyncConnection[tuple[Any, ...]]] = AsyncConnectionPool(
                    self._url,
                    kwargs=self._settings,
                    min_size=1,
                    max_size=self._size,
                    timeout=READ_TIMEOUT_S,
                    reconnect_timeout=3600,
                    open=False,
                    name="revalidatie-server",
                )
                await pool.open(wait=False)
                self._pool = pool
                self._listener = asyncio.get_running_loop().create_task(self._listen())
            return self._pool

    def _forget(self, token: str | None = None) -> None:
        self._generation += 1
        if token is None:
            self._cache.clear()
        else:
            self._cache.pop((token, "ics"), None)
            self._cache.pop((token, "pdf"), None)

    async def _listen(self) -> None:
        """Keep a connection listening on CHANNEL; drop copies as told, and all of them whenever it breaks."""
        import psycopg

        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self._url, **self._settings) as connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    self._forget()
                    self._listening = True
                    while True:
                        async for notice in connection.notifies(timeout=CACHE_TTL_S):
                            self._forget(notice.payload)
                        # Quiet for a while: make sure the connection is still there to hear the next one.
                        await asyncio.wait_for(connection.execute("SELECT 1"), READ_TIMEOUT_S)
            except asyncio.CancelledError:
                raise
            except (psycopg.Error, OSError, TimeoutError):
                pass
            self._listening = False
            self._forget()
            await asyncio.sleep(1.0)

    @contextlib.asynccontextmanager
    async def _connection(self) -> AsyncIterator[psycopg.AsyncConnection[tuple[Any, ...]]]:
        import psycopg

        pool = self._pool or await self._open()
        try:
            async with pool.connection() as connection:
                yield connection
        except psycopg.Error as exc:
            if isinstance(exc, psycopg.OperationalError) and (self._checking is None or self._checking.done()):
                # The connections in the pool may all be broken (a restarted server): test them now rather
                # than let each following request find one.
                self._checking = asyncio.get_running_loop().create_task(pool.check())
            raise self._error(exc) from None

    async def _one(self, query: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        async with self._connection() as connection:
            cursor = await connection.execute(query, params, binary=True)
            return await cursor.fetchone()

    async def head(self, token: str, kind: FileKind = "ics") -> tuple[str, int] | None:
        key = (token, kind)
        trusted = self._listening
        if trusted:
            copy = self._cache.get(key)
            if copy is not None and copy[1] > time.monotonic():
                return copy[0]
        generation = self._generation
        row = await self._one(_HEAD[kind], (token,))
        if row is None or row[0] is None:
            return None
        found = (row[0], row[1])
        if trusted and self._listening and generation == self._generation:
            if len(self._cache) >= CACHE_ENTRIES:
                self._cache.clear()
            self._cache[key] = (found, time.monotonic() + CACHE_TTL_S)
        return found

    async def body(self, token: str, kind: FileKind = "ics") -> FeedBody | None:
        row = await self._one(_BODY[kind], (token,))
        if row is None or row[0] is None:
            return None
        return FeedBody(content=bytes(row[0]), etag=row[1], last_modified=row[2])

    async def live(self, token: str) -> FeedEntry | None:
        row = await self._one(f"{_ENTRY} WHERE token = %s AND NOT revoked", (token,))
        return None if row is None else _entry(row)

    async def aclose(self) -> None:
        if self._listener is not None:
            listener, self._listener = self._listener, None
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
        self._listening = False
        self._forget()
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()
