"""The feed store: round-trips, tokens, revisions, revocation, atomic writes and clear errors."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import revalidatie as rv
import revalidatie.feed.store as feed_store
from revalidatie.export.ics import render_ics
from revalidatie.export.pdf import render_pdf
from revalidatie.feed import export_static
from revalidatie.feed._page import CONTENT_SECURITY_POLICY, render_page

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


def test_publish_round_trips_plan_and_rendered_calendar(store: rv.FeedStore, plan: rv.Plan) -> None:
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
    assert body.content == render_ics(plan)
    assert body.etag == '"' + hashlib.sha256(body.content).hexdigest() + '"'
    assert body.last_modified == int(PUBLISHED.timestamp())
    assert entry.updated == PUBLISHED
    assert store.head(token) == (body.etag, body.last_modified)
    assert store.entries() == (entry,)


def test_tokens_are_unique_urlsafe_and_at_least_128_bits(store: rv.FeedStore, plan: rv.Plan) -> None:
    tokens = [token_of(store.publish(attrs.evolve(plan, id=f"client-{n}"), base_url=BASE)) for n in range(12)]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) * 8 >= 128
        assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert len({token[:8] for token in tokens}) == len(tokens)


def test_a_token_never_starts_with_a_dash(store: rv.FeedStore, plan: rv.Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    """`feed revise -Qx...` would read the token as an option; a token starting with "-" is drawn again."""
    drawn = iter(["-" + "a" * 42, "b" * 43])
    monkeypatch.setattr("secrets.token_urlsafe", lambda _: next(drawn))
    assert token_of(store.publish(plan, base_url=BASE)) == "b" * 43


def test_update_keeps_every_revision_and_the_url(store: rv.FeedStore, plan: rv.Plan, revised: rv.Plan) -> None:
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
    assert second.content == render_ics(revised)
    assert second.etag != first.etag
    assert second.last_modified > first.last_modified


def test_last_modified_never_moves_backwards(store: rv.FeedStore, plan: rv.Plan, revised: rv.Plan) -> None:
    token = token_of(store.publish(plan, base_url=BASE, at=PUBLISHED))
    later = PUBLISHED + dt.timedelta(days=2)
    assert store.update(revised, at=later).updated == later
    # A later revision stamped earlier (a clock set back) still gets a later Last-Modified.
    after = store.update(attrs.evolve(revised, revision=3), at=PUBLISHED).updated
    assert after == later + dt.timedelta(seconds=1)
    assert store.get(token).updated == after


def test_stale_revision_and_double_publish_are_refused(store: rv.FeedStore, plan: rv.Plan, revised: rv.Plan) -> None:
    token = token_of(store.publish(plan, base_url=BASE))
    store.update(revised)
    with pytest.raises(rv.FeedConflict, match="revision 2 is not newer than the published revision 2"):
        store.update(revised)
    with pytest.raises(rv.FeedConflict, match="revision 1 is not newer"):
        store.update(plan)
    with pytest.raises(rv.FeedConflict, match="is published already"):
        store.publish(plan, base_url=BASE)
    assert store.revisions(token) == (1, 2)


def test_unknown_token_and_unknown_plan(store: rv.FeedStore, plan: rv.Plan) -> None:
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


def test_find_by_prefix(store: rv.FeedStore, plan: rv.Plan) -> None:
    token = token_of(store.publish(plan, base_url=BASE))
    assert store.find(token[:6]).token == token
    with pytest.raises(rv.FeedNotFound):
        store.find("_" * 8)  # "_" is a LIKE wildcard; a prefix must match literally


def test_revoke_stops_serving_keeps_history_and_allows_a_new_link(
    store: rv.FeedStore, plan: rv.Plan, revised: rv.Plan
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


def test_bad_base_url(store: rv.FeedStore, plan: rv.Plan) -> None:
    for bad in ("feeds.example.nl", "ftp://x.nl", "https://x.nl/?a=1", "https://x.nl/#f", "https:// x.nl", ""):
        with pytest.raises(rv.InputError, match="absolute http"):
            store.publish(plan, base_url=bad)
    assert store.entries(include_revoked=True) == ()


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


def test_a_failed_write_leaves_nothing_behind(
    store: rv.FeedStore, plan: rv.Plan, revised: rv.Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = token_of(store.publish(plan, base_url=BASE))

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(feed_store.FeedStore, "_insert_revision", staticmethod(fail))
    with pytest.raises(OSError, match="disk full"):
        store.update(revised)
    with pytest.raises(OSError, match="disk full"):
        store.publish(attrs.evolve(plan, id="someone-else"), base_url=BASE)
    monkeypatch.undo()

    assert store.get(token).revision == 1
    assert store.revisions(token) == (1,)
    assert [e.plan_id for e in store.entries()] == [plan.id]
    assert store.check() == ()


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


def test_page_is_escaped_localised_and_self_contained(store: rv.FeedStore, plan: rv.Plan) -> None:
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
    tmp_path: Path, with_handouts: rv.FeedStore, plan: rv.Plan
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


def test_handout_is_rendered_with_the_subscription_url(with_handouts: rv.FeedStore, plan: rv.Plan) -> None:
    url = with_handouts.publish(plan, base_url=BASE)
    token = token_of(url)
    handout = with_handouts.body(token, "pdf")
    assert handout is not None
    assert handout.content == render_pdf(plan, subscription_url=url)
    assert handout.etag == '"' + hashlib.sha256(handout.content).hexdigest() + '"'
    assert with_handouts.head(token, "pdf") == (handout.etag, handout.last_modified)


def test_without_handouts_there_is_no_pdf(store: rv.FeedStore, plan: rv.Plan) -> None:
    token = token_of(store.publish(plan, base_url=BASE))
    assert store.body(token, "pdf") is None
    assert store.head(token, "pdf") is None
    assert "Handout" not in render_page(store.get(token), has_pdf=False).decode("utf-8")


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
