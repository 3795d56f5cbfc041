"""The subscription server, run for real (`python -m revalidatie serve`) on a free loopback port.

Calendars are read back with icalendar, an independent parser. The crash tests kill the server and a
writing process with SIGKILL and check that nothing published is lost and the database is sound.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import icalendar
import pytest

import revalidatie as rv
from revalidatie.export.ics import render_ics
from revalidatie.export.pdf import render_pdf

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "profiles" / "gluteal-tendinopathy.toml"
LOGS = ROOT / "examples" / "logs" / "gluteal-tendinopathy-week-3.toml"
AS_OF = dt.date(2027, 1, 25)
STARTUP_TIMEOUT_S = 30
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}

pytestmark = pytest.mark.slow

Response = tuple[int, dict[str, str], bytes]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# A server with chosen limits (short deadlines, few connections), as `revalidatie serve` runs it otherwise.
LIMITED_SERVER = """
import json, sys
from revalidatie.feed import FeedStore
from revalidatie.feed._app import run_server
from revalidatie.feed._limits import Limits
run_server(FeedStore(sys.argv[1], create=False), host="127.0.0.1", port=int(sys.argv[2]),
           limits=Limits(**json.loads(sys.argv[3])))
"""


class Server:
    """`python -m revalidatie serve` in a subprocess, with a keep-alive connection to it.

    With ``limits`` (fields of ``Limits``), the same server is started with those limits instead of the
    documented defaults; with ``workers``, as ``serve --workers N``. ``db`` is a SQLite file or a URL.
    """

    def __init__(self, db: Path | str, limits: dict[str, float] | None = None, workers: int = 1) -> None:
        self.db = db
        self.port = free_port()
        command = [sys.executable, "-m", "revalidatie", "serve", "--db", str(db), "--port", str(self.port)]
        if workers > 1:
            command += ["--workers", str(workers)]
        if limits is not None:
            command = [sys.executable, "-c", LIMITED_SERVER, str(db), str(self.port), json.dumps(limits)]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=ENV,
            # Its own process group, so that kill() takes the worker processes of `--workers N` along.
            start_new_session=True,
        )
        self._wait_ready()
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                _, err = self.process.communicate()
                raise AssertionError(f"server exited with {self.process.returncode}: {err.decode()}")
            try:
                probe = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    probe.close()
                    return
            except OSError:
                time.sleep(0.05)
        self.kill()
        raise AssertionError("server did not become ready")

    def request(self, method: str, path: str, headers: dict[str, str] | None = None) -> Response:
        self.connection.request(method, path, headers=headers or {})
        response = self.connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def stop(self) -> None:
        self.connection.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture(scope="module")
def plan() -> rv.Plan:
    return rv.plan_programme(rv.load_profile(PROFILE), rv.load_catalog())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "feeds.sqlite"


@pytest.fixture
def published(db: Path, plan: rv.Plan) -> str:
    # Handouts take a second or two to render; the test of the page and the PDF publishes one with a handout.
    with rv.FeedStore(db, handouts=False) as store:
        url = store.publish(plan, base_url="https://feeds.example.nl")
    return url.rsplit("/", 1)[1].removesuffix(".ics")


@pytest.fixture
def server(db: Path, published: str) -> Iterator[Server]:
    running = Server(db)
    yield running
    running.stop()


def events(body: bytes) -> dict[str, tuple[int, str]]:
    """UID -> (SEQUENCE, STATUS) of every event, as icalendar reads them."""
    calendar = icalendar.Calendar.from_ical(body)
    found: dict[str, tuple[int, str]] = {}
    for event in calendar.walk("VEVENT"):
        found[str(event["UID"])] = (int(event.get("SEQUENCE", 0)), str(event.get("STATUS", "CONFIRMED")))
    return found


def without_date(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k != "date"}


def test_revision_flow(server: Server, published: str, plan: rv.Plan, db: Path) -> None:
    path = f"/feeds/{published}.ics"
    status, headers, body = server.request("GET", path)
    assert status == 200
    assert headers["content-type"] == "text/calendar; charset=utf-8"
    etag = headers["etag"]
    assert etag.startswith('"')
    assert not etag.startswith("W/")
    assert {"private", "no-transform"} <= {part.strip() for part in headers["cache-control"].split(",")}
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert int(headers["content-length"]) == len(body)
    first = events(body)
    assert len(first) == len(plan.sessions)
    assert {sequence for sequence, _ in first.values()} == {0}

    status, head_headers, head_body = server.request("HEAD", path)
    assert (status, head_body) == (200, b"")
    assert without_date(head_headers) == without_date(headers)

    status, cached_headers, cached_body = server.request("GET", path, {"If-None-Match": etag})
    assert (status, cached_body) == (304, b"")
    assert cached_headers["etag"] == etag
    status, _, _ = server.request("HEAD", path, {"If-None-Match": f'W/"x", {etag}'})
    assert status == 304

    revised = rv.revise(plan, rv.load_session_logs(LOGS), as_of=AS_OF, source=str(LOGS))
    with rv.FeedStore(db, handouts=False) as store:
        store.update(revised)

    status, new_headers, new_body = server.request("GET", path, {"If-None-Match": etag})
    assert status == 200
    assert new_headers["etag"] != etag
    second = events(new_body)
    # Every event keeps its UID; changed sessions carry a higher SEQUENCE, unchanged ones keep theirs.
    assert set(first) <= set(second)
    by_uid = {f"{s.id}.{revised.id}@revalidatie": s for s in revised.sessions}
    changed = {uid for uid, s in by_uid.items() if s.revision == 2}
    assert changed
    assert changed & set(first)
    for uid in set(by_uid) & set(first):
        if uid in changed:
            assert second[uid][0] > first[uid][0]
        else:
            assert second[uid][0] == first[uid][0]
    cancelled = {f"{c.session.id}.{revised.id}@revalidatie" for c in revised.cancelled}
    assert all(second[uid][1] == "CANCELLED" for uid in cancelled)
    # Last-Modified is never later than the response's Date (which uvicorn refreshes once a second).
    for answer in (headers, new_headers):
        assert email_date(answer["last-modified"]) <= email_date(answer["date"]) + dt.timedelta(seconds=1)

    status, _, body_again = server.request("GET", path, {"If-None-Match": new_headers["etag"]})
    assert (status, body_again) == (304, b"")
    with rv.FeedStore(db) as store:
        stored = store.get(published).updated
    exact = email.utils.format_datetime(stored, usegmt=True)
    before = email.utils.format_datetime(stored - dt.timedelta(seconds=1), usegmt=True)
    assert server.request("GET", path, {"If-Modified-Since": exact})[0] == 304
    assert server.request("GET", path, {"If-Modified-Since": before})[0] == 200
    assert server.request("GET", path, {"If-Modified-Since": "not a date"})[0] == 200


def email_date(text: str) -> dt.datetime:
    return email.utils.parsedate_to_datetime(text)


def test_every_missing_thing_gets_the_same_404(server: Server, published: str, db: Path, plan: rv.Plan) -> None:
    with rv.FeedStore(db, handouts=False) as store:
        other = store.publish(attrs.evolve(plan, id="revoked-client"), base_url="https://x.nl")
        revoked = other.rsplit("/", 1)[1].removesuffix(".ics")
        assert server.request("GET", f"/feeds/{revoked}.ics")[0] == 200
        store.revoke(revoked)
    missing = [
        f"/feeds/{revoked}.ics",
        f"/feeds/{revoked}",
        f"/feeds/{revoked}.pdf",
        "/feeds/" + "A" * 43 + ".ics",
        f"/feeds/{published}.txt",
        f"/feeds/{published}.ics.bak",
        "/feeds/",
        "/",
        "/robots.txt",
        "/feeds/%2e%2e/etc/passwd",
    ]
    answers = [server.request("GET", path) for path in missing]
    statuses = {status for status, _, _ in answers}
    assert statuses == {404}
    assert len({(tuple(sorted(without_date(h).items())), b) for _, h, b in answers}) == 1
    heads = [server.request("HEAD", path) for path in missing[:3]]
    assert {(s, b) for s, _, b in heads} == {(404, b"")}


def test_page_and_handout(server: Server, db: Path, plan: rv.Plan) -> None:
    with rv.FeedStore(db) as store:
        url = store.publish(attrs.evolve(plan, id="with-handout"), base_url="https://feeds.example.nl")
    published = url.rsplit("/", 1)[1].removesuffix(".ics")
    status, headers, body = server.request("GET", f"/feeds/{published}")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "style-src 'sha256-" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    html = body.decode("utf-8")
    assert '<html lang="nl">' in html
    assert "Şule Y\u0131lmaz-de Vries" in html
    assert f"webcal://feeds.example.nl/feeds/{published}.ics" in html
    assert f"https://feeds.example.nl/feeds/{published}.pdf" in html
    status, _, _ = server.request("GET", f"/feeds/{published}", {"If-None-Match": headers["etag"]})
    assert status == 304

    status, pdf_headers, pdf = server.request("GET", f"/feeds/{published}.pdf")
    assert status == 200
    assert pdf_headers["content-type"] == "application/pdf"
    assert pdf.startswith(b"%PDF-")
    checkin = f"https://feeds.example.nl/checkin/{published}"
    assert pdf == render_pdf(plan_of(db, published), subscription_url=url, checkin_url=checkin)
    status, head_headers, head_body = server.request("HEAD", f"/feeds/{published}.pdf")
    assert (status, head_body) == (200, b"")
    assert without_date(head_headers) == without_date(pdf_headers)
    assert server.request("GET", f"/feeds/{published}.pdf", {"If-None-Match": pdf_headers["etag"]})[0] == 304


def plan_of(db: Path, token: str) -> rv.Plan:
    with rv.FeedStore(db, create=False) as store:
        return store.plan(token)


WRITER = """
import datetime as dt, sys, revalidatie as rv
store = rv.FeedStore(sys.argv[1], create=False, handouts=False)
token, logs = sys.argv[2], rv.load_session_logs(sys.argv[3])
plan = store.plan(token)
while True:
    # Each pass revises the published plan with the client's logs, as `revalidatie feed revise` does.
    plan = rv.revise(plan, logs, as_of=dt.date(2027, 1, 25))
    store.update(plan)
    print(plan.revision, flush=True)
