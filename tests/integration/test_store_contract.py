"""The contract every feed store keeps: the same tests against the SQLite store and the PostgreSQL store.

Each test runs once per store (``[sqlite]``, ``[postgresql]``); the PostgreSQL runs get a new database on
the session's throwaway server (tests/postgres_cluster.py). What only one store has (SQLite's file
modes, its WAL and backups) is tested in tests/unit/test_feed_store.py.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest

import revalidatie as rv
from revalidatie.export.ics import render_ics
from revalidatie.export.pdf import render_pdf
from revalidatie.feed import FeedStorePort, export_static
from revalidatie.feed._page import render_page

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "profiles" / "gluteal-tendinopathy.toml"
LOGS = ROOT / "examples" / "logs" / "gluteal-tendinopathy-week-3.toml"
AS_OF = dt.date(2027, 1, 25)
BASE = "https://feeds.example.nl"
PUBLISHED = dt.datetime(2026, 12, 18, 14, 30, tzinfo=dt.UTC)

Opener = Callable[..., FeedStorePort]


@pytest.fixture(scope="module")
def plan() -> rv.Plan:
    return rv.plan_programme(rv.load_profile(PROFILE), rv.load_catalog())


@pytest.fixture(scope="module")
def revised(plan: rv.Plan) -> rv.Plan:
    return rv.revise(plan, rv.load_session_logs(LOGS), as_of=AS_OF)


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "feeds.sqlite")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def open_store(location: str) -> Iterator[Opener]:
    """Opens the test's store (again); every store opened is closed after the test."""
    opened: list[FeedStorePort] = []

    def opener(*, handouts: bool = False) -> FeedStorePort:
        store = rv.open_store(location, handouts=handouts)
        opened.append(store)
        return store

    yield opener
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Opener) -> FeedStorePort:
    # Handouts take a second or two per revision to render; the tests that need one use `with_handouts`.
    return open_store()


@pytest.fixture
def with_handouts(open_store: Opener) -> FeedStorePort:
    return open_store(handouts=True)


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def test_both_stores_implement_the_port(store: FeedStorePort) -> None:
    for name in (n for n in dir(FeedStorePort) if not n.startswith("_") or n in ("__enter__", "__exit__")):
        assert callable(getattr(type(store), name, None)) or name == "location", name
    assert isinstance(store.location, str)


def test_publish_round_trips_plan_and_rendered_calendar(store: FeedStorePort, plan: rv.Plan) -> None:
    url = store.publish(plan, base_url=BASE + "/", at=PUBLISHED)
    token = token_of(url)
    assert url == f"{BASE}/feeds/{token}.ics"

    entry = store.get(token)
    assert (entry.plan_id, entry.client, entry.language, entry.revision) == (plan.id, plan.profile.name, "nl", 1)
    assert (entry.first_day, entry.last_day) == (plan.start, plan.end)
    assert entry.url == url
    assert entry.page_url == f"{BASE}/feeds/{token}"
    assert not entry.revoked
    assert store.plan(token) == plan

    body = store.body(token)
    assert body is not None
    assert body.content == render_ics(plan, page_url=entry.checkin_url)  # each event links to the check-in page
    assert body.etag == '"' + hashlib.sha256(body.content).hexdigest() + '"'
    assert body.last_modified == int(PUBLISHED.timestamp())
    assert entry.updated == PUBLISHED
    assert store.head(token) == (body.etag, body.last_modified)
    assert store.entries() == (entry,)


def test_tokens_are_unique_urlsafe_and_at_least_128_bits(store: FeedStorePort, plan: rv.Plan) -> None:
    tokens = [token_of(store.publish(attrs.evolve(plan, id=f"client-{n}"), base_url=BASE)) for n in range(12)]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) * 8 >= 128
        assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert len({token[:8] for token in tokens}) == len(tokens)


