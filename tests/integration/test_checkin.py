"""The client's check-in page, run for real: reports stored, a red one revising the served calendar."""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import re
import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import icalendar
import pytest

import revalidatie as rv
from revalidatie.cli import main
from revalidatie.feed import FeedStore
from revalidatie.feed.checkin import checkin_logs, form_token
from revalidatie.i18n import texts_for

from .test_server import PROFILE, Server

pytestmark = pytest.mark.slow

BASE = "http://127.0.0.1"


def plan_around_today() -> rv.Plan:
    """The example plan, started two Mondays ago, so the check-in page (which reads the clock) has sessions."""
    today = dt.date.today()
    start = today - dt.timedelta(days=today.weekday() + 14)
    profile = rv.load_profile(PROFILE).model_copy(update={"start_date": start})
    return rv.plan_programme(profile, rv.load_catalog())


@pytest.fixture(scope="module")
def plan() -> rv.Plan:
    return plan_around_today()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "feeds.sqlite"


@pytest.fixture
def token(db: Path, plan: rv.Plan) -> str:
    with FeedStore(db, handouts=False) as store:
        url = store.publish(plan, base_url=BASE)
    return url.rsplit("/", 1)[1].removesuffix(".ics")


@pytest.fixture
def server(db: Path, token: str) -> Iterator[Server]:
    running = Server(db)
    yield running
    running.stop()


def post(server: Server, path: str, fields: dict[str, str] | list[tuple[str, str]]) -> tuple[int, str]:
    body = urllib.parse.urlencode(fields).encode()
    server.connection.request("POST", path, body=body, headers={"content-type": "application/x-www-form-urlencoded"})
    response = server.connection.getresponse()
    return response.status, response.read().decode()


def forms(page: str) -> dict[str, str]:
    """Session id to form token of every form on a check-in page."""
    return dict(re.findall(r'name="session" value="([^"]+)">\s*<input type="hidden" name="csrf" value="([^"]+)"', page))


def test_a_red_checkin_from_the_calendar_revises_the_served_calendar(
    server: Server, token: str, plan: rv.Plan, db: Path
) -> None:
    status, _, ics = server.request("GET", f"/feeds/{token}.ics")
    assert status == 200
    calendar = icalendar.Calendar.from_ical(ics)
    links = {str(event["URL"]) for event in calendar.walk("VEVENT")}
    assert links == {f"{BASE}/checkin/{token}"}
    assert f"{BASE}/checkin/{token}" in str(calendar.walk("VEVENT")[0]["DESCRIPTION"])
    sequences = {str(e["UID"]): int(e.get("SEQUENCE", 0)) for e in calendar.walk("VEVENT")}

    path = urllib.parse.urlsplit(links.pop()).path
    status, headers, page = server.request("GET", path)
    assert status == 200
    assert "form-action 'self'" in headers["content-security-policy"]
    assert "Şule" in page.decode()
    assert "Yılmaz" not in page.decode()  # noqa: RUF001 (her name)
    offered = forms(page.decode())
    assert offered, "the page offers no session"
    session_id = next(iter(offered))
    status, answer = post(
        server,
        path,
        {"session": session_id, "csrf": offered[session_id], "status": "done", "pain_before": "1", "pain_during": "7"},
    )
    assert status == 200
    assert "Rust de volgende dag" in answer  # the red rule of the session's work, from export.rules
    assert "Je agenda is aangepast" in answer

    status, _, revised = server.request("GET", f"/feeds/{token}.ics")
    assert status == 200
    assert revised != ics
    after = icalendar.Calendar.from_ical(revised)
    changed = [e for e in after.walk("VEVENT") if int(e.get("SEQUENCE", 0)) > sequences.get(str(e["UID"]), 0)]
    assert changed, "no event of the served calendar changed"
    with FeedStore(db, create=False) as store:
        assert store.get(token).revision == 2
        assert [c.log.pain_during for c in store.checkins(token)] == [7]


