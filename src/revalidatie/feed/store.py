"""The feed stores: where published plans, their revisions and secret tokens are kept.

:func:`open_store` opens a store by location: a file path gives the embedded SQLite store
(:class:`FeedStore`, one practice on one machine), a ``postgresql://`` URL the PostgreSQL store
(:class:`~revalidatie.feed.PostgresFeedStore`, a practice group with several servers). Both implement
:class:`~revalidatie.feed.port.FeedStorePort`.

Serving reads only what publishing wrote: the calendar (and handout) of each revision is rendered once,
when it is published (:func:`render_outputs`, the one place a store calls the exporters), and stored with
its strong ETag and Last-Modified, so a request is one indexed SELECT. Every SQLite write is a single
transaction in WAL mode with ``synchronous=FULL``: a process killed in the middle of a write leaves the
database as it was before that write, and nothing committed is lost.

This module imports no web framework, database driver or calendar library; rendering imports them when it
runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .._atomic import make_private_folder
from ..errors import FeedConflict, FeedError, FeedNotFound, FeedStoreError, ProfileError, error_message
from ..export.json import plan_from_json, plan_to_json
from ..model.log import SessionLog
from ..model.plan import Plan
from ._private import create_private_file
from ._records import (
    MIN_PREFIX,
    SECRET_BYTES,
    TOKEN_BYTES,
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

if TYPE_CHECKING:
    from .port import FeedReader, FeedStorePort

__all__ = [
    "APPLICATION_ID",
    "DEFAULT_DB",
    "MIN_PREFIX",
    "SCHEMA_VERSION",
    "TOKEN_BYTES",
    "CheckIn",
    "FeedBody",
    "FeedEntry",
    "FeedStore",
    "FileKind",
    "etag_of",
    "feed_url",
    "normalize_base_url",
    "open_store",
    "render_outputs",
]

DEFAULT_DB = "revalidatie-feeds.sqlite"
"""File name of the database when none is given (in the current folder)."""

_MIGRATIONS = migrations("sqlite")
SCHEMA_VERSION = len(_MIGRATIONS)
# "RvFd" as a big-endian integer: marks the file as ours, so another program's SQLite file is refused.
APPLICATION_ID = 0x52764664
_BUSY_TIMEOUT_MS = 10_000
_HEAD = {
    kind: f"SELECT r.{kind}_etag, r.last_modified FROM feeds AS f JOIN revisions AS r"
    " ON r.token = f.token AND r.revision = f.revision WHERE f.token = ? AND f.revoked = 0"
    for kind in ("ics", "pdf")
}


# --- rendering: the one place a store calls the exporters ------------------------------------------------


def render_outputs(plan: Plan, url: str, handout: bool) -> tuple[bytes, bytes | None]:
    """The calendar and the handout (with the subscription URL and its QR code) of one revision.

    Every store publishes through this function and stores the bytes it returns; nothing else in the
    stores knows an exporter. The rendering itself is the library's one publishing function; every event
    links to the feed's check-in page (``/checkin/TOKEN`` beside ``/feeds/TOKEN.ics``), where the client
    reports the session and finds the link to the feed's own page.
    """
    from ..publish import render_outputs as render

    base, _, name = url.rpartition("/feeds/")
    formats = ("ics", "pdf") if handout else ("ics",)
    outputs = render(
        plan, formats=formats, subscription_url=url, checkin_url=f"{base}/checkin/{name.removesuffix('.ics')}"
    )
    return outputs["ics"], outputs.get("pdf")


# --- choosing a store ------------------------------------------------------------------------------------


def is_postgresql(location: str) -> bool:
    """Whether ``location`` is a PostgreSQL URL (``postgresql://`` or ``postgres://``) rather than a path."""
    scheme, separator, _ = location.partition("://")
    return bool(separator) and scheme.lower() in ("postgresql", "postgres")


def open_store(
    location: str | os.PathLike[str] = DEFAULT_DB, *, create: bool = True, handouts: bool = True
) -> FeedStorePort:
    """Open the feed store at ``location``: a SQLite file's path, or a ``postgresql://`` URL.

    Args:
        location: A path (the embedded SQLite store, :class:`FeedStore`), or a URL
            ``postgresql://user@host:port/database`` (also ``postgres://``) for
            :class:`~revalidatie.feed.PostgresFeedStore`, which needs the ``postgres`` extra.
        create: Whether a missing SQLite file may be created. A PostgreSQL database must exist; its tables
            are created (and migrated) on opening either way.
        handouts: Whether publishing also renders and stores the PDF handout.

    Raises:
        FeedStoreError: The location is neither a path nor a PostgreSQL URL, the driver is not installed,
            or the database cannot be opened (with what was wrong and how to fix it).

    """
    text = os.fspath(location)
    separator = "://" in text
    if is_postgresql(text):
        from ._postgres import PostgresFeedStore

        return PostgresFeedStore(text, handouts=handouts)
    if separator or text.lower().startswith(("postgresql:", "postgres:")):
        from ._postgres import redact

        raise FeedStoreError(
            redact(text),
            error_message("error.store-unknown-kind"),
        )
    return FeedStore(text, create=create, handouts=handouts)


# --- the SQLite store ------------------------------------------------------------------------------------


class FeedStore:
    """Published plans, their revision history and their secret tokens, in a SQLite file.

    Example:
        >>> store = FeedStore("feeds.sqlite")  # doctest: +SKIP
        >>> url = store.publish(plan, base_url="https://feeds.example.nl")  # doctest: +SKIP
        >>> store.update(rv.revise(plan, logs, as_of=today))  # doctest: +SKIP

    Args:
        path: The database file; it is created (with its folder) when missing, unless ``create`` is false.
            A file it creates is readable by its owner only (0600, and so are its -wal and -shm files;
            folders 0700), whatever the umask: it holds health data.
        create: Whether a missing file may be created; when false, a missing file is an error.
        handouts: Whether publishing also renders and stores the PDF handout (a second or two per
            revision); without it, a feed has no ``.pdf`` and its page no handout link.

    A store may be used from several threads, and several processes on the same machine may open the same
    file: writes take SQLite's write lock for the length of one transaction, and readers always see the
    last commit. (The write-ahead log needs every process on one machine; a practice group with several
    servers uses the PostgreSQL store.) The schema is created, or migrated to this version's, on opening.

    Raises:
        FeedStoreError: The file cannot be opened or created, is not a SQLite database, belongs to another
            program, was made by a newer version of revalidatie, or is damaged.

    """

    def __init__(
        self, path: str | os.PathLike[str] = DEFAULT_DB, *, create: bool = True, handouts: bool = True
    ) -> None:
        self._path = Path(path)
        self._handouts = handouts
        self._lock = threading.RLock()
        self._writes = 0
        if not create and not self._path.is_file():
            raise FeedStoreError(str(self._path), error_message("error.store-missing"))
        if self._path.is_dir():
            raise FeedStoreError(str(self._path), error_message("error.store-is-folder"))
        try:
            make_private_folder(self._path.parent)
        except OSError as exc:
            raise FeedStoreError(
                str(self._path), error_message("error.store-folder", reason=exc.strerror or str(exc))
            ) from None
        try:
            # SQLite would create the file 0644 less the umask; made 0600 here first, it opens the empty file
            # as a new database, and gives its -wal and -shm files the database file's mode.
            create_private_file(self._path)
        except OSError as exc:
            raise FeedStoreError(
                str(self._path), error_message("error.store-create", reason=exc.strerror or str(exc))
            ) from None
        try:
            # isolation_level=None: no implicit transactions; every write below says BEGIN IMMEDIATE itself.
            self._db = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise FeedStoreError(str(self._path), error_message("error.store-open", reason=str(exc))) from None
        try:
            with self._guard():
                self._open()
        except BaseException:
            self._db.close()
            raise

    # --- opening ------------------------------------------------------------------------------------------

    def _open(self) -> None:
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        application_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if application_id == 0 and version == 0:
            tables = db.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
            if tables:
                raise FeedStoreError(str(self._path), error_message("error.store-foreign"))
            self._migrate()
        elif application_id != APPLICATION_ID:
            raise FeedStoreError(str(self._path), error_message("error.store-foreign"))
        elif version > SCHEMA_VERSION:
            raise FeedStoreError(
                str(self._path),
                error_message("error.store-newer", schema=version, reads=SCHEMA_VERSION),
            )
        else:
            self._migrate()
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise FeedStoreError(str(self._path), error_message("error.store-wal", mode=mode))
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")

    def _migrate(self) -> None:
        """Apply the migrations the file does not have yet, in one transaction, and record the version."""
        db = self._db
        if db.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated the file while this one waited for the lock.
            current = db.execute("PRAGMA user_version").fetchone()[0]
            for version, script in _MIGRATIONS:
                if version > current:
                    for statement in statements(script):
                        db.execute(statement)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    @contextlib.contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and turn SQLite's errors into FeedStoreError with what to do."""
        with self._lock:
            try:
                yield self._db
            except sqlite3.Error as exc:
                raise self._store_error(exc) from None

    def _store_error(self, exc: sqlite3.Error) -> FeedStoreError:
        # SQLite's result code names the kind of failure (SQLITE_BUSY, SQLITE_CORRUPT_INDEX, ...); the
        # message text is for people and may change between SQLite versions.
        text = str(exc)
        code = getattr(exc, "sqlite_errorname", None) or ""
        if code.startswith("SQLITE_NOTADB"):
            return FeedStoreError(str(self._path), error_message("error.store-not-sqlite"))
        if code.startswith("SQLITE_CORRUPT"):
            return FeedStoreError(str(self._path), error_message("error.store-damaged", reason=text))
        if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return FeedStoreError(str(self._path), error_message("error.store-busy", reason=text))
        if code.startswith("SQLITE_READONLY"):
            return FeedStoreError(str(self._path), error_message("error.store-read-only", reason=text))
        if code.startswith("SQLITE_CANTOPEN"):
            return FeedStoreError(str(self._path), error_message("error.store-cannot-open", reason=text))
        if code.startswith("SQLITE_FULL"):
            return FeedStoreError(str(self._path), error_message("error.store-full", reason=text))
        return FeedStoreError(
            str(self._path), error_message("error.store-other", reason=f"{code or type(exc).__name__}: {text}")
        )

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it."""
        with self._guard() as db:
            # IMMEDIATE takes the write lock now, so the checks below see what the write will change.
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            self._writes += 1

    def changes(self) -> tuple[int, int]:
        """A value that differs after every commit to the file, by this store or any other connection.

        SQLite's ``data_version`` moves when another connection commits; the count of this store's own
        writes covers the rest.
        """
        with self._lock:
            try:
                version = self._db.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error as exc:
                raise self._store_error(exc) from None
        return version, self._writes

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    @property
    def location(self) -> str:
        """The database file's path, for messages."""
        return str(self._path)

    def reader(self) -> FeedReader:
        """The web server's per-request reads; see :class:`_SQLiteReader`."""
        return _SQLiteReader(self)

    def close(self) -> None:
        """Close the database; the store cannot be used afterwards."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> FeedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ------------------------------------------------------------------------------------------

    def publish(self, plan: Plan, *, base_url: str, at: dt.datetime | None = None) -> str:
        """Publish a plan under a new secret token and return its subscription URL.

        Args:
            plan: The plan; its id must not be published (and not revoked) already.
            base_url: The public address of the server or static site, e.g. ``https://feeds.example.nl``.
            at: When it is published, the feed's Last-Modified; defaults to now. (The store's timestamps are
                HTTP metadata, not part of any rendered file: the same plan still gives the same bytes.)

        Returns:
            The subscription URL, ``{base_url}/feeds/{token}.ics``.

        Raises:
            InputError: ``base_url`` is not an absolute http(s) address.
            FeedConflict: The plan is published already; revise it with :meth:`update` or revoke it first.
            FeedStoreError: The database cannot be written.

        """
        base = normalize_base_url(base_url)
        self._refuse_live(plan.id)
        plan_json = plan_to_json(plan)
        for _ in range(3):
            token = new_token()
            url = feed_url(base, token)
            ics, pdf = render_outputs(plan, url, self._handouts)
            modified = next_modified(at, None)
            with self._transaction() as db:
                self._refuse_live(plan.id)
                if db.execute("SELECT 1 FROM feeds WHERE token = ?", (token,)).fetchone() is not None:
                    continue  # 2**-256: a repeated token is never expected, but must never share a feed
                db.execute(
                    "INSERT INTO feeds (token, plan_id, client, language, timezone, first_day, last_day, paused,"
                    " base_url, revision, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (token, plan.id, *_described(plan), base, plan.revision, modified),
                )
                self._insert_revision(db, token, plan, plan_json, ics, pdf, modified)
                return url
        raise FeedError(error_message("error.feed-no-token"))

    def update(self, plan: Plan, *, at: dt.datetime | None = None) -> FeedEntry:
        """Publish a new revision of a plan that is published already (matched by ``plan.id``).

        Calendar apps that poll the feed get the new revision; the URL stays the same.

        Args:
            plan: The new revision; its revision number must be higher than the published one.
            at: When it is published, the feed's Last-Modified; defaults to now. It is moved to one second
                after the previous revision's when it is not later, so Last-Modified never goes backwards.

        Returns:
            The feed, now at ``plan.revision``.

        Raises:
            FeedNotFound: No live feed serves a plan with this id.
            FeedConflict: ``plan.revision`` is not newer than the published revision.
            FeedStoreError: The database cannot be written.

        """
        entry = self._live(plan.id)
        refuse_stale(entry, plan)
        plan_json = plan_to_json(plan)
        ics, pdf = render_outputs(plan, entry.url, self._handouts)
        with self._transaction() as db:
            entry = self._live(plan.id)
            refuse_stale(entry, plan)
            modified = next_modified(at, int(entry.updated.timestamp()))
            self._insert_revision(db, entry.token, plan, plan_json, ics, pdf, modified)
            db.execute(
                "UPDATE feeds SET revision = ?, last_modified = ?, client = ?, language = ?, timezone = ?,"
                " first_day = ?, last_day = ?, paused = ? WHERE token = ?",
                (plan.revision, modified, *_described(plan), entry.token),
            )
        return self.get(entry.token)

    def revoke(self, token: str) -> FeedEntry:
        """Stop serving a feed: its URL answers 404 from now on. The stored revisions are kept.

        Revoking a revoked feed changes nothing. To give the client a new link, publish the plan again.

        Raises:
            FeedNotFound: No feed has this token.

        """
        with self._transaction() as db:
            if db.execute("UPDATE feeds SET revoked = 1 WHERE token = ?", (token,)).rowcount == 0:
                raise FeedNotFound(token)
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
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM feeds WHERE token = ? AND revoked = 0", (token,)).fetchone() is None:
                raise FeedNotFound(token)
            cursor = db.execute(
                "INSERT INTO checkins (token, session_id, log_json, red_flags, received) VALUES (?, ?, ?, ?, ?)",
                (token, log.session_id, log.model_dump_json(), ",".join(red_flags), received),
            )
            number = cursor.lastrowid
        assert number is not None
        return CheckIn(number, token, log, red_flags, dt.datetime.fromtimestamp(received, dt.UTC))

    def reports_since(self, token: str, since: dt.datetime) -> int:
        """How many reports the feed with this token received at or after ``since``, whichever process took them."""
        with self._guard() as db:
            row = db.execute(
                "SELECT count(*) FROM checkins WHERE token = ? AND received >= ?", (token, epoch(since))
            ).fetchone()
        return int(row[0])

    def checkins(self, token: str) -> tuple[CheckIn, ...]:
        """Every report on the feed with this token (live or revoked), oldest first, corrections included."""
        with self._guard() as db:
            rows = db.execute(
                "SELECT id, log_json, red_flags, received FROM checkins WHERE token = ? ORDER BY id", (token,)
            ).fetchall()
        return tuple(checkin_of(token, *row) for row in rows)

    def secret(self) -> bytes:
        """The server's secret for form tokens, drawn on first use and kept in the database."""
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO secrets (name, value) VALUES ('forms', ?)", (os.urandom(SECRET_BYTES),))
            row = db.execute("SELECT value FROM secrets WHERE name = 'forms'").fetchone()
        return bytes(row[0])

    @staticmethod
    def _insert_revision(
        db: sqlite3.Connection, token: str, plan: Plan, plan_json: str, ics: bytes, pdf: bytes | None, modified: int
    ) -> None:
        db.execute(
            "INSERT INTO revisions (token, revision, plan_json, ics, ics_etag, pdf, pdf_etag, last_modified)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                token,
                plan.revision,
                plan_json,
                ics,
                etag_of(ics),
                pdf,
                None if pdf is None else etag_of(pdf),
                modified,
            ),
        )

    def _refuse_live(self, plan_id: str) -> None:
        with self._guard() as db:
            row = db.execute("SELECT token FROM feeds WHERE plan_id = ? AND revoked = 0", (plan_id,)).fetchone()
        if row is not None:
            raise FeedConflict(published_already(plan_id, row[0]))

    # --- reading ------------------------------------------------------------------------------------------

    _ENTRY = (
        "SELECT token, base_url, plan_id, client, language, timezone, first_day, last_day, revision, last_modified,"
        " revoked, paused FROM feeds"
    )

    @staticmethod
    def _entry(row: tuple[str, str, str, str, str, str, str, str, int, int, int, int]) -> FeedEntry:
        token, base, plan_id, client, language, timezone, first_day, last_day, revision, modified, revoked, paused = row
        return FeedEntry(
            token=token,
            url=feed_url(base, token),
            base_url=base,
            plan_id=plan_id,
            client=client,
            language=language,
            timezone=timezone,
            first_day=dt.date.fromisoformat(first_day),
            last_day=dt.date.fromisoformat(last_day),
            revision=revision,
            updated=dt.datetime.fromtimestamp(modified, dt.UTC),
            revoked=bool(revoked),
            paused=bool(paused),
        )

    def _live(self, plan_id: str) -> FeedEntry:
        with self._guard() as db:
            row = db.execute(f"{self._ENTRY} WHERE plan_id = ? AND revoked = 0", (plan_id,)).fetchone()
        if row is None:
            raise FeedNotFound(plan_id, "plan", error_message("error.feed-publish-first"))
        return self._entry(row)

    def get(self, token: str) -> FeedEntry:
        """The feed with this token, live or revoked.

        Raises:
            FeedNotFound: No feed has this token.

        """
        with self._guard() as db:
            row = db.execute(f"{self._ENTRY} WHERE token = ?", (token,)).fetchone()
        if row is None:
            raise FeedNotFound(token)
        return self._entry(row)

    def find(self, prefix: str) -> FeedEntry:
        """The one feed whose token starts with ``prefix`` (at least 6 characters), live or revoked.

        Raises:
            FeedNotFound: No feed, or more than one, has a token starting with ``prefix``.

        """
        if len(prefix) < MIN_PREFIX:
            raise FeedNotFound(prefix, "token prefix", error_message("error.feed-prefix-too-short", n=MIN_PREFIX))
        with self._guard() as db:
            # substr instead of LIKE: tokens contain "_", which LIKE would treat as a wildcard.
            rows = db.execute(f"{self._ENTRY} WHERE substr(token, 1, ?) = ? LIMIT 2", (len(prefix), prefix)).fetchall()
        if len(rows) != 1:
            hint = error_message("error.feed-see-list" if not rows else "error.feed-prefix-ambiguous")
            raise FeedNotFound(prefix, "token prefix", hint)
        return self._entry(rows[0])

    def entries(self, *, include_revoked: bool = False) -> tuple[FeedEntry, ...]:
        """Every live feed (and the revoked ones when asked), by client name, then token."""
        where = "" if include_revoked else " WHERE revoked = 0"
        with self._guard() as db:
            rows = db.execute(f"{self._ENTRY}{where} ORDER BY client, token").fetchall()
        return tuple(self._entry(row) for row in rows)

    def revisions(self, token: str) -> tuple[int, ...]:
        """The numbers of every revision published under ``token``, oldest first.

        Raises:
            FeedNotFound: No feed has this token.

        """
        self.get(token)
        with self._guard() as db:
            rows = db.execute("SELECT revision FROM revisions WHERE token = ? ORDER BY revision", (token,)).fetchall()
        return tuple(row[0] for row in rows)

    def plan(self, token: str, revision: int | None = None) -> Plan:
        """The plan published under ``token``: the current revision, or the one asked for.

        Raises:
            FeedNotFound: No feed has this token, or it has no such revision.
            FeedStoreError: The stored plan cannot be read back (the database was altered by hand).

        """
        entry = self.get(token)
        number = entry.revision if revision is None else revision
        with self._guard() as db:
            row = db.execute(
                "SELECT plan_json FROM revisions WHERE token = ? AND revision = ?", (token, number)
            ).fetchone()
        if row is None:
            raise FeedNotFound(f"{token[:8]}... #{number}", "revision", error_message("error.feed-see-revisions"))
        try:
            return plan_from_json(row[0], source=f"{self._path} (revision {number})")
        except ProfileError as exc:
            raise FeedStoreError(str(self._path), error_message("error.feed-plan-damaged", reason=str(exc))) from None

    def body(self, token: str, kind: FileKind = "ics") -> FeedBody | None:
        """The stored calendar (or PDF handout) of a live feed's current revision; ``None`` when there is none.

        This is what the server calls per request: one SELECT on the primary keys. Unknown, revoked and
        missing all give ``None``, so a caller cannot tell them apart.
        """
        column, tag = ("ics", "ics_etag") if kind == "ics" else ("pdf", "pdf_etag")
        with self._guard() as db:
            row = db.execute(
                f"SELECT r.{column}, r.{tag}, r.last_modified FROM feeds AS f JOIN revisions AS r"
                " ON r.token = f.token AND r.revision = f.revision"
                " WHERE f.token = ? AND f.revoked = 0",
                (token,),
            ).fetchone()
        if row is None or row[0] is None:
            return None
        return FeedBody(content=bytes(row[0]), etag=row[1], last_modified=row[2])

    def head(self, token: str, kind: FileKind = "ics") -> tuple[str, int] | None:
        """ETag and Last-Modified (epoch seconds) of a live feed's stored file, without the file; else ``None``."""
        # Every conditional request of the server comes here: the lock and the error handling are written
        # out rather than taken from _guard(), whose generator would cost as much as the query.
        with self._lock:
            try:
                row = self._db.execute(_HEAD[kind], (token,)).fetchone()
            except sqlite3.Error as exc:
                raise self._store_error(exc) from None
        if row is None or row[0] is None:
            return None
        return row[0], row[1]

    def live(self, token: str) -> FeedEntry | None:
        """The live feed with this token, or ``None`` for an unknown or revoked token."""
        with self._guard() as db:
            row = db.execute(f"{self._ENTRY} WHERE token = ? AND revoked = 0", (token,)).fetchone()
        return None if row is None else self._entry(row)

    # --- maintenance --------------------------------------------------------------------------------------

    def check(self) -> tuple[str, ...]:
        """Run SQLite's integrity and foreign-key checks; return the problems found (empty when sound)."""
        with self._guard() as db:
            problems = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall() if row[0] != "ok"]
            problems.extend(f"foreign key: {row}" for row in db.execute("PRAGMA foreign_key_check").fetchall())
        return tuple(problems)

    def backup(self, target: str | os.PathLike[str]) -> Path:
        """Copy the whole database, consistent as of one moment, to ``target`` while it stays in use.

        Raises:
            FeedStoreError: The target cannot be written.

        """
        path = Path(target)
        temporary = path.with_name(f".{path.name}.tmp")
        try:
            make_private_folder(path.parent)
            temporary.unlink(missing_ok=True)
            create_private_file(temporary)  # 0600, like the database: a backup holds the same health data
            copy = sqlite3.connect(temporary)
        except (OSError, sqlite3.Error) as exc:
            raise FeedStoreError(str(path), error_message("error.write-failed", reason=str(exc))) from None
        try:
            with self._guard() as db, copy:
                db.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
        try:
            with open(temporary, "rb") as stream:
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise FeedStoreError(str(path), error_message("error.write-failed", reason=str(exc))) from None
        return path


