"""Check-ins and TOML logs are one input: any sequence of reports revises a plan as the equivalent file does."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import revalidatie as rv
from revalidatie.export.json import plan_to_json
from revalidatie.feed import FeedStore
from revalidatie.feed.checkin import revise_from_checkins
from tests.strategies import checkin_reports

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "profiles" / "gluteal-tendinopathy.toml"
LOGS = ROOT / "examples" / "logs" / "gluteal-tendinopathy-week-3.toml"
AS_OF = dt.date(2027, 1, 25)
REPORTED_UNTIL = dt.date(2027, 2, 8)

_FIRST = rv.plan_programme(rv.load_profile(PROFILE), rv.load_catalog())
# A revision, so that the plan has cancelled sessions the client may still report on.
PLAN = rv.revise(_FIRST, rv.load_session_logs(LOGS), AS_OF)
SESSIONS = tuple(s for s in PLAN.sessions if s.date < REPORTED_UNTIL) + tuple(c.session for c in PLAN.cancelled)


def test_the_plan_has_cancelled_sessions_to_report_on() -> None:
    assert PLAN.cancelled


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports=checkin_reports(SESSIONS), as_of=st.sampled_from([REPORTED_UNTIL, REPORTED_UNTIL + dt.timedelta(7)]))
def test_reports_revise_as_the_equivalent_toml_logs(reports: list[rv.SessionLog], as_of: dt.date) -> None:
    with tempfile.TemporaryDirectory() as folder:
        with FeedStore(Path(folder) / "feeds.sqlite", handouts=False) as store:
            url = store.publish(PLAN, base_url="https://feeds.example.nl")
            token = url.rsplit("/", 1)[1].removesuffix(".ics")
            for log in reports:
                store.report(token, log)
            assert [c.log for c in store.checkins(token)] == reports  # every report kept, in order
            revise_from_checkins(store, token, as_of=as_of)
            from_checkins = store.plan(token)
        # What the physio would type: the last word on each session the plan has, as a TOML file.
        last: dict[str, rv.SessionLog] = {}
        for log in reports:
            last.pop(log.session_id, None)
            last[log.session_id] = log
        live = {s.id for s in PLAN.sessions}
        rows = [log.model_dump(mode="json", exclude_none=True) for log in last.values() if log.session_id in live]
        for row in rows:
            row["date"] = dt.date.fromisoformat(row["date"])
        path = Path(folder) / "logs.toml"
        path.write_text(tomli_w.dumps({"log": rows}), encoding="utf-8")
        from_file = rv.revise(PLAN, rv.load_session_logs(path), as_of)
    assert plan_to_json(from_checkins) == plan_to_json(from_file)