def test_forms_without_their_token_a_revoked_feed_and_big_bodies_are_refused(
    server: Server, token: str, db: Path
) -> None:
    path = f"/checkin/{token}"
    page = server.request("GET", path)[2].decode()
    session_id, csrf = next(iter(forms(page).items()))
    status, _ = post(server, path, {"session": session_id, "csrf": "0" * 64, "pain_during": "1"})
    assert status == 403
    status, _ = post(server, path, {"session": session_id, "csrf": csrf, "pain_during": "11"})
    assert status == 400
    status, _ = post(server, path, {"session": session_id, "csrf": csrf, "note": "x" * 9000})
    assert status == 413
    with FeedStore(db, create=False) as store:
        assert store.checkins(token) == ()
        store.revoke(token)
    missing = server.request("GET", "/checkin/" + "A" * 43)
    revoked = server.request("GET", path)
    assert revoked[0] == missing[0] == 404
    assert revoked[2] == missing[2]
    assert post(server, path, {"session": session_id, "csrf": csrf})[0] == 404


def test_a_correction_and_the_next_morning_are_kept_and_the_last_report_counts(
    server: Server, token: str, db: Path, plan: rv.Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    path = f"/checkin/{token}"
    offered = forms(server.request("GET", path)[2].decode())
    today = dt.date.today()
    earlier = [s for s in plan.sessions if s.id in offered and s.date < today]
    if not earlier:
        pytest.skip("no session before today on the page")  # never with the plan started two Mondays ago
    session = earlier[0]
    fields = {"session": session.id, "csrf": offered[session.id], "status": "done", "pain_during": "2"}
    assert post(server, path, fields)[0] == 200
    assert post(server, path, {**fields, "pain_next_morning": "0", "note": "ging goed"})[0] == 200
    with FeedStore(db, create=False) as store:
        reports = store.checkins(token)
        assert [c.log.pain_next_morning for c in reports] == [None, 0]
        logs = checkin_logs(store.plan(token), reports, today + dt.timedelta(days=1))
    assert [(log.session_id, log.pain_next_morning, log.note) for log in logs] == [(session.id, 0, "ging goed")]

    assert main(["feed", "logs", token[:8], "--db", str(db), "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [row["counts"] for row in shown["checkins"]] == [False, True]
    assert shown["checkins"][1]["zone"] == "green"
    assert main(["feed", "logs", token[:8], "--db", str(db)]) == 0
    assert session.id in capsys.readouterr().out


def test_a_reported_red_flag_tells_the_client_and_alerts_the_physio(
    server: Server, token: str, db: Path, plan: rv.Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    if not plan.red_flags:
        pytest.fail("the example plan has no red flags to ask")
    path = f"/checkin/{token}"
    session_id, csrf = next(iter(forms(server.request("GET", path)[2].decode()).items()))
    flag = plan.red_flags[0]
    status, answer = post(server, path, [("session", session_id), ("csrf", csrf), ("flag", flag.id), ("flag", "x")])
    assert status == 200
    assert "Neem vandaag contact op met je fysiotherapeut" in answer
    with FeedStore(db, create=False) as store:
        assert [c.red_flags for c in store.checkins(token)] == [(flag.id,)]
        paused = store.plan(token)
    assert main(["feed", "list", "--db", str(db), "--lang", "en"]) == 0
    assert "paused: red flag" in capsys.readouterr().out

    # The plan is paused: the served calendar has no session from the pause on, and one event that says so.
    assert paused.paused is not None
    assert paused.paused.flags == (flag.id,)
    since = paused.paused.since
    assert dt.date.today() <= since <= dt.date.today() + dt.timedelta(days=1)
    calendar = icalendar.Calendar.from_ical(server.request("GET", f"/feeds/{token}.ics")[2])
    events = list(calendar.walk("VEVENT"))
    stop = [e for e in events if str(e["UID"]).startswith("pause-")]
    assert len(stop) == 1
    assert str(stop[0]["STATUS"]) == "CONFIRMED"
    assert stop[0].decoded("DTSTART") == since
    assert "Programma gestopt" in str(stop[0]["SUMMARY"])
    assert flag.action("nl") in str(stop[0]["DESCRIPTION"])
    later = [e for e in events if e not in stop and e.decoded("DTSTART").date() >= since]
    assert later
    assert {str(e["STATUS"]) for e in later} == {"CANCELLED"}

    # The check-in page says so too, every time the client opens it, and offers no session of the pause.
    page = server.request("GET", path)[2].decode()
    assert "Programma gestopt: bel je fysiotherapeut" in page
    cancelled = {c.session.id for c in paused.cancelled}
    assert cancelled
    assert not cancelled & set(forms(page))

    # A red report does not revise a paused plan; the physio resumes it after seeing the client.
    refused = main(["feed", "revise", token[:8], "--from-checkins", "--as-of", since.isoformat(), "--db", str(db)])
    assert refused != 0
    assert "is paused since" in capsys.readouterr().err
    resumed_on = since + dt.timedelta(days=2)
    assert (
        main(
            [
                "feed",
                "revise",
                token[:8],
                "--from-checkins",
                "--resume",
                "--as-of",
                resumed_on.isoformat(),
                "--db",
                str(db),
            ]
        )
        == 0
    )
    calendar = icalendar.Calendar.from_ical(server.request("GET", f"/feeds/{token}.ics")[2])
    events = list(calendar.walk("VEVENT"))
    stop = [e for e in events if str(e["UID"]).startswith("pause-")]
    assert len(stop) == 1
    assert str(stop[0]["STATUS"]) == "CANCELLED"
    planned = [e for e in events if e not in stop and str(e["STATUS"]) == "CONFIRMED"]
    assert any(e.decoded("DTSTART").date() >= resumed_on for e in planned)
    assert "Programma gestopt" not in server.request("GET", path)[2].decode()
    assert not any(since <= e.decoded("DTSTART").date() < resumed_on for e in planned)


def test_the_form_token_is_bound_to_the_feed_and_the_session() -> None:
    secret = b"s" * 32
    assert form_token(secret, "a", "b") != form_token(secret, "a", "c")
    assert form_token(secret, "a", "b") != form_token(b"t" * 32, "a", "b")


def _browser() -> object | None:
    chromium = shutil.which("chromium")
    driver = shutil.which("chromedriver")
    try:
        from selenium import webdriver
    except ImportError:
        webdriver = None  # type: ignore[assignment]
    if webdriver is None or chromium is None or driver is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium, its driver or selenium is missing (.ci/run installs them)")
        pytest.skip("no headless Chromium with selenium here")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu"):
        options.add_argument(argument)
    browser = webdriver.Chrome(options=options, service=Service(driver))
    # A phone's viewport (iPhone 12-15: 390 x 844 CSS pixels), whatever the window around it.
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    )
    return browser


def test_a_red_report_in_a_real_browser(server: Server, token: str, db: Path) -> None:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.wait import WebDriverWait

    browser = _browser()
    assert browser is not None
    try:
        ics = server.request("GET", f"/feeds/{token}.ics")[2]
        link = str(icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]["URL"])
        address = link.replace(BASE, f"http://127.0.0.1:{server.port}")
        browser.get(address)  # type: ignore[attr-defined]
        shots = Path(os.environ.get("CHECKIN_SCREENSHOTS", "")) if os.environ.get("CHECKIN_SCREENSHOTS") else None
        if shots is not None:
            browser.save_screenshot(str(shots / "checkin-page.png"))  # type: ignore[attr-defined]
        section = browser.find_elements(By.CSS_SELECTOR, "section")[0]  # type: ignore[attr-defined]
        Select(section.find_element(By.NAME, "pain_during")).select_by_value("8")
        section.find_element(By.TAG_NAME, "summary").click()  # the red-flag questions fold open
        section.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        # The answer comes once the server has stored the report and revised the plan: wait for the new page.
        try:
            found = expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".message"))
            message = WebDriverWait(browser, 60).until(found)  # type: ignore[type-var,arg-type]
        except TimeoutException:
            page = browser.page_source  # type: ignore[attr-defined]
            pytest.fail(f"no answer after sending the report; the page holds: {page[:600]}")
        text = message.text
        top = browser.execute_script("return arguments[0].getBoundingClientRect().top", message)  # type: ignore[attr-defined]
        assert 0 <= top < 844, "the answer is not in view after sending"
        if shots is not None:
            browser.save_screenshot(str(shots / "checkin-red.png"))  # type: ignore[attr-defined]
        assert "Rust de volgende dag" in text
        assert "Je agenda is aangepast" in text
    finally:
        browser.quit()  # type: ignore[attr-defined]
    revised = server.request("GET", f"/feeds/{token}.ics")[2]
    assert revised != ics
    with FeedStore(db, create=False) as store:
        assert store.get(token).revision == 2