"""


def start_writer(db: Path, token: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), token, str(LOGS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def committed_until_killed(writer: subprocess.Popen[str], after: int, delay_s: float = 0.0) -> int:
    """Read ``after`` of the writer's commits, wait ``delay_s``, kill it with SIGKILL; return the last commit."""
    assert writer.stdout is not None
    last = 0
    for _ in range(after):
        line = writer.stdout.readline()
        assert line, writer.stderr.read() if writer.stderr else "writer stopped"
        last = int(line)
    time.sleep(delay_s)  # different points of the next write: revising, rendering, inside the transaction
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)
    # Lines printed between the last read and the kill are commits too.
    rest = writer.stdout.read()
    for line in rest.split():
        last = int(line)
    writer.stdout.close()
    if writer.stderr is not None:
        writer.stderr.close()
    return last


def integrity(db: Path) -> str:
    raw = sqlite3.connect(db)
    try:
        return str(raw.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        raw.close()


def test_sigkill_of_server_and_writer_loses_nothing(server: Server, published: str, db: Path) -> None:
    writer = start_writer(db, published)
    try:
        assert writer.stdout is not None
        for _ in range(5):
            assert writer.stdout.readline()
        # The server dies while the writer is in the middle of its loop of revisions ...
        server.kill()
        # ... and then the writer, a few commits later.
        last = committed_until_killed(writer, after=5)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()

    assert integrity(db) == "ok"
    restarted = Server(db)
    try:
        status, _, body = restarted.request("GET", f"/feeds/{published}.ics")
        with rv.FeedStore(db, create=False) as store:
            revisions = store.revisions(published)
            served = store.get(published).revision
            current = render_ics(store.plan(published), page_url=store.get(published).checkin_url)
            assert store.check() == ()
    finally:
        restarted.stop()
    assert status == 200
    assert served >= last
    assert revisions == tuple(range(1, served + 1))
    assert body == current


@pytest.mark.parametrize(("commits", "delay_s"), [(1, 0.0), (3, 0.011), (5, 0.023), (8, 0.037)])
def test_sigkill_in_a_store_write_loop_loses_nothing(db: Path, published: str, commits: int, delay_s: float) -> None:
    writer = start_writer(db, published)
    try:
        last = committed_until_killed(writer, after=commits, delay_s=delay_s)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert integrity(db) == "ok"
    with rv.FeedStore(db, create=False) as store:
        entry = store.get(published)
        assert entry.revision >= last
        assert store.revisions(published) == tuple(range(1, entry.revision + 1))
        assert store.plan(published).revision == entry.revision
        body = store.body(published)
        assert body is not None
        assert events(body.content)


def test_serve_reports_a_port_in_use_and_a_missing_database(db: Path, published: str, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        command = [sys.executable, "-m", "revalidatie", "serve", "--db", str(db), "--port", port]
        busy = subprocess.run(command, capture_output=True, text=True, env=ENV, timeout=60, check=False)
    assert busy.returncode == 1
    assert f"error: the server could not start on 127.0.0.1:{port}" in busy.stderr
    assert "address already in use" in busy.stderr

    command = [sys.executable, "-m", "revalidatie", "serve", "--db", str(tmp_path / "none.sqlite")]
    missing = subprocess.run(command, capture_output=True, text=True, env=ENV, timeout=60, check=False)
    assert missing.returncode == 1
    assert "no feed database here" in missing.stderr
    assert not (tmp_path / "none.sqlite").exists()


# --- conditional requests ------------------------------------------------------------------------------------


def http_date(moment: dt.datetime) -> str:
    return email.utils.format_datetime(moment.astimezone(dt.UTC), usegmt=True)


def test_if_modified_since_later_than_the_clock_hid_a_revision(
    server: Server, published: str, plan: rv.Plan, db: Path
) -> None:
    path = f"/feeds/{published}.ics"
    status, headers, _ = server.request("GET", path)
    assert status == 200
    # A client whose clock runs a day fast sends its own time, later than every Last-Modified so far.
    fast_clock = http_date(dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    revised = rv.revise(plan, rv.load_session_logs(LOGS), as_of=AS_OF, source=str(LOGS))
    with rv.FeedStore(db, handouts=False) as store:
        store.update(revised)
        stored = store.get(published).updated
    status, new_headers, body = server.request("GET", path, {"If-Modified-Since": fast_clock})
    assert status == 200
    assert new_headers["etag"] != headers["etag"]
    assert body
    # The old revision's date is no longer the validator either; only the current one's is.
    assert server.request("GET", path, {"If-Modified-Since": headers["last-modified"]})[0] == 200
    assert server.request("GET", path, {"If-Modified-Since": http_date(stored)})[0] == 304


@pytest.mark.parametrize(
    "date",
    [
        "Sun, 06 Nov 99999999999 08:49:37 GMT",  # an OverflowError and a 500 before
        "Sun, 06 Nov 1994 25:61:99 GMT",
        "Sun, 06 Nov 0000 08:49:37 GMT",
        "yesterday",
        "",
        "Sun, 06 Nov 1994 08:49:37 +0100",  # not GMT, so not an HTTP-date
    ],
)
def test_an_absurd_if_modified_since_gave_a_500(server: Server, published: str, date: str) -> None:
    status, _, body = server.request("GET", f"/feeds/{published}.ics", {"If-Modified-Since": date})
    assert status == 200
    assert body.startswith(b"BEGIN:VCALENDAR")
    assert server.request("GET", f"/feeds/{published}", {"If-Modified-Since": date})[0] == 200


def test_if_none_match_wins_over_if_modified_since(server: Server, published: str, db: Path) -> None:
    path = f"/feeds/{published}.ics"
    _, headers, _ = server.request("GET", path)
    with rv.FeedStore(db) as store:
        exact = http_date(store.get(published).updated)
    assert server.request("GET", path, {"If-Modified-Since": exact})[0] == 304
    # An entity-tag that does not match decides, however current the date is ...
    assert server.request("GET", path, {"If-None-Match": '"other"', "If-Modified-Since": exact})[0] == 200
    # ... and one that matches (by weak comparison) gives 304 with any date.
    weak = "W/" + headers["etag"]
    assert (
        server.request("GET", path, {"If-None-Match": weak, "If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"})[0]
        == 304
    )
    assert server.request("GET", path, {"If-None-Match": '"a", "b"'})[0] == 200
    assert server.request("GET", path, {"If-None-Match": "*"})[0] == 304


# --- hostile requests over a raw socket --------------------------------------------------------------------------

SOCKET_TIMEOUT_S = 15
MAX_READ = 1 << 20


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (at most 1 MiB)."""
    chunks: list[bytes] = []
    size = 0
    while size < MAX_READ:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def exchange(port: int, data: bytes) -> bytes:
    """Send ``data`` on a new connection and return the whole answer (the server closes the connection)."""
    with socket.create_connection(("127.0.0.1", port), timeout=SOCKET_TIMEOUT_S) as sock:
        sock.sendall(data)
        return read_until_closed(sock)


def parse(answer: bytes) -> Response:
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def security_of(headers: dict[str, str]) -> dict[str, str]:
    names = (
        "x-content-type-options",
        "referrer-policy",
        "content-security-policy",
        "x-frame-options",
        "x-robots-tag",
        "cross-origin-resource-policy",
    )
    return {name: headers.get(name, "missing") for name in names}


def request_bytes(method: str, path: str, *headers: str, body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", *headers, "", ""]
    return "\r\n".join(lines).encode("latin-1") + body


@pytest.fixture
def guarded(db: Path, published: str) -> Iterator[Server]:
    """The server with a short head deadline and few connections, so those limits can be reached quickly."""
    running = Server(db, limits={"head_timeout_s": 1.0, "max_connections": 520})
    yield running
    running.stop()


def test_a_64_mb_header_was_accepted(server: Server) -> None:
    status, headers, _ = parse(exchange(server.port, request_bytes("GET", "/healthz", "X-Big: " + "a" * 20_000)))
    assert status == 431
    assert headers["connection"] == "close"
    assert security_of(headers) == security_of(server.request("GET", "/healthz")[1])

    # Streaming 64 MB of one header: the server answers and closes long before the end.
    sent, answer = stream(server.port, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ", b"a" * 65536, 64 << 20)
    assert sent < 8 << 20
    assert answer == b"" or parse(answer)[0] == 431
    assert server.request("GET", "/healthz")[0] == 200


def stream(port: int, start: bytes, chunk: bytes, total: int) -> tuple[int, bytes]:
    """Send ``start``, then ``chunk`` until ``total`` bytes or until the server closes; return what was sent
    and what the server answered."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=SOCKET_TIMEOUT_S) as sock:
        sock.sendall(start)
        try:
            while sent < total:
                sock.sendall(chunk)
                sent += len(chunk)
        except OSError:  # reset or broken pipe: the server has closed the connection
            pass
        return sent, read_until_closed(sock)


def test_100000_headers_were_accepted(server: Server) -> None:
    many = [f"X-H{n}: {n}" for n in range(101)]
    status, headers, _ = parse(exchange(server.port, request_bytes("GET", "/healthz", *many)))
    assert status == 431
    assert headers["x-content-type-options"] == "nosniff"
    # Host and Connection make 100 with these 98.
    assert parse(exchange(server.port, request_bytes("GET", "/healthz", *many[:98])))[0] == 200

    headers_block = "".join(f"X-H{n}: {n}\r\n" for n in range(1000)).encode("ascii")
    sent, answer = stream(
        server.port, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n", headers_block, 100 * len(headers_block)
    )
    # The head never ends: an answer at all (a 431, or a reset when unread headers were dropped) means
    # the server cut the connection instead of reading on; waiting for ever would time out here.
    assert sent > 0
    assert answer == b"" or parse(answer)[0] == 431


def test_a_long_url_is_refused(server: Server) -> None:
    assert parse(exchange(server.port, request_bytes("GET", "/feeds/" + "a" * 20_000)))[0] == 414


def test_request_bodies_past_16_kib_are_refused(server: Server) -> None:
    limit = 16 * 1024
    announced = request_bytes("POST", "/healthz", f"Content-Length: {limit + 1}")
    status, headers, _ = parse(exchange(server.port, announced))
    assert status == 413
    assert headers["connection"] == "close"
    assert headers["x-content-type-options"] == "nosniff"
    body = b"x" * (limit + 1)
    chunked = request_bytes(
        "GET", "/healthz", "Transfer-Encoding: chunked", body=b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    )
    assert parse(exchange(server.port, chunked))[0] == 413
    within = request_bytes("GET", "/healthz", f"Content-Length: {limit}", body=b"x" * limit)
    assert parse(exchange(server.port, within))[0] == 200


@pytest.mark.parametrize("method", ["OPTIONS", "POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "BREW"])
def test_other_methods_on_feed_paths_lacked_the_security_headers(server: Server, published: str, method: str) -> None:
    expected = security_of(server.request("GET", f"/feeds/{published}.ics")[1])
    for path in (f"/feeds/{published}.ics", f"/feeds/{published}", "/feeds/" + "A" * 43 + ".ics", "/healthz"):
        target = "127.0.0.1:80" if method == "CONNECT" else path
        status, headers, _ = parse(exchange(server.port, request_bytes(method, target, "Content-Length: 0")))
        assert security_of(headers) == expected, path
        if method in ("CONNECT", "BREW"):
            assert status == 400, path  # the parser refuses them (CONNECT has no path; BREW is no method)
            continue
        assert status == 405, path
        assert {m.strip() for m in headers["allow"].split(",")} == {"GET", "HEAD"}


def test_a_trailing_slash_redirected_to_the_host_header(server: Server, published: str) -> None:
    not_found = server.request("GET", "/feeds/" + "A" * 43 + ".ics")
    for path in (f"/feeds/{published}.ics/", f"/feeds/{published}/", "/healthz/", f"/feeds/{published}.ics//"):
        status, headers, body = parse(
            exchange(server.port, request_bytes("GET", path).replace(b"127.0.0.1", b"evil.example", 1))
        )
        assert status == 404, path
        assert "location" not in headers
        assert security_of(headers) == security_of(not_found[1])
        assert body == not_found[2]


def test_half_sent_requests_stayed_open(guarded: Server) -> None:
    sockets: list[socket.socket] = []
    try:
        for _ in range(500):
            sock = socket.create_connection(("127.0.0.1", guarded.port), timeout=SOCKET_TIMEOUT_S)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            sockets.append(sock)
        # The server still answers while they hang ...
        assert guarded.request("GET", "/healthz")[0] == 200
        # ... and closes every one of them once its head deadline has passed, with a 408.
        answers = [read_until_closed(sock) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
    assert {parse(answer)[0] if answer else 0 for answer in answers} == {408}
    headers = parse(answers[0])[1]
    assert headers["x-content-type-options"] == "nosniff"
    assert guarded.request("GET", "/healthz")[0] == 200


def test_connections_past_the_limit_are_refused_at_once(db: Path, published: str) -> None:
    running = Server(db, limits={"max_connections": 4})
    try:
        # The test's own keep-alive connection is one; three idle ones make four.
        idle = [socket.create_connection(("127.0.0.1", running.port), timeout=SOCKET_TIMEOUT_S) for _ in range(3)]
        assert running.request("GET", "/healthz")[0] == 200
        try:
            status, headers, _ = parse(exchange(running.port, b""))
            assert status == 503
            assert headers["x-content-type-options"] == "nosniff"
        finally:
            for sock in idle:
                sock.close()
    finally:
        running.stop()


def test_serve_runs_with_the_documented_limits(db: Path, published: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from revalidatie.feed._app import run_server
    from revalidatie.feed._limits import GuardedProtocol, Limits

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options))
    with rv.FeedStore(db, create=False) as store:
        run_server(store, host="127.0.0.1", port=free_port())
    protocol = seen["http"]
    assert isinstance(protocol, type)
    assert issubclass(protocol, GuardedProtocol)
    # Only where the system allows fewer open files than 1,000 connections need is that limit lowered.
    assert attrs.evolve(protocol.limits, max_connections=1000) == Limits()
    assert 1 <= protocol.limits.max_connections <= 1000
    assert attrs.asdict(Limits()) == {
        "max_head_bytes": 16384,
        "max_headers": 100,
        "head_timeout_s": 10.0,
        "max_body_bytes": 16384,
        "max_connections": 1000,
        "keep_alive_s": 5,
        "backlog": 1024,
    }
    assert (seen["timeout_keep_alive"], seen["backlog"]) == (5, 1024)
    docs = (ROOT / "docs" / "feeds.md").read_text(encoding="utf-8")
    for row in (
        "| 16 KiB | `431",
        "| 100 | `431`",
        "| 10 s | `408",
        "| 16 KiB | `413",
        "| 1,000 | `503",
        "| 5 s |",
        "| 1,024 |",
    ):
        assert row in docs
