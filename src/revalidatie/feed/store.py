"""The feed store: every published plan, its revision history and its secret token, in one SQLite file.

Serving reads only what publishing wrote: the calendar (and handout) of each revision is rendered once,
when it is published, and stored with its strong ETag and Last-Modified, so a request is one indexed
SELECT. Every write is a single transaction in WAL mode with ``synchronous=FULL``: a process killed in the
middle of a write leaves the database as it was before that write, and nothing committed is lost.

This module imports no web framework and no calendar library; rendering imports them when it runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import attrs

from .._atomic import make_private_folder
from ..errors import FeedConflict, FeedError, FeedNotFound, FeedStoreError, InputError, Problem, ProfileError
from ..export.json import plan_from_json, plan_to_json
from ..model.plan import Plan
from ._private import create_private_file

DEFAULT_DB = "revalidatie-feeds.sqlite"
"""File name of the database when none is given (in the current folder)."""

SCHEMA_VERSION = 1
# "RvFd" as a big-endian integer: marks the file as ours, so another program's SQLite file is refused.
APPLICATION_ID = 0x52764664
TOKEN_BYTES = 32  # 256 bits of randomness; token_urlsafe makes 43 URL-safe characters of them
MIN_PREFIX = 6  # shortest token prefix the CLI accepts, so a typo cannot match some other client's feed
_BUSY_TIMEOUT_MS = 10_000

FileKind = Literal["ics", "pdf"]


def _new_token() -> str:
    """A fresh token that does not start with "-".

    The CLI takes a token (or its start) as an argument; one starting with "-" would be read as an option.
    """
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if not token.startswith("-"):
            return token


_SCHEMA = """
CREATE TABLE feeds (
    token TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL,
    client TEXT NOT NULL,
    language TEXT NOT NULL,
    timezone TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    base_url TEXT NOT NULL,
    revision INTEGER NOT NULL,
    last_modified INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    FOREIGN KEY (token, revision) REFERENCES revisions (token, revision) DEFERRABLE INITIALLY DEFERRED
) WITHOUT ROWID;
CREATE UNIQUE INDEX feeds_live_plan ON feeds (plan_id) WHERE revoked = 0;
CREATE TABLE revisions (
    token TEXT NOT NULL REFERENCES feeds (token) DEFERRABLE INITIALLY DEFERRED,
    revision INTEGER NOT NULL CHECK (revision >= 1),
    plan_json TEXT NOT NULL,
    ics BLOB NOT NULL,
    ics_etag TEXT NOT NULL,
    pdf BLOB,
    pdf_etag TEXT,
    last_modified INTEGER NOT NULL,
    PRIMARY KEY (token, revision)
);
"""


@attrs.frozen
class FeedEntry:
    """One published feed as the store holds it.

    Attributes:
        token: The secret token in the feed's URL.
        url: The subscription URL, ``{base_url}/feeds/{token}.ics``.
        base_url: The address the feed was published under, without a trailing slash.
        plan_id: Id of the plan it serves.
        client: The client's name.
        language: Language of the client's texts (``nl`` or ``en``).
        timezone: IANA time zone of the client's calendar.
        first_day: First day of the programme.
        last_day: Last day of the programme (of the current revision).
        revision: The plan revision it serves now.
        updated: Last-Modified of the current revision (UTC, whole seconds); it never moves backwards.
        revoked: Whether the feed was revoked (it is then no longer served).

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

    @property
    def page_url(self) -> str:
        """The address of the feed's web page with the subscribe links."""
        return f"{self.base_url}/feeds/{self.token}"

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
                    "must be an absolute http:// or https:// address without query or fragment, "
                    "such as https://feeds.example.nl",
                    repr(base_url),
                )
            ]
        )
    return text.rstrip("/")


def _epoch(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp())