# Every control a thumb taps: the status choices, the checkboxes, the pain lists, the folded questions, the button.
_TARGETS = ".choices label, label.check, select, summary, button, textarea"
_LAYOUT = """
const width = document.documentElement.clientWidth;
const boxes = [...document.querySelectorAll(arguments[0])].map(e => e.getBoundingClientRect());
const choices = [...document.querySelectorAll('section .choices label')].slice(0, 2)
  .map(e => e.getBoundingClientRect());
return {
  width: width,
  scroll: document.documentElement.scrollWidth,
  smallest: Math.min(...boxes.map(b => b.height)),
  outside: boxes.filter(b => b.left < -0.5 || b.right > width + 0.5).length,
  first: [choices[0].left, choices[0].right], second: [choices[1].left, choices[1].right],
  direction: getComputedStyle(document.body).direction,
};
"""


@pytest.mark.parametrize("language", ["tr", "ar"])
def test_a_turkish_and_an_arabic_checkin_page_at_phone_size(db: Path, plan: rv.Plan, language: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.wait import WebDriverWait

    profile = plan.profile.model_copy(update={"language": rv.Language(language)})
    with FeedStore(db, handouts=False) as store:
        url = store.publish(attrs.evolve(plan, profile=profile), base_url=BASE)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    t = texts_for(language)
    running = Server(db)
    browser = _browser()
    assert browser is not None
    shots = Path(os.environ["CHECKIN_SCREENSHOTS"]) if os.environ.get("CHECKIN_SCREENSHOTS") else None
    try:
        browser.get(f"http://127.0.0.1:{running.port}/checkin/{token}")  # type: ignore[attr-defined]
        html = browser.find_element(By.TAG_NAME, "html")  # type: ignore[attr-defined]
        assert html.get_attribute("lang") == language
        assert (html.get_attribute("dir") == "rtl") is t.rtl
        section = browser.find_elements(By.CSS_SELECTOR, "section")[0]  # type: ignore[attr-defined]
        section.find_element(By.TAG_NAME, "summary").click()  # the red-flag questions fold open
        layout = browser.execute_script(_LAYOUT, _TARGETS)  # type: ignore[attr-defined]
        if shots is not None:
            browser.save_screenshot(str(shots / f"checkin-{language}.png"))  # type: ignore[attr-defined]
        assert layout["width"] == 390
        assert layout["scroll"] <= layout["width"], "the page scrolls sideways: something is cut off"
        assert layout["outside"] == 0, "a control sticks out of the screen"
        assert layout["smallest"] >= 44, "a touch target is smaller than 44 CSS pixels"
        first, second = layout["first"], layout["second"]
        if t.rtl:
            assert layout["direction"] == "rtl"
            assert first[0] > second[0] or first[1] > second[1], "the choices do not run from the right"
        else:
            assert first[0] < second[0], "the choices do not run from the left"
        Select(section.find_element(By.NAME, "pain_during")).select_by_value("8")
        section.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        found = expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".message"))
        message = WebDriverWait(browser, 60).until(found)  # type: ignore[type-var,arg-type]
        if shots is not None:
            browser.save_screenshot(str(shots / f"checkin-{language}-red.png"))  # type: ignore[attr-defined]
        assert t("checkin.revised") in message.text
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390  # type: ignore[attr-defined]
    finally:
        browser.quit()  # type: ignore[attr-defined]
        running.stop()