def test_a_token_never_starts_with_a_dash(store: FeedStorePort, plan: rv.Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    """`feed revise -Qx...` would read the token as an option; a token starting with "-" is drawn again."""
    drawn = iter(["-" + "a" * 42, "b" * 43])
    monkeypatch.setattr("secrets.token_urlsafe", lambda _: next(drawn))
    assert token_of(store.publish(plan, base_url=BASE)) == "b" * 43


def test_update_keeps_every_revision_and_the_url(store: FeedStorePort, plan: rv.Plan, revised: rv.Plan) -> None:
    url = store.publish(plan, base_url=BASE)
    token = token_of(url)
    first = store.body(token)

    entry = store.update(revised)

    assert entry.url == url
    assert entry.revision == 2
    assert store.revisions(token) == (1, 2)
    assert store.plan(token, 1) == plan
    assert store.plan(token) == revised
    second = store.body(token)
    assert first is not None
    assert second is not None
    assert second.content == render_ics(revised, page_url=entry.checkin_url)
    assert second.etag != first.etag
    assert second.last_modified > first.last_modified


def test_a_feed_says_whether_its_plan_is_paused(store: FeedStorePort, plan: rv.Plan) -> None:
    token = token_of(store.publish(plan, base_url=BASE))
    assert not store.get(token).paused
    paused = rv.pause(plan, AS_OF, [plan.red_flags[0].id])
    assert store.update(paused).paused
    assert [e.paused for e in store.entries()] == [True]
    assert store.live(token) == store.get(token)
    assert not store.update(rv.resume(paused, [], AS_OF + dt.timedelta(days=3))).paused
    assert not store.get(token).paused


def test_last_modified_never_moves_backwards(store: FeedStorePort, plan: rv.Plan, revised: rv.Plan) -> None:
    token = token_of(store.publish(plan, base_url=BASE, at=PUBLISHED))
    later = PUBLISHED + dt.timedelta(days=2)
    assert store.update(revised, at=later).updated == later
    # A later revision stamped earlier (a clock set back) still gets a later Last-Modified.
    after = store.update(attrs.evolve(revised, revision=3), at=PUBLISHED).updated
    assert after == later + dt.timedelta(seconds=1)
    assert store.get(token).updated == after


def test_stale_revision_and_double_publish_are_refused(store: FeedStorePort, plan: rv.Plan, revised: rv.Plan) -> None:
    token = token_of(store.publish(plan, base_url=BASE))
    store.update(revised)
    with pytest.raises(rv.FeedConflict, match="revision 2 is not newer than the published revision 2"):
        store.update(revised)
    with pytest.raises(rv.FeedConflict, match="revision 1 is not newer"):
        store.update(plan)
    with pytest.raises(rv.FeedConflict, match="is published already"):
        store.publish(plan, base_url=BASE)
    assert store.revisions(token) == (1, 2)


def test_unknown_token_and_unknown_plan(store: FeedStorePort, plan: rv.Plan) -> None:
    with pytest.raises(rv.FeedNotFound, match="no published feed for token"):
        store.get("no-such-token-at-all")
    with pytest.raises(rv.FeedNotFound, match="no published feed for plan 'sule-yilmaz-de-vries'"):
        store.update(attrs.evolve(plan, revision=2))
    with pytest.raises(rv.FeedNotFound):
        store.revoke("nope")
    with pytest.raises(rv.FeedNotFound, match="at least 6"):
        store.find("abc")
    assert store.body("nope") is None
    assert store.live("nope") is None
    assert isinstance(rv.FeedNotFound("x"), LookupError)


def test_find_by_prefix(store: FeedStorePort, plan: rv.Plan) -> None:
    token = token_of(store.publish(plan, base_url=BASE))
    assert store.find(token[:6]).token == token
    with pytest.raises(rv.FeedNotFound):
        store.find("_" * 8)  # "_" is a LIKE wildcard; a prefix must match literally


def test_revoke_stops_serving_keeps_history_and_allows_a_new_link(
    store: FeedStorePort, plan: rv.Plan, revised: rv.Plan
) -> None:
    token = token_of(store.publish(plan, base_url=BASE))
    store.update(revised)

    entry = store.revoke(token)

    assert entry.revoked
    assert store.body(token) is None
    assert store.head(token) is None
    assert store.live(token) is None
    assert store.entries() == ()
    assert [e.token for e in store.entries(include_revoked=True)] == [token]
    assert store.revisions(token) == (1, 2)
    assert store.revoke(token).revoked  # revoking twice is harmless
    with pytest.raises(rv.FeedNotFound):
        store.update(attrs.evolve(revised, revision=3))

    new = token_of(store.publish(revised, base_url=BASE))
    assert new != token
    assert store.body(new) is not None


def test_bad_base_url(store: FeedStorePort, plan: rv.Plan) -> None:
    for bad in ("feeds.example.nl", "ftp://x.nl", "https://x.nl/?a=1", "https://x.nl/#f", "https:// x.nl", ""):
        with pytest.raises(rv.InputError, match="absolute http"):
            store.publish(plan, base_url=bad)
    assert store.entries(include_revoked=True) == ()


def test_a_failed_write_leaves_nothing_behind(
    store: FeedStorePort, plan: rv.Plan, revised: rv.Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = token_of(store.publish(plan, base_url=BASE))

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(type(store), "_insert_revision", staticmethod(fail))
    with pytest.raises(OSError, match="disk full"):
        store.update(revised)
    with pytest.raises(OSError, match="disk full"):
        store.publish(attrs.evolve(plan, id="someone-else"), base_url=BASE)
    monkeypatch.undo()

    assert store.get(token).revision == 1
    assert store.revisions(token) == (1,)
    assert [e.plan_id for e in store.entries()] == [plan.id]
    assert store.check() == ()


def test_page_is_escaped_localised_and_self_contained(store: FeedStorePort, plan: rv.Plan) -> None:
    profile = plan.profile.model_copy(
        update={"name": 'Zoë <script>alert("x")</script> & co', "language": rv.Language.EN}
    )
    token = token_of(store.publish(attrs.evolve(plan, profile=profile), base_url=BASE))
    html = render_page(store.get(token), has_pdf=True).decode("utf-8")
    assert '<html lang="en">' in html
    assert "<script>" not in html
    assert "Zoë &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in html
    assert f'href="webcal://feeds.example.nl/feeds/{token}.ics"' in html
    assert f"https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Ffeeds.example.nl%2Ffeeds%2F{token}.ics" in html
    assert f'href="{BASE}/feeds/{token}.pdf"' in html
    assert "Subscribe" in html
    for external in ("src=", "<link", "@import", "url("):
        assert external not in html


def test_static_export_writes_live_feeds_and_removes_revoked(
    tmp_path: Path, with_handouts: FeedStorePort, plan: rv.Plan
) -> None:
    store = with_handouts
    keep = token_of(store.publish(plan, base_url=BASE))
    gone = token_of(store.publish(attrs.evolve(plan, id="other-client"), base_url=BASE))
    out = tmp_path / "public"
    (out / "feeds").mkdir(parents=True)
    (out / "feeds" / "unrelated.txt").write_text("not ours", encoding="utf-8")
    export_static(store, out)
    assert (out / "feeds" / f"{gone}.ics").is_file()

    store.revoke(gone)
    written = export_static(store, out)

    body, handout = store.body(keep), store.body(keep, "pdf")
    assert body is not None
    assert handout is not None
    assert (out / "feeds" / f"{keep}.ics").read_bytes() == body.content
    assert (out / "feeds" / f"{keep}.pdf").read_bytes() == handout.content
    assert f"{keep}.pdf" in (out / "feeds" / keep / "index.html").read_text(encoding="utf-8")
    assert (out / "feeds" / keep / "index.html").is_file()
    assert set(written) >= {out / "feeds" / f"{keep}.ics", out / "feeds" / keep / "index.html"}
    assert not (out / "feeds" / f"{gone}.ics").exists()
    assert not (out / "feeds" / f"{gone}.pdf").exists()
    assert not (out / "feeds" / gone).exists()
    assert (out / "feeds" / "unrelated.txt").is_file()
    assert not list(out.rglob("*.tmp"))


def test_handout_is_rendered_with_the_subscription_and_check_in_urls(
    with_handouts: FeedStorePort, plan: rv.Plan
) -> None:
    url = with_handouts.publish(plan, base_url=BASE)
    token = token_of(url)
    handout = with_handouts.body(token, "pdf")
    assert handout is not None
    # The QR code leads to the check-in page, the feed's address is printed beside it, and there is no diary.
    checkin = with_handouts.get(token).checkin_url
    assert checkin == f"{BASE}/checkin/{token}"
    assert handout.content == render_pdf(plan, subscription_url=url, checkin_url=checkin)
    assert handout.etag == '"' + hashlib.sha256(handout.content).hexdigest() + '"'
    assert with_handouts.head(token, "pdf") == (handout.etag, handout.last_modified)


def test_without_handouts_there_is_no_pdf(store: FeedStorePort, plan: rv.Plan) -> None:
    token = token_of(store.publish(plan, base_url=BASE))
    assert store.body(token, "pdf") is None
    assert store.head(token, "pdf") is None
    assert "Handout" not in render_page(store.get(token), has_pdf=False).decode("utf-8")


def test_the_web_servers_reads_are_awaitable(store: FeedStorePort, plan: rv.Plan) -> None:
    token = token_of(store.publish(plan, base_url=BASE, at=PUBLISHED))
    reader = store.reader()

    async def read() -> tuple[object, ...]:
        try:
            return (
                await reader.head(token),
                await reader.body(token),
                await reader.live(token),
                await reader.head("nope"),
                await reader.body(token, "pdf"),
                await reader.live("nope"),
            )
        finally:
            await reader.aclose()

    head, body, live, missing, no_pdf, no_entry = asyncio.run(read())
    assert head == store.head(token)
    assert body == store.body(token)
    assert live == store.get(token)
    assert (missing, no_pdf, no_entry) == (None, None, None)
    store.revoke(token)
    assert asyncio.run(read())[:3] == (None, None, None)


def test_everything_survives_reopening(open_store: Opener, plan: rv.Plan, revised: rv.Plan) -> None:
    first = open_store()
    token = token_of(first.publish(plan, base_url=BASE))
    first.update(revised)
    entry = first.get(token)
    first.close()
    again = open_store()
    assert again.get(token) == entry
    assert again.plan(token) == revised
    assert again.plan(token, 1) == plan
    assert again.check() == ()


def test_entries_are_sorted_by_client_then_token(store: FeedStorePort, plan: rv.Plan) -> None:
    names = ["Émile", "anna", "Zoë", "Bram", "bram"]
    for n, name in enumerate(names):
        profile = plan.profile.model_copy(update={"name": name})
        store.publish(attrs.evolve(plan, id=f"client-{n}", profile=profile), base_url=BASE)
    # Byte order, the same in both databases whatever the PostgreSQL database's collation.
    assert [e.client for e in store.entries()] == sorted(names, key=lambda n: n.encode("utf-8"))


def test_concurrent_revisions_of_one_plan_store_exactly_one(
    open_store: Opener, plan: rv.Plan, revised: rv.Plan
) -> None:
    token = token_of(open_store().publish(plan, base_url=BASE))
    stores = [open_store() for _ in range(4)]
    outcomes: list[str] = []
    start = threading.Barrier(len(stores))

    def revise(store: FeedStorePort) -> None:
        start.wait()
        try:
            store.update(revised)
            outcomes.append("stored")
        except rv.FeedConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=revise, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "stored"]
    assert stores[0].revisions(token) == (1, 2)


def test_concurrent_publishing_of_one_plan_gives_one_feed(open_store: Opener, plan: rv.Plan) -> None:
    stores = [open_store() for _ in range(4)]
    outcomes: list[str] = []
    start = threading.Barrier(len(stores))

    def publish(store: FeedStorePort) -> None:
        start.wait()
        try:
            store.publish(plan, base_url=BASE)
            outcomes.append("published")
        except rv.FeedConflict as conflict:
            assert "is published already" in str(conflict)
            outcomes.append("conflict")

    threads = [threading.Thread(target=publish, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "published"]
    assert len(stores[0].entries()) == 1


def test_the_web_servers_reads_follow_writes_of_other_processes(
    open_store: Opener, plan: rv.Plan, revised: rv.Plan
) -> None:
    """The server's store and the physio's are separate connections; each write shows at the next request
    (SQLite) or within a notification's delivery (PostgreSQL), however often the feed was read before."""
    writer, server = open_store(), open_store()
    token = token_of(writer.publish(plan, base_url=BASE))
    reader = server.reader()

    async def until(expected: object) -> None:
        deadline = asyncio.get_running_loop().time() + 3
        while (await reader.head(token)) != expected:
            assert asyncio.get_running_loop().time() < deadline, expected
            await asyncio.sleep(0.005)

    async def scenario() -> None:
        try:
            for _ in range(50):  # read often enough for any copy to be taken
                assert await reader.head(token) == writer.head(token)
            await asyncio.sleep(0.2)
            writer.update(revised)
            await until(writer.head(token))
            writer.revoke(token)
            await until(None)
        finally:
            await reader.aclose()

    asyncio.run(scenario())


def test_reports_are_kept_in_order_and_a_revoked_feed_takes_none(store: FeedStorePort, plan: rv.Plan) -> None:
    from revalidatie.errors import FeedNotFound
    from revalidatie.feed.checkin import checkin_logs

    token = token_of(store.publish(plan, base_url=BASE, at=PUBLISHED))
    session = plan.sessions[0]
    first = rv.SessionLog(session_id=session.id, date=session.date, pain_during=4)
    correction = first.model_copy(update={"pain_during": 1, "pain_next_morning": 0})
    stored = [store.report(token, first), store.report(token, correction, red_flags=("hip-fracture",))]
    assert stored[0].id < stored[1].id
    assert store.checkins(token) == tuple(stored)
    assert checkin_logs(plan, store.checkins(token), session.date + dt.timedelta(days=1)) == (correction,)
    assert store.secret() == store.secret()
    assert len(store.secret()) == 32
    store.revoke(token)
    with pytest.raises(FeedNotFound):
        store.report(token, first)
    with pytest.raises(FeedNotFound):
        store.report("A" * 43, first)
    assert len(store.checkins(token)) == 2  # a revoked feed keeps its history


def test_reports_since_counts_the_feeds_reports_from_that_moment_on(open_store: Opener, plan: rv.Plan) -> None:
    moment = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)
    session = plan.sessions[0]
    log = rv.SessionLog(session_id=session.id, date=session.date, pain_during=1)
    store = open_store()
    token = token_of(store.publish(plan, base_url=BASE, at=PUBLISHED))
    other = token_of(store.publish(attrs.evolve(plan, id="other-client"), base_url=BASE, at=PUBLISHED))
    assert store.reports_since(token, moment) == 0
    for minutes in (-61, -59, -1, 0):
        store.report(token, log, at=moment + dt.timedelta(minutes=minutes))
    store.report(other, log, at=moment)
    hour_before = moment - dt.timedelta(hours=1)
    assert store.reports_since(token, hour_before) == 3  # at or after: 59 and 1 minute before, and at it
    assert store.reports_since(token, moment) == 1
    assert store.reports_since(other, hour_before) == 1
    assert store.reports_since("A" * 43, hour_before) == 0
    store.close()
    # The store opened again on the same database counts the same reports.
    assert open_store().reports_since(token, hour_before) == 3
