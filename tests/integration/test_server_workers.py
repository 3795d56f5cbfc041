"""`revalidatie serve --workers 2` on both stores, under concurrent writers, and through a database outage.

The servers run for real on loopback ports; writers are separate processes, as physios at several
locations would be. Every loop here is bounded in requests and in time.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest

import revalidatie as rv
from tests.integration.test_server import ENV, LOGS, Server
from tests.postgres_cluster import Cluster, postgres_bin

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "profiles" / "gluteal-tendinopathy.toml"
BASE = "https://feeds.example.nl"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def plan() -> rv.Plan:
    return rv.plan_programme(rv.load_profile(PROFILE), rv.load_catalog())


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One GET on a new connection (so that successive calls may reach different workers)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_two_workers_serve_every_revision_at_once(
    kind: str, tmp_path: Path, plan: rv.Plan, request: pytest.FixtureRequest
) -> None:
    location = str(tmp_path / "feeds.sqlite") if kind == "sqlite" else str(request.getfixturevalue("postgres_url"))
    with rv.open_store(location, handouts=False) as store:
        token = token_of(store.publish(plan, base_url=BASE))
    server = Server(location, workers=2)
    try:
        path = f"/feeds/{token}.ics"
        status, headers, body = get(server.port, path)
        assert status == 200
        assert body.startswith(b"BEGIN:VCALENDAR")
        with rv.open_store(location, handouts=False) as store:
            store.update(rv.revise(plan, rv.load_session_logs(LOGS), as_of=dt.date(2027, 1, 25)))
            current = store.head(token)
        assert current is not None
        # Twenty new connections are spread over both workers; every one serves the new revision.
        for _ in range(20):
            status, new_headers, _ = get(server.port, path, {"If-None-Match": headers["etag"]})
            assert status == 200
            assert new_headers["etag"] == current[0]
        assert get(server.port, path, {"If-None-Match": current[0]})[0] == 304
        assert get(server.port, "/feeds/" + "A" * 43 + ".ics")[0] == 404
    finally:
        server.stop()
    assert server.process.returncode == 0


# --- four writers, two workers ------------------------------------------------------------------------------

WRITER = """
import datetime as dt, sys, attrs, revalidatie as rv
url, number, shared, rounds, logs_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
logs = rv.load_session_logs(logs_path)
as_of = dt.date(2027, 1, 25)
store = rv.open_store(url, handouts=False)
mine = rv.plan_programme(rv.load_profile(sys.argv[6]), rv.load_catalog())
mine = attrs.evolve(mine, id=f"writer-{number}")
token = store.publish(mine, base_url="https://feeds.example.nl").rsplit("/", 1)[1][:-4]
print("published", token, flush=True)
for _ in range(rounds):
    mine = rv.revise(mine, logs, as_of=as_of)
    print("own", store.update(mine).revision, flush=True)
    while True:  # the shared plan: another writer may revise it first; then start from theirs
        current = store.plan(shared)
        try:
            print("shared", store.update(rv.revise(current, logs, as_of=as_of)).revision, flush=True)
            break
        except rv.FeedConflict:
            print("conflict", flush=True)