def test_the_report_limit_holds_across_servers_of_one_store_and_a_restart(db: Path, token: str) -> None:
    from revalidatie.feed._app import REPORTS_PER_HOUR

    today = dt.date.today()
    log = rv.SessionLog(session_id="x", date=today, pain_during=1)
    now = dt.datetime.now(dt.UTC)
    with FeedStore(db, handouts=False) as store:
        for _ in range(REPORTS_PER_HOUR):  # an hour and more ago: no longer counted
            store.report(token, log, at=now - dt.timedelta(minutes=61))
        for _ in range(REPORTS_PER_HOUR - 2):
            store.report(token, log, at=now - dt.timedelta(minutes=30))
    first, second = Server(db), Server(db)  # two servers of one store, as the workers of `serve --workers N`
    try:
        path = f"/checkin/{token}"
        session_id, csrf = next(iter(forms(first.request("GET", path)[2].decode()).items()))
        fields = {"session": session_id, "csrf": csrf, "pain_during": "1"}
        assert post(first, path, fields)[0] == 200
        assert post(second, path, fields)[0] == 200  # the 30th of the hour, counted over both servers
        for server in (first, second):
            server.connection.request(
                "POST", path, body=urllib.parse.urlencode(fields), headers={"content-type": _FORM}
            )
            response = server.connection.getresponse()
            response.read()
            assert response.status == 429
            assert response.getheader("retry-after") == "3600"
        first.stop()
        first = Server(db)  # a restart forgets nothing
        assert post(first, path, fields)[0] == 429
    finally:
        first.stop()
        second.stop()
    with FeedStore(db, create=False) as store:
        assert len(store.checkins(token)) == 2 * REPORTS_PER_HOUR