def _describe(plan: Plan) -> tuple[str, str, str, str, str]:
    """What the feeds table keeps of a plan for listing and the web page: client, language, zone, dates."""
    profile = plan.profile
    return profile.name, profile.language.value, profile.timezone, plan.start.isoformat(), plan.end.isoformat()


def _render(plan: Plan, url: str, handout: bool) -> tuple[bytes, bytes | None]:
    """The calendar and the handout (with the subscription URL and its QR code) of one revision."""
    from ..export.ics import render_ics

    if not handout:
        return render_ics(plan), None
    from ..export.pdf import render_pdf

    return render_ics(plan), render_pdf(plan, subscription_url=url)


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

    A store may be used from several threads, and several processes may open the same file: writes take
    SQLite's write lock for the length of one transaction, and readers always see the last commit.

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
        if not create and not self._path.is_file():
            raise FeedStoreError(
                str(self._path), "no feed database here; publish a plan first (`revalidatie feed publish`)"
            )
        if self._path.is_dir():
            raise FeedStoreError(str(self._path), "is a folder; give the path of the database file")
        try:
            make_private_folder(self._path.parent)
        except OSError as exc:
            raise FeedStoreError(str(self._path), f"cannot create its folder ({exc.strerror or exc})") from None
        try:
            # SQLite would create the file 0644 less the umask; made 0600 here first, it opens the empty file
            # as a new database, and gives its -wal and -shm files the database file's mode.
            create_private_file(self._path)
        except OSError as exc:
            raise FeedStoreError(str(self._path), f"cannot be created ({exc.strerror or exc})") from None
        try:
            # isolation_level=None: no implicit transactions; every write below says BEGIN IMMEDIATE itself.
            self._db = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise FeedStoreError(str(self._path), f"cannot be opened ({exc})") from None
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
                raise FeedStoreError(
                    str(self._path), "is a SQLite database of another program, not a revalidatie feed database"
                )
            self._create()
        elif application_id != APPLICATION_ID:
            raise FeedStoreError(
                str(self._path), "is a SQLite database of another program, not a revalidatie feed database"
            )
        elif version > SCHEMA_VERSION:
            raise FeedStoreError(
                str(self._path),
                f"was written by a newer revalidatie (schema {version}, this version reads {SCHEMA_VERSION}); "
                "upgrade revalidatie",
            )
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise FeedStoreError(str(self._path), f"cannot switch to write-ahead logging (journal mode {mode})")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")

    def _create(self) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have created the schema while this one waited for the lock.
            if db.execute("PRAGMA user_version").fetchone()[0] == 0:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
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
        text = str(exc)
        if "file is not a database" in text:
            return FeedStoreError(str(self._path), "is not a SQLite database (not a revalidatie feed database)")
        if "malformed" in text or "corrupt" in text:
            return FeedStoreError(
                str(self._path), f"the database is damaged ({text}); restore it from a backup (see docs/feeds.md)"
            )
        if "locked" in text or "busy" in text:
            return FeedStoreError(
                str(self._path), f"the database is busy ({text}); another program holds it, try again"
            )
        if "readonly" in text or "read-only" in text:
            return FeedStoreError(str(self._path), f"the database is read-only ({text})")
        if "unable to open" in text:
            return FeedStoreError(str(self._path), f"cannot be opened ({text}); check the folder and permissions")
        return FeedStoreError(str(self._path), f"database error ({type(exc).__name__}: {text})")

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

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

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
            token = _new_token()
            url = feed_url(base, token)
            ics, pdf = _render(plan, url, self._handouts)
            modified = _epoch(at or dt.datetime.now(dt.UTC))
            with self._transaction() as db:
                self._refuse_live(plan.id)
                if db.execute("SELECT 1 FROM feeds WHERE token = ?", (token,)).fetchone() is not None:
                    continue  # 2**-256: a repeated token is never expected, but must never share a feed
                db.execute(
                    "INSERT INTO feeds (token, plan_id, client, language, timezone, first_day, last_day, base_url,"
                    " revision, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (token, plan.id, *_describe(plan), base, plan.revision, modified),
                )
                self._insert_revision(db, token, plan, plan_json, ics, pdf, modified)
                return url
        raise FeedError("could not draw an unused token; the random source of this machine is broken")

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
        self._refuse_stale(entry, plan)
        plan_json = plan_to_json(plan)
        ics, pdf = _render(plan, entry.url, self._handouts)
        with self._transaction() as db:
            entry = self._live(plan.id)
            self._refuse_stale(entry, plan)
            # Strictly later than the previous revision, so If-Modified-Since never hides a change.
            modified = max(_epoch(at or dt.datetime.now(dt.UTC)), _epoch(entry.updated) + 1)
            self._insert_revision(db, entry.token, plan, plan_json, ics, pdf, modified)
            db.execute(
                "UPDATE feeds SET revision = ?, last_modified = ?, client = ?, language = ?, timezone = ?,"
                " first_day = ?, last_day = ? WHERE token = ?",
                (plan.revision, modified, *_describe(plan), entry.token),
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
            raise FeedConflict(
                f"plan {plan_id!r} is published already (token {row[0][:8]}...); publish a new revision with "
                "update (`revalidatie feed revise`), or revoke the feed first to give the client a new link"
            )

    @staticmethod
    def _refuse_stale(entry: FeedEntry, plan: Plan) -> None:
        if plan.revision <= entry.revision:
            raise FeedConflict(
                f"plan {plan.id!r}: revision {plan.revision} is not newer than the published revision "
                f"{entry.revision}; revise the published plan (`revalidatie feed revise`) to make the next one"
            )

    # --- reading ------------------------------------------------------------------------------------------

    _ENTRY = (
        "SELECT token, base_url, plan_id, client, language, timezone, first_day, last_day, revision, last_modified,"
        " revoked FROM feeds"
    )

    @staticmethod
    def _entry(row: tuple[str, str, str, str, str, str, str, str, int, int, int]) -> FeedEntry:
        token, base, plan_id, client, language, timezone, first_day, last_day, revision, modified, revoked = row
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
        )

    def _live(self, plan_id: str) -> FeedEntry:
        with self._guard() as db:
            row = db.execute(f"{self._ENTRY} WHERE plan_id = ? AND revoked = 0", (plan_id,)).fetchone()
        if row is None:
            raise FeedNotFound(plan_id, "plan", "publish it first (`revalidatie feed publish`)")
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
            raise FeedNotFound(prefix, "token prefix", f"give at least {MIN_PREFIX} characters of the token")
        with self._guard() as db:
            # substr instead of LIKE: tokens contain "_", which LIKE would treat as a wildcard.
            rows = db.execute(f"{self._ENTRY} WHERE substr(token, 1, ?) = ? LIMIT 2", (len(prefix), prefix)).fetchall()
        if len(rows) != 1:
            hint = "see `revalidatie feed list`" if not rows else "more than one token starts so; give more of it"
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
            raise FeedNotFound(f"{token[:8]}... revision {number}", "revision", "see the feed's revisions")
        try:
            return plan_from_json(row[0], source=f"{self._path} (revision {number})")
        except ProfileError as exc:
            raise FeedStoreError(str(self._path), f"the stored plan is damaged: {exc}") from None

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
        tag = "ics_etag" if kind == "ics" else "pdf_etag"
        with self._guard() as db:
            row = db.execute(
                f"SELECT r.{tag}, r.last_modified FROM feeds AS f JOIN revisions AS r"
                " ON r.token = f.token AND r.revision = f.revision"
                " WHERE f.token = ? AND f.revoked = 0",
                (token,),
            ).fetchone()
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
            raise FeedStoreError(str(path), f"cannot be written ({exc})") from None
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
            raise FeedStoreError(str(path), f"cannot be written ({exc})") from None
        return path