store.close()
"""


def test_four_writers_and_two_workers_on_postgresql(postgres_url: str, plan: rv.Plan) -> None:
    rounds = 5
    with rv.open_store(postgres_url, handouts=False) as store:
        shared = token_of(store.publish(attrs.evolve(plan, id="shared-client"), base_url=BASE))
    server = Server(postgres_url, workers=2)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, postgres_url, str(n), shared, str(rounds), str(LOGS), str(PROFILE)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        for n in range(4)
    ]
    answers: list[tuple[int, int, str, str]] = []  # reader, status, token, last-modified
    done = threading.Event()
    tokens = [shared]

    def poll(reader: int) -> None:
        # One keep-alive connection per reader: its requests stay with one worker, whose view of a feed must
        # never go back to an older revision.
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
        seen: dict[str, str] = {}
        deadline = time.monotonic() + 120
        count = 0
        while not done.is_set() and time.monotonic() < deadline and count < 20_000:
            for token in list(tokens):
                headers = {"If-None-Match": seen[token]} if token in seen else {}
                connection.request("GET", f"/feeds/{token}.ics", headers=headers)
                response = connection.getresponse()
                response.read()
                etag = response.getheader("etag") or ""
                seen[token] = etag or seen.get(token, "")
                answers.append((reader, response.status, token, response.getheader("last-modified") or ""))
                count += 1
        connection.close()

    outputs: list[list[str]] = []
    try:
        published = []
        for writer in writers:
            assert writer.stdout is not None
            line = writer.stdout.readline().split()
            assert line[:1] == ["published"], writer.stderr.read() if writer.stderr else line
            published.append(line[1])
        tokens.extend(published)
        readers = [threading.Thread(target=poll, args=(n,)) for n in range(3)]
        for reader in readers:
            reader.start()
        for writer in writers:
            # Read on from the same buffered stream that gave the first line (communicate() would skip
            # what it holds already). The output is a few dozen lines; the writers end by themselves.
            assert writer.stdout is not None
            assert writer.stderr is not None
            out = writer.stdout.read()
            writer.wait(timeout=300)
            assert writer.returncode == 0, writer.stderr.read()
            outputs.append(out.split("\n"))
        done.set()
        for reader in readers:
            reader.join(timeout=60)
    finally:
        done.set()
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
        server.stop()

    # No 500, no 503: every answer is the calendar or "not modified".
    assert answers
    assert {status for _, status, _, _ in answers} <= {200, 304}
    # Last-Modified never goes back: per feed, in the order each reader was told.
    last: dict[tuple[int, str], dt.datetime] = {}
    for reader_number, _, token, modified in answers:
        moment = email.utils.parsedate_to_datetime(modified)
        key = (reader_number, token)
        assert moment >= last.get(key, moment), token
        last[key] = moment

    with rv.open_store(postgres_url) as store:
        # Every acknowledged revision is stored, and nothing else: no lost revision, no gap.
        for token, lines in zip(published, outputs, strict=True):
            acknowledged = [int(line.split()[1]) for line in lines if line.startswith("own ")]
            assert acknowledged == list(range(2, rounds + 2))
            assert store.revisions(token) == tuple(range(1, rounds + 2))
        shared_acknowledged = sorted(int(line.split()[1]) for lines in outputs for line in lines if "shared" in line)
        assert shared_acknowledged == list(range(2, 4 * rounds + 2))
        assert store.revisions(shared) == tuple(range(1, 4 * rounds + 2))
        assert store.check() == ()


# --- the database goes away and comes back ------------------------------------------------------------------

FAILOVER_WRITER = """
import datetime as dt, sys, time, revalidatie as rv
url, token, logs = sys.argv[1], sys.argv[2], rv.load_session_logs(sys.argv[3])
store = rv.open_store(url, handouts=False)
deadline = time.monotonic() + 180
while time.monotonic() < deadline:
    try:
        plan = rv.revise(store.plan(token), logs, as_of=dt.date(2027, 1, 25))
        print("stored", store.update(plan).revision, flush=True)
    except rv.FeedStoreError as error:  # the database is away: nothing was acknowledged, try again
        print("unavailable", flush=True)
        time.sleep(0.2)
    except rv.FeedConflict:  # the last commit went through, its acknowledgement did not arrive
        print("conflict", flush=True)
    time.sleep(0.05)