_FORM = "application/x-www-form-urlencoded"


CLIENTS = 200  # the scale: 200 clients, each a feed, reporting while 1,000 conditional GETs/s are served
REPORTS_EACH = 3
GET_RATE = 1_000
REPORT_SPREAD_S = 20.0
"""The clients' reports come spread over this many seconds (each client's every 20/3 s, the clients' starts
staggered), about 30 a second: a whole caseload reporting in the same minute, not one burst that only shows
how long a queue of 600 takes."""
GET_CONNECTIONS = 400
"""Keep-alive connections of the GET generator, each sending one GET every 0.4 s: while the server stores a
report a GET can wait a few tenths of a second, and with fewer connections (100: one every 0.1 s) the lanes
fall behind and the rate drops to 500-700 a second."""
LOAD_DEADLINE_S = 60.0
"""The clients' reports must be answered within this; the GETs stop when the reports are done."""


def _conditional_gets(
    port: int, feeds: list[tuple[str, str]], rate: float, stop: Any, results: Any, deadline_s: float
) -> None:
    """Paced conditional GETs of ``feeds`` (path, ETag) at ``rate`` a second until ``stop``, in a process of its own.

    :data:`GET_CONNECTIONS` threads, each on a keep-alive connection of its own, each send their share of the
    rate on a fixed schedule; one that falls behind by more than a tenth of a second starts its schedule anew
    instead of catching up in a burst. The requests are written and read on the socket itself (a 304 has
    headers only): http.client would cost the generator more CPU than the server spends on a 304. Puts the
    number of GETs, the answers that were not 304 and the seconds it ran on ``results``.
    """
    import socket
    import threading
    import time

    requests = [
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: {etag}\r\n\r\n".encode("ascii")
        for path, etag in feeds
    ]
    counts = [0] * GET_CONNECTIONS
    wrong: list[str] = []
    began = time.monotonic()

    def pace(lane: int) -> None:
        connection = socket.create_connection(("127.0.0.1", port), timeout=10)
        interval = GET_CONNECTIONS / rate
        due = time.monotonic() + lane * interval / GET_CONNECTIONS
        n = lane
        while not stop.is_set() and time.monotonic() - began < deadline_s:
            now = time.monotonic()
            if now < due:
                time.sleep(due - now)
            elif now - due > 0.1:
                due = now
            due += interval
            request = requests[n % len(requests)]
            n += GET_CONNECTIONS
            answer = b""
            try:
                connection.sendall(request)
                while b"\r\n\r\n" not in answer:
                    chunk = connection.recv(4096)
                    if not chunk:
                        raise ConnectionResetError("closed by the server")
                    answer += chunk
            except OSError as exc:
                wrong.append(f"GET {type(exc).__name__}")
                connection.close()
                connection = socket.create_connection(("127.0.0.1", port), timeout=10)
                continue
            counts[lane] += 1
            head, _, rest = answer.partition(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 304 ") or rest:
                wrong.append(f"GET {head[9:12].decode(errors='replace')}")
                connection.close()  # whatever body followed is not read: start on a new connection
                connection = socket.create_connection(("127.0.0.1", port), timeout=10)
        connection.close()

    lanes = [threading.Thread(target=pace, args=(lane,)) for lane in range(GET_CONNECTIONS)]
    for lane in lanes:
        lane.start()
    for lane in lanes:
        lane.join()
    results.put((sum(counts), wrong, time.monotonic() - began))


def test_reports_while_conditional_gets_are_served_lose_nothing(db: Path, plan: rv.Plan) -> None:
    import http.client
    import multiprocessing
    import threading
    import time

    import attrs

    with FeedStore(db, handouts=False) as store:
        tokens = [
            store.publish(attrs.evolve(plan, id=f"load-{n}"), base_url=BASE).rsplit("/", 1)[1].removesuffix(".ics")
            for n in range(CLIENTS)
        ]
        feeds = [(f"/feeds/{t}.ics", store.head(t)[0]) for t in tokens]  # type: ignore[index]
    running = Server(db)
    acknowledged: list[tuple[str, str]] = []
    errors: list[str] = []
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    results = context.Queue()
    generator = context.Process(
        target=_conditional_gets, args=(running.port, feeds, GET_RATE, stop, results, LOAD_DEADLINE_S + 30)
    )

    def client(lane: int, token: str) -> None:
        # Like a phone: the page, then each report seconds apart on a connection of its own (the server
        # closes a keep-alive connection idle for more than 5 s).
        every = REPORT_SPREAD_S / REPORTS_EACH
        first = started + lane * every / CLIENTS
        try:
            time.sleep(max(0.0, first - time.monotonic()))
            connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=30)
            connection.request("GET", f"/checkin/{token}")
            page = connection.getresponse().read().decode()
            connection.close()
            session_id, csrf = next(iter(forms(page).items()))
            for n in range(REPORTS_EACH):
                time.sleep(max(0.0, first + n * every - time.monotonic()))
                note = f"report {n}"
                # Green and amber reports (pain 0-2, the next morning not yet known): stored, no revision, so
                # every calendar keeps its ETag and every conditional GET is answered 304.
                fields = {"session": session_id, "csrf": csrf, "pain_during": str(n % 3), "note": note}
                connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=30)
                connection.request(
                    "POST", f"/checkin/{token}", body=urllib.parse.urlencode(fields), headers={"content-type": _FORM}
                )
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status == 200:
                    acknowledged.append((token, note))
                else:
                    errors.append(f"POST {response.status}")
        except (OSError, StopIteration) as exc:
            errors.append(f"client {type(exc).__name__}")

    try:
        generator.start()
        time.sleep(1.0)  # the generator's process starts (spawned, it imports the test module) and is pacing
        clients = [threading.Thread(target=client, args=(lane, token)) for lane, token in enumerate(tokens)]
        started = time.monotonic()
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(timeout=max(0.1, LOAD_DEADLINE_S - (time.monotonic() - started)))
        elapsed = time.monotonic() - started
        stop.set()
        gets, wrong, get_s = results.get(timeout=30)
        generator.join(timeout=10)
    finally:
        stop.set()
        running.stop()
        if generator.is_alive():
            generator.kill()
    alive = sum(thread.is_alive() for thread in clients)
    print(
        f"{CLIENTS} clients: {len(acknowledged)} reports in {elapsed:.1f} s;"
        f" {gets} conditional GETs in {get_s:.1f} s ({gets / get_s:.0f}/s, paced at {GET_RATE}/s)"
    )
    assert alive == 0, f"{alive} clients did not finish within {LOAD_DEADLINE_S} s"
    assert errors == [], collections.Counter(errors)
    assert wrong == [], collections.Counter(wrong)
    assert gets > 0
    assert len(acknowledged) == CLIENTS * REPORTS_EACH
    with FeedStore(db, create=False) as store:
        stored = {(t, c.log.note) for t in tokens for c in store.checkins(t)}
    assert stored == set(acknowledged)


