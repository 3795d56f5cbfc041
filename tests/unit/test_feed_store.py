"""The SQLite feed store: its file (WAL, schema version, permissions), backups and clear errors for bad files.

What every store does is tested against both stores in tests/integration/test_store_contract.py.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

import revalidatie as rv
import revalidatie.feed.store as feed_store
from revalidatie.feed import export_static
from revalidatie.feed._page import CONTENT_SECURITY_POLICY

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "profiles" / "gluteal-tendinopathy.toml"
LOGS = ROOT / "examples" / "logs" / "gluteal-tendinopathy-week-3.toml"
AS_OF = dt.date(2027, 1, 25)
BASE = "https://feeds.example.nl"
PUBLISHED = dt.datetime(2026, 12, 18, 14, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def plan() -> rv.Plan:
    return rv.plan_programme(rv.load_profile(PROFILE), rv.load_catalog())


@pytest.fixture(scope="module")
def revised(plan: rv.Plan) -> rv.Plan:
    return rv.revise(plan, rv.load_session_logs(LOGS), as_of=AS_OF)


@pytest.fixture
def store(tmp_path: Path) -> rv.FeedStore:
    # Handouts take a second or two per revision to render; the tests that need one use `with_handouts`.
    return rv.FeedStore(tmp_path / "feeds.sqlite", handouts=False)


@pytest.fixture
def with_handouts(tmp_path: Path) -> rv.FeedStore:
    return rv.FeedStore(tmp_path / "handouts.sqlite")


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def test_data_survives_reopening_and_the_file_is_wal_with_a_schema_version(
    tmp_path: Path, plan: rv.Plan, revised: rv.Plan
) -> None:
    path = tmp_path / "feeds.sqlite"
    with rv.FeedStore(path, handouts=False) as store:
        token = token_of(store.publish(plan, base_url=BASE))
        store.update(revised)
    with rv.FeedStore(path, create=False) as store:
        assert store.plan(token) == revised
        assert store.check() == ()
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA user_version").fetchone()[0] == feed_store.SCHEMA_VERSION
        assert raw.execute("PRAGMA application_id").fetchone()[0] == feed_store.APPLICATION_ID
        # Foreign keys hold: a revision of a feed that does not exist is refused.
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute(
            "INSERT INTO revisions (token, revision, plan_json, ics, ics_etag, last_modified)"
            " VALUES ('x', 1, '{}', x'00', '\"e\"', 0)"
        )
        with pytest.raises(sqlite3.IntegrityError):
            raw.commit()  # the keys are deferred: checked when the transaction commits
    finally:
        raw.close()


def test_missing_database_with_create_false(tmp_path: Path) -> None:
    with pytest.raises(rv.FeedStoreError, match="no feed database here"):
        rv.FeedStore(tmp_path / "missing.sqlite", create=False)
    assert not (tmp_path / "missing.sqlite").exists()


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("These are my notes, not a database.\n" * 200, encoding="utf-8")
    with pytest.raises(rv.FeedStoreError, match="is not a SQLite database") as info:
        rv.FeedStore(path)
    assert isinstance(info.value, OSError)
    with pytest.raises(rv.FeedStoreError, match="is a folder"):
        rv.FeedStore(tmp_path)


def test_another_programs_database(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE things (x)")
    other.close()
    with pytest.raises(rv.FeedStoreError, match="another program"):
        rv.FeedStore(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "feeds.sqlite"
    rv.FeedStore(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {feed_store.SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(rv.FeedStoreError, match="newer revalidatie"):
        rv.FeedStore(path)


def test_corrupt_database_gives_a_clear_error(tmp_path: Path, plan: rv.Plan) -> None:
    path = tmp_path / "feeds.sqlite"
    with rv.FeedStore(path, handouts=False) as store:
        store.publish(plan, base_url=BASE)
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    # Overwrite the schema page's content (after the 100-byte file header) and the next pages with noise.
    data[100 : 4 * page_size] = bytes((n * 37 + 11) % 251 for n in range(4 * page_size - 100))
    path.write_bytes(bytes(data))
    with pytest.raises(rv.FeedStoreError, match=r"damaged|not a SQLite database"), rv.FeedStore(path) as store:
        store.entries()


def test_backup_is_a_working_copy(tmp_path: Path, store: rv.FeedStore, plan: rv.Plan, revised: rv.Plan) -> None:
    token = token_of(store.publish(plan, base_url=BASE))
    store.update(revised)
    copy = store.backup(tmp_path / "backups" / "copy.sqlite")
    with rv.FeedStore(copy, create=False) as restored:
        assert restored.check() == ()
        assert restored.revisions(token) == (1, 2)
        assert restored.body(token) == store.body(token)


def test_docs_give_the_content_security_policy_the_page_needs() -> None:
    docs = (ROOT / "docs" / "feeds.md").read_text(encoding="utf-8")
    assert f'Content-Security-Policy "{CONTENT_SECURITY_POLICY}"' in docs


@pytest.fixture(params=[0o022, 0o000], ids=["umask-022", "umask-000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def modes(root: Path) -> dict[str, int]:
    """The permission bits of ``root`` and of everything under it, by path relative to ``root``."""
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def test_database_wal_and_shm_were_readable_by_everyone(tmp_path: Path, umask: int, plan: rv.Plan) -> None:
    folder = tmp_path / "practice" / "feeds"
    with rv.FeedStore(folder / "feeds.sqlite", handouts=False) as store:
        store.publish(plan, base_url=BASE)
        # While the store is open, SQLite keeps the write-ahead log and its index beside the file.
        assert {p.name for p in folder.iterdir()} == {"feeds.sqlite", "feeds.sqlite-wal", "feeds.sqlite-shm"}
        assert modes(tmp_path / "practice") == {
            ".": 0o700,
            "feeds": 0o700,
            "feeds/feeds.sqlite": 0o600,
            "feeds/feeds.sqlite-wal": 0o600,
            "feeds/feeds.sqlite-shm": 0o600,
        }


def test_backup_was_readable_by_everyone(tmp_path: Path, umask: int, store: rv.FeedStore, plan: rv.Plan) -> None:
    store.publish(plan, base_url=BASE)
    store.backup(tmp_path / "backups" / "daily" / "copy.sqlite")
    assert modes(tmp_path / "backups") == {".": 0o700, "daily": 0o700, "daily/copy.sqlite": 0o600}


def test_static_export_was_readable_by_everyone(tmp_path: Path, umask: int, store: rv.FeedStore, plan: rv.Plan) -> None:
    token = token_of(store.publish(plan, base_url=BASE))
    out = tmp_path / "public"
    export_static(store, out)
    assert modes(out) == {
        ".": 0o700,
        "feeds": 0o700,
        f"feeds/{token}.ics": 0o600,
        f"feeds/{token}": 0o700,
        f"feeds/{token}/index.html": 0o600,
    }
    # A file left readable by an earlier export is tightened, though its content is unchanged.
    (out / "feeds" / f"{token}.ics").chmod(0o644)
    export_static(store, out)
    assert stat.S_IMODE((out / "feeds" / f"{token}.ics").stat().st_mode) == 0o600


def test_existing_folders_keep_their_mode(tmp_path: Path, umask: int, plan: rv.Plan) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    with rv.FeedStore(shared / "feeds.sqlite", handouts=False) as store:
        store.publish(plan, base_url=BASE)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((shared / "feeds.sqlite").stat().st_mode) == 0o600