"""


@pytest.fixture
def own_cluster(postgres_cluster: Cluster) -> Iterator[Cluster]:
    """A PostgreSQL server of this test's own, to stop and start (the session's server is shared)."""
    bin_dir = postgres_bin()
    assert bin_dir is not None
    cluster = Cluster(bin_dir)
    try:
        yield cluster
    finally:
        cluster.close()


def test_postgresql_stops_mid_load_and_comes_back(own_cluster: Cluster, plan: rv.Plan) -> None:
    url = own_cluster.create_database()
    with rv.open_store(url, handouts=False) as store:
        token = token_of(store.publish(plan, base_url=BASE))
    server = Server(url, workers=2)
    writer = subprocess.Popen(
        [sys.executable, "-c", FAILOVER_WRITER, url, token, str(LOGS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    statuses: list[tuple[float, int]] = []  # when the answer came, its status
    started: list[float] = []  # when each of those requests was sent
    stop = threading.Event()

    def poll() -> None:
        deadline = time.monotonic() + 150
        while not stop.is_set() and time.monotonic() < deadline and len(statuses) < 50_000:
            begun = time.monotonic()
            try:
                status = get(server.port, f"/feeds/{token}.ics")[0]
            except OSError:
                status = 0  # no answer at all: only the worker killed below may leave one request so
            statuses.append((time.monotonic(), status))
            started.append(begun)
            time.sleep(0.01)

    acknowledged: list[int] = []
    lines: list[str] = []
    killed = float("inf")

    def read_writer() -> None:
        assert writer.stdout is not None
        for line in writer.stdout:
            lines.append(line.strip())
            if line.startswith("stored "):
                acknowledged.append(int(line.split()[1]))

    reader = threading.Thread(target=poll)
    follower = threading.Thread(target=read_writer)
    try:
        reader.start()
        follower.start()
        wait_for(lambda: len(acknowledged) >= 3, "the writer's first revisions")
        own_cluster.stop("immediate")  # as if the database machine died
        stopped = time.monotonic()
        wait_for(lambda: any(t > stopped and s == 503 for t, s in statuses), "a 503 while the database is down")
        # A worker that dies while the database is away is started again, and comes up without it.
        first, _ = worker_pids(server.process.pid)
        killed = time.monotonic()
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: len(set(worker_pids(server.process.pid)) - {first}) == 2, "a new worker")
        answered = len(statuses)
        wait_for(lambda: len(statuses) > answered + 3, "answers after the new worker started")
        time.sleep(1)
        before_restart = len(acknowledged)
        own_cluster.start()
        restarted = time.monotonic()
        wait_for(lambda: any(t > restarted and s == 200 for t, s in statuses), "the server's recovery", 60)
        wait_for(lambda: len(acknowledged) >= before_restart + 3, "the writer's recovery", 60)
        assert get(server.port, "/healthz")[0] == 200
    finally:
        stop.set()
        writer.kill()
        writer.wait()
        follower.join(timeout=30)
        reader.join(timeout=30)
        if writer.stderr is not None:
            writer.stderr.close()
        server.stop()

    # Only a request the killed worker had already taken may go unanswered; every other one is answered.
    unanswered = [begun for begun, (_, status) in zip(started, statuses, strict=True) if status == 0]
    assert all(begun <= killed for begun in unanswered), "a request sent after the kill got no answer"
    assert len(unanswered) <= 1
    assert {status for _, status in statuses} <= {0, 200, 503}, sorted({s for _, s in statuses})
    # A write during the outage waits for the database (up to the pool's timeout, then FeedStoreError and
    # the writer tries again): either way it is acknowledged only once committed.
    with rv.open_store(url) as store:
        revisions = store.revisions(token)
        # Nothing acknowledged is lost (a revision committed whose acknowledgement was cut off may be there too).
        assert set(acknowledged) <= set(revisions)
        assert revisions == tuple(range(1, revisions[-1] + 1))
        assert store.get(token).revision == revisions[-1] >= max(acknowledged)


def worker_pids(server: int) -> list[int]:
    """The worker processes of `revalidatie serve --workers N` (the supervisor's children that serve)."""
    children = Path(f"/proc/{server}/task/{server}/children").read_text(encoding="ascii").split()
    found = []
    for child in map(int, children):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in command:
            found.append(child)
    return found


def wait_for(condition: Callable[[], bool], what: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"waited {timeout_s} s for {what}")