def test_sigkill_of_the_server_mid_report_loses_nothing_acknowledged(db: Path, token: str) -> None:
    import http.client
    import threading

    running = Server(db)
    acknowledged: list[str] = []
    page = running.request("GET", f"/checkin/{token}")[2].decode()
    session_id, csrf = next(iter(forms(page).items()))

    def reporter() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=5)
        for n in range(10_000):
            fields = {"session": session_id, "csrf": csrf, "pain_during": "1", "note": f"report {n}"}
            try:
                connection.request(
                    "POST",
                    f"/checkin/{token}",
                    body=urllib.parse.urlencode(fields),
                    headers={"content-type": "application/x-www-form-urlencoded"},
                )
                response = connection.getresponse()
                response.read()
            except OSError:
                return
            if response.status == 200:
                acknowledged.append(f"report {n}")
            elif response.status == 429:
                return

    thread = threading.Thread(target=reporter)
    thread.start()
    import time

    deadline = time.monotonic() + 10
    while len(acknowledged) < 10 and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.01)
    running.kill()
    thread.join(timeout=10)
    assert len(acknowledged) >= 10
    with FeedStore(db, create=False) as store:
        stored = [c.log.note for c in store.checkins(token)]
        assert store.check() == ()
    assert set(acknowledged) <= set(stored)


