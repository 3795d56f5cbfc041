"""Publish a client's plan as a calendar feed, revise it, and read it back the way a calendar app does.

Usage:
    python examples/publish_feed.py --out out

Plans examples/profiles/gluteal-tendinopathy.toml, publishes it into a feed database (OUT/feeds.sqlite,
a new one each run), revises it with the logs of her third week, and writes the feeds as static files
under OUT/public (feeds/TOKEN.ics, feeds/TOKEN.pdf, feeds/TOKEN/index.html). Prints the subscription
URL. To serve the same database over HTTP:

    revalidatie serve --db out/feeds.sqlite
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import revalidatie as rv
from revalidatie.feed import export_static

EXAMPLES = Path(__file__).resolve().parent
PROFILE = EXAMPLES / "profiles" / "gluteal-tendinopathy.toml"
LOGS = EXAMPLES / "logs" / "gluteal-tendinopathy-week-3.toml"
AS_OF = dt.date(2027, 1, 25)  # Monday of week 4
BASE_URL = "https://feeds.example.nl"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Publish a plan as a calendar feed and revise it.")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder to write to (default: out)")
    parser.add_argument("--base-url", default=BASE_URL, help=f"public address of the feeds (default: {BASE_URL})")
    args = parser.parse_args(argv)

    db = args.out / "feeds.sqlite"
    for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)  # a fresh database each run: a plan can be published only once

    plan = rv.plan_programme(rv.load_profile(PROFILE), rv.load_catalog())
    with rv.FeedStore(db) as store:
        url = store.publish(plan, base_url=args.base_url)
        token = url.rsplit("/", 1)[1].removesuffix(".ics")
        print(f"Published revision {plan.revision} for {plan.profile.name}")
        print(f"  page:     {store.get(token).page_url}")
        print(f"  calendar: {url}")

        revised = rv.revise(plan, rv.load_session_logs(LOGS), as_of=AS_OF, source=str(LOGS))
        entry = store.update(revised)
        note = revised.history[-1]
        print(f"Revision {entry.revision}: {note.changed} sessions changed, {note.cancelled} cancelled; same URL")

        calendar = store.body(token)
        assert calendar is not None  # published a moment ago
        print(f'  {len(calendar.content):,} bytes, ETag {calendar.etag[:18]}..."')
        print(f"  revisions kept: {', '.join(map(str, store.revisions(token)))}")

        written = export_static(store, args.out / "public")
    print(f"Static copy: {len(written)} files under {args.out / 'public'}")
    print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