def _described(plan: Plan) -> tuple[str, str, str, str, str, int]:
    client, language, timezone, first_day, last_day, paused = describe(plan)
    return client, language, timezone, first_day.isoformat(), last_day.isoformat(), int(paused)


class _SQLiteReader:
    """The server's reads from the SQLite file, awaitable as :class:`~revalidatie.feed.port.FeedReader` asks.

    They run on the event loop itself: a read is one indexed SELECT of microseconds that never waits for a
    writer (WAL mode), and handing it to a thread would cost more than the read.

    Conditional requests are answered from a copy of the live feeds' validators that is dropped whenever
    anything was committed to the file since (:meth:`FeedStore.changes`, half the cost of the query it
    saves), so the copy is never older than the request.
    """

    _ENTRIES = 10_000

    def __init__(self, store: FeedStore) -> None:
        self._store = store
        self._cache: dict[tuple[str, FileKind], tuple[str, int]] = {}
        self._seen: tuple[int, int] | None = None

    async def head(self, token: str, kind: FileKind = "ics") -> tuple[str, int] | None:
        changes = self._store.changes()
        if changes != self._seen:
            self._cache.clear()
            self._seen = changes
        key = (token, kind)
        found = self._cache.get(key)
        if found is None:
            found = self._store.head(token, kind)
            if found is not None:
                if len(self._cache) >= self._ENTRIES:
                    self._cache.clear()
                # Kept under the state read before the query: a commit in between clears it at the next
                # request, so a copy is never taken for newer than it is.
                self._cache[key] = found
        return found

    async def body(self, token: str, kind: FileKind = "ics") -> FeedBody | None:
        return self._store.body(token, kind)

    async def live(self, token: str) -> FeedEntry | None:
        return self._store.live(token)

    async def aclose(self) -> None:
        return None