def test_the_daily_revision_applies_amber_and_green_reports_once(db: Path, token: str, plan: rv.Plan) -> None:
    from revalidatie.feed._app import revise_pending

    today = dt.date.today()
    session = next(s for s in reversed(plan.sessions) if s.date < today)
    with FeedStore(db, handouts=False) as store:
        assert revise_pending(store) == 0
        store.report(token, rv.SessionLog(session_id=session.id, date=session.date, pain_during=4))
        assert revise_pending(store) == 1
        assert store.get(token).revision == 2
        assert [log.session_id for log in store.plan(token).history[-1].logs or ()] == [session.id]
        assert revise_pending(store) == 0  # nothing new since


def test_auto_revise_is_refused_with_several_workers(db: Path, token: str) -> None:
    assert main(["serve", "--db", str(db), "--auto-revise", "--workers", "2"]) != 0


def test_revising_from_check_ins_reads_todays_reports_unless_told_otherwise(
    db: Path, token: str, plan: rv.Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    today = dt.date.today()
    session = max((s for s in plan.sessions if s.date <= today), key=lambda s: s.date)
    log = rv.SessionLog(session_id=session.id, date=session.date, pain_during=1, pain_next_morning=0)
    with FeedStore(db, create=False) as store:
        store.report(token, log)
    # As of the session's own day its report is not read, and the physio is told so.
    day = session.date.isoformat()
    assert main(["feed", "revise", token[:8], "--from-checkins", "--as-of", day, "--db", str(db)]) == 0
    assert f"warning: 1 report on sessions on or after {day} is not applied" in capsys.readouterr().err
    with FeedStore(db, create=False) as store:
        assert store.plan(token).history[-1].logs == ()
    # Without --as-of the revision is made as of the client's tomorrow: today's report counts.
    assert main(["feed", "revise", token[:8], "--from-checkins", "--db", str(db)]) == 0
    assert "not applied" not in capsys.readouterr().err
    with FeedStore(db, create=False) as store:
        applied = store.plan(token).history[-1].logs
    assert applied is not None
    assert [a.session_id for a in applied] == [session.id]
