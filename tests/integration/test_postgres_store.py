"""What only the PostgreSQL store has: its migrations and version table, and its errors in words.

The contract both stores keep is in test_store_contract.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import psycopg
import pytest

import revalidatie as rv
from revalidatie.cli import main
from revalidatie.feed import _postgres
from revalidatie.feed.migrations import migrations, statements
from tests.postgres_cluster import Cluster

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "profiles" / "gluteal-tendinopathy.toml"
LOGS = ROOT / "examples" / "logs" / "gluteal-tendinopathy-week-3.toml"
BASE = "https://feeds.example.nl"

pytestmark = pytest.mark.slow


def test_migrations_are_numbered_from_one_without_gaps() -> None:
    for database in ("sqlite", "postgresql"):
        found = migrations(database)
        assert [version for version, _ in found] == list(range(1, len(found) + 1))
        assert all(statements(script) for _, script in found)
    # Both databases are at the same schema version: a store moves between them without a gap.
    assert len(migrations("sqlite")) == len(migrations("postgresql"))


def test_the_schema_version_is_recorded_and_a_newer_one_refused(postgres_url: str) -> None:
    rv.open_store(postgres_url).close()
    rv.open_store(postgres_url).close()  # opening again applies nothing twice
    with psycopg.connect(postgres_url, autocommit=True) as raw:
        versions = [row[0] for row in raw.execute("SELECT version FROM revalidatie_schema ORDER BY version")]
        assert versions == list(range(1, _postgres.SCHEMA_VERSION + 1))
        raw.execute("INSERT INTO revalidatie_schema (version) VALUES (%s)", (_postgres.SCHEMA_VERSION + 1,))
    with pytest.raises(rv.FeedStoreError, match="newer revalidatie"):
        rv.open_store(postgres_url)


def test_another_programs_table_is_refused(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as raw:
        raw.execute("CREATE TABLE feeds (id serial PRIMARY KEY, url text)")
    with pytest.raises(rv.FeedStoreError, match="another program"):
        rv.open_store(postgres_url)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql://physio:s3cret@127.0.0.1:{port}/feeds", "cannot reach PostgreSQL"),
        ("postgresql://physio:s3cret@[::1/feeds", "is not a valid PostgreSQL URL"),
        ("postgresql://physio:s3cret@127.0.0.1:{port}/feeds?sslmode=sometimes", "invalid sslmode value"),
        ("mysql://physio:s3cret@127.0.0.1/feeds", "is not a database this version can open"),
        ("postgresq://physio:s3cret@127.0.0.1/feeds", "is not a database this version can open"),
    ],
)
def test_a_bad_url_or_an_unreachable_database_says_what_to_fix(
    url: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    location = url.format(port=closed_port())
    with pytest.raises(rv.FeedStoreError, match=words) as info:
        rv.open_store(location)
    assert "s3cret" not in str(info.value)
    assert main(["feed", "list", "--db", location]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert words in err
    assert "s3cret" not in err
    assert "Traceback" not in err


def test_a_missing_database_and_a_wrong_user_are_named(postgres_cluster: Cluster, postgres_url: str) -> None:
    with pytest.raises(rv.FeedStoreError, match='database "no_such_database" does not exist'):
        rv.open_store(postgres_cluster.url("no_such_database"))
    stranger = postgres_url.replace("revalidatie@", "stranger@")
    with pytest.raises(rv.FeedStoreError, match='role "stranger" does not exist'):
        rv.open_store(stranger)


def test_the_command_line_on_postgresql(
    postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVALIDATIE_DB", postgres_url)
    assert main(["feed", "publish", str(PROFILE), "--base-url", BASE, "--no-handout"]) == 0
    token = capsys.readouterr().out.splitlines()[-1].rsplit("/", 1)[1].removesuffix(".ics")
    assert main(["feed", "revise", token[:8], str(LOGS), "--as-of", "2027-01-25", "--no-handout"]) == 0
    assert "revision 2 published" in capsys.readouterr().out
    assert main(["feed", "export", "--to", str(tmp_path / "public")]) == 0
    with rv.open_store(postgres_url) as store:
        body = store.body(token)
        assert store.revisions(token) == (1, 2)
    assert body is not None
    assert (tmp_path / "public" / "feeds" / f"{token}.ics").read_bytes() == body.content
    capsys.readouterr()
    assert main(["feed", "backup", "--to", str(tmp_path / "copy.sqlite")]) == 1
    assert "pg_dump" in capsys.readouterr().err
    assert main(["feed", "revoke", token]) == 0


def test_the_servers_copy_of_a_feeds_validators_follows_every_write(postgres_url: str) -> None:
    plan = rv.plan_programme(rv.load_profile(PROFILE), rv.load_catalog())
    revised = rv.revise(plan, rv.load_session_logs(LOGS), as_of=dt.date(2027, 1, 25))
    store = rv.open_store(postgres_url, handouts=False)
    token = store.publish(plan, base_url=BASE).rsplit("/", 1)[1].removesuffix(".ics")
    reader = store.reader()

    async def until(condition: Callable[[], Awaitable[bool]], what: str) -> None:
        deadline = time.monotonic() + 3  # notifications arrive in milliseconds; the copy lives 5 s at most
        while not await condition():
            assert time.monotonic() < deadline, what
            await asyncio.sleep(0.005)

    async def scenario() -> None:
        try:
            first = await reader.head(token)

            async def listening() -> bool:
                await reader.head(token)
                return bool(getattr(reader, "_cache", None))

            await until(listening, "the worker's copy")
            assert await reader.head(token) == first
            store.update(revised)

            async def revised_served() -> bool:
                return await reader.head(token) == store.head(token) != first

            await until(revised_served, "the new revision")
            store.revoke(token)

            async def revoked() -> bool:
                return await reader.head(token) is None

            await until(revoked, "the revocation")
        finally:
            await reader.aclose()

    try:
        asyncio.run(scenario())
    finally:
        store.close()
